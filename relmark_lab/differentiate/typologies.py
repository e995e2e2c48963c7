"""Customer typologies: Reinartz–Kumar's loyalty x profit, Jones–Sasser's satisfaction x loyalty.

Lesson 02, sections 5 and 7. Projected loyalty comes from purchase history
(:func:`projected_loyalty`); crossed with profit it places customers among
strangers, butterflies, true friends and barnacles (:func:`reinartz_kumar`),
crossed with a survey's satisfaction among apostles, mercenaries, hostages,
terrorists and the indifferent (:func:`satisfaction_loyalty`).
:func:`value_by_segment` sums and averages any value per segment.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import units
from relmark_lab._orders import ObservedLines
from relmark_lab._validate import (
    require_choice,
    require_columns,
    require_number,
    require_numbers,
    with_missing_label,
)
from relmark_lab.differentiate._tables import customer_numbers, survey_scale
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = [
    "JONES_SASSER_TYPES",
    "REINARTZ_KUMAR_QUADRANTS",
    "projected_loyalty",
    "reinartz_kumar",
    "satisfaction_loyalty",
    "value_by_segment",
]

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


def projected_loyalty(
    transactions: pd.DataFrame,
    observation_end: Any,
    *,
    method: str = "recency",
    time_unit: str = "W",
    timezone: str | None = None,
) -> pd.DataFrame:
    """A projected-loyalty score per customer from purchase history alone.

    Reinartz and Kumar classify customers by how long the relationship is
    likely to last. Two transparent proxies are offered (lesson 04 fits the
    BG/NBD model, which does it properly), both built on the customer's
    *purchase days*, by the kit's one rule for orders and returns
    (:mod:`relmark_lab._orders`, docs/contract.md):

    * ``"recency"`` — the *active share of tenure*, ``recency / T``: the time
      from the first to the last purchase day over the time from the first
      purchase day to ``observation_end``, both in whole days. It runs from
      0 to 1: 1 = bought again on the last observed day; 0 = bought on one
      day only.
    * ``"frequency"`` — *tenure-adjusted frequency*, ``frequency / T``:
      repeat purchase days per ``time_unit`` since the first purchase.

    A customer whose first purchase day is the observation end itself has
    ``T`` = 0 and no repeat evidence yet: like a one-time buyer, their
    ``projected_loyalty`` is 0 under both proxies.

    ``frequency``, ``recency`` and ``T`` mean what they mean in
    :func:`relmark_lab.clv.summarize` (and lifetimes): ``T`` in days is the
    ``tenure_days`` of :mod:`relmark_lab.identify`.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Order lines with ``customer_id``, ``date`` and ``amount`` (returns
        negative); ``order_id`` groups lines into orders.
    observation_end : date-like
        The last observed day (the whole day counts). Lines dated later are
        left out and counted.
    method : {"recency", "frequency"}, default "recency"
        Which proxy goes into ``projected_loyalty``.
    time_unit : {"D", "W", "M", "Q", "Y"}, default "W"
        Unit of ``recency`` and ``T`` (see :mod:`relmark_lab.units`).
    timezone : str, optional
        The business's time zone for the dates (None keeps the clock time
        each date shows).

    Returns
    -------
    pandas.DataFrame
        One row per customer with a purchase: ``customer_id`` (text),
        ``frequency`` (repeat purchase days), ``recency`` and ``T`` (in
        ``time_unit``), ``projected_loyalty``. ``.attrs`` holds
        ``observation_end``, ``lines_after_observation_end``,
        ``customers_without_purchases`` (left out: no purchase to measure
        from) and ``time_unit``.

    Raises
    ------
    DataError
        If a column is missing or holds unusable values, or ``method`` or
        ``time_unit`` is not one of its choices.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-01-01"]),
    ...     "amount": [10.0, 10.0, 10.0]})
    >>> projected_loyalty(tx, "2024-01-29")["projected_loyalty"].tolist()
    [0.5, 0.0]
    >>> projected_loyalty(tx, "2024-01-01")["projected_loyalty"].tolist()  # T = 0: no evidence
    [0.0, 0.0]
    """
    require_choice("method", method, ("recency", "frequency"))
    days = units.days_per_unit(units.check_unit(time_unit))
    lines = ObservedLines(transactions, observation_end, timezone=timezone)
    per = lines.per_customer()
    first, last = lines.purchase_day_range
    table = lines.buyers(pd.DataFrame({
        "customer_id": per["customer_id"],
        "frequency": np.maximum(per["purchase_days"].to_numpy() - 1, 0),
        "recency": (last - first) / days,
        "T": (lines.end_day - first) / days,
    }))
    ratio = table["recency"] if method == "recency" else table["frequency"]
    # First bought on the last observed day: T = 0, no repeat evidence yet, so 0.
    tenure = table["T"].where(table["T"] > 0)
    table["projected_loyalty"] = (ratio / tenure).fillna(0.0)
    table.attrs["time_unit"] = time_unit
    return table


def _split(values: pd.Series, threshold: float | None, name: str) -> tuple[pd.Series, float]:
    """High = strictly above the threshold (the median when None)."""
    cut = float(values.median()) if threshold is None else require_number(name, threshold)
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
        column (e.g. :func:`~relmark_lab.differentiate.customer_profitability`
        merged with :func:`projected_loyalty`).
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
    values = customer_numbers(frame, [profit, loyalty], "customer table")
    out = frame.assign(customer_id=values["customer_id"])
    out["high_profit"], profit_cut = _split(values[profit], profit_threshold, "profit_threshold")
    out["high_loyalty"], loyalty_cut = _split(values[loyalty], loyalty_threshold,
                                              "loyalty_threshold")
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
    low, high = survey_scale(scale)
    satisfied_from = require_number("satisfied_from", satisfied_from)
    dissatisfied_to = require_number("dissatisfied_to", dissatisfied_to)
    if not low <= dissatisfied_to < satisfied_from <= high:
        raise DataError(_("satisfied_from={satisfied_from:g} must be above dissatisfied_to="
                          "{dissatisfied_to:g}, both inside the scale {low}–{high}.")
                        .format(satisfied_from=satisfied_from, dissatisfied_to=dissatisfied_to,
                                low=low, high=high))
    values = customer_numbers(frame, [loyalty], "survey table")
    scores = require_numbers(frame, satisfaction, "survey table", low=low, high=high,
                             integer=True)
    out = frame.assign(customer_id=values["customer_id"])
    out["loyal"], cut = _split(values[loyalty], loyalty_threshold, "loyalty_threshold")
    satisfied = scores >= satisfied_from
    dissatisfied = scores <= dissatisfied_to
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


def value_by_segment(
    frame: pd.DataFrame, by: str, values: Sequence[str] = ("profit",)
) -> pd.DataFrame:
    """Customers, their share, and the total and mean of values per segment.

    Named apart from :func:`relmark_lab.rfm.segment_summary`, which profiles
    RFM segments by their recency, frequency and money.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per customer with the segment column (a categorical keeps
        its empty categories as rows with 0 customers).
    by : str
        Segment column, e.g. ``"quadrant"``, ``"type"`` or ``"tier"``.
    values : sequence of str, default ("profit",)
        Columns whose sum and mean per segment are reported.

    Returns
    -------
    pandas.DataFrame
        The ``by`` column, ``customers``, ``customer_share`` and, per value
        column, ``<col>_total`` and ``<col>_mean``. Missing segment labels
        are counted under "(missing)", never dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"customer_id": list("abc"), "seg": ["x", "x", "y"],
    ...                   "profit": [1.0, 3.0, 5.0]})
    >>> value_by_segment(f, "seg")["profit_mean"].tolist()
    [2.0, 5.0]
    """
    values = [values] if isinstance(values, str) else list(values)
    require_columns(frame, [by, *values], "customer table")
    numbers = pd.DataFrame({column: require_numbers(frame, column, "customer table",
                                                    allow_missing=True)
                            for column in values}, index=frame.index)
    grouped = numbers.groupby(with_missing_label(frame[by]), observed=False)
    table = pd.DataFrame({"customers": grouped.size()})
    table["customer_share"] = table["customers"] / max(len(frame), 1)
    for column in values:
        table[f"{column}_total"] = grouped[column].sum()
        table[f"{column}_mean"] = grouped[column].mean()
    return table.rename_axis(by).reset_index()
