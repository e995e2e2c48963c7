"""Plots of the customer-equity stage: cohort layers, connectors, drivers, spend, channels.

Each function takes what the matching ``relmark_lab.equity`` function
returns and an optional matplotlib ``ax``, and returns the Axes; a table
without the columns it needs raises a DataError naming the column.
Axis labels and legends speak the language of
:func:`relmark_lab.i18n.set_language` (catalog ``plots_equity.po``), and so
do the values the kit defines, e.g. the components of an equity change
(:func:`relmark_lab.i18n.display_value`; the tables keep them in English).
Column names, parameter names (the tornado's drivers) and values of the
user's own stay as they are.

Examples
--------
>>> from relmark_lab import equity
>>> from relmark_lab.plots.equity import plot_cohort_layers
>>> table = equity.cohort_table([50.0, 50.0], margin=10.0, retention_rate=0.8,
...     discount_rate=0.03, current_customers=200, horizon=12, time_unit="Q")
>>> plot_cohort_layers(table).get_xlabel()
'quarters from today'
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from relmark_lab import units
from relmark_lab.errors import DataError
from relmark_lab.i18n import display_value, display_values
from relmark_lab.i18n import gettext as _
from relmark_lab.plots._common import axes, require_plot_columns

__all__ = [
    "plot_bootstrap",
    "plot_channel_value",
    "plot_cohort_layers",
    "plot_connectors",
    "plot_equity_change",
    "plot_equity_surface",
    "plot_payback",
    "plot_response_curves",
    "plot_tornado",
]

_SIZE = (8, 4.5)


# Whole phrases per time unit, not "{unit} from today": a translator sees the sentence.
def _from_today(unit: str) -> str:
    return {"D": _("days from today"), "W": _("weeks from today"),
            "M": _("months from today"), "Q": _("quarters from today"),
            "Y": _("years from today")}[unit]


def _since_signup(unit: str) -> str:
    words = {"D": _("days since signup"), "W": _("weeks since signup"),
             "M": _("months since signup"), "Q": _("quarters since signup"),
             "Y": _("years since signup")}
    return words.get(unit) or _("{unit} since signup").format(unit=unit)


def _of_the_relationship(unit: str) -> str:
    words = {"M": _("month of the relationship (0 = acquisition)"),
             "Q": _("quarter of the relationship (0 = acquisition)"),
             "Y": _("year of the relationship (0 = acquisition)")}
    return words.get(unit) or _("{unit} of the relationship (0 = acquisition)").format(unit=unit)


def _connector_names() -> dict[str, str]:
    """The legend's words for the loyalty connectors (the table keeps its column names)."""
    return {"acquisition_cost": _("acquisition cost"), "base_profit": _("base profit"),
            "repeat_sales": _("repeat sales"), "cross_selling": _("cross selling"),
            "price_premium": _("price premium"), "cost_savings": _("cost savings"),
            "referrals": _("referrals")}


def plot_cohort_layers(equity: Any, ax: Axes | None = None, *, max_cohorts: int = 6) -> Axes:
    """Discounted value earned in each future period, stacked by cohort (the layer chart).

    Parameters
    ----------
    equity : CohortEquity
        What :func:`relmark_lab.equity.cohort_table` returns.
    ax : matplotlib Axes, optional
    max_cohorts : int, default 6
        Later cohorts are drawn as one layer, "later cohorts".
    """
    table = getattr(equity, "table", None)
    if not isinstance(table, pd.DataFrame):
        raise DataError(_("plot_cohort_layers needs what equity.cohort_table returns, got "
                          "{kind}.").format(kind=type(equity).__name__))
    require_plot_columns(table, ["cohort", "period", "margin"], "cohort table")
    ax = axes(ax, _SIZE)
    today, later = _("today's customers"), _("later cohorts")
    cohort_names = {k: _("cohort {number}").format(number=k) for k in range(1, max_cohorts + 1)}
    label = np.where(table["cohort"] == 0, today,
                     np.where(table["cohort"] <= max_cohorts,
                              table["cohort"].map(cohort_names), later))
    order = [today, *cohort_names.values(), later]
    wide = table.assign(layer=label).pivot_table(index="period", columns="layer",
                                                 values="margin", aggfunc="sum", fill_value=0.0)
    wide = wide[[c for c in order if c in wide.columns]]
    colors = ["#4c4c4c", *sns.color_palette("viridis", n_colors=max(1, wide.shape[1] - 1))]
    ax.stackplot(wide.index, wide.T.to_numpy(), labels=wide.columns, colors=colors[:wide.shape[1]])
    name = units.check_unit(equity.time_unit)
    ax.set_xlabel(_from_today(name))
    ax.set_ylabel(_("margin, discounted to today"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    return ax


def plot_connectors(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Profit per customer by tenure period, stacked by loyalty connector (Reichheld's chart).

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`relmark_lab.equity.profit_by_tenure`.
    ax : matplotlib Axes, optional
    """
    from relmark_lab.equity.connectors import CONNECTORS

    require_plot_columns(table, ["period", *CONNECTORS, "profit"], "profit by tenure")
    ax = axes(ax, _SIZE)
    colors = dict(zip(CONNECTORS, ["#b2182b", "#4d4d4d", *sns.color_palette("Set2", 5)],
                      strict=True))
    names = _connector_names()
    x = table["period"].to_numpy()
    up, down = np.zeros(len(table)), np.zeros(len(table))
    for name in CONNECTORS:
        values = table[name].to_numpy(dtype=float)
        base = np.where(values >= 0, up, down)
        ax.bar(x, values, bottom=base, color=colors[name], width=0.7,
               label=names.get(name, name.replace("_", " ")))
        up, down = up + np.clip(values, 0, None), down + np.clip(values, None, 0)
    ax.plot(x, table["profit"], "k.-", label=_("profit"))
    ax.axhline(0, color="black", linewidth=0.8)
    unit = table.attrs.get("time_unit", "Y")
    ax.set_xticks(x)
    ax.set_xlabel(_of_the_relationship(unit))
    ax.set_ylabel(_("profit per customer still buying"))
    ax.legend(loc="upper left", fontsize="small", ncols=2)
    return ax


def plot_bootstrap(result: Any, truth: float | None = None, ax: Axes | None = None) -> Axes:
    """Histogram of the bootstrap replicates, the estimate, the interval and the truth.

    Parameters
    ----------
    result : BootstrapEquity
        What :func:`relmark_lab.equity.bootstrap_equity` returns.
    truth : float, optional
        The value at the true parameters, where it is known (a simulation).
    ax : matplotlib Axes, optional
    """
    if not hasattr(result, "replicates"):
        raise DataError(_("plot_bootstrap needs what equity.bootstrap_equity returns, got "
                          "{kind}.").format(kind=type(result).__name__))
    ax = axes(ax, (7, 4))
    sns.histplot(result.replicates, bins=15, color="#9ecae1", ax=ax)
    ax.axvspan(result.lower, result.upper, color="#3182bd", alpha=0.15,
               label=_("{level} interval").format(level=f"{result.level:.0%}"))
    ax.axvline(result.estimate, color="#08519c", label=_("estimate"))
    if truth is not None:
        ax.axvline(truth, color="#b2182b", linestyle="--", label=_("truth"))
    ax.set_xlabel(_("value of today's customers"))
    ax.set_ylabel(_("refits"))
    ax.legend(fontsize="small")
    return ax


def plot_equity_change(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Waterfall of customer equity from one date to the next: acquisition, expansion, mortality.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`relmark_lab.equity.equity_change`.
    ax : matplotlib Axes, optional
    """
    require_plot_columns(table, ["component", "kind", "value", "cumulative"], "equity change")
    ax = axes(ax, (7, 4))
    x = np.arange(len(table))
    change = (table["kind"] == "change").to_numpy()
    value = table["value"].to_numpy(dtype=float)
    bottom = np.where(change, table["cumulative"].to_numpy(dtype=float) - value, 0.0)
    colors = np.where(~change, "#4d4d4d", np.where(value >= 0, "#1a9850", "#d73027"))
    ax.bar(x, value, bottom=bottom, color=colors, width=0.6)
    for k, (v, b) in enumerate(zip(value, bottom, strict=True)):
        ax.annotate(f"{v:+,.0f}" if change[k] else f"{v:,.0f}", (k, b + max(v, 0)),
                    ha="center", va="bottom", fontsize="small")
    ax.set_xticks(x, display_values(table["component"]))
    ax.set_ylabel(_("customer equity"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _position: f"{v:,.0f}"))
    return ax


def plot_channel_value(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Mean CLV against mean acquisition cost per channel: who is worth what they cost.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`relmark_lab.equity.channel_value` (channels in the index
        or in the first column).
    ax : matplotlib Axes, optional
    """
    require_plot_columns(table, ["acquisition_cost", "clv", "customers"], "channel value")
    ax = axes(ax, (7, 4.5))
    labels = table.index.astype(str) if table.index.name else table.iloc[:, 0].astype(str)
    sizes = 40 + 400 * table["customers"] / table["customers"].max()
    ax.scatter(table["acquisition_cost"], table["clv"], s=sizes, color="#3182bd", alpha=0.7)
    for label, cost, value in zip(display_values(labels), table["acquisition_cost"], table["clv"],
                                  strict=True):
        ax.annotate(label, (cost, value), xytext=(6, 4), textcoords="offset points",
                    fontsize="small")
    top = 1.1 * max(table["acquisition_cost"].max(), table["clv"].max())
    ax.plot([0, top], [0, top], color="grey", linestyle="--", label=_("CLV = cost"))
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel(_("mean acquisition cost"))
    ax.set_ylabel(_("mean CLV (future margin)"))
    ax.legend(loc="upper left", fontsize="small")
    return ax


def plot_payback(curve: pd.DataFrame, ax: Axes | None = None, *,
                 min_customers: int = 50) -> Axes:
    """Cumulative margin per acquired customer by period since signup, against the cost.

    Parameters
    ----------
    curve : pandas.DataFrame
        ``PaybackResult.curve`` of :func:`relmark_lab.equity.payback_period`: its
        first column is the group (the ``by`` column, e.g. the channel).
    ax : matplotlib Axes, optional
    min_customers : int, default 50
        Periods observed for fewer of a channel's customers are not drawn:
        their averages are noise.
    """
    require_plot_columns(curve, ["period", "customers", "cumulative_margin_per_customer",
                                 "acquisition_cost"], "payback curve")
    group = curve.columns[0]
    ax = axes(ax, _SIZE)
    palette = dict(zip(curve[group].unique(), sns.color_palette("tab10"), strict=False))
    for channel, rows in curve[curve["customers"] >= min_customers].groupby(group, sort=False):
        color = palette[channel]
        ax.plot(rows["period"], rows["cumulative_margin_per_customer"], color=color,
                label=str(display_value(channel)))
        ax.axhline(rows["acquisition_cost"].iloc[0], color=color, linestyle=":", linewidth=1)
    unit = curve.attrs.get("time_unit", "M")
    ax.set_xlabel(_since_signup(unit))
    ax.set_ylabel(_("cumulative margin per customer"))
    ax.legend(title=_("{group} (dotted: its acquisition cost)").format(
                  group=group.replace("_", " ")),
              fontsize="small", ncols=2)
    return ax


def plot_tornado(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Tornado of the drivers: % change in equity for a 1% improvement and a 1% worsening.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`relmark_lab.equity.elasticities` (``driver``,
        ``percent_change``, ``percent_change_down``).
    ax : matplotlib Axes, optional
    """
    require_plot_columns(table, ["driver", "percent_change", "percent_change_down"],
                         "elasticities")
    ordered = table.reindex(table["percent_change"].abs().sort_values().index)
    ax = axes(ax, (7, 0.6 * len(ordered) + 1.5))
    y = np.arange(len(ordered))
    labels = ordered["driver"].str.replace("_", " ")
    ax.barh(y, ordered["percent_change"], color="#1a9850", label=_("1% better"))
    ax.barh(y, ordered["percent_change_down"], color="#d73027", label=_("1% worse"))
    for k, value in enumerate(ordered["percent_change"]):
        ax.annotate(f"{value:+.2f}%", (value, k), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize="small")
    ax.set_yticks(y, labels)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(_("change in customer equity (%)"))
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_response_curves(acquisition: Any, retention: Any, *, plan: Any = None,
                         observed: tuple[tuple[float, float], tuple[float, float]] | None = None,
                         ) -> Figure:
    """The two response curves of Blattberg & Deighton, side by side, with the optimum.

    Parameters
    ----------
    acquisition, retention : ResponseCurve
        Rate as a function of spend per prospect and per customer.
    plan : SpendPlan, optional
        What :func:`relmark_lab.equity.optimal_spend` returns, marked on both.
    observed : ((spend, rate), (spend, rate)), optional
        The observed points the curves were calibrated on.
    """
    for name, curve in (("acquisition", acquisition), ("retention", retention)):
        if not hasattr(curve, "rate") or not hasattr(curve, "ceiling"):
            raise DataError(_("plot_response_curves: {name} must be a ResponseCurve, got "
                              "{kind}.").format(name=name, kind=type(curve).__name__))
    figure, panels = plt.subplots(1, 2, figsize=(10, 4))
    optimum = (None, None) if plan is None else (
        (plan.acquisition_spend, plan.acquisition_rate),
        (plan.retention_spend, plan.retention_rate))
    seen = observed or (None, None)
    spend_labels = (_("spend per prospect"), _("spend per customer"))
    rate_labels = (_("acquisition rate"), _("retention rate"))
    for ax, curve, spend_label, rate_label, best, point in zip(
            panels, (acquisition, retention), spend_labels, rate_labels, optimum, seen,
            strict=True):
        top = max(curve.spend_for(0.95 * curve.ceiling), 1.5 * best[0] if best else 0.0)
        spend = np.linspace(0, top, 200)
        ax.plot(spend, curve.rate(spend), color="#3182bd")
        ax.axhline(curve.ceiling, color="grey", linestyle=":", label=_("ceiling"))
        if point is not None:
            ax.plot(*point, "o", color="black", label=_("observed"))
        if best is not None:
            ax.plot(*best, "*", color="#b2182b", markersize=12, label=_("optimum"))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _position: f"{v:.0%}"))
        ax.set_xlabel(spend_label)
        ax.set_ylabel(rate_label)
        ax.legend(loc="lower right", fontsize="small")
    figure.tight_layout()
    return figure


def plot_equity_surface(acquisition_spend: np.ndarray, retention_spend: np.ndarray,
                        equity: np.ndarray, *, plan: Any = None,
                        ax: Axes | None = None) -> Axes:
    """Contours of customer equity per prospect over acquisition and retention spend.

    Parameters
    ----------
    acquisition_spend, retention_spend : numpy.ndarray
        The grid's axes (1-D).
    equity : numpy.ndarray
        Equity per prospect at every point, shape ``(len(retention_spend),
        len(acquisition_spend))``, e.g. :func:`relmark_lab.equity.equity_per_prospect`
        of a meshgrid.
    plan : SpendPlan, optional
        The optimum, marked.
    ax : matplotlib Axes, optional
    """
    grid = np.asarray(equity, dtype=float)
    if grid.shape != (len(retention_spend), len(acquisition_spend)):
        raise DataError(_("plot_equity_surface: equity has shape {shape}, expected ({rows}, "
                          "{columns}): one row per retention spend, one column per acquisition "
                          "spend.").format(shape=grid.shape, rows=len(retention_spend),
                                           columns=len(acquisition_spend)))
    ax = axes(ax, (7, 5))
    filled = ax.contourf(acquisition_spend, retention_spend, grid, levels=20, cmap="viridis")
    ax.contour(acquisition_spend, retention_spend, grid, levels=[0], colors="white",
               linewidths=1.5)
    ax.figure.colorbar(filled, ax=ax, label=_("customer equity per prospect"))
    if plan is not None:
        ax.plot(plan.acquisition_spend, plan.retention_spend, "*", color="#b2182b",
                markersize=14, label=_("optimum"))
        ax.legend(loc="upper right", fontsize="small")
    ax.set_xlabel(_("acquisition spend per prospect"))
    ax.set_ylabel(_("retention spend per customer"))
    return ax
