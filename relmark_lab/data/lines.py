"""What a line of an export is: its value, whether it sells a product, whether it cancels one.

Real exports need three decisions the reader cannot guess, so each is an
option of :func:`~relmark_lab.read_transactions` and each leaves a count:

* **Line value.** An export with a quantity and a unit price but no amount
  gets ``amount = quantity x unit_price`` (:func:`line_value`).
* **Non-product lines** (postage, fees, bank charges, manual adjustments)
  are marked by a rule the user gives, codes or a regular expression on one
  column (:func:`non_product_lines`); they are dropped as "non-product line".
* **Cancellations** marked by an order-id prefix (``C536379``) or a flag
  column are recognised (:func:`cancellation_lines`), made negative, and
  matched to the order they cancel when the export allows it: same customer,
  and the id without the prefix is one of that customer's orders
  (:func:`match_cancellations`). A matched cancellation takes its order's id,
  so the kit's one rule nets it against that order (docs/contract.md, rule
  3); an unmatched one stays a return of something bought earlier.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab.data.text import as_text, example
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = [
    "cancellation_lines",
    "describe_cancellations",
    "line_value",
    "match_cancellations",
    "non_product_lines",
]

#: Spellings of "yes" in a cancellation flag column (compared without case).
FLAG_TRUE = ("1", "true", "yes", "y", "si", "sí", "s", "x", "c")


def line_value(quantity: tuple[np.ndarray, ...], price: tuple[np.ndarray, ...]
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``quantity x unit_price`` with the masks of the amount it stands for.

    Parameters
    ----------
    quantity, price : tuple of numpy.ndarray
        What :func:`~relmark_lab.data.numbers.parse_numbers` returns for each
        column: values, missing, not a number, not finite.

    Returns
    -------
    values, missing, not_number, not_finite : numpy.ndarray
        A line is missing when either factor is, not a number when either is
        unreadable, and not finite when the product is not.

    Examples
    --------
    >>> q = (np.array([2.0, 3.0]), np.array([False, False]), np.zeros(2, bool), np.zeros(2, bool))
    >>> p = (np.array([1.5, np.nan]), np.array([False, True]), np.zeros(2, bool), np.zeros(2, bool))
    >>> line_value(q, p)[0].tolist(), line_value(q, p)[1].tolist()
    ([3.0, nan], [False, True])
    """
    values = quantity[0] * price[0]
    missing = quantity[1] | price[1]
    not_number = ~missing & (quantity[2] | price[2])
    with np.errstate(invalid="ignore"):
        not_finite = ~missing & ~not_number & ~np.isfinite(values)
    return values, missing, not_number, not_finite


def non_product_lines(raw: pd.DataFrame, rule: Mapping[str, Any] | None) -> np.ndarray:
    """Flag the lines the rule names: ``{column: [codes]}`` or ``{column: "regex"}``.

    Codes are compared as text without surrounding spaces; a pattern is
    searched (``re.search``). Several columns may be given: a line is
    non-product when any of them says so.

    Examples
    --------
    >>> raw = pd.DataFrame({"StockCode": ["85123A", "POST", " D ", "M"]})
    >>> non_product_lines(raw, {"StockCode": ["POST", "D"]}).tolist()
    [False, True, True, False]
    >>> non_product_lines(raw, {"StockCode": "^(POST|M)$"}).tolist()
    [False, True, False, True]
    """
    flagged = np.zeros(len(raw), dtype=bool)
    if rule is None:
        return flagged
    if not isinstance(rule, Mapping) or not rule:
        raise DataError(_("non_product must map a column to its codes or a pattern, e.g. "
                          "non_product={{'StockCode': ['POST', 'D', 'BANK CHARGES']}}, not "
                          "{rule!r}.").format(rule=rule))
    for column, what in rule.items():
        if column not in raw.columns:
            raise DataError(_("non_product names the column {column!r}, which the source does "
                              "not have. Columns: {columns}.").format(
                column=column, columns=", ".join(map(repr, raw.columns[:20]))))
        text, missing = as_text(raw[column])
        if isinstance(what, str):
            try:
                pattern = re.compile(what)
            except re.error as exc:
                raise DataError(_("non_product[{column!r}] = {pattern!r} is not a valid regular "
                                  "expression ({error}).").format(
                    column=column, pattern=what, error=exc)) from exc
            codes, distinct = pd.factorize(text)  # each distinct code searched once
            found = np.array([pattern.search(v) is not None for v in distinct] + [False])
            flagged |= found[codes] & ~missing
        elif isinstance(what, Sequence) and what and all(isinstance(c, str) for c in what):
            flagged |= text.isin([c.strip() for c in what]).to_numpy(dtype=bool) & ~missing
        else:
            raise DataError(_("non_product[{column!r}] must be a list of codes (text) or a "
                              "regular expression, not {given!r}.").format(column=column,
                                                                          given=what))
    return flagged


def cancellation_lines(raw: pd.DataFrame, order_text: pd.Series | None,
                       prefix: str | None, flag: str | None) -> np.ndarray:
    """Flag the lines a prefix of the order id, or a yes/no column, marks as cancellations.

    Examples
    --------
    >>> raw = pd.DataFrame({"Anulada": ["no", "Sí", ""]})
    >>> cancellation_lines(raw, pd.Series(["536365", "C536379", "536370"]), "C", None).tolist()
    [False, True, False]
    >>> cancellation_lines(raw, None, None, "Anulada").tolist()
    [False, True, False]
    """
    flagged = np.zeros(len(raw), dtype=bool)
    if prefix is not None:
        if not isinstance(prefix, str) or not prefix.strip():
            raise DataError(_("cancellation_prefix must be text such as 'C', not "
                              "{prefix!r}.").format(prefix=prefix))
        if order_text is None:
            raise DataError(_("cancellation_prefix marks cancellations by their order id, but "
                              "the source has no order_id column: map it with "
                              "columns={'order_id': ...}, or use cancellation_flag= with a "
                              "yes/no column."))
        flagged |= order_text.str.startswith(prefix.strip()).fillna(False).to_numpy(dtype=bool)
    if flag is not None:
        if flag not in raw.columns:
            raise DataError(_("cancellation_flag names the column {column!r}, which the source "
                              "does not have.").format(column=flag))
        text, missing = as_text(raw[flag])
        flagged |= text.str.casefold().isin(FLAG_TRUE).fillna(False).to_numpy(dtype=bool)
    return flagged


def match_cancellations(customer: pd.Series, order_text: pd.Series, cancelled: np.ndarray,
                        prefix: str | None) -> tuple[pd.Series, np.ndarray]:
    """Each cancellation's order id, where the export names the order it cancels.

    A cancellation line ``C536379`` of customer ``17850`` matches when
    ``536379`` is an order of ``17850`` among the lines that are not
    cancellations; it then takes that id. Without a prefix (a flag column)
    a cancellation that carries its order's own id already matches.

    Returns
    -------
    order_ids : pandas.Series
        ``order_text`` with the matched cancellations' ids replaced.
    matched : numpy.ndarray
        Mask of the cancellation lines that matched an order.

    Examples
    --------
    >>> ids, matched = match_cancellations(
    ...     pd.Series(["a", "a", "b"]), pd.Series(["10", "C10", "C11"]),
    ...     np.array([False, True, True]), "C")
    >>> ids.tolist(), matched.tolist()
    (['10', '10', 'C11'], [False, True, False])
    """
    target = order_text.copy()
    if prefix:
        stripped = order_text.str.slice(len(prefix.strip()))
        target = target.mask(pd.Series(cancelled, index=order_text.index), stripped)
    kept = ~cancelled & order_text.notna().to_numpy(dtype=bool)
    known = pd.MultiIndex.from_arrays([customer[kept], order_text[kept]]).unique()
    pairs = pd.MultiIndex.from_arrays([customer, target])
    matched = cancelled & pairs.isin(known)
    return order_text.mask(pd.Series(matched, index=order_text.index), target), matched


def describe_cancellations(cancelled: np.ndarray, matched: np.ndarray, flipped: int,
                           how: str, order_text: pd.Series | None) -> str:
    """The ledger's note on the cancellations: how many, matched, made negative."""
    n, k = int(cancelled.sum()), int(matched.sum())
    if order_text is not None and n:
        how = _("{how}, e.g. {example}").format(how=how, example=example(order_text, cancelled))
    note = _("{count:,} cancellation line(s) ({how}): {matched:,} matched to the order they "
             "cancel (same customer, the id without the prefix) and net against it; "
             "{unmatched:,} without a matching order count as returns of something bought "
             "earlier (docs/contract.md, rule 3).").format(count=n, how=how, matched=k,
                                                             unmatched=n - k)
    if flipped:
        note += " " + _("{count:,} had a positive amount and were made negative.").format(
            count=flipped)
    return note
