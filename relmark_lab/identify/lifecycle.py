"""The five stages of the relationship and the funnel between them (lesson 01, section 4).

Prospecting → acquisition → satisfaction → maintenance → loyalty, each with
an explicit rule on purchase orders, recency, tenure and the survey
(:func:`lifecycle_stage`), and the conversion from each stage to the next
(:func:`stage_funnel`).

Examples
--------
>>> tx = pd.DataFrame({"customer_id": ["A", "B", "B"], "amount": [10.0, 5.0, 7.0],
...                    "order_id": ["1", "2", "3"],
...                    "date": pd.to_datetime(["2025-12-01", "2025-01-01", "2025-11-01"])})
>>> stage_funnel(lifecycle_stage(tx, "2025-12-31"))["reached"].tolist()
[2, 2, 1, 0, 0]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._observe import observe
from relmark_lab._orders import ObservedLines
from relmark_lab._validate import (
    ID_DTYPE,
    require_columns,
    require_labels,
    require_number,
    require_whole_number,
)
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _
from relmark_lab.identify._survey import SURVEY_AFTER_END, latest_answers
from relmark_lab.identify.status import _status_of

__all__ = ["STAGES", "lifecycle_stage", "stage_funnel"]

#: The five stages of the relationship, in order.
STAGES: tuple[str, ...] = ("prospecting", "acquisition", "satisfaction", "maintenance", "loyalty")

#: The thresholds of the stage rules and their defaults (what ``**stage_rules`` may hold).
STAGE_RULES: dict[str, float] = {
    "maintenance_min_orders": 3,
    "loyalty_min_orders": 6,
    "loyalty_min_tenure_days": 365,
    "detractor_max_score": 6,
}


def lifecycle_stage(
    transactions: pd.DataFrame,
    observation_end: Any,
    *,
    leads: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    active_within_days: float = 365,
    maintenance_min_orders: int = 3,
    loyalty_min_orders: int = 6,
    loyalty_min_tenure_days: float = 365,
    detractor_max_score: int = 6,
    timezone: Any = None,
) -> pd.DataFrame:
    """Place each customer in one of the five stages of the relationship.

    The rules, checked from the top stage down (the first that holds wins):

    ========================  ==================================================
    stage                     rule (at ``observation_end``)
    ========================  ==================================================
    loyalty (fidelización)    active, at least ``loyalty_min_orders`` orders,
                              first purchase at least ``loyalty_min_tenure_days``
                              days before the end, and not a detractor
                              (``recommend`` ≤ ``detractor_max_score``) in the
                              survey if surveyed
    maintenance               active and at least ``maintenance_min_orders``
    (mantenimiento)           orders (several repeat purchases)
    satisfaction              at least two orders (one repeat), but not meeting
    (satisfacción)            the maintenance rule — including lapsed repeat
                              buyers
    acquisition (captación)   exactly one purchase order
    prospecting (prospección) a lead who never bought
    ========================  ==================================================

    A satisfied survey answer alone never moves a one-order customer up:
    satisfaction is shown by coming back, so the survey counts only after the
    first repeat purchase, and then only to keep detractors out of loyalty.
    Orders are the *purchase orders* of the kit's one rule
    (:mod:`relmark_lab._orders`, docs/contract.md): lines sharing an
    ``order_id`` are one order, a customer's id-less purchase lines of one
    day another (missing or blank ids, or no such column), and an order
    cancelled the same day or returned in full under its own id is no
    purchase.

    Parameters
    ----------
    transactions : DataFrame or an engine source
        ``customer_id``, ``date``, ``amount`` and optionally ``order_id``
        (in an engine: see :mod:`relmark_lab.engines`).
    observation_end : date-like
        The last observed day (required; the whole day counts).
    leads : DataFrame, optional
        Leads (``lead_id``), who become prospects; see :func:`customer_status`.
    survey : DataFrame, optional
        ``customer_id``, ``recommend`` (whole number 0–10) and optionally
        ``survey_date``; the customer's latest answer by the end's day counts
        (the later row of the file when two share a date; file order
        without ``survey_date``); later answers are left out and counted.
    active_within_days : float, default 365
        Recency threshold of :func:`customer_status`, in days.
    maintenance_min_orders, loyalty_min_orders : int, default 3 and 6
        Order thresholds (2 ≤ maintenance ≤ loyalty).
    loyalty_min_tenure_days : float, default 365
        Minimum days from the first purchase day to the end's day for loyalty.
    detractor_max_score : int, default 6
        Highest ``recommend`` score that counts as a detractor (NPS convention).
    timezone : str, optional
        The business's time zone; None keeps the clock time each date shows.

    Returns
    -------
    DataFrame
        One row per customer (sorted by id) then prospect: ``customer_id``,
        ``orders``, ``first_purchase`` (the first purchase day),
        ``tenure_days`` (whole days), ``status``, ``detractor`` (missing if
        not surveyed) and ``stage`` (ordered categorical). ``attrs`` as in
        :func:`customer_status`, and ``survey_answers_after_observation_end``
        (0 without ``survey`` or its ``survey_date``).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["A", "B", "B"], "amount": [10.0, 5.0, 7.0],
    ...                    "order_id": ["1", "2", "3"],
    ...                    "date": pd.to_datetime(["2025-12-01", "2025-01-01", "2025-11-01"])})
    >>> lifecycle_stage(tx, "2025-12-31")["stage"].tolist()
    ['acquisition', 'satisfaction']
    """
    rules = _check_rules(active_within_days, maintenance_min_orders=maintenance_min_orders,
                         loyalty_min_orders=loyalty_min_orders,
                         loyalty_min_tenure_days=loyalty_min_tenure_days,
                         detractor_max_score=detractor_max_score)
    observed = observe(transactions, observation_end, timezone=timezone)
    table = _stages_of(observed, leads, survey, active_within_days, rules, timezone)
    return _keep_attrs(table, ["customer_id", "orders", "first_purchase", "tenure_days",
                               "status", "detractor", "stage"])


def _check_rules(active_within_days: float, **rules: Any) -> dict[str, Any]:
    """The stage rules, checked; unknown names raise TypeError as a wrong keyword would."""
    unknown = sorted(set(rules) - set(STAGE_RULES))
    if unknown:
        raise TypeError(_("Unknown stage rule {rule!r}; the rules are {rules}.").format(
            rule=unknown[0], rules=", ".join(STAGE_RULES)))
    rules = {**STAGE_RULES, **rules}
    require_number("active_within_days", active_within_days, low=0)
    maintenance = require_whole_number("maintenance_min_orders",
                                       rules["maintenance_min_orders"], low=2)
    loyalty = require_whole_number("loyalty_min_orders", rules["loyalty_min_orders"], low=2)
    if loyalty < maintenance:
        raise DataError(
            _("Order thresholds must satisfy 2 ≤ maintenance_min_orders ≤ loyalty_min_orders, "
              "got {maintenance} and {loyalty}.").format(maintenance=maintenance, loyalty=loyalty)
        )
    require_number("loyalty_min_tenure_days", rules["loyalty_min_tenure_days"], low=0)
    require_number("detractor_max_score", rules["detractor_max_score"], low=0, high=10)
    return rules


def _stages_of(observed: ObservedLines, leads: pd.DataFrame | None,
              survey: pd.DataFrame | None, active_within_days: float,
              rules: dict[str, Any], timezone: Any = None) -> pd.DataFrame:
    """Stages of lines already observed, with the status columns (for the customer table)."""
    status = _status_of(observed, active_within_days, leads, timezone)
    per = observed.per_customer().set_index("customer_id")
    table = status.copy()
    table["orders"] = table["customer_id"].map(per["orders"]).fillna(0).astype("int64")
    table["first_purchase"] = table["customer_id"].map(per["first_purchase"]).astype(
        "datetime64[us]")
    end = observed.observation_end
    table["tenure_days"] = pd.array((end - table["first_purchase"]).dt.days, dtype="Int64")
    table["detractor"], later_answers = _detractors(survey, table["customer_id"], end,
                                                    rules["detractor_max_score"], timezone)

    active = table["status"].eq("active").to_numpy()
    orders = table["orders"].to_numpy()
    loyal = (
        active
        & (orders >= rules["loyalty_min_orders"])
        & (table["tenure_days"].fillna(-1).to_numpy() >= rules["loyalty_min_tenure_days"])
        & ~table["detractor"].fillna(False).to_numpy(bool)
    )
    stage = np.select(
        [loyal, active & (orders >= rules["maintenance_min_orders"]), orders >= 2, orders == 1],
        ["loyalty", "maintenance", "satisfaction", "acquisition"],
        default="prospecting",
    )
    table["stage"] = pd.Categorical(stage, categories=STAGES, ordered=True)
    table.attrs = {**status.attrs, SURVEY_AFTER_END: later_answers}
    return table


def _keep_attrs(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``table[columns]`` with the table's ``attrs``."""
    kept = table[columns].copy()
    kept.attrs = dict(table.attrs)
    return kept


def _detractors(survey: pd.DataFrame | None, ids: pd.Series, end: pd.Timestamp,
                max_score: float, timezone: Any = None) -> tuple[pd.Series, int]:
    """True for customers whose latest answer is a detractor's, missing if not surveyed;
    and how many answers were dated after the end's day."""
    if survey is None:
        return pd.Series(pd.NA, index=ids.index, dtype="boolean"), 0
    latest, later = latest_answers(survey, end, ["recommend"], timezone)
    detractor = (latest["recommend"] <= max_score).astype("boolean")
    return pd.Series(ids.map(detractor).to_numpy(), index=ids.index, dtype="boolean"), later


def stage_funnel(stages: pd.DataFrame) -> pd.DataFrame:
    """Customers per stage and the conversion from each stage to the next.

    A customer in a later stage has passed through the earlier ones, so
    ``reached`` counts everyone at or beyond a stage and ``conversion`` is
    ``reached`` divided by the previous stage's ``reached`` (missing for
    prospecting, and when the previous stage was reached by nobody).

    Parameters
    ----------
    stages : DataFrame
        Output of :func:`lifecycle_stage` (a ``stage`` column).

    Returns
    -------
    DataFrame
        Indexed by stage in order: ``customers``, ``reached``, ``conversion``.

    Examples
    --------
    >>> stages = pd.DataFrame({"stage": ["prospecting", "acquisition", "satisfaction"]})
    >>> stage_funnel(stages)["conversion"].round(2).tolist()
    [nan, 0.67, 0.5, 0.0, nan]
    """
    require_columns(stages, ["stage"], "stages")
    require_labels(stages, "stage", "stages", STAGES,
                   hint=_("Pass the table lifecycle_stage returns."))
    customers = stages["stage"].astype(ID_DTYPE).value_counts().reindex(STAGES, fill_value=0)
    reached = customers[::-1].cumsum()[::-1]
    previous = reached.shift(1)
    conversion = (reached / previous.where(previous > 0)).astype("float64")
    funnel = pd.DataFrame({
        "customers": customers.astype("int64"),
        "reached": reached.astype("int64"),
        "conversion": conversion,
    })
    funnel.index.name = "stage"
    return funnel
