"""Analyst reports: parameterised templates run on the analyst's own data, fit to share.

``relmark report TEMPLATE --data SOURCE`` (or :func:`render`) runs a template
of :data:`TEMPLATES` with papermill and writes the executed notebook, a
standalone HTML page without code or parameters, and per-customer CSV
files; :func:`render_by` makes one report per value of a column (``--by
region``) and an index that compares them. Customer ids on the page are
keyed pseudonyms (:mod:`.privacy`);
the CSV files keep the real ids for the analyst's own systems.

Examples
--------
>>> from relmark_lab import reports
>>> "customer-base-health" in reports.TEMPLATES
True
"""

from __future__ import annotations

from relmark_lab.reports.batch import BatchRun, render_by
from relmark_lab.reports.files import save_csv, save_json
from relmark_lab.reports.page import (
    customer_view,
    for_page,
    header,
    lines_kept,
    money,
    money_axis,
    read_source,
)
from relmark_lab.reports.privacy import pseudonymize, report_key
from relmark_lab.reports.render import (
    TEMPLATES,
    TITLES,
    ReportFailed,
    ReportRun,
    list_templates,
    render,
    title,
)

__all__ = [
    "TEMPLATES",
    "TITLES",
    "BatchRun",
    "ReportFailed",
    "ReportRun",
    "customer_view",
    "for_page",
    "header",
    "lines_kept",
    "list_templates",
    "money",
    "money_axis",
    "pseudonymize",
    "read_source",
    "render",
    "render_by",
    "report_key",
    "save_csv",
    "save_json",
    "title",
]
