"""Generate student exercise notebooks from the instructor's solutions.

``solutions/NN_topic.ipynb`` is the single source. Code between nbgrader's
markers ``### BEGIN SOLUTION`` and ``### END SOLUTION`` becomes a stub that
raises :class:`NotImplementedError`; in Markdown cells the text between the
markers becomes "YOUR ANSWER HERE". Outputs and execution counts are
cleared, so the student starts from a clean notebook. Both notebooks carry
nbgrader's cell metadata (:mod:`relmark_lab.grading`), so an instructor can
feed ``solutions/`` to ``nbgrader generate_assignment`` as it is.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from relmark_lab.errors import DataError
from relmark_lab.grading import grading_metadata, with_grading_metadata
from relmark_lab.i18n import gettext as _
from relmark_lab.i18n.notebooks import notebook_key, translate_notebook

__all__ = ["BEGIN", "END", "exercise_from_solution", "generate_exercises", "stale_exercises"]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"

_CODE_STUB = ["# YOUR CODE HERE", "raise NotImplementedError()"]
_MARKDOWN_STUB = ["YOUR ANSWER HERE"]
_SOLUTION_BLOCK = re.compile(
    rf"^(?P<indent>[ \t]*){re.escape(BEGIN)}[^\n]*\n.*?^[ \t]*{re.escape(END)}[^\n]*(\n|$)",
    re.MULTILINE | re.DOTALL,
)


def _strip_solutions(source: str, stub: list[str]) -> str:
    def replace(match: re.Match) -> str:
        indent = match.group("indent")
        ending = "\n" if match.group(0).endswith("\n") else ""
        return "\n".join(indent + line for line in stub) + ending

    if source.count(BEGIN) != source.count(END):
        raise DataError(_("unbalanced solution markers in cell:\n{source}").format(source=source))
    stripped = _SOLUTION_BLOCK.sub(replace, source)
    if BEGIN in stripped or END in stripped:
        # A marker that does not start its own line would leak the answer.
        raise DataError(_("solution markers must each stand on a line of their own:\n"
                          "{source}").format(source=source))
    return stripped


def exercise_from_solution(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Turn a solution notebook into the student's exercise notebook.

    Parameters
    ----------
    solution : nbformat.NotebookNode
        Notebook with nbgrader solution markers.

    Returns
    -------
    nbformat.NotebookNode
        A new notebook: solutions replaced by stubs, outputs cleared, the
        jupytext pairing removed (exercises are generated, not edited), each
        cell with the nbgrader metadata of its solution cell.

    Raises
    ------
    DataError
        If a cell's markers are unbalanced or do not stand on lines of
        their own (the answer would leak into the exercise).

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    ...     "def f():\\n    ### BEGIN SOLUTION\\n    return 1\\n    ### END SOLUTION")])
    >>> print(exercise_from_solution(nb).cells[0].source)
    def f():
        # YOUR CODE HERE
        raise NotImplementedError()
    """
    exercise = nbformat.v4.new_notebook(metadata=dict(solution.metadata))
    exercise.metadata.pop("jupytext", None)
    exercise.metadata.pop("papermill", None)
    for cell, grading in zip(solution.cells, grading_metadata(solution), strict=True):
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(_strip_solutions(cell.source, _CODE_STUB))
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(_strip_solutions(cell.source, _MARKDOWN_STUB))
        else:
            new = nbformat.v4.new_raw_cell(cell.source)
        new.metadata = {k: v for k, v in cell.metadata.items() if k in ("tags",)}
        new.metadata["nbgrader"] = grading
        new.pop("id", None)
        exercise.cells.append(new)
    return exercise


def _exercise_of(path: Path, language: str = "en") -> nbformat.NotebookNode:
    try:
        solution = nbformat.read(path, as_version=4)
        if language != "en":  # the solution's narrative from its catalog, then the same cut
            solution = translate_notebook(solution, notebook_key(path), language)
        return exercise_from_solution(solution)
    except DataError as error:
        raise DataError(f"{path}: {error}") from None


def _write(notebook: nbformat.NotebookNode) -> str:
    # Cell ids are random by default; fixed ids keep regeneration byte-identical.
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number:03d}"
    return nbformat.writes(notebook) + "\n"


def _metadata_is_current(notebook: nbformat.NotebookNode) -> bool:
    return all(cell.metadata.get("nbgrader") == entry
               for cell, entry in zip(notebook.cells, grading_metadata(notebook), strict=True))


def _annotate_solution(path: Path) -> None:
    """Bring a solution notebook's nbgrader metadata up to date, outputs untouched."""
    notebook = nbformat.read(path, as_version=4)
    if not _metadata_is_current(notebook):
        nbformat.write(with_grading_metadata(notebook), path)


def generate_exercises(solutions_dir: str | Path, exercises_dir: str | Path,
                       language: str = "en") -> list[Path]:
    """Write ``exercises_dir/NN_topic.ipynb`` for every solution notebook.

    The solution notebooks' nbgrader metadata is brought up to date first
    (in place; their outputs are left as they are).

    Parameters
    ----------
    solutions_dir, exercises_dir : path
        Folder of the solution notebooks; folder to write the exercises to.
    language : {"en", "es"}, default "en"
        The edition: the Spanish one takes the narrative of each solution
        notebook from its catalog (``locale/es/solutions/``).

    Returns
    -------
    list of pathlib.Path
        The exercise notebooks written.
    """
    written = []
    Path(exercises_dir).mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(solutions_dir).glob("[0-9][0-9]*_*.ipynb")):
        _annotate_solution(path)
        exercise = _exercise_of(path, language)
        target = Path(exercises_dir) / path.name
        target.write_text(_write(exercise), encoding="utf-8")
        written.append(target)
    return written


def stale_exercises(solutions_dir: str | Path, exercises_dir: str | Path,
                    language: str = "en") -> list[str]:
    """Names of exercise notebooks that differ from what the solutions generate.

    Returns
    -------
    list of str
        Empty when ``exercises_dir`` is up to date; otherwise the file
        names that are missing, outdated or have no solution, and the
        solution notebooks whose nbgrader metadata is out of date.
    """
    stale = []
    expected_names = set()
    for path in sorted(Path(solutions_dir).glob("[0-9][0-9]*_*.ipynb")):
        expected_names.add(path.name)
        if not _metadata_is_current(nbformat.read(path, as_version=4)):
            stale.append(f"{path} (nbgrader metadata)")
        wanted = _write(_exercise_of(path, language))
        target = Path(exercises_dir) / path.name
        if not target.is_file() or target.read_text(encoding="utf-8") != wanted:
            stale.append(path.name)
    stale += sorted(
        p.name for p in Path(exercises_dir).glob("*.ipynb") if p.name not in expected_names
    )
    return stale
