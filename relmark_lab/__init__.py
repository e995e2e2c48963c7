"""relmark_lab: relationship-marketing analytics for teaching and for work.

The package holds the computing behind the kit's lessons: reading
transactions with a ledger of every row, the kit's own synthetic customer
base and the real data sets that ship with packages, and the self-checks
that tell a student whether an exercise is right.

Examples
--------
>>> import relmark_lab as rl
>>> isinstance(rl.DataError("x"), ValueError)
True
"""

from __future__ import annotations

from relmark_lab import checks, datasets
from relmark_lab.data import CANONICAL_COLUMNS, Ledger, read_transactions
from relmark_lab.errors import DataError

__all__ = [
    "CANONICAL_COLUMNS",
    "DataError",
    "Ledger",
    "checks",
    "datasets",
    "read_transactions",
]

__version__ = "0.1.0"
