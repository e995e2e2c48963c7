"""Checking a pilot's power formula by simulation: run the actual test on simulated pilots.

:func:`~relmark_lab.programs.design.sample_size` trusts a formula (Cohen's
standardized effects, statsmodels' power classes); :func:`simulated_power`
runs the test the pilot will use on many simulated pilots of the design's
size and counts how often it rejects, so the formula is checked against
the test itself, also on the firm's own skewed outcomes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from statsmodels.stats.proportion import test_proportions_2indep as two_proportion_test
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from relmark_lab._validate import require_whole_number
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _
from relmark_lab.programs.design import PilotDesign, _power, sample_size  # noqa: F401

__all__ = ["SimulatedPower", "simulated_power"]

#: Simulated outcomes drawn at once, to keep memory small for large pilots.
_BATCH_VALUES = 2_000_000


@dataclass(frozen=True)
class SimulatedPower:
    """How often the actual test rejected over simulated pilots, next to the formula's power.

    Attributes
    ----------
    rejection_rate : float
        Share of simulated pilots whose two-sided test rejected at ``alpha``.
    std_error : float
        Its Monte Carlo standard error, ``sqrt(rate (1 - rate) / simulations)``.
    formula_power : float
        The power formula at the simulated (whole) arm sizes.
    simulations, n_treated, n_control : int
        Pilots simulated and their arms' members.
    test : str
        The test run on each pilot.
    """

    rejection_rate: float
    std_error: float
    formula_power: float
    simulations: int
    n_treated: int
    n_control: int
    test: str


def simulated_power(design: PilotDesign, *, simulations: int = 2000, seed: int = 0,
                    outcomes: Sequence[float] | None = None) -> SimulatedPower:
    """Run the design's test on ``simulations`` simulated pilots and count rejections.

    Means: normal outcomes with the design's ``sd``, the treated mean
    ``effect`` above the control's, Welch's t-test. Proportions: binomial
    counts at ``baseline`` and ``baseline + effect``, the pooled
    two-proportion z-test (a pilot with no variation is a non-rejection).
    Arms have the design's members rounded up. With ``outcomes`` (means only),
    each simulated member is one of those values drawn with replacement — the
    firm's own skewed data, e.g. members' pre-launch orders — plus ``effect``
    for the treated, instead of a normal draw.

    Examples
    --------
    >>> check = simulated_power(sample_size(0.5, sd=1.0), simulations=1000, seed=1)
    >>> abs(check.rejection_rate - check.formula_power) < 3 * check.std_error
    True
    """
    if not isinstance(design, PilotDesign):
        raise DataError(_("design must be a PilotDesign from sample_size or "
                          "minimum_detectable_effect, got {kind}.").format(
                              kind=type(design).__name__))
    simulations = require_whole_number("simulations", simulations, low=10)
    rng = np.random.default_rng(require_whole_number("seed", seed, low=0))
    n1, n0 = design.members_treated, design.members_control
    values = None if outcomes is None else np.asarray(outcomes, dtype=float)
    if values is not None and (design.kind != "means" or values.ndim != 1 or len(values) < 2
                               or not np.isfinite(values).all()):
        raise DataError(_("outcomes must be at least two finite numbers, for a design of "
                          "means."))
    if design.kind == "means":
        test, p_values = "Welch t-test", []
        batch = max(1, _BATCH_VALUES // (n1 + n0))
        for start in range(0, simulations, batch):
            size = min(batch, simulations - start)
            if values is None:
                treated = rng.normal(design.effect, design.sd, (n1, size))
                control = rng.normal(0.0, design.sd, (n0, size))
            else:
                treated = rng.choice(values, (n1, size)) + design.effect
                control = rng.choice(values, (n0, size))
            p_values.append(CompareMeans(DescrStatsW(treated), DescrStatsW(control))
                            .ttest_ind(usevar="unequal")[1])
        p = np.concatenate(p_values)
    else:
        test = "two-proportion z-test"
        count1 = rng.binomial(n1, design.baseline + design.effect, simulations)
        count0 = rng.binomial(n0, design.baseline, simulations)
        with np.errstate(divide="ignore", invalid="ignore"):
            p = two_proportion_test(count1, n1, count0, n0, method="score", compare="diff",
                                        correction=False).pvalue
    rate = float(np.mean(np.nan_to_num(p, nan=1.0) < design.alpha))
    formula = float(_power(design.kind, design.standardized_effect, n1, design.alpha, n0 / n1)[0])
    return SimulatedPower(rate, math.sqrt(rate * (1 - rate) / simulations), formula,
                          simulations, n1, n0, test)
