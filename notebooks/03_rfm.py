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
# # 03 · RFM: recency, frequency, monetary value, segments and targeting
#
# **Learning objectives.** After this lesson you can
#
# 1. compute each customer's *recency (fecha de la última compra)*, *frequency
#    (frecuencia)* and *monetary amount (monto)* from transactions, and score them 1–5 with
#    Hughes' quintiles, knowing what happens to ties and which way recency points;
# 2. name segments (Champions, At Risk, Lost, ...) from a rule table you can replace, and
#    say how much of the revenue each segment brings;
# 3. follow customers from one segment to another between two dates;
# 4. find *micro-segments (micro-segmentación)* with k-means and compare them with the
#    named segments;
# 5. decide which RFM cells to contact with a test-then-rollout campaign and its
#    break-even response rate.
#
# This is the *differentiation (diferenciación)* step of lesson 00: the course notes say
# each customer has a value for the firm according to how often they buy, how much they
# spend and when they last bought. RFM turns those three facts into a score per customer.

# %% tags=["parameters"]
# Parameters (papermill): data, the scoring, the campaign's economics and seeds.
data_dir = None  # None means the datasets/ folder of the kit
cdnow_kind = "master"  # "sample" (2,357 customers) or "master" (23,570)
bins = 5  # scores run 1..bins, 2 to 10 (5 gives quintiles)
snapshot_end = "2024-12-31"  # earlier day for the migration, inside the data, before its end
n_clusters = 4  # k-means micro-segments, 2 to 12
cost_per_contact = 6.0  # MXN per customer contacted (0 or more)
profit_per_response = 80.0  # MXN net margin per customer who answers (above 0)
test_share = 0.2  # share of customers in the test mailing, between 0 and 1
seed = 1  # response simulation and test sample (a whole number, 0 or more)
language = "en"  # "en" or "es": the language of the kit's messages, labels and numbers

# %%
import pandas as pd

import relmark_lab as rl
from relmark_lab.lessons import (
    Choice,
    Day,
    Folder,
    Number,
    WholeNumber,
    check_parameters,
    use_lesson_display,
)

# The snapshot must fall inside the data's window, before its last day. The window is read
# only from a folder that exists, so a wrong data_dir is reported with the other parameters.
window = rl.datasets.load_truth(data_dir) if Folder(data_dir).problem() == "" else {}
last_snapshot = (pd.Timestamp(window["observation_end"]) - pd.Timedelta(days=1)
                 if window else None)
use_lesson_display(language=language)

check_parameters(
    data_dir=Folder(data_dir),
    cdnow_kind=Choice(cdnow_kind, ("sample", "master")),
    bins=WholeNumber(bins, low=2, high=10),
    snapshot_end=Day(snapshot_end, first=window.get("observation_start"), last=last_snapshot),
    n_clusters=WholeNumber(n_clusters, low=2, high=12),
    cost_per_contact=Number(cost_per_contact, low=0, unit="MXN"),
    profit_per_response=Number(profit_per_response, low=0, strict=True, unit="MXN"),
    test_share=Number(test_share, low=0, high=1, strict=True),
    seed=WholeNumber(seed, low=0),
)

# %%
import seaborn as sns

from relmark_lab import rfm
from relmark_lab.i18n import display_value
from relmark_lab.i18n import gettext as _
from relmark_lab.plots import rfm as rfm_plots

sns.set_theme(style="whitegrid", context="notebook")

# %% [markdown]
# ## 1. Three facts about every customer
#
# RFM answers three questions about each customer at a date, the *observation end*:
#
# * **recency** — how many days ago was the last purchase? Fewer is better: a customer who
#   bought last week is far more likely to buy again than one who bought two years ago.
# * **frequency** — how many orders? An order with three lines is still one order, and a
#   return is not an order; when a return or a cancellation undoes a purchase (same order
#   number, or the same day), that purchase is no order either.
# * **monetary** — how much did they spend? Here the net revenue (returns subtracted);
#   the average per order is the other common choice.
#
# The kit's returns carry their own order number and come days after the purchase, so no
# return of the kit undoes an order: the purchase orders are the orders whose lines add up
# to more than zero. (Every function of the kit applies the full rule, written in
# `docs/contract.md`, which also covers exports where returns do undo orders.) A few lines
# of pandas compute all three measures on the kit's retailer:

# %%
transactions = rl.datasets.load_transactions(data_dir)
observation_end = pd.Timestamp(rl.datasets.load_truth(data_dir)["observation_end"])

lines = transactions.assign(day=transactions["date"].dt.normalize())
orders = lines.groupby(["customer_id", "order_id"], as_index=False).agg(
    amount=("amount", "sum"), day=("day", "min"))  # one row per order, its lines netted
purchases = orders[orders["amount"] > 0]  # a return is an order of its own, negative
by_customer = purchases.groupby("customer_id")
by_hand = pd.DataFrame({
    "recency_days": (observation_end - by_customer["day"].max()).dt.days,
    "frequency": by_customer.size(),
    "monetary": transactions.groupby("customer_id")["amount"].sum(),
})
by_hand.head()

# %% [markdown]
# `rfm.rfm_table` does the same, checks its input (a missing column or a value that is
# not a date or a number is an error that names the column, the count and an example),
# leaves out the lines dated after the observation end and counts them, and adds the
# scores. It returns one row per customer with `customer_id` as a column, like every
# table of the kit, so it merges with the others. Its `recency_days` is *not* the
# `recency` of the CLV models of lesson 04 (time from the first to the last purchase);
# the name carries its unit to avoid that mix-up.

# %%
table = rfm.rfm_table(transactions, observation_end, bins=bins)
table.head()

# %%
# NBVAL_CHECK_OUTPUT
measures = table.set_index("customer_id")[["recency_days", "frequency", "monetary"]]
same = (measures - by_hand.loc[measures.index]).abs()
print(_("package agrees with the pandas lines: {agrees}").format(
    agrees=bool((same < 1e-6).all().all())))
print(_("customers: {customers:,}   orders: {orders:,}   net revenue: {revenue:,.0f} MXN").format(
    customers=len(table), orders=table["frequency"].sum(), revenue=table["revenue"].sum()))
print(_("median recency: {recency:.0f} days   median frequency: {frequency:.0f} orders   "
        "median monetary: {monetary:,.0f} MXN").format(recency=table["recency_days"].median(),
                                                      frequency=table["frequency"].median(),
                                                      monetary=table["monetary"].median()))

# %% [markdown]
# ## 2. Scores: Hughes' quintiles
#
# Arthur Hughes' RFM sorts the customers on each measure and cuts them into five groups
# of equal size, the *quintiles*: the best fifth gets 5, the worst fifth 1. Two details
# decide the numbers:
#
# * **Direction.** For frequency and monetary value more is better; for recency *fewer*
#   days is better, so the most recent fifth gets R = 5.
# * **Ties.** Frequency has many ties: hundreds of customers have exactly two orders.
#   Equal-sized bins must split them. The kit ranks ties in the order of `customer_id`
#   (`rank(method="first")` on a table sorted by id) and gives the customer of rank *i* of
#   *n* the score `1 + floor(5 (i − 1) / n)`, the rule of R's `ntile`. The result is
#   reproducible, but two customers with the same frequency can get different F scores.
#   `ties="keep"` gives equal values equal scores instead, at the price of unequal bins.
#
# By hand, the R score is one rank and one formula:

# %%
rank = (-table["recency_days"]).rank(method="first")  # minus: fewer days ranks higher
r_by_hand = 1 + (bins * (rank - 1) // len(table)).astype(int)
print(_("R score by hand equals the package's: {equal}").format(
    equal=r_by_hand.equals(table["r_score"])))

# %%
# NBVAL_CHECK_OUTPUT
for score in ["r_score", "f_score", "m_score"]:
    print(score, table[score].value_counts().sort_index().to_dict())
kept_ties = rfm.rfm_table(transactions, observation_end, bins=bins, ties="keep")
print(_("F score with ties kept: {counts}").format(
    counts=kept_ties["f_score"].value_counts().sort_index().to_dict()))

# %% [markdown]
# The histograms show where the cut points fall. Recency is spread out, so its fifths are
# wide ranges of days; frequency piles up on 1–3 orders, so one frequency value can be cut
# between two scores (the two colours on the bars at 2 and 3 orders).

# %%
fig = rfm_plots.plot_score_distributions(table)

# %% [markdown]
# Hughes' original method was **nested**: sort on recency, then *within each R quintile*
# sort on frequency, then within each R-F cell on monetary value. Every one of the 125
# cells then holds the same number of customers, but an F score means "frequent for this
# recency", not "frequent". The kit's default is the **independent** scoring (each
# measure on its own), which most software uses today.

# %%
# NBVAL_CHECK_OUTPUT
nested = rfm.rfm_table(transactions, observation_end, bins=bins, scoring="nested")
cells = nested.groupby(["r_score", "f_score", "m_score"]).size()
print(_("nested: {cells} cells of {smallest}–{largest} customers").format(
    cells=len(cells), smallest=cells.min(), largest=cells.max()))
print(_("customers whose F score changes under nested scoring: {share:.1%}").format(
    share=(nested["f_score"] != table["f_score"]).mean()))

# %% [markdown]
# The R-F grid, coloured by the mean monetary value, is the classic picture of an RFM
# analysis. Monetary value rises with frequency much more than with recency: customers
# who bought often spent a lot, whether or not they are still buying. The bottom-right
# corner (frequent but long gone) is where the most valuable lapsed customers sit.

# %%
ax = rfm_plots.plot_rf_heatmap(table)

# %% [markdown]
# ## 3. Named segments
#
# Scores are hard to act on; names are easier. A **rule table** maps ranges of scores to a
# segment. The kit's default uses the R score and the mean of F and M (`fm`), and the first
# rule that matches a customer wins. Customers no rule matches go to **Others** and are
# always counted. Replace the table to use your own names and ranges.
#
# The default table is written for scores from 1 to 5, so the named segments (this section,
# the migration and CDNOW's segments) are scored in quintiles whatever `bins` is; with
# `bins` = 5 that is the table above.

# %%
rules = rfm.default_segment_rules()
quintiles = table if bins == 5 else rfm.rfm_table(transactions, observation_end)
rules.assign(segment=rl.i18n.display_values(rules["segment"]),
             description=rl.i18n.display_values(rules["description"]))

# %%
segmented = rfm.assign_segments(quintiles, rules)
summary = rfm.segment_summary(segmented)
percent = "{:.1%}".format
summary[["customers", "customer_share", "revenue_share", "average_order_value",
         "mean_recency_days", "mean_frequency"]].assign(
    customer_share=summary["customer_share"].map(percent),
    revenue_share=summary["revenue_share"].map(percent))

# %%
# NBVAL_CHECK_OUTPUT
for name, row in summary.iterrows():
    line = _("{segment:<19} {customers:>5,}")
    if row["customers"]:
        line = _("{segment:<19} {customers:>5,}  {customer_share:6.1%} of customers  "
                 "{revenue_share:6.1%} of revenue  AOV {aov:>4.0f} MXN")
    print(line.format(segment=display_value(name), customers=int(row["customers"]),
                      customer_share=row["customer_share"], revenue_share=row["revenue_share"],
                      aov=row["average_order_value"]))

# %% [markdown]
# A fifth of the customers, the Champions, bring over half the revenue. "Can't Lose Them"
# — frequent big spenders who have not bought for a long while — hold about an eighth of
# it: the first group to call. The bars and the *treemap* (area = customers, colour =
# share of revenue) say the same in pictures.

# %%
ax = rfm_plots.plot_segment_bars(summary)

# %%
ax = rfm_plots.plot_segment_treemap(summary)

# %% [markdown]
# A rule table is just a DataFrame. Here is a stricter one on the R, F and M scores
# themselves (the style of R's `rfm` package): it leaves gaps, and the customers who fall
# in them are counted as Others instead of disappearing.

# %%
strict_rules = pd.DataFrame({
    "segment": ["Champions", "Loyal", "New", "At Risk", "Lost"],
    "r_min": [4, 2, 4, 1, 1], "r_max": [5, 5, 5, 2, 1],
    "f_min": [4, 3, 1, 2, 1], "f_max": [5, 5, 1, 5, 2],
    "m_min": [4, 3, 1, 2, 1], "m_max": [5, 5, 1, 5, 2],
})
strict = rfm.segment_summary(rfm.assign_segments(quintiles, strict_rules))

# %%
# NBVAL_CHECK_OUTPUT
print(strict[["customers", "revenue_share"]].to_string(formatters={"revenue_share": percent}))
print(_("every customer counted: {counted}").format(
    counted=strict["customers"].sum() == len(table)))

# %% [markdown]
# ## 4. Migration between two dates
#
# Segments are a snapshot. Scoring the same customers a year earlier (an earlier
# `observation_end`: `rfm_table` leaves out the later lines and counts them in
# `attrs["lines_after_observation_end"]`) and crossing the two snapshots by `customer_id`
# shows where each segment went: the *migration matrix*. Customers who only appear in the
# later snapshot come from "(new)"; when nobody joined in between, there is no such row.
# Scores are relative to the customer base at each date, so a segment's definition stays
# the same while the people in it change.

# %%
snapshot = rfm.rfm_table(transactions, snapshot_end)  # quintiles, as the rule table wants
before = rfm.assign_segments(snapshot, rules)
moves = rfm.migration_matrix(before, segmented, shares=True)
ax = rfm_plots.plot_migration_heatmap(moves)

# %%
# NBVAL_CHECK_OUTPUT
counts = rfm.migration_matrix(before, segmented)
new_customers = int((~segmented["customer_id"].isin(before["customer_id"])).sum())
print(_("customers at {day}: {customers:,}; new since then: {new:,}; "
        "later lines left out of the snapshot: {lines:,}").format(
    day=snapshot_end, customers=len(before), new=new_customers,
    lines=snapshot.attrs["lines_after_observation_end"]))
for name in ["Champions", "Loyal Customers", "Can't Lose Them", "At Risk"]:
    if counts.loc[name].sum() == 0:  # an early snapshot may have nobody in a segment
        print(_("{segment:<16} nobody at {day}").format(segment=display_value(name),
                                                        day=snapshot_end))
        continue
    elsewhere = moves.loc[name].drop(name)
    line = _("{segment:<16} stayed {stayed:4.0%}")
    if elsewhere.max() > 0:
        line = _("{segment:<16} stayed {stayed:4.0%}; most went to {other} ({went:.0%})")
    print(line.format(segment=display_value(name), stayed=moves.loc[name, name],
                      other=display_value(elsewhere.idxmax()), went=elsewhere.max()))
if counts.loc["At Risk"].sum():
    back = moves.loc["At Risk", ["Champions", "Loyal Customers"]].sum()
    print(_("At Risk -> Lost: {lost:.0%}; back to Champions or Loyal: {back:.0%}").format(
        lost=moves.loc["At Risk", "Lost"], back=back))

# %% [markdown]
# With the default snapshot a year before the end, two thirds of last year's Champions are
# still Champions, and most of the others became Loyal Customers or "Can't Lose Them". Of
# last year's At Risk customers, about two in five were Lost a year later and only one in
# five came back on their own: the case for a win-back contact while customers are still
# "At Risk" rather than "Lost".

# %% [markdown]
# ## 5. Micro-segments with k-means
#
# *One-to-one marketing (marketing uno a uno)* asks the firm to know each customer and to
# group them only afterwards; the course notes call the fine-grained grouping
# *micro-segmentation (micro-segmentación)*. Instead of fixed score ranges, k-means lets the
# data draw the groups. RFM measures are very skewed, so the kit clusters on their
# logarithms, standardized to mean 0 and standard deviation 1 (otherwise monetary value,
# in thousands of pesos, would outweigh frequency). k-means needs the number of clusters
# *k*: the **elbow** of the inertia curve and the highest **silhouette** are two guides.

# %%
k_table = rfm.choose_k(table, range(2, 8))
fig = rfm_plots.plot_k_selection(k_table)

# %%
# NBVAL_CHECK_OUTPUT
print(k_table.to_string(formatters={"inertia": "{:,.0f}".format,
                                    "silhouette": "{:.3f}".format}))

# %% [markdown]
# Two clusters separate best (active vs inactive) but say little; the curve bends at
# three to four and the silhouette has a second peak at four, so the lesson's default is
# `n_clusters` = 4 (the cells below use the parameter). Clusters are numbered by revenue per
# customer, 1 being the best.

# %%
model = rfm.RFMKMeans(n_clusters=n_clusters, random_state=0).fit(table)
clustered = segmented.assign(cluster=model.labels_)
profiles = rfm.segment_summary(clustered, by="cluster")
ax = rfm_plots.plot_clusters(table, model.labels_)

# %%
# NBVAL_CHECK_OUTPUT
print(_("{k} clusters; centres (days, orders, MXN):").format(k=n_clusters))
print(model.centers_.round(0).astype(int).to_string())
print(profiles[["customers", "revenue_share"]].to_string(formatters={"revenue_share": percent}))

# %% [markdown]
# The crosstab compares the two segmentations. With the default four clusters, cluster 1 is
# almost only Champions; cluster 2 gathers valuable customers who have slowed down or
# stopped (Can't Lose Them, At Risk and many Loyal Customers), which the rule table splits
# three ways; cluster 3 holds recent customers of middling value (Potential Loyalists,
# Loyal, some Champions); cluster 4 the low-value segments (Hibernating, Lost, About to
# Sleep). k-means finds similar groups without being told the cut points, but its groups
# have no names and move when the data change: rules are easier to explain, clusters to
# discover.

# %%
rfm.cluster_segment_crosstab(segmented, model.labels_)

# %% [markdown]
# ## 6. Targeting: test, then roll out
#
# RFM was invented for direct mail. Hughes' recipe for a campaign:
#
# 1. Work out the **break-even response rate**: a contact pays when
#    response rate × net profit per response ≥ cost per contact, so
#    break-even = cost per contact / net profit per response.
# 2. Contact a random **test sample** and measure the response rate of each RFM cell.
# 3. **Roll out** only to the cells whose test rate is at or above break-even.
#
# This is the *interaction (interacción)* step of the course notes: spend less on
# customers below the profitability threshold. The kit has no campaign history, so
# responses are simulated from a documented model in which answering becomes likelier
# with every R, F and M point (`rfm.simulate_responses`, fixed seed). Cells are the 25
# R-F pairs, so that each holds enough test customers.

# %%
break_even = rfm.break_even_rate(cost_per_contact, profit_per_response)
responses = rfm.simulate_responses(table, random_state=seed)
campaign = rfm.test_then_rollout(
    table, responses["responded"], cost_per_contact=cost_per_contact,
    profit_per_response=profit_per_response, test_share=test_share,
    cells=["r_score", "f_score"], random_state=seed,
)
ax = rfm_plots.plot_cell_response_rates(campaign)

# %%
# NBVAL_CHECK_OUTPUT
print(_("break-even response rate: {rate:.2%}   cells rolled out: {selected} of {cells}").format(
    rate=break_even, selected=int(campaign.cells["selected"].sum()), cells=len(campaign.cells)))
print(campaign.summary.set_axis(rl.i18n.display_values(campaign.summary.index)).to_string(
    formatters={"response_rate": percent, "profit": "{:,.0f} MXN".format}))

# %% [markdown]
# At the default 6 MXN a contact and 80 MXN a response, contacting everyone loses money:
# the average response rate is below break-even. The test sample about pays for itself, and
# the rollout to the selected cells makes the campaign profitable. A cell with no test
# customer has no test rate and is not rolled out: nothing says it pays. The test rates
# are noisy — a cell of 40 test customers can cross the line by chance — which is why
# Hughes insisted on test cells large enough to count on.

# %% [markdown]
# ## 7. CDNOW
#
# The same steps on real data. The CDNOW file has no order numbers, so by the kit's rule
# the records of one customer-day make one order: frequency counts **purchase days**
# (several records on one day are one visit), and the observation end is the last day of
# the panel, 30 June 1998. Some records cost $0 and none is a return; a $0 record is a
# visit (a free item), so every customer of the file is scored, and
# `attrs["customers_without_purchases"]` counts the customers that have lines but no
# purchase (returns only), none here.

# %%
cdnow = rl.datasets.load_cdnow(cdnow_kind)
cdnow_table = rfm.rfm_table(cdnow, "1998-06-30", bins=bins)
cdnow_kept = rfm.rfm_table(cdnow, "1998-06-30", bins=bins, ties="keep")

# %%
# NBVAL_CHECK_OUTPUT
one_day = cdnow_table["frequency"] == 1
print(_("CDNOW {kind}: {customers:,} customers scored, {without} without a purchase; "
        "purchase orders (visits): {orders:,}").format(
    kind=cdnow_kind, customers=len(cdnow_table),
    without=cdnow_table.attrs["customers_without_purchases"],
    orders=cdnow_table["frequency"].sum()))
print(_("bought on one day only: {share:.1%}").format(share=one_day.mean()))
for label, scored in [(_("ties broken by id"), cdnow_table), (_("ties kept"), cdnow_kept)]:
    f_scores = sorted(int(f) for f in scored.loc[one_day, "f_score"].unique())
    print(_("their F scores, {label}: {scores}").format(label=label, scores=f_scores))

# %% [markdown]
# Half of CDNOW's customers bought on one day only. With equal-sized bins they spread over
# the lowest F scores (listed above), decided by customer id alone — and at CDNOW the id
# follows the date of the first purchase, so the tie rule would smuggle the joining date
# into the F score. Here `ties="keep"` is the honest choice: every one-time buyer gets
# F = 1, and the bins above are smaller. Some scores can even be empty: in quintiles
# F = 2 is, because the first two-day buyer ranks past the first half of the customers
# and so starts in the third fifth.

# %%
cdnow_quintiles = cdnow_kept if bins == 5 else rfm.rfm_table(cdnow, "1998-06-30", ties="keep")
cdnow_summary = rfm.segment_summary(rfm.assign_segments(cdnow_quintiles, rules))
ax = rfm_plots.plot_rf_heatmap(cdnow_kept)
ax.set_title(_("CDNOW {kind} (ties kept): mean spend (USD) by R and F score").format(
    kind=cdnow_kind))
ax.figure.tight_layout()

# %%
# NBVAL_CHECK_OUTPUT
for name, row in cdnow_summary.iterrows():
    print(_("{segment:<19} {customers:>6,} customers  {share:6.1%} of revenue").format(
        segment=display_value(name), customers=int(row["customers"]),
        share=row["revenue_share"]))

# %% [markdown]
# The cohort joined in early 1997 and most never came back: the one-time buyers fill the
# F = 1 column, and the segments "Lost" and "Hibernating" are large and cheap, while the
# Champions bring most of the revenue. There are no "New Customers": nobody in this
# cohort made a first purchase recently, a reminder that segment names describe score
# patterns, not facts checked against the data.
#
# ## Key takeaways
#
# * RFM differentiates customers by when they last bought, how often and how much. Count
#   orders, not lines; net returns and cancellations against their order or their day, so
#   they never count as purchases nor make a customer more recent; say whether monetary
#   is total or average.
# * Quintile scores need a tie rule and a direction: the kit gives equal-sized bins with
#   ties broken by customer id, and recent customers a high R.
# * A rule table turns scores into named segments; the first matching rule wins and the
#   customers no rule matches are counted as Others. A fifth of the kit's customers (the
#   Champions) bring over half its revenue.
# * A migration matrix between two dates shows who is slipping (Champions → Can't Lose
#   Them → At Risk → Lost) while there is time to act.
# * k-means on standardized log-RFM finds micro-segments without fixed cut points; the
#   elbow and the silhouette guide the choice of k.
# * Contact only the cells whose tested response rate beats cost per contact / profit
#   per response: on the kit's data that turns a losing campaign into a profitable one.
#
# **Exercises:** [`exercises/03_rfm.ipynb`](../exercises/03_rfm.ipynb) (eight exercises with self-checks, among them a
# decision: whom to mail on a budget, and one in your own words).
