"""Cells as text: stripped, with the spreadsheet spellings of "no value" recognised.

Every column :func:`~relmark_lab.read_transactions` reads from text goes
through :func:`as_text` first, so ``" 42 "``, ``"NA"`` and ``"#N/A"`` mean the
same thing in the id, date, amount and optional columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab._validate import ID_DTYPE
from relmark_lab.errors import describe_example

__all__ = ["NA_TOKENS", "as_text", "example", "is_integral", "is_whole"]

#: Spreadsheet and database spellings of "no value".
NA_TOKENS: tuple[str, ...] = tuple(
    variant
    for token in ("na", "n/a", "nan", "null", "none", "nat", "#n/a")
    for variant in (token, token.upper(), token.capitalize())
) + ("NaN", "NaT", "N/a")


def as_text(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Stripped text in :data:`~relmark_lab._validate.ID_DTYPE` (NaN where missing), and the mask.

    Whole-number floats read ``"42"``, not ``"42.0"`` (ids stored as floats
    because of a missing value).

    Examples
    --------
    >>> text, missing = as_text(pd.Series([" 007 ", "NA", 42]))
    >>> text.tolist(), missing.tolist()
    (['007', nan, '42'], [False, True, False])
    """
    if pd.api.types.is_float_dtype(series.dtype) and is_integral(series):
        text = series.astype("Int64").astype(ID_DTYPE)
    elif series.dtype != ID_DTYPE:
        text = series.astype(ID_DTYPE)
    else:
        text = series
    text = text.str.strip()
    missing = (text.isna() | (text == "") | text.isin(NA_TOKENS)).to_numpy(dtype=bool)
    return (text.mask(missing) if missing.any() else text), missing


def is_integral(series: pd.Series) -> bool:
    """True when every finite value is a whole number that an Int64 can hold exactly.

    Examples
    --------
    >>> is_integral(pd.Series([1.0, np.nan])), is_integral(pd.Series([1.5]))
    (True, False)
    """
    values = series.to_numpy(dtype="float64", na_value=np.nan)
    finite = values[np.isfinite(values)]
    return bool(np.all(finite == np.round(finite)) and np.all(np.abs(finite) < 2**53))


def is_whole(values: np.ndarray) -> bool:
    """True when no value is missing and every one is a whole number.

    Examples
    --------
    >>> is_whole(np.array([1.0, 3.0])), is_whole(np.array([1.0, np.nan]))
    (True, False)
    """
    return bool(
        np.isfinite(values).all()
        and (values == np.round(values)).all()
        and (np.abs(values) < 2**53).all()
    )


def example(values: pd.Series | np.ndarray, mask: np.ndarray) -> str:
    """The first value where ``mask`` is True, quoted for a message.

    Examples
    --------
    >>> example(pd.Series(["1", "abc"]), np.array([False, True]))
    "'abc'"
    """
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not len(positions):
        return "''"
    first = positions[0]
    return describe_example(values.iloc[first] if isinstance(values, pd.Series) else values[first])
