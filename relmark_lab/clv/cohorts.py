"""Acquisition cohorts: who of each cohort is still buying, and the layer cake of revenue.

A customer's *cohort* is the calendar period of their first purchase day,
and they are *active* in a period when they have a purchase day in it;
purchase days, returns and cancellations follow the kit's one rule
(:mod:`relmark_lab._orders`), so an order cancelled the same day makes no
one active. Periods here are **calendar periods** (:func:`relmark_lab.units.calendar_period`):
"M" is the calendar month, "Q" the calendar quarter, "W" the week ending on
Sunday, so January and February are two periods however few days apart two
purchases are. The durations of :func:`relmark_lab.clv.summarize` are a
different thing (a number of days divided by the unit's length).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import units
from relmark_lab._orders import ObservedLines, days_to_dates
from relmark_lab._time import NO_PURCHASE

__all__ = ["cohort_retention_table", "layer_cake"]

#: Cohort label of the customers whose lines hold no purchase (returns only).
NO_PURCHASE_COHORT = "no purchase"


def _ordinals(dates: np.ndarray, freq: str) -> np.ndarray:
    """Calendar-period ordinals (pandas Period numbers) of datetime64 values."""
    return pd.DatetimeIndex(dates).to_period(freq).asi8


def _labels(ordinals: np.ndarray, freq: str) -> np.ndarray:
    """Text labels ("2024-01", "2024Q1", ...) of period ordinals."""
    return pd.PeriodIndex.from_ordinals(ordinals, freq=freq).astype(str).to_numpy()


def _first_purchase(lines: ObservedLines) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Purchase days (customer codes, day numbers) and each buyer's first purchase day.

    Returns the customer codes and day numbers of the purchase days, and
    per customer code the day number of the first one (-1 without any).
    """
    codes, days, _ = lines.purchase_days()
    first = np.full(len(lines.customers), -1, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else codes
    first[codes[starts]] = days[starts]  # purchase days are sorted by customer, then day
    return codes, days, first


def _attrs(lines: ObservedLines, first: np.ndarray, **extra: Any) -> dict[str, Any]:
    return {**lines.attrs(), NO_PURCHASE: int((first < 0).sum()), **extra}


def cohort_retention_table(
    transactions: pd.DataFrame,
    observation_end: Any,
    *,
    period: str = "M",
    timezone: Any = None,
) -> pd.DataFrame:
    """Share of each acquisition cohort still buying, by calendar periods since acquisition.

    A customer's cohort is the calendar period of their first purchase day;
    they are active in the k-th period after it when they have a purchase
    day in it. A return never makes a customer active, and an order
    cancelled the same day is no purchase.

    Parameters
    ----------
    transactions : pandas.DataFrame or an engine source
        Columns ``customer_id``, ``date``, ``amount``, optionally ``order_id``;
        lines in an engine (:mod:`relmark_lab.engines`) are counted there.
    observation_end : date-like
        The last observed day (required; the whole day counts). Cells of
        periods after the one holding it are left out (not shown as 0);
        later lines are left out and counted in ``attrs``.
    period : {"M", "Q", "Y", "W", "D"}, default "M"
        Calendar period of a cohort and of the retention steps.
    timezone : str, optional
        The business's time zone; None keeps the clock time each stamp shows.

    Returns
    -------
    pandas.DataFrame
        Tidy, in calendar order: ``cohort`` (period label as text),
        ``periods_since_acquisition``, ``customers`` (cohort size),
        ``active`` and ``share`` (active / customers; 1 at period 0). Pivot
        it for the classic triangle: ``table.pivot(index="cohort",
        columns="periods_since_acquisition", values="share")``. ``attrs``
        holds ``observation_end``, ``lines_after_observation_end``,
        ``customers_without_purchases`` (in no cohort) and ``period``.

    Raises
    ------
    DataError
        If a column is unusable, ``observation_end`` is missing or the
        period is unknown.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [5.0, 7.0, 3.0],
    ...                    "date": pd.to_datetime(["2024-01-03", "2024-02-10", "2024-01-20"])})
    >>> cohort_retention_table(tx, "2024-02-29")[["cohort", "periods_since_acquisition",
    ...                                           "share"]]
        cohort  periods_since_acquisition  share
    0  2024-01                          0    1.0
    1  2024-01                          1    0.5
    """
    unit = units.check_unit(period, name="period")
    freq = units.calendar_period(unit)
    active, cohorts, sizes, attrs, end = _cohort_counts(transactions, observation_end, unit,
                                                        freq, timezone)
    last = pd.Period(end, freq=freq).ordinal
    ages = last - cohorts + 1  # observable periods of each cohort, acquisition included
    cohort = np.repeat(cohorts, ages)
    k = np.concatenate([np.arange(n) for n in ages]) if len(ages) else np.array([], int)
    counts = active.reindex(pd.MultiIndex.from_arrays([cohort, k]), fill_value=0).to_numpy()
    customers = np.repeat(sizes, ages)
    table = pd.DataFrame({
        "cohort": _labels(cohort, freq),
        "periods_since_acquisition": k.astype("int64"),
        "customers": customers.astype("int64"),
        "active": counts.astype("int64"),
        "share": counts / customers,
    })
    table.attrs.update(attrs, period=period)
    return table


def _cohort_counts(transactions: Any, observation_end: Any, unit: str, freq: str,
                   timezone: Any) -> tuple[pd.Series, np.ndarray, np.ndarray, dict, pd.Timestamp]:
    """Active customers by (cohort, periods since acquisition), the cohorts and their sizes,
    the attrs and the end: counted by pandas, or in an engine for an engine source."""
    if not isinstance(transactions, pd.DataFrame):
        from relmark_lab.engines.sources import is_engine_source

        if is_engine_source(transactions):
            from relmark_lab.engines.cohorts import cohort_counts

            return cohort_counts(transactions, observation_end, unit, timezone=timezone)
    lines = ObservedLines(transactions, observation_end, timezone=timezone)
    codes, days, first = _first_purchase(lines)
    buyers = np.flatnonzero(first >= 0)
    cohort_of = np.full(len(first), -1, dtype=np.int64)
    cohort_of[buyers] = _ordinals(days_to_dates(first[buyers]), freq)
    gap = _ordinals(days_to_dates(days), freq) - cohort_of[codes]
    # One (customer, periods since acquisition) pair per active customer and period.
    span = int(gap.max()) + 1 if len(gap) else 1
    pairs = np.unique(codes * span + gap)
    active = pd.Series(1, index=pd.MultiIndex.from_arrays(
        [cohort_of[pairs // span], pairs % span])).groupby(level=[0, 1]).size()
    cohorts, sizes = np.unique(cohort_of[buyers], return_counts=True)
    return active, cohorts, sizes, _attrs(lines, first), lines.observation_end


def layer_cake(
    transactions: pd.DataFrame,
    observation_end: Any,
    *,
    period: str = "M",
    cohort_period: str = "Q",
    timezone: Any = None,
) -> pd.DataFrame:
    """Net revenue by acquisition cohort and calendar period: the data of a layer-cake chart.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Columns ``customer_id``, ``date``, ``amount``, optionally ``order_id``.
    observation_end : date-like
        The last observed day (required; the whole day counts); later lines
        are left out and counted in ``attrs``.
    period : {"M", "Q", "Y", "W", "D"}, default "M"
        Calendar period of the horizontal axis.
    cohort_period : {"Q", "M", "Y", "W", "D"}, default "Q"
        Calendar period that defines a cohort (the customers whose first
        purchase day falls in it).
    timezone : str, optional
        The business's time zone; None keeps the clock time each stamp shows.

    Returns
    -------
    pandas.DataFrame
        Tidy, in calendar order: ``period`` (text label), ``cohort`` (text
        label), ``revenue`` (net: the sum of the lines dated in the period,
        so a return subtracts in the period it happens) and ``customers``
        (cohort members with a purchase day in the period). The revenue of
        customers who never made a purchase (only returns) is kept under
        cohort ``"no purchase"``, so the layers add up to total net revenue.
        ``attrs`` holds ``observation_end``, ``lines_after_observation_end``,
        ``customers_without_purchases``, ``period`` and ``cohort_period``.

    Raises
    ------
    DataError
        If a column is unusable, ``observation_end`` is missing or a period
        is unknown.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [5.0, 7.0, 3.0],
    ...                    "date": pd.to_datetime(["2024-01-03", "2024-05-10", "2024-04-20"])})
    >>> layer_cake(tx, "2024-06-30", period="Q")  # doctest: +NORMALIZE_WHITESPACE
        period  cohort  revenue  customers
    0  2024Q1  2024Q1      5.0          1
    1  2024Q2  2024Q1      7.0          1
    2  2024Q2  2024Q2      3.0          1
    """
    freq = units.calendar_period(units.check_unit(period, name="period"))
    cohort_freq = units.calendar_period(units.check_unit(cohort_period, name="cohort_period"))
    lines = ObservedLines(transactions, observation_end, timezone=timezone)
    codes, days, first = _first_purchase(lines)
    buyers = first >= 0
    # Cohort number of each customer; "no purchase" sorts after every real cohort.
    cohort_of = np.full(len(first), np.iinfo(np.int64).max, dtype=np.int64)
    cohort_of[buyers] = _ordinals(days_to_dates(first[buyers]), cohort_freq)

    revenue = pd.Series(lines.amount).groupby(
        [_ordinals(lines.date, freq), cohort_of[lines.customer]]).sum()
    day_period = _ordinals(days_to_dates(days), freq)
    active = pd.DataFrame({"period": day_period, "cohort": cohort_of[codes], "customer": codes})
    customers = active.drop_duplicates().groupby(["period", "cohort"]).size()
    table = pd.DataFrame({"revenue": revenue,
                          "customers": customers.reindex(revenue.index, fill_value=0)})
    periods = table.index.get_level_values(0).to_numpy()
    cohorts = table.index.get_level_values(1).to_numpy()
    real = cohorts != np.iinfo(np.int64).max
    cohort_labels = np.full(len(cohorts), NO_PURCHASE_COHORT, dtype=object)
    cohort_labels[real] = _labels(cohorts[real], cohort_freq)
    result = pd.DataFrame({
        "period": _labels(periods, freq),
        "cohort": pd.array(cohort_labels, dtype="str"),
        "revenue": table["revenue"].to_numpy(dtype=float),
        "customers": table["customers"].to_numpy(dtype="int64"),
    })
    result.attrs.update(_attrs(lines, first, period=period, cohort_period=cohort_period))
    return result
