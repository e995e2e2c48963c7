"""Ids: one dtype and one reading rule for every customer and order id (private).

Every table the kit returns holds ``customer_id`` as text in
:data:`ID_DTYPE`, so any two results merge; the reader and every stage read
raw ids by the one rule of :func:`as_ids`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ID_DTYPE", "NA_TOKENS", "as_ids", "id_codes"]

#: The one dtype of ``customer_id`` in every table the kit returns: pandas' text dtype.
ID_DTYPE = pd.StringDtype(na_value=np.nan)

#: Spreadsheet and database spellings of "no value", read as missing in ids and text cells.
NA_TOKENS: tuple[str, ...] = tuple(
    variant
    for token in ("na", "n/a", "nan", "null", "none", "nat", "#n/a")
    for variant in (token, token.upper(), token.capitalize())
) + ("NaN", "NaT", "N/a")


def as_ids(values: pd.Series) -> pd.Series:
    """Ids (customer, order) as text in :data:`ID_DTYPE`: the one rule of the reader and the stages.

    Surrounding spaces are removed; a blank cell or a spreadsheet spelling of
    "no value" (:data:`NA_TOKENS`) is missing; whole-number floats read
    ``"42"``, not ``"42.0"`` (ids stored as floats because of a missing value),
    also when such a column was written to text (every id ends in ``.0``); an
    infinite float names nobody and is missing.

    Examples
    --------
    >>> as_ids(pd.Series([" 007 ", "NA", ""])).tolist()
    ['007', nan, nan]
    >>> as_ids(pd.Series([7.0, 42.0, None])).tolist()
    ['7', '42', nan]
    >>> as_ids(pd.Series([12345.0, "12345"], dtype=object)).tolist()
    ['12345', '12345']
    >>> as_ids(pd.Series(["17850.0", "", "13047.0"])).tolist()  # a float column, as text
    ['17850', nan, '13047']
    """
    if pd.api.types.is_float_dtype(values.dtype):
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
        values = values.mask(np.isinf(numbers))  # an infinite id names nobody: missing
        finite = values[np.isfinite(numbers)]
        if (finite == np.round(finite)).all() and (finite.abs() < 2**53).all():
            values = values.astype("Int64")
    elif values.dtype == object:  # e.g. two exports concatenated: 12345.0 next to "12345"
        values = values.map(_whole_float_as_int, na_action="ignore")
    text = values if values.dtype == ID_DTYPE else values.astype(ID_DTYPE)
    text = text.str.strip()
    missing = text.eq("") | text.isin(NA_TOKENS)
    text = text.mask(missing) if missing.any() else text
    # A float column written to text ("17850.0" beside blanks) reads like the floats.
    present = text.dropna()
    if len(present) and present.str.fullmatch(r"-?[0-9]+\.0+").all():
        text = text.str.replace(r"\.0+$", "", regex=True)
    return text


def id_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """:func:`as_ids` of a long column, as codes into its distinct ids (-1 where missing).

    The rule is applied to each distinct raw value once, so millions of rows
    cost one hash and no string work per row; raw values that read the same
    (``"007"`` and ``" 007 "``) share a code.

    Examples
    --------
    >>> codes, ids = id_codes(pd.Series(["b", " b", None, "a"]))
    >>> codes.tolist(), ids.tolist()
    ([0, 0, -1, 1], ['b', 'a'])
    """
    raw_codes, uniques = pd.factorize(values, sort=False)
    normalized = as_ids(pd.Series(uniques, dtype=values.dtype if len(uniques) else object))
    if _unchanged(uniques, normalized):  # tidy ids (most exports): nothing to merge
        return raw_codes.astype(np.int64), pd.Index(normalized, dtype=ID_DTYPE)
    merged, distinct = pd.factorize(normalized, sort=False)
    merged = np.append(merged, -1)  # where the raw value is missing (code -1)
    codes = merged[raw_codes]
    return codes.astype(np.int64), pd.Index(distinct, dtype=ID_DTYPE)


def _unchanged(uniques: Any, normalized: pd.Series) -> bool:
    """True when as_ids kept every distinct text id as it was (none missing, none merged)."""
    if not (pd.api.types.is_string_dtype(normalized.dtype) and normalized.notna().all()):
        return False
    if not pd.api.types.is_string_dtype(getattr(uniques, "dtype", None)):
        return False
    return bool((pd.Series(uniques, dtype=normalized.dtype).to_numpy() ==
                 normalized.to_numpy()).all()) if len(uniques) else True


def _whole_float_as_int(value: Any) -> Any:
    """A float that is a whole number, as an int (so it reads "42"); infinity as missing."""
    if isinstance(value, (float, np.floating)) and np.isinf(value):
        return None
    if isinstance(value, (float, np.floating)) and np.isfinite(value) and value == int(value) \
            and abs(value) < 2**53:
        return int(value)
    return value
