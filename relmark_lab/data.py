"""Read transaction exports into one clean, canonical table.

Real exports arrive as Spanish-locale CSV files with ``;`` separators and
``$1.234,50`` amounts, as Windows-encoded files, as tab-separated text, as
Parquet or as DataFrames already in memory. :func:`read_transactions` turns
all of them into the same table (``customer_id``, ``date``, ``amount`` and
optional columns) and returns a :class:`Ledger` that accounts for every row
it dropped and every guess it made, so an analysis can always be traced back
to the source file.

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame({"Customer_ID": ["007", "007", ""],
...                     "Date": ["2024-01-05", "2024-01-05", "2024-01-06"],
...                     "Amount": ["$1,250.00", "$1,250.00", "10"]})
>>> tx, ledger = read_transactions(raw)
>>> tx["customer_id"].tolist(), tx["amount"].tolist()
(['007'], [1250.0])
>>> ledger.dropped
{'exact duplicate': 1, 'missing customer_id': 1}
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab.errors import DataError, describe_example

__all__ = ["CANONICAL_COLUMNS", "DROP_REASONS", "Ledger", "read_transactions"]

#: Canonical column names, required ones first, in output order.
CANONICAL_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "date",
    "amount",
    "order_id",
    "margin",
    "quantity",
    "category",
    "days_late",
)
_REQUIRED = ("customer_id", "date", "amount")
_NUMERIC_OPTIONAL = ("margin", "quantity", "days_late")

#: Reasons a row is dropped, in the order the rules are checked; the first match wins.
DROP_REASONS = (
    "exact duplicate",
    "missing customer_id",
    "test customer",
    "missing date",
    "unparseable date",
    "after observation end",
    "missing amount",
    "non-numeric amount",
    "non-finite amount",
    "zero amount",
)

_CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
_PARQUET_EXTENSIONS = (".parquet", ".pq")
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# Spreadsheet and database spellings of "no value" (compared lower-cased).
_NA_TOKENS = tuple(
    variant
    for token in ("na", "n/a", "nan", "null", "none", "nat", "#n/a")
    for variant in (token, token.upper(), token.capitalize())
) + ("NaN", "NaT", "N/a")
_SAMPLE_BYTES = 64 * 1024

# Dates. ISO 8601 (and CDNOW's 20241231) goes first through pandas' fast ISO
# parser. Other forms are recognised by a regex and parsed with one explicit
# format on that subset only, so 3 million rows never hit per-value dateutil.
_MIN_ISO_LENGTH = 8  # shorter strings such as "2024" or "2024-01" are not dates
# A UTC offset after a time of day ("10:00+01:00", "10:00:00.5Z", "10:00 -05").
_ISO_TZ_RE = r"\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s?(?:Z|[+-]\d{2}(?::?\d{2})?)$"
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
_YMD_RE = r"\d{4}[/.]\d{1,2}[/.]\d{1,2}" + _TIME
_DMY_RE = r"\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})" + _TIME
_MON_RE = r"\d{1,2}[- ][A-Za-z]{3}[- ](?:\d{4}|\d{2})"

# Amounts: currency marks removed before the number is read.
_CURRENCY_RE = r"(?i)US\$|MX\$|R\$|MXN|EUR|USD|GBP|[$€£¥]"
_BLANKS_RE = r"[\s\u00a0\u202f\u2009']"


# --------------------------------------------------------------------------
# Ledger
# --------------------------------------------------------------------------


@dataclass(eq=False)
class Ledger:
    """Account of what :func:`read_transactions` kept, dropped and assumed.

    Attributes
    ----------
    source : str
        The file path, or ``"pandas DataFrame"``.
    rows_in : int
        Data rows read from the source (header excluded).
    rows_kept : int
        Rows in the returned transactions table.
    dropped : dict of str to int
        Rows dropped per reason, only reasons that occurred, in rule order.
    rejected : pandas.DataFrame
        The dropped rows: ``source_row`` (1-based data-row number),
        ``reason`` and the raw source columns.
    notes : list of str
        Every guess made while reading (delimiter, encoding, decimal mark,
        day-first dates) and every optional value set to missing.

    Examples
    --------
    >>> ledger = Ledger("sales.csv", rows_in=10, rows_kept=8,
    ...                 dropped={"missing amount": 2})
    >>> ledger.check()
    >>> ledger.to_frame()["rows"].tolist()
    [8, 2, 10]
    """

    source: str
    rows_in: int
    rows_kept: int
    dropped: dict[str, int] = field(default_factory=dict)
    rejected: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["source_row", "reason"])
    )
    notes: list[str] = field(default_factory=list)

    def check(self) -> None:
        """Verify that every input row is either kept or dropped for a reason.

        Raises
        ------
        AssertionError
            If ``rows_in != rows_kept + sum(dropped.values())``.

        Examples
        --------
        >>> Ledger("x.csv", rows_in=3, rows_kept=3).check()
        """
        # An explicit raise, because ``assert`` disappears under ``python -O``.
        total_dropped = sum(self.dropped.values())
        if self.rows_in != self.rows_kept + total_dropped:
            raise AssertionError(
                f"Ledger for {self.source} does not add up: {self.rows_in} rows read, "
                f"but {self.rows_kept} kept + {total_dropped} dropped "
                f"= {self.rows_kept + total_dropped}."
            )

    def to_frame(self) -> pd.DataFrame:
        """Return the ledger as a tidy table with one row per outcome.

        Returns
        -------
        pandas.DataFrame
            Columns ``reason``, ``rows`` and ``share`` (of ``rows_in``), with
            a ``"kept"`` row first, one row per drop reason, and ``"total"``.

        Examples
        --------
        >>> Ledger("x.csv", 4, 3, {"zero amount": 1}).to_frame()["reason"].tolist()
        ['kept', 'zero amount', 'total']
        """
        reasons = ["kept", *self.dropped, "total"]
        rows = [self.rows_kept, *self.dropped.values(), self.rows_in]
        denominator = self.rows_in if self.rows_in else np.nan
        return pd.DataFrame(
            {
                "reason": reasons,
                "rows": np.asarray(rows, dtype="int64"),
                "share": np.asarray(rows, dtype="float64") / denominator,
            }
        )

    def __str__(self) -> str:
        rows = [("rows read", self.rows_in, "")]
        for reason, count, share in self.to_frame().itertuples(index=False):
            if reason != "total":
                label = reason if reason == "kept" else f"dropped: {reason}"
                rows.append((label, count, "" if np.isnan(share) else f"{share:7.1%}"))
        width = max(len(label) for label, _, _ in rows)
        lines = [f"Ledger for {self.source}"]
        lines += [f"  {label:<{width}}  {count:>11,}  {pct}".rstrip() for label, count, pct in rows]
        if self.notes:
            lines.append("Notes:")
            lines.extend(f"  - {note}" for note in self.notes)
        return "\n".join(lines)

    def __repr__(self) -> str:
        # The default dataclass repr would print the whole rejected table.
        return (
            f"Ledger(source={self.source!r}, rows_in={self.rows_in}, "
            f"rows_kept={self.rows_kept}, dropped={self.dropped!r}, "
            f"notes={len(self.notes)})"
        )

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{_html_escape(note)}</li>" for note in self.notes)
        notes_html = f"<p>Notes:</p><ul>{notes}</ul>" if notes else ""
        table = self.to_frame().to_html(index=False, float_format=lambda x: f"{x:.1%}")
        return f"<p><b>Ledger for {_html_escape(self.source)}</b></p>{table}{notes_html}"


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------


def read_transactions(
    source: pd.DataFrame | str | Path,
    columns: Mapping[str, str] | None = None,
    *,
    observation_end: Any = None,
    dayfirst: bool | None = None,
    decimal: str | None = None,
    test_customer_pattern: str | None = None,
    drop_duplicates: bool = True,
    drop_zero_amounts: bool = True,
    timezone: Any = "UTC",
    encoding: str | None = None,
    delimiter: str | None = None,
) -> tuple[pd.DataFrame, Ledger]:
    """Read transactions from a file or DataFrame into a canonical table.

    Parameters
    ----------
    source : pandas.DataFrame, str or pathlib.Path
        A DataFrame, or the path of a CSV (``.csv``, ``.txt``, ``.tsv``) or
        Parquet (``.parquet``, ``.pq``) file.
    columns : dict, optional
        Canonical name → your column name, e.g.
        ``{"customer_id": "Cliente", "amount": "Importe"}``. Canonical names:
        ``customer_id``, ``date``, ``amount`` (required), ``order_id``,
        ``margin``, ``quantity``, ``category``, ``days_late`` (optional).
        Columns not mapped are found by name, ignoring case and surrounding
        spaces.
    observation_end : date, str or Timestamp, optional
        Rows dated later are dropped. A date without a time of day (or a
        timestamp at exactly midnight) keeps that whole day.
    dayfirst : bool, optional
        Whether ``01/02/2024`` is 1 February. ``None`` infers it from dates
        whose day is above 12; with no evidence, month-first is used and a
        note says so.
    decimal : {",", "."}, optional
        Decimal mark of text numbers. ``None`` infers it per column.
    test_customer_pattern : str, optional
        Regular expression (``re.search``) marking test or internal customer
        ids, e.g. ``"^TEST"``; those rows are dropped.
    drop_duplicates : bool, default True
        Drop rows identical to an earlier row in every source column.
    drop_zero_amounts : bool, default True
        Drop rows whose amount is exactly 0. Negative amounts (returns) are
        always kept.
    timezone : str, default "UTC"
        Dates with a UTC offset are converted to this zone; dates without
        one are taken as already in it. The output is time-zone naive.
    encoding : str, optional
        File encoding. ``None`` tries UTF-8, then cp1252/latin-1.
    delimiter : str, optional
        CSV field separator. ``None`` detects one of ``, ; tab |``.

    Returns
    -------
    transactions : pandas.DataFrame
        ``customer_id`` (string), ``date`` (naive datetime64), ``amount``
        (float64), the optional canonical columns present, then every other
        source column unchanged, with a fresh 0..n-1 index in source order.
    ledger : Ledger
        Row counts per drop reason, the rejected rows and notes on guesses.

    Raises
    ------
    DataError
        When the source cannot be read or a required column is missing or
        unusable; the message says which column, how many values and how
        to fix it.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"Cliente": ["00042", "00042", "7"],
    ...                     "Fecha": ["25/12/2024", "03/01/2025", "04/01/2025"],
    ...                     "Importe": ["1.234,50", "-(10,00)", "0"]})
    >>> tx, ledger = read_transactions(
    ...     raw, columns={"customer_id": "Cliente", "date": "Fecha", "amount": "Importe"})
    >>> tx["amount"].tolist()
    [1234.5, -10.0]
    >>> str(tx["date"].iloc[1].date())
    '2025-01-03'
    >>> ledger.rows_in, ledger.rows_kept, ledger.dropped
    (3, 2, {'zero amount': 1})
    """
    notes: list[str] = []
    tz = _check_timezone(timezone)
    if decimal not in (None, ",", "."):
        raise DataError(f"decimal must be ',' or '.' (or None to detect it), not {decimal!r}.")
    if dayfirst not in (None, True, False):
        raise DataError(f"dayfirst must be True, False or None, not {dayfirst!r}.")

    raw, description, used_delimiter = _load(source, encoding, delimiter, notes)
    if len(raw) == 0:
        raise DataError(
            f"{description} has a header ({_list_names(raw.columns)}) but no data rows. "
            "Check that the export finished and that you opened the right file."
        )
    colmap = _resolve_columns(list(raw.columns), columns)
    n = len(raw)

    # Parse the required columns (each may raise when a whole column is unusable).
    customer, customer_missing = _as_text(raw[colmap["customer_id"]])
    if customer_missing.all():
        raise DataError(
            f"Column '{colmap['customer_id']}' (customer_id) is empty: all {n} values are "
            "missing. Check that you mapped the right column with columns=."
        )
    dates, date_missing, date_bad = _parse_dates(
        raw[colmap["date"]], colmap["date"], dayfirst, tz, notes
    )
    amounts, amount_missing, amount_bad, amount_nonfinite = _parse_numbers(
        raw[colmap["amount"]], colmap["amount"], decimal, used_delimiter, notes
    )
    _require_some_values(colmap["amount"], raw[colmap["amount"]], amount_missing, amount_bad)

    # Row rules, in the order given by DROP_REASONS.
    empty = np.zeros(n, dtype=bool)
    masks = [
        _duplicated_rows(raw, dates, amounts) if drop_duplicates else empty,
        customer_missing,
        _test_customers(customer, customer_missing, test_customer_pattern),
        date_missing,
        date_bad,
        _after_end(dates, observation_end, tz),
        amount_missing,
        amount_bad,
        amount_nonfinite,
        (amounts == 0) & ~amount_missing & ~amount_bad if drop_zero_amounts else empty,
    ]
    codes = np.zeros(n, dtype=np.int8)
    for code in range(len(masks), 0, -1):  # later rules first, so earlier ones win
        codes[np.asarray(masks[code - 1], dtype=bool)] = code
    keep = codes == 0
    counts = np.bincount(codes, minlength=len(DROP_REASONS) + 1)
    dropped = {reason: int(counts[i + 1]) for i, reason in enumerate(DROP_REASONS) if counts[i + 1]}

    out = _assemble(raw, colmap, customer, dates, amounts, used_delimiter, decimal, notes)
    transactions = out.loc[keep].reset_index(drop=True) if not keep.all() else out

    bad_rows = np.flatnonzero(~keep)
    rejected = pd.concat(
        [
            pd.DataFrame(
                {
                    "source_row": bad_rows + 1,
                    "reason": np.asarray(DROP_REASONS, dtype=object)[codes[bad_rows] - 1],
                }
            ),
            raw.iloc[bad_rows].reset_index(drop=True),
        ],
        axis=1,
    )
    ledger = Ledger(
        source=description,
        rows_in=n,
        rows_kept=int(keep.sum()),
        dropped=dropped,
        rejected=rejected,
        notes=notes,
    )
    ledger.check()
    return transactions, ledger


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def _load(
    source: Any, encoding: str | None, delimiter: str | None, notes: list[str]
) -> tuple[pd.DataFrame, str, str | None]:
    """Return the raw table with stripped header names, a description and the delimiter."""
    if isinstance(source, pd.DataFrame):
        names = [_clean_name(c) for c in source.columns]
        _check_duplicate_names(names, "The DataFrame")
        raw = source.set_axis(names, axis=1).reset_index(drop=True)
        return raw, "pandas DataFrame", None
    if not isinstance(source, (str, Path)):
        raise DataError(
            f"read_transactions() needs a pandas DataFrame or the path of a CSV or Parquet "
            f"file, not a {type(source).__name__}. Convert it first, e.g. pd.DataFrame(...)."
        )
    path = Path(source)
    if not path.exists():
        raise DataError(
            f"File not found: '{path}'. Check the spelling and the folder "
            f"(the current folder is '{Path.cwd()}')."
        )
    if path.is_dir():
        raise DataError(f"'{path}' is a folder, not a file. Pass the path of the file itself.")
    suffix = path.suffix.lower()
    if suffix in _PARQUET_EXTENSIONS:
        return _read_parquet(path), str(path), None
    if suffix in _CSV_EXTENSIONS:
        raw, used = _read_csv(path, encoding, delimiter, notes)
        return raw, str(path), used
    raise DataError(
        f"Cannot read '{path.name}': files ending in '{suffix or '(no extension)'}' are not "
        f"supported. Save it as CSV ({', '.join(_CSV_EXTENSIONS)}) or Parquet "
        f"({', '.join(_PARQUET_EXTENSIONS)}), or load it yourself and pass the DataFrame."
    )


def _clean_name(name: object) -> str:
    return str(name).strip().lstrip("\ufeff").strip()


def _check_duplicate_names(names: list[str], where: str) -> None:
    repeated = {name: k for name, k in Counter(names).items() if k > 1}
    if repeated:
        name, times = next(iter(repeated.items()))
        raise DataError(
            f"{where} has the column name '{name}' {times} times (after removing "
            "surrounding spaces). Rename the columns so that each name appears once."
        )


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        import pyarrow.parquet as pq

        names = [_clean_name(c) for c in pq.read_schema(path).names]
        _check_duplicate_names(names, f"The file '{path.name}'")
        frame = pd.read_parquet(path)
    except DataError:
        raise
    except Exception as exc:  # pyarrow raises several unrelated types for bad files
        raise DataError(
            f"'{path.name}' could not be read as a Parquet table ({type(exc).__name__}). "
            "The file may be damaged or not really Parquet; export it again."
        ) from exc
    names = [_clean_name(c) for c in frame.columns]
    return frame.set_axis(names, axis=1).reset_index(drop=True)


def _read_csv(
    path: Path, encoding: str | None, delimiter: str | None, notes: list[str]
) -> tuple[pd.DataFrame, str]:
    with path.open("rb") as handle:
        head = handle.read(_SAMPLE_BYTES)
    truncated = len(head) == _SAMPLE_BYTES
    if not head.strip():
        raise DataError(f"'{path.name}' is empty: it has no header and no rows.")

    enc = encoding
    if enc is None:
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            enc = "utf-16"  # Excel's "Unicode text" export
            notes.append("Encoding: UTF-16 (byte-order mark found).")
        else:
            enc = _guess_encoding(head, truncated, path, notes)
    if b"\x00" in head and "16" not in enc and "32" not in enc:
        raise DataError(
            f"'{path.name}' is not a text table: it contains binary data. If it is an Excel "
            "workbook, save it as CSV first; otherwise check that this is the right file."
        )
    try:
        sample = head.decode(enc, errors="ignore")  # a cut multi-byte tail is harmless
    except LookupError as exc:
        raise DataError(f"Unknown encoding {encoding!r}. Try 'utf-8' or 'cp1252'.") from exc
    sample = sample.lstrip("\ufeff")
    if truncated and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # the last line may be cut in half

    if delimiter is None:
        delimiter = _sniff_delimiter(sample)
        notes.append(
            f"Delimiter: {_DELIMITER_NAMES.get(delimiter, repr(delimiter))} "
            f"({delimiter!r}), detected; pass delimiter= to override."
        )
    header = next(csv.reader(io.StringIO(sample), delimiter=delimiter), [])
    names = [_clean_name(h) for h in header]
    _check_duplicate_names([n for n in names if n], f"The file '{path.name}'")
    unnamed = [i for i, name in enumerate(names) if not name]
    for i in unnamed:
        names[i] = f"unnamed_{i + 1}"
    if unnamed:
        notes.append(
            f"{len(unnamed)} column(s) without a header were named "
            f"{', '.join(names[i] for i in unnamed[:5])}."
        )

    frame = _read_table(path, enc, delimiter, len(names), encoding is None, notes)
    if frame.shape[1] != len(names):
        raise DataError(
            f"'{path.name}' could not be read as a table: the header has {len(names)} "
            f"columns but pandas found {frame.shape[1]}. Check the delimiter (pass "
            "delimiter=) and the quoting in the first line."
        )
    return frame.set_axis(names, axis=1), delimiter


def _guess_encoding(head: bytes, truncated: bool, path: Path, notes: list[str]) -> str:
    probe = head[: head.rfind(b"\n") + 1] if truncated and b"\n" in head else head
    try:
        probe.decode("utf-8")
        if head.startswith(b"\xef\xbb\xbf"):
            notes.append("Encoding: UTF-8 with byte-order mark (BOM), removed from the header.")
        return "utf-8-sig"  # also strips a BOM when there is one
    except UnicodeDecodeError:
        pass
    return _fallback_encoding(head, path, notes)


def _fallback_encoding(data: bytes, path: Path, notes: list[str]) -> str:
    try:
        data.decode("cp1252")
        enc = "cp1252"
    except UnicodeDecodeError:
        enc = "latin-1"  # decodes any byte, so it is the last resort
    notes.append(
        f"Encoding: '{path.name}' is not UTF-8; it was read as {enc} (Windows/Western "
        "European). If accented letters look wrong, pass encoding= explicitly."
    )
    return enc


def _read_table(
    path: Path, enc: str, delimiter: str, n_columns: int, may_retry: bool, notes: list[str]
) -> pd.DataFrame:
    """Read every field as a string: Arrow first (fast), pandas for awkward files."""
    try:
        try:
            return _arrow_read_csv(path, enc, delimiter, n_columns)
        except _ArrowCannotRead:
            # Ragged rows or line breaks inside quotes: pandas pads short rows and
            # reports the line of a long one.
            return _pandas_read_csv(path, enc, delimiter)
    except UnicodeDecodeError as exc:
        if may_retry and enc in ("utf-8", "utf-8-sig"):
            # The first 64 KB were UTF-8 but a later byte is not: re-read as Windows text.
            with path.open("rb") as handle:
                enc = _fallback_encoding(handle.read(), path, notes)
            return _read_table(path, enc, delimiter, n_columns, False, notes)
        raise DataError(
            f"'{path.name}' could not be decoded as {enc}. Pass the right encoding=, "
            "e.g. 'utf-8', 'cp1252' or 'latin-1'."
        ) from exc


class _ArrowCannotRead(Exception):
    """The Arrow CSV reader gave up; the slower pandas reader will try."""


def _arrow_read_csv(path: Path, enc: str, delimiter: str, n_columns: int) -> pd.DataFrame:
    try:
        import pyarrow as pa
        import pyarrow.csv as pa_csv
    except ImportError as exc:  # pragma: no cover - pyarrow is a dependency
        raise _ArrowCannotRead from exc
    names = [f"c{i}" for i in range(n_columns)]
    try:
        table = pa_csv.read_csv(
            path,
            read_options=pa_csv.ReadOptions(
                column_names=names,
                skip_rows=1,  # the header, already read and checked by us
                encoding="utf8" if enc in ("utf-8", "utf-8-sig") else enc,
            ),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,  # keep raw strings; missing values judged later
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        if "utf8" in str(exc).lower().replace("-", ""):
            raise UnicodeDecodeError(enc, b"", 0, 1, str(exc)) from exc
        raise _ArrowCannotRead from exc
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _ArrowCannotRead from exc
    string = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default "str" dtype
    return table.to_pandas(types_mapper=lambda typ: string)


def _pandas_read_csv(path: Path, enc: str, delimiter: str) -> pd.DataFrame:
    try:
        return pd.read_csv(
            path,
            sep=delimiter,
            dtype=str,
            encoding=enc,
            keep_default_na=False,  # keep raw strings; missing values are judged later
            na_filter=False,
            index_col=False,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(
            f"'{path.name}' could not be read as a table ({detail}). Check the delimiter "
            "(pass delimiter=) and that every row has as many fields as the header."
        ) from exc


def _sniff_delimiter(sample: str) -> str:
    """Pick the delimiter that splits the header and rows into the same number of fields."""
    best: tuple[tuple[bool, float, int], str] | None = None
    for candidate in _DELIMITERS:
        rows = [r for r in csv.reader(io.StringIO(sample), delimiter=candidate) if r]
        if not rows:
            continue
        counts = [len(r) for r in rows[:200]]
        mode, freq = Counter(counts).most_common(1)[0]
        score = (mode > 1 and counts[0] == mode, freq / len(counts), mode)
        if mode > 1 and (best is None or score > best[0]):
            best = (score, candidate)
    if best is not None:
        return best[1]
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        return ","  # a single-column file; the column check will explain what is missing


# --------------------------------------------------------------------------
# Column mapping
# --------------------------------------------------------------------------


def _list_names(names: Any) -> str:
    names = list(names)
    shown = ", ".join(repr(str(n)) for n in names[:30])
    return shown + (f" and {len(names) - 30} more" if len(names) > 30 else "")


def _resolve_columns(found: list[str], columns: Mapping[str, str] | None) -> dict[str, str]:
    """Map each canonical name to a source column name."""
    mapping: dict[str, str] = {}
    if columns is not None:
        if not isinstance(columns, Mapping):
            raise DataError(
                "columns= must be a dict from canonical names to your column names, "
                'e.g. columns={"customer_id": "Cliente"}, not a '
                f"{type(columns).__name__}."
            )
        for key, wanted in columns.items():
            if key not in CANONICAL_COLUMNS:
                raise DataError(
                    f"columns= uses the key {key!r}, which is not a canonical name. "
                    f"Use one of {', '.join(CANONICAL_COLUMNS)}, e.g. "
                    f'columns={{"customer_id": {key!r}}} if {key!r} holds customer ids.'
                )
            match = _match_name(str(wanted), found)
            if match is None:
                raise DataError(
                    f"columns= maps {key!r} to {wanted!r}, but there is no such column. "
                    f"Columns found: {_list_names(found)}."
                )
            mapping[key] = match
    used = Counter(mapping.values())
    for name, times in used.items():
        if times > 1:
            keys = [k for k, v in mapping.items() if v == name]
            raise DataError(
                f"columns= maps {', '.join(map(repr, keys))} all to the column '{name}'. "
                "Each source column can play one role only."
            )
    for canonical in CANONICAL_COLUMNS:
        if canonical in mapping:
            continue
        candidates = [c for c in found if c.casefold() == canonical and c not in used]
        if len(candidates) > 1:
            raise DataError(
                f"Several columns could be {canonical!r}: {_list_names(candidates)}. "
                f'Choose one with columns={{"{canonical}": "{candidates[0]}"}}.'
            )
        if candidates:
            mapping[canonical] = candidates[0]
    missing = [c for c in _REQUIRED if c not in mapping]
    if missing:
        example = ", ".join(f'"{c}": "<your column>"' for c in missing)
        raise DataError(
            f"Required column(s) {', '.join(map(repr, missing))} not found. Columns found: "
            f"{_list_names(found)}. Say which column holds what with columns=, "
            f"e.g. read_transactions(path, columns={{{example}}})."
        )
    return mapping


def _match_name(wanted: str, found: list[str]) -> str | None:
    wanted = _clean_name(wanted)
    if wanted in found:
        return wanted
    loose = [c for c in found if c.casefold() == wanted.casefold()]
    return loose[0] if len(loose) == 1 else None


# --------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------


def _as_text(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Return stripped strings (NaN where missing) and the missing mask."""
    if isinstance(series.dtype, pd.StringDtype):
        text = series
    elif pd.api.types.is_float_dtype(series.dtype) and _integral(series):
        # Ids stored as floats (because of NaN) should read "42", not "42.0".
        text = series.astype("Int64").astype("str")
    else:
        text = series.astype("str")
    text = text.str.strip()
    missing = (text.isna() | (text == "") | text.isin(_NA_TOKENS)).to_numpy(dtype=bool)
    return (text.mask(missing) if missing.any() else text), missing


def _integral(series: pd.Series) -> bool:
    """True when every finite value is a whole number that an Int64 can hold exactly."""
    values = series.to_numpy(dtype="float64", na_value=np.nan)
    finite = values[np.isfinite(values)]
    return bool(np.all(finite == np.round(finite)) and np.all(np.abs(finite) < 2**53))


def _whole_numbers(values: np.ndarray) -> bool:
    """True when no value is missing and every one is a whole number."""
    return bool(
        np.isfinite(values).all()
        and (values == np.round(values)).all()
        and (np.abs(values) < 2**53).all()
    )


def _example(values: pd.Series | np.ndarray, mask: np.ndarray) -> str:
    picked = np.asarray(values, dtype=object)[np.asarray(mask, dtype=bool)]
    return describe_example(picked[0]) if len(picked) else "''"


def _require_some_values(
    name: str, series: pd.Series, missing: np.ndarray, bad: np.ndarray
) -> None:
    """Raise when a required column holds nothing usable at all."""
    if missing.all():
        raise DataError(
            f"Column '{name}' is empty: all {len(missing)} values are missing. "
            "Check that you mapped the right column with columns=."
        )
    if (missing | bad).all():
        raise DataError(
            f"Column '{name}': none of the {int(bad.sum())} values could be read "
            f"(e.g. {_example(series, bad)}). Check that columns= points to the right "
            "column, or clean the values in the source."
        )


# ---- numbers -------------------------------------------------------------


def _parse_numbers(
    series: pd.Series,
    name: str,
    decimal: str | None,
    delimiter: str | None,
    notes: list[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return float values and masks (missing, non-numeric, non-finite)."""
    n = len(series)
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype="float64", na_value=np.nan, copy=True)
        # NumPy NaN counts as non-finite; only nullable dtypes have real "missing".
        missing = (
            series.isna().to_numpy(dtype=bool)
            if not isinstance(series.dtype, np.dtype)
            else np.zeros(n, dtype=bool)
        )
        return values, missing, np.zeros(n, dtype=bool), ~missing & ~np.isfinite(values)

    text, missing = _as_text(series)
    mark = decimal or _infer_decimal(text, name, delimiter, notes)
    values = _text_to_float(text, missing, mark)
    bad = ~missing & np.isnan(values)
    nonfinite = ~missing & np.isinf(values)
    return values, missing, bad, nonfinite


def _text_to_float(text: pd.Series, missing: np.ndarray, mark: str) -> np.ndarray:
    if mark == ".":
        fast = _arrow_float(text)
        if fast is not None:
            return fast
        values = pd.to_numeric(text, errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan, copy=True
        )
        todo = ~missing & np.isnan(values)
    else:
        values = np.full(len(text), np.nan)
        todo = ~missing
    if not todo.any():
        return values
    t = text[todo]
    t = t.str.replace(_CURRENCY_RE, "", regex=True).str.replace(_BLANKS_RE, "", regex=True)
    t = t.str.replace("\u2212", "-", regex=False)  # typographic minus
    in_parens = t.str.match(r"^-?\(.*\)-?$").to_numpy(dtype=bool)  # accounting negatives
    t = t.str.replace(r"[()]", "", regex=True)
    minus = (t.str.startswith("-") | t.str.endswith("-")).to_numpy(dtype=bool)
    t = t.str.strip("-")
    if mark == ",":
        t = t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        t = t.str.replace(",", "", regex=False)
    parsed = pd.to_numeric(t, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    values[todo] = np.where(in_parens | minus, -np.abs(parsed), parsed)
    return values


def _arrow_float(text: pd.Series) -> np.ndarray | None:
    """Cast plain numbers with Arrow (20x faster than pd.to_numeric); None if any fails."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        cast = pc.cast(pa.array(text, type=pa.large_string(), from_pandas=True), pa.float64())
        return np.array(cast.to_numpy(zero_copy_only=False), dtype="float64")
    except Exception:  # ArrowInvalid on the first non-plain value, or no pyarrow
        return None


def _infer_decimal(text: pd.Series, name: str, delimiter: str | None, notes: list[str]) -> str:
    """Decide whether ',' or '.' is the decimal mark of one text column."""
    has_comma = text.str.contains(",", regex=False).fillna(False).to_numpy(dtype=bool)
    if not has_comma.any() and delimiter != ";":
        return "."  # no comma anywhere: nothing suggests a comma decimal mark
    has_dot = text.str.contains(".", regex=False).fillna(False).to_numpy(dtype=bool)
    both = has_comma & has_dot
    comma_last = both & (text.str.rfind(",") > text.str.rfind(".")).fillna(False).to_numpy(
        dtype=bool
    )
    dot_last = both & ~comma_last
    # One separator followed by other than 3 digits can only be a decimal mark.
    comma_only = has_comma & ~has_dot
    dot_only = has_dot & ~has_comma
    comma_dec = comma_only & _flag(text, r"^[^,]*,(?:\d{1,2}|\d{4,})\D*$")
    dot_dec = dot_only & _flag(text, r"^[^.]*\.(?:\d{1,2}|\d{4,})\D*$")
    # Repeated separators can only be thousands separators.
    comma_dec |= dot_only & _flag(text, r"\..*\.")
    dot_dec |= comma_only & _flag(text, r",.*,")
    comma_votes = comma_last | comma_dec
    dot_votes = dot_last | dot_dec
    n_comma, n_dot = int(comma_votes.sum()), int(dot_votes.sum())
    if n_comma and n_dot:
        mark = "," if n_comma > n_dot else "."
        minority = dot_votes if mark == "," else comma_votes
        notes.append(
            f"Column '{name}': decimal mark {mark!r} (used by most values), but "
            f"{int(minority.sum())} values look like the other convention, e.g. "
            f"{_example(text, minority)}; check them or pass decimal=."
        )
        return mark
    if n_comma or n_dot:
        mark = "," if n_comma else "."
        if mark == ",":
            notes.append(
                f"Column '{name}': decimal mark ',' detected from values such as "
                f"{_example(text, comma_votes)}."
            )
        return mark
    mark = "," if delimiter == ";" else "."
    if (has_comma | has_dot).any():
        notes.append(
            f"Column '{name}': the decimal mark could not be told from the values (e.g. "
            f"{_example(text, has_comma | has_dot)}); used {mark!r} because the file is "
            f"{'semicolon' if mark == ',' else 'not semicolon'}-separated. Pass decimal= "
            "to override."
        )
    return mark


def _flag(text: pd.Series, pattern: str) -> np.ndarray:
    return text.str.contains(pattern, regex=True).fillna(False).to_numpy(dtype=bool)


# ---- dates ---------------------------------------------------------------


def _check_timezone(timezone: Any) -> Any:
    try:
        pd.Timestamp("2000-01-01", tz=timezone)
    except Exception as exc:
        raise DataError(
            f"Unknown time zone {timezone!r}. Use a name such as 'UTC', "
            "'America/Mexico_City' or 'Europe/Madrid'."
        ) from exc
    return timezone


def _parse_dates(
    series: pd.Series, name: str, dayfirst: bool | None, tz: Any, notes: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return naive datetime64 values and masks (missing, unparseable)."""
    n = len(series)
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        if isinstance(dtype, pd.DatetimeTZDtype):
            series = series.dt.tz_convert(tz).dt.tz_localize(None)
        values = series.to_numpy(copy=True)
        missing = np.isnat(values)
        if missing.all():
            raise DataError(
                f"Column '{name}' is empty: all {n} dates are missing (NaT). Check that you "
                "mapped the right column with columns=."
            )
        return values, missing, np.zeros(n, dtype=bool)

    values = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    if pd.api.types.is_object_dtype(dtype):
        # Python datetime objects mixed with text (e.g. from Excel via openpyxl).
        is_obj = series.map(lambda v: isinstance(v, (dt.date, np.datetime64))).to_numpy(bool)
        if is_obj.any():
            values[is_obj] = [_naive(pd.Timestamp(v), tz) for v in series[is_obj]]
            series = series.mask(is_obj, "")  # keep them out of the text parsers below
    elif pd.api.types.is_numeric_dtype(dtype) and _integral(series):
        series = series.astype("Int64")  # 19970101 as a number, as in CDNOW
    text, missing = _as_text(series)
    missing = missing & np.isnat(values)

    todo = ~missing & np.isnat(values)
    if todo.any():
        lengths = text.str.len().to_numpy(dtype="float64", na_value=0.0)
        long_enough = lengths >= _MIN_ISO_LENGTH
        take = todo & long_enough
        values[take] = _parse_iso(text, tz)[take]
    remaining = np.flatnonzero(~missing & np.isnat(values))
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
                r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})[ T]?", r"\1-\2-\3 ", regex=True
            )
            parsed = _strptime(_pad_time(part.str.strip()), "%Y-%m-%d %H:%M:%S")
        elif kind == "dmy":
            parsed = _parse_day_month(part, name, dayfirst, notes)
        else:
            part = part.str.replace(" ", "-", regex=False)
            long_year = part.str.fullmatch(r".*\d{4}").to_numpy(dtype=bool)
            parsed = np.where(long_year, _strptime(part, "%d-%b-%Y"), _strptime(part, "%d-%b-%y"))
        values[remaining[hit]] = parsed
        remaining, sub = remaining[~hit], sub[~hit]

    bad = ~missing & np.isnat(values)
    if bad.any() and (bad | missing).all():
        raise DataError(
            f"Column '{name}': none of the {int(bad.sum())} dates could be read "
            f"(e.g. {_example(text, bad)}). Supported forms: 2024-12-31, 2024-12-31 18:30, "
            "20241231, 31/12/2024, 12/31/24, 31.12.2024, 31-Dec-2024. Check that columns= "
            "points to the date column."
        )
    if missing.all():
        raise DataError(
            f"Column '{name}' is empty: all {n} dates are missing. Check that you mapped "
            "the right column with columns=."
        )
    return values, missing, bad


def _naive(stamp: pd.Timestamp, tz: Any) -> np.datetime64:
    if stamp is pd.NaT:
        return np.datetime64("NaT")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(tz).tz_localize(None)
    return stamp.to_datetime64()


def _strptime(text: pd.Series, fmt: str) -> np.ndarray:
    parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    return parsed.to_numpy(dtype="datetime64[us]")


def _parse_iso(text: pd.Series, tz: Any) -> np.ndarray:
    """Parse ISO 8601 values; offsets are converted to ``tz``; NaT where not ISO."""
    try:
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
    except ValueError:
        # Several UTC offsets, or offsets mixed with naive values: split them.
        aware = text.str.contains(_ISO_TZ_RE, regex=True).fillna(False).to_numpy(dtype=bool)
        out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
        try:
            out[~aware] = _strptime(text[~aware], "ISO8601")
            utc = pd.to_datetime(text[aware], format="ISO8601", utc=True, errors="coerce")
            out[aware] = utc.dt.tz_convert(tz).dt.tz_localize(None).to_numpy(dtype="datetime64[us]")
        except ValueError:
            pass  # still mixed up: whatever is left is reported as "unparseable date"
        return out
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):  # one offset throughout
        parsed = parsed.dt.tz_convert(tz).dt.tz_localize(None)
    return parsed.to_numpy(dtype="datetime64[us]")


def _pad_time(text: pd.Series) -> pd.Series:
    """Bring 'date', 'date H:MM' and 'date H:MM:SS' to one layout, for a single format."""
    text = text.str.replace(r"^(\S+)$", r"\1 00:00:00", regex=True)
    return text.str.replace(r"^(\S+ \d{1,2}:\d{2})$", r"\1:00", regex=True)


def _parse_day_month(
    original: pd.Series, name: str, dayfirst: bool | None, notes: list[str]
) -> np.ndarray:
    """Parse 31/12/2024-like values (also with - or . and 2-digit years)."""
    text = original.str.replace(
        r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d+)[ T]?", r"\1/\2/\3 ", regex=True
    )
    text = _pad_time(text.str.strip())
    if dayfirst is None:
        dayfirst = _infer_dayfirst(text, original, name, notes)
    order = "%d/%m" if dayfirst else "%m/%d"
    long_year = text.str.match(r"^\d{1,2}/\d{1,2}/\d{4}").to_numpy(dtype=bool)
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
    if long_year.any():
        out[long_year] = _strptime(text[long_year], f"{order}/%Y %H:%M:%S")
    if (~long_year).any():
        out[~long_year] = _strptime(text[~long_year], f"{order}/%y %H:%M:%S")
    return out


def _infer_dayfirst(text: pd.Series, original: pd.Series, name: str, notes: list[str]) -> bool:
    """Day-first if some first field is above 12 and no second field is; and vice versa."""
    fields = text.str.extract(r"^(\d{1,2})/(\d{1,2})/")
    first = pd.to_numeric(fields[0]).to_numpy()
    second = pd.to_numeric(fields[1]).to_numpy()
    day_first = (first > 12) & (first <= 31) & (second <= 12)
    month_first = (second > 12) & (second <= 31) & (first <= 12)
    if day_first.any() and month_first.any():
        raise DataError(
            f"Column '{name}' mixes date conventions: {int(day_first.sum())} dates are "
            f"day/month (e.g. {_example(original, day_first)}) and "
            f"{int(month_first.sum())} are month/day (e.g. {_example(original, month_first)}). "
            "Fix them in the source, or pass dayfirst=True or dayfirst=False to choose one "
            "(dates that do not fit will be dropped as 'unparseable date')."
        )
    if day_first.any():
        notes.append(
            f"Column '{name}': dates read as day/month (DD/MM/YYYY), because values such as "
            f"{_example(original, day_first)} have a day above 12."
        )
        return True
    if month_first.any():
        notes.append(
            f"Column '{name}': dates read as month/day (MM/DD/YYYY), because values such as "
            f"{_example(original, month_first)} have a day above 12."
        )
        return False
    notes.append(
        f"Column '{name}': dates such as {describe_example(original.iloc[0])} could be "
        "day/month or month/day; no day above 12 settles it, so they were read as "
        "month/day (MM/DD). Pass dayfirst=True if they are DD/MM."
    )
    return False


# ---- row rules -----------------------------------------------------------


def _duplicated_rows(raw: pd.DataFrame, dates: np.ndarray, amounts: np.ndarray) -> np.ndarray:
    """Flag rows equal to an earlier row in every source column.

    Comparing all columns of 3 million rows costs seconds, so cheap keys built
    from values already parsed (date, amount), then from text lengths, first
    find the rows that could be duplicates; only those are compared exactly.
    Equal raw rows always get equal keys, so nothing is missed.
    """
    key = _mix(
        np.zeros(len(raw), dtype=np.uint64),
        [
            np.asarray(dates).view(np.int64).view(np.uint64),
            np.where(np.isnan(amounts), 0.0, amounts).view(np.uint64),
        ],
    )
    candidates = np.flatnonzero(_repeated(key))
    duplicated = np.zeros(len(raw), dtype=bool)
    if not len(candidates):
        return duplicated
    subset = raw.iloc[candidates]
    lengths = [
        subset[name].str.len().to_numpy(dtype="float64", na_value=-1.0).view(np.uint64)
        for name in subset.columns
        if isinstance(subset[name].dtype, pd.StringDtype)
    ]
    still = _repeated(_mix(key[candidates], lengths))
    candidates, subset = candidates[still], subset[still]
    try:
        exact = subset.duplicated(keep="first")
    except TypeError:  # unhashable cells (lists, dicts) in a DataFrame source
        exact = subset.astype(str).duplicated(keep="first")
    duplicated[candidates] = exact.to_numpy(dtype=bool)
    return duplicated


def _mix(key: np.ndarray, parts: list[np.ndarray]) -> np.ndarray:
    for part in parts:
        key = (key ^ part) * np.uint64(0x9E3779B97F4A7C15)  # wraps around: a cheap hash
    return key


def _repeated(key: np.ndarray) -> np.ndarray:
    """Mask of the keys that occur more than once."""
    ordered = np.sort(key)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    return np.isin(key, repeated) if len(repeated) else np.zeros(len(key), dtype=bool)


def _test_customers(
    customer: pd.Series, missing: np.ndarray, pattern: str | re.Pattern[str] | None
) -> np.ndarray:
    if pattern is None:
        return np.zeros(len(customer), dtype=bool)
    try:
        compiled = re.compile(pattern)
    except (re.error, TypeError) as exc:
        raise DataError(
            f"test_customer_pattern {pattern!r} is not a valid regular expression ({exc}). "
            "Example: test_customer_pattern='^(TEST|DEMO)'."
        ) from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "has match groups": harmless here
            hits = customer.str.contains(compiled.pattern, flags=compiled.flags & ~re.UNICODE)
    except Exception:  # a regex feature the Arrow engine lacks: use Python's re
        hits = customer.astype(object).map(
            lambda v: isinstance(v, str) and compiled.search(v) is not None
        )
    return hits.fillna(False).to_numpy(dtype=bool) & ~missing


def _after_end(dates: np.ndarray, observation_end: Any, tz: Any) -> np.ndarray:
    if observation_end is None:
        return np.zeros(len(dates), dtype=bool)
    try:
        stamp = pd.Timestamp(observation_end)
    except (ValueError, TypeError) as exc:
        raise DataError(
            f"observation_end={observation_end!r} is not a date. Use e.g. '2024-12-31'."
        ) from exc
    if stamp is pd.NaT:
        raise DataError("observation_end is missing (NaT). Pass a date such as '2024-12-31'.")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(tz).tz_localize(None)
    if stamp == stamp.normalize():
        # A date means "up to the end of that day", not "up to its first instant".
        return dates >= (stamp + pd.Timedelta(days=1)).to_datetime64()
    return dates > stamp.to_datetime64()


# ---- output --------------------------------------------------------------


def _assemble(
    raw: pd.DataFrame,
    colmap: dict[str, str],
    customer: pd.Series,
    dates: np.ndarray,
    amounts: np.ndarray,
    delimiter: str | None,
    decimal: str | None,
    notes: list[str],
) -> pd.DataFrame:
    """Build the output table (all rows): canonical columns, then the others."""
    out: dict[str, Any] = {
        "customer_id": customer,
        "date": dates,
        "amount": amounts,
    }
    for canonical in CANONICAL_COLUMNS[3:]:
        if canonical not in colmap:
            continue
        source = colmap[canonical]
        if canonical in _NUMERIC_OPTIONAL:
            values, _, bad, _ = _parse_numbers(raw[source], source, decimal, delimiter, notes)
            if bad.any():
                notes.append(
                    f"Column '{source}' ({canonical}): {int(bad.sum())} values are not "
                    f"numbers (e.g. {_example(raw[source], bad)}) and were set to missing."
                )
            if canonical != "margin" and _whole_numbers(values):
                values = values.astype("int64")  # counts read as 3, not 3.0, when clean
            out[canonical] = values
        else:
            out[canonical] = _as_text(raw[source])[0]
    used = set(colmap.values())
    for name in raw.columns:
        if name in used:
            continue
        label = name
        if name in out:
            label = f"{name}_original"
            notes.append(
                f"Column '{name}' was renamed '{label}' because '{name}' is the name "
                f"of the canonical column taken from '{colmap[name]}'."
            )
        out[label] = raw[name]
    return pd.DataFrame(out, index=raw.index)
