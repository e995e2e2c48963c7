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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import compare_fitters  # noqa: E402

from relmark_lab.clv import ParetoNBD, summarize  # noqa: E402
from relmark_lab.datasets import load_cdnow  # noqa: E402


def main() -> float:
    data = summarize(load_cdnow("master"), "1997-09-30", time_unit="W")
    print(f"{len(data):,} customers, {len(data[['frequency', 'recency', 'T']].drop_duplicates()):,}"
          " distinct patterns")

    from lifetimes import ParetoNBDFitter

    return compare_fitters(
        "relmark_lab ParetoNBD.fit", lambda: ParetoNBD().fit(data),
        "lifetimes ParetoNBDFitter.fit",
        lambda: ParetoNBDFitter().fit(data["frequency"], data["recency"], data["T"]),
        target=10,
    )


if __name__ == "__main__":
    main()
