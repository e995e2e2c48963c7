"""Lines to orders to purchase days, in an engine: the kit's one rule, written once in Ibis.

The same rule as :mod:`relmark_lab._orders` (read its module docstring for
the why), as expressions any Ibis backend runs:

1. an order is a customer's lines sharing an ``order_id``; id-less lines
   make one order per customer, day and sign (purchases, returns);
2. an order's amount is its lines' sum, rounded to 6 decimals (so a
   cancellation of the same total nets to exactly 0), dated by its first line;
3. a customer-day's net amount is what it bought less its returns when they
   do not exceed it (a same-day cancellation), else what it bought;
4. a purchase day nets above 0 or holds a free order (0, no return line); a
   purchase order buys (a positive amount, or free) on a purchase day.

Examples
--------
>>> import ibis
>>> lines = ibis.memtable({"customer_id": ["a", "a", "a"], "day": [1, 1, 2],
...                        "amount": [10.0, -10.0, 5.0], "order_id": [None, None, None]})
>>> purchase_days(lines).order_by("day").to_pandas()
  customer_id  day  net
0           a    2  5.0
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.datatypes as dt

__all__ = ["orders", "per_customer", "purchase_days"]

_NET_DECIMALS = 6
_EXACT = dt.Decimal(38, _NET_DECIMALS)
_DAY_SHIFT = ibis.literal(10**20, type=dt.Decimal(38, 0))  # above any day's net


def _orders_and_days(lines: Any, numbers: tuple[str, ...] = ()) -> tuple[Any, Any]:
    """The orders (rules 1-2) and the customer-days with their net and verdict (3-4).

    Each customer-day also carries what the per-customer tables add up, so
    they need no join back to the orders or the lines: its ``buying_orders``
    (orders with a positive amount, or free), its ``lines``, ``return_lines``
    and ``gross`` (the unrounded sum of its lines). An order also sums the
    line ``numbers`` columns (``days_late``: their maximum), as the pandas path does.
    """
    has_id = lines.order_id.notnull()
    keyed = lines.mutate(
        _day_key=ibis.ifelse(has_id, ibis.null("int64"), lines.day),
        _return_key=ibis.ifelse(has_id, ibis.null("boolean"), lines.amount < 0))
    returning = keyed.amount < 0
    made = keyed.group_by(["customer_id", "order_id", "_day_key", "_return_key"]).aggregate(
        amount=keyed.amount.sum().round(_NET_DECIMALS),
        gross=keyed.amount.sum(),
        day=keyed.day.min(),
        has_return=returning.any(),
        lines=keyed.count(),
        return_lines=ibis.ifelse(returning, 1, 0).sum(),
        **{column: keyed[column].max() if column == "days_late" else keyed[column].sum()
           for column in numbers})
    made = made.mutate(free=(made.amount == 0) & ~made.has_return)
    buys = (made.amount > 0) | made.free
    days = made.group_by(["customer_id", "day"]).aggregate(
        bought=ibis.ifelse(made.amount > 0, made.amount, 0.0).sum().round(_NET_DECIMALS),
        returned=(-ibis.ifelse(made.amount < 0, made.amount, 0.0).sum()).round(_NET_DECIMALS),
        has_free=made.free.any(),
        buying_orders=ibis.ifelse(buys, 1, 0).sum(),
        gross=made.gross.sum(), lines=made.lines.sum(), return_lines=made.return_lines.sum())
    days = days.mutate(net=ibis.ifelse(days.returned <= days.bought,
                                       days.bought - days.returned, days.bought)
                       .round(_NET_DECIMALS))
    return made, days.mutate(purchase_day=(days.net > 0) | ((days.net == 0) & days.has_free))


def orders(lines: Any, numbers: tuple[str, ...] = ()) -> Any:
    """One row per order: ``customer_id``, ``order_id``, ``day``, ``amount``, ``purchase``
    (rule 4), ``gross``, ``lines``, ``return_lines`` and the ``numbers`` columns."""
    made, days = _orders_and_days(lines, tuple(numbers))
    joined = made.join(days.select("customer_id", "day", "purchase_day"),
                       ["customer_id", "day"])
    return joined.select("customer_id", "order_id", "day", "amount",
                         purchase=((joined.amount > 0) | joined.free) & joined.purchase_day,
                         gross=joined.gross, lines=joined.lines,
                         return_lines=joined.return_lines,
                         **{column: joined[column] for column in numbers})


def purchase_days(lines: Any) -> Any:
    """The purchase days: ``customer_id``, ``day`` and ``net`` (same-day cancellations deducted)."""
    _, days = _orders_and_days(lines)
    return days.filter(days.purchase_day).select("customer_id", "day", "net")


def per_customer(lines: Any) -> Any:
    """One row per observed customer, from one chain of aggregations (no join).

    Columns: ``orders`` (purchase orders), ``purchase_days``, ``first_day`` and
    ``last_day`` of them (null without one), ``repeat_spend`` (the net of the
    purchase days after the first; null without a purchase), ``revenue``
    (every line, returns included), ``lines`` and ``return_lines``.
    """
    _, days = _orders_and_days(lines)
    buys = days.purchase_day
    # The repeat days' net is the total less the first day's, in exact decimals: floats
    # would leave a rounding residue where a large first purchase meets small repeats.
    # The first day's net comes from one min over (day, net) packed as one decimal, day in
    # the high digits (a purchase day nets at least 0): an arg-min compiles to an ordered
    # aggregate, which sorts every customer's days.
    exact = days.net.cast(_EXACT)
    packed = ibis.ifelse(buys, days.day.cast(_EXACT) * _DAY_SHIFT + exact, ibis.null(_EXACT))
    first_day = days.day.min(where=buys)
    repeat = exact.sum(where=buys) - (packed.min() - first_day.cast(_EXACT) * _DAY_SHIFT)
    return days.group_by("customer_id").aggregate(
        orders=ibis.ifelse(buys, days.buying_orders, 0).sum(),
        purchase_days=ibis.ifelse(buys, 1, 0).sum(),
        first_day=first_day, last_day=days.day.max(where=buys),
        repeat_spend=repeat.cast("float64"),
        revenue=days.gross.sum().round(_NET_DECIMALS),
        lines=days.lines.sum(), return_lines=days.return_lines.sum())
