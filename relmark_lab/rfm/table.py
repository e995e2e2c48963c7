"""The RFM table: recency, frequency and monetary value per customer, and their scores.

Lesson 03, sections 1 and 2. :func:`rfm_table` reads transaction lines
through the kit's one rule for orders and returns
(:class:`relmark_lab._orders.ObservedLines`) and scores the three measures
with :func:`score_ntile`, Hughes' quantile scores.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from relmark_lab._orders import ObservedLines
from relmark_lab._validate import require_choice, require_whole_number

__all__ = ["rfm_table", "score_ntile"]

_TIES = ("first", "keep")
#: The most scores a table may have: percentiles.
_MAX_BINS = 100


def _bins(bins: Any) -> int:
    """``bins`` as an int from 2 to :data:`_MAX_BINS`, or DataError."""
    return require_whole_number("bins", bins, low=2, high=_MAX_BINS)


def score_ntile(
    values: pd.Series,
    bins: int = 5,
    *,
    higher_is_better: bool = True,
    ties: Literal["first", "keep"] = "first",
    groups: pd.Series | None = None,
) -> pd.Series:
    """Score values from 1 to ``bins`` by quantiles (equal-sized bins).

    The values are ranked (1 = worst) and the customer of rank ``i`` among
    ``n`` gets ``1 + floor(bins * (i - 1) / n)``, the rule of dplyr's
    ``ntile``: bin sizes differ by at most one.

    Parameters
    ----------
    values : pandas.Series
        One value per customer, in the order ties should be broken.
    bins : int, default 5
        Number of scores, from 2 to 100.
    higher_is_better : bool, default True
        False for recency in days, where a smaller number is better.
    ties : {"first", "keep"}, default "first"
        "first": equal values are ranked in the order they appear
        (``rank(method="first")``), so bins stay equal-sized but equal
        values can get different scores. "keep": equal values share the
        score of the first of them (``rank(method="min")``); bins can then
        be unequal and some scores empty.
    groups : pandas.Series, optional
        Score within each group separately (Hughes' nested scoring).

    Returns
    -------
    pandas.Series
        Integer scores, same index as ``values``.

    Examples
    --------
    >>> score_ntile(pd.Series([10, 20, 30, 40, 50]), bins=5).tolist()
    [1, 2, 3, 4, 5]
    >>> score_ntile(pd.Series([3, 1, 1, 1]), bins=2, ties="keep").tolist()
    [2, 1, 1, 1]
    """
    bins = _bins(bins)
    require_choice("ties", ties, _TIES)
    oriented = values if higher_is_better else -values
    method = "first" if ties == "first" else "min"
    if groups is None:
        rank = oriented.rank(method=method).to_numpy()
        size = np.full(len(values), len(values))
    else:
        grouped = oriented.groupby(np.asarray(groups), sort=False)
        rank = grouped.rank(method=method).to_numpy()
        size = grouped.transform("size").to_numpy()
    scores = 1 + np.floor(bins * (rank - 1) / size).astype("int64")
    return pd.Series(scores, index=values.index, name=values.name)


def rfm_table(
    transactions: pd.DataFrame,
    observation_end: Any,
    *,
    bins: int = 5,
    monetary: Literal["total", "average"] = "total",
    scoring: Literal["independent", "nested"] = "independent",
    ties: Literal["first", "keep"] = "first",
    timezone: str | None = None,
) -> pd.DataFrame:
    """One row per customer with recency, frequency, monetary value and scores.

    Lines become orders and purchase days by the kit's one rule
    (:mod:`relmark_lab._orders`, docs/contract.md): the lines of a customer
    sharing an ``order_id`` are one order, their id-less purchase lines of a
    day another (id-less returns of that day a third); a return nets against
    its own order, or without the order's id cancels that day's purchases up
    to what was bought. A *purchase order* has a positive amount, or is a
    free one, on a *purchase day* (a day left with a positive net, or with
    a free order: a visit); an order cancelled the same day is none.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Order lines with ``customer_id``, ``date`` and ``amount``;
        ``order_id`` is used when present (blank ids are allowed).
    observation_end : str, date or Timestamp
        Last day observed (required); the whole day counts and a time of
        day is ignored. Recency is measured from it. Lines dated later are
        left out and counted in ``attrs["lines_after_observation_end"]``,
        so an earlier end takes a snapshot at that date.
    bins : int, default 5
        Number of scores, from 2 to 100 (5 gives Hughes' quintiles).
    monetary : {"total", "average"}, default "total"
        ``monetary`` is the customer's net revenue, or net revenue per
        purchase order.
    scoring : {"independent", "nested"}, default "independent"
        "independent": R, F and M are each scored over all customers.
        "nested" (Hughes' original sort): R over all customers, F within
        each R score, M within each R-F cell.
    ties : {"first", "keep"}, default "first"
        How equal values are scored, see :func:`score_ntile`. With "first"
        ties are broken by ``customer_id`` (rows are sorted by it): bins
        are equal-sized and reproducible.
    timezone : str, optional
        The business's time zone. None keeps the clock time each stamp
        shows; "Area/City" converts stamps with a UTC offset to that
        zone's clock before they are given a day.

    Returns
    -------
    pandas.DataFrame
        One row per customer with at least one purchase order, sorted by
        ``customer_id`` (a text column), with a RangeIndex and columns

        ``recency_days``
            whole days from the last purchase day to the observation end
            (0 = bought on the last day);
        ``frequency``
            purchase orders;
        ``monetary``
            net revenue, or net revenue per purchase order (see
            ``monetary``);
        ``revenue``
            net revenue: every observed line, returns included;
        ``r_score``, ``f_score``, ``m_score``, ``rfm_score`` (their sum)
            integer scores, higher is better;
        ``rfm_cell``
            the three scores as text, e.g. ``"545"``.

        ``attrs`` holds ``observation_end`` (Timestamp at midnight),
        ``lines_after_observation_end``, ``customers_without_purchases``
        (customers with observed lines but no purchase order: returns
        only, or everything cancelled; they are not rows) and the options
        ``bins``, ``monetary``, ``scoring`` and ``ties``.

    Raises
    ------
    DataError
        A required column is missing or holds unusable values, an option is
        not one of its choices, or no line is dated on or before
        ``observation_end``.

    Examples
    --------
    >>> lines = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b", "c"],
    ...     "date": pd.to_datetime(["2025-01-05", "2025-03-01", "2025-02-01", "2025-03-30"]),
    ...     "amount": [100.0, 50.0, 80.0, 20.0],
    ... })
    >>> table = rfm_table(lines, "2025-03-31", bins=3)
    >>> table[["customer_id", "recency_days", "frequency", "rfm_cell"]]
      customer_id  recency_days  frequency rfm_cell
    0           a            30          2      233
    1           b            58          1      112
    2           c             1          1      321
    """
    bins = _bins(bins)
    require_choice("monetary", monetary, ("total", "average"))
    require_choice("scoring", scoring, ("independent", "nested"))
    require_choice("ties", ties, _TIES)
    inputs, attrs = _buyers(transactions, observation_end, timezone)
    revenue = inputs["revenue"]
    table = pd.DataFrame({
        "customer_id": inputs["customer_id"],
        "recency_days": inputs["recency_days"],
        "frequency": inputs["frequency"],
        "monetary": revenue if monetary == "total" else revenue / inputs["frequency"],
        "revenue": revenue,
    })
    _add_scores(table, bins, scoring, ties)
    table.attrs.update(attrs, bins=bins, monetary=monetary, scoring=scoring, ties=ties)
    return table


def _buyers(transactions: Any, observation_end: Any, timezone: Any
            ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Each buyer's recency in days, purchase orders and net revenue, from pandas or an engine."""
    if not isinstance(transactions, pd.DataFrame):
        from relmark_lab.engines.sources import is_engine_source

        if is_engine_source(transactions):
            from relmark_lab.engines.summaries import rfm_inputs

            return rfm_inputs(transactions, observation_end, timezone=timezone)
    lines = ObservedLines(transactions, observation_end, timezone=timezone)
    customers = lines.buyers(lines.per_customer())
    last = lines.purchase_day_range[1][lines.customer_orders > 0]
    return pd.DataFrame({"customer_id": customers["customer_id"],
                         "recency_days": lines.end_day - last,
                         "frequency": customers["orders"],
                         "revenue": customers["revenue"]}), lines.attrs()


def _add_scores(table: pd.DataFrame, bins: int, scoring: str, ties: str) -> None:
    nested = scoring == "nested"
    r = score_ntile(table["recency_days"], bins, higher_is_better=False, ties=ties)
    f = score_ntile(table["frequency"], bins, ties=ties, groups=r if nested else None)
    rf_cell = r * (bins + 1) + f
    m = score_ntile(table["monetary"], bins, ties=ties, groups=rf_cell if nested else None)
    table["r_score"], table["f_score"], table["m_score"] = r, f, m
    table["rfm_score"] = r + f + m
    separator = "" if bins <= 9 else "-"
    table["rfm_cell"] = (
        r.astype("str") + separator + f.astype("str") + separator + m.astype("str")
    )
