"""Time ParetoNBD.fit against lifetimes' ParetoNBDFitter on the CDNOW master file.

Run from the repository root::

    python benchmarks/bench_clv_pareto.py

23,570 customers, calibration period 1997-01-01 .. 1997-09-30 in weeks, as
in the papers. lifetimes runs with its defaults (Nelder-Mead on every
row); the kit fits the distinct (frequency, recency, T) patterns with BFGS.
Prints both timings, the estimates, and the ratio (target: at least 10).
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from relmark_lab.clv import ParetoNBD, summarize  # noqa: E402
from relmark_lab.datasets import load_cdnow  # noqa: E402


def main() -> float:
    data = summarize(load_cdnow("master"), "1997-09-30", time_unit="W")
    print(f"{len(data):,} customers, {len(data[['frequency', 'recency', 'T']].drop_duplicates()):,}"
          " distinct patterns")

    start = time.perf_counter()
    ours = ParetoNBD().fit(data)
    ours_seconds = time.perf_counter() - start
    print(f"relmark_lab ParetoNBD.fit: {ours_seconds:.2f} s  {ours.params_.round(4).to_dict()}  "
          f"LL={ours.log_likelihood_:.2f}")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes import ParetoNBDFitter

        start = time.perf_counter()
        theirs = ParetoNBDFitter().fit(data["frequency"], data["recency"], data["T"])
        their_seconds = time.perf_counter() - start
    print(f"lifetimes ParetoNBDFitter.fit: {their_seconds:.2f} s  "
          f"{theirs.params_.round(4).to_dict()}")

    difference = np.max(np.abs(ours.params_.to_numpy() / theirs.params_.to_numpy() - 1))
    ratio = their_seconds / ours_seconds
    print(f"largest relative difference of the estimates: {difference:.2e}")
    print(f"speed-up lifetimes / relmark_lab: {ratio:.1f}x (target >= 10)")
    return ratio


if __name__ == "__main__":
    main()
