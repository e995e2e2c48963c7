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

from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = ["DATAFRAME_SOURCE", "DROP_REASONS", "Ledger", "source_label"]

#: Reasons a row is dropped, in the order the rules are checked; the first match wins.
#: They stay English in the data (``ledger.dropped``, ``rejected["reason"]``); the
#: printed ledger shows them in the language in use.
DROP_REASONS: tuple[str, ...] = (
    N_("exact duplicate"),
    N_("missing customer_id"),
    N_("test customer"),
    N_("non-product line"),
    N_("missing date"),
    N_("unparseable date"),
    N_("after observation end"),
    N_("missing amount"),
    N_("non-numeric amount"),
    N_("non-finite amount"),
    N_("zero amount"),
)
#: The ledger's ``source`` when the rows came from a DataFrame (a file's is its path).
DATAFRAME_SOURCE = N_("pandas DataFrame")
#: The outcomes of :meth:`Ledger.to_frame` besides the drop reasons, and its columns.
_OUTCOMES = (N_("kept"), N_("total"))
_COLUMNS = (N_("reason"), N_("rows"), N_("share"))


def source_label(source: str) -> str:
    """A source as a person reads it: a file's path as it is, a DataFrame in the language in use.

    Examples
    --------
    >>> source_label("sales.csv"), source_label(DATAFRAME_SOURCE)
    ('sales.csv', 'pandas DataFrame')
    """
    return _(DATAFRAME_SOURCE) if source == DATAFRAME_SOURCE else source


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

    The attributes hold the reasons in English (they are keys code uses);
    the printed ledger (``print``, the notebook's table, ``repr``) words
    them in the language in use (:func:`relmark_lab.i18n.set_language`),
    and the notes are in the language that was in use when the source was
    read.

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
                _("Ledger for {source} does not add up: {rows_in} rows read, but {kept} kept "
                  "+ {dropped} dropped = {total}.").format(
                    source=self.source_label, rows_in=self.rows_in, kept=self.rows_kept,
                    dropped=total_dropped, total=self.rows_kept + total_dropped)
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

    @property
    def source_label(self) -> str:
        """:attr:`source` as a person reads it (:func:`source_label`)."""
        return source_label(self.source)

    def _title(self) -> tuple[str, str]:
        """"Ledger for <source>" and, when the currency is known, "(amounts in <currency>)"."""
        money = (_("(amounts in {currency})").format(currency=self.currency)
                 if self.currency else "")
        return _("Ledger for {source}").format(source=self.source_label), money

    def __str__(self) -> str:
        rows = [(_("rows read"), self.rows_in, "")]
        for reason, count, share in self.to_frame().itertuples(index=False):
            if reason != "total":
                label = (_(reason) if reason == "kept"
                         else _("dropped: {reason}").format(reason=_(reason)))
                rows.append((label, count, "" if np.isnan(share) else f"{share:7.1%}"))
        width = max(len(label) for label, _count, _share in rows)
        title, money = self._title()
        lines = [f"{title} {money}" if money else title]
        lines += [f"  {label:<{width}}  {count:>11,}  {pct}".rstrip() for label, count, pct in rows]
        lines.append(self._rule_order())
        if self.notes:
            lines.append(_("Notes:"))
            lines.extend(f"  - {note}" for note in self.notes)
        return "\n".join(lines)

    def _rule_order(self) -> str:
        """The rules in the order they apply, those not applied marked "(off)"."""
        off = " " + _("(off)")
        order = ", ".join(f"{i}. {_(rule)}" + (off if rule in self.rules_off else "")
                          for i, rule in enumerate(DROP_REASONS, start=1))
        return _("Rules, in the order they apply (a row counts under the first it breaks): "
                 "{rules}.").format(rules=order)

    def __repr__(self) -> str:
        # The default dataclass repr would print the whole rejected table. In English it reads
        # like code; a translation may word it as a summary (the reasons in its language).
        dropped = {_(reason): count for reason, count in self.dropped.items()}
        return _("Ledger(source={source!r}, rows_in={rows_in}, rows_kept={rows_kept}, "
                 "dropped={dropped!r}, notes={notes})").format(
            source=self.source_label, rows_in=self.rows_in, rows_kept=self.rows_kept,
            dropped=dropped, notes=len(self.notes))

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{_html_escape(note)}</li>" for note in self.notes)
        notes_html = f"<p>{_html_escape(_('Notes:'))}</p><ul>{notes}</ul>" if notes else ""
        shown = self.to_frame()
        shown["reason"] = [_(reason) for reason in shown["reason"]]
        reason, rows, share = (_(name) for name in _COLUMNS)
        shown.columns = [reason, rows, share]
        table = shown.to_html(index=False, formatters={
            rows: "{:,}".format, share: lambda x: "" if np.isnan(x) else f"{x:.1%}"})
        title, money = self._title()
        money = f" {_html_escape(money)}" if money else ""
        return (f"<p><b>{_html_escape(title)}</b>{money}</p>{table}"
                f"<p>{_html_escape(self._rule_order())}</p>{notes_html}")


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
