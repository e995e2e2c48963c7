"""relmark_lab: relationship-marketing analytics for teaching and for work.

The package holds the computing behind the kit's lessons, one subpackage
per stage of the data path, laid out by the sections of its lesson:
reading transactions with a ledger of every row (``data``, with
``read_transactions``), the kit's data sets (``datasets``), customer
identification (``identify``), customer differentiation
(``differentiate``), RFM analysis (``rfm``), customer lifetime value
(``clv``), customer equity (``equity``, lesson 05), program evaluation
(``programs``, lesson 06), analyst reports (``reports``), plots
(``plots``) and the self-checks that tell a student whether an exercise is
right (``checks``), the last two named after the stages.

Every stage follows one contract, written once: the end of observation is
``observation_end`` and its whole day counts, a business day is the
business's local day, one rule turns lines into orders and purchases and
nets returns, ``customer_id`` is text, durations name a unit of
:mod:`relmark_lab.units`, and bad input raises :class:`DataError` in one
wording (see ``docs/contract.md``).

Examples
--------
>>> import relmark_lab as rl
>>> isinstance(rl.DataError("x"), ValueError)
True
"""

from __future__ import annotations

import importlib
from typing import Any

from relmark_lab.data import CANONICAL_COLUMNS, DROP_REASONS, Ledger, read_transactions
from relmark_lab.errors import DataError

#: The stages, imported when first used (``rl.clv``, ``from relmark_lab import clv``): a
#: lesson's kernel does not pay for the models, checks and reports it never touches.
_STAGES = ("checks", "clv", "datasets", "differentiate", "engines", "equity", "exercises",
           "grading", "i18n", "identify", "lessons", "plots", "programs", "reports", "rfm",
           "units")

__all__ = [
    "CANONICAL_COLUMNS",
    "DROP_REASONS",
    "DataError",
    "Ledger",
    "checks",
    "clv",
    "datasets",
    "differentiate",
    "equity",
    "identify",
    "programs",
    "read_transactions",
    "reports",
    "rfm",
    "units",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _STAGES:
        module = importlib.import_module(f"relmark_lab.{name}")
        globals()[name] = module  # imported once; later lookups skip this function
        return module
    raise AttributeError(f"module 'relmark_lab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_STAGES))
