"""What each customer made the firm do, counted in an engine: the inputs of the cost to serve.

:func:`relmark_lab.differentiate.customer_profitability` prices activities
(purchase orders, returned lines, late orders) and subtracts them from the
margin. On an engine source it takes the counts from :func:`activity`,
which aggregates the lines in the engine with the kit's order rule
(:mod:`.orders`) and fetches one row per customer; the prices, the contact
log and the customer master are applied in pandas, as on the pandas path.

Examples
--------
>>> import ibis
>>> lines = ibis.memtable({"customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
...                        "date": ["2024-01-01", "2024-02-01", "2024-01-15"],
...                        "amount": [100.0, 200.0, 50.0], "margin": [40.0, 80.0, 10.0],
...                        "days_late": [0, 3, 0]})
>>> table, attrs = activity(lines, "2024-12-31")
>>> table[["orders", "margin", "late_orders", "late_money_days"]].to_dict("index")["a"]
{'orders': 2, 'margin': 120.0, 'late_orders': 1, 'late_money_days': 600.0}
"""

from __future__ import annotations

from typing import Any

import ibis
import numpy as np
import pandas as pd

from relmark_lab._ids import ID_DTYPE
from relmark_lab.engines.lines import EngineLines
from relmark_lab.engines.orders import orders
from relmark_lab.engines.sources import engine_table, fetch

__all__ = ["activity"]

_OPTIONAL = ("quantity", "days_late")


def activity(source: Any, observation_end: Any, *, timezone: Any = None
             ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Each observed customer's activities, indexed by ``customer_id`` (sorted as text).

    Parameters
    ----------
    source : engine source
        Anything :func:`relmark_lab.engines.engine_table` reads, with
        ``customer_id``, ``date``, ``amount`` and ``margin``; ``order_id``,
        ``quantity`` and ``days_late`` are used when present.
    observation_end : date-like
    timezone : str, optional

    Returns
    -------
    table : pandas.DataFrame
        ``orders`` (purchase orders), ``units`` (net quantity; NaN without a
        ``quantity`` column), ``revenue`` (every line), ``margin``,
        ``return_lines``, ``late_orders`` (purchase orders with ``days_late``
        > 0), ``late_money_days`` (their amount times days late) and
        ``lines``.
    attrs : dict
        The contract's three entries (observation end, lines after it,
        customers without a purchase).
    """
    table = engine_table(source)
    numbers = ("margin", *[c for c in _OPTIONAL if c in table.columns])
    lines = EngineLines(table, observation_end, timezone=timezone, numbers=numbers)
    made = orders(lines.lines, numbers)
    late = made.purchase & (made.days_late > 0) if "days_late" in numbers else None
    counts = {
        "orders": ibis.ifelse(made.purchase, 1, 0).sum(),
        "revenue": made.gross.sum().round(6),
        "margin": made.margin.sum(),
        "return_lines": made.return_lines.sum(),
        "lines": made.lines.sum(),
    }
    if "quantity" in numbers:
        counts["units"] = made.quantity.sum()
    if late is not None:
        counts["late_orders"] = ibis.ifelse(late, 1, 0).sum()
        counts["late_money_days"] = ibis.ifelse(late, made.amount * made.days_late, 0.0).sum()
    found = fetch(made.group_by("customer_id").aggregate(**counts))
    found = found.assign(customer_id=found["customer_id"].astype(ID_DTYPE))
    found = found.sort_values("customer_id", kind="stable").set_index("customer_id")
    out = pd.DataFrame(index=found.index)
    out["orders"] = found["orders"].to_numpy(dtype="int64")
    out["units"] = found["units"].to_numpy(dtype="float64") if "units" in found else np.nan
    for column in ("revenue", "margin"):
        out[column] = found[column].to_numpy(dtype="float64")
    out["return_lines"] = found["return_lines"].to_numpy(dtype="int64")
    out["lines"] = found["lines"].to_numpy(dtype="int64")
    for column, kind in (("late_orders", "int64"), ("late_money_days", "float64")):
        out[column] = found[column].to_numpy(dtype=kind) if column in found else 0
    attrs = lines.attrs(int((out["orders"] > 0).sum()), customers=len(out))
    return out, attrs
