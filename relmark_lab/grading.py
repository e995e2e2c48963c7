"""nbgrader cell metadata for the exercise notebooks, derived from what each cell holds.

The solution notebooks carry no hand-made metadata: the kind of each cell is
read from its content, so an instructor who writes a new exercise in the
usual shape gets it graded without touching cell metadata.

* a code cell with a ``### BEGIN SOLUTION`` region is a **solution cell**
  (the student writes there);
* a code cell calling ``check.<name>(...)`` is an **autograded test cell**
  worth one point: under nbgrader a check that does not pass raises, so the
  autograder gives the point only to a function that passes on the lesson's
  data and on unseen data;
* a Markdown cell with a solution region is a **written answer**, graded by
  hand; its rubric, inside the region, names the points (``**Rubric** (3
  points)``, default 2);
* every other cell is **read-only** (locked), so instructions and set-up
  stay as written.

Grade ids are stable names (``net_promoter_score``,
``check-net_promoter_score``, ``written-02_8``), so a regenerated notebook
keeps the same ids in nbgrader's gradebook.
"""

from __future__ import annotations

import re

import nbformat

__all__ = ["CHECK_POINTS", "WRITTEN_POINTS", "grading_metadata", "with_grading_metadata"]

BEGIN = "### BEGIN SOLUTION"
#: Points of an autograded check cell.
CHECK_POINTS = 1
#: Points of a written answer whose rubric does not say.
WRITTEN_POINTS = 2

_CHECK_CALL = re.compile(r"^\s*check\.(\w+)\(", re.MULTILINE)
_FUNCTION = re.compile(r"^def (\w+)\(", re.MULTILINE)
# Both editions: the Spanish narrative says "Ejercicio" and "**Rúbrica** (4 puntos)".
_EXERCISE = re.compile(r"(?:Exercise|Ejercicio) (\d+[ab]?\.\d+)")
_RUBRIC_POINTS = re.compile(r"\*\*(?:Rubric|Rúbrica)\*\*\s*\((\d+) (?:points?|puntos?)\)")
SCHEMA_VERSION = 3


def grading_metadata(notebook: nbformat.NotebookNode) -> list[dict]:
    """The nbgrader metadata of every cell, in order.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A solution notebook (or an exercise generated from one).

    Returns
    -------
    list of dict
        One ``metadata["nbgrader"]`` dict per cell.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_markdown_cell("## Exercise 02.1 — NPS"),
    ...     nbformat.v4.new_code_cell("def nps(s):\\n    ### BEGIN SOLUTION\\n    return 1\\n"
    ...                               "    ### END SOLUTION"),
    ...     nbformat.v4.new_code_cell("check.nps(nps)")])
    >>> [(m["grade_id"], m["solution"], m["grade"], m.get("points")) for m in grading_metadata(nb)]
    [('cell-000', False, False, None), ('nps', True, False, None), ('check-nps', False, True, 1)]
    """
    exercise = None
    used: set[str] = set()
    metadata = []
    for number, cell in enumerate(notebook.cells):
        source = cell.source
        if cell.cell_type == "markdown":
            exercise = (_EXERCISE.findall(source) or [exercise])[-1]
        has_solution = BEGIN in source
        if cell.cell_type == "code" and has_solution:
            names = _FUNCTION.findall(source)
            entry = {"solution": True, "grade": False, "locked": False,
                     "grade_id": names[0] if names else f"solution-{number:03d}"}
        elif cell.cell_type == "code" and _CHECK_CALL.search(source):
            entry = {"solution": False, "grade": True, "locked": True, "points": CHECK_POINTS,
                     "grade_id": f"check-{_CHECK_CALL.search(source).group(1)}"}
        elif cell.cell_type == "markdown" and has_solution:
            points = _RUBRIC_POINTS.search(source)
            entry = {"solution": True, "grade": True, "locked": False,
                     "points": int(points.group(1)) if points else WRITTEN_POINTS,
                     "grade_id": f"written-{exercise.replace('.', '_')}" if exercise
                     else f"written-{number:03d}"}
        else:
            entry = {"solution": False, "grade": False, "locked": True,
                     "grade_id": f"cell-{number:03d}"}
        if entry["grade_id"] in used:  # nbgrader needs every id once
            entry["grade_id"] = f"{entry['grade_id']}-{number:03d}"
        used.add(entry["grade_id"])
        entry["schema_version"] = SCHEMA_VERSION
        metadata.append(entry)
    return metadata


def with_grading_metadata(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Write :func:`grading_metadata` into the notebook's cells (in place) and return it."""
    for cell, entry in zip(notebook.cells, grading_metadata(notebook), strict=True):
        cell.metadata["nbgrader"] = entry
    return notebook
