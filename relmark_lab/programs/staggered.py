"""Phased implementation (implantación por fases): regions join in waves, and TWFE's trap.

A program switched on region by region gives every wave a before and an
after, and the regions not yet reached are natural controls. The habit is
the *two-way fixed-effects* regression (:func:`twfe_effect`): outcome on an
in-program dummy with member and month effects. When the effect changes
with time in the program it is biased, even of the wrong sign: it compares
late joiners with early joiners whose effect is still growing, so part of
that growth enters with a minus (Goodman-Bacon 2021; Sun & Abraham 2021).

:func:`staggered_effect` avoids those comparisons, after Callaway &
Sant'Anna (2021): for each wave ``g`` (first month in the program) and month
``t`` it computes a 2x2 difference-in-differences, ATT(g, t): the wave's
change from its last month before the start, ``g - 1``, to ``t``, minus the
change of members not treated by then (not yet treated or never treated).
Those group-time effects are averaged, with each wave weighted by its size,
into the overall effect and into the effect by months since the start.
Intervals come from a seeded bootstrap over members.

Examples
--------
>>> months = [f"2024-{m:02d}" for m in range(1, 5)]
>>> panel = pd.DataFrame({"member_id": np.repeat(list("abcdef"), 4), "month": months * 6,
...                       "orders": [1, 2, 3, 4,  2, 3, 4, 5,  1, 1, 4, 6,  2, 2, 5, 7,
...                                  1, 1, 1, 1,  2, 2, 2, 2]})
>>> members = pd.DataFrame({"member_id": list("abcdef"), "program_start":
...                         ["2024-02", "2024-02", "2024-03", "2024-03", None, None]})
>>> result = staggered_effect(panel, members, "orders", n_boot=50)
>>> result.by_event_time[["relative_month", "estimate", "n_cohorts"]]  # waves gain 1, 2, 3 and 3, 5
   relative_month  estimate  n_cohorts
0              -2       0.0          1
1               0       2.0          2
2               1       3.5          2
3               2       3.0          1
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from relmark_lab._validate import require_choice, require_whole_number
from relmark_lab.errors import DataError
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _
from relmark_lab.programs._effect import STAGGERED_METHOD, Effect, require_probability
from relmark_lab.programs._panel import (
    effect_of,
    month_label,
    program_panel,
    within_fit,
)

__all__ = ["StaggeredResult", "staggered_effect", "twfe_effect"]

# One sentence per control group, so each language names its own.
_NO_WAVE_NOT_YET = N_("No wave of {column!r} has both a month before its start in the panel and "
                      "not-yet-treated members to compare with, so no effect can be estimated.")
_NO_WAVE_NEVER = N_("No wave of {column!r} has both a month before its start in the panel and "
                    "never-treated members to compare with, so no effect can be estimated.")
#: How the overall effect's method names each control group (words, shown translated).
_CONTROLS_SHOWN = {"not_yet_treated": N_("not-yet-treated"), "never_treated": N_("never-treated")}


def _starts(table: pd.DataFrame, unit: str, start_column: str) -> pd.Series:
    """Each member's start month number (NaN never), DataError without treated or controls."""
    start = (table["month_number"] - table["relative_month"]).groupby(table[unit]).first()
    n_treated = int(start.notna().sum())
    if n_treated < 2:
        raise DataError(_("members: column {column!r} gives {count} member(s) with a start "
                          "and rows in the panel; a phased rollout needs at least 2.").format(
                              column=start_column, count=n_treated))
    return start


def twfe_effect(panel: pd.DataFrame, members: pd.DataFrame, outcome: str, *,
                start_column: str = "program_start", unit: str = "member_id",
                time: str = "month", level: float = 0.95) -> Effect:
    """The two-way fixed-effects estimate: outcome on in-program, member and month effects.

    Right when the effect is the same for every wave and every month in the
    program; biased under staggered adoption when it grows or fades
    (Goodman-Bacon 2021), because members already treated serve as controls
    for later waves. Shown to be compared with :func:`staggered_effect`.

    Parameters
    ----------
    panel, members, outcome, unit, time
        As in :func:`relmark_lab.programs.did.program_panel`.
    start_column : str, default "program_start"
        Members' first month in the program, empty for never-treated.
    level : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    Effect
        The in-program coefficient per member-month, clustered by member;
        ``n_treated`` members ever in the program, ``n_control`` never.

    Examples
    --------
    >>> months = [f"2024-{m:02d}" for m in range(1, 4)]
    >>> panel = pd.DataFrame({"member_id": np.repeat(list("abcd"), 3), "month": months * 4,
    ...                       "orders": [1, 3, 3,  2, 4, 4,  1, 1, 3,  2, 2, 4]})
    >>> members = pd.DataFrame({"member_id": list("abcd"),
    ...                         "program_start": ["2024-02", "2024-02", "2024-03", "2024-03"]})
    >>> round(twfe_effect(panel, members, "orders").estimate, 2)
    2.0
    """
    level = require_probability("level", level)
    table = program_panel(panel, members, outcome, unit=unit, time=time, treatment=None,
                          start_column=start_column)
    start = _starts(table, unit, start_column)
    fit = within_fit(table, outcome, table[["in_program"]].astype(float), unit)
    counts = (int(start.notna().sum()), int(start.isna().sum()))
    return effect_of(fit, "in_program", level, counts, N_("two-way fixed effects"),
                     {"n_clusters": len(start), "outcome": outcome, "time_unit": "M"})


@dataclass(frozen=True)
class StaggeredResult:
    """Effects of a phased rollout: overall, by wave and month, by months since the start.

    Attributes
    ----------
    overall : Effect
        Average effect per member-month in the program, every post-start
        ATT(g, t) weighted by its wave's size; ``n_treated`` counts the
        waves' members, ``n_control`` the never-treated (members of later
        waves serve as controls too, before their start).
    by_group_time : pandas.DataFrame
        One row per wave and month: ``cohort`` and ``month`` ("YYYY-MM"),
        ``relative_month``, ``estimate``, ``std_error``, ``lower``,
        ``upper``, ``n_cohort``, ``n_control``.
    by_event_time : pandas.DataFrame
        One row per month since the start (in months; negative before it):
        ``relative_month``, ``estimate``, ``std_error``, ``lower``,
        ``upper``, ``n_cohorts``.
    control_group : str
        ``"not_yet_treated"`` or ``"never_treated"``.
    """

    overall: Effect
    by_group_time: pd.DataFrame
    by_event_time: pd.DataFrame
    control_group: str


def _cells(wide: np.ndarray, months: np.ndarray, start: np.ndarray,
           control_group: str) -> list[dict[str, Any]]:
    """The 2x2 comparisons behind ATT(g, t): masks and changes for every wave and month."""
    cells = []
    never = np.isnan(start)
    for g in np.unique(start[~never]):
        if g - 1 not in months:
            continue  # a wave with no month before its start has no "before"
        base = int(np.flatnonzero(months == g - 1)[0])
        for k, t in enumerate(months):
            if k == base:
                continue
            change = wide[:, k] - wide[:, base]
            seen = ~np.isnan(change)
            later = (start > max(t, g - 1)) & (start != g)  # untreated at both months
            if control_group == "never_treated":
                later[:] = False
            cohort, control = (start == g) & seen, (never | later) & seen
            if cohort.any() and control.any():
                cells.append({"g": g, "t": t, "change": np.where(seen, change, 0.0),
                              "cohort": cohort.astype(float), "control": control.astype(float),
                              "size": (start == g).astype(float)})
    return cells


def _estimates(cells: list[dict[str, Any]], weights: np.ndarray) -> dict[str, np.ndarray]:
    """ATT(g, t) and the wave sizes for every row of member ``weights`` (replicates x members)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        att = np.column_stack([
            weights @ (c["cohort"] * c["change"]) / (weights @ c["cohort"])
            - weights @ (c["control"] * c["change"]) / (weights @ c["control"]) for c in cells])
    sizes = np.column_stack([weights @ c["size"] for c in cells])
    return {"att": att, "size": sizes}


def _aggregate(values: dict[str, np.ndarray], chosen: np.ndarray) -> np.ndarray:
    """Wave-size weighted mean of the chosen cells' ATT, per replicate."""
    att, size = values["att"][:, chosen], values["size"][:, chosen]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nansum(att * size, axis=1) / np.sum(np.where(np.isnan(att), 0, size), axis=1)


def staggered_effect(panel: pd.DataFrame, members: pd.DataFrame, outcome: str, *,
                     start_column: str = "program_start",
                     control_group: str = "not_yet_treated", n_boot: int = 499,
                     seed: int = 0, unit: str = "member_id", time: str = "month",
                     level: float = 0.95) -> StaggeredResult:
    """Program effects under staggered adoption: group-time 2x2 comparisons, then averages.

    ATT(g, t) is the change of wave ``g`` from month ``g - 1`` to month
    ``t`` minus the change of the control members over the same months:
    members whose own start is after both months (not yet treated) and those
    never treated, or only the latter with ``control_group="never_treated"``.
    Months before the start give placebo estimates (about 0 if trends are
    parallel). The overall effect averages the cells from the start on,
    each weighted by its wave's size (Callaway & Sant'Anna's "simple"
    aggregation); the event-time effect averages, for each month since the
    start, the waves observed then. Standard errors are the standard
    deviation of ``n_boot`` bootstrap replicates that redraw members with
    replacement (seeded), so a member's months stay together; intervals are
    normal, estimate +- z x SE.

    Parameters
    ----------
    panel, members, outcome, unit, time
        As in :func:`relmark_lab.programs.did.program_panel`.
    start_column : str, default "program_start"
        Members' first month in the program (their wave), empty for never.
    control_group : {"not_yet_treated", "never_treated"}
        Who the waves are compared with.
    n_boot : int, default 499
        Bootstrap replicates, at least 20.
    seed : int, default 0
        Seed of the bootstrap.
    level : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    StaggeredResult
        ``.overall`` (Effect), ``.by_group_time`` and ``.by_event_time``.

    Examples
    --------
    >>> months = [f"2024-{m:02d}" for m in range(1, 4)]
    >>> panel = pd.DataFrame({"member_id": np.repeat(list("abcd"), 3), "month": months * 4,
    ...                       "orders": [1, 3, 4,  2, 4, 5,  1, 1, 1,  2, 2, 2]})
    >>> members = pd.DataFrame({"member_id": list("abcd"),
    ...                         "program_start": ["2024-02", "2024-02", None, None]})
    >>> result = staggered_effect(panel, members, "orders", n_boot=50)
    >>> result.by_group_time[["month", "relative_month", "estimate"]]  # gains of 2, then 3
         month  relative_month  estimate
    0  2024-02               0       2.0
    1  2024-03               1       3.0
    >>> round(result.overall.estimate, 2), result.overall.n_treated
    (2.5, 2)
    """
    level = require_probability("level", level)
    control_group = require_choice("control_group", control_group,
                                   ("not_yet_treated", "never_treated"))
    n_boot = require_whole_number("n_boot", n_boot, low=20)
    seed = require_whole_number("seed", seed)
    table = program_panel(panel, members, outcome, unit=unit, time=time, treatment=None,
                          start_column=start_column)
    start = _starts(table, unit, start_column)
    wide = table.pivot(index=unit, columns="month_number", values=outcome).loc[start.index]
    months = wide.columns.to_numpy()
    cells = _cells(wide.to_numpy(dtype=float), months, start.to_numpy(dtype=float),
                   control_group)
    if not cells:
        message = (_NO_WAVE_NOT_YET if control_group == "not_yet_treated"
                   else _NO_WAVE_NEVER)
        raise DataError(_(message).format(column=start_column))
    n = len(start)
    point = _estimates(cells, np.ones((1, n)))
    rng = np.random.default_rng(seed)
    replicates = _estimates(cells, rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot)
                            .astype(float))
    z = stats.norm.ppf(0.5 + level / 2)
    g = np.array([c["g"] for c in cells])
    t = np.array([c["t"] for c in cells])

    def summary(estimate: np.ndarray, draws: np.ndarray) -> dict[str, np.ndarray]:
        se = np.nanstd(draws, axis=0, ddof=1)
        return {"estimate": estimate, "std_error": se, "lower": estimate - z * se,
                "upper": estimate + z * se}

    by_group_time = pd.DataFrame({
        "cohort": [month_label(v) for v in g], "month": [month_label(v) for v in t],
        "relative_month": (t - g).astype(int),
        **summary(point["att"][0], replicates["att"]),
        "n_cohort": [int(c["cohort"].sum()) for c in cells],
        "n_control": [int(c["control"].sum()) for c in cells]})
    events = np.unique(t - g)
    chosen = [(t - g) == e for e in events]
    by_event_time = pd.DataFrame({
        "relative_month": events.astype(int),
        **summary(np.array([_aggregate(point, c)[0] for c in chosen]),
                  np.column_stack([_aggregate(replicates, c) for c in chosen])),
        "n_cohorts": [int(c.sum()) for c in chosen]})
    post = t >= g
    overall = summary(_aggregate(point, post), _aggregate(replicates, post)[:, None])
    used = np.isin(start.to_numpy(), np.unique(g))
    effect = Effect(estimate=float(overall["estimate"][0]),
                    std_error=float(overall["std_error"][0]),
                    lower=float(overall["lower"][0]), upper=float(overall["upper"][0]),
                    level=level, n_treated=int(used.sum()), n_control=int(start.isna().sum()),
                    method=STAGGERED_METHOD.format(controls=_CONTROLS_SHOWN[control_group]),
                    details={"n_boot": n_boot, "seed": seed, "outcome": outcome,
                             "aggregation": "simple (wave-size weights)", "time_unit": "M",
                             "waves": [month_label(v) for v in np.unique(g)]})
    return StaggeredResult(effect, by_group_time, by_event_time, control_group)
