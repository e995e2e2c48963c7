"""Input checks for every stage, with one message template (private).

Every public function checks what a user passed through these helpers
before computing anything, so the same mistake gets the same sentence in
every module. A problem with the values of a column is worded by one
template, :func:`column_error`::

    <table>: column '<name>' is <problem> in <count> row(s), e.g. <example>. [<hint>]

for instance ``transactions: column 'amount' is not a number in 3 rows,
e.g. 'N/D'.`` A missing column or a bad parameter has its own sentence
below. Every check raises :class:`relmark_lab.DataError`, worded in the
language in use (:func:`relmark_lab.i18n.set_language`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._ids import ID_DTYPE, NA_TOKENS, as_ids, id_codes
from relmark_lab._parameters import (  # one import path for every check
    require_choice,
    require_number,
    require_probability,
    require_whole_number,
)
from relmark_lab._time import DATE_FORMS_HINT, parse_dates
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = [
    "ID_DTYPE",
    "LARGEST_AMOUNT",
    "MISSING_LABEL",
    "NA_TOKENS",
    "as_ids",
    "column_error",
    "first_row",
    "id_codes",
    "require_choice",
    "require_columns",
    "require_dates",
    "require_ids",
    "require_labels",
    "require_number",
    "require_numbers",
    "require_probability",
    "require_unique",
    "require_whole_number",
    "with_missing_label",
]

#: No line of a transactions table reaches this magnitude; beyond it sums overflow to infinity.
LARGEST_AMOUNT = 1e15

#: The label under which rows whose group (segment, tier, contact type) is missing are
#: counted in every per-group table, never dropped.
MISSING_LABEL = "(missing)"

#: How many column names a "column missing" message lists.
_COLUMNS_SHOWN = 12
#: The problem and the hint of a missing value (English; shown through gettext).
_MISSING = N_("missing")
_FILL_ROWS = N_("Drop or fill those rows first.")


def column_error(what: str, column: str, count: int, problem: str, example: Any,
                 hint: str | None = None) -> DataError:
    """The DataError for ``count`` bad values of one column, in the kit's one template.

    Parameters
    ----------
    what : str
        The table's name, e.g. ``"transactions"`` or ``"survey"``.
    column : str
        The column.
    count : int
        How many rows are affected.
    problem : str
        What is wrong, read after "is": ``"not a number"``, ``"missing"``,
        ``"outside 0–10"``. It is looked up in the catalogs, so a literal
        marked ``N_("...")`` where it is written is shown translated; its
        Spanish carries its own verb, as it stands after the column's name
        (``"not a number"``: ``"no es un número"``).
    example : object
        One offending value (or a row label, for missing values).
    hint : str, optional
        One sentence on what to do, looked up in the catalogs too.

    Returns
    -------
    DataError
        To be raised by the caller.

    Examples
    --------
    >>> print(column_error("survey", "recommend", 2, "outside 0–10", np.int64(11)))
    survey: column 'recommend' is outside 0–10 in 2 rows, e.g. 11.
    """
    template = (_("{what}: column {column!r} is {problem} in {count:,} row, e.g. {example}.")
                if count == 1 else
                _("{what}: column {column!r} is {problem} in {count:,} rows, e.g. {example}."))
    message = template.format(what=what, column=column, problem=_(problem), count=count,
                              example=describe_example(example))
    return DataError(f"{message} {_(hint)}" if hint else message)


def require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise DataError unless ``frame`` is a DataFrame holding ``columns``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table a user passed.
    columns : sequence of str
        The columns the caller needs.
    what : str
        The table's name in the message, e.g. ``"transactions"``.

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
        raise DataError(_("The {what} must be a pandas DataFrame, got {kind}.").format(
            what=what, kind=type(frame).__name__))
    repeated = [c for c in dict.fromkeys(columns) if (frame.columns == c).sum() > 1]
    if repeated:
        raise DataError(
            _("Column {column!r} appears {times} times in the {what}; keep one of them, e.g. "
              "with frame.loc[:, ~frame.columns.duplicated()].").format(
                column=repeated[0], times=int((frame.columns == repeated[0]).sum()), what=what)
        )
    missing = [c for c in columns if c not in frame.columns]
    if not missing:
        return
    first = missing[0]
    found = ", ".join(map(str, frame.columns[:_COLUMNS_SHOWN])) or _("none")
    if len(frame.columns) > _COLUMNS_SHOWN:
        found = _("{found}, … ({count} in all)").format(found=found, count=len(frame.columns))
    if what == "transactions":
        template = _("Column {first!r} is missing from the {what} ({count} required column(s) "
                     "missing in all: {missing}). Columns found: {found}. If the table lacks "
                     "column {first!r} only because it has another name there, map the names "
                     "with rl.read_transactions(..., columns={{{first!r}: 'your name'}}).")
    else:
        template = _("Column {first!r} is missing from the {what} ({count} required column(s) "
                     "missing in all: {missing}). Columns found: {found}. If the table lacks "
                     "column {first!r} only because it has another name there, rename it with "
                     "DataFrame.rename(columns={{'your name': {first!r}}}).")
    raise DataError(template.format(first=first, what=what, count=len(missing),
                                    missing=", ".join(map(repr, missing)), found=found))


def _first(frame: pd.DataFrame, column: str, mask: pd.Series | np.ndarray) -> Any:
    return frame[column].to_numpy(dtype=object)[np.asarray(mask, dtype=bool)][0]


class _Row:
    """A row label shown as ``row 12`` in a message (for values that are missing)."""

    def __init__(self, label: Any):
        self.label = label.item() if isinstance(label, np.generic) else label

    def __repr__(self) -> str:
        return _("row {label!r}").format(label=self.label)


def first_row(frame: pd.DataFrame, mask: pd.Series | np.ndarray) -> _Row:
    """The label of the first row where ``mask`` holds, shown as ``row 12`` in a message."""
    return _Row(frame.index[np.asarray(mask, dtype=bool)][0])


def require_ids(frame: pd.DataFrame, column: str, what: str) -> pd.Series:
    """The id column as text (:data:`ID_DTYPE`), or DataError if an id is missing or blank.

    Examples
    --------
    >>> require_ids(pd.DataFrame({"customer_id": ["a", " "]}), "customer_id", "transactions")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: transactions: column 'customer_id' is missing or blank in \
1 row, e.g. row 1. rl.read_transactions drops such rows and counts them in its ledger.
    """
    ids = as_ids(frame[column])
    blank = ids.isna().to_numpy(dtype=bool)
    if blank.any():
        hint = (N_("rl.read_transactions drops such rows and counts them in its ledger.")
                if what == "transactions" else _FILL_ROWS)
        raise column_error(what, column, int(blank.sum()), N_("missing or blank"),
                           first_row(frame, blank), hint)
    return ids


def require_unique(frame: pd.DataFrame, column: str, what: str) -> None:
    """Raise DataError if a value of ``column`` appears twice (one row per customer).

    Examples
    --------
    >>> require_unique(pd.DataFrame({"customer_id": ["a", "a"]}), "customer_id", "customers")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: customers: column 'customer_id' is repeated in 1 row, \
e.g. 'a'. One row per customer is expected.
    """
    repeated = frame[column].duplicated().to_numpy(dtype=bool)
    if repeated.any():
        raise column_error(what, column, int(repeated.sum()), N_("repeated"),
                           _first(frame, column, repeated),
                           N_("One row per customer is expected."))


def require_labels(frame: pd.DataFrame, column: str, what: str, allowed: Sequence[str],
                   problem: str | None = None, hint: str | None = None) -> None:
    """Raise DataError unless every value of ``column`` is one of ``allowed``.

    ``problem`` (read after "is") defaults to "not one of <allowed>".

    Examples
    --------
    >>> require_labels(pd.DataFrame({"stage": ["vip"]}), "stage", "stages", ["loyalty"])
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: stages: column 'stage' is not one of loyalty in 1 row, \
e.g. 'vip'.
    """
    unknown = ~frame[column].isin(allowed).to_numpy(dtype=bool)
    if unknown.any():
        raise column_error(what, column, int(unknown.sum()),
                           problem or _("not one of {allowed}").format(
                               allowed=", ".join(map(str, allowed))),
                           _first(frame, column, unknown), hint)


def require_dates(frame: pd.DataFrame, column: str, what: str, timezone: Any = None,
                  *, allow_missing: bool = False) -> pd.Series:
    """The column as naive local datetimes (the rules of :mod:`relmark_lab._time`), or DataError.

    Examples
    --------
    >>> require_dates(pd.DataFrame({"date": ["2025-01-01", "someday"]}), "date", "transactions")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: transactions: column 'date' is not a date in 1 row, \
e.g. 'someday'. Write dates year first (2025-12-31, or 2025-12-31 18:30 with or without a UTC \
offset) or pass datetimes; rl.read_transactions also reads forms such as 31/12/2025, 12/31/25 \
and 20251231, and tells day/month from month/day.
    """
    raw = frame[column]
    values = parse_dates(raw, timezone)
    missing = raw.isna().to_numpy(dtype=bool)
    bad = values.isna().to_numpy(dtype=bool) & ~missing
    if bad.any():
        raise column_error(what, column, int(bad.sum()), N_("not a date"),
                           _first(frame, column, bad), DATE_FORMS_HINT)
    if missing.any() and not allow_missing:
        raise column_error(what, column, int(missing.sum()), _MISSING,
                           first_row(frame, missing), _FILL_ROWS)
    return values


def require_numbers(
    frame: pd.DataFrame, column: str, what: str, *, allow_missing: bool = False,
    low: float | None = None, high: float | None = None, integer: bool = False,
) -> pd.Series:
    """The column as float64, or DataError naming the values that are not usable.

    Numbers stored as text are read. Text that is not a number fails, and so
    does a missing or infinite value unless ``allow_missing`` (then missing
    values stay NaN), a value outside ``[low, high]``, and, with
    ``integer``, a value that is not a whole number.

    Examples
    --------
    >>> require_numbers(pd.DataFrame({"amount": ["1", "N/D"]}), "amount", "transactions")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: transactions: column 'amount' is not a number in 1 row, \
e.g. 'N/D'.
    >>> require_numbers(pd.DataFrame({"score": [3, 11]}), "score", "survey", low=0, high=10)
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: survey: column 'score' is outside 0–10 in 1 row, e.g. 11.
    """
    raw = frame[column]
    if pd.api.types.is_bool_dtype(raw.dtype):
        raise column_error(what, column, len(raw), N_("True/False, not a number"), raw.iloc[0])
    values = pd.to_numeric(raw, errors="coerce").astype("float64")
    missing = raw.isna().to_numpy(dtype=bool)
    numbers = values.to_numpy()
    not_number = np.isnan(numbers) & ~missing
    if not_number.any():
        raise column_error(what, column, int(not_number.sum()), N_("not a number"),
                           _first(frame, column, not_number))
    infinite = np.isinf(numbers)
    if infinite.any():
        raise column_error(what, column, int(infinite.sum()), N_("infinite"),
                           _first(frame, column, infinite))
    if missing.any() and not allow_missing:
        raise column_error(what, column, int(missing.sum()), _MISSING,
                           first_row(frame, missing), _FILL_ROWS)
    present = ~missing
    if low is not None or high is not None:
        lo = -np.inf if low is None else low
        hi = np.inf if high is None else high
        outside = present & ((numbers < lo) | (numbers > hi))
        if outside.any():
            problem = (_("outside {low:g}–{high:g}") if low is not None and high is not None
                       else _("below {low:g}") if low is not None
                       else _("above {high:g}")).format(low=lo, high=hi)
            raise column_error(what, column, int(outside.sum()), problem,
                               _first(frame, column, outside))
    if integer:
        fractional = present & (numbers % 1 != 0)
        if fractional.any():
            raise column_error(what, column, int(fractional.sum()), N_("not a whole number"),
                               _first(frame, column, fractional))
    return values


def with_missing_label(labels: pd.Series) -> pd.Series:
    """Group labels with missing values as :data:`MISSING_LABEL`, so they are counted, not dropped.

    A categorical keeps its categories (empty ones give rows of zeros when
    grouped with ``observed=False``) and gains the missing label.

    Examples
    --------
    >>> with_missing_label(pd.Series(["VIP", None])).tolist()
    ['VIP', '(missing)']
    """
    if not labels.isna().any():
        return labels
    if isinstance(labels.dtype, pd.CategoricalDtype):
        labels = labels.cat.add_categories(MISSING_LABEL)
    elif not pd.api.types.is_string_dtype(labels.dtype):
        labels = labels.astype(object)  # numeric labels (cluster numbers) take text too
    return labels.fillna(MISSING_LABEL)
