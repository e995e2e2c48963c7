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

__all__ = ["orders", "per_customer", "purchase_days"]

_NET_DECIMALS = 6


def _orders_and_days(lines: Any) -> tuple[Any, Any]:
    """The orders (rules 1-2) and the customer-days with their net and verdict (3-4)."""
    has_id = lines.order_id.notnull()
    keyed = lines.mutate(
        _day_key=ibis.ifelse(has_id, ibis.null("int64"), lines.day),
        _return_key=ibis.ifelse(has_id, ibis.null("boolean"), lines.amount < 0))
    made = keyed.group_by(["customer_id", "order_id", "_day_key", "_return_key"]).aggregate(
        amount=keyed.amount.sum().round(_NET_DECIMALS),
        day=keyed.day.min(),
        has_return=(keyed.amount < 0).any())
    made = made.mutate(free=(made.amount == 0) & ~made.has_return)
    days = made.group_by(["customer_id", "day"]).aggregate(
        bought=ibis.ifelse(made.amount > 0, made.amount, 0.0).sum().round(_NET_DECIMALS),
        returned=(-ibis.ifelse(made.amount < 0, made.amount, 0.0).sum()).round(_NET_DECIMALS),
        has_free=made.free.any())
    days = days.mutate(net=ibis.ifelse(days.returned <= days.bought,
                                       days.bought - days.returned, days.bought)
                       .round(_NET_DECIMALS))
    return made, days.mutate(purchase_day=(days.net > 0) | ((days.net == 0) & days.has_free))


def orders(lines: Any) -> Any:
    """One row per order: ``customer_id``, ``day``, ``amount``, and ``purchase`` (rule 4)."""
    made, days = _orders_and_days(lines)
    joined = made.join(days.select("customer_id", "day", "purchase_day"),
                       ["customer_id", "day"])
    return joined.select("customer_id", "order_id", "day", "amount",
                         purchase=((joined.amount > 0) | joined.free) & joined.purchase_day)


def purchase_days(lines: Any) -> Any:
    """The purchase days: ``customer_id``, ``day`` and ``net`` (same-day cancellations deducted)."""
    _, days = _orders_and_days(lines)
    return days.filter(days.purchase_day).select("customer_id", "day", "net")


def per_customer(lines: Any) -> Any:
    """One row per observed customer: purchase ``orders``, ``first_day``/``last_day`` of their
    purchase days (null without one), ``revenue`` (every line, returns included), ``lines``.
    """
    made = orders(lines)
    bought = made.filter(made.purchase)
    bought = bought.group_by("customer_id").aggregate(
        orders=bought.count(), first_day=bought.day.min(), last_day=bought.day.max())
    spent = lines.group_by("customer_id").aggregate(
        revenue=lines.amount.sum().round(_NET_DECIMALS), lines=lines.count())
    both = spent.left_join(bought, "customer_id")
    return both.select("customer_id", "revenue", "lines",
                       orders=both.orders.fill_null(0), first_day=both.first_day,
                       last_day=both.last_day)
