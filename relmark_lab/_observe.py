"""One door to observed lines for the customer stages: pandas or an engine (private).

A pandas table is read by :class:`relmark_lab._orders.ObservedLines`; a
source that lives in an engine (an Ibis table, Parquet files, a Spark
DataFrame: :func:`relmark_lab.engines.is_engine_source`) by
:class:`relmark_lab.engines.observed.EngineCustomers`, which aggregates there
and offers the same per-customer facts. Both follow the one rule of
:mod:`relmark_lab._orders`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from relmark_lab._orders import ObservedLines

__all__ = ["observe"]


def observe(transactions: Any, observation_end: Any, *, timezone: Any = None) -> Any:
    """``ObservedLines`` for a DataFrame, ``EngineCustomers`` for an engine source.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": ["a"], "amount": [5.0],
    ...                       "date": pd.to_datetime(["2025-01-01"])})
    >>> type(observe(lines, "2025-12-31")).__name__
    'ObservedLines'
    """
    if not isinstance(transactions, pd.DataFrame):
        from relmark_lab.engines.sources import is_engine_source

        if is_engine_source(transactions):
            from relmark_lab.engines.observed import EngineCustomers

            return EngineCustomers(transactions, observation_end, timezone=timezone)
    return ObservedLines(transactions, observation_end, timezone=timezone)
