"""The row rules of :data:`~relmark_lab.data.ledger.DROP_REASONS` that need more than one mask.

Each rule returns a boolean mask over the source rows. The duplicate rule
compares every source column, the test-customer rule searches the ids with
a regular expression, and the window rule drops the lines dated after the
observation end (the whole named day counts, :mod:`relmark_lab._time`).
The masks of missing and unreadable values come from the parsers.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["after_observation_end", "exact_duplicates", "is_test_customer"]

_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def exact_duplicates(raw: pd.DataFrame, dates: np.ndarray, amounts: np.ndarray) -> np.ndarray:
    """Flag rows equal to an earlier row in every source column.

    Comparing all columns of 3 million rows costs seconds, so cheap keys built
    from values already parsed (date, amount), then from text lengths, first
    find the rows that could be duplicates; only those are compared exactly.
    Equal raw rows always get equal keys, so nothing is missed.

    Examples
    --------
    >>> raw = pd.DataFrame({"customer_id": ["a", "a", "a"], "amount": ["5", "5", "5.0"]})
    >>> dates = np.zeros(3, dtype="datetime64[us]")
    >>> exact_duplicates(raw, dates, np.array([5.0, 5.0, 5.0])).tolist()
    [False, True, False]
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
        key = (key ^ part) * _HASH_MULTIPLIER  # wraps around: a cheap hash
    return key


def _repeated(key: np.ndarray) -> np.ndarray:
    """Mask of the keys that occur more than once."""
    ordered = np.sort(key)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    return np.isin(key, repeated) if len(repeated) else np.zeros(len(key), dtype=bool)


def is_test_customer(
    customer: pd.Series, missing: np.ndarray, pattern: str | re.Pattern[str] | None
) -> np.ndarray:
    """Flag the ids ``pattern`` finds (``re.search``); no row without a pattern.

    Examples
    --------
    >>> ids = pd.Series(["TEST-1", "C7", "contest"])
    >>> is_test_customer(ids, np.zeros(3, dtype=bool), "^TEST").tolist()
    [True, False, False]
    """
    if pattern is None:
        return np.zeros(len(customer), dtype=bool)
    if not isinstance(getattr(pattern, "pattern", pattern), str):
        raise DataError(_("test_customer_pattern must be text (a regular expression such as "
                          "'^TEST'), not {pattern!r}.").format(pattern=pattern))
    try:
        compiled = re.compile(pattern)
    except (re.error, TypeError) as exc:
        raise DataError(
            _("test_customer_pattern {pattern!r} is not a valid regular expression ({error}). "
              "Example: test_customer_pattern='^(TEST|DEMO)'.").format(pattern=pattern,
                                                                       error=exc)
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


def after_observation_end(dates: np.ndarray, last_day: pd.Timestamp | None) -> np.ndarray:
    """Flag the dates after the last observed day; none without one.

    ``last_day`` comes from :func:`relmark_lab._time.observation_end_day`:
    midnight of the named day, whose whole day counts (also when the end a
    user wrote carries a time of day; an aware end follows the time-zone
    rule).

    Examples
    --------
    >>> from relmark_lab._time import observation_end_day
    >>> dates = np.array(["2025-12-31T23:59", "2026-01-01T00:00"], dtype="datetime64[us]")
    >>> after_observation_end(dates, observation_end_day("2025-12-31 08:00")).tolist()
    [False, True]
    """
    if last_day is None:
        return np.zeros(len(dates), dtype=bool)
    next_day = last_day.normalize() + pd.Timedelta(days=1)
    return np.asarray(dates) >= next_day.to_datetime64()
