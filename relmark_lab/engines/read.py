"""``read_transactions`` where the lines live: the ledger counted in the engine.

:func:`read_lines` applies the reader's row rules (:data:`~relmark_lab.data.DROP_REASONS`,
in their order; the first a row breaks is its reason) as one ``CASE`` per
row, counts the reasons with one query, and returns the kept lines as a
lazy Ibis table in the kit's names, which every engine-aware stage takes,
with a :class:`~relmark_lab.data.Ledger` whose rows add up. Options that
only make sense for text exports (``dayfirst``, ``decimal``, ``encoding``...)
are the pandas reader's; an engine's columns carry their types.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ibis
import pandas as pd

from relmark_lab._ids import NA_TOKENS
from relmark_lab._time import observation_end_day
from relmark_lab._validate import LARGEST_AMOUNT
from relmark_lab.data.columns import CANONICAL_COLUMNS, NUMERIC_OPTIONAL, resolve_columns
from relmark_lab.data.ledger import DROP_REASONS, Ledger
from relmark_lab.engines.sources import engine_table, fetch, is_engine_source
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["read_lines", "read_transactions_in_engine"]

_EPOCH = pd.Timestamp("1970-01-01")


def _text(column: Any) -> Any:
    text = column.cast("string").strip()
    return ibis.ifelse((text == "") | text.isin(list(NA_TOKENS)), ibis.null("string"), text)


def _number(column: Any, dtype: Any) -> Any:
    return column.cast("float64") if dtype.is_numeric() else _text(column).try_cast("float64")


def _timestamp(column: Any, dtype: Any) -> Any:
    if dtype.is_timestamp() and dtype.timezone is not None:
        raise DataError(_("transactions: column 'date' holds instants with a time zone; the "
                          "kit counts days on the business's clock. Convert them in the query, "
                          "e.g. timezone('America/Mexico_City', InvoiceDate) as date."))
    if dtype.is_timestamp():
        return column
    if dtype.is_date():
        return column.cast("timestamp")
    return _text(column).try_cast("timestamp")


def read_lines(source: Any, columns: Mapping[str, str] | None = None, *,
               observation_end: Any = None, test_customer_pattern: str | None = None,
               non_product: Mapping[str, Any] | None = None, drop_duplicates: bool = False,
               drop_zero_amounts: bool = False, keep_rejected: int = 0,
               currency: str | None = None, source_label: str | None = None
               ) -> tuple[Any, Ledger]:
    """Read an engine source into the kit's lines, with the ledger counted in the engine.

    Parameters
    ----------
    source : engine source
        Anything :func:`~relmark_lab.engines.engine_table` reads.
    columns, observation_end, test_customer_pattern, non_product, drop_duplicates,
    drop_zero_amounts, currency
        As in :func:`relmark_lab.read_transactions`.
    keep_rejected : int, default 0
        Fetch up to this many dropped rows into ``ledger.rejected`` (with
        their reason), to look at them.
    source_label : str, optional
        How the ledger names the source.

    Returns
    -------
    lines : ibis Table
        The kept lines: ``customer_id`` and ``order_id`` as text, ``date``
        (timestamp), ``amount`` and the numeric optional columns as float,
        ``category`` as text. Nothing runs until a stage aggregates it.
    ledger : Ledger

    Examples
    --------
    >>> raw = ibis.memtable({"Cliente": ["a", None, "b"], "date": ["2024-01-01"] * 3,
    ...                      "amount": [5.0, 2.0, 0.0]})
    >>> lines, ledger = read_lines(raw, {"customer_id": "Cliente"})
    >>> ledger.rows_in, ledger.rows_kept, ledger.dropped
    (3, 2, {'missing customer_id': 1})
    """
    table = engine_table(source)
    mapping = resolve_columns(list(table.columns), columns)
    if "amount" not in mapping:
        raise DataError(_("The engine reader needs an amount column; compute it in the query "
                          "(e.g. Quantity * UnitPrice as amount)."))
    schema = table.schema()
    canonical = {
        "customer_id": _text(table[mapping["customer_id"]]),
        "date": _timestamp(table[mapping["date"]], schema[mapping["date"]]),
        "amount": _number(table[mapping["amount"]], schema[mapping["amount"]]),
    }
    for name in CANONICAL_COLUMNS[3:]:
        if name in mapping:
            column = table[mapping[name]]
            canonical[name] = (_number(column, schema[mapping[name]])
                               if name in NUMERIC_OPTIONAL else _text(column))
    raw = {name: table[source_name] for name, source_name in mapping.items()}
    rules, off = _rules(table, canonical, raw, observation_end, test_customer_pattern,
                        non_product, drop_duplicates, drop_zero_amounts)
    reason = ibis.cases(*[(condition, label) for label, condition in rules],
                        else_=ibis.null("string"))
    judged = table.mutate(_reason=reason, **{f"_{k}": v for k, v in canonical.items()})
    counts = fetch(judged.group_by("_reason").aggregate(rows=judged.count()))
    dropped = {label: int(counts.loc[counts["_reason"] == label, "rows"].sum())
               for label in DROP_REASONS}
    dropped = {label: n for label, n in dropped.items() if n}
    kept_rows = int(counts.loc[counts["_reason"].isna(), "rows"].sum())
    rejected = pd.DataFrame(columns=["source_row", "reason"])
    if keep_rejected and dropped:
        sample = fetch(judged.filter(judged._reason.notnull()).limit(int(keep_rejected))
                       .select("_reason", *table.columns))
        rejected = sample.rename(columns={"_reason": "reason"}).assign(source_row=pd.NA)
    ledger = Ledger(source_label or _("an engine source"),
                    rows_in=kept_rows + sum(dropped.values()),
                    rows_kept=kept_rows, dropped=dropped, rejected=rejected,
                    notes=[_("Counted in the engine; the dropped rows are not numbered (pass "
                             "keep_rejected=N to look at N of them).")] if dropped else [],
                    rules_off=tuple(off), currency=currency)
    ledger.check()
    kept = judged.filter(judged._reason.isnull())
    lines = kept.select(**{name: kept[f"_{name}"] for name in canonical})
    return lines, ledger


def _rules(table: Any, canonical: dict, raw: dict, observation_end: Any,
           test_pattern: str | None, non_product: Mapping[str, Any] | None,
           drop_duplicates: bool, drop_zero: bool) -> tuple[list, list[str]]:
    """The reader's rules as (reason, condition) in DROP_REASONS order, and those left off."""
    amount, date = canonical["amount"], canonical["date"]
    rules: list[tuple[str, Any]] = []
    off: list[str] = []
    if drop_duplicates:
        copy = ibis.row_number().over(group_by=list(table.columns))
        rules.append(("exact duplicate", copy > 0))
    else:
        off.append("exact duplicate")
    rules.append(("missing customer_id", canonical["customer_id"].isnull()))
    if test_pattern:
        rules.append(("test customer", canonical["customer_id"].re_search(test_pattern)))
    else:
        off.append("test customer")
    if non_product:
        rules.append(("non-product line", _non_product(table, non_product)))
    else:
        off.append("non-product line")
    rules.append(("missing date", raw["date"].isnull() | _is_blank(raw["date"])))
    rules.append(("unparseable date", date.isnull()))
    if observation_end is not None:
        end = observation_end_day(observation_end)
        rules.append(("after observation end", date.date() > end.date()))
    else:
        off.append("after observation end")
    rules.append(("missing amount", raw["amount"].isnull() | _is_blank(raw["amount"])))
    rules.append(("non-numeric amount", amount.isnull()))
    rules.append(("non-finite amount", amount.isnan() | amount.isinf()
                  | (amount.abs() > LARGEST_AMOUNT)))
    if drop_zero:
        rules.append(("zero amount", amount == 0))
    else:
        off.append("zero amount")
    return rules, off


def _is_blank(column: Any) -> Any:
    if column.type().is_string():
        text = column.strip()
        return (text == "") | text.isin(list(NA_TOKENS))
    return ibis.literal(False)


def _non_product(table: Any, rule: Mapping[str, Any]) -> Any:
    if not isinstance(rule, Mapping) or len(rule) != 1:
        raise DataError(_('non_product must be one column and its codes or a regular '
                          'expression, e.g. {{"StockCode": ["POST", "M"]}}.').format())
    ((name, codes),) = rule.items()
    if name not in table.columns:
        raise DataError(_("non_product names the column {column!r}, which the source does not "
                          "have. Its columns: {columns}.")
                        .format(column=name, columns=", ".join(map(repr, table.columns))))
    text = table[name].cast("string").strip()
    if isinstance(codes, str):
        return text.re_search(codes).fill_null(False)
    if isinstance(codes, Sequence):
        return text.isin([str(c).strip() for c in codes]).fill_null(False)
    raise DataError(_('non_product must be one column and its codes or a regular '
                      'expression, e.g. {{"StockCode": ["POST", "M"]}}.').format())


#: Options of text exports, which an engine's typed columns do not need.
_TEXT_OPTIONS = ("dayfirst", "date_format", "decimal", "cancellation_prefix",
                 "cancellation_flag", "timezone", "encoding", "delimiter")


def read_transactions_in_engine(source: Any, columns: Mapping[str, str] | None,
                                given: dict[str, Any]) -> tuple[Any, Ledger]:
    """read_transactions for an engine source: the same rules, counted in the engine."""
    if not is_engine_source(source):
        raise DataError(_("read_transactions() needs a pandas DataFrame, the path of a file or "
                          "an engine table, not a {kind}.").format(kind=type(source).__name__))
    used = [name for name in _TEXT_OPTIONS if given.get(name) is not None]
    if used:
        raise DataError(_("{options} read text exports; an engine's columns carry their "
                          "types. Leave it out, or convert the column in the query.")
                        .format(options=", ".join(used)))
    return read_lines(source, columns, observation_end=given["observation_end"],
                      test_customer_pattern=given["test_customer_pattern"],
                      non_product=given["non_product"],
                      drop_duplicates=given["drop_duplicates"],
                      drop_zero_amounts=given["drop_zero_amounts"],
                      currency=given["currency"])
