"""Self-checks of lesson 04a, contractual CLV (re-exported by :mod:`relmark_lab.checks.clv`)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from relmark_lab import clv, datasets
from relmark_lab.checks._cases import as_series_answer, by_case, per_case
from relmark_lab.checks._core import CheckResult, Mistake, check_function
from relmark_lab.datasets import practice

__all__ = [
    "clv_margin_multiple",
    "next_quarter_retention",
    "project_survivors",
    "sbg_retention_rate",
]


def clv_margin_multiple(func: Callable) -> CheckResult:
    """Check 04a.1: m r / (1 + d - r), the first margin one period from now."""
    def each(formula):
        return by_case(practice.MARGIN_CASES, formula)

    expected = each(lambda m, r, d: m * clv.margin_multiple(r, d))
    mistakes = [
        Mistake(
            each(lambda m, r, d: m * clv.margin_multiple(r, d, timing="start")),
            "you used the other timing convention: (1 + d)/(1 + d - r) counts a margin now, "
            "one margin more than asked.",
            "the first margin comes one period from now and only if the customer stays: "
            "the numerator is r.",
        ),
        Mistake(
            each(lambda m, r, d: m * r / (1 - r)),
            "the margins are not discounted: r/(1 - r) is the expected number of future "
            "periods, not their present value.",
            "divide by 1 + d - r, not by 1 - r.",
        ),
        Mistake(
            each(lambda m, r, d: m / (1 + d - r)),
            "the numerator is 1 instead of r, so the first margin counts as certain but "
            "is also discounted.",
            "with the first margin one period from now and only if retained, multiply m by "
            "r/(1 + d - r).",
        ),
    ]
    return check_function(
        "04a.1 clv_margin_multiple", per_case(func, practice.MARGIN_CASES), [], expected,
        hint="CLV = m * r / (1 + d - r); check it against clv.margin_multiple(r, d).",
        mistakes=mistakes,
    )


def sbg_retention_rate(func: Callable) -> CheckResult:
    """Check 04a.2: sBG retention rate in period t from alpha and beta (regular cohort)."""
    model = clv.ShiftedBetaGeometric().fit(practice.sbg_cohort("regular"))
    alpha, beta = (float(v) for v in model.params_)
    cases = {f"t={t}": (alpha, beta, t) for t in range(1, 13)}
    expected = by_case(cases, lambda a, b, t: model.retention_rate(t))
    mistakes = [
        Mistake(
            by_case(cases, lambda a, b, t: (b + t) / (a + b + t)),
            "the rate is one period ahead: in period 1 the retention rate is "
            "beta/(alpha + beta), the mean of 1 - theta.",
            "use beta + t - 1 and alpha + beta + t - 1.",
        ),
        Mistake(
            by_case(cases, lambda a, b, t: b / (a + b)),
            "that is the same rate for every period: the point of the sBG is that "
            "retention rises with tenure.",
            "the retention rate of period t is (beta + t - 1)/(alpha + beta + t - 1).",
        ),
        Mistake(
            by_case(cases, lambda a, b, t: model.survival(t)),
            "that is S(t), the share still a customer after t periods, not the share of "
            "last period's customers who stay.",
            "retention is S(t)/S(t - 1) = (beta + t - 1)/(alpha + beta + t - 1).",
        ),
    ]
    return check_function(
        "04a.2 sbg_retention_rate", per_case(func, cases), [], expected,
        hint="r_t = (beta + t - 1)/(alpha + beta + t - 1).", mistakes=mistakes,
    )


def project_survivors(func: Callable, segment: str = "high_end") -> CheckResult:
    """Check 04a.3: sBG projection of years 8-12 from the survivors of years 0-7."""
    observed = practice.sbg_cohort(segment)
    model = clv.ShiftedBetaGeometric().fit(observed)
    last = int(observed.index.max())
    future = np.arange(last + 1, 13)
    expected = pd.Series(model.survival(future) * observed.iloc[0], index=future)
    n_last = observed.iloc[-1]

    def constant(rate: float) -> pd.Series:
        return pd.Series(n_last * rate ** (future - last), index=future)

    mistakes = [
        Mistake(
            constant(observed.iloc[-1] / observed.iloc[-2]),
            "you projected with the last year's retention rate held constant; retention "
            "keeps rising with tenure.",
            "fit clv.ShiftedBetaGeometric on the survivors and use its survival(t).",
        ),
        Mistake(
            constant((n_last / observed.iloc[0]) ** (1 / last)),
            "you projected with the cohort's mean retention rate held constant: it loses "
            "customers too fast.",
            "fit clv.ShiftedBetaGeometric on the survivors and use its survival(t).",
        ),
        Mistake(
            expected.round(),
            "the values are rounded to whole customers.",
            "return the model's expected survivors without rounding.",
        ),
        Mistake(
            pd.Series(model.survival(future), index=future),
            "these are shares of the cohort, not customers.",
            "multiply the survival S(t) by the cohort size, the survivors of year 0.",
        ),
    ]
    return check_function(
        "04a.3 project_survivors", func, [observed], expected,
        hint="clv.ShiftedBetaGeometric().fit(n_alive).expected_alive(12, n_alive.iloc[0]) "
        "gives every year; keep years 8 to 12, indexed by year.",
        mistakes=mistakes, rel_tol=1e-4,
    )


def next_quarter_retention(func: Callable, data_dir=None) -> CheckResult:
    """Check 04a.4: share of each quarterly cohort buying again in the next quarter."""
    transactions = datasets.load_transactions(data_dir)
    end = datasets.load_truth(data_dir)["observation_end"]
    table = clv.cohort_retention_table(transactions, end, period="Q")
    expected = table[table["periods_since_acquisition"] == 1].set_index("cohort")["share"]

    # Answers the mistakes give: any line (returns too) as activity; lines, not customers.
    quarter = transactions["date"].dt.to_period("Q")
    is_purchase = transactions["amount"] > 0
    first = quarter[is_purchase].groupby(transactions.loc[is_purchase, "customer_id"]).min()
    cohort = transactions["customer_id"].map(first)
    next_q = pd.Series(pd.PeriodIndex(quarter).asi8 - pd.PeriodIndex(cohort).asi8 == 1,
                       index=transactions.index)
    sizes = first.astype(str).value_counts()
    any_line = transactions[next_q].groupby(cohort[next_q].astype(str))["customer_id"].nunique()
    lines = transactions[next_q & is_purchase].groupby(
        cohort[next_q & is_purchase].astype(str)).size()
    mistakes = [
        Mistake(
            (any_line / sizes).dropna(),
            "returns were counted as activity: a customer who only returned something in the "
            "next quarter did not buy.",
            "keep the purchases (lines with amount > 0) when you look for activity.",
        ),
        Mistake(
            (lines / sizes).dropna(),
            "you counted order lines, not customers.",
            "count distinct customer_id values with .nunique().",
        ),
    ]
    return check_function(
        "04a.4 next_quarter_retention",
        as_series_answer(func, expected.index, text_index=True), [transactions], expected,
        hint="a customer's cohort is the quarter of their first purchase (amount > 0); they "
        "are retained if they bought in the following quarter. Index by the cohort as text, "
        "e.g. '2023Q1'. "
        "clv.cohort_retention_table(transactions, observation_end, period='Q') has the answer.",
        mistakes=mistakes,
    )
