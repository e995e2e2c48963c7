"""One report per value of a column (region, segment, channel), and an index that compares them.

:func:`render_by` reads the source once, splits the transactions by the
values of ``by`` and renders the template for each part into
``<output>/by_<column>/<value>/``; a value whose report fails is named, the
others are still written. ``index.html`` links every report and sets the
parts side by side (customers, lines, net revenue, and the key figures a
template writes to ``<template>_figures.json``, as the segment one-pager
does), every value HTML-escaped.

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
import json
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relmark_lab.errors import DataError
from relmark_lab.i18n import N_, get_language, speaking
from relmark_lab.i18n import gettext as _
from relmark_lab.reports.files import save_text
from relmark_lab.reports.page import OFFLINE_POLICY, money
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
              progress: bool = True, language: str | None = None) -> BatchRun:
    """Render ``template`` once per value of the column ``by``, and an index of them.

    Parameters
    ----------
    template, data, columns, query, output, show_ids, language
        As in :func:`~relmark_lab.reports.render`; ``language`` is also the index's.
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

    if template == "program-evaluation":
        raise DataError(_("--by splits transactions; the program evaluation reads a pilot "
                          "panel. Filter the panel to one part and run the report on it."))
    given = dict(parameters or {})
    language = language or given.pop("language", None) or get_language()
    options = dict(given.pop("read_options", None) or {})  # for the one reading only
    folder = Path(output) / f"by_{_slug(by, set())}"
    folder.mkdir(parents=True, exist_ok=True)
    work = folder / ".work"
    work.mkdir(exist_ok=True)
    data_path, label = _source(data, query, work)  # a DuckDB query's rows, a DataFrame: Parquet
    transactions, _ledger = rl.read_transactions(data_path, columns or None, **options)
    shutil.rmtree(work, ignore_errors=True)
    if by not in transactions.columns:
        raise DataError(_("--by names the column {by!r}, which the transactions do not have. "
                          "Columns: {columns}.").format(
                              by=by, columns=", ".join(map(repr, transactions.columns))))
    values = transactions[by].astype("str").fillna(_("(missing)"))
    runs, failed, partials, rows, taken = {}, {}, {}, [], set()
    for value in tqdm(sorted(values.unique()), desc=f"{template} by {by}", disable=not progress):
        part = transactions[values == value].reset_index(drop=True)
        slug = _slug(value, taken)
        try:
            runs[value] = render(template, part, parameters=given, output=folder / slug,
                                 show_ids=show_ids, source_label=f"{label}, {by} = {value}",
                                 language=language)
        except ReportFailed as failure:
            failed[value] = str(failure)
            partials[value] = failure
        row = {"value": value, "folder": slug, "customers": part["customer_id"].nunique(),
               "lines": len(part), "net_revenue": float(part["amount"].sum())}
        if value in runs:
            row.update(_figures(runs[value]))
        rows.append(row)
    index = save_text(_index_page(template, by, rows, runs, partials, given.get("currency"),
                                  language), folder / "index.html")
    return BatchRun(index, runs, failed)


def _figures(run: ReportRun) -> dict[str, Any]:
    """The key figures a report wrote beside its page, if its template writes them."""
    path = run.html.with_name(f"{run.html.stem}_figures.json")
    if not path.exists():
        return {}
    return {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items()
            if k not in ("customers", "net_revenue")}  # the batch counts those itself


#: Key figures in money; the others are shares (``*_share``) or counts.
_MONEY = ("net_revenue", "revenue_per_customer", "average_order_value")
#: The index's column headings, by key figure (a figure without one shows its name).
HEADINGS = {"customers": N_("customers"), "lines": N_("lines"),
            "net_revenue": N_("net revenue"), "active_share": N_("active share"),
            "new_in_last_year": N_("new in last year"), "repeat_share": N_("repeat share"),
            "orders": N_("orders"), "revenue_per_customer": N_("revenue per customer"),
            "average_order_value": N_("average order value"),
            "top_fifth_revenue_share": N_("top fifth revenue share"),
            "returned_share": N_("returned share")}


def _cell(name: str, value: Any, currency: str | None) -> str:
    if value is None:
        return ""
    if name in _MONEY:
        return html.escape(money(value, currency))
    if name.endswith("_share"):
        return f"{value:.1%}"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def _index_page(template: str, by: str, rows: list[dict], runs: dict[str, ReportRun],
                failed: dict[str, ReportFailed], currency: str | None,
                language: str = "en") -> str:
    """The batch's index: one row per value, a link to its report, the parts side by side."""
    names = ["customers", "lines", "net_revenue"]
    names = list(dict.fromkeys(names + [k for row in rows for k in row
                                        if k not in ("value", "folder")]))
    with speaking(language):
        heading = "".join(f"<th>{html.escape(_(HEADINGS.get(n, n.replace('_', ' '))))}</th>"
                          for n in names)
        lines = []
        for row in rows:
            value = row["value"]
            if value in runs:
                link = (f'<a href="{html.escape(row["folder"])}/{runs[value].html.name}">'
                        f"{html.escape(value)}</a>")
            else:
                failure = failed[value]
                partial = _("partial notebook")
                kept = (f' (<a href="{html.escape(row["folder"])}/{failure.partial.name}">'
                        f"{partial}</a>)" if failure.partial else "")
                link = _("{value}: failed, {reason}{partial}").format(
                    value=html.escape(value), reason=html.escape(failure.reason), partial=kept)
            cells = "".join(f"<td>{_cell(n, row.get(n), currency)}</td>" for n in names)
            lines.append(f"<tr><td>{link}</td>{cells}</tr>")
        title = _("{template} by {by}").format(template=html.escape(template),
                                               by=html.escape(by))
        heading_1 = _("{template}, one report per {by}").format(
            template=html.escape(template), by=html.escape(by))
        failures = _("{count} report(s) failed.").format(count=len(failed)) if failed else ""
    return (f"<!DOCTYPE html><html lang='{language}'><head><meta charset='utf-8'>"
            f"{OFFLINE_POLICY}<title>{title}</title>"
            "<style>body{font-family:sans-serif;margin:2em} td,th{padding:4px 8px;"
            "text-align:right;white-space:nowrap} td:first-child,th:first-child{text-align:left;"
            "white-space:normal;max-width:28em} th{white-space:normal}"
            "table{border-collapse:collapse} tr:nth-child(even){background:#f4f4f4}</style>"
            "</head><body>"
            f"<h1>{heading_1}</h1>"
            f"<table><tr><th>{html.escape(by)}</th>{heading}</tr>" + "".join(lines)
            + "</table>"
            + (f"<p>{failures}</p>" if failures else "")
            + "</body></html>")
