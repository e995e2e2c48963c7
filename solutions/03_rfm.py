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
# # Exercises 03 · RFM analysis
#
# Eight exercises on lesson 03: the three measures, the scores, named segments, a targeted
# campaign, micro-segments, a decision on a budget, and one answer in your own words. Write
# the body of each function, run its cell, then run the check below it: it says **Right**,
# or **Wrong, because …** with a hint. The checks run your function on the kit's data and
# on data you have not seen, so write it for any data of the same shape, not for one
# number.

# %% tags=["parameters"]
data_dir = None  # None means the datasets/ folder of the kit
language = "en"  # "en" or "es": the language of the kit's messages, labels and numbers

# %%
from relmark_lab.lessons import Folder, check_parameters, use_lesson_display

use_lesson_display(language=language)

check_parameters(data_dir=Folder(data_dir))

# %%
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

import relmark_lab as rl
from relmark_lab import rfm
from relmark_lab.checks import rfm as check
from relmark_lab.checks.rfm import budget_campaign
from relmark_lab.datasets.practice import campaign_cells

transactions = rl.datasets.load_transactions(data_dir)
observation_end = pd.Timestamp(rl.datasets.load_truth(data_dir)["observation_end"])
table = rfm.rfm_table(transactions, observation_end)

# %% [markdown]
# ## Exercise 03.1 — frequency
#
# Return a Series indexed by `customer_id` with each customer's number of **orders**. An
# order can have several lines; a return is a negative line with its own `order_id` and is
# not an order. In the kit's data returns come days after the purchase, so they never
# undo an order: the orders are the distinct `order_id` of the lines with `amount > 0`.


# %%
def orders_per_customer(transactions):
    ### BEGIN SOLUTION
    purchases = transactions[transactions["amount"] > 0]
    return purchases.groupby("customer_id")["order_id"].nunique()
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.orders_per_customer(orders_per_customer, data_dir)

# %% [markdown]
# ## Exercise 03.2 — recency in days
#
# Return a Series indexed by `customer_id` with the number of whole calendar days from the
# customer's last **purchase** (a line with `amount > 0`; returns, with their own order
# id and on a later day, never undo one) to `observation_end` (0 if they bought on that
# day). The `date` column holds times of day too. Lines dated after `observation_end` had
# not happened yet on that day: leave them out (the check also tries an earlier end).


# %%
def recency_in_days(transactions, observation_end):
    ### BEGIN SOLUTION
    observed = transactions[transactions["date"] < observation_end + pd.Timedelta(days=1)]
    purchases = observed[observed["amount"] > 0]
    last_day = purchases.groupby("customer_id")["date"].max().dt.normalize()
    return (observation_end - last_day).dt.days
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.recency_in_days(recency_in_days, data_dir)

# %% [markdown]
# ## Exercise 03.3 — the R score
#
# `rfm` has one row per customer, indexed by `customer_id` (sorted), with `recency_days`,
# `frequency` and `monetary`. Return the R score as a Series of integers 1–5: five
# equal-sized groups, **5 for the most recent** customers, ties broken by customer id, cut
# by the kit's rule (R's `ntile`, lesson 03 section 2), so that your scores equal
# `rfm_table`'s `r_score` on any customers, also when their number is not a multiple of 5.


# %%
def r_score(rfm):
    ### BEGIN SOLUTION
    rank = (-rfm["recency_days"]).rank(method="first")
    return 1 + (5 * (rank - 1) // len(rfm)).astype(int)
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.r_score(r_score, data_dir)

# %% [markdown]
# ## Exercise 03.4 — your own segments
#
# `scores` has the columns `r_score`, `f_score` and `m_score`. Return a Series with each
# customer's segment under these rules, tried in this order (the **first** rule that
# matches wins; bounds are included):
#
# | segment | rule |
# |---|---|
# | Champions | R ≥ 4 and F ≥ 4 |
# | Recent | R ≥ 4 |
# | Lapsed | R ≤ 2 |
# | Others | every other customer |


# %%
def three_segments(scores):
    ### BEGIN SOLUTION
    conditions = [
        (scores["r_score"] >= 4) & (scores["f_score"] >= 4),
        scores["r_score"] >= 4,
        scores["r_score"] <= 2,
    ]
    names = np.select(conditions, ["Champions", "Recent", "Lapsed"], default="Others")
    return pd.Series(names, index=scores.index)
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.three_segments(three_segments, data_dir)

# %% [markdown]
# ## Exercise 03.5 — test, then roll out
#
# A campaign costs `cost_per_contact` = 6 MXN per customer and earns
# `profit_per_response` = 80 MXN per customer who answers. A test sample was contacted
# first; `cells` holds, for each R-F cell, the test's contacts and responses and the
# rollout's contacts and responses (the customers not in the test). Roll out to the cells
# whose **test** response rate is at or above the break-even rate, and return the profit
# of that rollout (test not included).
#
# A cell nobody in the test sample belongs to (`test_contacts` = 0; the lesson's campaign
# has one, R = 5 and F = 1) has no test rate, so nothing says it pays: leave it out of the
# rollout. (In a real campaign, test it first.)

# %%
cells = campaign_cells(data_dir)
cells.head()


# %%
def rollout_profit(cells, cost_per_contact, profit_per_response):
    ### BEGIN SOLUTION
    break_even = cost_per_contact / profit_per_response
    tested = cells[cells["test_contacts"] > 0]
    chosen = tested[tested["test_responses"] / tested["test_contacts"] >= break_even]
    return (chosen["rollout_responses"] * profit_per_response
            - chosen["rollout_contacts"] * cost_per_contact).sum()
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.rollout_profit(rollout_profit, data_dir)

# %% [markdown]
# ## Exercise 03.6 — how many micro-segments?
#
# Return a Series indexed by k = 2, 3, 4, 5 with the silhouette of k-means on the
# customers' **standardized log** RFM: take `np.log1p` of `recency_days`, `frequency` and
# `monetary`, standardize with `StandardScaler`, fit
# `KMeans(n_clusters=k, random_state=0, n_init=10)` and score with `silhouette_score`.


# %%
def silhouette_by_k(rfm):
    ### BEGIN SOLUTION
    features = StandardScaler().fit_transform(np.log1p(rfm))
    values = {}
    for k in range(2, 6):
        labels = KMeans(n_clusters=k, random_state=0, n_init=10).fit_predict(features)
        values[k] = silhouette_score(features, labels)
    return pd.Series(values)
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.silhouette_by_k(silhouette_by_k, data_dir)

# %% [markdown]
# ## Exercise 03.7 — whom to mail on a budget (a decision)
#
# A new offer costs `cost_per_contact` = 6 MXN a letter and earns `profit_per_response` =
# 80 MXN per answer, and marketing has a `budget` of 3,000 MXN. Last spring's catalogue
# went to every customer: `last_campaign` has, per R-F cell, how many were mailed
# (`contacts`) and how many answered (`responses`). `candidates` has every customer's
# `customer_id` and scores. **Decide whom to mail**: return the list of the `customer_id`s
# you would send the offer to, spending at most the budget.
#
# The check scores your decision by the profit it earns on simulated mailings you never
# see (the lesson's response model), on these customers and on new ones with other costs
# and another budget, and says how far it is from the best decision the last campaign
# supports. It passes at 95% of it.

# %%
candidates, last_campaign = budget_campaign(data_dir)
rates = last_campaign["responses"] / last_campaign["contacts"]
last_campaign.assign(rate=rates.map("{:.1%}".format)).head()


# %%
def choose_customers(candidates, last_campaign, cost_per_contact, profit_per_response, budget):
    ### BEGIN SOLUTION
    rate = (last_campaign["responses"] / last_campaign["contacts"]).rename("rate")
    ranked = candidates.join(rate, on=["r_score", "f_score"])
    paying = ranked[ranked["rate"] >= cost_per_contact / profit_per_response]
    best_first = paying.sort_values("rate", ascending=False, kind="stable")
    return list(best_first["customer_id"].iloc[: int(budget // cost_per_contact)])
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.choose_customers(choose_customers, data_dir)

# %% [markdown]
# ## Exercise 03.8 — in your own words
#
# The highest silhouette is at k = 2, yet the lesson uses four clusters. Give one reason
# for and one against choosing four, and say which named segments you would contact first
# with a win-back offer, and why.
#
# ### BEGIN SOLUTION
# *For four:* two clusters only split active from inactive customers, which any R score
# does; four separate the lapsed high-value customers from the cheap lapsed ones, and the
# silhouette has a local peak at four. *Against:* the groups overlap more (lower
# silhouette) and may move when the data change. *Win-back first:* "Can't Lose Them" and
# "At Risk" — they used to buy often and spend a lot, they have not yet been lost for
# good (two in five At Risk customers are Lost a year later), and each one won back is
# worth far more than a Hibernating or Lost customer.
#
# **Rubric** (4 points): a full answer names
#
# - *for four*: a reason in marketing terms, e.g. two clusters only split active from
#   inactive customers (what R already says), while four separate groups one would treat
#   differently (lapsed big spenders from cheap lapsed customers), or the silhouette's
#   local peak at four;
# - *against four*: a cost, e.g. a lower silhouette (groups overlap more), clusters that
#   move when the data change, or more groups to run campaigns for;
# - *which segments*: "Can't Lose Them" and/or "At Risk" (not "Lost" or "Hibernating");
# - *why*: they were frequent, high spenders (high F and M) who have not bought for a while
#   but are not gone yet, so a contact can still bring back a lot of value (e.g. two in
#   five At Risk customers are Lost a year later).
# ### END SOLUTION
