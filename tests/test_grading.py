"""nbgrader, as shipped: the solutions generate an assignment, autograde, and validate."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from relmark_lab.grading import CHECK_POINTS, grading_metadata

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("[0-9][0-9]*_*.ipynb"))
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_every_solution_cell_carries_current_grading_metadata(path):
    notebook = nbformat.read(path, as_version=4)
    stored = [cell.metadata.get("nbgrader") for cell in notebook.cells]
    assert stored == grading_metadata(notebook)
    ids = [entry["grade_id"] for entry in stored]
    assert len(ids) == len(set(ids))
    solutions = [e for e, c in zip(stored, notebook.cells, strict=True)
                 if e["solution"] and c.cell_type == "code"]
    checks = [e for e in stored if e["grade"] and not e["solution"]]
    written = [e for e in stored if e["grade"] and e["solution"]]
    assert len(checks) == len(solutions) >= 4  # every function is autograded by its check
    assert written, "each lesson has an answer in the student's own words"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_every_written_answer_has_a_rubric(path):
    notebook = nbformat.read(path, as_version=4)
    for cell, entry in zip(notebook.cells, grading_metadata(notebook), strict=True):
        if entry["grade"] and entry["solution"]:
            assert "**Rubric**" in cell.source, f"{entry['grade_id']} has no rubric"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_exercises_carry_the_solutions_metadata(path):
    solution = nbformat.read(path, as_version=4)
    exercise = nbformat.read(ROOT / "exercises" / path.name, as_version=4)
    assert [c.metadata["nbgrader"] for c in exercise.cells] == \
        [c.metadata["nbgrader"] for c in solution.cells]


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    # nbgrader runs alembic (its database migrations) as a command of the same environment.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("NBGRADER_EXECUTION", None)
    return subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=600)


def test_nbgrader_generates_autogrades_and_validates(tmp_path):
    name = "00_course_map.ipynb"
    course = tmp_path / "course"
    (course / "source" / "lesson00").mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / name, course / "source" / "lesson00" / name)
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\n", encoding="utf-8")

    generated = _nbgrader(course, "generate_assignment", "lesson00", "--force")
    assert generated.returncode == 0, generated.stdout + generated.stderr
    release = course / "release" / "lesson00" / name
    assert "raise NotImplementedError()" in release.read_text(encoding="utf-8")

    for student, notebook in (("solver", course / "source" / "lesson00" / name),
                              ("blank", release)):
        folder = course / "submitted" / student / "lesson00"
        folder.mkdir(parents=True)
        shutil.copy(notebook, folder / name)
    graded = _nbgrader(course, "autograde", "lesson00", "--force")
    assert graded.returncode == 0, graded.stdout + graded.stderr

    from nbgrader.api import Gradebook

    checks = [e for e in grading_metadata(nbformat.read(release, as_version=4))
              if e["grade"] and not e["solution"]]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        solver = gradebook.find_submission_notebook(name[:-6], "lesson00", "solver")
        blank = gradebook.find_submission_notebook(name[:-6], "lesson00", "blank")
        assert solver.code_score == len(checks) * CHECK_POINTS == solver.max_code_score
        assert blank.code_score == 0
        assert solver.needs_manual_grade  # the written answer is graded by hand

    validated = _nbgrader(course, "validate", str(release))
    report = validated.stdout + validated.stderr
    assert "Success!" not in report and "NotImplementedError" in report, report
