"""From transactions to the per-customer summary the CLV models need.

Every "buy till you die" model in this package (BG/NBD, Pareto/NBD,
gamma-gamma) sees a customer only through four numbers, in the names that
lifetimes and PyMC-Marketing use. They are built from the customer's
*purchase days*, as the kit's one rule for orders and returns
(:mod:`relmark_lab._orders`) defines them: the orders of a customer-day,
returns netted against their own order or against that day, add up to more
than zero. So several orders on one day are one visit, as in the CDNOW
papers (the models describe visits, not order lines); an order cancelled
the same day is no visit; a return on a later day without the order's id
neither removes the visit nor counts as one.

``frequency``
    repeat purchases: purchase days after the first one.
``recency``
    time from the first purchase day to the last one (0 when frequency is 0).
``T``
    time from the first purchase day to the end of the observation (or
    calibration) period: 0 for a customer whose first purchase is on its
    last day, whom every model accepts (with no time to buy again or to
    leave, they add nothing to a fit).
``monetary_value``
    mean net amount of the repeat purchase days. The first purchase is left
    out, as in the gamma-gamma note of Fader & Hardie (2013); customers
    with no repeat purchase get 0 (the gamma-gamma model ignores them).

Durations are measured in whole calendar days and divided by the length of
``time_unit`` as a duration (:mod:`relmark_lab.units`: ``"W"`` is 7 days,
``"M"`` 365.25/12 days): the CDNOW customer who first bought on 1997-01-01
has ``T = 272 / 7 = 38.86`` weeks at 1997-09-30, as in Fader, Hardie & Lee
(2005).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import units
from relmark_lab._orders import ObservedLines
from relmark_lab._time import LINES_AFTER_END, NO_PURCHASE, OBSERVATION_END, observation_end_day
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["summarize"]

_EPOCH = pd.Timestamp("1970-01-01")

#: One customer-day per row: customer (row number), day number, net amount.
Days = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass
class PurchaseHistory:
    """The purchase days of the customers of a calibration period (private).

    ``customers`` are the ids with a purchase day on or before the
    calibration end, sorted; ``calibration`` holds their purchase days up
    to it, built from the lines dated up to it alone; ``holdout`` their
    purchase days after it, from the whole window. Customer numbers index
    ``customers``; both are sorted by customer, then day.
    """

    customers: pd.Index
    calibration: Days
    holdout: Days
    calibration_end: pd.Timestamp
    observation_end: pd.Timestamp
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def starts(self) -> np.ndarray:
        """Position of each customer's first calibration purchase day (every one has one)."""
        codes = self.calibration[0]
        return np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])

    @property
    def first_day(self) -> np.ndarray:
        """Day number of each customer's first purchase day."""
        return self.calibration[1][self.starts]

    @property
    def last_day(self) -> np.ndarray:
        """Day number of each customer's last purchase day in the calibration period."""
        return self.calibration[1][np.r_[self.starts[1:], len(self.calibration[1])] - 1]

    @property
    def is_repeat(self) -> np.ndarray:
        """For each calibration purchase day: is it after the customer's first one?"""
        codes = self.calibration[0]
        return np.r_[False, codes[1:] == codes[:-1]]


def _day_number(day: pd.Timestamp) -> int:
    return int((day - _EPOCH).days)


def _date_of(day_number: int) -> str:
    return str((_EPOCH + pd.Timedelta(days=day_number)).date())


def purchase_history(transactions: pd.DataFrame, observation_end: Any,
                     calibration_end: Any = None, timezone: Any = None) -> PurchaseHistory:
    """Purchase days of the calibration customers, in calibration and holdout (private).

    Raises
    ------
    DataError
        If the lines are unusable, the calibration end is after the
        observation end, or nobody made a purchase by the calibration end.
    """
    lines = ObservedLines(transactions, observation_end, timezone=timezone)
    end = lines.observation_end
    cal_end = end if calibration_end is None else observation_end_day(
        calibration_end, timezone, name="calibration_end")
    if cal_end > end:
        raise DataError(
            _("calibration_end ({calibration_end}) is after observation_end "
              "({observation_end}); the holdout period must follow the calibration period.")
            .format(calibration_end=cal_end.date(), observation_end=end.date()))
    full = lines.purchase_days()
    if not len(full[1]):
        raise DataError(
            _("transactions: none of the {count:,} customers made a purchase (only returns or "
              "cancelled orders); there is nothing to summarize.").format(
                count=len(lines.customers)))
    first = _("the first purchase is on {date}: pass a calibration_end on or after it").format(
        date=_date_of(int(full[1].min())))
    if int(lines.day.min()) > _day_number(cal_end):
        raise DataError(_("transactions: no line is dated on or before calibration_end {date}, "
                          "so no customer had bought by then; {first}.").format(
                              date=cal_end.date(), first=first))
    # The calibration sees only what was known at its end: its own lines, made into orders
    # and purchase days by the one rule, so a holdout return cannot change it.
    cal_lines = lines if cal_end == end else lines.until(cal_end)
    codes, days, amounts = full if cal_lines is lines else cal_lines.purchase_days()
    buyers = np.bincount(codes, minlength=len(cal_lines.customers)) > 0
    if not buyers.any():
        raise DataError(
            _("transactions: none of the {count:,} customers made a purchase on or before "
              "{date} (only returns or cancelled orders); {first}.").format(
                count=len(cal_lines.customers), date=cal_end.date(), first=first))
    customers = cal_lines.customers[buyers]
    number = np.cumsum(buyers) - 1  # the customers' numbers among the buyers
    calibration = (number[codes], days, amounts)

    if cal_lines is lines:  # no holdout
        empty = np.array([], dtype=np.int64)
        holdout, first_in_holdout = (empty, empty, np.array([], dtype=float)), 0
    else:
        later = full[1] > _day_number(cal_end)
        row = customers.get_indexer(lines.customers)[full[0][later]]  # -1: not a customer yet
        known = row >= 0
        holdout = (row[known], full[1][later][known], full[2][later][known])
        first_in_holdout = len(np.unique(full[0][later][~known]))
    attrs = {
        OBSERVATION_END: lines.observation_end,
        LINES_AFTER_END: lines.lines_after_end,
        NO_PURCHASE: len(lines.customers) - len(customers) - first_in_holdout,
        "calibration_end": cal_end,
        "customers_first_buying_in_holdout": first_in_holdout,
    }
    return PurchaseHistory(customers, calibration, holdout, cal_end, end, attrs)


def summarize(
    transactions: pd.DataFrame,
    observation_end: Any,
    *,
    calibration_end: Any = None,
    time_unit: str = "W",
    timezone: Any = None,
    compress: bool = False,
) -> pd.DataFrame:
    """Summarize transactions into frequency, recency, T and monetary value per customer.

    Parameters
    ----------
    transactions : pandas.DataFrame or an engine source
        One row per order line with columns ``customer_id``, ``date`` and
        ``amount``, optionally ``order_id`` (the output of
        :func:`relmark_lab.read_transactions`). Lines become orders and
        purchase days by the kit's one rule (:mod:`relmark_lab._orders`):
        returns are netted, not dropped. Lines that live in an engine (an
        Ibis table, a Parquet file or folder, a Spark DataFrame; a DuckDB
        database through :func:`relmark_lab.engines.engine_table` with its
        query) are summarized there by the same rule (:mod:`relmark_lab.engines`),
        and only the per-customer rows come back.
    observation_end : date-like
        Last day of observation (required; the whole day counts). ``T`` (or
        the holdout) is measured up to this day; later lines are left out
        and counted in ``attrs["lines_after_observation_end"]``.
    calibration_end : date-like, optional
        Last day of the calibration period. When given, ``frequency``,
        ``recency``, ``T`` and ``monetary_value`` describe the calibration
        period only, built from the lines dated up to it (a return in the
        holdout cannot change them), and three holdout columns are added
        from the whole window: ``frequency_holdout`` (purchase days after
        ``calibration_end``), ``monetary_value_holdout`` (their mean net
        amount, 0 if none) and ``duration_holdout`` (length of the holdout).
        Customers whose first purchase falls in the holdout are not in the
        summary (they were not customers at calibration time); their number
        is in ``attrs``.
    time_unit : {"W", "D", "M", "Q", "Y"}, default "W"
        Unit of ``recency``, ``T`` and ``duration_holdout``, as a duration
        (see :mod:`relmark_lab.units`).
    timezone : str, optional
        The business's time zone; None keeps the clock time each stamp shows.
    compress : bool, default False
        Return the purchase model's patterns instead: one row per distinct
        (``frequency``, ``recency``, ``T``), sorted, with ``weights`` (the
        customers sharing it), which every CLV estimator fits directly;
        millions of customers often share tens of thousands of patterns.

    Returns
    -------
    pandas.DataFrame
        One row per customer with a purchase day by the calibration end,
        sorted by ``customer_id`` (text), with columns ``customer_id``,
        ``frequency`` (int), ``recency``, ``T``, ``monetary_value``
        [+ holdout columns]. ``attrs``: ``observation_end`` and
        ``calibration_end`` (Timestamps), ``lines_after_observation_end``,
        ``customers_first_buying_in_holdout``, ``customers_without_purchases``
        (the other observed customers, with no purchase day: only returns,
        or everything cancelled; rows and the two counts add up to every
        observed customer) and ``time_unit``.

    Raises
    ------
    DataError
        If a column is missing or not usable, ``observation_end`` is
        missing, the time unit is unknown, the calibration end is after the
        observation end, or nobody bought by the calibration end.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...                    "date": pd.to_datetime(["2024-01-01", "2024-01-01",
    ...                                            "2024-01-15", "2024-01-08"]),
    ...                    "amount": [10.0, 5.0, 20.0, 7.0]})
    >>> summarize(tx, "2024-01-29")
      customer_id  frequency  recency    T  monetary_value
    0           a          1      2.0  4.0            20.0
    1           b          0      0.0  3.0             0.0
    """
    if not isinstance(transactions, pd.DataFrame):
        from relmark_lab.engines.sources import is_engine_source

        if is_engine_source(transactions):
            from relmark_lab.engines.summaries import summarize as summarize_in_engine

            return summarize_in_engine(transactions, observation_end,
                                       calibration_end=calibration_end, time_unit=time_unit,
                                       timezone=timezone, compress=compress)
    if compress and calibration_end is not None:
        raise DataError(_("compress=True gives the purchase model's patterns; the holdout "
                          "check needs each customer. Leave out calibration_end or compress."))
    step = units.days_per_unit(time_unit)
    history = purchase_history(transactions, observation_end, calibration_end, timezone)
    n = len(history.customers)
    codes, _days, amounts = history.calibration
    repeat = history.is_repeat
    first, last = history.first_day, history.last_day
    frequency = np.bincount(codes[repeat], minlength=n)
    spend = np.bincount(codes[repeat], weights=amounts[repeat], minlength=n)
    cal_day = _day_number(history.calibration_end)

    summary = pd.DataFrame(
        {
            "customer_id": history.customers,
            "frequency": frequency.astype("int64"),
            "recency": (last - first) / step,
            "T": (cal_day - first) / step,
            "monetary_value": np.divide(spend, frequency, out=np.zeros(n),
                                        where=frequency > 0),
        }
    )
    if calibration_end is not None:
        h_codes, _days, h_amounts = history.holdout
        freq_holdout = np.bincount(h_codes, minlength=n)
        spend_holdout = np.bincount(h_codes, weights=h_amounts, minlength=n)
        summary["frequency_holdout"] = freq_holdout.astype("int64")
        summary["monetary_value_holdout"] = np.divide(
            spend_holdout, freq_holdout, out=np.zeros(n), where=freq_holdout > 0
        )
        summary["duration_holdout"] = (
            history.observation_end - history.calibration_end).days / step
    summary.attrs.update(history.attrs, time_unit=time_unit)
    return _patterns(summary) if compress else summary


def _patterns(summary: pd.DataFrame) -> pd.DataFrame:
    """The distinct (frequency, recency, T) of a summary, sorted, with the customers of each."""
    keys = ["frequency", "recency", "T"]
    patterns = summary.groupby(keys, sort=True).size().rename("weights").reset_index()
    patterns["weights"] = patterns["weights"].astype("float64")
    patterns.attrs.update(summary.attrs)
    return patterns

