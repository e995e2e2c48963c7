"""relmark_lab: relationship-marketing analytics for teaching and for work.

The package holds the computing behind the kit's lessons, one module per
stage of the data path: reading transactions with a ledger of every row
(``read_transactions``), the kit's data sets (``datasets``), customer
identification (``identify``), customer differentiation
(``differentiate``), RFM analysis (``rfm``), customer lifetime value
(``clv``), plots (``plots``) and the self-checks that tell a
student whether an exercise is right (``checks``).

Examples
--------
>>> import relmark_lab as rl
>>> isinstance(rl.DataError("x"), ValueError)
True
"""

from __future__ import annotations

from relmark_lab import checks, clv, datasets, differentiate, identify, rfm
from relmark_lab.data import CANONICAL_COLUMNS, DROP_REASONS, Ledger, read_transactions
from relmark_lab.errors import DataError

__all__ = [
    "CANONICAL_COLUMNS",
    "DROP_REASONS",
    "DataError",
    "Ledger",
    "checks",
    "clv",
    "datasets",
    "differentiate",
    "identify",
    "read_transactions",
    "rfm",
]

__version__ = "0.1.0"
