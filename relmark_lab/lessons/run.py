"""Run the lessons with papermill, render them to HTML, refresh stored outputs.

Two jobs live here:

* :func:`run_lessons` executes every ``notebooks/NN_topic.ipynb`` in order
  with papermill (optionally with parameters, e.g. another data folder),
  writes the executed notebook and an HTML page to ``reports/lessons/``,
  and stops at the first failure naming the notebook and the cell.
* :func:`refresh_notebook` rebuilds a stored notebook from its jupytext
  percent script and executes it in place, so the outputs nbval compares
  against are the ones the current code produces.
"""

from __future__ import annotations

import ast
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat

from relmark_lab.grading import BEGIN, with_grading_metadata
from relmark_lab.i18n import gettext as _
from relmark_lab.i18n.notebooks import notebook_key, translate_notebook

__all__ = [
    "LessonFailed",
    "LessonRun",
    "lesson_parameters",
    "refresh_notebook",
    "render_html",
    "run_lessons",
]

KERNEL = "python3"
# The kernel's own start-up warnings (e.g. about its local TCP transport) would
# interleave with the one-line-per-lesson progress report; errors still show.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]


class LessonFailed(RuntimeError):
    """A lesson stopped with an error; the message names the notebook and cell."""


@dataclass(frozen=True)
class LessonRun:
    """Where one executed lesson was written and how long it took."""

    notebook: Path
    executed: Path
    html: Path | None
    seconds: float


def _lessons(notebook_dir: Path, only: Iterable[str] | None) -> list[Path]:
    paths = sorted(notebook_dir.glob("[0-9][0-9]*_*.ipynb"))
    if only:
        wanted = tuple(only)
        paths = [p for p in paths if p.name.startswith(wanted)]
    return paths


def lesson_parameters(notebook: str | Path) -> list[str]:
    """Names of the parameters in a lesson's ``parameters`` cell, in order.

    Examples
    --------
    >>> lesson_parameters(Path(__file__).parents[2] / "notebooks" / "00_course_map.ipynb")
    ['data_dir', 'cdnow_kind', 'language']
    """
    cells = nbformat.read(notebook, as_version=4).cells
    tagged = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    names: list[str] = []
    for cell in tagged[:1]:  # papermill injects after the first tagged cell
        for statement in ast.parse(cell.source).body:
            targets = statement.targets if isinstance(statement, ast.Assign) else \
                [statement.target] if isinstance(statement, ast.AnnAssign) else []
            names += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
    return names


def _parameters_for(lessons: list[Path], parameters: dict) -> dict[Path, dict]:
    """Each lesson's share of the parameters; a name no lesson has is an error."""
    declared = {lesson: lesson_parameters(lesson) for lesson in lessons}
    unknown = [name for name in parameters
               if not any(name in names for names in declared.values())]
    if unknown:
        none = _("(none)")
        listing = "\n".join(f"  {lesson.name}: {', '.join(names) or none}"
                            for lesson, names in declared.items())
        raise LessonFailed(
            _("No lesson run here has a parameter named {names}. The lessons' parameters "
              "are:\n{listing}").format(names=", ".join(map(repr, unknown)), listing=listing)
        )
    return {lesson: {name: value for name, value in parameters.items() if name in names}
            for lesson, names in declared.items()}


#: Test markers that lessons carry for nbval; readers of the HTML do not need them.
_MARKER = re.compile(r"^[ \t]*# NBVAL_[A-Z_]+[^\n]*\n?", re.MULTILINE)


def _without_markers(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.source = _MARKER.sub("", cell.source)
    return notebook


#: nbconvert templates of the kit's own (``offline``: a page to share, no script, no CDN).
_PAGE_TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "html"
#: Relative links in Markdown cells: [text](path), not web addresses or anchors.
_RELATIVE_LINK = re.compile(r"\]\((?!https?:|mailto:|#|/)([^)\s]+)\)")
#: Wide tables scroll inside their output frame instead of running off the page.
_PAGE_STYLE = ("<style>.jp-OutputArea-output { overflow-x: auto; } "
               ".jp-RenderedHTMLCommon table { font-variant-numeric: tabular-nums; }</style>")


def _links_from(notebook: nbformat.NotebookNode, source_dir: Path, page_dir: Path) -> None:
    """Point the lesson's relative links (e.g. to its exercises) at the same files from the page."""
    def relink(match: re.Match) -> str:
        target = (source_dir / match.group(1)).resolve()
        return f"]({Path(os.path.relpath(target, page_dir.resolve())).as_posix()})"

    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = _RELATIVE_LINK.sub(relink, cell.source)


def render_html(executed: Path, target: Path, hide_code: bool = False,
                source_dir: Path | None = None, drop_tags: Iterable[str] = (),
                offline: bool = False, title: str | None = None, language: str = "en") -> Path:
    """Render an executed notebook to a standalone HTML page.

    The page leaves out the ``# NBVAL_...`` test markers, lets wide tables
    scroll inside their frame, and keeps relative links working.

    Parameters
    ----------
    executed : path
        Executed notebook.
    target : path
        HTML file to write.
    hide_code : bool, default False
        Leave the code cells out (for reports meant for readers, not learners).
    source_dir : path, optional
        Folder the notebook's relative links are relative to (default: the
        executed notebook's folder); links are rewritten to work from ``target``.
    drop_tags : iterable of str
        Cells carrying any of these tags are left out (e.g. papermill's
        ``"injected-parameters"`` in a shared report).
    offline : bool, default False
        A page to share: it loads nothing from the network and runs no
        script, which its Content-Security-Policy also forbids (no MathJax:
        a lesson's formulas stay as TeX).
    title : str, optional
        The page's title (default: the notebook's file name).
    language : str, default "en"
        The page's language (its ``<html lang>``, for screen readers and
        browsers' translation offers).
    """
    from nbconvert import HTMLExporter

    executed, target = Path(executed), Path(target)
    look = ({"template_name": "offline", "extra_template_basedirs": [str(_PAGE_TEMPLATES)]}
            if offline else {})
    exporter = HTMLExporter(exclude_input=hide_code, exclude_input_prompt=hide_code,
                            language_code=language, **look)
    notebook = _without_markers(nbformat.read(executed, as_version=4))
    if title:
        notebook.metadata["title"] = title
    dropped = set(drop_tags)
    notebook.cells = [c for c in notebook.cells
                      if not dropped.intersection(c.metadata.get("tags", []))]
    _links_from(notebook, Path(source_dir or executed.parent), target.parent)
    body, _resources = exporter.from_notebook_node(notebook)
    head = _PAGE_STYLE
    if offline:
        from relmark_lab.reports.page import OFFLINE_POLICY

        head = OFFLINE_POLICY + "\n" + head
    target.write_text(body.replace("</head>", head + "\n</head>", 1), encoding="utf-8")
    return target


def run_lessons(
    notebook_dir: str | Path = "notebooks",
    output_dir: str | Path = "reports/lessons",
    *,
    parameters: dict | None = None,
    only: Iterable[str] | None = None,
    html: bool = True,
    log: Callable[[str], None] = print,
    language: str = "en",
) -> list[LessonRun]:
    """Execute the lessons in order with papermill, in English or another edition.

    Parameters
    ----------
    notebook_dir : path, default "notebooks"
        Folder of ``NN_topic.ipynb`` lessons.
    output_dir : path, default "reports/lessons"
        Where executed notebooks and HTML pages go.
    parameters : dict, optional
        Values injected into the ``parameters`` cell of each lesson that
        declares them; a name that no lesson run has is an error.
    only : iterable of str, optional
        Run only lessons whose file name starts with one of these, e.g. ``["00"]``.
    html : bool, default True
        Also render each executed lesson to HTML.
    log : callable, default print
        Receives one progress line per lesson.
    language : {"en", "es"}, default "en"
        The edition: another language takes each lesson's narrative from its
        catalog (:func:`relmark_lab.i18n.notebooks.translate_notebook`) and
        sets its ``language`` parameter, so the same code runs.

    Returns
    -------
    list of LessonRun

    Raises
    ------
    LessonFailed
        At the first lesson that raises, naming the notebook and the cell, or
        before any runs, for a parameter that no lesson has.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    notebook_dir, output_dir = Path(notebook_dir), Path(output_dir)
    lessons = _lessons(notebook_dir, only)
    if not lessons:
        raise LessonFailed(_("No lesson notebooks (NN_topic.ipynb) found in {folder}.").format(
            folder=notebook_dir))
    shares = _parameters_for(lessons, parameters or {})
    output_dir.mkdir(parents=True, exist_ok=True)
    runs = []
    for number, notebook in enumerate(lessons, start=1):
        executed = output_dir / notebook.name
        start = time.perf_counter()
        try:
            source = notebook if language == "en" else translate_notebook(
                nbformat.read(notebook, as_version=4), notebook_key(notebook), language)
            pm.execute_notebook(
                source, executed, parameters=shares[notebook], kernel_name=KERNEL,
                cwd=str(notebook.parent), progress_bar=False, log_output=False,
                extra_arguments=KERNEL_ARGUMENTS,
            )
        except PapermillExecutionError as error:
            log(_("[{number}/{total}] {name:<40} FAILED").format(
                number=number, total=len(lessons), name=notebook.name))
            raise LessonFailed(
                _("{notebook} failed in cell {cell} (execution count {count}): {error}: "
                  "{message}\nThe executed notebook, with the traceback, is {executed}.").format(
                    notebook=notebook, cell=error.cell_index, count=error.exec_count,
                    error=error.ename, message=error.evalue, executed=executed)
            ) from None
        page = (render_html(executed, executed.with_suffix(".html"), source_dir=notebook.parent,
                            language=language) if html else None)
        seconds = time.perf_counter() - start
        log(_("[{number}/{total}] {name:<40} {seconds:6.1f} s  ok").format(
            number=number, total=len(lessons), name=notebook.name, seconds=seconds))
        runs.append(LessonRun(notebook, executed, page, seconds))
    return runs


def refresh_notebook(script: str | Path, timeout: int = 600) -> Path:
    """Rebuild ``NN_topic.ipynb`` from its percent script and execute it in place.

    Cell ids are numbered and timings are not recorded, so refreshing an
    unchanged lesson rewrites the same notebook apart from image bytes.

    Parameters
    ----------
    script : path
        The jupytext percent script ``NN_topic.py``.
    timeout : int, default 600
        Seconds allowed per cell.

    Returns
    -------
    pathlib.Path
        The executed notebook written next to the script.

    Raises
    ------
    LessonFailed
        If the script does not exist or a cell raises; the stored notebook
        is then left as it was.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    script = Path(script)
    if not script.is_file():
        raise LessonFailed(_("No such lesson script: {script}.").format(script=script))
    notebook = jupytext.read(script)
    notebook.metadata["jupytext"] = {"formats": "ipynb,py:percent"}
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3", "language": "python", "name": KERNEL,
    }
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number:03d}"
    if any(BEGIN in cell.source for cell in notebook.cells):  # a solutions notebook
        with_grading_metadata(notebook)
    client = NotebookClient(
        notebook, timeout=timeout, kernel_name=KERNEL, record_timing=False,
        extra_arguments=KERNEL_ARGUMENTS, resources={"metadata": {"path": str(script.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        failing = next(
            (i for i, cell in enumerate(notebook.cells)
             if any(o.get("output_type") == "error" for o in cell.get("outputs", []))),
            "?",
        )
        raise LessonFailed(
            _("{script} failed in cell {cell}: {error}: {message}. The stored notebook was left "
              "unchanged.").format(script=script, cell=failing, error=error.ename,
                                   message=error.evalue)
        ) from None
    target = script.with_suffix(".ipynb")
    nbformat.write(notebook, target)
    return target
