"""Self-checks for the exercises of lesson 05, customer equity (capital basado en los clientes).

Each function takes the student's function, runs it on the lesson's numbers
or data and on numbers or data the student has not seen
(:mod:`relmark_lab.checks._equity_cases`), compares the answer with what
:mod:`relmark_lab.equity` computes and returns a
:class:`~relmark_lab.checks.CheckResult`. Formulas (05.1 to 05.3) are
answered case by case, so a mistake names the case where it shows; the
budget split (05.6) is a decision, scored by the customer equity it leads to.

Examples
--------
>>> from relmark_lab.checks import equity as check
>>> def quarterly_terms(annual_margin, annual_retention, annual_discount_rate):
...     return annual_margin / 4, annual_retention / 4, annual_discount_rate / 4
>>> print(check.quarterly_terms(quarterly_terms))  # doctest: +ELLIPSIS
Wrong, because you divided all three by 4...
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from relmark_lab import equity
from relmark_lab.checks import _equity_cases as cases
from relmark_lab.checks._cases import kit_cases, unseen_rng
from relmark_lab.checks._clv_contractual import _differing, _formula_check, _random_cases
from relmark_lab.checks._core import Case, CheckResult, Hints, Mistake, check_function
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = [
    "discount_share_by_tenure_year",
    "equity_change_parts",
    "new_customers_next",
    "quarterly_terms",
    "retention_effect",
    "split_budget",
]

LESSON = N_("the lesson's data")
_UNSEEN_NUMBERS = N_("numbers you have not seen (random parameter combinations)")


# --- 05.1 quarterly terms ---------------------------------------------------------------


def _quarterly(m: float, r: float, i: float) -> tuple[float, float, float]:
    terms = equity.per_period(m, r, i, from_unit="Y", to_unit="Q", margin_unit="Y")
    return terms.margin, terms.retention_rate, terms.discount_rate


_ROOT = N_("the quarterly retention r_Q satisfies r_Q ** 4 = r_Y; the quarterly discount rate "
           "(1 + i_Q) ** 4 = 1 + i_Y.")
_TERMS_MISTAKES = [
    (lambda m, r, i: (m / 4, r / 4, i / 4),
     N_("you divided all three by 4: right for the margin, which adds up over a year, but rates "
        "compound, quarter after quarter."),
     N_("keep margin / 4; the quarterly retention r_Q satisfies r_Q ** 4 = r_Y; the quarterly "
        "discount rate (1 + i_Q) ** 4 = 1 + i_Y.")),
    (lambda m, r, i: (m / 4, r / 4, _quarterly(m, r, i)[2]),
     N_("you divided the retention rate by 4: retention compounds, so four quarters kept at the "
        "quarterly rate must make the annual rate (the quarterly rate is higher, not a "
        "quarter)."), _ROOT),
    (lambda m, r, i: (m / 4, 1 - (1 - r) / 4, _quarterly(m, r, i)[2]),
     N_("you divided the churn by 4: losses compound too, so four quarters at the quarterly "
        "retention must leave exactly the annual retention."), _ROOT),
    (lambda m, r, i: (m / 4, r ** 0.25, i / 4),
     N_("you divided the discount rate by 4 (simple interest): discounting compounds, so four "
        "quarters at the quarterly rate must discount by exactly 1 + the annual rate."), _ROOT),
    (lambda m, r, i: (m, r ** 0.25, _quarterly(m, r, i)[2]),
     N_("the margin is still the year's: a quarter brings a quarter of the annual margin."),
     N_("divide the annual margin by the quarters in a year.")),
]


def quarterly_terms(func: Callable) -> CheckResult:
    """Check 05.1: annual margin, retention and discount rate expressed per quarter.

    Parameters
    ----------
    func : callable
        ``func(annual_margin, annual_retention, annual_discount_rate)`` returning
        the tuple (margin, retention rate, discount rate) per quarter.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> print(quarterly_terms(lambda m, r, i: (m / 4, r ** 0.25, (1 + i) ** 0.25 - 1)))
    Right: 05.1 quarterly_terms is correct.
    """
    unseen = _random_cases(501, "m={:g}, r={:g}, i={:g}", lambda g: (
        float(g.integers(20, 2000)), round(g.uniform(0.5, 0.97), 3),
        round(g.uniform(0.04, 0.2), 3)), 4)

    def case(label: str, inputs: dict, seen: bool) -> Case:
        known = tuple(Mistake(cases.parts_by_case(inputs, wrong, 3), because, hint)
                      for wrong, because, hint in _TERMS_MISTAKES)
        return Case(label, (inputs,), cases.parts_by_case(inputs, _quarterly, 3), known,
                    seen=seen)

    return check_function(
        "05.1 quarterly_terms", cases.parts_runner(func, 3),
        [case(LESSON, cases.lesson_cases(cases.TERMS_CASES), True),
         case(_UNSEEN_NUMBERS, unseen, False)],
        hints=Hints(N_("a margin adds up over time, so a quarter earns its share of the year's; "
                       "rates compound: four quarters at the quarterly rate must give the annual "
                       "rate, for the customers kept as for the discounting."),
                    N_("margin: annual / 4; the quarterly retention r_Q satisfies r_Q ** 4 = "
                       "r_Y; the quarterly discount rate (1 + i_Q) ** 4 = 1 + i_Y.")),
    )


# --- 05.2 new customers of an S-curve -----------------------------------------------------


def _cohorts_case(label: str, args: tuple, seen: bool) -> Case:
    alpha, beta, gamma, now, periods = args
    curve = cases.growth(alpha, beta, gamma)
    expected = equity.future_cohorts(curve, now, periods).to_numpy()
    ahead = now + np.arange(1, periods + 1)
    step = N_("the new customers of period k are N(now + k) - N(now + k - 1).")
    wrongs = [
        (np.asarray(curve.cumulative(ahead)),
         N_("those are the cumulative customers N_t, everyone acquired so far, not the new ones "
            "each period brings."), step),
        (np.asarray(curve.cumulative(ahead)) - float(curve.cumulative(now)),
         N_("those are all the customers won since now, added up: each period's new customers "
            "are only that period's growth."), step),
        (np.asarray(curve.new_customers(ahead)),
         N_("that is the rate n_t = dN/dt at the end of each period: a derivative is the speed "
            "at one instant, not the customers won over the period."), step),
        (np.asarray(curve.new_customers(ahead - 1)),
         N_("that is the rate n_t = dN/dt at the start of each period: a derivative is the "
            "speed at one instant, not the customers won over the period."), step),
        (np.diff(curve.cumulative(np.arange(now + 1, now + periods + 2))),
         N_("your periods are one off: the first one runs from now to now + 1."), step),
    ]
    return Case(label, args, expected, _differing(wrongs, expected), seen=seen)


def new_customers_next(func: Callable) -> CheckResult:
    """Check 05.2: the new customers of each of the next periods on a logistic S-curve.

    Parameters
    ----------
    func : callable
        ``func(alpha, beta, gamma, now, periods)`` returning an array of
        ``periods`` numbers.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> def cumulative(alpha, beta, gamma, now, periods):
    ...     t = now + np.arange(1, periods + 1)
    ...     return alpha / (1 + np.exp(-beta - gamma * t))
    >>> new_customers_next(cumulative).because  # doctest: +ELLIPSIS
    'those are the cumulative customers N_t...'
    """
    rng = unseen_rng(502)
    drawn = [(round(float(rng.uniform(1.0, 200.0)), 3), round(float(rng.uniform(-7.0, -2.0)), 3),
              round(float(rng.uniform(0.1, 0.5)), 3), int(rng.integers(6, 30)),
              int(rng.integers(4, 13))) for _ in range(2)]
    return check_function(
        "05.2 new_customers_next", func,
        [_cohorts_case(LESSON, cases.S_CURVE, True),
         *(_cohorts_case(N_("S-curves you have not seen (random alpha, beta, gamma, now and "
                            "periods)"), args, False) for args in drawn)],
        hints=Hints(N_("the S-curve counts everyone acquired by period t; a period's new "
                       "customers are how much that count grows over the period, from its start "
                       "to its end."),
                    N_("evaluate N_t = alpha / (1 + exp(-beta - gamma t)) at now, now + 1, ..., "
                       "now + periods and take the differences of neighbours.")),
    )


# --- 05.3 what a 1% better retention is worth ------------------------------------------------


def _retention_effect(m: float, r: float, i: float) -> float:
    table = equity.elasticities(lambda retention_rate: _multiple(m, retention_rate, i),
                                {"retention_rate": r})
    return float(table["percent_change"].iloc[0])


def _multiple(m: float, r: float, i: float) -> float:
    return m * r / (1 + i - r)


def retention_effect(func: Callable) -> CheckResult:
    """Check 05.3: the % change of the margin multiple when retention improves by 1%.

    Parameters
    ----------
    func : callable
        ``func(margin, retention_rate, discount_rate)`` returning a percentage
        (3.8 for 3.8%).

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> def one_percent_better(m, r, i):
    ...     return 100 * (1.01 * r / (1 + i - 1.01 * r) / (r / (1 + i - r)) - 1)
    >>> print(retention_effect(one_percent_better))
    Right: 05.3 retention_effect is correct.
    """
    same = N_("compute the margin multiple at r and at r * 1.01 and compare: "
              "100 * (after / before - 1).")
    mistakes = [
        (lambda m, r, i: 100 * (_multiple(m, r + 0.01, i) / _multiple(m, r, i) - 1),
         N_("you raised retention by one point (r + 0.01); a 1% improvement is r * 1.01."), same),
        (lambda m, r, i: _multiple(m, 1.01 * r, i) / _multiple(m, r, i) - 1,
         N_("that is the change as a fraction; the exercise asks for percent (3.8 for 3.8%)."),
         N_("multiply the fraction by 100.")),
        (lambda m, r, i: float(equity.margin_multiple_elasticities(r, i)["retention_rate"]),
         N_("that is the elasticity (1 + i) / (1 + i - r), a derivative: the change for an "
            "infinitely small step. A derivative is not a 1% step: the margin multiple bends "
            "upwards in r, so a real 1% step changes it by more."), same),
        (lambda m, r, i: 100 * ((1 + i - r) / (1 + i - 1.01 * r) - 1),
         N_("that is the change of m (1 + i) / (1 + i - r), the value with a first margin now, "
            "for certain; the exercise's margin multiple is m r / (1 + i - r)."), same),
        (lambda m, r, i: _multiple(m, 1.01 * r, i) - _multiple(m, r, i),
         N_("that is the change in money, not in percent of the value before."), same),
    ]
    return _formula_check(
        "05.3 retention_effect", func, cases.lesson_cases(cases.RETENTION_CASES),
        _random_cases(503, "m={:g}, r={:g}, i={:g}", lambda g: (
            float(g.integers(10, 500)), round(g.uniform(0.4, 0.95), 3),
            round(g.uniform(0.01, 0.2), 3)), 6),
        _retention_effect, mistakes,
        Hints(N_("value the customer twice, with the retention rate as it is and 1% better "
                 "(one hundredth of itself more), and say by how many percent the value moved."),
              same),
    )



# --- 05.4 the discount share by tenure year -------------------------------------------------

def discount_share_by_tenure_year(func: Callable, data_dir=None) -> CheckResult:
    """Check 05.4: the share of list value given as discount, by tenure year.

    Parameters
    ----------
    func : callable
        ``func(transactions, observation_end)`` returning a Series indexed by
        tenure year 1, 2, ...
    data_dir : path, optional
        The lesson's data folder (None: the kit's ``datasets/``).

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> def not_yet(transactions, observation_end):
    ...     raise NotImplementedError()
    >>> discount_share_by_tenure_year(not_yet).status
    'unanswered'
    """
    return check_function(
        "05.4 discount_share_by_tenure_year", func, cases.share_cases(data_dir),
        hints=Hints(N_("a customer's tenure year counts from their own first purchase day, in "
                       "years of 365.25 days; the share of list value given away is all the "
                       "discounts of that year over all its list value (amount + discount), "
                       "returns included, for the lines up to and including observation_end."),
                    N_("keep the lines whose day is on or before observation_end; a customer's "
                       "first purchase day is their earliest day with amount > 0; tenure year = "
                       "floor(days since the first purchase day / 365.25) + 1. Group by it and "
                       "divide sum(discount) by sum(amount + discount).")),
    )


# --- 05.5 the change of equity in three parts ------------------------------------------------


def equity_change_parts(func: Callable, data_dir=None) -> CheckResult:
    """Check 05.5: the change of customer equity as (acquisition, expansion, mortality).

    Mortality is asked as a positive number, the value lost.

    Parameters
    ----------
    func : callable
        ``func(before, after, active)`` returning a tuple of three numbers.
    data_dir : path, optional
        The lesson's data folder (None: the kit's ``datasets/``).

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> equity_change_parts(lambda before, after, active: (0.0, 0.0)).because
    'a tuple of 3 values is expected, got (0.0, 0.0).'
    """
    return check_function(
        "05.5 equity_change_parts", func, kit_cases(cases.change_build, data_dir),
        hints=Hints(N_("equity grows by the customers won (acquisition) and by the change in "
                       "value of the customers kept (expansion), and shrinks by what the "
                       "customers lost take away (mortality); every date-1 customer is either "
                       "kept (bought in between) or lost, and the three parts add up to the "
                       "change."),
                    N_("the new customers are in after but not in before; expansion sums after "
                       "- before over the ids in active; mortality sums before - after over the "
                       "other date-1 customers, as a positive number.")),
    )


# --- 05.6 the budget split, a decision ------------------------------------------------------


def _budget_case(label: str, case: dict, seen: bool, unit: str) -> Case:
    budget, prospects, customers = case["budget"], case["prospects"], case["customers"]
    plan = equity.optimal_spend(acquisition=case["acquisition"], retention=case["retention"],
                                margin=case["margin"], discount_rate=case["discount_rate"])
    free = plan.acquisition_spend * prospects + plan.retention_spend * customers
    scan = N_("score shares from 0 to 1 with equity.split_equity and keep the best one.")
    wrongs = [
        (0.0, N_("you spent the whole budget on retention: no prospect is won, and the last "
                 "dollars spent keeping customers buy little more retention (returns "
                 "diminish)."), scan),
        (1.0, N_("you spent the whole budget on acquisition: with no retention spending nobody "
                 "is kept, so every customer, old or new, is worth a single margin."), scan),
        (0.5, N_("half and half is no reason: the split should follow what the last dollar buys "
                 "on each side."), scan),
        (prospects / (prospects + customers),
         N_("you split the budget by head count, prospects against customers; what matters is "
            "what the last dollar buys on each side."), scan),
        (plan.acquisition_spend * prospects / free,
         N_("you split the budget in the proportions of the unconstrained optimum "
            "(optimal_spend), which spends its own amounts whatever the budget; with this "
            "budget the last dollar buys more on one side."), scan),
    ]
    return Case(label, (budget, prospects, customers, case["acquisition"], case["retention"],
                        case["margin"], case["discount_rate"]),
                mistakes=tuple(Mistake(*w) for w in cases.decision_mistakes(case, wrongs)),
                seen=seen, score=lambda decision: cases.split_score(case, cases.as_share(decision)),
                best=cases.best_split(case).equity, unit=unit)


def split_budget(func: Callable) -> CheckResult:
    """Check 05.6 (a decision): the share of a budget to spend on acquisition.

    The share is scored by the customer equity it leads to
    (:func:`relmark_lab.equity.split_equity`) and passes at 95% of what the
    best split earns (:func:`relmark_lab.equity.best_split`), on the course's
    curves and on random ones whose best split differs clearly.

    Parameters
    ----------
    func : callable
        ``func(budget, prospects, customers, acquisition, retention, margin,
        discount_rate)`` returning a number from 0 to 1.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> print(split_budget(lambda *args: 1.5))  # doctest: +ELLIPSIS
    Wrong, because your decision cannot be carried out: the share of the budget for ...
    """
    unseen = [cases.random_budget(506, 0.03, 0.2), cases.random_budget(507, 0.7, 0.97)]
    return check_function(
        "05.6 split_budget", func,
        [_budget_case(LESSON, cases.BUDGET_CASE, True, _("dollars")),
         *(_budget_case(_("budgets you have not seen (random response curves, {budget} "
                          "dollars)").format(budget=f"{case['budget']:,.0f}"), case, False,
                        _("dollars"))
           for case in unseen)],
        hints=Hints(N_("each dollar should go where it adds the most customer equity; both "
                       "kinds of spending approach a ceiling (returns diminish), so the best "
                       "split is usually inside, where the last dollar adds as much on either "
                       "side."),
                    N_("score many shares from 0 to 1 (every 1% or finer) with "
                       "equity.split_equity(share, budget, prospects=..., ...) and return the "
                       "share with the highest equity.")),
    )
