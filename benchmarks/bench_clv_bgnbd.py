"""Time BetaGeoNBD.fit against lifetimes' BetaGeoFitter on a million simulated customers.

Run from the repository root::

    python benchmarks/bench_clv_bgnbd.py [customers]

The customers are simulated from the BG/NBD process (the CDNOW estimates
r=0.243, alpha=4.414, a=0.793, b=2.426, in weeks) at daily resolution:
first purchases spread over the first 12 weeks, observation over 78 weeks,
purchase times rounded down to whole days. Both fitters get the same
(frequency, recency, T) columns. The kit fits the distinct patterns with
weights; lifetimes fits every row. The script prints both timings, the
ratio (target: at least 20) and the largest relative difference of the
estimates (target: below 1e-3).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import compare_fitters  # noqa: E402

from relmark_lab.clv import BetaGeoNBD  # noqa: E402

TRUE = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def simulate_bgnbd(n: int, weeks: float = 78.0, seed: int = 0) -> pd.DataFrame:
    """frequency, recency, T in weeks, from purchase days of a simulated BG/NBD population."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(TRUE["r"], 1 / TRUE["alpha"], n)
    dropout = rng.beta(TRUE["a"], TRUE["b"], n)
    birth_day = rng.integers(0, 84, n)
    horizon = (weeks * 7 - birth_day) / 7  # T in weeks, a whole number of days
    clock = np.zeros(n)
    last = np.zeros(n)
    frequency = np.zeros(n, dtype=np.int64)
    active = np.arange(n)
    while active.size:  # one purchase per round for everyone still buying
        clock[active] += rng.exponential(1 / rate[active])
        in_window = clock[active] <= horizon[active]
        buyers = active[in_window]
        frequency[buyers] += 1
        last[buyers] = clock[buyers]
        active = buyers[rng.random(buyers.size) >= dropout[buyers]]
    return pd.DataFrame(
        {
            "frequency": frequency,
            "recency": np.floor(last * 7) / 7,  # the day of the last purchase
            "T": horizon,
        }
    )


def main(customers: int = 1_000_000) -> float:
    data = simulate_bgnbd(customers)
    print(f"{customers:,} customers, {data['frequency'].sum():,} repeat purchases, "
          f"{len(data.drop_duplicates()):,} distinct patterns")

    from lifetimes import BetaGeoFitter

    return compare_fitters(
        "relmark_lab BetaGeoNBD.fit", lambda: BetaGeoNBD().fit(data, time_unit="W"),
        "lifetimes BetaGeoFitter.fit",
        lambda: BetaGeoFitter().fit(data["frequency"], data["recency"], data["T"]),
        target=20,
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
