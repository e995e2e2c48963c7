"""From transactions to the per-customer summary the CLV models need.

Every "buy till you die" model in this package (BG/NBD, Pareto/NBD,
gamma-gamma) sees a customer only through four numbers, in the names that
lifetimes and PyMC-Marketing use:

``frequency``
    repeat purchases: purchase *days* after the first one. Several orders on
    the same day count once (their amounts are added), as in the CDNOW
    papers, because the models describe visits, not order lines.
``recency``
    time from the first purchase to the last one (0 when frequency is 0).
``T``
    time from the first purchase to the end of the observation (or
    calibration) period.
``monetary_value``
    mean amount of the repeat purchase days. The first purchase is left
    out, as in the gamma-gamma note of Fader & Hardie (2013); customers
    with no repeat purchase get 0 (the gamma-gamma model ignores them).

Durations are measured in whole calendar days and divided by the length of
``time_unit`` (``"D"`` 1 day, ``"W"`` 7 days, ``"M"`` 365.25/12 days): the
CDNOW customer who first bought on 1997-01-01 has ``T = 272 / 7 = 38.86``
weeks at 1997-09-30, as in Fader, Hardie & Lee (2005).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab._validate import require_columns
from relmark_lab.errors import DataError, describe_example

__all__ = ["DAYS_PER_UNIT", "PERIODS_PER_YEAR", "summarize", "days_per_unit"]

#: Length of each supported time unit in days.
DAYS_PER_UNIT: dict[str, float] = {"D": 1.0, "W": 7.0, "M": 365.25 / 12}

#: How many periods of each unit make a year (used to convert annual discount rates).
PERIODS_PER_YEAR: dict[str, float] = {unit: 365.25 / days for unit, days in DAYS_PER_UNIT.items()}

_RETURN_POLICIES = ("drop", "error")


def days_per_unit(time_unit: str) -> float:
    """Length of a time unit in days, or a DataError naming the allowed units.

    Examples
    --------
    >>> days_per_unit("W")
    7.0
    """
    if time_unit not in DAYS_PER_UNIT:
        raise DataError(
            f"time_unit must be one of {sorted(DAYS_PER_UNIT)} (days, weeks, months of "
            f"365.25/12 days), got {describe_example(time_unit)}."
        )
    return DAYS_PER_UNIT[time_unit]


def summarize(
    transactions: pd.DataFrame,
    observation_end: str | pd.Timestamp,
    calibration_end: str | pd.Timestamp | None = None,
    time_unit: str = "W",
    returns: str = "drop",
) -> pd.DataFrame:
    """Summarize transactions into frequency, recency, T and monetary value per customer.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per order line with columns ``customer_id``, ``date`` and
        ``amount`` (the output of :func:`relmark_lab.read_transactions`).
        Times of day are ignored: purchases are merged by calendar day.
    observation_end : date-like
        Last day of observation (inclusive). ``T`` (or the holdout) is
        measured up to this day.
    calibration_end : date-like, optional
        Last day of the calibration period. When given, ``frequency``,
        ``recency``, ``T`` and ``monetary_value`` describe the calibration
        period only, and three holdout columns are added:
        ``frequency_holdout`` (purchase days in the holdout),
        ``monetary_value_holdout`` (their mean amount, 0 if none) and
        ``duration_holdout`` (length of the holdout). Customers whose first
        purchase falls in the holdout are not in the summary (they were not
        customers at calibration time); their number is in ``attrs``.
    time_unit : {"W", "D", "M"}, default "W"
        Unit of ``recency``, ``T`` and ``duration_holdout``.
    returns : {"drop", "error"}, default "drop"
        Lines with a negative amount are returns, not visits. ``"drop"``
        leaves them out of every column (frequency counts purchases, and
        monetary value is the value bought, as the gamma-gamma model
        assumes) and counts them in ``attrs["return_lines_dropped"]``;
        ``"error"`` raises a DataError if there are any. A day whose
        purchases add up to 0 still counts as a purchase day.

    Returns
    -------
    pandas.DataFrame
        One row per customer, sorted by ``customer_id``, with columns
        ``customer_id``, ``frequency`` (int), ``recency``, ``T``,
        ``monetary_value`` [+ holdout columns]. ``attrs`` records
        ``time_unit``, ``observation_end``, ``calibration_end`` and the
        counts of lines left out (``return_lines_dropped``,
        ``lines_after_observation_end``, ``customers_without_purchases`` (only
        returns or only lines after the end), ``customers_first_buying_in_holdout``).

    Raises
    ------
    DataError
        If a column is missing or not usable, the time unit is unknown, the
        calibration end is after the observation end, or no purchase line
        is left.

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
    step = days_per_unit(time_unit)
    end = _as_day(observation_end, "observation_end")
    cal_end = end if calibration_end is None else _as_day(calibration_end, "calibration_end")
    if cal_end > end:
        raise DataError(
            f"calibration_end ({cal_end.date()}) is after observation_end ({end.date()}); "
            "the holdout period must follow the calibration period."
        )
    customers, days, amounts, attrs = _purchase_lines(transactions, end, returns)

    codes, day, amount = _visits(customers, days, amounts)
    starts = _group_starts(codes)  # visits are sorted by customer, then day
    first = day[starts]
    cal_day = (cal_end - _EPOCH).days
    in_calibration = day <= cal_day
    repeat_cal = (day > first[codes]) & in_calibration

    n_customers = len(starts)
    is_customer = first <= cal_day
    frequency = np.add.reduceat(repeat_cal.astype("int64"), starts)
    spend = np.add.reduceat(np.where(repeat_cal, amount, 0.0), starts)
    last = np.maximum.reduceat(np.where(in_calibration, day, first[codes]), starts)

    summary = pd.DataFrame(
        {
            "customer_id": attrs.pop("customer_labels"),
            "frequency": frequency.astype("int64"),
            "recency": (last - first) / step,
            "T": (cal_day - first) / step,
            "monetary_value": np.divide(spend, frequency, out=np.zeros(n_customers),
                                        where=frequency > 0),
        }
    )
    if calibration_end is not None:
        holdout = ~in_calibration
        freq_holdout = np.add.reduceat(holdout.astype("int64"), starts)
        spend_holdout = np.add.reduceat(np.where(holdout, amount, 0.0), starts)
        summary["frequency_holdout"] = freq_holdout.astype("int64")
        summary["monetary_value_holdout"] = np.divide(
            spend_holdout, freq_holdout, out=np.zeros(n_customers), where=freq_holdout > 0
        )
        summary["duration_holdout"] = (end - cal_end).days / step
    attrs["customers_first_buying_in_holdout"] = int((~is_customer).sum())
    summary = summary[is_customer].sort_values("customer_id", ignore_index=True)
    summary.attrs.update(
        attrs,
        time_unit=time_unit,
        observation_end=str(end.date()),
        calibration_end=str(cal_end.date()),
    )
    return summary


_EPOCH = pd.Timestamp("1970-01-01")


def _as_day(value: str | pd.Timestamp, name: str) -> pd.Timestamp:
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError) as error:
        raise DataError(f"{name} is not a date: {describe_example(value)}.") from error
    if pd.isna(day):
        raise DataError(f"{name} is not a date: {describe_example(value)}.")
    return day.tz_localize(None).normalize() if day.tzinfo else day.normalize()


def _purchase_lines(
    transactions: pd.DataFrame, end: pd.Timestamp, returns: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
    """Validated customer codes, day numbers and amounts of the purchase lines."""
    require_columns(transactions, ("customer_id", "date", "amount"), "transactions")
    if returns not in _RETURN_POLICIES:
        raise DataError(f"returns must be 'drop' or 'error', got {describe_example(returns)}.")
    amount = pd.to_numeric(transactions["amount"], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(amount)
    if bad.any():
        example = transactions["amount"].to_numpy()[bad][0]
        raise DataError(
            f"Column 'amount': {bad.sum()} values are missing or not numbers, "
            f"e.g. {describe_example(example)}."
        )
    dates = transactions["date"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        raise DataError(
            f"Column 'date' must hold dates (datetime64), got {dates.dtype}, e.g. "
            f"{describe_example(dates.iloc[0] if len(dates) else None)}; parse it with "
            "pd.to_datetime or rl.read_transactions."
        )
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    if dates.isna().any():
        raise DataError(f"Column 'date': {int(dates.isna().sum())} dates are missing.")
    ids = transactions["customer_id"]
    if ids.isna().any():
        raise DataError(f"Column 'customer_id': {int(ids.isna().sum())} ids are missing.")

    day = dates.to_numpy().astype("datetime64[D]").astype("int64")
    is_return = amount < 0
    if is_return.any() and returns == "error":
        raise DataError(
            f"Column 'amount': {is_return.sum()} lines are negative (returns), e.g. "
            f"{describe_example(float(amount[is_return][0]))}. Pass returns='drop' to leave "
            "them out."
        )
    after_end = day > (end - _EPOCH).days
    keep = ~is_return & ~after_end
    # Hash the ids once, then number the customers who have purchase lines in
    # sorted id order (sorting the distinct ids is much cheaper than all rows).
    all_codes, labels = pd.factorize(ids, sort=False)
    codes = all_codes[keep]
    has_purchase = np.bincount(codes, minlength=len(labels)) > 0
    if not has_purchase.any():
        raise DataError(
            f"No purchase line is left: {len(amount)} lines, {is_return.sum()} returns, "
            f"{after_end.sum()} after the observation end ({end.date()})."
        )
    kept_labels = pd.Index(labels[has_purchase]).astype("string")
    order = np.asarray(kept_labels.argsort())
    rank = np.full(len(labels), -1, dtype=np.int64)
    rank[np.flatnonzero(has_purchase)[order]] = np.arange(len(order))
    attrs = {
        "customers_without_purchases": int((~has_purchase).sum()),
        "return_lines_dropped": int(is_return.sum()),
        "lines_after_observation_end": int((after_end & ~is_return).sum()),
        "customer_labels": pd.array(kept_labels[order], dtype="string"),
    }
    return rank[codes], day[keep], amount[keep], attrs


def _visits(codes: np.ndarray, days: np.ndarray,
            amounts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One row per (customer, day), sorted by customer then day; same-day amounts add up."""
    first_day = days.min()
    span = int(days.max() - first_day) + 1
    key = codes.astype(np.int64) * span + (days - first_day)
    n = len(key)
    if (int(key.max()) + 1) * n < 2**62:
        # Sorting plain integers is about twice as fast as argsort: carry the row
        # number in the low digits of the key.
        packed = np.sort(key * n + np.arange(n))
        key, order = np.divmod(packed, n)
    else:
        order = np.argsort(key)
        key = key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    visit_key = key[starts]
    return (visit_key // span, visit_key % span + first_day,
            np.add.reduceat(amounts[order], starts))


def _group_starts(sorted_codes: np.ndarray) -> np.ndarray:
    return np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])


