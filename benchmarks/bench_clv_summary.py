"""Time clv.summarize against lifetimes' summary_data_from_transaction_data.

Run from the repository root::

    python benchmarks/bench_clv_summary.py [rows]

Builds 3,000,000 transactions of 200,000 customers over three years (with
times of day, so several orders can fall on one day), then summarizes them
in days with both functions and checks that frequency, recency, T and
monetary value agree. Prints both timings (best of three runs each) and the ratio
(target: at least 5).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import best_of  # noqa: E402

from relmark_lab.clv import summarize  # noqa: E402

END = "2024-12-31"


def make_transactions(rows: int, customers: int = 200_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    seconds = rng.integers(0, 3 * 365 * 86_400, rows)
    return pd.DataFrame(
        {
            "customer_id": np.char.zfill(rng.integers(1, customers, rows).astype(str), 6),
            "date": pd.Timestamp("2022-01-01") + pd.to_timedelta(seconds, unit="s"),
            "amount": np.round(rng.gamma(2.0, 30.0, rows), 2),
        }
    )


def main(rows: int = 3_000_000) -> float:
    transactions = make_transactions(rows)
    ours_seconds, ours = best_of(lambda: summarize(transactions, END, time_unit="D"), 3)
    print(f"relmark_lab clv.summarize: {ours_seconds:.2f} s for {rows:,} rows, "
          f"{len(ours):,} customers")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes.utils import summary_data_from_transaction_data

        their_seconds, theirs = best_of(lambda: summary_data_from_transaction_data(
            transactions, "customer_id", "date", monetary_value_col="amount",
            observation_period_end=END, freq="D",
        ), 3)
    print(f"lifetimes summary_data_from_transaction_data: {their_seconds:.2f} s")

    theirs = theirs.sort_index()
    columns = ["frequency", "recency", "T", "monetary_value"]
    difference = np.abs(ours[columns].to_numpy() - theirs[columns].to_numpy()).max(axis=0)
    print("largest absolute difference per column:", dict(zip(columns, difference.round(6),
                                                              strict=True)))
    ratio = their_seconds / ours_seconds
    print(f"speed-up lifetimes / relmark_lab: {ratio:.1f}x (target >= 5)")
    return ratio


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3_000_000)
