"""What a check spares: no case for a stub, no case built twice, no stage module unused."""

import functools
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from relmark_lab import i18n
from relmark_lab.checks import Case, Hints, _cases, check_function, kit_cases, unanswered
from relmark_lab.checks._attempt import is_stub as _is_stub

HINTS = Hints("a double is twice the number.", "multiply your argument by 2.")
CASES = [Case("the lesson's data", (3,), 6), Case("new data", (5,), 10, seen=False)]


# --- the stub is told at once ----------------------------------------------------------


def stub(x):
    """Twice ``x``, as an exercise notebook hands it out."""
    # YOUR CODE HERE
    raise NotImplementedError()


def stub_without_call(x, y=2):
    raise NotImplementedError


def stub_with_message(x):
    raise NotImplementedError("write this function")


def started(x):
    doubled = x * 2
    raise NotImplementedError(doubled)


def sometimes(x):
    if x > 4:
        raise NotImplementedError()
    return x * 2


def calls_the_stub(x):
    return stub(x)


def generator(x):
    raise NotImplementedError()
    yield x


class Exercise:
    def double(self, x):
        raise NotImplementedError()


def _shadowed():
    """A function whose ``NotImplementedError`` is another exception where it was written."""
    scope = {"NotImplementedError": KeyError}
    exec("def shadowed(x):\n    raise NotImplementedError()", scope)
    return scope["shadowed"]


def _cases_never_read():
    raise AssertionError("the check read its cases")
    yield  # a generator: the error comes only if it is iterated


@pytest.mark.parametrize("func", [stub, stub_without_call, stub_with_message])
def test_a_stub_is_recognised(func):
    assert _is_stub(func)
    with pytest.raises(NotImplementedError):
        func(1)


@pytest.mark.parametrize("func", [
    started, sometimes, calls_the_stub, generator, Exercise().double, _shadowed(),
    functools.partial(stub), lambda x: x * 2, len, 42,
], ids=["started", "sometimes", "wrapper", "generator", "method", "shadowed", "partial",
        "lambda", "builtin", "not callable"])
def test_anything_else_is_run_as_before(func):
    assert not _is_stub(func)
    assert unanswered("demo", func, HINTS) is None


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_verdict_is_the_one_of_running_the_stub(language):
    with i18n.speaking(language):
        ran = check_function("demo", calls_the_stub, CASES, hints=HINTS)  # a wrapper runs
        told = check_function("demo", stub, _cases_never_read(), hints=HINTS)
        early = unanswered("demo", stub, HINTS)
        texts = {str(result) for result in (ran, told, early)}
        pages = {result._repr_html_() for result in (ran, told, early)}
    assert ran.status == told.status == early.status == "unanswered"
    assert len(texts) == 1 and len(pages) == 1, texts
    word = {"en": "Not answered yet", "es": "Aún sin responder"}[language]
    assert texts.pop().startswith(f"{word}: demo ")


def test_functions_that_are_run_keep_their_verdicts():
    assert check_function("demo", started, CASES, hints=HINTS).status == "unanswered"
    result = check_function("demo", sometimes, CASES, hints=HINTS)
    assert result.status == "unanswered"  # right on the lesson's data, then raises
    assert check_function("demo", Exercise().double, CASES, hints=HINTS).status == "unanswered"
    wrong = check_function("demo", _shadowed(), CASES, hints=HINTS)
    assert wrong.status == "wrong" and "KeyError" in wrong.because


def test_under_nbgrader_a_stub_fails_before_any_case_is_read(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError, match="Not answered yet: demo still raises"):
        check_function("demo", stub, _cases_never_read(), hints=HINTS)
    with pytest.raises(AssertionError, match="Not answered yet: demo still raises"):
        unanswered("demo", stub, HINTS)
    assert unanswered("demo", lambda x: x * 2, HINTS) is None


# --- kit cases: built when read, once per kernel -----------------------------------------


class Calls:
    """Records what a build or a formula was called on (hashable, so what it gives is kept)."""

    def __init__(self):
        self.made = []

    def build(self):
        def build(folder):
            self.made.append(Path(folder))
            marker = Path(folder) / "marker.txt"
            text = marker.read_text() if marker.is_file() else ""
            frame = pd.DataFrame({"x": [1, 2, 3]})
            return (frame,), (text, i18n.gettext("Not answered yet")), ()
        return build


def test_kit_cases_are_built_when_first_read(tmp_path):
    builds = Calls()
    cases = kit_cases(builds.build(), tmp_path)
    assert len(cases) == 2 and builds.made == []
    assert check_function("demo", stub, cases, hints=HINTS).status == "unanswered"
    assert builds.made == []
    assert [case.seen for case in cases] == [True, False]
    assert builds.made == [tmp_path, _cases.unseen_data_dir()]


def test_kit_cases_are_built_once_and_handed_out_as_copies(tmp_path):
    builds = Calls()
    first = kit_cases(builds.build(), tmp_path)
    first[0].args[0].loc[0, "x"] = 99  # a caller that spoils what it was given
    second = kit_cases(builds.build(), tmp_path)  # a new closure, as every check call makes
    assert second[0].args[0]["x"].tolist() == [1, 2, 3]
    assert [case.expected for case in second] == [case.expected for case in first]
    assert len(builds.made) == 2  # the lesson's folder and the unseen one, once each


def test_kit_cases_are_rebuilt_in_another_language_or_on_changed_files(tmp_path):
    builds = Calls()
    assert kit_cases(builds.build(), tmp_path)[0].expected == ("", "Not answered yet")
    with i18n.speaking("es"):
        assert kit_cases(builds.build(), tmp_path)[0].expected == ("", "Aún sin responder")
    (tmp_path / "marker.txt").write_text("regenerated")
    assert kit_cases(builds.build(), tmp_path)[0].expected == ("regenerated", "Not answered yet")
    assert len(builds.made) == 6


def test_a_build_that_closes_over_a_table_is_built_every_time(tmp_path):
    table = pd.DataFrame({"x": [1.0]})  # unhashable: what the cases depend on cannot be told
    folders = []

    def build(folder):
        folders.append(folder)
        return (table,), float(table["x"].sum()), ()

    assert kit_cases(build, tmp_path)[0].expected == 1.0
    table.loc[0, "x"] = 2.0
    assert kit_cases(build, tmp_path)[0].expected == 2.0
    assert len(folders) == 4


def test_the_kernel_keeps_a_bounded_number_of_case_sets(tmp_path, monkeypatch):
    monkeypatch.setattr(_cases, "CACHED_CASES", 3)
    oldest = Calls()
    list(kit_cases(oldest.build(), tmp_path))
    for _ in range(3):
        list(kit_cases(Calls().build(), tmp_path))
    assert len(_cases._CASES) == 3
    list(kit_cases(oldest.build(), tmp_path))
    assert len(oldest.made) == 4  # dropped as the least recently used, then built again


def test_a_formula_is_computed_once_on_the_same_numbers():
    recorded = Calls()  # the formula closes over it: a list would not be hashable
    calls = recorded.made

    def ratio(a, b):
        recorded.made.append((a, b))
        return a / b

    numbers = {"one": (1.0, 4.0), "two": (3.0, 2.0)}
    first = _cases.by_case(numbers, ratio)
    first["one"] = -1.0  # a caller that spoils what it was given
    again = _cases.by_case(dict(numbers), ratio)
    assert again.to_dict() == {"one": 0.25, "two": 1.5}
    assert calls == [(1.0, 4.0), (3.0, 2.0)]
    assert _cases.by_case({"one": (1.0, 8.0)}, ratio).to_dict() == {"one": 0.125}
    assert len(calls) == 3


def test_a_formula_on_tables_is_computed_every_time():
    calls = []

    def total(frame):
        calls.append(1)
        return float(frame["x"].sum())

    frame = pd.DataFrame({"x": [1.0, 2.0]})
    assert _cases.by_case({"a": (frame,)}, total).to_dict() == {"a": 3.0}
    frame.loc[0, "x"] = 5.0
    assert _cases.by_case({"a": (frame,)}, total).to_dict() == {"a": 7.0}
    assert len(calls) == 2


# --- the stage modules load on first use -------------------------------------------------


def test_the_stage_modules_are_imported_when_first_asked_for():
    program = (
        "import sys\n"
        "import relmark_lab as rl\n"
        "print(sorted(m for m in sys.modules if m.startswith('relmark_lab.checks.')"
        " and not m.split('.')[-1].startswith('_')))\n"
        "print(rl.checks.rfm.__name__, 'rfm' in dir(rl.checks))\n"
        "from relmark_lab.checks import identify\n"
        "print(identify.__name__)\n"
        "try:\n"
        "    rl.checks.no_such_stage\n"
        "except AttributeError as error:\n"
        "    print(error)\n"
    )
    root = Path(__file__).resolve().parents[2]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(root), os.environ.get("PYTHONPATH", "")])}
    shown = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                           cwd=root, env=environment, check=True).stdout.splitlines()
    assert shown == [
        "[]",
        "relmark_lab.checks.rfm True",
        "relmark_lab.checks.identify",
        "module 'relmark_lab.checks' has no attribute 'no_such_stage'",
    ]
