"""Self-checks for the exercises of lesson 00, the course map.

Each function runs the student's function on the lesson's data and on data the
student has not seen (the simulator with another seed, CDNOW customers drawn
again, channels at new prices) and returns a :class:`~relmark_lab.checks.CheckResult`.
Known mistakes are computed on the same data: lines or days counted as orders,
returns counted as purchases, percentages given for shares.

Examples
--------
>>> from relmark_lab.checks import data as check
>>> def count_customers_and_orders(transactions):
...     raise NotImplementedError()
>>> check.count_customers_and_orders(count_customers_and_orders).status
'unanswered'
"""

from __future__ import annotations

import contextlib
import copy
import io
from collections.abc import Callable

import numpy as np
import pandas as pd

from relmark_lab import datasets
from relmark_lab.checks._acquisition_plan import (
    _budget,
    _channels,
    _per_peso,
    _plan_case,
    _repriced_case,
)
from relmark_lab.checks._cases import kit_cases, unseen_data_dir, unseen_label, unseen_rng
from relmark_lab.checks._compare import compare_answer
from relmark_lab.checks._core import Case, CheckResult, Hints, Mistake, check_function
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = ["acquisition_plan", "average_order_value", "cdnow_repeat_share",
           "count_customers_and_orders", "dropped_share_by_reason", "net_revenue_by_region"]


def _customer_days(lines: pd.DataFrame) -> pd.Series:
    """Each line's (customer, day): what an order would be if the data had no order ids."""
    return lines["customer_id"] + " " + lines["date"].dt.strftime("%Y-%m-%d")


_COUNT_HINTS = {
    (0,): Hints(N_("The number of customers, the first value, is off: a customer is one person "
                   "who bought, counted once however many orders and lines they have."),
                N_("count each customer_id once, over all the lines.")),
    (1,): Hints(N_("The number of orders, the second value, is off: an order is one purchase at "
                   "the till; it can hold one to three lines, and a return undoes a purchase "
                   "instead of being one."),
                N_("keep the lines with a positive amount, then count each order_id once.")),
    (): Hints(N_("Two counts, in this order: the people who bought, then their purchase orders. A "
                 "person places many orders, an order holds several lines, and a return is not a "
                 "purchase."),
              N_("return a tuple (customers, orders): each customer_id once, and each order_id "
                 "that has a purchase line once.")),
}


def _values_off(func: Callable, cases: list[Case]) -> tuple[int, ...]:
    """Which count is off on the first case the answer misses (() if unclear), for the hint."""
    if not callable(func):
        return ()
    for case in cases:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                answer = func(*copy.deepcopy(case.args))
        except Exception:  # the verdict reports it
            return ()
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            return ()
        off = tuple(i for i in (0, 1) if not compare_answer(answer[i], case.expected[i])[0])
        if off:
            return off if len(off) == 1 else ()
    return ()


def count_customers_and_orders(func: Callable, data_dir=None) -> CheckResult:
    """Check 00.1: ``(customers who bought, purchase orders)``, returns excluded."""

    def build(folder):
        lines = datasets.load_transactions(folder)
        purchases = lines[lines["amount"] > 0]
        customers, orders = lines["customer_id"].nunique(), purchases["order_id"].nunique()
        mistakes = [
            Mistake((customers, len(lines)),
                    N_("the number of orders (the second value) is off: you counted order "
                       "lines, and one order holds one to three lines."),
                    N_("count each order_id once, not each line.")),
            Mistake((customers, len(purchases)),
                    N_("the number of orders (the second value) is off: you counted purchase "
                       "lines, and one order holds one to three lines."),
                    N_("count each order_id once, not each line.")),
            Mistake((customers, lines["order_id"].nunique()),
                    N_("the number of orders (the second value) is off: returns have their own "
                       "order_id, so they were counted as purchases."),
                    N_("keep the lines with a positive amount before counting orders.")),
            Mistake((customers, _customer_days(purchases).nunique()),
                    N_("the number of orders (the second value) is off: you counted the days "
                       "each customer bought on; a customer can place two orders on one day, "
                       "and each has its own order number."),
                    N_("count order numbers (order_id), not customer-days.")),
            Mistake((len(lines), orders),
                    N_("the number of customers (the first value) is off: you counted lines, "
                       "and a customer has many lines."),
                    N_("count each customer_id once.")),
            Mistake((orders, customers),
                    N_("the two values are swapped: the tuple holds the customers first, then "
                       "the orders."),
                    N_("return (customers, orders).")),
        ]
        return (lines,), (customers, orders), mistakes

    cases = kit_cases(build, data_dir)
    return check_function("00.1 count_customers_and_orders", func, cases,
                          hints=_COUNT_HINTS[_values_off(func, cases)])


def net_revenue_by_region(func: Callable, data_dir=None) -> CheckResult:
    """Check 00.2: net revenue (returns subtracted) per region, a Series indexed by region."""

    def build(folder):
        lines = datasets.load_transactions(folder)
        customers = datasets.load_customers(folder)
        region = lines["customer_id"].map(customers.set_index("customer_id")["region"])
        by_region = lines.groupby(region.rename("region"))
        amount = lines["amount"]
        mistakes = [
            Mistake(amount.clip(lower=0).groupby(region).sum(),
                    N_("returns were left out: net revenue subtracts what customers got back."),
                    N_("add up every line's amount; return lines are already negative.")),
            Mistake(amount.abs().groupby(region).sum(),
                    N_("returns were counted as sales: a return gives money back, so it lowers "
                       "revenue."),
                    N_("keep the sign of the amount: return lines are negative.")),
            Mistake(by_region["margin"].sum(),
                    N_("you added up the margin; revenue is what customers paid, the amount."),
                    N_("add up the amount column, not the margin.")),
            Mistake(by_region["amount"].mean(),
                    N_("that is the mean line of each region; revenue is the region's total."),
                    N_("add up the amounts instead of averaging them.")),
        ]
        return (lines, customers), by_region["amount"].sum(), mistakes

    return check_function(
        "00.2 net_revenue_by_region", func, kit_cases(build, data_dir),
        hints=Hints(N_("Net revenue is what a region's customers paid, less what they got back "
                       "for returns. The region belongs to the customer, not to the line, so "
                       "every line counts in its customer's region."),
                    N_("give each line its customer's region (a merge on customer_id), then add "
                       "up the amounts per region, returns included.")),
        rel_tol=1e-9,
    )


def dropped_share_by_reason(func: Callable, data_dir=None) -> CheckResult:
    """Check 00.3: share of the raw export's rows dropped for each ledger reason."""

    def build(folder):
        _, ledger = datasets.load_raw_export(folder)
        counts = pd.Series(ledger.dropped, dtype="float64").rename_axis("reason")
        shares = counts / ledger.rows_in
        mistakes = [
            Mistake(counts, N_("these are numbers of rows, not shares of the file."),
                    N_("divide each reason's rows by the rows the file had.")),
            Mistake(counts / ledger.rows_kept,
                    N_("you divided by the rows kept; a share of the file divides by all the "
                       "rows it had, the dropped ones included."),
                    N_("the denominator is ledger.rows_in, the rows the file had.")),
            Mistake(counts / counts.sum(),
                    N_("that is each reason's share of the dropped rows; the question asks for "
                       "its share of all the file's rows."),
                    N_("divide by the rows the file had, not by the rows dropped.")),
            Mistake(100 * shares,
                    N_("these are percentages; a share here is a fraction of the file's rows, "
                       "between 0 and 1 (show it as a percentage only when you print it)."),
                    N_("leave out the multiplication by 100.")),
        ]
        return (ledger,), shares, mistakes

    return check_function(
        "00.3 dropped_share_by_reason", func, kit_cases(build, data_dir),
        hints=Hints(N_("A share of the file is the part of all the rows the export had that "
                       "each reason took: a reason behind 1 row in 1,000 has a share of 0.001. "
                       "Shares, unlike counts, compare the quality of exports of any size."),
                    N_("the ledger counts the rows dropped per reason and the rows the file "
                       "had; put the counts in a Series indexed by reason before you divide.")),
    )


def _cdnow_resample(cdnow: pd.DataFrame, avoid: float, rng: np.random.Generator) -> pd.DataFrame:
    """CDNOW customers drawn again under new ids, with a repeat share unlike ``avoid``.

    One customer with two records on one day is always drawn: records and days differ.
    """
    days = cdnow.groupby("customer_id")["date"].nunique()
    records = cdnow.groupby("customer_id").size()
    n = int(rng.integers(1200, 2000))
    share = avoid + rng.choice([-1, 1]) * rng.uniform(0.05, 0.15)
    repeats = round(n * min(max(share, 0.1), 0.9))
    same_day = days.index[(days == 1) & (records > 1)]
    forced = min(1, len(same_day))
    chosen = np.concatenate([rng.choice(days.index[days > 1], repeats),
                             rng.choice(same_day, forced),
                             rng.choice(days.index[days == 1], n - repeats - forced)])
    rows = cdnow.groupby("customer_id").indices
    sample = cdnow.iloc[np.concatenate([rows[c] for c in chosen])].reset_index(drop=True)
    new_ids = np.repeat([f"R{i:05d}" for i in range(n)], [len(rows[c]) for c in chosen])
    sample["customer_id"] = pd.array(new_ids, dtype=cdnow["customer_id"].dtype)
    return sample


def _repeat_case(label: str, cdnow: pd.DataFrame, seen: bool) -> Case:
    days = cdnow.groupby("customer_id")["date"].nunique()
    share = float((days > 1).mean())
    first = cdnow.groupby("customer_id")["date"].transform("min")
    mistakes = [
        Mistake(float((cdnow.groupby("customer_id").size() > 1).mean()),
                N_("you counted records, and a customer can have several records on one day: a "
                   "repeat buyer came back on another day."),
                N_("count the distinct dates of each customer, not their records.")),
        Mistake(int((days > 1).sum()),
                N_("that is the number of repeat customers, not their share."),
                N_("divide by the number of customers, or take the mean of a True/False "
                   "Series.")),
        Mistake(100 * share,
                N_("that is a percentage; the exercise asks for a share between 0 and 1."),
                N_("leave out the multiplication by 100.")),
        Mistake(float((days > 2).mean()),
                N_("you kept customers with three or more purchase days; two are enough to be a "
                   "repeat buyer."),
                N_("a repeat buyer has two or more distinct dates: `>= 2`, or `> 1`.")),
        Mistake(float((cdnow["date"] > first).mean()),
                N_("that is the share of records that are repeat purchases; the question asks "
                   "for a share of customers."),
                N_("work per customer: one True/False per customer, then its mean.")),
    ]
    return Case(label, (cdnow,), share, tuple(mistakes), seen=seen)


#: How a verdict names each packaged CDNOW table (``datasets.load_cdnow(kind)``).
_CDNOW_LABELS = {"sample": N_("the CDNOW sample"), "master": N_("the CDNOW master")}


def cdnow_repeat_share(func: Callable, kind: str = "sample") -> CheckResult:
    """Check 00.4: share of CDNOW customers who bought on two or more days."""
    cdnow = datasets.load_cdnow(kind)
    lesson = _repeat_case(_CDNOW_LABELS[kind], cdnow, seen=True)  # load_cdnow checked kind
    resample = _cdnow_resample(cdnow, lesson.expected, unseen_rng(4))
    n = resample["customer_id"].nunique()
    unseen = _repeat_case(_("CDNOW customers drawn again, which you have not seen ({count} "
                            "customers)").format(count=f"{n:,}"), resample, seen=False)
    return check_function(
        "00.4 cdnow_repeat_share", func, [lesson, unseen],
        hints=Hints(N_("A repeat buyer came back: they bought on at least two different days. "
                       "CDNOW writes a record per purchase, and two records on one day are still "
                       "one visit. The answer is a share of the customers, between 0 and 1."),
                    N_("count the distinct purchase dates of each customer; the share is the part "
                       "of the customers with two or more.")),
    )


def average_order_value(func: Callable, data_dir=None) -> CheckResult:
    """Check 00.5: mean value of a purchase order (sum of its lines), returns excluded."""

    def build(folder):
        lines = datasets.load_transactions(folder)
        purchases = lines[lines["amount"] > 0]
        orders = purchases.groupby("order_id")["amount"].sum()
        positive_first = N_("keep the lines with a positive amount first.")
        mistakes = [
            Mistake(float(purchases["amount"].mean()),
                    N_("that is the mean order line; an order's value is the total of its "
                       "lines."),
                    N_("add up the lines of each order_id before you average.")),
            Mistake(float(lines.groupby("order_id")["amount"].sum().mean()),
                    N_("return orders (negative totals) were averaged in with the purchases."),
                    positive_first),
            Mistake(float(lines["amount"].abs().groupby(lines["order_id"]).sum().mean()),
                    N_("returns were counted as purchases: a return is money given back, not an "
                       "order placed."),
                    positive_first),
            Mistake(float(purchases.groupby(_customer_days(purchases))["amount"].sum().mean()),
                    N_("you added up each customer's day, not each order: a customer can place "
                       "two orders on one day."),
                    N_("group the purchase lines by order_id, not by day.")),
            Mistake(float(purchases["amount"].sum() / purchases["customer_id"].nunique()),
                    N_("that is revenue per customer; an order's value divides by the number of "
                       "orders."),
                    N_("average over orders: one total per order_id.")),
            Mistake(float(lines["amount"].sum() / len(orders)),
                    N_("returns were subtracted from what the orders bought; they are left out "
                       "of an order's value."),
                    N_("add up only the purchase lines.")),
            Mistake(float(orders.median()),
                    N_("that is the median order; the question asks for the mean."),
                    N_("take the mean of the order totals.")),
        ]
        return (lines,), float(orders.mean()), mistakes

    return check_function(
        "00.5 average_order_value", func, kit_cases(build, data_dir),
        hints=Hints(N_("The average order value is what a customer spends in one purchase: an "
                       "order's value is the total of its lines, averaged over the purchase "
                       "orders. A return is not an order the customer placed."),
                    N_("keep the purchase lines, add up the lines of each order_id, then average "
                       "those totals.")),
    )


_LIST_LIKE = (pd.Index, pd.Series, np.ndarray, tuple)  # stand for the list of their names


def acquisition_plan(func: Callable, data_dir=None, budget: float = 150_000) -> CheckResult:
    """Check 00.6 (a decision): the order in which to spend an acquisition budget on channels.

    Decided on the first signup year, scored on the next year's customers.
    """

    def tables(folder):
        customers, lines = datasets.load_customers(folder), datasets.load_transactions(folder)
        return _channels(customers, lines, 0), _channels(customers, lines, 1)

    table, outcomes = tables(data_dir)
    lesson = _plan_case(N_("the lesson's data"), table, outcomes, float(budget), seen=True)
    # 3,000 customers: in the usual 800, a channel's yearly cohort is too few to rank by.
    other_table, other_outcomes = tables(unseen_data_dir(n_customers=3000))
    unseen = _plan_case(unseen_label(), other_table, other_outcomes,
                        _budget(other_table, 0.25), seen=False)
    repriced = _repriced_case(table, outcomes, _per_peso(table), unseen_rng(6))

    def plan(*args):  # a plan given as an Index or array is read as its list of names
        answer = func(*args)
        return list(answer) if isinstance(answer, _LIST_LIKE) else answer

    return check_function(
        "00.6 acquisition_plan", plan if callable(func) else func, [lesson, unseen, repriced],
        hints=Hints(N_("With a fixed budget, spend first where each peso of acquisition brings "
                       "back the most margin: a channel's customers are worth their first-year "
                       "margin and cost their acquisition cost. A channel whose customers earn "
                       "less than they cost gets nothing."),
                    N_("rank the channels by first-year margin per peso of cost per customer, "
                       "best first, and leave out those that bring back less than a peso per "
                       "peso.")),
    )
