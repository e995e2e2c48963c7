"""Self-check machinery: right, wrong because ..., never a traceback, never the answer."""

import numpy as np
import pandas as pd
import pytest

from relmark_lab.checks import (
    Case,
    CheckResult,
    Hints,
    Mistake,
    attempts,
    check_function,
    compare_answer,
    kit_cases,
    unseen_data_dir,
)
from relmark_lab.checks._core import DECISION_SHARE

HINTS = Hints("a double is twice the number.", "multiply your argument by 2.")
CASES = [Case("the lesson's data", (3,), 6), Case("new data", (5,), 10, seen=False)]


def check(func, cases=CASES, **kwargs):
    return check_function("demo", func, cases, hints=HINTS, **kwargs)


def test_right_answer():
    result = check(lambda x: x * 2)
    assert result.passed
    assert str(result) == "Right: demo is correct."


def test_stub_is_unanswered_with_the_idea():
    def stub(x):
        raise NotImplementedError()

    result = check(stub)
    assert result.status == "unanswered"
    text = str(result)
    assert text.startswith("Not answered yet: demo still raises NotImplementedError.")
    assert HINTS.idea in text and HINTS.concrete not in text
    assert "Traceback" not in text


def test_a_hard_coded_answer_fails_on_unseen_data():
    result = check(lambda x: 6)
    assert result.status == "wrong"
    assert "right answer on the lesson's data but not on new data" in result.because
    assert "fixed numbers" in result.because
    assert "10" not in str(result)


def test_hints_come_in_two_stages():
    first = check(lambda x: x + 1)
    second = check(lambda x: x + 1)
    assert first.hint == HINTS.idea
    assert second.hint == HINTS.concrete
    assert attempts("demo") == 2


def test_a_known_mistake_is_named_and_its_concrete_hint_comes_second():
    cases = [Case("the lesson's data", (3,), 6, (Mistake(9, "you tripled it.", "use * 2."),))]
    first = check(lambda x: x * 3, cases)
    second = check(lambda x: x * 3, cases)
    assert str(first) == f"Wrong, because you tripled it.\nHint: {HINTS.idea}"
    assert str(second) == "Wrong, because you tripled it.\nHint: use * 2."


def test_the_expected_value_is_never_shown():
    expected = 0.4832101
    cases = [Case("the lesson's data", (), expected)]
    for answer in [None, 0.5, 0.4, "0.48", [0.48, 0.49], 48.32101, 0.48]:
        text = str(check(lambda answer=answer: answer, cases))
        assert "0.4832" not in text and "0.48321" not in text, text


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (0.6, "about 20% too high"),
        (0.45, "about 10% too low"),
        (50.0, "100 times too large"),
        (0.005, "100 times too small"),
        (-0.5, "wrong sign"),
        (0.5000001, None),
        (55.0, "by a factor of about 110"),
    ],
)
def test_numbers_say_direction_and_size(answer, words):
    ok, because = compare_answer(answer, 0.5)
    if words is None:
        assert ok
    else:
        assert not ok and words in because


def test_a_rounded_answer_is_called_rounded():
    ok, because = compare_answer(-35.87, -35.866666)
    assert not ok
    assert "rounded to 2 decimal(s)" in because and "35.8666" not in because


def test_student_exception_becomes_a_sentence():
    def broken(frame):
        return frame["no such column"]

    cases = [Case("the lesson's data", (pd.DataFrame({"a": [1]}),), 1)]
    result = check(broken, cases)
    assert result.status == "wrong"
    assert "your function stopped with KeyError" in str(result)
    assert "df.columns" in result.hint


def test_forgotten_return_is_explained():
    assert "did you forget to `return`" in check(lambda x: None).because


def test_not_a_function():
    result = check(42)
    assert result.status == "wrong" and "pass the function itself" in result.hint


def test_input_is_copied_so_the_reference_is_safe():
    frame = pd.DataFrame({"a": [1, 2]})

    def vandal(df):
        df["a"] = 0
        return 3

    check(vandal, [Case("the lesson's data", (frame,), 3)])
    assert frame["a"].tolist() == [1, 2]


def test_big_answers_are_shown_short():
    result = check(lambda x: list(range(54_000)))
    assert len(str(result)) < 400
    assert "a list of 54,000 values" in result.because


EXPECTED = pd.Series({"C1": 1.0, "C2": 2.0, "C3": 3.0}).rename_axis("customer_id")


@pytest.mark.parametrize(
    ("answer", "ok", "words"),
    [
        (EXPECTED.copy(), True, ""),
        ({"C1": 1.0, "C2": 2.0, "C3": 3.0}, True, ""),
        (EXPECTED.to_frame("x"), True, ""),
        ([1.0, 2.0, 3.0], False, "a pandas Series indexed by customer_id is expected"),
        (np.array([1.0, 2.0, 3.0]), False, "a pandas Series indexed by customer_id"),
        (EXPECTED.iloc[:2], False, "1 customer_id value(s) are missing, e.g. 'C3'"),
        (pd.Series({"C1": 1.0, "C2": 5.0, "C3": 3.0}), False, "for 1 of 3 customer_id value(s)"),
        (EXPECTED * 100, False, "every value of yours is 100 times too large"),
        (pd.Series([1.0, 2.0], index=["C1", "C1"]), False, "repeats labels"),
    ],
)
def test_series_compare_label_by_label(answer, ok, words):
    result, because = compare_answer(answer, EXPECTED)
    assert result is ok
    assert words in because


def test_text_labels_say_where_without_the_right_one():
    expected = pd.Series({"C1": "friends", "C2": "strangers"}).rename_axis("customer_id")
    ok, because = compare_answer(pd.Series({"C1": "friends", "C2": "barnacles"}), expected)
    assert not ok
    assert "'C2'" in because and "'barnacles'" in because and "strangers" not in because


def test_integer_ids_are_named_as_the_mistake():
    expected = pd.Series({"1": 1.0, "2": 2.0}).rename_axis("customer_id")
    ok, because = compare_answer(pd.Series({1: 1.0, 2: 2.0}), expected)
    assert not ok and "ids are text" in because


def test_arrays_compare_by_position_whatever_the_container():
    expected = np.array([0.5, 0.25])
    for answer in ([0.5, 0.25], (0.5, 0.25), np.array([0.5, 0.25]), pd.Series([0.5, 0.25])):
        assert compare_answer(answer, expected)[0]
    ok, because = compare_answer([0.5, 0.3], expected)
    assert not ok and "position" in because


def test_tuples_name_the_value_that_is_off():
    ok, because = compare_answer((1, 2), (1, 3))
    assert not ok and because.startswith("value 2 of 2 is off")
    assert compare_answer([1, 3], (1, 3))[0]


@pytest.mark.parametrize(
    ("answer", "expected", "ok", "words"),
    [
        ("x", 1, False, "a number is expected"),
        (True, 1, False, "a number is expected"),
        (pd.Series([7.0]), 7.0, True, ""),
        (float("nan"), float("nan"), True, ""),
        (None, 1.0, False, "forget to `return`"),
        (1, "email", False, "a text answer is expected"),
        ("phone", "email", False, "'phone', is not the one"),
        (False, True, False, "the data say otherwise"),
    ],
)
def test_scalars(answer, expected, ok, words):
    result, because = compare_answer(answer, expected)
    assert result is ok and words in because


# --- decisions --------------------------------------------------------------------


def _decision_cases():
    profit = {"a": 100.0, "b": 60.0, "c": -20.0}

    def score(chosen):
        if not set(chosen) <= set(profit):
            raise ValueError(f"{sorted(set(chosen) - set(profit))} are not customers.")
        if len(chosen) > 2:
            raise ValueError("the budget pays for two contacts at most.")
        return sum(profit[c] for c in chosen)

    everyone = Mistake(["a", "b", "c"], "you contacted everyone.", "rank by profit.")
    return [Case("held-out outcomes", (), score=score, best=160.0, unit="MXN",
                 mistakes=(everyone,), seen=False)]


def test_the_best_decision_passes():
    assert check(lambda: ["a", "b"], _decision_cases()).passed


def test_a_weaker_decision_says_how_far_from_the_best():
    result = check(lambda: ["b"], _decision_cases())
    assert "earns 60 MXN on outcomes you have not seen, 38% of what the best decision earns" \
        in result.because


def test_an_invalid_decision_gets_a_sentence():
    result = check(lambda: ["a", "z"], _decision_cases())
    assert "cannot be carried out: ['z'] are not customers." in result.because
    assert "contacted everyone" in check(lambda: ["a", "b", "c"], _decision_cases()).because


def test_decision_share_is_strict_but_not_exact():
    assert 0.9 < DECISION_SHARE < 1


# --- the unseen data, nbgrader and Jupyter ----------------------------------------


def test_unseen_data_are_another_data_set():
    from relmark_lab import datasets

    folder = unseen_data_dir()
    assert folder == unseen_data_dir()  # made once per kernel
    unseen, lesson = datasets.load_customers(folder), datasets.load_customers()
    assert 0 < len(unseen) < len(lesson)
    cases = kit_cases(lambda d: ((), len(datasets.load_customers(d)), ()))
    assert [c.seen for c in cases] == [True, False]
    assert cases[0].expected == len(lesson) and cases[1].expected == len(unseen)


def test_under_nbgrader_a_failing_check_raises_and_a_passing_one_prints(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert check(lambda x: x * 2) is None  # no result for nbgrader to read as partial credit
    assert capsys.readouterr().out == "Right: demo is correct.\n"
    with pytest.raises(AssertionError, match="Wrong, because"):
        check(lambda x: 6)


def test_warnings_of_the_students_code_stay_out_of_the_verdict(recwarn):
    import warnings

    def noisy(x):
        warnings.warn("divide by zero", RuntimeWarning, stacklevel=1)
        return x * 2

    assert check(noisy).passed
    assert not recwarn.list


def test_a_function_with_the_wrong_arguments_is_told_so():
    result = check(lambda x, extra: x)
    assert "missing 1 required positional argument: 'extra'" in result.because
    assert "the arguments the exercise names" in result.hint


@pytest.mark.parametrize(("answer", "expected", "words"), [
    (0, 0.34, "about 100% too low"),  # integer division, not rounding
    (1, 1.2, "about 17% too low"),
    (0.0, 0.0001, "about 100% too low"),
])
def test_integers_are_not_called_rounded(answer, expected, words):
    ok, because = compare_answer(answer, expected)
    assert not ok and "rounded" not in because and words in because


def test_missing_values_in_a_series_are_named_as_missing():
    expected = pd.Series({"a": 1.0, "b": 2.0}).rename_axis("case")
    ok, because = compare_answer(pd.Series({"a": 1.0, "b": float("nan")}), expected)
    assert not ok and "missing (NaN or None), e.g. at 'b'" in because


def test_unseen_cases_never_say_the_reference_is_a_rounding():
    cases = [Case("the lesson's data", (), 0.5), Case("new data", (), 0.84375, seen=False)]
    assert "rounded" not in check(lambda: 0.844, cases[1:]).because
    assert "rounded" in check(lambda: 0.844, [Case("the lesson's data", (), 0.84375)]).because


def test_jupyter_shows_the_verdict_in_colour():
    page = CheckResult("demo", "wrong", "x < y.", "try <b>.")._repr_html_()
    assert "<strong" in page and "Wrong" in page
    assert "x &lt; y." in page and "try &lt;b&gt;." in page
    assert repr(CheckResult("demo", "right")) == "Right: demo is correct."
