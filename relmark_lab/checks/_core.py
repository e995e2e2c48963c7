"""Self-check machinery: run a student's function on data seen and unseen, judge, explain.

A check never lets an exception reach the student and never shows the
answer it expects. It calls the student's function on every :class:`Case`:
the lesson's data first, then data the student has not seen (the kit's
simulator with another seed and size, made on the fly; see
:mod:`relmark_lab.checks._cases`). Only a function that computes its answer
from its arguments passes both. A wrong answer is explained by how far off it
is and in which direction (:mod:`relmark_lab.checks._compare`), or by the
known mistake it matches: each :class:`Mistake` is the answer that mistake
gives on the same data, computed, not typed in.

Hints come in two stages, as in a good tutor's feedback: the first wrong
attempt at an exercise gets the idea (what the concept means, in marketing
terms); a repeated wrong attempt gets the concrete step.

A decision exercise (whom to contact, which channel, which model) is scored
instead of compared: the case's ``score`` gives the consequence of the
student's decision on outcomes the student has not seen, and the check says
how far it is from the best decision.

Every text a check says is English in the code and Spanish when the kit's
language is ``"es"`` (:mod:`relmark_lab.i18n`): a fixed text (a mistake's
``because``, a hint) is marked with ``N_`` where it is written and translated
when the verdict is shown; a text with values in it is an English template
translated when it is built, then filled.

A function still the exercise's stub is told so before any case is read
(:func:`unanswered`): every exercise notebook starts with all of them.

Under nbgrader (``NBGRADER_EXECUTION`` set by ``nbgrader autograde`` and
``nbgrader validate``) a check that does not pass raises ``AssertionError``
with its verdict, so the autograder scores the cell; students never see this.
"""

from __future__ import annotations

import copy
import html
import os
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from relmark_lab.checks._attempt import hint_for_exception, is_stub
from relmark_lab.checks._compare import compare_answer, show
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = [
    "Case",
    "CheckResult",
    "Hints",
    "Mistake",
    "attempts",
    "check_function",
    "reset_attempts",
    "unanswered",
]

#: Wrong attempts per exercise in this kernel; the hint gets concrete from the second.
_WRONG_ATTEMPTS: Counter[str] = Counter()
_COLOURS = {"right": "#1a7f37", "wrong": "#b42318", "unanswered": "#7a5b00"}


def _hint_label() -> str:
    """"Hint:" in the language in use (looked up when shown, as the language may change)."""
    return _("Hint:")


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

    def _lead(self) -> tuple[str, str]:
        """The verdict and what follows it, in the kit's language (:mod:`relmark_lab.i18n`)."""
        if self.status == "right":
            return _("Right"), _("{exercise} is correct.").format(exercise=self.exercise)
        if self.status == "unanswered":
            return _("Not answered yet"), _("{exercise} still raises NotImplementedError.").format(
                exercise=self.exercise)
        return _("Wrong"), _("because {reason}").format(reason=_(self.because))

    def _parts(self) -> tuple[str, str, str, str]:
        verdict, rest = self._lead()
        separator = ": " if self.status != "wrong" else ", "
        return verdict, separator, rest, _(self.hint) if self.hint else ""

    def __str__(self) -> str:
        verdict, separator, rest, hint = self._parts()
        text = f"{verdict}{separator}{rest}"
        return f"{text}\n{_hint_label()} {hint}" if hint else text

    # Terminals and doctests show the plain text rather than the dataclass fields.
    __repr__ = __str__

    def _repr_html_(self) -> str:
        """Jupyter shows the verdict in colour and bold; a terminal keeps the plain text."""
        verdict, separator, rest, hint = self._parts()
        colour = _COLOURS.get(self.status, "inherit")
        text = (f'<div class="relmark-check relmark-check-{self.status}">'
                f'<strong style="color:{colour}">{verdict}</strong>{separator}'
                f"{html.escape(rest)}")
        if hint:
            text += f"<br><strong>{_hint_label()}</strong> {html.escape(hint)}"
        return text + "</div>"


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer, computed on the same data, and what to say about it.

    Attributes
    ----------
    answer : object
        The value the mistake produces on the case's data.
    because : str
        Completes "Wrong, because ...": what the answer shows was done, in the
        course's terms (lower case; marked ``N_("...")``, or built with
        ``_("...").format(...)`` when it holds values).
    hint : str
        The concrete step, shown from the second wrong attempt; the first
        gets the exercise's idea.
    """

    answer: Any
    because: str
    hint: str


@dataclass(frozen=True)
class Hints:
    """The two stages of help for one exercise.

    Attributes
    ----------
    idea : str
        First wrong attempt: what the concept means, without code.
    concrete : str
        Repeated wrong attempt: the step to take (never the whole answer).
    """

    idea: str
    concrete: str


@dataclass(frozen=True)
class Case:
    """One data set the student's function is run on.

    Attributes
    ----------
    label : str
        Where the data come from, shown in a verdict ("new data you have not
        seen (simulated with another seed)"); English marked ``N_``, or
        already in the kit's language, like a mistake's ``because``.
    args : tuple
        Arguments for the student's function (deep-copied before each call).
    expected : object
        The reference answer on these data (unused when ``score`` is set).
    mistakes : tuple of Mistake
        Known wrong answers on these data, tried in order.
    seen : bool
        Whether the lesson showed the student these data.
    score : callable, optional
        For a decision exercise: maps the student's decision to its
        consequence (e.g. profit in MXN) on outcomes the student has not
        seen; raises ``ValueError`` with a sentence for an invalid decision.
    best : float, optional
        The score of the best decision on these data.
    unit : str
        Unit of the score, for the verdict ("MXN").
    """

    label: str
    args: tuple
    expected: Any = None
    mistakes: tuple = ()
    seen: bool = True
    score: Callable[[Any], float] | None = None
    best: float | None = None
    unit: str = ""


def attempts(exercise: str) -> int:
    """Wrong attempts made so far at ``exercise`` in this kernel."""
    return _WRONG_ATTEMPTS[exercise]


def reset_attempts() -> None:
    """Forget every wrong attempt (a fresh kernel starts with none)."""
    _WRONG_ATTEMPTS.clear()


#: Longest sentence a verdict quotes from the student's error or an invalid decision.
QUOTED_CHARACTERS = 240


def _shorten(text: str) -> str:
    return text if len(text) <= QUOTED_CHARACTERS else text[: QUOTED_CHARACTERS - 1] + "…"


def _on(case: Case, reason: str) -> str:
    """``reason``, preceded by the data it was found on when the student has not seen them."""
    if case.seen:
        return reason
    return _("on {data}, {reason}").format(data=_(case.label), reason=_(reason))


def _judge(case: Case, answer: Any, rel_tol: float) -> tuple[bool, str, Mistake | None]:
    """Whether the answer is right on this case, the clause why not, and the mistake it matches."""
    if case.score is not None:
        return _judge_decision(case, answer)
    ok, because = compare_answer(answer, case.expected, rel_tol, rounding=case.seen)
    if ok:
        return True, "", None
    for mistake in case.mistakes:
        if compare_answer(answer, mistake.answer, rel_tol)[0]:
            return False, mistake.because, mistake
    return False, because, None


#: A decision passes when it earns at least this share of the best decision's score.
DECISION_SHARE = 0.95


def _judge_decision(case: Case, decision: Any) -> tuple[bool, str, Mistake | None]:
    for mistake in case.mistakes:
        if compare_answer(decision, mistake.answer)[0]:
            return False, mistake.because, mistake
    try:
        value = float(case.score(decision))
    except (ValueError, TypeError, KeyError) as error:
        return False, _("your decision cannot be carried out: {error}").format(
            error=_shorten(str(error))), None
    best = float(case.best)
    if value >= best - (1 - DECISION_SHARE) * abs(best):
        return True, "", None
    unit = f" {case.unit}" if case.unit else ""
    share = value / best if best > 0 else float("nan")
    if best > 0 and share >= 0:
        because = _("your decision earns {value}{unit} on outcomes you have not seen, {share} of "
                    "what the best decision earns.").format(value=f"{value:,.0f}", unit=unit,
                                                            share=f"{share:.0%}")
    else:
        because = _("your decision earns {value}{unit} on outcomes you have not seen, "
                    "{gap}{unit} less than the best decision.").format(
                        value=f"{value:,.0f}", unit=unit, gap=f"{best - value:,.0f}")
    return False, because, None


def _verdict(result: CheckResult) -> CheckResult | None:
    if result.status == "wrong":
        _WRONG_ATTEMPTS[result.exercise] += 1
    if os.environ.get("NBGRADER_EXECUTION"):
        if not result.passed:
            raise AssertionError(str(result))
        # nbgrader reads a grade cell's result as partial credit; a printed verdict is not one.
        print(result)
        return None
    return result


def _unanswered_result(exercise: str, hints: Hints) -> CheckResult:
    return CheckResult(exercise, "unanswered", hint=_(
        "replace `raise NotImplementedError()` with your code, run the cell, then run this "
        "check again. {idea}").format(idea=_(hints.idea)))


def unanswered(exercise: str, func: Any, hints: Hints) -> CheckResult | None:
    """The verdict of :func:`check_function` on the exercise's stub, or None for anything else.

    A check that builds costly cases asks this first, so that an unanswered
    exercise loads no data and fits no model. A function whose body only
    raises ``NotImplementedError`` is unanswered whatever arguments it takes.
    Under nbgrader the verdict is raised, as :func:`check_function` does.

    Examples
    --------
    >>> def double(x):
    ...     # YOUR CODE HERE
    ...     raise NotImplementedError()
    >>> hints = Hints("a double is twice the number.", "multiply by 2.")
    >>> unanswered("demo", double, hints).status
    'unanswered'
    >>> unanswered("demo", lambda x: x * 2, hints) is None
    True
    """
    return _verdict(_unanswered_result(exercise, hints)) if is_stub(func) else None


def check_function(
    exercise: str,
    func: Callable[..., Any],
    cases: Sequence[Case] | Iterable[Case],
    *,
    hints: Hints,
    rel_tol: float = 1e-6,
) -> CheckResult | None:
    """Run a student's function on every case and judge it.

    Parameters
    ----------
    exercise : str
        Name shown to the student.
    func : callable
        The student's function.
    cases : sequence or iterable of Case
        The lesson's data first, then data the student has not seen; not
        read at all when ``func`` is still the stub (see :func:`unanswered`),
        so cases made lazily (:func:`~relmark_lab.checks.kit_cases`) are
        then never built.
    hints : Hints
        The idea (first wrong attempt) and the concrete step (later ones).
    rel_tol : float, default 1e-6
        Tolerance for numbers.

    Returns
    -------
    CheckResult

    Raises
    ------
    AssertionError
        Only under nbgrader (``NBGRADER_EXECUTION`` set), when not right; a
        right answer is then printed and None returned, so that nbgrader
        does not read the verdict as partial credit.

    Examples
    --------
    >>> hints = Hints("a double is twice the number.", "multiply by 2.")
    >>> cases = [Case("the lesson's data", (3,), 6), Case("new data", (5,), 10, seen=False)]
    >>> check_function("demo", lambda x: x * 2, cases, hints=hints).passed
    True
    >>> print(check_function("demo", lambda x: 6, cases, hints=hints))  # doctest: +ELLIPSIS
    Wrong, because your function gives the right answer on the lesson's data but not on new ...
    Hint: a double is twice the number.
    """
    if not callable(func):
        return _verdict(CheckResult(
            exercise, "wrong",
            _("the check expects your function, got {given}.").format(given=show(func)),
            N_("pass the function itself, without calling it: check(my_function)."),
        ))
    if is_stub(func):
        return _verdict(_unanswered_result(exercise, hints))
    cases = list(cases)
    stage_hint = hints.idea if attempts(exercise) == 0 else hints.concrete
    passed_seen = False
    for case in cases:
        try:
            # Warnings the student's code raises belong to their own cell, not to the verdict
            # (and under nbgrader any stderr would cost the point).
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                answer = func(*[copy.deepcopy(arg) for arg in case.args])
        except NotImplementedError:  # a stub in a wrapper, or raised further down
            return _verdict(_unanswered_result(exercise, hints))
        except Exception as error:  # a student's bug must become a sentence, not a traceback
            # The error's own message is the student's (or pandas'), quoted as it is.
            stopped = _("your function stopped with {error}: {message}").format(
                error=type(error).__name__, message=_shorten(str(error)))
            return _verdict(CheckResult(exercise, "wrong", _on(case, stopped),
                                        hint_for_exception(error)))
        try:
            ok, because, mistake = _judge(case, answer, rel_tol)
        except Exception as error:  # an answer of an unexpected shape must not crash the check
            ok, mistake = False, None
            because = _("your answer ({answer}) could not be compared with the expected one "
                        "({error}).").format(answer=show(answer), error=type(error).__name__)
        if ok:
            passed_seen = passed_seen or case.seen
            continue
        if not case.seen and passed_seen and mistake is None and case.score is None:
            because = _("your function gives the right answer on the lesson's data but not on "
                        "{data}: {reason} It must compute the answer from its arguments; fixed "
                        "numbers or names fit one data set only.").format(
                            data=_(case.label), reason=_(because))
        else:
            because = _on(case, because)
        hint = stage_hint if mistake is None or attempts(exercise) == 0 else mistake.hint
        return _verdict(CheckResult(exercise, "wrong", because, hint))
    return _verdict(CheckResult(exercise, "right"))
