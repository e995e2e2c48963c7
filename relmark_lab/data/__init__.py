"""Read transaction exports into one clean, canonical table (lesson 00).

Real exports arrive as Spanish-locale CSV files with ``;`` separators and
``$1.234,50`` amounts, as Windows-encoded files, as tab-separated text, as
Parquet or as DataFrames already in memory. :func:`read_transactions` turns
all of them into the same table (``customer_id``, ``date``, ``amount`` and
optional columns) and returns a :class:`Ledger` that accounts for every row
it dropped and every guess it made, so an analysis can always be traced back
to the source file.

Dates follow the kit's one time rule (:mod:`relmark_lab._time`): with
``timezone=None`` every date keeps the clock time it shows, so a business
day is the business's local day, and with ``observation_end`` the whole
named day counts.

One module per step:

* :mod:`~relmark_lab.data.ledger`: the :class:`Ledger` and :data:`DROP_REASONS`;
* :mod:`~relmark_lab.data.sources`: DataFrame, CSV and Parquet sources, encoding
  and delimiter sniffing;
* :mod:`~relmark_lab.data.columns`: the canonical columns and the ``columns=`` mapping;
* :mod:`~relmark_lab.data.text`: cells as text, spellings of "no value";
* :mod:`~relmark_lab.data.numbers`: amounts, currency marks, decimal-mark inference;
* :mod:`~relmark_lab.data.dates`: date forms, day-first inference, UTC offsets;
* :mod:`~relmark_lab.data.rules`: duplicates, test customers, the observation end;
* :mod:`~relmark_lab.data.read`: :func:`read_transactions`, which runs them in order.

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame({"Customer_ID": ["007", "007", ""],
...                     "Date": ["2024-01-05", "2024-01-05", "2024-01-06"],
...                     "Amount": ["$1,250.00", "$1,250.00", "10"]})
>>> tx, ledger = read_transactions(raw, drop_duplicates=True)  # this export repeats rows
>>> tx["customer_id"].tolist(), tx["amount"].tolist()
(['007'], [1250.0])
>>> ledger.dropped
{'exact duplicate': 1, 'missing customer_id': 1}
"""

from relmark_lab.data.columns import CANONICAL_COLUMNS
from relmark_lab.data.ledger import DROP_REASONS, Ledger
from relmark_lab.data.read import read_transactions

__all__ = ["CANONICAL_COLUMNS", "DROP_REASONS", "Ledger", "read_transactions"]
