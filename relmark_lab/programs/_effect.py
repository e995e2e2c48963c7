"""The result every program evaluation returns, and the checks of what it is measured on (private).

Every estimator of :mod:`relmark_lab.programs` (a randomized pilot, a
difference-in-differences, a propensity-weighted comparison) answers with
one :class:`Effect`: the estimated lift of the treated over the controls,
its standard error and confidence interval, the arms' sizes and the method.
Method-specific numbers (a p-value, the CUPED theta, a formula) go in
``details``. The checks below give the same sentence for the same mistake
in every module: a treatment that is not 0/1, an arm too small to have a
spread, an outcome that is not a number, a covariate that cannot be used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._validate import (
    column_error,
    first_row,
    require_columns,
    require_numbers,
    require_probability,
    with_missing_label,
)
from relmark_lab.errors import DataError
from relmark_lab.i18n import N_, get_language
from relmark_lab.i18n import gettext as _

__all__ = [
    "IPW_ADJUSTED_METHOD",
    "IPW_METHOD",
    "NET_VALUE_METHOD",
    "REGRESSION_METHOD",
    "STAGGERED_METHOD",
    "Effect",
    "covariate_matrix",
    "display_method",
    "require_arms",
    "require_outcome",
    "require_probability",
    "require_treatment",
]


#: The methods an :class:`Effect` names with values in them; ``method`` holds the English
#: (``REGRESSION_METHOD.format(mode="ANCOVA", cov_type="HC2")``), :func:`display_method`
#: reads the values back and shows the method in the language in use.
REGRESSION_METHOD = N_("regression adjustment ({mode}, {cov_type} robust SE)")
STAGGERED_METHOD = N_("staggered DiD, {controls} controls")
IPW_METHOD = N_("inverse-probability weighting ({estimand})")
IPW_ADJUSTED_METHOD = N_("inverse-probability weighting ({estimand}, regression-adjusted)")
NET_VALUE_METHOD = N_("net value of {method}")


def _pattern(template: str) -> re.Pattern[str]:
    """A template's English as a pattern whose groups are its placeholders."""
    pieces = re.split(r"\{(\w+)\}", template)  # text, name, text, name, ..., text
    return re.compile("".join(re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>.+?)"
                              for i, piece in enumerate(pieces)))


_BUILT_METHODS = [(template, _pattern(template)) for template in (
    REGRESSION_METHOD, STAGGERED_METHOD, IPW_ADJUSTED_METHOD, IPW_METHOD, NET_VALUE_METHOD)]


def display_method(method: str) -> str:
    """How a person reads an :class:`Effect`'s ``method``: in the language in use.

    A method written once (``"Welch t-test"``) is looked up as it is; one
    written with values (:data:`REGRESSION_METHOD`...) is its template in
    the language in use, filled with the values shown the same way (a code
    such as ``HC2`` or ``ATT`` stays as it is). A method of the user's own
    comes back unchanged.

    Examples
    --------
    >>> from relmark_lab import i18n
    >>> built = NET_VALUE_METHOD.format(method="Welch t-test")
    >>> display_method(built)
    'net value of Welch t-test'
    >>> i18n.set_language("es")
    >>> display_method(built), display_method("my own method")
    ('valor neto de prueba t de Welch', 'my own method')
    >>> i18n.set_language("en")
    """
    if get_language() == "en":
        return method
    shown = _(method)
    if shown != method:
        return shown
    for template, pattern in _BUILT_METHODS:
        found = pattern.fullmatch(method)
        if found:
            return _(template).format(**{name: display_method(value)
                                         for name, value in found.groupdict().items()})
    return method


def _number(value: float) -> str:
    """A number for a sentence: 4 significant digits, never in exponent form."""
    return f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:,.4g}"


@dataclass(frozen=True)
class Effect:
    """An estimated program effect: treated minus control, with its interval.

    Attributes
    ----------
    estimate : float
        The effect in the outcome's unit (e.g. revenue per member per month).
    std_error : float
        Its standard error, in the same unit.
    lower, upper : float
        The confidence interval at ``level``.
    level : float
        The interval's confidence level, e.g. 0.95.
    n_treated, n_control : int
        Members in each arm that the estimate uses.
    method : str
        How it was estimated, in words (e.g. ``"Welch t-test"``), in English;
        printing the effect shows it in the language in use (:func:`display_method`).
    details : dict
        Method-specific numbers, e.g. ``p_value``, ``theta``,
        ``relative_width``; treat it as read-only. Not used in ``==``.

    Examples
    --------
    >>> effect = Effect(5.0, 1.0, 3.0, 7.0, 0.95, 100, 100, "Welch t-test")
    >>> effect.covers(4.0), effect.covers(0.0), effect.width
    (True, False, 4.0)
    >>> print(effect)
    5 (95% CI 3 to 7; Welch t-test, 100 treated, 100 control)
    """

    estimate: float
    std_error: float
    lower: float
    upper: float
    level: float
    n_treated: int
    n_control: int
    method: str
    details: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def width(self) -> float:
        """``upper - lower``: how precisely the pilot measured the effect."""
        return self.upper - self.lower

    def covers(self, value: float) -> bool:
        """Whether ``value`` lies inside the interval (bounds included)."""
        return bool(self.lower <= value <= self.upper)

    def as_dict(self) -> dict[str, Any]:
        """The fields except ``details``, for one row of a table of effects."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "details"}

    def __str__(self) -> str:
        return _("{estimate} ({level:.0%} CI {lower} to {upper}; {method}, {treated:,} "
                 "treated, {control:,} control)").format(
                     estimate=_number(self.estimate), level=self.level,
                     lower=_number(self.lower), upper=_number(self.upper),
                     method=display_method(self.method), treated=self.n_treated,
                     control=self.n_control)


def require_treatment(frame: pd.DataFrame, column: str, what: str) -> np.ndarray:
    """The treatment column as a boolean array, or DataError unless every value is 0/1 or bool.

    Examples
    --------
    >>> require_treatment(pd.DataFrame({"treated": [1, 0, 2]}), "treated", "pilot")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: pilot: column 'treated' is not 0/1 (or True/False) in 1 row, \
e.g. 2. Code the treated members 1 and the controls 0.
    """
    require_columns(frame, [column], what)
    raw = frame[column]
    missing = raw.isna().to_numpy(dtype=bool)
    if missing.any():
        raise column_error(what, column, int(missing.sum()), _("missing"),
                           first_row(frame, missing),
                           _("Every member must be either treated (1) or control (0)."))
    if pd.api.types.is_bool_dtype(raw.dtype):
        return raw.to_numpy(dtype=bool)
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isin(values, (0.0, 1.0))
    if bad.any():
        raise column_error(what, column, int(bad.sum()), _("not 0/1 (or True/False)"),
                           raw.to_numpy(dtype=object)[bad][0],
                           _("Code the treated members 1 and the controls 0."))
    return values == 1.0


def require_arms(treated: np.ndarray, column: str, what: str, minimum: int = 2) -> None:
    """Raise DataError unless both arms have at least ``minimum`` members.

    Examples
    --------
    >>> require_arms(np.array([True, False, False]), "treated", "pilot")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: pilot: column 'treated' marks 1 treated and 2 control \
member(s); each arm needs at least 2 members to have a spread.
    """
    n_treated = int(np.count_nonzero(treated))
    n_control = len(treated) - n_treated
    if min(n_treated, n_control) < minimum:
        raise DataError(_("{what}: column {column!r} marks {treated:,} treated and "
                          "{control:,} control member(s); each arm needs at least {minimum} "
                          "members to have a spread.").format(
                              what=what, column=column, treated=n_treated, control=n_control,
                              minimum=minimum))


def require_outcome(frame: pd.DataFrame, column: str, what: str) -> np.ndarray:
    """An outcome column as floats; True/False count as 1/0 (a difference in proportions).

    Examples
    --------
    >>> require_outcome(pd.DataFrame({"active": [True, False]}), "active", "pilot")
    array([1., 0.])
    >>> require_outcome(pd.DataFrame({"revenue": [10, "n/a"]}), "revenue", "pilot")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: pilot: column 'revenue' is not a number in 1 row, e.g. 'n/a'.
    """
    require_columns(frame, [column], what)
    raw = frame[column]
    if pd.api.types.is_bool_dtype(raw.dtype) and not raw.isna().any():
        return raw.to_numpy(dtype=float)
    return require_numbers(frame, column, what).to_numpy()


def covariate_matrix(frame: pd.DataFrame, covariates: Sequence[str], what: str, *,
                     drop_first: bool = False) -> pd.DataFrame:
    """Covariates as float columns: numbers (and True/False) as they are, labels as 0/1 dummies.

    Columns are a MultiIndex ``(covariate, level)``; ``level`` is ``""`` for
    a number. A missing label is a level of its own
    (:data:`relmark_lab._validate.MISSING_LABEL`); a missing number is an
    error. ``drop_first`` leaves out each label's first level (for a
    regression with an intercept).

    Examples
    --------
    >>> frame = pd.DataFrame({"tier": ["gold", "basic", None], "spend": [3.0, 1.0, 2.0]})
    >>> covariate_matrix(frame, ["spend", "tier"], "pilot").columns.tolist()
    [('spend', ''), ('tier', '(missing)'), ('tier', 'basic'), ('tier', 'gold')]
    """
    names = [covariates] if isinstance(covariates, str) else list(covariates)
    if not names:
        raise DataError(_("covariates must name at least one column."))
    require_columns(frame, names, what)
    parts: dict[tuple[str, str], np.ndarray] = {}
    for name in names:
        raw = frame[name]
        if pd.api.types.is_bool_dtype(raw.dtype) or pd.api.types.is_numeric_dtype(raw.dtype):
            if pd.api.types.is_bool_dtype(raw.dtype) and not raw.isna().any():
                parts[(name, "")] = raw.to_numpy(dtype=float)
            else:
                parts[(name, "")] = require_numbers(frame, name, what).to_numpy()
            continue
        labels = with_missing_label(raw).astype(str)
        levels = sorted(labels.unique())
        for level in levels[1:] if drop_first else levels:
            parts[(name, level)] = (labels == level).to_numpy(dtype=float)
    columns = pd.MultiIndex.from_tuples(list(parts) or [("", "")], names=["covariate", "level"])
    return pd.DataFrame(dict(enumerate(parts.values())), index=frame.index).set_axis(
        columns[: len(parts)], axis=1)
