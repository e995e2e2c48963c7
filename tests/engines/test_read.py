"""read_transactions on an engine source: the same rules, the same ledger, counted there."""

from __future__ import annotations

import duckdb
import ibis
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import relmark_lab as rl
from relmark_lab import clv, engines
from relmark_lab.engines import read as engine_read

OPTIONS = dict(observation_end="2025-06-30", test_customer_pattern="^TEST",
               drop_duplicates=True, drop_zero_amounts=True,
               non_product={"category": ["Juguetes"]})


@pytest.fixture(scope="module")
def messy():
    """The kit's clean export as text, with one row broken per rule and repeated rows."""
    raw = pd.read_csv(rl.datasets.data_dir() / "transactions.csv", dtype=str)
    raw = raw.rename(columns={"timestamp": "date"})
    raw.loc[3, "customer_id"] = " "
    raw.loc[5, "date"] = "not a date"
    raw.loc[6, "date"] = ""
    raw.loc[7, "amount"] = "abc"
    raw.loc[9, "amount"] = ""
    raw.loc[10, "amount"] = "inf"
    raw.loc[11, "customer_id"] = "TEST01"
    raw.loc[12, "amount"] = "0"
    return pd.concat([raw, raw.head(4)], ignore_index=True)


def test_the_ledger_and_the_lines_match_the_pandas_reader(messy, tmp_path):
    expected, expected_ledger = rl.read_transactions(messy, **OPTIONS)
    database = tmp_path / "shop.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create table sales as select * from messy")
    source = engines.engine_table(database, query="select * from sales")
    lines, ledger = rl.read_transactions(source, **OPTIONS, currency="MXN")
    assert ledger.dropped == expected_ledger.dropped
    assert (ledger.rows_in, ledger.rows_kept) == (expected_ledger.rows_in,
                                                  expected_ledger.rows_kept)
    assert set(ledger.dropped) == {"exact duplicate", "missing customer_id", "test customer",
                                   "non-product line", "missing date", "unparseable date",
                                   "after observation end", "missing amount",
                                   "non-numeric amount", "non-finite amount", "zero amount"}
    assert "amounts in MXN" in str(ledger)
    assert_frame_equal(clv.summarize(expected, "2025-06-30"), clv.summarize(lines, "2025-06-30"),
                       check_exact=False, rtol=1e-12)
    fetched = lines.to_pandas()
    assert len(fetched) == len(expected)
    assert fetched["amount"].sum() == pytest.approx(expected["amount"].sum())


def test_rules_left_off_and_rejected_rows_on_request(messy):
    lines, ledger = engine_read.read_lines(ibis.memtable(messy), keep_rejected=3)
    assert "exact duplicate" in ledger.rules_off and "zero amount" in ledger.rules_off
    assert len(ledger.rejected) == 3 and ledger.rejected["reason"].notna().all()
    assert "keep_rejected=N" in ledger.notes[0]
    assert ledger.rows_in == len(messy)


@pytest.mark.parametrize("options, words", [
    (dict(dayfirst=True), "dayfirst read text exports; an engine's columns carry their types"),
    (dict(non_product={"StockCode": ["POST"]}), "non_product names the column 'StockCode'"),
    (dict(columns={"customer_id": "Client"}), "'Client'"),
])
def test_options_an_engine_cannot_use_are_one_sentence(messy, options, words):
    with pytest.raises(rl.DataError, match=words):
        rl.read_transactions(ibis.memtable(messy), **options)
    with pytest.raises(rl.DataError, match="not a list"):
        rl.read_transactions([1, 2])
