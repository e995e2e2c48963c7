"""What a user reads when an engine source cannot be used: one sentence, never the engine's."""

from __future__ import annotations

import re

import duckdb
import ibis
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import clv, engines, rfm

END = "2025-12-31"
GOOD = {"customer_id": ["a", "b"], "date": ["2025-01-01", "2025-02-01"], "amount": [5.0, 7.0]}


def _table(**changes):
    return ibis.memtable(pd.DataFrame({**GOOD, **changes}))


@pytest.mark.parametrize("changes, words", [
    (dict(customer_id=["a", None]), "column 'customer_id' is missing in 1 of 2 rows"),
    (dict(customer_id=["a", "  "]), "column 'customer_id' is missing in 1 of 2 rows"),
    (dict(date=["2025-01-01", "01/02/2025"]),
     "column 'date' is not a date the engine reads in 1 of 2 rows, e.g. '01/02/2025'"),
    (dict(date=["2025-01-01", None]), "column 'date' is missing in 1 of 2 rows"),
    (dict(amount=[5.0, float("inf")]), "column 'amount' is not a finite amount within ±1e15 "
                                        "in 1 of 2 rows, e.g. inf"),
    (dict(amount=[5.0, None]), "column 'amount' is missing in 1 of 2 rows"),
    (dict(amount=["5", "7"]), "column 'amount' holds string values, not numbers"),
    (dict(date=["2026-03-01", "2026-04-01"]), "none of the 2 lines is dated on or before "
                                              "observation_end 2025-12-31"),
])
def test_unusable_values_are_named_with_count_and_example(changes, words):
    with pytest.raises(rl.DataError, match=re.escape(words)):
        clv.summarize(_table(**changes), END)


@pytest.mark.parametrize("margin, words", [
    ([1.0, None], "column 'margin' is missing in 1 row, e.g. a line of customer 'b'. Drop or "
                  "fill those rows first."),
    ([1.0, float("inf")], "column 'margin' is infinite in 1 row, e.g. inf"),
    (["1", "2"], "column 'margin' holds string values, not numbers. Cast it in the query."),
])
def test_the_cost_to_serve_names_a_bad_margin(margin, words):
    with pytest.raises(rl.DataError, match=re.escape(words)):
        rl.differentiate.customer_profitability(_table(margin=margin), END)
    with pytest.raises(rl.DataError, match="column 'margin' not found"):
        rl.differentiate.customer_profitability(_table(), END)


def test_a_missing_column_lists_the_columns_found():
    source = ibis.memtable(pd.DataFrame({"Cliente": ["a"], "date": ["2025-01-01"],
                                         "amount": [1.0]}))
    with pytest.raises(rl.DataError, match=r"Required column\(s\) 'customer_id' not found. "
                                           r"Columns found: 'Cliente', 'date', 'amount'"):
        rfm.rfm_table(source, END)
    renamed = engines.engine_table(source, columns={"customer_id": "Cliente"})
    assert rfm.rfm_table(renamed, END)["customer_id"].tolist() == ["a"]
    with pytest.raises(rl.DataError, match="columns= names 'Client', which the source does "
                                           "not have"):
        engines.engine_table(source, columns={"customer_id": "Client"})


def test_time_zoned_instants_are_refused_with_the_conversion_to_write():
    stamps = pd.to_datetime(["2025-01-01 10:00"]).tz_localize("UTC")
    source = ibis.memtable(pd.DataFrame({"customer_id": ["a"], "date": stamps, "amount": [1.0]}))
    with pytest.raises(rl.DataError, match=r"instants with a time zone.*timezone\("):
        clv.summarize(source, END)


def test_database_sources_need_a_query_that_works(tmp_path):
    database = tmp_path / "shop.duckdb"
    duckdb.connect(str(database)).close()
    with pytest.raises(rl.DataError, match="is a DuckDB database: pass the lines as a query"):
        engines.engine_table(database)
    with pytest.raises(rl.DataError, match="The query on 'shop.duckdb' failed: .*nowhere"):
        engines.engine_table(database, query="select * from nowhere")
    with pytest.raises(rl.DataError, match="File not found"):
        engines.engine_table(tmp_path / "lake.parquet")
    with pytest.raises(rl.DataError, match="query= selects rows of a DuckDB database"):
        engines.engine_table(_table(), query="select 1")


def test_compress_and_a_holdout_do_not_mix():
    for source in (pd.DataFrame(GOOD).assign(date=lambda t: pd.to_datetime(t["date"])),
                   _table()):
        with pytest.raises(rl.DataError, match="compress=True gives the purchase model's"):
            clv.summarize(source, END, compress=True, calibration_end="2025-06-30")
