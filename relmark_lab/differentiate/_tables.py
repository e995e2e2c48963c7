"""Helpers the differentiation modules share (private).

Per-customer tables built from order lines keep the buyers and carry the
window's ``attrs`` (:func:`buyers_with_attrs`); tables a user passes in are
read through :func:`customer_numbers`; segment labels keep missing values
as a group of their own (:func:`segment_labels`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._orders import ObservedLines
from relmark_lab._time import NO_PURCHASE, day_numbers
from relmark_lab._validate import as_ids, require_columns, require_numbers, require_unique

__all__ = [
    "MISSING_LABEL",
    "buyers_with_attrs",
    "customer_numbers",
    "end_day",
    "purchase_day",
    "segment_labels",
]

#: Label of the customers whose segment is missing, in every per-segment table.
MISSING_LABEL = "(missing)"


def end_day(lines: ObservedLines) -> int:
    """Day number (days since 1970-01-01) of the last observed day."""
    return int(day_numbers(np.array([lines.observation_end.to_datetime64()]))[0])


def purchase_day(lines: ObservedLines, per_customer: pd.DataFrame, column: str) -> np.ndarray:
    """Day numbers of ``first_purchase`` or ``last_purchase`` of ``lines.per_customer()``.

    Customers without a purchase get the end day (their rows are dropped by
    :func:`buyers_with_attrs`).
    """
    return day_numbers(per_customer[column].fillna(lines.observation_end))


def buyers_with_attrs(lines: ObservedLines, table: pd.DataFrame,
                      bought: Any) -> pd.DataFrame:
    """The rows of ``table`` (one per observed customer) of the customers who bought.

    The others (returns only, or every order cancelled) are counted in
    ``attrs["customers_without_purchases"]``; the window's two keys are set too.
    """
    out = table[bought].reset_index(drop=True)
    out.attrs.update(lines.attrs())
    out.attrs[NO_PURCHASE] = int(len(table) - len(out))
    return out


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


def segment_labels(labels: pd.Series) -> pd.Series:
    """Segment labels with missing values as :data:`MISSING_LABEL` (never dropped).

    A categorical keeps its categories (empty ones give rows of zeros when
    grouped with ``observed=False``) and gains the missing label.
    """
    if not labels.isna().any():
        return labels
    if isinstance(labels.dtype, pd.CategoricalDtype):
        labels = labels.cat.add_categories(MISSING_LABEL)
    return labels.fillna(MISSING_LABEL)
