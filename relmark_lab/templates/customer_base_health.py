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
query = None  # a DuckDB database's query: the template runs it there (the engine path)
language = "en"  # "en" or "es": the report's words and numbers (relmark report --lang)
# The analyst's parameters (relmark report ... -p NAME=VALUE).
observation_end = None  # the last observed day; None: the last date in the data
currency = None  # e.g. "GBP"; None: amounts without a label
read_options = {}  # more read_transactions options, e.g. {"date_format": "%m/%d/%Y %H:%M"}
active_within_days = 365  # a customer who bought within this many days is active

# %%
import dataclasses
import html
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display

from relmark_lab import differentiate as dif
from relmark_lab import engines, identify, rfm
from relmark_lab import reports as rep
from relmark_lab.i18n import display_value, set_language
from relmark_lab.i18n import gettext as _
from relmark_lab.plots import differentiate as dplot
from relmark_lab.plots import identify as iplot

set_language(language)
chosen = {"observation_end": observation_end, "currency": currency,
          "read_options": read_options, "active_within_days": active_within_days}
display(HTML(rep.header(rep.title("customer-base-health"), source_label, chosen, run_date)))

# %% [markdown]
# ## What was read
#
# Every row of the source is either kept or counted under the first rule it breaks.

# %%
transactions, ledger = rep.read_source(data_path, query, columns, currency, read_options)
end = observation_end or str(engines.date_range(transactions)[1].date())
# The page names the source as the header does (a local path stays on the analyst's machine).
display(HTML(dataclasses.replace(ledger, source=source_label)._repr_html_()))

# %% [markdown]
# ## Customers by status and lifecycle stage

# %%
status = identify.customer_status(transactions, end, active_within_days=active_within_days)
counts = identify.status_counts(status)
stages = identify.lifecycle_stage(transactions, end, active_within_days=active_within_days)
funnel = identify.stage_funnel(stages)
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
iplot.plot_status_counts(counts, ax=axes[0])
iplot.plot_funnel(funnel, ax=axes[1])
fig.suptitle(_("Customers on {date}").format(date=end))
fig.tight_layout()
display(pd.DataFrame({_("customers"): counts["customers"].map("{:,}".format),
                      _("share"): counts["share"].map("{:.1%}".format)})
        .rename(index=display_value).rename_axis(_(counts.index.name or "status")))

# %% [markdown]
# ## RFM segments and their revenue

# %%
segmented = rfm.assign_segments(rfm.rfm_table(transactions, end), rfm.default_segment_rules())
summary = rfm.segment_summary(segmented)
shown = pd.DataFrame({
    _("customers"): summary["customers"].map("{:,}".format),
    _("share of customers"): summary["customer_share"].map("{:.1%}".format),
    _("share of net revenue"): summary["revenue_share"].map("{:.1%}".format),
    _("average order value"): summary["average_order_value"].map(
        lambda v: "—" if pd.isna(v) else rep.money(v, currency))}).rename_axis(None)
shown = shown.rename(index=display_value)
display(shown)

# %% [markdown]
# ## The whale curve of revenue
#
# Customers ranked by net revenue, most first: the share of all revenue the top customers
# bring, and what the customers who net out negative (returns) give back.

# %%
revenue = engines.net_by_customer(transactions).rename(columns={"amount": "profit"})
curve = dif.whale_curve(revenue)
# The peak is worth marking only when some customers give back more than they bring.
ax = dplot.plot_whale_curve(curve, annotate=bool((revenue["profit"] < 0).any()))
ax.set_title(_("Cumulative net revenue, customers ranked by net revenue"))
ax.set_xlabel(_("customers ranked by net revenue (% of customers)"))
ax.set_ylabel(_("cumulative net revenue (% of total, {currency})").format(currency=currency)
              if currency else _("cumulative net revenue (% of total)"))
ax.figure.tight_layout()

# %% [markdown]
# ## Per-customer results
#
# The CSV file keeps the real customer ids, for the analyst's own systems; the page shows
# keyed pseudonyms unless the report was run with `--show-ids`.

# %%
customers = (status[["customer_id", "status", "days_since_last_purchase"]]
             .merge(stages[["customer_id", "stage"]], on="customer_id", how="left")
             .merge(segmented[["customer_id", "r_score", "f_score", "m_score", "segment"]],
                    on="customer_id", how="left")
             .merge(revenue.rename(columns={"profit": "net_revenue"}), on="customer_id",
                    how="left"))
target = Path(output_dir) / "customer_base_health_customers.csv"
rep.save_csv(customers, target)
display(HTML(_("<p>{count:,} customers written to <code>{file}</code> (real ids).</p>").format(
    count=len(customers), file=html.escape(target.name))))
top = customers.sort_values("net_revenue", ascending=False).head(10)
top = top.assign(net_revenue=top["net_revenue"].map(lambda v: rep.money(v, currency)))
display(HTML(rep.for_page(rep.customer_view(top, show_ids)).to_html(index=False)))
