"""Self-checks for the exercises of lesson 03, RFM analysis.

Each function takes the student's function, runs it on the kit's data,
compares the answer with what :mod:`relmark_lab.rfm` computes and returns a
:class:`~relmark_lab.checks.CheckResult`.

Examples
--------
>>> from relmark_lab.checks import rfm as check
>>> def orders_per_customer(transactions):
...     raise NotImplementedError()
>>> check.orders_per_customer(orders_per_customer).status
'unanswered'
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from relmark_lab import datasets, rfm
from relmark_lab.checks._core import CheckResult, Mistake, check_function
from relmark_lab.datasets.practice import (
    COST_PER_CONTACT,
    PROFIT_PER_RESPONSE,
    campaign_cells,
    rfm_campaign,
)

__all__ = [
    "orders_per_customer",
    "r_score",
    "recency_in_days",
    "rollout_profit",
    "silhouette_by_k",
    "three_segments",
]

#: The rules of exercise 03.4, in the order they are tried.
THREE_SEGMENT_RULES = pd.DataFrame(
    {"segment": ["Champions", "Recent", "Lapsed"], "r_min": [4, 4, None],
     "r_max": [None, None, 2], "f_min": [4, None, None]}
)
#: The numbers of clusters of exercise 03.6.
KS = range(2, 6)


def _kit(data_dir) -> tuple[pd.DataFrame, pd.Timestamp]:
    transactions = datasets.load_transactions(data_dir)
    return transactions, pd.Timestamp(datasets.load_truth(data_dir)["observation_end"])


def _table(data_dir) -> pd.DataFrame:
    """The kit's RFM table indexed by customer_id, as the students' Series are."""
    transactions, end = _kit(data_dir)
    return rfm.rfm_table(transactions, end).set_index("customer_id")


def orders_per_customer(func: Callable, data_dir=None) -> CheckResult:
    """Check 03.1: purchase orders per customer (the F of RFM), a Series by customer_id."""
    transactions, end = _kit(data_dir)
    expected = _table(data_dir)["frequency"]
    purchases = transactions[transactions["amount"] > 0]
    mistakes = [
        Mistake(
            transactions.groupby("customer_id").size(),
            "you counted order lines: an order with three lines is one order.",
            "count distinct order_id values with .nunique().",
        ),
        Mistake(
            purchases.groupby("customer_id").size(),
            "you counted purchase lines, not orders.",
            "count distinct order_id values of the purchase lines with .nunique().",
        ),
        Mistake(
            transactions.groupby("customer_id")["order_id"].nunique(),
            "returns have their own order_id, so they were counted as orders.",
            "keep the lines with amount > 0 before counting orders.",
        ),
        Mistake(
            purchases.groupby("customer_id")["date"].apply(lambda d: d.dt.normalize().nunique()),
            "you counted purchase days; the data have order numbers, and two orders can fall "
            "on one day.",
            "count distinct order_id values instead of dates.",
        ),
    ]
    return check_function(
        "03.1 orders_per_customer", func, [transactions], expected,
        hint="purchases = transactions[transactions['amount'] > 0], then "
        "groupby('customer_id')['order_id'].nunique().", mistakes=mistakes,
    )


def recency_in_days(func: Callable, data_dir=None) -> CheckResult:
    """Check 03.2: whole days from the last purchase to the observation end."""
    transactions, end = _kit(data_dir)
    expected = _table(data_dir)["recency_days"]
    purchases = transactions[transactions["amount"] > 0]
    last = purchases.groupby("customer_id")["date"].max()
    first = purchases.groupby("customer_id")["date"].min()
    mistakes = [
        Mistake(
            (end - transactions.groupby("customer_id")["date"].max().dt.normalize()).dt.days,
            "a return made some customers look more recent: a return is not a purchase.",
            "keep the lines with amount > 0 before taking the last date.",
        ),
        Mistake(
            (end - last).dt.days,
            "the time of day of the last purchase cut some recencies by a day: a purchase at "
            "15:00 on 30 December is 1 day before 31 December, not 0.",
            "take .dt.normalize() of the last purchase date before subtracting.",
        ),
        Mistake(
            (last.dt.normalize() - end).dt.days,
            "the subtraction is the wrong way round: recency is a positive number of days.",
            "compute observation_end - last purchase.",
        ),
        Mistake(
            (end - first.dt.normalize()).dt.days,
            "that is the time since the first purchase (the customer's age), not the last.",
            "take the max of the purchase dates, not the min.",
        ),
    ]
    return check_function(
        "03.2 recency_in_days", func, [transactions, end], expected,
        hint="(observation_end - last purchase date normalized to midnight).dt.days, per "
        "customer.", mistakes=mistakes,
    )


def r_score(func: Callable, data_dir=None) -> CheckResult:
    """Check 03.3: R score 1–5, equal-sized bins, ties by customer id, recent = 5."""
    table = _table(data_dir)
    measures = table[["recency_days", "frequency", "monetary"]]
    recency = table["recency_days"]
    n = len(table)
    mistakes = [
        Mistake(
            rfm.score_ntile(recency, 5, higher_is_better=True),
            "recency points the wrong way: the customers who bought most recently (fewest "
            "days) must get 5.",
            "rank -recency_days (or rank with ascending=False).",
        ),
        Mistake(
            rfm.score_ntile(recency, 5, higher_is_better=False, ties="keep"),
            "ties were ranked with the default method='average' or 'min', so equal recencies "
            "share a score and the bins are not equal-sized.",
            "use .rank(method='first') so every customer has a distinct rank.",
        ),
        Mistake(
            pd.Series(
                np.ceil(5 * (-recency).rank(method="first") / n).astype(int), index=table.index
            ),
            "the cut points are off by one rank: with rank i of n the score is "
            "1 + floor(5 * (i - 1) / n).",
            "subtract 1 from the rank before multiplying by 5 and dividing by n.",
        ),
    ]
    return check_function(
        "03.3 r_score", func, [measures], table["r_score"],
        hint="rank = (-rfm['recency_days']).rank(method='first'); "
        "score = 1 + (5 * (rank - 1) // len(rfm)).astype(int).", mistakes=mistakes,
    )


def three_segments(func: Callable, data_dir=None) -> CheckResult:
    """Check 03.4: Champions / Recent / Lapsed / Others, first matching rule wins."""
    table = _table(data_dir)
    scores = table[["r_score", "f_score", "m_score"]]
    expected = rfm.assign_segments(scores, THREE_SEGMENT_RULES)["segment"].astype(str)
    last_wins = expected.where(
        ~((table["r_score"] >= 4) & (table["f_score"] >= 4)), "Recent"
    )
    mistakes = [
        Mistake(
            last_wins,
            "the Champions were named Recent: when rules overlap, the first one that matches "
            "wins, and Champions is tried before Recent.",
            "use np.select or assign the later rules only to customers still unnamed.",
        ),
        Mistake(
            expected[expected != "Others"],
            "customers no rule matches were dropped; they must stay, named 'Others'.",
            "start with a Series of 'Others' for every customer, then overwrite it.",
        ),
    ]
    return check_function(
        "03.4 three_segments", func, [scores], expected,
        hint="np.select([champions, recent, lapsed], ['Champions', 'Recent', 'Lapsed'], "
        "default='Others'), with each condition a comparison of the scores.",
        mistakes=mistakes,
    )


def rollout_profit(func: Callable, data_dir=None) -> CheckResult:
    """Check 03.5: profit of rolling out to the cells whose test rate is at or above break-even."""
    campaign = rfm_campaign(data_dir)
    cells = campaign.cells
    expected = float(cells.loc[cells["selected"], "rollout_profit"].sum())
    rollout_rate = cells["rollout_responses"] / cells["rollout_contacts"]
    hindsight = cells.loc[rollout_rate >= campaign.break_even_rate, "rollout_profit"].sum()
    selected = cells[cells["selected"]]
    mistakes = [
        Mistake(
            float(cells["rollout_profit"].sum()),
            "that is the profit of contacting every cell, selected or not.",
            "keep the cells whose test response rate is at least the break-even rate.",
        ),
        Mistake(
            float(selected["rollout_responses"].sum() * PROFIT_PER_RESPONSE),
            "the cost of the contacts is missing.",
            "profit = responses x profit per response - contacts x cost per contact.",
        ),
        Mistake(
            float(hindsight),
            "the cells were chosen with the rollout's own response rates, which nobody knows "
            "before the rollout is sent.",
            "choose the cells with test_responses / test_contacts.",
        ),
        Mistake(
            float(cells.loc[
                cells["test_responses"] / cells["test_contacts"]
                >= PROFIT_PER_RESPONSE / COST_PER_CONTACT, "rollout_profit"
            ].sum()),
            "the break-even rate is upside down: it is cost per contact / profit per response.",
            "break_even = cost_per_contact / profit_per_response.",
        ),
    ]
    return check_function(
        "03.5 rollout_profit", func,
        [campaign_cells(data_dir), COST_PER_CONTACT, PROFIT_PER_RESPONSE], expected,
        hint="select cells with test_responses / test_contacts >= cost / profit, then sum "
        "rollout_responses * profit - rollout_contacts * cost over them.", mistakes=mistakes,
    )


def _silhouettes(features: np.ndarray) -> pd.Series:
    values = {}
    for k in KS:
        labels = KMeans(n_clusters=k, random_state=0, n_init=10).fit_predict(features)
        values[k] = float(silhouette_score(features, labels))
    return pd.Series(values)


def silhouette_by_k(func: Callable, data_dir=None) -> CheckResult:
    """Check 03.6: silhouette of k-means on standardized log-RFM for k = 2..5."""
    table = _table(data_dir)
    measures = table[["recency_days", "frequency", "monetary"]]
    logs = rfm.log_rfm_features(measures).to_numpy()
    # One thread: k-means on a few thousand rows is slower with OpenMP on a busy machine.
    with threadpool_limits(limits=1):
        expected = _silhouettes(StandardScaler().fit_transform(logs))
        mistakes = [
            Mistake(
                _silhouettes(logs),
                "the log features were not standardized, so the widest one (monetary) "
                "decides the distances.",
                "apply StandardScaler().fit_transform to the log features.",
            ),
            Mistake(
                _silhouettes(StandardScaler().fit_transform(measures.to_numpy())),
                "the measures were standardized without taking logs first; a few huge "
                "spenders then dominate.",
                "use np.log1p on recency_days, frequency and monetary, then standardize.",
            ),
        ]
        return check_function(
            "03.6 silhouette_by_k", func, [measures], expected,
            hint="features = StandardScaler().fit_transform(np.log1p(rfm)); for each k fit "
            "KMeans(n_clusters=k, random_state=0, n_init=10) and take silhouette_score.",
            mistakes=mistakes, rel_tol=1e-4,
        )
