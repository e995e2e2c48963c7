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
# # Exercises 04b · Customer lifetime value II: BG/NBD, P(alive), CLV
#
# Seven exercises on lesson 04b: counting repeat purchases, a weekly discount rate,
# P(alive) and expected purchases from the BG/NBD formulas, how concentrated CLV is, a
# decision (whom to send a retention offer on a budget) and one answer in your own words.
# Write the body of each function, run its cell, then run the check below it: it says
# **Right**, or **Wrong, because …** with a hint. The checks run your function on the
# lesson's data and on data you have not seen, so write it for any data of the same shape.

# %% tags=["parameters"]
data_dir = None  # None means the datasets/ folder of the kit
calibration_end = "1997-09-30"  # CDNOW calibration period (exercise 04b.1)
language = "en"  # "en" or "es": the language of the kit's messages, labels and numbers

# %%
from relmark_lab.lessons import Day, Folder, check_parameters, use_lesson_display

use_lesson_display(language=language)

check_parameters(
    data_dir=Folder(data_dir),
    calibration_end=Day(calibration_end, first="1997-01-01", last="1998-06-30"),  # CDNOW
)

# %%
import numpy as np  # noqa: F401 (for your answers)
import pandas as pd  # noqa: F401 (for your answers)
from scipy.special import hyp2f1

import relmark_lab as rl
from relmark_lab import clv
from relmark_lab.checks import clv as check
from relmark_lab.datasets.practice import kit_clv, kit_summary
from relmark_lab.i18n import gettext as _

cdnow = rl.datasets.load_cdnow("sample")
kit = kit_summary(data_dir)  # the kit's customers, in weeks
kit_model = clv.BetaGeoNBD().fit(kit)

# %% [markdown]
# ## Exercise 04b.1 — repeat customers and repeat purchases
#
# `records` has one row per purchase record (`customer_id`, `date`, `quantity`, `amount`),
# like `cdnow`. Return a tuple `(repeat customers, repeat purchases)` for the calibration
# period (dates up to and including `calibration_end`). A repeat purchase is a purchase
# **day** after the customer's first one. Other data of this shape may hold returns: a
# record with a negative amount brings something back and is no purchase (CDNOW's records
# of amount 0 are free items, and are purchases).


# %%
def repeat_customers_and_purchases(records, calibration_end):
    ### BEGIN SOLUTION
    in_calibration = records[records["date"] <= calibration_end]
    purchases = in_calibration[in_calibration["amount"] >= 0]
    repeats = purchases.groupby("customer_id")["date"].nunique() - 1
    return int((repeats > 0).sum()), int(repeats.sum())
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.repeat_customers_and_purchases(repeat_customers_and_purchases, calibration_end)

# %% [markdown]
# ## Exercise 04b.2 — a weekly discount rate
#
# The models of the lesson work in weeks. Return the **weekly** discount rate equivalent
# to an annual rate `annual_rate`: a year of weekly discounting must discount by exactly
# `1 + annual_rate`. A year has 365.25 / 7 weeks.


# %%
def weekly_discount_rate(annual_rate):
    ### BEGIN SOLUTION
    weeks_per_year = 365.25 / 7
    return (1 + annual_rate) ** (1 / weeks_per_year) - 1
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.weekly_discount_rate(weekly_discount_rate)

# %% [markdown]
# ## Exercise 04b.3 — P(alive) by hand
#
# `params` is a fitted BG/NBD's `params_` (a Series with `r`, `alpha`, `a`, `b`), `data`
# a summary with `frequency` (x), `recency` (t_x) and `T`. Return each customer's
# probability of being alive, a Series aligned with `data`:
#
# $$P(\text{alive}) = \frac{1}{1 + \delta_{x>0} \, \frac{a}{b + x - 1}
#   \left(\frac{\alpha + T}{\alpha + t_x}\right)^{r + x}},$$
#
# where δ is 1 for customers with a repeat purchase and 0 otherwise.

# %%
kit_model.params_


# %%
def probability_alive(params, data):
    ### BEGIN SOLUTION
    r, alpha, a, b = params["r"], params["alpha"], params["a"], params["b"]
    x, t_x, big_t = data["frequency"], data["recency"], data["T"]
    repeaters = x > 0
    odds_gone = a / (b + x - 1) * ((alpha + big_t) / (alpha + t_x)) ** (r + x)
    return 1 / (1 + odds_gone.where(repeaters, 0.0))
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.probability_alive(probability_alive, data_dir)

# %% [markdown]
# With the package's version of the same formula: how many of the kit's customers are
# probably gone?

# %%
p_alive = kit_model.expected_probability_alive(kit)
print(_("P(alive) < 0.5: {gone:,} of {customers:,} customers").format(
    gone=(p_alive < 0.5).sum(), customers=len(kit)))

# %% [markdown]
# ## Exercise 04b.4 — what a new customer will buy
#
# A BG/NBD fitted in **weeks** (`params`: `r`, `alpha`, `a`, `b`) expects a customer who
# has just made their first purchase to make
#
# $$E[X(t)] = \frac{a + b - 1}{a - 1}\left[1 - \left(\frac{\alpha}{\alpha + t}\right)^r
#   {}_2F_1\!\left(r, b; a + b - 1; \frac{t}{\alpha + t}\right)\right]$$
#
# repeat purchases in the next t weeks (`scipy.special.hyp2f1` is ₂F₁). Return the
# expected repeat purchases in the next `years` **years** (a year has 365.25 / 7 weeks).
# The check uses the CDNOW estimates of the lesson.


# %%
def expected_repeat_purchases(params, years):
    ### BEGIN SOLUTION
    r, alpha, a, b = params["r"], params["alpha"], params["a"], params["b"]
    t = years * 365.25 / 7
    return (a + b - 1) / (a - 1) * (
        1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t))
    )
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.expected_repeat_purchases(expected_repeat_purchases)

# %% [markdown]
# ## Exercise 04b.5 — how concentrated is value?
#
# `clv_values` is each kit customer's CLV over the next 156 weeks, computed as in the
# lesson. Return the **share of the total CLV held by the 10% of customers with the
# highest CLV** (the first `len(clv_values) // 10` after sorting), a number between 0
# and 1.

# %%
clv_values = kit_clv(data_dir)
clv_values.describe()


# %%
def top_decile_share(clv_values):
    ### BEGIN SOLUTION
    ranked = clv_values.sort_values(ascending=False)
    return ranked.head(len(ranked) // 10).sum() / ranked.sum()
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.top_decile_share(top_decile_share, data_dir)

# %% [markdown]
# ## Exercise 04b.6 — whom to send a retention offer (a decision)
#
# The retailer can send a retention offer (a personal voucher with a letter) that costs
# `offer_cost` MXN per customer, out of a `budget` in MXN. A customer who is still alive
# and gets the offer buys `uplift` (here 20%) more over the next 156 weeks; a customer who
# is gone never sees it. `candidates` holds every customer's `p_alive` (the lesson's
# BG/NBD) and `value_if_alive`, the discounted margin they bring over the next 156 weeks
# if they are still alive (so `p_alive * value_if_alive` is the CLV of exercise 04b.5).
#
# Return the `customer_id` of the customers who get the offer. The check does not compare
# your list with an answer: it scores it on what these customers really buy in the next
# 156 weeks (simulated from the simulation's truth, which you do not see) — the extra
# margin of those offered, less the cost of the offers — and says how far that is from
# the best list. It also runs your function on another retailer with another budget.

# %%
p_alive = kit_model.expected_probability_alive(kit)
candidates = kit[["customer_id", "frequency", "recency", "T", "monetary_value"]].assign(
    p_alive=p_alive, value_if_alive=clv_values.to_numpy() / p_alive
)
offer_cost, budget, uplift = 40.0, 20_000.0, 0.20
candidates.head()


# %%
def retention_offer_targets(candidates, budget, offer_cost, uplift):
    ### BEGIN SOLUTION
    expected_gain = uplift * candidates["p_alive"] * candidates["value_if_alive"] - offer_cost
    ranked = candidates.assign(expected_gain=expected_gain).sort_values(
        "expected_gain", ascending=False
    )
    worth_it = ranked[ranked["expected_gain"] > 0]
    return worth_it["customer_id"].head(int(budget // offer_cost))
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.retention_offer_targets(
    retention_offer_targets, data_dir, budget=budget, offer_cost=offer_cost, uplift=uplift
)

# %% [markdown]
# ## Exercise 04b.7 — in your own words
#
# Two customers of the kit were observed for 100 weeks. Ana made 12 repeat purchases, the
# last one 40 weeks ago; Beto made 2, the last one 40 weeks ago too. Which one is more
# likely to be gone, and what would you do about each?
#
# ### BEGIN SOLUTION
# Ana is more likely gone. She used to buy every five weeks or so, so 40 weeks of silence
# is far outside her pattern; Beto bought about every 30 weeks, so 40 weeks of silence is
# only a little long (lesson 04b, section 6; with the kit's BG/NBD, P(alive) is about 5%
# for Ana and 66% for Beto). Ana was valuable and may still be won back, so she is the one
# for a personal win-back contact now; Beto needs no special action yet, only the regular
# communication, and a check of his P(alive) again in a few months.
#
# **Rubric** (4 points): a full answer names
#
# - that Ana is the one more likely gone (1 point);
# - why: what matters is the silence measured against each customer's own buying rhythm —
#   40 weeks is many of Ana's gaps between purchases but barely one of Beto's — not the
#   number of purchases or the silence alone (1 point);
# - an action for Ana that fits a valuable customer probably lost: a win-back contact now,
#   worth its cost only because of what she used to buy (1 point);
# - an action for Beto that fits a customer probably still alive: no special spending yet,
#   the regular communication, and watching his P(alive) as the silence grows (1 point).
# ### END SOLUTION
