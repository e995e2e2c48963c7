"""Plots of the program-evaluation stage: power, balance, event study, effects, rollout, ROI.

Each function takes what the matching ``relmark_lab.programs`` function
returns and an optional matplotlib ``ax``, and returns the Axes; a table
without the columns it needs raises a DataError naming the column. Axis
labels and legends are in the kit's language
(:func:`relmark_lab.i18n.set_language`), and so are the values the kit
defines, e.g. the pilot's buyer tiers (:func:`relmark_lab.i18n.display_value`;
the tables keep them in English); covariate and month names and groups of the
user's own are drawn as they are.

Examples
--------
>>> from relmark_lab import programs
>>> from relmark_lab.plots.programs import plot_power_curve
>>> curve = programs.power_curve([0.2, 0.5], kind="means", sd=1.0)
>>> plot_power_curve(curve).get_xlabel()
'members per arm'
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from relmark_lab.i18n import display_values
from relmark_lab.i18n import gettext as _
from relmark_lab.plots._common import axes, require_plot_columns

__all__ = [
    "plot_balance",
    "plot_effects",
    "plot_event_study",
    "plot_net_value",
    "plot_power_curve",
    "plot_rollout",
]


def plot_power_curve(curve: pd.DataFrame, ax: Axes | None = None, *,
                     target: float = 0.8) -> Axes:
    """Power against members per arm, one line per effect size, with the target power.

    Parameters
    ----------
    curve : pandas.DataFrame
        Output of :func:`relmark_lab.programs.power_curve`.
    ax : matplotlib Axes, optional
    target : float, default 0.8
        The power the pilot is sized for (a dotted line).
    """
    require_plot_columns(curve, ["effect", "n_treated", "power"], "power curve")
    ax = axes(ax, (7, 4))
    effect_label = _("effect {effect:g}")
    for effect, rows in curve.groupby("effect", sort=True):
        ax.plot(rows["n_treated"], rows["power"], label=effect_label.format(effect=effect))
    ax.axhline(target, color="grey", linestyle=":",
               label=_("power {target:.0%}").format(target=target))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _position: f"{v:.0%}"))
    ax.set_xlabel(_("members per arm"))
    ax.set_ylabel(_("power"))
    ax.legend(fontsize="small")
    return ax


def plot_balance(before: pd.DataFrame, after: pd.DataFrame | None = None,
                 ax: Axes | None = None, *, threshold: float = 0.1) -> Axes:
    """Standardized mean differences per covariate (a "love plot"), before and after weighting.

    Parameters
    ----------
    before : pandas.DataFrame
        Output of :func:`relmark_lab.programs.balance_table`.
    after : pandas.DataFrame, optional
        The same table after weighting or matching.
    ax : matplotlib Axes, optional
    threshold : float, default 0.1
        The |SMD| usually taken as balanced (dotted lines).
    """
    require_plot_columns(before, ["covariate", "level", "smd"], "balance table")
    levels = display_values(before["level"])
    label = (before["covariate"] + np.where(levels != "", ": " + levels, ""))
    ax = axes(ax, (7, 0.35 * len(before) + 1.5))
    y = np.arange(len(before))
    ax.scatter(before["smd"], y, color="#d73027", label=_("before"), zorder=3)
    if after is not None:
        require_plot_columns(after, ["smd"], "balance table after weighting")
        ax.scatter(after["smd"].to_numpy()[:len(before)], y, color="#1a9850", marker="s",
                   label=_("after"), zorder=3)
    for edge in (-threshold, threshold):
        ax.axvline(edge, color="grey", linestyle=":")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, label)
    ax.set_xlabel(_("standardized mean difference (treated − control)"))
    ax.legend(fontsize="small")
    return ax


def plot_event_study(study: pd.DataFrame, ax: Axes | None = None, *,
                     truth: pd.Series | None = None) -> Axes:
    """Effect by month relative to the start, with intervals; zero before it if trends are parallel.

    Parameters
    ----------
    study : pandas.DataFrame
        Output of :func:`relmark_lab.programs.event_study` (or the
        ``by_event_time`` table of :func:`relmark_lab.programs.staggered_effect`).
    ax : matplotlib Axes, optional
    truth : pandas.Series, optional
        The true effect by relative month, where it is known.
    """
    require_plot_columns(study, ["relative_month", "estimate", "lower", "upper"], "event study")
    ax = axes(ax, (8, 4))
    x = study["relative_month"].to_numpy()
    ax.fill_between(x, study["lower"], study["upper"], color="#9ecae1", alpha=0.6,
                    label=_("95% interval"))
    ax.plot(x, study["estimate"], "o-", color="#08519c", label=_("estimate"))
    if truth is not None:
        ax.plot(truth.index, truth.to_numpy(), "--", color="#b2182b", label=_("truth"))
    ax.axhline(0, color="black", linewidth=0.8)
    ax.axvline(-0.5, color="grey", linestyle=":")
    ax.set_xlabel(_("months relative to the start of the program"))
    # the outcome is a column's name, drawn as it is; only the stand-in words are translated
    outcome = study.attrs["outcome"] if "outcome" in study.attrs else _("the outcome")
    ax.set_ylabel(_("effect on {outcome}").format(outcome=outcome))
    ax.legend(fontsize="small")
    return ax


def plot_effects(table: pd.DataFrame, by: str, ax: Axes | None = None, *,
                 truth: pd.Series | None = None) -> Axes:
    """Effects with their intervals, one row per group (e.g. tier) or per method.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``by``, ``estimate``, ``lower``, ``upper`` (e.g.
        :func:`relmark_lab.programs.effects_by_group`).
    by : str
        The column labelling the rows.
    ax : matplotlib Axes, optional
    truth : pandas.Series, optional
        The true effect per label, drawn as a red mark.
    """
    require_plot_columns(table, [by, "estimate", "lower", "upper"], "effects")
    ax = axes(ax, (7, 0.5 * len(table) + 1.5))
    y = np.arange(len(table))
    estimate = table["estimate"].to_numpy()
    ax.errorbar(estimate, y, xerr=[estimate - table["lower"], table["upper"] - estimate],
                fmt="o", color="#08519c", capsize=4, label=_("estimate, 95% interval"))
    if truth is not None:
        ax.scatter(truth.reindex(table[by]).to_numpy(), y, marker="x", color="#b2182b",
                   s=60, zorder=3, label=_("truth"))
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, display_values(table[by].astype(str)))
    ax.set_xlabel(_("effect"))
    ax.legend(fontsize="small")
    return ax


def plot_rollout(by_group_time: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Effects of a phased rollout by wave and calendar month (one line per wave).

    Parameters
    ----------
    by_group_time : pandas.DataFrame
        ``StaggeredResult.by_group_time`` of
        :func:`relmark_lab.programs.staggered_effect`.
    ax : matplotlib Axes, optional
    """
    require_plot_columns(by_group_time, ["cohort", "month", "estimate"], "rollout effects")
    ax = axes(ax, (8, 4))
    months = sorted(set(by_group_time["month"].astype(str)) | set(
        by_group_time["cohort"].astype(str)))
    position = {month: k for k, month in enumerate(months)}  # calendar order on the x axis
    cohorts = sorted(by_group_time["cohort"].astype(str).unique())
    palette = dict(zip(cohorts, sns.color_palette("viridis", len(cohorts)), strict=True))
    wave_label = _("wave from {cohort}")
    for cohort, rows in by_group_time.assign(
            cohort=by_group_time["cohort"].astype(str),
            month=by_group_time["month"].astype(str)).groupby("cohort", sort=True):
        rows = rows.sort_values("month")
        ax.plot(rows["month"].map(position), rows["estimate"], "o-", color=palette[cohort],
                label=wave_label.format(cohort=cohort))
        ax.axvline(position[cohort], color=palette[cohort], linestyle=":", linewidth=1)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(range(len(months)), months, rotation=45, ha="right")
    ax.set_xlabel(_("month (dotted: a wave's start)"))
    ax.set_ylabel(_("effect against not-yet-treated members"))
    ax.legend(fontsize="small")
    return ax


def plot_net_value(draws: pd.DataFrame, ax: Axes | None = None, *,
                   naive: float | None = None) -> Axes:
    """Distribution of the program's net value per member over bootstrap redraws of the pilot.

    Parameters
    ----------
    draws : pandas.DataFrame
        Output of :func:`relmark_lab.programs.bootstrap_program_value`.
    ax : matplotlib Axes, optional
    naive : float, optional
        The net value a naive (self-selected) estimate would claim.
    """
    require_plot_columns(draws, ["net_value"], "bootstrap draws")
    ax = axes(ax, (7, 4))
    sns.histplot(draws["net_value"], bins=20, color="#9ecae1", ax=ax)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.axvline(draws["net_value"].mean(), color="#08519c", label=_("mean"))
    if naive is not None:
        ax.axvline(naive, color="#b2182b", linestyle="--", label=_("naive estimate"))
    ax.set_xlabel(_("net value per enrolled member (CLV added − program cost)"))
    ax.set_ylabel(_("redraws of the pilot"))
    ax.legend(fontsize="small")
    return ax
