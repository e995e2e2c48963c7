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
# # 01 · Customer identification: one person, one record
#
# **Learning objectives.** After this lesson you can
#
# 1. explain why *customer identification (identificación del cliente)* goes further than
#    segmentation — *each customer is a segment (cada cliente es un segmento)* — and build a
#    *single customer view* from a raw export by linking ids that share an e-mail, a phone
#    or a name, and measure how good the linking is;
# 2. label customers *active (activos)*, *inactive (inactivos)* or *potential
#    (potenciales)* from their purchase history and the leads list;
# 3. place each customer in one of the *five stages of the relationship (cinco etapas de
#    la relación)* with explicit rules and read the funnel between them;
# 4. analyse the *voice of the customer (voz del cliente)* collected through its seven
#    tools, and show that customers whose complaints go unresolved leave more often;
# 5. close the loop *data management → program implementation → feedback (manejo de datos
#    → implantación de programas → retroalimentación)* by updating one customer table.

# %% tags=["parameters"]
# Parameters (papermill): data, the day the lesson describes, and the rules' thresholds.
data_dir = None  # None means the datasets/ folder of the kit
observation_end = None  # the last observed day; None means the observation end of the data
previous_update = None  # an earlier update of the customer table; None: six month-ends earlier
active_within_days = 365  # a customer who bought within this many days is active
identity_rules = ("email", "phone")  # linking rules for the single customer view
language = "en"  # "en" or "es": the language of the kit's messages, labels and numbers

# %%
import pandas as pd

import relmark_lab as rl
from relmark_lab.identify import IDENTITY_RULES
from relmark_lab.lessons import (
    Day,
    Folder,
    OneOrMore,
    WholeNumber,
    check_parameters,
    use_lesson_display,
)

# The days must fall inside the data. The data are read only from a folder that exists, so
# a wrong data_dir is reported with the other parameters. The recency of section 3 needs a
# month of purchases, and the earlier update of section 6 comes on or before the later one.
first_day = last_day = earliest_end = days_observed = None
if Folder(data_dir).problem() == "":
    first_day = rl.datasets.load_transactions(data_dir)["date"].min().normalize()
    last_day = pd.Timestamp(rl.datasets.load_truth(data_dir)["observation_end"])
    earliest_end, days_observed = first_day + pd.Timedelta(days=30), (last_day - first_day).days
end_day = Day(observation_end, first=earliest_end, last=last_day, optional=True)
latest_update = observation_end if observation_end and not end_day.problem() else last_day
use_lesson_display(language=language)

check_parameters(
    data_dir=Folder(data_dir),
    observation_end=end_day,
    previous_update=Day(previous_update, first=first_day, last=latest_update, optional=True),
    active_within_days=WholeNumber(active_within_days, low=1, high=days_observed),
    identity_rules=OneOrMore(identity_rules, IDENTITY_RULES),
)

# %%
import matplotlib.pyplot as plt
import seaborn as sns

from relmark_lab import identify
from relmark_lab.i18n import display_value, display_values
from relmark_lab.i18n import gettext as _
from relmark_lab.plots import identify as plots

sns.set_theme(style="whitegrid", context="notebook")


def percent(table, *columns):
    """The table with its shares shown as percentages (for display only)."""
    return table.assign(**{c: table[c].map("{:.1%}".format, na_action="ignore") for c in columns})


observation_end = observation_end or str(last_day.date())
# Six month-ends earlier by default, but not before the first purchase.
previous_update = previous_update or str(max(pd.Timestamp(observation_end)
                                             - pd.offsets.MonthEnd(6), first_day).date())
customers = rl.datasets.load_customers(data_dir)
leads = rl.datasets.load_leads(data_dir)
survey = rl.datasets.load_survey(data_dir)
contacts = rl.datasets.load_voice_of_customer(data_dir)

# %% [markdown]
# ## 1. Each customer is a segment
#
# The course notes ask the firm to know *what* each customer wants, *how*, *where*, *what
# for* and *when*. That is only possible if the firm knows who is who. Segmentation groups
# people who look alike; identification knows each person individually, and can group them
# afterwards. The first obstacle is mundane: the same person appears under several ids.
#
# The raw point-of-sale export of lesson 00, once read with its ledger, still has 150
# customers with a second, legacy id (`C9…` or `LEG-…`). Their name, e-mail and phone are
# written differently under each id:

# %%
raw, ledger = rl.datasets.load_raw_export(data_dir)
contact_columns = ["customer_id", "Nombre", "Correo", "Teléfono"]
legacy = raw.loc[~raw["customer_id"].str.match(r"^C0"), contact_columns].drop_duplicates()
same_person = raw.loc[raw["Correo"].str.strip().str.lower()
                      == legacy["Correo"].iloc[0].strip().lower(), contact_columns]
same_person.drop_duplicates()

# %% [markdown]
# ## 2. Normalise, then link
#
# Before comparing contact data we turn each value into a *matching key*:
#
# * **e-mail**: remove surrounding spaces and lower-case it;
# * **phone**: keep the digits only and drop Mexico's country code +52, so `+52 55 1234
#   5678`, `(55) 1234-5678` and `55 1234 5678` agree;
# * **name**: fold accents (`José` → `jose`), lower-case, collapse spaces.
#
# In plain pandas, the e-mail rule is one line, and it already shows how many ids collapse:

# %%
email_key = raw["Correo"].str.strip().str.lower().replace("", pd.NA)
ids_per_email = raw.assign(email_key=email_key).dropna(subset=["email_key"])
ids_per_email = ids_per_email.groupby("email_key")["customer_id"].nunique()
print(_("e-mail keys shared by two raw ids: {shared}").format(shared=(ids_per_email > 1).sum()))

# %% [markdown]
# `identify.normalize_email`, `normalize_phone` and `normalize_name` do the same for whole
# columns:

# %%
examples = same_person.drop_duplicates("customer_id")
pd.DataFrame({
    _("e-mail key"): identify.normalize_email(examples["Correo"]),
    _("phone key"): identify.normalize_phone(examples["Teléfono"]),
    _("name key"): identify.normalize_name(examples["Nombre"]),
}).assign(raw_id=examples["customer_id"].to_numpy())

# %% [markdown]
# Linking is a graph problem. Each raw id is a node; two ids are joined when they share a
# key. One person is a *connected component*: if A shares an e-mail with B, and B a phone
# with C, then A, B and C are one person even though A and C share nothing.
# `identify.resolve_identities` builds that graph (with `scipy.sparse.csgraph`) and returns
# one row per raw id with its customer key and the rule that linked it. Ids of the customer
# master are preferred as keys, so that survey answers and contacts filed under them still
# match.

# %%
mapping = identify.resolve_identities(
    raw, email_column="Correo", phone_column="Teléfono", name_column="Nombre",
    rules=identity_rules, preferred_ids=customers["customer_id"],
)
report = identify.merge_report(mapping)
report

# %% [markdown]
# Because the kit's data are simulated, the true identities are known
# (`identity_map.csv`), and the resolution can be scored. Over all pairs of raw ids,
# *precision* is the share of pairs we put together that truly are one person; *recall*
# is the share of true pairs we found.

# %%
identity_map = rl.datasets.load_identity_map(data_dir)
score = identify.score_resolution(mapping, identity_map)

# %%
# NBVAL_CHECK_OUTPUT
print(_("raw ids: {raw_ids:,}  ->  people: {people:,}").format(
    raw_ids=report.loc["total", "raw_ids"], people=report.loc["total", "people"]))
print(_("rules {rules}: pair precision {precision:.1%}, pair recall {recall:.1%}").format(
    rules="+".join(display_values(identity_rules)), precision=score["pair_precision"],
    recall=score["pair_recall"]))
print(_("people found {found:,} vs true {true:,}").format(
    found=score["people_found"], true=score["people_true"]))

# %% [markdown]
# Names are tempting, but two different people can share one. Adding the name rule merges
# *homonyms* — recall stays perfect, precision falls:

# %%
with_names = identify.resolve_identities(
    raw, email_column="Correo", phone_column="Teléfono", name_column="Nombre",
    rules=("email", "phone", "name"), preferred_ids=customers["customer_id"],
)
name_score = identify.score_resolution(with_names, identity_map)

# %%
# NBVAL_CHECK_OUTPUT
print(_("rules email+phone+name: pair precision {precision:.1%}, pair recall {recall:.1%}, "
        "people found {found:,}").format(precision=name_score["pair_precision"],
                                         recall=name_score["pair_recall"],
                                         found=name_score["people_found"]))

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 3.2))
plots.plot_merge_report(report, ax=axes[0])
axes[0].set_title(_("Rules {rules}").format(rules=" + ".join(display_values(identity_rules))))
plots.plot_merge_report(identify.merge_report(with_names), ax=axes[1])
axes[1].set_title(_("Rules email + phone + name: homonyms merged too"))
fig.tight_layout()

# %% [markdown]
# With a region column the name rule could demand the same name *and* region
# (`region_column=`), which keeps most homonyms apart; the raw export has none, so we leave
# names out. Applying the mapping gives the *single customer view*: the raw export's
# transactions under one key per person. With the e-mail and phone rules it reproduces the
# clean transaction file exactly; the last line below says whether your rules do.

# %%
transactions = identify.apply_identity_map(raw, mapping)
clean = rl.datasets.load_transactions(data_dir)

# %%
# NBVAL_CHECK_OUTPUT
print(_("customers in the raw export: {raw:,}, after resolution: {resolved:,}, "
        "in the clean file: {clean:,}").format(raw=raw["customer_id"].nunique(),
                                               resolved=transactions["customer_id"].nunique(),
                                               clean=clean["customer_id"].nunique()))
same = (transactions.groupby("order_id")["customer_id"].first()
        .equals(clean.groupby("order_id")["customer_id"].first()))
print(_("every order has the clean file's customer") if same
      else _("some orders are under another customer than in the clean file"))

# %% [markdown]
# ## 3. Active, inactive and potential customers
#
# The course notes name three kinds of customers. *Active* customers buy and promote the
# brand; *inactive* customers float in the market and buy from the competition; *potential*
# customers are those we want to attract. In data: a customer is active if their last
# purchase is at most `active_within_days` days before the last observed day
# (`observation_end`; the whole day counts), inactive if it is older; leads who never
# bought are potential. A return must not look like a visit. The kit's returns are
# negative lines with an order id of their own, made days after the purchase, so they never
# undo one: in pandas the last purchase is the last line with a positive amount:

# %%
end = pd.Timestamp(observation_end)
purchases = transactions[(transactions["amount"] > 0)
                         & (transactions["date"] < end + pd.Timedelta(days=1))]
last_purchase_day = purchases.groupby("customer_id")["date"].max().dt.normalize()
days_since = (end - last_purchase_day).dt.days
print(_("active by hand: {active:,}").format(active=(days_since <= active_within_days).sum()))

# %% [markdown]
# `identify.customer_status` does this per customer by the one rule for orders that every
# stage of the kit shares: the lines of a customer that share an order id are one order; a
# return nets against its own order when it carries the order's id (on any day); one
# without it cancels the customer's purchases of the same day, up to what they bought that
# day (a larger one returns something bought earlier and leaves the day standing); a
# *purchase day* is a day left with a positive net. The kit's returns carry ids of their
# own and come later, so here every day with a positive line is a purchase day, as above.
# It adds the leads created by `observation_end`. Lines dated after the end
# are left out and counted in `status.attrs`, and so are customers whose lines are returns
# only, who are not rows:

# %%
status = identify.customer_status(
    transactions, observation_end, active_within_days=active_within_days, leads=leads
)
counts = identify.status_counts(status)
percent(counts, "share")

# %%
# NBVAL_CHECK_OUTPUT
within = _("observation end {end}, active = bought within {days:,} days")
if active_within_days == 1:
    within = _("observation end {end}, active = bought within {days:,} day")
print(within.format(end=observation_end, days=active_within_days))
for name, row in counts.iterrows():
    print(f"  {display_value(name):<10} {int(row['customers']):>6,}  {row['share']:.1%}")
print(_("lines after the end: {lines:,}, customers without a purchase: {customers:,}").format(
    lines=status.attrs["lines_after_observation_end"],
    customers=status.attrs["customers_without_purchases"]))

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 3.5), gridspec_kw={"width_ratios": [2, 1]})
plots.plot_recency(status, active_within_days, ax=axes[0])
plots.plot_status_counts(counts, ax=axes[1])
fig.tight_layout()

# %% [markdown]
# The threshold is a business choice: a supermarket would call a customer lapsed after a
# month, a furniture store after years. Try `active_within_days = 180` with papermill and
# watch customers move from active to inactive.

# %% [markdown]
# ## 4. Five stages of the relationship
#
# The notes describe a relationship passing through five stages. We give each one an
# explicit, testable rule, evaluated at `observation_end` from the top down (the first that
# holds wins):
#
# | stage | rule |
# |---|---|
# | *loyalty (fidelización)* | active, at least 6 orders, first purchase at least 365 days ago, and not a detractor (recommend ≤ 6) if surveyed |
# | *maintenance (mantenimiento)* | active and at least 3 orders (several repeat purchases) |
# | *satisfaction (satisfacción)* | at least 2 orders (a repeat purchase), but not maintenance — lapsed repeat buyers stay here |
# | *acquisition (captación)* | exactly one purchase order |
# | *prospecting (prospección)* | a lead who never bought |
#
# A good survey score alone does not move a one-order customer up: satisfaction is shown by
# coming back, so the survey counts only after the first repeat purchase, and then only to
# keep detractors out of loyalty. Orders are *purchase orders* by the rule of section 3:
# an order cancelled the same day, or returned in full under its own order id, is none.
# Every threshold is a parameter of `identify.lifecycle_stage`.

# %%
stages = identify.lifecycle_stage(
    transactions, observation_end, leads=leads, survey=survey,
    active_within_days=active_within_days,
)
funnel = identify.stage_funnel(stages)
percent(funnel, "conversion")

# %% [markdown]
# A customer in a later stage has passed the earlier ones, so the funnel counts who
# *reached* each stage, and the conversion is the share of the previous stage's people who
# went on. The kit's leads list holds only people who never bought, so the first rate is
# the share of all known people who became customers, not the conversion of a lead
# campaign.

# %%
# NBVAL_CHECK_OUTPUT
for name, row in funnel.iterrows():
    line = _("{stage:<12} in stage {customers:>5,}  reached {reached:>5,}")
    if pd.notna(row["conversion"]):  # the first stage has none: no stage comes before it
        line = _("{stage:<12} in stage {customers:>5,}  reached {reached:>5,}  "
                 "conversion {conversion:.1%}")
    print(line.format(stage=display_value(name), customers=int(row["customers"]),
                      reached=int(row["reached"]), conversion=row["conversion"]))

# %%
fig, axes = plt.subplots(1, 2, figsize=(14, 3.8), gridspec_kw={"width_ratios": [3, 2]})
plots.plot_funnel(funnel, ax=axes[0])
stage_status = pd.crosstab(stages["stage"], stages["status"])
stage_status = stage_status.set_axis(display_values(stage_status.index), axis=0).set_axis(
    display_values(stage_status.columns), axis=1)  # the stages' and statuses' names, to read
sns.heatmap(stage_status, annot=True, fmt=",d", cmap="Greens", cbar=False, ax=axes[1])
axes[1].set(title=_("Stage by status"), xlabel="", ylabel="")
fig.tight_layout()

# %% [markdown]
# In the kit's data at its last day, the biggest leak is between satisfaction and
# maintenance: many customers come back once and then lapse. Most of the satisfaction stage
# is inactive — these are the customers a recovery program (the third pyramid) would
# target; exercise 01.7 decides which inactive customers are worth a win-back call.

# %% [markdown]
# ## 5. The voice of the customer
#
# Relationship marketing gives the *voice of the customer* the greatest importance: turning
# complaints, wishes and suggestions into real solutions. The notes list seven tools:
# *focus groups (sesiones en grupo)* of 10 to 12 people, the *complaint box (buzón de
# quejas)*, the *suggestion coupon (cupón de sugerencias)*, the *toll-free line (líneas
# gratuitas)*, *e-mail (correo electrónico)*, *personal attention (atención personal)* and
# the *letter (correo convencional)*. The kit's contact log records which tool each contact
# came through and what kind it was. The lesson describes what the firm knew on
# `observation_end`, so the contacts dated after that day are left out first, by the day rule
# of the transactions (the functions that take `observation_end` apply it themselves and
# count what they leave out):

# %%
known = contacts["date"].dt.normalize() <= end
print(_("contacts up to {end}: {known:,} of {total:,}").format(
    end=observation_end, known=known.sum(), total=len(contacts)))
contacts = contacts[known]

# %%
by_channel = identify.contacts_by_channel(contacts)
by_channel.pivot(index="channel", columns="contact_type", values="contacts").reindex(
    list(identify.VOC_CHANNELS), fill_value=0
)

# %%
if len(contacts):
    plots.plot_contacts_by_channel(by_channel)
    plt.gcf().tight_layout()
else:  # early in a small data set: nobody has written or called yet
    print(_("No contact had been logged by {end}.").format(end=observation_end))

# %% [markdown]
# Complaints are the contacts that put a relationship at risk. How many does each tool
# solve, and how fast? In pandas the share resolved per channel is a one-line groupby:

# %%
complaints = contacts[contacts["contact_type"] == "complaint"]
complaints.groupby("channel")["resolved"].mean().sort_values().map("{:.0%}".format)

# %%
resolution = identify.complaint_resolution(contacts)
percent(resolution, "share_resolved")

# %%
# NBVAL_CHECK_OUTPUT
received = resolution["complaints"].sum()
solved = f"{resolution['resolved'].sum() / received:.1%}" if received else _("none yet")
print(_("complaints: {received:,}, resolved: {solved}").format(received=received, solved=solved))
for name, row in resolution.dropna(subset=["share_resolved"]).iterrows():
    days = row["median_days_to_resolve"]  # missing when none of the channel's was solved
    line = (_("  {channel:<19} {complaints:>4}  resolved {share:.0%}  median {days:.0f} days")
            if pd.notna(days) else
            _("  {channel:<19} {complaints:>4}  resolved {share:.0%}  none solved"))
    print(line.format(channel=display_value(name), complaints=int(row["complaints"]),
                      share=row["share_resolved"], days=days))

# %%
if resolution["median_days_to_resolve"].notna().any():
    plots.plot_complaint_resolution(resolution)
    plt.gcf().tight_layout()
else:  # early in the data: no complaint has been solved yet, there is nothing to draw
    print(_("No complaint had been solved by {end}.").format(end=observation_end))

# %% [markdown]
# Face to face and on the phone, complaints are solved quickly and mostly for good; written
# channels are slow and leave many unresolved. Does that matter? Compare the customers who
# complained and saw every complaint solved with those left with an unresolved one:

# %%
retention = identify.complainer_retention(
    contacts, transactions, observation_end, active_within_days=active_within_days
)
percent(retention, "share_active", "share_bought_after_complaint")

# %%
# NBVAL_CHECK_OUTPUT
for name, row in retention.iterrows():
    active = f"{row['share_active']:.1%}" if row["customers"] else "—"
    print(_("{group:<16} customers {customers:>5,}  active {active}").format(
        group=display_value(name), customers=int(row["customers"]), active=active))
gap = retention.loc["all resolved", "share_active"] - retention.loc["some unresolved", "share_active"]
if pd.notna(gap):
    print(_("resolved minus unresolved: {points:+.1f} percentage points still active").format(
        points=100 * gap))
else:
    print(_("resolved minus unresolved: one of the two groups has no customers yet"))

# %%
plots.plot_complainer_retention(retention)
plt.gcf().tight_layout()

# %% [markdown]
# In the kit's data at its last day, complainers are less active than customers who never
# complained — complaints come from the dissatisfied — but among complainers, those left
# unresolved leave most. This is a comparison, not an experiment: lesson 06 shows how a
# pilot measures what resolving a complaint is actually worth.

# %% [markdown]
# ## 6. The loop: data management → program → feedback
#
# Data management stores and analyses the data; program implementation acts on the
# customers identified; feedback updates the database after the contacts and follows
# behaviour. `identify.customer_table` is that database: one row per customer with status,
# stage, purchases, the latest survey answer and complaint outcome, rebuilt at each update.
# Here is the table at an earlier update and now:

# %%
table_before = identify.customer_table(
    transactions, previous_update, customers=customers, leads=leads, survey=survey,
    contacts=contacts, active_within_days=active_within_days,
)
table_after = identify.customer_table(
    transactions, observation_end, customers=customers, leads=leads, survey=survey,
    contacts=contacts, active_within_days=active_within_days,
)
shown = ["customer_id", "region", "status", "stage", "orders", "revenue",
         "days_since_last_purchase", "satisfaction", "complaints", "unresolved_complaints"]
# One customer whose stage changed and who complained in between; with two updates too
# close for that, one whose stage changed, or else the first customer of both.
both = table_after.merge(table_before, on="customer_id", suffixes=("", "_before"))
moved_stage = both["stage"].astype(str) != both["stage_before"].astype(str)
complained = both["complaints"] > both["complaints_before"]
for chosen in (moved_stage & complained, moved_stage, pd.Series(True, index=both.index)):
    if chosen.any():
        break
one = both.loc[chosen, "customer_id"].iloc[0]
pd.DataFrame({  # one column per update, so the table fits the screen
    _("{customer} on {day}").format(customer=one, day=previous_update):
        table_before.set_index("customer_id").loc[one, shown[1:]],
    _("on {day}").format(day=observation_end):
        table_after.set_index("customer_id").loc[one, shown[1:]],
})

# %%
# NBVAL_CHECK_OUTPUT
moved = table_after.merge(table_before[["customer_id", "stage"]], on="customer_id",
                          how="left", suffixes=("", "_before"))
changed = (moved["stage"].astype(str) != moved["stage_before"].astype(str)).sum()
print(_("rows before ({before}): {rows_before:,}  after ({after}): {rows_after:,}").format(
    before=previous_update, rows_before=len(table_before), after=observation_end,
    rows_after=len(table_after)))
print(_("stage changed: {changed:,}").format(changed=changed))
print(_("lines after {day} left out of the earlier update: {lines:,}").format(
    day=previous_update, lines=table_before.attrs["lines_after_observation_end"]))
print(_("active before -> after: {before:,} -> {after:,}").format(
    before=(table_before["status"] == "active").sum(),
    after=(table_after["status"] == "active").sum()))

# %%
plots.plot_stage_migration(table_before, table_after)
plt.gcf().tight_layout()

# %% [markdown]
# The diagonal holds customers who stayed where they were; right of it are those who moved
# up, left of it those who slipped (maintenance → satisfaction means a repeat buyer lapsed,
# loyalty → maintenance a loyal customer who answered the survey as a detractor).
# "new" rows are customers and leads who arrived between the two updates. Every later
# lesson adds its columns to this table: value in lesson 02, RFM segment in 03, lifetime
# value in 04.

# %% [markdown]
# ## Key takeaways
#
# * Identification comes first: link ids that share a normalised e-mail or phone, take
#   connected components so chains merge, and score the result. Names alone merge
#   homonyms.
# * Active, inactive and potential are a recency threshold and a leads list; the threshold
#   is a business decision, so it is a parameter.
# * Five stages need explicit rules; the funnel shows where relationships stall — here,
#   after the first repeat purchase.
# * The seven voice-of-the-customer tools differ in how many complaints they solve and how
#   fast, and complainers left unresolved stay less.
# * The customer table, rebuilt at each update, closes the loop of data management →
#   program → feedback.
#
# **Exercises:** [`exercises/01_customer_identification.ipynb`](../exercises/01_customer_identification.ipynb) (seven exercises with
# self-checks, the last a decision — whom to call in a win-back campaign — and one answer
# in your own words).
