"""Customer profitability: gross margin minus an activity-based cost to serve.

Lesson 02, section 1. Each customer's *cost to serve* is the number of times
they use an activity (a purchase order, a returned line, a contact, a late
payment) times its price (:class:`CostToServe`); their profit is their gross
margin minus it (:func:`customer_profitability`). Orders and returns follow
the kit's one rule (:mod:`relmark_lab._orders`, docs/contract.md): lines
sharing an ``order_id`` are one order, a customer's id-less purchase lines of
a day another (their id-less returns of that day a third), and an order
cancelled the same day is no purchase order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._orders import ObservedLines
from relmark_lab._time import OBSERVATION_END, on_or_before
from relmark_lab._validate import (
    ID_DTYPE,
    as_ids,
    column_error,
    require_choice,
    require_columns,
    require_ids,
    require_number,
    require_numbers,
    require_unique,
)
from relmark_lab.differentiate._tables import whole_if_integral
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = ["CostToServe", "customer_profitability"]

_COUNTS = ["orders", "return_lines", "contacts", "late_orders"]
_PRICES = ("per_order", "per_return", "per_contact", "per_late_order", "late_rate_per_day")


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

    Raises
    ------
    DataError
        If a price is not a finite number of at least 0, or
        ``include_acquisition`` is not True or False.

    Examples
    --------
    >>> CostToServe(per_order=30).per_order
    30.0
    >>> CostToServe(per_order=float("nan"))
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: per_order must be a finite number at least 0, got nan.
    """

    per_order: float = 60.0
    per_return: float = 150.0
    per_contact: float = 80.0
    per_late_order: float = 60.0
    late_rate_per_day: float = 0.0005
    include_acquisition: bool = False

    def __post_init__(self) -> None:
        for name in _PRICES:
            object.__setattr__(self, name, require_number(name, getattr(self, name), low=0))
        flag = require_choice("include_acquisition", self.include_acquisition, (True, False))
        object.__setattr__(self, "include_acquisition", bool(flag))

    def to_frame(self) -> pd.DataFrame:
        """The prices as a two-column table (parameter, value) for a lesson or report."""
        return pd.DataFrame(list(asdict(self).items()), columns=["parameter", "value"])


def customer_profitability(
    transactions: pd.DataFrame,
    observation_end: Any,
    *,
    customers: pd.DataFrame | None = None,
    contacts: pd.DataFrame | None = None,
    cost: CostToServe | None = None,
    timezone: str | None = None,
) -> pd.DataFrame:
    """Gross margin minus cost to serve, one row per customer.

    Every customer with an observed line keeps a row, also those without a
    purchase (returns only, or every order cancelled): they cost money.

    Parameters
    ----------
    transactions : pandas.DataFrame or engine source
        Order lines with ``customer_id``, ``date``, ``amount`` and ``margin``
        (returns negative); ``order_id``, ``quantity`` and ``days_late`` are
        used when present. A DuckDB database or connection with a query, a
        Parquet file or folder, an Ibis table or a Spark DataFrame is counted
        in that engine (:mod:`relmark_lab.engines.activity`), with the same
        result.
    observation_end : date-like
        The last observed day (the whole day counts). Lines and contacts
        dated later are left out and counted.
    customers : pandas.DataFrame, optional
        Customer master (``customer_id``; ``acquisition_cost`` if
        ``cost.include_acquisition``). Customers in it without observed lines
        get a row of zeros, so nobody is lost.
    contacts : pandas.DataFrame, optional
        Voice-of-the-customer log with ``customer_id``, one row per contact,
        and optionally its ``date`` (contacts after ``observation_end`` are
        left out). Contacts whose customer has no row (or no id) cannot be
        charged to anyone: they are counted, not silently dropped.
    cost : CostToServe, optional
        Activity prices; ``CostToServe()`` if omitted. A dict of prices is
        refused: pass ``CostToServe(**prices)``.
    timezone : str, optional
        The business's time zone for the dates (None keeps the clock time
        each date shows).

    Returns
    -------
    pandas.DataFrame
        Sorted by ``customer_id`` (text): ``orders`` (purchase orders),
        ``units`` (net quantity; NaN without a ``quantity`` column),
        ``revenue`` (net: every observed line), ``margin`` (sum of the
        lines' margin), ``return_lines`` (lines with a negative amount),
        ``contacts``, ``late_orders`` (purchase orders with ``days_late`` >
        0), ``cost_orders``, ``cost_returns``, ``cost_contacts``,
        ``cost_late``, ``cost_acquisition``, ``cost_to_serve`` and ``profit``
        (MXN). ``.attrs`` holds ``observation_end``,
        ``lines_after_observation_end``, ``customers_without_purchases``
        (customers with lines but no purchase order; they keep their row),
        ``customers_without_lines`` (master customers with no observed
        line), ``contacts_after_observation_end``, ``unmatched_contacts``
        and ``unmatched_contact_example`` (one of their ids).

    Raises
    ------
    DataError
        If a required column is missing, dates are not dates, amounts or
        margins are not numbers, the customer master has an id twice, or
        ``cost`` is not a :class:`CostToServe`.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
    ...                    "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-15"]),
    ...                    "amount": [100.0, 200.0, 50.0], "margin": [40.0, 80.0, 10.0]})
    >>> profit = customer_profitability(tx, "2024-12-31", cost=CostToServe(per_order=20.0))
    >>> profit.set_index("customer_id")["profit"].to_dict()
    {'a': 80.0, 'b': -10.0}
    """
    cost = CostToServe() if cost is None else cost
    if not isinstance(cost, CostToServe):
        raise DataError(_("cost must be a CostToServe, e.g. CostToServe(per_order=30.0), got "
                          "{example}.").format(example=describe_example(cost)))
    observed, attrs = _activity(transactions, observation_end, timezone)
    end = attrs[OBSERVATION_END]
    ids = observed.index
    if customers is not None:
        require_columns(customers, ["customer_id"], "customer master")
        master_ids = require_ids(customers, "customer_id", "customer master")
        require_unique(customers.assign(customer_id=master_ids), "customer_id",
                       "customer master")
        ids = ids.union(pd.Index(master_ids)).astype(ID_DTYPE)
    table = observed.drop(columns="late_money_days").reindex(pd.Index(ids, name="customer_id"))
    table["contacts"], contact_attrs = _contacts(contacts, table.index, end, timezone)
    has_units = observed["units"].notna().all()
    table = table.fillna({c: 0 for c in table.columns if c != "units" or has_units})
    table[_COUNTS] = table[_COUNTS].astype("int64")
    table = table[["orders", "units", "revenue", "margin", "return_lines", "contacts",
                   "late_orders"]]
    money_days = observed["late_money_days"]
    table["cost_orders"] = table["orders"] * cost.per_order
    table["cost_returns"] = table["return_lines"] * cost.per_return
    table["cost_contacts"] = table["contacts"] * cost.per_contact
    table["cost_late"] = (table["late_orders"] * cost.per_late_order
                          + money_days.reindex(table.index, fill_value=0.0)
                          * cost.late_rate_per_day)
    table["cost_acquisition"] = (_acquisition_costs(customers, table.index, observed)
                                 if cost.include_acquisition else 0.0)
    cost_columns = ["cost_orders", "cost_returns", "cost_contacts", "cost_late",
                    "cost_acquisition"]
    table["cost_to_serve"] = table[cost_columns].sum(axis=1)
    table["profit"] = table["margin"] - table["cost_to_serve"]
    table = table.round(6).reset_index()
    table.attrs.update(attrs)
    table.attrs["customers_without_lines"] = int(len(table) - len(observed))
    table.attrs.update(contact_attrs)
    return table


def _activity(transactions: Any, observation_end: Any, timezone: Any
              ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Each observed customer's orders, units, revenue, margin, return lines, late orders,
    late money-days and lines, by id, and the contract's attrs (pandas or an engine)."""
    if not isinstance(transactions, pd.DataFrame):
        from relmark_lab.engines.sources import is_engine_source  # ibis loads only when used

        if is_engine_source(transactions):
            from relmark_lab.engines.activity import activity

            table, attrs = activity(transactions, observation_end, timezone=timezone)
            if table["units"].notna().all():
                table["units"] = whole_if_integral(table["units"].to_numpy())
            return table, attrs
    lines = ObservedLines(transactions, observation_end, timezone=timezone,
                          numbers=("margin",), optional=("quantity", "days_late"))
    observed = lines.per_customer().set_index("customer_id")
    n = len(observed)
    table = pd.DataFrame(index=observed.index)
    table["orders"] = observed["orders"]
    quantity = lines.numbers.get("quantity")
    table["units"] = (whole_if_integral(np.bincount(lines.customer, weights=quantity,
                                                    minlength=n))
                      if quantity is not None else np.nan)
    table["revenue"] = observed["revenue"]
    table["margin"] = np.bincount(lines.customer, weights=lines.numbers["margin"], minlength=n)
    table["return_lines"] = observed["return_lines"]
    table["lines"] = observed["lines"]
    table["late_orders"], table["late_money_days"] = 0, 0.0
    orders = lines.orders_frame()
    if "days_late" in orders.columns:
        late = orders[orders["purchase"] & (orders["days_late"] > 0)]
        by_customer = late.groupby("customer_id")
        table["late_orders"] = by_customer.size().reindex(table.index, fill_value=0)
        table["late_money_days"] = (late["amount"] * late["days_late"]).groupby(
            late["customer_id"]).sum().reindex(table.index, fill_value=0.0)
    return table, lines.attrs()


def _contacts(contacts: pd.DataFrame | None, ids: pd.Index, observation_end: pd.Timestamp,
              timezone: Any) -> tuple[pd.Series | int, dict[str, Any]]:
    """Contacts per customer up to the end, and the attrs that count the others."""
    attrs: dict[str, Any] = {"contacts_after_observation_end": 0, "unmatched_contacts": 0,
                             "unmatched_contact_example": None}
    if contacts is None:
        return 0, attrs
    require_columns(contacts, ["customer_id"], "contact log")
    who = as_ids(contacts["customer_id"])
    if "date" in contacts.columns:
        _dates, inside = on_or_before(contacts, "date", "contact log", observation_end, timezone)
        attrs["contacts_after_observation_end"] = int((~inside).sum())
        who = who[inside]
    matched = who.isin(ids).to_numpy(dtype=bool)
    unmatched = who[~matched]
    attrs["unmatched_contacts"] = len(unmatched)
    attrs["unmatched_contact_example"] = unmatched.iloc[0] if len(unmatched) else None
    return who[matched].value_counts(), attrs


def _acquisition_costs(customers: pd.DataFrame | None, ids: pd.Index,
                       observed: pd.DataFrame) -> pd.Series:
    """Each customer's acquisition cost from the master (missing costs count as 0)."""
    if customers is None:
        raise DataError(_("include_acquisition=True needs the customer master with column "
                          "'acquisition_cost'; pass customers=."))
    require_columns(customers, ["acquisition_cost"], "customer master")
    costs = require_numbers(customers, "acquisition_cost", "customer master",
                            allow_missing=True)
    acquisition = pd.Series(costs.to_numpy(), index=as_ids(customers["customer_id"]))
    unknown = ~observed.index.isin(acquisition.index)
    if unknown.any():
        raise column_error(
            "transactions", "customer_id", int(observed.loc[unknown, "lines"].sum()),
            N_("not in the customer master"), observed.index[unknown][0],
            _("{count} customer(s) have no acquisition cost: pass the whole master, or leave "
              "include_acquisition False.").format(count=int(unknown.sum())))
    return acquisition.reindex(ids).fillna(0.0)
