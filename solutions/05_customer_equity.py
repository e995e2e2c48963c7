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
# # Exercises 05 · Customer equity: units, cohorts, drivers, change, budget
#
# Seven exercises on lesson 05: putting a customer's terms in one period unit, the new
# customers an S-curve brings, what a 1% better retention is worth, the price premium of
# loyal customers, the change of customer equity in its three parts, a decision (how to
# split a budget between acquisition and retention) and one answer in your own words.
# Write the body of each function, run its cell, then run the check below it: it says
# **Right**, or **Wrong, because …** with a hint. Each check runs your function on the
# lesson's numbers and data **and on numbers and data you have not seen**, so write it for
# any input of the same shape: fixed numbers do not pass.

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
from relmark_lab import equity
from relmark_lab.checks import equity as check
from relmark_lab.datasets.practice import EQUITY_DATES, kit_active_between, kit_clv_at
from relmark_lab.i18n import gettext as _

transactions = rl.datasets.load_transactions(data_dir)
observation_end = rl.datasets.load_truth(data_dir)["observation_end"]

# %% [markdown]
# ## Exercise 05.1 — one period unit for every term
#
# Gupta, Lehmann & Stuart value firms quarter by quarter, but data come in mixed units: a
# margin per year, a retention rate per year, an annual discount rate. Return the tuple
# `(margin, retention rate, discount rate)` **per quarter** for a customer who brings
# `annual_margin` a year, stays from one year to the next with probability
# `annual_retention` and whose margins are discounted at `annual_discount_rate` a year
# (rates as fractions, 0.12 for 12%). A year has four quarters; think about which of the
# three adds up over time and which compound.


# %%
def quarterly_terms(annual_margin, annual_retention, annual_discount_rate):
    ### BEGIN SOLUTION
    quarters = 4
    margin = annual_margin / quarters
    retention = annual_retention ** (1 / quarters)
    discount_rate = (1 + annual_discount_rate) ** (1 / quarters) - 1
    return margin, retention, discount_rate
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.quarterly_terms(quarterly_terms)

# %% [markdown]
# The package does the same conversion and says which unit the result is in; GLS's own data
# mix units even more (Capital One: a margin of $13.71 a quarter, retention and discount
# rate a year):

# %%
equity.per_period(13.71, 0.85, 0.12, from_unit="Y", to_unit="Q", margin_unit="Q")

# %% [markdown]
# ## Exercise 05.2 — the customers still to come
#
# GLS model the cumulative number of customers of a firm in quarter t as the S-curve
#
# $$N_t = \frac{\alpha}{1 + e^{-\beta - \gamma t}}.$$
#
# Return a NumPy array with the **new customers of each of the next `periods` quarters**
# after quarter `now`: the first element is the growth of the curve from `now` to
# `now + 1`, the last from `now + periods - 1` to `now + periods`. The check uses GLS's
# Table 3 curve of Amazon (α = 67.045 million, β = −4.114, γ = 0.265; `now` = 20, March
# 2002) and curves you have not seen.


# %%
def new_customers_next(alpha, beta, gamma, now, periods):
    ### BEGIN SOLUTION
    quarters = now + np.arange(periods + 1)
    cumulative = alpha / (1 + np.exp(-beta - gamma * quarters))
    return np.diff(cumulative)
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.new_customers_next(new_customers_next)

# %% [markdown]
# ## Exercise 05.3 — what a 1% better retention is worth
#
# A customer who brings `margin` a period, stays each period with probability
# `retention_rate` and is discounted at `discount_rate` a period is worth the margin
# multiple m r / (1 + i − r). Return the **% change of that value when retention improves
# by 1%** (the retention rate times 1.01), in percent: 3.8 for 3.8%. This is the number in
# GLS's Table 5 for one customer.


# %%
def retention_effect(margin, retention_rate, discount_rate):
    ### BEGIN SOLUTION
    def margin_multiple(retention):
        return margin * retention / (1 + discount_rate - retention)

    before = margin_multiple(retention_rate)
    after = margin_multiple(retention_rate * 1.01)
    return 100 * (after / before - 1)
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.retention_effect(retention_effect)

# %% [markdown]
# ## Exercise 05.4 — do loyal customers pay closer to the list price?
#
# One of the loyalty connectors is the price premium: customers who stay are less
# sensitive to price. The kit's lines carry `discount`, the MXN taken off the list price of
# each line (so its list value is `amount + discount`; a return is a negative copy of its
# line, discount included). Return, for each **tenure year** 1, 2, 3, … the **share of
# list value given as discount**, `sum(discount) / sum(amount + discount)` over the lines
# of that year, as a Series indexed by tenure year. A line's tenure year counts from its
# customer's **first purchase day** (their first day with a line of amount > 0) in years
# of 365.25 days: year k holds the lines dated between 365.25 (k − 1) and 365.25 k days
# after it. Use the lines up to and including `observation_end` (the whole day counts).

# %%
transactions[["customer_id", "date", "amount", "discount"]].head()


# %%
def discount_share_by_tenure_year(transactions, observation_end):
    ### BEGIN SOLUTION
    day = transactions["date"].dt.normalize()
    lines = transactions[day <= pd.Timestamp(observation_end)]
    purchases = lines[lines["amount"] > 0]
    first_day = purchases["date"].dt.normalize().groupby(purchases["customer_id"]).min()
    days = (lines["date"].dt.normalize() - lines["customer_id"].map(first_day)).dt.days
    tenure_year = (days // 365.25 + 1).astype(int).rename("tenure_year")
    list_value = lines["amount"] + lines["discount"]
    return lines["discount"].groupby(tenure_year).sum() / list_value.groupby(tenure_year).sum()
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.discount_share_by_tenure_year(discount_share_by_tenure_year, data_dir)

# %% [markdown]
# ## Exercise 05.5 — where did the change of customer equity come from?
#
# The course's conceptual model: customer equity grows by **winning new customers**
# (acquisition), by **selling more to the customers it keeps** (expansion), and shrinks by
# **customer mortality** (mortalidad de clientes), the customers it loses. `before` and
# `after` hold each customer's CLV (MXN, indexed by `customer_id`) valued at the end of
# 2024 and of 2025 as in the lesson (36 months ahead, 12% a year); `after` includes the
# customers acquired in 2025. `active` holds the ids
# of the customers of `before` who bought in between: they are the retained ones, the
# other customers of `before` are lost. Return the tuple `(acquisition, expansion,
# mortality)` in MXN:
#
# - acquisition: the value in `after` of the customers who are not in `before`;
# - expansion: the change of value, `after − before`, of the retained customers;
# - mortality **as a positive number, the value lost**: what the lost customers were worth
#   in `before` less what they are still worth in `after`.
#
# The three add up to the change: `after.sum() − before.sum() = acquisition + expansion −
# mortality`.

# %%
before = kit_clv_at(EQUITY_DATES[0], data_dir)
after = kit_clv_at(EQUITY_DATES[1], data_dir)
active = kit_active_between(*EQUITY_DATES, data_dir)
print(_("valued at {first}: {before:,} customers, at {second}: {after:,}; active in between: "
        "{active:,}").format(first=EQUITY_DATES[0], before=len(before), second=EQUITY_DATES[1],
                             after=len(after), active=len(active)))


# %%
def equity_change_parts(before, after, active):
    ### BEGIN SOLUTION
    new = after.index.difference(before.index)
    retained = before.index.isin(active)
    later = after.reindex(before.index).fillna(0.0)  # a lost customer missing from after: 0
    acquisition = after[new].sum()
    expansion = (later - before)[retained].sum()
    mortality = (before - later)[~retained].sum()
    return acquisition, expansion, mortality
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.equity_change_parts(equity_change_parts, data_dir)

# %% [markdown]
# ## Exercise 05.6 — split a budget between acquisition and retention (a decision)
#
# Blattberg & Deighton's customer equity test: money spent on acquisition buys an
# acquisition rate, money spent on retention buys a retention rate, both with diminishing
# returns (`acquisition` and `retention` are `equity.ResponseCurve`s). The course's curves:
# $1 per prospect wins 4% of them (ceiling 10%); $8 per customer keeps 60% (ceiling 80%);
# a customer brings a margin of $50 a year; 10% a year. This year's `budget` goes partly to
# the `prospects` (acquisition) and the rest to the current `customers` (retention).
# Return the **share of the budget to spend on acquisition**, from 0 to 1.
# `equity.split_equity(share, budget, prospects=..., customers=..., acquisition=...,
# retention=..., margin=..., discount_rate=...)` gives the customer equity a share leads
# to. The check scores your share by that equity against the best split's, here and on
# budgets and curves you have not seen; it passes at 95% of the best.

# %%
acquisition = equity.ResponseCurve.from_point(1.0, 0.04, ceiling=0.10)
retention = equity.ResponseCurve.from_point(8.0, 0.60, ceiling=0.80)
budget, prospects, customers = 150_000.0, 40_000.0, 6_000.0  # dollars, people, people
margin, discount_rate = 50.0, 0.10  # a year
print(_("$1 a prospect buys {acquisition:.0%} acquisition, $8 a customer {retention:.0%} "
        "retention").format(acquisition=acquisition.rate(1.0), retention=retention.rate(8.0)))


# %%
def split_budget(budget, prospects, customers, acquisition, retention, margin, discount_rate):
    ### BEGIN SOLUTION
    shares = np.linspace(0, 1, 1001)
    equity_by_share = equity.split_equity(
        shares, budget, prospects=prospects, customers=customers, acquisition=acquisition,
        retention=retention, margin=margin, discount_rate=discount_rate,
    )
    return float(shares[np.argmax(equity_by_share)])
    ### END SOLUTION


# %%
# NBVAL_CHECK_OUTPUT
check.split_budget(split_budget)

# %% [markdown]
# ## Exercise 05.7 — in your own words
#
# The kit's retailer sold more in the second half of 2025 than in the second half of
# 2024, and yet its customer equity fell over the second half of 2025 (lesson 05, "Equity
# or sales?"; the numbers below value the customers as exercise 05.5 and the lesson do).

# %%
second_half = transactions[transactions["date"].dt.month > 6]
sales = second_half.groupby(second_half["date"].dt.year)["amount"].sum()
mid_year, year_end = "2025-06-30", "2025-12-31"
change = equity.equity_change(kit_clv_at(mid_year, data_dir), kit_clv_at(year_end, data_dir),
                              kit_active_between(mid_year, year_end, data_dir))
print(_("sales July-December: 2024 {sales_2024:,.0f} MXN, 2025 {sales_2025:,.0f} MXN "
        "({change:+.1%})").format(sales_2024=sales[2024], sales_2025=sales[2025],
                                  change=sales[2025] / sales[2024] - 1))
change[["component", "customers", "value"]]

# %% [markdown]
# Explain, with these numbers, why the course notes call customer equity (capital basado en
# los clientes) a better measure of a firm's performance than its sales.
#
# ### BEGIN SOLUTION
# Sales count what customers have already bought; customer equity values what today's
# customers (and those still to come) will bring from now on, discounted. In the second half
# of 2025 the retailer sold 2,587,060 MXN, 3.9% more than a year before, because it
# harvested the large base it had won until June; but it won no new customer after June
# 2025 (acquisition 0), the 3,011 customers who bought nothing in those six months took
# 606,768 MXN of value with them (mortality), and the 1,989 who stayed added only 251,843
# MXN (expansion), so customer equity fell from 3,214,679 to 2,859,755 MXN, 11% less.
# Sales looked healthy while the source of future sales shrank: next year's sales will
# show it, customer equity shows it now. Equity also says which lever to pull (acquisition,
# retention, expansion), which a sales total cannot, and it is what the firm is worth to an
# owner (GLS compare it with market value).
#
# **Rubric** (4 points): a full answer names
#
# - that sales measure the past (what was bought) while customer equity measures the
#   future value of the customer base, discounted (1 point);
# - the numbers: sales up about 4% while equity fell about 11% (1 point);
# - why, from the decomposition: no acquisition after June, mortality larger than
#   expansion — sales harvested the base without renewing it (1 point);
# - why that makes equity the better measure: it warns before sales fall and points to the
#   lever (acquisition, retention, expansion) to act on (1 point).
# ### END SOLUTION
