"""The Spanish edition is complete, current, and uses the course notes' terms."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import jupytext
import nbformat
import pytest

from relmark_lab.grading import grading_metadata
from relmark_lab.i18n.catalogs import LOCALE, lesson_catalog_path, read_catalog, usable
from relmark_lab.i18n.notebooks import notebook_key, translate_notebook, untranslated

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(ROOT.glob("notebooks/[0-9][0-9]*_*.py")) + sorted(
    ROOT.glob("solutions/[0-9][0-9]*_*.py")) + sorted(
    ROOT.glob("relmark_lab/templates/[a-z]*.py"))  # the report templates' narrative too
GLOSSARY = list(csv.DictReader((LOCALE.parent / "i18n" / "glossary.csv").open(encoding="utf-8")))
#: Words that mark English prose; Spanish prose has almost none of them.
ENGLISH = {"the", "and", "of", "is", "are", "with", "which", "this", "that", "from", "for",
           "each", "their", "what", "when", "how", "it", "be", "by", "not", "or", "an"}


SPANISH_FUNCTION_WORDS = {"de", "del", "el", "la", "los", "las", "por", "con", "en", "y", "a"}


def _translations(script: Path) -> dict[str, str]:
    key = notebook_key(script)
    return usable(read_catalog(lesson_catalog_path("es", key), "es"))


def _prose(markdown: str) -> list[str]:
    """The words of a cell outside code, math, links' targets and HTML."""
    text = re.sub(r"```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\]\([^)]*\)|<[^>]+>", " ", markdown,
                  flags=re.S)
    return re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñü]+", text)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: notebook_key(p))
def test_every_narrative_cell_has_a_current_translation(script):
    missing = untranslated(jupytext.read(script), notebook_key(script), "es")
    assert not missing, (f"{len(missing)} cell(s) of {notebook_key(script)} lack a Spanish "
                         f"translation (run `relmark translations`), the first: "
                         f"{missing[0][:120]!r}")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: notebook_key(p))
def test_the_spanish_cells_are_spanish_with_the_same_structure(script):
    for english, spanish in _translations(script).items():
        words = [w.lower() for w in _prose(spanish)]
        if len(words) >= 12:
            share = sum(w in ENGLISH for w in words) / len(words)
            assert share < 0.08, f"English prose left in {spanish[:120]!r} ({share:.0%})"
        headings = [line.split(" ", 1)[0] for line in english.splitlines()
                    if line.startswith("#")]
        assert headings == [line.split(" ", 1)[0] for line in spanish.splitlines()
                            if line.startswith("#")], f"headings differ in {spanish[:80]!r}"
        assert re.findall(r"\$\$.*?\$\$", english, flags=re.S) == re.findall(
            r"\$\$.*?\$\$", spanish, flags=re.S), f"display math changed in {spanish[:80]!r}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: notebook_key(p))
def test_the_course_terms_are_the_glossary_s(script):
    for english, spanish in _translations(script).items():
        for term in GLOSSARY:
            if term["checked"] != "yes":
                continue
            if re.search(rf"\b{re.escape(term['english'])}\b", english, flags=re.I):
                # every content word of the Spanish term, by its stem (so "clientes activos,
                # inactivos y potenciales" holds "clientes potenciales")
                stems = [word[:6] for word in term["spanish"].lower().split()
                         if word not in SPANISH_FUNCTION_WORDS]
                assert all(stem in spanish.lower() for stem in stems), (
                    f"{term['english']!r} should read {term['spanish']!r} (glossary) in "
                    f"{spanish[:100]!r}")


def test_the_glossary_holds_each_english_term_once():
    terms = [row["english"].lower() for row in GLOSSARY]
    assert len(terms) == len(set(terms))
    assert {row["checked"] for row in GLOSSARY} <= {"yes", "no"}


@pytest.mark.parametrize("solution", sorted(ROOT.glob("solutions/[0-9][0-9]*_*.ipynb")),
                         ids=lambda p: p.stem)
def test_the_spanish_exercises_are_graded_like_the_english(solution):
    """Same exercise names and points: nbgrader grades both editions alike."""
    notebook = nbformat.read(solution, as_version=4)
    spanish = translate_notebook(notebook, notebook_key(solution), "es")
    assert grading_metadata(spanish) == grading_metadata(notebook)
