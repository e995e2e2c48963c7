"""Time read_transactions against bare pandas on a 1-million-line export, two dialects.

Run from the repository root::

    python benchmarks/bench_read_transactions.py [rows]

Two exports of the same lines (invoices of about 20 lines sharing one stamp,
as a retailer's export writes them): an ISO one (``,``, ``2024-01-05
13:45:00``, ``1234.50``, UTF-8) and a Spanish-locale one (``;``, ``05/01/2024
13:45``, ``1.234,50``, cp1252). Bare pandas is the least work any reader must
do on each: ``pd.read_csv`` with the dialect given, ``pd.to_datetime`` with the
explicit format, ``pd.to_numeric``. ``read_transactions`` is timed without
``date_format`` (it recognises the dates) and with it. The script prints the
timings and each ratio ``read_transactions / bare pandas`` (target <= 2).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import best_of  # noqa: E402

from relmark_lab.data import read_transactions  # noqa: E402

DIALECTS = {
    "ISO": {"sep": ",", "encoding": "utf-8", "date_format": "%Y-%m-%d %H:%M:%S",
            "decimal": ".", "thousands": None},
    "Spanish locale": {"sep": ";", "encoding": "cp1252", "date_format": "%d/%m/%Y %H:%M",
                       "decimal": ",", "thousands": "."},
}


def make_lines(rows: int, seed: int = 0) -> pd.DataFrame:
    """Invoices of about 20 lines over three years, with accented product names."""
    rng = np.random.default_rng(seed)
    invoices = max(1, rows // 20)
    invoice = np.sort(rng.integers(0, invoices, rows))
    minutes = np.sort(rng.integers(0, 3 * 365 * 24 * 60, invoices))
    stamp = pd.Timestamp("2022-01-01") + pd.to_timedelta(minutes[invoice], unit="m")
    return pd.DataFrame({
        "customer_id": np.char.zfill(rng.integers(1, 60_000, invoices).astype(str), 6)[invoice],
        "order_id": (100_000 + invoice).astype(str),
        "date": stamp,
        "amount": np.round(rng.gamma(1.2, 900.0, rows), 2),
        "category": rng.choice(["música", "películas", "libros", "juegos"], rows),
    })


def write_export(lines: pd.DataFrame, path: Path, dialect: dict) -> None:
    text = lines.assign(date=lines["date"].dt.strftime(dialect["date_format"]))
    if dialect["decimal"] == ",":  # 1.234,50
        text["amount"] = [f"{v:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
                          for v in lines["amount"]]
    text.to_csv(path, index=False, sep=dialect["sep"], encoding=dialect["encoding"])


def bare_pandas(path: Path, dialect: dict) -> pd.DataFrame:
    frame = pd.read_csv(path, sep=dialect["sep"], encoding=dialect["encoding"],
                        decimal=dialect["decimal"], thousands=dialect["thousands"],
                        dtype={"customer_id": str, "order_id": str})
    frame["date"] = pd.to_datetime(frame["date"], format=dialect["date_format"])
    frame["amount"] = pd.to_numeric(frame["amount"])
    return frame


def main(rows: int = 1_000_000, repeats: int = 3) -> dict[str, float]:
    lines = make_lines(rows)
    ratios = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, dialect in DIALECTS.items():
            path = Path(tmp) / f"export_{dialect['encoding']}.csv"
            write_export(lines, path, dialect)
            bare, _ = best_of(lambda p=path, d=dialect: bare_pandas(p, d), repeats)
            guessed, (tx, ledger) = best_of(lambda p=path: read_transactions(p), repeats)
            given, _ = best_of(lambda p=path, d=dialect: read_transactions(
                p, date_format=d["date_format"]), repeats)
            assert ledger.rows_kept == rows, ledger  # every line read, none lost
            print(f"{name}: {rows:,} lines, {path.stat().st_size / 1e6:.0f} MB "
                  f"(best of {repeats})")
            print(f"  bare pandas (dialect and date format given): {bare:6.2f} s")
            for label, seconds in (("read_transactions", guessed),
                                   ("read_transactions, date_format=", given)):
                ratios[f"{name}, {label}"] = seconds / bare
                print(f"  {label:<32} {seconds:6.2f} s  ratio {seconds / bare:4.2f}  "
                      "(target <= 2)")
    return ratios


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
