"""Engines: the heavy step, lines to per-customer summaries, run where the data live.

Transactions in a DuckDB database, a lake of Parquet files or a Spark
DataFrame outgrow pandas long before they outgrow the models, which need one
row per customer, or only the distinct (frequency, recency, T) patterns and
how many customers share each. The aggregations are written once with Ibis
(:mod:`.orders`, the kit's one rule for orders and returns) and compiled to
each engine's SQL; DuckDB is the embedded default. ``read_transactions``
(the ledger counted in the engine), ``clv.summarize`` (also compressed to
weighted patterns), ``rfm.rfm_table``, ``identify.customer_status``,
``identify.lifecycle_stage``, ``clv.cohort_retention_table`` and
``differentiate.customer_profitability`` take such a source directly;
:mod:`.frames` has the few plain aggregates templates need.

Examples
--------
>>> import ibis
>>> from relmark_lab import clv
>>> lines = ibis.memtable({"customer_id": ["a", "a", "b"],
...                        "date": ["2024-01-01", "2024-01-15", "2024-01-08"],
...                        "amount": [10.0, 20.0, 7.0]})
>>> clv.summarize(lines, "2024-01-29")
  customer_id  frequency  recency    T  monetary_value
0           a          1      2.0  4.0            20.0
1           b          0      0.0  3.0             0.0
"""

from __future__ import annotations

from relmark_lab.engines.frames import date_range, first_value, net_by_customer
from relmark_lab.engines.lines import EngineLines
from relmark_lab.engines.sources import engine_table, is_engine_source

__all__ = ["EngineLines", "date_range", "engine_table", "first_value", "is_engine_source",
           "net_by_customer"]
