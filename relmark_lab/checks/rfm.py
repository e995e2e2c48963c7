"""Self-checks for the exercises of lesson 03, RFM analysis.

Each check runs the student's function on the lesson's data and on data the
student has not seen (:mod:`relmark_lab.checks._rfm_cases` builds both),
compares the answer with what :mod:`relmark_lab.rfm` computes, names the
known mistake the answer matches, and returns a
:class:`~relmark_lab.checks.CheckResult`. Exercise 03.7 is a decision: whom
to mail on a budget, scored by the profit of the choice on simulated
mailings the student never sees.

Examples
--------
>>> from relmark_lab.checks import rfm as check
>>> def orders_per_customer(transactions):
...     raise NotImplementedError()
>>> check.orders_per_customer(orders_per_customer).status
'unanswered'
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from relmark_lab import rfm
from relmark_lab.checks import _rfm_cases as cases
from relmark_lab.checks._cases import kit_cases
from relmark_lab.checks._core import CheckResult, Hints, Mistake, check_function
from relmark_lab.checks._rfm_cases import budget_campaign
from relmark_lab.i18n import N_

__all__ = [
    "budget_campaign",
    "choose_customers",
    "orders_per_customer",
    "r_score",
    "recency_in_days",
    "rollout_profit",
    "silhouette_by_k",
    "three_segments",
]

#: The numbers of clusters of exercise 03.6.
KS = range(2, 6)


# --- 03.1 frequency ----------------------------------------------------------------


def orders_mistakes(lines: pd.DataFrame) -> list[Mistake]:
    """What the known mistakes of 03.1 give on these lines."""
    purchases = lines[lines["amount"] > 0]
    return [
        Mistake(lines.groupby("customer_id").size(),
                N_("you counted order lines: an order with three lines is one purchase."),
                N_("count the distinct order_id values of each customer with .nunique().")),
        Mistake(purchases.groupby("customer_id").size(),
                N_("you counted purchase lines, not orders: an order with three lines is one "
                   "purchase."),
                N_("count the distinct order_id values of the purchase lines with .nunique().")),
        Mistake(lines.groupby("customer_id")["order_id"].nunique(),
                N_("returns were counted as purchases: a return has its own order_id, but it "
                   "undoes a purchase rather than adding one."),
                N_("keep the lines with amount > 0 before counting orders.")),
        Mistake(purchases.assign(day=purchases["date"].dt.normalize())
                .groupby("customer_id")["day"].nunique(),
                N_("you counted purchase days, not orders: some customers placed two orders on "
                   "one day."),
                N_("count distinct order_id values instead of dates.")),
    ]


def orders_per_customer(func: Callable, data_dir=None) -> CheckResult:
    """Check 03.1: purchase orders per customer (the F of RFM), a Series by customer_id."""
    return check_function(
        "03.1 orders_per_customer", func, cases.orders_cases(data_dir, orders_mistakes),
        hints=Hints(
            N_("F counts how often a customer decided to buy: one order is one decision, however "
               "many lines it has, and a return undoes a purchase rather than adding one."),
            N_("keep the purchase lines (amount > 0), then count the distinct order numbers of "
               "each customer."),
        ),
    )


# --- 03.2 recency --------------------------------------------------------------------


def recency_mistakes(lines: pd.DataFrame, end: pd.Timestamp) -> list[Mistake]:
    """What the known mistakes of 03.2 give on these lines at this end."""
    observed = lines[lines["date"] < end + pd.Timedelta(days=1)]
    purchases = observed[observed["amount"] > 0]
    last = purchases.groupby("customer_id")["date"].max()
    every_line = lines[lines["amount"] > 0].groupby("customer_id")["date"].max()
    return [
        Mistake((end - every_line.dt.normalize()).dt.days,
                N_("lines dated after observation_end were used: on that day they had not "
                   "happened yet, so some recencies are negative."),
                N_("keep the lines dated before the day after observation_end first.")),
        Mistake((end - observed.groupby("customer_id")["date"].max().dt.normalize()).dt.days,
                N_("a return made some customers look more recent: a return is not a purchase."),
                N_("keep the lines with amount > 0 before taking the last date.")),
        Mistake((end - last).dt.days,
                N_("the time of day of the last purchase cut some recencies by a day: a purchase "
                   "at 15:00 on 30 December is 1 day before 31 December, not 0."),
                N_("take .dt.normalize() of the last purchase date before subtracting.")),
        Mistake(end - last.dt.normalize(),
                N_("your recencies are durations (Timedelta), not numbers of days."),
                N_("take .dt.days of the difference.")),
        Mistake((end - last.dt.normalize()).dt.days / 7,
                N_("your recencies are in weeks; the exercise asks for days."),
                N_("do not divide the days by 7.")),
        Mistake((last.dt.normalize() - end).dt.days,
                N_("the subtraction is the wrong way round: recency is a positive number of days."),
                N_("compute observation_end minus the last purchase day.")),
        Mistake((end - purchases.groupby("customer_id")["date"].min().dt.normalize()).dt.days,
                N_("that is the time since the first purchase (the customer's age), not the last."),
                N_("take the latest purchase date (max), not the earliest (min).")),
    ]


def recency_in_days(func: Callable, data_dir=None) -> CheckResult:
    """Check 03.2: whole days from the last purchase day to the observation end."""
    return check_function(
        "03.2 recency_in_days", func, cases.recency_cases(data_dir, recency_mistakes),
        hints=Hints(
            N_("recency is how long ago a customer last bought, counted in calendar days from the "
               "last day observed: the same day is 0, the day before is 1, whatever the clock "
               "said; returns are no purchases, and nothing after observation_end has happened "
               "yet."),
            N_("keep the purchase lines up to observation_end, take each customer's last date at "
               "midnight (.dt.normalize()), and subtract it from observation_end in days."),
        ),
    )


# --- 03.3 the R score ----------------------------------------------------------------


def r_score_mistakes(recency: pd.Series) -> list[Mistake]:
    """What the known mistakes of 03.3 give on these recencies."""
    n = len(recency)

    def ntile(rank: pd.Series) -> pd.Series:
        return (1 + np.floor(5 * (rank - 1) / n)).astype("int64")

    widths = pd.cut(recency, 5, labels=[5, 4, 3, 2, 1]).astype("int64")
    return [
        Mistake(rfm.score_ntile(recency, 5, higher_is_better=True),
                N_("recency points the wrong way: the customers who bought most recently (the "
                   "fewest days) must get 5."),
                N_("rank minus recency_days (or rank with ascending=False).")),
        Mistake(rfm.score_ntile(recency, 5, higher_is_better=False, ties="keep"),
                N_("customers with equal recency share a rank, so the groups are not the same "
                   "size: Hughes' quintiles are equal-sized, ties split by customer id."),
                N_("rank with method='first', so that every customer has a rank of their own.")),
        Mistake(ntile((-recency).rank(method="average")),
                N_("customers with equal recency share an average rank, so the groups are not the "
                   "same size: ties must be split by customer id."),
                N_("rank with method='first', so that every customer has a rank of their own.")),
        Mistake(widths.set_axis(recency.index),
                N_("you cut the range of days into five equal widths; Hughes' quintiles are five "
                   "groups with the same number of customers."),
                N_("rank the customers and cut the ranks, not the days, into fifths.")),
        Mistake(pd.Series(np.ceil(5 * (-recency).rank(method="first") / n).astype("int64"),
                          index=recency.index),
                N_("your groups have the right sizes, but the cut falls one customer off the "
                   "kit's rule at some boundaries (R's ntile, lesson section 2)."),
                N_("with rank i of n, the score is 1 + floor(5 (i - 1) / n).")),
    ]


def r_score(func: Callable, data_dir=None) -> CheckResult:
    """Check 03.3: R score 1–5, equal-sized groups, ties by customer id, recent = 5."""
    return check_function(
        "03.3 r_score", func, cases.score_cases(data_dir, r_score_mistakes),
        hints=Hints(
            N_("R rewards recent buyers: line the customers up from the longest ago to the most "
               "recent, cut the line into five equal-sized groups and give the most recent fifth "
               "a 5; equal recencies are split by customer id."),
            N_("give every customer a rank of their own (negate the recency so the most recent "
               "ranks last, and break ties in row order, which is customer_id order), then find "
               "which fifth of the n ranks each rank falls in, counting fifths from 1."),
        ),
    )


# --- 03.4 segments -------------------------------------------------------------------


def _three(scores: pd.DataFrame, high: int = 4, low: int = 2, strict_high: bool = False,
           strict_low: bool = False, either: bool = False) -> pd.Series:
    r, f = scores["r_score"], scores["f_score"]
    recent = r > high if strict_high else r >= high
    frequent = f > high if strict_high else f >= high
    champions = (recent | frequent) if either else (recent & frequent)
    lapsed = r < low if strict_low else r <= low
    names = np.select([champions, recent, lapsed], ["Champions", "Recent", "Lapsed"], "Others")
    return pd.Series(names, index=scores.index, dtype="object")


def three_segments_build(folder) -> tuple:
    """Arguments, expected segments and mistakes of 03.4 on one folder's scores."""
    scores = cases.scores(folder)
    rules = pd.DataFrame({"segment": ["Champions", "Recent", "Lapsed"], "r_min": [4, 4, None],
                          "r_max": [None, None, 2], "f_min": [4, None, None]})
    expected = rfm.assign_segments(scores, rules)["segment"].astype("object")
    champion = (scores["r_score"] >= 4) & (scores["f_score"] >= 4)
    mistakes = [
        Mistake(expected.where(~champion, "Recent"),
                N_("the Champions were named Recent: when rules overlap, the first one that "
                   "matches wins, and Champions is tried before Recent."),
                N_("give the later rules only to customers no earlier rule named (np.select does "
                   "that).")),
        Mistake(expected[expected != "Others"],
                N_("customers no rule matches were dropped; they must stay, named 'Others'."),
                N_("start with 'Others' for every customer, then overwrite it.")),
        Mistake(_three(scores, strict_high=True, strict_low=True),
                # Whole sentences, each with the same closing clause on the bounds, so that
                # each translates as one.
                N_("you used > and < at the score boundaries: the bounds are included: R ≥ 4 "
                   "takes the customers with a 4 as well as a 5, and R ≤ 2 those with a 2 as "
                   "well as a 1."),
                N_("use >= 4 and <= 2.")),
        Mistake(_three(scores, strict_high=True),
                N_("you used > 4 where the rule says R ≥ 4 (and F ≥ 4): the bounds are "
                   "included: R ≥ 4 takes the customers with a 4 as well as a 5, and R ≤ 2 "
                   "those with a 2 as well as a 1."),
                N_("use >= 4.")),
        Mistake(_three(scores, strict_low=True),
                N_("you used < 2 where the rule says R ≤ 2: the bounds are included: R ≥ 4 "
                   "takes the customers with a 4 as well as a 5, and R ≤ 2 those with a 2 as "
                   "well as a 1."),
                N_("use <= 2.")),
        Mistake(_three(scores, either=True),
                N_("a Champion must be recent AND frequent; customers with only one of the two "
                   "were named Champions."),
                N_("combine the two conditions with &, not |.")),
    ]
    return (scores,), expected, mistakes


def three_segments(func: Callable, data_dir=None) -> CheckResult:
    """Check 03.4: Champions / Recent / Lapsed / Others, first matching rule wins."""
    return check_function(
        "03.4 three_segments", func, kit_cases(three_segments_build, data_dir),
        hints=Hints(
            N_("a segment rule is a range of scores with its bounds included. When a customer "
               "fits two rules the first one in the table names them (a Champion is also recent, "
               "but stays a Champion), and a customer no rule fits is 'Others'."),
            N_("write one True/False condition per rule with >= and <=, then give each customer "
               "the name of the first condition that holds, 'Others' by default."),
        ),
    )


# --- 03.5 test, then roll out --------------------------------------------------------


def rollout_mistakes(cells: pd.DataFrame, cost: float, profit: float) -> list[Mistake]:
    """What the known mistakes of 03.5 give on these cells at these economics."""
    test_rate = cells["test_responses"] / cells["test_contacts"]
    gain = cells["rollout_responses"] * profit - cells["rollout_contacts"] * cost

    def total(chosen: pd.Series) -> float:
        return float(gain[chosen.fillna(False).astype(bool)].sum())

    test_profit = float((cells["test_responses"] * profit - cells["test_contacts"] * cost).sum())
    return [
        Mistake(total(cells["test_responses"] >= cost / profit * cells["test_contacts"]),
                N_("a cell nobody was tested in was rolled out: with no test contacts there is no "
                   "response rate, so nothing says the cell pays. Leave it out (or test it "
                   "first)."),
                N_("keep only the cells with test_contacts > 0.")),
        Mistake(total(test_rate > cost / profit),
                N_("a cell whose test rate equals break-even exactly was left out: at break-even "
                   "a cell pays its contacts, and the rule rolls out at or above it."),
                N_("use >= break-even, not >.")),
        Mistake(float(gain.sum()),
                N_("that is the profit of contacting every cell, selected or not."),
                N_("keep the cells whose test response rate is at least the break-even rate.")),
        Mistake(float(cells["rollout_responses"][test_rate >= cost / profit].sum() * profit),
                N_("the cost of the contacts is missing."),
                N_("profit = responses × profit per response − contacts × cost per contact.")),
        Mistake(total(cells["rollout_responses"] / cells["rollout_contacts"] >= cost / profit),
                N_("the cells were chosen with the rollout's own response rates, which nobody "
                   "knows before the rollout is sent."),
                N_("choose the cells with test_responses / test_contacts.")),
        Mistake(total(test_rate >= profit / cost),
                N_("the break-even rate is upside down: it is cost per contact / profit per "
                   "response."),
                N_("break_even = cost_per_contact / profit_per_response.")),
        Mistake(cases.rollout_reference(cells, cost, profit) + test_profit,
                N_("the test's profit was added; the exercise asks for the rollout's alone."),
                N_("sum over the rollout columns only.")),
    ]


def rollout_profit(func: Callable, data_dir=None) -> CheckResult:
    """Check 03.5: profit of rolling out to the tested cells at or above break-even."""
    return check_function(
        "03.5 rollout_profit", func, cases.rollout_cases(data_dir, rollout_mistakes),
        hints=Hints(
            N_("a cell is worth the rollout when its test shows at least the break-even response "
               "rate, where the answers just pay for the contacts. Count the rollout only, and "
               "leave out a cell nobody was tested in: with no test contacts there is no rate to "
               "say it pays."),
            N_("break-even = cost per contact / profit per response; keep the cells with "
               "test_contacts > 0 and a test rate at or above it; sum rollout_responses × profit "
               "− rollout_contacts × cost over them."),
        ),
    )


# --- 03.6 silhouette -----------------------------------------------------------------


def _silhouettes(features: np.ndarray) -> pd.Series:
    values = {}
    for k in KS:
        labels = KMeans(n_clusters=k, random_state=0, n_init=10).fit_predict(features)
        values[k] = float(silhouette_score(features, labels))
    return pd.Series(values)


def silhouette_build(folder) -> tuple:
    """Arguments, expected silhouettes and mistakes of 03.6 on one folder's measures."""
    measures = cases.measures(folder)
    logs = rfm.log_rfm_features(measures).to_numpy()
    # One thread: k-means on a few thousand rows is slower with OpenMP on a busy machine.
    with threadpool_limits(limits=1):
        expected = _silhouettes(StandardScaler().fit_transform(logs))
        mistakes = [
            Mistake(_silhouettes(logs),
                    N_("the log features were not standardized, so the widest one (monetary) "
                       "decides the distances."),
                    N_("apply StandardScaler().fit_transform to the log features.")),
            Mistake(_silhouettes(StandardScaler().fit_transform(measures.to_numpy())),
                    N_("the measures were standardized without taking logs first; a few huge "
                       "spenders then dominate."),
                    N_("use np.log1p on recency_days, frequency and monetary, then standardize.")),
        ]
    return (measures,), expected, mistakes


@functools.lru_cache(maxsize=4)
def silhouette_cases(data_dir=None) -> list:
    """The cases of 03.6, fitted once per kernel (k-means is the slow part)."""
    return kit_cases(silhouette_build, data_dir)


def silhouette_by_k(func: Callable, data_dir=None) -> CheckResult:
    """Check 03.6: silhouette of k-means on standardized log-RFM for k = 2..5."""
    with threadpool_limits(limits=1):
        return check_function(
            "03.6 silhouette_by_k", func, silhouette_cases(data_dir),
            hints=Hints(
                N_("k-means groups customers by distance, so the three measures must be on "
                   "comparable scales: logarithms tame the few huge spenders and standardizing "
                   "stops pesos from outweighing days. The silhouette then says how well each "
                   "number of clusters separates the customers."),
                N_("np.log1p of the three columns, StandardScaler().fit_transform, then for each "
                   "k from 2 to 5 KMeans(n_clusters=k, random_state=0, n_init=10).fit_predict and "
                   "silhouette_score, in a Series indexed by k."),
            ),
            rel_tol=1e-4,
        )


# --- 03.7 whom to mail on a budget ---------------------------------------------------


def choose_customers(func: Callable, data_dir=None) -> CheckResult:
    """Check 03.7: whom to mail on a budget, scored on mailings the student never sees."""

    def decision(candidates, *rest):
        return cases.as_decision(func(candidates, *rest), candidates)

    return check_function(
        "03.7 choose_customers", decision if callable(func) else func,
        cases.budget_cases(data_dir),
        hints=Hints(
            N_("every peso should go where it earns most: mail first the customers of the cells "
               "that answered best last time, only while a contact is expected to pay for itself "
               "(a rate at or above break-even), and stop when the money runs out, even in the "
               "middle of a cell. A budget is a ceiling, not a target."),
            N_("rate = responses / contacts per cell; keep the cells at or above cost / profit; "
               "sort the candidates by their cell's rate, highest first, and keep the first "
               "budget // cost_per_contact customer ids."),
        ),
    )
