"""The observation window and the business day, one rule for every stage (private).

Every function of the kit that reads dated lines follows these rules, and
this module is the only place that implements them:

1. **The end of observation** is called ``observation_end``. It names the
   last observed *day*, and the whole day counts: a line dated
   ``2025-12-31 23:59`` is inside a window that ends on ``"2025-12-31"``,
   and so it is when the end is written ``"2025-12-31 08:00"``. Nothing
   guesses the end from the data; a function whose result depends on it
   requires it.
2. **A business day is the business's local day.** With ``timezone=None``
   (the default) a stamp that carries a UTC offset keeps the clock time it
   shows, so a purchase at 23:30 in Mexico City stays on its day, and a
   stamp without an offset is already local. With ``timezone="Area/City"``
   stamps with an offset are converted to that zone's clock first, and
   stamps without one are taken as already in it. ``observation_end``
   follows the same rule, so an aware end never meets naive data in a
   bare comparison.
3. **Lines after the end** are left out and counted: ``read_transactions``
   counts them in its ledger (reason ``"after observation end"``), every
   other function in ``attrs["lines_after_observation_end"]``. Other dated
   tables (leads, survey answers, contact logs) follow the same day rule
   (:func:`on_or_before`).
4. ``attrs["observation_end"]`` is always a :class:`pandas.Timestamp` at
   midnight of the last observed day.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = [
    "LINES_AFTER_END",
    "NO_PURCHASE",
    "OBSERVATION_END",
    "check_timezone",
    "day_numbers",
    "observation_end_day",
    "on_or_before",
    "one_timestamp",
    "parse_dates",
    "to_local",
    "DATE_FORMS_HINT",
]

#: ``attrs`` key of the last observed day (a Timestamp at midnight).
OBSERVATION_END = "observation_end"
#: ``attrs`` key of the number of lines dated after the observation end, left out.
LINES_AFTER_END = "lines_after_observation_end"
#: ``attrs`` key of the number of customers whose observed lines hold no purchase.
NO_PURCHASE = "customers_without_purchases"

_EPOCH_DAY = np.datetime64("1970-01-01", "D")


def check_timezone(timezone: Any) -> Any:
    """Return ``timezone`` if pandas knows it (or it is None), else raise DataError.

    Examples
    --------
    >>> check_timezone("America/Mexico_City")
    'America/Mexico_City'
    >>> check_timezone("Mars/Olympus")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: Unknown time zone 'Mars/Olympus'. Use a name such as \
'America/Mexico_City' or 'Europe/Madrid', or None to keep the clock time each date shows.
    """
    if timezone is None:
        return None
    if isinstance(timezone, (bool, int, float, np.number)):  # pandas reads 5 as a 5-s offset
        raise DataError(
            _("timezone must be a zone name such as 'America/Mexico_City', not the number "
              "{timezone!r} (or None to keep the clock time each date shows).").format(
                timezone=timezone)
        )
    try:
        pd.Timestamp("2000-01-01", tz=timezone)
    except Exception as exc:  # pytz, zoneinfo and dateutil raise different types
        raise DataError(
            _("Unknown time zone {timezone}. Use a name such as 'America/Mexico_City' or "
              "'Europe/Madrid', or None to keep the clock time each date shows.").format(
                timezone=describe_example(timezone))
        ) from exc
    return timezone


def to_local(values: pd.Series, timezone: Any = None) -> pd.Series:
    """Datetimes as the business's local clock time, without a time zone.

    Parameters
    ----------
    values : pandas.Series
        ``datetime64`` values, with or without a time zone.
    timezone : str, optional
        The business's time zone; None keeps the clock time the values show.

    Returns
    -------
    pandas.Series
        Naive ``datetime64`` values.

    Examples
    --------
    >>> stamps = pd.Series(pd.to_datetime(["2025-01-31 23:30"]).tz_localize("America/Mexico_City"))
    >>> str(to_local(stamps).iloc[0]), str(to_local(stamps, "UTC").iloc[0])
    ('2025-01-31 23:30:00', '2025-02-01 05:30:00')
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        if timezone is not None:
            values = values.dt.tz_convert(timezone)
        return values.dt.tz_localize(None)
    return values


def one_timestamp(value: Any, timezone: Any = None) -> pd.Timestamp:
    """One value as a naive local timestamp by the rules above, or NaT if it is no date.

    Examples
    --------
    >>> one_timestamp("2025-01-31 23:30-06:00")
    Timestamp('2025-01-31 23:30:00')
    >>> one_timestamp("2025-01-31 23:30-06:00", "UTC")
    Timestamp('2025-02-01 05:30:00')
    >>> one_timestamp("soon")
    NaT
    """
    if isinstance(value, (bool, np.bool_)) or (
        isinstance(value, (int, float, np.number)) and not isinstance(value, np.datetime64)
    ):
        return pd.NaT  # a bare number is not a date (pandas would read it as nanoseconds)
    try:
        stamp = pd.to_datetime(value, errors="coerce")
    except (ValueError, TypeError, OverflowError):
        return pd.NaT
    if not isinstance(stamp, pd.Timestamp) or pd.isna(stamp):
        return pd.NaT
    if stamp.tzinfo is not None:
        if timezone is not None:
            stamp = stamp.tz_convert(timezone)
        stamp = stamp.tz_localize(None)
    return stamp


# A UTC offset after a time of day ("10:00+01:00", "10:00:00.5Z", "10:00 -05"); the
# group keeps the time, so removing the offset leaves the clock time the stamp shows.
_OFFSET_RE = r"(\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s?(?:Z|[+-]\d{2}(?::?\d{2})?)$"
_HAS_OFFSET_RE = r"\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s?(?:Z|[+-]\d{2}(?::?\d{2})?)$"
_WHOLE_DATE_RE = r"^\d{4}-\d{2}-\d{2}(?:$|[ T])"
#: What the kit reads as a date written as text: year first (ISO 8601). English; shown
#: through :func:`relmark_lab.i18n.gettext`, so in the language in use.
DATE_FORMS_HINT = N_(
    "Write dates year first (2025-12-31, or 2025-12-31 18:30 with or without a UTC offset) "
    "or pass datetimes; rl.read_transactions also reads forms such as 31/12/2025, 12/31/25 "
    "and 20251231, and tells day/month from month/day."
)


def parse_dates(raw: pd.Series, timezone: Any = None) -> pd.Series:
    """Dates as naive local datetimes; values that are not dates become NaT.

    Datetimes (with or without a time zone) follow the time-zone rule. Text
    must be written year first (ISO 8601), so day and month are never
    guessed: ``"01/02/2025"`` is no date here (the reader,
    :func:`relmark_lab.read_transactions`, infers such forms from a whole
    column). Stamps with several UTC offsets in one column are read
    together, each keeping its own clock time unless ``timezone`` converts
    them.

    Parameters
    ----------
    raw : pandas.Series
        Dates as datetimes, text or Python date objects.
    timezone : str, optional
        The business's time zone (see the module's rules).

    Returns
    -------
    pandas.Series
        ``datetime64`` without time zone, NaT where a value is not a date.

    Examples
    --------
    >>> parse_dates(pd.Series(["2025-01-31 23:30+01:00", "2025-02-01 08:00-06:00", "01/02/2025"]))
    0   2025-01-31 23:30:00
    1   2025-02-01 08:00:00
    2                   NaT
    dtype: datetime64[us]
    """
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        return to_local(raw, timezone)
    values = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    if pd.api.types.is_numeric_dtype(raw.dtype) or pd.api.types.is_bool_dtype(raw.dtype):
        return values
    is_text = raw.map(lambda v: isinstance(v, str), na_action="ignore").fillna(False)
    is_text = is_text.to_numpy(dtype=bool)
    if is_text.any():
        text = raw[is_text].astype(pd.StringDtype(na_value=np.nan)).str.strip()
        aware = text.str.contains(_HAS_OFFSET_RE, regex=True).fillna(False).to_numpy(dtype=bool)
        if timezone is None:  # each stamp keeps the clock time it shows
            text = text.str.replace(_OFFSET_RE, r"\1", regex=True)
            values[is_text] = _iso(text).to_numpy()
        else:
            parsed = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
            parsed[~aware] = _iso(text[~aware]).to_numpy()
            utc = pd.to_datetime(text[aware], format="ISO8601", errors="coerce", utc=True)
            parsed[aware] = utc.dt.tz_convert(timezone).dt.tz_localize(None).to_numpy()
            values[is_text] = parsed
    others = ~is_text & raw.notna().to_numpy(dtype=bool)
    if others.any():  # Python date and datetime objects, perhaps with several time zones
        values[others] = raw[others].map(lambda v: one_timestamp(v, timezone)).astype(
            values.dtype)
    return values


def _iso(text: pd.Series) -> pd.Series:
    """Naive ISO 8601 text with a whole date (year-month-day) as datetimes, else NaT.

    Read all at once, with no guessing: a partial date such as ``"2024-12"``
    is no date, rather than the first of the month.
    """
    whole = text.str.match(_WHOLE_DATE_RE).fillna(False).to_numpy(dtype=bool)
    parsed = pd.to_datetime(text.where(whole), format="ISO8601", errors="coerce")
    return parsed.astype("datetime64[us]")


def observation_end_day(value: Any, timezone: Any = None,
                        name: str = "observation_end") -> pd.Timestamp:
    """The last observed day, at midnight: the whole named day counts.

    Parameters
    ----------
    value : str, date, datetime or Timestamp
        The end a user passed; a time of day is allowed and ignored (the
        whole day counts). An aware value follows the time-zone rule.
    timezone : str, optional
        The business's time zone.
    name : str, default "observation_end"
        The parameter's name in messages.

    Returns
    -------
    pandas.Timestamp
        Midnight of the last observed day, without time zone.

    Raises
    ------
    DataError
        If ``value`` is missing or is not one date.

    Examples
    --------
    >>> observation_end_day("2025-12-31 08:00")
    Timestamp('2025-12-31 00:00:00')
    >>> observation_end_day(None)
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: observation_end is required: the last day observed, e.g. \
observation_end='2025-12-31' (the whole day counts). The kit never guesses it from the data.
    """
    if value is None:
        raise DataError(
            _("{name} is required: the last day observed, e.g. {name}='2025-12-31' (the whole "
              "day counts). The kit never guesses it from the data.").format(name=name)
        )
    timezone = check_timezone(timezone)
    if isinstance(value, str):  # the rule of parse_dates: year first, never a guess
        stamp = parse_dates(pd.Series([value]), timezone).iloc[0]
    else:
        stamp = one_timestamp(value, timezone)
    if pd.isna(stamp):
        raise DataError(_("{name} must be one date written year first, e.g. '2025-12-31', "
                          "got {value}.").format(name=name, value=describe_example(value)))
    try:
        return stamp.normalize()
    except (ValueError, OverflowError) as exc:  # Timestamp.min: its midnight is out of range
        raise DataError(_("{name} {value} is at the edge of the dates pandas can hold "
                          "(1677-09-22 to 2262-04-11); give the real last observed "
                          "day.").format(name=name, value=describe_example(value))) from exc


def day_numbers(dates: np.ndarray | pd.Series) -> np.ndarray:
    """Whole days since 1970-01-01 of naive datetimes (their calendar day).

    Examples
    --------
    >>> day_numbers(pd.Series(pd.to_datetime(["1970-01-02 23:59"]))).tolist()
    [1]
    """
    values = np.asarray(dates, dtype="datetime64[us]")
    return (values.astype("datetime64[D]") - _EPOCH_DAY).astype("int64")


def on_or_before(frame: pd.DataFrame, column: str, what: str, observation_end: pd.Timestamp,
                 timezone: Any = None) -> tuple[pd.Series, np.ndarray]:
    """The dates of another dated table and which of its rows are inside the window.

    Leads, survey answers and contact logs follow the transactions' rules:
    a row counts when its day (the business's local day) is on or before the
    observation end's day.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table, e.g. the leads.
    column : str
        Its date column, e.g. ``"created_date"``.
    what : str
        The table's name in messages.
    observation_end : pandas.Timestamp
        Midnight of the last observed day (``ObservedLines.observation_end``).
    timezone : str, optional
        The business's time zone.

    Returns
    -------
    dates : pandas.Series
        The parsed dates (naive, local).
    inside : numpy.ndarray
        True for the rows dated on or before the end's day.

    Examples
    --------
    >>> leads = pd.DataFrame({"created_date": ["2025-12-31 23:59", "2026-01-01 00:01"]})
    >>> on_or_before(leads, "created_date", "leads", pd.Timestamp("2025-12-31"))[1].tolist()
    [True, False]
    """
    from relmark_lab._validate import require_dates  # _validate reads dates with this module

    dates = require_dates(frame, column, what, timezone)
    end_day = day_numbers(np.array([pd.Timestamp(observation_end).to_datetime64()]))[0]
    return dates, day_numbers(dates) <= end_day
