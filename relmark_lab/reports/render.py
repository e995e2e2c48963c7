"""``relmark report``: a parameterised template run on the analyst's data, rendered to share.

:func:`render` runs one of :data:`TEMPLATES` (papermill notebooks shipped in
``relmark_lab/templates/``) on a source, then writes, in the output folder:

* ``<template>.ipynb``, the executed notebook (for the analyst);
* ``<template>.html``, a standalone page with the code, the parameters cell
  and papermill's injected-parameters cell left out (nbconvert's no-input
  export), customer ids pseudonymized (:mod:`.privacy`) unless
  ``show_ids``;
* the per-customer CSV files the template writes, with the real ids.

Sources: a DataFrame, any file :func:`relmark_lab.read_transactions` reads
(CSV, compressed CSV, Excel, Parquet file or folder), or a DuckDB database
with a SQL ``query`` (DuckDB is the embedded engine where the data live in a
database). A template that declares a ``query`` parameter (customer base
health, customer value) runs the query in DuckDB itself: the lines stay in
the database and the stages aggregate there (:mod:`relmark_lab.engines`).
Otherwise a DataFrame or a query result is handed to the template as a
Parquet file in the output folder's ``.work/``, removed when the report is
done. Writes are atomic (a temporary file, then a rename); a template that fails leaves
``<template>.failed.ipynb`` and raises :class:`ReportFailed`, naming the
template and the cell.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from relmark_lab.errors import DataError
from relmark_lab.i18n import LANGUAGES, N_, get_language, speaking
from relmark_lab.i18n import gettext as _

__all__ = ["TEMPLATES", "TITLES", "title", "ReportFailed", "ReportRun", "list_templates", "render"]

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
#: Template name -> what it shows (in English; :func:`list_templates` says it in the
#: language in use).
TEMPLATES = {
    "customer-base-health": N_("what was read, kept and dropped (the ledger); customers by "
                               "status and lifecycle stage; RFM segments with their revenue; "
                               "the whale curve of revenue"),
    "customer-value": N_("the purchase model's holdout check; each customer's lifetime value "
                         "(BG/NBD and gamma-gamma), its distribution and deciles; customer "
                         "equity, also by acquisition channel; the valuable customers probably "
                         "lost, for a win-back list"),
    "segment-one-pager": N_("one page of figures for a part of the base (a region, segment, "
                            "tier or channel; with --by, one page per value and an index that "
                            "sets them side by side): customers, activity, revenue, its trend "
                            "and its categories"),
    "program-evaluation": N_("from a pilot panel (members by month, enrolled or not): the "
                             "program's effect on orders and revenue with its interval, and "
                             "whether it pays, its ROI in lifetime value"),
}
#: Each template's title, on its page and in the browser's tab.
TITLES = {"customer-base-health": N_("Customer base health"),
          "customer-value": N_("Customer value"),
          "segment-one-pager": N_("One page on the customer base"),
          "program-evaluation": N_("Program evaluation")}
#: Parameters render() sets itself; a user passes the others with parameters= (-p).
_RENDER_SETS = ("data_path", "columns", "source_label", "show_ids", "output_dir", "run_date",
                "query", "language")
_DUCKDB_SUFFIXES = (".duckdb", ".db", ".ddb")


class ReportFailed(DataError):
    """A template stopped: the message names the template, the cell and the error.

    ``reason`` is the error alone (e.g. ``"DataError: No customer bought..."``)
    and ``partial`` the notebook kept for diagnosis.
    """

    def __init__(self, message: str, reason: str = "", partial: Path | None = None) -> None:
        super().__init__(message)
        self.reason, self.partial = reason or message, partial


@dataclass(frozen=True)
class ReportRun:
    """What :func:`render` wrote for one report."""

    template: str
    notebook: Path
    html: Path
    files: tuple[Path, ...]


def _local_kernel_manager() -> type:
    """A kernel that talks over local sockets, not TCP: the analyst's data stay on the machine
    (and ipykernel has nothing to warn about unencrypted TCP)."""
    from jupyter_client.manager import KernelManager

    class LocalKernelManager(KernelManager):
        def __init__(self, **options: Any) -> None:
            options.setdefault("transport", "ipc")
            super().__init__(**options)

    return LocalKernelManager


def _template_path(name: str) -> Path:
    if name not in TEMPLATES:
        raise DataError(_("There is no report template {name!r}. Templates: {templates} "
                          "(relmark report --list describes them).").format(
                              name=name, templates=", ".join(TEMPLATES)))
    return TEMPLATE_DIR / f"{name.replace('-', '_')}.ipynb"


def title(template: str) -> str:
    """A template's title in the language in use, as its page and the browser's tab show it.

    Examples
    --------
    >>> title("customer-value")
    'Customer value'
    """
    return _(TITLES[template])


def _title(template: str, source: str) -> str:
    """The browser tab's title: the report's name and its data."""
    return f"{title(template)} ({source})"


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise DataError(_("A report can be written in {languages}, not {language!r}.").format(
            languages=" or ".join(map(repr, LANGUAGES)), language=language))
    return language


def _edition(path: Path, stem: str, language: str, work: Path) -> Path:
    """The template to run: itself in English, else its translated edition in ``work``
    (narrative from ``locale/<language>/templates/<stem>.po``; the code is the same)."""
    if language == "en":
        return path
    import nbformat

    from relmark_lab.i18n.notebooks import translate_notebook

    edition = translate_notebook(nbformat.read(path, as_version=4), f"templates/{stem}",
                                 language)
    target = work / f"{stem}.{language}.ipynb"
    nbformat.write(edition, target)
    return target


def list_templates() -> pd.DataFrame:
    """The templates with what they show and the parameters a user may set.

    Examples
    --------
    >>> list_templates()["template"].tolist()
    ['customer-base-health', 'customer-value', 'segment-one-pager', 'program-evaluation']
    """
    from relmark_lab.lessons import lesson_parameters

    rows = [{"template": name, "shows": _(shows),
             "parameters": ", ".join(p for p in lesson_parameters(_template_path(name))
                                     if p not in _RENDER_SETS)}
            for name, shows in TEMPLATES.items()]
    return pd.DataFrame(rows)


def _source(data: Any, query: str | None, work: Path, *, in_engine: bool = False
            ) -> tuple[str, str]:
    """The path the template reads, and how the report's header names the source.

    A DuckDB query's rows are copied to Parquet for pandas, unless ``in_engine``:
    then the query is checked and the template runs it in DuckDB itself.
    """
    if isinstance(data, pd.DataFrame):
        path = work / "data.parquet"
        try:
            data.to_parquet(path)
        except (TypeError, ValueError, ImportError) as exc:  # e.g. pyarrow's ArrowTypeError
            raise DataError(_("The DataFrame could not be handed to the template as Parquet "
                              "({error}). A column probably mixes numbers and text: convert "
                              "it with .astype(str) first.").format(
                                  error=f"{type(exc).__name__}: "
                                        f"{str(exc).splitlines()[0][:160]}")) from exc
        return str(path), _("a pandas DataFrame ({rows:,} rows)").format(rows=len(data))
    if not isinstance(data, (str, Path)):
        raise DataError(_("data must be a DataFrame, a file or a DuckDB database, not a "
                          "{kind}.").format(kind=type(data).__name__))
    path = Path(data)
    if not path.exists():
        raise DataError(_("File not found: '{path}'. Check the path (the current folder is "
                          "'{folder}').").format(path=path, folder=Path.cwd()))
    if path.suffix.lower() in _DUCKDB_SUFFIXES:
        if not query:
            raise DataError(_("'{name}' is a DuckDB database: pass the rows to report on as "
                              "a query, e.g. --query \"select * from sales\".").format(
                                  name=path.name))
        import duckdb

        label = _("DuckDB database {name}, query: {query}").format(name=path.name, query=query)
        if in_engine:
            from relmark_lab.engines import engine_table

            engine_table(path, query=query).schema()  # a query that fails is one sentence now
            return str(path.resolve()), label
        try:
            with duckdb.connect(str(path), read_only=True) as connection:
                frame = connection.execute(query).df()
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0]
            raise DataError(_("The query on '{name}' failed: {error}").format(
                name=path.name, error=first)) from exc
        target = work / "query.parquet"
        frame.to_parquet(target)
        return str(target), label
    if query:
        raise DataError(_("query= is for a DuckDB database; '{name}' is a file read as it "
                          "is. Leave the query out.").format(name=path.name))
    return str(path.resolve()), path.name


def render(template: str, data: Any, *, columns: Mapping[str, str] | None = None,
           parameters: Mapping[str, Any] | None = None, query: str | None = None,
           output: str | Path = "reports/analyses", show_ids: bool = False,
           source_label: str | None = None, progress: bool = False,
           language: str | None = None) -> ReportRun:
    """Run a report template on the analyst's data and write the notebook, HTML and CSV files.

    Parameters
    ----------
    template : str
        One of :data:`TEMPLATES` (``relmark report --list``).
    data : pandas.DataFrame, path
        The transactions: a DataFrame, a file ``read_transactions`` reads, or
        a DuckDB database (with ``query``).
    columns : dict, optional
        ``read_transactions``' mapping, canonical name -> your column name.
    parameters : dict, optional
        The template's parameters (``list_templates`` names them), e.g.
        ``{"observation_end": "2025-12-31", "currency": "GBP"}``.
    query : str, optional
        SQL that selects the rows of a DuckDB ``data``.
    output : path, default "reports/analyses"
        Folder for the report's files.
    show_ids : bool, default False
        Show real customer ids in the HTML (off: keyed pseudonyms).
    source_label : str, optional
        How the page names the data (default: the file, or "a pandas
        DataFrame (n rows)").
    progress : bool, default False
        A progress bar (tqdm) over the template's cells, for a long report.
    language : {"en", "es"}, optional
        The report's language: its narrative from the template's catalog
        (``locale/<language>/templates/``), its labels and messages from the
        package's. Default: ``parameters["language"]``, else the kit's
        setting (:func:`relmark_lab.i18n.get_language`). The figures and
        the CSV files are the same in every language.

    Returns
    -------
    ReportRun

    Raises
    ------
    DataError
        Unknown template or parameter, a source that cannot be read;
        :class:`ReportFailed` when the template stops on the data.
    """
    import papermill as pm

    from relmark_lab.lessons import lesson_parameters, render_html

    path = _template_path(template)
    declared = lesson_parameters(path)
    given = dict(parameters or {})
    language = _language(language or given.pop("language", None) or get_language())
    unknown = [name for name in given if name not in declared or name in _RENDER_SETS]
    if unknown:
        allowed = [p for p in declared if p not in _RENDER_SETS]
        raise DataError(_("The template {template!r} has no parameter {unknown}. Its "
                          "parameters: {allowed}.").format(
                              template=template, unknown=", ".join(map(repr, unknown)),
                              allowed=", ".join(allowed)))
    folder = Path(output)
    work = folder / ".work"
    work.mkdir(parents=True, exist_ok=True)
    engine = "query" in declared  # the template runs a DuckDB query itself (the engine path)
    data_path, label = _source(data, query, work, in_engine=engine)
    label = source_label or label
    stem = template.replace("-", "_")
    source = _edition(path, stem, language, work)
    injected = {**given, "language": language, "data_path": data_path,
                "columns": dict(columns or {}),
                "source_label": label, "show_ids": bool(show_ids),
                "output_dir": str(folder.resolve()), "run_date": dt.date.today().isoformat(),
                **({"query": query if Path(data_path).suffix.lower() in _DUCKDB_SUFFIXES
                    else None} if engine else {})}
    partial = work / f"{stem}.ipynb"
    started = time.time() - 1  # files the template writes from now on are this report's
    try:
        pm.execute_notebook(str(source), str(partial), parameters=injected, kernel_name="python3",
                            cwd=str(folder), progress_bar=progress,
                            kernel_manager_class=_local_kernel_manager())
    except pm.PapermillExecutionError as error:
        failed = folder / f"{stem}.failed.ipynb"
        os.replace(partial, failed)
        shutil.rmtree(work, ignore_errors=True)  # the copy of the data goes with it
        reason = f"{error.ename}: {str(error.evalue).rstrip('. ')}"
        raise ReportFailed(_("The report {template!r} stopped in cell {cell}: {reason}. The "
                             "partial notebook is {partial}.").format(
                                 template=template, cell=error.exec_count, reason=reason,
                                 partial=failed), reason=reason, partial=failed) from None
    notebook = folder / f"{stem}.ipynb"
    os.replace(partial, notebook)
    page = work / f"{stem}.html"
    with speaking(language):  # the tab's title in the report's language
        tab = _title(template, label)
    render_html(notebook, page, hide_code=True, drop_tags=("parameters", "injected-parameters"),
                offline=True, title=tab, language=language)
    html = folder / f"{stem}.html"
    os.replace(page, html)
    shutil.rmtree(work, ignore_errors=True)  # a copy of the data must not stay behind
    written = sorted(p for p in folder.glob(f"{stem}_*.csv") if p.stat().st_mtime >= started)
    return ReportRun(template, notebook, html, tuple(written))
