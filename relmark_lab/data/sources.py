"""Where the rows come from: a DataFrame, a CSV file, Excel, or Parquet.

:func:`load_source` returns the raw table with cleaned header names and
every cell left as it was (CSV cells as text), so the row rules can judge
the raw values and the ledger can show them. CSV files are read by
:mod:`~relmark_lab.data.csv_files` (encoding, delimiter and line-end
sniffing). A compressed CSV (``.csv.gz``, ``.bz2``, ``.xz``, ``.zip`` with
one table) is decompressed to a temporary file first and read the same way;
an Excel workbook (``.xlsx``, ``.xlsm``, its first sheet) is read with
openpyxl, keeping the cells' own types; a folder of Parquet files (hive
partitions included) is one table.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from relmark_lab.data.columns import check_duplicate_names, clean_name
from relmark_lab.data.csv_files import CSV_EXTENSIONS, read_csv, sniff_delimiter
from relmark_lab.data.ledger import DATAFRAME_SOURCE
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["load_source", "sniff_delimiter"]

_CSV_EXTENSIONS = CSV_EXTENSIONS
_PARQUET_EXTENSIONS = (".parquet", ".pq")
_EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
_COMPRESSED = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open, ".zip": None}


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
        check_duplicate_names(names, _("The DataFrame"))
        raw = source.set_axis(names, axis=1).reset_index(drop=True)
        return raw, DATAFRAME_SOURCE, None
    if not isinstance(source, (str, Path)):
        raise DataError(
            _("read_transactions() needs a pandas DataFrame or the path of a CSV or Parquet "
              "file, not a {kind}. Convert it first, e.g. pd.DataFrame(...).").format(
                kind=type(source).__name__)
        )
    path = Path(source)
    if not path.exists():
        raise DataError(
            _("File not found: '{path}'. Check the spelling and the folder (the current "
              "folder is '{folder}').").format(path=path, folder=Path.cwd())
        )
    if path.is_dir():
        if any(path.rglob("*.parquet")) or any(path.rglob("*.pq")):
            return _read_parquet(path), str(path), None
        raise DataError(_("'{path}' is a folder without Parquet files. Pass the path of a "
                          "file, or of a folder of .parquet files (one table, hive partitions "
                          "allowed).").format(path=path))
    suffix = path.suffix.lower()
    if suffix in _PARQUET_EXTENSIONS:
        return _read_parquet(path), str(path), None
    if suffix in _EXCEL_EXTENSIONS:
        return _read_excel(path), str(path), None
    if suffix in _COMPRESSED:
        with tempfile.TemporaryDirectory() as folder:
            inner = _decompress(path, Path(folder))
            notes.append(_("'{name}' was decompressed ({kind}) and read as '{inner}'.").format(
                name=path.name, kind=suffix[1:], inner=inner.name))
            raw, used = read_csv(inner, encoding, delimiter, notes)
        return raw, str(path), used
    if suffix in _CSV_EXTENSIONS:
        raw, used = read_csv(path, encoding, delimiter, notes)
        return raw, str(path), used
    hint = (" " + _("An .xls workbook is Excel's old format: save it as .xlsx or CSV.")
            if suffix == ".xls" else "")
    raise DataError(
        _("Cannot read '{name}': files ending in '{suffix}' are not supported. Save it as CSV "
          "({csv}, also compressed: {compressed}), Excel ({excel}) or Parquet ({parquet}), or "
          "load it yourself and pass the DataFrame.").format(
            name=path.name, suffix=suffix or _("(no extension)"),
            csv=", ".join(_CSV_EXTENSIONS), compressed=", ".join(_COMPRESSED),
            excel=", ".join(_EXCEL_EXTENSIONS), parquet=", ".join(_PARQUET_EXTENSIONS))
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
                    raise DataError(_("'{name}' holds {count} files; a zip source must hold "
                                      "exactly one table. Unzip it and pass the file.").format(
                        name=path.name, count=len(tables)))
                inner = folder / Path(tables[0]).name
                with archive.open(tables[0]) as source, inner.open("wb") as target:
                    shutil.copyfileobj(source, target)
        else:
            with _COMPRESSED[suffix](path, "rb") as source, inner.open("wb") as target:
                shutil.copyfileobj(source, target)
    except (OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError) as exc:
        raise DataError(_("'{name}' could not be decompressed ({error}): the file is damaged "
                          "or not really compressed; export it again.").format(
            name=path.name, error=type(exc).__name__)) from exc
    return inner


def _read_excel(path: Path) -> pd.DataFrame:
    """The first sheet, every cell as Excel typed it (dates as dates, numbers as numbers)."""
    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise DataError(_("Reading .xlsx needs the openpyxl package: pip install "
                          "openpyxl.")) from exc
    except Exception as exc:  # openpyxl raises several types for damaged workbooks
        raise DataError(_("'{name}' could not be read as an Excel workbook ({error}). Open it "
                          "in Excel and save it again, or save it as CSV.").format(
            name=path.name, error=type(exc).__name__)) from exc
    names = [clean_name(c) for c in frame.columns]
    check_duplicate_names(names, _("The workbook '{name}'").format(name=path.name))
    return frame.set_axis(names, axis=1).reset_index(drop=True)


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        import pyarrow.parquet as pq

        if not path.is_dir():  # a folder's schema is the dataset's, checked below
            names = [clean_name(c) for c in pq.read_schema(path).names]
            check_duplicate_names(names, _("The file '{name}'").format(name=path.name))
        frame = pd.read_parquet(path)  # a folder: one table, hive partitions as columns
    except DataError:
        raise
    except Exception as exc:  # pyarrow raises several unrelated types for bad files
        raise DataError(
            _("'{name}' could not be read as a Parquet table ({error}). The file may be "
              "damaged or not really Parquet; export it again.").format(
                name=path.name, error=type(exc).__name__)
        ) from exc
    names = [clean_name(c) for c in frame.columns]
    check_duplicate_names(names, _("The Parquet source '{name}'").format(name=path.name))
    return frame.set_axis(names, axis=1).reset_index(drop=True)
