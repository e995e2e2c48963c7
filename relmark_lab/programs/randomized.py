"""Measuring the randomized pilot rigorously: the program's effect with an honest interval.

When members were randomized, the difference of the arms' means is an
unbiased estimate of the program's effect. :func:`difference_in_means`
computes it with **Welch's t-test**. Its standard error,
``sqrt(s1^2/n1 + s0^2/n0)``, is exactly the HC2 robust standard error of an
OLS of the outcome on a treatment dummy (Imbens & Kolesár 2016), so OLS
would give the same number; Welch adds the Satterthwaite degrees of
freedom, which keep the interval's coverage when arms are small or differ
in spread, and it is the test :func:`~relmark_lab.programs.simulated_power.simulated_power`
sizes the pilot for.

Pre-period information narrows the interval without biasing the estimate:
:func:`adjusted_effect` regresses the outcome on treatment and centred
pre-period covariates (ANCOVA; Lin 2013's interacted form on request) with
HC2 standard errors, and :func:`cuped` subtracts ``theta (x - mean x)`` from
the outcome, ``theta = cov(y, x) / var(x)`` on the pooled pilot (Deng et al.
2013). Both record ``relative_width``: their interval's width over the
unadjusted one's. :func:`effects_by_group` estimates one effect per
subgroup and adjusts the p-values for testing many (Holm by default).

Examples
--------
>>> rng = np.random.default_rng(0)
>>> pilot = pd.DataFrame({"treated": np.repeat([1, 0], 200), "pre": rng.normal(50, 10, 400)})
>>> pilot["revenue"] = pilot["pre"] + 5 * pilot["treated"] + rng.normal(0, 5, 400)
>>> raw = difference_in_means(pilot, "revenue", "treated")
>>> adjusted = cuped(pilot, "revenue", "treated", "pre")
>>> raw.covers(5.0), adjusted.covers(5.0), round(adjusted.details["relative_width"], 2)
(True, True, 0.44)
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from relmark_lab._validate import require_choice, require_columns, with_missing_label
from relmark_lab.errors import DataError
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _
from relmark_lab.programs._effect import (
    REGRESSION_METHOD,
    Effect,
    covariate_matrix,
    require_arms,
    require_outcome,
    require_probability,
    require_treatment,
)

__all__ = [
    "CORRECTIONS",
    "COV_TYPES",
    "adjusted_effect",
    "cuped",
    "difference_in_means",
    "effects_by_group",
]

#: Multiple-comparison corrections (statsmodels ``multipletests`` names), or "none".
CORRECTIONS = ("holm", "bonferroni", "holm-sidak", "sidak", "fdr_bh", "none")

#: Robust (heteroskedasticity-consistent) standard errors for the regression.
COV_TYPES = ("HC2", "HC0", "HC1", "HC3")


def _arms(frame: pd.DataFrame, outcome: str, treatment: str,
          what: str = "pilot") -> tuple[np.ndarray, np.ndarray]:
    """The checked outcome and treatment of a pilot, with at least 2 members per arm."""
    require_columns(frame, [outcome, treatment], what)
    treated = require_treatment(frame, treatment, what)
    values = require_outcome(frame, outcome, what)
    require_arms(treated, treatment, what)
    return values, treated


def _welch(values: np.ndarray, treated: np.ndarray, level: float, outcome: str,
           method: str = N_("Welch t-test")) -> Effect:
    """Welch's difference of means, treated minus control, as an :class:`Effect`."""
    compare = CompareMeans(DescrStatsW(values[treated]), DescrStatsW(values[~treated]))
    std_error = float(compare.std_meandiff_separatevar)
    if not std_error > 0:
        raise DataError(_("pilot: column {column!r} takes one value in each arm, so its "
                          "effect has no standard error; check that it is the outcome you "
                          "meant.").format(column=outcome))
    t_statistic, p_value, df = compare.ttest_ind(usevar="unequal")
    lower, upper = compare.tconfint_diff(alpha=1 - level, usevar="unequal")
    mean_treated, mean_control = float(values[treated].mean()), float(values[~treated].mean())
    return Effect(mean_treated - mean_control, std_error, float(lower), float(upper), level,
                  int(treated.sum()), int((~treated).sum()), method,
                  {"p_value": float(p_value), "t_statistic": float(t_statistic), "df": float(df),
                   "mean_treated": mean_treated, "mean_control": mean_control})


def difference_in_means(frame: pd.DataFrame, outcome: str, treatment: str, *,
                        level: float = 0.95) -> Effect:
    """The program's effect as the treated mean minus the control mean (Welch's t-test).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per member of the pilot.
    outcome : str
        A numeric column (True/False counts as 1/0: a difference in shares),
        e.g. revenue per member per month.
    treatment : str
        The 0/1 (or True/False) assignment column.
    level : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    Effect
        In the outcome's unit; ``details`` holds ``p_value``,
        ``t_statistic``, ``df`` (Welch–Satterthwaite), ``mean_treated`` and
        ``mean_control``.

    Examples
    --------
    >>> pilot = pd.DataFrame({"treated": [1, 1, 1, 0, 0, 0],
    ...                       "orders": [3.0, 4.0, 5.0, 2.0, 3.0, 1.0]})
    >>> effect = difference_in_means(pilot, "orders", "treated")
    >>> effect.estimate, round(effect.std_error, 3), round(effect.details["p_value"], 3)
    (2.0, 0.816, 0.07)
    """
    level = require_probability("level", level)
    values, treated = _arms(frame, outcome, treatment)
    return _welch(values, treated, level, outcome)


def adjusted_effect(frame: pd.DataFrame, outcome: str, treatment: str,
                    covariates: Sequence[str], *, level: float = 0.95,
                    interactions: bool = False, cov_type: str = "HC2") -> Effect:
    """The effect adjusted for pre-period covariates (ANCOVA), with robust standard errors.

    Fits ``outcome ~ treatment + covariates`` by OLS (statsmodels formula
    API) with the covariates centred on the pilot's means, so the treatment
    coefficient is the average effect; ``interactions=True`` adds
    ``treatment x covariate`` terms (Lin 2013), which cannot make the
    estimate less precise in large pilots. Label covariates enter as dummies.
    Randomization makes the adjustment unbiased; it narrows the interval by
    as much as the covariates explain of the outcome.

    Parameters
    ----------
    frame, outcome, treatment, level
        As in :func:`difference_in_means`.
    covariates : sequence of str
        Columns measured **before** the program started (prior spend,
        tenure, tier); a post-program column would absorb part of the effect.
    interactions : bool, default False
        Interact treatment with each centred covariate.
    cov_type : {"HC2", "HC0", "HC1", "HC3"}, default "HC2"
        Robust standard error (HC2 equals Welch's without covariates).

    Returns
    -------
    Effect
        ``details``: ``p_value``, ``formula`` (in the frame's names),
        ``r_squared``, ``cov_type`` and ``relative_width`` (this interval's
        width over Welch's unadjusted one).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> pilot = pd.DataFrame({"treated": np.tile([1, 0], 100), "tenure": rng.uniform(0, 60, 200)})
    >>> pilot["orders"] = 0.1 * pilot["tenure"] + 1.0 * pilot["treated"] + rng.normal(0, 1, 200)
    >>> effect = adjusted_effect(pilot, "orders", "treated", ["tenure"])
    >>> effect.covers(1.0), round(effect.details["relative_width"], 2)  # half as wide
    (True, 0.48)
    """
    level = require_probability("level", level)
    cov_type = require_choice("cov_type", cov_type, COV_TYPES)
    values, treated = _arms(frame, outcome, treatment)
    matrix = covariate_matrix(frame, covariates, "pilot", drop_first=True)
    centred = matrix - matrix.mean()
    data = pd.DataFrame({"y": values, "treated": treated.astype(float)}, index=frame.index)
    terms = [f"x{i}" for i in range(centred.shape[1])]
    data[terms] = centred.to_numpy()
    design = np.column_stack([np.ones(len(data)), data.drop(columns="y").to_numpy()])
    if interactions:
        design = np.column_stack([design, centred.to_numpy() * treated[:, None]])
    if len(data) <= design.shape[1] or np.linalg.matrix_rank(design) < design.shape[1]:
        raise DataError(_("The covariates {names} cannot be adjusted for with {count:,} "
                          "members: they leave too few members per parameter or are linear "
                          "combinations of each other (the same number twice, a dummy of every "
                          "level); drop one.").format(
                              names=", ".join(map(repr, matrix.columns.unique(0))),
                              count=len(data)))
    right = " + ".join(["treated", *terms])
    if interactions and terms:
        right = f"treated * ({' + '.join(terms)})"  # formula syntax: treated + x + treated:x
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' notes on small samples; SEs are robust
        fit = smf.ols(f"y ~ {right}", data).fit(cov_type=cov_type, use_t=True)
    lower, upper = (float(v) for v in fit.conf_int(alpha=1 - level).loc["treated"])
    names = [name if value == "" else f"{name}[{value}]" for name, value in matrix.columns]
    shown = " + ".join([treatment, *names])
    if interactions and names:
        shown = f"{treatment} * " + (names[0] if len(names) == 1 else f"({' + '.join(names)})")
    unadjusted = _welch(values, treated, level, outcome)
    mode = N_("interacted") if interactions else "ANCOVA"
    return Effect(float(fit.params["treated"]), float(fit.bse["treated"]), lower, upper, level,
                  int(treated.sum()), int((~treated).sum()),
                  REGRESSION_METHOD.format(mode=mode, cov_type=cov_type),
                  {"p_value": float(fit.pvalues["treated"]), "formula": f"{outcome} ~ {shown}",
                   "r_squared": float(fit.rsquared), "cov_type": cov_type,
                   "relative_width": (upper - lower) / unadjusted.width})


def cuped(frame: pd.DataFrame, outcome: str, treatment: str, pre_outcome: str, *,
          level: float = 0.95) -> Effect:
    """The effect on the outcome minus its part predicted by the pre-period (CUPED).

    ``y_adjusted = y - theta (x - mean(x))`` with ``theta = cov(y, x) /
    var(x)`` on the pooled pilot (both arms), then Welch's test on
    ``y_adjusted``. The estimate stays unbiased because ``x`` was measured
    before assignment; the variance falls by the share ``corr(y, x)^2``.

    Parameters
    ----------
    frame, outcome, treatment, level
        As in :func:`difference_in_means`.
    pre_outcome : str
        The same outcome in the pre-program period (e.g. revenue in the 6
        months before), one number per member; fill a member without history
        (e.g. with the mean) before calling.

    Returns
    -------
    Effect
        ``details``: ``theta``, ``variance_reduction`` (1 - var(y_adjusted)
        / var(y)), ``relative_width`` (over Welch's unadjusted interval),
        ``p_value``, ``t_statistic``, ``df``.

    Examples
    --------
    >>> pilot = pd.DataFrame({"treated": [1, 1, 1, 0, 0, 0], "pre": [1.0, 2, 3, 1, 2, 3],
    ...                       "post": [3.0, 4.1, 4.9, 1.1, 1.9, 3.0]})
    >>> effect = cuped(pilot, "post", "treated", "pre")
    >>> round(effect.estimate, 2), round(effect.details["theta"], 2)
    (2.0, 0.95)
    """
    level = require_probability("level", level)
    values, treated = _arms(frame, outcome, treatment)
    before = require_outcome(frame, pre_outcome, "pilot")
    spread = float(np.var(before, ddof=1))
    if not spread > 0:
        raise DataError(_("pilot: column {column!r} takes the same value for every member, "
                          "so it cannot predict the outcome; choose a pre-period measure that "
                          "varies.").format(column=pre_outcome))
    theta = float(np.cov(values, before, ddof=1)[0, 1]) / spread
    adjusted_values = values - theta * (before - before.mean())
    unadjusted = _welch(values, treated, level, outcome)
    effect = _welch(adjusted_values, treated, level, outcome,
                    N_("CUPED (Welch t-test on the adjusted outcome)"))
    details = {**effect.details, "theta": theta,
               "variance_reduction": 1 - float(np.var(adjusted_values, ddof=1) /
                                               np.var(values, ddof=1)),
               "relative_width": effect.width / unadjusted.width}
    return replace(effect, details=details)


def effects_by_group(frame: pd.DataFrame, outcome: str, treatment: str,
                     by: str | Sequence[str], *, correction: str = "holm",
                     level: float = 0.95, alpha: float = 0.05) -> pd.DataFrame:
    """One Welch effect per subgroup, with p-values adjusted for testing many groups.

    Parameters
    ----------
    frame, outcome, treatment, level
        As in :func:`difference_in_means`.
    by : str or sequence of str
        Columns whose combinations are the groups (a missing value is a
        group of its own); each group needs 2 members per arm.
    correction : str, default "holm"
        One of :data:`CORRECTIONS` (statsmodels ``multipletests``).
    alpha : float, default 0.05
        Family-wise level for ``significant``.

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, the :class:`Effect` fields,
        ``p_value`` (unadjusted), ``p_adjusted`` and ``significant``
        (``p_adjusted < alpha``). ``attrs["warning"]`` explains the multiple
        comparisons; the intervals are not adjusted.

    Examples
    --------
    >>> pilot = pd.DataFrame({"tier": ["a"] * 6 + ["b"] * 6, "treated": [1, 0] * 6,
    ...                       "orders": [5, 1, 6, 2, 7, 1, 3, 3, 2, 2, 4, 3]})
    >>> table = effects_by_group(pilot, "orders", "treated", "tier")
    >>> table[["tier", "estimate", "p_value", "p_adjusted"]].round(3)
      tier  estimate  p_value  p_adjusted
    0    a     4.667    0.005       0.010
    1    b     0.333    0.649       0.649
    """
    names = [by] if isinstance(by, str) else list(by)
    if not names:
        raise DataError(_("by must name at least one column, e.g. by='tier'."))
    correction = require_choice("correction", correction, CORRECTIONS)
    level, alpha = require_probability("level", level), require_probability("alpha", alpha)
    require_columns(frame, [*names, outcome, treatment], "pilot")
    values, treated = _arms(frame, outcome, treatment)
    labels = pd.DataFrame({n: with_missing_label(frame[n]).to_numpy() for n in names})
    groups = labels.groupby(names, sort=False, observed=True).indices
    try:
        keys = sorted(groups)
    except TypeError:  # numbers and the missing label: order by their text
        keys = sorted(groups, key=lambda key: tuple(map(str, np.atleast_1d(key))))
    rows = []
    for key in keys:
        key_values = key if isinstance(key, tuple) else (key,)
        where = ", ".join(f"{n}={v!r}" for n, v in zip(names, key_values, strict=True))
        rows_of = groups[key]
        require_arms(treated[rows_of], treatment, f"pilot group {where}")
        effect = _welch(values[rows_of], treated[rows_of], level, outcome)
        rows.append({**dict(zip(names, key_values, strict=True)), **effect.as_dict(),
                     "p_value": effect.details["p_value"]})
    table = pd.DataFrame(rows)
    p = table["p_value"].to_numpy()
    table["p_adjusted"] = p if correction == "none" else multipletests(p, alpha, correction)[1]
    table["significant"] = table["p_adjusted"] < alpha
    chance = 1 - (1 - alpha) ** len(table)
    table.attrs.update(correction=correction, alpha=alpha, tests=len(table), warning=_(
        "{count} subgroup effects were tested. Even if the program did nothing, {count} "
        "independent tests at alpha = {alpha:g} would give at least one 'significant' group "
        "{chance:.0%} of the time: read p_adjusted ({correction}), not p_value, and note that "
        "the intervals are not adjusted. A subgroup difference found by looking is a "
        "hypothesis for the next pilot, not a finding.").format(
            count=len(table), alpha=alpha, chance=chance, correction=correction))
    return table
