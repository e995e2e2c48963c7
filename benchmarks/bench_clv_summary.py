"""Time clv.summarize against lifetimes' summary_data_from_transaction_data.

Run from the repository root::

    python benchmarks/bench_clv_summary.py [rows]

Builds 3,000,000 transactions of 200,000 customers over three years, then
summarizes them in days with both functions and checks that frequency,
recency, T and monetary value agree, for four kinds of input: time-stamped
(several orders can fall on one day) or date-only, with text ids ("000042")
or numeric ones (42). Prints both timings of each (best of three runs) and
the ratio (target: at least 5 for every kind).
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


def kinds(transactions: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The same lines time-stamped or date-only, with text or numeric ids."""
    dated = transactions.assign(date=transactions["date"].dt.floor("D"))
    numeric = transactions["customer_id"].astype("int64")
    return {"time-stamped, text ids": transactions,
            "time-stamped, numeric ids": transactions.assign(customer_id=numeric),
            "date-only, text ids": dated,
            "date-only, numeric ids": dated.assign(customer_id=numeric)}


def compare(transactions: pd.DataFrame) -> float:
    """Both functions on one kind of input: their times, their agreement, the speed-up."""
    ours_seconds, ours = best_of(lambda: summarize(transactions, END, time_unit="D"), 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes.utils import summary_data_from_transaction_data

        their_seconds, theirs = best_of(lambda: summary_data_from_transaction_data(
            transactions, "customer_id", "date", monetary_value_col="amount",
            observation_period_end=END, freq="D",
        ), 3)
    theirs = theirs.set_axis(theirs.index.astype(str)).sort_index()
    columns = ["frequency", "recency", "T", "monetary_value"]
    difference = np.abs(ours[columns].to_numpy() - theirs[columns].to_numpy()).max()
    assert difference < 1e-6, f"the two summaries differ by {difference}"
    ratio = their_seconds / ours_seconds
    print(f"  relmark_lab {ours_seconds:5.2f} s, lifetimes {their_seconds:5.2f} s, "
          f"{len(ours):,} customers, largest difference {difference:.1e}: "
          f"speed-up {ratio:.1f}x (target >= 5)")
    return ratio


def main(rows: int = 3_000_000) -> float:
    transactions = make_transactions(rows)
    print(f"{rows:,} rows")
    ratios = []
    for label, lines in kinds(transactions).items():
        print(label)
        ratios.append(compare(lines))
    print(f"smallest speed-up: {min(ratios):.1f}x (target >= 5)")
    return min(ratios)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3_000_000)
