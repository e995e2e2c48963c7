"""Lessons in another language from the same percent scripts: narrative cells from catalogs.

A lesson is written once, in English, as a percent script
(``notebooks/03_rfm.py``). Its narrative (every markdown cell) is
extracted into a catalog per notebook (``locale/es/notebooks/03_rfm.po``)
whose ``msgid`` is the English cell; translators fill the ``msgstr``.
The Spanish notebook is the English one with each markdown cell replaced by
its translation and the ``language`` parameter set: code cells are never
copied, so both editions run the same code and print the same figures,
each in its language.

Examples
--------
>>> import nbformat
>>> lesson = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Hello"),
...                                          nbformat.v4.new_code_cell("x = 1")])
>>> sorted(message.id for message in narrative_catalog(lesson, "notebooks/demo") if message.id)
['Hello']
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import jupytext
import nbformat
from babel.messages.catalog import Catalog

from relmark_lab.errors import DataError
from relmark_lab.i18n.catalogs import lesson_catalog_path, read_catalog, usable, write_catalog

__all__ = ["narrative_catalog", "notebook_key", "translate_notebook", "untranslated",
           "update_catalog"]

#: The language line of a translated notebook's parameters cell (papermill may override it).
LANGUAGE_LINE = ('language = "{language}"  # "en" o "es": el idioma de los mensajes, etiquetas '
                 'y números')


def notebook_key(path: str | Path) -> str:
    """A notebook's catalog key, its folder and stem: ``"solutions/03_rfm"``."""
    path = Path(path)
    return f"{path.parent.name}/{path.stem}"


def _narrative(notebook: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(cell number, text) of each markdown cell with text."""
    return [(number, cell.source) for number, cell in enumerate(notebook.cells)
            if cell.cell_type == "markdown" and cell.source.strip()]


def narrative_catalog(notebook: nbformat.NotebookNode, stem: str) -> Catalog:
    """The template catalog of a notebook: one message per narrative cell, untranslated."""
    catalog = Catalog(domain=stem)
    for number, text in _narrative(notebook):
        message = catalog.add(text, locations=[(f"{stem}.py", number + 1)])
        message.flags.discard("python-format")  # "80% retention" is prose, not a format
    return catalog


def update_catalog(script: str | Path, language: str) -> dict[str, int]:
    """Bring a notebook's catalog up to date with its script, keeping every translation.

    A new cell gets an empty entry; a changed cell keeps its old
    translation marked fuzzy (so it is reviewed, and not used until then);
    a removed cell's entry becomes obsolete.

    Returns
    -------
    dict
        How many entries are ``translated``, ``fuzzy`` and ``missing``.
    """
    script = Path(script)
    key = notebook_key(script)
    template = narrative_catalog(jupytext.read(script), key)
    path = lesson_catalog_path(language, key)
    catalog = read_catalog(path, language)
    template.creation_date = catalog.creation_date  # no header change without a cell change
    catalog.update(template, no_fuzzy_matching=False)
    write_catalog(catalog, path)
    entries = [message for message in catalog if message.id]
    done = usable(catalog)
    return {"translated": len(done), "fuzzy": sum(m.fuzzy for m in entries),
            "missing": sum(1 for m in entries if not m.string)}


def untranslated(notebook: nbformat.NotebookNode, stem: str, language: str) -> list[str]:
    """The narrative cells of ``notebook`` without a finished translation into ``language``."""
    done = usable(read_catalog(lesson_catalog_path(language, stem), language))
    return [text for _, text in _narrative(notebook) if text not in done]


def translate_notebook(notebook: nbformat.NotebookNode, stem: str,
                       language: str) -> nbformat.NotebookNode:
    """``notebook`` in ``language``: narrative from its catalog, the language parameter set.

    Raises
    ------
    DataError
        When a narrative cell has no finished translation (it names how
        many and the first, and how to update the catalog).
    """
    if language == "en":
        return notebook
    missing = untranslated(notebook, stem, language)
    if missing:
        first = missing[0].strip().splitlines()[0][:70]
        raise DataError(f"{stem}: {len(missing)} narrative cell(s) have no {language} "
                        f"translation yet, e.g. {first!r}. Run `relmark translations` and "
                        f"fill {lesson_catalog_path(language, stem).name}.")
    done = usable(read_catalog(lesson_catalog_path(language, stem), language))
    out = copy.deepcopy(notebook)
    for cell in out.cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            cell.source = done[cell.source]
    tagged = [cell for cell in out.cells if "parameters" in cell.metadata.get("tags", [])]
    if not tagged:
        raise DataError(f"{stem}: the notebook has no cell tagged 'parameters' to set "
                        "its language in.")
    line = LANGUAGE_LINE.format(language=language)
    source, found = re.subn(r"(?m)^language = .*$", line, tagged[0].source)
    tagged[0].source = source if found else source.rstrip() + "\n" + line
    out.metadata["language_edition"] = language
    return out
