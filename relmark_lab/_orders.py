"""From order lines to orders and purchase days, returns netted: one rule for every stage (private).

Every function that reads transaction lines (identify, differentiate, rfm,
clv and the later stages) sees them through :class:`ObservedLines`, so the
same lines make the same orders, the same purchases and the same customers
everywhere:

1. **The window.** Lines dated after the observation end are left out and
   counted (the rules of :mod:`relmark_lab._time`).
2. **Orders.** The lines of one customer that share an ``order_id`` are one
   order. Lines without an order id (missing or blank, or no ``order_id``
   column at all) are grouped by customer and day: a customer's id-less
   purchase lines of one day are one order, and their id-less returns of
   that day another (netted by rule 3). Without order ids, an order is a
   customer-day's purchases.
3. **Returns and cancellations are netted** against the purchases they
   undo. A return that carries its order's id nets against that order,
   whenever it happens. A return without the order's id (a line or an order
   of its own with a negative amount) is taken as a cancellation of the same
   customer's purchases of that day, up to what they bought that day; a
   return larger than the day's purchases cannot be a cancellation of them,
   so it is taken as a return of something bought earlier: it lowers net
   revenue and leaves the day's purchases standing. An order's amount is the
   sum of its lines (returns negative); it is dated by its earliest line.
4. **Purchases.** A *purchase day* is a customer-day whose net amount (its
   purchases less the cancellations of rule 3) is above zero, or a day with
   a free order (a zero amount and no return line, e.g. CDNOW's $0 records:
   a visit all the same). A *purchase order* is an order with a positive
   amount, or a free one, on a purchase day. So an order cancelled the same
   day, or returned in full under its own id, is no purchase, and a return
   on a later day without the order's id lowers net revenue but does not
   undo a visit.
5. **Customers** are the ids with at least one observed line; those without
   any purchase order (returns only, or everything cancelled) are never
   dropped silently: they are counted as ``customers_without_purchases``.

Net revenue is the sum of all observed lines, returns included.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._grouping import days_to_dates, group_codes, sorted_codes
from relmark_lab._time import (
    LINES_AFTER_END,
    NO_PURCHASE,
    OBSERVATION_END,
    day_numbers,
    observation_end_day,
)
from relmark_lab._validate import (
    LARGEST_AMOUNT,
    id_codes,
    require_columns,
    require_dates,
    require_ids,
    require_numbers,
)
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["LINE_NUMBERS", "ObservedLines", "days_to_dates"]

#: Optional numeric line columns and the lowest value each may take.
LINE_NUMBERS: dict[str, float | None] = {"margin": None, "quantity": None, "days_late": 0.0,
                                         "discount": None, "cost_to_serve": 0.0}

#: Net amounts of orders and days are rounded to this many decimals, so that a purchase
#: cancelled by lines of the same total nets to exactly 0 (float sums leave ~1e-14).
_NET_DECIMALS = 6


class ObservedLines:
    """The lines of a transactions table inside the observation window, and what they make.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Order lines with ``customer_id``, ``date`` and ``amount``; ``order_id``
        and the numeric columns of :data:`LINE_NUMBERS` are used when present.
    observation_end : date-like
        The last observed day (required; the whole day counts).
    timezone : str, optional
        The business's time zone (see :mod:`relmark_lab._time`).
    what : str, default "transactions"
        The table's name in messages.
    numbers : sequence of str, default ()
        Numeric line columns of :data:`LINE_NUMBERS` the caller needs; they
        become required.
    optional : sequence of str, default ()
        Numeric line columns the caller uses when they are present. Columns
        the caller names in neither are not read, so a stage never refuses a
        table over a column it does not use.

    Attributes
    ----------
    observation_end : pandas.Timestamp
        Midnight of the last observed day.
    end_day : int
        Its day number (days since 1970-01-01), to measure durations in days.
    lines_after_end : int
        Lines left out because they are dated later.
    customers : pandas.Index
        Sorted distinct ids (text) of the customers with an observed line.

    Raises
    ------
    DataError
        If a required column is missing or unusable, or no line is dated on
        or before the observation end.
    """

    def __init__(self, transactions: pd.DataFrame, observation_end: Any, *,
                 timezone: Any = None, what: str = "transactions",
                 numbers: tuple[str, ...] | list[str] = (),
                 optional: tuple[str, ...] | list[str] = ()):
        self.observation_end = observation_end_day(observation_end, timezone)
        require_columns(transactions, ["customer_id", "date", "amount", *numbers], what)
        if len(transactions) == 0:
            raise DataError(_("The {what} have 0 rows; there is nothing to analyse.").format(
                what=what))
        id_code, id_labels = id_codes(transactions["customer_id"])
        if (id_code < 0).any():
            require_ids(transactions, "customer_id", what)  # raises, naming the rows
        dates = require_dates(transactions, "date", what, timezone)
        amount = require_numbers(transactions, "amount", what, low=-LARGEST_AMOUNT,
                                 high=LARGEST_AMOUNT).to_numpy()  # sums must stay finite
        day = day_numbers(dates)
        self.end_day = int(day_numbers(np.array([self.observation_end.to_datetime64()]))[0])
        inside = day <= self.end_day
        self.lines_after_end = int((~inside).sum())
        if not inside.any():
            raise DataError(
                _("{what}: none of the {count:,} lines is dated on or before observation_end "
                  "{end} (the earliest is {first}). Pass a later observation_end.").format(
                    what=what, count=len(transactions), end=self.observation_end.date(),
                    first=dates.min().date())
            )
        everything = inside.all()
        self._what, self._timezone = what, timezone
        used = set(numbers) | {c for c in optional if c in transactions.columns}
        self.numbers = {
            column: require_numbers(transactions.loc[inside, [column]], column, what,
                                    low=LINE_NUMBERS[column]).to_numpy()
            for column in LINE_NUMBERS if column in used
        }
        if "order_id" in transactions.columns:
            order_id, self._n_ids = id_codes(transactions["order_id"])
            self._n_ids = len(self._n_ids)
        else:
            order_id, self._n_ids = np.full(len(transactions), -1, dtype=np.int64), 0
        self._rows = None if everything else np.flatnonzero(inside)  # for column()
        self._order_id = order_id if everything else order_id[inside]
        self.date = dates.to_numpy() if everything else dates.to_numpy()[inside]
        self.day = day if everything else day[inside]
        self.amount = amount if everything else amount[inside]
        self.customer, self.customers = sorted_codes(
            id_code if everything else id_code[inside], id_labels)
        self.order = self._order_codes()

    def until(self, observation_end: Any) -> ObservedLines:
        """These lines up to an earlier end (a calibration period), without reading again.

        The orders and purchase days are made again from the lines up to that
        end only, so what happened later (a return, say) cannot change them.
        """
        earlier = object.__new__(ObservedLines)
        earlier.observation_end = observation_end_day(observation_end, self._timezone)
        earlier.end_day = int(day_numbers(np.array([earlier.observation_end.to_datetime64()]))[0])
        keep = self.day <= earlier.end_day
        if not keep.any():
            raise DataError(_("{what}: no line is dated on or before {end}; pass a later end.")
                            .format(what=self._what, end=earlier.observation_end.date()))
        earlier.lines_after_end = self.lines_after_end + int((~keep).sum())
        earlier._what, earlier._timezone, earlier._n_ids = self._what, self._timezone, self._n_ids
        earlier.numbers = {column: values[keep] for column, values in self.numbers.items()}
        rows = np.arange(len(keep)) if self._rows is None else self._rows
        earlier._rows = rows[keep]
        earlier._order_id = self._order_id[keep]
        earlier.date, earlier.day, earlier.amount = self.date[keep], self.day[keep], \
            self.amount[keep]
        earlier.customer, earlier.customers = sorted_codes(self.customer[keep], self.customers)
        earlier.order = earlier._order_codes()
        return earlier

    def column(self, values: pd.Series) -> np.ndarray:
        """A column of the table read (e.g. a category), on the observed lines, in their order."""
        array = np.asarray(values)
        return array if self._rows is None else array[self._rows]

    # -- lines -> orders -> days ------------------------------------------------
    def _order_codes(self) -> np.ndarray:
        """One code per (customer, order id); lines without an id by (customer, day, sign).

        A customer's id-less purchase lines of one day are one order and their
        id-less returns of that day another, so returns are set against
        purchases by the day rule whether the purchases carry an id or not.
        Codes follow the order of the keys, so when no line has an order id
        the orders come sorted by customer and day (``_days`` then groups
        them without sorting again).
        """
        customer, id_code, n_ids = self.customer, self._order_id, self._n_ids
        has_id = id_code >= 0
        self._first_day = int(self.day.min())
        self._span = int(self.day.max()) - self._first_day + 1
        id_less_key = 2 * (customer * self._span + (self.day - self._first_day)) \
            + (self.amount < 0)
        if not has_id.any():
            codes, keys = group_codes(id_less_key)
            self._id_less_days = keys // 2  # customer * span + day offset, sorted
            self._order_customer = self._id_less_days // self._span
            self._order_day = self._id_less_days % self._span + self._first_day
            return codes
        self._id_less_days = None
        no_id_offset = (len(self.customers) + 1) * (n_ids + 1)
        codes, keys = group_codes(np.where(has_id, customer * (n_ids + 1) + id_code,
                                            no_id_offset + id_less_key))
        id_less = keys >= no_id_offset
        self._order_customer = np.where(id_less, (keys - no_id_offset) // 2 // self._span,
                                        keys // (n_ids + 1))
        self._order_day = None  # orders with an id may span days: see order_day
        return codes

    @cached_property
    def n_orders(self) -> int:
        return len(self._order_customer)

    @property
    def order_customer(self) -> np.ndarray:
        """Customer code of each order."""
        return self._order_customer

    @cached_property
    def order_amount(self) -> np.ndarray:
        """Net amount of each order (its lines summed, returns negative)."""
        return np.round(np.bincount(self.order, weights=self.amount, minlength=self.n_orders),
                        _NET_DECIMALS)

    @cached_property
    def order_day(self) -> np.ndarray:
        """Day number of each order: the day of its earliest line."""
        if self._order_day is not None:
            return self._order_day
        out = np.full(self.n_orders, np.iinfo(np.int64).max)
        np.minimum.at(out, self.order, self.day)
        return out

    @cached_property
    def _order_has_return(self) -> np.ndarray:
        """Orders with a return line (a negative amount)."""
        negative = self.amount < 0
        if not negative.any():
            return np.zeros(self.n_orders, dtype=bool)
        return np.bincount(self.order[negative], minlength=self.n_orders) > 0

    @cached_property
    def _order_is_free(self) -> np.ndarray:
        """Orders of a zero amount without a return line: a visit that cost nothing."""
        return (self.order_amount == 0) & ~self._order_has_return

    @cached_property
    def _days(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Customer-days of the orders: sorted unique keys, each order's day index, net amounts.

        A day's net amount is what it bought less the returns without an
        order id of that day, when they do not exceed it (a same-day
        cancellation); larger returns belong to earlier purchases and leave
        the day's purchases standing (rule 3 of the module).
        """
        amount = self.order_amount
        returns = amount < 0
        if self._id_less_days is not None and not returns.any():
            # No order ids and no returns: every order is one customer-day, already sorted.
            return self._id_less_days, np.arange(self.n_orders), amount
        if self._id_less_days is not None:  # orders already sorted by customer and day
            runs = np.empty(self.n_orders, dtype=bool)
            runs[:1] = True
            np.not_equal(self._id_less_days[1:], self._id_less_days[:-1], out=runs[1:])
            keys, day_of_order = self._id_less_days[runs], np.cumsum(runs) - 1
        else:
            day_of_order, keys = group_codes(
                self.order_customer * self._span + (self.order_day - self._first_day))
        # Rounded before they are compared, so the order of the lines cannot decide.
        bought = np.round(np.bincount(day_of_order, weights=np.where(amount > 0, amount, 0.0),
                                      minlength=len(keys)), _NET_DECIMALS)
        returned = np.round(-np.bincount(day_of_order, weights=np.where(amount < 0, amount, 0.0),
                                         minlength=len(keys)), _NET_DECIMALS)
        net = np.round(np.where(returned <= bought, bought - returned, bought), _NET_DECIMALS)
        return keys, day_of_order, net

    @cached_property
    def _day_is_purchase(self) -> np.ndarray:
        """For each customer-day of :attr:`_days`: is it a purchase day?"""
        keys, day_of_order, amount = self._days
        has_free = np.bincount(day_of_order[self._order_is_free], minlength=len(keys)) > 0
        return (amount > 0) | ((amount == 0) & has_free)

    @cached_property
    def order_is_purchase(self) -> np.ndarray:
        """True for the purchase orders: an order that buys, on a purchase day."""
        _keys, day_of_order, _net = self._days
        buys = (self.order_amount > 0) | self._order_is_free
        return buys & self._day_is_purchase[day_of_order]

    @cached_property
    def _purchase_days(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        keys, _day_of_order, amount = self._days
        bought = self._day_is_purchase
        keys = keys[bought]
        return keys // self._span, keys % self._span + self._first_day, amount[bought]

    def purchase_days(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The purchase days: customer codes, day numbers and net amounts.

        Sorted by customer, then day; a day's amount is its net amount
        (same-day cancellations deducted, rule 3 of the module).
        """
        return self._purchase_days

    # -- per customer -----------------------------------------------------------
    @cached_property
    def customer_orders(self) -> np.ndarray:
        """Purchase orders of each customer (0 for those without a purchase)."""
        purchase = self.order_is_purchase
        return np.bincount(self.order_customer[purchase], minlength=len(self.customers))

    @cached_property
    def purchase_day_range(self) -> tuple[np.ndarray, np.ndarray]:
        """Day numbers of each customer's first and last purchase day.

        Customers without a purchase get the end day in both, so durations
        computed from them are 0; select the buyers with
        ``customer_orders > 0``.
        """
        n = len(self.customers)
        day_customer, day, _amount = self.purchase_days()
        first = np.full(n, self.end_day, dtype=np.int64)
        last = np.full(n, self.end_day, dtype=np.int64)
        bought = np.zeros(n, dtype=bool)
        bought[day_customer] = True
        first[bought] = np.iinfo(np.int64).max
        last[bought] = np.iinfo(np.int64).min
        np.minimum.at(first, day_customer, day)
        np.maximum.at(last, day_customer, day)
        return first, last

    def per_customer(self) -> pd.DataFrame:
        """One row per observed customer, sorted by id.

        Returns
        -------
        pandas.DataFrame
            ``customer_id`` (text), ``orders`` (purchase orders),
            ``purchase_days``, ``first_purchase`` and ``last_purchase``
            (midnight of the day, NaT without a purchase), ``revenue`` (net:
            all observed lines), ``lines`` and ``return_lines`` (lines with
            a negative amount).
        """
        n = len(self.customers)
        orders = self.customer_orders
        day_customer, _day, _amount = self.purchase_days()
        first, last = self.purchase_day_range
        bought = orders > 0
        first_date = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
        last_date = first_date.copy()
        first_date[bought] = days_to_dates(first[bought])
        last_date[bought] = days_to_dates(last[bought])
        return pd.DataFrame({
            "customer_id": self.customers,
            "orders": orders.astype("int64"),
            "purchase_days": np.bincount(day_customer, minlength=n).astype("int64"),
            "first_purchase": first_date,
            "last_purchase": last_date,
            "revenue": np.round(np.bincount(self.customer, weights=self.amount, minlength=n),
                                _NET_DECIMALS),
            "lines": np.bincount(self.customer, minlength=n).astype("int64"),
            "return_lines": np.bincount(self.customer[self.amount < 0], minlength=n)
            .astype("int64"),
        })

    # -- tables for pandas code ---------------------------------------------------
    def orders_frame(self) -> pd.DataFrame:
        """One row per order: ``customer_id``, ``order``, ``day`` (midnight),
        ``amount`` (net), ``purchase`` (bool), and per numeric column present
        its sum (``margin``, ``quantity``) or maximum (``days_late``)."""
        frame = pd.DataFrame({
            "customer_id": self.customers[self.order_customer],
            "order": np.arange(self.n_orders),
            "day": days_to_dates(self.order_day),
            "amount": self.order_amount,
            "purchase": self.order_is_purchase,
        })
        for column, values in self.numbers.items():
            if column == "days_late":
                late = np.zeros(self.n_orders)
                np.maximum.at(late, self.order, values)
                frame[column] = late
            else:
                frame[column] = np.bincount(self.order, weights=values, minlength=self.n_orders)
        return frame

    def attrs(self) -> dict[str, Any]:
        """The contract's three ``attrs`` entries, for every table built from these lines."""
        return {OBSERVATION_END: self.observation_end,
                LINES_AFTER_END: self.lines_after_end,
                NO_PURCHASE: int((self.customer_orders == 0).sum())}

    def buyers(self, table: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``table`` (one per observed customer, in the order of
        :attr:`customers`) of the customers with a purchase, with :meth:`attrs`."""
        out = table[self.customer_orders > 0].reset_index(drop=True)
        out.attrs.update(self.attrs())
        return out

