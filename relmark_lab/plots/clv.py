"""Plots of the CLV stage: model checks, cohorts, layer cake, retention projection.

Each function takes the tidy DataFrame the matching ``relmark_lab.clv``
function returns and an optional matplotlib ``ax``, and returns the Axes;
a table without the columns it needs raises a DataError naming the column.
Axis labels and legends speak the language of
:func:`relmark_lab.i18n.set_language` (catalog ``plots_clv.po``), and so does
the cohort of customers without a purchase
(:func:`relmark_lab.i18n.display_value`; the tables keep it in English); the
tables' other values and their column names stay as they are.

Examples
--------
>>> import relmark_lab as rl
>>> from relmark_lab import clv
>>> from relmark_lab.plots.clv import plot_frequency_histogram
>>> data = clv.summarize(rl.datasets.load_cdnow(), "1997-09-30")  # in weeks
>>> ax = plot_frequency_histogram(clv.frequency_histogram(clv.BetaGeoNBD().fit(data), data))
>>> ax.get_xlabel()
'repeat purchases in the calibration period'
"""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from relmark_lab.i18n import display_values
from relmark_lab.i18n import gettext as _
from relmark_lab.plots._common import axes, require_plot_columns

__all__ = [
    "plot_calibration_vs_holdout",
    "plot_cohort_retention",
    "plot_frequency_histogram",
    "plot_layer_cake",
    "plot_retention_projection",
    "plot_tracking",
]


#: Default figure size of the single-panel plots, in inches.
_SIZE = (7, 4)


def _series_names() -> dict[str, str]:
    """The legend's words for the model-check series, in the language in use.

    The series are the table's own column names; only the legend shows them
    translated, the table keeps its English columns.
    """
    return {"actual": _("actual"), "expected": _("expected")}


def plot_frequency_histogram(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bars of actual vs expected customers per calibration frequency.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`relmark_lab.clv.frequency_histogram`.
    ax : matplotlib Axes, optional
    """
    require_plot_columns(table, ["frequency", "actual", "expected"], "frequency histogram")
    ax = axes(ax, _SIZE)
    long = table.melt(id_vars="frequency", value_vars=["actual", "expected"],
                      var_name="series", value_name="customers")
    long["series"] = long["series"].map(_series_names())
    sns.barplot(data=long, x="frequency", y="customers", hue="series", ax=ax)
    ax.set_xlabel(_("repeat purchases in the calibration period"))
    ax.set_ylabel(_("customers"))
    ax.legend(title=None)
    return ax


def plot_calibration_vs_holdout(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Mean holdout purchases by calibration frequency, actual vs model.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`relmark_lab.clv.calibration_vs_holdout`.
    ax : matplotlib Axes, optional
    """
    require_plot_columns(table, ["frequency", "actual", "expected"], "calibration vs holdout")
    ax = axes(ax, _SIZE)
    long = table.melt(id_vars="frequency", value_vars=["actual", "expected"],
                      var_name="series", value_name="purchases")
    long["series"] = long["series"].map(_series_names())
    sns.lineplot(data=long, x="frequency", y="purchases", hue="series", style="series",
                 markers=True, sort=False, ax=ax)
    ax.set_xlabel(_("repeat purchases in the calibration period"))
    ax.set_ylabel(_("mean purchases in the holdout"))
    ax.legend(title=None)
    return ax


def plot_tracking(table: pd.DataFrame, cumulative: bool = True, ax: Axes | None = None) -> Axes:
    """Repeat purchases over time, actual vs model, with the calibration end marked.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`relmark_lab.clv.tracking_repeat_purchases`.
    cumulative : bool, default True
        Running totals (True) or purchases per period (False).
    ax : matplotlib Axes, optional
    """
    prefix = "cumulative_" if cumulative else ""
    require_plot_columns(table, ["period", "in_calibration", f"{prefix}actual",
                                 f"{prefix}expected"], "tracking table")
    ax = axes(ax, _SIZE)
    long = table.melt(id_vars="period", value_vars=[f"{prefix}actual", f"{prefix}expected"],
                      var_name="series", value_name="purchases")
    long["series"] = long["series"].str.removeprefix(prefix).map(_series_names())
    sns.lineplot(data=long, x="period", y="purchases", hue="series", style="series", ax=ax)
    calibration = table.loc[table["in_calibration"], "period"]
    if len(calibration) and len(calibration) < len(table):
        ax.axvline(calibration.max() + 0.5, color="grey", linestyle=":", label=_("calibration end"))
    ax.set_xlabel(_("period since the first customer's first purchase"))
    ax.set_ylabel(_("cumulative repeat purchases") if cumulative else _("repeat purchases"))
    ax.legend(title=None)
    return ax


def plot_cohort_retention(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Heat map of the share of each cohort still buying, by periods since acquisition.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`relmark_lab.clv.cohort_retention_table`.
    ax : matplotlib Axes, optional
    """
    require_plot_columns(table, ["cohort", "periods_since_acquisition", "share"],
                         "cohort retention table")
    ax = axes(ax, (9, 5))
    wide = table.pivot(index="cohort", columns="periods_since_acquisition", values="share")
    sns.heatmap(wide, annot=True, fmt=".0%", cmap="Blues", vmin=0, vmax=1, cbar=False, ax=ax)
    ax.set_xlabel(_("periods since acquisition"))
    ax.set_ylabel(_("acquisition cohort"))
    return ax


def plot_layer_cake(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Stacked revenue by acquisition cohort over calendar periods (the layer cake).

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`relmark_lab.clv.layer_cake`.
    ax : matplotlib Axes, optional
    """
    require_plot_columns(table, ["period", "cohort", "revenue"], "layer cake")
    ax = axes(ax, (9, 4.5))
    wide = table.pivot(index="period", columns="cohort", values="revenue").fillna(0.0)
    colors = sns.color_palette("viridis", n_colors=wide.shape[1])
    ax.stackplot(range(len(wide)), wide.T.to_numpy(), labels=display_values(wide.columns),
                 colors=colors)
    step = max(1, len(wide) // 12)
    ax.set_xticks(range(0, len(wide), step), wide.index[::step], rotation=45, ha="right")
    ax.set_xlabel(_("period"))
    ax.set_ylabel(_("revenue"))
    ax.legend(title=_("cohort"), loc="upper left", fontsize="small", ncols=2)
    return ax


def plot_retention_projection(actual: pd.DataFrame, projected: pd.DataFrame,
                              fitted_periods: int | None = None,
                              ax: Axes | None = None) -> Axes:
    """Survivors of a cohort: actual against an sBG projection.

    Parameters
    ----------
    actual : pandas.DataFrame
        Columns ``period`` (or ``year``) and ``n_alive`` (observed survivors),
        e.g. one segment of :func:`relmark_lab.datasets.load_sbg_cohorts`.
    projected : pandas.DataFrame
        Output of :meth:`relmark_lab.clv.ShiftedBetaGeometric.expected_alive`.
    fitted_periods : int, optional
        Last period used in the fit, marked with a vertical line.
    ax : matplotlib Axes, optional
    """
    time_column = "period" if "period" in actual.columns else "year"
    require_plot_columns(actual, [time_column, "n_alive"], "observed survivors")
    require_plot_columns(projected, ["period", "n_alive"], "sBG projection")
    ax = axes(ax, _SIZE)
    ax.plot(actual[time_column], actual["n_alive"], "o", color="black", label=_("actual"))
    ax.plot(projected["period"], projected["n_alive"], "-", label="sBG")
    if fitted_periods is not None:
        ax.axvline(fitted_periods, color="grey", linestyle=":", label=_("end of fit"))
    ax.set_xlabel(_("period"))
    ax.set_ylabel(_("customers still active"))
    ax.set_ylim(bottom=0)
    ax.legend()
    return ax
