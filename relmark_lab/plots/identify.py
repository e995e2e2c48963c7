"""Plots for customer identification (lesson 01).

Each function takes the tidy table a :mod:`relmark_lab.identify` function
returns, draws with seaborn on ``ax`` (a new figure if None) and returns the
Axes. None calls ``plt.show()``. Titles, axis labels, legends and notes are
in the language of :func:`relmark_lab.i18n.set_language`, and so are the
values the kit defines (statuses, stages, linking rules, voice-of-the-customer
tools, contact types, complaint outcomes) through
:func:`relmark_lab.i18n.display_value`; the tables keep them in English, and
values of the user's own are drawn as they are.

Examples
--------
>>> import pandas as pd
>>> from relmark_lab import identify
>>> counts = identify.status_counts(pd.DataFrame({"status": ["active", "potential"]}))
>>> plot_status_counts(counts).get_title()
'Customers by status'
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from relmark_lab.i18n import display_value, display_values
from relmark_lab.i18n import gettext as _
from relmark_lab.identify import STAGES, STATUSES
from relmark_lab.plots._common import axes, require_plot_columns

__all__ = [
    "plot_complainer_retention",
    "plot_complaint_resolution",
    "plot_contacts_by_channel",
    "plot_funnel",
    "plot_merge_report",
    "plot_recency",
    "plot_stage_migration",
    "plot_status_counts",
]

_STATUS_COLORS = dict(zip(STATUSES, sns.color_palette("deep", 3).as_hex(), strict=True))


def _status_colours() -> dict[str, str]:
    """The statuses' colours, keyed by the names the plots show (the language is read now)."""
    return {display_value(status): colour for status, colour in _STATUS_COLORS.items()}


def plot_merge_report(report: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Raw ids and the people they became, per linking rule.

    Parameters
    ----------
    report : DataFrame
        Output of :func:`relmark_lab.identify.merge_report`.
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> report = pd.DataFrame({"raw_ids": [4, 1, 5], "people": [2, 1, 3]},
    ...                       index=pd.Index(["email", "alone", "total"], name="rule"))
    >>> plot_merge_report(report).get_xlabel()
    'raw ids merged'
    """
    require_plot_columns(report, ["raw_ids", "people"], "merge report")
    merged = report.drop(index=["alone", "total"], errors="ignore")
    # The legend shows the melted column names and their header: name them for the reader.
    legend_title = _("count of")
    long = merged[["raw_ids", "people"]].rename(
        columns={"raw_ids": _("raw ids"), "people": _("people")})
    long = long.rename_axis("rule").reset_index().melt("rule", var_name=legend_title,
                                                       value_name="n")
    long["rule"] = display_values(long["rule"])
    ax = axes(ax, (7, 3))
    sns.barplot(data=long, y="rule", x="n", hue=legend_title, ax=ax)
    ax.set(title=_("Identity resolution: merged raw ids and the people they are"),
           xlabel=_("raw ids merged"), ylabel=_("linked by"))
    return ax


def plot_recency(status: pd.DataFrame, active_within_days: float, ax: Axes | None = None) -> Axes:
    """Histogram of days since the last purchase, coloured by status, threshold marked.

    Parameters
    ----------
    status : DataFrame
        Output of :func:`relmark_lab.identify.customer_status`.
    active_within_days : float
        The threshold used, in days.
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> status = pd.DataFrame({"days_since_last_purchase": [10, 400],
    ...                        "status": ["active", "inactive"]})
    >>> plot_recency(status, 365).get_xlabel()
    'days since last purchase'
    """
    require_plot_columns(status, ["days_since_last_purchase", "status"], "status table")
    buyers = status[status["status"] != "potential"].copy()
    buyers["days_since_last_purchase"] = buyers["days_since_last_purchase"].astype("float64")
    buyers["status"] = display_values(buyers["status"].astype(str))
    ax = axes(ax, (8, 3.5))
    # Explicit 30-day edges: seaborn's binwidth fails when every recency is within 30 days.
    longest = float(buyers["days_since_last_purchase"].max()) if len(buyers) else 0.0
    edges = np.arange(0.0, (longest if np.isfinite(longest) else 0.0) + 31.0, 30.0)
    sns.histplot(data=buyers, x="days_since_last_purchase", hue="status", bins=edges,
                 hue_order=display_values(["active", "inactive"]), palette=_status_colours(),
                 multiple="stack", ax=ax)
    ax.axvline(active_within_days, color="black", linestyle="--", linewidth=1)
    ax.annotate(_("threshold: {days} days").format(days=f"{active_within_days:g}"),
                (active_within_days, 1), xycoords=("data", "axes fraction"), xytext=(4, -14),
                textcoords="offset points")
    if ax.get_legend() is not None:  # seaborn titles it with the column's name
        ax.get_legend().set_title(_("status"))
    ax.set(title=_("Recency of the last purchase"), xlabel=_("days since last purchase"),
           ylabel=_("customers"))
    return ax


def plot_status_counts(counts: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bar chart of customers per status, with shares as labels.

    Parameters
    ----------
    counts : DataFrame
        Output of :func:`relmark_lab.identify.status_counts`.
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> from relmark_lab import identify
    >>> counts = identify.status_counts(pd.DataFrame({"status": ["active", "inactive"]}))
    >>> plot_status_counts(counts).get_xlabel()
    'customers'
    """
    require_plot_columns(counts, ["customers", "share"], "status counts")
    data = counts.rename_axis("status").reset_index()
    data["status"] = display_values(data["status"].astype(str))
    ax = axes(ax, (6, 3))
    sns.barplot(data=data, x="customers", y="status", hue="status", palette=_status_colours(),
                legend=False, ax=ax)
    for bar, share in zip(ax.patches, data["share"], strict=False):
        ax.annotate(f"{share:.0%}", (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(3, 0), textcoords="offset points", va="center")
    ax.set(title=_("Customers by status"), xlabel=_("customers"), ylabel="")
    return ax


def plot_funnel(funnel: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """The five-stage funnel: people who reached each stage and the conversion rates.

    Parameters
    ----------
    funnel : DataFrame
        Output of :func:`relmark_lab.identify.stage_funnel`.
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> funnel = pd.DataFrame({"reached": [10, 5, 2, 1, 0],
    ...                        "conversion": [np.nan, .5, .4, .5, 0.]},
    ...                       index=pd.Index(["prospecting", "acquisition", "satisfaction",
    ...                                       "maintenance", "loyalty"], name="stage"))
    >>> len(plot_funnel(funnel).patches)
    5
    """
    require_plot_columns(funnel, ["reached", "conversion"], "stage funnel")
    data = funnel.reindex(STAGES).rename_axis("stage").reset_index()
    ax = axes(ax, (8, 3.5))
    # Bars centred on zero give the funnel its shape.
    ax.barh(display_values(data["stage"]), data["reached"], left=-data["reached"] / 2,
            color=sns.color_palette("crest", len(data)))
    for y, row in data.iterrows():
        label = f"{row['reached']:,.0f}"
        if pd.notna(row["conversion"]):
            label += "  " + _("({share} of previous)").format(share=f"{row['conversion']:.0%}")
        ax.annotate(label, (row["reached"] / 2, y), xytext=(5, 0), textcoords="offset points",
                    va="center")
    ax.invert_yaxis()
    limit = max(float(data["reached"].max()), 1.0)
    ax.set_xlim(-limit * 0.6, limit * 1.15)
    ax.set_xticks([])
    ax.set(title=_("Five stages of the relationship: who reached each"), ylabel="")
    ax.grid(False)
    return ax


def plot_contacts_by_channel(contacts: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Contacts per voice-of-the-customer tool, split by type.

    Parameters
    ----------
    contacts : DataFrame
        Output of :func:`relmark_lab.identify.contacts_by_channel`.
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> from relmark_lab import identify
    >>> log = pd.DataFrame({"channel": ["letter", "e-mail"], "contact_type": ["complaint"] * 2})
    >>> plot_contacts_by_channel(identify.contacts_by_channel(log)).get_xlabel()
    'contacts'
    """
    require_plot_columns(contacts, ["channel", "contact_type", "contacts"],
                         "contacts by channel")
    order = contacts.groupby("channel", sort=False)["contacts"].sum().sort_values(ascending=False)
    ax = axes(ax, (9, 4))
    ax.set(title=_("Voice of the customer: contacts by tool and type"), xlabel=_("contacts"),
           ylabel="")
    if not contacts["contacts"].sum():
        _nothing_yet(ax, _("no contacts yet"))
        return ax
    shown = contacts.assign(channel=display_values(contacts["channel"]),
                            contact_type=display_values(contacts["contact_type"]))
    sns.barplot(data=shown, y="channel", x="contacts", hue="contact_type",
                order=display_values(order.index), ax=ax)
    ax.legend(title=_("type"), fontsize="small")
    return ax


def _nothing_yet(ax: Axes, text: str) -> None:
    """Say so on an empty chart instead of drawing nothing (or warning)."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="0.4")


def plot_complaint_resolution(resolution: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Share of complaints resolved against the median days to resolve, per channel.

    Point size is the number of complaints; channels without complaints are
    left out.

    Parameters
    ----------
    resolution : DataFrame
        Output of :func:`relmark_lab.identify.complaint_resolution`.
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> from relmark_lab import identify
    >>> log = pd.DataFrame({"channel": ["letter"] * 2, "contact_type": ["complaint"] * 2,
    ...                     "resolved": [True, False], "days_to_resolve": [20, None]})
    >>> plot_complaint_resolution(identify.complaint_resolution(log)).get_ylabel()
    'share resolved'
    """
    require_plot_columns(resolution, ["complaints", "share_resolved", "median_days_to_resolve"],
             "complaint resolution")
    data = resolution[resolution["complaints"] > 0].rename_axis("channel").reset_index()
    ax = axes(ax, (7, 4))
    ax.set(title=_("Complaints: how many are solved, and how fast"),
           xlabel=_("median days to resolve"), ylabel=_("share resolved"), ylim=(0, 1.05))
    days = data["median_days_to_resolve"].astype("float64")
    if not np.isfinite(days).any():  # no complaint yet, or none solved: nothing to place
        _nothing_yet(ax, _("no complaint solved yet") if len(data) else _("no complaints yet"))
        return ax
    sns.scatterplot(data=data, x="median_days_to_resolve", y="share_resolved", size="complaints",
                    sizes=(40, 400), hue="channel", legend=False, ax=ax)
    for _position, row in data.iterrows():  # not `_`: that is gettext here
        ax.annotate(f"{display_value(row['channel'])} ({row['complaints']})",
                    (row["median_days_to_resolve"], row["share_resolved"]),
                    xytext=(8, -4), textcoords="offset points", fontsize="small")
    ax.set_xlim(right=float(np.nanmax(days)) * 1.45 + 1)
    return ax


def plot_complainer_retention(retention: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Share still active, by complaint outcome.

    Parameters
    ----------
    retention : DataFrame
        Output of :func:`relmark_lab.identify.complainer_retention`.
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> retention = pd.DataFrame({"customers": [10, 4, 2], "share_active": [0.6, 0.5, 0.5]},
    ...                          index=["no complaint", "all resolved", "some unresolved"])
    >>> plot_complainer_retention(retention).get_xlabel()
    'share active'
    """
    require_plot_columns(retention, ["customers", "share_active"], "complainer retention")
    data = retention.rename_axis("group").reset_index()
    data["group"] = display_values(data["group"])
    ax = axes(ax, (7, 3))
    sns.barplot(data=data, x="share_active", y="group", hue="group", legend=False,
                palette=["0.6", "C2", "C3"][: len(data)], ax=ax)
    for bar, (_position, row) in zip(ax.patches, data.iterrows(), strict=False):
        ax.annotate(_("{share} of {customers}").format(share=f"{row['share_active']:.0%}",
                                                       customers=f"{row['customers']:,}"),
                    (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(3, 0), textcoords="offset points", va="center")
    ax.set(title=_("Still active, by complaint outcome"), xlabel=_("share active"), ylabel="",
           xlim=(0, 1))
    return ax


def plot_stage_migration(
    before: pd.DataFrame, after: pd.DataFrame, ax: Axes | None = None
) -> Axes:
    """Heatmap of customers moving between stages from one update to the next.

    Parameters
    ----------
    before, after : DataFrame
        Two customer tables (``customer_id``, ``stage``), e.g. from
        :func:`relmark_lab.identify.customer_table` at two dates. Customers
        missing from ``before`` show as ``new``.
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> before = pd.DataFrame({"customer_id": ["A"], "stage": ["acquisition"]})
    >>> after = pd.DataFrame({"customer_id": ["A", "B"], "stage": ["satisfaction", "acquisition"]})
    >>> plot_stage_migration(before, after).get_ylabel()
    'stage before'
    """
    for frame, what in ((before, "customer table before"), (after, "customer table after")):
        require_plot_columns(frame, ["customer_id", "stage"], what)
    moved = after[["customer_id", "stage"]].merge(
        before[["customer_id", "stage"]], on="customer_id", how="left", suffixes=("", "_before")
    )
    rows = ["new", *STAGES]
    moved["stage_before"] = moved["stage_before"].astype("string").fillna("new")
    table = pd.crosstab(moved["stage_before"], moved["stage"].astype("string"))
    table = table.reindex(index=rows, columns=list(STAGES), fill_value=0)
    table = table.set_axis(display_values(table.index), axis=0).set_axis(
        display_values(table.columns), axis=1)
    ax = axes(ax, (8, 4.5))
    sns.heatmap(table, annot=True, fmt=",d", cmap="Blues", cbar=False, ax=ax)
    ax.set(title=_("Stage migration between two updates"), xlabel=_("stage after"),
           ylabel=_("stage before"))
    return ax
