"""CSV files as real exports write them: any encoding, delimiter and line ending (private).

:func:`read_csv` returns every cell as text with the header cleaned, and notes
each guess:

* the **encoding**: UTF-8 (with or without a byte-order mark), UTF-16 (Excel's
  "Unicode text"), else Windows cp1252 or latin-1. A UTF-8 file with a few
  stray Windows bytes deep inside stays UTF-8: only those bytes are read as
  cp1252, and counted, so the accented ids elsewhere are not turned into
  mojibake;
* the **delimiter**: the one of ``, ; tab |`` that splits the header and the
  rows into the same number of fields;
* the **line ends**: ``\n``, ``\r\n`` and old-Mac ``\r`` alike, also a
  ``\r`` inside a quoted field; blank lines hold no row and are counted.

Arrow reads the text (fast); pandas takes over for ragged rows and line
breaks inside quotes.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from relmark_lab.data.columns import check_duplicate_names, clean_name
from relmark_lab.errors import DataError
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = ["CSV_EXTENSIONS", "read_csv", "sniff_delimiter"]

CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": N_("comma"), ";": N_("semicolon"), "\t": N_("tab"), "|": N_("pipe")}
_SAMPLE_BYTES = 64 * 1024
_ROWS_SNIFFED = 200
# A header longer than this is not a header: the file is not a table.
_LARGEST_HEADER = 16 * 1024 * 1024


def read_csv(
    path: Path, encoding: str | None, delimiter: str | None, notes: list[str]
) -> tuple[pd.DataFrame, str]:
    """Every cell of a CSV file as text, with cleaned header names, and the delimiter used.

    The file is read once into memory and handed to Arrow as UTF-8, whatever
    its encoding; each guess (encoding, delimiter, line ends, blank lines,
    repaired bytes) is appended to ``notes``.
    """
    _check_options(encoding, delimiter)
    data = path.read_bytes()
    if not data.strip():
        raise DataError(_("'{name}' is empty: it has no header and no rows.").format(
            name=path.name))
    head = data[:_SAMPLE_BYTES]
    enc = encoding
    if enc is None:
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            enc = "utf-16"  # Excel's "Unicode text" export
            notes.append(_("Encoding: UTF-16 (byte-order mark found)."))
        else:
            enc = _guess_encoding(head, len(data) > _SAMPLE_BYTES, path, notes)
    if b"\x00" in head and "16" not in enc and "32" not in enc:
        raise DataError(
            _("'{name}' is not a text table: it contains binary data. If it is an Excel "
              "workbook, save it as CSV first; otherwise check that this is the right "
              "file.").format(name=path.name)
        )
    utf8 = _as_utf8(data, enc, encoding is None, path, notes)
    if b"\r" in utf8 and b"\n" not in utf8:  # old-Mac line ends
        utf8 = utf8.replace(b"\r", b"\n")
        notes.append(_("Line ends: carriage returns only (old Mac format), read as line "
                       "breaks."))
    first_break = utf8.find(b"\n")
    if first_break > _LARGEST_HEADER or (first_break < 0 and len(utf8) > _LARGEST_HEADER):
        raise DataError(_("'{name}' has no line break in its first {megabytes} MB: it is "
                          "not a table of rows.").format(name=path.name,
                                                          megabytes=_LARGEST_HEADER // 2**20))
    cut = max(_SAMPLE_BYTES, first_break + 1)  # the whole header, however long
    sample = utf8[:cut].decode("utf-8", errors="ignore").lstrip("\ufeff")
    if len(utf8) > cut and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # the last line may be cut in half
    if delimiter is None:
        delimiter = sniff_delimiter(sample)
        named = _DELIMITER_NAMES.get(delimiter)
        notes.append(
            _("Delimiter: {name} ({delimiter!r}), detected; pass delimiter= to override.").format(
                name=_(named) if named else repr(delimiter), delimiter=delimiter)
        )
    header = next(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), [])
    names = [clean_name(h) for h in header]
    check_duplicate_names([n for n in names if n], _("The file '{name}'").format(name=path.name))
    unnamed = [i for i, name in enumerate(names) if not name]
    for i in unnamed:
        names[i] = f"unnamed_{i + 1}"
    if unnamed:
        notes.append(
            _("{count} column(s) without a header were named {names}.").format(
                count=len(unnamed), names=", ".join(names[i] for i in unnamed[:5]))
        )
    blank = (len(re.findall(rb"\n(?=\r?\n)", utf8))
             if b"\n\n" in utf8 or b"\n\r\n" in utf8 else 0)
    if blank:
        notes.append(_("{count:,} blank line(s) hold no row and were skipped.").format(
            count=blank))
    frame = _read_table(utf8, path, delimiter, len(names))
    if frame.shape[1] != len(names):
        raise DataError(
            _("'{name}' could not be read as a table: the header has {header} columns but "
              "pandas found {found}. Check the delimiter (pass delimiter=) and the quoting in "
              "the first line.").format(name=path.name, header=len(names), found=frame.shape[1])
        )
    return frame.set_axis(names, axis=1), delimiter


def _check_options(encoding: object, delimiter: object) -> None:
    """``encoding`` a codec Python knows, ``delimiter`` one character (or None to detect)."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)  # type: ignore[arg-type]
        except (LookupError, TypeError) as exc:
            raise DataError(_("Unknown encoding {encoding!r}. Try 'utf-8' or 'cp1252' (or None "
                              "to detect it).").format(encoding=encoding)) from exc
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1
                                  or delimiter in "\r\n\"'"):
        raise DataError(_("delimiter must be one character such as ',', ';', '\\t' or '|' "
                          "(or None to detect it), not {delimiter!r}.").format(
            delimiter=delimiter))


def _as_utf8(data: bytes, enc: str, guessed: bool, path: Path, notes: list[str]) -> bytes:
    """The file's bytes as UTF-8; stray non-UTF-8 bytes of a UTF-8 file read as cp1252, counted."""
    if enc in ("utf-8", "utf-8-sig"):
        try:
            data.decode("utf-8")
            return data
        except UnicodeDecodeError as exc:
            if not guessed:
                raise DataError(_("'{name}' is not valid {encoding} (e.g. byte {byte!r} at "
                                  "position {position:,}). Pass encoding='cp1252' or None to "
                                  "detect it.").format(
                    name=path.name, encoding=enc, byte=data[exc.start:exc.start + 1],
                    position=exc.start)) from exc
        text = data.decode("utf-8", errors="surrogateescape")
        stray = re.findall("[\udc80-\udcff]", text)
        line = text.count("\n", 0, text.index(stray[0])) + 1
        text = re.sub("[\udc80-\udcff]",
                      lambda m: bytes([ord(m.group()) - 0xDC00]).decode("cp1252", "replace"),
                      text)
        notes.append(_("Encoding: UTF-8, but {count:,} byte(s) were not (the first on line "
                       "{line:,}); they were read as Windows cp1252 characters, the rest of the "
                       "file as UTF-8.").format(count=len(stray), line=line))
        return text.encode("utf-8")
    try:
        return data.decode(enc).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(_("'{name}' could not be decoded as {encoding}. Pass the right "
                          "encoding=, e.g. 'utf-8', 'cp1252' or 'latin-1'.").format(
            name=path.name, encoding=enc)) from exc


def _guess_encoding(head: bytes, truncated: bool, path: Path, notes: list[str]) -> str:
    probe = head[: head.rfind(b"\n") + 1] if truncated and b"\n" in head else head
    try:
        probe.decode("utf-8")
        if head.startswith(b"\xef\xbb\xbf"):
            notes.append(_("Encoding: UTF-8 with byte-order mark (BOM), removed from the "
                           "header."))
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
        _("Encoding: '{name}' is not UTF-8; it was read as {encoding} (Windows/Western "
          "European). If accented letters look wrong, pass encoding= explicitly.").format(
            name=path.name, encoding=enc)
    )
    return enc


def _read_table(utf8: bytes, path: Path, delimiter: str, n_columns: int) -> pd.DataFrame:
    """Every field as a string: Arrow first (fast), pandas for awkward files."""
    try:
        return _arrow_read_csv(utf8, delimiter, n_columns)
    except _ArrowCannotRead:
        # Ragged rows or line breaks inside quotes: pandas pads short rows and
        # reports the line of a long one.
        return _pandas_read_csv(utf8, path, delimiter)


class _ArrowCannotRead(Exception):
    """The Arrow CSV reader gave up; the slower pandas reader will try."""


def _arrow_read_csv(utf8: bytes, delimiter: str, n_columns: int) -> pd.DataFrame:
    try:
        import pyarrow as pa
        import pyarrow.csv as pa_csv
    except ImportError as exc:  # pragma: no cover - pyarrow is a dependency
        raise _ArrowCannotRead from exc
    names = [f"c{i}" for i in range(n_columns)]
    try:
        table = pa_csv.read_csv(
            io.BytesIO(utf8),
            read_options=pa_csv.ReadOptions(
                column_names=names,
                skip_rows=1,  # the header, already read and checked by us
            ),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,  # keep raw strings; missing values judged later
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise _ArrowCannotRead from exc
    string = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default "str" dtype
    return table.to_pandas(types_mapper=lambda typ: string)


def _pandas_read_csv(utf8: bytes, path: Path, delimiter: str) -> pd.DataFrame:
    try:
        return pd.read_csv(
            io.BytesIO(utf8),
            sep=delimiter,
            dtype=str,
            encoding="utf-8-sig",
            keep_default_na=False,  # keep raw strings; missing values are judged later
            na_filter=False,
            index_col=False,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(
            _("'{name}' could not be read as a table ({detail}). Check the delimiter (pass "
              "delimiter=) and that every row has as many fields as the header.").format(
                name=path.name, detail=detail)
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
        rows = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=candidate)
                if r]
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
