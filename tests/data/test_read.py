"""read_transactions end to end, and the package's public names (relmark_lab.data)."""

from __future__ import annotations

import cProfile

import numpy as np
import pandas as pd

import relmark_lab as rl
from relmark_lab import data
from relmark_lab.data import read_transactions


def test_public_names():
    assert data.__all__ == ["CANONICAL_COLUMNS", "DROP_REASONS", "Ledger", "read_transactions"]
    for name in data.__all__:
        assert getattr(rl, name) is getattr(data, name)


def test_the_raw_export_reads_with_a_balanced_ledger():
    truth = rl.datasets.load_truth()
    tx, ledger = rl.read_transactions(
        rl.datasets.data_dir() / "transactions_raw.csv",
        columns=rl.datasets.RAW_EXPORT_COLUMNS,
        observation_end=truth["observation_end"],
        test_customer_pattern="^TEST",
    )
    ledger.check()
    assert ledger.rows_kept == len(tx) and len(tx) > 0
    assert tx["date"].max() < pd.Timestamp(truth["observation_end"]) + pd.Timedelta(days=1)
    assert set(ledger.dropped) <= set(data.DROP_REASONS)
    assert tx["customer_id"].dtype == "str" and tx["order_id"].dtype == "str"


def test_a_spanish_export_is_read_without_python_work_per_row():
    # Day/month dates, "$1.234,50" amounts and accented text: pandas runs some regular
    # expressions (\s, \d on non-ASCII text, str.extract, str.rfind) in Python, one value
    # at a time. The reader avoids them, so its Python calls do not grow with the rows.
    n = 100_000
    rng = np.random.default_rng(1)
    day, month = rng.integers(1, 29, n).astype(str), rng.integers(1, 13, n).astype(str)
    day_month = np.char.add(np.char.add(np.char.add(day, "/"), month), "/2024 10:30")
    raw = pd.DataFrame({
        "Cliente": np.char.add("C", rng.integers(1, 5000, n).astype(str)),
        "Fecha": np.where(rng.random(n) < 0.5, day_month, "2024-03-07 09:15:30"),
        "Importe": np.where(rng.random(n) < 0.5, "$1.234,50", "€ 3,5"),
        "Margen": "$12,30",
        "Pedido": np.arange(n).astype(str),
        "Nota": "Música",
    })
    profiler = cProfile.Profile()
    profiler.enable()
    tx, ledger = read_transactions(
        raw, columns={"customer_id": "Cliente", "date": "Fecha", "amount": "Importe",
                      "margin": "Margen", "order_id": "Pedido"},
        test_customer_pattern="^TEST",
    )
    profiler.disable()
    assert ledger.rows_kept == n
    assert set(tx["amount"]) == {1234.5, 3.5}
    assert sum(stat.callcount for stat in profiler.getstats()) < n
