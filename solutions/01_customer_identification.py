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
# # Exercises 01 · Customer identification
#
# Eight exercises on lesson 01: a matching key, the single customer view, customer status,
# the funnel of the five stages, the voice of the customer, a decision on a win-back
# campaign, and one answer in your own words. Write the body of each function in plain
# pandas, run its cell, then run the check below it: it says **Right**, or **Wrong,
# because …** with a hint. The checks run your function on the kit's data (sometimes with
# other parameters than the lesson's) and on data you have not seen, so write it for any
# data of the same shape, not for one number.

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
# Return a Series indexed by `customer_id` with the status of every customer who bought and
# every lead — `"active"`, `"inactive"` or `"potential"` — at the end of the day
# `observation_end` (a `"YYYY-MM-DD"` string; the whole day counts):
#
# * a purchase is a line with `amount > 0`: in the kit's data a return is a negative line
#   with an order id of its own, made on a later day, so it never undoes a purchase;
# * lines after `observation_end` have not happened yet;
# * *active*: last purchase at most `active_within_days` days before `observation_end`
#   (count whole days between the calendar dates);
# * *inactive*: bought before, but longer ago;
# * *potential*: the leads (`lead_id`) with `created_date` on or before `observation_end`
#   who never bought.
#
# The check compares the statuses customer by customer, at other days and thresholds than
# the lesson's, with customers exactly at the threshold.


# %%
def customer_status(transactions, leads, observation_end, active_within_days):
    ### BEGIN SOLUTION
    day = pd.Timestamp(observation_end)
    next_day = day + pd.Timedelta(days=1)
    purchases = transactions[(transactions["amount"] > 0) & (transactions["date"] < next_day)]
    last = purchases.groupby("customer_id")["date"].max().dt.normalize()
    days_since = (day - last).dt.days
    status = pd.Series(np.where(days_since <= active_within_days, "active", "inactive"),
                       index=last.index)
    known = leads[(leads["created_date"] < next_day) & ~leads["lead_id"].isin(status.index)]
    return pd.concat([status, pd.Series("potential", index=known["lead_id"])])
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.customer_status(customer_status, data_dir)

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
# ## Exercise 01.7 — whom to win back (a decision)
#
# `table` is the customer table of lesson 01 at the end of the data: one row per customer
# and lead, with `status`, `stage`, `orders`, `revenue` (net, MXN), `days_since_last_purchase`,
# `complaints`, `unresolved_complaints` and more. Marketing can spend `budget` MXN on
# win-back calls to **inactive** customers; a call costs `cost_per_call` MXN. From past
# campaigns:
#
# * a called customer comes back with probability `RESPONSE_RATE` (25%), but only
#   `RESPONSE_RATE_UNRESOLVED` (5%) if a complaint of theirs was left unresolved;
# * a customer who comes back places one order of their usual size, on which the firm
#   earns `MARGIN_RATE` (30%).
#
# Decide whom to call: return a list of `customer_id`s. The check scores your list on what
# those customers really spend per order (the simulator knows it; the table only estimates
# it): the margin the calls win back minus what they cost, on the lesson's data and on new
# data with other budgets and costs. It passes at 95% of the best list the table allows and
# tells you how far yours is.

# %%
RESPONSE_RATE, RESPONSE_RATE_UNRESOLVED, MARGIN_RATE = 0.25, 0.05, 0.30
table = identify.customer_table(
    transactions, observation_end, customers=rl.datasets.load_customers(data_dir), leads=leads,
    survey=rl.datasets.load_survey(data_dir), contacts=contacts,
)


def whom_to_win_back(table, budget, cost_per_call):
    ### BEGIN SOLUTION
    lapsed = table[table["status"] == "inactive"]
    response = np.where(lapsed["unresolved_complaints"] > 0, RESPONSE_RATE_UNRESOLVED,
                        RESPONSE_RATE)
    # What a call is expected to bring back, less what it costs.
    gain = response * MARGIN_RATE * lapsed["revenue"] / lapsed["orders"] - cost_per_call
    worth = lapsed.assign(gain=gain).query("gain > 0").sort_values("gain", ascending=False)
    return worth["customer_id"].head(int(budget // cost_per_call)).tolist()
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.whom_to_win_back(whom_to_win_back, data_dir)

# %% [markdown]
# ## Exercise 01.8 — in your own words
#
# In the lesson, the name rule merged about a hundred groups of homonyms. Name one situation
# in which you would still link records by name, and what you would add to the rule to keep
# its precision high.
#
# ### BEGIN SOLUTION
# When most records have neither e-mail nor phone (e.g. paper forms or old store cards),
# names are the only link left. Add a second attribute that homonyms rarely share — the
# region or postal code, the date of birth, the store — and require both to match; then
# check a sample of the merged pairs by hand before using them.
#
# **Rubric** (3 points): a full answer names
#
# - a situation where the name is the only or the main link left (1 point): records without
#   e-mail or phone, such as paper forms, old store or loyalty cards, in-store purchases, or
#   a legacy system joined after a merger;
# - a second attribute homonyms rarely share, required to match together with the name
#   (1 point): region, postal code, address, date of birth, store; "a stricter name match"
#   (accents, spelling) alone does not count, since homonyms share the exact name;
# - a way to keep or measure the precision (1 point): review a sample of the merged pairs by
#   hand, score the rule against a known answer key (pair precision), or keep name links as
#   suggestions for a person to confirm rather than automatic merges.
#
# An answer that adds the name rule as it is, with no second attribute, scores at most the
# first point.
# ### END SOLUTION
