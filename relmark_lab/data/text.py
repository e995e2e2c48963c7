"""Cells as text: stripped, with the spreadsheet spellings of "no value" recognised.

Every column :func:`~relmark_lab.read_transactions` reads from text goes
through :func:`as_text` first, so ``" 42 "``, ``"NA"`` and ``"#N/A"`` mean the
same thing in the id, date, amount and optional columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab._validate import NA_TOKENS, as_ids, id_codes
from relmark_lab.errors import describe_example

__all__ = ["NA_TOKENS", "as_text", "example", "is_integral", "is_whole"]

def as_text(series: pd.Series, *, repeats: bool = True) -> tuple[pd.Series, np.ndarray]:
    """Stripped text in :data:`~relmark_lab._validate.ID_DTYPE` (NaN where missing), and the mask.

    The rule of :func:`relmark_lab._validate.as_ids`, which every stage
    applies to ids too: whole-number floats read ``"42"``, not ``"42.0"``,
    and blanks and the spellings of :data:`NA_TOKENS` are missing.

    ``repeats=False`` applies the rule to every row directly, for a column
    whose values are nearly all distinct (hashing them first would not pay).

    Examples
    --------
    >>> text, missing = as_text(pd.Series([" 007 ", "NA", 42]))
    >>> text.tolist(), missing.tolist()
    (['007', nan, '42'], [False, True, False])
    """
    if not repeats:
        text = as_ids(series)
        return text, text.isna().to_numpy(dtype=bool)
    codes, distinct = id_codes(series)  # the rule once per distinct value, then spread
    text = pd.Series(distinct.array.take(codes, allow_fill=True), index=series.index)
    return text, codes < 0


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
