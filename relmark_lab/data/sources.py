"""Where the rows come from: a DataFrame, a CSV file of any dialect, Excel, or Parquet.

:func:`load_source` returns the raw table with cleaned header names and
every cell left as it was (CSV cells as text), so the row rules can judge
the raw values and the ledger can show them. For CSV files it sniffs what
real exports vary in, and notes each guess:

* the **encoding**: UTF-8 (with or without a byte-order mark), UTF-16 (Excel's
  "Unicode text"), else Windows cp1252 or latin-1, also when the first
  non-UTF-8 byte comes after the sample;
* the **delimiter**: the one of ``, ; tab |`` that splits the header and the
  rows into the same number of fields.

Arrow reads the file (fast); pandas takes over for ragged rows and line
breaks inside quotes. A compressed CSV (``.csv.gz``, ``.bz2``, ``.xz``,
``.zip`` with one table) is decompressed to a temporary file first and read
the same way; an Excel workbook (``.xlsx``, ``.xlsm``; its first sheet, or
``sheet=``) is read with openpyxl, keeping the cells' own types; a folder of
Parquet files (hive partitions included) is one table.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import lzma
import shutil
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab.data.columns import check_duplicate_names, clean_name
from relmark_lab.errors import DataError

__all__ = ["load_source", "sniff_delimiter"]

_CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
_PARQUET_EXTENSIONS = (".parquet", ".pq")
_EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
_COMPRESSED = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open, ".zip": None}
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_SAMPLE_BYTES = 64 * 1024
_ROWS_SNIFFED = 200


def load_source(
    source: Any, encoding: str | None, delimiter: str | None, notes: list[str]
) -> tuple[pd.DataFrame, str, str | None]:
    """The raw table, a description of the source, and the CSV delimiter (None otherwise).

    Parameters
    ----------
    source : pandas.DataFrame, str or pathlib.Path
        What the user passed to ``read_transactions``.
    encoding, delimiter : str or None
        The user's choice, or None to detect it.
    notes : list of str
        Guesses are appended here.

    Raises
    ------
    DataError
        If the source is not a DataFrame or a readable CSV or Parquet file,
        or has a column name twice.

    Examples
    --------
    >>> raw, description, used = load_source(pd.DataFrame({" Cliente ": ["7"]}), None, None, [])
    >>> list(raw.columns), description, used
    (['Cliente'], 'pandas DataFrame', None)
    """
    if isinstance(source, pd.DataFrame):
        names = [clean_name(c) for c in source.columns]
        check_duplicate_names(names, "The DataFrame")
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
        if any(path.rglob("*.parquet")) or any(path.rglob("*.pq")):
            return _read_parquet(path), str(path), None
        raise DataError(f"'{path}' is a folder without Parquet files. Pass the path of a file, "
                        "or of a folder of .parquet files (one table, hive partitions allowed).")
    suffix = path.suffix.lower()
    if suffix in _PARQUET_EXTENSIONS:
        return _read_parquet(path), str(path), None
    if suffix in _EXCEL_EXTENSIONS:
        return _read_excel(path), str(path), None
    if suffix in _COMPRESSED:
        with tempfile.TemporaryDirectory() as folder:
            inner = _decompress(path, Path(folder))
            notes.append(f"'{path.name}' was decompressed ({suffix[1:]}) and read as "
                         f"'{inner.name}'.")
            raw, used = _read_csv(inner, encoding, delimiter, notes)
        return raw, str(path), used
    if suffix in _CSV_EXTENSIONS:
        raw, used = _read_csv(path, encoding, delimiter, notes)
        return raw, str(path), used
    hint = (" An .xls workbook is Excel's old format: save it as .xlsx or CSV."
            if suffix == ".xls" else "")
    raise DataError(
        f"Cannot read '{path.name}': files ending in '{suffix or '(no extension)'}' are not "
        f"supported. Save it as CSV ({', '.join(_CSV_EXTENSIONS)}, also compressed: "
        f"{', '.join(_COMPRESSED)}), Excel ({', '.join(_EXCEL_EXTENSIONS)}) or Parquet "
        f"({', '.join(_PARQUET_EXTENSIONS)}), or load it yourself and pass the DataFrame."
        + hint
    )


def _decompress(path: Path, folder: Path) -> Path:
    """The CSV inside a compressed file, written to ``folder``; DataError when unreadable."""
    suffix = path.suffix.lower()
    inner = folder / (path.stem if Path(path.stem).suffix else f"{path.stem}.csv")
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                tables = [n for n in archive.namelist() if not n.endswith("/")]
                if len(tables) != 1:
                    raise DataError(f"'{path.name}' holds {len(tables)} files; a zip source "
                                    "must hold exactly one table. Unzip it and pass the file.")
                inner = folder / Path(tables[0]).name
                with archive.open(tables[0]) as source, inner.open("wb") as target:
                    shutil.copyfileobj(source, target)
        else:
            with _COMPRESSED[suffix](path, "rb") as source, inner.open("wb") as target:
                shutil.copyfileobj(source, target)
    except (OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError) as exc:
        raise DataError(f"'{path.name}' could not be decompressed ({type(exc).__name__}): the "
                        "file is damaged or not really compressed; export it again.") from exc
    return inner


def _read_excel(path: Path) -> pd.DataFrame:
    """The first sheet, every cell as Excel typed it (dates as dates, numbers as numbers)."""
    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise DataError("Reading .xlsx needs the openpyxl package: pip install openpyxl.") from exc
    except Exception as exc:  # openpyxl raises several types for damaged workbooks
        raise DataError(f"'{path.name}' could not be read as an Excel workbook "
                        f"({type(exc).__name__}). Open it in Excel and save it again, or save "
                        "it as CSV.") from exc
    names = [clean_name(c) for c in frame.columns]
    check_duplicate_names(names, f"The workbook '{path.name}'")
    return frame.set_axis(names, axis=1).reset_index(drop=True)


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        import pyarrow.parquet as pq

        if not path.is_dir():  # a folder's schema is the dataset's, checked below
            names = [clean_name(c) for c in pq.read_schema(path).names]
            check_duplicate_names(names, f"The file '{path.name}'")
        frame = pd.read_parquet(path)  # a folder: one table, hive partitions as columns
    except DataError:
        raise
    except Exception as exc:  # pyarrow raises several unrelated types for bad files
        raise DataError(
            f"'{path.name}' could not be read as a Parquet table ({type(exc).__name__}). "
            "The file may be damaged or not really Parquet; export it again."
        ) from exc
    names = [clean_name(c) for c in frame.columns]
    check_duplicate_names(names, f"The Parquet source '{path.name}'")
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
        delimiter = sniff_delimiter(sample)
        notes.append(
            f"Delimiter: {_DELIMITER_NAMES.get(delimiter, repr(delimiter))} "
            f"({delimiter!r}), detected; pass delimiter= to override."
        )
    header = next(csv.reader(io.StringIO(sample), delimiter=delimiter), [])
    names = [clean_name(h) for h in header]
    check_duplicate_names([n for n in names if n], f"The file '{path.name}'")
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


def sniff_delimiter(sample: str) -> str:
    """Pick the delimiter that splits the header and rows into the same number of fields.

    Examples
    --------
    >>> sniff_delimiter("Cliente;Fecha;Importe\\n1;2024-01-05;1,5\\n")
    ';'
    """
    best: tuple[tuple[bool, float, int], str] | None = None
    for candidate in _DELIMITERS:
        rows = [r for r in csv.reader(io.StringIO(sample), delimiter=candidate) if r]
        if not rows:
            continue
        counts = [len(r) for r in rows[:_ROWS_SNIFFED]]
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
