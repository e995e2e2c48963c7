"""What the stages read of observed lines, per customer, computed in an engine.

The customer stages (``identify.customer_status``, ``identify.lifecycle_stage``)
read lines through a few per-customer facts of
:class:`relmark_lab._orders.ObservedLines`: ``per_customer()``, ``buyers()``,
``attrs()``, the observation end. :class:`EngineCustomers` offers the same
facts, aggregated where the lines live and fetched as one row per customer,
so the stages' own code runs unchanged on either.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._ids import ID_DTYPE
from relmark_lab._orders import days_to_dates
from relmark_lab.engines.lines import EngineLines
from relmark_lab.engines.orders import per_customer
from relmark_lab.engines.sources import engine_table, fetch

__all__ = ["EngineCustomers"]


class EngineCustomers:
    """The per-customer facts of engine lines, in the form ``ObservedLines`` gives them.

    Parameters
    ----------
    source : engine source
        Anything :func:`relmark_lab.engines.engine_table` reads.
    observation_end : date-like
    timezone : str, optional

    Examples
    --------
    >>> import ibis
    >>> lines = ibis.memtable({"customer_id": ["b", "a", "a"], "amount": [5.0, 3.0, -3.0],
    ...                        "date": ["2025-01-01", "2025-02-01", "2025-02-01"]})
    >>> seen = EngineCustomers(lines, "2025-12-31")
    >>> seen.per_customer()[["customer_id", "orders", "revenue", "return_lines"]]
      customer_id  orders  revenue  return_lines
    0           a       0      0.0             1
    1           b       1      5.0             0
    """

    def __init__(self, source: Any, observation_end: Any, *, timezone: Any = None) -> None:
        self._lines = EngineLines(engine_table(source), observation_end, timezone=timezone)
        self.observation_end = self._lines.observation_end
        self.end_day = self._lines.end_day

    @cached_property
    def _table(self) -> pd.DataFrame:
        found = fetch(per_customer(self._lines.lines).select(
            "customer_id", "orders", "purchase_days", "first_day", "last_day", "revenue",
            "lines", "return_lines"))
        found = found.assign(customer_id=found["customer_id"].astype(ID_DTYPE))
        return found.sort_values("customer_id", kind="stable").reset_index(drop=True)

    @property
    def customers(self) -> pd.Index:
        """Sorted distinct ids of the customers with an observed line."""
        return pd.Index(self._table["customer_id"], dtype=ID_DTYPE)

    @property
    def customer_orders(self) -> np.ndarray:
        """Purchase orders of each customer (0 for those without a purchase)."""
        return self._table["orders"].fillna(0).to_numpy(dtype="int64")

    @property
    def purchase_day_range(self) -> tuple[np.ndarray, np.ndarray]:
        """Day numbers of each customer's first and last purchase day (the end day without one)."""
        first = self._table["first_day"].fillna(self.end_day).to_numpy(dtype="int64")
        last = self._table["last_day"].fillna(self.end_day).to_numpy(dtype="int64")
        return first, last

    def per_customer(self) -> pd.DataFrame:
        """One row per observed customer, sorted by id, as ``ObservedLines.per_customer``."""
        table, bought = self._table, self.customer_orders > 0
        first, last = self.purchase_day_range
        dates = {}
        for name, days in (("first_purchase", first), ("last_purchase", last)):
            column = np.full(len(table), np.datetime64("NaT"), dtype="datetime64[us]")
            column[bought] = days_to_dates(days[bought])
            dates[name] = column
        return pd.DataFrame({
            "customer_id": self.customers,
            "orders": self.customer_orders,
            "purchase_days": table["purchase_days"].fillna(0).to_numpy(dtype="int64"),
            "first_purchase": dates["first_purchase"],
            "last_purchase": dates["last_purchase"],
            "revenue": table["revenue"].to_numpy(dtype="float64"),
            "lines": table["lines"].to_numpy(dtype="int64"),
            "return_lines": table["return_lines"].to_numpy(dtype="int64"),
        })

    def attrs(self) -> dict[str, Any]:
        """The contract's three ``attrs`` entries."""
        return self._lines.attrs(int((self.customer_orders > 0).sum()),
                                 customers=len(self._table))

    def buyers(self, table: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``table`` (one per observed customer, in id order) of the buyers."""
        out = table[self.customer_orders > 0].reset_index(drop=True)
        out.attrs.update(self.attrs())
        return out
