"""Propensity scores: comparing joiners with look-alikes when members chose to enrol.

If who joins depends only on what was measured before the launch (tier,
tenure, last year's orders: *selection on observables*), members with the
same chance of joining, the *propensity score (puntuación de propensión)*,
are as good as randomized (Rosenbaum & Rubin 1983).
:func:`propensity_scores` estimates it and reports the groups' overlap;
:func:`ipw_effect` reweights the controls like the enrolled, and with
``adjust`` also regresses on pre-period covariates (doubly robust).
:mod:`.matching` pairs members instead and checks the balance. What drives
joining and was not measured none of them balances.

Examples
--------
>>> rng = np.random.default_rng(0)
>>> members = pd.DataFrame({"prior_orders": rng.poisson(4, 1000)})
>>> chance = 1 / (1 + np.exp(2 - 0.5 * members["prior_orders"]))  # heavy buyers enrol
>>> members["enrolled"] = (rng.random(1000) < chance).astype(int)
>>> members["orders"] = (members["prior_orders"] + 1.0 * members["enrolled"]  # effect 1
...                      + rng.normal(0, 1, 1000))
>>> scores = propensity_scores(members, "enrolled", ["prior_orders"])
>>> naive = members.groupby("enrolled")["orders"].mean().diff().iloc[-1]
>>> ipw = ipw_effect(members, "orders", "enrolled", scores)
>>> both = ipw_effect(members, "orders", "enrolled", scores, adjust=["prior_orders"])
>>> [round(float(v), 2) for v in (naive, ipw.estimate, both.estimate)]
[2.6, 0.89, 0.95]
>>> round(both.width / ipw.width, 1)  # the adjustment narrows the interval
0.4
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from relmark_lab._validate import (
    first_row,
    require_choice,
    require_columns,
    require_number,
    require_numbers,
)
from relmark_lab.clv._inputs import require_row_times
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _
from relmark_lab.programs._effect import (
    IPW_ADJUSTED_METHOD,
    IPW_METHOD,
    Effect,
    covariate_matrix,
    require_arms,
    require_outcome,
    require_probability,
    require_treatment,
)

__all__ = ["ipw_effect", "ipw_weights", "propensity_scores"]


def _filled(members: pd.DataFrame, covariates: Sequence[str],
            categorical: Sequence[str] | None) -> pd.DataFrame:
    """Covariates with numeric gaps mean-filled and flagged (``<name>_missing``), labels as text."""
    names = [covariates] if isinstance(covariates, str) else list(covariates)
    labels = [categorical] if isinstance(categorical, str) else list(categorical or [])
    names += [c for c in labels if c not in names]
    require_columns(members, names, "members")  # covariate_matrix rejects an empty list
    frame, filled = members[names].copy(), {}
    for name in names:
        raw = frame[name]
        if name in labels:
            frame[name] = raw.astype(object).map(str, na_action="ignore")
        elif (pd.api.types.is_numeric_dtype(raw.dtype) and raw.isna().any()
              and not pd.api.types.is_bool_dtype(raw.dtype)):
            values = require_numbers(members, name, "members", allow_missing=True)
            if values.isna().all():
                raise DataError(_("members: column {column!r} is missing in all {count:,} "
                                  "rows; leave it out of the covariates.").format(
                                      column=name, count=len(values)))
            frame[name] = values.fillna(values.mean())
            frame[f"{name}_missing"] = values.isna().astype(int)
            filled[name] = int(values.isna().sum())
    frame.attrs["filled"] = filled
    return frame


def propensity_scores(members: pd.DataFrame, treatment: str, covariates: Sequence[str], *,
                      categorical: Sequence[str] | None = None,
                      C: float = np.inf) -> pd.Series:
    """Each member's estimated chance of enrolling, from pre-period covariates.

    Logistic regression (scikit-learn ``LogisticRegression``, unpenalized by
    default) with numbers standardized and labels as 0/1 dummies (first
    level left out). **A number with missing values** (satisfaction, surveyed
    for some members) is filled with its mean and gets a 0/1 column
    ``<name>_missing``, so no member is dropped and "not asked" is not read
    as "average"; ``attrs["notes"]`` says so. Where the groups' scores do not
    overlap (*common support*) no control resembles those members: ``attrs``
    report how many there are.

    Parameters
    ----------
    members : pandas.DataFrame
        One row per member; ``treatment`` is its 0/1 (or True/False) column.
    covariates : sequence of str
        Columns measured **before** the launch: numbers, True/False, labels.
    categorical : sequence of str, optional
        Covariates to read as labels even if they hold numbers (added to
        ``covariates`` if missing there).
    C : float, default inf
        Inverse strength of a ridge penalty (scikit-learn's ``C``); inf is
        plain maximum likelihood. Pass e.g. 1.0 if covariates separate the groups.

    Returns
    -------
    pandas.Series
        ``propensity_score``, indexed like ``members``. ``attrs``:
        ``overlap`` (per group: members, min, max, mean score and the share
        outside common support; ``pd.DataFrame(...).T`` shows it),
        ``common_support`` (the overlap of both groups' score ranges),
        ``outside_support`` (share of all members outside it), ``filled``
        (values filled per covariate), ``notes`` and ``columns`` (the inputs).

    Examples
    --------
    >>> members = pd.DataFrame({"enrolled": [1, 1, 0, 0, 1, 0],
    ...                         "prior_orders": [8, 6, 2, 3, 2, 5]})
    >>> scores = propensity_scores(members, "enrolled", ["prior_orders"])
    >>> scores.round(2).tolist()  # the maximum-likelihood logit, as statsmodels' Logit
    [0.85, 0.69, 0.26, 0.36, 0.26, 0.59]
    >>> pd.DataFrame(scores.attrs["overlap"]).T[["min", "max", "share_outside"]].round(2)
              min   max  share_outside
    treated  0.26  0.85           0.67
    control  0.26  0.59           0.00
    """
    treated = require_treatment(members, treatment, "members")
    require_arms(treated, treatment, "members")
    if not (isinstance(C, float) and C == np.inf):
        C = require_number("C", C, low=0, low_open=True)
    frame = _filled(members, covariates, categorical)
    matrix = covariate_matrix(frame, list(frame.columns), "members", drop_first=True)
    x = matrix.to_numpy()
    spread = x.std(axis=0)
    x = (x - x.mean(axis=0)) / np.where(spread > 0, spread, 1.0)  # conditioning, same scores
    model = LogisticRegression(C=C, tol=1e-8, max_iter=2000)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            p = model.fit(x, treated.astype(int)).predict_proba(x)[:, 1]
        extreme = (p < 1e-6) | (p > 1 - 1e-6) if C == np.inf else np.zeros(len(p), bool)
    except ConvergenceWarning:
        extreme = np.ones(len(x), dtype=bool)
    if extreme.any():  # (quasi-)separation: the likelihood grows without end
        raise DataError(_("The propensity model gives {count:,} member(s) a score of "
                          "(almost) 0 or 1 or does not converge, e.g. {example}: the covariates "
                          "separate enrolled and other members there, so they have no "
                          "look-alike. Pass C=1.0 for a ridge penalty, or leave the separating "
                          "covariate out.").format(count=int(extreme.sum()),
                                                   example=first_row(members, extreme)))
    scores = pd.Series(p, index=members.index, name="propensity_score")
    low = max(scores[treated].min(), scores[~treated].min())
    high = min(scores[treated].max(), scores[~treated].max())
    outside = (scores < low) | (scores > high)
    # plain dicts, not a DataFrame: pandas compares attrs when tables are concatenated
    overlap = {group: {"n": int(mask.sum()), "min": float(scores[mask].min()),
                       "max": float(scores[mask].max()), "mean": float(scores[mask].mean()),
                       "share_outside": float(outside[mask].mean())}
               for group, mask in (("treated", treated), ("control", ~treated))}
    scores.attrs = {"overlap": overlap, "common_support": (float(low), float(high)),
                    "outside_support": float(outside.mean()), "filled": frame.attrs["filled"],
                    "notes": [_("{name}: {count:,} missing values filled with the mean and "
                                "flagged in {name}_missing.").format(name=name, count=count)
                              for name, count in frame.attrs["filled"].items()],
                    "columns": [f"{c}={v}" if v else c for c, v in matrix.columns]}
    return scores


def _scores(frame: pd.DataFrame, scores: Any) -> np.ndarray:
    """Scores (a column, a Series aligned by index, or one per row) strictly inside (0, 1)."""
    if isinstance(scores, str):
        values = require_numbers(frame, scores, "frame").to_numpy()
    else:
        values = np.broadcast_to(require_row_times(scores, "scores", frame.index), len(frame))
    bad = (values <= 0) | (values >= 1)
    if bad.any():
        raise DataError(_("scores must lie strictly between 0 and 1; {count:,} do not, e.g. "
                          "{example:g}. Raise trim, or refit the scores with C=1.0.").format(
                              count=int(bad.sum()), example=values[bad][0]))
    return values.astype(float)


def ipw_weights(frame: pd.DataFrame, treatment: str, scores: Any, *, estimand: str = "ATT",
                trim: float = 0.01) -> pd.Series:
    """Inverse-probability weights that make the controls (and the treated) look alike.

    For the effect on the treated (``"ATT"``) the treated weigh 1 and a
    control ``p / (1 - p)``: controls that looked likely to join count more.
    For the average effect on everyone (``"ATE"``) the treated weigh ``1 /
    p`` and controls ``1 / (1 - p)``. Members with a score below ``trim`` or
    above ``1 - trim`` weigh 0 (trimmed: few look-alikes, huge weights).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per member; ``treatment`` is its 0/1 (or True/False) column.
    scores : str or array-like
        A column of ``frame``, a Series aligned by index, or one per row.
    estimand : {"ATT", "ATE"}, default "ATT"
    trim : float, default 0.01
        From 0 (no trimming) to below 0.5.

    Returns
    -------
    pandas.Series
        ``weight`` by row of ``frame``; ``attrs["trimmed"]`` counts by group.

    Examples
    --------
    >>> frame = pd.DataFrame({"enrolled": [1, 0, 0], "score": [0.6, 0.5, 0.2]})
    >>> ipw_weights(frame, "enrolled", "score").tolist()
    [1.0, 1.0, 0.25]
    """
    estimand = require_choice("estimand", estimand, ("ATT", "ATE"))
    trim = require_number("trim", trim, low=0, high=0.499)
    treated = require_treatment(frame, treatment, "frame")
    p = _scores(frame, scores)
    cut = (p < trim) | (p > 1 - trim)
    weight = np.where(cut, 0.0, np.where(treated, 1.0, p / (1 - p)) if estimand == "ATT"
                      else np.where(treated, 1 / p, 1 / (1 - p)))
    result = pd.Series(weight, index=frame.index, name="weight")
    result.attrs["trimmed"] = {"treated": int((cut & treated).sum()),
                               "control": int((cut & ~treated).sum())}
    return result


def _adjustment(frame: pd.DataFrame, adjust: Sequence[str], treated: np.ndarray,
                weight: np.ndarray, estimand: str) -> pd.DataFrame:
    """The covariates to adjust for, centred where the estimand is averaged.

    Gaps in numbers are filled as :func:`propensity_scores` fills them. The
    centre is the treated members' mean (ATT) or everyone's (ATE), among the
    members of weight > 0, so the treatment coefficient of the interacted
    regression is the effect averaged over that group.
    """
    filled = _filled(frame, adjust, None)
    matrix = covariate_matrix(filled, list(filled.columns), "frame", drop_first=True)
    keep = weight > 0
    centre = matrix[keep & treated] if estimand == "ATT" else matrix[keep]
    return matrix - centre.mean()


def _weighted_difference(y: np.ndarray, treated: np.ndarray, weight: np.ndarray, level: float,
                         method: str, details: dict[str, Any],
                         adjustment: pd.DataFrame | None = None) -> Effect:
    """Weighted means' difference by WLS ``y ~ treated`` (HC1 robust errors), adjusted on request.

    With ``adjustment`` (centred covariates) the regression is ``y ~ treated
    * covariates``: the controls' outcome model, fitted on the weighted
    controls, predicts what the treated would have done without the program.
    """
    keep = weight > 0
    require_arms(treated[keep], "treatment", _("frame (members of weight > 0)"), minimum=1)
    data = pd.DataFrame({"y": y[keep], "treated": treated[keep].astype(float)})
    right = "treated"
    if adjustment is not None:
        terms = [f"x{i}" for i in range(adjustment.shape[1])]
        data[terms] = adjustment.to_numpy()[keep]
        design = np.column_stack([np.ones(len(data)), data["treated"], data[terms],
                                  data[terms].to_numpy() * data[["treated"]].to_numpy()])
        if len(data) <= design.shape[1] or np.linalg.matrix_rank(design) < design.shape[1]:
            names = ", ".join(map(repr, adjustment.columns.unique(0)))
            raise DataError(_("The covariates {names} cannot be adjusted for with {count:,} "
                              "weighted members: too few members per parameter in one group, "
                              "or covariates that are linear combinations of each other (the "
                              "same number twice); drop one.").format(names=names,
                                                                      count=len(data)))
        right = f"treated * ({' + '.join(terms)})"
        details = {**details, "adjusted_for": [c if v == "" else f"{c}[{v}]"
                                               for c, v in adjustment.columns]}
    fit = smf.wls(f"y ~ {right}", data=data, weights=weight[keep]).fit(cov_type="HC1")
    lower, upper = fit.conf_int(alpha=1 - level).loc["treated"]
    return Effect(float(fit.params["treated"]), float(fit.bse["treated"]), float(lower),
                  float(upper), level, int(treated[keep].sum()), int((~treated[keep]).sum()),
                  method, details)


def ipw_effect(frame: pd.DataFrame, outcome: str, treatment: str, scores: Any, *,
               estimand: str = "ATT", trim: float = 0.01, adjust: Sequence[str] | None = None,
               level: float = 0.95) -> Effect:
    """The program's effect by inverse-probability weighting of the propensity scores.

    The difference of weighted means (weights of :func:`ipw_weights`,
    normalized within each group), fitted as weighted least squares
    ``y ~ treated``. The standard error is heteroskedasticity-robust (HC1)
    and treats the scores as known; for the ATE that is usually slightly
    conservative (Hirano, Imbens & Ridder 2003).

    With ``adjust`` the weighted regression also holds the covariates, each
    centred on the treated (ATT) or everyone (ATE) and interacted with the
    treatment: *weighting with regression adjustment*, which is **doubly
    robust** (right if either the propensity model or the outcome model is
    right; Robins, Rotnitzky & Zhao 1994) and much tighter when a covariate
    such as the pre-launch orders predicts the outcome well.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per member: ``outcome`` (after the launch) and ``treatment``.
    outcome : str
        The outcome column.
    treatment, scores, estimand, trim
        As in :func:`ipw_weights`.
    adjust : sequence of str, optional
        Pre-period covariates for the regression adjustment (numbers,
        True/False, labels; gaps filled as in :func:`propensity_scores`).
    level : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    Effect
        ``details``: ``estimand``, ``trimmed``, ``effective_controls``
        (Kish's effective number of weighted controls), ``weights`` and,
        when adjusted, ``adjusted_for`` (the regression's covariate columns).

    Examples
    --------
    >>> frame = pd.DataFrame({"enrolled": [1, 1, 0, 0, 0], "orders": [5, 7, 2, 4, 6],
    ...                       "score": [0.5, 0.5, 0.2, 0.5, 0.5]})
    >>> effect = ipw_effect(frame, "orders", "enrolled", "score")
    >>> round(effect.estimate, 2)  # 6 - (0.25 x 2 + 4 + 6) / 2.25
    1.33
    """
    level = require_probability("level", level)
    y = require_outcome(frame, outcome, "frame")
    weight = ipw_weights(frame, treatment, scores, estimand=estimand, trim=trim)
    treated = require_treatment(frame, treatment, "frame")
    w = weight.to_numpy()
    control = w[~treated]
    details = {"estimand": estimand, "trim": trim, "trimmed": weight.attrs["trimmed"],
               "effective_controls": float(control.sum() ** 2 / (control ** 2).sum()),
               "weights": weight, "std_error": "HC1 robust, scores treated as known"}
    adjustment = (None if adjust is None
                  else _adjustment(frame, adjust, treated, w, estimand))
    method = (IPW_METHOD if adjust is None else IPW_ADJUSTED_METHOD).format(estimand=estimand)
    return _weighted_difference(y, treated, w, level, method, details, adjustment)
