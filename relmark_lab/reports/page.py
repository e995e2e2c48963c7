"""What every report page starts with, and how it shows customers: the shared parts of templates.

A report's first cell calls :func:`header` (the data source, the run date,
the kit's version and the parameters, all HTML-escaped); tables of
customers go through :func:`customer_view`, which puts pseudonyms in place
of ids unless the analyst asked for them, and :func:`money` writes amounts
with thousands separators and the currency, on a page and (:func:`money_axis`)
on a figure's axis.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd

from relmark_lab.i18n import N_, display_value
from relmark_lab.i18n import gettext as _
from relmark_lab.reports.privacy import pseudonymize

__all__ = ["COLUMN_NAMES", "OFFLINE_POLICY", "customer_view", "for_page", "header",
           "lines_kept", "money", "money_axis", "read_source"]

#: The Content-Security-Policy of every shared page: no script, nothing from the network
#: (images are inline data). ``render_html(offline=True)`` puts it on report pages.
OFFLINE_POLICY = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
                  "img-src data:; style-src 'unsafe-inline'; font-src data:; script-src 'none'; "
                  "base-uri 'none'; form-action 'none'\">")


def header(title: str, source: str, parameters: Mapping[str, Any], run_date: str) -> str:
    """The report's heading as HTML: title, source, date, kit version, parameters (escaped).

    Examples
    --------
    >>> page = header("Health", "<b>x.csv</b>", {"currency": "GBP"}, "2026-12-01")
    >>> "&lt;b&gt;x.csv&lt;/b&gt;" in page and "<b>x.csv</b>" not in page
    True
    """
    from relmark_lab import __version__

    defaults = _("(defaults)")
    shown = "".join(f"<li><code>{html.escape(str(k))}</code> = {html.escape(repr(v))}</li>"
                    for k, v in parameters.items()) or f"<li>{defaults}</li>"
    data = _("<b>Data:</b> {source}").format(source=html.escape(source))
    run = _("<b>Run on:</b> {date} with relmark-lab {version}").format(
        date=html.escape(run_date), version=html.escape(__version__))
    summary = _("Parameters")
    return (f"<h1>{html.escape(title)}</h1><p>{data}<br>{run}</p>"
            f"<details><summary>{summary}</summary><ul>{shown}</ul></details>")


def lines_kept(ledger: Any, start: Any, end: Any) -> str:
    """One sentence for a page: how many lines were kept, why the others were dropped, and
    the window observed.

    Examples
    --------
    >>> from relmark_lab.data.ledger import Ledger
    >>> ledger = Ledger(source="x.csv", rows_in=12, rows_kept=10,
    ...                 dropped={"missing customer_id": 2})
    >>> lines_kept(ledger, "2025-01-01", "2025-12-31")
    '<p>10 of 12 lines kept (2 missing customer_id); observed 2025-01-01 to 2025-12-31.</p>'
    """
    dropped = ", ".join(f"{count:,} {_(reason)}" for reason, count in ledger.dropped.items())
    sentence = _("{kept:,} of {read:,} lines kept ({dropped}); observed {start} to {end}.")
    return "<p>" + html.escape(sentence.format(
        kept=ledger.rows_kept, read=ledger.rows_in, dropped=dropped or _("none dropped"),
        start=start, end=end)) + "</p>"


#: How a page heads the columns of a per-customer table (the CSV files keep the names).
COLUMN_NAMES = {
    "customer_id": N_("customer"), "status": N_("status"), "stage": N_("stage"),
    "segment": N_("segment"), "days_since_last_purchase": N_("days since last purchase"),
    "r_score": N_("R score"), "f_score": N_("F score"), "m_score": N_("M score"),
    "net_revenue": N_("net revenue"), "frequency": N_("repeat purchases"),
    "p_alive": N_("P(alive)"), "clv": N_("lifetime value"), "orders": N_("orders"),
}
#: Columns that hold values the kit names (statuses, stages, segments): shown in the
#: page's language, kept as they are in the data.
_KIT_VALUES = ("status", "stage", "segment")


def for_page(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` as a page shows it: columns headed in words, the kit's values in the
    language in use (:func:`relmark_lab.i18n.display_value`); other columns as they are.

    Examples
    --------
    >>> for_page(pd.DataFrame({"customer_id": ["C-1"], "days_since_last_purchase": [3]}))
      customer  days since last purchase
    0      C-1                         3
    """
    shown = table.assign(**{column: table[column].map(display_value)
                            for column in _KIT_VALUES if column in table})
    return shown.rename(columns=lambda column: _(COLUMN_NAMES.get(column, column)))


def customer_view(table: pd.DataFrame, show_ids: bool, key: bytes | None = None
                  ) -> pd.DataFrame:
    """``table`` with ``customer_id`` as keyed pseudonyms (unless ``show_ids``), for a page.

    ``key`` defaults to the analyst's (:func:`~relmark_lab.reports.privacy.report_key`).

    Examples
    --------
    >>> frame = pd.DataFrame({"customer_id": ["C1"], "orders": [3]})
    >>> view = customer_view(frame, False, key=b"k")
    >>> bool(view["customer_id"].str.startswith("C-").all()), "C1" in view.to_string()
    (True, False)
    """
    if show_ids or "customer_id" not in table:
        return table
    return table.assign(customer_id=pseudonymize(table["customer_id"], key))


def money(value: float, currency: str | None) -> str:
    """An amount for a page: thousands separators, no decimals, and the currency.

    Examples
    --------
    >>> money(1234567.8, "GBP")
    '1,234,568 GBP'
    """
    return f"{value:,.0f}" + (f" {currency}" if currency else "")


def money_axis(ax: Any, axis: str, label: str, currency: str | None) -> None:
    """Label a figure's money axis with the currency and write its ticks with separators.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    axis : {"x", "y"}
    label : str
        What the axis measures, e.g. ``"net revenue"``.
    currency : str or None
        Added to the label; None says "currency of the data".

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> _, ax = plt.subplots()
    >>> money_axis(ax, "y", "net revenue", "MXN")
    >>> ax.get_ylabel(), ax.yaxis.get_major_formatter()(1234567, 0)
    ('net revenue (MXN)', '1,234,567')
    >>> plt.close("all")
    """
    from matplotlib.ticker import FuncFormatter

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda value, _position: f"{value:,.0f}"))
    unit = currency or _("currency of the data")
    target.set_label_text(f"{label} ({unit})")


def read_source(data_path: str, query: str | None, columns: Mapping[str, str] | None,
                currency: str | None, read_options: Mapping[str, Any]) -> tuple[Any, Any]:
    """A template's lines and ledger: a file read into pandas, or a DuckDB query run in
    DuckDB (the engine path: the lines stay there, a lazy Ibis table the stages aggregate).

    Examples
    --------
    >>> import tempfile, duckdb
    >>> database = tempfile.mkdtemp() + "/shop.duckdb"
    >>> with duckdb.connect(database) as connection:
    ...     _ = connection.execute("create table sales as select 'a' as customer_id, "
    ...                            "date '2025-01-01' as date, 5.0 as amount")
    >>> lines, ledger = read_source(database, "select * from sales", None, "MXN", {})
    >>> type(lines).__name__, ledger.rows_kept
    ('Table', 1)
    """
    import relmark_lab as rl

    source: Any = data_path
    if query:
        from relmark_lab.engines import engine_table

        source = engine_table(data_path, query=query)
    return rl.read_transactions(source, dict(columns or {}) or None, currency=currency,
                                **dict(read_options or {}))
