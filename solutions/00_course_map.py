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
# # Exercises 00 · Course map and the kit's data
#
# Five short exercises on the data sets of lesson 00. Write the body of each function,
# run its cell, then run the check below it: it says **Right**, or **Wrong, because …**
# with a hint. The checks run your function on the kit's data, so write it for any data
# of the same shape, not for one number.

# %% tags=["parameters"]
data_dir = None  # None means the datasets/ folder of the kit

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
# ## Exercise 00.6 — in your own words
#
# Which of the five stages of the relationship (prospecting, acquisition, satisfaction,
# maintenance, loyalty) does each table of the kit tell you most about? One line per table.
#
# ### BEGIN SOLUTION
# *Leads*: prospecting. *Customers* (signup, channel, cost): acquisition. *Survey* and
# *voice of the customer*: satisfaction. *Transactions* (repeat purchases, returns):
# maintenance. *Loyalty pilot*: loyalty — whether a program moves customers to buy more.
# ### END SOLUTION
