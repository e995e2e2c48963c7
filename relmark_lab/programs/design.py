"""Designing the pilot (prueba piloto): how many members, who is treated, whether arms match.

Lesson 06 starts before any data: how many members must a pilot enrol for
its test to see the lift the program is meant to bring? The answer depends
on the lift, its noise, the test's level ``alpha`` and the wanted ``power``
(the chance that the test detects a lift that is there):

- a difference in **means** (revenue, orders per member per month) is
  standardized by the outcome's standard deviation, Cohen's
  ``d = effect / sd``, and sized for Welch's t-test (statsmodels'
  ``TTestIndPower``);
- a difference in **proportions** (retention, activity) is standardized on
  the arcsine scale, Cohen's ``h = 2 asin(sqrt(p1)) - 2 asin(sqrt(p0))``, and
  sized for the two-proportion z-test (``NormalIndPower``).

:func:`sample_size` solves for the members, :func:`minimum_detectable_effect`
for the lift, :func:`power_curve` draws the trade-off, and
:mod:`.simulated_power` checks the formula by running the actual test on
simulated pilots. Who gets treated, and whether the arms match, is
:mod:`relmark_lab.programs.assignment` (re-exported here).

Examples
--------
>>> design = sample_size(0.05, kind="proportions", baseline=0.20)  # 20% -> 25%
>>> round(design.standardized_effect, 4), round(design.n_treated, 1)
(0.1199, 1091.9)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.power import NormalIndPower, TTestIndPower
from statsmodels.stats.proportion import proportion_effectsize

from relmark_lab._validate import require_choice, require_number
from relmark_lab.clv._inputs import require_values
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _
from relmark_lab.programs._effect import require_probability
from relmark_lab.programs.assignment import balance_table, stratified_assignment

__all__ = [
    "KINDS",
    "PilotDesign",
    "balance_table",  # from relmark_lab.programs.assignment, where the arms are drawn
    "minimum_detectable_effect",
    "power_curve",
    "sample_size",
    "stratified_assignment",
]

#: The outcomes a pilot is sized for: a difference in means or in proportions.
KINDS = ("means", "proportions")


@dataclass(frozen=True)
class PilotDesign:
    """A pilot's size, the effect it detects, and the test's level and power.

    Attributes
    ----------
    kind : {"means", "proportions"}
        What the outcome is.
    effect : float
        The difference treated minus control, in the outcome's unit (a
        share, for proportions).
    standardized_effect : float
        Cohen's d (``effect / sd``) or h (arcsine scale), signed as ``effect``.
    n_treated, n_control : float
        Members per arm as the power formula gives them (not rounded).
    alpha, power, ratio : float
        Two-sided level, power, and control members per treated member.
    sd, baseline : float or None
        The outcome's standard deviation (means) or the control proportion.

    Examples
    --------
    >>> print(sample_size(0.5, sd=1.0))
    64 treated + 64 control members detect an effect of 0.5 (d = 0.5) with 80% power \
at alpha = 0.05.
    """

    kind: str
    effect: float
    standardized_effect: float
    n_treated: float
    n_control: float
    alpha: float
    power: float
    ratio: float
    sd: float | None = None
    baseline: float | None = None

    @property
    def n_total(self) -> float:
        """Members in both arms (not rounded)."""
        return self.n_treated + self.n_control

    @property
    def members_treated(self) -> int:
        """Members to enrol in the treated arm: ``n_treated`` rounded up."""
        return math.ceil(self.n_treated - 1e-9)

    @property
    def members_control(self) -> int:
        """Members to keep as controls: ``n_control`` rounded up."""
        return math.ceil(self.n_control - 1e-9)

    def __str__(self) -> str:
        symbol = "d" if self.kind == "means" else "h"
        return _("{treated:,} treated + {control:,} control members detect an effect of "
                 "{effect:.4g} ({symbol} = {standardized:.4g}) with {power:.0%} power at "
                 "alpha = {alpha:g}.").format(
                     treated=self.members_treated, control=self.members_control,
                     effect=self.effect, symbol=symbol, standardized=self.standardized_effect,
                     power=self.power, alpha=self.alpha)


def _analysis(kind: str) -> TTestIndPower | NormalIndPower:
    return TTestIndPower() if kind == "means" else NormalIndPower()


def _inputs(kind: str, sd: Any, baseline: Any, alpha: Any, ratio: Any) -> tuple[float | None, ...]:
    """Checked ``sd`` or ``baseline`` (whichever ``kind`` needs), ``alpha`` and ``ratio``."""
    require_choice("kind", kind, KINDS)
    if kind == "means":
        if sd is None:
            raise DataError(_("sd is required for kind='means': the outcome's standard "
                              "deviation per member, in the outcome's unit (e.g. revenue per "
                              "month)."))
        sd, baseline = require_number("sd", sd, low=0, low_open=True), None
    else:
        if baseline is None:
            raise DataError(_("baseline is required for kind='proportions': the control arm's "
                              "proportion, e.g. 0.20 for 20% retention."))
        sd, baseline = None, require_probability("baseline", baseline)
    return sd, baseline, require_probability("alpha", alpha), require_number("ratio", ratio, low=0,
                                                                      low_open=True)


def _standardize(effect: Any, kind: str, sd: float | None, baseline: float | None) -> float:
    """Cohen's d or h of a checked, non-zero ``effect``."""
    effect = require_number("effect", effect)
    if effect == 0:
        raise DataError(_("effect must not be 0: no pilot is large enough to detect no "
                          "difference."))
    if kind == "means":
        return effect / sd
    treated = baseline + effect
    if not 0 < treated < 1:
        raise DataError(_("baseline + effect must be a proportion between 0 and 1 (both "
                          "excluded), got {baseline:g} + {effect:g} = {treated:g}.").format(
                              baseline=baseline, effect=effect, treated=treated))
    return float(proportion_effectsize(treated, baseline))


def _power(kind: str, standardized: float, n_treated: Any, alpha: float,
           ratio: float) -> np.ndarray:
    """The formula's power at each size; the normal test's where the t's is NaN.

    scipy's non-central t gives NaN for some large pilots whose power is
    within 1e-10 of 1; there the t and normal powers agree to that digit.
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        power = np.atleast_1d(_analysis(kind).power(abs(standardized), n_treated, alpha,
                                                    ratio=ratio)).astype(float)
        missing = np.isnan(power)
        if missing.any():
            sizes = np.broadcast_to(n_treated, power.shape)[missing]
            power[missing] = NormalIndPower().power(abs(standardized), sizes, alpha, ratio=ratio)
    return power


def _solve(kind: str, **arguments: float) -> float:
    """statsmodels' ``solve_power`` for the one missing argument, or DataError if it fails."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a failed search is reported below, in words
        try:
            value = float(np.squeeze(_analysis(kind).solve_power(**arguments)))
        except (ValueError, RuntimeError, ZeroDivisionError):
            value = float("nan")
    if not np.isfinite(value) or value <= 0:
        given = ", ".join(f"{k}={v:g}" for k, v in arguments.items() if v is not None)
        raise DataError(_("The power formula has no solution for {given}; check that the "
                          "numbers describe a pilot that can be run.").format(given=given))
    return value


def sample_size(effect: float, *, kind: str = "means", sd: float | None = None,
                baseline: float | None = None, alpha: float = 0.05, power: float = 0.8,
                ratio: float = 1.0) -> PilotDesign:
    """Members per arm for a two-sided test to detect ``effect`` with ``power``.

    Parameters
    ----------
    effect : float
        The lift to detect, treated minus control: in the outcome's unit for
        means (e.g. 5.0 currency per member per month), a difference of
        shares for proportions (0.05 for 20% -> 25%).
    kind : {"means", "proportions"}, default "means"
        Welch t-test on means, or the two-proportion z-test.
    sd : float, optional
        The outcome's standard deviation per member (means; same unit).
    baseline : float, optional
        The control arm's proportion (proportions), strictly in (0, 1).
    alpha : float, default 0.05
        Two-sided level of the test.
    power : float, default 0.8
        Chance of detecting ``effect`` when it is there; above ``alpha``.
    ratio : float, default 1.0
        Control members per treated member (0.25 keeps a small holdout).

    Returns
    -------
    PilotDesign
        ``n_treated`` and ``n_control`` as the formula gives them;
        ``members_treated`` / ``members_control`` rounded up to enrol.

    Examples
    --------
    >>> [round(sample_size(d, sd=1.0).n_treated, 1) for d in (0.2, 0.5, 0.8)]
    [393.4, 63.8, 25.5]
    >>> sample_size(10.0, sd=50.0).members_treated  # 10 a month on an sd of 50 is d = 0.2
    394
    """
    sd, baseline, alpha, ratio = _inputs(kind, sd, baseline, alpha, ratio)
    power = require_probability("power", power)
    if power <= alpha:
        raise DataError(_("power must be above alpha ({alpha:g}), got {power:g}.").format(
            alpha=alpha, power=power))
    standardized = _standardize(effect, kind, sd, baseline)
    n_treated = _solve(kind, effect_size=abs(standardized), nobs1=None, alpha=alpha,
                       power=power, ratio=ratio)
    return PilotDesign(kind, float(effect), standardized, n_treated, n_treated * ratio, alpha,
                       power, ratio, sd, baseline)


def minimum_detectable_effect(n_per_arm: float, *, kind: str = "means", sd: float | None = None,
                              baseline: float | None = None, alpha: float = 0.05,
                              power: float = 0.8, ratio: float = 1.0) -> PilotDesign:
    """The smallest lift a pilot of ``n_per_arm`` treated members detects with ``power``.

    Parameters are those of :func:`sample_size`; ``n_per_arm`` is the
    treated arm (the control arm has ``ratio`` times as many). For
    proportions the lift is the smallest **increase** over ``baseline``
    (for a fall in churn, size the rise in retention, ``1 - churn``).

    Returns
    -------
    PilotDesign
        ``effect`` in the outcome's unit and ``standardized_effect`` (d or h).

    Examples
    --------
    >>> mde = minimum_detectable_effect(1000, kind="proportions", baseline=0.20)
    >>> round(mde.standardized_effect, 4), round(mde.effect, 4)  # h; 20% -> 25.2%
    (0.1253, 0.0523)
    """
    sd, baseline, alpha, ratio = _inputs(kind, sd, baseline, alpha, ratio)
    power = require_probability("power", power)
    if power <= alpha:
        raise DataError(_("power must be above alpha ({alpha:g}), got {power:g}.").format(
            alpha=alpha, power=power))
    n_treated = require_number("n_per_arm", n_per_arm, low=2)
    standardized = _solve(kind, effect_size=None, nobs1=n_treated, alpha=alpha, power=power,
                          ratio=ratio)
    if kind == "means":
        effect = standardized * sd
    else:  # invert h = 2 asin(sqrt(p1)) - 2 asin(sqrt(p0)) for p1
        angle = math.asin(math.sqrt(baseline)) + standardized / 2
        if angle >= math.pi / 2:
            raise DataError(_("No proportion above baseline {baseline:g} is detectable with "
                              "n_per_arm={n_per_arm:g}: the pilot is too small.").format(
                                  baseline=baseline, n_per_arm=n_treated))
        effect = math.sin(angle) ** 2 - baseline
    return PilotDesign(kind, effect, standardized, n_treated, n_treated * ratio, alpha, power,
                       ratio, sd, baseline)


def power_curve(effects: float | Sequence[float], n_per_arm: Sequence[float] | None = None, *,
                kind: str = "means", sd: float | None = None, baseline: float | None = None,
                alpha: float = 0.05, ratio: float = 1.0) -> pd.DataFrame:
    """Power by pilot size for a few effects: the table behind a power-curve plot.

    Parameters
    ----------
    effects : float or sequence of float
        Lifts in the outcome's unit (see :func:`sample_size`).
    n_per_arm : sequence of float, optional
        Treated members to evaluate (each at least 2). Default: 50 sizes
        from 4 to the size giving the smallest effect 95% power.
    kind, sd, baseline, alpha, ratio
        As in :func:`sample_size`.

    Returns
    -------
    pandas.DataFrame
        One row per effect and size: ``effect``, ``standardized_effect``,
        ``n_treated``, ``n_control`` and ``power``.

    Examples
    --------
    >>> curve = power_curve([0.2, 0.5], [64, 394], sd=1.0)
    >>> curve["power"].round(2).tolist()
    [0.2, 0.8, 0.8, 1.0]
    """
    sd, baseline, alpha, ratio = _inputs(kind, sd, baseline, alpha, ratio)
    lifts = np.atleast_1d(require_values("effects", effects))
    standardized = [_standardize(float(lift), kind, sd, baseline) for lift in lifts]
    if n_per_arm is None:
        top = _solve(kind, effect_size=min(map(abs, standardized)), nobs1=None, alpha=alpha,
                     power=0.95, ratio=ratio)
        sizes = np.unique(np.round(np.geomspace(4, max(top, 8), 50)))
    else:
        sizes = np.atleast_1d(require_values("n_per_arm", n_per_arm, low=2))
    rows = [
        pd.DataFrame({"effect": lift, "standardized_effect": h, "n_treated": sizes,
                      "n_control": sizes * ratio, "power": _power(kind, h, sizes, alpha, ratio)})
        for lift, h in zip(lifts, standardized, strict=True)
    ]
    curve = pd.concat(rows, ignore_index=True)
    curve.attrs.update(kind=kind, alpha=alpha, ratio=ratio, sd=sd, baseline=baseline)
    return curve
