"""Exercise 00.6, spending an acquisition budget on channels: its cases and how a plan is read.

A plan is decided on the first signup year's channels and scored on the next
year's customers; the check itself is
:func:`relmark_lab.checks.data.acquisition_plan`.

>>> channels = pd.DataFrame({"customers": [10, 10], "cost_per_customer": [100.0, 50.0],
...                          "first_year_margin": [150.0, 100.0]}, index=["web", "store"])
>>> _per_peso(channels)
['store', 'web']
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from relmark_lab.checks import _core
from relmark_lab.checks._core import Case, Mistake
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

_COLUMNS = ("customers", "cost_per_customer", "first_year_margin")
_LIST_LIKE = (pd.Index, pd.Series, np.ndarray, tuple)  # stand for the list of their names


def _channels(customers: pd.DataFrame, lines: pd.DataFrame, cohort: int) -> pd.DataFrame:
    """Per channel, the customers of one signup year: how many, their cost, their first year.

    ``cohort`` 0 is the first signup year; a first year is 365 days, returns netted.
    """
    year = customers["signup_date"].dt.year
    chosen = customers[year == year.min() + cohort]
    signup = lines["customer_id"].map(chosen.set_index("customer_id")["signup_date"])
    first_year = lines[lines["date"] < signup + pd.Timedelta(days=365)]
    margin = first_year.groupby("customer_id")["margin"].sum()
    chosen = chosen.assign(first_year_margin=chosen["customer_id"].map(margin).fillna(0.0))
    table = chosen.groupby("acquisition_channel").agg(
        customers=("customer_id", "size"), cost_per_customer=("acquisition_cost", "mean"),
        first_year_margin=("first_year_margin", "mean"))
    return table.rename_axis("channel").astype({"customers": "int64"})


def _as_plan(decision, channels: pd.Index) -> list[str]:
    """The decision as a list of channel names, or a ValueError saying what is wrong."""
    decision = list(decision) if isinstance(decision, _LIST_LIKE) else decision
    if not isinstance(decision, list):
        raise ValueError(_("a plan is a list of channel names, in the order you would spend."))
    unknown = [c for c in decision if c not in channels]
    if unknown:
        raise ValueError(_("{channel} is not a channel of the table; the channels are "
                           "{channels}.").format(channel=repr(unknown[0]),
                                                 channels=", ".join(map(repr, channels))))
    if len(set(decision)) < len(decision):
        raise ValueError(_("a channel appears twice in your plan; name each one once."))
    return decision


def _plan_profit(plan, outcomes: pd.DataFrame, budget: float) -> float:
    """First-year margin less acquisition cost of the customers the plan buys, down its list."""
    left, profit = float(budget), 0.0
    for channel in _as_plan(plan, outcomes.index):
        capacity, cost, margin = outcomes.loc[channel, list(_COLUMNS)]
        bought = min(int(capacity), math.floor(left / cost))
        profit += bought * (margin - cost)
        left -= bought * cost
    return profit


def _budget(channels: pd.DataFrame, share: float) -> float:
    """``share`` of what buying every customer each channel can bring would cost, in 1,000s."""
    return round(share * float((channels["customers"] * channels["cost_per_customer"]).sum()), -3)


def _per_peso(channels: pd.DataFrame) -> list[str]:
    """The best plan on a table: margin per peso of cost, best first, losing channels left out."""
    ratio = channels["first_year_margin"] / channels["cost_per_customer"]
    return list(ratio[ratio > 1].sort_values(ascending=False, kind="stable").index)


def _plan_case(label: str, table: pd.DataFrame, outcomes: pd.DataFrame, budget: float,
               seen: bool) -> Case:
    def score(plan):
        return _plan_profit(plan, outcomes, budget)

    best = score(_per_peso(outcomes))
    naive = [
        (table["customers"],
         N_("you spent first where the most customers come from; volume is not value: what "
            "counts is the margin each peso of acquisition brings back.")),
        (table["first_year_margin"],
         N_("you ranked the channels by what their customers are worth and ignored what they "
            "cost: a customer worth a little more who costs three times as much earns less per "
            "peso.")),
        (table["first_year_margin"] - table["cost_per_customer"],
         N_("you ranked by profit per customer; with a fixed budget what counts is the profit "
            "per peso spent, and a cheap channel buys many more customers with the same pesos.")),
    ]
    plans = [(list(v.sort_values(ascending=False, kind="stable").index), why) for v, why in naive]
    plans.append((list(table.index), N_("that is the table's own order, not a ranking.")))
    mistakes = tuple(
        Mistake(plan, because, N_("rank the channels by first-year margin per peso of cost."))
        for plan, because in plans if score(plan) < _core.DECISION_SHARE * best)
    return Case(label, (table, budget), mistakes=mistakes, seen=seen, score=score, best=best,
                unit="MXN")


def _repriced_case(table: pd.DataFrame, outcomes: pd.DataFrame, lesson_plan: list[str],
                   rng: np.random.Generator) -> Case:
    """The lesson's channels at prices the student has not seen, where its best plan falls short.

    Prices are drawn until the naive rankings (but perhaps one) fall short too.
    """
    for _attempt in range(100):
        factor = pd.Series(rng.uniform(0.4, 2.2, len(table)), index=table.index)
        new_table, new_outcomes = (t.assign(cost_per_customer=t["cost_per_customer"] * factor)
                                   for t in (table, outcomes))
        budget = _budget(new_table, rng.uniform(0.25, 0.45))
        case = _plan_case(N_("the channels at new prices, which you have not seen"), new_table,
                          new_outcomes, budget, seen=False)
        if (len(case.mistakes) >= 3 and case.score(lesson_plan) < 0.9 * case.best
                and case.score(_per_peso(new_table)) >= 0.98 * case.best):
            break
    return case
