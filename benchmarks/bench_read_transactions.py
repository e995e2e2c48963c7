"""Time read_transactions against bare pandas on a 3-million-row CSV.

Run from the repository root::

    python benchmarks/bench_read_transactions.py [rows]

Bare pandas means ``pd.read_csv`` + ``pd.to_datetime(format="ISO8601")`` +
``pd.to_numeric`` on the same file, i.e. the least work any reader must do.
The script prints both timings and the ratio ``read_transactions / bare pandas``.
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


def make_csv(path: Path, rows: int, seed: int = 0) -> None:
    """Write a realistic transaction export with ISO dates and a few defects."""
    rng = np.random.default_rng(seed)
    seconds = rng.integers(0, 3 * 365 * 86_400, rows)
    dates = pd.Timestamp("2022-01-01") + pd.to_timedelta(np.sort(seconds), unit="s")
    frame = pd.DataFrame(
        {
            "customer_id": np.char.zfill(rng.integers(1, 200_000, rows).astype(str), 6),
            "order_id": np.arange(rows).astype(str),
            "date": dates.strftime("%Y-%m-%d %H:%M:%S"),
            "amount": np.round(rng.gamma(2.0, 30.0, rows), 2),
            "category": rng.choice(["books", "music", "video", "games"], rows),
        }
    )
    frame.to_csv(path, index=False)


def bare_pandas(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path)
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")
    frame["amount"] = pd.to_numeric(frame["amount"])
    return frame


def main(rows: int = 3_000_000, repeats: int = 3) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "transactions.csv"
        make_csv(path, rows)
        size_mb = path.stat().st_size / 1e6
        bare, _ = best_of(lambda: bare_pandas(path), repeats)
        ours, _ = best_of(lambda: read_transactions(path), repeats)
    ratio = ours / bare
    print(f"rows: {rows:,}  file: {size_mb:.0f} MB  (best of {repeats})")
    print(f"bare pandas:       {bare:6.2f} s")
    print(f"read_transactions: {ours:6.2f} s")
    print(f"ratio read_transactions / bare pandas: {ratio:.2f}  (target <= 3)")
    return ratio


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3_000_000)
