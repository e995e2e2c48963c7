"""Voice of the customer: contacts through the seven channels of the course notes.

Complaints are drawn with the dropout link
(:func:`~relmark_lab.datasets.synthetic.customers._draw_complaints`) and only
dated here; suggestions, questions and praise (likelier from satisfied
customers) come through the other channels; focus groups gather 10-12
customers on one date. ``days_to_resolve`` depends on the channel and is
missing for unresolved complaints.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab.datasets.synthetic._common import (
    _HORIZON_DAYS,
    _VOC_CHANNEL_PROFILE,
    _day,
    _pick,
    _uniform_day,
)


def _contact_types(rng: np.random.Generator, satisfaction: np.ndarray) -> np.ndarray:
    """Suggestion, question or praise; praise is likelier from satisfied customers."""
    weight = np.column_stack(
        [np.ones_like(satisfaction), np.full_like(satisfaction, 0.8), np.exp(0.8 * satisfaction)]
    )
    cumulative = np.cumsum(weight / weight.sum(axis=1, keepdims=True), axis=1)
    pick = (rng.random(len(satisfaction))[:, None] > cumulative).sum(axis=1)
    return np.array(["suggestion", "question", "praise"], dtype=object)[np.minimum(pick, 2)]


def _focus_group_sessions(
    rng: np.random.Generator, signup_day: np.ndarray, n_sessions: int
) -> pd.DataFrame:
    """Sessions of 10-12 customers on one date, invited among those already signed up."""
    days = np.sort(rng.integers(59, _HORIZON_DAYS - 30, n_sessions))  # Mar 2023 .. Nov 2025
    rows = []
    for day in days:
        eligible = np.flatnonzero(signup_day <= day)
        size = min(int(rng.integers(10, 13)), len(eligible))
        for customer in np.sort(rng.choice(eligible, size, replace=False)):
            rows.append((customer, day))
    return pd.DataFrame(rows, columns=["customer", "day"], dtype="int64")


def _build_voice_of_customer(
    rng: np.random.Generator,
    customers: pd.DataFrame,
    complaints: pd.DataFrame,
    satisfaction: np.ndarray,
    signup_day: np.ndarray,
    last_purchase_day: np.ndarray,
) -> pd.DataFrame:
    """Complaints (drawn before dropout, dated here) plus other contacts and focus groups.

    Complaints are dated between signup and two weeks after the last
    purchase (capped 60 days before the end, so resolutions fall inside the
    window). Other contacts are spread over the customer's time with us.
    ``resolved`` is drawn for complaints only; other contacts count as
    resolved and ``days_to_resolve`` is then the time to answer them.
    """
    n = len(customers)
    c = complaints["customer"].to_numpy()
    complaint_day = _uniform_day(
        rng, signup_day[c], np.minimum(last_purchase_day[c] + 14, _HORIZON_DAYS - 60)
    )
    other_channels = {
        "complaint box": 0.05, "suggestion coupon": 0.20, "toll-free line": 0.20,
        "e-mail": 0.30, "personal attention": 0.20, "letter": 0.05,
    }
    o = np.repeat(np.arange(n), rng.poisson(0.3, n))
    other_day = _uniform_day(
        rng, signup_day[o], np.minimum(last_purchase_day[o] + 60, _HORIZON_DAYS - 60)
    )
    focus = _focus_group_sessions(rng, signup_day, max(2, round(n / 400)))
    f = focus["customer"].to_numpy()

    contacts = pd.DataFrame(
        {
            "customer": np.concatenate([c, o, f]),
            "day": np.concatenate([complaint_day, other_day, focus["day"].to_numpy()]),
            "channel": np.concatenate(
                [complaints["channel"].to_numpy(), _pick(rng, other_channels, len(o)),
                 np.full(len(f), "focus group", dtype=object)]
            ),
            "contact_type": np.concatenate(
                [np.full(len(c), "complaint", dtype=object),
                 _contact_types(rng, satisfaction[o]), _contact_types(rng, satisfaction[f])]
            ),
            "resolved": np.concatenate(
                [complaints["resolved"].to_numpy(), np.ones(len(o) + len(f), dtype=bool)]
            ),
        }
    )
    mean_days = contacts["channel"].map({k: v[2] for k, v in _VOC_CHANNEL_PROFILE.items()})
    days = rng.poisson(mean_days.to_numpy(dtype=float))
    contacts["days_to_resolve"] = pd.array(days, dtype="Int64")
    contacts.loc[~contacts["resolved"], "days_to_resolve"] = pd.NA
    contacts["customer_id"] = customers["customer_id"].to_numpy()[contacts["customer"]]
    contacts = contacts.sort_values(["day", "customer_id", "channel"], kind="stable")
    return pd.DataFrame(
        {
            "contact_id": [f"V{i:05d}" for i in range(1, len(contacts) + 1)],
            "customer_id": contacts["customer_id"].to_numpy(),
            "date": _day(contacts["day"].to_numpy()),
            "channel": contacts["channel"].to_numpy(),
            "contact_type": contacts["contact_type"].to_numpy(),
            "resolved": contacts["resolved"].to_numpy(),
            "days_to_resolve": contacts["days_to_resolve"].array,
        }
    )
