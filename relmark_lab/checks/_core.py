"""Self-check machinery: run a student's function, compare, explain.

A check never lets an exception reach the student. It calls the student's
function on the kit's data inside ``try``, compares the answer with the one
the package computes, and returns a :class:`CheckResult` whose text says
"Right", or "Wrong, because ..." with a hint. Known mistakes (counting
order lines instead of orders, forgetting returns, ...) are recognised by
computing the answer the mistake would give and comparing with it.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "CheckResult",
    "Mistake",
    "as_series_answer",
    "by_case",
    "check_function",
    "compare_answer",
    "per_case",
]


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one self-check.

    Attributes
    ----------
    exercise : str
        Exercise name, e.g. ``"00.1 count_customers_and_orders"``.
    status : {"right", "wrong", "unanswered"}
        What the check concluded.
    because : str
        Why the answer is wrong (empty when right).
    hint : str
        What to try next (empty when right).
    """

    exercise: str
    status: str
    because: str = ""
    hint: str = ""

    @property
    def passed(self) -> bool:
        """True when the answer is right."""
        return self.status == "right"

    def __str__(self) -> str:
        if self.status == "right":
            return f"Right: {self.exercise} is correct."
        if self.status == "unanswered":
            lead = f"Not answered yet: {self.exercise} still raises NotImplementedError."
        else:
            lead = f"Wrong, because {self.because}"
        return f"{lead}\nHint: {self.hint}" if self.hint else lead

    # Notebooks show the text itself rather than the dataclass fields.
    __repr__ = __str__


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer and what to say about it.

    Attributes
    ----------
    answer : object
        The value the mistake produces on the same data.
    because : str
        Completes "Wrong, because ...".
    hint : str
        What to do instead.
    """

    answer: Any
    because: str
    hint: str


@dataclass
class _Comparison:
    ok: bool
    because: str = ""
    details: dict = field(default_factory=dict)


def _close(a: float, b: float, rel_tol: float) -> bool:
    return math.isclose(float(a), float(b), rel_tol=rel_tol, abs_tol=rel_tol)


def compare_answer(answer: Any, expected: Any, rel_tol: float = 1e-6) -> tuple[bool, str]:
    """Compare an answer with the expected value and say how they differ.

    Numbers compare with a relative tolerance; pandas Series compare by
    index labels, then values; tuples element by element.

    Parameters
    ----------
    answer, expected : object
        Student's answer and reference answer.
    rel_tol : float, default 1e-6
        Relative (and absolute) tolerance for numbers.

    Returns
    -------
    (bool, str)
        Whether they agree and, if not, a clause completing "because ...".

    Examples
    --------
    >>> compare_answer(3, 3.0)
    (True, '')
    >>> compare_answer(2, 3)[1]
    'your answer is 2 but the data give 3.'
    """
    if isinstance(expected, pd.DataFrame):
        expected = expected.squeeze(axis=1) if expected.shape[1] == 1 else expected
    if isinstance(expected, pd.Series):
        return _compare_series(answer, expected, rel_tol)
    if isinstance(expected, tuple):
        if not isinstance(answer, (tuple, list)) or len(answer) != len(expected):
            return False, f"a tuple of {len(expected)} values is expected, got {_show(answer)}."
        for position, (a, e) in enumerate(zip(answer, expected, strict=True), start=1):
            ok, because = compare_answer(a, e, rel_tol)
            if not ok:
                return False, f"value {position} of the tuple is off: {because}"
        return True, ""
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray)):
        # A one-element Series (e.g. from a boolean filter) stands for its value.
        if np.size(answer) != 1:
            return False, f"a single value is expected, got {_show(answer)}."
        answer = np.asarray(answer).item()
    if _is_missing(answer) or _is_missing(expected):
        if _is_missing(answer) and _is_missing(expected):
            return True, ""
        return False, f"your answer is {_show(answer)} but the data give {_show(expected)}."
    if isinstance(expected, (int, float, np.number)):
        if not isinstance(answer, (int, float, np.number)) or isinstance(answer, bool):
            return False, f"a number is expected, got {_show(answer)}."
        if _close(answer, expected, rel_tol):
            return True, ""
        return False, f"your answer is {_fmt(answer)} but the data give {_fmt(expected)}."
    if bool(answer == expected):
        return True, ""
    return False, f"your answer is {_show(answer)} but the data give {_show(expected)}."


def _is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pd.NA (which all mean "no value")."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # containers are not missing values
        return False


def _compare_series(answer: Any, expected: pd.Series, rel_tol: float) -> tuple[bool, str]:
    if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
        answer = answer.iloc[:, 0]
    if isinstance(answer, dict):
        answer = pd.Series(answer)
    if not isinstance(answer, pd.Series):
        return False, f"a pandas Series is expected, got {_show(answer)}."
    repeated = answer.index[answer.index.duplicated()]
    if len(repeated):
        return False, f"the index repeats labels, e.g. {repeated[0]!r}: group before you count."
    missing = [label for label in expected.index if label not in answer.index]
    extra = [label for label in answer.index if label not in expected.index]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"{len(missing)} expected label(s) are missing, e.g. {missing[0]!r}")
        if extra:
            parts.append(f"{len(extra)} label(s) should not be there, e.g. {extra[0]!r}")
        return False, "the index is not right: " + "; ".join(parts) + "."
    aligned = answer.reindex(expected.index)
    for label, a, e in zip(expected.index, aligned, expected, strict=True):
        ok, _ = compare_answer(a, e, rel_tol)
        if not ok:
            return False, f"at {label!r} your value is {_fmt(a)} but the data give {_fmt(e)}."
    return True, ""


def _fmt(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):,.4g}"
    return repr(value) if isinstance(value, str) else str(value)


def _show(value: Any) -> str:
    if value is None:
        return "None (did you forget to `return` the result?)"
    name = type(value).__name__
    if isinstance(value, (pd.Series, pd.DataFrame)):
        return f"a {name} of shape {value.shape}"
    return f"{name} {_fmt(value)}"


def _hint_for_exception(error: Exception) -> str:
    if isinstance(error, KeyError):
        return (
            f"{error} is not a column or label of the data. Print `df.columns` to see "
            "the names you can use."
        )
    if isinstance(error, AttributeError):
        return "a method or attribute name is misspelt or used on the wrong kind of object."
    if isinstance(error, TypeError):
        return "check the arguments your function passes to pandas and their types."
    return "run your function on its own in a cell to see where it stops."


def check_function(
    exercise: str,
    func: Callable[..., Any],
    args: Iterable[Any],
    expected: Any,
    *,
    hint: str,
    mistakes: Iterable[Mistake] = (),
    rel_tol: float = 1e-6,
) -> CheckResult:
    """Call a student's function and judge its answer.

    Parameters
    ----------
    exercise : str
        Name shown to the student.
    func : callable
        The student's function.
    args : iterable
        Arguments to call it with; each is deep-copied first so a function
        that modifies its input cannot spoil the reference.
    expected : object
        The reference answer, computed from the data by the package.
    hint : str
        General hint shown when the answer is wrong for an unknown reason.
    mistakes : iterable of Mistake
        Known wrong answers, checked in order before the general hint.
    rel_tol : float, default 1e-6
        Tolerance for numbers.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> check_function("demo", lambda x: x + 1, [1], 2, hint="add one").passed
    True
    >>> def todo(x):
    ...     raise NotImplementedError()
    >>> check_function("demo", todo, [1], 2, hint="add one").status
    'unanswered'
    """
    if not callable(func):
        return CheckResult(
            exercise, "wrong", f"the check expects your function, got {_show(func)}.",
            "pass the function itself, without calling it: check(my_function).",
        )
    try:
        answer = func(*[copy.deepcopy(arg) for arg in args])
    except NotImplementedError:
        return CheckResult(
            exercise, "unanswered",
            hint="replace `raise NotImplementedError()` with your code, run the cell, "
            f"then run this check again. {hint}",
        )
    except Exception as error:  # a student's bug must become a sentence, not a traceback
        return CheckResult(
            exercise, "wrong",
            f"your function stopped with {type(error).__name__}: {error}",
            _hint_for_exception(error),
        )
    try:
        ok, because = compare_answer(answer, expected, rel_tol)
        if ok:
            return CheckResult(exercise, "right")
        for mistake in mistakes:
            if compare_answer(answer, mistake.answer, rel_tol)[0]:
                return CheckResult(exercise, "wrong", mistake.because, mistake.hint)
    except Exception as error:  # an answer of an unexpected shape must not crash the check
        because = f"your answer ({_show(answer)}) could not be compared with the expected one "
        because += f"({type(error).__name__}: {error})."
        return CheckResult(exercise, "wrong", because, hint)
    return CheckResult(exercise, "wrong", because, hint)


# --- shaping answers for comparison ----------------------------------------------


def per_case(func: Callable, cases: dict[str, tuple]) -> Callable:
    """Wrap a scalar function so one call answers every case, as a Series by case label.

    A non-callable is passed through, so :func:`check_function` can say so.
    """
    if not callable(func):
        return func

    def run_cases() -> pd.Series:
        # Copies, so a function that modifies its arguments cannot spoil the next case.
        return pd.Series({label: _scalar(func(*copy.deepcopy(args)))
                          for label, args in cases.items()}, dtype="object")

    return run_cases


def _scalar(value: Any) -> Any:
    """A one-element array or Series becomes its number; anything else is kept as is."""
    if isinstance(value, (np.ndarray, pd.Series, pd.DataFrame)) and np.size(value) == 1:
        return np.asarray(value).item()
    return value


def by_case(cases: dict[str, tuple], formula: Callable) -> pd.Series:
    """What ``formula`` gives on every case, as a Series by case label."""
    return pd.Series({label: formula(*args) for label, args in cases.items()})


def as_series_answer(func: Callable, index: pd.Index, text_index: bool = False) -> Callable:
    """Wrap a function returning an array so its answer becomes a Series on ``index``."""
    if not callable(func):
        return func

    def run(*args):
        answer = func(*args)
        if isinstance(answer, np.ndarray) and answer.shape == (len(index),):
            answer = pd.Series(answer, index=index)
        if text_index and isinstance(answer, pd.Series):
            answer = answer.set_axis(answer.index.astype(str))
        return answer

    return run
