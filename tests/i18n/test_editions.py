"""Both editions of a lesson run the same code and print the same figures."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from relmark_lab.lessons import run_lessons

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted(p.stem for p in ROOT.glob("notebooks/[0-9][0-9]*_*.ipynb"))
NUMBER = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")  # a comma after a number is prose


def _printed_numbers(notebook: nbformat.NotebookNode) -> list[list[str]]:
    """The numbers each code cell prints, all its text outputs together (a kernel may send
    one print in several chunks)."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        text = ""
        for output in cell.get("outputs", []):
            part = (output.get("text", "") if output.output_type == "stream"
                    else output.get("data", {}).get("text/plain", ""))
            text += "".join(part) if isinstance(part, list) else part
        found.append(NUMBER.findall(text))
    return found


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_spanish_edition_prints_the_english_figures(lesson, tmp_path):
    [run] = run_lessons(ROOT / "notebooks", tmp_path, only=[lesson],
                        html=False, log=lambda line: None, language="es")
    spanish = nbformat.read(run.executed, as_version=4)
    english = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)
    assert spanish.metadata["language_edition"] == "es"
    narrative = [c.source for c in spanish.cells if c.cell_type == "markdown"]
    assert narrative and narrative != [c.source for c in english.cells
                                       if c.cell_type == "markdown"]
    theirs, ours = _printed_numbers(english), _printed_numbers(spanish)
    assert len(ours) == len(theirs)
    differing = [i for i, (a, b) in enumerate(zip(theirs, ours, strict=True)) if a != b]
    assert not differing, (f"{lesson}: code cell {differing[0]} prints "
                           f"{ours[differing[0]][:6]} in Spanish, {theirs[differing[0]][:6]} in "
                           "English")
