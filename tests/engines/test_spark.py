"""The engine path on Spark (local mode) gives the pandas path's tables, attrs included.

The same comparisons as test_same_answers.py, with each table handed to the
kit as a Spark DataFrame. One local session serves the module; every Spark
query costs about a second on two cores, so the tests are few and broad: the
contract cases run as one table, each case's customers named after it, and
each data set is read into Spark once, cached, for all the stages compared on it.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import ibis
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import clv, rfm

if shutil.which("java") is None:
    pytest.skip("Spark tests skipped: no Java runtime (`apt-get install openjdk-17-jre-headless`, "
                "as .ci/run does in CI, runs them)", allow_module_level=True)
pyspark_sql = pytest.importorskip(
    "pyspark.sql", reason="Spark tests skipped: pyspark is not installed (`pip install "
    "'pyspark>=4.0,<4.1'`, as the requirements do in CI, runs them)")


def _sibling(name: str):
    """A module beside this one: the tests' folders are not packages (pytest's importlib mode)."""
    spec = importlib.util.spec_from_file_location(f"_spark_{name}",
                                                  Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


same_answers = _sibling("test_same_answers")
END = same_answers.END
CALIBRATION_END = "2025-04-15"  # test_same_answers' for the contract cases

#: Local mode on two cores, no UI, no network: the driver binds to the loopback address.
SESSION = {
    "spark.master": "local[2]",
    "spark.app.name": "relmark-lab-tests",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.execution.arrow.pyspark.enabled": "true",  # pandas' missing text stays missing
    # Small data, many short queries: compiling code per query, re-planning at each shuffle
    # and the JVM's slow optimizing compiler cost more than they save (170 s -> 90 s here).
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.adaptive.enabled": "false",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
}


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    builder = pyspark_sql.SparkSession.builder
    for key, value in {**SESSION, "spark.sql.warehouse.dir":
                       str(tmp_path_factory.mktemp("spark-warehouse"))}.items():
        builder = builder.config(key, value)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPARK_LOCAL_IP", "127.0.0.1")  # read once, when the JVM starts
        session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _read_once(spark, lines: pd.DataFrame):
    """``lines`` as a Spark DataFrame held in Spark's memory, read once for all the stages
    compared on it: uncached, every query converts the pandas rows again, through a Python
    worker when Arrow cannot take a column (the contract cases' customer_id, in several
    chunks after pd.concat). 92 s -> 77 s for this module here."""
    source = spark.createDataFrame(lines).cache()
    assert source.count() == len(lines)
    return source


def test_the_kit_data(spark):
    """The summaries the models start from; the kit's 45,000 lines take about two seconds a
    query, so the other stages run on CDNOW and the contract cases."""
    lines = rl.datasets.load_transactions().rename(columns={"timestamp": "date"})
    source = _read_once(spark, lines)
    same_answers._same(clv.summarize, lines, source, END)
    same_answers._same(clv.summarize, lines, source, END, compress=True)
    same_answers._same(clv.summarize, lines, source, END, calibration_end="2025-06-30",
                       time_unit="D")
    same_answers._same(rfm.rfm_table, lines, source, END)


def test_cdnow_every_stage(spark):
    lines = rl.datasets.load_cdnow()
    same_answers._all_stages(lines, _read_once(spark, lines), "1998-06-30", "1997-09-30")


def _contract_cases() -> pd.DataFrame:
    """Every contract case in one table; a case's customers are named "case: id"."""
    frames = []
    for case, rows in same_answers.CASES.items():
        lines = same_answers._lines(rows)
        frames.append(lines.assign(customer_id=case + ": " + lines["customer_id"]))
    return pd.concat(frames, ignore_index=True)


def test_the_contract_cases_every_stage(spark):
    """A case refused alone (no purchase by the calibration end) is, in one table, a customer
    first buying in the holdout; the next test checks its refusal."""
    lines = _contract_cases()
    same_answers._all_stages(lines, _read_once(spark, lines), END, CALIBRATION_END)


def test_a_case_refused_alone_gets_duckdbs_sentence(spark):
    refused = 0
    for rows in same_answers.CASES.values():
        lines = same_answers._lines(rows)
        options = dict(calibration_end=CALIBRATION_END, time_unit="D")
        try:
            clv.summarize(ibis.memtable(lines), END, **options)
        except rl.DataError as on_duckdb:
            refused += 1
            with pytest.raises(rl.DataError, match=f"^{re.escape(str(on_duckdb))}$"):
                clv.summarize(spark.createDataFrame(lines), END, **options)
    assert refused >= 1


def test_days_are_read_on_the_sessions_clock(spark):
    """A Spark timestamp is an instant shown on the session's clock; the kit counts its day
    there (21:00 in New York is 02:00 the next day in UTC), and leaves the clock as it was."""
    lines = pd.DataFrame({"customer_id": ["a", "a", "b"],
                          "date": pd.to_datetime(["2025-03-01 21:00", "2025-03-08 23:30",
                                                  "2025-03-31 22:00"]),
                          "amount": [5.0, 6.0, 7.0]})
    new_york = spark.newSession()
    new_york.conf.set("spark.sql.session.timeZone", "America/New_York")
    source = new_york.createDataFrame(lines)
    summary = clv.summarize(source, "2025-03-31", time_unit="D")
    assert summary[["frequency", "recency", "T"]].values.tolist() == [[1, 7.0, 30.0],
                                                                       [0, 0.0, 0.0]]
    same_answers._agree(clv.summarize(lines, "2025-03-31", time_unit="D"), summary)
    assert new_york.conf.get("spark.sql.session.timeZone") == "America/New_York"


def test_a_refusal_is_the_kits_sentence_not_sparks(spark):
    lines = pd.DataFrame({"customer_id": ["a", "b"], "date": ["2025-01-01", "01/02/2025"],
                          "amount": [5.0, 7.0]})
    with pytest.raises(rl.DataError, match=re.escape(
            "column 'date' is not a date the engine reads in 1 of 2 rows, e.g. '01/02/2025'")):
        clv.summarize(spark.createDataFrame(lines), END)
