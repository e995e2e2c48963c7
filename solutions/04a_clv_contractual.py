# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercises 04a · Customer lifetime value I: margin multiple, cohorts, sBG
#
# Four exercises on lesson 04a: the margin multiple, the sBG retention rate, a retention
# projection and a cohort table. Write the body of each function, run its cell, then run
# the check below it: it says **Right**, or **Wrong, because …** with a hint. The checks
# run your function on several cases or on the lesson's data, so write it for any input of
# the same shape.

# %% tags=["parameters"]
data_dir = None  # None means the datasets/ folder of the kit

# %%
import numpy as np  # noqa: F401 (for your answers)
import pandas as pd  # noqa: F401 (for your answers)

import relmark_lab as rl
from relmark_lab import clv
from relmark_lab.checks import clv as check

cohorts = rl.datasets.load_sbg_cohorts()
transactions = rl.datasets.load_transactions(data_dir)

# %% [markdown]
# ## Exercise 04a.1 — the margin multiple
#
# A customer brings a margin `margin` per period, stays each period with probability
# `retention_rate`, and money is discounted at `discount_rate` per period. Return their
# lifetime value over an infinite horizon when the **first margin comes one period from
# now, and only if the customer is retained**. Write the formula yourself.


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
# `n_alive` is a Series indexed by year (0 to 7) with the survivors of a cohort, as in
# `cohorts.query("segment == 'high_end' and year <= 7")`. Fit the sBG model on it and
# return the **expected survivors of years 8 to 12** as a Series indexed by year. Do not
# round.

# %%
high_end = cohorts.query("segment == 'high_end' and year <= 7").set_index("year")["n_alive"]
high_end


# %%
def project_survivors(n_alive):
    ### BEGIN SOLUTION
    model = clv.ShiftedBetaGeometric().fit(n_alive)
    projected = model.expected_alive(12, cohort_size=n_alive.iloc[0]).set_index("period")
    return projected.loc[8:12, "n_alive"]
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.project_survivors(project_survivors)

# %% [markdown]
# ## Exercise 04a.4 — a cohort table by hand
#
# A customer's cohort is the quarter of their first purchase (a line with `amount > 0`;
# in the kit's data a return comes later under its own order number, so it never undoes a
# purchase). Return, for each cohort, the **share of its customers who bought (amount > 0)
# in the quarter right after it** — a Series indexed by the cohort as text (`"2023Q1"`,
# …). Use pandas, not `clv.cohort_retention_table` (you can use it to compare).


# %%
def next_quarter_retention(transactions):
    ### BEGIN SOLUTION
    purchases = transactions[transactions["amount"] > 0]
    quarter = purchases["date"].dt.to_period("Q")
    cohort = quarter.groupby(purchases["customer_id"]).transform("min")
    next_quarter = quarter == cohort + 1
    retained = purchases.loc[next_quarter, "customer_id"].groupby(
        cohort[next_quarter]).nunique()
    sizes = purchases["customer_id"].groupby(cohort).nunique()
    share = (retained / sizes).fillna(0.0)
    return share.set_axis(share.index.astype(str))
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.next_quarter_retention(next_quarter_retention, data_dir)

# %% [markdown]
# ## Exercise 04a.5 — in your own words
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
# ### END SOLUTION
