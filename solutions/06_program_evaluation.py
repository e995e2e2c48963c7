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
# # Exercises 06 · Program evaluation: pilot size, balance, effects, the next phase
#
# Six exercises on lesson 06: how many members a pilot (prueba piloto) needs, whether
# the members who joined a program look like those who did not, the program's effect by
# difference-in-differences, the effect of calling complainers back, a decision (roll the
# program out, run another phase first, or stop) and one answer in your own words. Write
# the body of each function, run its cell, then run the check below it: it says
# **Right**, or **Wrong, because …** with a hint. Each check runs your function on the
# lesson's numbers and data **and on numbers and data you have not seen**, so write it for
# any input of the same shape: fixed numbers do not pass.

# %% tags=["parameters"]
data_dir = None  # None means the datasets/ folder of the kit
language = "en"  # "en" or "es": the language of the kit's messages, labels and numbers

# %%
from relmark_lab.lessons import Folder, check_parameters, use_lesson_display

use_lesson_display(language=language)

check_parameters(data_dir=Folder(data_dir))

# %%
import numpy as np
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

import relmark_lab as rl
from relmark_lab import programs
from relmark_lab.checks import programs as check
from relmark_lab.datasets.practice import (
    DISCOUNT_RATE,
    PHASE_MONTHS,
    ROLLOUT_MEMBERS,
    pilot_net_values,
)
from relmark_lab.i18n import display_value
from relmark_lab.i18n import gettext as _

members = rl.datasets.load_pilot_members(data_dir)
panel = rl.datasets.load_loyalty_pilot(data_dir)
complaints = rl.datasets.load_complaint_recovery(data_dir)
truth = rl.datasets.load_truth(data_dir)["programs"]
launch = truth["launch_month"]
self_selected = members[members["design"] == "self_selected"].reset_index(drop=True)

# %% [markdown]
# ## Exercise 06.1 — how many members must the pilot enrol?
#
# A retention program is meant to raise the share of members still buying a year later
# from `baseline` to `baseline + lift` (shares as fractions: 0.20 for 20%). Return the
# **members per arm** (a float, not rounded up) that a **two-sided** test at level `alpha`
# needs to detect that rise with probability `power`, with equal arms. Measure the rise
# with Cohen's h, `proportion_effectsize(baseline + lift, baseline)`, and solve for the
# arm's size with statsmodels' `NormalIndPower().solve_power`. The check uses the lesson's
# 20% → 25%, the shares the complaint and follow-up programs were designed around, and
# combinations you have not seen.


# %%
def members_per_arm(baseline, lift, alpha=0.05, power=0.8):
    ### BEGIN SOLUTION
    h = proportion_effectsize(baseline + lift, baseline)
    return NormalIndPower().solve_power(effect_size=h, nobs1=None, alpha=alpha, power=power,
                                        ratio=1.0)
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.members_per_arm(members_per_arm)

# %% [markdown]
# The package sizes the same pilot and says how many to enrol (rounded up); a pilot of
# 1,000 per arm detects at best a rise to about 25.2%:

# %%
print(programs.sample_size(0.05, kind="proportions", baseline=0.20))
print(programs.minimum_detectable_effect(1000, kind="proportions", baseline=0.20))

# %% [markdown]
# ## Exercise 06.2 — did the members who joined look like the others?
#
# In the self-selected design members chose to join (`enrolled` 1) or not (0). Before any
# effect is measured, compare the two groups on what they did **before** the program.
# Return the **standardized mean difference** (SMD) of `covariate` between the rows of
# `frame` with `treatment` 1 and those with 0:
#
# $$\text{SMD} = \frac{\bar x_{\text{treated}} - \bar x_{\text{control}}}
#   {\sqrt{(s^2_{\text{treated}} + s^2_{\text{control}}) / 2}},$$
#
# with each group's **sample** variance $s^2$ (divided by n − 1). An |SMD| above 0.1 is
# the usual sign that the groups differ.

# %%
self_selected[["member_id", "tier", "tenure_months", "prior_orders", "prior_spend",
               "prior_year_orders", "enrolled"]].head()


# %%
def standardized_difference(frame, treatment, covariate):
    ### BEGIN SOLUTION
    by_group = frame.groupby(treatment)[covariate]
    means, variances = by_group.mean(), by_group.var()
    return (means[1] - means[0]) / np.sqrt((variances[1] + variances[0]) / 2)
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.standardized_difference(standardized_difference, data_dir)

# %% [markdown]
# The package's balance table, for the self-selected members and for the randomized ones:
# randomization balances the groups, choosing to join does not.

# %%
covariates = ["prior_spend", "prior_orders", "prior_year_orders", "tenure_months"]
randomized = members[members["design"] == "randomized"]
balance = {design: programs.balance_table(frame, "enrolled", covariates)
           .set_index("covariate")["smd"] for design, frame in
           [("self_selected", self_selected), ("randomized", randomized)]}
print({design: smd.round(3).to_dict() for design, smd in balance.items()})

# %% [markdown]
# ## Exercise 06.3 — the program's effect, difference-in-differences
#
# `panel` has one row per member and month (`month` written `"YYYY-MM"`) with the member's
# `orders`, for the members of all three designs; `members` is one design's members, with
# `enrolled` 0/1. The program started in `post_from` (the lesson's `"2024-07"`): months from
# `post_from` on are **after**, earlier months **before**. Return the program's effect on
# **orders per member-month** by difference-in-differences (diferencias en diferencias),
# with means over member-months of the members in `members` only:
#
# (enrolled after − enrolled before) − (not enrolled after − not enrolled before).
#
# The check passes the self-selected members, of the lesson's panel and of panels you have
# not seen.

# %%
panel.head()


# %%
def difference_in_differences(panel, members, post_from):
    ### BEGIN SOLUTION
    rows = panel.merge(members[["member_id", "enrolled"]], on="member_id")
    after = rows["month"] >= post_from
    means = rows.groupby([rows["enrolled"], after])["orders"].mean()
    return (means[1, True] - means[1, False]) - (means[0, True] - means[0, False])
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.difference_in_differences(difference_in_differences, data_dir)

# %% [markdown]
# The package fits the same number as the interaction of `orders ~ treated * post`, with a
# standard error clustered by member; the naive comparison after the launch is several
# times larger:

# %%
rows = panel[panel["member_id"].isin(self_selected["member_id"])]
naive = programs.naive_difference(rows, self_selected, "orders", post_from=launch)
did = programs.difference_in_differences(rows, self_selected, "orders", post_from=launch)
print(_("naive: {naive}\nDiD:   {did}\ntrue effect on the enrolled (the simulator's): "
        "{truth:.3f} orders per member-month").format(
    naive=naive, did=did, truth=truth["self_selected"]["att"]["orders"]))

# %% [markdown]
# ## Exercise 06.4 — does calling complainers back keep them?
#
# Complainers were randomized to a fast personal call-back (`group` "call_back") or the
# usual process ("usual"); `retained` is 1 if they still bought six months later. Return
# the program's **effect on the share retained**, call-back minus usual, as a fraction
# (0.05 for 5 percentage points).

# %%
complaints.head()


# %%
def recovery_effect(cases):
    ### BEGIN SOLUTION
    share = cases.groupby("group")["retained"].mean()
    return share["call_back"] - share["usual"]
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.recovery_effect(recovery_effect, data_dir)

# %% [markdown]
# With its interval (Newcombe's, which behaves well near 0 and 1):

# %%
print(programs.proportion_effect(complaints, "retained", group="group", treated="call_back"))

# %% [markdown]
# ## Exercise 06.5 — roll out, run another phase, or stop? (a decision)
#
# The randomized pilot was valued in customer terms, as in the lesson: each member's extra
# lifetime margin over 24 months less the rewards and the running cost, in MXN (here with a
# margin of 30% of revenue and no set-up cost, so the numbers differ a little from the
# lesson's). Redrawing
# the pilot's members (a bootstrap) gives `net_values`, one draw of the **net value per
# member** each, so they show how sure the pilot is. The program would next enrol
# `members` members. Return `"roll out"`, `"wait for another phase"` or `"stop"`:
#
# - rolling out now earns `members` × the mean net value, good draws and bad;
# - another phase of `wait_periods` **months** would settle the question, and the program
#   would then be rolled out only if it pays: it earns `members` × the mean of the draws
#   with the losses set to 0, **discounted** over the wait at `discount_rate` **a year**;
# - stopping earns nothing.
#
# The check scores your choice by its expected value against the best choice's, on the
# lesson's draws and on draws you have not seen; it passes at 95% of the best.

# %%
net_values = pilot_net_values(data_dir)
print(_("{draws} draws of the net value per member: mean {mean:,.0f} MXN, {positive:.0%} of "
        "them positive; {members:,} members next, another phase takes {months} months, "
        "{rate:.0%} a year").format(
    draws=len(net_values), mean=net_values.mean(), positive=(net_values > 0).mean(),
    members=ROLLOUT_MEMBERS, months=PHASE_MONTHS, rate=DISCOUNT_RATE))


# %%
def next_phase(net_values, members, wait_periods, discount_rate):
    ### BEGIN SOLUTION
    monthly_rate = (1 + discount_rate) ** (1 / 12) - 1
    roll_out = members * np.mean(net_values)
    wait = members * np.mean(np.maximum(net_values, 0)) / (1 + monthly_rate) ** wait_periods
    if max(roll_out, wait) <= 0:
        return "stop"
    return "roll out" if roll_out >= wait else "wait for another phase"
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.next_phase(next_phase, data_dir)

# %% [markdown]
# The package's rule gives the expected value of each choice:

# %%
choice = programs.rollout_decision(net_values, ROLLOUT_MEMBERS, wait_periods=PHASE_MONTHS,
                                   discount_rate=DISCOUNT_RATE)
print(_("roll out now: {now:,.0f} MXN; wait: {wait:,.0f} MXN; decision: {decision}").format(
    now=choice["roll_out_now"], wait=choice["wait"], decision=display_value(choice["decision"])))

# %% [markdown]
# ## Exercise 06.6 — in your own words
#
# Members of the self-selected loyalty program bought more than non-members (exercise 06.3
# and the numbers below, orders per member-month after the launch).

# %%
means = naive.details
head_start = programs.balance_table(self_selected, "enrolled", ["prior_orders"])["smd"].iloc[0]
print(_("after the launch: members {members:.2f}, non-members {others:.2f} orders per "
        "member-month (naive difference {naive:.2f}); before it the gap was already {gap:.2f} SD "
        "of prior orders; difference-in-differences {did:.2f}; the simulator's true effect "
        "{truth:.2f}").format(
    members=means["mean_treated"], others=means["mean_control"], naive=naive.estimate,
    gap=head_start, did=did.estimate, truth=truth["self_selected"]["att"]["orders"]))

# %% [markdown]
# Members of the self-selected loyalty program bought more than non-members. Why does that
# not prove the program works, and what did the lesson do instead?
#
# ### BEGIN SOLUTION
# Because the members chose to join. Who joins is not random: heavy buyers enrol first, since
# they collect the most rewards for what they would buy anyway (personal gain), so members
# bought more **before** the program as well (here their prior orders were 0.85 standard
# deviations above the others'). The naive comparison after the launch, 1.54 more orders per
# member-month, adds that head start to the program's effect. Leenheer et al. (2007) found
# the naive estimate about seven times too large once membership is treated as a choice, and
# Liu (2007) that heavy buyers claim most rewards without changing what they buy.
#
# The lesson removed the selection three ways: difference-in-differences subtracts each
# group's own before-launch level, so a head start that stays the same cancels (0.33 here,
# under parallel trends, checked with an event study); propensity scores weight or match
# non-members to look like members on what they did before; and a randomized pilot makes
# the groups alike by construction. Because the kit's data are simulated, each estimate
# could be compared with the true effect (0.24 orders per member-month): the naive number is
# more than six times too large, the others far closer. Finally, an effect is not yet a return: the
# lesson turned the randomized pilot's lifts into incremental customer lifetime value less
# the rewards and running costs (ROI in CLV terms, with payback) and decided from the
# uncertainty whether to roll out, run another phase or stop.
#
# **Rubric** (4 points): a full answer names
#
# - self-selection: members are not like non-members, heavy buyers join for the personal
#   gain of rewards on what they buy anyway, so the naive gap mixes a head start with the
#   effect (Leenheer et al.'s naive estimate about 7 times too large, or Liu's heavy buyers)
#   (1 point);
# - what removes it: difference-in-differences (each group against its own past, parallel
#   trends), propensity scores (weighting or matching on pre-period behaviour) or a
#   randomized pilot (1 point);
# - the check against the truth: on the kit's simulated data the naive estimate is several
#   times the true effect while DiD, weighting and randomization come far closer (1 point);
# - that an effect is valued as a return: incremental CLV less rewards and costs (ROI,
#   payback) before rolling out, phase by phase (1 point).
# ### END SOLUTION
