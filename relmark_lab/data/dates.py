"""Dates as exports write them: ISO stamps, day/month or month/day, UTC offsets.

:func:`parse_date_column` reads one column into naive ``datetime64`` values,
the business's local clock time, by the rule of :mod:`relmark_lab._time`:

* with ``timezone=None`` a stamp with a UTC offset keeps the clock time it
  shows (``2025-12-31 23:30-06:00`` is 23:30 on 31 December), also when one
  column mixes several offsets or mixes them with stamps without one;
* with ``timezone="Area/City"`` a stamp with an offset is converted to that
  zone's clock, and a stamp without one is taken as already in it.

It stays fast on millions of rows: each distinct text is parsed once (an
export repeats an invoice's stamp on every line); ISO 8601 (and CDNOW's
``20241231``) goes through pandas' ISO parser at once; other forms are
recognised by a regular expression and parsed with one explicit format on
that subset only, so no value is parsed one by one. With ``date_format``
(a ``strftime`` format such as ``"%m/%d/%Y %H:%M"``) every value is read
with that format alone, and a value it does not fit is an unparseable date.
Without it, ``01/02/2024`` is read day-first or month-first as
:func:`infer_dayfirst` decides from the dates whose day is above 12.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from relmark_lab._ids import id_codes
from relmark_lab._time import one_timestamp, to_local
from relmark_lab.data.text import example, is_integral
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import gettext as _

__all__ = ["infer_dayfirst", "parse_date_column"]

_MIN_ISO_LENGTH = 8  # shorter strings such as "2024" or "2024-01" are not dates
# A UTC offset ending a stamp, after a digit ("0+01:00", "5Z", "0 -05"), and the few
# last characters that can hold one.
_OFFSET_TAIL_RE = r"[0-9]([ \t]?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?))$"
_TAIL_CHARS = 8
_TIME = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?"
_YMD_RE = r"[0-9]{4}[/.][0-9]{1,2}[/.][0-9]{1,2}" + _TIME
_DMY_RE = r"[0-9]{1,2}[-/.][0-9]{1,2}[-/.](?:[0-9]{4}|[0-9]{2})" + _TIME
_MON_RE = r"[0-9]{1,2}[- ][A-Za-z]{3}[- ](?:[0-9]{4}|[0-9]{2})"
_NAT = np.datetime64("NaT")


def parse_date_column(
    series: pd.Series, name: str, dayfirst: bool | None, timezone: Any, notes: list[str],
    date_format: str | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read one column as naive local datetimes.

    Parameters
    ----------
    series : pandas.Series
        The raw column: datetimes (with or without a time zone), Python
        date objects, whole numbers such as ``19970101``, or text.
    name : str
        The column's name in the source, for notes and messages.
    dayfirst : bool or None
        Whether ``01/02/2024`` is 1 February; None infers it.
    timezone : str or None
        The business's time zone (the rule in this module's docstring).
    notes : list of str
        Guesses are appended here.
    date_format : str, optional
        A ``strftime`` format every text value is read with (no guessing).

    Returns
    -------
    values, missing, unparseable : numpy.ndarray
        ``datetime64`` values (NaT where missing or unreadable) and two masks.

    Raises
    ------
    DataError
        If no value of the column is a date, or day/month and month/day
        dates are mixed and ``dayfirst`` is None.

    Examples
    --------
    >>> text = pd.Series(["2025-12-31 23:30-06:00", "2025-12-31 10:00+01:00"])
    >>> parse_date_column(text, "date", None, None, [])[0].astype(str).tolist()
    ['2025-12-31T23:30:00.000000', '2025-12-31T10:00:00.000000']
    >>> parse_date_column(text, "date", None, "UTC", [])[0].astype(str).tolist()
    ['2026-01-01T05:30:00.000000', '2025-12-31T09:00:00.000000']
    """
    n = len(series)
    dtype = series.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype):
        values = to_local(series, timezone).to_numpy(copy=True)
        missing = np.isnat(values)
        if missing.all():
            raise DataError(
                _("Column '{name}' is empty: all {count} dates are missing (NaT). Check that you "
                  "mapped the right column with columns=.").format(name=name, count=n)
            )
        return values, missing, np.zeros(n, dtype=bool)

    values = np.full(n, _NAT, dtype="datetime64[us]")
    if pd.api.types.is_object_dtype(dtype):
        # Python datetime objects mixed with text (e.g. from Excel via openpyxl).
        is_obj = series.map(lambda v: isinstance(v, (dt.date, np.datetime64))).to_numpy(bool)
        if is_obj.any():
            values[is_obj] = [one_timestamp(v, timezone).to_datetime64() for v in series[is_obj]]
            series = series.mask(is_obj, "")  # keep them out of the text parsers below
    infinite = np.zeros(n, dtype=bool)
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        infinite = np.isinf(series.to_numpy(dtype="float64", na_value=np.nan))
        series = series.mask(infinite)  # no date: counted as unparseable below
    if pd.api.types.is_numeric_dtype(dtype) and is_integral(series):
        series = series.astype("Int64")  # 19970101 as a number, as in CDNOW
    # Each distinct text once: an export repeats an invoice's stamp on all its lines.
    codes, ids = id_codes(series)
    distinct = pd.Series(ids.array)
    text = pd.Series(ids.array.take(codes, allow_fill=True), index=series.index)
    missing = (codes < 0) & np.isnat(values) & ~infinite
    todo = ~missing & np.isnat(values) & ~infinite
    counts = np.bincount(codes[todo], minlength=len(distinct))
    parsed = _parse_texts(distinct, counts, name, dayfirst, timezone, notes, date_format)
    values[todo] = parsed[codes[todo]]
    bad = ~missing & np.isnat(values)
    if date_format is not None and bad.any() and not (bad | missing).all():
        notes.append(_("Column '{name}': {bad:,} of {present:,} dates ({share:.1%}) do not fit "
                       "date_format {date_format!r}, e.g. {example}, and are dropped as "
                       "'unparseable date'. If that many is a surprise, the format is wrong "
                       "(leave date_format out to have the form recognised).").format(
            name=name, bad=int(bad.sum()), present=int((~missing).sum()),
            share=bad.sum() / max((~missing).sum(), 1), date_format=date_format,
            example=example(text, bad)))
    if bad.any() and (bad | missing).all():
        if date_format is not None:
            template = _("Column '{name}': none of the {count:,} dates could be read (e.g. "
                         "{example}) with date_format {date_format!r}. Check that columns= "
                         "points to the date column, and the format (e.g. '%m/%d/%Y %H:%M').")
        else:
            template = _("Column '{name}': none of the {count:,} dates could be read (e.g. "
                         "{example}) (supported forms: 2024-12-31, 2024-12-31 18:30, 20241231, "
                         "31/12/2024, 12/31/24, 31.12.2024, 31-Dec-2024). Check that columns= "
                         "points to the date column, or pass date_format=.")
        raise DataError(template.format(name=name, count=int(bad.sum()),
                                        example=example(text, bad), date_format=date_format))
    if missing.all():
        raise DataError(
            _("Column '{name}' is empty: all {count} dates are missing. Check that you mapped "
              "the right column with columns=.").format(name=name, count=n)
        )
    return values, missing, bad


def _parse_texts(text: pd.Series, counts: np.ndarray, name: str, dayfirst: bool | None,
                 timezone: Any, notes: list[str], date_format: str | None) -> np.ndarray:
    """Distinct date texts (none missing) as naive local datetimes, NaT where unreadable.

    ``counts`` (rows per text) weighs the evidence for the day/month order.
    """
    if date_format is not None:
        return _parse_with_format(text, date_format, timezone)
    values = np.full(len(text), _NAT, dtype="datetime64[us]")
    if len(text):
        lengths = text.str.len().to_numpy(dtype="float64", na_value=0.0)
        take = lengths >= _MIN_ISO_LENGTH
        values[take] = _parse_iso(text, timezone)[take]
    remaining = np.flatnonzero(np.isnat(values))
    sub = text.iloc[remaining]
    for kind, pattern in (("ymd", _YMD_RE), ("dmy", _DMY_RE), ("mon", _MON_RE)):
        if not len(sub):
            break
        hit = sub.str.fullmatch(pattern).to_numpy(dtype=bool)
        if not hit.any():
            continue
        part = sub[hit]
        if kind == "ymd":
            part = part.str.replace(
                r"^([0-9]{4})[/.]([0-9]{1,2})[/.]([0-9]{1,2})[ T]?", r"\1-\2-\3 ", regex=True
            )
            parsed = _strptime(_pad_time(part.str.strip()), "%Y-%m-%d %H:%M:%S")
        elif kind == "dmy":
            parsed = _parse_day_month(part, name, dayfirst, notes, counts[remaining[hit]])
        else:
            part = part.str.replace(" ", "-", regex=False)
            long_year = part.str.fullmatch(r".*[0-9]{4}").to_numpy(dtype=bool)
            parsed = np.where(long_year, _strptime(part, "%d-%b-%Y"), _strptime(part, "%d-%b-%y"))
        values[remaining[hit]] = parsed
        remaining, sub = remaining[~hit], sub[~hit]

    return values


def _parse_with_format(text: pd.Series, date_format: str, timezone: Any) -> np.ndarray:
    """Every text read with one ``strftime`` format; NaT where it does not fit."""
    try:
        parsed = pd.to_datetime(text, format=date_format, errors="coerce")
    except ValueError as exc:
        if "%z" not in date_format:  # a directive strptime does not know
            raise DataError(_("date_format {date_format!r} is not a format pandas can read "
                              "({error}). Use strftime codes, e.g. '%d/%m/%Y %H:%M'.").format(
                date_format=date_format, error=exc)) from exc
        if timezone is None:  # several UTC offsets: each stamp keeps its own clock time
            clock = text.str.replace(r"[ ]?(?:Z|[+-][0-9]{2}:?[0-9]{2})$", "", regex=True)
            return _strptime(clock, date_format.replace("%z", "").strip())
        parsed = pd.to_datetime(text, format=date_format, errors="coerce", utc=True)
    return to_local(parsed, timezone).to_numpy(dtype="datetime64[us]")


def _strptime(text: pd.Series, fmt: str) -> np.ndarray:
    parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    return parsed.to_numpy(dtype="datetime64[us]")


def _parse_iso(text: pd.Series, timezone: Any) -> np.ndarray:
    """ISO 8601 values as local clock times (the time-zone rule); NaT where not ISO."""
    try:
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
    except ValueError:  # several UTC offsets, or offsets mixed with stamps without one
        return _parse_mixed_offsets(text, timezone)
    if not pd.api.types.is_datetime64_any_dtype(parsed.dtype):
        return _parse_mixed_offsets(text, timezone)
    return to_local(parsed, timezone).to_numpy(dtype="datetime64[us]")


def _parse_mixed_offsets(text: pd.Series, timezone: Any) -> np.ndarray:
    """ISO values whose UTC offsets differ: each set apart and read by the rule, all at once."""
    out = np.full(len(text), _NAT, dtype="datetime64[us]")
    length = _offset_lengths(text)
    naive = np.flatnonzero(length == 0)
    try:
        out[naive] = _strptime(text.iloc[naive], "ISO8601")
    except ValueError:
        pass  # still mixed up: whatever is left is reported as "unparseable date"
    if timezone is not None:
        aware = np.flatnonzero(length > 0)
        utc = pd.to_datetime(text.iloc[aware], format="ISO8601", utc=True, errors="coerce")
        out[aware] = to_local(utc, timezone).to_numpy(dtype="datetime64[us]")
        return out
    for k in np.unique(length[length > 0]):  # keep each stamp's clock time: drop its offset
        rows = np.flatnonzero(length == k)
        out[rows] = _strptime(text.iloc[rows].str.slice(0, -int(k)), "ISO8601")
    return out


def _offset_lengths(text: pd.Series) -> np.ndarray:
    """Characters of the UTC offset ending each stamp (``" +01:00"`` is 7), 0 for none.

    A regular expression over millions of stamps is slow, so it reads the
    few distinct 8-character tails only; an offset counts when a time of day
    (a ``:``) comes before it, so the ``-10`` of ``2024-03-10`` is no offset.
    """
    codes, tails = pd.factorize(text.str.slice(-_TAIL_CHARS))
    if not len(tails):
        return np.zeros(len(text), dtype=np.int64)
    found = pd.Series(tails, dtype="str").str.extract(_OFFSET_TAIL_RE)[0].str.len()
    length = np.where(codes >= 0, found.fillna(0).to_numpy(dtype=np.int64)[codes], 0)
    for k in np.unique(length[length > 0]):
        rows = np.flatnonzero(length == k)
        timed = text.iloc[rows].str.slice(0, -int(k)).str.contains(":", regex=False)
        length[rows[~timed.fillna(False).to_numpy(dtype=bool)]] = 0
    return length


def _pad_time(text: pd.Series) -> pd.Series:
    """Bring 'date', 'date H:MM' and 'date H:MM:SS' to one layout, for a single format."""
    text = text.str.replace(r"^([^ ]+)$", r"\1 00:00:00", regex=True)
    return text.str.replace(r"^([^ ]+ [0-9]{1,2}:[0-9]{2})$", r"\1:00", regex=True)


def _parse_day_month(
    original: pd.Series, name: str, dayfirst: bool | None, notes: list[str],
    counts: np.ndarray | None = None,
) -> np.ndarray:
    """Parse 31/12/2024-like values (also with - or . and 2-digit years)."""
    text = original.str.replace(
        r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]+)[ T]?", r"\1/\2/\3 ", regex=True
    )
    text = _pad_time(text.str.strip())
    if dayfirst is None:
        dayfirst = infer_dayfirst(text, original, name, notes, counts)
    order = "%d/%m" if dayfirst else "%m/%d"
    long_year = text.str.match(r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}").to_numpy(dtype=bool)
    out = np.full(len(text), _NAT, dtype="datetime64[us]")
    if long_year.any():
        out[long_year] = _strptime(text[long_year], f"{order}/%Y %H:%M:%S")
    if (~long_year).any():
        out[~long_year] = _strptime(text[~long_year], f"{order}/%y %H:%M:%S")
    return out


def _leading_fields(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The first two numbers of ``D/M/Y`` text as floats, NaN where absent.

    Arrow's regex extraction: pandas' ``str.extract`` reads values one by one.
    """
    parts = pc.extract_regex(pa.array(text, type=pa.large_string(), from_pandas=True),
                             r"^(?P<first>[0-9]{1,2})/(?P<second>[0-9]{1,2})/")
    return tuple(  # type: ignore[return-value]
        pc.cast(pc.struct_field(parts, [i]), pa.float64()).to_numpy(zero_copy_only=False)
        for i in (0, 1)
    )


def infer_dayfirst(text: pd.Series, original: pd.Series, name: str, notes: list[str],
                   counts: np.ndarray | None = None) -> bool:
    """Day-first if some first field is above 12 and no second field is; and vice versa.

    Parameters
    ----------
    text : pandas.Series
        The dates written ``D/M/Y ...`` or ``M/D/Y ...`` (any separator
        already turned into ``/``).
    original : pandas.Series
        The same dates as the source wrote them, for notes and messages.
    name : str
        The column's name in the source.
    notes : list of str
        The decision, and its evidence, is appended here.
    counts : numpy.ndarray, optional
        Rows per value, when ``text`` holds each distinct date once.

    Raises
    ------
    DataError
        If some dates can only be day/month and others only month/day.

    Examples
    --------
    >>> dates = pd.Series(["01/02/2024", "25/02/2024"])
    >>> infer_dayfirst(dates, dates, "Fecha", [])
    True
    """
    first, second = _leading_fields(text)
    day_first = (first > 12) & (first <= 31) & (second <= 12)
    month_first = (second > 12) & (second <= 31) & (first <= 12)
    rows = np.ones(len(text), dtype=np.int64) if counts is None else np.asarray(counts)
    if day_first.any() and month_first.any():
        raise DataError(
            _("Column '{name}' mixes date conventions: {day_first:,} dates are day/month (e.g. "
              "{day_example}) and {month_first:,} are month/day (e.g. {month_example}). Fix "
              "them in the source, or pass dayfirst=True or dayfirst=False to choose one (dates "
              "that do not fit will be dropped as 'unparseable date').").format(
                name=name, day_first=int(rows[day_first].sum()),
                day_example=example(original, day_first),
                month_first=int(rows[month_first].sum()),
                month_example=example(original, month_first))
        )
    if day_first.any():
        notes.append(
            _("Column '{name}': dates read as day/month (DD/MM/YYYY), because values such as "
              "{example} have a day above 12.").format(name=name,
                                                       example=example(original, day_first))
        )
        return True
    if month_first.any():
        notes.append(
            _("Column '{name}': dates read as month/day (MM/DD/YYYY), because values such as "
              "{example} have a day above 12.").format(name=name,
                                                       example=example(original, month_first))
        )
        return False
    notes.append(
        _("Column '{name}': dates such as {example} could be day/month or month/day; no day "
          "above 12 settles it, so they were read as month/day (MM/DD). Pass dayfirst=True if "
          "they are DD/MM.").format(name=name, example=describe_example(original.iloc[0]))
    )
    return False
