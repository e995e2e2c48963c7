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
# # Exercises 01 · Customer identification
#
# Six short exercises on lesson 01: a matching key, the single customer view, customer
# status, the funnel of the five stages and the voice of the customer. Write the body of
# each function in plain pandas, run its cell, then run the check below it: it says
# **Right**, or **Wrong, because …** with a hint. The checks run your function on the kit's
# data (sometimes with other parameters than the lesson's), so write it for any data of the
# same shape, not for one number.

# %% tags=["parameters"]
data_dir = None  # None means the datasets/ folder of the kit

# %%
import pandas as pd

import relmark_lab as rl
from relmark_lab import identify
from relmark_lab.checks import identify as check

raw, ledger = rl.datasets.load_raw_export(data_dir)
transactions = rl.datasets.load_transactions(data_dir)
observation_end = rl.datasets.load_truth(data_dir)["observation_end"]  # the last observed day
leads = rl.datasets.load_leads(data_dir)
contacts = rl.datasets.load_voice_of_customer(data_dir)

# %% [markdown]
# ## Exercise 01.1 — an e-mail as a matching key
#
# Return the matching key of **one** e-mail address (a string): without the spaces around
# it and in lower case, so that `" ANA.Lopez@GMAIL.com"` and `"ana.lopez@gmail.com"` agree.


# %%
def normalize_email(email):
    ### BEGIN SOLUTION
    return email.strip().lower()
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.normalize_email(normalize_email, data_dir)

# %% [markdown]
# ## Exercise 01.2 — people after merging on e-mail
#
# In the raw export `raw` (one row per order line; the e-mail is in `Correo`, sometimes
# empty), the same person can appear under two `customer_id`s. Return the number of
# **people** left when raw ids whose normalised e-mails are equal are merged. A raw id
# that never has an e-mail is a person of its own. (In the kit's data each raw id has at
# most one e-mail key, so no chains of links arise.)


# %%
def count_people_by_email(raw):
    ### BEGIN SOLUTION
    keys = raw["Correo"].str.strip().str.lower().replace("", pd.NA)
    per_id = keys.groupby(raw["customer_id"]).first()  # first non-missing key of each id
    return per_id.nunique() + int(per_id.isna().sum())
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.count_people_by_email(count_people_by_email, data_dir)

# %% [markdown]
# ## Exercise 01.3 — active, inactive, potential
#
# Return a Series indexed by `"active"`, `"inactive"`, `"potential"` with the number of
# customers in each status at the end of the day `observation_end` (a `"YYYY-MM-DD"`
# string; the whole day counts):
#
# * a purchase is a line with `amount > 0`: in the kit's data a return is a negative line
#   with an order id of its own, made on a later day, so it never undoes a purchase;
# * lines after `observation_end` have not happened yet;
# * *active*: last purchase at most `active_within_days` days before `observation_end`
#   (count whole days between the calendar dates);
# * *inactive*: bought before, but longer ago;
# * *potential*: leads with `created_date` on or before `observation_end`.
#
# The check uses `observation_end="2025-06-30"` and 180 days.


# %%
def status_counts(transactions, leads, observation_end, active_within_days):
    ### BEGIN SOLUTION
    day = pd.Timestamp(observation_end)
    purchases = transactions[(transactions["amount"] > 0)
                             & (transactions["date"] < day + pd.Timedelta(days=1))]
    last = purchases.groupby("customer_id")["date"].max().dt.normalize()
    days_since = (day - last).dt.days
    active = int((days_since <= active_within_days).sum())
    potential = int((leads["created_date"] <= day).sum())
    return pd.Series({"active": active, "inactive": len(last) - active, "potential": potential})
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.status_counts(status_counts, data_dir)

# %% [markdown]
# ## Exercise 01.4 — conversion between stages
#
# `stages` has one row per person with a `stage` column taking the five values below.
# Someone in a later stage has passed through all earlier ones. Return a Series indexed by
# the four stages after prospecting with the **conversion** into each stage: the people
# who reached it (are in it or beyond) divided by the people who reached the previous one.

# %%
STAGES = ["prospecting", "acquisition", "satisfaction", "maintenance", "loyalty"]
stages = identify.lifecycle_stage(
    transactions, observation_end, leads=leads, survey=rl.datasets.load_survey(data_dir)
)[["customer_id", "stage"]]


def stage_conversion(stages):
    ### BEGIN SOLUTION
    in_stage = stages["stage"].astype(str).value_counts().reindex(STAGES, fill_value=0)
    reached = in_stage[::-1].cumsum()[::-1]
    return (reached / reached.shift(1)).loc[STAGES[1:]]
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.stage_conversion(stage_conversion, data_dir)

# %% [markdown]
# ## Exercise 01.5 — complaints solved, by channel
#
# In the voice-of-the-customer log `contacts`, return a Series indexed by `channel` with
# the **share of complaints resolved** (`resolved` is True), for the channels that received
# complaints.


# %%
def resolution_rate_by_channel(contacts):
    ### BEGIN SOLUTION
    complaints = contacts[contacts["contact_type"] == "complaint"]
    return complaints.groupby("channel")["resolved"].mean()
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.resolution_rate_by_channel(resolution_rate_by_channel, data_dir)

# %% [markdown]
# ## Exercise 01.6 — do unresolved complainers leave more?
#
# `status` has one row per customer who bought (`customer_id`, `status`) at the end of
# the data (`observation_end`). Among the complainers found in `status`, compare those
# whose complaints were **all** resolved with those who have **at least one** unresolved
# complaint. Return the share with status `"active"` in the first group minus the share in
# the second (a number).

# %%
status = identify.customer_status(transactions, observation_end)


def complainer_active_gap(contacts, status):
    ### BEGIN SOLUTION
    complaints = contacts[contacts["contact_type"] == "complaint"]
    all_resolved = complaints.groupby("customer_id")["resolved"].all()
    table = status.set_index("customer_id")
    table = table.loc[table.index.intersection(all_resolved.index)]
    active = table["status"] == "active"
    groups = all_resolved.loc[table.index]
    return active[groups].mean() - active[~groups].mean()
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.complainer_active_gap(complainer_active_gap, data_dir)

# %% [markdown]
# ## Exercise 01.7 — in your own words
#
# In the lesson, the name rule merged about a hundred groups of homonyms. Name one situation in which you
# would still link records by name, and what you would add to the rule to keep its
# precision high.
#
# ### BEGIN SOLUTION
# When most records have neither e-mail nor phone (e.g. paper forms or old store cards),
# names are the only link left. Add a second attribute that homonyms rarely share — the
# region or postal code, the date of birth, the store — and require both to match; then
# check a sample of the merged pairs by hand before using them.
# ### END SOLUTION
