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
# # Exercises 02 · Customer differentiation
#
# Ten exercises on lesson 02: NPS, value destroyers, the Reinartz–Kumar quadrants, a VIP
# component, the wallet left on the table, the best channel for a tier, a decision on a
# contact budget, a decision on which weapon of value for effort to invest in, each
# segment's relationship level, and one answer in your own words. Write the body of each function, run
# its cell, then run the check below it: it says **Right**, or **Wrong, because …** with a
# hint. The checks run your function on the kit's data and on data you have not seen, so
# write it for any data of the same shape, not for one number. Use pandas; the point is to
# compute each measure yourself, not to call `relmark_lab.differentiate`.

# %% tags=["parameters"]
data_dir = None  # None means the datasets/ folder of the kit
language = "en"  # "en" or "es": the language of the kit's messages, labels and numbers

# %%
from relmark_lab.lessons import Folder, check_parameters, use_lesson_display

use_lesson_display(language=language)

check_parameters(data_dir=Folder(data_dir))

# %%
import itertools

import numpy as np
import pandas as pd

import relmark_lab as rl
from relmark_lab import differentiate as dif
from relmark_lab.checks import differentiate as check
from relmark_lab.checks.differentiate import (
    WEAPON_BUDGET,
    WEAPON_COSTS,
    campaign_tiers,
    level_segments,
    tied_medians_frame,
)

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
# measure when **strictly above** its median: a customer exactly at the median is low.
# Return a Series indexed by `customer_id` with each customer's quadrant: `"true friends"`
# (high profit, high loyalty), `"butterflies"` (high profit, low loyalty), `"barnacles"`
# (low profit, high loyalty) or `"strangers"` (low, low). The check compares the label of
# every customer, on the kit's data, on new data, and on the small table `tied`, where three
# customers sit exactly on each median (try `quadrant_labels(tied)` once you have written
# the function).

# %%
frame = profitability[["customer_id", "profit"]].merge(
    dif.projected_loyalty(transactions, observation_end)[["customer_id", "projected_loyalty"]],
    on="customer_id",
)
tied = tied_medians_frame()


def quadrant_labels(frame):
    ### BEGIN SOLUTION
    high_profit = frame["profit"] > frame["profit"].median()
    high_loyalty = frame["projected_loyalty"] > frame["projected_loyalty"].median()
    labels = np.select(
        [high_profit & high_loyalty, high_profit, high_loyalty],
        ["true friends", "butterflies", "barnacles"],
        default="strangers",
    )
    return pd.Series(labels, index=frame["customer_id"])
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.quadrant_labels(quadrant_labels, data_dir)

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
# unknown) and customers whose spend is negative (they returned more than they bought).

# %%
spend = dif.annual_spend(transactions, observation_end)


def wallet_left_on_table(survey, spend):
    ### BEGIN SOLUTION
    merged = survey.merge(spend, on="customer_id")
    merged = merged[(merged["share_of_wallet"] > 0) & (merged["spend_per_year"] >= 0)]
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
# highest expected net value per contact, `response_rate × value − cost_per_contact`. The
# check tries several values, and channel tables with other prices.

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
# ## Exercise 02.7 — decide: which tier gets which channel
#
# A decision, not a calculation. Next year's campaign gives **one contact to every customer
# of the tiers you choose**, through one channel per tier, and it must not cost more than
# `budget` MXN. `tiers` cuts the customers by profit (value destroyers in a tier of their
# own) and gives, per tier, the number of `customers`, `profit_mean` (mean profit per
# customer over the whole history, up to three years) and `value_next_year`, an estimate of
# what one customer brings **next year**: profit per year as a customer × projected loyalty
# (section 5's proxy for still buying). A customer who responds to a contact is worth what
# they bring next year.
#
# Return a dict from tier to channel name, with `None` for a tier you do not contact, e.g.
# `{"VIP": "telemarketing", "Gold": None, ...}`. The check carries out your plan on what the
# customers really bring next year (the simulator's truth, which you do not see), on the
# lesson's data with a budget of 75,000 MXN and on new data with other budgets and prices,
# and says how far it is from the best plan.

# %%
tiers = campaign_tiers(data_dir)
tiers


# %%
def plan_campaign(tiers, channels, budget):
    ### BEGIN SOLUTION
    # Each tier's options: no contact, or one contact per customer through a channel,
    # with what it costs and the net value it is expected to bring.
    choices = []
    for tier in tiers.itertuples():
        options = [(None, 0.0, 0.0)]
        for channel in channels.itertuples():
            cost = tier.customers * channel.cost_per_contact
            value = tier.customers * channel.response_rate * tier.value_next_year
            options.append((channel.channel, cost, value - cost))
        choices.append(options)
    # Few tiers and channels: try every plan and keep the best one that fits the budget.
    best, best_net = None, float("-inf")
    for plan in itertools.product(*choices):
        cost = sum(option[1] for option in plan)
        net = sum(option[2] for option in plan)
        if cost <= budget and net > best_net:
            best, best_net = plan, net
    return {tier: option[0] for tier, option in zip(tiers["tier"], best, strict=True)}
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.plan_campaign(plan_campaign, data_dir)

# %% [markdown]
# ## Exercise 02.8 — decide: which weapon of value for effort to invest in
#
# A decision. The firm can raise how customers rate **one** of the five weapons of value
# for effort (lesson section 7). `costs` gives, for each rating column of `survey`, what one
# more rating point costs **per customer** (MXN), and `budget` is what the firm will spend
# per customer. If all of it goes to one weapon, every customer's rating of it rises by
# `budget / cost` points — but no rating goes above 5. Which weapon raises the mean
# **perceived value** (0–10) the most?
#
# Estimate from `survey` how much one rating point of each weapon adds to perceived value,
# the other ratings held fixed, and return the **rating column** to invest in, e.g.
# `"price_rating"`. The check scores your choice at the true weights on respondents you have
# not seen, on the lesson's prices and on other prices and budgets.

# %%
print(WEAPON_COSTS, WEAPON_BUDGET)


# %%
def choose_weapon(survey, costs, budget):
    ### BEGIN SOLUTION
    columns = list(costs)
    x = np.column_stack([np.ones(len(survey)), survey[columns].to_numpy(float)])
    weights = np.linalg.lstsq(x, survey["perceived_value"].to_numpy(float), rcond=None)[0][1:]
    gains = {}
    for column, weight in zip(columns, weights, strict=True):
        points = budget / costs[column]
        rise = np.minimum(survey[column] + points, 5) - survey[column]
        gains[column] = weight * rise.mean()
    return max(gains, key=gains.get)
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.choose_weapon(choose_weapon, data_dir)

# %% [markdown]
# ## Exercise 02.9 — relationship levels
#
# `segments` has one row per segment with its number of `customers` and its
# `margin_per_customer` (MXN). Return each segment's **relationship level** as a list (or a
# Series) in the order of the rows, with the lesson's rules (section 12): a segment has
# *many* customers when it holds at least 25% of all the customers in the table, *few* when
# it holds less than 5%, else *medium*; its margin is *high* when it is at least twice the
# **average margin per customer of all the customers in the table**, *low* when it is less
# than half of it, else *medium*. The level is then Kotler's grid:
#
# | | low margin | medium margin | high margin |
# |---|---|---|---|
# | many customers | basic | reactive | accountable |
# | medium number | reactive | accountable | proactive |
# | few customers | accountable | proactive | partnership |
#
# The check runs your function on the lesson's value tiers, on new data's, and on the small
# table below, whose segments sit exactly on the cuts.

# %%
level_segments()


# %%
def relationship_level(segments):
    ### BEGIN SOLUTION
    grid = {("many", "low"): "basic", ("many", "medium"): "reactive",
            ("many", "high"): "accountable", ("medium", "low"): "reactive",
            ("medium", "medium"): "accountable", ("medium", "high"): "proactive",
            ("few", "low"): "accountable", ("few", "medium"): "proactive",
            ("few", "high"): "partnership"}
    share = segments["customers"] / segments["customers"].sum()
    average = (segments["customers"] * segments["margin_per_customer"]).sum() \
        / segments["customers"].sum()
    multiple = segments["margin_per_customer"] / average
    levels = []
    for s, m in zip(share, multiple, strict=True):
        how_many = "many" if s >= 0.25 else "few" if s < 0.05 else "medium"
        margin = "high" if m >= 2 else "low" if m < 0.5 else "medium"
        levels.append(grid[(how_many, margin)])
    return levels
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.relationship_level(relationship_level, data_dir)

# %% [markdown]
# ## Exercise 02.10 — in your own words
#
# The whale curve says that about a third of the kit's customers destroy value. Give two
# reasons not to end all those relationships at once, and one thing to do instead.
#
# ### BEGIN SOLUTION
# (1) Past profit is not future profit: almost half of the value destroyers have placed only
# one or two orders, and some of them will grow; in the simulator's truth the "Below
# threshold" tier is even slightly profitable next year (exercise 02.7). (2) Part of the loss
# is a choice of the cost model (the price of an order), and the acquisition cost is sunk:
# ending a relationship saves only the future cost to serve, while shared costs stay.
# Instead, lower the cost of serving them — a minimum order, online-only service, mass media
# rather than direct contacts — and end the relationship only with customers who stay
# unprofitable on those terms.
#
# **Rubric** (3 points): a full answer names
#
# - a reason about the future (1 point): past profit does not say what a customer will
#   bring, e.g. new or small customers who may grow, few orders so far, or lesson 04's
#   expected future value;
# - a reason about the costs (1 point): the loss depends on the cost model's prices, the
#   acquisition cost is sunk, or ending the relationship does not remove shared or fixed
#   costs (only the cost to serve that customer goes);
# - something to do instead (1 point): serve them more cheaply (minimum order, online or
#   self-service, mass media instead of direct contacts, fewer contacts), change their terms
#   (fees, payment), or test before ending; ending only those who stay unprofitable counts.
#
# Two reasons of the same kind score one point; a plan to end every value destroyer scores
# no point for the third item.
# ### END SOLUTION
