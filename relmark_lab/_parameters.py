"""Checks of the parameters a user passes (rates, levels, counts, choices), one sentence each.

Re-exported by :mod:`relmark_lab._validate`, the kit's one validation path;
this module holds the checks of single values, ``_validate`` those of
columns and tables.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from relmark_lab.errors import DataError, describe_example

__all__ = ["require_choice", "require_number", "require_probability", "require_whole_number"]


def require_choice(name: str, value: Any, allowed: Sequence[Any]) -> Any:
    """Return ``value`` if it is one of ``allowed``, else DataError listing them.

    Examples
    --------
    >>> require_choice("method", "median", ("recency", "frequency"))
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: method must be 'recency' or 'frequency', got 'median'.
    """
    try:
        known = value in allowed
    except TypeError:  # an unhashable value, e.g. a list
        known = False
    if not known:
        options = ", ".join(repr(a) for a in allowed[:-1]) + f" or {allowed[-1]!r}" \
            if len(allowed) > 1 else repr(allowed[0])
        raise DataError(f"{name} must be {options}, got {describe_example(value)}.")
    return value


def require_number(name: str, value: Any, *, low: float | None = None,
                   high: float | None = None, low_open: bool = False) -> float:
    """A finite number parameter within bounds, or DataError (rates, shares, prices).

    ``low_open=True`` excludes ``low`` itself (e.g. a discount rate must be
    above -1).

    Examples
    --------
    >>> require_number("discount_rate", float("inf"), low=-1, low_open=True)
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: discount_rate must be a finite number above -1, got inf.
    """
    lo = "" if low is None else f" {'above' if low_open else 'at least'} {low:g}"
    hi = "" if high is None else f"{' and' if lo else ''} at most {high:g}"
    ok = (_finite(value)
          and (low is None or (value > low if low_open else value >= low))
          and (high is None or value <= high))
    if not ok:
        raise DataError(f"{name} must be a finite number{lo}{hi}, got {describe_example(value)}.")
    return float(value)


def require_probability(name: str, value: Any) -> float:
    """A probability strictly between 0 and 1 (alpha, power, level, a share), or DataError.

    Examples
    --------
    >>> require_probability("power", 1.0)
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: power must be a number between 0 and 1 (both excluded), got 1.0.
    """
    try:
        number = require_number(name, value, low=0, high=1, low_open=True)
    except DataError:
        number = 1.0
    if number >= 1:
        raise DataError(f"{name} must be a number between 0 and 1 (both excluded), got "
                        f"{describe_example(value)}.")
    return number


def require_whole_number(name: str, value: Any, *, low: int = 0,
                         high: int | None = None) -> int:
    """A whole-number parameter from ``low`` to ``high`` (horizons, bins, counts), or DataError.

    Examples
    --------
    >>> require_whole_number("horizon", 2.5, low=1)
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: horizon must be a whole number of at least 1, got 2.5.
    >>> require_whole_number("bins", 500, low=2, high=100)
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: bins must be a whole number from 2 to 100, got 500.
    """
    ok = (_finite(value) and value == int(value) and value >= low
          and (high is None or value <= high))
    if not ok:
        bounds = f"of at least {low}" if high is None else f"from {low} to {high}"
        raise DataError(f"{name} must be a whole number {bounds}, got "
                        f"{describe_example(value)}.")
    return int(value)


def _finite(value: Any) -> bool:
    """A real number (not a bool) that is finite; Python ints of any size included."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, np.integer, np.floating)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float is still a finite number
        return True
