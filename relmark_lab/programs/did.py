"""Before and after, enrolled and not: the naive comparison, difference-in-differences, events.

Members who join a loyalty program on their own are not like those who do
not: heavy buyers enrol first (Leenheer et al. 2007 find the naive effect
about seven times too large; Liu 2007). :func:`naive_difference` compares
enrolled and other members after the launch, so it adds that head start to
the program's effect. *Difference-in-differences (diferencias en
diferencias)* (:func:`difference_in_differences`) subtracts each group's own
before-launch level, ``y ~ treated * post``, as Card & Krueger (1994) did for
New Jersey's minimum wage. It is right when, without the program, both
groups would have moved in parallel (*parallel trends*); the *event study*
(:func:`event_study`) shows the effect month by month around the start, and
its months before the start are the check: :func:`pre_trend_test` asks
whether they are jointly zero.

Every function reads a monthly panel (one row per member and month, months
written ``"YYYY-MM"``) and a members table (one row per member: enrolled
0/1, program start month or empty); :func:`program_panel` joins them into
the table the estimators use. Standard errors are clustered by member, since
one member's months are not independent draws.

Examples
--------
>>> months = [f"2024-{m:02d}" for m in range(1, 5)]
>>> panel = pd.DataFrame({"member_id": np.repeat(list("abcd"), 4), "month": months * 4,
...                       "orders": [5, 5, 7, 7, 4, 4, 6, 6, 1, 1, 2, 2, 2, 2, 3, 3]})
>>> members = pd.DataFrame({"member_id": list("abcd"), "enrolled": [1, 1, 0, 0]})
>>> naive = naive_difference(panel, members, "orders", post_from="2024-03")
>>> did = difference_in_differences(panel, members, "orders", post_from="2024-03")
>>> round(naive.estimate, 2), round(did.estimate, 2)  # 3 of the naive 4 is the head start
(4.0, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from relmark_lab._validate import require_columns
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _
from relmark_lab.programs._effect import Effect, require_arms, require_probability
from relmark_lab.programs._panel import (
    cluster_groups,
    clustered,
    effect_of,
    month_label,
    program_panel,
    within_fit,
)

__all__ = [
    "PreTrendTest",
    "difference_in_differences",
    "event_study",
    "naive_difference",
    "pre_trend_test",
    "program_panel",
]

# One sentence per group of members an event study needs, so each language words its own.
_TOO_FEW_TREATED = N_("members: column {column!r} gives {count} treated (with a start) "
                      "member(s) with rows in the panel; the event study needs at least 2 of "
                      "each.")
_TOO_FEW_NEVER_TREATED = N_("members: column {column!r} gives {count} never-treated (no start) "
                            "member(s) with rows in the panel; the event study needs at least 2 "
                            "of each.")


def _periods(table: pd.DataFrame, post_from: Any, *, need_pre: bool) -> None:
    """DataError unless the panel has months after (and, for DiD, before) ``post_from``."""
    first, last = table["month_number"].min(), table["month_number"].max()
    if not table["post"].any():
        raise DataError(_("post_from={post_from} is after the panel's last month, {last}: "
                          "no month is left to compare.").format(
                              post_from=describe_example(post_from), last=month_label(last)))
    if need_pre and table["post"].all():
        raise DataError(_("post_from={post_from} is on or before the panel's first month, "
                          "{first}: no month before the launch is left to difference out.").format(
                              post_from=describe_example(post_from), first=month_label(first)))



def _arms(table: pd.DataFrame, unit: str, treatment: str) -> tuple[int, int]:
    """Treated and control members with rows in ``table``; DataError below 2 in either."""
    treated = table.drop_duplicates(unit)["treated"].to_numpy(dtype=bool)
    require_arms(treated, treatment, "members")
    return int(treated.sum()), int((~treated).sum())


def naive_difference(panel: pd.DataFrame, members: pd.DataFrame, outcome: str, *,
                     post_from: Any, unit: str = "member_id", time: str = "month",
                     treatment: str = "enrolled", level: float = 0.95) -> Effect:
    """Enrolled minus other members' mean outcome per member-month after the launch.

    The comparison a program's own report makes. When members chose to
    enrol it measures the program **plus** how different the joiners were
    already; :func:`difference_in_differences` removes the part that shows
    before the launch.

    Parameters
    ----------
    panel, members, outcome, unit, time, treatment
        As in :func:`program_panel`.
    post_from : str
        First month after the launch, e.g. ``"2024-07"``; earlier months are
        not used.
    level : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    Effect
        The difference per member-month (OLS ``y ~ treated``, standard errors
        clustered by member); ``details`` holds both groups' means.

    Examples
    --------
    >>> panel = pd.DataFrame({"member_id": list("abcd"), "month": "2024-07",
    ...                       "orders": [4, 6, 1, 3]})
    >>> members = pd.DataFrame({"member_id": list("abcd"), "enrolled": [1, 1, 0, 0]})
    >>> round(naive_difference(panel, members, "orders", post_from="2024-07").estimate, 2)
    3.0
    """
    level = require_probability("level", level)
    table = program_panel(panel, members, outcome, unit=unit, time=time, treatment=treatment,
                          post_from=post_from)
    _periods(table, post_from, need_pre=False)
    table = table[table["post"] == 1]
    counts = _arms(table, unit, treatment)
    data = pd.DataFrame({"y": table[outcome], "treated": table["treated"]})
    fit = clustered("y ~ treated", data, cluster_groups(table, panel, members, unit, unit))
    means = data.groupby("treated")["y"].mean()
    return effect_of(fit, "treated", level, counts, N_("naive post-period difference"),
                   {"mean_treated": float(means[1]), "mean_control": float(means[0]),
                    "n_clusters": sum(counts), "outcome": outcome})


def difference_in_differences(panel: pd.DataFrame, members: pd.DataFrame, outcome: str, *,
                              post_from: Any, cluster: str = "member_id",
                              unit: str = "member_id", time: str = "month",
                              treatment: str = "enrolled", level: float = 0.95) -> Effect:
    """The program's effect as the change of the enrolled minus the change of the others.

    Fits ``y ~ treated * post`` by OLS on member-months; the interaction is
    ``(treated after - treated before) - (control after - control before)``.
    **Assumption (parallel trends):** without the program the enrolled
    members' outcome would have changed by as much as the others'. A fixed
    head start (heavy buyers enrol) cancels; a head start that grows or
    shrinks over time does not. Check it with :func:`event_study` and
    :func:`pre_trend_test`.

    Parameters
    ----------
    panel, members, outcome, unit, time, treatment
        As in :func:`program_panel`.
    post_from : str
        First month after the launch, e.g. ``"2024-07"``.
    cluster : str, default "member_id"
        Column (of the panel or the members) whose groups share errors;
        standard errors are clustered by it (``cov_type="cluster"``).
    level : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    Effect
        The interaction, per member-month; ``details["means"]`` is the 2x2
        table of means (rows treated 0/1, columns post 0/1) it is built from.

    Examples
    --------
    >>> panel = pd.DataFrame({"member_id": np.repeat(list("abcd"), 2),
    ...                       "month": ["2024-06", "2024-07"] * 4,
    ...                       "orders": [4, 7, 6, 9, 1, 2, 3, 4]})
    >>> members = pd.DataFrame({"member_id": list("abcd"), "enrolled": [1, 1, 0, 0]})
    >>> effect = difference_in_differences(panel, members, "orders", post_from="2024-07")
    >>> round(effect.estimate, 2)  # (8 - 5) - (3 - 2)
    2.0
    """
    level = require_probability("level", level)
    table = program_panel(panel, members, outcome, unit=unit, time=time, treatment=treatment,
                          post_from=post_from)
    _periods(table, post_from, need_pre=True)
    counts = _arms(table, unit, treatment)
    groups = cluster_groups(table, panel, members, cluster, unit)
    data = pd.DataFrame({"y": table[outcome], "treated": table["treated"],
                         "post": table["post"]})
    fit = clustered("y ~ treated * post", data, groups)
    means = data.pivot_table(index="treated", columns="post", values="y", aggfunc="mean")
    return effect_of(fit, "treated:post", level, counts, N_("difference-in-differences"),
                   {"means": means, "n_clusters": int(groups.max() + 1),
                    "cluster": cluster, "outcome": outcome})


def _event_name(month: int) -> str:
    return f"lead_{-month}" if month < 0 else f"lag_{month}"


def event_study(panel: pd.DataFrame, members: pd.DataFrame, outcome: str, *,
                start_column: str = "program_start", reference: int = -1,
                unit: str = "member_id", time: str = "month",
                level: float = 0.95) -> pd.DataFrame:
    """The program's effect in each month relative to the member's start, with intervals.

    Regresses the outcome on one dummy per month relative to the start (in
    months; ``reference`` left out, so every estimate is a difference from
    it) plus member and month fixed effects; members with no start are the
    never-treated controls that pin down the month effects. Standard errors
    are clustered by member. Estimates before the start should be about 0:
    if they drift, the treated members were already moving away
    (:func:`pre_trend_test` tests them jointly).

    Parameters
    ----------
    panel, members, outcome, unit, time
        As in :func:`program_panel`.
    start_column : str, default "program_start"
        Members' first month in the program, empty for never-treated.
    reference : int, default -1
        The relative month all others are compared with (the month before
        the start).
    level : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    pandas.DataFrame
        One row per relative month: ``relative_month``, ``estimate``,
        ``std_error``, ``lower``, ``upper``, ``n_treated`` (treated members
        seen that month) and ``reference`` (True on the reference row, whose
        estimate is 0 by construction). ``attrs`` holds ``covariance`` (of
        the estimates, ``{month: {month: value}}``; ``pd.DataFrame(...)``
        shows it as a table), ``time_unit`` ("M"), ``outcome``.

    Examples
    --------
    >>> months = [f"2024-{m:02d}" for m in range(1, 5)]
    >>> panel = pd.DataFrame({"member_id": np.repeat(list("abcdef"), 4), "month": months * 6,
    ...                       "orders": [5, 6, 9, 9,  4, 5, 7, 8,  6, 6, 9, 10,
    ...                                  1, 2, 2, 3,  2, 3, 3, 4,  1, 1, 2, 2]})
    >>> members = pd.DataFrame({"member_id": list("abcdef"),
    ...                         "program_start": ["2024-03"] * 3 + [None] * 3})
    >>> study = event_study(panel, members, "orders")
    >>> study["relative_month"].tolist(), study["reference"].tolist()
    ([-2, -1, 0, 1], [False, True, False, False])
    >>> (study["estimate"].round(2) + 0.0).tolist()  # at 0: (8/3 - 1/3), changes from -1
    [0.0, 0.0, 2.33, 2.33]
    """
    level = require_probability("level", level)
    table = program_panel(panel, members, outcome, unit=unit, time=time, treatment=None,
                          start_column=start_column)
    ever = table["relative_month"].notna().to_numpy()
    for message, rows in ((_TOO_FEW_TREATED, ever), (_TOO_FEW_NEVER_TREATED, ~ever)):
        if table.loc[rows, unit].nunique() < 2:
            raise DataError(_(message).format(column=start_column,
                                              count=table.loc[rows, unit].nunique()))
    relative = table["relative_month"]
    seen = sorted(int(m) for m in relative[ever].unique())
    if isinstance(reference, bool) or reference not in seen:
        raise DataError(_("reference must be a relative month the treated members are seen "
                          "in, from {first} to {last}; got {reference}.").format(
                              first=seen[0], last=seen[-1], reference=describe_example(reference)))
    others = [m for m in seen if m != reference]
    dummies = pd.DataFrame({_event_name(m): (relative == m).astype(float) for m in others})
    fit = within_fit(table, outcome, dummies, unit)
    names = [_event_name(m) for m in others]
    bounds = fit.conf_int(alpha=1 - level).loc[names]
    counts = table[ever].groupby("relative_month")[unit].nunique()
    study = pd.DataFrame({"relative_month": others,
                          "estimate": fit.params[names].to_numpy(),
                          "std_error": fit.bse[names].to_numpy(),
                          "lower": bounds[0].to_numpy(), "upper": bounds[1].to_numpy()})
    base = pd.DataFrame({"relative_month": [reference], "estimate": [0.0],
                         "std_error": [0.0], "lower": [0.0], "upper": [0.0]})
    study = pd.concat([study, base]).sort_values("relative_month", ignore_index=True)
    study["n_treated"] = study["relative_month"].map(counts).astype(int).to_numpy()
    study["reference"] = study["relative_month"] == reference
    # plain dicts, not a DataFrame: pandas compares attrs when tables are concatenated
    covariance = fit.cov_params().loc[names, names].to_numpy().tolist()
    study.attrs = {"covariance": {m: dict(zip(others, row, strict=True))
                                  for m, row in zip(others, covariance, strict=True)},
                   "reference": reference, "time_unit": "M", "outcome": outcome,
                   "level": level, "n_clusters": int(table[unit].nunique())}
    return study


@dataclass(frozen=True)
class PreTrendTest:
    """A joint Wald test that the event study's months before the start are all 0.

    Attributes
    ----------
    statistic : float
        Wald chi-squared statistic, ``b' V^-1 b``.
    p_value : float
        Its upper tail probability under chi-squared(``df``).
    df : int
        Number of months tested.
    relative_months : tuple of int
        The months tested (relative to the start, in months).
    """

    statistic: float
    p_value: float
    df: int
    relative_months: tuple[int, ...]


def pre_trend_test(study: pd.DataFrame) -> PreTrendTest:
    """Test jointly that every pre-start coefficient of an event study is zero.

    A small p-value says the treated members were already drifting away
    from the controls before the start: parallel trends fail and
    difference-in-differences mixes that drift into the effect. A large one
    does not prove parallel trends; it says the data cannot reject them.

    Parameters
    ----------
    study : pandas.DataFrame
        What :func:`event_study` returns (its ``attrs`` carry the
        covariance). Rows dropped from it are left out of the test, so a
        filtered table tests only the months it keeps.

    Returns
    -------
    PreTrendTest
        Statistic, p-value, degrees of freedom and the months tested.

    Examples
    --------
    >>> study = pd.DataFrame({"relative_month": [-3, -2, -1, 0], "estimate": [0.2, 0.4, 0, 1],
    ...                       "reference": [False, False, True, False]})
    >>> months = [-3, -2, 0]  # SE 0.2 each, uncorrelated
    >>> study.attrs["covariance"] = {a: {b: 0.04 * (a == b) for b in months} for a in months}
    >>> test = pre_trend_test(study)
    >>> round(test.statistic, 2), test.df, round(test.p_value, 3)  # (0.2/.2)^2 + (0.4/.2)^2
    (5.0, 2, 0.082)
    """
    covariance = getattr(study, "attrs", {}).get("covariance")
    if not isinstance(study, pd.DataFrame) or not isinstance(covariance, dict):
        raise DataError(_("study must be the table event_study returns, with its attrs "
                          "(covariance of the estimates); got {kind} without them.").format(
                              kind=type(study).__name__))
    require_columns(study, ["relative_month", "estimate", "reference"], "study")
    pre = study[(study["relative_month"] < 0) & ~study["reference"].astype(bool)]
    months = [int(m) for m in pre["relative_month"] if m in covariance]
    if not months:
        raise DataError(_("study has no month before the start other than the reference, so "
                          "there is no pre-trend to test; the panel needs at least two months "
                          "before the start."))
    estimates = pre.set_index("relative_month").loc[months, "estimate"].to_numpy(dtype=float)
    block = np.array([[covariance[a][b] for b in months] for a in months], dtype=float)
    statistic = float(estimates @ np.linalg.pinv(block) @ estimates)
    df = int(np.linalg.matrix_rank(block))
    return PreTrendTest(statistic=statistic, p_value=float(stats.chi2.sf(statistic, df)),
                        df=df, relative_months=tuple(months))
