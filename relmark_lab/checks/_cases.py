"""The data a check runs the student's function on: the lesson's and data never shown.

A function that returns fixed numbers fits one data set. So every check also
runs the student's function on data the lesson never showed: the kit's
simulator (:func:`relmark_lab.datasets.synthetic.write_datasets`) with another
seed and a smaller size, written on the fly to a temporary folder and read
back with the same loaders as the lesson's data. The seed is fixed so a check
says the same thing every time; an instructor can set ``RELMARK_CHECK_SEED``
to change it for a class.

The cases of :func:`kit_cases` are built when first read, so a check of a
function still unanswered builds none, and built once per kernel for the
same data, seed and language, so checking again costs no reloading.
"""

from __future__ import annotations

import atexit
import copy
import functools
import os
import shutil
import tempfile
import types
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import i18n
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


def kit_cases(build: Callable[[Any], tuple], data_dir: Any = None) -> Sequence[Case]:
    """The two cases of a check on the kit's tables: the lesson's folder, then unseen data.

    The cases are built when first read (a check of a stub reads none) and
    kept for the kernel: the same ``build`` on the same files, seed, language
    and locale gives a copy of the cases built before.

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
    sequence of Case
        The lesson's case, then the unseen one.

    Examples
    --------
    >>> from relmark_lab import datasets
    >>> cases = kit_cases(lambda folder: ((), len(datasets.load_customers(folder)), ()))
    >>> [case.seen for case in cases]
    [True, False]
    >>> cases[0].expected > cases[1].expected
    True
    """
    return _KitCases(build, data_dir)


class _KitCases(Sequence):
    """The cases of :func:`kit_cases`, built the first time one is read."""

    def __init__(self, build: Callable[[Any], tuple], data_dir: Any) -> None:
        self._build, self._data_dir = build, data_dir
        self._cases: list[Case] | None = None

    def _built(self) -> list[Case]:
        if self._cases is None:
            self._cases = _cached_cases(self._build, self._data_dir)
        return self._cases

    def __len__(self) -> int:
        return 2  # known without building: the lesson's case and the unseen one

    def __getitem__(self, index):
        return self._built()[index]

    def __iter__(self) -> Iterator[Case]:
        return iter(self._built())

    def __repr__(self) -> str:
        return repr(self._built())


def _build_cases(build: Callable[[Any], tuple], data_dir: Any) -> list[Case]:
    args, expected, mistakes = build(data_dir)
    lesson = Case(N_("the lesson's data"), tuple(args), expected, tuple(mistakes))
    args, expected, mistakes = build(unseen_data_dir())
    unseen = Case(unseen_label(), tuple(args), expected, tuple(mistakes), seen=False)
    return [lesson, unseen]


#: Sets of cases kept per kernel, the least recently used dropped first (each holds tables).
CACHED_CASES = 16
#: Formula values kept per kernel by :func:`by_case` (each a short Series of numbers).
CACHED_FORMULAS = 256
_CASES: OrderedDict[Hashable, list[Case]] = OrderedDict()
_FORMULAS: OrderedDict[Hashable, pd.Series] = OrderedDict()


def _kept(store: OrderedDict, limit: int, key: Hashable | None, compute: Callable[[], Any]) -> Any:
    """``compute()``, or what it gave before under ``key`` (None: not kept); the caller copies."""
    if key is None:
        return compute()
    if key not in store:
        store[key] = compute()
        while len(store) > limit:
            store.popitem(last=False)
    store.move_to_end(key)
    return store[key]


def _cached_cases(build: Callable[[Any], tuple], data_dir: Any) -> list[Case]:
    """A deep copy of the cases built before on the same inputs, so no caller can spoil them."""
    cases = _kept(_CASES, CACHED_CASES, _cases_key(build, data_dir),
                  lambda: _build_cases(build, data_dir))
    return copy.deepcopy(cases)


def _function_key(func: Any) -> Hashable | None:
    """What a function computes, told by value: a function defined inside a check is a new
    object at every call, but its code, module and the values it closes over are the same."""
    if not isinstance(func, types.FunctionType):
        return None
    closure = tuple(cell.cell_contents for cell in func.__closure__ or ())
    return (func.__code__, id(func.__globals__), closure, func.__defaults__,
            tuple(sorted((func.__kwdefaults__ or {}).items())))


def _hashable(*parts: Any) -> Hashable | None:
    """``parts`` as a key, or None when one cannot be told by value (a table, a list...)."""
    if any(part is None for part in parts):
        return None
    try:
        hash(parts)
    except TypeError:
        return None
    return parts


def _cases_key(build: Callable[[Any], tuple], data_dir: Any) -> Hashable | None:
    """What the cases depend on, or None when it cannot be told (they are then not kept).

    Texts in the cases may be translated and numbers formatted when built,
    hence the language and the locale; the files' sizes and times tell a
    regenerated folder from the one read before.
    """
    try:
        function = _function_key(build)
    except ValueError:  # an empty cell in the closure
        return None
    return _hashable(function, _folder_state(data_dir), _folder_state(unseen_data_dir()),
                     i18n.get_language(), i18n.get_locale())


def _folder_state(data_dir: Any) -> Hashable:
    """The folder's files with their sizes and modification times (data_dir itself if no folder)."""
    from relmark_lab.datasets import data_dir as resolved_dir

    if data_dir is not None and not isinstance(data_dir, (str, os.PathLike)):
        return data_dir
    folder = resolved_dir(data_dir)
    if not folder.is_dir():
        return str(folder)
    return str(folder.resolve()), tuple(sorted(
        (entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
        for entry in os.scandir(folder) if entry.is_file()))


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
    """What ``formula`` gives on every case, as a Series by case label.

    A check computes its reference and each mistake on every call, and a
    formula such as a power calculation is slow: when the cases are numbers
    (not tables), the values are kept for the kernel, and a copy returned.

    Examples
    --------
    >>> by_case({"a": (1, 2), "b": (3, 4)}, lambda x, y: x * y).to_dict()
    {'a': 2, 'b': 12}
    """
    try:
        key = _hashable(_function_key(formula), tuple(cases.items()), _seed(),
                        i18n.get_language(), i18n.get_locale())
    except ValueError:  # an empty cell in the formula's closure
        key = None
    values = _kept(_FORMULAS, CACHED_FORMULAS, key, lambda: pd.Series(
        {label: formula(*args) for label, args in cases.items()}))
    return values.copy()


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
