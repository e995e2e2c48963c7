"""The Spanish exercise notebooks run top to bottom, and every check answers in Spanish."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = sorted((ROOT / "exercises" / "es").glob("[0-9][0-9]*_*.ipynb"))
#: English words a Spanish verdict would only hold if a text were left untranslated.
ENGLISH = {"the", "your", "you", "is", "are", "with", "which", "this", "that", "from", "for",
           "answer", "not", "yet", "hint", "should", "returns", "return"}


def _verdicts(path: Path) -> list[str]:
    """What each check cell of the exercise notebook says when run unanswered."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return ["".join(o.get("data", {}).get("text/plain", "") + o.get("text", "")
                    for o in cell.outputs)
            for cell in notebook.cells if cell.cell_type == "code" and "check." in cell.source]


def test_there_is_a_spanish_exercise_notebook_per_solution():
    solutions = sorted(p.name for p in (ROOT / "solutions").glob("[0-9][0-9]*_*.ipynb"))
    assert [p.name for p in EXERCISES] == solutions


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda p: p.stem)
def test_the_unanswered_checks_say_so_in_spanish(exercise):
    verdicts = _verdicts(exercise)
    assert verdicts
    for text in verdicts:
        assert text.startswith("Aún sin responder:"), text
        assert "Pista:" in text and "Traceback" not in text
        prose = re.sub(r"`[^`]*`|\b\w+\([^)]*\)|\b[a-z_]+\.[a-z_.]+\b", " ", text)
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", prose)}
        assert not words & ENGLISH, (sorted(words & ENGLISH), text[:200])
