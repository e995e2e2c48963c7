"""Self-checks of lesson 04b, non-contractual CLV (re-exported by :mod:`relmark_lab.checks.clv`)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from relmark_lab import clv, datasets, units
from relmark_lab.checks._cases import as_series_answer, by_case, per_case
from relmark_lab.checks._core import CheckResult, Mistake, check_function
from relmark_lab.datasets import practice

__all__ = [
    "expected_repeat_purchases",
    "probability_alive",
    "repeat_customers_and_purchases",
    "top_decile_share",
    "weekly_discount_rate",
]

WEEKS_PER_YEAR = units.periods_per_year("W")


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
