"""Survey: a 30% sample answers once, with noisy readings of the latent satisfaction.

Satisfaction (1-5), likelihood to recommend (0-10), share of wallet (0-1)
and perceived value (1-5) all read the customer's latent satisfaction ``s``
with noise, so the survey predicts dropout without being its cause. Each
answer is dated on a day when the respondent was still a customer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab.datasets.synthetic._common import _day, _uniform_day


def _ordinal(latent: np.ndarray, cuts: tuple[float, ...]) -> np.ndarray:
    """Cut a continuous latent score into 1, 2, ... ``len(cuts) + 1``."""
    return (np.searchsorted(np.array(cuts), latent) + 1).astype("int64")


def _build_survey(
    rng: np.random.Generator,
    customers: pd.DataFrame,
    satisfaction: np.ndarray,
    signup_day: np.ndarray,
    last_active_day: np.ndarray,
) -> pd.DataFrame:
    """A 30% sample answers once, on a day when they were still a customer.

    Every answer is a noisy reading of the latent satisfaction ``s``, so the
    survey predicts dropout without being the cause of it.
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
            "perceived_value": _ordinal(
                0.6 * s + 0.8 * rng.normal(size=k), (-1.3, -0.5, 0.4, 1.2)
            ),
        }
    )
