"""Survey: a 30% sample answers once, with noisy readings of the latent satisfaction.

Satisfaction (1-5), likelihood to recommend (0-10) and share of wallet (0-1)
read the customer's latent satisfaction ``s`` with noise, so the survey
predicts dropout without being its cause. The five weapons of value for
effort are rated 1-5, each partly a reading of ``s`` (a halo, so they
correlate); perceived value (0-10) is built from those five ratings with
the known weights of :data:`VALUE_DRIVERS_TRUTH`, so a key-driver analysis
can recover them. Each answer is dated on a day when the respondent was
still a customer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab.datasets.synthetic._common import VALUE_DRIVERS_TRUTH, _day, _uniform_day


def _ordinal(latent: np.ndarray, cuts: tuple[float, ...]) -> np.ndarray:
    """Cut a continuous latent score into 1, 2, ... ``len(cuts) + 1``."""
    return (np.searchsorted(np.array(cuts), latent) + 1).astype("int64")


def _value_for_effort(rng: np.random.Generator, s: np.ndarray) -> dict[str, np.ndarray]:
    """The five weapons' 1-5 ratings and the perceived value (0-10) they make up."""
    truth = VALUE_DRIVERS_TRUTH
    value = truth["perceived_value"]
    ratings, total = {}, np.full(len(s), value["intercept"])
    for weapon in truth["weapons"].values():
        own = rng.normal(size=len(s))
        latent = weapon["halo"] * s + np.sqrt(1 - weapon["halo"] ** 2) * own + weapon["shift"]
        ratings[weapon["column"]] = _ordinal(latent, tuple(truth["rating_cuts"]))
        total += weapon["weight"] * ratings[weapon["column"]]
    low, high = value["scale"]
    total += value["noise_sd"] * rng.normal(size=len(s))
    return {"perceived_value": np.clip(np.rint(total), low, high).astype("int64"), **ratings}


def _build_survey(
    rng: np.random.Generator,
    customers: pd.DataFrame,
    satisfaction: np.ndarray,
    signup_day: np.ndarray,
    last_active_day: np.ndarray,
    value_rng: np.random.Generator,
) -> pd.DataFrame:
    """A 30% sample answers once, on a day when they were still a customer.

    Satisfaction, recommendation and share of wallet are noisy readings of
    the latent satisfaction ``s``; the value-for-effort ratings and the
    perceived value come from their own stream, ``value_rng``.
    """
    n = len(customers)
    who = np.sort(rng.choice(n, round(0.3 * n), replace=False))
    s = satisfaction[who]
    k = len(who)
    day = _uniform_day(rng, signup_day[who], last_active_day[who])
    wallet_mean = 1.0 / (1.0 + np.exp(-(-0.4 + 0.5 * s)))
    share = rng.beta(6.0 * wallet_mean, 6.0 * (1.0 - wallet_mean))
    recommend = np.rint(6.5 + 2.0 * (0.85 * s + 0.5 * rng.normal(size=k)))
    return pd.DataFrame(
        {
            "customer_id": customers["customer_id"].to_numpy()[who],
            "survey_date": _day(day),
            "satisfaction": _ordinal(s + 0.5 * rng.normal(size=k), (-1.4, -0.6, 0.3, 1.1)),
            "recommend": np.clip(recommend, 0, 10).astype("int64"),
            "share_of_wallet": np.round(share, 2),
            **_value_for_effort(value_rng, s),
        }
    )
