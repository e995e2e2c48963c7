"""The concept index (docs/concepts.md) names lessons, functions and tests that exist."""

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INDEX = ROOT / "docs" / "concepts.md"
ROW = re.compile(r"^\| (\d+) \| (.+?) \| (.+?) \| (.+?) \| (.+?) \|$")


def _rows():
    rows = [ROW.match(line).groups() for line in INDEX.read_text(encoding="utf-8").splitlines()
            if ROW.match(line)]
    return [(int(n), concept, lessons, functions, tests)
            for n, concept, lessons, functions, tests in rows]


ROWS = _rows()


def test_every_concept_of_the_course_notes_has_a_row():
    assert [row[0] for row in ROWS] == list(range(1, 38))


def test_the_readme_links_the_index():
    assert "docs/concepts.md" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"concept {row[0]}")
def test_each_row_names_what_exists(row):
    number, _, lessons, functions, tests = row
    sections = re.findall(r"(\d\d[ab]?) §(\d+)", lessons.split("planned")[0])
    planned = re.findall(r"planned: (\d\d[ab]?) \(issue (\d+)\)", lessons)
    assert sections or planned, f"concept {number} names no lesson section"
    for lesson, section in sections:
        scripts = list((ROOT / "notebooks").glob(f"{lesson}_*.py"))
        assert len(scripts) == 1, f"concept {number}: no lesson {lesson}"
        text = scripts[0].read_text(encoding="utf-8")
        assert re.search(rf"^# ## {section}\. ", text, re.MULTILINE), (
            f"concept {number}: lesson {lesson} has no section {section}")
    names = re.findall(r"`(relmark_lab\.[\w.]+)`", functions)
    cases = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", tests)
    if sections and not functions.startswith("— (course map)"):
        assert names, f"concept {number} is taught but names no function"
    if sections:
        assert cases, f"concept {number} is taught but names no test"
    for name in names:
        _resolve(name)
    for path, test in cases:
        source = ROOT / path
        assert source.is_file(), f"concept {number}: no test file {path}"
        defined = {node.name for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
                   if isinstance(node, ast.FunctionDef)}
        assert test in defined, f"concept {number}: {path} has no {test}"


def _resolve(dotted: str):
    """Import the longest module prefix of ``dotted``, then follow the attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            assert hasattr(target, attribute), f"{dotted} does not exist"
            target = getattr(target, attribute)
        return target
    raise AssertionError(f"{dotted} does not exist")
