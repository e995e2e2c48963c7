"""The data a check runs the student's function on: the lesson's and data never shown.

A function that returns fixed numbers fits one data set. So every check also
runs the student's function on data the lesson never showed: the kit's
simulator (:func:`relmark_lab.datasets.synthetic.write_datasets`) with another
seed and a smaller size, written on the fly to a temporary folder and read
back with the same loaders as the lesson's data. The seed is fixed so a check
says the same thing every time; an instructor can set ``RELMARK_CHECK_SEED``
to change it for a class.
"""

from __future__ import annotations

import atexit
import copy
import functools
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab.checks._core import Case
from relmark_lab.i18n import N_

__all__ = [
    "UNSEEN_CUSTOMERS",
    "UNSEEN_SEED",
    "as_series_answer",
    "by_case",
    "kit_cases",
    "per_case",
    "unseen_data_dir",
    "unseen_label",
    "unseen_rng",
]

#: Seed of the unseen data (another than the kit's 20261125); RELMARK_CHECK_SEED overrides it.
UNSEEN_SEED = 7
#: Customers simulated for the unseen data: enough for quintiles and clusters, fast to make.
UNSEEN_CUSTOMERS = 800


def _seed() -> int:
    text = os.environ.get("RELMARK_CHECK_SEED", "").strip()
    return int(text) if text.isdigit() else UNSEEN_SEED


@functools.cache
def _written(seed: int, n_customers: int) -> Path:
    from relmark_lab.datasets.synthetic import write_datasets

    folder = Path(tempfile.mkdtemp(prefix=f"relmark-unseen-{seed}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    write_datasets(folder, seed=seed, n_customers=n_customers)
    return folder


def unseen_data_dir(seed: int | None = None, n_customers: int = UNSEEN_CUSTOMERS) -> Path:
    """A folder of the kit's tables simulated with another seed and size.

    Made once per kernel and removed when it exits; read it with the usual
    loaders (``datasets.load_transactions(folder)``, ...).

    Parameters
    ----------
    seed : int, optional
        Default ``RELMARK_CHECK_SEED`` if set, else :data:`UNSEEN_SEED`.
    n_customers : int, default UNSEEN_CUSTOMERS

    Returns
    -------
    pathlib.Path
    """
    return _written(_seed() if seed is None else seed, n_customers)


def unseen_label() -> str:
    """How a verdict names the unseen data (not its size, which some answers would give away).

    The English text, marked for translation: a verdict shows it in the kit's
    language. A label built around it translates it first, ``_(unseen_label())``.
    """
    return N_("new data you have not seen (simulated with another seed)")


def unseen_rng(salt: int = 0) -> np.random.Generator:
    """A random generator for unseen numbers (another seed than the lesson's)."""
    return np.random.default_rng([_seed(), salt])


def kit_cases(build: Callable[[Any], tuple], data_dir: Any = None) -> list[Case]:
    """The two cases of a check on the kit's tables: the lesson's folder, then unseen data.

    Parameters
    ----------
    build : callable
        ``build(folder) -> (args, expected, mistakes)``: the student's
        arguments, the reference answer and the known mistakes on the
        tables in ``folder``.
    data_dir : path, optional
        The lesson's data folder (None: the kit's ``datasets/``).

    Returns
    -------
    list of Case
    """
    args, expected, mistakes = build(data_dir)
    lesson = Case(N_("the lesson's data"), tuple(args), expected, tuple(mistakes))
    args, expected, mistakes = build(unseen_data_dir())
    unseen = Case(unseen_label(), tuple(args), expected, tuple(mistakes), seen=False)
    return [lesson, unseen]


# --- shaping answers for comparison ----------------------------------------------


def per_case(func: Callable, cases: dict[str, tuple]) -> Callable:
    """Wrap a scalar function so one call answers every case, as a Series by case label.

    A non-callable is passed through, so the check can say so.
    """
    if not callable(func):
        return func

    def run_cases() -> pd.Series:
        # Copies, so a function that modifies its arguments cannot spoil the next case.
        return pd.Series({label: _scalar(func(*copy.deepcopy(args)))
                          for label, args in cases.items()}, dtype="object")

    return run_cases


def _scalar(value: Any) -> Any:
    """A one-element array or Series becomes its number; anything else is kept as is."""
    if isinstance(value, (np.ndarray, pd.Series, pd.DataFrame)) and np.size(value) == 1:
        return np.asarray(value).item()
    return value


def by_case(cases: dict[str, tuple], formula: Callable) -> pd.Series:
    """What ``formula`` gives on every case, as a Series by case label."""
    return pd.Series({label: formula(*args) for label, args in cases.items()})


def as_series_answer(func: Callable, index: pd.Index, text_index: bool = False) -> Callable:
    """Wrap a function returning an array so its answer becomes a Series on ``index``."""
    if not callable(func):
        return func

    def run(*args):
        answer = func(*args)
        if isinstance(answer, np.ndarray) and answer.shape == (len(index),):
            answer = pd.Series(answer, index=index)
        if text_index and isinstance(answer, pd.Series):
            answer = answer.set_axis(answer.index.astype(str))
        return answer

    return run
