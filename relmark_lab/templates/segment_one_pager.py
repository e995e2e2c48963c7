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

# %% tags=["parameters"]
# Set by relmark report (rl.reports.render): the data and where the report goes.
data_path = None
columns = {}
source_label = ""
show_ids = False
output_dir = "."
run_date = ""
language = "en"  # "en" or "es": the report's words and numbers (relmark report --lang)
# The analyst's parameters (relmark report ... -p NAME=VALUE).
observation_end = None  # the last observed day; None: the last date in the data
currency = None  # e.g. "GBP"; None: amounts without a label
read_options = {}  # more read_transactions options, e.g. {"date_format": "%m/%d/%Y %H:%M"}
active_within_days = 365  # a customer who bought within this many days is active
top_categories = 8  # categories shown by revenue, when the data have a category column

# %%
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display

import relmark_lab as rl
from relmark_lab import identify, rfm
from relmark_lab import reports as rep
from relmark_lab.i18n import display_value, set_language
from relmark_lab.i18n import gettext as _

set_language(language)
chosen = {"observation_end": observation_end, "currency": currency,
          "read_options": read_options, "active_within_days": active_within_days,
          "top_categories": top_categories}
display(HTML(rep.header(rep.title("segment-one-pager"), source_label, chosen, run_date)))
transactions, ledger = rl.read_transactions(data_path, columns or None, currency=currency,
                                            **read_options)
end = pd.Timestamp(observation_end or transactions["date"].max()).normalize()
window = transactions[transactions["date"] < end + pd.Timedelta(days=1)]

# %% [markdown]
# ## Key figures
#
# Orders follow the kit's one rule (lines sharing an order id are one order, returns net
# against their order); net revenue is what the customers paid less what was returned.

# %%
status = identify.customer_status(window, end, active_within_days=active_within_days)
scores = rfm.rfm_table(window, end)
if scores.empty:
    raise rl.DataError(_("No customer bought anything up to {date} in these data (their "
                         "{lines:,} lines are returns or free): there is no customer base to "
                         "describe.").format(date=end.date(), lines=len(window)))
orders, net = scores["frequency"].sum(), window["amount"].sum()
ranked = scores["monetary"].sort_values(ascending=False)
top_fifth = ranked.head(max(1, round(len(ranked) / 5))).sum() / ranked.sum() if ranked.sum() else 0
returned = -window.loc[window["amount"] < 0, "amount"].sum()
first_purchase = window.groupby("customer_id")["date"].min()
figures = {
    "customers": int(len(scores)),
    "active_share": float((status["status"] == "active").mean()),
    "new_in_last_year": int((first_purchase > end - pd.Timedelta(days=365)).sum()),
    "repeat_share": float((scores["frequency"] >= 2).mean()),
    "orders": int(orders),
    "net_revenue": float(net),
    "revenue_per_customer": float(net / len(scores)),
    "average_order_value": float(net / orders) if orders else 0.0,
    "top_fifth_revenue_share": float(top_fifth),
    "returned_share": float(returned / (net + returned)) if net + returned else 0.0,
}
shown = pd.DataFrame({"figure": [
    _("customers"), _("active (bought within {days:,} days)").format(days=active_within_days),
    _("new in the last 365 days"), _("bought more than once"), _("orders"), _("net revenue"),
    _("net revenue per customer"), _("average order value"),
    _("share of revenue from the top 20%"), _("share of gross revenue returned")], "value": [
    f"{figures['customers']:,}", f"{figures['active_share']:.1%}",
    f"{figures['new_in_last_year']:,}", f"{figures['repeat_share']:.1%}",
    f"{figures['orders']:,}", rep.money(net, currency),
    rep.money(figures["revenue_per_customer"], currency),
    rep.money(figures["average_order_value"], currency),
    f"{figures['top_fifth_revenue_share']:.1%}", f"{figures['returned_share']:.1%}"]})
display(HTML(rep.lines_kept(ledger, window["date"].min().date(), end.date())))
display(shown.set_index("figure").rename_axis(None).rename(columns={"value": _("value")}))

# %% [markdown]
# ## Month by month

# %%
dates = window["date"]
month = (dates.dt.tz_localize(None) if dates.dt.tz is not None else dates).dt.to_period("M")
monthly = window.groupby(month).agg(net_revenue=("amount", "sum"),
                                    buyers=("customer_id", "nunique"))
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 3.8))
left.plot(monthly.index.to_timestamp(), monthly["net_revenue"], color="#1d3557")
left.set(title=_("Net revenue per month"), xlabel=_("month"))
rep.money_axis(left, "y", _("net revenue"), currency)
right.plot(monthly.index.to_timestamp(), monthly["buyers"], color="#e76f51")
right.set(title=_("Customers who bought, per month"), xlabel=_("month"), ylabel=_("customers"))
for ax in (left, right):
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
fig.tight_layout()

# %% [markdown]
# ## Who the customers are

# %%
counts = identify.status_counts(status)
segmented = rfm.assign_segments(scores, rfm.default_segment_rules())
segments = rfm.segment_summary(segmented)
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 3.8))
left.barh(counts.index.astype(str).map(display_value), counts["customers"], color="#457b9d")
left.invert_yaxis()
left.set(title=_("Customers by status on {date}").format(date=end.date()),
         xlabel=_("customers"))
share = segments["revenue_share"].sort_values()
right.barh(share.index.astype(str).map(display_value), share.to_numpy() * 100, color="#2a9d8f")
right.set(title=_("Share of net revenue by RFM segment"),
          xlabel=_("share of net revenue (%)"))
fig.tight_layout()

# %% [markdown]
# ## What they buy

# %%
if "category" in window.columns:
    by_category = (window.assign(category=window["category"].astype("str").fillna(_("(none)")))
                   .groupby("category")["amount"].sum().sort_values(ascending=False))
    top = by_category.head(int(top_categories)).sort_values()
    ax = top.plot.barh(figsize=(8, 0.4 * len(top) + 1.5), color="#f4a261")
    ax.set(title=_("Net revenue by category") if len(top) == len(by_category) else
           _("Net revenue of the top {shown} of {count} categories").format(
               shown=len(top), count=len(by_category)), ylabel="")
    rep.money_axis(ax, "x", _("net revenue"), currency)
    ax.figure.tight_layout()
else:
    display(HTML(_("<p>The data have no <code>category</code> column (map one with "
                   "<code>--columns category=...</code> to see revenue by category).</p>")))

# %% [markdown]
# The customers, each with status, RFM scores and segment, are in
# `segment_one_pager_customers.csv` beside this page, with their real ids (for the analyst's
# own systems; this page shows none).

# %%
# The key figures as numbers, for the index of a --by batch; the customers for the CRM.
folder = Path(output_dir)
figures_file = rep.save_json(figures, folder / "segment_one_pager_figures.json")
customers_file = rep.save_csv(status[["customer_id", "status", "days_since_last_purchase"]].merge(
    segmented[["customer_id", "frequency", "monetary", "r_score", "f_score", "m_score",
               "segment"]].rename(columns={"frequency": "orders", "monetary": "net_revenue"}),
    on="customer_id", how="left"), folder / "segment_one_pager_customers.csv")
