"""Kaplan's whale curve and the customers whose relationship destroys value.

Lesson 02, sections 2 and 3. Customers ranked from the most to the least
profitable, their profit added up, draw the *whale curve*
(:func:`whale_curve`, key figures in :func:`whale_summary`); the customers
below the profitability threshold make the case for ending a relationship
(:func:`profit_groups`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab._validate import require_number
from relmark_lab.differentiate._tables import customer_numbers
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import gettext as _

__all__ = ["profit_groups", "whale_curve", "whale_summary"]

_GROUPS = ["creates value", "destroys value"]


def _profit_series(profitability: pd.DataFrame, profit: str) -> pd.Series:
    """Each customer's profit, indexed by ``customer_id`` (text)."""
    values = customer_numbers(profitability, [profit], "profitability table", unique=False)
    if values.empty:
        raise DataError(_("The profitability table has 0 rows, so column {column!r} has no "
                          "customers to rank.").format(column=profit))
    return values.set_index("customer_id")[profit]


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
        raise DataError(_("profitability table: the total of column {column!r} over the "
                          "{count} customers is {total:,.2f}, not positive, so shares of it "
                          "cannot be drawn as a whale curve; e.g. customer {example} has "
                          "{value:,.2f}.").format(column=profit, count=len(values), total=total,
                                                  example=describe_example(values.index[0]),
                                                  value=values.iloc[0]))
    ranked = values.rename_axis("customer_id").reset_index()
    ranked = ranked.sort_values([profit, "customer_id"], ascending=[False, True], kind="stable")
    curve = pd.DataFrame({
        "rank": np.arange(1, len(ranked) + 1),
        "customer_id": ranked["customer_id"].to_numpy(),
        "profit": ranked[profit].to_numpy(),
    }).astype({"customer_id": values.index.dtype})
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
        Output of :func:`~relmark_lab.differentiate.customer_profitability`
        (or any table with ``customer_id`` and ``profit``; ``revenue`` and
        ``cost_to_serve`` are summed when present).
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
    threshold = require_number("threshold", threshold)
    extra = [c for c in ("revenue", "cost_to_serve") if c in profitability.columns]
    values = _profit_series(profitability, profit)
    frame = customer_numbers(profitability, [profit, *extra], "profitability table",
                             unique=False).drop(columns="customer_id")
    frame = frame.rename(columns={profit: "profit"}).reset_index(drop=True)
    label = pd.Categorical(np.where(values.to_numpy() >= threshold, *_GROUPS),
                           categories=_GROUPS)
    grouped = frame.groupby(label, observed=False)
    table = grouped.sum()
    table.insert(0, "customers", grouped.size())
    table.insert(1, "customer_share", table["customers"] / len(values))
    table.insert(3, "mean_profit", table["profit"] / table["customers"].where(
        table["customers"] > 0))
    return table.rename_axis("group").reset_index()
