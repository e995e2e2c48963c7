"""VIP customers: five components, one weighted score, tiers cut by rank.

Lesson 02, section 4. The course notes recognise as VIP the customers with
the largest purchase volume, frequency and amount invested, the best
payment behaviour and the longest tenure (:func:`vip_components`). The
components, put on one scale, are weighted into a score (:func:`vip_score`),
the score is cut into tiers (:func:`assign_tiers`) and two weightings are
compared by how much of the VIP list they share (:func:`tier_overlap`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._orders import ObservedLines
from relmark_lab._validate import (
    as_ids,
    require_choice,
    require_columns,
    require_number,
    require_numbers,
)
from relmark_lab.differentiate._tables import whole_if_integral
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import gettext as _

__all__ = [
    "DEFAULT_TIERS",
    "DEFAULT_VIP_WEIGHTS",
    "assign_tiers",
    "tier_overlap",
    "vip_components",
    "vip_score",
]

#: Equal weights for the five VIP components of the course notes.
DEFAULT_VIP_WEIGHTS: dict[str, float] = {
    "volume": 0.2, "frequency": 0.2, "monetary": 0.2, "payment": 0.2, "tenure": 0.2,
}

#: Tier name -> share of customers, from the top score down; the shares must sum to 1.
DEFAULT_TIERS: dict[str, float] = {"VIP": 0.05, "Gold": 0.15, "Silver": 0.30, "Bronze": 0.50}

_VIP_RAW = {
    "volume": "units",
    "frequency": "orders",
    "monetary": "monetary",
    "payment": "mean_days_late",
    "tenure": "tenure_days",
}


def vip_components(
    transactions: pd.DataFrame, observation_end: Any, *, method: str = "percentile",
    timezone: str | None = None,
) -> pd.DataFrame:
    """The five VIP components of each customer, raw and standardized.

    The course notes name the customers worth most as those with the
    largest *purchase volume* (units), *frequency* (purchase orders),
    *amount invested* (net revenue), the best *payment behaviour* (mean days
    late per purchase order; fewer is better) and the longest *tenure* (days
    since the first purchase).

    Parameters
    ----------
    transactions : pandas.DataFrame
        Order lines with ``customer_id``, ``date``, ``amount``, ``quantity``
        and ``days_late``; ``order_id`` groups lines into orders (a
        customer's id-less purchase lines of a day are one order).
    observation_end : date-like
        The last observed day (the whole day counts); tenure is the number
        of whole days from the first purchase day to it. Lines dated later
        are left out and counted.
    method : {"percentile", "zscore"}, default "percentile"
        How each component is put on a common scale. ``"zscore"``: (x −
        mean) / standard deviation (population, ``ddof=0``; a component
        with no spread scores 0). ``"percentile"``: the mid-rank of x among
        all customers divided by their number (ties share the average rank),
        centred to run from about −0.5 to 0.5, so one extreme spender cannot
        dominate the score as it can with z-scores. Payment is negated
        before standardizing, so more days late lowers the score.
    timezone : str, optional
        The business's time zone for the dates (None keeps the clock time
        each date shows).

    Returns
    -------
    pandas.DataFrame
        One row per customer with a purchase order: ``customer_id`` (text),
        the raw ``units`` (net quantity), ``orders`` (purchase orders),
        ``monetary`` (net revenue, MXN), ``mean_days_late`` (days, over the
        purchase orders), ``tenure_days`` (days), then one standardized
        column per component, ``z_<component>`` or ``pct_<component>``
        (volume, frequency, monetary, payment, tenure). ``.attrs`` holds
        ``observation_end``, ``lines_after_observation_end`` and
        ``customers_without_purchases`` (customers left out because their
        lines hold no purchase). When nobody bought, the table has these
        columns and no row.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "b"], "order_id": ["1", "2"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-06-01"]), "amount": [10.0, 30.0],
    ...     "quantity": [1, 3], "days_late": [0, 5]})
    >>> vip_components(tx, "2024-12-31", method="zscore")["z_volume"].tolist()
    [-1.0, 1.0]
    """
    require_choice("method", method, ("percentile", "zscore"))
    lines = ObservedLines(transactions, observation_end, timezone=timezone,
                          numbers=("quantity", "days_late"))
    per = lines.per_customer()
    n = len(per)
    orders = lines.orders_frame()
    bought = orders[orders["purchase"]]
    codes = lines.order_customer[lines.order_is_purchase]
    late = np.bincount(codes, weights=bought["days_late"].to_numpy(), minlength=n)
    raw = pd.DataFrame({
        "customer_id": per["customer_id"],
        "units": whole_if_integral(np.bincount(lines.customer, weights=lines.numbers["quantity"],
                                               minlength=n)),
        "orders": per["orders"],
        "monetary": per["revenue"],
        "mean_days_late": late / np.maximum(per["orders"].to_numpy(), 1),
        "tenure_days": lines.end_day - lines.purchase_day_range[0],
    })
    raw = lines.buyers(raw)
    prefix = "z_" if method == "zscore" else "pct_"
    for component, column in _VIP_RAW.items():
        values = -raw[column] if component == "payment" else raw[column]
        raw[prefix + component] = _standardize(values.astype("float64"), method)
    return raw


def _standardize(values: pd.Series, method: str) -> pd.Series:
    """One component on the common scale of ``method`` (see :func:`vip_components`)."""
    if values.empty:  # no customer bought: nothing to rank (a mid-rank would divide by 0)
        return values.astype("float64")
    if method == "zscore":
        spread = values.std(ddof=0)
        if not spread > 0:
            return pd.Series(0.0, index=values.index)
        return (values - values.mean()) / spread
    return values.rank(method="average") / len(values) - 0.5 - 0.5 / len(values)


def vip_score(
    components: pd.DataFrame, weights: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Weighted VIP score from standardized components.

    Parameters
    ----------
    components : pandas.DataFrame
        Output of :func:`vip_components` (columns ``z_*`` or ``pct_*``).
    weights : dict, optional
        Component -> weight, for components among ``volume``, ``frequency``,
        ``monetary``, ``payment``, ``tenure``; missing ones weigh 0.
        Default :data:`DEFAULT_VIP_WEIGHTS` (equal). Weights must be
        non-negative with a positive sum; they are divided by their sum, so
        only their ratios matter.

    Returns
    -------
    pandas.DataFrame
        ``components`` with a ``vip_score`` column (weighted mean of the
        standardized components).

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"customer_id": ["a", "b"], "z_volume": [1.0, -1.0],
    ...                   "z_tenure": [-1.0, 1.0]})
    >>> vip_score(c, {"volume": 3, "tenure": 1})["vip_score"].tolist()
    [0.5, -0.5]
    """
    weights = _mapping("weights", DEFAULT_VIP_WEIGHTS if weights is None else weights,
                       "{'monetary': 2, 'tenure': 1}")
    unknown = [k for k in weights if k not in _VIP_RAW]
    if unknown:
        raise DataError(_("weights: {count} unknown component(s), e.g. {example!r}; use "
                          "{known}.").format(count=len(unknown), example=unknown[0],
                                             known=", ".join(_VIP_RAW)))
    weights = {k: require_number(f"weights[{k!r}]", w, low=0) for k, w in weights.items()}
    if not sum(weights.values()) > 0:
        raise DataError(_("weights must have a positive sum (weights are >= 0 and only their "
                          "ratios matter), got {example}.")
                        .format(example=describe_example(weights)))
    prefix = "z_" if any(c.startswith("z_") for c in components.columns) else "pct_"
    used = {k: w for k, w in weights.items() if w > 0}
    require_columns(components, ["customer_id"] + [prefix + k for k in used], "VIP components")
    total = sum(used.values())
    score = sum(require_numbers(components, prefix + k, "VIP components") * (w / total)
                for k, w in used.items())
    return components.assign(customer_id=as_ids(components["customer_id"]), vip_score=score)


def assign_tiers(
    frame: pd.DataFrame,
    score: str,
    tiers: Mapping[str, float] | None = None,
    *,
    below: float | None = None,
    below_label: str = "Below threshold",
) -> pd.DataFrame:
    """Cut customers into tiers by rank of a score, from the top down.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per customer with ``customer_id`` and the score column.
    score : str
        Column to rank by (higher is better), e.g. ``"vip_score"`` or
        ``"profit"``.
    tiers : dict, optional
        Tier name -> share of customers, best tier first; shares must sum to
        1. Default :data:`DEFAULT_TIERS` (VIP 5%, Gold 15%, Silver 30%,
        Bronze 50%).
    below : float, optional
        If given, customers whose score is below it go to ``below_label``
        whatever their rank (e.g. value-destroying customers with
        ``score="profit", below=0``).
    below_label : str, default "Below threshold"
        Name of that extra tier.

    Returns
    -------
    pandas.DataFrame
        ``frame`` with ``rank`` (1 = best; ties share the best rank) and
        ``tier`` (ordered categorical: the tiers, then ``below_label`` if
        ``below`` is given). A customer is in the first tier whose
        cumulative share is above the share of customers ranked above them
        (so the best customer is always in the first tier); tied customers
        share a tier, so a tier can be a little larger than its share.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"customer_id": list("abcd"), "s": [4.0, 3.0, 2.0, 1.0]})
    >>> assign_tiers(f, "s", {"top": 0.25, "rest": 0.75})["tier"].tolist()
    ['top', 'rest', 'rest', 'rest']
    """
    tiers = _mapping("tiers", DEFAULT_TIERS if tiers is None else tiers,
                     "{'VIP': 0.2, 'Rest': 0.8}")
    if not tiers:
        raise DataError(_("tiers must name at least one tier with its share of customers, "
                          "e.g. {{'VIP': 0.05, 'Gold': 0.15, 'Silver': 0.30, 'Bronze': 0.50}}, "
                          "got {{}}.").format())
    shares = np.array([require_number(f"tiers[{name!r}]", share, low=0, low_open=True, high=1)
                       for name, share in tiers.items()])
    if not np.isclose(shares.sum(), 1.0):
        raise DataError(_("tiers: the shares must be positive and sum to 1, they sum to "
                          "{total:g}, e.g. {example}.")
                        .format(total=shares.sum(),
                                example=describe_example(next(iter(tiers.items())))))
    require_columns(frame, ["customer_id", score], "customer table")
    values = require_numbers(frame, score, "customer table")
    if below is not None:
        below = require_number("below", below)
    out = frame.assign(customer_id=as_ids(frame["customer_id"]))
    out["rank"] = values.rank(method="min", ascending=False).astype("int64")
    # Share of customers ranked strictly above each one; rounded so 0.05 + 0.15 is 0.2.
    above = np.round((out["rank"].to_numpy() - 1) / max(len(out), 1), 12)
    bounds = np.round(np.cumsum(shares), 12)
    bounds[-1] = np.inf
    index = np.searchsorted(bounds, above, side="right")
    names = list(tiers)
    labels = np.array(names, dtype=object)[index] if len(out) else np.array([], dtype=object)
    categories = names + ([below_label] if below is not None else [])
    if below is not None:
        labels = np.where(values.to_numpy() < below, below_label, labels)
    out["tier"] = pd.Categorical(labels, categories=categories, ordered=True)
    return out


def _mapping(name: str, value: Any, example: str) -> dict:
    """``value`` as a dict (weights, tiers), or DataError if it is no mapping."""
    if not isinstance(value, Mapping):
        raise DataError(_("{name} must be a dict, e.g. {example}, got {value}.")
                        .format(name=name, example=example, value=describe_example(value)))
    return dict(value)


def tier_overlap(
    first: pd.DataFrame, second: pd.DataFrame, tier: str = "VIP"
) -> pd.Series:
    """How much two tier assignments agree on one tier (e.g. the VIP list).

    Parameters
    ----------
    first, second : pandas.DataFrame
        Tables with ``customer_id`` and ``tier`` (e.g. from
        :func:`assign_tiers` under two weightings).
    tier : str, default "VIP"
        The tier to compare.

    Returns
    -------
    pandas.Series
        ``in_first``, ``in_second``, ``in_both`` (customers),
        ``jaccard`` = both / either (1 = the same list, 0 = no one in
        common; 1 when both lists are empty) and ``kept_share`` = both /
        in_first (share of the first list that stays).

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"customer_id": list("abc"), "tier": ["VIP", "VIP", "Gold"]})
    >>> b = pd.DataFrame({"customer_id": list("abc"), "tier": ["VIP", "Gold", "VIP"]})
    >>> float(tier_overlap(a, b)["jaccard"])
    0.3333333333333333
    """
    require_columns(first, ["customer_id", "tier"], "first tier table")
    require_columns(second, ["customer_id", "tier"], "second tier table")
    a = set(as_ids(first["customer_id"])[(first["tier"] == tier).to_numpy(dtype=bool)])
    b = set(as_ids(second["customer_id"])[(second["tier"] == tier).to_numpy(dtype=bool)])
    either = len(a | b)
    return pd.Series({
        "in_first": len(a),
        "in_second": len(b),
        "in_both": len(a & b),
        "jaccard": len(a & b) / either if either else 1.0,
        "kept_share": len(a & b) / len(a) if a else np.nan,
    }, name=tier)
