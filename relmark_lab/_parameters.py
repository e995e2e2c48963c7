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
from relmark_lab.i18n import gettext as _

__all__ = ["one_of", "require_choice", "require_number", "require_probability",
           "require_whole_number"]


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
        raise DataError(_("{name} must be {options}, got {value}.").format(
            name=name, options=one_of([repr(a) for a in allowed]),
            value=describe_example(value)))
    return value


def one_of(options: Sequence[str]) -> str:
    """Options for a message: ``'a', 'b' or 'c'``, with "or" in the language in use.

    Examples
    --------
    >>> one_of(["'D'", "'W'", "'M'"]), one_of(["'D'"])
    ("'D', 'W' or 'M'", "'D'")
    """
    if len(options) == 1:
        return options[0]
    return _("{options} or {last}").format(options=", ".join(options[:-1]), last=options[-1])


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
    ok = (_finite(value)
          and (low is None or (value > low if low_open else value >= low))
          and (high is None or value <= high))
    if not ok:
        raise DataError(_number_template(low, high, low_open).format(
            name=name, low=low, high=high, value=describe_example(value)))
    return float(value)


def _number_template(low: float | None, high: float | None, low_open: bool) -> str:
    """The sentence of :func:`require_number` for its bounds, in the language in use."""
    if low is None and high is None:
        return _("{name} must be a finite number, got {value}.")
    if low is None:
        return _("{name} must be a finite number at most {high:g}, got {value}.")
    if high is None:
        return (_("{name} must be a finite number above {low:g}, got {value}.") if low_open
                else _("{name} must be a finite number at least {low:g}, got {value}."))
    return (_("{name} must be a finite number above {low:g} and at most {high:g}, got "
              "{value}.") if low_open
            else _("{name} must be a finite number at least {low:g} and at most {high:g}, got "
                   "{value}."))


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
        raise DataError(_("{name} must be a number between 0 and 1 (both excluded), got "
                          "{value}.").format(name=name, value=describe_example(value)))
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
        template = (_("{name} must be a whole number of at least {low}, got {value}.")
                    if high is None else
                    _("{name} must be a whole number from {low} to {high}, got {value}."))
        raise DataError(template.format(name=name, low=low, high=high,
                                        value=describe_example(value)))
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
