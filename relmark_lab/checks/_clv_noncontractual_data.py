"""The data the checks of lesson 04b run a student's function on, beyond the lesson's own.

* CDNOW resampled: a seeded bootstrap of the sample's customers (each draw a
  new customer), so a count read off the lesson's output fits nowhere else.
* The kit's simulated transactions in CDNOW's shape (one row per record, a
  day per record): they carry returns, later and negative, which are no
  purchase.
* Days at the threshold: a calibration end on which someone made a repeat
  purchase, so ``<`` and ``<=`` give different answers.
* Random BG/NBD parameters and inputs for the formula exercises.
* The retention offer of exercise 04b.6: the candidates the student sees
  (P(alive) and value if alive, from the lesson's models) and what each
  customer really buys next, simulated from the simulator's truth, which the
  student never sees.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import clv, datasets
from relmark_lab.checks._cases import unseen_rng
from relmark_lab.datasets import practice

__all__ = [
    "OFFER",
    "cdnow_resample",
    "clv_values",
    "future_margin",
    "kit_records",
    "offer_candidates",
    "random_bgnbd_params",
    "repeat_counts",
    "threshold_day",
]

#: Exercise 04b.6 on the lesson's data: MXN per offer, MXN of budget, and the share
#: more that a customer still alive buys over the CLV horizon after the offer.
OFFER = {"offer_cost": 40.0, "budget": 20_000.0, "uplift": 0.2}


def repeat_counts(records: pd.DataFrame, calibration_end: Any) -> tuple[int, int]:
    """(repeat customers, repeat purchases) up to ``calibration_end``, by the kit's rule."""
    summary = clv.summarize(records, calibration_end, time_unit="W")
    return int((summary["frequency"] > 0).sum()), int(summary["frequency"].sum())


def threshold_day(records: pd.DataFrame, rng: np.random.Generator, first: str,
                  last: str) -> str:
    """A day in [first, last] on which a customer made a repeat purchase (a tie at the end).

    So a student's ``date < calibration_end`` and ``date <= calibration_end``
    give different counts.
    """
    day = records["date"].dt.normalize()
    purchases = records[records["amount"] >= 0].assign(day=day)
    first_day = purchases.groupby("customer_id")["day"].transform("min")
    repeat_days = purchases.loc[purchases["day"] > first_day, "day"]
    inside = np.sort(repeat_days[repeat_days.between(first, last)].unique())
    return str(pd.Timestamp(rng.choice(inside)).date())


def cdnow_resample(n_customers: int = 1_500, salt: int = 41) -> tuple[pd.DataFrame, str]:
    """A seeded bootstrap of CDNOW sample customers, and a calibration end with a tie.

    Each draw becomes a customer of its own (``R00001``, ...), so a customer
    drawn twice counts twice, as two customers would.
    """
    records, end = _cdnow_resample(n_customers, salt)
    return records.copy(), end


@functools.lru_cache(maxsize=2)
def _cdnow_resample(n_customers: int, salt: int) -> tuple[pd.DataFrame, str]:
    rng = unseen_rng(salt)
    cdnow = datasets.load_cdnow("sample")
    ids = cdnow["customer_id"].unique()
    drawn = pd.DataFrame({"customer_id": rng.choice(ids, n_customers),
                          "new_id": [f"R{k:05d}" for k in range(1, n_customers + 1)]})
    records = drawn.merge(cdnow, on="customer_id").drop(columns="customer_id")
    records = records.rename(columns={"new_id": "customer_id"})
    records = records[cdnow.columns].sort_values(["date", "customer_id"], ignore_index=True)
    records["customer_id"] = records["customer_id"].astype(cdnow["customer_id"].dtype)
    return records, threshold_day(records, rng, "1997-05-01", "1998-03-31")


def kit_records(folder: Any, salt: int = 43) -> tuple[pd.DataFrame, str]:
    """The kit's transactions in CDNOW's shape (a day per record, returns negative).

    Returns the records and a calibration end with a repeat purchase on it,
    in the second half of the window, so counting returns shows.
    """
    records, end = _kit_records(folder, salt)
    return records.copy(), end


@functools.lru_cache(maxsize=2)
def _kit_records(folder: Any, salt: int) -> tuple[pd.DataFrame, str]:
    lines = datasets.load_transactions(folder)
    records = pd.DataFrame({
        "customer_id": lines["customer_id"],
        "date": lines["date"].dt.normalize(),
        "quantity": lines["quantity"],
        "amount": lines["amount"],
    }).sort_values(["date", "customer_id"], ignore_index=True, kind="stable")
    truth = datasets.load_truth(folder)
    start = pd.Timestamp(truth["observation_start"])
    end = pd.Timestamp(truth["observation_end"])
    first = (start + (end - start) / 2).strftime("%Y-%m-%d")
    return records, threshold_day(records, unseen_rng(salt), first, end.strftime("%Y-%m-%d"))


def random_bgnbd_params(n: int, salt: int) -> list[pd.Series]:
    """BG/NBD parameters (weeks) drawn around those of real data, a kept away from 1."""
    rng = unseen_rng(salt)
    sets = []
    for _ in range(n):
        a = float(rng.choice([rng.uniform(0.4, 0.85), rng.uniform(1.3, 3.0)]))
        sets.append(pd.Series({"r": rng.uniform(0.2, 1.5), "alpha": rng.uniform(2.0, 15.0),
                               "a": a, "b": rng.uniform(1.5, 6.0)}).round(4))
    return sets


# --- exercise 04b.6: a retention offer on a budget -----------------------------


@functools.lru_cache(maxsize=4)
def _candidates(folder: Any) -> pd.DataFrame:
    summary, bgnbd, _, _ = practice.kit_fits(folder)
    p_alive = bgnbd.expected_probability_alive(summary).to_numpy()
    value = _clv(folder).to_numpy()
    return pd.DataFrame({
        "customer_id": summary["customer_id"],
        "frequency": summary["frequency"],
        "recency": summary["recency"],
        "T": summary["T"],
        "monetary_value": summary["monetary_value"],
        "p_alive": p_alive,
        # The BG/NBD's expected purchases are P(alive) times those of a customer alive.
        "value_if_alive": np.divide(value, p_alive, out=np.zeros_like(value),
                                    where=p_alive > 0),
    })


@functools.lru_cache(maxsize=4)
def _clv(folder: Any) -> pd.Series:
    return practice.kit_clv(folder)


def clv_values(folder: Any = None) -> pd.Series:
    """Each kit customer's CLV as lesson 04b computes it (:func:`practice.kit_clv`), a copy."""
    return _clv(folder).copy()


def offer_candidates(folder: Any = None) -> pd.DataFrame:
    """The customers a retention offer may go to, as exercise 04b.6 shows them (a copy).

    Columns ``customer_id``, ``frequency``, ``recency``, ``T``,
    ``monetary_value`` (the weekly summary), ``p_alive`` (BG/NBD) and
    ``value_if_alive``: the discounted margin over ``practice.HORIZON_WEEKS``
    weeks the customer brings if still alive, so that ``p_alive *
    value_if_alive`` is the lesson's CLV.
    """
    return _candidates(folder).copy()


@functools.lru_cache(maxsize=4)
def _future_margin(folder: Any, salt: int) -> pd.Series:
    from relmark_lab.datasets.synthetic._common import GAMMA_GAMMA_TRUTH
    from relmark_lab.datasets.synthetic.customers import _simulate_repeat_purchases

    truth = datasets.load_customer_truth(folder).set_index("customer_id")
    margin_rate = practice.kit_fits(folder)[3] - practice.RETENTION_COST_RATE
    weekly = clv.period_discount_rate(practice.DISCOUNT_RATE, "W")
    alive = truth[truth["alive_at_end"].astype(bool)]
    rng = unseen_rng(salt)
    # Waiting times are memoryless: an alive customer's next purchases start afresh.
    who, weeks, _ = _simulate_repeat_purchases(
        rng, alive["purchase_rate_weekly"].to_numpy(float),
        alive["dropout_probability"].to_numpy(float),
        np.full(len(alive), float(practice.HORIZON_WEEKS)))
    spend = rng.gamma(GAMMA_GAMMA_TRUTH["p"], 1 / alive["spend_rate_nu"].to_numpy(float)[who])
    value = margin_rate * spend / (1 + weekly) ** np.ceil(weeks)
    margin = np.bincount(who, weights=value, minlength=len(alive))
    return pd.Series(margin, index=alive.index).reindex(truth.index, fill_value=0.0)


def future_margin(folder: Any = None, salt: int = 61) -> pd.Series:
    """Each customer's discounted margin over the CLV horizon, simulated from the truth.

    What the student's offer is judged on: the purchases each customer
    really makes after the end of observation (none for a customer who has
    left), drawn from the simulator's own purchase rates, dropout
    probabilities and spend, which the student never sees.
    """
    return _future_margin(folder, salt).copy()
