"""Timing helpers shared by the benchmark scripts (run by hand, never by the tests)."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["best_of", "compare_fitters"]


def best_of(func: Callable[[], Any], repeats: int = 1) -> tuple[float, Any]:
    """Shortest wall-clock time of ``repeats`` calls, and the last call's result.

    The minimum is the least disturbed by whatever else the machine is doing.
    """
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def compare_fitters(
    ours_name: str, fit_ours: Callable[[], Any], theirs_name: str, fit_theirs: Callable[[], Any],
    target: float,
) -> float:
    """Time two fitters of the same model, print estimates, their gap and the speed-up.

    Both callables return a fitted object with a ``params_`` Series in the
    same order. lifetimes' warnings (deprecated pandas calls) are silenced.

    Returns
    -------
    float
        Speed-up, theirs / ours.
    """
    ours_seconds, ours = best_of(fit_ours)
    print(f"{ours_name}: {ours_seconds:.2f} s  {ours.params_.round(4).to_dict()}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        their_seconds, theirs = best_of(fit_theirs)
    print(f"{theirs_name}: {their_seconds:.2f} s  {theirs.params_.round(4).to_dict()}")
    difference = np.max(np.abs(ours.params_.to_numpy() / theirs.params_.to_numpy() - 1))
    ratio = their_seconds / ours_seconds
    print(f"largest relative difference of the estimates: {difference:.2e} (target < 1e-3)")
    print(f"speed-up {theirs_name.split()[0]} / {ours_name.split()[0]}: {ratio:.1f}x "
          f"(target >= {target:g})")
    return ratio
