"""One report per value of a column (region, segment, channel), and an index that compares them.

:func:`render_by` reads the source once, splits the transactions by the
values of ``by`` and renders the template for each part into
``<output>/by_<column>/<value>/``; a value whose report fails is named, the
others are still written. ``index.html`` links every report and sets the
parts side by side (customers, lines, net revenue), every value HTML-escaped.

Examples
--------
>>> import tempfile
>>> import pandas as pd
>>> lines = pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"], "amount": [5.0]})
>>> render_by("customer-base-health", lines, "region", output=tempfile.mkdtemp(),
...           progress=False)
Traceback (most recent call last):
...
relmark_lab.errors.DataError: --by names the column 'region', which the transactions do not \
have. Columns: 'customer_id', 'date', 'amount'.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relmark_lab.errors import DataError
from relmark_lab.reports.render import ReportFailed, ReportRun, _source, render

__all__ = ["BatchRun", "render_by"]


@dataclass(frozen=True)
class BatchRun:
    """What :func:`render_by` wrote: the reports, the values that failed, and the index."""

    index: Path
    runs: dict[str, ReportRun]
    failed: dict[str, str]


def _slug(value: str, taken: set[str]) -> str:
    """A folder name for a value: letters, digits and dashes, unique within the batch."""
    base = re.sub(r"[^0-9A-Za-z]+", "-", value).strip("-").lower() or "value"
    slug, k = base, 2
    while slug in taken:
        slug, k = f"{base}-{k}", k + 1
    taken.add(slug)
    return slug


def render_by(template: str, data: Any, by: str, *, columns: Mapping[str, str] | None = None,
              parameters: Mapping[str, Any] | None = None, query: str | None = None,
              output: str | Path = "reports/analyses", show_ids: bool = False,
              progress: bool = True) -> BatchRun:
    """Render ``template`` once per value of the column ``by``, and an index of them.

    Parameters
    ----------
    template, data, columns, query, output, show_ids
        As in :func:`~relmark_lab.reports.render`.
    by : str
        A column of the transactions (after ``columns``), e.g. ``"region"``.
    parameters : dict, optional
        The template's parameters; ``read_options`` apply to the one reading.
    progress : bool, default True
        A progress bar (tqdm) over the values.

    Returns
    -------
    BatchRun
    """
    from tqdm.auto import tqdm

    import relmark_lab as rl

    given = dict(parameters or {})
    options = given.pop("read_options", {}) or {}
    folder = Path(output) / f"by_{_slug(by, set())}"
    folder.mkdir(parents=True, exist_ok=True)
    work = folder / ".work"
    work.mkdir(exist_ok=True)
    data_path, label = _source(data, query, work)  # a DuckDB query's rows, a DataFrame: Parquet
    transactions, _ = rl.read_transactions(data_path, columns or None, **options)
    shutil.rmtree(work, ignore_errors=True)
    if by not in transactions.columns:
        raise DataError(f"--by names the column {by!r}, which the transactions do not have. "
                        f"Columns: {', '.join(map(repr, transactions.columns))}.")
    values = transactions[by].astype("str").fillna("(missing)")
    runs, failed, rows, taken = {}, {}, [], set()
    for value in tqdm(sorted(values.unique()), desc=f"{template} by {by}", disable=not progress):
        part = transactions[values == value].reset_index(drop=True)
        slug = _slug(value, taken)
        try:
            runs[value] = render(template, part, parameters=given, output=folder / slug,
                                 show_ids=show_ids, source_label=f"{label}, {by} = {value}")
        except ReportFailed as failure:
            failed[value] = str(failure)
        rows.append({"value": value, "folder": slug, "customers": part["customer_id"].nunique(),
                     "lines": len(part), "net_revenue": part["amount"].sum()})
    index = folder / "index.html"
    index.write_text(_index_page(template, by, rows, runs, failed), encoding="utf-8")
    return BatchRun(index, runs, failed)


def _index_page(template: str, by: str, rows: list[dict], runs: dict[str, ReportRun],
                failed: dict[str, str]) -> str:
    """The batch's index: one row per value, a link to its report, the parts side by side."""
    lines = []
    for row in rows:
        value = row["value"]
        if value in runs:
            link = (f'<a href="{html.escape(row["folder"])}/{runs[value].html.name}">'
                    f"{html.escape(value)}</a>")
        else:
            link = f"{html.escape(value)} (failed: {html.escape(failed.get(value, ''))})"
        lines.append(f"<tr><td>{link}</td><td>{row['customers']:,}</td><td>{row['lines']:,}"
                     f"</td><td>{row['net_revenue']:,.0f}</td></tr>")
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{html.escape(template)} by {html.escape(by)}</title></head><body>"
            f"<h1>{html.escape(template)}, one report per {html.escape(by)}</h1>"
            "<table border='1' cellpadding='4'><tr><th>value</th><th>customers</th>"
            "<th>lines</th><th>net revenue</th></tr>" + "".join(lines) + "</table>"
            + (f"<p>{len(failed)} report(s) failed.</p>" if failed else "")
            + "</body></html>")
