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
# # 04a · Customer lifetime value I: the margin multiple, cohorts and the sBG model
#
# **Learning objectives.** After this lesson you can
#
# 1. say what *customer lifetime value (valor de vida del cliente)* is — the discounted
#    value of a customer's whole stream of purchases, net of *acquisition and retention
#    costs (costos de captación y de mantenimiento)* — and why the sum over customers,
#    *customer equity (capital basado en los clientes)*, looks forward where sales look
#    back;
# 2. value a customer with the *margin multiple* r/(1 + d − r), state its timing
#    convention and switch to the other one;
# 3. build a cohort retention table and a layer-cake chart of revenue by acquisition
#    cohort;
# 4. explain why a constant retention rate gets long-run retention wrong, fit the
#    shifted-beta-geometric (sBG) model, reproduce the published estimates, project
#    retention and value a customer by their tenure.
#
# This lesson is about *contractual* settings (subscriptions, memberships, insurance), where
# the firm sees a customer leave. Lesson 04b turns to the retailer's case, where customers
# leave silently.

# %% tags=["parameters"]
# Parameters (papermill): data, money and the sBG set-up.
data_dir = None  # None means the datasets/ folder of the kit
discount_rate = 0.10  # per year
retention_cost_rate = 0.05  # share of revenue spent on keeping customers (mailings, rewards)
base_year = 2024  # retention is measured from base_year to base_year + 1
cohort_period = "Q"  # acquisition cohorts and retention steps: "M", "Q" or "Y"
cake_period = "M"  # calendar periods of the layer cake: "M", "Q" or "Y"
fit_years = 7  # the sBG is fitted on years 0..fit_years (3 to 11), as in the paper
tenure_renewals = 4  # renewals made by the customer valued in section 7 (0 to 12)
annual_margin = 1200.0  # MXN margin per year of a subscriber, for residual value
language = "en"  # "en" or "es": the language of the kit's messages, labels and numbers

# %%
import pandas as pd

import relmark_lab as rl
from relmark_lab.lessons import (
    Choice,
    Folder,
    Number,
    WholeNumber,
    check_parameters,
    use_lesson_display,
)

use_lesson_display(language=language)

check_parameters(data_dir=Folder(data_dir))  # the years allowed below are read from it
window = rl.datasets.load_truth(data_dir)
first_base_year = pd.Timestamp(window["observation_start"]).year
# base_year + 1 must be observed in full, so its retention is not cut short.
last_base_year = (pd.Timestamp(window["observation_end"]) + pd.Timedelta(days=1)).year - 2
PERIODS = ("M", "Q", "Y")  # the calendar periods a cohort table and a layer cake can show
check_parameters(
    data_dir=Folder(data_dir),
    discount_rate=Number(discount_rate, low=0, high=1, strict=True),
    retention_cost_rate=Number(retention_cost_rate, low=0, high=1),
    base_year=WholeNumber(base_year, low=first_base_year, high=last_base_year),
    cohort_period=Choice(cohort_period, PERIODS),
    cake_period=Choice(cake_period, PERIODS),
    fit_years=WholeNumber(fit_years, low=3, high=11),
    tenure_renewals=WholeNumber(tenure_renewals, low=0, high=12),
    annual_margin=Number(annual_margin, low=0, unit="MXN"),
)
base_year, fit_years, tenure_renewals = int(base_year), int(fit_years), int(tenure_renewals)

# %%
import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib.ticker import PercentFormatter

from relmark_lab import clv
from relmark_lab.i18n import gettext as _
from relmark_lab.plots import clv as clv_plots

sns.set_theme(style="whitegrid", context="notebook")
# Names of the calendar periods, so every label follows cohort_period and cake_period.
ADJECTIVE = {"M": _("monthly"), "Q": _("quarterly"), "Y": _("yearly")}
SINGULAR = {"M": _("month"), "Q": _("quarter"), "Y": _("year")}
PLURAL = {"M": _("months"), "Q": _("quarters"), "Y": _("years")}

# %% [markdown]
# ## 1. Why lifetime value
#
# The course notes put it bluntly: losing a customer means losing more than a sale — it
# means losing the *whole stream of purchases (flujo de compras)* that customer would have
# made over a lifetime of preference. The *customer lifetime value (valor de vida del
# cliente)* puts a number on that stream: the net value the firm gets over the whole
# relationship, all purchases minus the costs of winning and keeping the customer.
#
# Added up over every customer, lifetime values give *customer equity (capital basado en
# los clientes)*, the value of the customer base. The notes argue it can be a better
# measure of a firm's performance than sales or market share: those report the past,
# customer equity the future. Lesson 05 computes it; this lesson and 04b build the pieces.
#
# The key quantity is *retention*: the share of customers who stay from one period to
# the next. Its complement is *customer churn*, which the notes call *customer mortality
# (mortalidad de clientes)*; reducing it is one of the three aims of relationship
# marketing they list, with selling more to current customers and winning new ones.

# %% [markdown]
# ## 2. The margin multiple
#
# The textbook model: a customer brings a margin *m* per period (net of what is spent to
# keep them), stays each period with probability *r*, and money is discounted at *d* per
# period. If margins arrive at the **end** of each period, and the first one only if the
# customer is still there, the expected discounted value is
#
# $$CLV = m \sum_{t=1}^{\infty} \frac{r^t}{(1+d)^t} = m \, \frac{r}{1 + d - r}.$$
#
# The fraction r/(1 + d − r) is the *margin multiple*: how many margins a customer is
# worth. The other convention puts the first margin **now**, certain, and gives
# m (1 + d)/(1 + d − r) — exactly one margin more. Always say which one you use. A few
# lines of numpy sum the series term by term and agree with the closed forms:

# %%
r, d = 0.8, discount_rate
t = np.arange(0, 400)
by_hand_end = (r ** t[1:] / (1 + d) ** t[1:]).sum()  # t = 1, 2, ...
by_hand_start = (r**t / (1 + d) ** t).sum()  # t = 0, 1, ...

# %%
# NBVAL_CHECK_OUTPUT
print(_("r = {r}, d = {d}: end of period  {by_sum:.4f} (sum)  {by_formula:.4f} (formula)").format(
    r=r, d=d, by_sum=by_hand_end, by_formula=clv.margin_multiple(r, d)))
print(_("                 start of period {by_sum:.4f} (sum)  {by_formula:.4f} (formula)").format(
    by_sum=by_hand_start, by_formula=clv.margin_multiple(r, d, timing="start")))

# %% [markdown]
# The multiple grows quickly with retention. At 10% a year, a customer retained at 60%
# is worth 1.2 annual margins; one retained at 90% is worth 4.5. Small gains in retention
# near the top are worth a lot, which is why loyalty programs aim there.

# %%
retention_grid = np.round(np.arange(0.5, 0.96, 0.05), 2)
discount_grid = [0.05, 0.10, 0.15, 0.20]
multiples = pd.DataFrame(
    {f"d = {rate:.0%}": clv.margin_multiple(retention_grid, rate) for rate in discount_grid},
    index=pd.Index([f"{r:.0%}" for r in retention_grid], name=_("retention rate r")),
)
fig, ax = plt.subplots(figsize=(7, 4.8))
sns.heatmap(multiples, annot=True, fmt=".2f", cmap="Greens", cbar=False, ax=ax)
ax.set(title=_("Margin multiple r / (1 + d − r), margins at the end of each period"),
       xlabel=_("discount rate per period"), ylabel=_("retention rate per period"))
ax.tick_params(axis="y", rotation=0)
fig.tight_layout()

# %%
# NBVAL_CHECK_OUTPUT
print(multiples.loc[["60%", "80%", "90%"]].map("{:.2f}".format).to_string())

# %% [markdown]
# ## 3. A retention-based CLV on the kit's data
#
# The kit's retailer has no contracts, but the simple model can still be fed with yearly
# figures: of the customers who bought in `base_year`, how many bought again the next
# year (r), and what margin did each of those bring in that next year (m)? "Bought" means
# a line with a positive amount: in the kit's data a return comes on a later day under an
# order number of its own, so it never undoes a purchase (the kit's one rule for orders
# and returns, used by every stage, says so too; it is in `docs/contract.md`). A few lines
# of pandas:

# %%
transactions = rl.datasets.load_transactions(data_dir)
customers = rl.datasets.load_customers(data_dir)
observation_end = rl.datasets.load_truth(data_dir)["observation_end"]

year = transactions["date"].dt.year
purchases = transactions[transactions["amount"] > 0]
buyers = {y: set(purchases.loc[year[purchases.index] == y, "customer_id"])
          for y in (base_year, base_year + 1)}
retained = buyers[base_year] & buyers[base_year + 1]
next_year = transactions[(year == base_year + 1) & transactions["customer_id"].isin(retained)]

retention_rate = len(retained) / len(buyers[base_year])
gross_margin = next_year["margin"].sum() / len(retained)
retention_cost = retention_cost_rate * next_year["amount"].sum() / len(retained)
margin = gross_margin - retention_cost  # margin net of the cost of keeping the customer
acquisition_cost = customers["acquisition_cost"].mean()

# %% [markdown]
# `clv.retention_clv` turns these into a value net of acquisition cost, over an infinite
# or a finite horizon; `clv.retention_clv_schedule` shows the build-up year by year.

# %%
# NBVAL_CHECK_OUTPUT
print(_("buyers in {year}: {buyers:,}   still buying in {following}: {retained:,}   "
        "retention r = {rate:.1%} a year").format(
    year=base_year, buyers=len(buyers[base_year]), following=base_year + 1,
    retained=len(retained), rate=retention_rate))
print(_("margin per retained customer: {gross:,.0f} MXN gross, {cost:,.0f} retention cost, "
        "m = {margin:,.0f} MXN a year").format(gross=gross_margin, cost=retention_cost,
                                              margin=margin))
print(_("mean acquisition cost: {cost:,.0f} MXN   margin multiple at d = {rate:.0%}: "
        "{multiple:.3f}").format(cost=acquisition_cost, rate=discount_rate,
                                 multiple=clv.margin_multiple(retention_rate, discount_rate)))
for horizon in (1, 3, 5, None):
    value = clv.retention_clv(margin, retention_rate, discount_rate, horizon=horizon,
                              acquisition_cost=acquisition_cost)
    if horizon is None:
        print(_("CLV net of acquisition cost, infinite : {value:8,.0f} MXN").format(value=value))
    else:
        years = (_("{years} year") if horizon == 1 else _("{years} years")).format(years=horizon)
        print(_("CLV net of acquisition cost, {horizon:<9}: {value:8,.0f} MXN").format(
            horizon=years, value=value))

# %%
schedule = clv.retention_clv_schedule(margin, retention_rate, discount_rate, horizon=8,
                                      acquisition_cost=acquisition_cost)
schedule_start = clv.retention_clv_schedule(margin, retention_rate, discount_rate, horizon=8,
                                            acquisition_cost=acquisition_cost, timing="start")
both = pd.concat({_("end of year (first margin if retained)"): schedule,
                  _("start of year (first margin now)"): schedule_start}, names=["timing"])
fig, ax = plt.subplots(figsize=(8, 4))
sns.lineplot(data=both.reset_index(), x="period", y="cumulative_clv", hue="timing",
             marker="o", ax=ax)
ax.axhline(0, color="grey", linewidth=1)
ax.set(title=_("Cumulative CLV net of acquisition cost, kit's retailer"),
       xlabel=_("year"), ylabel=_("MXN per customer"))
ax.legend(title=None, fontsize="small")
fig.tight_layout()

# %% [markdown]
# With the default `base_year` the acquisition cost is paid at once and recovered within
# the first year, and most of the value comes in the first three years: with a yearly
# retention near 60% few customers are left after that.
# The model is crude — it treats a year without purchases as the end of the relationship,
# and gives every customer the same r — but it is the number many firms use.

# %% [markdown]
# ## 4. Cohorts and the layer cake
#
# A *cohort* is the group of customers acquired in the same period. Following each cohort
# over time separates two things a total sales figure mixes: how many customers the firm
# wins, and how long it keeps them. `clv.cohort_retention_table` says, for each cohort
# (the calendar period of a customer's first purchase day: a quarter with the default
# `cohort_period="Q"`, a month with `"M"`), what share of its customers had a purchase day
# in each later calendar period of the same length, up to `observation_end`.

# %%
step, steps = SINGULAR[cohort_period], PLURAL[cohort_period]
retention_table = clv.cohort_retention_table(transactions, observation_end,
                                             period=cohort_period)
n_cohorts = retention_table["cohort"].nunique()
fig, ax = plt.subplots(figsize=(11, max(5, 0.22 * n_cohorts)))
clv_plots.plot_cohort_retention(retention_table, ax=ax)
for label in ax.texts:  # many cohorts: smaller figures in the cells, so they do not overlap
    label.set_fontsize(10 if n_cohorts <= 12 else 6)
ax.set(title=_("Share of each {adjective} cohort buying, by {steps} since acquisition").format(
           adjective=ADJECTIVE[cohort_period], steps=steps),
       xlabel=_("{steps} since acquisition").format(steps=steps),
       ylabel=_("acquisition cohort ({step})").format(step=step))
fig.tight_layout()

# %%
# NBVAL_CHECK_OUTPUT
first_cohort = retention_table[retention_table["cohort"] == retention_table["cohort"].min()]
shares = first_cohort.set_index("periods_since_acquisition")["share"]
later = [k for k in {"M": (1, 3, 12), "Q": (1, 4, 8), "Y": (1, 2)}[cohort_period]
         if k in shares.index]
print(_("cohorts: {cohorts}   first cohort {cohort}: {customers:,} customers").format(
    cohorts=n_cohorts, cohort=first_cohort["cohort"].iloc[0],
    customers=first_cohort["customers"].iloc[0]))
print(_("share buying after {periods} {steps}: {shares}").format(
    periods=", ".join(map(str, later)), steps=steps,
    shares=", ".join(f"{shares[k]:.1%}" for k in later)))
one_step = retention_table.query("periods_since_acquisition == 1")["share"]
print(_("share buying one {step} after acquisition: {low:.1%} to {high:.1%} across "
        "cohorts").format(step=step, low=one_step.min(), high=one_step.max()))

# %% [markdown]
# Read a row from left to right: the share of a cohort that buys again drops in the first
# period after acquisition (about half of each quarterly cohort buys in the next quarter),
# then keeps falling, ever more slowly. Read a column from top to bottom to compare
# cohorts at the same age: here they behave alike, as they should in a simulation where
# the acquisition channel does not change behaviour.
#
# The *layer cake* stacks each cohort's revenue over calendar time. Each new layer is one
# cohort period's acquisitions; the thickness of the old layers shows how much revenue the
# customers won earlier still bring.

# %%
cake = clv.layer_cake(transactions, observation_end, period=cake_period,
                      cohort_period=cohort_period)
fig, ax = plt.subplots(figsize=(11, 5))
clv_plots.plot_layer_cake(cake, ax=ax)
ax.legend(title=_("cohort ({step})").format(step=step), loc="upper left",
          bbox_to_anchor=(1.01, 1), fontsize="x-small", ncols=1 if n_cohorts <= 16 else 2)
ax.yaxis.set_major_formatter("{x:,.0f}")
ax.set(title=_("Layer cake: {cake} net revenue by {cohort} acquisition cohort").format(
           cake=ADJECTIVE[cake_period], cohort=ADJECTIVE[cohort_period]),
       xlabel=SINGULAR[cake_period],
       ylabel=_("MXN per {period}").format(period=SINGULAR[cake_period]))
fig.tight_layout()

# %%
# NBVAL_CHECK_OUTPUT
last_year = cake[cake["period"].str.startswith(str(base_year + 1))]
from_old = last_year.loc[last_year["cohort"] < str(base_year + 1), "revenue"].sum()
print(_("layer cake adds up to total net revenue: {adds_up}").format(
    adds_up=np.isclose(cake["revenue"].sum(), transactions["amount"].sum())))
print(_("revenue {year}: {revenue:,.0f} MXN, {share:.1%} from customers acquired before "
        "{year}").format(year=base_year + 1, revenue=last_year["revenue"].sum(),
                         share=from_old / last_year["revenue"].sum()))

# %% [markdown]
# ## 5. Why a constant retention rate is wrong
#
# The margin multiple assumes every customer stays with the same probability every
# period. Real cohorts disagree: their retention rate **rises with tenure**. Fader and
# Hardie (2007) show two cohorts of 1,000 subscribers of a service, "regular" and "high
# end", followed for 12 years. Year-on-year retention, survivors(t) / survivors(t − 1):

# %%
cohorts = rl.datasets.load_sbg_cohorts()
cohorts["retention"] = cohorts.groupby("segment")["n_alive"].transform(
    lambda alive: alive / alive.shift())

# %%
# NBVAL_CHECK_OUTPUT
observed = cohorts.pivot(index="year", columns="segment", values="retention").dropna()
print(observed.T.map("{:.1%}".format).to_string())

# %% [markdown]
# Nothing changes in the customers themselves; the *mix* changes. Customers differ in how
# likely they are to cancel, and the ones who cancel easily leave first, so each year the
# survivors are a more loyal group. Two groups are enough to see it: half the customers
# cancel with probability 0.5 a year, half with 0.1.

# %%
churn = np.array([0.5, 0.1])
years = np.arange(0, 9)
alive = 0.5 * ((1 - churn[:, None]) ** years).sum(axis=0)  # share of the cohort left
mix_retention = alive[1:] / alive[:-1]

# %%
# NBVAL_CHECK_OUTPUT
print(_("retention of the mixed cohort, years 1-8: {rates}").format(
    rates=", ".join(f"{rate:.1%}" for rate in mix_retention)))

# %% [markdown]
# No customer's behaviour changes, yet the cohort's retention climbs from 70% towards
# 90%. A constant rate estimated early — or averaged over the years — therefore
# **underestimates** how many customers are left in the long run, and with them the value
# of the customers who have already stayed for years.

# %% [markdown]
# ## 6. The shifted-beta-geometric (sBG) model
#
# The sBG model (Fader & Hardie 2007) makes the two-group story continuous. Each customer
# cancels at each renewal with their own probability θ, so their lifetime is geometric;
# across customers θ follows a Beta(α, β) distribution. Then the share still a customer
# after t periods and the retention rate in period t are
#
# $$S(t) = \frac{B(\alpha, \beta + t)}{B(\alpha, \beta)}, \qquad
#   r_t = \frac{\beta + t - 1}{\alpha + \beta + t - 1},$$
#
# and r_t rises towards 1. `clv.ShiftedBetaGeometric` fits α and β by maximum likelihood
# on a cohort's survivors. Its periods are those of the data: the published table records
# that they are years (`cohorts.attrs["time_unit"] == "Y"`), and the fitted model keeps it
# in `time_unit_`, so a discount rate for it is a rate per year. (For a plain list of
# counts, say `fit(n_alive, time_unit="Y")`.) The paper fits years 0–7 and holds out years
# 8–12; here the fit uses years 0 to `fit_years`, 7 by default:

# %%
published = {"regular": {"alpha": 0.704, "beta": 1.182},
             "high_end": {"alpha": 0.668, "beta": 3.806}}
models = {}
for segment in published:
    survivors = cohorts.query("segment == @segment and year <= @fit_years")["n_alive"]
    models[segment] = clv.ShiftedBetaGeometric().fit(survivors)

# %%
# NBVAL_CHECK_OUTPUT
for segment, model in models.items():
    estimate = model.params_.round(3)
    agree = all(estimate[name] == value for name, value in published[segment].items())
    verdict = (_("reproduced") if agree else _("DIFFERENT")) if fit_years == 7 else \
        _("fitted on years 0-{last}, the paper on 0-7").format(last=fit_years)
    print(_("{segment:<9} alpha {alpha:.3f} (published {paper_alpha})  beta {beta:.3f} "
            "(published {paper_beta})  LL {ll:,.1f}  -> {verdict}").format(
        segment=segment, alpha=estimate["alpha"], paper_alpha=published[segment]["alpha"],
        beta=estimate["beta"], paper_beta=published[segment]["beta"],
        ll=model.log_likelihood_, verdict=verdict))

# %% [markdown]
# `summary()` adds standard errors and 95% intervals (on the log scale, so they stay
# positive). The high-end customers have a larger β: their churn probabilities are lower
# on average, α/(α + β) = 0.15 against 0.37.

# %%
pd.concat({segment: model.summary().set_index("parameter") for segment, model in models.items()},
          names=["segment"])

# %% [markdown]
# The test of a retention model is the future it did not see. Projected survivors for
# the years after `fit_years` up to year 12, next to the actual ones and next to a
# constant-retention projection that uses the cohort's mean yearly retention over the
# fitted years, (S(k))^(1/k) with k = `fit_years`:

# %%
last = 12
projection_rows = []
for segment, model in models.items():
    actual = cohorts.query("segment == @segment").set_index("year")["n_alive"]
    mean_retention = (actual[fit_years] / actual[0]) ** (1 / fit_years)
    sbg = model.expected_alive(last, cohort_size=actual[0]).set_index("period")["n_alive"]
    for year_ in range(fit_years + 1, last + 1):
        projection_rows.append({
            "segment": segment, "year": year_, "actual": actual[year_], "sBG": sbg[year_],
            "constant retention": actual[fit_years] * mean_retention ** (year_ - fit_years),
        })
projection = pd.DataFrame(projection_rows)

# %%
# NBVAL_CHECK_OUTPUT
headings = {"actual": _("actual"), "constant retention": _("constant retention")}
print(projection.round(0).rename(columns=headings).to_string(index=False))
error = projection.assign(
    sbg=(projection["sBG"] / projection["actual"] - 1).abs(),
    constant=(projection["constant retention"] / projection["actual"] - 1).abs(),
).groupby("segment")[["sbg", "constant"]].mean()
held_out = (_("year {last}").format(last=last) if fit_years + 1 == last
            else _("years {first}-{last}").format(first=fit_years + 1, last=last))
print(_("mean absolute % error, {held_out}:").format(held_out=held_out))
print(error.map("{:.1%}".format).to_string())

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 4.5), sharey=True)
for ax, (segment, model) in zip(axes, models.items(), strict=True):
    actual = cohorts.query("segment == @segment")
    clv_plots.plot_retention_projection(actual, model.expected_alive(last, 1000.0),
                                        fitted_periods=fit_years, ax=ax)
    constant = projection.query("segment == @segment")
    ax.plot(constant["year"], constant["constant retention"], "--",
            label=_("constant retention"))
    ax.set(title=_("{segment}: survivors of 1,000, sBG fitted on years 0–{last}").format(
               segment=segment, last=fit_years),
           xlabel=_("year"), ylabel=_("subscribers still active"))
    ax.yaxis.set_major_formatter("{x:,.0f}")
    ax.legend()
fig.tight_layout()

# %% [markdown]
# The sBG projection stays within a few percent of the actual survivors five years past
# the data; the constant rate loses customers too fast and the gap widens every year.
# The model's retention curve follows the observed one:

# %%
curve = pd.concat(
    {segment: pd.DataFrame({"year": np.arange(1, last + 1),
                            "sBG": model.retention_rate(np.arange(1, last + 1))})
     for segment, model in models.items()}, names=["segment"]).reset_index(level=0)
fig, ax = plt.subplots(figsize=(8, 4))
sns.lineplot(data=curve, x="year", y="sBG", hue="segment", ax=ax)
sns.scatterplot(data=cohorts.dropna(), x="year", y="retention", hue="segment", legend=False,
                ax=ax)
ax.axvline(fit_years + 0.5, color="grey", linestyle=":")
ax.yaxis.set_major_formatter(PercentFormatter(1, decimals=0))
ax.set(title=_("Retention rate by year: sBG (lines) and observed (points)"),
       xlabel=_("year"), ylabel=_("share of last year's subscribers renewing"))
ax.get_legend().set_title(_("segment"))
fig.tight_layout()

# %% [markdown]
# ## 7. What a customer with tenure is worth
#
# Because retention rises with tenure, a customer who has already renewed several times is
# worth more than a new one. Fader & Hardie (2010) give the *discounted expected residual
# lifetime* (DERL): the expected number of further payments of one unit per period,
# discounted, for a customer who has made n renewals and is about to decide on the next.
# `expected_residual_lifetime(n, d)` computes it; times the margin per year it is the
# customer's residual value. The constant-retention model gives every customer the same
# value, r (1 + d)/(1 + d − r) payments under the same timing (the next payment comes if
# they renew, and is not discounted).

# %%
renewals = np.arange(0, 13)
derl = pd.concat(
    {segment: pd.DataFrame({"renewals": renewals,
                            "sBG": model.expected_residual_lifetime(renewals, discount_rate)})
     for segment, model in models.items()}, names=["segment"]).reset_index(level=0)
constant_value = {}
for segment in models:
    actual = cohorts.query("segment == @segment").set_index("year")["n_alive"]
    mean_retention = (actual[fit_years] / actual[0]) ** (1 / fit_years)
    constant_value[segment] = (1 + discount_rate) * clv.margin_multiple(mean_retention,
                                                                        discount_rate)

# %%
# NBVAL_CHECK_OUTPUT
print(_("residual value at d = {rate:.0%} a year, margin {margin:,.0f} MXN a year").format(
    rate=discount_rate, margin=annual_margin))
for segment, model in models.items():
    new = model.expected_residual_lifetime(0, discount_rate)
    tenured = model.expected_residual_lifetime(tenure_renewals, discount_rate)
    flat = constant_value[segment]
    print(_("{segment:<9} new customer {new:.2f} payments = {new_value:,.0f} MXN;  after "
            "{renewals} renewals {tenured:.2f} = {tenured_value:,.0f} MXN;  constant retention "
            "{flat:.2f} = {flat_value:,.0f} MXN").format(
        segment=segment, new=new, new_value=new * annual_margin, renewals=tenure_renewals,
        tenured=tenured, tenured_value=tenured * annual_margin, flat=flat,
        flat_value=flat * annual_margin))

# %%
fig, ax = plt.subplots(figsize=(8, 4))
sns.lineplot(data=derl, x="renewals", y="sBG", hue="segment", marker="o", ax=ax)
for i, segment in enumerate(models):
    ax.axhline(constant_value[segment], color=f"C{i}", linestyle="--", linewidth=1)
ax.set(title=_("Residual value in yearly payments: sBG (lines), constant retention (dashed)"),
       xlabel=_("renewals made so far"), ylabel=_("discounted yearly payments (DERL)"))
ax.get_legend().set_title(_("segment"))
fig.tight_layout()

# %% [markdown]
# A regular subscriber who has renewed four times is worth about twice a new one (the
# figures above are for `tenure_renewals` renewals, four by default). The
# constant-retention model gives everyone one value, near a new customer's and far below
# a loyal one's; summed over a base of long-tenure customers, it under-values the whole
# customer base — the "perils of ignoring heterogeneity" of Fader & Hardie's 2010 paper.

# %% [markdown]
# ## Key takeaways
#
# * Customer lifetime value is the discounted value of a customer's whole stream of
#   purchases net of acquisition and retention costs; summed over customers it is
#   customer equity, a forward-looking measure.
# * The margin multiple r/(1 + d − r) assumes the first margin one period from now and
#   only if the customer stays; (1 + d)/(1 + d − r) puts it now. They differ by one
#   margin: always state the timing.
# * Cohort tables and the layer cake separate acquisition from retention: on the kit's
#   data about half of each quarterly cohort buys again the next quarter, and most of a
#   year's revenue comes from customers acquired in earlier years.
# * Retention rises with tenure because customers differ, not because they change. A
#   constant rate under-projects survivors and under-values loyal customers.
# * The sBG model captures that with two parameters, reproduces the published estimates
#   (regular α = 0.704, β = 1.182; high end α = 0.668, β = 3.806) and projects five years
#   ahead within a few percent; its DERL values a customer by tenure.
#
# **Exercises:** [`exercises/04a_clv_contractual.ipynb`](../exercises/04a_clv_contractual.ipynb) (five exercises with self-checks,
# one of them a decision scored on subscribers you do not see, and one in your own words).
