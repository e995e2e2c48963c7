"""Customers: sign-up, acquisition, satisfaction, the dropout link and repeat purchases.

Steps 1-4 of the generative story told in :mod:`relmark_lab.datasets.synthetic`:

1. **Signup.** The first purchase falls between the observation start and
   :data:`SIGNUP_END`, a little more often later (the business grows); the
   acquisition channel (and its cost), region and payment terms are drawn
   independently.
2. **Satisfaction and complaints.** A latent satisfaction ``s ~ N(0, 1)``;
   unhappy customers complain more often, and whether a complaint is
   resolved depends only on the channel it came through.
3. **Dropout.** A churn score ``-w1*s + w2*[unresolved complaint] + noise``
   ranks the customers, and each receives the Beta(a, b) quantile at its
   rank's midpoint (:data:`DROPOUT_LINK`).
4. **Repeat purchases.** The BG/NBD process in weeks (:data:`BGNBD_TRUTH`):
   Poisson purchases at the customer's rate, and after each repeat purchase
   the customer leaves for good with their dropout probability.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from relmark_lab.datasets.synthetic._common import (
    _ACQUISITION,
    _PAYMENT_TERMS,
    _START,
    _VOC_CHANNEL_PROFILE,
    BGNBD_TRUTH,
    DROPOUT_LINK,
    SIGNUP_END,
    _day,
    _pick,
)


def _draw_signup_days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Signup day offsets, sorted; the last signup day is 1.6 times as likely as the first."""
    last = (pd.Timestamp(SIGNUP_END) - _START).days
    days = np.arange(last + 1)
    weight = 1.0 + 0.6 * days / last
    return np.sort(rng.choice(days, n, p=weight / weight.sum()))


def _draw_complaints(rng: np.random.Generator, satisfaction: np.ndarray) -> pd.DataFrame:
    """One row per complaint: who complained, through which channel, whether it was resolved.

    Unhappy customers complain more often (rate ``0.12 * exp(-0.9 s)`` over
    their lifetime). Resolution depends on the channel only, so "unresolved"
    carries information about the service, not about the customer's mood.
    """
    count = rng.poisson(0.12 * np.exp(-0.9 * satisfaction))
    customer = np.repeat(np.arange(len(satisfaction)), count)
    complaint_share = {k: v[0] for k, v in _VOC_CHANNEL_PROFILE.items() if v[0] > 0}
    channel = _pick(rng, complaint_share, len(customer))
    p_resolved = np.array([_VOC_CHANNEL_PROFILE[c][1] for c in channel], dtype=float)
    resolved = rng.random(len(customer)) < p_resolved
    return pd.DataFrame({"customer": customer, "channel": channel, "resolved": resolved})


def _dropout_probabilities(
    rng: np.random.Generator, satisfaction: np.ndarray, has_unresolved: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """BG/NBD dropout probabilities that rise with dissatisfaction.

    The churn score orders the customers; each one then receives the Beta(a, b)
    quantile at its rank's midpoint. The link therefore decides *who* gets a
    high ``p`` while the set of ``p`` values stays exactly Beta(a, b).

    Returns
    -------
    p : numpy.ndarray
        Dropout probability after each repeat purchase.
    score : numpy.ndarray
        The churn score ``-w1*s + w2*unresolved + noise``.
    """
    link = DROPOUT_LINK
    score = (
        -link["satisfaction_weight"] * satisfaction
        + link["unresolved_complaint_weight"] * has_unresolved
        + rng.normal(0.0, link["noise_sd"], len(satisfaction))
    )
    rank = stats.rankdata(score, method="ordinal")  # continuous noise: no ties
    u = (rank - 0.5) / len(score)
    return stats.beta.ppf(u, BGNBD_TRUTH["a"], BGNBD_TRUTH["b"]), score


def _simulate_repeat_purchases(
    rng: np.random.Generator, rate: np.ndarray, p: np.ndarray, horizon_weeks: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The BG/NBD purchase process after the first purchase, all customers at once.

    Each round draws every still-active customer's next exponential waiting
    time. A purchase inside the horizon is recorded, then the customer drops
    out with probability ``p``. As in BG/NBD, nobody drops out at the first
    purchase, only after repeat purchases.

    Returns
    -------
    customer : numpy.ndarray
        Customer index of each repeat purchase.
    weeks : numpy.ndarray
        Time of each repeat purchase, in weeks since the first purchase.
    alive : numpy.ndarray
        Whether each customer is still active at the observation end.
    """
    clock = np.zeros(len(rate))
    alive = np.ones(len(rate), dtype=bool)
    active = np.arange(len(rate))
    customers, times = [], []
    while active.size:
        next_time = clock[active] + rng.exponential(1.0 / rate[active])
        inside = next_time < horizon_weeks[active]
        active, next_time = active[inside], next_time[inside]
        customers.append(active)
        times.append(next_time)
        clock[active] = next_time
        leaves = rng.random(active.size) < p[active]
        alive[active[leaves]] = False
        active = active[~leaves]
    return np.concatenate(customers), np.concatenate(times), alive


def _build_customers(
    rng: np.random.Generator, people: pd.DataFrame, signup_day: np.ndarray, regions: np.ndarray
) -> pd.DataFrame:
    """The customer master; acquisition cost = channel mean x Gamma noise (CV 25%)."""
    n = len(signup_day)
    channel = _pick(rng, _ACQUISITION, n)
    mean_cost = np.array([_ACQUISITION[c][1] for c in channel])
    cost = np.round(mean_cost * rng.gamma(16.0, 1.0 / 16.0, n), 2)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:05d}" for i in range(1, n + 1)],
            "name": people["name"].to_numpy(),
            "email": people["email"].to_numpy(),
            "phone": people["phone"].to_numpy(),
            "signup_date": _day(signup_day),
            "acquisition_channel": channel,
            "acquisition_cost": cost,
            "region": regions,
            "payment_terms": _pick(rng, _PAYMENT_TERMS, n),
        }
    )
