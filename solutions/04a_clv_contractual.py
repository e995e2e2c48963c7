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
# # Exercises 04a · Customer lifetime value I: margin multiple, cohorts, sBG
#
# Six exercises on lesson 04a: the margin multiple, the sBG retention rate, a retention
# projection, a cohort table, a decision about how much to spend to keep a subscriber, and
# one in your own words. Write the body of each function, run its cell, then run the check
# below it: it says **Right**, or **Wrong, because …** with a hint. Each check runs your
# function on the lesson's cases and data **and on numbers and data you have not seen**,
# so write it for any input of the same shape: fixed numbers do not pass.

# %% tags=["parameters"]
data_dir = None  # None means the datasets/ folder of the kit
language = "en"  # "en" or "es": the language of the kit's messages, labels and numbers

# %%
from relmark_lab.lessons import Folder, check_parameters, use_lesson_display

use_lesson_display(language=language)

check_parameters(data_dir=Folder(data_dir))

# %%
import numpy as np  # noqa: F401 (for your answers)
import pandas as pd  # noqa: F401 (for your answers)

import relmark_lab as rl
from relmark_lab import clv, units  # noqa: F401 (for your answers)
from relmark_lab.checks import clv as check

cohorts = rl.datasets.load_sbg_cohorts()
transactions = rl.datasets.load_transactions(data_dir)
observation_end = rl.datasets.load_truth(data_dir)["observation_end"]

# %% [markdown]
# ## Exercise 04a.1 — the margin multiple
#
# A customer brings a margin `margin` per period, stays each period with probability
# `retention_rate` (a fraction, 0.8 for 80%), and money is discounted at `discount_rate`
# per period (a fraction too). Return their lifetime value over an infinite horizon when
# the **first margin comes one period from now, and only if the customer is retained**.
# Write the formula yourself.


# %%
def clv_margin_multiple(margin, retention_rate, discount_rate):
    ### BEGIN SOLUTION
    return margin * retention_rate / (1 + discount_rate - retention_rate)
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.clv_margin_multiple(clv_margin_multiple)

# %% [markdown]
# ## Exercise 04a.2 — retention rises with tenure
#
# In the sBG model the churn probability θ of a customer follows a Beta(α, β)
# distribution. Return the **retention rate in period t** (t = 1, 2, …): the share of the
# customers alive at the end of period t − 1 who are still customers at the end of
# period t.


# %%
def sbg_retention_rate(alpha, beta, t):
    ### BEGIN SOLUTION
    return (beta + t - 1) / (alpha + beta + t - 1)
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.sbg_retention_rate(sbg_retention_rate)

# %% [markdown]
# ## Exercise 04a.3 — project the survivors
#
# `n_alive` is a Series indexed by year (0, 1, …, k) with the survivors of a cohort, as
# in `cohorts.query("segment == 'high_end' and year <= 7")`; it records that its periods
# are years. Fit the sBG model on it and return the **expected survivors of the five years
# after the last one observed** (years 8 to 12 for the cohort below) as a Series indexed
# by year: what the model expects of the whole cohort, in customers. Do not round.

# %%
high_end = cohorts.query("segment == 'high_end' and year <= 7").set_index("year")["n_alive"]
high_end


# %%
def project_survivors(n_alive):
    ### BEGIN SOLUTION
    model = clv.ShiftedBetaGeometric().fit(n_alive)
    last = int(n_alive.index.max())
    projected = model.expected_alive(last + 5, cohort_size=n_alive.iloc[0]).set_index("period")
    return projected.loc[last + 1:, "n_alive"]
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.project_survivors(project_survivors)

# %% [markdown]
# ## Exercise 04a.4 — a cohort table by hand
#
# `transactions` holds the lines up to `observation_end`, the last observed day. A
# customer's cohort is the calendar quarter of their first purchase (a line with
# `amount > 0`; in the kit's data a return comes later under its own order number, so it
# never undoes a purchase). Return, for each cohort, the **share of its customers who
# bought (amount > 0) in the calendar quarter right after it** — a Series indexed by the
# cohort as text (`"2023Q1"`, …). A cohort whose next quarter starts after
# `observation_end` has not been observed yet: leave it out. Use pandas, not
# `clv.cohort_retention_table`.


# %%
def next_quarter_retention(transactions, observation_end):
    ### BEGIN SOLUTION
    purchases = transactions[transactions["amount"] > 0]
    quarter = purchases["date"].dt.to_period("Q")
    cohort = quarter.groupby(purchases["customer_id"]).transform("min")
    next_quarter = quarter == cohort + 1
    retained = purchases.loc[next_quarter, "customer_id"].groupby(
        cohort[next_quarter]).nunique()
    sizes = purchases["customer_id"].groupby(cohort).nunique()
    share = retained.reindex(sizes.index, fill_value=0) / sizes
    observed = share.index + 1 <= pd.Period(observation_end, "Q")  # the next quarter began
    return share[observed].set_axis(share.index[observed].astype(str))
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.next_quarter_retention(next_quarter_retention, data_dir)

# %% [markdown]
# ## Exercise 04a.5 — decide: the largest retention offer worth making
#
# A rival is poaching your subscribers. A subscriber who gets its offer leaves at once
# unless you match it (a discount of the same amount, paid now). A subscriber you keep
# goes on as before: they decide on their next renewal now, and pay the margin each time
# they renew. Your function gets the sBG fitted on the subscribers' cohort (`model`), the
# renewals a subscriber has made so far, the margin a subscriber brings **per year** and
# the discount rate **per year**; it returns the **largest offer in MXN worth matching**
# for that subscriber.
#
# The check is your decision played out: it matches every rival offer up to your amount,
# for thousands of subscribers of every tenure, and adds up what the kept ones then bring
# (discounted) minus what you paid — on lifetimes drawn from the true model, which you do
# not see. It compares the total with the best policy's. Mind the units: the periods of a
# model are in `model.time_unit_`; the lesson's contracts are yearly, other firms' are not.
# `regular` below is the lesson's fit, to try your function on.

# %%
regular = clv.ShiftedBetaGeometric().fit(
    cohorts.query("segment == 'regular' and year <= 7")["n_alive"])
regular.time_unit_


# %%
def largest_retention_offer(model, renewals, margin_per_year, discount_rate):
    ### BEGIN SOLUTION
    unit = model.time_unit_
    margin = margin_per_year / units.periods_per_year(unit)
    rate = units.convert_rate(discount_rate, "Y", unit)  # compounded, not divided
    return margin * model.expected_residual_lifetime(renewals, rate)
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.largest_retention_offer(largest_retention_offer)

# %% [markdown]
# ## Exercise 04a.6 — in your own words
#
# Your manager computes the retention rate of all customers together this year, 85%, and
# values every customer with the margin multiple at that rate. Say in two or three
# sentences whether that over- or under-values a customer who joined last month and one
# who has been with you for ten years, and why.
#
# ### BEGIN SOLUTION
# The pooled 85% mixes new customers, many of whom leave early, with long-standing ones
# who have already shown they rarely cancel. A new customer's retention is below 85%, so
# the constant rate over-values them; a ten-year customer's is well above it, so it
# under-values them (lesson 04a: after four renewals a regular subscriber is worth about
# twice a new one). Because retention rises with tenure, the sBG's DERL should be used
# per tenure instead of one rate for everybody.
#
# **Rubric** (4 points): a full answer names
#
# * the direction for each customer: the new one is over-valued, the ten-year one
#   under-valued (1 point each, 2 in all);
# * why: customers differ in how likely they are to cancel and the ones who cancel easily
#   leave first, so retention rises with tenure and one pooled rate is too high for the
#   new customer and too low for the loyal one (1 point);
# * what to use instead: a value by tenure, e.g. the sBG's retention by period or its
#   discounted expected residual lifetime (DERL), or at least a rate per cohort or tenure
#   (1 point).
# ### END SOLUTION
