"""Both editions of a lesson run the same code and print the same figures."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from relmark_lab.lessons import run_lessons

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted(p.stem for p in ROOT.glob("notebooks/[0-9][0-9]*_*.ipynb"))
NUMBER = re.compile(r"-?\d[\d,]*\.?\d*")


def _printed_numbers(notebook: nbformat.NotebookNode) -> list[list[str]]:
    """The numbers of every text output, output by output."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            text = (output.get("text", "") if output.output_type == "stream"
                    else output.get("data", {}).get("text/plain", ""))
            found.append(NUMBER.findall("".join(text) if isinstance(text, list) else text))
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
    assert not differing, (f"{lesson}: output {differing[0]} prints {ours[differing[0]][:6]} "
                           f"in Spanish, {theirs[differing[0]][:6]} in English")
