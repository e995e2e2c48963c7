"""``read_transactions``: a source in, the canonical transactions table and its ledger out.

The steps, each in its own module of :mod:`relmark_lab.data`: load the raw
table (:mod:`~relmark_lab.data.sources`), find the canonical columns
(:mod:`~relmark_lab.data.columns`), parse ids, dates and amounts
(:mod:`~relmark_lab.data.text`, :mod:`~relmark_lab.data.dates`,
:mod:`~relmark_lab.data.numbers`), apply the row rules in the order of
:data:`~relmark_lab.data.ledger.DROP_REASONS` (:mod:`~relmark_lab.data.rules`)
and account for every row in a :class:`~relmark_lab.data.ledger.Ledger`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._time import check_timezone, observation_end_day
from relmark_lab.data.columns import (
    list_names,
    resolve_columns,
)
from relmark_lab.data.dates import parse_date_column
from relmark_lab.data.ledger import DROP_REASONS, Ledger, source_label
from relmark_lab.data.lines import (
    cancellation_lines,
    describe_cancellations,
    line_value,
    match_cancellations,
    non_product_lines,
)
from relmark_lab.data.numbers import parse_numbers
from relmark_lab.data.rules import after_observation_end, exact_duplicates, is_test_customer
from relmark_lab.data.sources import load_source
from relmark_lab.data.table import assemble_table
from relmark_lab.data.text import as_text, example
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["read_transactions"]


def read_transactions(
    source: pd.DataFrame | str | Path,
    columns: Mapping[str, str] | None = None,
    *,
    observation_end: Any = None,
    dayfirst: bool | None = None,
    date_format: str | None = None,
    decimal: str | None = None,
    test_customer_pattern: str | None = None,
    non_product: Mapping[str, Any] | None = None,
    cancellation_prefix: str | None = None,
    cancellation_flag: str | None = None,
    drop_duplicates: bool = False,
    drop_zero_amounts: bool = False,
    timezone: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    currency: str | None = None,
) -> tuple[pd.DataFrame, Ledger]:
    """Read transactions from a file or DataFrame into a canonical table.

    Parameters
    ----------
    source : pandas.DataFrame, str or pathlib.Path
        A DataFrame, or the path of a CSV (``.csv``, ``.txt``, ``.tsv``) or
        Parquet (``.parquet``, ``.pq``) file.
    columns : dict, optional
        Canonical name → your column name, e.g.
        ``{"customer_id": "Cliente", "amount": "Importe"}``. Canonical names:
        ``customer_id``, ``date``, ``amount`` (required), ``order_id``,
        ``margin``, ``quantity``, ``unit_price``, ``category``,
        ``days_late``, ``discount``, ``cost_to_serve`` (optional). Without
        an amount column, ``quantity`` and ``unit_price`` give the line
        value: ``amount = quantity x unit_price`` (a note says so).
        Columns not mapped are found by name, ignoring case and surrounding
        spaces.
    observation_end : date, str or Timestamp, optional
        The last observed day: rows dated after it are dropped ("after
        observation end"). The whole named day counts, even when the value
        carries a time of day, and an aware value follows the ``timezone``
        rule. None drops no row for its date.
    dayfirst : bool, optional
        Whether ``01/02/2024`` is 1 February. ``None`` infers it from dates
        whose day is above 12; with no evidence, month-first is used and a
        note says so.
    date_format : str, optional
        A ``strftime`` format for text dates, e.g. ``"%m/%d/%Y %H:%M"`` for
        ``12/1/2010 8:26``: every value is read with it (no guessing, and
        ``dayfirst`` is not used); a value it does not fit is dropped as
        "unparseable date". Without it the form is recognised per value.
    decimal : {",", "."}, optional
        Decimal mark of text numbers. ``None`` infers it per column.
    test_customer_pattern : str, optional
        Regular expression (``re.search``) marking test or internal customer
        ids, e.g. ``"^TEST"``; those rows are dropped.
    non_product : dict, optional
        Lines that sell no product (postage, fees, bank charges, manual
        adjustments), dropped as "non-product line": a source column and its
        codes or a regular expression, e.g. ``{"StockCode": ["POST", "D",
        "M", "BANK CHARGES"]}`` or ``{"StockCode": "^(POST|DOT)$"}``.
    cancellation_prefix : str, optional
        Order ids starting with it are cancellations (``"C"`` for
        ``C536379``). Cancellation lines are made negative and matched to
        their order where the export allows (same customer, the id without
        the prefix), so they net against it; a note counts them.
    cancellation_flag : str, optional
        A source column whose yes values (1, true, yes, y, sí, x) mark
        cancellation lines, treated as with ``cancellation_prefix``.
    drop_duplicates : bool, default False
        Drop rows identical to an earlier row in every source column. Off by
        default: without a line id, two identical lines of one day can be two
        real items. Identical rows are counted in a note either way; pass
        True when the export repeats rows by mistake.
    drop_zero_amounts : bool, default False
        Drop rows whose amount is exactly 0. Off by default: a free order is
        a visit (it counts for frequency and recency, as CLVTools keeps it);
        a note counts such rows. Negative amounts (returns) are always kept.
    timezone : str, optional
        The business's time zone. None keeps the clock time each date shows,
        also for dates written with a UTC offset (a 23:30 purchase in Mexico
        City stays on its day); a name such as ``"America/Mexico_City"``
        converts dates with an offset to that zone's clock and takes dates
        without one as already in it. The output is time-zone naive.
    encoding : str, optional
        File encoding. ``None`` tries UTF-8, then cp1252/latin-1.
    delimiter : str, optional
        CSV field separator. ``None`` detects one of ``, ; tab |``.
    currency : str, optional
        The amounts' currency (e.g. ``"GBP"``), carried as
        ``transactions.attrs["currency"]`` and printed by the ledger.

    Returns
    -------
    transactions : pandas.DataFrame
        ``customer_id`` (text, dtype ``"str"``), ``date`` (naive
        datetime64), ``amount`` (float64), the optional canonical columns
        present (``order_id`` and ``category`` as text), then every other
        source column unchanged, with a fresh 0..n-1 index in source order.
        With a cancellation option, ``cancellation`` (True/False) follows
        ``amount``. ``attrs["currency"]`` holds ``currency``.
    ledger : Ledger
        Row counts per drop reason, the rejected rows and notes on guesses.

    When ``source`` lives in an engine (an Ibis table, a DuckDB connection
    through :func:`relmark_lab.engines.engine_table`, a Spark DataFrame) the
    rules run there (:func:`relmark_lab.engines.read.read_lines`) and
    ``transactions`` is a lazy Ibis table that the engine-aware stages take.

    Raises
    ------
    DataError
        When the source cannot be read, an argument is not valid, or a
        required column is missing or unusable; the message says which
        column, how many values and how to fix it. Also when no row at all
        can be kept: the error's ``ledger`` then says why each was dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"Cliente": ["00042", "00042", "7"],
    ...                     "Fecha": ["25/12/2024", "03/01/2025", "04/01/2025"],
    ...                     "Importe": ["1.234,50", "-(10,00)", "0"]})
    >>> tx, ledger = read_transactions(
    ...     raw, columns={"customer_id": "Cliente", "date": "Fecha", "amount": "Importe"},
    ...     drop_zero_amounts=True)
    >>> tx["amount"].tolist()
    [1234.5, -10.0]
    >>> str(tx["date"].iloc[1].date())
    '2025-01-03'
    >>> ledger.rows_in, ledger.rows_kept, ledger.dropped
    (3, 2, {'zero amount': 1})
    """
    if not isinstance(source, (pd.DataFrame, str, Path)):
        from relmark_lab.engines.read import read_transactions_in_engine

        return read_transactions_in_engine(source, columns, locals())
    notes: list[str] = []
    tz = check_timezone(timezone)
    last_day = None if observation_end is None else observation_end_day(observation_end, tz)
    if decimal not in (None, ",", "."):
        raise DataError(_("decimal must be ',' or '.' (or None to detect it), not "
                          "{decimal!r}.").format(decimal=decimal))
    if dayfirst not in (None, True, False):
        raise DataError(_("dayfirst must be True, False or None, not {dayfirst!r}.").format(
            dayfirst=dayfirst))
    for option, value in (("drop_duplicates", drop_duplicates),
                          ("drop_zero_amounts", drop_zero_amounts)):
        if not isinstance(value, (bool, np.bool_)):
            raise DataError(_("{option} must be True or False, not {value!r}.").format(
                option=option, value=value))
    if currency is not None and (not isinstance(currency, str) or not currency.strip()):
        raise DataError(_("currency must be a label such as 'MXN' or 'GBP', not "
                          "{currency!r}.").format(currency=currency))
    if date_format is not None and (not isinstance(date_format, str) or "%" not in date_format):
        raise DataError(_("date_format must be a strftime format such as '%d/%m/%Y %H:%M' (or "
                          "None to recognise the dates), not {date_format!r}.").format(
            date_format=date_format))

    raw, description, used_delimiter = load_source(source, encoding, delimiter, notes)
    if len(raw) == 0:
        raise DataError(
            _("{source} has a header ({columns}) but no data rows. Check that the export "
              "finished and that you opened the right file.").format(
                source=source_label(description), columns=list_names(raw.columns))
        )
    colmap = resolve_columns(list(raw.columns), columns)
    n = len(raw)

    # Parse the required columns (each may raise when a whole column is unusable).
    customer, customer_missing = as_text(raw[colmap["customer_id"]])
    if customer_missing.all():
        raise DataError(
            _("Column '{name}' (customer_id) is empty: all {count} values are missing. Check "
              "that you mapped the right column with columns=.").format(
                name=colmap["customer_id"], count=n)
        )
    dates, date_missing, date_bad = parse_date_column(
        raw[colmap["date"]], colmap["date"], dayfirst, tz, notes, date_format
    )
    parsed: dict[str, tuple[np.ndarray, ...]] = {}  # optional numbers already read
    if "amount" in colmap:
        amounts, amount_missing, amount_bad, amount_nonfinite = parse_numbers(
            raw[colmap["amount"]], colmap["amount"], decimal, used_delimiter, notes
        )
        if "price" in colmap["amount"].casefold() and "quantity" in colmap:
            notes.append(_("amount is read from '{name}' as it is; if that is a price per unit, "
                           "map it as unit_price instead (amount = quantity × "
                           "unit_price).").format(name=colmap["amount"]))
        _require_some_values(colmap["amount"], raw[colmap["amount"]], amount_missing, amount_bad)
    else:  # the export gives a quantity and a unit price per line
        factors = [parse_numbers(raw[colmap[c]], colmap[c], decimal, used_delimiter, notes)
                   for c in ("quantity", "unit_price")]
        for canonical, factor in zip(("quantity", "unit_price"), factors, strict=True):
            _require_some_values(colmap[canonical], raw[colmap[canonical]], *factor[1:3])
            parsed[canonical] = factor
        amounts, amount_missing, amount_bad, amount_nonfinite = line_value(*factors)
        notes.append(_("No amount column: amount = '{quantity}' × '{unit_price}' (quantity × "
                       "unit_price) on every line.").format(quantity=colmap["quantity"],
                                                            unit_price=colmap["unit_price"]))
    order_text = as_text(raw[colmap["order_id"]])[0] if "order_id" in colmap else None
    cancelled = cancellation_lines(raw, order_text, cancellation_prefix, cancellation_flag)

    # Row rules, in the order given by DROP_REASONS.
    empty = np.zeros(n, dtype=bool)
    masks = [
        exact_duplicates(raw, dates, amounts) if drop_duplicates else empty,
        customer_missing,
        is_test_customer(customer, customer_missing, test_customer_pattern),
        non_product_lines(raw, non_product),
        date_missing,
        date_bad,
        after_observation_end(dates, last_day),
        amount_missing,
        amount_bad,
        amount_nonfinite,
        (amounts == 0) & ~amount_missing & ~amount_bad if drop_zero_amounts else empty,
    ]
    codes = np.zeros(n, dtype=np.int8)
    for code in range(len(masks), 0, -1):  # later rules first, so earlier ones win
        codes[np.asarray(masks[code - 1], dtype=bool)] = code
    keep = codes == 0
    counts = np.bincount(codes, minlength=len(DROP_REASONS) + 1)
    dropped = {reason: int(counts[i + 1]) for i, reason in enumerate(DROP_REASONS) if counts[i + 1]}

    _note_kept_rows(raw, dates, amounts, masks[0] if drop_duplicates else None,
                    drop_zero_amounts, amount_missing, amount_bad, notes)
    if cancelled.any():
        flipped = int((cancelled & keep & (amounts > 0)).sum())
        amounts = np.where(cancelled, -np.abs(amounts), amounts)
        how = (_("order id starting with {prefix!r}").format(prefix=cancellation_prefix)
               if cancellation_prefix
               else _("'{column}' says yes").format(column=cancellation_flag))
        if order_text is not None:
            order_text, matched = match_cancellations(customer, order_text, cancelled,
                                                      cancellation_prefix)
        else:
            matched = np.zeros(n, dtype=bool)
        notes.append(describe_cancellations(cancelled & keep, matched & keep, flipped, how,
                                            order_text))
    out = assemble_table(raw, colmap, customer, dates, amounts, used_delimiter, decimal, notes,
                    order_text, parsed)
    if cancellation_prefix is not None or cancellation_flag is not None:
        out.insert(3, "cancellation", cancelled)
    out.attrs["currency"] = currency
    transactions = out.loc[keep].reset_index(drop=True) if not keep.all() else out

    bad_rows = np.flatnonzero(~keep)
    rejected = pd.concat(
        [
            pd.DataFrame(
                {
                    "source_row": bad_rows + 1,
                    "reason": np.asarray(DROP_REASONS, dtype=object)[codes[bad_rows] - 1],
                }
            ),
            raw.iloc[bad_rows].reset_index(drop=True),
        ],
        axis=1,
    )
    switched_off = {"exact duplicate": not drop_duplicates,
                    "test customer": test_customer_pattern is None,
                    "non-product line": non_product is None,
                    "after observation end": observation_end is None,
                    "zero amount": not drop_zero_amounts}
    ledger = Ledger(
        source=description,
        rows_in=n,
        rows_kept=int(keep.sum()),
        dropped=dropped,
        rejected=rejected,
        notes=notes,
        rules_off=tuple(rule for rule, off in switched_off.items() if off),
        currency=currency,
    )
    ledger.check()
    if not ledger.rows_kept:
        reasons = ", ".join(_("{count:,} {reason}").format(count=count, reason=_(reason))
                            for reason, count in dropped.items())
        error = DataError(
            _("{source}: none of its {count:,} rows could be kept ({reasons}). The ledger, with "
              "every rejected row and its reason, is in this error's .ledger.").format(
                source=source_label(description), count=n, reasons=reasons)
        )
        error.ledger = ledger
        raise error
    return transactions, ledger


def _require_some_values(
    name: str, series: pd.Series, missing: np.ndarray, bad: np.ndarray
) -> None:
    """Raise when a required column holds nothing usable at all."""
    if missing.all():
        raise DataError(
            _("Column '{name}' is empty: all {count} values are missing. Check that you mapped "
              "the right column with columns=.").format(name=name, count=len(missing))
        )
    if (missing | bad).all():
        raise DataError(
            _("Column '{name}': none of the {count} values could be read (e.g. {example}). "
              "Check that columns= points to the right column, or clean the values in the "
              "source.").format(name=name, count=int(bad.sum()), example=example(series, bad))
        )


def _note_kept_rows(raw: pd.DataFrame, dates: np.ndarray, amounts: np.ndarray,
                    duplicates: np.ndarray | None, drop_zero: bool, amount_missing: np.ndarray,
                    amount_bad: np.ndarray, notes: list[str]) -> None:
    """Notes on the rows the defaults keep: identical lines, and zero amounts."""
    if duplicates is None:
        same = exact_duplicates(raw, dates, amounts)
        if same.any():
            notes.append(_("{count:,} line(s) are identical to an earlier line in every column "
                           "and were kept: without a line id they can be real items bought "
                           "twice. Pass drop_duplicates=True if the export repeats "
                           "rows.").format(count=int(same.sum())))
    if not drop_zero:
        free = (amounts == 0) & ~amount_missing & ~amount_bad
        if free.any():
            notes.append(_("{count:,} line(s) have an amount of 0 and were kept: a free order "
                           "is a visit (frequency, recency) that adds no spend. Pass "
                           "drop_zero_amounts=True to drop them.").format(count=int(free.sum())))
