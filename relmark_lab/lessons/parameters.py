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
from relmark_lab.i18n import gettext as _

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


def _within(templates: tuple[str, str, str, str], low: Any, high: Any, unit: str = "") -> str:
    """The one of ``templates`` (no bound, both, low only, high only) that fits, filled in:
    whole sentences, so each language words its bounds its own way."""
    unbounded, between, at_least, at_most = templates
    template = (between if low is not None and high is not None else
                at_least if low is not None else at_most if high is not None else unbounded)
    return template.format(low=None if low is None else _bound(low),
                           high=None if high is None else _bound(high),
                           unit=f" {unit}" if unit else "")


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
        if inside:
            return ""
        return _within((_("must be a whole number"),
                        _("must be a whole number from {low} to {high}"),
                        _("must be a whole number of at least {low}"),
                        _("must be a whole number of at most {high}")), self.low, self.high)


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
        if self.strict and (self.low is not None or self.high is not None):
            return _within(("", _("must be a number strictly between {low} and {high}"),
                            _("must be a number above {low}{unit}"),
                            _("must be a number below {high}{unit}")),
                           self.low, self.high, self.unit)
        return _within((_("must be a number"),
                        _("must be a number from {low}{unit} to {high}{unit}"),
                        _("must be a number of at least {low}{unit}"),
                        _("must be a number of at most {high}{unit}")),
                       self.low, self.high, self.unit)


@dataclass(frozen=True)
class Choice:
    """One of a few allowed values."""

    value: Any
    options: Sequence[Any]

    def problem(self) -> str:
        if any(self.value == option and type(self.value) is type(option)
               for option in self.options):
            return ""
        return _("must be one of {options}").format(
            options=", ".join(_shown(o) for o in self.options))


@dataclass(frozen=True)
class OneOrMore:
    """A list or tuple of one or more of the allowed values, none repeated."""

    value: Any
    options: Sequence[Any]

    def problem(self) -> str:
        options = ", ".join(_shown(o) for o in self.options)
        if not isinstance(self.value, (list, tuple)) or not self.value:
            return _("must be a list of one or more of {options}").format(options=options)
        if any(v not in self.options for v in self.value) or len(set(self.value)) < len(self.value):
            return _("must be a list of one or more of {options}, each at most once").format(
                options=options)
        return ""


@dataclass(frozen=True)
class Shares:
    """A mapping of names to shares in (0, 1] whose total is at most 1."""

    value: Any

    def problem(self) -> str:
        wanted = _("must map names to shares between 0 and 1 that add up to at most 1")
        if not isinstance(self.value, Mapping) or not self.value:
            return wanted
        shares = list(self.value.values())
        if not all(isinstance(s, numbers.Real) and not isinstance(s, bool) and 0 < s <= 1
                   for s in shares):
            return wanted
        if sum(shares) <= 1 + 1e-9:
            return ""
        return _("must map names to shares between 0 and 1 that add up to at most 1 (they add "
                 "up to {total:g})").format(total=sum(shares))


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
        wanted = (_("must be a day written year first, e.g. '2025-06-30', or None")
                  if self.optional else _("must be a day written year first, e.g. '2025-06-30'"))
        try:
            day = observation_end_day(self.value)
        except (DataError, TypeError, ValueError):
            return wanted
        first = None if self.first is None else pd.Timestamp(self.first).normalize()
        last = None if self.last is None else pd.Timestamp(self.last).normalize()
        if (first is not None and day < first) or (last is not None and day > last):
            template = (_("must be a day from {first} to {last}") if first is not None
                        and last is not None else
                        _("must be a day on or after {first}") if first is not None else
                        _("must be a day on or before {last}"))
            return template.format(first=_day(first), last=_day(last))
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
        return _("must be an existing folder, or None for the kit's datasets/ folder")


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
            raise TypeError(_("{name}: check_parameters takes specs such as "
                              "WholeNumber(value).").format(name=name))
        problem = spec.problem()
        if problem:
            problems.append(_("- {name} is {value}, but it {problem}.").format(
                name=name, value=_shown(spec.value), problem=problem))
    if problems:
        raise ParameterError(_("This lesson cannot run with these parameters:") + "\n"
                             + "\n".join(problems))
