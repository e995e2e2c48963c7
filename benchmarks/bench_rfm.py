"""Time rfm_table against a bare pandas groupby on 3 million transactions.

Run from the repository root::

    python benchmarks/bench_rfm.py [rows]

The bare groupby computes the same three measures as ``rfm_table``:
recency in days from the last purchase line, frequency as distinct order
ids of purchase lines, and net monetary value (returns subtracted). It does
no checking and no scoring. ``rfm_table`` also validates its input and adds
the scores, the cells and the customers' total revenue. The script checks
that both give the same numbers, prints both timings and the ratio
``rfm_table / bare groupby`` (target: at most 1.5).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import best_of  # noqa: E402

from relmark_lab.rfm import rfm_table  # noqa: E402

END = pd.Timestamp("2024-12-31")


def make_transactions(rows: int, customers: int = 200_000, seed: int = 0) -> pd.DataFrame:
    """Order lines as read_transactions returns them: text ids, dates, 3% returns."""
    rng = np.random.default_rng(seed)
    seconds = np.sort(rng.integers(0, 3 * 365 * 86_400, rows))
    amount = np.round(rng.gamma(2.0, 30.0, rows), 2)
    amount[rng.random(rows) < 0.03] *= -1
    orders = np.arange(rows) // 2  # two lines per order on average
    customer_of_order = rng.integers(1, customers, orders[-1] + 1)
    return pd.DataFrame(
        {
            "customer_id": pd.array(
                np.char.add("C", np.char.zfill(customer_of_order[orders].astype(str), 6)),
                dtype="str",
            ),
            "date": pd.Timestamp("2022-01-01") + pd.to_timedelta(seconds, unit="s"),
            "amount": amount,
            "order_id": pd.array(
                np.char.add("O", np.char.zfill(orders.astype(str), 8)), dtype="str"
            ),
        }
    )


def bare_groupby(transactions: pd.DataFrame) -> pd.DataFrame:
    """Recency (days), frequency (orders) and net monetary with plain pandas."""
    purchases = transactions[transactions["amount"] > 0]
    by_customer = purchases.groupby("customer_id")
    last = by_customer["date"].max().dt.normalize()
    return pd.DataFrame(
        {
            "recency_days": (END - last).dt.days,
            "frequency": by_customer["order_id"].nunique(),
            "monetary": transactions.groupby("customer_id")["amount"].sum(),
        }
    )


def main(rows: int = 3_000_000, repeats: int = 5) -> float:
    transactions = make_transactions(rows)
    # Interleave the runs so that a busy moment of the machine hits both alike.
    bare_times, ours_times = [], []
    for _ in range(repeats):
        seconds, bare = best_of(lambda: bare_groupby(transactions), 1)
        bare_times.append(seconds)
        seconds, ours = best_of(lambda: rfm_table(transactions, END), 1)
        ours_times.append(seconds)
    same = ours[["recency_days", "frequency", "monetary"]]
    pd.testing.assert_frame_equal(
        same, bare.loc[same.index], check_dtype=False, check_names=False, check_index_type=False
    )
    bare_best, ours_best = min(bare_times), min(ours_times)
    ratio = ours_best / bare_best
    print(f"rows: {rows:,}  customers: {len(ours):,}  (best of {repeats})")
    print(f"bare pandas groupby: {bare_best:6.2f} s")
    print(f"rfm_table:           {ours_best:6.2f} s")
    print(f"ratio rfm_table / bare groupby: {ratio:.2f}  (target <= 1.5)")
    return ratio


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3_000_000)
