"""The canonical columns, and which source column plays each role.

Every transactions table of the kit has the same column names, whatever the
export called them: ``customer_id``, ``date`` and ``amount`` (required), then
``order_id``, ``margin``, ``quantity``, ``unit_price``, ``category``,
``days_late``, ``discount`` and ``cost_to_serve`` when the source has them.
An export without an amount but with a quantity and a unit price has its
line value computed, ``amount = quantity x unit_price`` (see
:func:`resolve_columns`).
:func:`resolve_columns` finds them: first through the ``columns=`` mapping a
user passes (canonical name → their name), then by name, ignoring case and
surrounding spaces.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = [
    "CANONICAL_COLUMNS",
    "MONEY_OPTIONAL",
    "NUMERIC_OPTIONAL",
    "REQUIRED",
    "check_duplicate_names",
    "clean_name",
    "list_names",
    "resolve_columns",
]

#: Canonical column names, required ones first, in output order.
CANONICAL_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "date",
    "amount",
    "order_id",
    "margin",
    "quantity",
    "unit_price",
    "category",
    "days_late",
    "discount",
    "cost_to_serve",
)
#: The columns every transactions table has.
REQUIRED: tuple[str, ...] = ("customer_id", "date", "amount")
#: Optional columns read as numbers (a value that is not one is set to missing).
NUMERIC_OPTIONAL: tuple[str, ...] = (
    "margin", "quantity", "unit_price", "days_late", "discount", "cost_to_serve",
)
#: The numeric optional columns that hold money: float64 even when every value is whole.
MONEY_OPTIONAL: tuple[str, ...] = ("margin", "unit_price", "discount", "cost_to_serve")

_NAMES_SHOWN = 30


def clean_name(name: object) -> str:
    """A header name without surrounding spaces or a byte-order mark.

    Examples
    --------
    >>> clean_name("\\ufeff Importe ")
    'Importe'
    """
    return str(name).strip().lstrip("\ufeff").strip()


def check_duplicate_names(names: list[str], where: str) -> None:
    """Raise DataError if a (cleaned) column name appears twice.

    Examples
    --------
    >>> check_duplicate_names(["amount", "amount"], "The file 'x.csv'")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: The file 'x.csv' has the column name 'amount' 2 times (after \
removing surrounding spaces). Rename the columns so that each name appears once.
    """
    repeated = {name: k for name, k in Counter(names).items() if k > 1}
    if repeated:
        name, times = next(iter(repeated.items()))
        raise DataError(
            _("{where} has the column name '{name}' {times} times (after removing surrounding "
              "spaces). Rename the columns so that each name appears once.").format(
                where=where, name=name, times=times)
        )


def list_names(names: Any) -> str:
    """Column names quoted for a message, at most 30 of them.

    Examples
    --------
    >>> list_names(["Cliente", "Fecha"])
    "'Cliente', 'Fecha'"
    """
    names = list(names)
    shown = ", ".join(repr(str(n)) for n in names[:_NAMES_SHOWN])
    extra = len(names) - _NAMES_SHOWN
    return _("{names} and {extra} more").format(names=shown, extra=extra) if extra > 0 else shown


def resolve_columns(found: list[str], columns: Mapping[str, str] | None) -> dict[str, str]:
    """Map each canonical name to the source column that holds it.

    Parameters
    ----------
    found : list of str
        The source's (cleaned) column names.
    columns : mapping, optional
        Canonical name → source name, as the user passed it.

    Returns
    -------
    dict of str to str
        Canonical name → source name, for the canonical columns found. It
        has no ``amount`` when the source has none but has ``quantity`` and
        ``unit_price``: the caller computes the line value from them.

    Raises
    ------
    DataError
        If the mapping is not a dict, uses a key that is not canonical, names
        a column that does not exist or gives one column two roles; if two
        columns could be the same canonical one; or if a required column is
        not found.

    Examples
    --------
    >>> resolve_columns(["Cliente", "Date", "AMOUNT"], {"customer_id": "cliente"})
    {'customer_id': 'Cliente', 'date': 'Date', 'amount': 'AMOUNT'}
    """
    mapping: dict[str, str] = {}
    if columns is not None:
        if not isinstance(columns, Mapping):
            raise DataError(
                _('columns= must be a dict from canonical names to your column names, e.g. '
                  'columns={{"customer_id": "Cliente"}}, not a {kind}.').format(
                    kind=type(columns).__name__)
            )
        for key, wanted in columns.items():
            if key not in CANONICAL_COLUMNS:
                raise DataError(
                    _('columns= uses the key {key!r}, which is not a canonical name. Use one of '
                      '{canonical}, e.g. columns={{"customer_id": {key!r}}} if {key!r} holds '
                      'customer ids.').format(key=key, canonical=", ".join(CANONICAL_COLUMNS))
                )
            match = _match_name(str(wanted), found)
            if match is None:
                raise DataError(
                    _("columns= maps {key!r} to {wanted!r}, but there is no such column. "
                      "Columns found: {found}.").format(key=key, wanted=wanted,
                                                        found=list_names(found))
                )
            mapping[key] = match
    used = Counter(mapping.values())
    for name, times in used.items():
        if times > 1:
            keys = [k for k, v in mapping.items() if v == name]
            raise DataError(
                _("columns= maps {keys} all to the column '{name}'. Each source column can "
                  "play one role only.").format(keys=", ".join(map(repr, keys)), name=name)
            )
    for canonical in CANONICAL_COLUMNS:
        if canonical in mapping:
            continue
        candidates = [c for c in found if c.casefold() == canonical and c not in used]
        if len(candidates) > 1:
            raise DataError(
                _('Several columns could be {canonical!r}: {candidates}. Choose one with '
                  'columns={{"{canonical}": "{first}"}}.').format(
                    canonical=canonical, candidates=list_names(candidates), first=candidates[0])
            )
        if candidates:
            mapping[canonical] = candidates[0]
    line_value = "quantity" in mapping and "unit_price" in mapping
    missing = [c for c in REQUIRED if c not in mapping and not (c == "amount" and line_value)]
    if missing:
        yours = _("<your column>")
        example = ", ".join(f'"{c}": "{yours}"' for c in missing)
        if "amount" in missing:
            template = _("Required column(s) {missing} not found. Columns found: {found}. Say "
                         "which column holds what with columns=, e.g. read_transactions(path, "
                         "columns={{{example}}}) (an export with a quantity and a unit price but "
                         'no amount: map "quantity" and "unit_price", and amount = quantity × '
                         "unit_price).")
        else:
            template = _("Required column(s) {missing} not found. Columns found: {found}. Say "
                         "which column holds what with columns=, e.g. read_transactions(path, "
                         "columns={{{example}}}).")
        raise DataError(template.format(missing=", ".join(map(repr, missing)),
                                        found=list_names(found), example=example))
    return mapping


def _match_name(wanted: str, found: list[str]) -> str | None:
    wanted = clean_name(wanted)
    if wanted in found:
        return wanted
    loose = [c for c in found if c.casefold() == wanted.casefold()]
    return loose[0] if len(loose) == 1 else None
