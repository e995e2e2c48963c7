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
# # Exercises 00 · Course map and the kit's data
#
# Seven short exercises on the data sets of lesson 00: five that compute a number, one
# decision and one answer in your own words. Write the body of each function, run its
# cell, then run the check below it: it says **Right**, or **Wrong, because …** with a
# hint. The checks run your function on the kit's data and on data you have not seen, so
# write it for any data of the same shape, not for one number.

# %% tags=["parameters"]
data_dir = None  # None means the datasets/ folder of the kit
language = "en"  # "en" or "es": the language of the kit's messages, labels and numbers

# %%
from relmark_lab.lessons import Folder, check_parameters, use_lesson_display

use_lesson_display(language=language)

check_parameters(data_dir=Folder(data_dir))

# %%
import pandas as pd

import relmark_lab as rl
from relmark_lab.checks import data as check

transactions = rl.datasets.load_transactions(data_dir)
customers = rl.datasets.load_customers(data_dir)

# %% [markdown]
# ## Exercise 00.1 — customers and orders
#
# Return a tuple `(number of customers who bought, number of purchase orders)`. An order
# can have several lines; a return is a negative line with its own `order_id` and is not
# an order.


# %%
def count_customers_and_orders(transactions):
    ### BEGIN SOLUTION
    purchases = transactions[transactions["amount"] > 0]
    return transactions["customer_id"].nunique(), purchases["order_id"].nunique()
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.count_customers_and_orders(count_customers_and_orders, data_dir)

# %% [markdown]
# ## Exercise 00.2 — net revenue by region
#
# Return a Series indexed by region with the *net* revenue (returns subtracted) of the
# customers of each region. The region is in the `customers` table.


# %%
def net_revenue_by_region(transactions, customers):
    ### BEGIN SOLUTION
    lines = transactions.merge(customers[["customer_id", "region"]], on="customer_id")
    return lines.groupby("region")["amount"].sum()
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.net_revenue_by_region(net_revenue_by_region, data_dir)

# %% [markdown]
# ## Exercise 00.3 — what the ledger dropped
#
# Read the raw export with `rl.datasets.load_raw_export()`, which returns
# `(transactions, ledger)`. Return a Series indexed by reason with the **share of the
# file's rows** dropped for that reason.

# %%
raw_transactions, ledger = rl.datasets.load_raw_export(data_dir)


def dropped_share_by_reason(ledger):
    ### BEGIN SOLUTION
    return pd.Series(ledger.dropped) / ledger.rows_in
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.dropped_share_by_reason(dropped_share_by_reason, data_dir)

# %% [markdown]
# ## Exercise 00.4 — repeat buyers at CDNOW
#
# In the CDNOW sample, return the share of customers who bought on at least two
# different days (a number between 0 and 1).

# %%
cdnow = rl.datasets.load_cdnow("sample")


def cdnow_repeat_share(cdnow):
    ### BEGIN SOLUTION
    return (cdnow.groupby("customer_id")["date"].nunique() > 1).mean()
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.cdnow_repeat_share(cdnow_repeat_share)

# %% [markdown]
# ## Exercise 00.5 — average order value
#
# Return the mean value of a purchase order in MXN: the sum of an order's lines, averaged
# over orders, returns left out.


# %%
def average_order_value(transactions):
    ### BEGIN SOLUTION
    purchases = transactions[transactions["amount"] > 0]
    return purchases.groupby("order_id")["amount"].sum().mean()
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.average_order_value(average_order_value, data_dir)

# %% [markdown]
# ## Exercise 00.6 — where to buy next year's customers (a decision)
#
# Every customer was bought through an acquisition channel at a price (section 6 of the
# lesson). Marketing has a budget of 150,000 MXN to acquire customers next year. Each
# channel can bring about as many customers as it brought in a year, at about the same cost
# per customer; as a first measure of what a customer is worth, take the margin they bring
# in their first year.
#
# The table below describes the customers who signed up in the first year of the data:
# how many each channel brought, what they cost on average, and the margin they brought in
# the 365 days after signing up (returns netted), on average.
#
# Write `acquisition_plan(channels, budget)`: return the list of the channels in the order
# you would spend the budget on them. The budget is spent down your list, each channel up
# to its number of customers, until it runs out; a channel you leave out gets nothing. The
# check carries your plan out on the customers who signed up the year after (outcomes
# your function has not seen), and on other data and prices, and says how much margin
# less acquisition cost your plan earns next to the best plan.

# %%
cohort = customers[customers["signup_date"].dt.year == customers["signup_date"].dt.year.min()]
lines = transactions.merge(cohort[["customer_id", "signup_date"]], on="customer_id")
lines = lines[lines["date"] < lines["signup_date"] + pd.Timedelta(days=365)]
first_year_margin = lines.groupby("customer_id")["margin"].sum()
channels = (
    cohort.assign(first_year_margin=cohort["customer_id"].map(first_year_margin).fillna(0.0))
    .groupby("acquisition_channel")
    .agg(customers=("customer_id", "size"), cost_per_customer=("acquisition_cost", "mean"),
         first_year_margin=("first_year_margin", "mean"))
    .rename_axis("channel")
)
budget = 150_000  # MXN
channels.round(0)  # MXN, rounded for reading; your function gets the exact table


# %%
def acquisition_plan(channels, budget):
    ### BEGIN SOLUTION
    # With a fixed budget, what counts is the margin each peso buys; a channel that brings
    # back less than it costs gets nothing.
    per_peso = channels["first_year_margin"] / channels["cost_per_customer"]
    return list(per_peso[per_peso > 1].sort_values(ascending=False).index)
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.acquisition_plan(acquisition_plan, data_dir, budget=budget)

# %% [markdown]
# ## Exercise 00.7 — in your own words
#
# Which of the five stages of the relationship (prospecting, acquisition, satisfaction,
# maintenance, loyalty) does each table of the kit tell you most about? One line per table.
#
# ### BEGIN SOLUTION
# *Leads*: prospecting — people who have not bought yet. *Customers* (signup, channel,
# cost): acquisition. *Survey* and *voice of the customer*: satisfaction — what customers
# think of us and what they complain about. *Transactions* (repeat purchases, returns):
# maintenance — whether customers keep buying. *Loyalty pilot*: loyalty — whether a
# program moves customers to buy more.
#
# **Rubric** (5 points): a full answer names
#
# * leads for prospecting, because they are potential customers who have not bought;
# * the customer table (signup date, acquisition channel and cost) for acquisition;
# * the survey or the voice of the customer for satisfaction (what customers think and
#   complain about);
# * the transactions (repeat purchases, returns) for maintenance, whether customers keep
#   buying;
# * the loyalty pilot for loyalty, whether a program makes customers buy more.
# ### END SOLUTION
