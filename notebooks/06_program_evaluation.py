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

# %% [markdown]
# # 06 · Program evaluation: pilot first, measure rigorously, roll out in phases, prove it pays
#
# **Learning objectives.** After this lesson you can
#
# 1. size a *pilot test (prueba piloto)*: members per arm and the minimum detectable
#    effect, from the variance of your own data, and check the formula by simulation;
# 2. randomize within strata, check balance, and measure a randomized pilot's effect with
#    its interval — and narrow that interval with the pre-period (CUPED, ANCOVA);
# 3. see why members of a self-selected loyalty program always look better, and recover the
#    true effect with difference-in-differences, an event study and propensity scores;
# 4. evaluate an *implementation in phases (implantación por fases)* without the bias of
#    the naive two-way fixed-effects estimate;
# 5. measure a program to *recover dissatisfied customers (recuperación de clientes
#    insatisfechos)*, a post-sale follow-up and the service-profit chain;
# 6. turn a pilot's lifts into customer lifetime value, ROI and payback with an interval,
#    and decide whether to roll out, wait for another phase, or stop.
#
# The course notes' advice for a relationship-marketing program is short: **always start
# with pilot tests, be very rigorous in measuring the results, implement in phases, and be
# prudent**. Among the five pyramids of lesson 00 they list programs to detect and recover
# dissatisfied customers, events, and loyalty or *frequency marketing programs (programas de
# marketing de frecuencia)*. This lesson follows that order. Every estimate is shown next to
# the simulation's true effect, which a real firm never sees — that is what lets us tell
# the methods that work from the ones that only look convincing.

# %% tags=["parameters"]
# Parameters (papermill): data, money and the bootstrap.
data_dir = None  # None means the datasets/ folder of the kit
discount_rate = 0.12  # per year, converted to months
horizon_months = 24  # how long the program's effect is valued
operating_cost = 12.0  # MXN per member and month in the program (cards, staff, systems)
setup_cost = 50.0  # MXN per member when they join (welcome kit)
call_back_cost = 40.0  # MXN per complaint given a fast personal call-back (staff time)
rollout_members = 20_000  # members the next phase would enrol
phase_months = 3  # how long another pilot phase would take
phase_cost = 100_000.0  # MXN to run another pilot phase (its members' rewards and running cost)
bootstrap_replicates = 200  # redraws of the pilot's members for the ROI interval
seed = 20261125  # for the bootstrap and the simulated power
language = "en"  # "en" or "es": the language of the kit's messages, labels and numbers

# %%
import pandas as pd

import relmark_lab as rl
from relmark_lab.lessons import (
    Folder,
    Number,
    WholeNumber,
    check_parameters,
    use_lesson_display,
)

use_lesson_display(language=language)

check_parameters(
    data_dir=Folder(data_dir),
    discount_rate=Number(discount_rate, low=0, high=1),
    horizon_months=WholeNumber(horizon_months, low=1, high=120),
    operating_cost=Number(operating_cost, low=0, unit="MXN"),
    setup_cost=Number(setup_cost, low=0, unit="MXN"),
    call_back_cost=Number(call_back_cost, low=0, unit="MXN"),
    rollout_members=WholeNumber(rollout_members, low=1),
    phase_months=WholeNumber(phase_months, low=0, high=24),
    phase_cost=Number(phase_cost, low=0, unit="MXN"),
    bootstrap_replicates=WholeNumber(bootstrap_replicates, low=20, high=2000),
    seed=WholeNumber(seed, low=0),
)
horizon_months, rollout_members = int(horizon_months), int(rollout_members)
phase_months, bootstrap_replicates, seed = int(phase_months), int(bootstrap_replicates), int(seed)

# %%
import numpy as np
import seaborn as sns

from relmark_lab import programs
from relmark_lab.i18n import display_value
from relmark_lab.i18n import gettext as _
from relmark_lab.plots import programs as pplot

sns.set_theme(style="whitegrid", context="notebook")
kit_truth = rl.datasets.load_truth(data_dir)
truth = kit_truth["programs"]
members = rl.datasets.load_pilot_members(data_dir)
panel = rl.datasets.load_loyalty_pilot(data_dir)
launch = truth["launch_month"]
transactions = rl.datasets.load_transactions(data_dir)
margin_rate = transactions["margin"].sum() / transactions["amount"].sum()
yes_no = {True: _("True"), False: _("False")}  # how a check's answer is printed


def design(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One design's members and their monthly panel."""
    chosen = members[members["design"] == name]
    return chosen, panel[panel["member_id"].isin(chosen["member_id"])]


def per_member(chosen: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Members with their orders per month before and after the launch."""
    after = rows[rows["month"] >= launch].groupby("member_id")[["orders", "revenue"]].mean()
    before = rows[rows["month"] < launch].groupby("member_id")[["orders", "revenue"]].mean()
    return chosen.merge(after.reset_index(), on="member_id").merge(
        before.add_suffix("_before").reset_index(), on="member_id")


# %% [markdown]
# ## 1. Why pilot first
#
# A loyalty program costs money from the first day — rewards, cards, systems, staff — and
# whether it earns more than it costs depends on how customers respond, which nobody knows
# in advance. A pilot on a few hundred members, with a control group, answers that before
# the firm commits to everyone. The kit's pilot data hold three designs of the same
# program, each with its true effect known:

# %%
# NBVAL_CHECK_OUTPUT
months = sorted(panel["month"].unique())
print(_("panel: {rows:,} member-months, {first} to {last}; launch {launch}").format(
    rows=len(panel), first=months[0], last=months[-1], launch=launch))
for name, rows in members.groupby("design", sort=False):
    print(_("  {design:<14} {count:5,} members, {enrolled:5,} in the program").format(
        design=name, count=len(rows), enrolled=int(rows["enrolled"].sum())))

# %% [markdown]
# * **randomized**: a coin, within each region and value tier, decided who joined;
# * **self_selected**: members chose to join — the way most programs start;
# * **rollout**: whole regions joined in waves, one region never did.
#
# ## 2. Designing the pilot: how many members, and balanced how
#
# A pilot must be large enough to see the effect it is looking for. The effect that matters
# here is the program's lift in orders per member and month; its standard deviation comes
# from the firm's own data before the launch. `programs.sample_size` asks statsmodels'
# power classes how many members per arm detect a 10% lift with 80% power at the 5% level,
# and `programs.minimum_detectable_effect` what the pilot's own size can detect:

# %%
randomized, randomized_panel = design("randomized")
pilot = per_member(randomized, randomized_panel)
baseline = pilot["orders_before"].mean()
spread = pilot["orders_before"].std()
needed = programs.sample_size(0.10 * baseline, kind="means", sd=spread)
per_arm = int(pilot["enrolled"].sum())
detectable = programs.minimum_detectable_effect(per_arm, kind="means", sd=spread)
retention = programs.sample_size(0.03, kind="proportions", baseline=0.90)

# %%
# NBVAL_CHECK_OUTPUT
print(_("before the launch: {baseline:.2f} orders per member and month (sd {spread:.2f})").format(
    baseline=baseline, spread=spread))
print(_("a 10% lift ({lift:.3f} orders) needs {needed:,} members per arm").format(
    lift=0.10 * baseline, needed=needed.members_treated))
print(_("with {per_arm:,} per arm the pilot detects {effect:.3f} orders ({share:.0%} of the "
        "baseline)").format(per_arm=per_arm, effect=detectable.effect,
                            share=detectable.effect / baseline))
print(_("retention from 90% to 93% needs {needed:,} members per arm").format(
    needed=retention.members_treated))
check = programs.simulated_power(needed, simulations=1000, seed=seed,
                                 outcomes=pilot["orders_before"])
print(_("simulated pilots of that size, drawn from the members' own (skewed) orders, reject "
        "{rate:.1%} of the time (formula: {formula:.0%})").format(
    rate=check.rejection_rate, formula=check.formula_power))

# %%
curve = programs.power_curve([0.05 * baseline, 0.10 * baseline, 0.20 * baseline],
                             kind="means", sd=spread)
ax = pplot.plot_power_curve(curve.assign(effect=(curve["effect"] / baseline).round(2)))
ax.set_title(_("Power of the pilot by members per arm (effect as a share of the baseline)"))
ax.figure.tight_layout()

# %% [markdown]
# Randomizing *within strata* (region × value tier) makes the two arms alike on what
# matters most, by construction; `programs.balance_table` checks the rest with standardized
# mean differences — below 0.1 in absolute value is the usual bar:

# %%
covariates = ["tenure_months", "prior_orders", "prior_spend", "prior_year_orders", "region",
              "tier"]
balance = programs.balance_table(randomized, "enrolled", covariates)
ax = pplot.plot_balance(balance)
ax.set_title(_("Randomized pilot: balance of the arms before the launch"))
ax.figure.tight_layout()

# %%
# NBVAL_CHECK_OUTPUT
print(_("largest |SMD| in the randomized pilot: {smd:.3f} ({count} covariate levels above "
        "0.1)").format(smd=balance["smd"].abs().max(), count=int(balance["imbalanced"].sum())))
example = programs.stratified_assignment(randomized, ["region", "tier"], seed=seed)
print(_("a new stratified draw treats {treated:,} of {total:,} members").format(
    treated=int(example.sum()), total=len(example)))

# %% [markdown]
# ## 3. Measuring rigorously: the randomized pilot
#
# With a coin deciding who joined, the difference in mean orders per month after the
# launch is an unbiased estimate of the program's average effect on everyone it could be
# offered to (the ATE, average treatment effect; Welch's t-test gives its interval, without
# assuming equal spreads). Members' own pre-launch orders explain much of the spread in
# their later orders, so adjusting for them estimates the same effect with a narrower
# interval, at no cost in bias: CUPED (controlled experiments using pre-experiment data)
# subtracts θ times each member's pre-launch orders, θ the slope of after on before;
# ANCOVA does the same in a regression. The pilot was too small to detect the true effect
# reliably (section 2); the adjustment is what makes it enough:

# %%
true_effect = truth["randomized"]["ate"]["orders"]
simple = programs.difference_in_means(pilot, "orders", "enrolled")
adjusted = programs.cuped(pilot, "orders", "enrolled", "orders_before")
ancova = programs.adjusted_effect(pilot, "orders", "enrolled", ["orders_before", "tenure_months"])

# %%
# NBVAL_CHECK_OUTPUT
print(_("true effect: {effect:.3f} orders per member and month").format(effect=true_effect))
for name, effect in ((_("difference in means"), simple), ("CUPED", adjusted), ("ANCOVA", ancova)):
    print(_("  {name:<20} {estimate:.3f}  95% CI {lower:.3f} to {upper:.3f}  (width {width:.3f}; "
            "covers the truth: {covers})").format(
        name=name, estimate=effect.estimate, lower=effect.lower, upper=effect.upper,
        width=effect.width, covers=yes_no[effect.covers(true_effect)]))
print(_("CUPED's interval is {ratio:.0%} as wide as the plain one").format(
    ratio=adjusted.width / simple.width))
revenue = programs.cuped(pilot, "revenue", "enrolled", "revenue_before")
print(_("revenue (CUPED): {estimate:+.1f} MXN per member and month, 95% CI {lower:+.1f} to "
        "{upper:+.1f}; truth {truth:+.1f}").format(
    estimate=revenue.estimate, lower=revenue.lower, upper=revenue.upper,
    truth=truth["randomized"]["ate"]["revenue"]))
last = randomized_panel[randomized_panel["month"] == months[-1]][["member_id", "active"]]
kept = programs.proportion_effect(
    randomized.merge(last, on="member_id").assign(
        arm=lambda frame: np.where(frame["enrolled"] == 1, "program", "control")),
    "active", group="arm", treated="program")
kept_truth = truth["randomized"]["active_in_last_month"]
print(_("still active in {month}: {treated:.1%} vs {control:.1%}, {effect:+.1%} (95% CI "
        "{lower:+.1%} to {upper:+.1%}); truth {truth:+.1%}").format(
    month=months[-1], treated=kept.details["share_treated"],
    control=kept.details["share_control"], effect=kept.estimate, lower=kept.lower,
    upper=kept.upper,
    truth=kept_truth["enrolled_with_program"] - kept_truth["enrolled_without_program"]))

# %% [markdown]
# Do light, moderate and heavy buyers respond alike? Liu (2007) found that heavy buyers
# claim rewards without changing what they buy, while light and moderate buyers buy more.
# With three tiers there are three tests, so the p-values are adjusted (Holm) for
# multiple comparisons: the more subgroups one looks at, the more "effects" chance alone
# produces.

# %%
tiers = programs.effects_by_group(pilot, "orders", "enrolled", "tier")
tier_truth = pd.Series({tier: values["orders"]
                        for tier, values in truth["randomized"]["by_tier"].items()})
ax = pplot.plot_effects(tiers, "tier", truth=tier_truth)
ax.set_title(_("Effect on orders per month by prior-usage tier (x: the truth)"))
ax.figure.tight_layout()

# %%
# NBVAL_CHECK_OUTPUT
for row in tiers.itertuples():
    holm = "< 0.001" if row.p_adjusted < 0.001 else f"= {row.p_adjusted:.3f}"
    print(_("{tier:<9} {estimate:+.3f} (95% CI {lower:+.3f} to {upper:+.3f}), Holm p {holm}; "
            "truth {truth:+.3f}").format(
        tier=display_value(row.tier), estimate=row.estimate, lower=row.lower, upper=row.upper,
        holm=holm, truth=tier_truth[row.tier]))
print(tiers.attrs["warning"])

# %% [markdown]
# ## 4. The self-selection trap
#
# Most programs are not randomized: customers choose to join. Those who join differ from
# those who do not — they buy more, have been customers longer, are more satisfied, and
# expect to gain more. Comparing members with non-members after the launch mixes those
# differences with the program's effect. Leenheer et al. (2007) found the true effect of
# Dutch grocery programs about seven times smaller than the naive comparison suggests.
#
# The kit's self-selected design lets members choose on their covariates **and** on their
# own expected gain. The question now is the effect on those who joined (the ATT, average
# effect on the treated). Three estimates, against the truth:
#
# * the **naive** comparison of members and non-members after the launch;
# * **difference-in-differences**: the members' change from before to after, less the
#   non-members' change — valid if both groups would have followed parallel trends
#   without the program (standard errors clustered by member);
# * **propensity scores**: the probability of joining given the pre-launch covariates,
#   then inverse-probability weighting and matching — valid if those covariates explain
#   who joins. Here members judged what they stood to gain by last year's record
#   (`prior_year_orders`), so it goes into the propensity model, on a log scale because
#   buying is skewed. Weighting alone balances the groups but leaves a wide interval;
#   adding a regression on the pre-launch orders (`adjust=`) narrows it and is *doubly
#   robust*: right if either the propensity model or the outcome model is right.

# %%
chosen, chosen_panel = design("self_selected")
att = truth["self_selected"]["att"]["orders"]
naive = programs.naive_difference(chosen_panel, chosen, "orders", post_from=launch)
did = programs.difference_in_differences(chosen_panel, chosen, "orders", post_from=launch)
selected = per_member(chosen, chosen_panel).assign(
    log_prior_year_orders=lambda m: np.log(m["prior_year_orders"] + 0.5),
    log_tenure=lambda m: np.log(m["tenure_months"]))
covariates_all = ["log_tenure", "log_prior_year_orders", "prior_year_spend", "satisfaction",
                  "region", "tier"]
outcome_model = ["prior_orders", "prior_spend", "prior_year_orders", "tier"]
scores = programs.propensity_scores(selected, "enrolled", covariates_all,
                                    categorical=["region", "tier"])
weighted = programs.ipw_effect(selected, "orders", "enrolled", scores)
doubly_robust = programs.ipw_effect(selected, "orders", "enrolled", scores,
                                    adjust=outcome_model)
matched = programs.matched_effect(selected, "orders", "enrolled", scores,
                                  adjust=outcome_model)
# the same, had the firm not kept last year's record: what drove joining goes unmeasured
unrecorded = programs.propensity_scores(selected, "enrolled",
                                        ["log_tenure", "satisfaction", "region", "tier"],
                                        categorical=["region", "tier"])
without_record = programs.ipw_effect(selected, "orders", "enrolled", unrecorded,
                                     adjust=["tier"])

# %%
# NBVAL_CHECK_OUTPUT
print(_("true effect on the members (ATT): {att:.3f} orders per month").format(att=att))
for name, effect in ((_("naive"), naive), (_("difference-in-differences"), did),
                     (_("propensity weighting"), weighted),
                     (_("weighting + regression"), doubly_robust),
                     (_("matching + regression"), matched),
                     (_("weighting, no record"), without_record)):
    print(_("  {name:<26} {estimate:.3f}  95% CI {lower:.3f} to {upper:.3f}  (covers the truth: "
            "{covers})").format(name=name, estimate=effect.estimate, lower=effect.lower,
                                upper=effect.upper, covers=yes_no[effect.covers(att)]))
print(_("naive / true: {ratio:.1f} times (the simulation implies {implied:.1f})").format(
    ratio=naive.estimate / att, implied=truth["self_selected"]["naive_to_att"]["orders"]))

# %% [markdown]
# The naive comparison overstates the effect several times, by about what the simulation
# implies. Difference-in-differences comes close to the truth, because it removes
# everything that differs between the groups and stays constant over time. Propensity
# weighting lands near the truth too, but its interval is wide: post-launch orders vary
# a lot from member to member, and weighting does nothing about that. The regression on
# the pre-launch orders takes most of that variation out, so weighting + regression and
# matching + regression give intervals about as narrow as DiD's. Every 95% interval,
# like any, misses the truth in about one pilot out of twenty (the kit's tests check these
# estimators on several simulations). The last line is the trap: without last year's
# record, the covariates no longer capture what members chose on, and no amount of
# weighting removes the bias — propensity scores balance only what was measured. The
# event study checks the assumption DiD rests on: before the launch, members and
# non-members should move alike.

# %%
study = programs.event_study(chosen_panel, chosen, "orders")
pre_trends = programs.pre_trend_test(study[study["relative_month"] < 0])
ax = pplot.plot_event_study(study)
ax.set_title(_("Event study: members minus non-members, by month relative to the launch"))
ax.figure.tight_layout()

# %%
# NBVAL_CHECK_OUTPUT
verdict = (_("no sign of different pre-trends") if pre_trends.p_value >= 0.05
           else _("the groups already moved apart before the launch: DiD is in doubt"))
print(_("pre-launch months jointly zero? Wald chi2 = {statistic:.2f} on {df} df, p = {p:.2f} "
        "-> {verdict}").format(statistic=pre_trends.statistic, df=pre_trends.df,
                               p=pre_trends.p_value, verdict=verdict))

# %%
balance_check = programs.balance_before_after(selected, "enrolled", covariates_all,
                                              programs.ipw_weights(selected, "enrolled", scores),
                                              categorical=["region", "tier"])
before_weights = balance_check.rename(columns={"smd_before": "smd"})
after_weights = balance_check.rename(columns={"smd_after": "smd"})
ax = pplot.plot_balance(before_weights, after_weights)
ax.set_title(_("Self-selected members: balance before and after propensity weighting"))
ax.figure.tight_layout()

# %% [markdown]
# ## 5. Implementing in phases
#
# The notes advise rolling a program out in phases. Regions joining in waves is also a
# natural experiment: each wave can be compared with the regions that have not joined
# yet. The naive way to estimate it — a regression with member and month fixed effects and
# an "in the program" dummy (two-way fixed effects, TWFE) — can mislead when the effect
# grows with time in the program, because it uses members already in the program as
# controls for the later waves (Goodman-Bacon 2021). `programs.staggered_effect` compares
# each wave only with members not yet treated (Callaway & Sant'Anna 2021):

# %%
rollout, rollout_panel = design("rollout")
rollout_truth = truth["rollout"]["att"]["orders"]
twfe = programs.twfe_effect(rollout_panel, rollout, "orders")
staggered = programs.staggered_effect(rollout_panel, rollout, "orders",
                                      n_boot=bootstrap_replicates, seed=seed)

# %%
# NBVAL_CHECK_OUTPUT
never = _("never")
waves = ", ".join(f"{region} {start or never}" for region, start in truth["rollout_waves"].items())
print(_("waves: {waves}").format(waves=waves))
print(_("true effect per member-month in the program: {truth:.3f} orders; what TWFE estimates "
        "on average on such data: {expected:.3f}").format(
    truth=rollout_truth, expected=truth["rollout"]["expected_twfe"]["orders"]))
for name, effect in ((_("two-way fixed effects"), twfe),
                     (_("not-yet-treated comparisons"), staggered.overall)):
    print(_("  {name:<28} {estimate:.3f}  95% CI {lower:.3f} to {upper:.3f}  (covers the truth: "
            "{covers})").format(name=name, estimate=effect.estimate, lower=effect.lower,
                                upper=effect.upper, covers=yes_no[effect.covers(rollout_truth)]))

# %%
ax = pplot.plot_rollout(staggered.by_group_time)
ax.set_title(_("Phased rollout: each wave's effect against members not yet in the program"))
ax.figure.tight_layout()

# %%
ramp = pd.Series({int(k) - 1: v["orders"] for k, v in
                  truth["rollout"]["by_months_in_program"].items()})
ax = pplot.plot_event_study(staggered.by_event_time, truth=ramp)
ax.set_title(_("Phased rollout: effect by months in the program (dashed: the truth)"))
ax.figure.tight_layout()

# %% [markdown]
# The effect grows with the months in the program — members learn it (half of the lift in
# the first month, all of it from the third), fewer of them leave, and the season adds to
# it — as the dashed truth shows. TWFE's single number mixes those months with comparisons
# that use members already in the program as controls for later waves, so it subtracts
# part of the effect: on data like these it lands about a quarter below the truth on
# average (the printed expectation), though on one panel of this size the noise can hide
# that. The not-yet-treated comparisons are right on average, and give the effect month by
# month, which is what a phased rollout is for: deciding whether to go on with the next
# wave.
#
# ## 6. Recovering dissatisfied customers, following up a sale, caring for the staff
#
# The third pyramid of the notes: detect and recover dissatisfied customers. In the kit's
# experiment, complainers were randomized to a fast personal call-back or the usual
# process; the outcome is whether they still buy six months later. A post-sale follow-up
# contact — the consultative sale's last phase — was randomized the same way, with a
# repeat purchase within 90 days as the outcome. Both are differences in two shares
# (`programs.proportion_effect`, with Newcombe's interval):

# %%
complaints = rl.datasets.load_complaint_recovery(data_dir)
follow_up = rl.datasets.load_follow_up(data_dir)
recovery = programs.proportion_effect(complaints, "retained", group="group", treated="call_back")
contact = programs.proportion_effect(follow_up, "repeat_90d", group="group", treated="contacted")
value_kept = rl.equity.value_at(transactions, kit_truth["observation_end"],
                                horizon=horizon_months, discount_rate=discount_rate,
                                time_unit="M").mean()
recovery_money = programs.recovery_value(recovery, value_of_customer=value_kept,
                                         cost_per_case=call_back_cost)

# %%
# NBVAL_CHECK_OUTPUT
recovery_truth = truth["complaint_recovery"]["effect"]
contact_truth = truth["follow_up"]["effect"]
print(_("call-back: retained {treated:.1%} vs {control:.1%}: {effect:+.1%} (95% CI {lower:+.1%} "
        "to {upper:+.1%}; truth {truth:+.0%})").format(
    treated=recovery.details["share_treated"], control=recovery.details["share_control"],
    effect=recovery.estimate, lower=recovery.lower, upper=recovery.upper, truth=recovery_truth))
print(_("  a kept customer is worth {value:,.0f} MXN of margin; the call-back is worth "
        "{worth:,.0f} MXN per complaint after its {cost:,.0f} MXN (95% CI {lower:,.0f} to "
        "{upper:,.0f}); pays if it keeps {break_even:.1%} more").format(
    value=value_kept, worth=recovery_money.estimate, cost=call_back_cost,
    lower=recovery_money.lower, upper=recovery_money.upper,
    break_even=recovery_money.details["break_even_effect"]))
print(_("follow-up: repeat {treated:.1%} vs {control:.1%}: {effect:+.1%} (95% CI {lower:+.1%} "
        "to {upper:+.1%}; truth {truth:+.0%})").format(
    treated=contact.details["share_treated"], control=contact.details["share_control"],
    effect=contact.estimate, lower=contact.lower, upper=contact.upper, truth=contact_truth))

# %% [markdown]
# A kept complainer is valued at the mean customer lifetime value of the retailer's
# customers (lesson 04's models, margin over `horizon_months`, 12% a year by default).
# The notes also say "if we care for our staff, they will care for our customers": the
# service-profit chain. Across the kit's stores, staff satisfaction goes
# with customer satisfaction, and customer satisfaction with retention. But stores were not
# assigned their staff's satisfaction: a store in a better neighbourhood, or with a better
# manager, may have both happier staff and happier customers. The chain is observational,
# and its first path is larger than the causal effect the simulation put in (staff
# satisfaction is on a 1–10 scale, customer satisfaction 1–5, retention a share):

# %%
stores = rl.datasets.load_stores(data_dir)
chain = programs.service_profit_chain(stores, replicates=bootstrap_replicates, seed=seed)
chain_truth = truth["stores"]

# %%
# NBVAL_CHECK_OUTPUT
paths = chain.set_index("path")
first = paths.loc["a: staff -> customer satisfaction"]
print(_("{stores} stores; staff -> customer satisfaction: {estimate:.3f} (95% {lower:.3f} to "
        "{upper:.3f}); causal {causal:.3f}, what OLS converges to {ols:.3f}").format(
    stores=len(stores), estimate=first.estimate, lower=first.lower, upper=first.upper,
    causal=chain_truth["causal"]["customer_on_staff"],
    ols=chain_truth["naive_ols"]["customer_on_staff"]))
second = paths.loc["b: customer satisfaction -> retention"]
print(_("customer satisfaction -> retention: {estimate:.3f} (95% {lower:.3f} to {upper:.3f}); "
        "causal {causal:.3f}").format(estimate=second.estimate, lower=second.lower,
                                      upper=second.upper,
                                      causal=chain_truth["causal"]["retention_on_customer"]))
print(_("caveat: {caveat}").format(caveat=_(chain.attrs["caveat"])))

# %% [markdown]
# ## 7. Does the program pay? Its lifts in lifetime value
#
# A program pays when the lifetime value it adds exceeds what it costs. From the randomized
# pilot, `programs.pilot_terms` reads the control members' margin per month and monthly
# retention, the program's lift in margin and cut in dropout, and the rewards members
# redeem; `programs.program_value` values them with lesson 04a's retention model over
# `horizon_months`, discounted, less the set-up, the rewards and the running cost. A
# bootstrap redraws the pilot's members for an interval, and the same computation on the
# self-selected design's naive comparison shows what it would have claimed:

# %%
money = {"operating_cost": operating_cost, "setup_cost": setup_cost,
         "discount_rate": discount_rate, "horizon": horizon_months}
terms = programs.pilot_terms(randomized_panel, randomized, post_from=launch,
                             margin_rate=margin_rate)
pays = programs.program_value(**terms.value_arguments(), **money)
naive_terms = programs.pilot_terms(chosen_panel, chosen, post_from=launch,
                                   margin_rate=margin_rate)
naive_pays = programs.program_value(**naive_terms.value_arguments(), **money)
draws = programs.bootstrap_program_value(randomized_panel, randomized, post_from=launch,
                                         margin_rate=margin_rate, replicates=bootstrap_replicates,
                                         seed=seed, **money)
decision = programs.rollout_decision(draws["net_value"], rollout_members,
                                     wait_periods=phase_months, discount_rate=discount_rate,
                                     cost_of_waiting=phase_cost)

# %%
# NBVAL_CHECK_OUTPUT
low, high = draws["net_value"].quantile([0.025, 0.975])
print(_("randomized pilot: margin per active member-month {margin:+.1%}, monthly dropout "
        "{dropout:+.0%} (relative), rewards {rewards:.0f} MXN per active member-month").format(
    margin=terms.margin_lift, dropout=-terms.dropout_reduction, rewards=terms.reward_cost))
roi_low, roi_high = draws["roi"].quantile([0.025, 0.975])
print(_("  per enrolled member, margin over {months} months discounted at {rate:.0%} a year: "
        "CLV added {added:,.0f} MXN, cost {cost:,.0f} MXN, net {net:+,.0f} MXN (95% {low:+,.0f} "
        "to {high:+,.0f}); ROI = net / cost {roi:+.0%} (95% {roi_low:+.0%} to "
        "{roi_high:+.0%})").format(
    months=horizon_months, rate=discount_rate, added=pays.incremental_clv, cost=pays.cost,
    net=pays.net_value, low=low, high=high, roi=pays.roi, roi_low=roi_low, roi_high=roi_high))
paid_back = draws["payback_period"].dropna()
payback = (_("  pays back within {months} months in {share:.0%} of the redraws (median "
             "{median:.0f} months, 95% {low:.0f} to {high:.0f})") if len(paid_back)
           else _("  pays back within {months} months in {share:.0%} of the redraws"))
print(payback.format(months=horizon_months, share=len(paid_back) / len(draws),
                     median=paid_back.median(), low=paid_back.quantile(0.025),
                     high=paid_back.quantile(0.975)))
print(_("naive self-selected comparison: margin lift {lift:+.0%}, net {net:+,.0f} MXN, ROI "
        "{roi:+.0%}").format(lift=naive_terms.margin_lift, net=naive_pays.net_value,
                             roi=naive_pays.roi))
print(_("next phase for {members:,} members (mean net over the redraws {mean:+,.0f} MXN each): "
        "roll out now {now:+,.0f} MXN, another {months}-month phase at {cost:,.0f} MXN first "
        "{wait:+,.0f} MXN; P(pays) {probability:.0%} -> {decision}").format(
    members=rollout_members, mean=draws["net_value"].mean(), now=decision["roll_out_now"],
    months=phase_months, cost=phase_cost, wait=decision["wait"],
    probability=decision["probability_pays"], decision=display_value(decision["decision"])))

# %%
ax = pplot.plot_net_value(draws, naive=naive_pays.net_value)
ax.set_title(_("Net value per member over redraws of the randomized pilot"))
ax.figure.tight_layout()

# %% [markdown]
# Read the lines together. The naive comparison of the self-selected members claims a
# large lift and a high return; the randomized pilot measures the real lift, and whether
# that pays depends on the program's costs — the rewards members redeem above all, since
# heavy buyers redeem the most without buying more. When the interval of the net value
# straddles zero, the expected value of rolling out now (the mean net value of the redraws,
# times the members) is weighed against running another phase first and rolling out only
# if it pays. That assumes the phase would settle the question, so it is an upper bound on
# what waiting is worth; its cost and the months of delay are subtracted. When every
# redraw loses money, or the phase costs more than the doubt is worth, the answer is to
# stop or to roll out. That is the notes' "be prudent", in numbers.

# %% [markdown]
# ## Key takeaways
#
# * Pilot first: size the pilot from your own data's variance, randomize within strata,
#   check balance, and check the power formula against a simulation of the design.
# * Measure rigorously: a randomized difference is unbiased; the pre-period narrows its
#   interval (CUPED, ANCOVA); subgroup effects need a multiple-comparison correction.
# * Members who choose to join look better whatever the program does: the naive
#   comparison overstated the effect several times, as Leenheer et al. (2007) found.
#   Difference-in-differences recovers it when trends are parallel (check them with an
#   event study); propensity scores recover it when the covariates hold what members
#   chose on, and a regression on the pre-period narrows their interval.
# * Implement in phases, and estimate a phased rollout against the not-yet-treated:
#   two-way fixed effects can mislead when the effect grows with time in the program.
# * Recovering complainers and following up a sale are randomized yes/no programs: a
#   difference in shares with its interval, and its value in CLV. The service-profit chain
#   across stores is observational.
# * A program pays when the lifetime value it adds exceeds its cost; with an interval that
#   straddles zero, compare rolling out now with waiting for another phase.
#
# **Exercises:** [`exercises/06_program_evaluation.ipynb`](../exercises/06_program_evaluation.ipynb) (five exercises with self-checks,
# one of them a decision — roll out, wait or stop — scored by its expected value, and one in
# your own words).
