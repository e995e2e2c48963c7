"""Exercise notebooks are generated from the solutions and never show a traceback."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from relmark_lab.exercises import (
    exercise_from_solution,
    generate_exercises,
    stale_exercises,
)

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("[0-9][0-9]*_*.ipynb"))


def _code(source):
    return nbformat.v4.new_code_cell(source)


def test_code_solution_becomes_an_indented_stub():
    nb = nbformat.v4.new_notebook(cells=[_code(
        "def f(x):\n    ### BEGIN SOLUTION\n    y = x + 1\n    return y\n    ### END SOLUTION\n"
        "\n\nprint('kept')"
    )])
    source = exercise_from_solution(nb).cells[0].source
    assert source == (
        "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n\n\nprint('kept')"
    )


def test_markdown_solution_becomes_your_answer_here():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "Question?\n\n### BEGIN SOLUTION\nThe answer.\n### END SOLUTION"
    )])
    assert exercise_from_solution(nb).cells[0].source == "Question?\n\nYOUR ANSWER HERE"


def test_outputs_are_cleared_and_tags_kept():
    cell = _code("print(1)")
    cell.outputs = [nbformat.v4.new_output("stream", text="1\n")]
    cell.execution_count = 3
    cell.metadata["tags"] = ["parameters"]
    exercise = exercise_from_solution(nbformat.v4.new_notebook(cells=[cell])).cells[0]
    assert exercise.outputs == [] and exercise.execution_count is None
    assert exercise.metadata["tags"] == ["parameters"]


def test_unbalanced_markers_are_refused():
    nb = nbformat.v4.new_notebook(cells=[_code("### BEGIN SOLUTION\nx = 1\n")])
    with pytest.raises(ValueError, match="unbalanced"):
        exercise_from_solution(nb)


def test_committed_exercises_are_up_to_date():
    assert SOLUTIONS, "no solution notebooks found"
    assert stale_exercises(ROOT / "solutions", ROOT / "exercises") == []


def test_stale_exercises_reports_changes(tmp_path):
    generate_exercises(ROOT / "solutions", tmp_path)
    first = sorted(tmp_path.glob("*.ipynb"))[0]
    first.write_text(first.read_text().replace("Exercise", "Exercize"))
    (tmp_path / "99_orphan.ipynb").write_text("{}")
    assert stale_exercises(ROOT / "solutions", tmp_path) == [first.name, "99_orphan.ipynb"]


def test_every_solution_has_at_least_four_checked_exercises():
    for path in SOLUTIONS:
        nb = nbformat.read(path, as_version=4)
        checks = [c for c in nb.cells if c.cell_type == "code" and "check." in c.source]
        assert len(checks) >= 4, path.name


def _execute(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def _check_outputs(nb):
    texts = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "check." in cell.source:
            texts.append("".join(
                o.get("data", {}).get("text/plain", "") + o.get("text", "") for o in cell.outputs
            ))
    return texts


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_exercise_stubs_fail_their_checks_readably(solution):
    """The student's starting notebook runs top to bottom with no traceback."""
    nb = _execute(ROOT / "exercises" / solution.name)
    texts = _check_outputs(nb)
    assert texts
    for text in texts:
        assert text.startswith("Not answered yet:"), text
        assert "Hint:" in text
        assert "Traceback" not in text


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_stored_solutions_pass_their_checks(solution):
    texts = _check_outputs(nbformat.read(solution, as_version=4))
    assert texts and all(text.startswith("Right:") for text in texts), texts


def test_markers_inside_a_line_are_refused_so_no_answer_leaks():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "Answer: ### BEGIN SOLUTION the whale curve peaks at 150% ### END SOLUTION"
    )])
    with pytest.raises(ValueError, match="line of their own"):
        exercise_from_solution(nb)
