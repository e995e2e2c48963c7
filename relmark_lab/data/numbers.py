"""Amounts and other numbers written as text: currency marks, returns, decimal marks.

Exports write ``$1.234,50`` (Spanish locale), ``1,234.50`` (English),
``(12,50)`` or ``12.50-`` (accounting returns), ``€ 3,5`` or ``MXN 2.000``.
:func:`parse_numbers` reads one column of them. Which mark is the decimal
mark is decided per column by :func:`infer_decimal_mark`, from the values
that can only be read one way (``7,5`` or ``1.234,50``); when none settles
it, a ``;``-separated file means a decimal comma, and a note says so. The
evidence is the column's first 50,000 distinct values, enough to settle it.

Plain numbers (``12.5``, and ``1.234,50`` once the mark is known) take a
fast path through Arrow, so millions of clean amounts are read with one
regular expression at most; a column whose values repeat (prices,
quantities) is read once per distinct value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab._validate import LARGEST_AMOUNT  # beyond it: counted as not finite
from relmark_lab.data.text import as_text, example
from relmark_lab.i18n import gettext as _

__all__ = ["infer_decimal_mark", "parse_numbers"]

# Currency marks removed before the number is read.
_CURRENCY_RE = r"(?i)US\$|MX\$|R\$|MXN|EUR|USD|GBP|[$€£¥]"
# Thousands separators written as spaces (also non-breaking and thin ones) or quotes.
_BLANKS_RE = "[ \t\n\r\f\v\u00a0\u202f\u2009']"
# A plain number with a decimal comma and thousands dots: 1.234,50 or -7,5 or 12.
_PLAIN_COMMA_RE = r"^-?[0-9]{1,3}(?:\.[0-9]{3})*(?:,[0-9]+)?$|^-?[0-9]+(?:,[0-9]+)?$"
# Values the decimal mark is decided from: enough evidence, a bounded cost.
_INFERENCE_SAMPLE = 50_000
# Below this share of distinct values, reading each distinct value once pays.
_REPEATS_PAY = 0.5
# Scientific notation: the mark before the exponent is a decimal mark whatever the column's.
_SCIENTIFIC_RE = r"^-?[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+$"


def parse_numbers(
    series: pd.Series,
    name: str,
    decimal: str | None,
    delimiter: str | None,
    notes: list[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Read one column as float64.

    Parameters
    ----------
    series : pandas.Series
        The raw column: numbers, or text.
    name : str
        The column's name in the source, for notes.
    decimal : {",", "."} or None
        The decimal mark; None infers it from the values.
    delimiter : str or None
        The file's field separator (None for a DataFrame); a ``;`` file
        means a decimal comma when the values do not tell.
    notes : list of str
        Guesses are appended here.

    Returns
    -------
    values, missing, not_number, not_finite : numpy.ndarray
        The floats (NaN where missing or unreadable) and three masks. A
        complex number with an imaginary part is not a number; a magnitude
        of :data:`LARGEST_AMOUNT` or more counts as not finite.

    Examples
    --------
    >>> notes = []
    >>> values, *_ = parse_numbers(pd.Series(["$1.234,50", "-(10,00)"]), "Importe",
    ...                            None, ";", notes)
    >>> values.tolist()
    [1234.5, -10.0]
    """
    n = len(series)
    if pd.api.types.is_complex_dtype(series.dtype):  # a real amount has no imaginary part
        raw = series.to_numpy()
        imaginary = raw.imag != 0
        values = np.where(imaginary, np.nan, raw.real).astype("float64")
        return (values, np.zeros(n, dtype=bool), imaginary,
                ~imaginary & ~(np.abs(values) < LARGEST_AMOUNT))
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype="float64", na_value=np.nan, copy=True)
        # NumPy NaN counts as non-finite; only nullable dtypes have real "missing".
        missing = (
            series.isna().to_numpy(dtype=bool)
            if not isinstance(series.dtype, np.dtype)
            else np.zeros(n, dtype=bool)
        )
        return (values, missing, np.zeros(n, dtype=bool),
                ~missing & ~(np.abs(values) < LARGEST_AMOUNT))

    repeats = _repeats(series)
    if repeats:  # prices and quantities repeat: each distinct text once
        codes, uniques = pd.factorize(series)
        distinct = pd.Series(uniques, dtype=series.dtype if len(uniques) else object)
        counts = np.bincount(codes[codes >= 0], minlength=len(distinct))
    else:  # amounts nearly all distinct: hashing them would only cost time
        codes, distinct, counts = np.arange(n), series.reset_index(drop=True), np.ones(n, int)
        codes[series.isna().to_numpy(dtype=bool)] = -1
    text, blank = as_text(distinct, repeats=repeats)
    sample = slice(0, _INFERENCE_SAMPLE)
    mark = decimal or infer_decimal_mark(text.iloc[sample], name, delimiter, notes,
                                         counts[sample])
    parsed = _text_to_float(text, blank, mark)
    present = codes >= 0
    values = np.full(n, np.nan)
    values[present] = parsed[codes[present]]
    missing = ~present
    missing[present] = blank[codes[present]]
    not_number = ~missing & np.isnan(values)
    with np.errstate(invalid="ignore"):
        not_finite = ~missing & ~not_number & ~(np.abs(values) < LARGEST_AMOUNT)
    return values, missing, not_number, not_finite


def _repeats(series: pd.Series) -> bool:
    """Whether the column's values repeat enough for reading each distinct one once to pay."""
    head = series.iloc[:20_000]
    return len(head) > 0 and head.nunique(dropna=True) < _REPEATS_PAY * len(head)


def _text_to_float(text: pd.Series, missing: np.ndarray, mark: str) -> np.ndarray:
    if mark == ",":
        fast = _arrow_comma_float(text)
        if fast is not None:
            return fast
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
    scientific = todo & text.str.fullmatch(_SCIENTIFIC_RE).fillna(False).to_numpy(dtype=bool)
    if scientific.any():  # 1.5e3 is 1500 in any locale; 1,5e3 too
        values[scientific] = pd.to_numeric(text[scientific].str.replace(",", ".", regex=False),
                                           errors="coerce").to_numpy(dtype="float64")
        todo = todo & ~scientific
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


def _arrow_comma_float(text: pd.Series) -> np.ndarray | None:
    """``1.234,50`` and plain decimal-comma numbers with Arrow; None if any value is other."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(text, type=pa.large_string(), from_pandas=True)
    plain = pc.match_substring_regex(array, _PLAIN_COMMA_RE)
    if not pc.all(pc.or_kleene(plain, pc.is_null(array))).as_py():
        return None
    dotted = pc.replace_substring(pc.replace_substring(array, ".", ""), ",", ".")
    return np.array(pc.cast(dotted, pa.float64()).to_numpy(zero_copy_only=False),
                    dtype="float64")


def infer_decimal_mark(
    text: pd.Series, name: str, delimiter: str | None, notes: list[str],
    counts: np.ndarray | None = None,
) -> str:
    """Decide whether ``","`` or ``"."`` is the decimal mark of one text column.

    A value votes for a mark when it can only be read one way: both marks
    with one last (``1.234,50``), one mark followed by other than three
    digits (``7,5``), or one mark repeated (``1.234.567`` has thousands
    dots). The majority wins, with a note naming a value of the minority;
    ``counts`` (rows per value, when ``text`` holds each distinct value
    once) weighs the votes.

    Examples
    --------
    >>> notes = []
    >>> infer_decimal_mark(pd.Series(["1.234", "7,5"]), "amount", ",", notes)
    ','
    >>> infer_decimal_mark(pd.Series(["1.234"]), "amount", ",", notes)
    '.'
    """
    has_comma = text.str.contains(",", regex=False).fillna(False).to_numpy(dtype=bool)
    if not has_comma.any() and delimiter != ";":
        return "."  # no comma anywhere: nothing suggests a comma decimal mark
    has_dot = text.str.contains(".", regex=False).fillna(False).to_numpy(dtype=bool)
    scientific = _flag(text, _SCIENTIFIC_RE)  # 1.5e3 reads alike in both conventions
    has_comma, has_dot = has_comma & ~scientific, has_dot & ~scientific
    both = has_comma & has_dot
    comma_last = both & _flag(text, r",[^.]*$")  # no dot after the last comma
    dot_last = both & ~comma_last
    # One separator followed by other than 3 digits can only be a decimal mark.
    comma_only = has_comma & ~has_dot
    dot_only = has_dot & ~has_comma
    comma_dec = comma_only & _flag(text, r"^[^,]*,(?:[0-9]{1,2}|[0-9]{4,})[^0-9]*$")
    dot_dec = dot_only & _flag(text, r"^[^.]*\.(?:[0-9]{1,2}|[0-9]{4,})[^0-9]*$")
    # Repeated separators can only be thousands separators.
    comma_dec |= dot_only & _flag(text, r"\..*\.")
    dot_dec |= comma_only & _flag(text, r",.*,")
    comma_votes = comma_last | comma_dec
    dot_votes = dot_last | dot_dec
    rows = np.ones(len(text), dtype=np.int64) if counts is None else np.asarray(counts)
    n_comma, n_dot = int(rows[comma_votes].sum()), int(rows[dot_votes].sum())
    if n_comma and n_dot:
        mark = "," if n_comma > n_dot else "."
        minority = dot_votes if mark == "," else comma_votes
        notes.append(
            _("Column '{name}': decimal mark {mark!r} (used by most values), but {count:,} "
              "values look like the other convention, e.g. {example}; check them or pass "
              "decimal=.").format(name=name, mark=mark, count=int(rows[minority].sum()),
                                  example=example(text, minority))
        )
        return mark
    if n_comma or n_dot:
        mark = "," if n_comma else "."
        if mark == ",":
            notes.append(
                _("Column '{name}': decimal mark ',' detected from values such as "
                  "{example}.").format(name=name, example=example(text, comma_votes))
            )
        return mark
    mark = "," if delimiter == ";" else "."
    if (has_comma | has_dot).any():
        if mark == ",":
            template = _("Column '{name}': the decimal mark could not be told from the values "
                         "(e.g. {example}); used {mark!r} because the file is "
                         "semicolon-separated. Pass decimal= to override.")
        else:
            template = _("Column '{name}': the decimal mark could not be told from the values "
                         "(e.g. {example}); used {mark!r} because the file is not "
                         "semicolon-separated. Pass decimal= to override.")
        notes.append(template.format(name=name, example=example(text, has_comma | has_dot),
                                     mark=mark))
    return mark


def _flag(text: pd.Series, pattern: str) -> np.ndarray:
    return text.str.contains(pattern, regex=True).fillna(False).to_numpy(dtype=bool)
