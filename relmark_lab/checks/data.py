"""Self-checks for the exercises of lesson 00, the course map.

Each function takes the student's function, runs it on the kit's data and
returns a :class:`~relmark_lab.checks.CheckResult`.

Examples
--------
>>> from relmark_lab.checks import data as check
>>> def count_customers_and_orders(transactions):
...     raise NotImplementedError()
>>> check.count_customers_and_orders(count_customers_and_orders).status
'unanswered'
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from relmark_lab import datasets
from relmark_lab.checks._core import CheckResult, Mistake, check_function

__all__ = [
    "average_order_value",
    "cdnow_repeat_share",
    "count_customers_and_orders",
    "dropped_share_by_reason",
    "net_revenue_by_region",
]


def count_customers_and_orders(func: Callable, data_dir=None) -> CheckResult:
    """Check 00.1: ``(customers who bought, purchase orders)``, returns excluded."""
    lines = datasets.load_transactions(data_dir)
    purchases = lines[lines["amount"] > 0]
    n_customers = lines["customer_id"].nunique()
    expected = (n_customers, purchases["order_id"].nunique())
    mistakes = [
        Mistake(
            (n_customers, len(lines)),
            "you counted order lines, not orders: an order has one to three lines.",
            "count distinct values of order_id with .nunique().",
        ),
        Mistake(
            (n_customers, lines["order_id"].nunique()),
            "returns have their own order_id, so they were counted as orders.",
            "keep the purchase lines (amount > 0) before counting orders.",
        ),
    ]
    return check_function(
        "00.1 count_customers_and_orders", func, [lines], expected,
        hint="one value is transactions['customer_id'].nunique().", mistakes=mistakes,
    )


def net_revenue_by_region(func: Callable, data_dir=None) -> CheckResult:
    """Check 00.2: net revenue (returns subtracted) per region, a Series indexed by region."""
    lines = datasets.load_transactions(data_dir)
    customers = datasets.load_customers(data_dir)
    with_region = lines.merge(customers[["customer_id", "region"]], on="customer_id")
    expected = with_region.groupby("region")["amount"].sum()
    gross = with_region[with_region["amount"] > 0].groupby("region")["amount"].sum()
    mistakes = [
        Mistake(
            gross,
            "returns were left out: net revenue subtracts the negative return lines.",
            "sum every line's amount; returns are already negative.",
        )
    ]
    return check_function(
        "00.2 net_revenue_by_region", func, [lines, customers], expected,
        hint="merge the customers' region onto the lines, then groupby('region')['amount'].sum().",
        mistakes=mistakes, rel_tol=1e-9,
    )


def dropped_share_by_reason(func: Callable, data_dir=None) -> CheckResult:
    """Check 00.3: share of the raw export's rows dropped for each ledger reason."""
    _, ledger = datasets.load_raw_export(data_dir)
    counts = pd.Series(ledger.dropped, dtype="float64")
    mistakes = [
        Mistake(
            counts,
            "these are counts of rows, not shares.",
            "divide each count by ledger.rows_in, the rows the file had.",
        ),
        Mistake(
            counts / ledger.rows_kept,
            "you divided by the rows kept; a share of the file divides by all its rows.",
            "use ledger.rows_in as the denominator.",
        ),
    ]
    return check_function(
        "00.3 dropped_share_by_reason", func, [ledger], counts / ledger.rows_in,
        hint="ledger.dropped is a dict reason -> rows; pd.Series(ledger.dropped) turns it into "
        "a Series.",
        mistakes=mistakes,
    )


def cdnow_repeat_share(func: Callable) -> CheckResult:
    """Check 00.4: share of CDNOW sample customers who bought on two or more days."""
    cdnow = datasets.load_cdnow("sample")
    days = cdnow.groupby("customer_id")["date"].nunique()
    rows = cdnow.groupby("customer_id").size()
    mistakes = [
        Mistake(
            (rows > 1).mean(),
            "you counted records, and a customer can have several records on the same day.",
            "count distinct purchase days per customer: groupby('customer_id')['date'].nunique().",
        ),
        Mistake(
            (days > 1).sum(),
            "that is the number of repeat customers, not their share.",
            "divide by the number of customers, or take the mean of a True/False Series.",
        ),
    ]
    return check_function(
        "00.4 cdnow_repeat_share", func, [cdnow], float((days > 1).mean()),
        hint="a repeat customer has purchases on at least two different dates.", mistakes=mistakes,
    )


def average_order_value(func: Callable, data_dir=None) -> CheckResult:
    """Check 00.5: mean value of a purchase order (sum of its lines), returns excluded."""
    lines = datasets.load_transactions(data_dir)
    purchases = lines[lines["amount"] > 0]
    expected = float(purchases.groupby("order_id")["amount"].sum().mean())
    mistakes = [
        Mistake(
            purchases["amount"].mean(),
            "that is the mean order line; an order's value is the sum of its lines.",
            "group the purchase lines by order_id and sum before taking the mean.",
        ),
        Mistake(
            lines.groupby("order_id")["amount"].sum().mean(),
            "return orders (negative totals) were averaged in with purchases.",
            "keep the lines with amount > 0 first.",
        ),
    ]
    return check_function(
        "00.5 average_order_value", func, [lines], expected,
        hint="sum the lines of each order, then average over orders.", mistakes=mistakes,
    )
