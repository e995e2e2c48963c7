"""The customer table, rebuilt at each update: the feedback loop (lesson 01, section 6).

Data management → program → feedback: after each round of contacts the
customer table is rebuilt with the latest purchases, survey answers and
complaint outcomes. Calling :func:`customer_table` at two ends shows how
the table moves.

Examples
--------
>>> tx = pd.DataFrame({"customer_id": ["A", "A"], "amount": [10.0, 20.0],
...                    "order_id": ["1", "2"],
...                    "date": pd.to_datetime(["2025-01-01", "2025-12-01"])})
>>> [customer_table(tx, end)["stage"].iloc[0] for end in ("2025-06-30", "2025-12-31")]
['acquisition', 'satisfaction']
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from relmark_lab._orders import ObservedLines
from relmark_lab._validate import ID_DTYPE, require_columns, require_ids, require_unique
from relmark_lab.identify._survey import latest_answers
from relmark_lab.identify.lifecycle import _check_rules, _stages_of
from relmark_lab.identify.voice import CONTACTS_AFTER_END, _complaints_until

__all__ = ["customer_table"]

_COLUMNS = ["customer_id", "status", "stage", "orders", "revenue", "first_purchase",
            "last_purchase", "days_since_last_purchase", "tenure_days", "satisfaction",
            "recommend", "detractor", "complaints", "unresolved_complaints", "observation_end"]


def customer_table(
    transactions: pd.DataFrame,
    observation_end: Any,
    *,
    customers: pd.DataFrame | None = None,
    leads: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    contacts: pd.DataFrame | None = None,
    active_within_days: float = 365,
    timezone: Any = None,
    **stage_rules: Any,
) -> pd.DataFrame:
    """One row per customer with what the firm knows at the observation end.

    Parameters
    ----------
    transactions : DataFrame
        Resolved transactions (``customer_id``, ``date``, ``amount`` and
        optionally ``order_id``).
    observation_end : date-like
        The day of the update (required; the whole day counts). Rows of any
        table dated after it are left out and counted in ``attrs``.
    customers : DataFrame, optional
        Customer master (``customer_id``, one row each, and attributes, e.g.
        ``region``) merged onto the rows; its customers who had not bought by
        the end are not rows of the table.
    leads, survey, contacts : DataFrame, optional
        As in :func:`~relmark_lab.identify.lifecycle_stage` and
        :func:`~relmark_lab.identify.complainer_retention`.
    active_within_days : float, default 365
        Recency threshold in days.
    timezone : str, optional
        The business's time zone, for every dated table.
    **stage_rules
        Further thresholds of :func:`~relmark_lab.identify.lifecycle_stage`
        (``maintenance_min_orders``, ``loyalty_min_orders``,
        ``loyalty_min_tenure_days``, ``detractor_max_score``).

    Returns
    -------
    DataFrame
        ``customer_id`` (text), master attributes, ``status``, ``stage``,
        ``orders`` (purchase orders), ``revenue`` (net of returns: all
        observed lines, MXN), ``first_purchase`` and ``last_purchase``
        (purchase days), ``days_since_last_purchase``, ``tenure_days``
        (whole days), ``satisfaction`` and ``recommend`` (the latest survey
        answer, taken as one row; see
        :func:`~relmark_lab.identify.lifecycle_stage`), ``detractor``,
        ``complaints``, ``unresolved_complaints``, ``observation_end``.
        ``attrs`` holds ``observation_end``, ``lines_after_observation_end``,
        ``customers_without_purchases``, and the rows dated after the end's
        day that were left out: ``leads_after_observation_end``,
        ``survey_answers_after_observation_end`` and
        ``contacts_after_observation_end`` (0 for a table not given or
        without dates).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["A"], "amount": [10.0], "order_id": ["1"],
    ...                    "date": pd.to_datetime(["2025-12-01"])})
    >>> customer_table(tx, "2025-12-31")[["customer_id", "status", "stage"]]
      customer_id  status        stage
    0           A  active  acquisition
    """
    rules = _check_rules(active_within_days, **stage_rules)
    observed = ObservedLines(transactions, observation_end, timezone=timezone)
    end = observed.observation_end
    table = _stages_of(observed, leads, survey, active_within_days, rules, timezone)
    attrs = dict(table.attrs)
    revenue = observed.per_customer().set_index("customer_id")["revenue"]
    table["revenue"] = table["customer_id"].map(revenue).fillna(0.0).astype("float64")
    table = table.join(_latest_survey(survey, table["customer_id"], end, timezone))
    complaints, attrs[CONTACTS_AFTER_END] = _complaint_counts(contacts, table["customer_id"],
                                                              end, timezone)
    table = table.join(complaints)
    table["observation_end"] = end
    table = table[_COLUMNS]
    if customers is not None:
        require_columns(customers, ["customer_id"], "customers")
        master = customers.copy()
        master["customer_id"] = require_ids(customers, "customer_id", "customers")
        require_unique(master, "customer_id", "customers")
        attributes = [c for c in master.columns if c not in _COLUMNS]
        table = table.merge(master[["customer_id", *attributes]], on="customer_id", how="left")
        table = table[["customer_id", *attributes, *_COLUMNS[1:]]]
    table.attrs = attrs
    return table


def _latest_survey(survey: pd.DataFrame | None, ids: pd.Series, end: pd.Timestamp,
                   timezone: Any = None) -> pd.DataFrame:
    """``satisfaction`` and ``recommend`` of each id's latest answer (missing if none)."""
    if survey is None:
        return pd.DataFrame({"satisfaction": pd.array([pd.NA] * len(ids), dtype="Int64"),
                             "recommend": pd.array([pd.NA] * len(ids), dtype="Int64")},
                            index=ids.index)
    latest, _ = latest_answers(survey, end, ["satisfaction", "recommend"], timezone)
    found = latest.reindex(ids.to_numpy())
    found.index = ids.index
    return found.astype("Int64")


def _complaint_counts(contacts: pd.DataFrame | None, ids: pd.Series, end: pd.Timestamp,
                      timezone: Any = None) -> tuple[pd.DataFrame, int]:
    """Complaints and unresolved complaints of each id by the end's day, and how many
    contacts are dated after it."""
    counts = pd.DataFrame({"complaints": 0, "unresolved_complaints": 0}, index=ids.index)
    if contacts is None:
        return counts, 0
    complaints, later = _complaints_until(contacts, end, timezone)
    by_customer = complaints.groupby(complaints["customer_id"].astype(ID_DTYPE)).agg(
        complaints=("resolved", "size"), unresolved_complaints=("resolved", lambda s: (~s).sum())
    )
    found = by_customer.reindex(ids.to_numpy()).fillna(0).astype("int64")
    found.index = ids.index
    return found, later
