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

__all__ = ["TEMPLATES", "ReportFailed", "ReportRun", "list_templates", "render"]

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
#: Template name -> what it shows.
TEMPLATES = {
    "customer-base-health": "what was read, kept and dropped (the ledger); customers by status "
                            "and lifecycle stage; RFM segments with their revenue; the whale "
                            "curve of revenue",
    "customer-value": "the purchase model's holdout check; each customer's lifetime value "
                      "(BG/NBD and gamma-gamma), its distribution and deciles; customer "
                      "equity, also by acquisition channel; the valuable customers probably "
                      "lost, for a win-back list",
    "segment-one-pager": "one page of figures for a part of the base (a region, segment, "
                         "tier or channel; with --by, one page per value and an index that "
                         "sets them side by side): customers, activity, revenue, its trend "
                         "and its categories",
    "program-evaluation": "from a pilot panel (members by month, enrolled or not): the "
                          "program's effect on orders and revenue with its interval, and "
                          "whether it pays, its ROI in lifetime value",
}
#: Parameters render() sets itself; a user passes the others with parameters= (-p).
_RENDER_SETS = ("data_path", "columns", "source_label", "show_ids", "output_dir", "run_date",
                "query")
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
        raise DataError(f"There is no report template {name!r}. Templates: "
                        f"{', '.join(TEMPLATES)} (relmark report --list describes them).")
    return TEMPLATE_DIR / f"{name.replace('-', '_')}.ipynb"


def _title(template: str, source: str) -> str:
    """The browser tab's title: the report's name and its data."""
    return f"{template.replace('-', ' ').capitalize()} ({source})"


def list_templates() -> pd.DataFrame:
    """The templates with what they show and the parameters a user may set.

    Examples
    --------
    >>> list_templates()["template"].tolist()
    ['customer-base-health', 'customer-value', 'segment-one-pager', 'program-evaluation']
    """
    from relmark_lab.lessons import lesson_parameters

    rows = [{"template": name, "shows": shows,
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
            raise DataError(f"The DataFrame could not be handed to the template as Parquet "
                            f"({type(exc).__name__}: {str(exc).splitlines()[0][:160]}). A "
                            "column probably mixes numbers and text: convert it with "
                            ".astype(str) first.") from exc
        return str(path), f"a pandas DataFrame ({len(data):,} rows)"
    if not isinstance(data, (str, Path)):
        raise DataError(f"data must be a DataFrame, a file or a DuckDB database, not a "
                        f"{type(data).__name__}.")
    path = Path(data)
    if not path.exists():
        raise DataError(f"File not found: '{path}'. Check the path (the current folder is "
                        f"'{Path.cwd()}').")
    if path.suffix.lower() in _DUCKDB_SUFFIXES:
        if not query:
            raise DataError(f"'{path.name}' is a DuckDB database: pass the rows to report on "
                            "as a query, e.g. --query \"select * from sales\".")
        import duckdb

        label = f"DuckDB database {path.name}, query: {query}"
        if in_engine:
            from relmark_lab.engines import engine_table

            engine_table(path, query=query).schema()  # a query that fails is one sentence now
            return str(path.resolve()), label
        try:
            with duckdb.connect(str(path), read_only=True) as connection:
                frame = connection.execute(query).df()
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0]
            raise DataError(f"The query on '{path.name}' failed: {first}") from exc
        target = work / "query.parquet"
        frame.to_parquet(target)
        return str(target), label
    if query:
        raise DataError(f"query= is for a DuckDB database; '{path.name}' is a file read as it "
                        "is. Leave the query out.")
    return str(path.resolve()), path.name


def render(template: str, data: Any, *, columns: Mapping[str, str] | None = None,
           parameters: Mapping[str, Any] | None = None, query: str | None = None,
           output: str | Path = "reports/analyses", show_ids: bool = False,
           source_label: str | None = None, progress: bool = False) -> ReportRun:
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
    unknown = [name for name in given if name not in declared or name in _RENDER_SETS]
    if unknown:
        allowed = [p for p in declared if p not in _RENDER_SETS]
        raise DataError(f"The template {template!r} has no parameter "
                        f"{', '.join(map(repr, unknown))}. Its parameters: "
                        f"{', '.join(allowed)}.")
    folder = Path(output)
    work = folder / ".work"
    work.mkdir(parents=True, exist_ok=True)
    engine = "query" in declared  # the template runs a DuckDB query itself (the engine path)
    data_path, label = _source(data, query, work, in_engine=engine)
    label = source_label or label
    stem = template.replace("-", "_")
    injected = {**given, "data_path": data_path, "columns": dict(columns or {}),
                "source_label": label, "show_ids": bool(show_ids),
                "output_dir": str(folder.resolve()), "run_date": dt.date.today().isoformat(),
                **({"query": query if Path(data_path).suffix.lower() in _DUCKDB_SUFFIXES
                    else None} if engine else {})}
    partial = work / f"{stem}.ipynb"
    started = time.time() - 1  # files the template writes from now on are this report's
    try:
        pm.execute_notebook(str(path), str(partial), parameters=injected, kernel_name="python3",
                            cwd=str(folder), progress_bar=progress,
                            kernel_manager_class=_local_kernel_manager())
    except pm.PapermillExecutionError as error:
        failed = folder / f"{stem}.failed.ipynb"
        os.replace(partial, failed)
        shutil.rmtree(work, ignore_errors=True)  # the copy of the data goes with it
        reason = f"{error.ename}: {str(error.evalue).rstrip('. ')}"
        raise ReportFailed(f"The report {template!r} stopped in cell {error.exec_count}: "
                           f"{reason}. The partial notebook is {failed}.", reason=reason,
                           partial=failed) from None
    notebook = folder / f"{stem}.ipynb"
    os.replace(partial, notebook)
    page = work / f"{stem}.html"
    render_html(notebook, page, hide_code=True, drop_tags=("parameters", "injected-parameters"),
                offline=True, title=_title(template, label))
    html = folder / f"{stem}.html"
    os.replace(page, html)
    shutil.rmtree(work, ignore_errors=True)  # a copy of the data must not stay behind
    written = sorted(p for p in folder.glob(f"{stem}_*.csv") if p.stat().st_mtime >= started)
    return ReportRun(template, notebook, html, tuple(written))
