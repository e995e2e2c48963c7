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
holdout_share = 0.25  # the last quarter of the window checks the model's predictions
time_unit = "W"  # the models' time unit
horizon = 156  # periods of time_unit valued (156 weeks: three years)
discount_rate = 0.12  # a year
margin_rate = 0.3  # share of revenue that is margin
penalizer = 0.0  # raise it (e.g. 0.001) if the fit reports a boundary warning
currency = None  # e.g. "GBP"
channel_column = None  # a column naming each customer's acquisition channel, for equity by it
read_options = {}  # more read_transactions options, e.g. {"date_format": "%m/%d/%Y %H:%M"}

# %%
import html
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display

import relmark_lab as rl
from relmark_lab import clv, engines
from relmark_lab import reports as rep
from relmark_lab.i18n import gettext as _
from relmark_lab.i18n import set_language
from relmark_lab.plots import clv as cplot

set_language(language)
chosen = {"observation_end": observation_end, "holdout_share": holdout_share,
          "time_unit": time_unit, "horizon": horizon, "discount_rate": discount_rate,
          "margin_rate": margin_rate, "penalizer": penalizer, "currency": currency,
          "channel_column": channel_column, "read_options": read_options}
display(HTML(rep.header(rep.title("customer-value"), source_label, chosen, run_date)))
transactions, ledger = rep.read_source(data_path, query, columns, currency, read_options)
first_date, last_date = engines.date_range(transactions)
end = pd.Timestamp(observation_end or last_date).normalize()
start = first_date.normalize()
calibration_end = (start + (end - start) * (1 - holdout_share)).normalize()
display(HTML(rep.lines_kept(ledger, start.date(), end.date())))


def fit_quietly(model, data):
    """Fit, and show the model's own words when a parameter sits at the boundary."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", clv.BoundaryWarning)
        model.fit(data)
    for warning in caught:
        if issubclass(warning.category, clv.BoundaryWarning):
            display(HTML(_("<p><b>Note:</b> {message}</p>").format(
                message=html.escape(str(warning.message)))))
    return model


# %% [markdown]
# ## Does the model predict? A holdout check
#
# The purchase model (BG/NBD) is fitted on the calibration period only and predicts the
# repeat purchases of the last part of the window, which it has not seen.

# %%
calibration = clv.summarize(transactions, end, calibration_end=calibration_end,
                            time_unit=time_unit)
check_model = fit_quietly(clv.BetaGeoNBD(penalizer=penalizer), calibration)
check = clv.calibration_vs_holdout(check_model, calibration)
actual, expected = (check["actual"] * check["customers"]).sum(), (
    check["expected"] * check["customers"]).sum()
ax = cplot.plot_calibration_vs_holdout(check)
ax.set_title(_("Repeat purchases after {date}: actual and predicted").format(
    date=calibration_end.date()))
ax.figure.tight_layout()
display(HTML(_("<p>Holdout repeat purchases: {actual:,.0f} actual, {expected:,.0f} predicted "
               "({gap:+.1%}).</p>").format(actual=actual, expected=expected,
                                           gap=expected / actual - 1) if actual else
             _("<p>No repeat purchase in the holdout.</p>")))

# %% [markdown]
# ## What each customer is worth
#
# Refitted on the whole window, the purchase model and the spend model (gamma-gamma, on the
# customers who bought again) value every customer over the horizon, discounted.

# %%
summary = clv.summarize(transactions, end, time_unit=time_unit)
purchases = fit_quietly(clv.BetaGeoNBD(penalizer=penalizer), summary)
spend = fit_quietly(clv.GammaGamma(penalizer=penalizer), summary[summary["frequency"] > 0])
summary["p_alive"] = purchases.expected_probability_alive(summary).to_numpy()
summary["clv"] = clv.customer_lifetime_value(
    purchases, spend, summary, horizon=horizon, discount_rate=discount_rate,
    margin_rate=margin_rate).to_numpy()
summary["decile"] = pd.qcut(summary["clv"].rank(method="first", ascending=False), 10,
                            labels=range(1, 11)).astype(int)
deciles = summary.groupby("decile").agg(customers=("customer_id", "size"),
                                        clv=("clv", "sum"))
deciles["share_of_value"] = (deciles["clv"] / deciles["clv"].sum()).map("{:.1%}".format)
deciles["clv"] = deciles["clv"].map(lambda v: rep.money(v, currency))
fig, ax = plt.subplots(figsize=(8, 4))
ax.hist(summary["clv"], bins=40, color="#457b9d")
ax.set(title=_("Customer lifetime value over {horizon} {unit}, {rate:.0%} a year").format(
           horizon=horizon, unit=_(rl.units.UNIT_NAMES[time_unit]), rate=discount_rate),
       ylabel=_("customers"))
rep.money_axis(ax, "x", _("customer lifetime value"), currency)
fig.tight_layout()
display(HTML(_("<p>Customer equity (the sum of the CLVs): <b>{equity}</b> for {customers:,} "
               "customers.</p>").format(equity=html.escape(rep.money(summary["clv"].sum(),
                                                                      currency)),
                                        customers=len(summary))))
display(deciles.rename(columns={"customers": _("customers"), "clv": _("lifetime value"),
                                "share_of_value": _("share of value")})
        .rename_axis(_("decile")))

# %% [markdown]
# ## Customer equity by acquisition channel
#
# With `channel_column`, each customer's channel is the one on their first line; the table
# adds up the channel's customers' lifetime values.

# %%
if channel_column:
    channel = engines.first_value(transactions, channel_column)  # each customer's first line
    summary["channel"] = summary["customer_id"].map(channel).fillna(_("(missing)")).to_numpy()
    by_channel = summary.groupby("channel").agg(customers=("customer_id", "size"),
                                                equity=("clv", "sum"), mean_clv=("clv", "mean"))
    by_channel = by_channel.sort_values("equity", ascending=False)
    ax = by_channel["equity"].plot.barh(figsize=(8, 0.5 * len(by_channel) + 1.5),
                                        color="#2a9d8f")
    ax.invert_yaxis()
    ax.set(title=_("Customer equity by acquisition channel"), ylabel="")
    rep.money_axis(ax, "x", _("sum of CLVs"), currency)
    ax.figure.tight_layout()
    shown = pd.DataFrame({
        _("customers"): by_channel["customers"].map("{:,}".format),
        _("customer equity"): by_channel["equity"].map(lambda v: rep.money(v, currency)),
        _("mean lifetime value"): by_channel["mean_clv"].map(lambda v: rep.money(v, currency))})
    display(shown.rename_axis(_("channel")))
else:
    display(HTML(_("<p>No channel column given (<code>-p channel_column=...</code>): equity "
                   "by acquisition channel is left out.</p>")))

# %% [markdown]
# ## Valuable customers probably lost
#
# Customers in the top three deciles of value whose probability of still being a customer
# is below one half: the list for a win-back campaign.

# %%
lost = summary[(summary["decile"] <= 3) & (summary["p_alive"] < 0.5)].sort_values(
    "clv", ascending=False)
display(HTML(_("<p>{count:,} valuable customers are probably lost, worth {value} if they "
               "came back.</p>").format(count=len(lost), value=html.escape(
                   rep.money(lost["clv"].sum(), currency)))))
shown = lost[["customer_id", "frequency", "recency", "T", "p_alive", "clv"]].head(15).assign(
    recency=lambda t: t["recency"].round(1), T=lambda t: t["T"].round(1),
    p_alive=lambda t: t["p_alive"].map("{:.0%}".format),
    clv=lambda t: t["clv"].map(lambda v: rep.money(v, currency)))
display(HTML(rep.for_page(rep.customer_view(shown, show_ids)).rename(columns={
    "recency": _("recency ({unit})").format(unit=time_unit),
    "T": _("T ({unit})").format(unit=time_unit)}).to_html(index=False)))

# %%
folder = Path(output_dir)
rep.save_csv(summary, folder / "customer_value_customers.csv")
rep.save_csv(lost, folder / "customer_value_probably_lost.csv")
display(HTML(_("<p>{count:,} customers written to <code>{customers}</code> and the probably "
               "lost to <code>{lost}</code> (real ids).</p>").format(
                   count=len(summary), customers="customer_value_customers.csv",
                   lost="customer_value_probably_lost.csv")))
