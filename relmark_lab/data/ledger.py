"""The ledger: every row of a source is kept, or dropped for one stated reason.

:func:`relmark_lab.read_transactions` checks each row against the rules of
:data:`DROP_REASONS`, in that order; the first rule a row breaks is the reason
it is dropped under. The :class:`Ledger` it returns counts the rows per
reason, keeps the dropped rows for inspection and lists every guess made
while reading, so that ``rows_in == rows_kept + sum(dropped.values())``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["DROP_REASONS", "Ledger"]

#: Reasons a row is dropped, in the order the rules are checked; the first match wins.
DROP_REASONS: tuple[str, ...] = (
    "exact duplicate",
    "missing customer_id",
    "test customer",
    "non-product line",
    "missing date",
    "unparseable date",
    "after observation end",
    "missing amount",
    "non-numeric amount",
    "non-finite amount",
    "zero amount",
)


@dataclass(eq=False)
class Ledger:
    """Account of what :func:`~relmark_lab.read_transactions` kept, dropped and assumed.

    Attributes
    ----------
    source : str
        The file path, or ``"pandas DataFrame"``.
    rows_in : int
        Data rows read from the source (header excluded).
    rows_kept : int
        Rows in the returned transactions table.
    dropped : dict of str to int
        Rows dropped per reason (see :data:`DROP_REASONS`), only reasons that
        occurred, in rule order.
    rejected : pandas.DataFrame
        The dropped rows: ``source_row`` (1-based data-row number),
        ``reason`` and the raw source columns.
    notes : list of str
        Every guess made while reading (delimiter, encoding, decimal mark,
        day-first dates) and every optional value set to missing.
    rules_off : tuple of str
        The rules of :data:`DROP_REASONS` that were not applied (an option
        not given, or a default that keeps those rows).
    currency : str, optional
        The amounts' currency, when the reader was told.

    Examples
    --------
    >>> ledger = Ledger("sales.csv", rows_in=10, rows_kept=8,
    ...                 dropped={"missing amount": 2})
    >>> ledger.check()
    >>> ledger.to_frame()["rows"].tolist()
    [8, 2, 10]
    """

    source: str
    rows_in: int
    rows_kept: int
    dropped: dict[str, int] = field(default_factory=dict)
    rejected: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["source_row", "reason"])
    )
    notes: list[str] = field(default_factory=list)
    rules_off: tuple[str, ...] = ()
    currency: str | None = None

    def check(self) -> None:
        """Verify that every input row is either kept or dropped for a reason.

        Raises
        ------
        AssertionError
            If ``rows_in != rows_kept + sum(dropped.values())``.

        Examples
        --------
        >>> Ledger("x.csv", rows_in=3, rows_kept=3).check()
        """
        # An explicit raise, because ``assert`` disappears under ``python -O``.
        total_dropped = sum(self.dropped.values())
        if self.rows_in != self.rows_kept + total_dropped:
            raise AssertionError(
                f"Ledger for {self.source} does not add up: {self.rows_in} rows read, "
                f"but {self.rows_kept} kept + {total_dropped} dropped "
                f"= {self.rows_kept + total_dropped}."
            )

    def to_frame(self) -> pd.DataFrame:
        """Return the ledger as a tidy table with one row per outcome.

        Returns
        -------
        pandas.DataFrame
            Columns ``reason``, ``rows`` and ``share`` (of ``rows_in``), with
            a ``"kept"`` row first, one row per drop reason, and ``"total"``.

        Examples
        --------
        >>> Ledger("x.csv", 4, 3, {"zero amount": 1}).to_frame()["reason"].tolist()
        ['kept', 'zero amount', 'total']
        """
        reasons = ["kept", *self.dropped, "total"]
        rows = [self.rows_kept, *self.dropped.values(), self.rows_in]
        denominator = self.rows_in if self.rows_in else np.nan
        return pd.DataFrame(
            {
                "reason": reasons,
                "rows": np.asarray(rows, dtype="int64"),
                "share": np.asarray(rows, dtype="float64") / denominator,
            }
        )

    def __str__(self) -> str:
        rows = [("rows read", self.rows_in, "")]
        for reason, count, share in self.to_frame().itertuples(index=False):
            if reason != "total":
                label = reason if reason == "kept" else f"dropped: {reason}"
                rows.append((label, count, "" if np.isnan(share) else f"{share:7.1%}"))
        width = max(len(label) for label, _, _ in rows)
        money = f" (amounts in {self.currency})" if self.currency else ""
        lines = [f"Ledger for {self.source}{money}"]
        lines += [f"  {label:<{width}}  {count:>11,}  {pct}".rstrip() for label, count, pct in rows]
        lines.append(self._rule_order())
        if self.notes:
            lines.append("Notes:")
            lines.extend(f"  - {note}" for note in self.notes)
        return "\n".join(lines)

    def _rule_order(self) -> str:
        """The rules in the order they apply, those not applied marked "(off)"."""
        order = ", ".join(f"{i}. {rule}" + (" (off)" if rule in self.rules_off else "")
                          for i, rule in enumerate(DROP_REASONS, start=1))
        return (f"Rules, in the order they apply (a row counts under the first it breaks): "
                f"{order}.")

    def __repr__(self) -> str:
        # The default dataclass repr would print the whole rejected table.
        return (
            f"Ledger(source={self.source!r}, rows_in={self.rows_in}, "
            f"rows_kept={self.rows_kept}, dropped={self.dropped!r}, "
            f"notes={len(self.notes)})"
        )

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{_html_escape(note)}</li>" for note in self.notes)
        notes_html = f"<p>Notes:</p><ul>{notes}</ul>" if notes else ""
        table = self.to_frame().to_html(index=False, formatters={
            "rows": "{:,}".format, "share": lambda x: "" if np.isnan(x) else f"{x:.1%}"})
        money = f" (amounts in {_html_escape(self.currency)})" if self.currency else ""
        return (f"<p><b>Ledger for {_html_escape(self.source)}</b>{money}</p>{table}"
                f"<p>{_html_escape(self._rule_order())}</p>{notes_html}")


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
