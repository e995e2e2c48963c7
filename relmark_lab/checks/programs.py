"""Self-checks for the exercises of lesson 06, program evaluation (evaluación de programas).

Each function takes the student's function, runs it on the lesson's numbers
or data and on numbers or data the student has not seen
(:mod:`relmark_lab.checks._programs_cases`), compares the answer with what
:mod:`relmark_lab.programs` computes and returns a
:class:`~relmark_lab.checks.CheckResult`. The pilot's size (06.1) is a
formula answered case by case; the next phase (06.5) is a decision, scored
by the expected value of the choice.

Examples
--------
>>> from relmark_lab.checks import programs as check
>>> def recovery_effect(cases):
...     share = cases.groupby("group")["retained"].mean()
...     return share["usual"] - share["call_back"]
>>> print(check.recovery_effect(recovery_effect))  # doctest: +ELLIPSIS
Wrong, because that is usual minus call-back...
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from relmark_lab import programs
from relmark_lab.checks import _programs_cases as cases
from relmark_lab.checks._clv_contractual import _differing, _formula_check, _random_cases
from relmark_lab.checks._core import (
    DECISION_SHARE,
    Case,
    CheckResult,
    Hints,
    Mistake,
    check_function,
)
from relmark_lab.i18n import N_, get_language

__all__ = [
    "difference_in_differences",
    "members_per_arm",
    "next_phase",
    "recovery_effect",
    "standardized_difference",
]


def _cached(make: Callable, inputs: Callable, data_dir: Any) -> tuple[Case, ...]:
    """The cases of a check on ``data_dir``, made once per language (the check copies their
    arguments; their labels and some clauses are written in the language in use)."""
    return _cached_in(make, inputs, data_dir, get_language())


@functools.lru_cache(maxsize=16)
def _cached_in(make: Callable, inputs: Callable, data_dir: Any, language: str
               ) -> tuple[Case, ...]:
    return tuple(make(*case) for case in inputs(data_dir))


# --- 06.1 members per arm -------------------------------------------------------------------


_SIZE_STEP = N_("compute h with proportion_effectsize(treated share, baseline share), then let "
                "NormalIndPower().solve_power find nobs1 for that effect_size, alpha and power "
                "(ratio=1.0: equal arms).")
_SIZE_MISTAKES = [
    (lambda b, lift, a, p: cases.t_members(math.sqrt(b * (1 - b)), lift, a, p),
     N_("you sized a difference in means (a t-test on Cohen's d) with the baseline share's "
        "standard deviation, sqrt(p (1 - p)); a share's spread changes with the share itself, "
        "so a rise in a share is sized on the arcsine scale, Cohen's h."), _SIZE_STEP),
    (lambda b, lift, a, p: cases.t_members(
        math.sqrt((b * (1 - b) + (b + lift) * (1 - b - lift)) / 2), lift, a, p),
     N_("you sized a difference in means (a t-test) with the two shares' average variance: "
        "close, but the exercise sizes the two-proportion test on Cohen's h."), _SIZE_STEP),
    (lambda b, lift, a, p: cases.normal_members(cases.cohen_h(b, lift), a, p, "larger"),
     N_("you sized a one-sided test (alternative='larger'); the pilot's test is two-sided, "
        "which needs more members to reach the same power."),
     N_("leave solve_power's alternative at its default, 'two-sided'.")),
    (lambda b, lift, a, p: 2 * cases.members_needed(b, lift, a, p),
     N_("that counts the members of both arms together; the exercise asks for the members per "
        "arm."), N_("with ratio=1, solve_power's nobs1 is already the size of one arm.")),
    (lambda b, lift, a, p: 4 * cases.members_needed(b, lift, a, p),
     N_("your h lacks its factor 2: Cohen's h = 2 asin(sqrt(p1)) - 2 asin(sqrt(p0)), and a "
        "half-size effect needs four times the members."), _SIZE_STEP),
    (lambda b, lift, a, p: float(math.ceil(cases.members_needed(b, lift, a, p))),
     N_("you rounded up to whole members; return the formula's number as it is (round up only "
        "when you enrol them)."), N_("return the float solve_power gives, without math.ceil.")),
    (lambda b, lift, a, p: cases.members_needed(b, lift, 0.05, 0.8),
     N_("your answer does not change with alpha and power: they are arguments of the "
        "function."), N_("pass the function's alpha and power on to solve_power.")),
]


def members_per_arm(func: Callable) -> CheckResult:
    """Check 06.1: members per arm to detect a rise in a share from ``baseline`` by ``lift``.

    Parameters
    ----------
    func : callable
        ``func(baseline, lift, alpha, power)`` returning a number (not rounded).

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> from statsmodels.stats.power import NormalIndPower
    >>> from statsmodels.stats.proportion import proportion_effectsize
    >>> def per_arm(baseline, lift, alpha=0.05, power=0.8):
    ...     h = proportion_effectsize(baseline + lift, baseline)
    ...     return NormalIndPower().solve_power(h, nobs1=None, alpha=alpha, power=power)
    >>> print(members_per_arm(per_arm))
    Right: 06.1 members_per_arm is correct.
    """
    unseen = _random_cases(601, "baseline={:g}, lift={:g}, alpha={:g}, power={:g}",
                           cases.size_draw, 5)
    return _formula_check(
        "06.1 members_per_arm", func, cases.lesson_cases(cases.SIZE_CASES), unseen,
        cases.members_needed, _SIZE_MISTAKES,
        Hints(N_("a pilot must be large enough that a two-sided test at level alpha finds a "
                 "real rise from the baseline share to baseline + lift with probability power; "
                 "a rise in a share is measured on the arcsine scale (Cohen's h), where equal "
                 "steps are equally hard to detect, whatever the share."), _SIZE_STEP),
    )


# --- 06.2 the standardized mean difference ---------------------------------------------------


def _smd_parts(frame, treatment: str, covariate: str, ddof: int = 1) -> tuple[float, ...]:
    treated = frame[treatment].astype(float).to_numpy() == 1
    x = frame[covariate].astype(float).to_numpy()
    return (x[treated].mean() - x[~treated].mean(), x[treated].var(ddof=ddof),
            x[~treated].var(ddof=ddof), int(treated.sum()), int((~treated).sum()),
            x.std(ddof=1))


def _smd_case(label: str, args: tuple, seen: bool) -> Case:
    frame, treatment, covariate = args
    expected = float(programs.balance_table(frame, treatment, [covariate])["smd"].iloc[0])
    gap, var_t, var_c, n_t, n_c, sd_all = _smd_parts(*args)
    _, pop_t, pop_c, *_ = _smd_parts(*args, ddof=0)
    equal = N_("divide by sqrt((var_treated + var_control) / 2), each arm's own sample "
               "variance.")
    wrongs = [
        (gap / math.sqrt(var_c),
         N_("you divided by the controls' standard deviation only (Glass's delta); the SMD "
            "pools both arms, weighing each arm's variance equally."), equal),
        (gap / math.sqrt(((n_t - 1) * var_t + (n_c - 1) * var_c) / (n_t + n_c - 2)),
         N_("you pooled the variances weighted by the arms' sizes (the t-test's pooled SD); the "
            "balance SMD weighs the two arms equally, so the larger arm does not set the "
            "scale."), equal),
        (gap / sd_all,
         N_("you divided by the standard deviation of all members together; it includes the "
            "very gap between the arms you are measuring."), equal),
        (abs(expected),
         N_("you returned the absolute value; the SMD keeps its sign: positive when the treated "
            "members have more of the covariate."), N_("drop abs().")),
        (gap / math.sqrt((pop_t + pop_c) / 2),
         N_("you used population variances (divided by n, NumPy's default ddof=0); the SMD uses "
            "sample variances (divided by n - 1)."),
         N_("use pandas' Series.var(), or np.var(..., ddof=1).")),
        (-expected,
         N_("you subtracted the treated mean from the control mean; the SMD is treated minus "
            "control."), N_("mean of the treated (1) minus mean of the controls (0).")),
        (gap,
         N_("that is the difference in means, in the covariate's own unit; the SMD divides it "
            "by the arms' pooled standard deviation, so covariates in pesos and in months "
            "compare."), equal),
    ]
    return Case(label, args, expected, _differing(wrongs, expected), seen=seen)


def standardized_difference(func: Callable, data_dir=None) -> CheckResult:
    """Check 06.2: a covariate's standardized mean difference, treated minus control.

    Parameters
    ----------
    func : callable
        ``func(frame, treatment, covariate)`` returning a number.
    data_dir : path, optional
        The lesson's data folder (None: the kit's ``datasets/``).

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> def not_yet(frame, treatment, covariate):
    ...     raise NotImplementedError()
    >>> standardized_difference(not_yet).status
    'unanswered'
    """
    return check_function(
        "06.2 standardized_difference", func, _cached(_smd_case, cases.balance_cases, data_dir),
        hints=Hints(N_("the SMD says how far apart the two arms are on a covariate before the "
                       "program, in standard deviations: the gap in means (treated minus "
                       "control) over a spread both arms share equally, so that covariates of "
                       "any unit compare and 0.1 is a sign of imbalance."),
                    N_("(mean_treated - mean_control) / sqrt((var_treated + var_control) / 2), "
                       "with each arm's sample variance (ddof=1).")),
    )


# --- 06.3 difference-in-differences ---------------------------------------------------------

_DID_STEP = N_("four means of orders over member-months: enrolled and not, before and from "
               "post_from; the effect is (enrolled after - enrolled before) - (others after - "
               "others before).")
_DID_MISTAKES = [
    ("naive", N_("that is the naive comparison after the launch: members who join on their own "
                 "bought more already before the program (heavy buyers enrol), and that head "
                 "start is in it."), N_("subtract each group's own before-launch mean first.")),
    ("enrolled", N_("that is the enrolled members' own change, before to after; it includes "
                    "what changed for everyone (the season, the trend), which the other "
                    "members' change measures."),
     N_("subtract the change of the members not enrolled.")),
    ("reversed", N_("your sign is reversed: the change of the enrolled members comes first."),
     _DID_STEP),
    ("launch before", N_("the month post_from was counted before the launch; it is the first "
                         "month of the program."),
     N_("months >= post_from are after; earlier months are before.")),
    ("head start", N_("that is the gap between the groups before the launch (their head "
                      "start), not the program's effect."), _DID_STEP),
    ("revenue", N_("that is the effect on revenue; the exercise asks for orders per "
                   "member-month."), N_("use the orders column.")),
    ("other designs", N_("your comparison group includes panel members who are not in members "
                         "(the other designs' pilots); compare only the members given."),
     N_("keep the panel rows whose member_id is in members first.")),
]


def _did_case(label: str, args: tuple, seen: bool) -> Case:
    expected = cases.did_reference(*args)
    wrongs = [(cases.did_variant(*args, kind), because, hint)
              for kind, because, hint in _DID_MISTAKES]
    return Case(label, args, expected, _differing(wrongs, expected), seen=seen)


def difference_in_differences(func: Callable, data_dir=None) -> CheckResult:
    """Check 06.3: the program's effect on orders per member-month, difference-in-differences.

    Parameters
    ----------
    func : callable
        ``func(panel, members, post_from)`` returning a number.
    data_dir : path, optional
        The lesson's data folder (None: the kit's ``datasets/``).

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> print(difference_in_differences(lambda panel, members, post_from: 1.5))
    ... # doctest: +ELLIPSIS
    Wrong, because your answer, 1.5, is ...
    """
    return check_function(
        "06.3 difference_in_differences", func,
        _cached(_did_case, cases.did_inputs, data_dir),
        hints=Hints(N_("members who join a program on their own differ from the others before "
                       "it starts; difference-in-differences compares how much each group "
                       "changed from before the launch to after it, so a head start that stays "
                       "the same cancels out, and so does what changed for everyone."),
                    _DID_STEP),
    )


# --- 06.4 the complaint-recovery effect -----------------------------------------------------

_SHARES = N_("the share retained of each group is its mean of retained; subtract usual from "
             "call-back.")
_RECOVERY_MISTAKES = [
    ("ratio", N_("that is the ratio of the two shares; the effect is their difference, in "
                 "shares of customers."), _SHARES),
    ("lift", N_("that is the relative lift (ratio - 1); the effect is the difference of the "
                "two shares."), _SHARES),
    ("percent", N_("that is the difference in percentage points; the exercise asks for a "
                   "fraction (0.05 for 5 points)."), N_("do not multiply by 100.")),
    ("overall", N_("that is the share retained over all complainers; the effect compares the "
                   "call-back group with the usual one."), _SHARES),
    ("reversed", N_("that is usual minus call-back; the effect is call-back minus usual."),
     _SHARES),
    ("counts", N_("that is the difference in the numbers retained; groups of different sizes "
                  "compare by their shares."), _SHARES),
    ("call_back only", N_("that is the call-back group's share alone; subtract what the usual "
                          "process keeps anyway."), _SHARES),
]


def _recovery_case(label: str, frame, seen: bool) -> Case:
    expected = float(programs.proportion_effect(frame, "retained", group="group",
                                                treated="call_back").estimate)
    wrongs = [(cases.recovery_variant(frame, kind), because, hint)
              for kind, because, hint in _RECOVERY_MISTAKES]
    return Case(label, (frame,), expected, _differing(wrongs, expected), seen=seen)


def recovery_effect(func: Callable, data_dir=None) -> CheckResult:
    """Check 06.4: the share retained with a call-back minus with the usual process.

    Parameters
    ----------
    func : callable
        ``func(cases)`` returning a fraction.
    data_dir : path, optional
        The lesson's data folder (None: the kit's ``datasets/``).

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> recovery_effect(lambda cases: cases["retained"].mean()).because  # doctest: +ELLIPSIS
    'that is the share retained over all complainers...'
    """
    return check_function(
        "06.4 recovery_effect", func, _cached(_recovery_case, cases.recovery_cases, data_dir),
        hints=Hints(N_("complainers were randomized to a fast call-back or the usual process, "
                       "so the program's effect is how many more of them, as a share, stay with "
                       "a call-back than without it."), _SHARES),
    )


# --- 06.5 the next phase, a decision --------------------------------------------------------


def _phase_case(label: str, args: tuple, seen: bool) -> Case:
    draws = np.asarray(args[0], dtype=float)
    values = cases.choice_values(*args)
    best = max(values.values())
    mark = best - (1 - DECISION_SHARE) * abs(best)
    tie = (draws <= 0).all()  # waiting is worth 0, as stopping; only stopping is right
    step = N_("compare members x mean(net_values) (roll out), the same with the losses set to "
              "0 and discounted over wait_periods months (wait), and 0 (stop).")
    known = tuple(Mistake(choice, cases.why_it_loses(choice, draws) + (
        cases.earns(value, best) if value < best else ""), step)
        for choice, value in values.items()
        if value < mark or (tie and choice == "wait for another phase"))
    return Case(label, args, mistakes=known, seen=seen,
                score=lambda decision: values[cases.as_choice(decision)], best=best,
                unit="MXN")


def _as_text(func: Callable) -> Callable:
    """A text decision without case or extra spaces, so it meets its mistakes; else as it is."""
    def run(*args: Any) -> Any:
        return cases.tidy_choice(func(*args))
    return run if callable(func) else func


def next_phase(func: Callable, data_dir=None) -> CheckResult:
    """Check 06.5 (a decision): roll out, wait for another phase, or stop.

    The choice is scored by its expected value in MXN, as
    :func:`relmark_lab.programs.rollout_decision` computes it (roll out:
    members x the mean net value; wait: members x the mean of the draws with
    losses set to 0, discounted ``wait_periods`` months at ``discount_rate``
    a year; stop: 0), and passes at 95% of the best choice's. When no draw
    pays, waiting is worth 0 like stopping, and only stopping passes.

    Parameters
    ----------
    func : callable
        ``func(net_values, members, wait_periods, discount_rate)`` returning
        "roll out", "wait for another phase" or "stop".
    data_dir : path, optional
        The lesson's data folder (None: the kit's ``datasets/``).

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> print(next_phase(lambda *args: "launch"))  # doctest: +ELLIPSIS
    Wrong, because your decision cannot be carried out: the decision must be 'roll out', ...
    """
    return check_function(
        "06.5 next_phase", _as_text(func), _cached(_phase_case, cases.phase_cases, data_dir),
        hints=Hints(N_("each choice has an expected value: rolling out now earns the members "
                       "times the average net value, good draws and bad; another phase first "
                       "lets you roll out later only if the program pays, but that value comes "
                       "after the phase and is discounted; stopping earns nothing. Choose the "
                       "largest."),
                    N_("compare members x mean(net_values) (roll out), members x mean(max(draw, "
                       "0)) discounted wait_periods months at the monthly rate that compounds "
                       "to discount_rate a year (wait), and 0 (stop); when none is above 0, "
                       "stop.")),
    )
