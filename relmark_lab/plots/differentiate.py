"""Plots for customer differentiation: whale curve, VIP tiers, typologies, NPS, value, levels.

Each function takes a table returned by :mod:`relmark_lab.differentiate`,
checks it has the columns it draws (a missing one raises
:class:`~relmark_lab.DataError`), draws with seaborn on the given ``ax`` (a
new figure when omitted) and returns the Axes; none calls ``plt.show()``.
Titles, axis labels and legends are in the kit's language
(:func:`relmark_lab.i18n.set_language`), and so are the values the kit defines
(quadrant, type, tier, level and channel names, the five weapons, the
importance-performance quadrants) through :func:`relmark_lab.i18n.display_value`;
the tables keep them in English, and values of the user's own are drawn as
they are.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from relmark_lab import differentiate
>>> p = pd.DataFrame({"customer_id": list("abc"), "profit": [150.0, 10.0, -60.0]})
>>> ax = plot_whale_curve(differentiate.whale_curve(p))
>>> ax.get_ylabel()
'cumulative profit (% of total)'
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, NullFormatter, PercentFormatter

from relmark_lab.differentiate.typologies import REINARTZ_KUMAR_QUADRANTS
from relmark_lab.i18n import display_value, display_values
from relmark_lab.i18n import gettext as _
from relmark_lab.plots._common import axes, require_plot_columns

__all__ = [
    "plot_contact_plan",
    "plot_importance_performance",
    "plot_key_drivers",
    "plot_nps",
    "plot_profit_distribution",
    "plot_reinartz_kumar",
    "plot_relationship_levels",
    "plot_satisfaction_loyalty",
    "plot_spend_by_score",
    "plot_tier_comparison",
    "plot_vip_tiers",
    "plot_wallet",
    "plot_whale_curve",
]

_QUADRANT_COLOURS = {
    "true friends": "#2a9d8f", "butterflies": "#e9c46a",
    "barnacles": "#8d99ae", "strangers": "#e76f51",
}
_TYPE_COLOURS = {
    "apostles": "#2a9d8f", "mercenaries": "#e9c46a", "indifferent": "#adb5bd",
    "hostages": "#6c757d", "terrorists": "#e76f51",
}
_KIND_COLOURS = {"direct": "#264653", "mass media": "#e76f51"}
_IPA_COLOURS = {"concentrate here": "#e76f51", "keep up the good work": "#2a9d8f",
                "low priority": "#adb5bd", "possible overkill": "#e9c46a"}
_LEVEL_COLOURS = dict(zip(("basic", "reactive", "accountable", "proactive", "partnership"),
                          ("#adb5bd", "#8ecae6", "#219ebc", "#e9c46a", "#e76f51"), strict=True))


def _shown_colours(colours: dict[str, str]) -> dict[str, str]:
    """A palette keyed by the names the plot shows (the kit's values in the language in use)."""
    return {display_value(value): colour for value, colour in colours.items()}


def plot_whale_curve(curve: pd.DataFrame, ax: Axes | None = None, label: str | None = None,
                     annotate: bool = True) -> Axes:
    """Cumulative profit (% of total) against customers ranked by profit (%).

    Parameters
    ----------
    curve : pandas.DataFrame
        Output of :func:`relmark_lab.differentiate.whale_curve`.
    ax : matplotlib Axes, optional
    label : str, optional
        Legend label, to draw several cost models on one Axes.
    annotate : bool, default True
        Mark the peak with its height and the share of customers reaching it.

    Returns
    -------
    matplotlib.axes.Axes
    """
    require_plot_columns(curve, ["customer_share", "cumulative_profit_share"], "whale curve")
    ax = axes(ax)
    x = np.concatenate([[0.0], curve["customer_share"].to_numpy()]) * 100
    y = np.concatenate([[0.0], curve["cumulative_profit_share"].to_numpy()]) * 100
    sns.lineplot(x=x, y=y, ax=ax, label=label, errorbar=None)
    ax.axhline(100, color="grey", linestyle="--", linewidth=1)
    if annotate:
        peak = int(np.argmax(y))
        ax.scatter([x[peak]], [y[peak]], color="black", zorder=3)
        peak_label = _("peak {profit:.0f}% of profit\nfrom the top {customers:.0f}% of customers")
        ax.annotate(peak_label.format(profit=y[peak], customers=x[peak]), (x[peak], y[peak]),
                    textcoords="offset points", xytext=(0, -48), ha="center", fontsize="small")
    ax.xaxis.set_major_formatter(PercentFormatter())
    ax.yaxis.set_major_formatter(PercentFormatter())
    ax.set(xlabel=_("customers ranked by profit (% of customers)"),
           ylabel=_("cumulative profit (% of total)"), title=_("Whale curve"))
    return ax


def plot_profit_distribution(profitability: pd.DataFrame, profit: str = "profit",
                             ax: Axes | None = None, clip_quantile: float = 0.98) -> Axes:
    """Histogram of customer profit, value creators and destroyers in two colours.

    The long right tail is cut at ``clip_quantile`` (the title says so) so
    the many small customers near zero stay visible.
    """
    require_plot_columns(profitability, [profit], "profitability table")
    ax = axes(ax)
    top = profitability[profit].quantile(clip_quantile)
    creates, destroys = _("creates value"), _("destroys value")
    shown = profitability[profitability[profit] <= top].assign(
        group=lambda f: np.where(f[profit] < 0, destroys, creates))
    sns.histplot(data=shown, x=profit, hue="group", bins=60, ax=ax, hue_order=[creates, destroys],
                 palette={creates: "#2a9d8f", destroys: "#e76f51"})
    ax.axvline(0, color="black", linewidth=1)
    if ax.get_legend() is not None:  # seaborn titles it with the column's name
        ax.get_legend().set_title(_("group"))
    ax.set(xlabel=_("{profit} per customer (MXN)").format(profit=profit), ylabel=_("customers"),
           title=_("Customer profit (top {hidden:.0f}% not shown)").format(
               hidden=100 * (1 - clip_quantile)))
    return ax


def plot_vip_tiers(scored: pd.DataFrame, ax: Axes | None = None, tier: str = "tier") -> Axes:
    """Heatmap of the mean standardized VIP component in each tier.

    Parameters
    ----------
    scored : pandas.DataFrame
        Output of :func:`~relmark_lab.differentiate.assign_tiers` on a VIP
        score (columns ``z_*`` or ``pct_*`` and ``tier``).
    """
    require_plot_columns(scored, [tier], "VIP tier table")
    ax = axes(ax, (7, 3.5))
    columns = [c for c in scored.columns if c.startswith(("z_", "pct_"))]
    means = scored.groupby(tier, observed=False)[columns].mean()
    means.columns = display_values([c.split("_", 1)[1] for c in columns])
    means.index = display_values(means.index)
    sns.heatmap(means, annot=True, fmt=".2f", cmap="vlag", center=0, ax=ax,
                cbar_kws={"label": _("mean standardized score")})
    ax.set(xlabel=_("component"), ylabel=_("tier"),
           title=_("What makes a VIP: components by tier"))
    return ax


def plot_tier_comparison(first: pd.DataFrame, second: pd.DataFrame,
                         labels: tuple[str, str] | None = None,
                         tier: str = "VIP", ax: Axes | None = None) -> Axes:
    """Scatter of the VIP score under two weightings, coloured by list membership.

    ``labels`` name the two weightings; by default "weighting A" and
    "weighting B" in the kit's language.
    """
    if labels is None:
        labels = (_("weighting A"), _("weighting B"))
    for table, what in ((first, "first tier table"), (second, "second tier table")):
        require_plot_columns(table, ["customer_id", "vip_score", "tier"], what)
    ax = axes(ax, (6, 5))
    both = first[["customer_id", "vip_score", "tier"]].merge(
        second[["customer_id", "vip_score", "tier"]], on="customer_id", suffixes=("_a", "_b"))
    in_a, in_b = both["tier_a"] == tier, both["tier_b"] == tier
    only, shown_tier = _("{tier} in {weighting} only"), display_value(tier)
    order = [_("not {tier}").format(tier=shown_tier), _("{tier} in both").format(tier=shown_tier),
             only.format(tier=shown_tier, weighting=labels[0]),
             only.format(tier=shown_tier, weighting=labels[1])]
    both["list"] = np.select([in_a & in_b, in_a, in_b], order[1:], default=order[0])
    sns.scatterplot(data=both, x="vip_score_a", y="vip_score_b", hue="list", hue_order=order,
                    palette=["#ced4da", "#2a9d8f", "#e9c46a", "#e76f51"], s=12,
                    linewidth=0, ax=ax)
    if ax.get_legend() is not None:
        ax.get_legend().set_title(_("list"))
    score = _("VIP score, {weighting}")
    ax.set(xlabel=score.format(weighting=labels[0]), ylabel=score.format(weighting=labels[1]),
           title=_("Same customers, two weightings"))
    return ax


def plot_reinartz_kumar(frame: pd.DataFrame, profit: str = "profit",
                        loyalty: str = "projected_loyalty", ax: Axes | None = None) -> Axes:
    """The profitability x projected-loyalty matrix with the four quadrants named.

    Profit is drawn on a symmetric-log axis so losses and large profits both show.
    """
    require_plot_columns(frame, [profit, loyalty, "quadrant"], "Reinartz–Kumar table")
    ax = axes(ax, (7.5, 5.5))
    sns.scatterplot(data=frame, x=loyalty, y=profit, hue="quadrant", palette=_QUADRANT_COLOURS,
                    hue_order=list(_QUADRANT_COLOURS), s=10, alpha=0.6, linewidth=0, ax=ax)
    cuts = frame.attrs.get("thresholds", {})
    y_cut = cuts.get(profit, frame[profit].median())
    x_cut = cuts.get(loyalty, frame[loyalty].median())
    ax.axhline(y_cut, color="black", linewidth=1)
    ax.axvline(x_cut, color="black", linewidth=1)
    ax.set_yscale("symlog", linthresh=100)
    # bilingual in both languages: the course notes' Spanish term stands beside the English
    spanish = {name: terms[0] for name, terms in REINARTZ_KUMAR_QUADRANTS.items()}
    corners = {"butterflies": (0.02, 0.97), "true friends": (0.98, 0.97),
               "strangers": (0.02, 0.03), "barnacles": (0.98, 0.03)}
    # English names the quadrant and gives the course notes' Spanish term; Spanish swaps them
    corner_label = _("{name}\n({spanish})")
    for name, (x, y) in corners.items():
        ax.text(x, y, corner_label.format(name=name, spanish=spanish[name]),
                transform=ax.transAxes, fontweight="bold",
                ha="left" if x < 0.5 else "right", va="top" if y > 0.5 else "bottom",
                color=_QUADRANT_COLOURS[name],
                bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"})
    ax.set(xlabel=_("projected loyalty ({loyalty})").format(loyalty=loyalty),
           ylabel=_("{profit} (MXN, symlog)").format(profit=profit),
           title=_("Reinartz–Kumar matrix"))
    if ax.get_legend() is not None:
        ax.get_legend().remove()  # the corner labels name the quadrants
    return ax


def plot_satisfaction_loyalty(frame: pd.DataFrame, satisfaction: str = "satisfaction",
                              loyalty: str = "projected_loyalty", ax: Axes | None = None,
                              seed: int = 0) -> Axes:
    """Jones–Sasser typology: loyalty against satisfaction, the zone of indifference shaded.

    Satisfaction levels are jittered horizontally (fixed ``seed``) so the
    points of one level do not sit on top of each other.
    """
    require_plot_columns(frame, [satisfaction, loyalty, "type"], "Jones–Sasser table")
    ax = axes(ax, (7.5, 5))
    low, high = frame.attrs.get("thresholds", {}).get(satisfaction, (2, 4))
    rng = np.random.default_rng(seed)
    jittered = frame.assign(_x=frame[satisfaction] + rng.uniform(-0.3, 0.3, len(frame)),
                            type=display_values(frame["type"]))
    ax.axvspan(low + 0.5, high - 0.5, color="#e9ecef", zorder=0)
    palette = _shown_colours(_TYPE_COLOURS)
    sns.scatterplot(data=jittered, x="_x", y=loyalty, hue="type", palette=palette,
                    hue_order=list(palette), s=12, linewidth=0, alpha=0.7, ax=ax)
    cut = frame.attrs.get("thresholds", {}).get(loyalty)
    if cut is not None:
        ax.axhline(cut, color="black", linewidth=1)
    ax.set_xticks(sorted(frame[satisfaction].unique()))
    ax.set(xlabel=_("{satisfaction} (survey)").format(satisfaction=satisfaction),
           ylabel=_("loyalty ({loyalty})").format(loyalty=loyalty),
           title=_("Satisfaction × loyalty (Jones–Sasser); shaded: zone of indifference"))
    ax.legend(loc="upper left", fontsize="small", bbox_to_anchor=(1.0, 1.0))
    return ax


def plot_nps(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """NPS per segment with its confidence interval, as points and bars."""
    require_plot_columns(table, ["segment", "n", "nps", "ci_low", "ci_high"], "NPS table")
    ax = axes(ax, (7, 0.6 * len(table) + 1.5))
    shown = table[table["n"] > 0].reset_index(drop=True)
    positions = np.arange(len(shown))
    ax.errorbar(shown["nps"], positions, xerr=[shown["nps"] - shown["ci_low"],
                                               shown["ci_high"] - shown["nps"]],
                fmt="o", color="#264653", capsize=4)
    for y, (value, n) in enumerate(zip(shown["nps"], shown["n"], strict=True)):
        ax.annotate(f"{value:.0f} (n={n})", (value, y), textcoords="offset points",
                    xytext=(0, 7), ha="center", fontsize="small")
    ax.set_yticks(positions, display_values(shown["segment"].astype(str)))
    ax.axvline(0, color="grey", linewidth=1)
    ax.set_ylim(-0.6, len(shown) - 0.4)
    ax.invert_yaxis()
    ax.set(xlabel=_("net promoter score (points, with confidence interval)"), ylabel="",
           title=_("Net promoter score"))
    return ax


def plot_spend_by_score(merged: pd.DataFrame, score: str = "satisfaction",
                        value: str = "spend_per_year", ax: Axes | None = None) -> Axes:
    """Box plot of spend at each level of a survey score (outliers hidden, log scale)."""
    require_plot_columns(merged, [score, value], "survey with spend")
    ax = axes(ax, (6, 4))
    shown = merged[merged[value] > 0]
    sns.boxplot(data=shown, x=score, y=value, color="#a8dadc", showfliers=False, ax=ax)
    ax.set_yscale("log")
    ax.set(xlabel=_("{score} (survey, 1–5)").format(score=score),
           ylabel=_("{value} (MXN, log scale)").format(value=value),
           title=_("Spend by {score}").format(score=score.replace("_", " ")))
    return ax


def plot_wallet(table: pd.DataFrame, by: str, ax: Axes | None = None) -> Axes:
    """Stacked bars per segment: our spend and the wallet left on the table (MXN)."""
    require_plot_columns(table, [by, "spend", "left_on_table", "wallet", "share_of_wallet"],
                         "wallet table")
    ax = axes(ax, (7, 0.6 * len(table) + 1.5))
    labels = display_values(table[by].astype(str))
    ax.barh(labels, table["spend"], color="#2a9d8f", label=_("our spend"))
    ax.barh(labels, table["left_on_table"], left=table["spend"], color="#e9c46a",
            label=_("left on the table (competitors)"))
    ours = _("{share:.0%} ours")
    for y, (total, share) in enumerate(zip(table["wallet"], table["share_of_wallet"],
                                           strict=True)):
        ax.annotate(ours.format(share=share), (total, y), textcoords="offset points",
                    xytext=(4, -4), fontsize="small")
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _position: f"{v:,.0f}"))
    ax.margins(x=0.12)
    ax.set(xlabel=_("MXN per year (surveyed customers)"), ylabel="", title=_("Share of wallet"))
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_contact_plan(plan: pd.DataFrame, segment: str = "tier", ax: Axes | None = None) -> Axes:
    """Contact budget per tier, coloured by mass vs direct channel, channel named on each bar."""
    require_plot_columns(plan, [segment, "budget", "kind", "channel", "contacts_per_customer"],
                         "contact plan")
    ax = axes(ax, (7, 0.6 * len(plan) + 1.5))
    sns.barplot(data=plan.assign(kind=display_values(plan["kind"])),
                y=display_values(plan[segment].astype(str)), x="budget", hue="kind",
                palette=_shown_colours(_KIND_COLOURS), dodge=False, ax=ax)
    per_customer = _("{channel}, {contacts:.1f} per customer")
    for y, (budget, channel, per) in enumerate(zip(plan["budget"],
                                                   display_values(plan["channel"]),
                                                   plan["contacts_per_customer"], strict=True)):
        ax.annotate(per_customer.format(channel=channel, contacts=per), (budget, y),
                    textcoords="offset points", xytext=(4, -4), fontsize="small")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _position: f"{v:,.0f}"))
    ax.margins(x=0.35)
    ax.set(xlabel=_("contact budget (MXN)"), ylabel="", title=_("Contact plan by value tier"))
    ax.legend(title=_("channel"), loc="lower right", fontsize="small")
    return ax


def plot_key_drivers(drivers: pd.DataFrame, truth: dict | None = None,
                     ax: Axes | None = None) -> Axes:
    """Each driver's weight with its interval (outcome points per rating point), truth as ×."""
    require_plot_columns(drivers, ["driver", "weight", "weight_lower", "weight_upper",
                                   "importance"], "key-driver table")
    ax = axes(ax, (7, 0.55 * len(drivers) + 1.6))
    of_r2 = _("{driver} ({share:.0%} of R²)")
    labels = [of_r2.format(driver=display_value(d), share=share) for d, share in
              zip(drivers["driver"], drivers["importance"], strict=True)]
    y = np.arange(len(drivers))
    ax.errorbar(drivers["weight"], y, xerr=[drivers["weight"] - drivers["weight_lower"],
                                            drivers["weight_upper"] - drivers["weight"]],
                fmt="o", color="#264653", capsize=4, label=_("estimate, 95% CI"))
    if truth:
        ax.scatter([truth[d] for d in drivers["driver"]], y, marker="x", s=60,
                   color="#e76f51", zorder=3, label=_("true weight"))
    ax.axvline(0, color="#adb5bd", linewidth=1)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    # the outcome is a column's name, drawn as it is; only the stand-in word is translated
    outcome = (drivers.attrs["outcome"] if "outcome" in drivers.attrs
               else _("outcome")).replace("_", " ")
    ax.set(xlabel=_("{outcome} points per rating point (others held fixed)").format(
        outcome=outcome), ylabel="", title=_("What drives {outcome}").format(outcome=outcome))
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_importance_performance(placed: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """The importance-performance map: importance (share of R²) against the mean rating."""
    require_plot_columns(placed, ["driver", "importance", "mean_rating", "quadrant"],
                         "importance-performance table")
    ax = axes(ax, (7, 5))
    sns.scatterplot(data=placed.assign(quadrant=display_values(placed["quadrant"])),
                    x="importance", y="mean_rating", hue="quadrant", s=90, ax=ax,
                    palette=_shown_colours(_IPA_COLOURS))
    for driver, x, y in zip(display_values(placed["driver"]), placed["importance"],
                            placed["mean_rating"], strict=True):
        ax.annotate(driver, (x, y), textcoords="offset points", xytext=(6, 4),
                    fontsize="small")
    cut_x, cut_y = placed.attrs.get("cuts", (placed["importance"].mean(),
                                             placed["mean_rating"].mean()))
    ax.axvline(cut_x, color="#6c757d", linestyle="--", linewidth=1)
    ax.axhline(cut_y, color="#6c757d", linestyle="--", linewidth=1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.margins(0.2)
    ax.set(xlabel=_("importance (share of R²)"), ylabel=_("performance (mean rating, 1–5)"),
           title=_("Importance–performance map"))
    ax.legend(title="", loc="best", fontsize="small")
    return ax


def plot_relationship_levels(placed: pd.DataFrame, segment: str,
                             margin: str = "margin_per_customer", customers: str = "customers",
                             ax: Axes | None = None) -> Axes:
    """Segments on number of customers (log scale) × margin per customer, coloured by level."""
    require_plot_columns(placed, [segment, customers, margin, "level"], "relationship levels")
    ax = axes(ax, (7.5, 5))
    palette = _shown_colours(_LEVEL_COLOURS)
    shown = placed[placed[customers] > 0]
    shown = shown.assign(level=display_values(shown["level"]))
    sns.scatterplot(data=shown, x=customers, y=margin, hue="level", palette=palette,
                    hue_order=[k for k in palette if k in set(shown["level"])], s=110, ax=ax)
    for name, x, y in zip(display_values(shown[segment]), shown[customers], shown[margin],
                          strict=True):
        ax.annotate(str(name), (x, y), textcoords="offset points", xytext=(7, 4),
                    fontsize="small")
    ax.set_xscale("log")
    whole = FuncFormatter(lambda v, _position: f"{v:,.0f}")
    ax.xaxis.set_major_formatter(whole)
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_formatter(whole)
    ax.axhline(0, color="#adb5bd", linewidth=1)
    ax.margins(0.25)
    ax.set(xlabel=_("customers in the segment (log scale)"),
           ylabel=_("margin per customer (MXN)"),
           title=_("Relationship levels: many customers of low margin → basic; few of high "
                   "margin → partnership"))
    ax.title.set_fontsize("medium")
    ax.legend(title=_("level"), loc="best", fontsize="small")
    return ax
