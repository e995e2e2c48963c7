"""Customer equity by acquisition channel, and how long each channel takes to pay back.

A channel that brings many customers cheaply is not the best channel if
they are worth little. :func:`channel_value` sets each channel's mean
acquisition cost against the future value (CLV) of the customers it
brought: their value net of cost, the equity the channel adds, and the
share of its customers worth more than they cost. :func:`payback_period`
looks back instead of forward: the net margin an acquired customer has
actually brought, period by period since signup, and the first period in
which it covers what acquiring them cost (periodo de recuperación).

Periods since signup are durations of :mod:`relmark_lab.units` (a month is
365.25 / 12 days counted from the signup day), not calendar months, so every
customer's first period is equally long.

Examples
--------
>>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"],
...                           "acquisition_channel": ["web", "web", "tienda"],
...                           "acquisition_cost": [100.0, 300.0, 50.0]})
>>> clv = pd.Series({"a": 500.0, "b": 100.0, "c": 40.0})
>>> channel_value(customers, clv)[["acquisition_channel", "net_value", "clv_to_cost"]]
  acquisition_channel  net_value  clv_to_cost
0              tienda      -10.0          0.8
1                 web      100.0          1.5
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import units
from relmark_lab._orders import ObservedLines
from relmark_lab._time import day_numbers, on_or_before
from relmark_lab._validate import (
    require_columns,
    require_ids,
    require_numbers,
    require_unique,
    with_missing_label,
)
from relmark_lab.equity.change import customer_values

__all__ = ["PaybackResult", "channel_value", "payback_period"]


def _master(customers: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The customer master's ids (text, unique) and costs (>= 0), checked."""
    require_columns(customers, ["customer_id", *columns, "acquisition_cost"], "customers")
    master = customers[[*columns, "acquisition_cost"]].reset_index(drop=True)
    master.insert(0, "customer_id", require_ids(customers, "customer_id", "customers")
                  .to_numpy())
    require_unique(master, "customer_id", "customers")
    master["acquisition_cost"] = require_numbers(customers, "acquisition_cost", "customers",
                                                 low=0).to_numpy()
    return master


def channel_value(customers: pd.DataFrame, clv: pd.Series, *,
                  by: str = "acquisition_channel") -> pd.DataFrame:
    """Acquisition cost against future value (CLV), per acquisition channel.

    Parameters
    ----------
    customers : pandas.DataFrame
        The customer master: ``customer_id``, ``by`` and ``acquisition_cost``
        (money per customer, at least 0).
    clv : pandas.Series
        Future value of each customer, indexed by ``customer_id``
        (:func:`relmark_lab.equity.value_at`), in the currency of the cost.
    by : str, default "acquisition_channel"
        The channel column; customers without one are counted under
        "(missing)", empty categories of a categorical are kept.

    Returns
    -------
    pandas.DataFrame
        One row per channel: ``customers`` (in the master), ``valued``
        (with a CLV), ``without_clv`` (no CLV row, e.g. no purchase by the
        valuation date: counted here, left out of every column after it),
        and over the valued customers ``acquisition_cost`` (mean), ``clv``
        (mean), ``net_value`` (mean CLV - cost), ``net_equity`` (total
        CLV - cost), ``clv_to_cost`` (mean CLV / mean cost; missing for a
        cost of 0) and ``share_above_cost`` (share whose CLV exceeds their
        cost). ``attrs["clv_not_in_customers"]`` counts CLV rows of ids
        missing from the master (left out: their cost is unknown).

    Raises
    ------
    DataError
        For a missing column, repeated or blank ids, a cost that is not a
        number of at least 0, or an unusable CLV.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b"], "acquisition_channel": "web",
    ...                           "acquisition_cost": [100.0, 300.0]})
    >>> table = channel_value(customers, pd.Series({"a": 500.0}))
    >>> table[["valued", "without_clv", "net_equity", "share_above_cost"]].iloc[0].tolist()
    [1.0, 1.0, 400.0, 1.0]
    """
    master = _master(customers, [by])
    values = customer_values(clv, "CLV")
    master["clv"] = values.reindex(master["customer_id"]).to_numpy()
    valued = master["clv"].notna().to_numpy()
    master["net"] = master["clv"] - master["acquisition_cost"]
    master["above"] = (master["clv"] > master["acquisition_cost"]).astype(float)
    groups = with_missing_label(master[by])
    counts = master.groupby(groups, observed=False).size()
    sums = master.loc[valued, ["acquisition_cost", "clv", "net", "above"]].groupby(
        groups[valued], observed=False).sum().reindex(counts.index, fill_value=0.0)
    n_valued = master.loc[valued].groupby(groups[valued], observed=False).size().reindex(
        counts.index, fill_value=0)
    per = n_valued.where(n_valued > 0).astype(float)  # no valued customer: means missing
    table = pd.DataFrame({
        "customers": counts.astype("int64"),
        "valued": n_valued.astype("int64"),
        "without_clv": (counts - n_valued).astype("int64"),
        "acquisition_cost": sums["acquisition_cost"] / per,
        "clv": sums["clv"] / per,
        "net_value": sums["net"] / per,
        "net_equity": sums["net"],
        "clv_to_cost": sums["clv"] / sums["acquisition_cost"].where(sums["acquisition_cost"] > 0),
        "share_above_cost": sums["above"] / per,
    })
    table = table.rename_axis(by).reset_index()
    table.attrs["clv_not_in_customers"] = int((~values.index.isin(master["customer_id"])).sum())
    return table


@dataclass(frozen=True)
class PaybackResult:
    """Cumulative margin per acquired customer by period since signup, and the payback.

    Attributes
    ----------
    curve : pandas.DataFrame
        One row per channel and period ``k`` = 1, 2, ...: ``customers`` (those
        whose whole period k is observed), ``cumulative_margin_per_customer``
        (their mean net margin from signup to the end of period k) and
        ``acquisition_cost`` (their mean cost).
    payback : pandas.DataFrame
        One row per channel: ``customers`` (signed up by the observation
        end), ``acquisition_cost`` (their mean), ``periods_observed``
        (the last period some customer is observed through),
        ``payback_period`` (the first period whose cumulative margin per
        customer reaches the cost of the same customers; missing if none)
        and ``note`` (why it is missing, empty otherwise).
    time_unit : str
        The unit of the periods.
    """

    curve: pd.DataFrame
    payback: pd.DataFrame
    time_unit: str


def _line_margins(transactions: pd.DataFrame, observation_end: Any, margin: str,
                  timezone: Any) -> tuple[ObservedLines, np.ndarray]:
    """The observed lines and the money each brings (``margin`` column, or ``amount``)."""
    if margin == "amount":
        lines = ObservedLines(transactions, observation_end, timezone=timezone)
        return lines, lines.amount
    require_columns(transactions, [margin], "transactions")
    if margin != "margin":  # the one order module knows the column as "margin"
        transactions = transactions.drop(columns="margin", errors="ignore").rename(
            columns={margin: "margin"})
    lines = ObservedLines(transactions, observation_end, timezone=timezone,
                          numbers=("margin",))
    return lines, lines.numbers["margin"]


def payback_period(
    transactions: pd.DataFrame,
    customers: pd.DataFrame,
    observation_end: Any,
    *,
    time_unit: str = "M",
    by: str = "acquisition_channel",
    margin: str = "margin",
    timezone: Any = None,
) -> PaybackResult:
    """Net margin per acquired customer by period since signup, and when it covers their cost.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Order lines with ``customer_id``, ``date``, ``amount`` and the
        ``margin`` column (returns negative: the margin is net).
    customers : pandas.DataFrame
        The customer master: ``customer_id``, ``signup_date``, ``by`` and
        ``acquisition_cost``. Customers who signed up after the
        observation end are left out and counted.
    observation_end : date-like
        The last observed day (the whole day counts).
    time_unit : {"M", "D", "W", "Q", "Y"}, default "M"
        Length of a period since signup (a duration: a month is 30.44 days).
    by : str, default "acquisition_channel"
        The channel column (missing values under "(missing)").
    margin : str, default "margin"
        The money a line brings; ``"amount"`` measures revenue instead.
    timezone : str, optional
        The business's time zone (see :mod:`relmark_lab._time`).

    Returns
    -------
    PaybackResult
        ``curve`` and ``payback`` tables (see :class:`PaybackResult`).
        Period k spans days ``[(k-1) L, k L)`` after the signup day, with L
        the unit's length in days; a customer counts at k only when the
        whole of period k is observed, so late signups weigh only on the
        early periods. Lines dated before the signup day count in period 1.
        Both tables' ``attrs``: ``observation_end``, ``time_unit``,
        ``lines_after_observation_end``, ``customers_signed_up_after_end``,
        ``customers_not_in_master`` (ids with lines but no master row,
        left out) and ``lines_before_signup``.

    Raises
    ------
    DataError
        For unusable lines or master columns, an unknown unit, or a
        missing margin column.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a"], "amount": [100.0, 100.0, 100.0],
    ...                    "margin": [30.0, 30.0, 30.0],
    ...                    "date": pd.to_datetime(["2025-01-01", "2025-02-10", "2025-03-15"])})
    >>> master = pd.DataFrame({"customer_id": ["a"], "signup_date": pd.to_datetime(["2025-01-01"]),
    ...                        "acquisition_channel": ["web"], "acquisition_cost": [50.0]})
    >>> result = payback_period(tx, master, "2025-04-30")
    >>> result.curve["cumulative_margin_per_customer"].tolist()  # 3 whole months by April 30
    [30.0, 60.0, 90.0]
    >>> result.payback["payback_period"].tolist(), result.payback["note"].tolist()
    ([2.0], [''])
    """
    length = units.days_per_unit(time_unit)
    lines, money = _line_margins(transactions, observation_end, margin, timezone)
    master = _master(customers, [by])
    signup, inside = on_or_before(customers, "signup_date", "customers", lines.observation_end,
                                  timezone)
    master, signup_day = master[inside].reset_index(drop=True), day_numbers(signup[inside])
    # Whole periods observed: period k ends k * L days after signup, the end day included.
    observed = np.floor((lines.end_day + 1 - signup_day) / length).astype(np.int64)
    row = pd.Index(master["customer_id"]).get_indexer(lines.customers)[lines.customer]
    known = row >= 0
    offset = lines.day[known] - signup_day[row[known]]
    period = np.floor(np.maximum(offset, 0) / length).astype(np.int64) + 1
    channel = with_missing_label(master[by]).astype("category")
    labels, code = channel.cat.categories, channel.cat.codes.to_numpy()
    width = int(max(observed.max(initial=0), 0)) + 2
    # Difference arrays over k: a customer counts from period 1 to `observed`; a line of
    # period p adds its margin to every cumulative from p to `observed` of its customer.
    heads = np.zeros((len(labels), width))
    costs = np.zeros((len(labels), width))
    cumulative = np.zeros((len(labels), width))
    counted = observed >= 1
    np.add.at(heads, (code[counted], 1), 1.0)
    np.add.at(heads, (code[counted], observed[counted] + 1), -1.0)
    cost = master["acquisition_cost"].to_numpy()
    np.add.at(costs, (code[counted], 1), cost[counted])
    np.add.at(costs, (code[counted], observed[counted] + 1), -cost[counted])
    line_stop = observed[row[known]]
    use = period <= line_stop  # a line in an unfinished period counts nowhere yet
    line_code = code[row[known]][use]
    np.add.at(cumulative, (line_code, period[use]), money[known][use])
    np.add.at(cumulative, (line_code, line_stop[use] + 1), -money[known][use])
    heads, costs, cumulative = (np.cumsum(a, axis=1)[:, 1:-1] for a in (heads, costs,
                                                                         cumulative))
    heads = np.rint(heads).astype(np.int64)
    channel_rows, period_index = np.nonzero(heads > 0)
    n = heads[channel_rows, period_index]
    curve = pd.DataFrame({
        by: labels[channel_rows], "period": period_index + 1, "customers": n,
        "cumulative_margin_per_customer": cumulative[channel_rows, period_index] / n,
        "acquisition_cost": costs[channel_rows, period_index] / n,
    })
    payback = _payback(curve, master, channel, by, time_unit)
    attrs = {**lines.attrs(), "time_unit": time_unit,
             "customers_signed_up_after_end": int((~inside).sum()),
             "customers_not_in_master": int((np.bincount(lines.customer[~known],
                                                         minlength=len(lines.customers)) > 0)
                                            .sum()),
             "lines_before_signup": int((offset < 0).sum())}
    attrs.pop("customers_without_purchases")  # about buyers; this table is about signups
    curve.attrs.update(attrs)
    payback.attrs.update(attrs)
    return PaybackResult(curve=curve, payback=payback, time_unit=time_unit)


def _payback(curve: pd.DataFrame, master: pd.DataFrame, channel: pd.Series, by: str,
             time_unit: str) -> pd.DataFrame:
    """One row per channel: the first period whose cumulative margin covers the cost."""
    unit = units.UNIT_NAMES[time_unit]
    counts = master.groupby(channel, observed=False)["acquisition_cost"].agg(["size", "mean"])
    rows = []
    for label, (size, mean_cost) in counts.iterrows():
        own = curve[curve[by] == label]
        reached = own[own["cumulative_margin_per_customer"] >= own["acquisition_cost"]]
        if len(reached):
            first, note = float(reached["period"].iloc[0]), ""
        elif own.empty:
            first, note = np.nan, (f"no customer is observed for a whole period ({unit[:-1]})"
                                   if size else "no customers")
        else:
            last = own.iloc[-1]
            first, note = np.nan, (f"not paid back within the data: by period "
                                   f"{int(last['period'])} ({unit}) the margin per customer is "
                                   f"{last['cumulative_margin_per_customer']:,.2f} against a "
                                   f"cost of {last['acquisition_cost']:,.2f}")
        rows.append((label, int(size), mean_cost, int(own["period"].max()) if len(own) else 0,
                     first, note))
    return pd.DataFrame(rows, columns=[by, "customers", "acquisition_cost", "periods_observed",
                                       "payback_period", "note"])
