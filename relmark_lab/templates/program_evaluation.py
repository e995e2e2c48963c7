# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
# Set by relmark report (rl.reports.render): the data and where the report goes.
data_path = None
columns = {}
source_label = ""
show_ids = False
output_dir = "."
run_date = ""
language = "en"  # "en" or "es": the report's words and numbers (relmark report --lang)
# The analyst's parameters (relmark report ... -p NAME=VALUE).
launch_month = None  # the first month of the program, "YYYY-MM"; None: from program_start
design = "randomized"  # "randomized" (a coin chose who joined) or "self-selected" (members chose)
margin_rate = 0.3  # share of revenue that is margin
operating_cost = 12.0  # running cost per enrolled member and month (cards, staff, systems)
setup_cost = 50.0  # paid once per member who joins (welcome kit)
discount_rate = 0.12  # a year
horizon_months = 24  # months over which the program's lifts are valued
rollout_members = None  # members the next phase would enrol; None: no rollout decision
phase_months = 3  # how long another pilot phase would take, for the rollout decision
phase_cost = 0.0  # what another pilot phase would cost, for the rollout decision
bootstrap_replicates = 200  # redraws of the pilot's members for the interval of the value
seed = 0  # for the redraws
currency = None  # e.g. "MXN"; None: amounts without a label
read_options = {}  # {"decimal": ",", "encoding": "latin-1", "delimiter": ";"} for a CSV

# %%
import html
import warnings
from dataclasses import replace
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import HTML, display

import relmark_lab as rl
from relmark_lab import programs
from relmark_lab import reports as rep
from relmark_lab.i18n import N_, display_value, set_language
from relmark_lab.i18n import gettext as _
from relmark_lab.plots import programs as pplot

set_language(language)

warnings.filterwarnings("ignore", module="statsmodels")  # small-sample notes, not for managers
chosen = {"launch_month": launch_month, "design": design, "margin_rate": margin_rate,
          "operating_cost": operating_cost, "setup_cost": setup_cost,
          "discount_rate": discount_rate, "horizon_months": horizon_months,
          "rollout_members": rollout_members, "phase_months": phase_months,
          "phase_cost": phase_cost, "bootstrap_replicates": bootstrap_replicates,
          "seed": seed, "currency": currency, "read_options": read_options}
display(HTML(rep.header(rep.title("program-evaluation"), source_label, chosen, run_date)))
design = design.replace("_", "-") if isinstance(design, str) else design
limits = {"margin_rate": (0, 1, False), "operating_cost": (0, np.inf, False),
          "setup_cost": (0, np.inf, False), "discount_rate": (0, 1, False),
          "horizon_months": (1, 240, True), "phase_months": (0, 36, True),
          "phase_cost": (0, np.inf, False), "bootstrap_replicates": (20, 5000, True),
          "seed": (0, np.inf, True), "rollout_members": (1, np.inf, True)}
problems = [] if design in ("randomized", "self-selected") else [
    _("design is {design!r}, but it must be 'randomized' or 'self-selected'").format(
        design=design)]
for name, (low, high, whole) in limits.items():
    given = chosen[name]
    if name == "rollout_members" and given is None:
        continue
    number = isinstance(given, (int, float)) and not isinstance(given, bool)
    if not (number and low <= given <= high and (not whole or float(given).is_integer())):
        bounded = np.isfinite(high)
        problems.append((
            (_("{name} is {given!r}, but it must be a whole number from {low:g} to {high:g}")
             if bounded else _("{name} is {given!r}, but it must be a whole number from {low:g} "
                               "up")) if whole else
            (_("{name} is {given!r}, but it must be a number from {low:g} to {high:g}")
             if bounded else _("{name} is {given!r}, but it must be a number from {low:g} up"))
        ).format(name=name, given=given, low=low, high=high))
if problems:
    raise rl.DataError(_("This report cannot run with these parameters: {problems}.").format(
        problems="; ".join(problems)))
unknown = sorted(set(read_options) - {"decimal", "encoding", "delimiter"})
if unknown:
    raise rl.DataError(_("read_options has {unknown}; a pilot panel is read with 'decimal', "
                         "'encoding' and 'delimiter' only.").format(
                             unknown=", ".join(map(repr, unknown))))
randomized = design == "randomized"
label = f" ({currency})" if currency else _(" (currency of the data)")
#: The members' two groups, as the CSV files name them (the page says them in its language).
ARMS = {1: N_("program"), 0: N_("not enrolled")}


def esc(value) -> str:
    return html.escape(str(value))


def amount(value: float) -> str:
    """A total per member (CLV, cost, net value): whole units and the currency."""
    return esc(rep.money(value, currency))


def per_month(value: float, sign: str = "+") -> str:
    """An amount per member and month (an effect, a margin): small, so with cents."""
    return esc(f"{value:{sign},.2f}" + (f" {currency}" if currency else ""))


# %% [markdown]
# ## What was read
#
# One row per member and month. Every row of the source is used, or the report says why not.

# %%
panel, members, notes = programs.read_pilot_panel(data_path, columns or None, **read_options)
launch = programs.pilot_launch(panel, members, launch_month)
months = sorted(panel["month"].unique())
arm = members.set_index("member_id")["enrolled"].map(ARMS)
panel["arm"] = panel["member_id"].map(arm).to_numpy()
panel["period"] = np.where(panel["month"] >= launch, "after", "before")
where = (_("read from the enrolled members' program_start") if launch_month is None
         else _("the launch_month parameter"))
display(HTML(
    _("<p>{member_months:,} member-months of {members:,} members, {first} to {last} ({months} "
      "months). The program started in <b>{launch}</b> ({where}): {before} months before it, "
      "{after} from it on. {enrolled:,} members are in the program and {others:,} are "
      "not.</p>").format(
        member_months=len(panel), members=len(members), first=months[0], last=months[-1],
        months=len(months), launch=esc(launch), where=where,
        before=sum(m < launch for m in months), after=sum(m >= launch for m in months),
        enrolled=int(members["enrolled"].sum()), others=int((members["enrolled"] == 0).sum()))
    + ("<ul>" + "".join(f"<li>{esc(note)}</li>" for note in notes) + "</ul>" if notes else
       _("<p>Nothing was set aside or filled in.</p>"))))
by_arm = panel.groupby(["arm", "period"]).agg(
    member_months=("member_id", "size"), orders=("orders", "mean"),
    revenue=("revenue", "mean")).unstack("period").reindex([ARMS[1], ARMS[0]])
members_by_arm = arm.value_counts().reindex(by_arm.index)
formats = {"member_months": "{:,.0f}", "orders": "{:.3f}", "revenue": "{:,.2f}"}
names = {"member_months": _("member-months"), "orders": _("orders per member-month"),
         "revenue": _("revenue per member-month") + label}
periods = {"before": _("before"), "after": _("after")}
shown = pd.DataFrame({(_("members"), ""): members_by_arm.map("{:,}".format)})
for column, fmt in formats.items():
    for period in ("before", "after"):
        shown[(names[column], periods[period])] = by_arm[(column, period)].fillna(0).map(
            fmt.format)
shown.columns = pd.MultiIndex.from_tuples(shown.columns)
shown = shown.rename(index=_).rename_axis(None)
display(shown)

# %% [markdown]
# ## The effect on orders and revenue
#
# The effect is the difference the program made per member and month, in orders and in
# revenue, with its 95% interval: the range that holds the true effect in 19 pilots of 20.

# %%
sums = panel.groupby(["member_id", "period"]).agg(
    months=("orders", "size"), orders=("orders", "mean"), revenue=("revenue", "mean")
).unstack("period")
per_member = pd.DataFrame({"member_id": members["member_id"], "arm": members["member_id"].map(
    arm).to_numpy(), "enrolled": members["enrolled"].to_numpy()})
for period in ("before", "after"):
    for stat in ("months", "orders", "revenue"):
        values = sums[(stat, period)] if (stat, period) in sums else pd.Series(dtype=float)
        per_member[f"{stat}_{period}"] = per_member["member_id"].map(values).to_numpy()
    per_member[f"months_{period}"] = per_member[f"months_{period}"].fillna(0).astype(int)
effects, rows = {}, []
if randomized:
    seen = per_member.dropna(subset=["orders_after"])
    no_history = int(seen["orders_before"].isna().sum())
    seen = seen.fillna({c: seen[c].mean() for c in ("orders_before", "revenue_before")})
    for outcome in ("orders", "revenue"):
        plain = programs.difference_in_means(seen, f"{outcome}_after", "enrolled")
        adjusted = programs.cuped(seen, f"{outcome}_after", "enrolled", f"{outcome}_before")
        effects[outcome] = adjusted
        rows += [(outcome, N_("difference in means"), plain, False),
                 (outcome, N_("CUPED"), adjusted, True)]
    left_out = len(per_member) - len(seen)
    display(HTML(
        _("<p>A coin decided who joined, so the members in the program and the others differ "
          "only by chance, and the difference of their monthly means after the launch "
          "measures the program. CUPED subtracts the part of each member's months after the "
          "launch that their months before predict: the same effect, with a narrower "
          "interval.</p>")
        + (_("<p>{count:,} member(s) have no month from the launch on and are left out of "
             "this comparison.</p>").format(count=left_out) if left_out else "")
        + (_("<p>{count:,} member(s) have no month before the launch; CUPED gives them the "
             "average of the months before.</p>").format(count=no_history)
           if no_history else "")))
else:
    display(HTML(
        "<p style='border-left:4px solid #b2182b;padding-left:8px'>"
        + _("<b>Warning: members chose to join.</b> Those who join usually bought more before "
            "the program, so comparing members with the others after the launch (the naive "
            "comparison, shown for reference only) credits the program with that head start. "
            "The report uses difference-in-differences instead: the members' change from "
            "before the launch to after it, less the others' change. It is right if, without "
            "the program, both groups would have moved in parallel; the event study below "
            "checks the months before the launch.") + "</p>"))
    for outcome in ("orders", "revenue"):
        naive = programs.naive_difference(panel, members, outcome, post_from=launch)
        effects[outcome] = programs.difference_in_differences(panel, members, outcome,
                                                              post_from=launch)
        rows += [(outcome, N_("naive (biased)"), naive, False),
                 (outcome, N_("difference-in-differences"), effects[outcome], True)]
for outcome in ("orders", "revenue"):
    effect = effects[outcome]
    if outcome == "orders":
        text = _("{estimate:+.3f} per member and month (95% interval {lower:+.3f} to "
                 "{upper:+.3f})").format(estimate=effect.estimate, lower=effect.lower,
                                         upper=effect.upper)
    else:
        text = _("{estimate} per member and month (95% interval {lower} to {upper})").format(
            estimate=per_month(effect.estimate), lower=per_month(effect.lower),
            upper=per_month(effect.upper))
    verdict = (_("the interval includes 0: the pilot cannot tell the effect from chance")
               if effect.covers(0) else _("the interval excludes 0"))
    headline = (_("<p><b>Effect on orders:</b> {text}, {method}; {verdict}.</p>")
                if outcome == "orders" else
                _("<p><b>Effect on revenue:</b> {text}, {method}; {verdict}.</p>"))
    display(HTML(headline.format(text=text, method=esc(programs.display_method(effect.method)),
                                 verdict=verdict)))
table = pd.DataFrame([{"outcome": o, "method": m, "estimate": e.estimate, "lower": e.lower,
                       "upper": e.upper, "headline": h} for o, m, e, h in rows])
outcomes = {"orders": _("orders per member-month"), "revenue": _("revenue per member-month")}
interval = _("{lower} to {upper}")
listed = pd.DataFrame({
    _("estimate"): [f"{e.estimate:+.3f}" if o == "orders" else per_month(e.estimate)
                    for o, _m, e, _h in rows],
    _("95% interval"): [interval.format(lower=f"{e.lower:+.3f}", upper=f"{e.upper:+.3f}")
                        if o == "orders" else
                        interval.format(lower=per_month(e.lower), upper=per_month(e.upper))
                        for o, _m, e, _h in rows]},
    index=pd.MultiIndex.from_tuples([(outcomes[o], _(m)) for o, m, _e, _h in rows],
                                    names=[_("outcome"), _("method")]))
display(listed)
fig, axes = plt.subplots(1, 2, figsize=(11, 2.6), sharey=True)
for ax, outcome, unit, title in zip(
        axes, ("orders", "revenue"),
        (_("orders per member and month"), _("revenue per member and month") + label),
        (_("Effect on orders"), _("Effect on revenue")), strict=True):
    drawn = table[table["outcome"] == outcome].reset_index(drop=True)
    pplot.plot_effects(drawn.assign(method=drawn["method"].map(_)), "method", ax=ax)
    ax.set(title=title, xlabel=_("effect: {unit}").format(unit=unit))
    ax.get_legend().remove()  # the title says what the bars are
axes[0].set_ylim(-0.6, len(rows) / 2 - 0.4)
fig.suptitle(_("The program's effect per member and month, with 95% intervals"))
fig.tight_layout()

# %%
if not randomized:
    starts = members if "program_start" in members else members.assign(
        program_start=np.where(members["enrolled"] == 1, launch, None))
    study = programs.event_study(panel, starts, "orders", start_column="program_start")
    trends = programs.pre_trend_test(study)
    ax = pplot.plot_event_study(study)
    ax.set(title=_("Members minus the others, by month relative to the launch (event study)"),
           ylabel=_("effect: orders per member and month"))
    ax.figure.tight_layout()
    display(HTML(
        _("<p>Before the launch the two groups should move alike (estimates near 0). Test of "
          "the {months} months before it: p = {p_value:.2f}, {finding}</p>").format(
            months=trends.df, p_value=trends.p_value, finding=(
                _("no sign that the groups were already moving apart.")
                if trends.p_value >= 0.05 else
                _("<b>the groups were already moving apart before the launch</b>: the "
                  "difference-in-differences estimate mixes that drift into the effect; read "
                  "it with caution.")))))

# %% [markdown]
# ## Does it pay?
#
# The program pays when the lifetime value it adds per member (its lifts in margin and in
# members staying, over the horizon, discounted) exceeds what it costs per member: the
# set-up, the rewards members redeem and the running cost.

# %%
money = {"operating_cost": operating_cost, "setup_cost": setup_cost,
         "discount_rate": discount_rate, "horizon": int(horizon_months)}
terms = programs.pilot_terms(panel, members, post_from=launch, margin_rate=margin_rate)
if randomized:
    value = programs.program_value(**terms.value_arguments(), **money)
    draws = programs.bootstrap_program_value(panel, members, post_from=launch,
                                             margin_rate=margin_rate,
                                             replicates=int(bootstrap_replicates),
                                             seed=int(seed), **money)
    naive_net = None
    basis = N_("the members in the program against the others, after the launch: margin per "
               "active month, dropout, rewards; the interval redraws the pilot's members")
else:
    naive_net = programs.program_value(**terms.value_arguments(), **money).net_value
    after = panel[(panel["period"] == "after") & (panel["arm"] == "program")]
    active_share = max(float(after["active"].mean()), 1e-9)

    def valued(effect: float) -> programs.ProgramValue:
        """Margin lift from the DiD effect on revenue; the dropout effect is not credited."""
        lift = margin_rate * effect / active_share / terms.margin if terms.margin > 0 else 0.0
        return programs.program_value(**replace(terms, margin_lift=lift,
                                                dropout_reduction=0.0).value_arguments(),
                                      **money)

    value = valued(effects["revenue"].estimate)
    rng = np.random.default_rng(int(seed))
    drawn = rng.normal(effects["revenue"].estimate, effects["revenue"].std_error,
                       int(bootstrap_replicates))
    draws = pd.DataFrame([{"net_value": v.net_value, "roi": v.roi,
                           "payback_period": v.payback_period}
                          for v in map(valued, drawn)]).astype({"payback_period": float})
    basis = N_("the difference-in-differences effect on revenue, as margin; members chose to "
               "join, so the program's effect on members leaving cannot be told from who "
               "joined and is not credited; the interval draws the revenue effect from its "
               "sampling distribution")
net_low, net_high = draws["net_value"].quantile([0.025, 0.975])
roi_low, roi_high = draws["roi"].quantile([0.025, 0.975])
paid = draws["payback_period"].dropna()
payback = (_("it pays back its cost in month {month}").format(month=value.payback_period)
           if value.payback_period else
           _("it does not pay back within {months} months").format(months=int(horizon_months)))
display(HTML(
    _("<p>Valued from {basis}. Over {months} months, discounted at {rate:.0%} a year, per "
      "member who joins:</p>").format(basis=esc(_(basis)), months=int(horizon_months),
                                      rate=discount_rate)
    + "<ul>"
    + _("<li>lifetime value added: <b>{value}</b></li>").format(
        value=amount(value.incremental_clv))
    + _("<li>cost (set-up, rewards, running): <b>{value}</b></li>").format(
        value=amount(value.cost))
    + _("<li>net value: <b>{value}</b> (95% interval {lower} to {upper})</li>").format(
        value=amount(value.net_value), lower=amount(net_low), upper=amount(net_high))
    + _("<li>ROI (net value / cost): <b>{roi:+.0%}</b> (95% interval {lower:+.0%} to "
        "{upper:+.0%})</li>").format(roi=value.roi, lower=roi_low, upper=roi_high)
    + _("<li>payback: {payback}; {share:.0%} of the redraws pay back within the "
        "horizon</li>").format(payback=payback, share=len(paid) / len(draws))
    + "</ul>"
    + _("<p>The terms: the other members' margin {margin} per active month, their monthly "
        "retention {retention:.1%}; rewards {rewards} per active member-month in the "
        "program.</p>").format(margin=per_month(terms.margin, ""),
                               retention=terms.retention_rate,
                               rewards=per_month(terms.reward_cost, ""))))
if rollout_members is not None:
    decision = programs.rollout_decision(draws["net_value"], int(rollout_members),
                                         wait_periods=int(phase_months),
                                         discount_rate=discount_rate,
                                         cost_of_waiting=phase_cost)
    display(HTML(
        _("<p><b>Next phase for {members:,} members: {decision}.</b> Rolling out now is worth "
          "{now} on average over the redraws; another {months}-month phase first, rolling out "
          "only if it pays, {wait}. The program pays in {share:.0%} of the redraws.</p>").format(
            members=int(rollout_members), decision=esc(display_value(decision["decision"])),
            now=amount(decision["roll_out_now"]), months=int(phase_months),
            wait=amount(decision["wait"]), share=decision["probability_pays"])))
if naive_net is not None:
    display(HTML(_("<p>The naive comparison would have claimed a net value of {value} per "
                   "member: it credits the program with the head start of the members who "
                   "chose to join.</p>").format(value=amount(naive_net))))
ax = pplot.plot_net_value(draws, naive=naive_net)
ax.set(title=_("Net value per member who joins, over redraws of the pilot") if randomized else
       _("Net value per member who joins, over draws of the effect (dashed: naive claim)"),
       xlabel=_("net value per member: lifetime value added − cost") + label,
       ylabel=_("redraws of the pilot") if randomized else _("draws of the effect on revenue"))
ax.figure.tight_layout()

# %% [markdown]
# ## Per-member results
#
# The CSV file keeps the members' real ids, for the analyst's own systems; the page shows no
# member id.

# %%
folder = Path(output_dir)
per_member.to_csv(folder / "program_evaluation_members.csv", index=False)
summary = table.assign(quantity=table["outcome"] + " per member-month").drop(columns="outcome")
summary = pd.concat([summary, pd.DataFrame([
    {"quantity": "net value per member", "method": basis, "estimate": value.net_value,
     "lower": net_low, "upper": net_high, "headline": True},
    {"quantity": "ROI", "method": basis, "estimate": value.roi, "lower": roi_low,
     "upper": roi_high, "headline": True},
    {"quantity": "lifetime value added per member", "method": basis,
     "estimate": value.incremental_clv, "headline": True},
    {"quantity": "cost per member", "method": basis, "estimate": value.cost, "headline": True},
    {"quantity": "payback month", "method": basis, "estimate": value.payback_period,
     "headline": True}])], ignore_index=True)
summary["launch_month"], summary["design"] = launch, design
summary.to_csv(folder / "program_evaluation_summary.csv", index=False)
display(HTML(
    _("<p>{count:,} members written to <code>{members}</code> (real ids): each member's arm "
      "and mean orders and revenue per month before and after the launch. The estimates "
      "above, unrounded, are in <code>{summary}</code>.</p>").format(
        count=len(per_member), members="program_evaluation_members.csv",
        summary="program_evaluation_summary.csv")))
