"""The six loyalty connectors (conectores de la fidelización): why loyal customers earn more.

Reichheld & Sasser (1990) drew the profit a customer brings in each year of
the relationship as a stack: the acquisition cost in year 0, then a base
profit that every customer brings, and on top of it what loyalty adds. The
course notes name six connectors; :func:`profit_by_tenure` measures each
from a firm's own lines, per customer still buying in each period of tenure:

=================  ==========================================================
connector          measured as (per customer still buying in the period)
=================  ==========================================================
acquisition cost   period 0: the mean acquisition cost, negative
base profit        first-period margin less first-period cost to serve
repeat sales       margin growth in the categories bought in the first period
cross-selling      margin in categories the customer did not buy then
price premium      the list price they pay beyond the first period's discount
                   share (less price-sensitive: fewer, smaller discounts)
cost savings       first-period cost to serve less this period's
referrals          customers they brought this period, times what winning
                   each one another way would have cost
=================  ==========================================================

The columns add up: ``base + repeat + cross + premium + savings`` is the
period's margin less its cost to serve, so ``profit`` is what the customers
really brought, plus the value of their referrals. Customers count in a
period only when the whole period is observed, so a young customer never
lowers a late period's average. A survivor bias is part of the picture and
of the lesson: the customers still buying in year three are the ones who
always bought more.

Examples
--------
>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": ["a", "a", "a"], "amount": [100.0, 120.0, 50.0],
...     "margin": [30.0, 36.0, 20.0], "discount": [25.0, 0.0, 0.0],
...     "cost_to_serve": [10.0, 8.0, 4.0], "category": ["x", "x", "y"],
...     "date": pd.to_datetime(["2023-01-05", "2024-01-10", "2024-02-01"])})
>>> people = pd.DataFrame({"customer_id": ["a"], "acquisition_cost": [40.0],
...                        "referred_by": [None]})
>>> table = profit_by_tenure(tx, people, "2025-01-10", min_customers=1, referral_value=50)
>>> table.set_index("period").loc[2, ["base_profit", "cross_selling", "price_premium",
...                                   "cost_savings"]].tolist()
[20.0, 20.0, 34.0, -2.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import units
from relmark_lab._ids import as_ids
from relmark_lab._orders import ObservedLines
from relmark_lab._validate import (
    require_columns,
    require_number,
    require_numbers,
    require_unique,
    require_whole_number,
)
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["CONNECTORS", "connectors_long", "profit_by_tenure"]

#: The stack of profit per customer, bottom to top, as the columns of profit_by_tenure.
CONNECTORS = ("acquisition_cost", "base_profit", "repeat_sales", "cross_selling",
              "price_premium", "cost_savings", "referrals")


def _per_customer_period(values: np.ndarray, key: np.ndarray, size: int) -> np.ndarray:
    return np.bincount(key, weights=values, minlength=size)


def profit_by_tenure(
    transactions: pd.DataFrame,
    customers: pd.DataFrame,
    observation_end: Any,
    *,
    time_unit: str = "Y",
    referral_value: float | None = None,
    min_customers: int = 30,
    timezone: Any = None,
) -> pd.DataFrame:
    """Profit per customer by period of tenure, split into the loyalty connectors.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Order lines: ``customer_id``, ``date``, ``amount``, ``margin``,
        ``discount`` (taken off the list price, so list = amount + discount),
        ``cost_to_serve`` and ``category``; returns negative.
    customers : pandas.DataFrame
        One row per customer: ``customer_id``, ``acquisition_cost`` and
        ``referred_by`` (the id of the customer who referred them, missing if
        nobody did).
    observation_end : date-like
        The last observed day (the whole day counts).
    time_unit : {"Q", "Y", "M"}, default "Y"
        Length of a tenure period, from each customer's first purchase day.
    referral_value : float, optional
        What a referred customer saves the firm; by default the mean
        acquisition cost of the customers nobody referred (what winning one
        more would have cost), recorded in ``attrs``.
    min_customers : int, default 30
        Periods with fewer customers still buying are left out (and counted
        in ``attrs``): their averages would be noise.
    timezone : str, optional
        The business's time zone for the dates.

    Returns
    -------
    pandas.DataFrame
        One row per tenure period from 0 (acquisition): ``period``,
        ``customers_observed`` (whole period observed), ``customers_buying``,
        the :data:`CONNECTORS` in currency per customer still buying, and
        ``profit`` (their sum). ``attrs`` holds ``time_unit``,
        ``referral_value``, ``periods_left_out`` and the line counts.

    Raises
    ------
    DataError
        For a missing or unusable column, an unknown unit, or too little data
        for even the first period.
    """
    unit = units.check_unit(time_unit, allowed=("M", "Q", "Y"), name="time_unit")
    min_customers = require_whole_number("min_customers", min_customers, low=1)
    require_columns(transactions, ["category"], "transactions")
    lines = ObservedLines(transactions, observation_end, timezone=timezone,
                          numbers=("margin", "discount", "cost_to_serve"))
    people = _customer_table(customers)
    category = lines.column(transactions["category"].astype("string").fillna("(none)"))
    margin, discount = lines.numbers["margin"], lines.numbers["discount"]
    cost = lines.numbers["cost_to_serve"]

    # Tenure period of every line, counted from the customer's first purchase day.
    length = units.days_per_unit(unit)
    buying = lines.amount > 0
    first_day = np.full(len(lines.customers), np.iinfo(np.int64).max)
    np.minimum.at(first_day, lines.customer[buying], lines.day[buying])
    known = first_day[lines.customer] <= lines.day
    period = np.zeros(len(lines.day), dtype=np.int64)
    period[known] = np.floor((lines.day[known] - first_day[lines.customer[known]])
                             / length).astype(np.int64) + 1
    bought = first_day < np.iinfo(np.int64).max
    whole = np.zeros(len(first_day), dtype=np.int64)  # whole periods observed per customer
    whole[bought] = np.floor((lines.end_day - first_day[bought] + 1) / length)
    n_periods = int(whole.max()) if bought.any() else 0
    if n_periods < 1:
        raise DataError(_("profit_by_tenure: no customer has a whole first period observed "
                          "({unit}) by {date}; pass a shorter time_unit or a later "
                          "observation_end.").format(unit=unit,
                                                     date=lines.observation_end.date()))

    # Sums per customer and period; period 0 holds lines dated before a first purchase.
    size = len(first_day) * (n_periods + 2)
    key = lines.customer * (n_periods + 2) + np.minimum(period, n_periods + 1)
    shape = (len(first_day), n_periods + 2)
    sums = {name: _per_customer_period(values, key, size).reshape(shape)
            for name, values in (("margin", margin), ("list", lines.amount + discount),
                                 ("discount", discount), ("cost", cost))}
    bought_lines = _per_customer_period(buying.astype(float), key, size).reshape(shape)
    in_first = pd.DataFrame({"c": lines.customer[buying & (period == 1)],
                             "k": category[buying & (period == 1)]}).drop_duplicates()
    first_basket = pd.MultiIndex.from_frame(in_first)
    new_category = ~pd.MultiIndex.from_arrays([lines.customer, category]).isin(first_basket)
    sums["cross"] = _per_customer_period(np.where(new_category, margin, 0.0), key,
                                         size).reshape(shape)
    referrals = _referrals_by_period(people, lines, first_day, length, shape)

    cost_of = people["acquisition_cost"].reindex(lines.customers)
    if referral_value is None:
        referral_value = float(people.loc[people["referred_by"].isna(), "acquisition_cost"].mean())
    referral_value = require_number("referral_value", referral_value, low=0)

    rows, left_out = [], []
    first_share = None
    for k in range(1, n_periods + 1):
        observed = whole >= k
        buyers = observed & (bought_lines[:, k] > 0)
        n = int(buyers.sum())
        if n < min_customers:
            left_out.append(k)
            continue
        mean = {name: float(values[buyers, k].sum()) / n for name, values in sums.items()}
        share = mean["discount"] / mean["list"] if mean["list"] else 0.0
        if first_share is None:  # the first period is the base of every comparison
            first_share, first_margin, first_cost = share, mean["margin"], mean["cost"]
        premium = (first_share - share) * mean["list"]
        cross = mean["cross"] if k > 1 else 0.0
        rows.append({
            "period": k, "customers_observed": int(observed.sum()), "customers_buying": n,
            "acquisition_cost": 0.0,
            "base_profit": first_margin - first_cost,
            "repeat_sales": mean["margin"] - premium - cross - first_margin,
            "cross_selling": cross,
            "price_premium": premium,
            "cost_savings": first_cost - mean["cost"],
            "referrals": float(referrals[buyers, k].sum()) / n * referral_value,
        })
    if not rows:
        raise DataError(_("profit_by_tenure: no tenure period has {count:,} customers still "
                          "buying; pass a smaller min_customers.").format(count=min_customers))
    acquired = whole >= 1
    start = {"period": 0, "customers_observed": int(acquired.sum()),
             "customers_buying": int(acquired.sum()),
             "acquisition_cost": -float(np.nanmean(cost_of.to_numpy()[acquired]))}
    table = pd.DataFrame([start, *rows]).fillna(0.0)
    table["profit"] = table[list(CONNECTORS)].sum(axis=1)
    table.attrs.update(time_unit=unit, referral_value=referral_value,
                       periods_left_out=left_out, observation_end=lines.observation_end,
                       lines_after_observation_end=lines.lines_after_end)
    return table


def _customer_table(customers: pd.DataFrame) -> pd.DataFrame:
    """The customers' acquisition cost and referrer, indexed by text id."""
    require_columns(customers, ["customer_id", "acquisition_cost", "referred_by"], "customers")
    require_unique(customers, "customer_id", "customers")
    cost = require_numbers(customers, "acquisition_cost", "customers", low=0)
    return pd.DataFrame({"acquisition_cost": cost.to_numpy(),
                         "referred_by": as_ids(customers["referred_by"]).to_numpy()},
                        index=as_ids(customers["customer_id"]))


def _referrals_by_period(people: pd.DataFrame, lines: ObservedLines, first_day: np.ndarray,
                         length: float, shape: tuple[int, int]) -> np.ndarray:
    """Customers each referrer brought, by the referrer's tenure period on the day they came."""
    counts = np.zeros(shape)
    code = pd.Series(np.arange(len(lines.customers)), index=lines.customers)
    referred = people["referred_by"].dropna()
    referred = referred[referred.index.isin(code.index) & referred.isin(code.index)]
    if referred.empty:
        return counts
    who = code[referred.to_numpy()].to_numpy()
    arrived = first_day[code[referred.index].to_numpy()]
    age = arrived - first_day[who]
    ok = (age >= 0) & (arrived <= lines.end_day)
    period = np.floor(age[ok] / length).astype(np.int64) + 1
    np.add.at(counts, (who[ok], np.minimum(period, shape[1] - 1)), 1.0)
    return counts


def connectors_long(table: pd.DataFrame) -> pd.DataFrame:
    """The table of :func:`profit_by_tenure` in long form, one row per period and connector.

    Examples
    --------
    >>> wide = pd.DataFrame({"period": [0, 1], "acquisition_cost": [-50.0, 0.0],
    ...     "base_profit": [0.0, 20.0], "repeat_sales": 0.0, "cross_selling": 0.0,
    ...     "price_premium": 0.0, "cost_savings": 0.0, "referrals": 0.0})
    >>> connectors_long(wide).query("value != 0")["connector"].tolist()
    ['acquisition cost', 'base profit']
    """
    require_columns(table, ["period", *CONNECTORS], _("profit by tenure"))
    long = table.melt(id_vars="period", value_vars=list(CONNECTORS), var_name="connector",
                      value_name="value")
    long["connector"] = long["connector"].str.replace("_", " ")
    return long
