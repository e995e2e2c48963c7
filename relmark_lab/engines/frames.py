"""Small per-customer facts of lines that live in pandas or in an engine, one way for both.

Report templates and lessons need a few plain aggregates beside the stages:
the last date observed, each customer's net revenue, the value a column
holds on each customer's first line. These functions give them for a pandas
table or an Ibis table alike, so a template is written once.

Examples
--------
>>> import ibis
>>> lines = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [5.0, -2.0, 4.0],
...                       "date": pd.to_datetime(["2025-01-02", "2025-01-01", "2025-03-01"]),
...                       "channel": ["web", "shop", "web"]})
>>> for table in (lines, ibis.memtable(lines)):
...     first, last = date_range(table)
...     print(last.date(), net_by_customer(table)["amount"].tolist(),
...           first_value(table, "channel").to_dict())
2025-03-01 [3.0, 4.0] {'a': 'shop', 'b': 'web'}
2025-03-01 [3.0, 4.0] {'a': 'shop', 'b': 'web'}
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from relmark_lab._ids import ID_DTYPE
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["date_range", "first_value", "net_by_customer"]


def _in_engine(lines: Any) -> bool:
    return not isinstance(lines, pd.DataFrame)


def date_range(lines: Any) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The earliest and the latest ``date`` of the lines."""
    if _in_engine(lines):
        from relmark_lab.engines.sources import fetch

        found = fetch(lines.aggregate(first=lines.date.min(), last=lines.date.max())).iloc[0]
        return pd.Timestamp(found["first"]), pd.Timestamp(found["last"])
    return pd.Timestamp(lines["date"].min()), pd.Timestamp(lines["date"].max())


def net_by_customer(lines: Any) -> pd.DataFrame:
    """``customer_id`` and ``amount`` (the sum of all their lines, returns included), by id."""
    if _in_engine(lines):
        from relmark_lab.engines.sources import fetch

        found = fetch(lines.group_by("customer_id").aggregate(amount=lines.amount.sum()))
    else:
        found = lines.groupby("customer_id", as_index=False)["amount"].sum()
    found = found.assign(customer_id=found["customer_id"].astype(ID_DTYPE))
    return found.sort_values("customer_id", kind="stable").reset_index(drop=True)


def first_value(lines: Any, column: str) -> pd.Series:
    """The value of ``column`` on each customer's earliest line, as text, indexed by id."""
    if column not in lines.columns:
        raise DataError(_("{column!r} is not a column of the transactions; they have "
                          "{columns}.").format(column=column, columns=", ".join(lines.columns)))
    if _in_engine(lines):
        from relmark_lab.engines.sources import fetch

        found = fetch(lines.group_by("customer_id").aggregate(
            value=lines[column].cast("string").argmin(lines.date)))
        values = found.set_index("customer_id")["value"]
    else:
        first = lines.sort_values("date", kind="stable").drop_duplicates("customer_id")
        values = first.set_index("customer_id")[column].astype("str")
    values.index = values.index.astype(ID_DTYPE)
    return values.fillna("(missing)").sort_index()
