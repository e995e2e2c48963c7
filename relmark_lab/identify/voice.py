"""The voice of the customer: contacts, complaints and who stays (lesson 01, section 5).

The contact log records which of the seven tools of the course notes each
contact came through and what kind it was. :func:`contacts_by_channel` and
:func:`complaint_resolution` describe the log; :func:`complainer_retention`
compares the customers whose complaints were solved with those left with an
unresolved one.

Examples
--------
>>> log = pd.DataFrame({"channel": ["letter", "letter"], "contact_type": ["complaint"] * 2,
...                     "resolved": [True, False], "days_to_resolve": [20, None]})
>>> complaint_resolution(log).loc["letter", ["complaints", "resolved"]].tolist()
[2, 1]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._orders import ObservedLines
from relmark_lab._time import day_numbers, on_or_before
from relmark_lab._validate import (
    MISSING_LABEL,
    as_ids,
    column_error,
    first_row,
    require_columns,
    require_ids,
    require_labels,
    require_number,
    require_numbers,
)
from relmark_lab.i18n import gettext as _
from relmark_lab.identify.status import _status_of

__all__ = [
    "MISSING_TYPE",
    "VOC_CHANNELS",
    "complainer_retention",
    "complaint_resolution",
    "contacts_by_channel",
]

#: Contact type under which contacts with no ``contact_type`` are counted.
MISSING_TYPE = MISSING_LABEL
#: The seven voice-of-the-customer tools of the course notes.
VOC_CHANNELS: tuple[str, ...] = (
    "focus group",
    "complaint box",
    "suggestion coupon",
    "toll-free line",
    "e-mail",
    "personal attention",
    "letter",
)
_GROUPS = ["no complaint", "all resolved", "some unresolved"]

#: The ``attrs`` key counting the contacts dated after the observation end (left out).
CONTACTS_AFTER_END = "contacts_after_observation_end"


def _check_contacts(contacts: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The contact log's ``columns``, checked and typed (channel, type, resolved, days)."""
    require_columns(contacts, columns, "contacts")
    log = contacts[list(columns)].copy()
    if "channel" in columns:
        require_labels(log, "channel", "contacts", VOC_CHANNELS, _("not one of the seven tools"),
                       _("Use {channels}.").format(channels=", ".join(VOC_CHANNELS)))
        log["channel"] = pd.Categorical(log["channel"], categories=VOC_CHANNELS)
    if "contact_type" in columns:
        # A contact with no type is kept and counted under MISSING_TYPE, never dropped.
        kind = as_ids(log["contact_type"]).str.strip()
        log["contact_type"] = kind.mask(kind.isna() | kind.eq(""), MISSING_TYPE)
    if "resolved" in columns:
        missing = log["resolved"].isna().to_numpy(dtype=bool)
        if missing.any():
            raise column_error("contacts", "resolved", int(missing.sum()), _("missing"),
                               first_row(log, missing), _("Drop or fill those rows first."))
        resolved = log["resolved"]
        if not pd.api.types.is_bool_dtype(resolved.dtype):
            resolved = resolved.map(_as_bool)
        bad = resolved.isna().to_numpy(dtype=bool)
        if bad.any():
            raise column_error("contacts", "resolved", int(bad.sum()), _("not True/False"),
                               log["resolved"].to_numpy(dtype=object)[bad][0],
                               _("Use True/False, 1/0 or the words 'true'/'false'."))
        log["resolved"] = resolved.astype(bool)
    if "days_to_resolve" in columns:
        log["days_to_resolve"] = require_numbers(log, "days_to_resolve", "contacts",
                                                 allow_missing=True, low=0)
    return log


def _as_bool(value: Any) -> bool | None:
    """True/False from a bool, 1/0 or the words 'true'/'false'; None if it is none of them."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.strip().lower())
    return None


def _complaints_until(contacts: pd.DataFrame, end: pd.Timestamp,
                     timezone: Any = None) -> tuple[pd.DataFrame, int]:
    """The complaints dated on or before the end's day (``customer_id``, ``day``,
    ``resolved``) and how many contacts of any type are dated after it.

    Complaints need a customer id; contacts of other types may lack one.
    """
    log = _check_contacts(contacts, ["customer_id", "date", "contact_type", "resolved"])
    dates, inside = on_or_before(log, "date", "contacts", end, timezone)
    kept = inside & log["contact_type"].eq("complaint").to_numpy(dtype=bool)
    complaints = log[kept]
    return pd.DataFrame({
        "customer_id": require_ids(complaints, "customer_id", "contacts"),
        "day": dates[kept].dt.normalize(),
        "resolved": complaints["resolved"],
    }), int((~inside).sum())


def contacts_by_channel(contacts: pd.DataFrame) -> pd.DataFrame:
    """Contacts per voice-of-the-customer tool and contact type (tidy, zeros included).

    Parameters
    ----------
    contacts : DataFrame
        ``channel`` (one of :data:`VOC_CHANNELS`) and ``contact_type``.

    Returns
    -------
    DataFrame
        ``channel``, ``contact_type``, ``contacts``: every channel × type pair,
        channels in the order of the course notes, types alphabetically.
        Contacts with no ``contact_type`` are counted under the type
        ``"(missing)"`` (:data:`MISSING_TYPE`, listed last), so the counts
        add up to the number of contacts.

    Examples
    --------
    >>> log = pd.DataFrame({"channel": ["letter", "e-mail"], "contact_type": ["complaint"] * 2})
    >>> contacts_by_channel(log)["contacts"].sum()
    np.int64(2)
    """
    log = _check_contacts(contacts, ["channel", "contact_type"])
    found = set(log["contact_type"])
    types = sorted(found - {MISSING_TYPE}) + [MISSING_TYPE] * (MISSING_TYPE in found)
    grid = pd.MultiIndex.from_product([VOC_CHANNELS, types], names=["channel", "contact_type"])
    counts = (
        log.groupby(["channel", "contact_type"], observed=True).size()
        .reindex(grid, fill_value=0).rename("contacts").astype("int64")
    )
    return counts.reset_index()


def complaint_resolution(contacts: pd.DataFrame) -> pd.DataFrame:
    """Complaints per channel: volume, share resolved, days to resolve.

    Parameters
    ----------
    contacts : DataFrame
        ``channel``, ``contact_type``, ``resolved`` (True/False; 1/0 and
        the words 'true'/'false' are read too) and
        ``days_to_resolve`` (days, missing when unresolved).

    Returns
    -------
    DataFrame
        Indexed by channel (all seven): ``complaints``, ``resolved``,
        ``share_resolved``, ``median_days_to_resolve``,
        ``mean_days_to_resolve`` (over resolved complaints; missing where a
        channel has none).

    Examples
    --------
    >>> log = pd.DataFrame({"channel": ["letter", "letter"], "contact_type": ["complaint"] * 2,
    ...                     "resolved": [True, False], "days_to_resolve": [20, None]})
    >>> complaint_resolution(log).loc["letter", "share_resolved"]
    np.float64(0.5)
    """
    log = _check_contacts(contacts, ["channel", "contact_type", "resolved", "days_to_resolve"])
    complaints = log[log["contact_type"] == "complaint"]
    by_channel = complaints.groupby("channel", observed=False)
    resolved_days = complaints["days_to_resolve"].where(complaints["resolved"])
    table = pd.DataFrame({
        "complaints": by_channel.size(),
        "resolved": by_channel["resolved"].sum(),
        "median_days_to_resolve": resolved_days.groupby(complaints["channel"], observed=False)
        .median(),
        "mean_days_to_resolve": resolved_days.groupby(complaints["channel"], observed=False)
        .mean(),
    }).reindex(VOC_CHANNELS)
    table["complaints"] = table["complaints"].fillna(0).astype("int64")
    table["resolved"] = table["resolved"].fillna(0).astype("int64")
    table.insert(2, "share_resolved",
                 table["resolved"] / table["complaints"].where(table["complaints"] > 0))
    table.index = pd.Index(VOC_CHANNELS, name="channel")
    return table


def complainer_retention(
    contacts: pd.DataFrame,
    transactions: pd.DataFrame,
    observation_end: Any,
    *,
    active_within_days: float = 365,
    timezone: Any = None,
) -> pd.DataFrame:
    """Do complainers whose complaint was solved stay? Retention by complaint outcome.

    Customers who bought by ``observation_end`` fall in three groups: ``no
    complaint``, ``all resolved`` (every complaint solved) and ``some
    unresolved``. For each group: how many are active at the end (see
    :func:`~relmark_lab.identify.customer_status`) and, for complainers, how
    many made a purchase on a day after their first complaint's day.

    Parameters
    ----------
    contacts : DataFrame
        ``customer_id``, ``date``, ``contact_type``, ``resolved``; contacts
        dated after the end's day are left out and counted.
    transactions : DataFrame
        ``customer_id``, ``date``, ``amount`` and optionally ``order_id``.
    observation_end : date-like
        The last observed day (required; the whole day counts).
    active_within_days : float, default 365
        Recency threshold in days.
    timezone : str, optional
        The business's time zone, for the transactions and the contacts.

    Returns
    -------
    DataFrame
        Indexed by group: ``customers``, ``active``, ``share_active``,
        ``bought_after_complaint``, ``share_bought_after_complaint``.
        ``attrs`` holds ``observation_end``, ``lines_after_observation_end``,
        ``customers_without_purchases``, ``contacts_after_observation_end``
        (contacts of any type dated after the end's day) and
        ``complainers_without_purchases`` (complainers who are not rows
        because they made no purchase).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["A", "B"], "amount": [10.0, 5.0],
    ...                    "date": pd.to_datetime(["2025-12-01", "2024-01-01"])})
    >>> log = pd.DataFrame({"customer_id": ["B"], "date": pd.to_datetime(["2024-01-02"]),
    ...                     "contact_type": ["complaint"], "resolved": [False]})
    >>> complainer_retention(log, tx, "2025-12-31")["customers"].tolist()
    [1, 0, 1]
    """
    require_number("active_within_days", active_within_days, low=0)
    observed = ObservedLines(transactions, observation_end, timezone=timezone)
    status = _status_of(observed, active_within_days, None, timezone)
    complaints, later_contacts = _complaints_until(contacts, observed.observation_end, timezone)
    per_complainer = complaints.groupby("customer_id").agg(
        unresolved=("resolved", lambda s: int((~s).sum())), first_complaint=("day", "min")
    )
    table = status.merge(per_complainer, left_on="customer_id", right_index=True, how="left")
    table["group"] = np.select(
        [table["unresolved"].isna(), table["unresolved"].eq(0)], _GROUPS[:2],
        default=_GROUPS[2],
    )
    # A purchase day later than the day of the first complaint is a purchase after it.
    customer, day, _amounts = observed.purchase_days()
    first = day_numbers(per_complainer["first_complaint"])
    first_day = pd.Series(first, index=per_complainer.index)
    purchase_ids = pd.Series(observed.customers[customer])
    later = purchase_ids.map(first_day).to_numpy(dtype="float64", na_value=np.nan) < day
    returned = set(purchase_ids[later])
    bought_after = table["customer_id"].isin(returned).to_numpy(dtype=bool)

    group = pd.Categorical(table["group"], categories=_GROUPS).codes
    active = table["status"].eq("active").to_numpy(dtype=bool)
    summary = pd.DataFrame({
        "customers": np.bincount(group, minlength=len(_GROUPS)),
        "active": np.bincount(group[active], minlength=len(_GROUPS)),
        "bought_after_complaint": np.bincount(group[bought_after], minlength=len(_GROUPS))
        .astype("float64"),
    }, index=pd.Index(_GROUPS, name="group"))
    # Customers without a complaint cannot buy "after" one.
    summary.loc["no complaint", "bought_after_complaint"] = np.nan
    denominator = summary["customers"].where(summary["customers"] > 0)
    summary.insert(2, "share_active", summary["active"] / denominator)
    summary["share_bought_after_complaint"] = summary["bought_after_complaint"] / denominator
    summary.attrs = {
        **observed.attrs(),
        CONTACTS_AFTER_END: later_contacts,
        "complainers_without_purchases": int(
            (~per_complainer.index.isin(status["customer_id"])).sum()),
    }
    return summary
