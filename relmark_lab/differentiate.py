"""Differentiate customers by the value they bring: profit, VIP score, typologies, NPS.

The second step of a relationship-marketing program, after identifying the
customers, is to tell them apart by what each one is worth to the firm. This
module turns clean transactions (and, where needed, the customer master, the
contact log and a survey) into one-row-per-customer tables:

* **profitability** — gross margin minus a cost-to-serve model with explicit
  prices (:class:`CostToServe`, :func:`customer_profitability`), Kaplan's
  whale curve (:func:`whale_curve`, :func:`whale_summary`) and the customers
  whose relationship destroys value (:func:`profit_groups`);
* **VIP score** — volume, frequency, amount, payment behaviour and tenure,
  standardized and weighted (:func:`vip_components`, :func:`vip_score`),
  cut into tiers (:func:`assign_tiers`) and compared across weightings
  (:func:`tier_overlap`);
* **typologies** — Reinartz and Kumar's profitability x projected loyalty
  matrix (:func:`projected_loyalty`, :func:`reinartz_kumar`) and Jones and
  Sasser's satisfaction x loyalty types (:func:`satisfaction_loyalty`),
  summarised with :func:`segment_summary`;
* **survey measures** — net promoter score with a confidence interval
  (:func:`net_promoter_score`, :func:`nps_difference`), perceived value and
  satisfaction against spend (:func:`spend_by_score`,
  :func:`score_spend_correlation`) and the wallet left on the table
  (:func:`wallet_left_on_table`, :func:`wallet_by_segment`);
* **interaction** — a contact budget split across value tiers with a mass or
  direct channel per tier (:func:`contact_plan`).

Money is in the currency of the data (MXN for the kit); every duration says
its unit in the column name or in a ``time_unit`` argument. ``as_of`` is the
last day observed, as in :mod:`relmark_lab.identify` and :mod:`relmark_lab.rfm`:
the whole day counts, durations are whole days up to it, and lines dated
after it raise :class:`~relmark_lab.DataError` unless ``drop_later=True``
leaves them out (counted in ``.attrs["lines_after_as_of"]``).

Examples
--------
>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
...                    "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-15"]),
...                    "amount": [100.0, 200.0, 50.0], "margin": [40.0, 80.0, 10.0]})
>>> profit = customer_profitability(tx, cost=CostToServe(per_order=20.0))
>>> profit.set_index("customer_id")["profit"].to_dict()
{'a': 80.0, 'b': -10.0}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from relmark_lab._validate import require_columns
from relmark_lab.errors import DataError, describe_example

__all__ = [
    "DEFAULT_CHANNELS",
    "DEFAULT_TIERS",
    "DEFAULT_VIP_WEIGHTS",
    "JONES_SASSER_TYPES",
    "REINARTZ_KUMAR_QUADRANTS",
    "CostToServe",
    "assign_tiers",
    "contact_plan",
    "customer_profitability",
    "net_promoter_score",
    "nps_difference",
    "profit_groups",
    "projected_loyalty",
    "annual_spend",
    "reinartz_kumar",
    "satisfaction_loyalty",
    "score_spend_correlation",
    "segment_summary",
    "spend_by_score",
    "tier_overlap",
    "vip_components",
    "vip_score",
    "wallet_by_segment",
    "wallet_left_on_table",
    "whale_curve",
    "whale_summary",
]


# --------------------------------------------------------------------------
# Input checks shared by every function
# --------------------------------------------------------------------------


def _check_range(
    frame: pd.DataFrame, column: str, low: float, high: float, table: str,
    *, integer: bool = False, allow_missing: bool = False,
) -> pd.Series:
    """Raise DataError if values of ``column`` are missing, non-numeric or outside [low, high].

    Returns the column as numbers, so numbers stored as text can be used.
    """
    values = pd.to_numeric(frame[column], errors="coerce")
    missing = values.isna() & ~frame[column].isna()
    if missing.any():
        example = describe_example(frame.loc[missing, column].iloc[0])
        raise DataError(
            f"Column {column!r} of the {table}: {int(missing.sum())} value(s) are not "
            f"numbers, e.g. {example}."
        )
    if not allow_missing and values.isna().any():
        raise DataError(
            f"Column {column!r} of the {table}: {int(values.isna().sum())} value(s) are "
            "missing, e.g. the row with index "
            f"{describe_example(values.index[values.isna()][0])}. Drop or fill them first."
        )
    bad = values.notna() & ((values < low) | (values > high))
    if integer:
        bad |= values.notna() & (values % 1 != 0)
    if bad.any():
        kind = "whole numbers " if integer else ""
        example = frame.loc[bad, column].iloc[0]
        example = example.item() if isinstance(example, np.generic) else example
        raise DataError(
            f"Column {column!r} of the {table}: {int(bad.sum())} value(s) are not {kind}"
            f"from {low:g} to {high:g}, e.g. {describe_example(example)}."
        )
    return values


def _one_row_per_customer(frame: pd.DataFrame, table: str) -> None:
    duplicated = frame["customer_id"].duplicated()
    if duplicated.any():
        raise DataError(
            f"Column 'customer_id' of the {table}: {int(duplicated.sum())} id(s) appear more "
            f"than once, e.g. {describe_example(frame.loc[duplicated, 'customer_id'].iloc[0])}; "
            "one row per customer is expected."
        )


def _require_dates(frame: pd.DataFrame, column: str, table: str) -> pd.Series:
    """The column as datetimes; DataError if values are missing or not dates."""
    values = frame[column]
    if not pd.api.types.is_datetime64_any_dtype(values):
        try:
            values = pd.to_datetime(values, errors="coerce", format="mixed")
        except (TypeError, ValueError):
            values = pd.Series(pd.NaT, index=frame.index)
    missing = frame[column].isna()
    not_dates = values.isna() & ~missing
    if not_dates.any():
        raise DataError(
            f"Column {column!r} of the {table}: {int(not_dates.sum())} value(s) are not dates, "
            f"e.g. {describe_example(frame.loc[not_dates, column].iloc[0])}."
        )
    if missing.any():
        raise DataError(
            f"Column {column!r} of the {table}: {int(missing.sum())} value(s) are missing, e.g. "
            f"the row with index {describe_example(frame.index[missing][0])}. Drop or fill them "
            "first."
        )
    return values


_LINE_NUMBERS = {"amount": (-np.inf, np.inf), "margin": (-np.inf, np.inf),
                 "quantity": (-np.inf, np.inf), "days_late": (0, np.inf)}


def _clean_lines(transactions: pd.DataFrame, required: Sequence[str]) -> pd.DataFrame:
    """Validated copy of the order lines: dates as datetimes, numbers as numbers.

    ``required`` columns must exist; ``customer_id`` must not be missing, ``date``
    must hold dates, and ``amount``, ``margin``, ``quantity`` and ``days_late``
    (when present) must be numbers (``days_late`` >= 0). Raises DataError
    naming the column, the count and an example.
    """
    require_columns(transactions, required, "transactions")
    lines = transactions.copy()
    no_id = lines["customer_id"].isna()
    if no_id.any():
        raise DataError(
            f"Column 'customer_id' of the transactions: {int(no_id.sum())} value(s) are "
            f"missing, e.g. the row with index {describe_example(lines.index[no_id][0])}; "
            "every line needs a customer."
        )
    lines["date"] = _require_dates(lines, "date", "transactions")
    for column, (low, high) in _LINE_NUMBERS.items():
        if column in lines.columns:
            values = _check_range(lines, column, low, high, "transactions")
            if not pd.api.types.is_numeric_dtype(lines[column]):
                lines[column] = values.astype("float64")
    return lines


def _as_of(lines: pd.DataFrame, as_of: Any) -> pd.Timestamp:
    """The as_of day (at midnight): given, or the day after the last line.

    The whole as_of day is observed: lines dated up to its last instant count.
    Durations are whole days from a line's day to the as_of day, as
    :mod:`relmark_lab.identify` and :mod:`relmark_lab.rfm` count them.
    """
    if as_of is None:
        if lines.empty:
            raise DataError(
                "Column 'date' of the transactions: 0 lines, so there is no last date to "
                "take as_of from, e.g. pass as_of='2025-12-31'."
            )
        return lines["date"].max().normalize() + pd.Timedelta(days=1)
    try:
        stamp = pd.to_datetime(as_of, errors="coerce")
    except (TypeError, ValueError):
        stamp = pd.NaT
    if not isinstance(stamp, pd.Timestamp) or pd.isna(stamp):
        raise DataError(
            f"as_of must be one date, e.g. '2025-12-31', got {describe_example(as_of)}.")
    return stamp.normalize()


def _observed(
    transactions: pd.DataFrame, required: Sequence[str], as_of: Any, drop_later: bool
) -> tuple[pd.DataFrame, pd.Timestamp, int]:
    """Clean lines up to the end of the as_of day, the as_of day and the lines after it.

    Lines dated after the as_of day raise DataError, or with ``drop_later`` are
    left out and counted (the caller puts the count in
    ``attrs["lines_after_as_of"]``).
    """
    lines = _clean_lines(transactions, required)
    day = _as_of(lines, as_of)
    later = lines["date"] >= day + pd.Timedelta(days=1)
    n_later = int(later.sum())
    if n_later and not drop_later:
        raise DataError(
            f"Column 'date' of the transactions: {n_later} line(s) are dated after as_of "
            f"{day.date()}, e.g. {describe_example(str(lines.loc[later, 'date'].iloc[0]))}. "
            "Pass a later as_of, or drop_later=True to take a snapshot at that date (the "
            "lines left out are counted in attrs['lines_after_as_of'])."
        )
    return lines[~later], day, n_later


def _purchase_orders(lines: pd.DataFrame) -> pd.DataFrame:
    """One row per purchase order (lines with amount > 0 summed).

    Lines are grouped into orders by ``customer_id`` and ``order_id``; a line
    with a missing ``order_id`` (every line, when the column is absent) is an
    order of its own, so no purchase is lost.
    """
    purchases = lines[lines["amount"] > 0]
    if "order_id" in purchases.columns:
        order = purchases["order_id"]
    else:
        order = pd.Series(None, index=purchases.index, dtype="object")
    own_line = np.where(order.isna().to_numpy(), np.arange(len(purchases)), -1)
    purchases = purchases.assign(order_id=order, _line=own_line)
    aggregations = {"date": ("date", "min"), "amount": ("amount", "sum")}
    if "quantity" in purchases.columns:
        aggregations["units"] = ("quantity", "sum")
    if "days_late" in purchases.columns:
        aggregations["days_late"] = ("days_late", "max")
    orders = purchases.groupby(["customer_id", "order_id", "_line"], as_index=False,
                               dropna=False).agg(**aggregations)
    return orders.drop(columns="_line")


# --------------------------------------------------------------------------
# Profitability and the whale curve
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CostToServe:
    """Prices of the activities that make serving a customer cost money (MXN).

    Activity-based costing: each customer's cost to serve is the number of
    times they use an activity times its price. The defaults are round
    figures for a mid-sized Mexican retailer, meant to be replaced by the
    firm's own.

    Attributes
    ----------
    per_order : float, default 60.0
        Picking, packing, payment fees of one purchase order (MXN per order).
    per_return : float, default 150.0
        Reverse logistics and restocking of one returned line (MXN per line);
        the lost margin is already in the negative margin of the return.
    per_contact : float, default 80.0
        Handling one voice-of-the-customer contact (MXN per contact).
    per_late_order : float, default 60.0
        Collection effort for an order paid late (MXN per late order).
    late_rate_per_day : float, default 0.0005
        Cost of financing a late payment, per MXN of order value and per day
        late (0.0005 per day is about 18% a year).
    include_acquisition : bool, default False
        Also subtract the customer's acquisition cost (needs the customer
        master with ``acquisition_cost``).

    Examples
    --------
    >>> CostToServe(per_order=30.0).per_order
    30.0
    """

    per_order: float = 60.0
    per_return: float = 150.0
    per_contact: float = 80.0
    per_late_order: float = 60.0
    late_rate_per_day: float = 0.0005
    include_acquisition: bool = False

    def to_frame(self) -> pd.DataFrame:
        """The prices as a two-column table (parameter, value) for a lesson or report."""
        return pd.DataFrame(list(asdict(self).items()), columns=["parameter", "value"])


def customer_profitability(
    transactions: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    contacts: pd.DataFrame | None = None,
    cost: CostToServe | None = None,
) -> pd.DataFrame:
    """Gross margin minus cost to serve, one row per customer.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Order lines with ``customer_id``, ``date``, ``amount``, ``margin``
        (returns negative); ``order_id``, ``quantity`` and ``days_late`` are
        used when present.
    customers : pandas.DataFrame, optional
        Customer master (``customer_id``; ``acquisition_cost`` if
        ``cost.include_acquisition``). Customers in it without transactions
        get a row of zeros, so nobody is lost.
    contacts : pandas.DataFrame, optional
        Voice-of-the-customer log with ``customer_id``, one row per contact.
        Contacts whose customer is neither in the transactions nor in the
        master (or has no id) cannot be charged to anyone: they are counted
        in ``.attrs["unmatched_contacts"]``, with one of their ids in
        ``.attrs["unmatched_contact_example"]``, not silently dropped.
    cost : CostToServe, optional
        Activity prices; ``CostToServe()`` if omitted.

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``orders``, ``units``, ``revenue``, ``margin``,
        ``return_lines``, ``contacts``, ``late_orders``, ``cost_orders``,
        ``cost_returns``, ``cost_contacts``, ``cost_late``,
        ``cost_acquisition``, ``cost_to_serve`` and ``profit`` (MXN), sorted by
        ``customer_id``. Purchase lines are grouped into orders by
        ``order_id``; a line without one counts as an order of its own.

    Raises
    ------
    DataError
        If a required column is missing, dates are not dates, amounts or
        margins are not numbers, or the customer master has an id more than
        once.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a"], "order_id": ["1"], "amount": [100.0],
    ...                    "margin": [30.0], "date": pd.to_datetime(["2024-01-01"])})
    >>> float(customer_profitability(tx, cost=CostToServe(per_order=10.0))["profit"].iloc[0])
    20.0
    """
    cost = CostToServe() if cost is None else cost
    transactions = _clean_lines(transactions, ["customer_id", "date", "amount", "margin"])
    orders = _purchase_orders(transactions)
    per_customer = orders.groupby("customer_id").agg(
        orders=("order_id", "size"), revenue_orders=("amount", "sum")
    )
    table = pd.DataFrame(index=pd.Index(transactions["customer_id"].unique(), name="customer_id"))
    if customers is not None:
        require_columns(customers, ["customer_id"], "customer master")
        _one_row_per_customer(customers, "customer master")
        table = table.reindex(table.index.union(pd.Index(customers["customer_id"])))
    table["orders"] = per_customer["orders"]
    grouped = transactions.groupby("customer_id")
    table["units"] = grouped["quantity"].sum() if "quantity" in transactions else np.nan
    table["revenue"] = grouped["amount"].sum()
    table["margin"] = grouped["margin"].sum()
    table["return_lines"] = transactions[transactions["amount"] < 0].groupby("customer_id").size()
    unmatched = pd.Series(dtype="object")
    if contacts is not None:
        require_columns(contacts, ["customer_id"], "contact log")
        table["contacts"] = contacts.groupby("customer_id").size()
        unmatched = contacts.loc[~contacts["customer_id"].isin(table.index), "customer_id"]
    else:
        table["contacts"] = 0
    if "days_late" in orders.columns:
        late = orders[orders["days_late"] > 0]
        table["late_orders"] = late.groupby("customer_id").size()
        money_days = (late["amount"] * late["days_late"]).groupby(late["customer_id"]).sum()
    else:
        table["late_orders"] = 0
        money_days = pd.Series(dtype="float64")
    table = table.fillna(0)
    table[["orders", "return_lines", "contacts", "late_orders"]] = table[
        ["orders", "return_lines", "contacts", "late_orders"]
    ].astype("int64")

    table["cost_orders"] = table["orders"] * cost.per_order
    table["cost_returns"] = table["return_lines"] * cost.per_return
    table["cost_contacts"] = table["contacts"] * cost.per_contact
    table["cost_late"] = table["late_orders"] * cost.per_late_order + money_days.reindex(
        table.index, fill_value=0.0
    ) * cost.late_rate_per_day
    table["cost_acquisition"] = 0.0
    if cost.include_acquisition:
        if customers is None:
            raise DataError(
                "include_acquisition=True needs the customer master with column "
                "'acquisition_cost'; pass customers=."
            )
        require_columns(customers, ["acquisition_cost"], "customer master")
        costs = _check_range(customers, "acquisition_cost", -np.inf, np.inf, "customer master",
                             allow_missing=True)
        acquisition = pd.Series(costs.to_numpy("float64"), index=customers["customer_id"])
        unknown = ~table.index.isin(acquisition.index)
        if unknown.any():
            raise DataError(
                f"Column 'customer_id': {int(unknown.sum())} customer(s) of the transactions are "
                f"not in the customer master, e.g. {describe_example(table.index[unknown][0])}; "
                "their acquisition cost is unknown."
            )
        table["cost_acquisition"] = acquisition.reindex(table.index).fillna(0.0)
    cost_columns = ["cost_orders", "cost_returns", "cost_contacts", "cost_late", "cost_acquisition"]
    table["cost_to_serve"] = table[cost_columns].sum(axis=1)
    table["profit"] = table["margin"] - table["cost_to_serve"]
    table = table.round(6).reset_index()
    table.attrs["unmatched_contacts"] = len(unmatched)
    table.attrs["unmatched_contact_example"] = (
        unmatched.iloc[0] if len(unmatched) else None)
    return table


def _profit_series(profitability: pd.DataFrame, profit: str) -> pd.Series:
    require_columns(profitability, ["customer_id", profit], "profitability table")
    _check_range(profitability, profit, -np.inf, np.inf, "profitability table")
    if profitability.empty:
        raise DataError(f"Column {profit!r}: the profitability table has no customers.")
    return profitability.set_index("customer_id")[profit].astype("float64")


def whale_curve(profitability: pd.DataFrame, profit: str = "profit") -> pd.DataFrame:
    """Kaplan's whale curve: cumulative profit share against customers ranked by profit.

    Customers are sorted from the most to the least profitable (ties by
    ``customer_id`` so the order is reproducible). The curve rises above
    100% while profitable customers are added, peaks, then falls back to
    100% as the value-destroying customers pull the total down.

    Parameters
    ----------
    profitability : pandas.DataFrame
        One row per customer with ``customer_id`` and the profit column.
    profit : str, default "profit"
        Column holding each customer's profit.

    Returns
    -------
    pandas.DataFrame
        ``rank`` (1 = most profitable), ``customer_id``, ``profit``,
        ``customer_share`` (share of customers up to this rank, 0–1),
        ``cumulative_profit`` and ``cumulative_profit_share`` (of the total
        profit; 1.0 at the last customer).

    Raises
    ------
    DataError
        If the total profit is not positive: a share of a zero or negative
        total has no meaning.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"customer_id": ["a", "b", "c"], "profit": [150.0, -50.0, 0.0]})
    >>> whale_curve(p)["cumulative_profit_share"].tolist()
    [1.5, 1.5, 1.0]
    """
    values = _profit_series(profitability, profit)
    total = values.sum()
    if not total > 0:
        raise DataError(
            f"Column {profit!r}: the total profit of the {len(values)} customers is "
            f"{total:,.2f}, not positive, so shares of it cannot be drawn as a whale curve; "
            f"e.g. customer {describe_example(values.index[0])} has {values.iloc[0]:,.2f}."
        )
    ranked = values.rename_axis("customer_id").reset_index()
    ranked = ranked.sort_values([profit, "customer_id"], ascending=[False, True], kind="stable")
    curve = pd.DataFrame({
        "rank": np.arange(1, len(ranked) + 1),
        "customer_id": ranked["customer_id"].to_numpy(),
        "profit": ranked[profit].to_numpy(),
    })
    curve["customer_share"] = curve["rank"] / len(curve)
    curve["cumulative_profit"] = curve["profit"].cumsum()
    curve["cumulative_profit_share"] = curve["cumulative_profit"] / total
    return curve


def whale_summary(profitability: pd.DataFrame, profit: str = "profit") -> pd.Series:
    """Key figures of the whale curve: the peak and the value-destroying customers.

    Parameters
    ----------
    profitability : pandas.DataFrame
        One row per customer with ``customer_id`` and the profit column.
    profit : str, default "profit"
        Column holding each customer's profit.

    Returns
    -------
    pandas.Series
        ``customers``; ``total_profit``; ``peak_profit_share`` (height of the
        whale, e.g. 1.5 = 150% of the total profit); ``peak_customer_share``
        (share of customers, from the top, that earns it);
        ``value_destroying_customers`` and ``value_destroying_share``
        (profit < 0); ``profit_destroyed`` (sum of the negative profits, as
        a positive number) and ``profit_destroyed_share`` (of the total).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "profit": [150.0, 10, 0, -60]})
    >>> s = whale_summary(p)
    >>> float(s["peak_profit_share"]), float(s["value_destroying_share"])
    (1.6, 0.25)
    """
    curve = whale_curve(profitability, profit)
    peak = curve["cumulative_profit_share"].idxmax()
    negative = curve["profit"] < 0
    total = curve["profit"].sum()
    destroyed = -curve.loc[negative, "profit"].sum()
    return pd.Series({
        "customers": len(curve),
        "total_profit": total,
        "peak_profit_share": curve.loc[peak, "cumulative_profit_share"],
        "peak_customer_share": curve.loc[peak, "customer_share"],
        "value_destroying_customers": int(negative.sum()),
        "value_destroying_share": negative.mean(),
        "profit_destroyed": destroyed,
        "profit_destroyed_share": destroyed / total,
    }, name=profit)


def profit_groups(
    profitability: pd.DataFrame, profit: str = "profit", threshold: float = 0.0
) -> pd.DataFrame:
    """Customers who create value and those who destroy it: the case for ending a relationship.

    Parameters
    ----------
    profitability : pandas.DataFrame
        Output of :func:`customer_profitability` (or any table with
        ``customer_id`` and ``profit``; ``revenue`` and ``cost_to_serve``
        are summed when present).
    profit : str, default "profit"
        Profit column.
    threshold : float, default 0.0
        Profitability threshold (MXN): below it a customer destroys value.

    Returns
    -------
    pandas.DataFrame
        One row per group, both always present: ``group`` ("creates value"
        for profit >= threshold, "destroys value" below), ``customers``,
        ``customer_share``, ``profit`` (sum), ``mean_profit`` and, when
        available, ``revenue`` and ``cost_to_serve``. The profit of the
        "destroys value" row, with its sign flipped, is what total profit
        would gain if those relationships ended and their cost to serve went
        with them.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"customer_id": ["a", "b"], "profit": [100.0, -30.0]})
    >>> profit_groups(p).set_index("group")["profit"].to_dict()
    {'creates value': 100.0, 'destroys value': -30.0}
    """
    values = _profit_series(profitability, profit)
    frame = profitability.set_index("customer_id")
    label = pd.Series(np.where(values >= threshold, "creates value", "destroys value"),
                      index=values.index)
    label = pd.Categorical(label, categories=["creates value", "destroys value"])
    columns = [profit] + [c for c in ("revenue", "cost_to_serve") if c in frame.columns]
    grouped = frame[columns].groupby(label, observed=False)
    table = grouped.sum().rename(columns={profit: "profit"})
    table.insert(0, "customers", grouped.size())
    table.insert(1, "customer_share", table["customers"] / len(values))
    table.insert(3, "mean_profit", table["profit"] / table["customers"].where(
        table["customers"] > 0))
    return table.rename_axis("group").reset_index()


# --------------------------------------------------------------------------
# VIP score and tiers
# --------------------------------------------------------------------------

#: Equal weights for the five VIP components of the course notes.
DEFAULT_VIP_WEIGHTS: dict[str, float] = {
    "volume": 0.2, "frequency": 0.2, "monetary": 0.2, "payment": 0.2, "tenure": 0.2,
}

#: Tier name -> share of customers, from the top score down; the shares must sum to 1.
DEFAULT_TIERS: dict[str, float] = {"VIP": 0.05, "Gold": 0.15, "Silver": 0.30, "Bronze": 0.50}

_VIP_RAW = {
    "volume": "units",
    "frequency": "orders",
    "monetary": "monetary",
    "payment": "mean_days_late",
    "tenure": "tenure_days",
}


def vip_components(
    transactions: pd.DataFrame, as_of: Any = None, method: str = "percentile",
    *, drop_later: bool = False,
) -> pd.DataFrame:
    """The five VIP components of each customer, raw and standardized.

    The course notes name the customers worth most as those with the
    largest *purchase volume* (units), *frequency* (purchase orders),
    *amount invested* (net revenue), the best *payment behaviour* (mean days
    late per purchase order; fewer is better) and the longest *tenure* (days
    since the first purchase).

    Parameters
    ----------
    transactions : pandas.DataFrame
        Order lines with ``customer_id``, ``date``, ``amount``, ``quantity``
        and ``days_late``; ``order_id`` groups lines into orders (a line
        without one is an order of its own).
    as_of : date, optional
        Last day observed; the whole day counts, and tenure is the number
        of whole days from the day of the first line to it. Default: the
        day after the last transaction.
    method : {"percentile", "zscore"}, default "percentile"
        How each component is put on a common scale. ``"zscore"``: (x −
        mean) / standard deviation (population, ``ddof=0``; a component
        with no spread scores 0). ``"percentile"``: the mid-rank of x among
        all customers divided by their number (ties share the average rank),
        centred to run from about −0.5 to 0.5, so one extreme spender cannot
        dominate the score as it can with z-scores. Payment is negated
        before standardizing, so more days late lowers the score.
    drop_later : bool, default False
        Lines dated after the as_of day raise :class:`DataError`; with True
        they are left out, to take a snapshot at a past date.

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, the raw ``units``, ``orders``, ``monetary`` (MXN),
        ``mean_days_late`` (days), ``tenure_days`` (days), then one
        standardized column per component, ``z_<component>`` or
        ``pct_<component>`` (volume, frequency, monetary, payment, tenure).
        ``.attrs`` holds ``as_of`` (the day) and ``lines_after_as_of`` (lines
        left out by ``drop_later``).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "b"], "order_id": ["1", "2"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-06-01"]), "amount": [10.0, 30.0],
    ...     "quantity": [1, 3], "days_late": [0, 5]})
    >>> vip_components(tx, method="zscore")["z_volume"].tolist()
    [-1.0, 1.0]
    """
    if method not in ("percentile", "zscore"):
        raise DataError(f"method must be 'percentile' or 'zscore', got {method!r}.")
    transactions, end, n_later = _observed(
        transactions, ["customer_id", "date", "amount", "quantity", "days_late"], as_of,
        drop_later)
    orders = _purchase_orders(transactions)
    grouped = orders.groupby("customer_id")
    raw = pd.DataFrame({
        "units": transactions.groupby("customer_id")["quantity"].sum(),
        "orders": grouped.size(),
        "monetary": transactions.groupby("customer_id")["amount"].sum(),
        "mean_days_late": grouped["days_late"].mean(),
        "tenure_days": (end - transactions.groupby("customer_id")["date"].min().dt.normalize()
                        ).dt.days,
    })
    # A customer whose only lines are returns has no purchase order: 0 orders, never late.
    raw = raw.fillna({"orders": 0, "mean_days_late": 0.0})
    raw["orders"] = raw["orders"].astype("int64")
    prefix = "z_" if method == "zscore" else "pct_"
    for component, column in _VIP_RAW.items():
        values = -raw[column] if component == "payment" else raw[column]
        raw[prefix + component] = _standardize(values.astype("float64"), method)
    raw = raw.rename_axis("customer_id").reset_index()
    raw.attrs.update(as_of=end, lines_after_as_of=n_later)
    return raw


def _standardize(values: pd.Series, method: str) -> pd.Series:
    if method == "zscore":
        spread = values.std(ddof=0)
        if not spread > 0:
            return pd.Series(0.0, index=values.index)
        return (values - values.mean()) / spread
    return values.rank(method="average") / len(values) - 0.5 - 0.5 / len(values)


def vip_score(
    components: pd.DataFrame, weights: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Weighted VIP score from standardized components.

    Parameters
    ----------
    components : pandas.DataFrame
        Output of :func:`vip_components` (columns ``z_*`` or ``pct_*``).
    weights : dict, optional
        Component -> weight, for components among ``volume``, ``frequency``,
        ``monetary``, ``payment``, ``tenure``; missing ones weigh 0.
        Default :data:`DEFAULT_VIP_WEIGHTS` (equal). Weights must be
        non-negative with a positive sum; they are divided by their sum, so
        only their ratios matter.

    Returns
    -------
    pandas.DataFrame
        ``components`` with a ``vip_score`` column (weighted mean of the
        standardized components).

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"customer_id": ["a", "b"], "z_volume": [1.0, -1.0],
    ...                   "z_tenure": [-1.0, 1.0]})
    >>> vip_score(c, {"volume": 3, "tenure": 1})["vip_score"].tolist()
    [0.5, -0.5]
    """
    weights = dict(DEFAULT_VIP_WEIGHTS if weights is None else weights)
    unknown = [k for k in weights if k not in _VIP_RAW]
    if unknown:
        raise DataError(
            f"weights: {len(unknown)} unknown component(s), e.g. {unknown[0]!r}; use "
            f"{', '.join(_VIP_RAW)}."
        )
    negative = {k: w for k, w in weights.items() if not w >= 0}
    if negative or not sum(weights.values()) > 0:
        example = next(iter(negative.items())) if negative else tuple(weights.items())
        raise DataError(
            f"weights: {len(negative)} negative weight(s); weights must be >= 0 with a "
            f"positive sum, e.g. {describe_example(example)}."
        )
    prefix = "z_" if any(c.startswith("z_") for c in components.columns) else "pct_"
    used = {k: w for k, w in weights.items() if w > 0}
    require_columns(components, ["customer_id"] + [prefix + k for k in used], "VIP components")
    total = sum(used.values())
    score = sum(components[prefix + k] * (w / total) for k, w in used.items())
    return components.assign(vip_score=score)


def assign_tiers(
    frame: pd.DataFrame,
    score: str,
    tiers: Mapping[str, float] | None = None,
    *,
    below: float | None = None,
    below_label: str = "Below threshold",
) -> pd.DataFrame:
    """Cut customers into tiers by rank of a score, from the top down.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per customer with ``customer_id`` and the score column.
    score : str
        Column to rank by (higher is better), e.g. ``"vip_score"`` or
        ``"profit"``.
    tiers : dict, optional
        Tier name -> share of customers, best tier first; shares must sum to
        1. Default :data:`DEFAULT_TIERS` (VIP 5%, Gold 15%, Silver 30%,
        Bronze 50%).
    below : float, optional
        If given, customers whose score is below it go to ``below_label``
        whatever their rank (e.g. value-destroying customers with
        ``score="profit", below=0``).
    below_label : str, default "Below threshold"
        Name of that extra tier.

    Returns
    -------
    pandas.DataFrame
        ``frame`` with ``rank`` (1 = best; ties share the best rank) and
        ``tier`` (ordered categorical: the tiers, then ``below_label`` if
        ``below`` is given). A customer is in the first tier whose
        cumulative share is above the share of customers ranked above them
        (so the best customer is always in the first tier); tied customers
        share a tier, so a tier can be a little larger than its share.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"customer_id": list("abcd"), "s": [4.0, 3.0, 2.0, 1.0]})
    >>> assign_tiers(f, "s", {"top": 0.25, "rest": 0.75})["tier"].tolist()
    ['top', 'rest', 'rest', 'rest']
    """
    tiers = dict(DEFAULT_TIERS if tiers is None else tiers)
    shares = np.array(list(tiers.values()), dtype="float64")
    if (shares <= 0).any() or not np.isclose(shares.sum(), 1.0):
        raise DataError(
            f"tiers: the shares must be positive and sum to 1, they sum to {shares.sum():g}, "
            f"e.g. {describe_example(next(iter(tiers.items())))}."
        )
    require_columns(frame, ["customer_id", score], "customer table")
    _check_range(frame, score, -np.inf, np.inf, "customer table")
    out = frame.copy()
    out["rank"] = out[score].rank(method="min", ascending=False).astype("int64")
    # Share of customers ranked strictly above each one; rounded so 0.05 + 0.15 is 0.2.
    above = np.round((out["rank"].to_numpy() - 1) / max(len(out), 1), 12)
    bounds = np.round(np.cumsum(shares), 12)
    bounds[-1] = np.inf
    index = np.searchsorted(bounds, above, side="right")
    names = list(tiers)
    labels = np.array(names, dtype=object)[index] if len(out) else np.array([], dtype=object)
    categories = names + ([below_label] if below is not None else [])
    if below is not None:
        labels = np.where(out[score] < below, below_label, labels)
    out["tier"] = pd.Categorical(labels, categories=categories, ordered=True)
    return out


def tier_overlap(
    first: pd.DataFrame, second: pd.DataFrame, tier: str = "VIP"
) -> pd.Series:
    """How much two tier assignments agree on one tier (e.g. the VIP list).

    Parameters
    ----------
    first, second : pandas.DataFrame
        Tables with ``customer_id`` and ``tier`` (e.g. from
        :func:`assign_tiers` under two weightings).
    tier : str, default "VIP"
        The tier to compare.

    Returns
    -------
    pandas.Series
        ``in_first``, ``in_second``, ``in_both`` (customers),
        ``jaccard`` = both / either (1 = the same list, 0 = no one in
        common; 1 when both lists are empty) and ``kept_share`` = both /
        in_first (share of the first list that stays).

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"customer_id": list("abc"), "tier": ["VIP", "VIP", "Gold"]})
    >>> b = pd.DataFrame({"customer_id": list("abc"), "tier": ["VIP", "Gold", "VIP"]})
    >>> float(tier_overlap(a, b)["jaccard"])
    0.3333333333333333
    """
    require_columns(first, ["customer_id", "tier"], "first tier table")
    require_columns(second, ["customer_id", "tier"], "second tier table")
    a = set(first.loc[first["tier"] == tier, "customer_id"])
    b = set(second.loc[second["tier"] == tier, "customer_id"])
    either = len(a | b)
    return pd.Series({
        "in_first": len(a),
        "in_second": len(b),
        "in_both": len(a & b),
        "jaccard": len(a & b) / either if either else 1.0,
        "kept_share": len(a & b) / len(a) if a else np.nan,
    }, name=tier)


# --------------------------------------------------------------------------
# Reinartz-Kumar: profitability x projected loyalty
# --------------------------------------------------------------------------

#: Quadrant -> (Spanish name of the course notes, recommended action).
REINARTZ_KUMAR_QUADRANTS: dict[str, tuple[str, str]] = {
    "true friends": (
        "amigos verdaderos",
        "Nurture and defend: steady, not too frequent contact; reward and delight them.",
    ),
    "butterflies": (
        "mariposas",
        "Enjoy them while they last: sell hard during the fling, stop investing when they stop.",
    ),
    "barnacles": (
        "lapas",
        "Measure the wallet: cross-sell if our share is small, cut the cost to serve if not.",
    ),
    "strangers": (
        "extraños",
        "Do not invest in the relationship: make a profit on each transaction, serve cheaply.",
    ),
}


def projected_loyalty(
    transactions: pd.DataFrame,
    as_of: Any = None,
    method: str = "recency",
    time_unit: str = "W",
    *,
    drop_later: bool = False,
) -> pd.DataFrame:
    """A projected-loyalty score per customer from purchase history alone.

    Reinartz and Kumar classify customers by how long the relationship is
    likely to last. Two transparent proxies are offered (lesson 04 fits the
    BG/NBD model, which does it properly):

    * ``"recency"`` — the *active share of tenure*, ``recency / T``: the time
      from the first to the last purchase over the time from the first
      purchase to ``as_of``, both in whole days (as :mod:`relmark_lab.rfm`
      counts them). It runs from 0 to 1: 1 = bought again on the as_of day
      itself (with the default as_of, the day after the last transaction,
      the latest buyers come closest to 1); near 0 = bought once, long ago,
      or only once.
    * ``"frequency"`` — *tenure-adjusted frequency*, ``frequency / T``: repeat
      purchase orders per ``time_unit`` since the first purchase.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Order lines with ``customer_id``, ``date``, ``amount`` (returns are
        ignored); ``order_id`` groups lines into orders (a line without one
        is an order of its own).
    as_of : date, optional
        Last day observed; the whole day counts. Default: the day after the
        last transaction.
    method : {"recency", "frequency"}, default "recency"
        Which proxy goes into ``projected_loyalty``.
    time_unit : {"D", "W"}, default "W"
        Unit of ``recency`` and ``T`` (days or weeks).
    drop_later : bool, default False
        Lines dated after the as_of day raise :class:`DataError`; with True
        they are left out, to take a snapshot at a past date.

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``frequency`` (repeat purchase orders), ``recency``
        and ``T`` (in ``time_unit``), ``projected_loyalty``. Customers whose
        lines are all returns have no purchase and are left out. ``.attrs``
        holds ``as_of`` (the day) and ``lines_after_as_of`` (lines left out
        by ``drop_later``).

    Raises
    ------
    DataError
        If lines are dated after the as_of day (unless ``drop_later``), or a
        customer first bought on the as_of day (T = 0, no ratio).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-01-01"]),
    ...     "amount": [10.0, 10.0, 10.0]})
    >>> projected_loyalty(tx, as_of="2024-01-29")["projected_loyalty"].tolist()
    [0.5, 0.0]
    """
    if method not in ("recency", "frequency"):
        raise DataError(f"method must be 'recency' or 'frequency', got {method!r}.")
    days_per_unit = {"D": 1.0, "W": 7.0}
    if time_unit not in days_per_unit:
        raise DataError(f"time_unit must be 'D' or 'W', got {time_unit!r}.")
    lines, end, n_later = _observed(transactions, ["customer_id", "date", "amount"], as_of,
                                    drop_later)
    orders = _purchase_orders(lines)
    grouped = orders["date"].dt.normalize().groupby(orders["customer_id"])
    unit = pd.Timedelta(days=days_per_unit[time_unit])
    first = grouped.min()
    table = pd.DataFrame({
        "frequency": grouped.size() - 1,
        "recency": (grouped.max() - first) / unit,
        "T": (end - first) / unit,
    })
    if (table["T"] <= 0).any():
        late = table.index[table["T"] <= 0][0]
        raise DataError(
            f"Column 'date': {int((table['T'] <= 0).sum())} customer(s) first bought on the "
            f"as_of day {end.date()}, e.g. {describe_example(late)}, so their T is 0 and "
            "has no ratio; choose a later as_of."
        )
    ratio = table["recency"] if method == "recency" else table["frequency"]
    table["projected_loyalty"] = ratio / table["T"]
    table = table.rename_axis("customer_id").reset_index()
    table.attrs.update(as_of=end, lines_after_as_of=n_later)
    return table


def _split(values: pd.Series, threshold: float | None) -> tuple[pd.Series, float]:
    """High = strictly above the threshold (the median when None)."""
    cut = float(values.median()) if threshold is None else float(threshold)
    return values > cut, cut


def reinartz_kumar(
    frame: pd.DataFrame,
    profit: str = "profit",
    loyalty: str = "projected_loyalty",
    profit_threshold: float | None = None,
    loyalty_threshold: float | None = None,
) -> pd.DataFrame:
    """Place each customer in the profitability x projected-loyalty matrix.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per customer with ``customer_id``, a profit and a loyalty
        column (e.g. :func:`customer_profitability` merged with
        :func:`projected_loyalty`).
    profit, loyalty : str
        Column names.
    profit_threshold, loyalty_threshold : float, optional
        Cut points; default the median of each column. A customer is *high*
        when strictly above the cut, so customers tied at the median count
        as low.

    Returns
    -------
    pandas.DataFrame
        ``frame`` with ``high_profit``, ``high_loyalty``, ``quadrant``
        (ordered categorical: true friends, butterflies, barnacles,
        strangers), ``quadrant_es`` (Spanish name) and ``action``. The cut
        points used are in ``.attrs["thresholds"]``.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"customer_id": list("abcd"), "profit": [10.0, 10, -5, -5],
    ...                   "projected_loyalty": [0.9, 0.1, 0.9, 0.1]})
    >>> reinartz_kumar(f, profit_threshold=0, loyalty_threshold=0.5)["quadrant"].tolist()
    ['true friends', 'butterflies', 'barnacles', 'strangers']
    """
    require_columns(frame, ["customer_id", profit, loyalty], "customer table")
    _one_row_per_customer(frame, "customer table")
    _check_range(frame, profit, -np.inf, np.inf, "customer table")
    _check_range(frame, loyalty, -np.inf, np.inf, "customer table")
    out = frame.copy()
    out["high_profit"], profit_cut = _split(out[profit], profit_threshold)
    out["high_loyalty"], loyalty_cut = _split(out[loyalty], loyalty_threshold)
    names = np.select(
        [out["high_profit"] & out["high_loyalty"], out["high_profit"], out["high_loyalty"]],
        ["true friends", "butterflies", "barnacles"],
        default="strangers",
    )
    out["quadrant"] = pd.Categorical(names, categories=list(REINARTZ_KUMAR_QUADRANTS),
                                     ordered=True)
    out["quadrant_es"] = out["quadrant"].map(
        {k: v[0] for k, v in REINARTZ_KUMAR_QUADRANTS.items()}).astype("string")
    out["action"] = out["quadrant"].map(
        {k: v[1] for k, v in REINARTZ_KUMAR_QUADRANTS.items()}).astype("string")
    out.attrs["thresholds"] = {profit: profit_cut, loyalty: loyalty_cut}
    return out


# --------------------------------------------------------------------------
# Jones-Sasser: satisfaction x loyalty
# --------------------------------------------------------------------------

#: Type -> (Spanish name of the course notes, what it means).
JONES_SASSER_TYPES: dict[str, tuple[str, str]] = {
    "apostles": ("apóstoles", "satisfied and loyal: they recommend us; keep delighting them"),
    "mercenaries": ("mercenarios", "satisfied but not loyal: they chase the best deal"),
    "indifferent": ("indiferentes", "neither satisfied nor dissatisfied: the zone of "
                    "indifference, easily lured away"),
    "hostages": ("rehenes", "dissatisfied but loyal: stuck with us (switching costs); "
                 "they leave when they can"),
    "terrorists": ("terroristas", "dissatisfied and leaving (defectors): they talk others "
                   "out of buying; recover or let go"),
}


def satisfaction_loyalty(
    frame: pd.DataFrame,
    satisfaction: str = "satisfaction",
    loyalty: str = "projected_loyalty",
    *,
    satisfied_from: int = 4,
    dissatisfied_to: int = 2,
    loyalty_threshold: float | None = None,
    scale: tuple[int, int] = (1, 5),
) -> pd.DataFrame:
    """Jones and Sasser's typology: apostles, mercenaries, hostages, terrorists, indifferent.

    Satisfaction (a survey score) splits customers into satisfied (>=
    ``satisfied_from``), dissatisfied (<= ``dissatisfied_to``) and the
    *zone of indifference* between; loyalty (behavioural, from purchases)
    splits them at ``loyalty_threshold``.

    ============== ============ ============
    satisfaction   loyal        not loyal
    ============== ============ ============
    satisfied      apostles     mercenaries
    in between     indifferent  indifferent
    dissatisfied   hostages     terrorists
    ============== ============ ============

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per surveyed customer with ``customer_id``, the satisfaction
        and the loyalty column.
    satisfaction, loyalty : str
        Column names.
    satisfied_from, dissatisfied_to : int, default 4 and 2
        Cut points on the satisfaction scale.
    loyalty_threshold : float, optional
        Loyal = strictly above it; default the median.
    scale : (int, int), default (1, 5)
        Allowed satisfaction range; whole numbers outside it raise DataError.

    Returns
    -------
    pandas.DataFrame
        ``frame`` with ``loyal`` (bool), ``type`` (ordered categorical, the
        five types), ``type_es`` (Spanish) and ``.attrs["thresholds"]``.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"customer_id": list("abcde"), "satisfaction": [5, 5, 3, 1, 1],
    ...                   "projected_loyalty": [0.9, 0.1, 0.5, 0.9, 0.1]})
    >>> satisfaction_loyalty(f, loyalty_threshold=0.5)["type"].tolist()
    ['apostles', 'mercenaries', 'indifferent', 'hostages', 'terrorists']
    """
    low, high = scale
    if not low <= dissatisfied_to < satisfied_from <= high:
        raise DataError(
            f"satisfied_from={satisfied_from} must be above dissatisfied_to={dissatisfied_to}, "
            f"both inside the scale {low}–{high}."
        )
    require_columns(frame, ["customer_id", satisfaction, loyalty], "survey table")
    _one_row_per_customer(frame, "survey table")
    _check_range(frame, satisfaction, low, high, "survey table", integer=True)
    _check_range(frame, loyalty, -np.inf, np.inf, "survey table")
    out = frame.copy()
    out["loyal"], cut = _split(out[loyalty], loyalty_threshold)
    satisfied = out[satisfaction] >= satisfied_from
    dissatisfied = out[satisfaction] <= dissatisfied_to
    names = np.select(
        [satisfied & out["loyal"], satisfied, dissatisfied & out["loyal"], dissatisfied],
        ["apostles", "mercenaries", "hostages", "terrorists"],
        default="indifferent",
    )
    out["type"] = pd.Categorical(names, categories=list(JONES_SASSER_TYPES), ordered=True)
    out["type_es"] = out["type"].map({k: v[0] for k, v in JONES_SASSER_TYPES.items()}).astype(
        "string")
    out.attrs["thresholds"] = {satisfaction: (dissatisfied_to, satisfied_from), loyalty: cut}
    return out


def segment_summary(
    frame: pd.DataFrame, segment: str, values: Sequence[str] = ("profit",)
) -> pd.DataFrame:
    """Customers, share and mean values per segment, empty segments included.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per customer with the segment column (a categorical keeps
        its empty categories as rows with 0 customers).
    segment : str
        Segment column, e.g. ``"quadrant"``, ``"type"`` or ``"tier"``.
    values : sequence of str, default ("profit",)
        Columns whose sum and mean per segment are reported.

    Returns
    -------
    pandas.DataFrame
        ``segment`` values, ``customers``, ``customer_share`` and, per value
        column, ``<col>_total`` and ``<col>_mean``. Missing segment labels
        are counted under "(missing)", never dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"customer_id": list("abc"), "seg": ["x", "x", "y"],
    ...                   "profit": [1.0, 3.0, 5.0]})
    >>> segment_summary(f, "seg")["profit_mean"].tolist()
    [2.0, 5.0]
    """
    require_columns(frame, [segment, *values], "customer table")
    labels = frame[segment]
    if labels.isna().any():
        if isinstance(labels.dtype, pd.CategoricalDtype):
            labels = labels.cat.add_categories("(missing)")
        labels = labels.fillna("(missing)")
    grouped = frame[list(values)].groupby(labels, observed=False)
    table = pd.DataFrame({"customers": grouped.size()})
    table["customer_share"] = table["customers"] / max(len(frame), 1)
    for column in values:
        table[f"{column}_total"] = grouped[column].sum()
        table[f"{column}_mean"] = grouped[column].mean()
    return table.rename_axis(segment).reset_index()


# --------------------------------------------------------------------------
# Net promoter score
# --------------------------------------------------------------------------


def _nps_parts(scores: pd.Series) -> tuple[int, float, float, float]:
    n = int(scores.notna().sum())
    if n == 0:
        return 0, np.nan, np.nan, np.nan
    promoters = float((scores >= 9).sum() / n)
    detractors = float((scores <= 6).sum() / n)
    return n, promoters, 1.0 - promoters - detractors, detractors


def _nps_standard_error(n: int, promoters: float, detractors: float) -> float:
    """SE of NPS (in points) from the multinomial variance of p_P − p_D."""
    if n == 0:
        return np.nan
    variance = (promoters + detractors - (promoters - detractors) ** 2) / n
    return 100.0 * float(np.sqrt(variance))


def net_promoter_score(
    survey: pd.DataFrame,
    by: str | None = None,
    score: str = "recommend",
    confidence: float = 0.95,
    method: str = "normal",
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Net promoter score, overall or by segment, with a confidence interval.

    Promoters answer 9–10 to "how likely are you to recommend us?" (0–10),
    passives 7–8 and detractors 0–6. NPS = 100 x (share of promoters −
    share of detractors), from −100 to 100.

    The ``"normal"`` interval treats each answer as one draw of a
    three-category multinomial, for which
    ``Var(p_P − p_D) = (p_P + p_D − (p_P − p_D)²) / n``; the interval is
    NPS ± z x SE. With ``"bootstrap"`` the answers are resampled ``n_boot``
    times with ``numpy.random.default_rng(seed)`` and the percentile
    interval is reported (SE = standard deviation of the bootstrap NPS).

    Parameters
    ----------
    survey : pandas.DataFrame
        One answer per row with the ``score`` column (and ``by``).
    by : str, optional
        Segment column; one row per segment (empty categories kept with
        n = 0), or a single row "all" when None.
    score : str, default "recommend"
        Column with the 0–10 answers.
    confidence : float, default 0.95
        Confidence level of the interval.
    method : {"normal", "bootstrap"}, default "normal"
    n_boot : int, default 2000
    seed : int, default 0

    Returns
    -------
    pandas.DataFrame
        ``segment``, ``n``, ``promoters``, ``passives``, ``detractors``
        (shares), ``nps``, ``se``, ``ci_low``, ``ci_high`` (points).

    Raises
    ------
    DataError
        If the score column is missing, or a score is not a whole number
        from 0 to 10 (e.g. 11).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"recommend": [10, 9, 8, 3]})
    >>> float(net_promoter_score(s)["nps"].iloc[0])
    25.0
    """
    if method not in ("normal", "bootstrap"):
        raise DataError(f"method must be 'normal' or 'bootstrap', got {method!r}.")
    if not 0 < confidence < 1:
        raise DataError(f"confidence must be between 0 and 1, got {confidence!r}.")
    require_columns(survey, [score] + ([by] if by else []), "survey")
    _check_range(survey, score, 0, 10, "survey", integer=True)
    scores = pd.to_numeric(survey[score])
    if by is None:
        groups = [("all", scores)]
    else:
        labels = survey[by]
        if labels.isna().any():
            if isinstance(labels.dtype, pd.CategoricalDtype):
                labels = labels.cat.add_categories("(missing)")
            labels = labels.fillna("(missing)")
        groups = list(scores.groupby(labels, observed=False))
    z = stats.norm.ppf(0.5 + confidence / 2)
    rng = np.random.default_rng(seed)
    rows = []
    for name, values in groups:
        n, promoters, passives, detractors = _nps_parts(values)
        nps = 100.0 * (promoters - detractors)
        if method == "normal" or n == 0:
            se = _nps_standard_error(n, promoters, detractors)
            low, high = nps - z * se, nps + z * se
        else:
            draws = rng.choice(values.to_numpy(), size=(n_boot, n), replace=True)
            boot = 100.0 * ((draws >= 9).mean(axis=1) - (draws <= 6).mean(axis=1))
            se = float(boot.std(ddof=1))
            low, high = np.quantile(boot, [(1 - confidence) / 2, (1 + confidence) / 2])
        rows.append({"segment": name, "n": n, "promoters": promoters, "passives": passives,
                     "detractors": detractors, "nps": nps, "se": se,
                     "ci_low": float(low), "ci_high": float(high)})
    return pd.DataFrame(rows)


def nps_difference(
    survey: pd.DataFrame, by: str, first: Any, second: Any,
    score: str = "recommend", confidence: float = 0.95,
) -> pd.Series:
    """Difference in NPS between two segments, with a normal confidence interval.

    The two segments are independent samples, so the variance of the
    difference is the sum of their variances (each from the multinomial
    formula of :func:`net_promoter_score`).

    Parameters
    ----------
    survey : pandas.DataFrame
        Answers with the ``score`` and ``by`` columns.
    by : str
        Segment column.
    first, second : object
        The two segment labels; the difference is first − second.
    score : str, default "recommend"
    confidence : float, default 0.95

    Returns
    -------
    pandas.Series
        ``nps_first``, ``nps_second``, ``difference``, ``se``, ``ci_low``,
        ``ci_high`` (points) and ``p_value`` (two-sided z test).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"recommend": [10, 10, 0, 0], "g": ["a", "a", "b", "b"]})
    >>> float(nps_difference(s, "g", "a", "b")["difference"])
    200.0
    """
    table = net_promoter_score(survey, by=by, score=score, confidence=confidence)
    table = table.set_index("segment")
    for label in (first, second):
        if label not in table.index or table.loc[label, "n"] == 0:
            raise DataError(
                f"Column {by!r}: segment {describe_example(label)} has no answers; "
                f"segments with answers are e.g. {describe_example(list(table.index[:4]))}."
            )
    a, b = table.loc[first], table.loc[second]
    difference = a["nps"] - b["nps"]
    se = float(np.hypot(a["se"], b["se"]))
    z = stats.norm.ppf(0.5 + confidence / 2)
    p_value = 2 * stats.norm.sf(abs(difference) / se) if se > 0 else np.nan
    return pd.Series({
        "nps_first": a["nps"], "nps_second": b["nps"], "difference": difference, "se": se,
        "ci_low": difference - z * se, "ci_high": difference + z * se, "p_value": p_value,
    }, name=f"{first} - {second}")


# --------------------------------------------------------------------------
# Perceived value, satisfaction and spend; share of wallet
# --------------------------------------------------------------------------


def annual_spend(
    transactions: pd.DataFrame, as_of: Any = None, window_days: int | None = None,
    *, drop_later: bool = False,
) -> pd.DataFrame:
    """Net spend of each customer per year (MXN per 365 days).

    Parameters
    ----------
    transactions : pandas.DataFrame
        Order lines with ``customer_id``, ``date``, ``amount`` (returns negative).
    as_of : date, optional
        Last day observed; the whole day counts. Default: the day after the
        last transaction.
    window_days : int, optional
        None (default): net revenue over the whole tenure, from the first
        purchase to ``as_of``, divided by the tenure in years of 365 days,
        so a customer who bought for a while and stopped keeps the rate they
        had as a customer's yearly average. An integer: net revenue in the
        last ``window_days`` days up to and including the as_of day, scaled
        to 365 days.
    drop_later : bool, default False
        Lines dated after the as_of day raise :class:`DataError`; with True
        they are left out, to take a snapshot at a past date.

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``tenure_days`` (whole days from the day of the
        first line to the as_of day; a tenure of 0 days is annualized as 1)
        and ``spend_per_year`` (MXN per 365 days; 0 for customers with
        nothing in the window). ``.attrs`` holds ``as_of`` (the day) and
        ``lines_after_as_of`` (lines left out by ``drop_later``).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [100.0, 50.0, 36.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-06-01", "2024-07-04"])})
    >>> annual_spend(tx, as_of="2024-12-31")["spend_per_year"].tolist()
    [150.0, 73.0]
    """
    if window_days is not None and not window_days > 0:
        raise DataError(f"window_days must be positive, got {window_days!r}.")
    transactions, end, n_later = _observed(
        transactions, ["customer_id", "date", "amount"], as_of, drop_later)
    grouped = transactions.groupby("customer_id")
    tenure_days = (end - grouped["date"].min().dt.normalize()).dt.days
    if window_days is None:
        spend = grouped["amount"].sum() / tenure_days.clip(lower=1) * 365.0
    else:
        # The window's days end with the as_of day; later lines are already gone.
        start = end + pd.Timedelta(days=1) - pd.Timedelta(days=window_days)
        inside = transactions[transactions["date"] >= start]
        spend = inside.groupby("customer_id")["amount"].sum().reindex(
            tenure_days.index, fill_value=0.0) * 365.0 / window_days
    table = pd.DataFrame({"tenure_days": tenure_days, "spend_per_year": spend})
    table = table.rename_axis("customer_id").reset_index()
    table.attrs.update(as_of=end, lines_after_as_of=n_later)
    return table


def _survey_with_values(
    survey: pd.DataFrame, values: pd.DataFrame, score: str, value: str, scale: tuple[int, int]
) -> pd.DataFrame:
    require_columns(survey, ["customer_id", score], "survey")
    scores = _check_range(survey, score, scale[0], scale[1], "survey", integer=True)
    require_columns(values, ["customer_id", value], "customer values")
    _one_row_per_customer(values, "customer values")
    amounts = _check_range(values, value, -np.inf, np.inf, "customer values",
                           allow_missing=True)
    merged = pd.DataFrame({"customer_id": survey["customer_id"], score: scores}).merge(
        pd.DataFrame({"customer_id": values["customer_id"], value: amounts}),
        on="customer_id", how="left", validate="many_to_one",
    )
    unknown = merged[value].isna()
    if unknown.any():
        raise DataError(
            f"Column 'customer_id': {int(unknown.sum())} surveyed customer(s) have no {value!r} "
            f"value, e.g. {describe_example(merged.loc[unknown, 'customer_id'].iloc[0])}."
        )
    return merged


def spend_by_score(
    survey: pd.DataFrame,
    values: pd.DataFrame,
    score: str = "satisfaction",
    value: str = "spend_per_year",
    scale: tuple[int, int] = (1, 5),
) -> pd.DataFrame:
    """Spend (or profit) of surveyed customers at each level of a survey score.

    Parameters
    ----------
    survey : pandas.DataFrame
        ``customer_id`` and the score column (e.g. ``satisfaction`` or
        ``perceived_value``, whole numbers on ``scale``).
    values : pandas.DataFrame
        One row per customer with ``customer_id`` and the value column
        (e.g. :func:`annual_spend`).
    score, value : str
        Column names.
    scale : (int, int), default (1, 5)
        Allowed score range; every level of it gets a row, even if empty.

    Returns
    -------
    pandas.DataFrame
        ``score`` level, ``customers``, ``share``, ``mean``, ``median`` of the value.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"customer_id": ["a", "b"], "satisfaction": [5, 5]})
    >>> v = pd.DataFrame({"customer_id": ["a", "b"], "spend_per_year": [10.0, 20.0]})
    >>> spend_by_score(s, v, scale=(4, 5))["mean"].tolist()
    [nan, 15.0]
    """
    merged = _survey_with_values(survey, values, score, value, scale)
    levels = pd.Categorical(merged[score].astype("int64"),
                            categories=range(scale[0], scale[1] + 1))
    grouped = merged[value].groupby(levels, observed=False)
    table = pd.DataFrame({"customers": grouped.size(), "mean": grouped.mean(),
                          "median": grouped.median()})
    table.insert(1, "share", table["customers"] / max(len(merged), 1))
    return table.rename_axis(score).reset_index()


def score_spend_correlation(
    survey: pd.DataFrame,
    values: pd.DataFrame,
    score: str = "satisfaction",
    value: str = "spend_per_year",
    scale: tuple[int, int] = (1, 5),
) -> pd.Series:
    """Spearman rank correlation between a survey score and spend (scipy.stats.spearmanr).

    A rank correlation suits an ordinal 1–5 score and a skewed spend.

    Returns
    -------
    pandas.Series
        ``rho``, ``p_value`` and ``n``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"customer_id": list("abc"), "satisfaction": [1, 3, 5]})
    >>> v = pd.DataFrame({"customer_id": list("abc"), "spend_per_year": [1.0, 2.0, 9.0]})
    >>> float(score_spend_correlation(s, v)["rho"])
    1.0
    """
    merged = _survey_with_values(survey, values, score, value, scale)
    if len(merged) < 3:
        return pd.Series({"rho": np.nan, "p_value": np.nan, "n": len(merged)}, name=score)
    result = stats.spearmanr(merged[score], merged[value])
    return pd.Series({"rho": float(result.statistic), "p_value": float(result.pvalue),
                      "n": len(merged)}, name=score)


def wallet_left_on_table(
    survey: pd.DataFrame,
    values: pd.DataFrame,
    share: str = "share_of_wallet",
    value: str = "spend_per_year",
) -> pd.DataFrame:
    """Each surveyed customer's total wallet and the part that goes to competitors.

    With our spend ``s`` and the stated share of wallet ``w`` (share of the
    customer's spend in our categories that comes to us), the wallet is
    ``s / w`` and the *wallet left on the table* is ``s x (1/w − 1)``.
    A share of 0 gives no finite wallet and a negative spend (returns
    exceeding purchases) no meaningful one: such customers keep their row
    with ``wallet`` and ``left_on_table`` missing and ``usable`` False, so
    they are counted, not silently dropped.

    Parameters
    ----------
    survey : pandas.DataFrame
        ``customer_id`` and the share column (0–1), one answer per customer
        (keep each customer's latest answer first: two answers would count
        their wallet twice).
    values : pandas.DataFrame
        ``customer_id`` and our spend (e.g. :func:`annual_spend`, MXN per
        year), one row per customer. Surveyed customers missing from it
        have spent nothing with us (spend 0).
    share, value : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``spend``, ``share_of_wallet``, ``wallet``,
        ``left_on_table`` and ``usable``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"customer_id": ["a"], "share_of_wallet": [0.25]})
    >>> v = pd.DataFrame({"customer_id": ["a"], "spend_per_year": [100.0]})
    >>> float(wallet_left_on_table(s, v)["left_on_table"].iloc[0])
    300.0
    """
    require_columns(survey, ["customer_id", share], "survey")
    _one_row_per_customer(survey, "survey")
    shares = _check_range(survey, share, 0, 1, "survey")
    require_columns(values, ["customer_id", value], "customer values")
    _one_row_per_customer(values, "customer values")
    amounts = _check_range(values, value, -np.inf, np.inf, "customer values")
    merged = pd.DataFrame({"customer_id": survey["customer_id"], share: shares}).merge(
        pd.DataFrame({"customer_id": values["customer_id"], value: amounts}),
        on="customer_id", how="left", validate="one_to_one",
    )
    merged[value] = merged[value].fillna(0.0)  # surveyed but no purchases: nothing with us
    merged = merged.rename(columns={share: "share_of_wallet", value: "spend"})
    merged["usable"] = (merged["share_of_wallet"] > 0) & (merged["spend"] >= 0)
    merged["wallet"] = merged["spend"].where(merged["usable"]) / merged["share_of_wallet"].where(
        merged["usable"])
    merged["left_on_table"] = merged["wallet"] - merged["spend"]
    return merged[["customer_id", "spend", "share_of_wallet", "wallet", "left_on_table",
                   "usable"]]


def wallet_by_segment(wallets: pd.DataFrame, segments: pd.DataFrame, by: str) -> pd.DataFrame:
    """Wallet left on the table summed per segment.

    Parameters
    ----------
    wallets : pandas.DataFrame
        Output of :func:`wallet_left_on_table`, one row per customer.
    segments : pandas.DataFrame
        ``customer_id`` and the segment column ``by``, one row per customer;
        surveyed customers missing from it are counted under "(missing)".
    by : str
        Segment column (empty categories are kept with zeros).

    Returns
    -------
    pandas.DataFrame
        ``by``, ``customers`` (surveyed), ``unusable`` (``usable`` False:
        a share of 0 or a negative spend; counted here, left out of the
        sums), ``spend``, ``wallet``, ``left_on_table`` (MXN) and
        ``share_of_wallet`` = spend / wallet of the usable customers.

    Examples
    --------
    >>> import pandas as pd
    >>> w = pd.DataFrame({"customer_id": ["a", "b"], "spend": [100.0, 50.0],
    ...     "share_of_wallet": [0.5, 0.0], "wallet": [200.0, None],
    ...     "left_on_table": [100.0, None], "usable": [True, False]})
    >>> seg = pd.DataFrame({"customer_id": ["a", "b"], "tier": ["x", "x"]})
    >>> table = wallet_by_segment(w, seg, "tier")
    >>> int(table["unusable"].iloc[0]), float(table["left_on_table"].iloc[0])
    (1, 100.0)
    """
    require_columns(wallets, ["customer_id", "spend", "wallet", "left_on_table", "usable"],
                    "wallets")
    _one_row_per_customer(wallets, "wallets")
    require_columns(segments, ["customer_id", by], "segment table")
    _one_row_per_customer(segments, "segment table")
    merged = wallets.merge(segments[["customer_id", by]], on="customer_id", how="left",
                           validate="one_to_one")
    labels = merged[by]
    if labels.isna().any():
        if isinstance(labels.dtype, pd.CategoricalDtype):
            labels = labels.cat.add_categories("(missing)")
        labels = labels.fillna("(missing)")
    usable = merged[merged["usable"]]
    grouped = usable[["spend", "wallet", "left_on_table"]].groupby(
        labels[merged["usable"]], observed=False)
    table = grouped.sum()
    counts = merged.groupby(labels, observed=False)
    table = table.reindex(counts.size().index, fill_value=0.0)
    table.insert(0, "customers", counts.size())
    unusable = (~merged["usable"].astype(bool)).groupby(labels, observed=False).sum()
    table.insert(1, "unusable", unusable.astype("int64"))
    table["share_of_wallet"] = table["spend"] / table["wallet"].where(table["wallet"] > 0)
    return table.rename_axis(by).reset_index()


# --------------------------------------------------------------------------
# Interaction: contact budget and channels by value tier
# --------------------------------------------------------------------------

#: Channels of the course notes with illustrative prices (MXN per contact) and response rates.
DEFAULT_CHANNELS = pd.DataFrame(
    [
        ("television", "mass media", 0.8, 0.002),
        ("radio", "mass media", 0.5, 0.0015),
        ("press and magazines", "mass media", 1.5, 0.004),
        ("e-mail", "direct", 0.3, 0.008),
        ("direct mail", "direct", 12.0, 0.03),
        ("telemarketing", "direct", 35.0, 0.07),
        ("face to face", "direct", 180.0, 0.20),
    ],
    columns=["channel", "kind", "cost_per_contact", "response_rate"],
)


def contact_plan(
    segments: pd.DataFrame,
    budget: float,
    *,
    segment: str = "tier",
    customers: str = "customers",
    value: str = "value_per_customer",
    channels: pd.DataFrame | None = None,
    profit_threshold: float = 0.0,
    floor_contacts: float = 1.0,
    max_contacts_per_customer: float = 12.0,
) -> pd.DataFrame:
    """Split a contact budget across value tiers and pick a channel for each.

    The rule, in three steps:

    1. **Channel.** For every tier and channel the expected net value of one
       contact is ``response_rate x value − cost_per_contact``, where
       ``value`` is what a response is worth (e.g. the tier's mean profit
       per customer). The tier gets the channel with the highest expected
       net value. Tiers at or below ``profit_threshold`` may only use
       mass-media channels: the firm lowers the cost of serving them.
    2. **Floor.** Tiers at or below the threshold, and tiers for which no
       channel has a positive expected net value, get just enough budget for
       ``floor_contacts`` contacts per customer through their channel.
    3. **Rest.** The remaining budget goes to the other tiers in proportion
       to their total value (customers x value), but no tier gets more than
       ``max_contacts_per_customer`` contacts per customer; what a capped
       tier cannot use is shared among the others, and what nobody can use
       stays unspent (``.attrs["unspent"]``).

    Parameters
    ----------
    segments : pandas.DataFrame
        One row per tier with the ``segment``, ``customers`` and ``value`` columns.
    budget : float
        Money to spend on contacts (MXN).
    segment, customers, value : str
        Column names.
    channels : pandas.DataFrame, optional
        ``channel``, ``kind`` ("mass media" or "direct"), ``cost_per_contact``
        (MXN) and ``response_rate`` (0–1); default :data:`DEFAULT_CHANNELS`.
    profit_threshold : float, default 0.0
        Value at or below which a tier is served through mass media only.
    floor_contacts : float, default 1.0
        Contacts per customer kept for tiers that get only the floor.
    max_contacts_per_customer : float, default 12.0
        Cap on contacts per customer in the planning period (e.g. one a
        month for a yearly budget).

    Returns
    -------
    pandas.DataFrame
        Per tier: the input columns, ``channel``, ``kind``,
        ``cost_per_contact``, ``response_rate``, ``budget`` (MXN),
        ``budget_share``, ``contacts``, ``contacts_per_customer``,
        ``expected_responses`` and ``expected_net_value`` (MXN).

    Examples
    --------
    >>> import pandas as pd
    >>> tiers = pd.DataFrame({"tier": ["top", "low"], "customers": [10, 100],
    ...                       "value_per_customer": [1000.0, -5.0]})
    >>> plan = contact_plan(tiers, 5000.0)
    >>> plan["channel"].tolist(), plan["contacts_per_customer"].round(2).tolist()
    (['telemarketing', 'radio'], [12.0, 1.0])
    """
    channels = DEFAULT_CHANNELS if channels is None else channels
    require_columns(channels, ["channel", "kind", "cost_per_contact", "response_rate"],
                    "channel table")
    _check_range(channels, "response_rate", 0, 1, "channel table")
    _check_range(channels, "cost_per_contact", 0, np.inf, "channel table")
    if not (channels["cost_per_contact"] > 0).all():
        raise DataError("Column 'cost_per_contact' of the channel table: costs must be > 0.")
    mass = channels[channels["kind"] == "mass media"]
    if mass.empty:
        raise DataError(
            "Column 'kind' of the channel table: no 'mass media' channel, e.g. "
            f"{describe_example(channels['kind'].iloc[0])}; tiers below the threshold need one."
        )
    require_columns(segments, [segment, customers, value], "tier table")
    _check_range(segments, customers, 0, np.inf, "tier table")
    _check_range(segments, value, -np.inf, np.inf, "tier table")
    if not budget > 0:
        raise DataError(f"budget must be positive, got {budget!r}.")
    if not max_contacts_per_customer >= floor_contacts:
        raise DataError(
            f"max_contacts_per_customer={max_contacts_per_customer!r} must be at least "
            f"floor_contacts={floor_contacts!r}."
        )

    plan = segments[[segment, customers, value]].copy().reset_index(drop=True)
    below = plan[value] <= profit_threshold
    chosen, best_net = [], []
    for tier_value, is_below in zip(plan[value], below, strict=True):
        allowed = mass if is_below else channels
        net = allowed["response_rate"] * tier_value - allowed["cost_per_contact"]
        chosen.append(allowed.loc[net.idxmax()])
        best_net.append(net.max())
    plan = pd.concat([plan, pd.DataFrame(chosen).reset_index(drop=True)], axis=1)
    floor_only = below | (np.array(best_net) <= 0)

    unit_cost = plan[customers] * plan["cost_per_contact"]  # one contact for everyone in the tier
    floor = (unit_cost * floor_contacts).where(floor_only, 0.0)
    if floor.sum() > budget:
        raise DataError(
            f"budget: {budget:,.0f} does not cover {floor_contacts:g} contact(s) per customer "
            f"of the low-value tiers ({floor.sum():,.0f} needed, e.g. tier "
            f"{describe_example(plan.loc[floor.idxmax(), segment])})."
        )
    allocation = floor.copy()
    cap = unit_cost * max_contacts_per_customer
    weight = (plan[customers] * plan[value]).where(~floor_only, 0.0)
    open_tiers = weight > 0
    remaining = budget - floor.sum()
    # Water-filling: share in proportion to value, cap, pass the excess on.
    while remaining > 1e-9 and open_tiers.any():
        share = remaining * weight.where(open_tiers, 0.0) / weight[open_tiers].sum()
        room = (cap - allocation).where(open_tiers, 0.0)
        given = np.minimum(share, room)
        allocation += given
        remaining -= given.sum()
        open_tiers &= allocation < cap - 1e-9
    plan["budget"] = allocation
    plan["budget_share"] = plan["budget"] / budget
    plan["contacts"] = plan["budget"] / plan["cost_per_contact"]
    plan["contacts_per_customer"] = plan["contacts"] / plan[customers].where(plan[customers] > 0)
    plan["expected_responses"] = plan["contacts"] * plan["response_rate"]
    plan["expected_net_value"] = plan["expected_responses"] * plan[value] - plan["budget"]
    plan.attrs["unspent"] = float(budget - allocation.sum())
    return plan
