"""Input checks shared by the stage modules (private).

Every stage module receives tables from users and checks them the same way
before any computation: the table is a DataFrame with the columns it needs,
a date column holds dates, a number column holds numbers, and ``as_of``
is one date whose whole day is observed. The checks raise
:class:`relmark_lab.DataError` naming the column, how many values are
affected and an example value (see ``/work/shared/DESIGN.md``).

Not every module can use every check yet: :mod:`relmark_lab.differentiate`
keeps its own date and ``as_of`` parsing (it keeps time zones and words its
messages differently), :mod:`relmark_lab.rfm` and
:mod:`relmark_lab.clv.summary` require columns that already have a datetime
or numeric dtype instead of parsing text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from relmark_lab.errors import DataError, describe_example

__all__ = [
    "as_of_day_end",
    "parse_dates",
    "quote_value",
    "require_columns",
    "require_dates",
    "require_numbers",
]

#: How many column names a "column missing" message lists.
_COLUMNS_SHOWN = 12


def quote_value(value: object) -> str:
    """Quote a value for a message; numpy scalars are shown as plain numbers.

    Parameters
    ----------
    value : object
        The offending value as found in the data.

    Returns
    -------
    str
        :func:`relmark_lab.errors.describe_example` of the value.

    Examples
    --------
    >>> quote_value(np.float64(2.5))
    '2.5'
    >>> quote_value("N/D")
    "'N/D'"
    """
    if isinstance(value, np.generic):
        value = value.item()
    return describe_example(value)


def require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise DataError unless ``frame`` is a DataFrame holding ``columns``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table a user passed.
    columns : sequence of str
        The columns the caller needs.
    what : str
        The table's name in the message, e.g. ``"transactions"`` or
        ``"survey"``.

    Raises
    ------
    DataError
        If ``frame`` is not a DataFrame, or lacks a column. The message names
        the first missing column, how many are missing, the columns found and
        how to map names: with ``rl.read_transactions(..., columns=...)`` for
        transactions, with ``DataFrame.rename`` for any other table.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"customer_id": ["a"]}), ["customer_id", "amount"],
    ...                 "transactions")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: Column 'amount' is missing from the transactions (1 required \
column(s) missing in all: 'amount'). Columns found: customer_id. If the table lacks column \
'amount' only because it has another name there, map the names with \
rl.read_transactions(..., columns={'amount': 'your name'}).
    """
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"The {what} must be a pandas DataFrame, got {type(frame).__name__}.")
    missing = [c for c in columns if c not in frame.columns]
    if not missing:
        return
    first = missing[0]
    found = ", ".join(map(str, frame.columns[:_COLUMNS_SHOWN])) or "none"
    if len(frame.columns) > _COLUMNS_SHOWN:
        found += f", … ({len(frame.columns)} in all)"
    if what == "transactions":
        fix = f"map the names with rl.read_transactions(..., columns={{{first!r}: 'your name'}})"
    else:
        fix = f"rename it with DataFrame.rename(columns={{'your name': {first!r}}})"
    raise DataError(
        f"Column {first!r} is missing from the {what} ({len(missing)} required column(s) "
        f"missing in all: {', '.join(map(repr, missing))}). Columns found: {found}. "
        f"If the table lacks column {first!r} only because it has another name there, {fix}."
    )


def _one_date(value: object) -> pd.Timestamp:
    """One value as a time-zone-free timestamp (its local clock time), or NaT."""
    try:
        stamp = pd.to_datetime(value, errors="coerce")
    except (ValueError, TypeError, OverflowError):
        return pd.NaT
    if not isinstance(stamp, pd.Timestamp) or pd.isna(stamp):
        return pd.NaT
    return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp


def parse_dates(raw: pd.Series) -> pd.Series:
    """Dates without time zone; values that are not dates become NaT.

    An aware value keeps the local clock time it shows. Values pandas cannot
    read together (aware mixed with naive, several UTC offsets, several
    formats) are read one by one.

    Parameters
    ----------
    raw : pandas.Series
        Dates as text, datetimes or timestamps.

    Returns
    -------
    pandas.Series
        ``datetime64`` without time zone, NaT where a value is not a date.

    Examples
    --------
    >>> parse_dates(pd.Series(["2025-01-31 23:30+01:00", "soon"])).tolist()
    [Timestamp('2025-01-31 23:30:00'), NaT]
    """
    try:
        values = pd.to_datetime(raw, errors="coerce")
    except (ValueError, TypeError):  # e.g. several UTC offsets in one column
        values = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)
    retry = values.isna() & raw.notna()
    if retry.any():
        values = values.copy()
        values[retry] = raw[retry].map(_one_date).astype(values.dtype)
    return values


def require_dates(frame: pd.DataFrame, column: str, what: str) -> pd.Series:
    """The column as dates without time zone, or DataError.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table that has ``column`` (check with :func:`require_columns`).
    column : str
        The date column.
    what : str
        The table's name in the message.

    Returns
    -------
    pandas.Series
        The dates parsed by :func:`parse_dates`.

    Raises
    ------
    DataError
        If values are missing or not dates; the message names the column,
        how many values and the first one.

    Examples
    --------
    >>> require_dates(pd.DataFrame({"date": ["2025-01-01", "someday"]}), "date", "transactions")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: transactions: column 'date' has 1 values that are not dates, \
e.g. 'someday'.
    """
    values = parse_dates(frame[column])
    bad = values.isna() & frame[column].notna()
    missing = frame[column].isna()
    if bad.any() or missing.any():
        example = frame.loc[bad | missing, column].iloc[0]
        raise DataError(
            f"{what}: column {column!r} has {int((bad | missing).sum())} values that are not "
            f"dates, e.g. {quote_value(example)}."
        )
    return values


def require_numbers(
    frame: pd.DataFrame, column: str, what: str, *, allow_missing: bool = False
) -> pd.Series:
    """The column as float64, or DataError.

    Numbers stored as text are read; text that is not a number fails, and so
    does a missing value unless ``allow_missing``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table that has ``column`` (check with :func:`require_columns`).
    column : str
        The number column.
    what : str
        The table's name in the message.
    allow_missing : bool, default False
        Let missing values through as NaN.

    Returns
    -------
    pandas.Series
        The column as ``float64``.

    Raises
    ------
    DataError
        Naming the column, how many values are not numbers and the first one.

    Examples
    --------
    >>> require_numbers(pd.DataFrame({"amount": ["1", "N/D"]}), "amount", "transactions")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: transactions: column 'amount' has 1 values that are not \
numbers, e.g. 'N/D'.
    """
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna()
    if allow_missing:
        bad &= frame[column].notna()
    if bad.any():
        example = frame.loc[bad, column].iloc[0]
        raise DataError(
            f"{what}: column {column!r} has {int(bad.sum())} values that are not numbers, "
            f"e.g. {quote_value(example)}."
        )
    return values.astype("float64")


def as_of_day_end(value: object) -> pd.Timestamp:
    """The last instant of the ``as_of`` day: the whole day is observed.

    Matches the data card's observation window: a line dated any time on
    the ``as_of`` day counts. An aware value keeps its local clock time.

    Parameters
    ----------
    value : str, datetime or Timestamp
        One date.

    Returns
    -------
    pandas.Timestamp
        ``as_of`` at 23:59:59.999999, without time zone.

    Raises
    ------
    DataError
        If ``value`` is not one date.

    Examples
    --------
    >>> as_of_day_end("2025-12-31 08:00")
    Timestamp('2025-12-31 23:59:59.999999')
    """
    stamp = _one_date(value)
    if pd.isna(stamp):
        raise DataError(f"as_of must be a date, got {quote_value(value)}.")
    return stamp.normalize() + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
