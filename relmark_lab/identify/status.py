"""Active, inactive and potential customers (lesson 01, section 3).

A customer is *active* when their last purchase day is at most
``active_within_days`` days before the observation end, *inactive* when it
is older; leads who never bought are *potential*. Purchases follow the kit's
one rule (:mod:`relmark_lab._orders`, docs/contract.md): a *purchase day* is
a customer-day left with a positive net amount once returns without the
order's id have cancelled that day's purchases (up to what was bought), or
a day with a free order (a visit).

Examples
--------
>>> tx = pd.DataFrame({"customer_id": ["A", "B"], "amount": [10.0, 5.0],
...                    "date": pd.to_datetime(["2025-12-01", "2024-01-01"])})
>>> status_counts(customer_status(tx, "2025-12-31"))["customers"].tolist()
[1, 1, 0]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._observe import observe
from relmark_lab._orders import ObservedLines
from relmark_lab._time import on_or_before
from relmark_lab._validate import (
    ID_DTYPE,
    require_columns,
    require_ids,
    require_labels,
    require_number,
)
from relmark_lab.i18n import gettext as _

__all__ = ["STATUSES", "customer_status", "status_counts"]

#: Customer statuses of the course notes.
STATUSES: tuple[str, ...] = ("active", "inactive", "potential")

#: The ``attrs`` key counting the leads created after the observation end (left out).
LEADS_AFTER_END = "leads_after_observation_end"


def customer_status(
    transactions: pd.DataFrame,
    observation_end: Any,
    *,
    active_within_days: float = 365,
    leads: pd.DataFrame | None = None,
    timezone: Any = None,
) -> pd.DataFrame:
    """Active, inactive or potential, at the observation end.

    *Active* customers made a purchase within ``active_within_days`` days
    before ``observation_end`` (a purchase exactly that many days before
    still counts); *inactive* customers bought before but have lapsed beyond
    it — they buy elsewhere or not at all; *potential* customers are leads
    created by the end who have never bought.

    Purchases follow the kit's one rule (:mod:`relmark_lab._orders`,
    docs/contract.md): id-less purchase lines and id-less return lines of a
    customer-day are separate orders; a return without the order's id
    cancels that day's purchases up to what was bought; a *purchase day* is
    a customer-day left with a positive net amount, or with a free order (a
    visit). So an order cancelled the same day, or returned in full under
    its own order id, is no purchase. Lines after the end are left out and
    counted; customers whose observed lines hold no purchase (returns only)
    are no rows, and are counted too.

    Parameters
    ----------
    transactions : DataFrame or an engine source
        ``customer_id``, ``date``, ``amount`` and optionally ``order_id``;
        lines in an engine (see :mod:`relmark_lab.engines`) are aggregated
        there by the same rule and one row per customer comes back.
    observation_end : date-like
        The last observed day (required; the whole day counts).
    active_within_days : float, default 365
        Recency threshold in days.
    leads : DataFrame, optional
        ``lead_id`` (never missing) and, if present, ``created_date``; leads
        created after the end's day are left out and counted.
    timezone : str, optional
        The business's time zone; None keeps the clock time each date shows.

    Returns
    -------
    DataFrame
        One row per customer (sorted by id) then lead: ``customer_id``
        (text), ``last_purchase`` (the last purchase day, at midnight),
        ``days_since_last_purchase`` (whole days from that day to the end's
        day; missing for leads) and ``status`` (categorical). ``attrs`` holds
        ``observation_end``, ``lines_after_observation_end``,
        ``customers_without_purchases`` and ``leads_after_observation_end``
        (lead rows created after the end's day; 0 without ``leads`` or their
        ``created_date``).

    Raises
    ------
    DataError
        If a column is missing, a date, amount or customer id is unusable,
        a lead has no ``lead_id``, or ``observation_end`` is missing.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["A", "B"], "amount": [10.0, 5.0],
    ...                    "date": pd.to_datetime(["2025-12-01", "2024-01-01"])})
    >>> customer_status(tx, "2025-12-31")["status"].tolist()
    ['active', 'inactive']
    """
    require_number("active_within_days", active_within_days, low=0)
    observed = observe(transactions, observation_end, timezone=timezone)
    return _status_of(observed, active_within_days, leads, timezone)


def _status_of(observed: ObservedLines, active_within_days: float,
              leads: pd.DataFrame | None, timezone: Any = None) -> pd.DataFrame:
    """:func:`customer_status` of lines already observed (shared by the stages and tables)."""
    bought = observed.buyers(observed.per_customer())
    end = observed.observation_end
    days = (end - bought["last_purchase"]).dt.days.to_numpy()
    buyers = pd.DataFrame({
        "customer_id": bought["customer_id"].astype(ID_DTYPE),
        "last_purchase": bought["last_purchase"],
        "days_since_last_purchase": pd.array(days, dtype="Int64"),
        "status": np.where(days <= active_within_days, "active", "inactive"),
    })
    prospects, later = _prospects(leads, end, set(buyers["customer_id"]), timezone)
    status = pd.concat([buyers, prospects], ignore_index=True) if len(prospects) else buyers
    status["status"] = pd.Categorical(status["status"], categories=STATUSES)
    status.attrs = {**observed.attrs(), LEADS_AFTER_END: later}
    return status


def _prospects(leads: pd.DataFrame | None, end: pd.Timestamp, buyers: set,
               timezone: Any = None) -> tuple[pd.DataFrame, int]:
    """The leads created by the end's day who never bought, as rows of the status table,
    and how many lead rows were created after it."""
    if leads is None:
        return pd.DataFrame(columns=["customer_id"]), 0
    require_columns(leads, ["lead_id"], "leads")
    ids = require_ids(leads, "lead_id", "leads")
    later = 0
    if "created_date" in leads:
        inside = on_or_before(leads, "created_date", "leads", end, timezone)[1]
        later = int((~inside).sum())
        ids = ids[inside]
    ids = ids[~ids.isin(buyers)].drop_duplicates()
    return pd.DataFrame({
        "customer_id": ids.to_numpy(),
        "last_purchase": pd.Series(pd.NaT, index=range(len(ids)), dtype="datetime64[us]"),
        "days_since_last_purchase": pd.array([pd.NA] * len(ids), dtype="Int64"),
        "status": "potential",
    }).astype({"customer_id": ID_DTYPE}), later


def status_counts(status: pd.DataFrame) -> pd.DataFrame:
    """Customers and share per status; every status appears, even with none.

    Parameters
    ----------
    status : DataFrame
        Output of :func:`customer_status` (a ``status`` column).

    Returns
    -------
    DataFrame
        Indexed by status (active, inactive, potential): ``customers``, ``share``.

    Examples
    --------
    >>> status_counts(pd.DataFrame({"status": ["active", "active"]}))["customers"].tolist()
    [2, 0, 0]
    """
    require_columns(status, ["status"], "status")
    require_labels(status, "status", "status", STATUSES,
                   hint=_("Pass the table customer_status returns."))
    counts = status["status"].astype(ID_DTYPE).value_counts().reindex(STATUSES, fill_value=0)
    total = counts.sum()
    table = pd.DataFrame({
        "customers": counts.astype("int64"),
        "share": counts / total if total else counts * np.nan,
    })
    table.index.name = "status"
    return table
