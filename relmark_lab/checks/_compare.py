"""Compare a student's answer with the reference, and say how it differs without giving it.

The clauses this module writes complete "Wrong, because ...". They name the
student's own value, the direction and the size of the gap ("about 12% too
high"), the labels where a Series differs, and a few mistakes any exercise
can make (a percentage for a fraction, a rounded number, the wrong sign).
They never contain the reference answer, so a student cannot copy it from
one check into a hard-coded ``return``.

One rule for containers holds in every check:

* a Series is expected → a Series, a dict or a one-column DataFrame is
  compared label by label; a list or array is refused, because it does not
  say whose each value is;
* an array is expected → any list, tuple, array or Series of the same
  length is compared position by position;
* a tuple is expected → a tuple or list of the same length, element by
  element;
* a single value is expected → a one-element Series or array stands for its
  value.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["compare_answer", "show"]

#: Longest rendering of a value inside a message.
SHOWN_CHARACTERS = 60


def show(value: Any) -> str:
    """Describe a value in a few words, however large it is.

    Examples
    --------
    >>> show(list(range(54_000)))
    'a list of 54,000 values'
    >>> show(0.4832101)
    '0.48321'
    >>> show(None)
    'None (did you forget to `return` the result?)'
    """
    if value is None:
        return "None (did you forget to `return` the result?)"
    if isinstance(value, pd.DataFrame):
        rows, columns = value.shape
        return f"a DataFrame of {rows:,} rows and {columns:,} columns"
    if isinstance(value, pd.Series):
        return f"a Series of {len(value):,} values"
    if isinstance(value, (list, tuple, np.ndarray, set, dict)) and len(value) > 4:
        kind = {dict: "dict", set: "set", tuple: "tuple", list: "list"}.get(type(value), "array")
        return f"a {kind} of {len(value):,} values"
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, float, np.number)):
        return _number(value)
    text = repr(value)
    if len(text) > SHOWN_CHARACTERS:
        text = text[: SHOWN_CHARACTERS - 1] + "…"
    return text


def _number(value: Any) -> str:
    """A student's number in full enough to recognise it: six significant digits, no e-notation."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    size = abs(value)
    if size >= 1000:
        return f"{value:,.2f}"
    decimals = 5 - int(math.floor(math.log10(size)))
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".")


def _is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pd.NA (which all mean "no value")."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # containers are not missing values
        return False


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))


def _close(a: float, b: float, rel_tol: float) -> bool:
    return math.isclose(float(a), float(b), rel_tol=rel_tol, abs_tol=rel_tol)


def _number_gap(answer: float, expected: float, rounding: bool = True) -> str:
    """How a number differs from the reference: rounding, scale, sign, or direction and size."""
    answer, expected = float(answer), float(expected)
    mine = f"your answer, {_number(answer)},"
    if rounding and _looks_rounded(answer, expected):
        decimals = next(d for d in range(5) if round(expected, d) == answer)
        return (f"{mine} matches the data only when rounded to {decimals} decimal(s): "
                "return the unrounded number (round only when you print).")
    if expected != 0:
        ratio = answer / expected
        scale = _scale_slip(ratio)
        if scale:
            return f"{mine} {scale}"
        direction = "too high" if answer > expected else "too low"
        gap = abs(answer - expected) / abs(expected)
        if gap >= 10:
            return f"{mine} is {direction}, by a factor of about {abs(ratio):,.0f}."
        return f"{mine} is about {_percent(gap)} {direction}."
    direction = "smaller" if answer > expected else "larger"
    return f"{mine} should be {direction}."


def _looks_rounded(answer: float, expected: float) -> bool:
    """The answer is the reference rounded, and has the digits to show it was rounded.

    A 0 or a 1 from integer division is not a rounded share, so an answer must
    keep at least two significant digits for the rounding diagnosis.
    """
    for decimals in range(5):
        if round(expected, decimals) == answer and answer != expected:
            return abs(answer) >= 10 ** (1 - decimals)
    return False


def _scale_slip(ratio: float) -> str:
    """A slip of scale any exercise can make, recognised from answer / reference."""
    if math.isclose(ratio, 100, rel_tol=1e-6):
        return ("is 100 times too large: is it a percentage where a fraction (0 to 1) is "
                "asked, or a slip of units?")
    if math.isclose(ratio, 0.01, rel_tol=1e-6):
        return "is 100 times too small: is it a fraction where a percentage (or points) is asked?"
    if math.isclose(ratio, -1, rel_tol=1e-6):
        return "has the right size but the wrong sign."
    return ""


def _percent(share: float) -> str:
    if share >= 0.095:
        return f"{share:.0%}"
    return f"{share:.1%}" if share >= 0.001 else "less than 0.1%"


def compare_answer(answer: Any, expected: Any, rel_tol: float = 1e-6,
                   rounding: bool = True) -> tuple[bool, str]:
    """Compare an answer with the reference and say how they differ, without the reference.

    Parameters
    ----------
    answer, expected : object
        The student's answer and the reference answer.
    rel_tol : float, default 1e-6
        Relative (and absolute) tolerance for numbers.
    rounding : bool, default True
        Whether to say that an answer is the reference rounded. Off on data
        the student has not seen, where it would tell the reference's digits.

    Returns
    -------
    (bool, str)
        Whether they agree and, if not, a clause completing "because ...".

    Examples
    --------
    >>> compare_answer(3, 3.0)
    (True, '')
    >>> compare_answer(2.5, 2.0)[1]
    'your answer, 2.5, is about 25% too high.'
    >>> compare_answer(48.0, 0.48)[1]
    'your answer, 48, is 100 times too large: is it a percentage where a fraction (0 to 1) \
is asked, or a slip of units?'
    """
    if isinstance(expected, pd.DataFrame):
        if expected.shape[1] != 1:
            return _compare_frame(answer, expected, rel_tol, rounding)
        expected = expected.iloc[:, 0]
    if isinstance(expected, pd.Series):
        return _compare_series(answer, expected, rel_tol, rounding)
    if isinstance(expected, np.ndarray):
        return _compare_array(answer, expected, rel_tol, rounding)
    if isinstance(expected, (tuple, list)):
        return _compare_tuple(answer, tuple(expected), rel_tol, rounding)
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray, list)):
        # A one-element Series (e.g. from a boolean filter) stands for its value.
        if np.size(answer) != 1:
            return False, f"a single value is expected, got {show(answer)}."
        answer = np.asarray(answer).ravel()[0]
        answer = answer.item() if isinstance(answer, np.generic) else answer
    if _is_missing(answer) or _is_missing(expected):
        if _is_missing(answer) and _is_missing(expected):
            return True, ""
        if _is_missing(answer):
            return False, f"your answer is {show(answer)}, but the data give a value."
        return False, f"your answer is {show(answer)}, but the data give no value here."
    if _is_number(expected):
        if not _is_number(answer):
            return False, f"a number is expected, got {type(answer).__name__} {show(answer)}."
        if _close(answer, expected, rel_tol):
            return True, ""
        return False, _number_gap(answer, expected, rounding)
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(answer, (bool, np.bool_)):
            return False, f"True or False is expected, got {show(answer)}."
        if bool(answer) == bool(expected):
            return True, ""
        return False, f"your answer is {bool(answer)}, and the data say otherwise."
    if isinstance(expected, str) and not isinstance(answer, str):
        return False, f"a text answer is expected, got {type(answer).__name__} {show(answer)}."
    try:
        same = bool(answer == expected)
    except (TypeError, ValueError):
        same = False
    if same:
        return True, ""
    return False, f"your answer, {show(answer)}, is not the one the data point to."


def _compare_tuple(answer: Any, expected: tuple, rel_tol: float,
                   rounding: bool = True) -> tuple[bool, str]:
    if not isinstance(answer, (tuple, list)) or len(answer) != len(expected):
        return False, f"a tuple of {len(expected)} values is expected, got {show(answer)}."
    for position, (a, e) in enumerate(zip(answer, expected, strict=True), start=1):
        ok, because = compare_answer(a, e, rel_tol, rounding)
        if not ok:
            return False, f"value {position} of {len(expected)} is off: {because}"
    return True, ""


def _compare_array(answer: Any, expected: np.ndarray, rel_tol: float,
                   rounding: bool = True) -> tuple[bool, str]:
    if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
        answer = answer.iloc[:, 0]
    if not isinstance(answer, (list, tuple, np.ndarray, pd.Series)):
        return False, f"{len(expected):,} values in order are expected, got {show(answer)}."
    values = np.asarray(answer, dtype=object).ravel()
    if len(values) != len(expected):
        return False, f"{len(expected):,} values are expected, got {len(values):,}."
    labels = pd.RangeIndex(1, len(expected) + 1, name="position")
    return _compare_values(pd.Series(values, index=labels), pd.Series(expected, index=labels),
                           rel_tol, "position", rounding)


def _as_series(answer: Any) -> Any:
    if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
        return answer.iloc[:, 0]
    if isinstance(answer, dict):
        return pd.Series(answer, dtype="object")
    return answer


def _compare_series(answer: Any, expected: pd.Series, rel_tol: float,
                    rounding: bool = True) -> tuple[bool, str]:
    answer = _as_series(answer)
    what = expected.index.name or "label"
    if not isinstance(answer, pd.Series):
        return False, (f"a pandas Series indexed by {what} is expected, got {show(answer)}: "
                       "a list or an array does not say whose each value is.")
    repeated = answer.index[answer.index.duplicated()]
    if len(repeated):
        return False, (f"the index repeats labels, e.g. {show(repeated[0])} "
                       f"({len(repeated):,} repeats): group before you count.")
    missing = expected.index.difference(answer.index, sort=False)
    extra = answer.index.difference(expected.index, sort=False)
    if len(missing) or len(extra):
        as_text = answer.index.map(str)
        if len(as_text) == len(expected) and as_text.isin(expected.index).all():
            return False, (f"the {what} labels are numbers but the data's ids are text: keep "
                           "the ids as they are (do not convert them with int()).")
        parts = []
        if len(missing):
            parts.append(f"{len(missing):,} {what} value(s) are missing, e.g. {show(missing[0])}")
        if len(extra):
            parts.append(f"{len(extra):,} should not be there, e.g. {show(extra[0])}")
        return False, "the index is not right: " + "; ".join(parts) + "."
    return _compare_values(answer.reindex(expected.index), expected, rel_tol, what, rounding)


def _compare_values(answer: pd.Series, expected: pd.Series, rel_tol: float,
                    what: str, rounding: bool = True) -> tuple[bool, str]:
    """Compare aligned values, label by label; describe the differences by count and example."""
    numeric = pd.api.types.is_numeric_dtype(expected) and not pd.api.types.is_bool_dtype(expected)
    if numeric:
        values = pd.to_numeric(answer, errors="coerce")
        not_numbers = values.isna() & answer.notna()
        if not_numbers.any():
            first = answer[not_numbers].iloc[0]
            where = show(not_numbers.idxmax())
            return False, f"numbers are expected, got e.g. {show(first)} at {where}."
        a, e = values.to_numpy(float), expected.to_numpy(float)
        both_missing = np.isnan(a) & np.isnan(e)
        same = both_missing | np.isclose(a, e, rtol=rel_tol, atol=rel_tol)
    else:
        same = np.array([compare_answer(x, y, rel_tol)[0] for x, y in zip(answer, expected,
                                                                          strict=True)])
    if same.all():
        return True, ""
    wrong = ~same
    n_wrong, n = int(wrong.sum()), len(expected)
    label = expected.index[wrong][0]
    lead = f"for {n_wrong:,} of {n:,} {what} value(s) your answer differs"
    if numeric:
        ratio = a[wrong] / np.where(e[wrong] == 0, np.nan, e[wrong])
        ratio = ratio[np.isfinite(ratio)]
        if len(ratio) == n_wrong and np.allclose(ratio, ratio[0], rtol=1e-6):
            scale = _scale_slip(ratio[0])
            if scale:
                return False, f"{lead}: every value of yours {scale}"
        absent = np.isnan(a[wrong]) & ~np.isnan(e[wrong])
        if absent.any():
            where = show(expected.index[wrong][absent][0])
            return False, (f"{lead}: {int(absent.sum()):,} of yours are missing (NaN or None), "
                           f"e.g. at {where}; did the function return a value for each?")
        if np.isnan(e[wrong]).any():
            where = show(expected.index[wrong][np.isnan(e[wrong])][0])
            return False, f"{lead}: at {where} the data give no value, but yours has one."
        higher = int((a[wrong] > e[wrong]).sum())
        example = _number_gap(a[wrong][0], e[wrong][0], rounding).replace("your answer",
                                                                          "yours")
        return False, (f"{lead} ({higher:,} too high, {n_wrong - higher:,} too low); "
                       f"e.g. at {show(label)} {example}")
    return False, f"{lead}; e.g. at {show(label)} yours is {show(answer[label])}."


def _compare_frame(answer: Any, expected: pd.DataFrame, rel_tol: float,
                   rounding: bool = True) -> tuple[bool, str]:
    if not isinstance(answer, pd.DataFrame):
        columns = ", ".join(map(str, expected.columns))
        return False, f"a DataFrame with columns {columns} is expected, got {show(answer)}."
    missing = [c for c in expected.columns if c not in answer.columns]
    if missing:
        return False, f"column {missing[0]!r} is missing from your DataFrame."
    for column in expected.columns:
        ok, because = _compare_series(answer[column], expected[column], rel_tol, rounding)
        if not ok:
            return False, f"in column {column!r}, {because}"
    return True, ""
