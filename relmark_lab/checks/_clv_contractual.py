"""Self-checks of lesson 04a, contractual CLV (re-exported by :mod:`relmark_lab.checks.clv`).

Formulas run on the lesson's published cases and on random parameters; the
projection on a cohort simulated from another sBG too; the cohort table on
unseen data cut mid-quarter; the decision (04a.5) is scored on the margins of
subscribers whose lifetimes are drawn from the sBG, which the student never sees.

Examples
--------
>>> from relmark_lab.checks import clv as check
>>> def clv_margin_multiple(margin, retention_rate, discount_rate):
...     return margin * retention_rate / (1 + discount_rate - retention_rate)
>>> print(check.clv_margin_multiple(clv_margin_multiple))
Right: 04a.1 clv_margin_multiple is correct.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.special import betaln

from relmark_lab import clv, datasets
from relmark_lab.checks import _cases
from relmark_lab.checks._compare import compare_answer
from relmark_lab.checks._core import Case, CheckResult, Hints, Mistake, check_function
from relmark_lab.datasets import practice
from relmark_lab.errors import DataError
from relmark_lab.i18n import N_, get_language
from relmark_lab.i18n import gettext as _

__all__ = [
    "clv_margin_multiple",
    "next_quarter_retention",
    "project_survivors",
    "sbg_retention_rate",
]

LESSON = N_("the lesson's data")


# --- formulas of scalars: the lesson's cases, then random ones -----------------------


def _formula_check(exercise: str, func: Callable, seen: dict, unseen: dict,
                   reference: Callable, mistakes: list[tuple], hints: Hints) -> CheckResult:
    """Run a formula on every case; ``mistakes`` are ``(wrong formula, because, hint)``."""
    student = func if not callable(func) else (lambda cases: _cases.per_case(func, cases)())

    axis = _("case")  # the name of the index, which a verdict quotes

    def case(label: str, cases: dict, is_seen: bool) -> Case:
        known = tuple(Mistake(_cases.by_case(cases, wrong).rename_axis(axis), because, hint)
                      for wrong, because, hint in mistakes)
        return Case(label, (cases,), _cases.by_case(cases, reference).rename_axis(axis), known,
                    seen=is_seen)

    unseen_label_ = N_("numbers you have not seen (random parameter combinations)")
    return check_function(exercise, student, [case(LESSON, seen, True),
                                              case(unseen_label_, unseen, False)], hints=hints)


def _differing(mistakes: list[tuple], right) -> tuple[Mistake, ...]:
    """The mistakes whose answer differs from the right one on these data."""
    return tuple(Mistake(*mistake) for mistake in mistakes
                 if not compare_answer(mistake[0], right)[0])


def _random_cases(salt: int, label: str, draw: Callable, n: int) -> dict[str, tuple]:
    """``n`` parameter combinations drawn by ``draw(rng)``, labelled with ``label.format``."""
    rng = _cases.unseen_rng(salt)
    return {label.format(*args): args for args in (draw(rng) for _ in range(n))}


def clv_margin_multiple(func: Callable) -> CheckResult:
    """Check 04a.1: m r / (1 + d - r), the first margin one period from now."""
    mistakes = [
        (lambda m, r, d: m * (1 + d) / (1 + d - r),
         N_("you counted a first margin now, for certain: that is the other timing convention, "
            "one margin more than a customer who pays only if they stay one more period."),
         N_("the first margin comes one period from now and only if the customer stays: the "
            "numerator is r, not 1 + d.")),
        (lambda m, r, d: m * r / (1 - r),
         N_("the margins are not discounted: r/(1 - r) counts the expected future periods, but "
            "a peso next year is worth less than a peso today."),
         N_("divide by 1 + d - r, not by 1 - r.")),
        (lambda m, r, d: m / (1 + d - r),
         N_("the first margin counts as certain and yet is discounted one period."),
         N_("with the first margin one period from now and only if retained, multiply m by "
            "r/(1 + d - r).")),
        (lambda m, r, d: m * (1 - r) / (d + r),
         N_("you read the retention rate as a churn rate: retention_rate is the share who stay."),
         N_("use r as it is: the chance of one more margin is r, not 1 - r.")),
        (lambda m, r, d: m * r / (1 + d / 100 - r),
         N_("you divided the discount rate by 100: it is already a fraction (0.10 is 10%)."),
         N_("use discount_rate as it is.")),
    ]
    return _formula_check(
        "04a.1 clv_margin_multiple", func, practice.MARGIN_CASES,
        _random_cases(41, "m={:g}, r={:g}, d={:g}", lambda g: (
            float(g.integers(50, 2000)), round(g.uniform(0.3, 0.95), 3),
            round(g.uniform(0.02, 0.25), 3)), 6),
        lambda m, r, d: m * r / (1 + d - r), mistakes,
        Hints(N_("a customer is worth the margins they will still bring: each one only if they "
                 "are still a customer then, and each worth less the later it comes; the first "
                 "comes one period from now."),
              N_("add up m r^t / (1 + d)^t for t = 1, 2, ...: a geometric series with a closed "
                 "form.")),
    )


def sbg_retention_rate(func: Callable) -> CheckResult:
    """Check 04a.2: sBG retention rate in period t from alpha and beta."""
    published = {"regular": (0.704, 1.182), "high end": (0.668, 3.806)}
    seen = {f"{name}, t={t}": (a, b, t) for name, (a, b) in published.items()
            for t in (1, 2, 3, 5, 8, 12)}
    mistakes = [
        (lambda a, b, t: (b + t) / (a + b + t),
         N_("the rate is one period ahead: in period 1 it is the mean of 1 - theta over all the "
            "customers, before anyone has left."),
         N_("use beta + t - 1 and alpha + beta + t - 1.")),
        (lambda a, b, t: b / (a + b),
         N_("that is the same rate for every period: the point of the sBG is that retention "
            "rises with tenure, as the customers who cancel easily leave first."),
         N_("the survivors of t - 1 periods have beta + t - 1 in place of beta.")),
        (lambda a, b, t: float(np.exp(betaln(a, b + t) - betaln(a, b))),
         N_("that is S(t), the share of the cohort still a customer after t periods, not the "
            "share of last period's customers who stay."),
         N_("retention is S(t) / S(t - 1).")),
        (lambda a, b, t: a / (a + b + t - 1),
         N_("that is the churn rate of period t, the share who leave, not the share who stay."),
         N_("retention = 1 - churn.")),
        (lambda a, b, t: (a + t - 1) / (a + b + t - 1),
         N_("alpha and beta are swapped: theta, the churn probability, has mean "
            "alpha/(alpha + beta), so beta goes with staying."),
         N_("put beta + t - 1 in the numerator.")),
    ]
    return _formula_check(
        "04a.2 sbg_retention_rate", func, seen,
        _random_cases(42, "alpha={:g}, beta={:g}, t={}", lambda g: (
            round(g.uniform(0.2, 3.0), 3), round(g.uniform(0.5, 8.0), 3),
            int(g.integers(1, 21))), 8),
        lambda a, b, t: (b + t - 1) / (a + b + t - 1), mistakes,
        Hints(N_("the customers still there after t - 1 periods are the ones who cancel less "
                 "easily: the sBG updates the Beta distribution of their churn probability by "
                 "the periods they have survived, and retention is 1 minus its mean."),
              N_("after surviving t - 1 periods, theta follows Beta(alpha, beta + t - 1); "
                 "retention is the mean of 1 - theta under it.")),
    )


# --- the projection: the published cohort, then one simulated from another sBG -----------


def _simulated_cohort(rng: np.random.Generator, size: int, periods: int, unit: str,
                      alpha: tuple, beta: tuple) -> pd.Series:
    """Survivors of ``size`` customers whose churn probabilities follow a random Beta."""
    for _attempt in range(20):
        truth = (float(rng.uniform(*alpha)), float(rng.uniform(*beta)))
        lifetimes = rng.geometric(rng.beta(*truth, size))  # the period in which each leaves
        alive = pd.Series([float((lifetimes > t).sum()) for t in range(periods + 1)],
                          index=pd.RangeIndex(periods + 1, name="year" if unit == "Y"
                                              else "period"), name="n_alive")
        alive.attrs["time_unit"] = unit
        try:
            clv.ShiftedBetaGeometric().fit(alive)
        except DataError:  # an unlucky draw the model cannot identify: draw again
            continue
        return alive
    raise RuntimeError("no simulated cohort could be fitted")  # pragma: no cover


def _projection_case(label: str, alive: pd.Series, seen: bool) -> Case:
    model = clv.ShiftedBetaGeometric().fit(alive)
    last, size = int(alive.index.max()), float(alive.iloc[0])
    future = np.arange(last + 1, last + 6)

    def series(values: np.ndarray) -> pd.Series:
        return pd.Series(values, index=pd.Index(future, name="year"))

    expected = series(model.survival(future) * size)

    def constant(rate: float) -> pd.Series:
        return series(alive.iloc[-1] * rate ** (future - last))

    again = N_("fit the sBG on n_alive; the expected survivors of year t are the cohort size "
               "times S(t).")
    mistakes = (
        Mistake(constant(alive.iloc[-1] / alive.iloc[-2]),
                N_("you held the last year's retention rate constant; retention keeps rising "
                   "with tenure, so it loses customers too fast."), again),
        Mistake(constant((alive.iloc[-1] / size) ** (1 / last)),
                N_("you held the cohort's mean retention rate constant: it loses customers too "
                   "fast, because retention rises with tenure."), again),
        Mistake(expected.round(), N_("the values are rounded to whole customers."),
                N_("return the model's expected survivors without rounding.")),
        Mistake(expected / size, N_("these are shares of the cohort, not customers."),
                N_("multiply the survival S(t) by the cohort size, the survivors of year 0.")),
        Mistake(series(model.survival(future - 1) * size),
                N_("your years are one off: S(t) is the share left after t years."),
                N_("the survivors of year t are the cohort size times S(t), not S(t - 1).")),
    )
    return Case(label, (alive,), expected, mistakes, seen=seen)


def project_survivors(func: Callable, segment: str = "high_end") -> CheckResult:
    """Check 04a.3: sBG projection of the five years after a cohort's last observed year."""
    alive = _simulated_cohort(_cases.unseen_rng(43), 1500, 5, "Y", (0.5, 1.5), (1.5, 5.0))
    cases = [
        _projection_case(LESSON, practice.sbg_cohort(segment), True),
        _projection_case(N_("a cohort you have not seen (1,500 subscribers over 5 years, "
                            "simulated from an sBG with other alpha and beta)"), alive, False),
    ]
    return check_function(
        "04a.3 project_survivors", func, cases, rel_tol=1e-4,
        hints=Hints(N_("a projection is what the fitted model expects for the years it has not "
                       "seen: the share of the whole cohort it expects to be left each year, in "
                       "customers, for the five years after the last one observed."),
                    N_("fit clv.ShiftedBetaGeometric on n_alive and multiply its survival(t) by "
                       "the cohort size, for t from the last year + 1 to the last year + 5.")),
    )


# --- the cohort table: the kit's data, then unseen data cut mid-quarter -------------------


def _next_period_share(tx: pd.DataFrame, end: str, freq: str = "Q", *, any_line: bool = False,
                       lines: bool = False, later: bool = False, window: int = 0,
                       censored: bool = True) -> pd.Series:
    """Share of each cohort active one period on, as a student computes it in pandas.

    The defaults are right on the kit's data; each keyword makes a known mistake.
    """
    buys = tx[tx["amount"] > 0]
    active = tx if any_line else buys
    first_day = buys["date"].dt.normalize().groupby(buys["customer_id"]).min()
    first = first_day.dt.to_period(freq)
    cohort = active["customer_id"].map(first)
    period = active["date"].dt.to_period(freq)
    if window:
        gap = active["date"].dt.normalize() - active["customer_id"].map(first_day)
        hit = (gap > pd.Timedelta(0)) & (gap <= pd.Timedelta(days=window))
    else:
        hit = period > cohort if later else period == cohort + 1
    who = active.loc[hit]
    kept = (who.groupby(cohort[hit]).size() if lines
            else who["customer_id"].groupby(cohort[hit]).nunique())
    sizes = first.value_counts().sort_index()
    share = kept.reindex(sizes.index, fill_value=0) / sizes
    if censored:
        share = share[share.index + 1 <= pd.Period(end, freq)]
    return share.set_axis(pd.Index(share.index.astype(str), name="cohort")).astype(float)


def _cohort_case(label: str, tx: pd.DataFrame, end: str, seen: bool) -> Case:
    table = clv.cohort_retention_table(tx, end, period="Q")
    expected = table[table["periods_since_acquisition"] == 1].set_index("cohort")["share"]
    mistakes = [
        (_next_period_share(tx, end, any_line=True),
         N_("returns were counted as activity: a customer who only returned something in the "
            "next quarter did not buy."),
         N_("keep the purchases (amount > 0) when you look for activity.")),
        (_next_period_share(tx, end, lines=True),
         N_("you counted purchase lines, not customers: a customer who bought twice counts "
            "once."), N_("count distinct customer_id values.")),
        (_next_period_share(tx, end, "M"),
         N_("you used months: the cohorts and the next period are calendar quarters."),
         N_("use .dt.to_period('Q').")),
        (_next_period_share(tx, end, "Y"),
         N_("you used years: the cohorts and the next period are calendar quarters."),
         N_("use .dt.to_period('Q').")),
        (1 - _next_period_share(tx, end),
         N_("that is the share who did not buy in the next quarter (churn), not the share "
            "retained."), N_("count who bought, not who did not.")),
        (_next_period_share(tx, end, later=True),
         N_("you counted customers who bought in any later quarter, not in the one right after "
            "their cohort."),
         N_("compare each purchase's quarter with the cohort's quarter + 1.")),
        (_next_period_share(tx, end, window=91),
         N_("you looked 91 days after each first purchase; the next quarter is a calendar "
            "quarter, the same for the whole cohort."),
         N_("compare calendar quarters: the purchase's quarter equals the cohort's + 1.")),
        (_next_period_share(tx, end, censored=False),
         N_("a cohort whose next quarter starts after observation_end has no retention yet, "
            "not 0%."),
         N_("leave out the cohorts whose quarter + 1 starts after observation_end.")),
    ]
    return Case(label, (tx, end), expected, _differing(mistakes, expected), seen=seen)


def _cohort_cases(data_dir) -> tuple[Case, Case]:
    """The kit's data, then unseen data, with the unseen data's label in the language in use."""
    return _cohort_cases_in(data_dir, get_language())


@functools.lru_cache(maxsize=4)
def _cohort_cases_in(data_dir, language: str) -> tuple[Case, Case]:
    """The cases in one language (cached: each case computes eight mistakes)."""
    lesson_end = datasets.load_truth(data_dir)["observation_end"]
    folder = _cases.unseen_data_dir()
    # Cut mid-quarter, 46 days before the last sign-up: the last cohorts are not yet observed.
    cut = pd.Timestamp(datasets.load_truth(folder)["signup_end"]) - pd.Timedelta(days=46)
    unseen = datasets.load_transactions(folder)
    unseen = unseen[unseen["date"] < cut + pd.Timedelta(days=1)].reset_index(drop=True)
    return (_cohort_case(LESSON, datasets.load_transactions(data_dir), lesson_end, True),
            _cohort_case(_("{unseen}, observed to {day}").format(
                unseen=_(_cases.unseen_label()), day=f"{cut:%Y-%m-%d}"), unseen, f"{cut:%Y-%m-%d}",
                False))


def next_quarter_retention(func: Callable, data_dir=None) -> CheckResult:
    """Check 04a.4: share of each quarterly cohort buying again in the next quarter."""
    return check_function(
        "04a.4 next_quarter_retention",
        # Cohorts labelled by Period or by text are the same answer (an array stays refused).
        _cases.as_series_answer(func, pd.RangeIndex(0), text_index=True), _cohort_cases(data_dir),
        hints=Hints(N_("a cohort is the customers won in one calendar quarter; its retention "
                       "is the share of them who bought in the next one: people, not lines; "
                       "purchases, not returns; once that quarter is observed."),
                    N_("keep the lines with amount > 0; a customer's cohort is the quarter "
                       "(.dt.to_period('Q')) of their first purchase; count the distinct "
                       "customers who bought in cohort + 1 and divide by the cohort's size.")),
    )
