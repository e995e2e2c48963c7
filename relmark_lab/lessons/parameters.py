"""Check a lesson's parameters in its first code cell, with one sentence per problem.

papermill injects an instructor's values (``relmark run -p n_clusters=four``)
as they were typed. A lesson hands every parameter to :func:`check_parameters`
with what it must be, right after the ``parameters`` cell, so a wrong value
stops the lesson at once with a sentence naming the parameter, the value and
what is allowed, instead of a ``TypeError`` deep in the lesson.

Examples
--------
>>> check_parameters(bins=WholeNumber(5, low=2, high=10),
...                  kind=Choice("sample", ("sample", "master")))
>>> check_parameters(bins=WholeNumber("four", low=2, high=10))
Traceback (most recent call last):
...
relmark_lab.lessons.parameters.ParameterError: This lesson cannot run with these parameters:
- bins is 'four', but it must be a whole number from 2 to 10.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from relmark_lab._time import observation_end_day
from relmark_lab.errors import DataError, describe_example

__all__ = [
    "Choice",
    "Day",
    "Folder",
    "Number",
    "OneOrMore",
    "ParameterError",
    "Shares",
    "WholeNumber",
    "check_parameters",
]


class ParameterError(DataError):
    """A lesson parameter has a value the lesson cannot use."""


def _shown(value: Any) -> str:
    return describe_example(value)


def _range(low: Any, high: Any, unit: str = "") -> str:
    unit = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f" from {_bound(low)}{unit} to {_bound(high)}{unit}"
    if low is not None:
        return f" of at least {_bound(low)}{unit}"
    if high is not None:
        return f" of at most {_bound(high)}{unit}"
    return ""


def _bound(value: float) -> str:
    """A bound as typed: no thousands separators (bounds are often years), no e-notation."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass(frozen=True)
class WholeNumber:
    """A whole number, optionally within ``[low, high]``."""

    value: Any
    low: int | None = None
    high: int | None = None

    def problem(self) -> str:
        whole = isinstance(self.value, numbers.Integral) and not isinstance(self.value, bool)
        whole = whole or (isinstance(self.value, float) and self.value.is_integer())
        inside = whole and (self.low is None or self.value >= self.low) and (
            self.high is None or self.value <= self.high)
        return "" if inside else f"must be a whole number{_range(self.low, self.high)}"


@dataclass(frozen=True)
class Number:
    """A number, optionally within ``[low, high]`` (or strictly inside with ``strict``)."""

    value: Any
    low: float | None = None
    high: float | None = None
    strict: bool = False
    unit: str = ""

    def problem(self) -> str:
        ok = isinstance(self.value, numbers.Real) and not isinstance(self.value, bool)
        ok = ok and pd.notna(self.value)
        if ok and self.low is not None:
            ok = self.value > self.low if self.strict else self.value >= self.low
        if ok and self.high is not None:
            ok = self.value < self.high if self.strict else self.value <= self.high
        if ok:
            return ""
        unit = f" {self.unit}" if self.unit else ""
        if self.strict and self.low is not None and self.high is not None:
            return f"must be a number strictly between {_bound(self.low)} and {_bound(self.high)}"
        if self.strict and self.low is not None:
            return f"must be a number above {_bound(self.low)}{unit}"
        if self.strict and self.high is not None:
            return f"must be a number below {_bound(self.high)}{unit}"
        return f"must be a number{_range(self.low, self.high, self.unit)}"


@dataclass(frozen=True)
class Choice:
    """One of a few allowed values."""

    value: Any
    options: Sequence[Any]

    def problem(self) -> str:
        if any(self.value == option and type(self.value) is type(option)
               for option in self.options):
            return ""
        return "must be one of " + ", ".join(_shown(o) for o in self.options)


@dataclass(frozen=True)
class OneOrMore:
    """A list or tuple of one or more of the allowed values, none repeated."""

    value: Any
    options: Sequence[Any]

    def problem(self) -> str:
        wanted = "must be a list of one or more of " + ", ".join(_shown(o) for o in self.options)
        if not isinstance(self.value, (list, tuple)) or not self.value:
            return wanted
        if any(v not in self.options for v in self.value) or len(set(self.value)) < len(self.value):
            return wanted + ", each at most once"
        return ""


@dataclass(frozen=True)
class Shares:
    """A mapping of names to shares in (0, 1] whose total is at most 1."""

    value: Any

    def problem(self) -> str:
        wanted = "must map names to shares between 0 and 1 that add up to at most 1"
        if not isinstance(self.value, Mapping) or not self.value:
            return wanted
        shares = list(self.value.values())
        if not all(isinstance(s, numbers.Real) and not isinstance(s, bool) and 0 < s <= 1
                   for s in shares):
            return wanted
        return "" if sum(shares) <= 1 + 1e-9 else wanted + f" (they add up to {sum(shares):g})"


@dataclass(frozen=True)
class Day:
    """A day written year first (``"2025-06-30"``), optionally inside ``[first, last]``.

    ``optional=True`` also accepts None (the lesson then takes its default).
    """

    value: Any
    first: Any = None
    last: Any = None
    optional: bool = False

    def problem(self) -> str:
        if self.value is None and self.optional:
            return ""
        wanted = "must be a day written year first, e.g. '2025-06-30'"
        if self.optional:
            wanted += ", or None"
        try:
            day = observation_end_day(self.value)
        except (DataError, TypeError, ValueError):
            return wanted
        first = None if self.first is None else pd.Timestamp(self.first).normalize()
        last = None if self.last is None else pd.Timestamp(self.last).normalize()
        if (first is not None and day < first) or (last is not None and day > last):
            return (f"must be a day from {_day(first)} to {_day(last)}" if first is not None
                    and last is not None else
                    f"must be a day on or after {_day(first)}" if first is not None else
                    f"must be a day on or before {_day(last)}")
        return ""


def _day(day: pd.Timestamp | None) -> str:
    return "?" if day is None else day.strftime("%Y-%m-%d")


@dataclass(frozen=True)
class Folder:
    """An existing folder, or None for the kit's own ``datasets/``."""

    value: Any

    def problem(self) -> str:
        if self.value is None:
            return ""
        if isinstance(self.value, (str, Path)) and Path(self.value).expanduser().is_dir():
            return ""
        return "must be an existing folder, or None for the kit's datasets/ folder"


def check_parameters(**specs: Any) -> None:
    """Check every lesson parameter against what it must be.

    Parameters
    ----------
    **specs
        ``name=Spec(value, ...)``, one per parameter: :class:`WholeNumber`,
        :class:`Number`, :class:`Choice`, :class:`OneOrMore`, :class:`Shares`,
        :class:`Day` or :class:`Folder`.

    Raises
    ------
    ParameterError
        Listing every parameter with a value the lesson cannot use: its
        name, the value, and what it must be.
    """
    problems = []
    for name, spec in specs.items():
        if not hasattr(spec, "problem"):
            raise TypeError(f"{name}: check_parameters takes specs such as WholeNumber(value).")
        problem = spec.problem()
        if problem:
            problems.append(f"- {name} is {_shown(spec.value)}, but it {problem}.")
    if problems:
        raise ParameterError("This lesson cannot run with these parameters:\n"
                             + "\n".join(problems))
