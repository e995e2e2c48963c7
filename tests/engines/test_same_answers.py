"""The engine path and the pandas path agree, rule for rule, on every kind of source."""

from __future__ import annotations

import duckdb
import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

import relmark_lab as rl
from relmark_lab import clv, differentiate, engines, identify, rfm

END = "2025-12-31"


def _agree(pandas_result: pd.DataFrame, engine_result: pd.DataFrame) -> None:
    """Integers and ids exactly, amounts and durations to float rounding, attrs exactly."""
    assert_frame_equal(pandas_result, engine_result, check_exact=False, rtol=1e-12, atol=1e-9)
    assert pandas_result.attrs == engine_result.attrs


def _same(stage, lines: pd.DataFrame, source, *args, **options) -> None:
    """``stage`` gives the same table on both paths, or both refuse the data."""
    try:
        expected = stage(lines, *args, **options)
    except rl.DataError:
        with pytest.raises(rl.DataError):
            stage(source, *args, **options)
        return
    _agree(expected, stage(source, *args, **options))


def _all_stages(lines: pd.DataFrame, source, end: str, calibration_end: str | None) -> None:
    _same(clv.summarize, lines, source, end)
    _same(clv.summarize, lines, source, end, compress=True)
    if calibration_end:
        _same(clv.summarize, lines, source, end, calibration_end=calibration_end,
              time_unit="D")
    _same(rfm.rfm_table, lines, source, end)
    _same(identify.customer_status, lines, source, end, active_within_days=90)
    _same(identify.lifecycle_stage, lines, source, end)
    for period in ("M", "W", "Q"):
        _same(clv.cohort_retention_table, lines, source, end, period=period)
    if "margin" in lines.columns:
        _same(differentiate.customer_profitability, lines, source, end)


@pytest.fixture(scope="module")
def kit_lines():
    return rl.datasets.load_transactions().rename(columns={"timestamp": "date"})


def test_the_kit_data_in_memory_in_parquet_and_in_duckdb(kit_lines, tmp_path):
    _all_stages(kit_lines, ibis.memtable(kit_lines), END, "2025-06-30")
    kit_lines.to_parquet(tmp_path / "lines.parquet")
    _all_stages(kit_lines, tmp_path / "lines.parquet", END, None)
    database = tmp_path / "shop.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create table sales as select * from kit_lines")
    source = engines.engine_table(database, query="select * from sales")
    _all_stages(kit_lines, source, END, "2025-06-30")


def test_cdnow_and_a_hive_partitioned_folder(tmp_path):
    lines = rl.datasets.load_cdnow()
    folder = tmp_path / "lake"
    lines.assign(year=lines["date"].dt.year).to_parquet(folder, partition_cols=["year"])
    assert sorted(p.name for p in folder.iterdir()) == ["year=1997", "year=1998"]
    _all_stages(lines, folder, "1998-06-30", "1997-09-30")


def _lines(rows, order_ids=True):
    columns = ["customer_id", "date", "amount", "order_id"]
    frame = pd.DataFrame(rows, columns=columns[:len(rows[0])])
    frame["date"] = pd.to_datetime(frame["date"])
    # a margin, units and lateness that vary by line, for the cost to serve
    frame["margin"] = frame["amount"] * 0.3
    frame["quantity"] = np.arange(len(frame)) % 3 + 1
    frame["days_late"] = np.arange(len(frame)) % 2 * 4.0
    return frame if order_ids else frame.drop(columns="order_id", errors="ignore")


CASES = {
    "same-day cancellation": [("a", "2025-03-01", 50.0, None), ("a", "2025-03-01", -50.0, None),
                              ("a", "2025-05-01", 20.0, None)],
    "order returned later under its id": [("a", "2025-03-01", 50.0, "1"),
                                          ("a", "2025-04-01", -50.0, "1"),
                                          ("a", "2025-05-01", 30.0, "2")],
    "later return without the id": [("a", "2025-03-01", 50.0, None),
                                    ("a", "2025-04-01", -20.0, None),
                                    ("a", "2025-06-01", 10.0, None)],
    "larger return on a purchase day": [("a", "2025-03-01", 30.0, "1"),
                                        ("a", "2025-05-01", 20.0, "2"),
                                        ("a", "2025-05-01", -45.0, "R1")],
    "only returns": [("a", "2025-03-01", 10.0, None), ("b", "2025-03-02", -10.0, None)],
    "free orders and lines after the end": [("a", "2025-03-01", 0.0, None),
                                            ("a", "2025-04-01", 0.0, None),
                                            ("a", "2026-01-02", 9.0, None)],
    "cancellation in float steps": [("a", "2025-03-01", 0.1, None), ("a", "2025-03-01", 0.2, None),
                                    ("a", "2025-03-01", -0.3, None),
                                    ("a", "2025-03-05", 1.0, None)],
    "blank and missing order ids": [("a", "2025-03-01", 5.0, ""), ("a", "2025-03-01", 6.0, None),
                                    ("a", "2025-03-09", 7.0, " "), ("b", "2025-02-01", 3.0, "9")],
    "time of day": [("a", "2025-03-01 23:59", 5.0, None), ("a", "2025-12-31 23:59", 6.0, None)],
    "returned after the calibration under its id": [("a", "2025-03-01", 0.1, "1"),
                                                     ("a", "2025-05-01", -30.0, "1")],
    "a large first purchase, tiny repeats": [("a", "2025-03-01", 123456789.25, None),
                                             ("a", "2025-03-02", 0.000001, None),
                                             ("a", "2025-03-09", 0.000002, None)],
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_contract_cases(case):
    lines = _lines(CASES[case])
    _all_stages(lines, ibis.memtable(lines), END, "2025-04-15")


@pytest.mark.parametrize("raw, text", [
    ([17850.0, 13047.0, np.nan], ["13047", "17850"]),  # whole floats beside a gap
    (["17850.0", "13047.0", ""], ["13047", "17850"]),  # such a column written to text
    ([" 007 ", "NA", "8"], ["007", "8"]),              # spaces, a "no value" spelling
    ([7, 42, 7], ["42", "7"]),                          # integers
])
def test_ids_read_by_the_one_rule(raw, text):
    lines = pd.DataFrame({"customer_id": raw, "date": pd.to_datetime(["2025-01-01"] * 3),
                          "amount": [1.0, 2.0, 3.0]})
    known = lines[rl._ids.as_ids(lines["customer_id"]).notna()]  # the pandas path refuses gaps
    assert clv.summarize(ibis.memtable(known), END)["customer_id"].tolist() == text
    _agree(clv.summarize(known, END), clv.summarize(ibis.memtable(known), END))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 40),
                          st.sampled_from([-30.0, -10.0, -0.1, 0.0, 0.1, 10.0, 20.0, 30.0]),
                          st.sampled_from([None, "1", "2", "3"])), min_size=1, max_size=25))
def test_any_small_table_gets_the_same_answers(rows):
    lines = pd.DataFrame(rows, columns=["customer_id", "day", "amount", "order_id"])
    lines["date"] = pd.Timestamp("2025-11-01") + pd.to_timedelta(lines.pop("day"), unit="D")
    lines["margin"] = lines["amount"] / 4
    source = ibis.memtable(lines)
    _same(rfm.rfm_table, lines, source, END)
    _same(differentiate.customer_profitability, lines, source, END)
    _same(clv.summarize, lines, source, END, time_unit="D")
    _same(clv.summarize, lines, source, END, calibration_end="2025-11-20", time_unit="D")
