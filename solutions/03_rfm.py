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
# # Exercises 03 · RFM analysis
#
# Six exercises on lesson 03: the three measures, the scores, named segments, a targeted
# campaign and micro-segments. Write the body of each function, run its cell, then run
# the check below it: it says **Right**, or **Wrong, because …** with a hint. The checks
# run your function on the kit's data, so write it for any data of the same shape.

# %% tags=["parameters"]
data_dir = None  # None means the datasets/ folder of the kit

# %%
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

import relmark_lab as rl
from relmark_lab import rfm
from relmark_lab.checks import rfm as check
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
# day). The `date` column holds times of day too.


# %%
def recency_in_days(transactions, observation_end):
    ### BEGIN SOLUTION
    purchases = transactions[transactions["amount"] > 0]
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
# equal-sized groups, **5 for the most recent** customers. Break ties in the order of the
# rows (`rank(method="first")`), and give the customer of rank *i* among *n* the score
# `1 + floor(5 (i − 1) / n)`.


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
# matches wins):
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

# %%
cells = campaign_cells(data_dir)
cells.head()


# %%
def rollout_profit(cells, cost_per_contact, profit_per_response):
    ### BEGIN SOLUTION
    break_even = cost_per_contact / profit_per_response
    chosen = cells[cells["test_responses"] / cells["test_contacts"] >= break_even]
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
# ## Exercise 03.7 — in your own words
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
# ### END SOLUTION
