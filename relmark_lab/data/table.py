"""The canonical transactions table: the parsed canonical columns first, then the source's
other columns as they are (a clashing name renamed, with a note).

:func:`~relmark_lab.data.read.read_transactions` builds it from every row
before the row rules drop any.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from relmark_lab.data.columns import CANONICAL_COLUMNS, MONEY_OPTIONAL, NUMERIC_OPTIONAL
from relmark_lab.data.numbers import parse_numbers
from relmark_lab.data.text import as_text, example, is_whole
from relmark_lab.i18n import gettext as _

__all__ = ["assemble_table"]


def assemble_table(
    raw: pd.DataFrame,
    colmap: dict[str, str],
    customer: pd.Series,
    dates: np.ndarray,
    amounts: np.ndarray,
    delimiter: str | None,
    decimal: str | None,
    notes: list[str],
    order_text: pd.Series | None = None,
    parsed: dict[str, tuple[np.ndarray, ...]] | None = None,
) -> pd.DataFrame:
    """Build the output table (all rows): canonical columns, then the others.

    Examples
    --------
    >>> raw = pd.DataFrame({"id": ["a"], "day": ["2025-01-02"], "paid": ["5"], "amount": [1]})
    >>> notes = []
    >>> table = assemble_table(raw, {"customer_id": "id", "date": "day", "amount": "paid"},
    ...                        raw["id"], np.array(["2025-01-02"], dtype="datetime64[ns]"),
    ...                        np.array([5.0]), None, None, notes)
    >>> table.columns.tolist()
    ['customer_id', 'date', 'amount', 'amount_original']
    >>> notes[0][:50]
    "Column 'amount' was renamed 'amount_original' beca"
    """
    out: dict[str, Any] = {
        "customer_id": customer,
        "date": dates,
        "amount": amounts,
    }
    for canonical in CANONICAL_COLUMNS[3:]:
        if canonical not in colmap:
            continue
        source = colmap[canonical]
        if canonical in NUMERIC_OPTIONAL:
            values, _missing, bad, _not_finite = (parsed or {}).get(canonical) or parse_numbers(
                raw[source], source, decimal, delimiter, notes)
            if bad.any():
                notes.append(
                    _("Column '{name}' ({canonical}): {count} values are not numbers (e.g. "
                      "{example}) and were set to missing.").format(
                        name=source, canonical=canonical, count=int(bad.sum()),
                        example=example(raw[source], bad))
                )
            if canonical not in MONEY_OPTIONAL and is_whole(values):
                values = values.astype("int64")  # counts read as 3, not 3.0, when clean
            out[canonical] = values
        elif canonical == "order_id" and order_text is not None:
            out[canonical] = order_text  # cancellations may carry their order's id now
        else:
            out[canonical] = as_text(raw[source])[0]
    used = set(colmap.values())
    for name in raw.columns:
        if name in used:
            continue
        label = name
        if name in out:
            label, k = f"{name}_original", 2
            while label in out or label in raw.columns:  # that name is taken too
                label, k = f"{name}_original_{k}", k + 1
            notes.append(
                _("Column '{name}' was renamed '{label}' because '{name}' is the name of the "
                  "canonical column taken from '{source}'.").format(name=name, label=label,
                                                                    source=colmap[name])
            )
        out[label] = raw[name]
    return pd.DataFrame(out, index=raw.index)
