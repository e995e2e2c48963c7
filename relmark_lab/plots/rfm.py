"""Plots for RFM analysis: scores, segments, migration, clusters, targeting.

Each function takes a table from :mod:`relmark_lab.rfm`, draws on the given
``ax`` (or a new figure) and returns the Axes, or the Figure for the
multi-panel plots. None calls ``plt.show()``. Titles, axis labels, legends
and tile notes are in the language of :func:`relmark_lab.i18n.set_language`;
so are the kit's segment names (:func:`relmark_lab.i18n.display_value`: the
tables keep them in English), while scores, column names and segments of
the user's own are drawn as the tables hold them.

Examples
--------
>>> import relmark_lab as rl
>>> from relmark_lab import rfm
>>> from relmark_lab.plots import rfm as rfm_plots
>>> table = rfm.rfm_table(rl.datasets.load_transactions(), "2025-12-31")
>>> ax = rfm_plots.plot_rf_heatmap(table)
>>> ax.get_xlabel()
'F score (frequency)'
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from relmark_lab.errors import DataError
from relmark_lab.i18n import display_value, display_values
from relmark_lab.i18n import gettext as _
from relmark_lab.plots import _common
from relmark_lab.plots._common import require_plot_columns
from relmark_lab.plots._treemap import squarify_layout
from relmark_lab.rfm.targeting import TargetingResult

__all__ = [
    "plot_cell_response_rates",
    "plot_clusters",
    "plot_k_selection",
    "plot_migration_heatmap",
    "plot_rf_heatmap",
    "plot_score_distributions",
    "plot_segment_bars",
    "plot_segment_treemap",
    "squarify_layout",
]


def _label(name: str) -> str:
    """How a plot writes one of the kit's column or aggregation names, in the language in
    use (names it does not know: as given). Looked up at drawing time, not at import."""
    labels = {
        "recency_days": _("recency (days since last purchase)"),
        "frequency": _("frequency (orders)"),
        "monetary": _("monetary value"),
        "revenue": _("revenue"),
        "mean": _("mean"), "median": _("median"), "sum": _("sum"),
        # segment summary columns, as the treemap's title writes them
        "customers": _("customers"), "orders": _("orders"),
        "customer share": _("customer share"), "revenue share": _("revenue share"),
        "average order value": _("average order value"),
    }
    return labels.get(name, name)


def plot_rf_heatmap(
    rfm: pd.DataFrame, value: str = "monetary", agg: str = "mean", ax: Axes | None = None
) -> Axes:
    """R score × F score grid coloured by the mean (or other ``agg``) of ``value``.

    Each cell is annotated with the value and, below it, its number of
    customers; the most recent customers are at the top.

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`relmark_lab.rfm.rfm_table`.
    value : str, default "monetary"
        Column to colour by.
    agg : str, default "mean"
        Aggregation of ``value`` within a cell ("mean", "median", "sum").
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    require_plot_columns(rfm, ["r_score", "f_score", value], "RFM table")
    ax = _common.axes(ax, (6.5, 5))
    # Every score gets a row and a column, so an empty score shows as a blank line.
    bins = int(rfm.attrs.get("bins", max(rfm["r_score"].max(), rfm["f_score"].max())))
    rows, columns = range(bins, 0, -1), range(1, bins + 1)
    grid = rfm.pivot_table(index="r_score", columns="f_score", values=value, aggfunc=agg)
    counts = rfm.pivot_table(index="r_score", columns="f_score", values=value, aggfunc="size")
    grid = grid.reindex(index=rows, columns=columns)
    counts = counts.reindex(index=rows, columns=columns)
    labels = grid.map(lambda v: "" if pd.isna(v) else f"{v:,.0f}") + "\n" + counts.map(
        lambda n: "" if pd.isna(n) else f"n={int(n):,}"
    )
    aggregate, measure = _label(agg), _label(value)
    sns.heatmap(grid, annot=labels, fmt="", cmap="YlGnBu", ax=ax, linewidths=0.5,
                cbar_kws={"label": _("{aggregate} {measure}").format(aggregate=aggregate,
                                                                     measure=measure)},
                annot_kws={"fontsize": "x-small"})
    ax.set(xlabel=_("F score (frequency)"), ylabel=_("R score (recency)"),
           title=_("{aggregate} {measure} by R and F score").format(
               aggregate=aggregate.capitalize(), measure=measure))
    return ax


def plot_score_distributions(rfm: pd.DataFrame, axes: Sequence[Axes] | None = None) -> Figure:
    """Histograms of recency, frequency and monetary value, stacked by score.

    Shows where the quantile cut points fall: each colour is one score and
    holds (about) the same number of customers.

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`relmark_lab.rfm.rfm_table`.
    axes : sequence of three matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    require_plot_columns(
        rfm, ["recency_days", "frequency", "monetary", "r_score", "f_score", "m_score"],
        "RFM table",
    )
    if axes is None:
        fig, axes = plt.subplots(1, 3, figsize=(14, 3.8))
    else:
        fig = axes[0].figure
    pairs = [("recency_days", "r_score"), ("frequency", "f_score"), ("monetary", "m_score")]
    for ax, (measure, score) in zip(axes, pairs, strict=True):
        data = rfm[[measure, score]].copy()
        log = measure != "recency_days"
        if log:
            data = data[data[measure] > 0]
        sns.histplot(data=data, x=measure, hue=score, multiple="stack", bins=40,
                     log_scale=log, palette="viridis", ax=ax, legend=True)
        ax.set(title=_("{measure}\ncoloured by {score}").format(measure=_label(measure),
                                                                score=score),
               xlabel=measure, ylabel=_("customers"))
    fig.tight_layout()
    return fig


def plot_segment_bars(summary: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Share of customers and share of revenue of each segment, side by side.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`relmark_lab.rfm.segment_summary`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    require_plot_columns(summary, ["customer_share", "revenue_share"], "segment summary")
    ax = _common.axes(ax, (8, 5))
    # The legend shows the melted column names and their header: name them for the reader.
    legend_title = _("share of")
    long = (
        summary[["customer_share", "revenue_share"]]
        .rename(columns={"customer_share": _("customers"), "revenue_share": _("revenue")})
        .rename_axis("group")
        .reset_index()
        .melt(id_vars="group", var_name=legend_title, value_name="share")
    )
    long["group"] = display_values(long["group"].astype(str))
    sns.barplot(data=long, y="group", x="share", hue=legend_title, ax=ax,
                palette=["#9ecae1", "#08519c"])
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _position: f"{v:.0%}"))
    ax.set(xlabel=_("share of the total"), ylabel="",
           title=_("Customers and revenue by segment"))
    return ax


def plot_segment_treemap(
    summary: pd.DataFrame, size: str = "customers", color: str = "revenue_share",
    ax: Axes | None = None,
) -> Axes:
    """Treemap of the segments: area by ``size``, colour by ``color``.

    Drawn with matplotlib rectangles on :func:`squarify_layout`. Each tile
    shows the segment, its share of customers and its share of revenue.
    Empty segments are left out of the picture (they still are in the
    summary).

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`relmark_lab.rfm.segment_summary`.
    size, color : str
        Columns of ``summary`` for the area and the colour of each tile.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    require_plot_columns(summary, [size, color, "customer_share", "revenue_share"],
                         "segment summary")
    ax = _common.axes(ax, (11, 6))
    shown = summary[summary[size] > 0]
    rects = squarify_layout(shown[size].to_numpy(), width=100, height=60)
    colours = shown[color].to_numpy(dtype="float64")
    norm = plt.Normalize(0, max(colours.max(), 1e-9))
    cmap = plt.get_cmap("YlGnBu")
    for (name, row), (x, y, w, h), value in zip(shown.iterrows(), rects, colours, strict=True):
        ax.add_patch(Rectangle((x, y), w, h, facecolor=cmap(norm(value)), edgecolor="white",
                               linewidth=2))
        text_colour = "white" if norm(value) > 0.6 else "black"
        shares = f"{row['customer_share']:.0%}", f"{row['revenue_share']:.0%}"
        shown_name = str(display_value(name))
        label = "\n".join([shown_name, _("{share} of customers").format(share=shares[0]),
                           _("{share} of revenue").format(share=shares[1])])
        if w * h < 120:  # small tiles: name and the two shares only
            label = f"{shown_name}\n{shares[0]} / {shares[1]}"
        ax.text(x + w / 2, y + h / 2, label, ha="center", va="center",
                fontsize="small" if w * h >= 120 else "xx-small", color=text_colour, wrap=True)
    ax.set(xlim=(0, 100), ylim=(0, 60), xticks=[], yticks=[])
    colour_label = _label(color.replace("_", " "))
    ax.set_title(_("Segments: area = {size}, colour = {colour}").format(
        size=_label(size), colour=colour_label))
    ax.figure.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax,
                       label=colour_label, fraction=0.03)
    return ax


def plot_migration_heatmap(matrix: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Heatmap of a migration matrix (counts, or row shares as percentages).

    Parameters
    ----------
    matrix : pandas.DataFrame
        Output of :func:`relmark_lab.rfm.migration_matrix`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if matrix.empty:
        raise DataError(_("The migration matrix is empty: there is nothing to plot."))
    ax = _common.axes(ax, (10, 7))
    shares = bool((matrix.fillna(0) <= 1).all().all()) and not pd.api.types.is_integer_dtype(
        matrix.dtypes.iloc[0]
    )
    # The matrix's own axis names are "before" and "after"; a caller may name them otherwise.
    after, before = matrix.columns.name or "after", matrix.index.name or "before"
    named = matrix.set_axis(display_values(matrix.index), axis=0).set_axis(
        display_values(matrix.columns), axis=1)
    sns.heatmap(named, annot=True, fmt=".0%" if shares else ",d", cmap="Blues", ax=ax,
                linewidths=0.5, cbar=False, annot_kws={"fontsize": "x-small"})
    ax.set(xlabel=_("segment after") if after == "after"
           else _("segment {name}").format(name=after),
           ylabel=_("segment before") if before == "before"
           else _("segment {name}").format(name=before),
           title=_("Segment migration (share of each row)") if shares
           else _("Segment migration (customers)"))
    ax.tick_params(axis="x", rotation=45)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
    return ax


def plot_clusters(
    rfm: pd.DataFrame, clusters: pd.Series, x: str = "recency_days", y: str = "monetary",
    ax: Axes | None = None,
) -> Axes:
    """Customers as points in two RFM measures, coloured by cluster (log axes).

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`relmark_lab.rfm.rfm_table`.
    clusters : pandas.Series
        Cluster of each customer, indexed like ``rfm`` (e.g. the ``labels_``
        of :class:`relmark_lab.rfm.RFMKMeans`).
    x, y : str
        The two measures on the axes.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    require_plot_columns(rfm, [x, y], "RFM table")
    ax = _common.axes(ax, (8, 5.5))
    data = rfm[[x, y]].assign(cluster=clusters.reindex(rfm.index).astype(str))
    data = data[(data[x] >= 0) & (data[y] > 0)]
    sns.scatterplot(data=data.assign(**{x: data[x] + 1}), x=x, y=y, hue="cluster", s=12,
                    alpha=0.6, palette="tab10", ax=ax,
                    hue_order=sorted(data["cluster"].unique(), key=lambda v: (len(v), v)))
    if ax.get_legend() is not None:  # the header only: the clusters are numbers
        ax.get_legend().set_title(_("cluster"))
    ax.set(xscale="log", yscale="log",
           xlabel=_label(x) + (" + 1" if x == "recency_days" else ""),
           ylabel=_label(y), title=_("Micro-segments (k-means on log RFM)"))
    return ax


def plot_k_selection(k_table: pd.DataFrame, axes: Sequence[Axes] | None = None) -> Figure:
    """Elbow (inertia) and silhouette against k, from :func:`relmark_lab.rfm.choose_k`.

    Parameters
    ----------
    k_table : pandas.DataFrame
        Output of :func:`relmark_lab.rfm.choose_k`.
    axes : sequence of two matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    require_plot_columns(k_table, ["inertia", "silhouette"], "table of k")
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
    else:
        fig = axes[0].figure
    ks = k_table.index.to_numpy()
    axes[0].plot(ks, k_table["inertia"], marker="o")
    axes[0].set(xlabel=_("k (clusters)"), ylabel=_("inertia"),
                title=_("Elbow: inertia falls with k"))
    axes[1].plot(ks, k_table["silhouette"], marker="o", color="C1")
    best = k_table["silhouette"].idxmax()
    axes[1].axvline(best, color="grey", linestyle="--")
    axes[1].set(xlabel=_("k (clusters)"), ylabel=_("silhouette"),
                title=_("Silhouette: highest at k = {k}").format(k=best))
    fig.tight_layout()
    return fig


def plot_cell_response_rates(
    result: TargetingResult, top: int | None = 40, ax: Axes | None = None
) -> Axes:
    """Test response rate of each cell against the break-even rate.

    Parameters
    ----------
    result : relmark_lab.rfm.TargetingResult
        Output of :func:`relmark_lab.rfm.test_then_rollout`.
    top : int or None, default 40
        Show the cells with the highest test rates only (None = all).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not isinstance(result, TargetingResult):
        raise DataError(_("plot_cell_response_rates needs the result of rfm.test_then_rollout, "
                          "got {kind}.").format(kind=type(result).__name__))
    cells = result.cells.sort_values("test_response_rate", ascending=False)
    if top is not None:
        cells = cells.head(top)
    ax = _common.axes(ax, (12, 4))
    labels = ["-".join(map(str, i)) if isinstance(i, tuple) else str(i) for i in cells.index]
    colours = np.where(cells["selected"], "#08519c", "#bdbdbd")
    ax.bar(labels, cells["test_response_rate"].fillna(0), color=colours)
    ax.axhline(result.break_even_rate, color="C3", linestyle="--",
               label=_("break-even {rate}").format(rate=f"{result.break_even_rate:.1%}"))
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _position: f"{v:.0%}"))
    ax.tick_params(axis="x", rotation=90, labelsize="x-small")
    ax.set(xlabel=_("cell"), ylabel=_("test response rate"),
           title=_("Test response rate by cell (blue = rolled out)"))
    ax.legend()
    return ax
