"""Who is treated in the pilot, and whether the two arms match before it starts.

Randomizing members one by one balances the arms only on average; a pilot
of a few hundred members can still put more gold-tier members in one arm.
:func:`stratified_assignment` randomizes **within** strata (region x tier),
so each stratum is split in the planned share by construction.
:func:`balance_table` then shows, covariate by covariate, the arms' means
and the standardized mean difference (SMD); ``|SMD| > 0.1`` is the usual
sign of imbalance (Austin 2009). The same table, with weights, checks a
propensity-weighted comparison.

Examples
--------
>>> members = pd.DataFrame({"tier": ["gold", "gold", "basic", "basic"]})
>>> stratified_assignment(members, "tier", seed=3).groupby(members["tier"]).sum().tolist()
[1, 1]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from relmark_lab._validate import (
    require_columns,
    require_number,
    require_numbers,
    require_whole_number,
    with_missing_label,
)
from relmark_lab.clv._inputs import require_row_times
from relmark_lab.errors import DataError
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _
from relmark_lab.programs._effect import (
    covariate_matrix,
    require_arms,
    require_probability,
    require_treatment,
)

__all__ = ["balance_table", "stratified_assignment"]

# One sentence per arm, so each language words its own arm.
_ZERO_WEIGHTS_TREATED = N_("weights must give the treated arm a positive total, but all "
                           "{count:,} of its weights are 0.")
_ZERO_WEIGHTS_CONTROL = N_("weights must give the control arm a positive total, but all "
                           "{count:,} of its weights are 0.")


def stratified_assignment(frame: pd.DataFrame, strata: str | Sequence[str], *,
                          share: float = 0.5, seed: int) -> pd.Series:
    """Randomize members to treatment within each stratum, in exact shares.

    In a stratum of ``m`` members exactly ``floor(m * share)`` are treated,
    drawn at random; when ``m * share`` is not whole (an odd stratum with
    ``share=0.5``), one more member is treated with probability equal to the
    fraction left over (a coin flip for halves), so every member's chance
    is ``share`` and no arm is favoured. Missing stratum values form a
    stratum of their own.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per member.
    strata : str or sequence of str
        Columns whose combinations are the strata, e.g. ``["region", "tier"]``.
    share : float, default 0.5
        Share of each stratum to treat, strictly in (0, 1).
    seed : int
        Seed of the draw: the same seed and rows give the same assignment.

    Returns
    -------
    pandas.Series
        ``treated`` (1 treated, 0 control) on ``frame``'s index; ``attrs``
        record ``seed``, ``share``, ``strata`` and ``strata_rounded`` (how
        many strata needed the coin flip).

    Examples
    --------
    >>> members = pd.DataFrame({"region": ["N"] * 4 + ["S"] * 3})
    >>> treated = stratified_assignment(members, "region", seed=7)
    >>> treated.groupby(members["region"]).sum().tolist()[0], treated.attrs["strata_rounded"]
    (2, 1)
    """
    names = [strata] if isinstance(strata, str) else list(strata)
    if not names:
        raise DataError(_("strata must name at least one column, e.g. "
                          "strata=['region', 'tier']."))
    require_columns(frame, names, "members")
    share = require_probability("share", share)
    rng = np.random.default_rng(require_whole_number("seed", seed, low=0))
    labels = pd.DataFrame({n: with_missing_label(frame[n]).astype(str).to_numpy() for n in names})
    treated = np.zeros(len(frame), dtype="int64")
    rounded = 0
    for rows in labels.groupby(names, sort=True).indices.values():
        exact = round(len(rows) * share, 9)  # 10 * 0.3 is 3, not 3.0000000000000004
        whole = math.floor(exact)
        rounded += exact > whole
        count = whole + int(rng.random() < exact - whole)
        treated[rng.permutation(rows)[:count]] = 1
    assignment = pd.Series(treated, index=frame.index, name="treated")
    assignment.attrs.update(seed=seed, share=share, strata=names, strata_rounded=int(rounded))
    return assignment


def balance_table(frame: pd.DataFrame, treatment: str, covariates: Sequence[str], *,
                  weights: str | Sequence[float] | pd.Series | None = None,
                  threshold: float = 0.1) -> pd.DataFrame:
    """Covariate means by arm and their standardized mean differences (SMD).

    ``smd = (mean_treated - mean_control) / sqrt((var_treated + var_control) / 2)``
    with sample variances (ddof 1). A label covariate is expanded to one 0/1
    dummy per level. With ``weights`` the means are weighted but the
    denominator stays the unweighted groups' (as cobalt does by default), so
    a change of SMD after weighting is a change of the means only.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per member.
    treatment : str
        The 0/1 (or True/False) treatment column.
    covariates : sequence of str
        Pre-period columns: numbers, True/False or labels.
    weights : str or array-like, optional
        A column, or one non-negative weight per row (a Series aligns by index).
    threshold : float, default 0.1
        ``imbalanced`` marks ``|smd| > threshold``.

    Returns
    -------
    pandas.DataFrame
        One row per number or level: ``covariate``, ``level`` (``""`` for a
        number), ``mean_treated``, ``mean_control``, ``difference``,
        ``pooled_sd``, ``smd`` and ``imbalanced``.

    Examples
    --------
    >>> members = pd.DataFrame({"treated": [1, 1, 0, 0], "spend": [3.0, 5.0, 2.0, 4.0]})
    >>> balance_table(members, "treated", ["spend"])[["mean_treated", "smd", "imbalanced"]]
       mean_treated       smd  imbalanced
    0           4.0  0.707107        True
    """
    treated = require_treatment(frame, treatment, "pilot")
    require_arms(treated, treatment, "pilot")
    threshold = require_number("threshold", threshold, low=0)
    if weights is None:
        w = np.ones(len(frame))
    elif isinstance(weights, str):
        require_columns(frame, [weights], "pilot")
        w = require_numbers(frame, weights, "pilot", low=0).to_numpy()
    else:
        w = np.broadcast_to(require_row_times(weights, "weights", frame.index), len(frame))
    for message, mask in ((_ZERO_WEIGHTS_TREATED, treated), (_ZERO_WEIGHTS_CONTROL, ~treated)):
        if not w[mask].sum() > 0:
            raise DataError(_(message).format(count=int(mask.sum())))
    matrix = covariate_matrix(frame, covariates, "pilot")
    x = matrix.to_numpy()
    mean_t = np.average(x[treated], axis=0, weights=w[treated])
    mean_c = np.average(x[~treated], axis=0, weights=w[~treated])
    pooled = np.sqrt((x[treated].var(axis=0, ddof=1) + x[~treated].var(axis=0, ddof=1)) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):  # a constant covariate: 0, or inf
        smd = np.where(mean_t == mean_c, 0.0, (mean_t - mean_c) / pooled)
    table = pd.DataFrame({
        "covariate": matrix.columns.get_level_values("covariate"),
        "level": matrix.columns.get_level_values("level"),
        "mean_treated": mean_t, "mean_control": mean_c, "difference": mean_t - mean_c,
        "pooled_sd": pooled, "smd": smd, "imbalanced": np.abs(smd) > threshold,
    })
    table.attrs.update(n_treated=int(treated.sum()), n_control=int((~treated).sum()),
                       weighted=weights is not None, threshold=threshold)
    return table
