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
# # 00 · Course map: from transactions to relationships
#
# **Learning objectives.** After this lesson you can
#
# 1. say what *relationship marketing (marketing relacional)* is and how it differs from
#    chasing single sales;
# 2. name the three steps identify → differentiate → interact, the loop data management →
#    program implementation → feedback, the five stages of a relationship, the five
#    pyramids and the five steps of loyalty, and find the lesson of this course that works
#    on each; say what partner relationships, customer-managed relationships and
#    consumer-generated marketing are, and how little of them the kit's data can show;
# 3. load every data set of the kit, read a raw export with a ledger that accounts for
#    every row, and say what each table can teach.
#
# The lessons follow one path. Raw transactions are read and cleaned, customers are
# identified, differentiated by their value, and valued over their lifetime; programs
# are then tested on them and the results fed back into the customer table.

# %% tags=["parameters"]
# Parameters (papermill): point the lesson at another copy of the data or CDNOW file.
data_dir = None  # None means the datasets/ folder of the kit
cdnow_kind = "sample"  # "sample" (2,357 customers) or "master" (23,570)
language = "en"  # "en" or "es": the language of the kit's messages, labels and numbers

# %%
from relmark_lab.lessons import Choice, Folder, check_parameters, use_lesson_display

use_lesson_display(language=language)

check_parameters(data_dir=Folder(data_dir), cdnow_kind=Choice(cdnow_kind, ("sample", "master")))

# %%
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.ticker import PercentFormatter

import relmark_lab as rl
from relmark_lab.i18n import gettext as _

sns.set_theme(style="whitegrid", context="notebook")

# %% [markdown]
# ## 1. From transactions to relationships
#
# Relationship marketing grew out of a change of strategic direction, *from transactions
# to relationships (de transacciones a relaciones)*. A *transaction* view counts sales:
# how many orders this month, at what margin. A *relationship* view counts customers and
# what each one will be worth over the long run, and tries to do as much business as it
# can with each customer it chooses to keep. The course
# notes put it as answering, for each customer, *what* they want, *how*, *where*, *what
# for* and *when*.
#
# Two ideas run through the whole course:
#
# * **Each customer is a segment.** Identification goes further than segmentation: the
#   firm knows each customer individually and can still group them afterwards.
# * **Not every relationship is worth keeping.** Relationships should be profitable for
#   both sides; some should end. Customer value, not sales volume, decides.
#
# The customers themselves come in three kinds: *active (activos)* customers who buy and
# promote the brand, *potential (potenciales)* customers the firm wants to attract, and
# *inactive (inactivos)* customers who drift in the market and buy from competitors.
# Lesson 01 computes all three from data.

# %% [markdown]
# ## 2. Identify → differentiate → interact
#
# The course notes give three steps to develop a relationship-marketing program:
#
# | step | what it means | lesson |
# |---|---|---|
# | *customer identification (identificación del cliente)* | one record per person, not per account or e-mail | 01 |
# | *differentiation (diferenciación)* | value by *frequency (frecuencia)*, *monetary amount (monto)* and *recency (fecha de la última compra)*; profitability | 02, 03 |
# | *interaction (interacción)* | spend less serving customers below the profitability threshold, more on the valuable ones | 02 |
#
# Around the steps runs a loop: *data management (manejo de datos)* — storing, organising
# and analysing the data; *program implementation (implantación de programas)* — strategies
# to win the loyalty of the customers identified; and *feedback (retroalimentación)* —
# after the first contacts the customer database is updated and behaviour followed, which
# starts the next round. Every lesson of this kit ends by writing something back to the
# customer table.

# %% [markdown]
# ## 3. Five stages and five pyramids
#
# A relationship passes through *five stages (cinco etapas de la relación)*:
# *prospecting (prospección)* → *acquisition (captación)* → *satisfaction (satisfacción)*
# → *maintenance (mantenimiento)* → *loyalty (fidelización)*. Lesson 01 assigns each
# customer a stage and draws the funnel between them.
#
# The *five pyramids of relationship marketing (cinco pirámides del marketing relacional)*
# are the programs that move customers up those stages:
#
# 1. an information system (a customer database that is kept up to date) — lessons 00–01;
# 2. communication actions with customers — lesson 02 (channels by value tier);
# 3. programs to detect and recover dissatisfied customers — lessons 01 and 06;
# 4. events and special programs — lesson 06;
# 5. loyalty programs — lesson 06, tested with a pilot before a phased roll-out.

# %% [markdown]
# ## 4. The five steps of loyalty, and relationships beyond the customer
#
# The course notes reach a loyal customer by climbing *five steps of customer loyalty
# (cinco peldaños de la fidelización)*, each one standing on the steps below it:
#
# 1. *personal quality and emotional intelligence (calidad personal e inteligencia
#    emocional)*: the people who serve customers bring initiative, empathy, flexibility,
#    optimism and responsibility, and can read and manage their own feelings and those of
#    others;
# 2. *employee satisfaction (satisfacción de los empleados)*: "if we care for our staff,
#    they will care for our customers" — clear, agreed goals, fair appraisal, training, pay
#    and careers keep the staff motivated;
# 3. *excellence in the commercial process (excelencia en el proceso comercial)*: in the
#    *consultative sale (venta consultiva)* the work does not stop at the close; its last
#    phase is the *follow-up (seguimiento de la venta)*, whose aim is to keep the customer;
# 4. *value for effort (valor en el esfuerzo, also valor por esfuerzo)*: what the customer
#    gets for what buying costs them, built with five weapons — *price (precio)*, *fewer
#    inconveniences (reducir incomodidades)*, *service (servicio)*, *fewer insecurities
#    (reducir inseguridades)* and *product/brand (producto/marca)*;
# 5. *marketing strategies (estrategias de marketing)*: relationship-marketing strategies
#    that carry each customer through the five stages of section 3.
#
# | step | where the kit measures it |
# |---|---|
# | 1. personal quality and emotional intelligence | not measured by the kit |
# | 2. employee satisfaction | lesson 06 §6: the service-profit chain across stores |
# | 3. excellence in the commercial process | lesson 06 §6: a randomized post-sale follow-up |
# | 4. value for effort | lesson 02 §7: what drives perceived value |
# | 5. marketing strategies | lessons 01 (stage funnel), 05 (customer equity), 06 (programs) |
#
# The kit does not measure step 1 at all: it holds no data on the people who serve the
# customers. For step 2 it follows staff satisfaction → customer satisfaction → retention
# across the stores; the stores were not assigned their staff's satisfaction, so that chain
# is observational, not causal. For step 3 a post-sale follow-up contact was randomized, and
# the outcome is a repeat purchase. For step 4 a key-driver analysis relates perceived value
# to the survey's ratings of the five weapons, and an importance–performance map sets how
# much each weapon matters against how well the firm is rated on it. Step 5 is the rest of
# the course: the five stages as a funnel, customer equity, and the programs that move
# customers on.
#
# Relationship marketing also reaches past the firm and its customers. The notes (after
# Kotler and Armstrong) add three ideas:
#
# * *Partner relationship management (administración de relaciones con los socios)*: the
#   firm creates value for customers together with partners. Inside the firm the partners
#   are the other departments, which join cross-functional teams to serve customers instead
#   of leaving them to sales and marketing. Outside it they are the suppliers, channel
#   partners and distributors: the firm treats the whole supply chain as partners, since its
#   success with customers depends on how that chain performs against its competitors'.
# * *Customer-managed relationships (relaciones administradas por el cliente)*: through new
#   digital channels customers, not the firm, decide how and when they deal with it, and
#   they talk about its brands with each other as well.
# * *Consumer-generated marketing (marketing generado por el consumidor)*: reviews, posts,
#   videos and word of mouth that customers make about a brand, asked for by the firm or
#   not; they shape the customers' own experience of the brand and that of others.
#
# What the kit's data can show of them is little, and it is worth saying so:
#
# * **Partner relationships: nothing.** The kit has no data on departments, suppliers or
#   distributors, so it cannot measure them.
# * **Customer-managed relationships: two traces.** The voice-of-the-customer log records
#   the channel each contact came through (lesson 01), and every customer carries the
#   channel they were acquired through, web and social media among them, whose value
#   lesson 05 sets against its cost (`equity.channel_value`). Neither shows customers
#   talking to each other.
# * **Consumer-generated marketing: word of mouth only.** `referred_by` on the customer
#   table says who referred each referred customer, valued as the referral connector of
#   lesson 05 §7, and the survey's likelihood to recommend gives the net promoter score of
#   lesson 02 §9. Reviews, posts and videos are not in the data.

# %% [markdown]
# ## 5. The course map
#
# | lesson | topic | main tools in `relmark_lab` |
# |---|---|---|
# | 00 | course map, the data sets | `datasets`, `read_transactions` |
# | 01 | customer identification: single customer view, status, lifecycle, voice of the customer | `identify` |
# | 02 | customer differentiation: profitability, whale curve, VIP score, loyalty typologies, NPS, value for effort, relationship levels | `differentiate` |
# | 03 | RFM, named segments, micro-segmentation | `rfm` |
# | 04 | customer lifetime value and customer churn | `clv` |
# | 05 | customer equity and share of customer | `equity` |
# | 06 | loyalty programs: pilots and their evaluation | `programs` |
#
# Data takes one path through them:
#
# ```
# raw export ──read_transactions──▶ clean transactions + ledger
#            ──identify──▶ customer table ──differentiate / rfm / clv──▶ values
#            ──equity──▶ customer equity ──programs──▶ pilot results ──▶ back to the table
# ```

# %% [markdown]
# ## 6. The kit's customer base
#
# The kit ships a fictional retailer in Mexico (amounts in MXN) selling in several product
# categories. Because it is simulated from known processes, later lessons can check that
# an estimator recovers the truth. The tables:

# %%
customers = rl.datasets.load_customers(data_dir)
transactions = rl.datasets.load_transactions(data_dir)
leads = rl.datasets.load_leads(data_dir)
survey = rl.datasets.load_survey(data_dir)
contacts = rl.datasets.load_voice_of_customer(data_dir)
pilot_members = rl.datasets.load_pilot_members(data_dir)
pilot = rl.datasets.load_loyalty_pilot(data_dir)
truth = rl.datasets.load_truth(data_dir)

tables = {
    _("customers"): customers,
    _("transactions (order lines)"): transactions,
    _("leads"): leads,
    _("survey"): survey,
    _("voice of the customer"): contacts,
    _("loyalty pilot members"): pilot_members,
    _("loyalty pilot (member-months)"): pilot,
}
overview = pd.DataFrame(
    {_("rows"): [len(t) for t in tables.values()],
     _("columns"): [t.shape[1] for t in tables.values()]},
    index=pd.Index(list(tables), name=_("table")),
)
overview

# %%
# NBVAL_CHECK_OUTPUT
orders = transactions.loc[transactions["amount"] > 0, "order_id"].nunique()
returns = int((transactions["amount"] < 0).sum())
print(_("customers: {customers:,}   order lines: {lines:,}   orders: {orders:,}").format(
    customers=len(customers), lines=len(transactions), orders=orders))
print(_("return lines: {returns:,}   net revenue: {revenue:,.0f} MXN").format(
    returns=returns, revenue=transactions["amount"].sum()))
print(_("observation window: {start} to {end}").format(
    start=truth["observation_start"], end=truth["observation_end"]))

# %% [markdown]
# **Customers** arrive through several *acquisition channels*, each with its own cost.
# Mass media (television) reach many people at a high cost per customer; direct channels
# (referrals, direct mail) reach fewer at a lower cost — a first glimpse of the *mass
# media vs direct marketing (medios masivos vs marketing directo)* choice of lesson 02.
# Exercise 00.6 puts it to work: with a fixed budget, which channels do you buy next
# year's customers through?

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
signups = customers.set_index("signup_date").groupby("acquisition_channel").resample("QS").size()
new_customers = _("new customers")
sns.lineplot(
    data=signups.rename(new_customers).reset_index(),
    x="signup_date", y=new_customers, hue="acquisition_channel", marker="o", ax=axes[0],
)
axes[0].set(title=_("New customers per quarter by channel"), xlabel="")
axes[0].tick_params(axis="x", rotation=45)
axes[0].legend(title=_("channel"), fontsize="small", ncols=2)
sns.barplot(
    data=customers, x="acquisition_cost", y="acquisition_channel", errorbar=None, ax=axes[1],
    order=customers.groupby("acquisition_channel")["acquisition_cost"].mean().sort_values().index,
)
axes[1].set(title=_("Mean acquisition cost (MXN)"), xlabel=_("MXN per customer"), ylabel="")
fig.tight_layout()

# %% [markdown]
# **Transactions** are order lines: an order has one to three lines, and a return is a
# negative line with its own order number, on a later day. The count above is plain pandas:
# order numbers with a purchase line. From lesson 01 on, every stage of the kit decides what
# an order and a purchase are by one rule, which nets returns and cancellations against the
# purchases they undo (the rules are in `docs/contract.md`); on these data it counts the same
# orders. Net revenue per week shows the business growing as customers are acquired and
# some of them stop buying.

# %%
weekly = transactions.set_index("date")["amount"].resample("W").sum()
weekly = weekly.iloc[:-1]  # the last week is cut short by the observation end
fig, ax = plt.subplots(figsize=(12, 3.5))
weekly.plot(ax=ax)
ax.set(title=_("Net revenue per week (MXN)"), xlabel="", ylabel="MXN")
fig.tight_layout()

# %%
by_category = transactions.groupby("category")[["amount", "margin"]].sum()
by_category["margin rate"] = by_category["margin"] / by_category["amount"]
fig, ax = plt.subplots(figsize=(8, 3.5))
sns.barplot(
    x=by_category["margin rate"].sort_values(), y=by_category["margin rate"].sort_values().index,
    ax=ax,
)
ax.set(title=_("Gross margin rate by category"), xlabel=_("gross margin, % of revenue"),
       ylabel="")
ax.xaxis.set_major_formatter(PercentFormatter(1.0))
fig.tight_layout()

# %% [markdown]
# ## 7. A raw export, and a ledger for every row
#
# Real data does not arrive clean. `transactions_raw.csv` is the same business as the
# point-of-sale system exports it: Spanish-locale Excel (`;` separators, `$1.234,50`),
# Spanish headers with stray spaces, mixed date formats, test orders, duplicated lines,
# rows dated in the future, and one person under several customer ids.
#
# `rl.read_transactions` reads it into the kit's canonical columns and returns a
# **ledger**: how many rows came in, how many were kept, and why each other row was
# dropped. Nothing is lost silently: `rows_in = rows_kept + sum(dropped)`. Two rules are
# off unless asked for, because on most exports the rows they drop are real: identical
# lines (without a line id, two of the same item bought on one day) and lines of amount 0
# (a free order is still a visit). This system is known to repeat rows and to write voided
# lines as $0, so the lesson switches both on; the ledger lists every rule in the order it
# applies, with those left off.

# %%
raw = rl.datasets.load_raw_export(data_dir, parse=False)
raw.head(3)

# %%
clean, ledger = rl.read_transactions(
    rl.datasets.data_dir(data_dir) / "transactions_raw.csv",
    columns=rl.datasets.RAW_EXPORT_COLUMNS,
    observation_end=truth["observation_end"],
    test_customer_pattern="^TEST",
    drop_duplicates=True,  # this system repeats rows by mistake (see the data card)
    drop_zero_amounts=True,  # and writes voided lines as $0
    currency="MXN",
)
ledger

# %%
# NBVAL_CHECK_OUTPUT
rows_dropped = sum(ledger.dropped.values())
print(_("rows in: {rows_in:,}  kept: {kept:,}  dropped: {dropped:,}").format(
    rows_in=ledger.rows_in, kept=ledger.rows_kept, dropped=rows_dropped))
for reason, rows in ledger.dropped.items():
    # the reasons are the kit's own messages, translated by its catalogs
    print(_("  {reason:<22} {rows:>4}").format(reason=_(reason), rows=rows))
print(_("balanced: {balanced}").format(balanced=ledger.rows_in == ledger.rows_kept + rows_dropped))

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
dropped = pd.Series(ledger.dropped).sort_values()
sns.barplot(x=dropped.values, y=[_(reason) for reason in dropped.index], ax=ax)
ax.set(title=_("Raw export: rows dropped, by reason"), xlabel=_("rows"), ylabel="")
fig.tight_layout()

# %% [markdown]
# The rows kept still hold the same people under different ids (upper-case e-mails,
# phone numbers written three ways, names without accents). Lesson 01 resolves them into
# a *single customer view*. The rejected rows themselves are in `ledger.rejected`, with
# their line number in the file, for anyone who wants to look:

# %%
ledger.rejected.groupby("reason").head(1)[["source_row", "reason", "Cliente", "Fecha", "Importe"]]

# %% [markdown]
# ## 8. Leads, survey, voice of the customer, loyalty pilot
#
# * **Leads** are prospects who never bought: the potential customers.
# * The **survey** asks a sample of customers for their *satisfaction (satisfacción del
#   cliente)* (1–5), how likely they are to recommend us (0–10, for the net promoter score),
#   their *share of wallet (participación del cliente)* and the *perceived value (valor
#   percibido)* of our offer.
# * The **voice of the customer (voz del cliente)** log holds contacts through the seven
#   tools of the course notes: focus groups, complaint box, suggestion coupon, toll-free
#   line, e-mail, personal attention and letter.
# * The **loyalty pilot** follows program members month by month through 2024 under three
#   designs: randomized, self-selected, and rolled out region by region. Lesson 06 shows
#   why a self-selected comparison cannot be taken at face value.

# %%
fig, axes = plt.subplots(1, 3, figsize=(14, 3.8))
sns.countplot(data=survey, x="satisfaction", ax=axes[0], color="C0")
axes[0].set(title=_("Satisfaction (1–5)"), xlabel=_("answer"), ylabel=_("customers"))
sns.countplot(data=survey, x="recommend", ax=axes[1], color="C1")
axes[1].set(title=_("Likelihood to recommend (0–10)"), xlabel=_("answer"),
            ylabel=_("customers"))
sns.histplot(data=survey, x="share_of_wallet", bins=20, ax=axes[2], color="C2")
axes[2].set(title=_("Share of wallet"), xlabel=_("share of the customer's spend with us"),
            ylabel=_("customers"))
axes[2].xaxis.set_major_formatter(PercentFormatter(1.0))
fig.tight_layout()

# %%
fig, ax = plt.subplots(figsize=(9, 4))
shown = contacts.assign(channel=rl.i18n.display_values(contacts["channel"]),
                        contact_type=rl.i18n.display_values(contacts["contact_type"]))
channel_order = shown["channel"].value_counts().index
sns.countplot(data=shown, y="channel", hue="contact_type", order=channel_order, ax=ax)
ax.set(title=_("Voice of the customer: contacts by channel and type"), xlabel=_("contacts"),
       ylabel="")
ax.get_legend().set_title(_("contact type"))
fig.tight_layout()

# %%
# NBVAL_CHECK_OUTPUT
print(_("leads: {leads:,}   survey answers: {answers:,}   contacts: {contacts:,}").format(
    leads=len(leads), answers=len(survey), contacts=len(contacts)))
enrolment = pilot_members.groupby("design")["enrolled"].agg(members="size", enrolled="sum")
print(enrolment.rename(columns={"members": _("members"), "enrolled": _("enrolled")}).to_string())
print(_("pilot months: {first} to {last}, launch {launch}").format(
    first=pilot["month"].min(), last=pilot["month"].max(),
    launch=truth["programs"]["launch_month"]))

# %% [markdown]
# The simulation's true parameters are saved with the data, so later lessons can compare
# what an estimator finds with what is true. Purchases follow a BG/NBD process in weeks,
# spend a gamma-gamma process:

# %%
true_parameters = pd.concat(
    {_("BG/NBD (weeks)"): pd.Series(truth["bgnbd"]),
     _("gamma-gamma (MXN)"): pd.Series(truth["gamma_gamma"])},
    names=[_("model"), _("parameter")],
).rename(_("true value"))
true_parameters.to_frame()

# %% [markdown]
# ## 9. Real data: CDNOW and the donations panel
#
# Two classic data sets ship inside the `lifetimes` package, and the kit reads them from
# there. **CDNOW** holds the purchases of a cohort of customers of an online music store
# who first bought in the first quarter of 1997, followed until June 1998. The papers that
# introduced the BG/NBD and gamma-gamma models use it; lesson 04 reproduces their numbers.

# %%
cdnow = rl.datasets.load_cdnow(cdnow_kind)
cdnow.head()

# %%
# NBVAL_CHECK_OUTPUT
print(_("CDNOW {kind}: {records:,} records, {customers:,} customers, "
        "{first:%Y-%m-%d} to {last:%Y-%m-%d}").format(
    kind=cdnow_kind, records=len(cdnow), customers=cdnow["customer_id"].nunique(),
    first=cdnow["date"].min(), last=cdnow["date"].max()))
print(_("total spend: ${spend:,.2f}").format(spend=cdnow["amount"].sum()))

# %%
first = cdnow.groupby("customer_id")["date"].transform("min")
kind = pd.Series(_("repeat"), index=cdnow.index).where(cdnow["date"] > first, _("first purchase"))
weekly_cdnow = cdnow.groupby([pd.Grouper(key="date", freq="W"), kind]).size().unstack(fill_value=0)
fig, ax = plt.subplots(figsize=(12, 3.5))
weekly_cdnow.plot(ax=ax)
ax.set(title=_("CDNOW {kind}: purchase records per week").format(kind=cdnow_kind), xlabel="",
       ylabel=_("records"))
fig.tight_layout()

# %% [markdown]
# The **donations** data of the BG/BB paper follow 11,104 first-time supporters of a
# non-profit over six yearly opportunities to give again, stored as 22 patterns of
# (frequency, recency) with how many donors share each one.

# %%
donations = rl.datasets.load_donations()
donations.sort_values("weights", ascending=False).head(8)

# %%
# NBVAL_CHECK_OUTPUT
print(_("donation patterns: {patterns}, donors: {donors:,}").format(
    patterns=len(donations), donors=donations["weights"].sum()))

# %% [markdown]
# ## Key takeaways
#
# * Relationship marketing counts customers and their value over time, not sales.
# * The course follows identify → differentiate → interact, inside a loop of data
#   management → programs → feedback; the five stages and five pyramids say where a
#   customer is and which program moves them on.
# * Loyalty climbs five steps, from the people who serve customers to the marketing
#   strategies; the kit measures steps 2 to 5, not step 1.
# * Relationships reach partners inside and outside the firm, customers manage more of them
#   through digital channels and make marketing of their own; the kit sees only channels,
#   referrals and likelihood to recommend, and nothing of partners.
# * Data comes in raw. Read it with a ledger: every row is either kept or dropped for a
#   stated reason.
# * The kit's synthetic retailer carries its true parameters; CDNOW and the donations
#   panel are real data with published results to reproduce.
#
# **Exercises:** [`exercises/00_course_map.ipynb`](../exercises/00_course_map.ipynb): five exercises that compute a number, a
# decision (where to buy next year's customers on a budget) scored on outcomes you have not
# seen, and one answer in your own words.
