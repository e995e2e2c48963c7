"""Compare a student's answer with the reference, and say how it differs without giving it.

The clauses this module writes complete "Wrong, because ...". They name the
student's own value, the direction and the size of the gap ("about 12% too
high"), the labels where a Series differs, and a few mistakes any exercise
can make (a percentage for a fraction, a rounded number, the wrong sign).
They never contain the reference answer, so a student cannot copy it from
one check into a hard-coded ``return``. They are written in the kit's language
(:mod:`relmark_lab.i18n`) when they are built: English templates, translated,
filled with the student's values.

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

from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = ["compare_answer", "show"]

#: Longest rendering of a value inside a message.
SHOWN_CHARACTERS = 60
#: How :func:`show` names a large container, by its type (an ndarray is "a array").
_CONTAINERS = {dict: N_("a dict of {count} values"), set: N_("a set of {count} values"),
               tuple: N_("a tuple of {count} values"), list: N_("a list of {count} values")}


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
        return _("None (did you forget to `return` the result?)")
    if isinstance(value, pd.DataFrame):
        rows, columns = value.shape
        return _("a DataFrame of {rows} rows and {columns} columns").format(
            rows=f"{rows:,}", columns=f"{columns:,}")
    if isinstance(value, pd.Series):
        return _("a Series of {count} values").format(count=f"{len(value):,}")
    if isinstance(value, (list, tuple, np.ndarray, set, dict)) and len(value) > 4:
        kind = _CONTAINERS.get(type(value), N_("a array of {count} values"))
        return _(kind).format(count=f"{len(value):,}")
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


def _number_gap(answer: float, expected: float, rounding: bool = True,
                yours: bool = False) -> str:
    """How a number differs from the reference: rounding, scale, sign, or direction and size.

    The sentence's subject is "your answer, 2.5," or, for one value of a
    Series (``yours``), "yours, 2.5,".
    """
    answer, expected = float(answer), float(expected)
    subject = _("yours, {value},") if yours else _("your answer, {value},")
    mine = subject.format(value=_number(answer))
    if rounding and _looks_rounded(answer, expected):
        decimals = next(d for d in range(5) if round(expected, d) == answer)
        return _("{mine} matches the data only when rounded to {decimals} decimal(s): return the "
                 "unrounded number (round only when you print).").format(mine=mine,
                                                                         decimals=decimals)
    if expected != 0:
        ratio = answer / expected
        scale = _scale_slip(ratio)
        if scale:
            return f"{mine} {scale}"
        high = answer > expected
        gap = abs(answer - expected) / abs(expected)
        if gap >= 10:
            factor = f"{abs(ratio):,.0f}"
            return (_("{mine} is too high, by a factor of about {factor}.") if high else
                    _("{mine} is too low, by a factor of about {factor}.")).format(
                        mine=mine, factor=factor)
        if gap < 0.001:
            return (_("{mine} is about less than 0.1% too high.") if high else
                    _("{mine} is about less than 0.1% too low.")).format(mine=mine)
        return (_("{mine} is about {gap} too high.") if high else
                _("{mine} is about {gap} too low.")).format(mine=mine, gap=_percent(gap))
    if answer > expected:
        return _("{mine} should be smaller.").format(mine=mine)
    return _("{mine} should be larger.").format(mine=mine)


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
        return _("is 100 times too large: is it a percentage where a fraction (0 to 1) is "
                 "asked, or a slip of units?")
    if math.isclose(ratio, 0.01, rel_tol=1e-6):
        return _("is 100 times too small: is it a fraction where a percentage (or points) is "
                 "asked?")
    if math.isclose(ratio, -1, rel_tol=1e-6):
        return _("has the right size but the wrong sign.")
    return ""


def _percent(share: float) -> str:
    """A gap of 0.1% or more as a percentage (gaps below it have their own sentences)."""
    return f"{share:.0%}" if share >= 0.095 else f"{share:.1%}"


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
            return False, _("a single value is expected, got {answer}.").format(
                answer=show(answer))
        answer = np.asarray(answer).ravel()[0]
        answer = answer.item() if isinstance(answer, np.generic) else answer
    if _is_missing(answer) or _is_missing(expected):
        if _is_missing(answer) and _is_missing(expected):
            return True, ""
        if _is_missing(answer):
            return False, _("your answer is {answer}, but the data give a value.").format(
                answer=show(answer))
        return False, _("your answer is {answer}, but the data give no value here.").format(
            answer=show(answer))
    if _is_number(expected):
        if not _is_number(answer):
            return False, _("a number is expected, got {kind} {answer}.").format(
                kind=type(answer).__name__, answer=show(answer))
        if _close(answer, expected, rel_tol):
            return True, ""
        return False, _number_gap(answer, expected, rounding)
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(answer, (bool, np.bool_)):
            return False, _("True or False is expected, got {answer}.").format(answer=show(answer))
        if bool(answer) == bool(expected):
            return True, ""
        return False, _("your answer is {answer}, and the data say otherwise.").format(
            answer=bool(answer))
    if isinstance(expected, str) and not isinstance(answer, str):
        return False, _("a text answer is expected, got {kind} {answer}.").format(
            kind=type(answer).__name__, answer=show(answer))
    try:
        same = bool(answer == expected)
    except (TypeError, ValueError):
        same = False
    if same:
        return True, ""
    return False, _("your answer, {answer}, is not the one the data point to.").format(
        answer=show(answer))


def _compare_tuple(answer: Any, expected: tuple, rel_tol: float,
                   rounding: bool = True) -> tuple[bool, str]:
    if not isinstance(answer, (tuple, list)) or len(answer) != len(expected):
        return False, _("a tuple of {count} values is expected, got {answer}.").format(
            count=len(expected), answer=show(answer))
    for position, (a, e) in enumerate(zip(answer, expected, strict=True), start=1):
        ok, because = compare_answer(a, e, rel_tol, rounding)
        if not ok:
            return False, _("value {position} of {count} is off: {reason}").format(
                position=position, count=len(expected), reason=because)
    return True, ""


def _compare_array(answer: Any, expected: np.ndarray, rel_tol: float,
                   rounding: bool = True) -> tuple[bool, str]:
    if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
        answer = answer.iloc[:, 0]
    if not isinstance(answer, (list, tuple, np.ndarray, pd.Series)):
        return False, _("{count} values in order are expected, got {answer}.").format(
            count=f"{len(expected):,}", answer=show(answer))
    values = np.asarray(answer, dtype=object).ravel()
    if len(values) != len(expected):
        return False, _("{count} values are expected, got {given}.").format(
            count=f"{len(expected):,}", given=f"{len(values):,}")
    labels = pd.RangeIndex(1, len(expected) + 1, name="position")
    return _compare_values(pd.Series(values, index=labels), pd.Series(expected, index=labels),
                           rel_tol, _("position"), rounding)


def _as_series(answer: Any) -> Any:
    if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
        return answer.iloc[:, 0]
    if isinstance(answer, dict):
        return pd.Series(answer, dtype="object")
    return answer


def _compare_series(answer: Any, expected: pd.Series, rel_tol: float,
                    rounding: bool = True) -> tuple[bool, str]:
    answer = _as_series(answer)
    what = expected.index.name or _("label")
    if not isinstance(answer, pd.Series):
        return False, _("a pandas Series indexed by {what} is expected, got {answer}: a list or "
                        "an array does not say whose each value is.").format(
                            what=what, answer=show(answer))
    repeated = answer.index[answer.index.duplicated()]
    if len(repeated):
        return False, _("the index repeats labels, e.g. {example} ({count} repeats): group "
                        "before you count.").format(example=show(repeated[0]),
                                                    count=f"{len(repeated):,}")
    missing = expected.index.difference(answer.index, sort=False)
    extra = answer.index.difference(expected.index, sort=False)
    if len(missing) or len(extra):
        as_text = answer.index.map(str)
        if len(as_text) == len(expected) and as_text.isin(expected.index).all():
            return False, _("the {what} labels are numbers but the data's ids are text: keep "
                            "the ids as they are (do not convert them with int()).").format(
                                what=what)
        parts = []
        if len(missing):
            parts.append(_("{count} {what} value(s) are missing, e.g. {example}").format(
                count=f"{len(missing):,}", what=what, example=show(missing[0])))
        if len(extra):
            parts.append(_("{count} should not be there, e.g. {example}").format(
                count=f"{len(extra):,}", example=show(extra[0])))
        return False, _("the index is not right: {problems}.").format(problems="; ".join(parts))
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
            return False, _("numbers are expected, got e.g. {example} at {where}.").format(
                example=show(first), where=where)
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
    lead = _("for {wrong} of {total} {what} value(s) your answer differs").format(
        wrong=f"{n_wrong:,}", total=f"{n:,}", what=what)
    if numeric:
        ratio = a[wrong] / np.where(e[wrong] == 0, np.nan, e[wrong])
        ratio = ratio[np.isfinite(ratio)]
        if len(ratio) == n_wrong and np.allclose(ratio, ratio[0], rtol=1e-6):
            scale = _scale_slip(ratio[0])
            if scale:
                return False, _("{lead}: every value of yours {scale}").format(lead=lead,
                                                                              scale=scale)
        absent = np.isnan(a[wrong]) & ~np.isnan(e[wrong])
        if absent.any():
            return False, _("{lead}: {count} of yours are missing (NaN or None), e.g. at "
                            "{where}; did the function return a value for each?").format(
                                lead=lead, count=f"{int(absent.sum()):,}",
                                where=show(expected.index[wrong][absent][0]))
        if np.isnan(e[wrong]).any():
            return False, _("{lead}: at {where} the data give no value, but yours has "
                            "one.").format(lead=lead,
                                           where=show(expected.index[wrong][np.isnan(e[wrong])][0]))
        higher = int((a[wrong] > e[wrong]).sum())
        example = _number_gap(a[wrong][0], e[wrong][0], rounding, yours=True)
        return False, _("{lead} ({higher} too high, {lower} too low); e.g. at {label} "
                        "{example}").format(lead=lead, higher=f"{higher:,}",
                                            lower=f"{n_wrong - higher:,}", label=show(label),
                                            example=example)
    return False, _("{lead}; e.g. at {label} yours is {answer}.").format(
        lead=lead, label=show(label), answer=show(answer[label]))


def _compare_frame(answer: Any, expected: pd.DataFrame, rel_tol: float,
                   rounding: bool = True) -> tuple[bool, str]:
    if not isinstance(answer, pd.DataFrame):
        columns = ", ".join(map(str, expected.columns))
        return False, _("a DataFrame with columns {columns} is expected, got {answer}.").format(
            columns=columns, answer=show(answer))
    missing = [c for c in expected.columns if c not in answer.columns]
    if missing:
        return False, _("column {column} is missing from your DataFrame.").format(
            column=repr(missing[0]))
    for column in expected.columns:
        ok, because = _compare_series(answer[column], expected[column], rel_tol, rounding)
        if not ok:
            return False, _("in column {column}, {reason}").format(column=repr(column),
                                                                  reason=because)
    return True, ""
