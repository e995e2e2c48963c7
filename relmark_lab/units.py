"""Time units: what ``D``, ``W``, ``M``, ``Q`` and ``Y`` mean, everywhere in the kit.

Unit confusion is the most reported bug class of the CLV tools, so every
duration in ``relmark_lab`` names its unit with one of five codes, and this
module alone says what they mean:

====  ========  ==================  =====================================
code  name      length as duration  calendar period (cohorts, layer cake)
====  ========  ==================  =====================================
D     days      1 day               the calendar day
W     weeks     7 days              the week ending on Sunday
M     months    365.25 / 12 days    the calendar month
Q     quarters  365.25 / 4 days     the calendar quarter
Y     years     365.25 days         the calendar year
====  ========  ==================  =====================================

A *duration* (recency, ``T``, a horizon, tenure) is a number of days
divided by the unit's length, so 30 days are 0.986 months. A *calendar
period* groups dates by the calendar (January 2025 is one month whatever
its length); only the cohort tables use it, and their docstrings say so.
Rates convert by compounding: 10% a year is (1.10)^(1/12) − 1 = 0.797% a
month.

Examples
--------
>>> days_per_unit("W")
7.0
>>> round(convert_duration(30, "D", "M"), 3)
0.986
>>> round(convert_rate(0.10, "Y", "M"), 6)
0.007974
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from relmark_lab._parameters import one_of
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = [
    "DAYS_PER_UNIT",
    "DAYS_PER_YEAR",
    "PERIODS_PER_YEAR",
    "TIME_UNITS",
    "UNIT_NAMES",
    "calendar_period",
    "check_unit",
    "convert_duration",
    "convert_rate",
    "days_per_unit",
    "periods_per_year",
]

#: The unit codes, shortest first.
TIME_UNITS: tuple[str, ...] = ("D", "W", "M", "Q", "Y")
#: Length of the average year (leap years included), in days.
DAYS_PER_YEAR = 365.25
#: Length of each unit as a duration, in days.
DAYS_PER_UNIT: dict[str, float] = {
    "D": 1.0,
    "W": 7.0,
    "M": DAYS_PER_YEAR / 12,
    "Q": DAYS_PER_YEAR / 4,
    "Y": DAYS_PER_YEAR,
}
#: How many periods of each unit make a year.
PERIODS_PER_YEAR: dict[str, float] = {
    unit: DAYS_PER_YEAR / days for unit, days in DAYS_PER_UNIT.items()
}
#: Plural English name of each unit, for messages and axis labels (shown through
#: :func:`relmark_lab.i18n.gettext`, so in the language in use).
UNIT_NAMES: dict[str, str] = {
    "D": N_("days"), "W": N_("weeks"), "M": N_("months"), "Q": N_("quarters"), "Y": N_("years"),
}
# pandas Period frequency of each unit's calendar period.
_CALENDAR_PERIODS = {"D": "D", "W": "W-SUN", "M": "M", "Q": "Q-DEC", "Y": "Y-DEC"}


def check_unit(unit: object, allowed: Sequence[str] = TIME_UNITS,
               name: str = "time_unit") -> str:
    """Return ``unit`` if it is one of ``allowed``, else raise DataError.

    Parameters
    ----------
    unit : object
        The value a user passed.
    allowed : sequence of str, default all of :data:`TIME_UNITS`
        The units the caller supports.
    name : str, default "time_unit"
        The parameter's name in the message.

    Returns
    -------
    str

    Raises
    ------
    DataError
        Naming the parameter, the value and the allowed units.

    Examples
    --------
    >>> check_unit("W")
    'W'
    >>> check_unit("weeks")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: time_unit must be one of 'D' (days), 'W' (weeks), \
'M' (months), 'Q' (quarters) or 'Y' (years), got 'weeks'.
    """
    if not isinstance(unit, str) or unit not in allowed:
        named = [f"{u!r} ({_(UNIT_NAMES[u])})" for u in allowed]
        raise DataError(_("{name} must be one of {options}, got {value}.").format(
            name=name, options=one_of(named), value=describe_example(unit)))
    return unit


def days_per_unit(unit: str) -> float:
    """Length of one period of ``unit`` in days (as a duration).

    Examples
    --------
    >>> days_per_unit("M")
    30.4375
    """
    return DAYS_PER_UNIT[check_unit(unit)]


def periods_per_year(unit: str) -> float:
    """How many periods of ``unit`` make a year of 365.25 days.

    Examples
    --------
    >>> round(periods_per_year("W"), 4)
    52.1786
    """
    return PERIODS_PER_YEAR[check_unit(unit)]


def convert_duration(value: float | np.ndarray, from_unit: str,
                     to_unit: str) -> float | np.ndarray:
    """A duration in ``from_unit`` expressed in ``to_unit``.

    Examples
    --------
    >>> convert_duration(2, "W", "D")
    14.0
    """
    return value * days_per_unit(from_unit) / days_per_unit(to_unit)


def convert_rate(rate: float, from_unit: str, to_unit: str) -> float:
    """A compounding rate (interest, discount) per ``from_unit`` as a rate per ``to_unit``.

    ``(1 + rate) ** (length of to_unit / length of from_unit) - 1``, so
    discounting one cash flow weekly or monthly gives the same value.

    Raises
    ------
    DataError
        If ``rate`` is not a finite number above -1.

    Examples
    --------
    >>> round(convert_rate(0.01, "M", "Y"), 6)
    0.126825
    """
    if isinstance(rate, bool) or not isinstance(rate, (int, float, np.integer, np.floating)) \
            or not np.isfinite(rate) or rate <= -1:
        raise DataError(_("A rate must be a finite number above -1, got {value}.").format(
            value=describe_example(rate)))
    exponent = days_per_unit(to_unit) / days_per_unit(from_unit)
    return float((1 + rate) ** exponent - 1)


def calendar_period(unit: str) -> str:
    """The pandas Period frequency of ``unit``'s calendar period.

    Examples
    --------
    >>> calendar_period("Q")
    'Q-DEC'
    """
    return _CALENDAR_PERIODS[check_unit(unit)]
