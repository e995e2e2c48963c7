"""Self-checks of lesson 04b, non-contractual CLV (re-exported by :mod:`relmark_lab.checks.clv`).

Every check runs the student's function on the lesson's data and on data
the student has not seen (:mod:`relmark_lab.checks._clv_noncontractual_data`):
CDNOW customers drawn at random and the kit's simulator in CDNOW's shape,
with returns (04b.1); rates and BG/NBD parameters drawn at random (04b.2,
04b.4); the simulator's customers with their own fit and with random
parameters (04b.3, 04b.5). The retention offer of 04b.6 is a decision,
scored on what the customers really buy next in the simulator, which the
student never sees (:mod:`relmark_lab.checks._clv_offer`, re-exported here).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from relmark_lab import clv, datasets, units
from relmark_lab.checks import _clv_noncontractual_data as data
from relmark_lab.checks._cases import (
    UNSEEN_CUSTOMERS,
    by_case,
    per_case,
    unseen_data_dir,
    unseen_label,
    unseen_rng,
)
from relmark_lab.checks._clv_offer import retention_offer_targets
from relmark_lab.checks._core import Case, CheckResult, Hints, Mistake, check_function
from relmark_lab.datasets import practice
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = [
    "expected_repeat_purchases",
    "probability_alive",
    "repeat_customers_and_purchases",
    "retention_offer_targets",
    "top_decile_share",
    "weekly_discount_rate",
]

WEEKS_PER_YEAR = units.periods_per_year("W")
_ROOT_HINT = N_("Take the weeks_per_year-th root of 1 + d and subtract 1, with weeks_per_year = "
                "365.25 / 7.")
_DIVIDED = N_("you divided the annual rate by the weeks in a year; compounding a year of weeks "
              "of that gives more than the annual rate.")
_WEEKS_HINT = N_("Convert the years to weeks first: t = years * 365.25 / 7.")


def _formula_cases(func: Callable, groups: list[tuple[str, dict, bool]], expected: Callable,
                   mistakes: list[tuple[Callable, str, str]]) -> tuple[Callable, list[Case]]:
    """Cases of a scalar formula: each group of inputs answered at once, as a Series by label."""
    cases = [Case(label, (inputs,), by_case(inputs, expected),
                  tuple(Mistake(by_case(inputs, f), because, hint)
                        for f, because, hint in mistakes), seen=seen)
             for label, inputs, seen in groups]
    runner = (lambda inputs: per_case(func, inputs)()) if callable(func) else func
    return runner, cases


# --- 04b.1 ----------------------------------------------------------------------


def _repeat_mistakes(records: pd.DataFrame, end: str) -> list[Mistake]:
    def counts(days: pd.Series) -> tuple[int, int]:
        return int((days > 1).sum()), int((days - 1).sum())

    def purchase_days(rows: pd.DataFrame) -> pd.Series:
        return rows[rows["amount"] >= 0].groupby("customer_id")["date"].nunique()

    known = records[records["date"] <= end]
    bought = known[known["amount"] >= 0]
    days = purchase_days(known)
    return [
        Mistake(counts(bought.groupby("customer_id").size()),
                N_("you counted records, and several records on the same day are one visit: the "
                   "models describe how often customers come back, not how many items they "
                   "buy."),
                N_("Count distinct purchase dates per customer, not rows.")),
        Mistake((int((days > 0).sum()), int(days.sum())),
                N_("the first purchases were counted as repeat purchases: the first visit is how "
                   "a customer arrives, not a sign that they come back."),
                N_("A customer's repeat purchases are their purchase days minus one.")),
        Mistake(counts(purchase_days(records)),
                N_("purchases after the calibration end were counted: they belong to the "
                   "holdout, which the model must not see."),
                N_("Keep only the records dated on or before calibration_end first.")),
        Mistake(counts(purchase_days(records[records["date"] < end])),
                N_("the last day of the calibration period was left out: the period includes "
                   "calibration_end itself."),
                N_("Compare dates with <= calibration_end, not <.")),
        Mistake(counts(known.groupby("customer_id")["date"].nunique()),
                N_("returns were counted as purchases: a day on which a customer only brought "
                   "something back is no visit to buy."),
                N_("Drop the records with a negative amount (returns) before counting days.")),
    ]


def repeat_customers_and_purchases(func: Callable, calibration_end: str | None = None
                                   ) -> CheckResult:
    """Check 04b.1: ``(repeat customers, repeat purchases)`` up to a calibration end.

    Run on the CDNOW sample (up to ``calibration_end``, default the papers'
    1997-09-30), on CDNOW customers drawn at random and on the kit's
    simulator in CDNOW's shape, with returns; the unseen calibration ends
    fall on a day of repeat purchases, so ``<`` and ``<=`` differ.
    """
    end = practice.CDNOW_CALIBRATION_END if calibration_end is None else str(calibration_end)
    resample, resample_end = data.cdnow_resample()
    kit, kit_end = data.kit_records(unseen_data_dir())
    groups = [
        (N_("the lesson's data"), datasets.load_cdnow("sample"), end, True),
        (_("new data you have not seen ({customers} CDNOW customers drawn at random)").format(
            customers=f"{resample['customer_id'].nunique():,}"), resample, resample_end, False),
        (_("new data you have not seen ({customers} simulated customers, with returns)").format(
            customers=f"{UNSEEN_CUSTOMERS:,}"), kit, kit_end, False),
    ]
    cases = [Case(label, (records, day), data.repeat_counts(records, day),
                  tuple(_repeat_mistakes(records, day)), seen=seen)
             for label, records, day, seen in groups]
    return check_function(
        "04b.1 repeat_customers_and_purchases", func, cases,
        hints=Hints(
            N_("The models count visits: a repeat purchase is a later day on which the customer "
               "bought, however many records that day holds. The first purchase day is how a "
               "customer arrives, a return is no purchase, and the calibration period includes "
               "its last day."),
            N_("Keep the records dated on or before calibration_end with an amount of at least "
               "0, count distinct dates per customer and subtract one."),
        ),
    )


# --- 04b.2 ----------------------------------------------------------------------


def _a_year(rate: str) -> str:
    """A case label "12% a year" in the language in use."""
    return _("{rate} a year").format(rate=rate)


def weekly_discount_rate(func: Callable) -> CheckResult:
    """Check 04b.2: the weekly rate equivalent to an annual one, (1 + d)^(7/365.25) - 1."""
    rates = unseen_rng(21).uniform(0.08, 0.6, 3).round(3)
    # The lesson's labels are "<rate> a year" too: only the words are translated.
    seen = {_a_year(label.removesuffix(" a year")) if label.endswith(" a year") else label: args
            for label, args in practice.ANNUAL_RATES.items()}
    unseen = {_a_year(f"{d:.1%}"): (float(d),) for d in rates}
    use_weeks = N_("Use weeks_per_year = 365.25 / 7.")
    week_root = N_("Take the root for weeks: 365.25 / 7 of them a year.")
    runner, cases = _formula_cases(
        func,
        [(N_("the lesson's rates"), seen, True),
         (N_("new rates you have not seen"), unseen, False)],
        lambda d: clv.period_discount_rate(d, "W"),
        [
            (lambda d: d, N_("that is the annual rate itself: used per week it discounts a year "
                             "of purchases by far too much."), _ROOT_HINT),
            (lambda d: d / WEEKS_PER_YEAR, _DIVIDED, _ROOT_HINT),
            (lambda d: d / 52, _DIVIDED, _ROOT_HINT),
            (lambda d: (1 + d) ** (1 / 52) - 1,
             N_("a year has 365.25 / 7 = 52.18 weeks, not 52 (the kit's convention)."), use_weeks),
            (lambda d: (1 + d) ** (7 / 365) - 1,
             N_("a year has 365.25 days in the kit's convention (leap years included), not "
                "365."), use_weeks),
            (lambda d: (1 + d) ** (1 / 365.25) - 1,
             N_("that is a daily rate: the models of the lesson count time in weeks."), week_root),
            (lambda d: (1 + d) ** (1 / 12) - 1,
             N_("that is a monthly rate: the models of the lesson count time in weeks."),
             week_root),
            (lambda d: (1 + d) ** WEEKS_PER_YEAR - 1,
             N_("you compounded the annual rate over a year of weeks; the weekly rate is the "
                "root, so that compounding it gives the annual rate."), _ROOT_HINT),
        ],
    )
    return check_function(
        "04b.2 weekly_discount_rate", runner, cases,
        hints=Hints(
            N_("A weekly rate compounded over the weeks of a year must give the annual rate: it "
               "is a root of one plus the annual rate, not a share of it."),
            _ROOT_HINT,
        ),
    )


# --- 04b.3 ----------------------------------------------------------------------


def _p_alive_mistakes(params: pd.Series, summary: pd.DataFrame) -> list[Mistake]:
    r, alpha, a, b = (float(params[k]) for k in ("r", "alpha", "a", "b"))
    x, t_x, big_t = (summary[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))

    def formula(denominator, ratio, power, zero_rule=True) -> pd.Series:
        with np.errstate(all="ignore"):
            odds = a / denominator * ratio ** power
        odds = np.where(x > 0, odds, 0.0) if zero_rule else odds
        return pd.Series(1 / (1 + odds), index=summary.index)

    ratio = (alpha + big_t) / (alpha + t_x)
    right = formula(b + x - 1, ratio, r + x)
    return [
        Mistake(formula(b + x - 1, ratio, r + x, zero_rule=False),
                N_("customers with no repeat purchase should have P(alive) = 1: in the BG/NBD a "
                   "customer can only leave right after a repeat purchase."),
                N_("Set P(alive) to 1 where frequency == 0.")),
        Mistake(formula(b + x - 1, 1 / ratio, r + x),
                N_("T and recency are swapped: a long silence since the last purchase should "
                   "lower P(alive), not raise it."),
                N_("The ratio is (alpha + T) / (alpha + recency).")),
        Mistake(formula(b + x, ratio, r + x),
                N_("the denominator is b + x - 1, not b + x."),
                N_("Divide a by b + x - 1.")),
        Mistake(formula(b + x - 1, ratio, r),
                N_("the power is r + x, not r: each repeat purchase makes a silence more "
                   "telling."),
                N_("Raise the ratio to the power r + x.")),
        Mistake(1 - right,
                N_("that is the probability that the customer is gone, 1 - P(alive)."),
                N_("P(alive) = 1 / (1 + odds of having left).")),
    ]


def _p_alive_case(label: str, params: pd.Series, summary: pd.DataFrame, seen: bool) -> Case:
    model = clv.BetaGeoNBD()
    model.params_ = params.copy()
    expected = model.expected_probability_alive(summary).rename(None)
    return Case(label, (params.copy(), summary.copy()), expected,
                tuple(_p_alive_mistakes(params, summary)), seen=seen)


def _aligned(func: Callable) -> Callable:
    """An array answer becomes a Series on the data's index (the check's one container rule)."""
    if not callable(func):
        return func

    def run(params, summary):
        answer = func(params, summary)
        if isinstance(answer, np.ndarray) and answer.shape == (len(summary),):
            answer = pd.Series(answer, index=summary.index)
        return answer

    return run


def probability_alive(func: Callable, data_dir=None) -> CheckResult:
    """Check 04b.3: BG/NBD P(alive) by hand, on the kit's weekly summary and on unseen ones."""
    lesson = practice.kit_fits(data_dir)
    unseen = practice.kit_fits(unseen_data_dir())
    cases = [
        _p_alive_case(N_("the lesson's data"), lesson[1].params_, lesson[0], True),
        _p_alive_case(unseen_label(), unseen[1].params_, unseen[0], False),
        _p_alive_case(_("{unseen} with other parameters").format(unseen=_(unseen_label())),
                      data.random_bgnbd_params(1, salt=31)[0], unseen[0], False),
    ]
    return check_function(
        "04b.3 probability_alive", _aligned(func), cases,
        hints=Hints(
            N_("P(alive) weighs the odds that the customer left after their last purchase: the "
               "longer the silence since then, the more likely, and a customer who never bought "
               "again cannot have left (in the BG/NBD one leaves only right after a purchase)."),
            N_("Odds of having left = a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** "
               "(r + x) for x > 0 and 0 for x = 0; P(alive) = 1 / (1 + odds)."),
        ),
    )


# --- 04b.4 ----------------------------------------------------------------------


def _new_customer_purchases(params: pd.Series, weeks: float) -> float:
    model = clv.BetaGeoNBD()
    model.params_ = params[["r", "alpha", "a", "b"]].astype(float)
    return float(model.expected_purchases_new_customer(weeks))


def expected_repeat_purchases(func: Callable) -> CheckResult:
    """Check 04b.4: repeat purchases of a new customer in ``years`` years (BG/NBD in weeks)."""
    cdnow = practice.cdnow_calibration()[1].params_.copy()
    seen = {(_("CDNOW, {years} years") if y > 1 else _("CDNOW, {years} year")).format(years=y):
            (cdnow.copy(), y) for y in practice.PURCHASE_YEARS}
    rng = unseen_rng(33)
    unseen = {}
    for k, params in enumerate(data.random_bgnbd_params(2, salt=32), start=1):
        for years in np.round(rng.uniform(0.25, 4.0, 2), 2):
            label = _("parameters {set}, {years} years").format(set=k, years=f"{years:g}")
            unseen[label] = (params.copy(), float(years))

    def in_weeks(per_year: float):
        return lambda params, years: _new_customer_purchases(params, years * per_year)

    runner, cases = _formula_cases(
        func,
        [(N_("the lesson's estimates"), seen, True),
         (N_("parameters and horizons you have not seen"), unseen, False)],
        in_weeks(WEEKS_PER_YEAR),
        [
            (in_weeks(1.0), N_("the time was given in years, but the parameters are in weeks "
                               "(alpha is a rate per week)."), _WEEKS_HINT),
            (in_weeks(365.25),
             N_("the time was given in days, but the parameters are in weeks."), _WEEKS_HINT),
            (in_weeks(12.0),
             N_("the time was given in months, but the parameters are in weeks."), _WEEKS_HINT),
            (in_weeks(52.0),
             N_("a year has 365.25 / 7 = 52.18 weeks, not 52 (the kit's convention)."),
             _WEEKS_HINT),
            (in_weeks(365 / 7),
             N_("a year has 365.25 days in the kit's convention (leap years included), not "
                "365."), _WEEKS_HINT),
        ],
    )
    return check_function(
        "04b.4 expected_repeat_purchases", runner, cases,
        hints=Hints(
            N_("The formula's t is in the time unit of the parameters, and the BG/NBD of the "
               "lesson was fitted in weeks: a horizon in years must be turned into weeks first."),
            N_("Convert the years to weeks first: t = years * 365.25 / 7. Then apply the formula "
               "with scipy.special.hyp2f1."),
        ),
    )


# --- 04b.5 ----------------------------------------------------------------------


def _decile_case(label: str, values: pd.Series, seen: bool) -> Case:
    ranked = values.sort_values(ascending=False).to_numpy()
    n_top, total = len(ranked) // 10, ranked.sum()
    expected = float(ranked[:n_top].sum() / total)
    mistakes = [
        Mistake(expected * 100,
                N_("that is a percentage; the share is asked as a fraction between 0 and 1."),
                N_("Return the share itself, without multiplying by 100.")),
        Mistake(float(ranked[-n_top:].sum() / total),
                N_("that is the share of the bottom tenth: the values were sorted from lowest "
                   "to highest."),
                N_("Sort from the highest CLV down before taking the first tenth.")),
        Mistake(float(ranked[:n_top].mean() / ranked.mean()),
                N_("that is the top tenth's mean CLV over everyone's mean, ten times the share."),
                N_("Divide the top tenth's total by the total CLV of everyone.")),
        Mistake(0.1, N_("that is the share of customers, not of their value."),
                N_("Add up the CLV of the top tenth and divide by the total CLV.")),
        Mistake(float(ranked[:math.ceil(len(ranked) / 10)].sum() / total),
                N_("the top tenth holds one customer too many: it is the first len(clv) // 10 "
                   "customers (a quantile or rounding up takes one more when the count is not a "
                   "multiple of ten)."),
                N_("Take exactly len(clv_values) // 10 customers.")),
    ]
    return Case(label, (values.copy(),), expected, tuple(mistakes), seen=seen)


def top_decile_share(func: Callable, data_dir=None) -> CheckResult:
    """Check 04b.5: share of total CLV held by the 10% of customers with the highest CLV."""
    unseen = data.clv_values(unseen_data_dir())
    keep = np.sort(unseen_rng(51).choice(len(unseen), len(unseen) - 3, replace=False))
    cases = [_decile_case(N_("the lesson's data"), data.clv_values(data_dir), True),
             _decile_case(unseen_label(), unseen.iloc[keep], False)]
    return check_function(
        "04b.5 top_decile_share", func, cases,
        hints=Hints(
            N_("Rank the customers from the most valuable down; the question is what part of "
               "all the value the first tenth of them holds."),
            N_("Sort from the highest CLV down, add up the first len(clv_values) // 10 values "
               "and divide by the total CLV."),
        ),
    )
