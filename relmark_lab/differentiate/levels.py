"""Relationship levels: how close a relationship each segment warrants, from its size and margin.

Lesson 02, section 11. The course notes (seed 001): a firm with many
customers of low margin builds *basic relationships (relaciones básicas)*
with them; where customers are few and margins wide it builds *full
partnerships (sociedades completas)* with the most important ones. Kotler's
grid fills in the levels between: basic, reactive, accountable, proactive
and partnership, by number of customers (many, medium, few) and margin per
customer (low, medium, high).

:func:`relationship_levels` places each segment (a value tier, an RFM
segment) on that grid with explicit, documented cuts.

Examples
--------
>>> segments = pd.DataFrame({"segment": ["mass", "core", "key"],
...                          "customers": [4000, 900, 100],
...                          "margin_per_customer": [150.0, 500.0, 6000.0]})
>>> relationship_levels(segments)[["segment", "how_many", "margin_level", "level"]]
  segment how_many margin_level        level
0    mass     many          low        basic
1    core   medium       medium  accountable
2     key      few         high  partnership
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab._validate import require_columns, require_number, require_numbers
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["LEVEL_GRID", "LEVEL_MEANING", "RELATIONSHIP_LEVELS", "relationship_levels"]

#: From the loosest to the closest relationship.
RELATIONSHIP_LEVELS = ("basic", "reactive", "accountable", "proactive", "partnership")
#: Kotler's grid: (number of customers, margin per customer) -> level.
LEVEL_GRID = {
    ("many", "low"): "basic", ("many", "medium"): "reactive", ("many", "high"): "accountable",
    ("medium", "low"): "reactive", ("medium", "medium"): "accountable",
    ("medium", "high"): "proactive",
    ("few", "low"): "accountable", ("few", "medium"): "proactive", ("few", "high"): "partnership",
}
#: What each level means in practice (Kotler & Keller's definitions, in short).
LEVEL_MEANING = {
    "basic": "sells the product and does not follow up",
    "reactive": "sells and invites the customer to call with questions or complaints",
    "accountable": "calls the customer after the sale to check the product met expectations",
    "proactive": "contacts the customer from time to time with improvements and new uses",
    "partnership": "works continuously with the customer to deliver more value",
}


def relationship_levels(segments: pd.DataFrame, *, customers: str = "customers",
                        margin: str = "margin_per_customer", many_share: float = 0.25,
                        few_share: float = 0.05, high_multiple: float = 2.0,
                        low_multiple: float = 0.5) -> pd.DataFrame:
    """The relationship level each segment warrants, from its size and margin per customer.

    A segment has **many** customers when it holds at least ``many_share``
    of all customers in the table, **few** below ``few_share``, else
    **medium**. Its margin per customer is **high** at or above
    ``high_multiple`` times the base's average margin per customer (all
    customers of the table), **low** below ``low_multiple`` times it (a
    negative margin is always low), else **medium**. The pair gives the
    level by :data:`LEVEL_GRID`.

    Parameters
    ----------
    segments : pandas.DataFrame
        One row per segment with the number of customers and the margin
        (or profit) per customer, e.g. ``value_by_segment`` output.
    customers, margin : str
        The two columns.
    many_share, few_share : float, default 0.25 and 0.05
        Shares of all customers that make a segment many / few.
    high_multiple, low_multiple : float, default 2.0 and 0.5
        Multiples of the average margin per customer that make a margin high / low.

    Returns
    -------
    pandas.DataFrame
        ``segments`` with ``customer_share``, ``margin_multiple``,
        ``how_many`` and ``margin_level`` (the two grid coordinates),
        ``level`` and ``meaning``.
        ``attrs["average_margin"]`` is the base's margin per customer.

    Examples
    --------
    >>> tiers = pd.DataFrame({"tier": ["A", "B"], "customers": [10, 990],
    ...                       "margin_per_customer": [50_000.0, 300.0]})
    >>> relationship_levels(tiers)["level"].tolist()  # 1% of customers, 63 x the average
    ['partnership', 'basic']
    """
    require_columns(segments, [customers, margin], "segments")
    if segments.empty:
        raise DataError(_("segments: the table has no rows; give one row per segment."))
    counts = require_numbers(segments, customers, "segments", low=0)
    margins = require_numbers(segments, margin, "segments")
    few_share = require_number("few_share", few_share, low=0, low_open=True)
    many_share = require_number("many_share", many_share, low=few_share, high=1)
    low_multiple = require_number("low_multiple", low_multiple, low=0)
    high_multiple = require_number("high_multiple", high_multiple, low=low_multiple,
                                   low_open=True)
    total = counts.sum()
    if total <= 0:
        raise DataError(_("segments: column {column!r} adds up to no customers.")
                        .format(column=customers))
    average = float((counts * margins).sum() / total)
    if average <= 0:
        raise DataError(_("segments: the average {column!r} per customer is {average:,.2f}, "
                          "not positive, so no margin is 'high' relative to it. Place the "
                          "profitable segments on their own, or pass margins that are "
                          "positive.").format(column=margin, average=average))
    share = counts / total
    multiple = margins / average
    placed = segments.copy()
    placed["customer_share"] = share.to_numpy()
    placed["margin_multiple"] = multiple.to_numpy()
    placed["how_many"] = np.select([share >= many_share, share < few_share], ["many", "few"],
                               "medium")
    placed["margin_level"] = np.select([multiple >= high_multiple, multiple < low_multiple],
                                 ["high", "low"], "medium")
    placed["level"] = [LEVEL_GRID[key] for key in zip(placed["how_many"], placed["margin_level"],
                                                      strict=True)]
    placed["meaning"] = placed["level"].map(LEVEL_MEANING)
    placed.attrs = {**segments.attrs, "average_margin": average}
    return placed
