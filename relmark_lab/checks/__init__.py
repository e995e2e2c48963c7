"""Self-checks for the exercises: right, or wrong because ... with a hint.

One module per stage, named as the stage (and as its plots module), holds
the checks of that stage's lesson; import it under a short name in the
exercise notebook. Every check runs the student's function on the lesson's
data and on data the student has not seen, never shows the answer it
expects, and gives its hints in two stages (the idea first, the concrete
step after a repeated wrong attempt).

The stage modules are imported when first used (``checks.rfm``, ``from
relmark_lab.checks import rfm``): some need scikit-learn, SciPy or
statsmodels, which a lesson that checks nothing should not have to load.

Examples
--------
>>> from relmark_lab.checks import data as check
>>> def cdnow_repeat_share(cdnow):
...     return (cdnow.groupby("customer_id")["date"].nunique() > 1).mean()
>>> print(check.cdnow_repeat_share(cdnow_repeat_share))
Right: 00.4 cdnow_repeat_share is correct.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from relmark_lab.checks._cases import kit_cases, unseen_data_dir
from relmark_lab.checks._compare import compare_answer
from relmark_lab.checks._core import (
    Case,
    CheckResult,
    Hints,
    Mistake,
    attempts,
    check_function,
    reset_attempts,
    unanswered,
)

#: The stage modules, imported on first use by :func:`__getattr__`.
STAGES = ("clv", "data", "differentiate", "equity", "identify", "programs", "rfm")

__all__ = [
    "Case",
    "CheckResult",
    "Hints",
    "Mistake",
    "attempts",
    "check_function",
    "clv",
    "compare_answer",
    "data",
    "differentiate",
    "equity",
    "identify",
    "kit_cases",
    "programs",
    "reset_attempts",
    "rfm",
    "unanswered",
    "unseen_data_dir",
]


def __getattr__(name: str) -> ModuleType:
    """``checks.<stage>``: the stage's module, imported the first time it is asked for."""
    if name in STAGES:
        # import_module also binds the module as this package's attribute, so this runs once.
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *STAGES})
