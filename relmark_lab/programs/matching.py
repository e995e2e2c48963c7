"""Matching enrolled members with look-alike controls, and checking the balance it buys.

:func:`matched_effect` pairs every enrolled member with the control of the
nearest propensity score (:mod:`.propensity`); :func:`balance_before_after`
shows whether weighting or matching made the groups alike on the
covariates, as standardized mean differences before and after.

Examples
--------
>>> frame = pd.DataFrame({"enrolled": [1, 1, 0, 0, 0], "orders": [6, 8, 2, 5, 7],
...                       "score": [0.4, 0.6, 0.1, 0.4, 0.6]})
>>> effect = matched_effect(frame, "orders", "enrolled", "score", caliper=None)
>>> round(effect.estimate, 6)  # each member is paired with the control of her score
1.0
>>> balance = balance_before_after(frame, "enrolled", ["score"], effect.details["weights"])
>>> balance[["smd_before", "smd_after"]].round(2).values.tolist()
[[0.65, 0.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from relmark_lab._validate import require_number
from relmark_lab.errors import DataError
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _
from relmark_lab.programs._effect import (
    Effect,
    require_arms,
    require_outcome,
    require_probability,
    require_treatment,
)
from relmark_lab.programs.assignment import balance_table
from relmark_lab.programs.propensity import (
    _adjustment,
    _filled,
    _scores,
    _weighted_difference,
)

__all__ = ["balance_before_after", "matched_effect"]


def matched_effect(frame: pd.DataFrame, outcome: str, treatment: str, scores: Any, *,
                   caliper: float | None = 0.2, adjust: Sequence[str] | None = None,
                   level: float = 0.95) -> Effect:
    """The effect on the treated by nearest-neighbour matching on the logit of the score.

    Every treated member is paired with the control whose ``log(p / (1 -
    p))`` is nearest (scikit-learn ``NearestNeighbors``), with replacement: a
    control may serve several, and controls tied at that score share it.
    Pairs farther apart than ``caliper`` standard deviations of the logit
    (pooled over both groups; 0.2 after Austin 2011) are dropped with their
    treated members (counted in ``details``). The estimate is the mean of the
    pairs' differences; its standard error is the HC1 one of the groups with
    controls weighted by their matches: it counts the reuse of controls and
    errs on the conservative side (the plain bootstrap is not valid for
    matching, Abadie & Imbens 2008). ``adjust`` runs the regression of
    :func:`~relmark_lab.programs.propensity.ipw_effect` on the matched
    sample, which removes what is left of the pairs' differences in those
    covariates (matching as preprocessing, Ho et al. 2007).

    Parameters
    ----------
    frame, outcome, treatment, scores, adjust, level
        As in :func:`~relmark_lab.programs.propensity.ipw_effect`.
    caliper : float or None, default 0.2
        Largest distance of a pair, in SDs of the logit; None keeps all.

    Returns
    -------
    Effect
        The ATT; ``details``: ``matched_treated``, ``unmatched_treated``,
        ``controls_used``, ``largest_control_weight``, ``caliper_logit`` and
        ``weights`` (1 per matched treated member, matches per control; for
        :func:`balance_before_after`).

    Examples
    --------
    >>> frame = pd.DataFrame({"enrolled": [1, 1, 0, 0, 0], "orders": [5, 7, 2, 4, 9],
    ...                       "score": [0.5, 0.6, 0.2, 0.5, 0.9]})
    >>> effect = matched_effect(frame, "orders", "enrolled", "score", caliper=None)
    >>> effect.estimate, effect.details["largest_control_weight"]  # (5 - 4 + 7 - 4) / 2
    (2.0, 2.0)
    """
    level = require_probability("level", level)
    if caliper is not None:
        caliper = require_number("caliper", caliper, low=0, low_open=True)
    treated = require_treatment(frame, treatment, "frame")
    require_arms(treated, treatment, "frame")
    y = require_outcome(frame, outcome, "frame")
    logit = np.log(p := _scores(frame, scores)) - np.log1p(-p)
    spread = np.sqrt((logit[treated].var(ddof=1) + logit[~treated].var(ddof=1)) / 2)
    # ties (equal scores, common with discrete covariates) share the match equally, as in
    # Abadie & Imbens (2006): match on the distinct control scores, then split the weight
    values, group, ties = np.unique(logit[~treated], return_inverse=True, return_counts=True)
    distance, nearest = NearestNeighbors(n_neighbors=1).fit(values[:, None]).kneighbors(
        logit[treated, None])
    width = np.inf if caliper is None else caliper * spread
    matched = distance[:, 0] <= width
    if not matched.any():
        raise DataError(_("No treated member has a control within the caliper ({caliper:g} SD "
                          "of the logit score); the groups do not overlap. Widen the "
                          "caliper.").format(caliper=caliper))
    uses = np.bincount(nearest[matched, 0], minlength=len(values)) / ties
    weight = np.zeros(len(frame))
    weight[np.flatnonzero(treated)[matched]] = 1.0
    weight[~treated] = uses[group]
    details = {"matched_treated": int(matched.sum()), "unmatched_treated": int((~matched).sum()),
               "controls_used": int((uses[group] > 0).sum()),
               "largest_control_weight": float(uses.max()), "caliper_logit": float(width),
               "std_error": "HC1 of the match-weighted groups",
               "weights": pd.Series(weight, index=frame.index, name="weight")}
    adjustment = (None if adjust is None
                  else _adjustment(frame, adjust, treated, weight, "ATT"))
    method = (N_("nearest-neighbour matching (ATT, regression-adjusted)") if adjust is not None
              else N_("nearest-neighbour matching (ATT)"))
    return _weighted_difference(y, treated, weight, level, method, details, adjustment)


def balance_before_after(frame: pd.DataFrame, treatment: str, covariates: Sequence[str],
                         weights: Any, *, categorical: Sequence[str] | None = None,
                         threshold: float = 0.1) -> pd.DataFrame:
    """Standardized mean differences before and after weighting (or matching), side by side.

    Calls :func:`relmark_lab.programs.balance_table` without and with
    ``weights``, on the covariates as
    :func:`~relmark_lab.programs.propensity.propensity_scores` sees them
    (gaps filled, with their missing indicators).

    Parameters
    ----------
    frame, treatment, covariates, categorical
        As in :func:`~relmark_lab.programs.propensity.propensity_scores`.
    weights : str or array-like
        E.g. :func:`~relmark_lab.programs.propensity.ipw_weights` or
        ``matched_effect(...).details["weights"]``.
    threshold : float, default 0.1
        ``balanced`` marks ``|smd_after| <= threshold``.

    Returns
    -------
    pandas.DataFrame
        ``covariate``, ``level``, ``smd_before``, ``smd_after``, ``balanced``.

    Examples
    --------
    >>> frame = pd.DataFrame({"enrolled": [1, 1, 0, 0], "spend": [4.0, 6.0, 2.0, 5.0]})
    >>> balance_before_after(frame, "enrolled", ["spend"], [1, 1, 0.0, 1])
      covariate level  smd_before  smd_after  balanced
    0     spend           0.83205        0.0      True
    """
    require_treatment(frame, treatment, "frame")
    filled = _filled(frame, covariates, categorical)
    columns = list(filled.columns)
    filled[treatment] = frame[treatment]
    before = balance_table(filled, treatment, columns, threshold=threshold)
    after = balance_table(filled, treatment, columns, weights=weights, threshold=threshold)
    table = before[["covariate", "level"]].assign(smd_before=before["smd"],
                                                  smd_after=after["smd"])
    table["balanced"] = table["smd_after"].abs() <= threshold
    return table
