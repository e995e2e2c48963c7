"""An instructor re-runs every lesson next semester: the stored lessons hold together.

Each lesson's run on another seed and size of the data, with other parameters,
is in ``tests/lessons/test_<lesson>_parameters.py``.
"""

import re
from pathlib import Path

import nbformat
import pytest

from relmark_lab.lessons import LessonFailed, lesson_parameters, render_html, run_lessons

ROOT = Path(__file__).resolve().parents[1]


LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
STORED = LESSONS + sorted((ROOT / "solutions").glob("[0-9][0-9]*_*.ipynb"))
# 1.98e+06, 2.24e-01: what pandas prints when it gives up on a column's width.
SCIENTIFIC = re.compile(r"(?<![\w.])\d(?:\.\d+)?e[+-]\d\d\b")


def test_a_parameter_no_lesson_has_is_an_error_listing_the_parameters(tmp_path):
    with pytest.raises(LessonFailed) as caught:
        run_lessons(ROOT / "notebooks", tmp_path, parameters={"n_cluster": 4}, only=["03"])
    text = str(caught.value)
    assert "No lesson run here has a parameter named 'n_cluster'" in text
    assert "03_rfm.ipynb: data_dir, cdnow_kind, bins" in text
    assert not list(tmp_path.glob("*.ipynb"))  # nothing ran


@pytest.mark.parametrize("path", STORED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_first_code_cell_checks_every_parameter(path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    position = next(i for i, cell in enumerate(code)
                    if "parameters" in cell.metadata.get("tags", []))
    checking = code[position + 1].source
    assert "check_parameters(" in checking and "use_lesson_display(" in checking
    for name in lesson_parameters(path):
        assert re.search(rf"\b{name}=", checking), f"{name} is not checked in {path.name}"


@pytest.mark.parametrize("path", STORED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_stored_outputs_are_fit_to_project(path):
    """No stderr (warnings included), no scientific notation in any text a reader sees."""
    notebook = nbformat.read(path, as_version=4)
    for number, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            where = f"{path.name} cell {number}"
            assert not (output.get("output_type") == "stream" and output.get("name") == "stderr"), \
                f"{where} writes to stderr: {output.get('text', '')[:200]}"
            assert output.get("output_type") != "error", where
            data = output.get("data", {})
            text = output.get("text", "") + data.get("text/plain", "") + data.get("text/html", "")
            found = SCIENTIFIC.search(text)
            assert not found, f"{where} shows {found.group(0)} in scientific notation"


def test_html_pages_do_not_show_the_test_markers(tmp_path):
    page = render_html(ROOT / "notebooks" / "00_course_map.ipynb", tmp_path / "00.html")
    text = page.read_text(encoding="utf-8")
    assert "NBVAL" not in text
    assert "Exercises" in text or "exercises" in text


def test_html_pages_keep_relative_links_and_let_wide_tables_scroll(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "See [the exercises](../exercises/00_course_map.ipynb) and [docs](https://x.org).")])
    source = tmp_path / "notebooks"
    source.mkdir()
    nbformat.write(notebook, source / "00.ipynb")
    pages = tmp_path / "reports" / "lessons"
    pages.mkdir(parents=True)
    text = render_html(source / "00.ipynb", pages / "00.html", source_dir=source).read_text()
    assert 'href="../../exercises/00_course_map.ipynb"' in text
    assert 'href="https://x.org"' in text
    assert "overflow-x: auto" in text
