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
# # Exercises 02 · Customer differentiation
#
# Six short exercises on lesson 02. Write the body of each function, run its cell, then run
# the check below it: it says **Right**, or **Wrong, because …** with a hint. The checks run
# your function on the kit's data, so write it for any data of the same shape, not for one
# number. Use pandas; the point is to compute each measure yourself, not to call
# `relmark_lab.differentiate`.

# %% tags=["parameters"]
data_dir = None  # None means the datasets/ folder of the kit

# %%
import pandas as pd

import relmark_lab as rl
from relmark_lab import differentiate as dif
from relmark_lab.checks import differentiate as check

transactions = rl.datasets.load_transactions(data_dir)
observation_end = rl.datasets.load_truth(data_dir)["observation_end"]  # last observed day
customers = rl.datasets.load_customers(data_dir)
contacts = rl.datasets.load_voice_of_customer(data_dir)
survey = rl.datasets.load_survey(data_dir)
profitability = dif.customer_profitability(transactions, observation_end, customers=customers,
                                           contacts=contacts)

# %% [markdown]
# ## Exercise 02.1 — net promoter score
#
# `survey["recommend"]` holds the answers (0–10) to "How likely are you to recommend us?".
# Return the net promoter score in points: 100 × (share of promoters, 9–10, minus share of
# detractors, 0–6).


# %%
def net_promoter_score(survey):
    ### BEGIN SOLUTION
    answers = survey["recommend"]
    return 100 * ((answers >= 9).mean() - (answers <= 6).mean())
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.net_promoter_score(net_promoter_score, data_dir)

# %% [markdown]
# ## Exercise 02.2 — value-destroying customers
#
# `profitability` has one row per customer with their `profit` (gross margin minus cost to
# serve, MXN). Return the **share of customers** who destroy value (profit below zero), a
# number between 0 and 1.


# %%
def value_destroying_share(profitability):
    ### BEGIN SOLUTION
    return (profitability["profit"] < 0).mean()
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.value_destroying_share(value_destroying_share, data_dir)

# %% [markdown]
# ## Exercise 02.3 — Reinartz–Kumar quadrants
#
# `frame` has `customer_id`, `profit` and `projected_loyalty`. A customer is *high* on a
# measure when strictly above its median. Return a Series indexed by quadrant — `"true
# friends"` (high profit, high loyalty), `"butterflies"` (high profit, low loyalty),
# `"barnacles"` (low profit, high loyalty), `"strangers"` (low, low) — with the number of
# customers in each.

# %%
frame = profitability[["customer_id", "profit"]].merge(
    dif.projected_loyalty(transactions, observation_end)[["customer_id", "projected_loyalty"]],
    on="customer_id",
)


def quadrant_counts(frame):
    ### BEGIN SOLUTION
    high_profit = frame["profit"] > frame["profit"].median()
    high_loyalty = frame["projected_loyalty"] > frame["projected_loyalty"].median()
    return pd.Series({
        "true friends": (high_profit & high_loyalty).sum(),
        "butterflies": (high_profit & ~high_loyalty).sum(),
        "barnacles": (~high_profit & high_loyalty).sum(),
        "strangers": (~high_profit & ~high_loyalty).sum(),
    })
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.quadrant_counts(quadrant_counts, data_dir)

# %% [markdown]
# ## Exercise 02.4 — a VIP component as a z-score
#
# Purchase frequency is one of the five VIP components. Count each customer's **purchase
# orders** (distinct `order_id` among lines with `amount > 0`: in the kit's data a return
# has an order id of its own and comes on a later day, so it never undoes an order) and
# return its z-score, `(orders − mean) / standard deviation`, with the population standard
# deviation (`ddof=0`), as a Series indexed by `customer_id`.


# %%
def frequency_zscore(transactions):
    ### BEGIN SOLUTION
    purchases = transactions[transactions["amount"] > 0]
    orders = purchases.groupby("customer_id")["order_id"].nunique()
    return (orders - orders.mean()) / orders.std(ddof=0)
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.frequency_zscore(frequency_zscore, data_dir)

# %% [markdown]
# ## Exercise 02.5 — the wallet left on the table
#
# `spend` has each customer's `spend_per_year` with us (MXN per year). The survey's
# `share_of_wallet` is the share of their spending in our categories that comes to us.
# Return the total MXN per year that the surveyed customers spend with competitors:
# the sum of `spend × (1/share − 1)`. Leave out answers with a share of 0 (their wallet is
# unknown).

# %%
spend = dif.annual_spend(transactions, observation_end)


def wallet_left_on_table(survey, spend):
    ### BEGIN SOLUTION
    merged = survey.merge(spend, on="customer_id")
    merged = merged[merged["share_of_wallet"] > 0]
    left = merged["spend_per_year"] * (1 / merged["share_of_wallet"] - 1)
    return left.sum()
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.wallet_left_on_table(wallet_left_on_table, data_dir)

# %% [markdown]
# ## Exercise 02.6 — mass media or direct marketing?
#
# `channels` lists channels with their `cost_per_contact` (MXN) and `response_rate`. For a
# value tier whose response is worth `value` MXN, return the **name** of the channel with the
# highest expected net value per contact, `response_rate × value − cost_per_contact`.

# %%
channels = dif.DEFAULT_CHANNELS


def best_channel(value, channels):
    ### BEGIN SOLUTION
    net = channels["response_rate"] * value - channels["cost_per_contact"]
    return channels.loc[net.idxmax(), "channel"]
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.best_channel(best_channel)

# %% [markdown]
# ## Exercise 02.7 — in your own words
#
# The whale curve says that about a third of the kit's customers destroy value. Give two
# reasons not to end all those relationships at once, and one thing to do instead.
#
# ### BEGIN SOLUTION
# (1) Past profit is not future profit: almost half of the value destroyers have placed only
# one or two orders, and some of them will grow. (2) Part of the loss is a cost model choice (the price of an
# order) and the acquisition cost is sunk; ending the relationship only saves the future cost
# to serve. Instead, lower the cost of serving them — a minimum order, online-only service,
# mass-media rather than direct contacts — and end the relationship only for customers who
# stay unprofitable on those terms.
# ### END SOLUTION
