"""Self-checks for the exercises of lessons 04a and 04b, customer lifetime value.

Each function takes the student's function, runs it on the lesson's data
(the published sBG cohorts, CDNOW, the kit's retailer, prepared once in
:mod:`relmark_lab.datasets.practice`), compares the answer with what
:mod:`relmark_lab.clv` computes and returns a
:class:`~relmark_lab.checks.CheckResult`. Exercises that ask for a formula
of scalars are run on several cases, and the answers are compared case by
case, so a mistake names the case where it shows.

Examples
--------
>>> from relmark_lab.checks import clv as check
>>> def weekly_discount_rate(annual_rate):
...     return annual_rate / 52
>>> print(check.weekly_discount_rate(weekly_discount_rate))  # doctest: +ELLIPSIS
Wrong, because you divided the annual rate by the weeks in a year...
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from relmark_lab import clv, datasets, units
from relmark_lab.checks._core import (
    CheckResult,
    Mistake,
    as_series_answer,
    by_case,
    check_function,
    per_case,
)
from relmark_lab.datasets import practice

__all__ = [
    "clv_margin_multiple",
    "next_quarter_retention",
    "probability_alive",
    "project_survivors",
    "repeat_customers_and_purchases",
    "sbg_retention_rate",
    "top_decile_share",
    "expected_repeat_purchases",
    "weekly_discount_rate",
]

WEEKS_PER_YEAR = units.periods_per_year("W")


# --- lesson 04a ---------------------------------------------------------------


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


# --- lesson 04b ---------------------------------------------------------------


def repeat_customers_and_purchases(func: Callable) -> CheckResult:
    """Check 04b.1: ``(repeat customers, repeat purchases)`` in CDNOW's calibration period."""
    cdnow = datasets.load_cdnow("sample")
    summary = practice.cdnow_calibration()[0]
    expected = (int((summary["frequency"] > 0).sum()), int(summary["frequency"].sum()))
    calibration = cdnow[cdnow["date"] <= practice.CDNOW_CALIBRATION_END]
    records = calibration.groupby("customer_id").size()
    days = calibration.groupby("customer_id")["date"].nunique()
    whole = clv.summarize(cdnow, cdnow["date"].max(), time_unit="W")
    mistakes = [
        Mistake(
            (int((records > 1).sum()), int((records - 1).sum())),
            "you counted records, and several records on the same day are one purchase.",
            "count distinct purchase days per customer: groupby('customer_id')['date']"
            ".nunique().",
        ),
        Mistake(
            (int((days > 0).sum()), int(days.sum())),
            "the first purchases were counted as repeat purchases.",
            "a customer's repeat purchases are their purchase days minus one.",
        ),
        Mistake(
            (int((whole["frequency"] > 0).sum()), int(whole["frequency"].sum())),
            "purchases after the calibration end were counted.",
            "keep the records dated on or before calibration_end first.",
        ),
    ]
    return check_function(
        "04b.1 repeat_customers_and_purchases", func, [cdnow, practice.CDNOW_CALIBRATION_END],
        expected,
        hint="repeat purchases = purchase days after the first one, in the calibration period.",
        mistakes=mistakes,
    )


def weekly_discount_rate(func: Callable) -> CheckResult:
    """Check 04b.2: the weekly rate equivalent to an annual one, (1 + d)^(7/365.25) - 1."""
    def each(formula):
        return by_case(practice.ANNUAL_RATES, formula)

    expected = each(lambda d: clv.period_discount_rate(d, "W"))
    mistakes = [
        Mistake(
            each(lambda d: d),
            "that is the annual rate itself: used per week it discounts a year of purchases "
            "by far too much.",
            "convert it: (1 + d) ** (1 / weeks_per_year) - 1.",
        ),
        Mistake(
            each(lambda d: d / WEEKS_PER_YEAR),
            "you divided the annual rate by the weeks in a year; compounding 52 weeks of that "
            "gives more than the annual rate.",
            "take the weeks_per_year-th root of 1 + d: (1 + d) ** (1 / weeks_per_year) - 1.",
        ),
        Mistake(
            each(lambda d: d / 52),
            "you divided the annual rate by the weeks in a year; compounding 52 weeks of that "
            "gives more than the annual rate.",
            "take the weeks_per_year-th root of 1 + d, with weeks_per_year = 365.25 / 7.",
        ),
        Mistake(
            each(lambda d: (1 + d) ** (1 / 52) - 1),
            "a year has 365.25 / 7 = 52.18 weeks, not 52 (the kit's convention).",
            "use weeks_per_year = 365.25 / 7.",
        ),
    ]
    return check_function(
        "04b.2 weekly_discount_rate", per_case(func, practice.ANNUAL_RATES), [], expected,
        hint="(1 + d) ** (7 / 365.25) - 1; compare with clv.period_discount_rate(d, 'W').",
        mistakes=mistakes,
    )


def probability_alive(func: Callable, data_dir=None) -> CheckResult:
    """Check 04b.3: BG/NBD P(alive) by hand, on the kit's weekly summary."""
    summary, bgnbd, _, _ = practice.kit_fits(data_dir)
    params = bgnbd.params_.copy()
    expected = bgnbd.expected_probability_alive(summary)
    r, alpha, a, b = (float(v) for v in params)
    x, t_x, big_t = (summary[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))

    def formula(denominator: np.ndarray, ratio: np.ndarray, zero_rule: bool = True) -> pd.Series:
        with np.errstate(all="ignore"):
            odds = a / denominator * ratio ** (r + x)
            if zero_rule:
                odds = np.where(x > 0, odds, 0.0)
        return pd.Series(1 / (1 + odds), index=summary.index)

    right_ratio = (alpha + big_t) / (alpha + t_x)
    mistakes = [
        Mistake(
            formula(b + x - 1, right_ratio, zero_rule=False),
            "customers with no repeat purchase should have P(alive) = 1: in the BG/NBD a "
            "customer can only leave right after a repeat purchase.",
            "set P(alive) to 1 where frequency == 0 (np.where).",
        ),
        Mistake(
            formula(b + x - 1, (alpha + t_x) / (alpha + big_t)),
            "T and recency are swapped: a long silence should lower P(alive), not raise it.",
            "the ratio is (alpha + T) / (alpha + recency).",
        ),
        Mistake(
            formula(b + x, right_ratio),
            "the denominator is b + x - 1, not b + x.",
            "P(alive) = 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x)).",
        ),
    ]
    return check_function(
        "04b.3 probability_alive", as_series_answer(func, summary.index), [params, summary],
        expected,
        hint="P(alive) = 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x)) "
        "for x > 0, and 1 for x = 0; compare with model.expected_probability_alive(data).",
        mistakes=mistakes,
    )


def expected_repeat_purchases(func: Callable) -> CheckResult:
    """Check 04b.4: repeat purchases of a new CDNOW customer in 1 and 2 years (BG/NBD, weeks)."""
    model = practice.cdnow_calibration()[1]
    params = model.params_.copy()
    cases = {f"{y} year{'s' * (y > 1)}": (params.copy(), y) for y in practice.PURCHASE_YEARS}

    def each(weeks_per_year: float) -> pd.Series:
        return pd.Series({label: model.expected_purchases_new_customer(y * weeks_per_year)
                          for label, (_, y) in cases.items()})

    mistakes = [
        Mistake(
            each(1.0),
            "the time was given in years, but the parameters are in weeks (alpha is a rate "
            "per week).",
            "convert the years to weeks: years * 365.25 / 7.",
        ),
        Mistake(
            each(365.25),
            "the time was given in days, but the parameters are in weeks.",
            "convert the years to weeks: years * 365.25 / 7.",
        ),
        Mistake(
            each(52.0),
            "a year has 365.25 / 7 = 52.18 weeks, not 52 (the kit's convention).",
            "convert the years to weeks: years * 365.25 / 7.",
        ),
    ]
    return check_function(
        "04b.4 expected_repeat_purchases", per_case(func, cases), [], each(WEEKS_PER_YEAR),
        hint="E[X(t)] = (a + b - 1)/(a - 1) * (1 - (alpha/(alpha + t))**r * "
        "hyp2f1(r, b, a + b - 1, t/(alpha + t))) with t in weeks; compare with "
        "model.expected_purchases_new_customer(t).",
        mistakes=mistakes,
    )


def top_decile_share(func: Callable, data_dir=None) -> CheckResult:
    """Check 04b.5: share of total CLV held by the 10% of customers with the highest CLV."""
    values = practice.kit_clv(data_dir)
    ranked = values.sort_values(ascending=False).to_numpy()
    n_top = len(ranked) // 10
    expected = float(ranked[:n_top].sum() / ranked.sum())
    mistakes = [
        Mistake(
            float(ranked[-n_top:].sum() / ranked.sum()),
            "that is the share of the bottom decile: the values were sorted ascending.",
            "sort_values(ascending=False) before taking the first tenth.",
        ),
        Mistake(
            float(ranked[:n_top].mean() / ranked.mean()),
            "that is the top decile's mean CLV divided by the overall mean (ten times the "
            "share).",
            "divide the top decile's total by the total CLV of everyone.",
        ),
        Mistake(
            0.1,
            "that is the share of customers, not of CLV.",
            "add up the CLV of the top tenth and divide by the total CLV.",
        ),
    ]
    return check_function(
        "04b.5 top_decile_share", func, [values], expected,
        hint="sort the CLV from highest to lowest, add up the first len(clv) // 10 values and "
        "divide by the total.",
        mistakes=mistakes,
    )
