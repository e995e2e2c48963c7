"""Self-check machinery: right, wrong because ..., never a traceback."""

import pandas as pd
import pytest

from relmark_lab.checks import CheckResult, Mistake, check_function, compare_answer


def test_right_answer():
    result = check_function("demo", lambda x: x * 2, [3], 6, hint="double it")
    assert result.passed
    assert str(result) == "Right: demo is correct."


def test_stub_is_unanswered_with_a_readable_message():
    def stub(x):
        raise NotImplementedError()

    result = check_function("demo", stub, [3], 6, hint="double it")
    assert result.status == "unanswered"
    text = str(result)
    assert text.startswith("Not answered yet: demo still raises NotImplementedError.")
    assert "Hint:" in text and "double it" in text
    assert "Traceback" not in text


def test_student_exception_becomes_a_sentence():
    def broken(frame):
        return frame["no such column"]

    result = check_function("demo", broken, [pd.DataFrame({"a": [1]})], 1, hint="h")
    assert result.status == "wrong"
    assert "your function stopped with KeyError" in str(result)
    assert "df.columns" in result.hint


def test_known_mistake_is_named():
    mistake = Mistake(10, "you counted lines, not orders.", "use nunique().")
    result = check_function("demo", lambda: 10, [], 4, hint="general", mistakes=[mistake])
    assert str(result) == "Wrong, because you counted lines, not orders.\nHint: use nunique()."


def test_unknown_wrong_answer_gets_the_general_hint():
    result = check_function("demo", lambda: 5, [], 4, hint="general")
    assert str(result) == "Wrong, because your answer is 5 but the data give 4.\nHint: general"


def test_forgotten_return_is_explained():
    result = check_function("demo", lambda: None, [], 4, hint="h")
    assert "did you forget to `return`" in result.because


def test_not_a_function():
    result = check_function("demo", 42, [], 4, hint="h")
    assert result.status == "wrong" and "pass the function itself" in result.hint


def test_input_is_copied_so_the_reference_is_safe():
    frame = pd.DataFrame({"a": [1, 2]})

    def vandal(df):
        df["a"] = 0
        return 3

    check_function("demo", vandal, [frame], 3, hint="h")
    assert frame["a"].tolist() == [1, 2]


@pytest.mark.parametrize(
    ("answer", "expected", "ok", "words"),
    [
        (1.0000001, 1.0, True, ""),
        ((1, 2), (1, 3), False, "value 2 of the tuple"),
        ([1, 2], (1, 2), True, ""),
        ("x", 1, False, "a number is expected"),
        (True, 1, False, "a number is expected"),
        (pd.Series({"a": 1.0}), pd.Series({"a": 1.0, "b": 2.0}), False, "missing, e.g. 'b'"),
        (pd.Series({"a": 1.0, "b": 5.0}), pd.Series({"a": 1.0, "b": 2.0}), False, "at 'b'"),
        ({"a": 1.0}, pd.Series({"a": 1.0}), True, ""),
        (pd.Series([7.0]), 7.0, True, ""),
    ],
)
def test_compare_answer(answer, expected, ok, words):
    result, because = compare_answer(answer, expected)
    assert result is ok
    assert words in because


def test_check_result_repr_is_its_text():
    result = CheckResult("demo", "wrong", "x.", "y.")
    assert repr(result) == str(result) == "Wrong, because x.\nHint: y."


@pytest.mark.parametrize(
    ("answer", "expected", "ok", "words"),
    [
        (float("nan"), float("nan"), True, ""),
        (pd.Series({"a": float("nan")}), pd.Series({"a": float("nan")}), True, ""),
        (pd.Series({"a": 1.0}), pd.Series({"a": float("nan")}), False, "at 'a'"),
        (pd.NA, "Champions", False, "but the data give"),
        (pd.Series(["x", pd.NA], dtype="string"), pd.Series(["x", "y"]), False, "at 1"),
        (pd.Series(["email"]), "email", True, ""),
        (pd.Series(["email", "radio"]), "email", False, "a single value is expected"),
        (pd.Series([1.0, 2.0, 2.0], index=["a", "b", "b"]), pd.Series({"a": 1.0, "b": 4.0}), False,
         "repeats labels, e.g. 'b'"),
    ],
)
def test_compare_answer_handles_missing_values_and_odd_shapes(answer, expected, ok, words):
    result, because = compare_answer(answer, expected)
    assert result is ok
    assert words in because


def test_an_answer_that_cannot_be_compared_is_wrong_not_a_crash():
    class Weird:
        def __eq__(self, other):
            raise RuntimeError("no comparison")

    result = check_function("demo", Weird, [], "text", hint="return a string")
    assert result.status == "wrong"
    assert "could not be compared" in result.because and "RuntimeError" in result.because
