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
# # 02 · Customer differentiation: who is worth what
#
# **Learning objectives.** After this lesson you can
#
# 1. compute each customer's profit as margin minus a *cost to serve* with explicit prices,
#    draw Kaplan's whale curve and say which customers destroy value and when a relationship
#    should end;
# 2. build a VIP score from purchase volume, frequency, amount, payment behaviour and tenure,
#    cut it into tiers and measure how much the VIP list depends on the weights;
# 3. place customers in the Reinartz–Kumar matrix (strangers, butterflies, true friends,
#    barnacles) and in Jones and Sasser's satisfaction × loyalty typology, with the action
#    each group calls for;
# 4. compute a net promoter score with a confidence interval, relate perceived value and
#    satisfaction to spend, and size the wallet left on the table;
# 5. find what drives perceived value among the five weapons of *value for effort* with a
#    key-driver analysis, and read the importance–performance map;
# 6. split a contact budget across value tiers and pick mass-media or direct channels for each,
#    and say which relationship level, from basic to partnership, each segment warrants.
#
# *Differentiation (diferenciación)* is the second step of a relationship-marketing program,
# after identification: every customer has a different value for the firm, and the firm treats
# them accordingly. Lesson 03 differentiates by recency, frequency and amount (RFM); this
# lesson differentiates by **profit**, **loyalty** and **what customers tell us**.

# %% tags=["parameters"]
# Parameters (papermill): data, cost-to-serve prices (MXN), tiers, budget, seed.
data_dir = None  # None means the datasets/ folder of the kit
cost_per_order = 60.0  # MXN per purchase order (picking, packing, payment fees)
cost_per_return = 150.0  # MXN per returned line (reverse logistics)
cost_per_contact = 80.0  # MXN per voice-of-the-customer contact
cost_per_late_order = 60.0  # MXN of collection effort per order paid late
late_rate_per_day = 0.0005  # financing cost per MXN per day late (about 18% a year)
vip_tiers = {"VIP": 0.05, "Gold": 0.15, "Silver": 0.30, "Bronze": 0.50}
contact_budget = 400_000.0  # MXN per year for customer contacts
seed = 20261125  # for the bootstrap and the jitter of plots
language = "en"  # "en" or "es": the language of the kit's messages, labels and numbers

# %%
from relmark_lab.lessons import (
    Folder,
    Number,
    Shares,
    WholeNumber,
    check_parameters,
    use_lesson_display,
)

use_lesson_display(language=language)

check_parameters(
    data_dir=Folder(data_dir),
    cost_per_order=Number(cost_per_order, low=0, unit="MXN"),
    cost_per_return=Number(cost_per_return, low=0, unit="MXN"),
    cost_per_contact=Number(cost_per_contact, low=0, unit="MXN"),
    cost_per_late_order=Number(cost_per_late_order, low=0, unit="MXN"),
    late_rate_per_day=Number(late_rate_per_day, low=0, high=1),
    vip_tiers=Shares(vip_tiers),
    contact_budget=Number(contact_budget, low=0, unit="MXN"),
    seed=WholeNumber(seed, low=0),
)

# %%
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

import relmark_lab as rl
from relmark_lab import differentiate as dif
from relmark_lab.i18n import gettext as _
from relmark_lab.plots import differentiate as dplot

sns.set_theme(style="whitegrid", context="notebook")
seed = int(seed)
# Tiers that leave customers out put the rest in one more tier; the first is the best tier.
if sum(vip_tiers.values()) < 1 - 1e-9:
    vip_tiers = {**vip_tiers, "Rest": 1 - sum(vip_tiers.values())}
top_tier = next(iter(vip_tiers))


def as_percent(table, *columns):
    """The table with its share columns written as percentages, for display."""
    return table.assign(**{column: table[column].map("{:.1%}".format) for column in columns})


transactions = rl.datasets.load_transactions(data_dir)
observation_end = rl.datasets.load_truth(data_dir)["observation_end"]  # last observed day
customers = rl.datasets.load_customers(data_dir)
contacts = rl.datasets.load_voice_of_customer(data_dir)
survey = rl.datasets.load_survey(data_dir)

# %% [markdown]
# ## 1. Customer profitability
#
# The course notes say that many firms now use *profitability analysis (análisis de
# rentabilidad)* to choose their customers carefully: pamper the winners, and stop chasing
# customers who cost more than they bring. Revenue does not tell who those are. Two customers
# with the same revenue can differ a lot in what they cost: one places a few large orders and
# pays on time; the other places many small orders, returns goods, calls the service line and
# pays late.
#
# **Customer profit = gross margin − cost to serve.** The gross margin is in every order line.
# The *cost to serve* is activity-based: count how often each customer uses an activity and
# multiply by its price. Counting orders needs one rule about returns, the same in every
# lesson of the kit: a return never counts as an order, and when a return or cancellation
# undoes a purchase (same order number, or the same day), that purchase is no order either
# (the full rule is in `docs/contract.md`). The kit's returns carry an order number of their
# own and come days later, so here the purchase orders are simply the orders whose lines add
# up to more than zero. In a few lines of pandas, with only the cost of orders:

# %%
orders = transactions.groupby(["customer_id", "order_id"])["amount"].sum()
purchases = orders[orders > 0].reset_index()  # a return is an order of its own, negative
by_hand = pd.DataFrame({
    "margin": transactions.groupby("customer_id")["margin"].sum(),
    "orders": purchases.groupby("customer_id").size(),
})
by_hand["profit"] = by_hand["margin"] - by_hand["orders"] * cost_per_order
by_hand.head(3)

# %% [markdown]
# `dif.customer_profitability` does the same with every activity of the cost model: orders,
# returned lines, contacts in the voice-of-the-customer log, and late payments (a collection
# cost per late order plus the cost of financing the money while it is late). The prices are
# parameters of this lesson; replace them with your firm's. Like every function of the kit
# that reads order lines, it takes the *observation end*, the last observed day (31 December
# 2025 for the kit's data): lines and contacts dated later are left out and counted.

# %%
cost_model = dif.CostToServe(
    per_order=cost_per_order, per_return=cost_per_return, per_contact=cost_per_contact,
    per_late_order=cost_per_late_order, late_rate_per_day=late_rate_per_day,
)
profitability = dif.customer_profitability(transactions, observation_end, customers=customers,
                                           contacts=contacts, cost=cost_model)
profitability.head()

# %%
# NBVAL_CHECK_OUTPUT
totals = profitability[["revenue", "margin", "cost_to_serve", "profit"]].sum()
print(_("customers: {customers:,}").format(customers=len(profitability)))
for name, value in totals.items():
    print(f"  {name:<14} {value:>13,.0f} MXN")
print(_("cost to serve as % of margin: {share:.1%}").format(
    share=totals["cost_to_serve"] / totals["margin"]))

# %%
fig, ax = plt.subplots(figsize=(9, 4))
dplot.plot_profit_distribution(profitability, ax=ax)
fig.tight_layout()

# %% [markdown]
# ## 2. The whale curve
#
# Sort customers from the most to the least profitable and add up their profit. Robert Kaplan
# called the resulting curve the *whale curve*: it climbs above 100% of the total profit
# while profitable customers are added, peaks, and sinks back to 100% as the value-destroying
# customers at the tail take profit away. The height of the hump is the profit the firm would
# make if it served only its profitable customers at no extra cost.

# %%
def whale_or_none(table):
    """The whale curve and its summary, or None when the customers together make a loss.

    The curve is drawn in shares of total profit, which need a positive total.
    """
    if table["profit"].sum() <= 0:
        return None, None
    return dif.whale_curve(table), dif.whale_summary(table)


curve, summary = whale_or_none(profitability)

# %%
# NBVAL_CHECK_OUTPUT
if summary is None:
    print(_("at these prices the customers together make a loss of {loss:,.0f} MXN: there is "
            "no whale curve to draw (its shares need a positive total profit)").format(
        loss=-totals["profit"]))
else:
    print(_("peak: {peak:.0%} of total profit, earned by the top {top:.1%} of customers").format(
        peak=summary["peak_profit_share"], top=summary["peak_customer_share"]))
    print(_("value-destroying customers: {count:,.0f} ({share:.1%})").format(
        count=summary["value_destroying_customers"], share=summary["value_destroying_share"]))
    print(_("profit they destroy: {profit:,.0f} MXN ({share:.1%} of total profit)").format(
        profit=summary["profit_destroyed"], share=summary["profit_destroyed_share"]))

# %% [markdown]
# The shape depends on the cost model, and mostly on the price of an order: a customer whose
# baskets are small earns less margin per order than the order costs. Adding the *acquisition
# cost* (what it cost to win the customer, in the customer master) turns the curve into a
# profit-since-acquisition view, and the whale grows:

# %%
with_acquisition = dif.CostToServe(**{**cost_model.__dict__, "include_acquisition": True})
profit_acq = dif.customer_profitability(transactions, observation_end, customers=customers,
                                        contacts=contacts, cost=with_acquisition)

curve_acq, summary_acq = whale_or_none(profit_acq)

fig, ax = plt.subplots(figsize=(8, 5))
if curve is not None:
    dplot.plot_whale_curve(curve, ax=ax, label=_("margin − cost to serve"))
if curve_acq is not None:
    dplot.plot_whale_curve(curve_acq, ax=ax, label=_("… − acquisition cost"),
                           annotate=curve is None)
if curve is None and curve_acq is None:
    ax.text(0.5, 0.5, _("a loss overall: no whale curve"), ha="center", transform=ax.transAxes)
else:
    ax.legend(loc="lower right")
fig.tight_layout()

# %%
# NBVAL_CHECK_OUTPUT
def whale_row(label, table):
    s = whale_or_none(table)[1]
    if s is None:
        return _("  {label}: a loss overall, no whale curve").format(label=label)
    return _("  {label}: peak {peak:.0%}, value destroyers {destroyers:.0%}").format(
        label=label, peak=s["peak_profit_share"], destroyers=s["value_destroying_share"])


rows = []
for price in (40.0, 60.0, 80.0):
    model = dif.CostToServe(**{**cost_model.__dict__, "per_order": price})
    label = _("cost per order {price:>4.0f} MXN").format(price=price)
    rows.append(whale_row(label, dif.customer_profitability(
        transactions, observation_end, customers=customers, contacts=contacts, cost=model)))
rows.append(whale_row(_("with acquisition cost"), profit_acq))
print("\n".join(rows))

# %% [markdown]
# ## 3. Ending a relationship
#
# The notes are blunt: *the relationship can (and in some cases should) end (la relación puede
# finalizar)*. The case rests on the customers below the profitability threshold. Their
# negative profit, summed, is what total profit would gain if those relationships ended and
# their cost to serve went with them:

# %%
groups = dif.profit_groups(profitability)
as_percent(groups, "customer_share")

# %%
# NBVAL_CHECK_OUTPUT
destroyers = profitability[profitability["profit"] < 0]


def share(part, whole):
    return f"{part / whole:.0%}" if whole else _("none")


if len(destroyers):
    print(_("value destroyers: {count:,}, mean order value {theirs:,.0f} MXN vs {overall:,.0f} "
            "MXN overall").format(
        count=len(destroyers),
        theirs=destroyers["revenue"].sum() / max(destroyers["orders"].sum(), 1),
        overall=profitability["revenue"].sum() / profitability["orders"].sum()))
    print(_("their share of return lines: {returns}, of contacts: {contacts}").format(
        returns=share(destroyers["return_lines"].sum(), profitability["return_lines"].sum()),
        contacts=share(destroyers["contacts"].sum(), profitability["contacts"].sum())))
else:
    print(_("value destroyers: none at these prices"))
print(_("profit if they were let go: {profit:,.0f} MXN (+{gain:,.0f})").format(
    profit=groups.loc[0, "profit"], gain=-groups.loc[1, "profit"]))

# %% [markdown]
# Three cautions before anyone is dropped. (1) The acquisition cost is *sunk*: whether to keep
# a customer is decided on the future margin and cost to serve, never on what it cost to win
# them. (2) Most value destroyers are small-basket customers; the cheaper remedy is often to
# *serve them more cheaply* (minimum order, online-only service, fewer contacts) — the
# interaction step of section 11. (3) A customer's past profit is not their future profit; a
# new customer may grow. Lesson 04 values customers on their expected future.

# %% [markdown]
# ## 4. VIP customers
#
# The notes' marketing manual recognises as *VIP customers (clientes VIP)* those with the
# largest *purchase volume (volumen de compra)*, *purchase frequency (frecuencia de compra)*,
# *amount invested (monto de la inversión)*, the best *payment behaviour (moralidad
# comercial)* and the longest *tenure (antigüedad en la relación)*. Each is measured in its own
# unit (units, orders, MXN, days late, days), so they are put on a common scale before they
# are added up. The *z-score* is the classic way: subtract the mean, divide by the standard
# deviation. For the amount invested:

# %%
monetary = transactions.groupby("customer_id")["amount"].sum()
z_monetary = (monetary - monetary.mean()) / monetary.std(ddof=0)
z_monetary.describe()[["mean", "std", "min", "max"]].round(2)

# %% [markdown]
# The largest z-score is far above 10: one heavy spender weighs as much as dozens of average
# customers, and a z-score sum lets a single component dominate. The package therefore
# offers a second scale, the *percentile rank* (where the customer stands among all customers,
# from −0.5 to 0.5), and uses it by default. Payment enters with its sign flipped, so more
# days late lowers the score.

# %%
components = dif.vip_components(transactions, observation_end, method="percentile")
scored = dif.assign_tiers(dif.vip_score(components), "vip_score", vip_tiers)
scored.sort_values("rank").head()

# %%
fig, ax = plt.subplots(figsize=(8, 3.2))
dplot.plot_vip_tiers(scored, ax=ax)
fig.tight_layout()

# %% [markdown]
# The weights are a management decision. A firm that cares most about money might weigh the
# amount invested six times as much as each other component. How much of the VIP list
# survives? The *Jaccard index* — customers on both lists over customers on either — measures
# it:

# %%
money_first = {"volume": 0.1, "frequency": 0.1, "monetary": 0.6, "payment": 0.1, "tenure": 0.1}
scored_money = dif.assign_tiers(dif.vip_score(components, money_first), "vip_score", vip_tiers)
z_scored = dif.assign_tiers(
    dif.vip_score(dif.vip_components(transactions, observation_end, method="zscore")),
    "vip_score", vip_tiers)

# %%
# NBVAL_CHECK_OUTPUT
tier_sizes = scored["tier"].value_counts().reindex(vip_tiers)
print(tier_sizes.rename(index=rl.i18n.display_value).to_string())
for name, other in [(_("money-first weights"), scored_money), (_("z-scores"), z_scored)]:
    overlap = dif.tier_overlap(scored, other, top_tier)
    print(_("equal weights vs {name}: {common:.0f} {tier} customers in common, "
            "Jaccard {jaccard:.2f}").format(
        name=name, common=overlap["in_both"], tier=rl.i18n.display_value(top_tier),
        jaccard=overlap["jaccard"]))

# %%
fig, ax = plt.subplots(figsize=(7, 5.5))
dplot.plot_tier_comparison(scored, scored_money, labels=(_("equal weights"), _("money first")),
                           ax=ax)
fig.tight_layout()

# %% [markdown]
# Do VIPs make money? The VIP score does not look at costs, so check it against profit:

# %%
# NBVAL_CHECK_OUTPUT
vip_profit = scored.merge(profitability[["customer_id", "profit"]], on="customer_id")
tier_profit = dif.value_by_segment(vip_profit, "tier", ["profit"])
shown = tier_profit.assign(tier=rl.i18n.display_values(tier_profit["tier"]))
print(shown[["tier", "customers", "profit_mean"]].to_string(
    index=False, formatters={"profit_mean": "{:,.0f}".format}))
print(_("{tier} customers who destroy value: {count}").format(
    tier=rl.i18n.display_value(top_tier),
    count=int(((vip_profit["tier"] == top_tier) & (vip_profit["profit"] < 0)).sum())))

# %% [markdown]
# ## 5. Strangers, butterflies, true friends and barnacles
#
# Reinartz and Kumar (2002) classified customers by *profitability* and *projected loyalty*
# (how long the relationship is likely to last). The notes, after Kotler and Armstrong, name
# the four groups:
#
# | | short-term (low loyalty) | long-term (high loyalty) |
# |---|---|---|
# | **high profit** | *butterflies (mariposas)*: profitable but not loyal | *true friends (amigos verdaderos)*: profitable and loyal |
# | **low profit** | *strangers (extraños)*: little profit, little loyalty | *barnacles (lapas)*: loyal but not very profitable |
#
# Projected loyalty needs a forecast. Lesson 04 fits a proper model; here we use a transparent
# proxy from purchase history, the **active share of tenure**: the time from the first to the
# last purchase day (`recency`) over the time from the first purchase day to the observation
# end (`T`), both counted in whole days and given in weeks, as lesson 04 counts them. It is
# close to 1 for a customer still buying at the end (never above) and 0 for one who bought on
# a single day. A second proxy, tenure-adjusted frequency (repeat purchase days per week), is
# available with `method="frequency"`. Because the data are simulated, we can ask which proxy
# ranks customers better by whether they are truly still alive:

# %%
truth = rl.datasets.load_customer_truth(data_dir)[["customer_id", "alive_at_end"]]
loyalty = dif.projected_loyalty(transactions, observation_end, time_unit="W")
frequency_proxy = dif.projected_loyalty(transactions, observation_end, method="frequency")
check_loyalty = loyalty.merge(truth, on="customer_id").merge(
    frequency_proxy[["customer_id", "projected_loyalty"]]
    .rename(columns={"projected_loyalty": "frequency_proxy"}), on="customer_id")

# %%
# NBVAL_CHECK_OUTPUT
alive = check_loyalty["alive_at_end"].astype(float)
for column, name in [("projected_loyalty", _("active share of tenure")),
                     ("frequency_proxy", _("repeat purchase days per week"))]:
    rho = check_loyalty[column].corr(alive, method="spearman")
    print(_("{name:<29} Spearman correlation with 'still alive': {rho:.2f}").format(
        name=name, rho=rho))

# %% [markdown]
# The recency-based proxy ranks customers better, though far from perfectly (lesson 04's
# models do better): frequent buyers who have gone quiet are not loyal, and frequency alone
# cannot see that. We use it, with both thresholds at the
# median (parameters of `dif.reinartz_kumar`):

# %%
matrix = dif.reinartz_kumar(profitability.merge(loyalty, on="customer_id"))
quadrants = dif.value_by_segment(matrix, "quadrant", ["profit", "revenue"])
quadrants["action"] = quadrants["quadrant"].map(
    {k: v[1] for k, v in dif.REINARTZ_KUMAR_QUADRANTS.items()})
quadrants[["quadrant", "customers", "profit_total", "profit_mean", "action"]].assign(
    quadrant=rl.i18n.display_values(quadrants["quadrant"]),
    action=rl.i18n.display_values(quadrants["action"]))

# %%
# NBVAL_CHECK_OUTPUT
cuts = matrix.attrs["thresholds"]
print(_("thresholds: profit > {profit:,.2f} MXN, loyalty > {loyalty:.3f}").format(
    profit=cuts["profit"], loyalty=cuts["projected_loyalty"]))
for row in quadrants.itertuples():
    print(_("  {quadrant:<13} {customers:>5,}  profit {profit:>12,.0f} MXN").format(
        quadrant=rl.i18n.display_value(row.quadrant), customers=row.customers,
        profit=row.profit_total))

# %%
fig, ax = plt.subplots(figsize=(9, 6))
dplot.plot_reinartz_kumar(matrix, ax=ax)
fig.tight_layout()

# %% [markdown]
# ## 6. Perceived value and satisfaction
#
# *Customer-perceived value (valor percibido)* is the customer's judgement of the difference
# between all the benefits and all the costs of our offer, compared with the competitors'.
# *Customer satisfaction (satisfacción del cliente)* is how far the perceived performance of
# the product meets the customer's expectations. The survey asks a sample of customers for
# both: perceived value on a 0–10 scale, satisfaction on a 1–5 scale:

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.5), sharey=True)
for ax, column, title, scale in zip(axes, ["perceived_value", "satisfaction"],
                                    [_("Perceived value"), _("Satisfaction")], ["0–10", "1–5"],
                                    strict=True):
    sns.countplot(data=survey, x=column, ax=ax, color="#457b9d")
    ax.set(title=title, xlabel=_("answer ({scale})").format(scale=scale),
           ylabel=_("respondents"))
fig.tight_layout()

# %% [markdown]
# Do satisfied customers spend more? Spend is measured as **MXN per year** as a customer
# (net revenue over the time since the first purchase), so long and short relationships
# compare. A rank correlation (Spearman) suits a score on a short scale and a skewed spend:

# %%
spend = dif.annual_spend(transactions, observation_end)
by_satisfaction = dif.spend_by_score(survey, spend, "satisfaction")
as_percent(by_satisfaction, "share")

# %%
# NBVAL_CHECK_OUTPUT
for score, scale in (("satisfaction", (1, 5)), ("perceived_value", (0, 10))):
    corr = dif.score_spend_correlation(survey, spend, score, scale=scale)
    print(_("{score:<16} Spearman rho with spend per year: {rho:.2f} (n={n:.0f})").format(
        score=score, rho=corr["rho"], n=corr["n"]))
medians = ", ".join(f"{int(r.satisfaction)}: {r.median:,.0f}" for r in by_satisfaction.itertuples())
print(_("median spend per year by satisfaction: {medians}").format(medians=medians))

# %%
fig, ax = plt.subplots(figsize=(7, 4))
dplot.plot_spend_by_score(survey.merge(spend, on="customer_id"), "satisfaction", ax=ax)
fig.tight_layout()

# %% [markdown]
# ## 7. Value for effort: what drives perceived value
#
# The fourth step of loyalty in the course notes is designing the offer's *value for effort
# (valor por esfuerzo)* well: what the customer gets for what it costs them, in money and
# in trouble. The notes name *five weapons (cinco armas)* for a differential, competitive
# value: **price (precio)**, **fewer inconveniences (reducir o anular incomodidades)**,
# **service (servicio)**, **fewer insecurities (reducir o anular inseguridades)** and
# **product/brand (producto/marca)**. The survey asks every respondent to rate each weapon
# from 1 (poor) to 5 (excellent).
#
# Which weapon matters most? A *key-driver analysis (análisis de impulsores)* regresses the
# overall rating on the five: the **weight** of a weapon is how many points of perceived
# value one more rating point brings, the others held fixed; the **standardized weight**
# puts them in standard deviations. Ratings correlate — a customer pleased with the store
# tends to rate everything higher (the *halo effect*) — so the weights alone do not say how
# to share out what the model explains. The **Shapley share of R²** does: each weapon's
# added R², averaged over every order in which the five could enter the model. The kit's
# survey was simulated with known weights, so the estimates can be checked against them:

# %%
value_truth = rl.datasets.load_truth(data_dir)["value_drivers"]
weapon_of = {column: name for name, column in dif.KIT_WEAPONS.items()}
true_weight = {w["column"]: w["weight"] for w in value_truth["weapons"].values()}
drivers = dif.key_drivers(survey, "perceived_value", list(dif.KIT_WEAPONS.values()))
drivers.round(3)

# %%
# NBVAL_CHECK_OUTPUT
print(_("{respondents:,} respondents; R² {r_squared:.2f}").format(
    respondents=drivers.attrs["respondents"], r_squared=drivers.attrs["r_squared"]))
for row in drivers.itertuples():
    truth_covered = row.weight_lower <= true_weight[row.driver] <= row.weight_upper
    print(_("{weapon:<22} weight {weight:.2f} (95% CI {low:.2f} to {high:.2f}; true {true:.2f}, "
            "covered: {covered}), beta {beta:.2f}, {share:.0%} of R²").format(
        weapon=rl.i18n.display_value(weapon_of[row.driver]), weight=row.weight,
        low=row.weight_lower, high=row.weight_upper, true=true_weight[row.driver],
        covered=truth_covered, beta=row.standardized, share=row.importance))

# %%
ax = dplot.plot_key_drivers(drivers.assign(driver=drivers["driver"].map(weapon_of)),
                            truth={weapon_of[c]: w for c, w in true_weight.items()})
ax.figure.tight_layout()

# %% [markdown]
# What makes customers value the offer is not necessarily what makes them recommend it.
# The same analysis on likelihood to recommend (0–10):

# %%
# NBVAL_CHECK_OUTPUT
recommend_drivers = dif.key_drivers(survey, "recommend", list(dif.KIT_WEAPONS.values()))
def importance_shares(table):
    return ", ".join(f"{rl.i18n.display_value(weapon_of[d])} {share:.0%}"
                     for d, share in zip(table["driver"], table["importance"], strict=True))


print(_("recommend, R² {r_squared:.2f}: {shares}").format(
    r_squared=recommend_drivers.attrs["r_squared"], shares=importance_shares(recommend_drivers)))
print(_("perceived value: {shares}").format(shares=importance_shares(drivers)))

# %% [markdown]
# In the kit, recommending follows the customer's overall satisfaction, and each rating is
# partly a reading of it (the halo): the recommend model finds the weapons that carry the
# most halo, not a cause. A driver analysis of survey answers is a correlation; only a test
# (lesson 06) shows what changing a weapon would do.
#
# Importance alone does not say where to act. The *importance–performance map* (Martilla and
# James 1977) puts each weapon's importance against how well the firm already performs on
# it, the mean rating. Important and poorly rated: **concentrate here**; important and well
# rated: **keep up the good work**; unimportant and poorly rated: **low priority**;
# unimportant and well rated: **possible overkill** (resources that could move elsewhere).
# The cuts are the weapons' average importance and average rating:

# %%
placed = dif.importance_performance(drivers.assign(driver=drivers["driver"].map(weapon_of)))
ax = dplot.plot_importance_performance(placed)
ax.figure.tight_layout()

# %%
# NBVAL_CHECK_OUTPUT
for row in placed.itertuples():
    gain = dif.rating_gain(survey, dif.KIT_WEAPONS[row.driver], 1.0, row.weight)
    print(_("{weapon:<22} {quadrant:<22} mean rating {rating:.2f}; one more point for "
            "everyone: +{gain:.2f} perceived value").format(
        weapon=rl.i18n.display_value(row.driver), quadrant=rl.i18n.display_value(row.quadrant),
        rating=row.mean_rating, gain=gain))

# %% [markdown]
# The last column is what one more rating point for every respondent would add to the mean
# perceived value at the estimated weight (`dif.rating_gain`): a respondent already at 5
# cannot rate a weapon higher, so the gain is smaller where the firm already does well.
# Whether a point is worth buying depends on what it costs — exercise 02.8 makes that
# decision.

# %% [markdown]
# ## 8. Satisfaction is not loyalty: the Jones–Sasser typology
#
# Jones and Sasser (1995) showed that satisfied customers defect too. Crossing satisfaction
# (survey) with loyalty (behaviour, the projected loyalty above) gives the customer typology
# of the notes: *apostles (apóstoles)* are satisfied and loyal; *mercenaries (mercenarios)*
# are satisfied but leave for a better deal; *hostages (rehenes)* are dissatisfied but stay
# because they cannot leave; *terrorists (terroristas)* are dissatisfied defectors who talk
# others out of buying; and the *indifferent (indiferentes)* sit in the *zone of
# indifference*, neither satisfied nor dissatisfied (a 3 here), easily lured away.

# %%
typology = dif.satisfaction_loyalty(survey.merge(loyalty, on="customer_id"))
types = dif.value_by_segment(typology, "type", ["projected_loyalty"])
types["type_es"] = types["type"].map({k: v[0] for k, v in dif.JONES_SASSER_TYPES.items()})
as_percent(types, "customer_share")

# %%
# NBVAL_CHECK_OUTPUT
for row in types.itertuples():
    print(f"{row.type:<12} ({row.type_es:<12}) {row.customers:>4}  {row.customer_share:.0%}")

# %%
fig, ax = plt.subplots(figsize=(9, 5))
dplot.plot_satisfaction_loyalty(typology, ax=ax, seed=seed)
fig.tight_layout()

# %% [markdown]
# ## 9. Net promoter score
#
# The survey's "How likely are you to recommend us to a friend?" (0–10) gives the *net
# promoter score*: promoters answer 9–10, passives 7–8 and detractors 0–6, and
# **NPS = % promoters − % detractors**, from −100 to 100. By hand:

# %%
answers = survey["recommend"]
print(f"NPS = {100 * ((answers >= 9).mean() - (answers <= 6).mean()):.1f}")

# %% [markdown]
# An NPS from a sample has sampling error. Each answer is one draw of a three-category
# distribution, so the variance of (share of promoters − share of detractors) is
# $(p_P + p_D - (p_P - p_D)^2)/n$. `dif.net_promoter_score` reports the interval NPS ± 1.96
# standard errors (or a bootstrap interval with a fixed seed), overall and by segment:

# %%
# NBVAL_CHECK_OUTPUT
overall = dif.net_promoter_score(survey).iloc[0]
booted = dif.net_promoter_score(survey, method="bootstrap", seed=seed).iloc[0]
print(_("NPS {nps:.1f}, 95% CI {low:.1f} to {high:.1f} (bootstrap {boot_low:.1f} to "
        "{boot_high:.1f}), n={n:.0f}").format(
    nps=overall["nps"], low=overall["ci_low"], high=overall["ci_high"],
    boot_low=booted["ci_low"], boot_high=booted["ci_high"], n=overall["n"]))
print(_("promoters {promoters:.1%}, passives {passives:.1%}, detractors {detractors:.1%}").format(
    promoters=overall["promoters"], passives=overall["passives"],
    detractors=overall["detractors"]))

# %%
surveyed = survey.merge(matrix[["customer_id", "quadrant"]], on="customer_id")
nps_by_quadrant = dif.net_promoter_score(surveyed, by="quadrant")
gap = dif.nps_difference(surveyed, "quadrant", "true friends", "strangers")

# %%
# NBVAL_CHECK_OUTPUT
for row in nps_by_quadrant.itertuples():
    print(_("{segment:<13} NPS {nps:6.1f}  [{low:6.1f}, {high:6.1f}]  n={n}").format(
        segment=rl.i18n.display_value(row.segment), nps=row.nps, low=row.ci_low,
        high=row.ci_high, n=row.n))
print(_("true friends − strangers: {difference:.1f} points, 95% CI {low:.1f} to "
        "{high:.1f}").format(difference=gap["difference"], low=gap["ci_low"], high=gap["ci_high"]))

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
dplot.plot_nps(pd.concat([nps_by_quadrant, dif.net_promoter_score(survey)]), ax=ax)
fig.tight_layout()

# %% [markdown]
# ## 10. Share of customer: the wallet left on the table
#
# *Share of customer (participación del cliente)*, or share of wallet, is the part of a
# customer's spending in our categories that comes to us. The survey asks for it. If a
# customer spends `s` MXN a year with us and that is a share `w` of their spending, their
# wallet is `s / w` and **`s × (1/w − 1)` goes to competitors**: the wallet left on the table,
# which cross-selling and a wider range can win back without acquiring anyone.

# %%
wallets = dif.wallet_left_on_table(survey, spend)
wallet_table = dif.wallet_by_segment(wallets, matrix, "quadrant")
as_percent(wallet_table, "share_of_wallet")

# %%
# NBVAL_CHECK_OUTPUT
usable = wallets["usable"]
print(_("surveyed: {surveyed:,}; left out (share 0 or negative spend): {left_out}").format(
    surveyed=len(wallets), left_out=int((~usable).sum())))
print(_("our spend {spend:,.0f} MXN/year, left on the table {left:,.0f} MXN/year").format(
    spend=wallets.loc[usable, "spend"].sum(), left=wallets.loc[usable, "left_on_table"].sum()))
for row in wallet_table.itertuples():
    print(_("  {quadrant:<13} share of wallet {share:.0%}, left on the table {left:>11,.0f} "
            "MXN/year").format(quadrant=rl.i18n.display_value(row.quadrant),
                               share=row.share_of_wallet, left=row.left_on_table))

# %%
fig, ax = plt.subplots(figsize=(9, 3.5))
dplot.plot_wallet(wallet_table, "quadrant", ax=ax)
fig.tight_layout()

# %% [markdown]
# ## 11. Interaction: spend where it pays
#
# The third step of the program is *interaction (interacción)*: classifying customers by
# profitability lets the firm lower the cost of serving those below the profitability
# threshold and invest in the others. The notes list two families of channels: *mass media
# (medios masivos)* — television, radio, press, magazines, billboards, fairs — cheap per person
# reached but with few responses; and *direct marketing (marketing directo)* — telemarketing,
# direct mail, e-mail, face to face — dearer per contact, far more responsive. The channel
# table below holds illustrative prices and response rates; replace them with your own.

# %%
as_percent(dif.DEFAULT_CHANNELS, "response_rate")

# %% [markdown]
# The rule of `dif.contact_plan`: (1) for each value tier pick the channel with the highest
# expected net value per contact, `response rate × value − cost`, where the value of a response
# is the tier's mean profit per customer; tiers at or below the profitability threshold may
# only use mass media; (2) tiers below the threshold, and tiers for which no channel pays, get
# one contact per customer and no more (if the budget cannot pay for that, they share what
# there is); (3) the rest of the budget is split in proportion to
# each tier's total profit, with at most 12 contacts per customer a year (a capped tier's
# excess goes to the others). Value tiers here cut customers by profit with the VIP shares,
# and customers below the threshold form their own tier.

# %%
value_tiers = dif.assign_tiers(profitability, "profit", vip_tiers, below=0.0)
tier_values = dif.value_by_segment(value_tiers, "tier", ["profit"]).rename(
    columns={"profit_mean": "value_per_customer"})
tier_values = tier_values[tier_values["customers"] > 0]  # a tier nobody is in needs no plan
plan = dif.contact_plan(tier_values, contact_budget)
plan[["tier", "customers", "value_per_customer", "channel", "kind", "budget",
      "contacts_per_customer", "expected_net_value"]]

# %%
# NBVAL_CHECK_OUTPUT
for row in plan.itertuples():
    print(_("{tier:<16} {channel:<14} ({kind:<10}) budget {budget:>9,.0f} MXN, "
            "{contacts:4.1f} contacts per customer").format(
        tier=rl.i18n.display_value(row.tier), channel=rl.i18n.display_value(row.channel),
        kind=rl.i18n.display_value(row.kind), budget=row.budget,
        contacts=row.contacts_per_customer))
print(_("unspent: {unspent:,.0f} MXN; expected net value of the plan: {value:,.0f} MXN").format(
    unspent=plan.attrs["unspent"], value=plan["expected_net_value"].sum()))
if plan.attrs["floor_covered"] < 1:
    print(_("the budget pays for {covered:.0%} of one contact per customer of the low-value "
            "tiers, and nothing for the others").format(covered=plan.attrs["floor_covered"]))

# %%
fig, ax = plt.subplots(figsize=(9, 3.8))
dplot.plot_contact_plan(plan, ax=ax)
fig.tight_layout()

# %% [markdown]
# ## 12. Relationship levels: from basic to partnership
#
# How close a relationship a segment deserves depends on how many customers it holds and
# what each is worth. The course notes put the two ends: a firm with many customers of low
# margin builds *basic relationships (relaciones básicas)* with them, while in markets with
# few customers and wide margins the seller builds *full partnerships (sociedades
# completas)* with the most important ones. Kotler's grid fills the levels between:
# **basic** (sell, no follow-up), **reactive** (sell, invite the customer to call),
# **accountable** (call after the sale to check), **proactive** (contact from time to time
# with improvements) and **partnership** (work with the customer continuously).
#
# `dif.relationship_levels` places each segment on the grid with stated cuts: *many*
# customers is at least 25% of the base, *few* under 5%; a *high* margin per customer is at
# least twice the base's average, a *low* one under half of it (a loss is always low). Here
# the margin is each segment's profit per customer after the cost to serve (section 1), for
# the value tiers of section 11 and for the Reinartz–Kumar quadrants of section 5:

# %%
tier_levels = dif.relationship_levels(tier_values, margin="value_per_customer")
quadrant_levels = dif.relationship_levels(
    dif.value_by_segment(matrix, "quadrant", ["profit"]), margin="profit_mean")
fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
dplot.plot_relationship_levels(tier_levels, "tier", margin="value_per_customer", ax=axes[0])
dplot.plot_relationship_levels(quadrant_levels, "quadrant", margin="profit_mean", ax=axes[1])
axes[0].set_title(_("Value tiers"))
axes[1].set_title(_("Reinartz–Kumar quadrants"))
fig.tight_layout()

# %%
# NBVAL_CHECK_OUTPUT
print(_("average profit per customer: {average:,.0f} MXN").format(
    average=tier_levels.attrs["average_margin"]))
channel_of = plan.set_index("tier")
for row in tier_levels.itertuples():
    contact = channel_of.loc[row.tier]
    print(_("{segment:<16} {customers:>5,} customers ({how_many:<6}), {value:>7,.0f} MXN each "
            "({margin:<6}) -> {level:<11} | contact plan: {channel} ({kind})").format(
        segment=rl.i18n.display_value(row.tier), customers=row.customers,
        how_many=rl.i18n.display_value(row.how_many), value=row.value_per_customer,
        margin=rl.i18n.display_value(row.margin_level), level=rl.i18n.display_value(row.level),
        channel=rl.i18n.display_value(contact["channel"]),
        kind=rl.i18n.display_value(contact["kind"])))
for row in quadrant_levels.itertuples():
    print(_("{segment:<16} {customers:>5,} customers ({how_many:<6}), {value:>7,.0f} MXN each "
            "({margin:<6}) -> {level}").format(
        segment=rl.i18n.display_value(row.quadrant), customers=row.customers,
        how_many=rl.i18n.display_value(row.how_many), value=row.profit_mean,
        margin=rl.i18n.display_value(row.margin_level), level=rl.i18n.display_value(row.level)))

# %% [markdown]
# The level and the contact plan should tell the same story: a tier that warrants a
# partnership is reached personally (direct marketing), a tier that warrants only a basic
# relationship is reached by mass media, if at all. Where they disagree, one of the two
# needs a second look: the plan chases the expected response of one campaign; the level
# says how much relationship the segment can pay for over time. The cuts are conventions,
# not laws — move them (`many_share`, `few_share`, `high_multiple`, `low_multiple`) and say
# which ones you used.

# %% [markdown]
# ## 13. Back to the customer table
#
# Every differentiation above is one column per customer. Written back to the customer table,
# they feed the next lessons and the next round of contacts:

# %%
customer_table = (
    profitability[["customer_id", "revenue", "margin", "cost_to_serve", "profit"]]
    .merge(scored[["customer_id", "vip_score", "tier"]], on="customer_id", how="left")
    .merge(matrix[["customer_id", "projected_loyalty", "quadrant"]], on="customer_id", how="left")
)
customer_table.head()

# %% [markdown]
# ## Key takeaways
#
# * Profit, not revenue, differentiates customers: margin minus an activity-based cost to
#   serve. The whale curve shows how much profit the best customers earn and how much the
#   worst give away; its shape depends on the cost model, so state the prices.
# * Value-destroying customers make the case for ending a relationship, but sunk acquisition
#   costs do not count, and serving them more cheaply is often the better cure.
# * A VIP score is a weighted sum of standardized components; percentile ranks keep one
#   extreme spender from dominating, and the VIP list changes with the weights — report the
#   overlap.
# * Reinartz and Kumar's matrix and Jones and Sasser's typology both say that loyalty and
#   profit, or loyalty and satisfaction, are different things; each quadrant calls for its
#   own action.
# * An NPS is an estimate: give its confidence interval before comparing segments.
# * The wallet left on the table, `spend × (1/share − 1)`, sizes what cross-selling could win.
# * Value for effort: a key-driver analysis says which of the five weapons moves perceived
#   value (Shapley shares of R² when ratings correlate); the importance–performance map says
#   where to concentrate and where effort may be overkill.
# * Interaction puts direct channels where the value is and mass media where it is not; the
#   relationship level a segment warrants, from basic to partnership, follows from how many
#   customers it holds and the margin each brings.
#
# **Exercises:** [`exercises/02_customer_differentiation.ipynb`](../exercises/02_customer_differentiation.ipynb) (ten exercises with
# self-checks: NPS, value destroyers, each customer's Reinartz–Kumar quadrant, a VIP z-score,
# the wallet left on the table, the channel for a tier, two decisions — which tier gets which
# channel on a budget, scored on what customers bring next year, and which weapon of value
# for effort to invest in, scored on respondents you have not seen — each segment's
# relationship level, and one answer in your own words).
