"""Order lines in an engine, read by the kit's contract: ids, days, amounts, the window.

:class:`EngineLines` is the engine's side of :class:`relmark_lab._orders.ObservedLines`:
the same column rules (ids by :func:`relmark_lab._ids.as_ids`' rule, a line's
business day, finite amounts within :data:`~relmark_lab._validate.LARGEST_AMOUNT`),
checked in one aggregate query, and the same window (lines after the
observation end left out and counted). Problems raise the same kind of
sentence as the pandas path: the column, how many rows, an example value.

Examples
--------
>>> table = ibis.memtable({"customer_id": ["17850.0", "13047.0"], "amount": [5.0, 2.0],
...                        "date": ["2025-01-01 10:00", "2026-01-02"]})
>>> lines = EngineLines(table, "2025-12-31")
>>> lines.lines.to_pandas()[["customer_id", "day"]].to_dict("list")
{'customer_id': ['17850'], 'day': [20089]}
>>> lines.counts()
{'lines_after_end': 1, 'customers': 1}
"""

from __future__ import annotations

from typing import Any

import ibis
import pandas as pd

from relmark_lab._ids import NA_TOKENS
from relmark_lab._orders import LINE_NUMBERS
from relmark_lab._time import LINES_AFTER_END, NO_PURCHASE, OBSERVATION_END, observation_end_day
from relmark_lab._validate import LARGEST_AMOUNT, column_error
from relmark_lab.engines.sources import fetch
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = ["EngineLines"]

_REQUIRED = ("customer_id", "date", "amount")
_EPOCH = pd.Timestamp("1970-01-01")
#: A float id column written to text: every id reads like "17850.0".
_FLOAT_TEXT = r"^-?[0-9]+\.0+$"
_LONGEST_TOKEN = max(len(token) for token in NA_TOKENS)


def _text_ids(column: Any) -> Any:
    """Text ids: stripped, blank and "no value" spellings missing."""
    text = column.strip()
    return ibis.ifelse((text == "") | text.isin(list(NA_TOKENS)), ibis.null("string"), text)


def _untidy_text(column: Any) -> Any:
    """True for a text id :func:`_text_ids` could change: blank, a "no value" spelling, or
    padded. Only cheap tests, as every line of a lake runs them: a first or last character
    at or below the space flags padding, and only short ids are looked up among the
    spellings; the exact (slower) cleaning runs only when one is flagged."""
    short = column.length() <= _LONGEST_TOKEN
    spelled = ibis.ifelse(short, (column == "") | column.isin(list(NA_TOKENS)), False)
    padded = (column.ascii_str() <= 32) | (column.right(1).ascii_str() <= 32)
    return column.notnull() & (spelled | padded)


def _ids(column: Any, dtype: Any, name: str, clean: bool) -> Any:
    """An id column as text, by as_ids' rule for each value (text cleaned when ``clean``)."""
    if dtype.is_null():  # a column with no value at all
        return ibis.null("string")
    if dtype.is_integer():
        return column.cast("string")
    if dtype.is_floating():
        finite = ~column.isnan() & ~column.isinf()  # an infinite id names nobody
        return ibis.ifelse(finite, column.cast("int64").cast("string"), ibis.null("string"))
    if dtype.is_string():
        return _text_ids(column) if clean else column
    raise DataError(_("transactions: column '{column}' holds {dtype} values; ids must be text "
                      "or whole numbers. Cast it in the query.").format(column=name, dtype=dtype))


def _id_rule(raw: Any, text: Any, dtype: Any) -> Any:
    """as_ids' column-wide rule, true when it applies: every finite float id is whole (they
    read "42"), or every text id reads like "17850.0" (they lose the ".0")."""
    if dtype.is_floating():
        finite = ~raw.isnan() & ~raw.isinf()
        return (finite & ((raw != raw.floor()) | (raw.abs() >= 2**53))).sum() == 0
    if dtype.is_string():
        # the regex runs only on ids that could match (DuckDB evaluates a CASE lazily)
        could = text.endswith("0") & text.contains(".")
        return (text.notnull() & ibis.ifelse(could, ~text.re_search(_FLOAT_TEXT), True)
                ).sum() == 0
    return ibis.literal(False)


def _days(table: Any, timezone: Any) -> tuple[Any, Any]:
    """Each line's business day (days since 1970-01-01), and the parsed column."""
    column, dtype = table["date"], table.schema()["date"]
    if dtype.is_string():
        column = column.strip().try_cast("timestamp")
    elif dtype.is_date():
        column = column.cast("timestamp")
    elif not dtype.is_timestamp():
        raise DataError(_("transactions: column 'date' holds {dtype} values, not dates. Cast "
                          "it in the query, e.g. cast(InvoiceDate as timestamp).")
                        .format(dtype=dtype))
    elif dtype.timezone is not None:
        raise DataError(_("transactions: column 'date' holds instants with a time zone; the "
                          "kit counts days on the business's clock. Convert them in the query, "
                          "e.g. timezone('America/Mexico_City', InvoiceDate) as date."))
    return column.date().epoch_days(), column


class _LineOf:
    """A line named by its customer in a message, where an engine has no row labels."""

    def __init__(self, customer: Any) -> None:
        self.customer = customer

    def __repr__(self) -> str:
        return _("a line of customer {customer!r}").format(customer=self.customer)


class EngineLines:
    """The lines of an engine table inside the observation window, checked.

    Parameters
    ----------
    table : ibis.expr.types.Table
        With ``customer_id``, ``date`` and ``amount``, optionally ``order_id``.
    observation_end : date-like
        The last observed day (the whole day counts).
    timezone : str, optional
        As in the pandas path; a time-zoned ``date`` column is refused with a sentence.
    numbers : tuple of str, optional
        Numeric line columns to carry, checked as the pandas path checks them
        (among :data:`relmark_lab._orders.LINE_NUMBERS`: ``margin``,
        ``quantity``, ``days_late``...).

    Attributes
    ----------
    observation_end : pandas.Timestamp
    end_day : int
        Its day number (days since 1970-01-01).
    lines : ibis Table
        ``customer_id`` (text), ``day``, ``amount`` and ``order_id`` (text or null),
        and the ``numbers`` columns (float), the lines dated on or before the end.
    lines_after_end, customers_observed : int
    """

    def __init__(self, table: Any, observation_end: Any, *, timezone: Any = None,
                 numbers: tuple[str, ...] = ()) -> None:
        self.observation_end = observation_end_day(observation_end, timezone)
        self.end_day = int((self.observation_end - _EPOCH).days)
        missing = [c for c in _REQUIRED if c not in table.columns]
        if missing:
            raise DataError(_("Required column(s) {missing} not found. Columns found: "
                              "{found}. Say which column holds what with columns=, e.g. "
                              "columns={{\"date\": \"InvoiceDate\"}}.")
                            .format(missing=", ".join(map(repr, missing)),
                                    found=", ".join(map(repr, table.columns))))
        if not table.schema()["amount"].is_numeric():
            raise DataError(_("transactions: column '{column}' holds {dtype} values, not "
                              "numbers. Cast it in the query.")
                            .format(column="amount", dtype=table.schema()["amount"]))
        schema = table.schema()
        self.numbers = tuple(numbers)
        for column in self.numbers:
            if column not in table.columns:
                raise DataError(_("transactions: column '{column}' not found; it is needed "
                                  "here. Columns found: {found}.")
                                .format(column=column, found=", ".join(map(repr, table.columns))))
            if not schema[column].is_numeric() or schema[column].is_boolean():
                raise DataError(_("transactions: column '{column}' holds {dtype} values, not "
                                  "numbers. Cast it in the query.")
                                .format(column=column, dtype=schema[column]))
        self._types = (schema["customer_id"], schema["order_id"] if "order_id" in table.columns
                       else None)
        # Most exports hold tidy ids: they are read as they are, which spares every later
        # query a strip and a lookup per line. Untidy ones are cleaned by as_ids' rule.
        canonical = self._canonical(table, timezone, clean=False)
        found = self._counts(canonical)
        if int(found["untidy_customer"] or 0) or int(found["untidy_order"] or 0):
            canonical = self._canonical(table, timezone, clean=True)
            found = self._counts(canonical)
        self._checked = self._check(canonical, found)
        self.lines_after_end = int(found["after"] or 0)
        self._cut(self.end_day)

    def _canonical(self, table: Any, timezone: Any, *, clean: bool) -> Any:
        """The lines in the kit's columns and types, next to the raw values the checks name."""
        schema = table.schema()
        day, parsed = _days(table, timezone)
        has_order = "order_id" in table.columns
        return table.select(
            customer_id=_ids(table.customer_id, schema["customer_id"], "customer_id", clean),
            day=day, amount=table["amount"].cast("float64"),
            order_id=(_ids(table.order_id, schema["order_id"], "order_id", clean) if has_order
                      else ibis.null("string")),
            _raw_customer=table.customer_id,
            _raw_order=table.order_id if has_order else ibis.null("string"),
            _raw_date=table["date"], _parsed=parsed,
            **{column: table[column].cast("float64") for column in self.numbers})

    def _counts(self, c: Any) -> pd.Series:
        """One aggregate query: the rows, the problems of each column, the id rules."""
        customer_type, order_type = self._types
        finite = ~c.amount.isnan() & ~c.amount.isinf()
        untidy = {name: (_untidy_text(c[name]).sum() if kind is not None and kind.is_string()
                         else ibis.literal(0))
                  for name, kind in (("customer_id", customer_type), ("order_id", order_type))}
        counts = {
            "rows": c.count(),
            "no_id": c.customer_id.isnull().sum(),
            "no_date": (c._raw_date.isnull()).sum(),
            "bad_date": (c._raw_date.notnull() & c._parsed.isnull()).sum(),
            "no_amount": c.amount.isnull().sum(),
            "bad_amount": (c.amount.notnull() & (~finite | (c.amount.abs() > LARGEST_AMOUNT)))
            .sum(),
            "after": (c.day > self.end_day).sum(),
            "first_day": c.day.min(),
            "customer_rule": _id_rule(c._raw_customer, c.customer_id, customer_type),
            "order_rule": (_id_rule(c._raw_order, c.order_id, order_type) if order_type
                           is not None else ibis.literal(False)),
            "untidy_customer": untidy["customer_id"],
            "untidy_order": untidy["order_id"],
            **{f"{problem}:{column}": condition.sum() for column in self.numbers
               for problem, condition, _hint in self._number_problems(c, column)},
        }
        return fetch(c.aggregate(**counts)).iloc[0]

    def _number_problems(self, c: Any, column: str) -> list[tuple[str, Any, str | None]]:
        """What refuses a line number of ``column`` inside the window, as the pandas path does
        (:func:`relmark_lab._validate.require_numbers`): the problem, its rows, a hint.

        The problems and the hint are the pandas path's English (its catalog translates
        them when :func:`~relmark_lab._validate.column_error` words them); "below" is a key,
        worded with its bound when raised."""
        value, inside = c[column], c.day <= self.end_day
        low = LINE_NUMBERS[column]
        missing = value.isnull() | value.isnan()  # NaN is pandas' missing value
        problems = [(N_("infinite"), inside & value.isinf(), None),
                    (N_("missing"), inside & missing, N_("Drop or fill those rows first."))]
        if low is not None:
            problems.append(("below", inside & ~missing & (value < low), None))
        return problems

    def _check(self, canonical: Any, found: pd.Series) -> Any:
        """Refuse unusable values with a sentence; the canonical lines with as_ids' column rules."""
        c = canonical
        customer_type, order_type = self._types
        finite = ~c.amount.isnan() & ~c.amount.isinf()
        rows = int(found["rows"])
        if rows == 0:
            raise DataError(_("The {what} have 0 rows; there is nothing to analyse.")
                            .format(what="transactions"))
        # (count's key, column, rows it flags, the whole sentence: its own words in Spanish)
        problems = [
            ("no_id", "customer_id", c.customer_id.isnull(),
             N_("transactions: column 'customer_id' is missing in {count:,} of {rows:,} rows, "
                "e.g. {example}. Every line needs the customer it belongs to.")),
            ("no_date", "date", c._raw_date.isnull(),
             N_("transactions: column 'date' is missing in {count:,} of {rows:,} rows, e.g. "
                "{example}. Every line needs a date.")),
            ("bad_date", "date", c._raw_date.notnull() & c._parsed.isnull(),
             N_("transactions: column 'date' is not a date the engine reads in {count:,} of "
                "{rows:,} rows, e.g. {example}. Write dates as YYYY-MM-DD[ HH:MM:SS], or cast "
                "them in the query.")),
            ("no_amount", "amount", c.amount.isnull(),
             N_("transactions: column 'amount' is missing in {count:,} of {rows:,} rows, e.g. "
                "{example}. Every line needs an amount (0 for a free one).")),
            ("bad_amount", "amount",
             c.amount.notnull() & (~finite | (c.amount.abs() > LARGEST_AMOUNT)),
             N_("transactions: column 'amount' is not a finite amount within ±1e15 in "
                "{count:,} of {rows:,} rows, e.g. {example}. Check the column's units and the "
                "export.")),
        ]
        for key, column, condition, message in problems:
            if int(found[key] or 0):
                example = fetch(c.filter(condition).select(c._raw_date if column == "date"
                                                           else c[column]).limit(1)).iloc[0, 0]
                raise DataError(_(message).format(count=int(found[key]), rows=rows,
                                                  example=describe_example(example)))
        for column in self.numbers:
            for problem, condition, hint in self._number_problems(c, column):
                count = int(found[f"{problem}:{column}"] or 0)
                if count:
                    shown = "customer_id" if problem == "missing" else column
                    example = fetch(c.filter(condition).select(shown).limit(1)).iloc[0, 0]
                    if problem == "missing":  # no value to show: say whose line it is
                        example = _LineOf(example)
                    if problem == "below":
                        problem = _("below {low:g}").format(low=LINE_NUMBERS[column])
                    raise column_error("transactions", column, count, problem, example, hint)
        if found["first_day"] is None or int(found["after"]) == rows:
            raise DataError(_("{what}: none of the {count:,} lines is dated on or before "
                              "observation_end {end}. Pass a later observation_end.")
                            .format(what="transactions", count=rows,
                                    end=self.observation_end.date()))
        # The column-wide id rules of as_ids: "17850.0" reads "17850" when every id reads so;
        # floats that are not all whole read as floats ("1.5").
        replace = {}
        for name, raw, kind, rule in (("customer_id", c._raw_customer, customer_type,
                                       bool(found["customer_rule"])),
                                      ("order_id", c._raw_order, order_type,
                                       bool(found["order_rule"]))):
            if kind is not None and kind.is_string() and rule:
                replace[name] = c[name].re_replace(r"\.0+$", "")
            if kind is not None and kind.is_floating() and not rule:
                replace[name] = ibis.ifelse(c[name].notnull(), raw.cast("string"),
                                            ibis.null("string"))
        self.first_day = int(found["first_day"])
        checked = c.mutate(**replace) if replace else c
        return checked.drop("_raw_customer", "_raw_order", "_raw_date", "_parsed")

    def _cut(self, end_day: int) -> None:
        table = self._checked
        self.lines = table.filter(table.day <= end_day)

    def until(self, observation_end: Any, timezone: Any = None) -> EngineLines:
        """These lines up to an earlier end (a calibration period), checked once already."""
        earlier = object.__new__(EngineLines)
        earlier.__dict__.update(self.__dict__)
        earlier.observation_end = observation_end_day(observation_end, timezone)
        earlier.end_day = int((earlier.observation_end - _EPOCH).days)
        earlier.lines_after_end = None  # counted when asked (attrs)
        earlier._cut(earlier.end_day)
        return earlier

    def counts(self) -> dict[str, int]:
        """Lines after the end and the customers with an observed line (one query).

        The per-customer aggregations count their customers as they go and
        pass them to :meth:`attrs`; this query is for the others."""
        t = self._checked
        inside = t.day <= self.end_day
        found = fetch(t.aggregate(after=(~inside).sum(),
                                  customers=ibis.ifelse(inside, t.customer_id,
                                                        ibis.null("string")).nunique())).iloc[0]
        return {"lines_after_end": int(found["after"] or 0),
                "customers": int(found["customers"] or 0)}

    def attrs(self, buyers: int, customers: int | None = None) -> dict[str, Any]:
        """The contract's three ``attrs`` entries, for ``buyers`` customers with a purchase
        among ``customers`` with an observed line (counted by a query when not given)."""
        after = self.lines_after_end
        if customers is None or after is None:
            counts = self.counts()
            after, customers = counts["lines_after_end"], counts["customers"]
        return {OBSERVATION_END: self.observation_end, LINES_AFTER_END: after,
                NO_PURCHASE: customers - buyers}
