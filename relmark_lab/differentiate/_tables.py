"""Helpers the differentiation modules share (private).

Tables a user passes in are read through :func:`customer_numbers`, survey
scales through :func:`survey_scale`; sums of counts stay whole numbers
(:func:`whole_if_integral`).
Per-customer tables built from order lines come from
:class:`relmark_lab._orders.ObservedLines` (``buyers``, ``attrs``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._validate import (
    as_ids,
    require_columns,
    require_numbers,
    require_unique,
    require_whole_number,
)
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import gettext as _

__all__ = ["customer_numbers", "survey_scale", "whole_if_integral"]


def customer_numbers(frame: pd.DataFrame, columns: list[str], what: str, *,
                     unique: bool = True, allow_missing: bool = False,
                     **bounds: Any) -> pd.DataFrame:
    """``customer_id`` (text) and ``columns`` (numbers) of a table a user passed, checked.

    ``bounds`` (``low``, ``high``, ``integer``) apply to every column.
    """
    require_columns(frame, ["customer_id", *columns], what)
    if unique:
        require_unique(frame, "customer_id", what)
    out = pd.DataFrame({"customer_id": as_ids(frame["customer_id"])}, index=frame.index)
    for column in columns:
        out[column] = require_numbers(frame, column, what, allow_missing=allow_missing,
                                      **bounds)
    return out


def survey_scale(scale: Any) -> tuple[int, int]:
    """A survey scale ``(lowest, highest)`` of whole numbers, lowest below highest, or DataError.

    Examples
    --------
    >>> survey_scale(("1", "5"))
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: the scale's lowest score must be a whole number of at least \
0, got '1'.
    """
    try:
        low, high = scale
    except (TypeError, ValueError):
        raise DataError(_("scale must be a pair (lowest, highest score), e.g. (1, 5), got "
                          "{example}.").format(example=describe_example(scale))) from None
    low = require_whole_number(_("the scale's lowest score"), low)
    high = require_whole_number(_("the scale's highest score"), high)
    if not low < high:
        raise DataError(_("scale must be (lowest, highest score) with the lowest below the "
                          "highest, e.g. (1, 5), got {example}.")
                        .format(example=describe_example(scale)))
    return low, high


def whole_if_integral(values: np.ndarray) -> np.ndarray:
    """Float values as int64 when every one is a whole number (a sum of quantities, a head
    count), so tables show 18 units, not 18.0; other values unchanged."""
    values = np.asarray(values, dtype="float64")
    if np.isfinite(values).all() and (values == np.round(values)).all():
        return values.astype("int64")
    return values
