"""RFM analysis: scores, named segments, migration, clusters and targeting.

Recency, frequency and monetary value (*fecha de la última compra,
frecuencia, monto*) are the three ways the course notes differentiate
customers. This module turns transactions into one row per customer with
the three measures and their 1–5 scores, names segments from a rule table
the user can replace, follows customers between segments over time, finds
micro-segments with k-means, and picks the cells worth contacting with
Hughes' test-then-rollout rule.

Conventions of the whole module:

* ``recency_days`` is the number of whole calendar days between the last
  purchase and the observation end (0 = bought on the last day). It is
  *not* the ``recency`` of lifetimes and PyMC-Marketing (time between the
  first and the last purchase), hence the different name.
* A *purchase* is a line with ``amount > 0``. Returns (negative lines) and
  zero lines never count as orders and never make a customer more recent.
* Every score runs from 1 to ``bins`` and a higher score is always better:
  the most recent, most frequent and highest-spending customers get
  ``bins``.

Examples
--------
>>> import relmark_lab as rl
>>> from relmark_lab import rfm
>>> table = rfm.rfm_table(rl.datasets.load_transactions(), "2025-12-31")
>>> segments = rfm.assign_segments(table)
>>> int(rfm.segment_summary(segments)["customers"].sum())
5000
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from relmark_lab._validate import require_columns
from relmark_lab.errors import DataError, describe_example

__all__ = [
    "OTHERS",
    "RFMKMeans",
    "TargetingResult",
    "assign_segments",
    "break_even_rate",
    "choose_k",
    "cluster_segment_crosstab",
    "default_segment_rules",
    "log_rfm_features",
    "migration_matrix",
    "rfm_table",
    "score_ntile",
    "segment_summary",
    "simulate_responses",
    "test_then_rollout",
]

#: Label of the customers no segment rule matches; they are always counted.
OTHERS = "Others"
#: Row and column labels of the migration matrix for customers in one period only.
NEW = "(new)"
GONE = "(gone)"
#: Label of the customers whose grouping value is missing in :func:`segment_summary`.
MISSING = "(missing)"

_SCORES = ("r_score", "f_score", "m_score")
_MEASURES = ("recency_days", "frequency", "monetary")
_BOUNDS = {"r": "r_score", "f": "f_score", "m": "m_score", "fm": "fm_score"}


# --------------------------------------------------------------------------
# RFM table
# --------------------------------------------------------------------------


def score_ntile(
    values: pd.Series,
    bins: int = 5,
    *,
    higher_is_better: bool = True,
    ties: Literal["first", "keep"] = "first",
    groups: pd.Series | None = None,
) -> pd.Series:
    """Score values from 1 to ``bins`` by quantiles (equal-sized bins).

    The values are ranked (1 = worst) and the customer of rank ``i`` among
    ``n`` gets ``1 + floor(bins * (i - 1) / n)``, the rule of dplyr's
    ``ntile``: bin sizes differ by at most one.

    Parameters
    ----------
    values : pandas.Series
        One value per customer, in the order ties should be broken.
    bins : int, default 5
        Number of scores.
    higher_is_better : bool, default True
        False for recency in days, where a smaller number is better.
    ties : {"first", "keep"}, default "first"
        "first": equal values are ranked in the order they appear
        (``rank(method="first")``), so bins stay equal-sized but equal
        values can get different scores. "keep": equal values share the
        score of the first of them (``rank(method="min")``); bins can then
        be unequal and some scores empty.
    groups : pandas.Series, optional
        Score within each group separately (Hughes' nested scoring).

    Returns
    -------
    pandas.Series
        Integer scores, same index as ``values``.

    Examples
    --------
    >>> score_ntile(pd.Series([10, 20, 30, 40, 50]), bins=5).tolist()
    [1, 2, 3, 4, 5]
    >>> score_ntile(pd.Series([3, 1, 1, 1]), bins=2, ties="keep").tolist()
    [2, 1, 1, 1]
    """
    _check_bins(bins)
    if ties not in ("first", "keep"):
        raise DataError(f"ties must be 'first' or 'keep', got {describe_example(ties)}.")
    oriented = values if higher_is_better else -values
    method = "first" if ties == "first" else "min"
    if groups is None:
        rank = oriented.rank(method=method).to_numpy()
        size = np.full(len(values), len(values))
    else:
        grouped = oriented.groupby(groups.to_numpy(), sort=False)
        rank = grouped.rank(method=method).to_numpy()
        size = grouped.transform("size").to_numpy()
    scores = 1 + np.floor(bins * (rank - 1) / size).astype("int64")
    return pd.Series(scores, index=values.index, name=values.name)


def rfm_table(
    transactions: pd.DataFrame,
    observation_end: str | pd.Timestamp,
    *,
    bins: int = 5,
    monetary: Literal["total", "average"] = "total",
    scoring: Literal["independent", "nested"] = "independent",
    returns: Literal["net", "ignore"] = "net",
    ties: Literal["first", "keep"] = "first",
    drop_later: bool = False,
) -> pd.DataFrame:
    """One row per customer with recency, frequency, monetary value and scores.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Order lines with ``customer_id``, ``date`` (datetime) and ``amount``;
        ``order_id`` is used when present.
    observation_end : str or Timestamp
        Last day observed; the whole day counts. Recency is measured from it.
    bins : int, default 5
        Number of scores (5 gives Hughes' quintiles).
    monetary : {"total", "average"}, default "total"
        ``monetary`` is the customer's revenue, or revenue per order.
    scoring : {"independent", "nested"}, default "independent"
        "independent": R, F and M are each scored over all customers.
        "nested" (Hughes' original sort): R over all customers, F within
        each R score, M within each R-F cell.
    returns : {"net", "ignore"}, default "net"
        "net": returns (negative lines) are subtracted from the revenue.
        "ignore": they are left out, so revenue is gross. Either way a
        return is never an order and never makes a customer more recent.
    ties : {"first", "keep"}, default "first"
        How equal values are scored, see :func:`score_ntile`. With "first"
        ties are broken by ``customer_id`` (rows are sorted by it): bins
        are equal-sized and reproducible.
    drop_later : bool, default False
        Lines dated after ``observation_end`` raise :class:`DataError`;
        with True they are left out (and counted in
        ``attrs["lines_after_end"]``), to take a snapshot at a past date.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` (sorted), with columns

        ``recency_days``
            whole days from the last purchase to ``observation_end``;
        ``frequency``
            orders: distinct ``order_id`` with at least one purchase line,
            or distinct purchase days when there is no ``order_id``;
        ``monetary``
            total or average revenue, see ``monetary``;
        ``revenue``
            total revenue (net or gross, see ``returns``);
        ``r_score``, ``f_score``, ``m_score``, ``rfm_score`` (their sum)
            integer scores, higher is better;
        ``rfm_cell``
            the three scores as text, e.g. ``"545"``.

        ``attrs`` records the options, what frequency counts and how many
        customers were left out for having no purchase (returns only).

    Raises
    ------
    DataError
        A required column is missing, holds missing or non-numeric values,
        or a line is dated after ``observation_end``.

    Examples
    --------
    >>> lines = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b", "c"],
    ...     "date": pd.to_datetime(["2025-01-05", "2025-03-01", "2025-02-01", "2025-03-30"]),
    ...     "amount": [100.0, 50.0, 80.0, 20.0],
    ... })
    >>> table = rfm_table(lines, "2025-03-31", bins=3)
    >>> table[["recency_days", "frequency", "rfm_cell"]]  # doctest: +NORMALIZE_WHITESPACE
                 recency_days  frequency rfm_cell
    customer_id
    a                      30          2      233
    b                      58          1      112
    c                       1          1      321
    """
    _check_bins(bins)
    _check_choice("monetary", monetary, ("total", "average"))
    _check_choice("scoring", scoring, ("independent", "nested"))
    _check_choice("returns", returns, ("net", "ignore"))
    _check_choice("ties", ties, ("first", "keep"))
    end_day = _day(observation_end)
    customer_id, dates, amount = _validated_columns(transactions)

    later = dates >= (end_day + np.timedelta64(1, "D")).astype(dates.dtype)
    n_later = int(later.sum())
    if n_later and not drop_later:
        example = pd.Timestamp(dates[later][0])
        raise DataError(
            f"Column 'date': {n_later:,} line(s) are dated after the observation end "
            f"{end_day}, e.g. {example}. Pass a later observation_end, or drop_later=True "
            "to take a snapshot at that date."
        )
    order_id = transactions["order_id"] if "order_id" in transactions.columns else None
    if n_later:
        kept = ~later
        customer_id, dates, amount = customer_id[kept], dates[kept], amount[kept]
        order_id = None if order_id is None else order_id[kept]

    codes, customers = pd.factorize(customer_id, sort=True)
    n_customers = len(customers)
    purchase = amount > 0
    revenue_lines = amount if returns == "net" else np.where(purchase, amount, 0.0)
    revenue = np.bincount(codes, weights=revenue_lines, minlength=n_customers)

    day_numbers = dates.astype("datetime64[D]").astype("int64")
    last_day = np.full(n_customers, np.iinfo(np.int64).min)
    np.maximum.at(last_day, codes[purchase], day_numbers[purchase])
    if order_id is None:
        frequency = _distinct_per_customer(codes[purchase], day_numbers[purchase], n_customers)
        counts = "distinct purchase days"
    else:
        frequency = _orders_per_customer(codes, order_id, purchase, n_customers)
        counts = "distinct order_id with a purchase line"

    bought = frequency > 0
    n_without = int((~bought).sum())
    if n_without:
        warnings.warn(
            f"{n_without:,} customer(s) have no purchase (returns or zero lines only), e.g. "
            f"{describe_example(customers[~bought][0])}; they are left out of the RFM table "
            "and counted in attrs['customers_without_purchases'].",
            stacklevel=2,
        )
    end_number = end_day.astype("datetime64[D]").astype("int64")
    table = pd.DataFrame(
        {
            "recency_days": (end_number - last_day[bought]).astype("int64"),
            "frequency": frequency[bought].astype("int64"),
            "revenue": revenue[bought],
        },
        index=pd.Index(customers[bought], name="customer_id"),
    )
    total = table["revenue"]
    table.insert(2, "monetary", total if monetary == "total" else total / table["frequency"])
    _add_scores(table, bins, scoring, ties)
    table.attrs.update(
        observation_end=pd.Timestamp(end_day), bins=bins, monetary=monetary, scoring=scoring,
        returns=returns, ties=ties, frequency_counts=counts,
        customers_without_purchases=n_without, lines_after_end=n_later,
    )
    return table


def _add_scores(table: pd.DataFrame, bins: int, scoring: str, ties: str) -> None:
    nested = scoring == "nested"
    r = score_ntile(table["recency_days"], bins, higher_is_better=False, ties=ties)
    f = score_ntile(table["frequency"], bins, ties=ties, groups=r if nested else None)
    rf_cell = r * (bins + 1) + f
    m = score_ntile(table["monetary"], bins, ties=ties, groups=rf_cell if nested else None)
    table["r_score"], table["f_score"], table["m_score"] = r, f, m
    table["rfm_score"] = r + f + m
    separator = "" if bins <= 9 else "-"
    table["rfm_cell"] = (
        r.astype("str") + separator + f.astype("str") + separator + m.astype("str")
    )


def _validated_columns(transactions: pd.DataFrame) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    require_columns(transactions, ("customer_id", "date", "amount"), "transactions")
    if len(transactions) == 0:
        raise DataError("Column 'customer_id': the transactions have 0 rows; nothing to score.")
    customer_id = transactions["customer_id"]
    _no_missing(customer_id, "customer_id")
    date = transactions["date"]
    if not pd.api.types.is_datetime64_any_dtype(date):
        raise DataError(
            f"Column 'date' holds {date.dtype} values, not dates, e.g. "
            f"{describe_example(date.iloc[0])}. Convert it with pd.to_datetime or read the "
            "data with rl.read_transactions."
        )
    _no_missing(date, "date")
    if isinstance(date.dtype, pd.DatetimeTZDtype):
        date = date.dt.tz_localize(None)
    amount = transactions["amount"]
    if not pd.api.types.is_numeric_dtype(amount) or pd.api.types.is_bool_dtype(amount):
        raise DataError(
            f"Column 'amount' holds {amount.dtype} values, not numbers, e.g. "
            f"{describe_example(amount.iloc[0])}. Convert it with pd.to_numeric."
        )
    _no_missing(amount, "amount")
    return customer_id, date.to_numpy(), amount.to_numpy(dtype="float64")


def _no_missing(column: pd.Series, name: str) -> None:
    missing = column.isna().to_numpy()
    if missing.any():
        row = column.index[missing][0]
        raise DataError(
            f"Column {name!r}: {int(missing.sum()):,} value(s) are missing, e.g. in row "
            f"{describe_example(row)}. Drop or fill them first (rl.read_transactions "
            "drops them and counts them in its ledger)."
        )


def _orders_per_customer(
    codes: np.ndarray, order_id: pd.Series, purchase: np.ndarray, n_customers: int
) -> np.ndarray:
    """Distinct orders with at least one purchase line, per customer."""
    _no_missing(order_id, "order_id")
    order_codes, orders = pd.factorize(order_id)
    is_purchase = np.zeros(len(orders), dtype=bool)
    is_purchase[order_codes[purchase]] = True
    # Usually an order belongs to one customer; then counting orders is a
    # bincount over orders, much faster than distinct (customer, order) pairs.
    owner_min = np.full(len(orders), n_customers)
    owner_max = np.full(len(orders), -1)
    np.minimum.at(owner_min, order_codes, codes)
    np.maximum.at(owner_max, order_codes, codes)
    if (owner_min == owner_max).all():
        return np.bincount(owner_min[is_purchase], minlength=n_customers)
    return _distinct_per_customer(codes[purchase], order_codes[purchase], n_customers)


def _distinct_per_customer(codes: np.ndarray, values: np.ndarray, n_customers: int) -> np.ndarray:
    values = values - values.min() if len(values) else values
    key = codes.astype("int64") * (int(values.max(initial=0)) + 1) + values
    distinct = pd.unique(key)
    return np.bincount(distinct // (int(values.max(initial=0)) + 1), minlength=n_customers)


def _day(stamp: str | pd.Timestamp) -> np.datetime64:
    try:
        day = pd.Timestamp(stamp)
    except (TypeError, ValueError) as error:
        raise DataError(
            f"observation_end is not a date: {describe_example(stamp)} ({error})."
        ) from None
    if pd.isna(day):
        raise DataError(f"observation_end is not a date: {describe_example(stamp)}.")
    if day.tzinfo is not None:
        day = day.tz_localize(None)
    return np.datetime64(day.normalize().date(), "D")


def _check_bins(bins: object) -> None:
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 2:
        raise DataError(f"bins must be a whole number of at least 2, got {describe_example(bins)}.")


def _check_choice(name: str, value: object, allowed: Sequence[str]) -> None:
    if value not in allowed:
        options = " or ".join(repr(a) for a in allowed)
        raise DataError(f"{name} must be {options}, got {describe_example(value)}.")


# --------------------------------------------------------------------------
# Named segments
# --------------------------------------------------------------------------


def default_segment_rules() -> pd.DataFrame:
    """The default table of named segments on R and FM scores (1–5).

    ``fm`` is the mean of the F and M scores, so it moves in halves
    (1, 1.5, ..., 5). Bounds are inclusive and the **first matching rule
    wins**, which is why later rows can be written with broad ranges.
    The table covers every (R, FM) pair of a 5-bin scoring, so no
    customer lands in "Others" unless another ``bins`` is used.

    Returns
    -------
    pandas.DataFrame
        Columns ``segment``, ``r_min``, ``r_max``, ``fm_min``, ``fm_max``,
        ``description``; one row per segment, in the order rules are tried.

    Examples
    --------
    >>> default_segment_rules()["segment"].iloc[0]
    'Champions'
    """
    rows = [
        ("Champions", 4, 5, 4, 5, "bought recently, often and a lot: reward them"),
        ("Loyal Customers", 3, 5, 3, 5, "buy often and spend well: up-sell, ask for reviews"),
        ("Potential Loyalist", 4, 5, 2, 3, "recent, average spend: offer membership"),
        ("New Customers", 5, 5, 1, 2, "first purchase just now: onboard them"),
        ("Promising", 4, 4, 1, 2, "recent but little so far: build awareness"),
        ("Need Attention", 3, 3, 2, 3, "middling on all counts: limited-time offers"),
        ("About to Sleep", 3, 3, 1, 2, "fading and small: reactivate before they go"),
        ("Can't Lose Them", 1, 2, 4, 5, "were the best, gone quiet: win them back"),
        ("At Risk", 1, 2, 3, 4, "spent well long ago: personal contact"),
        ("Hibernating", 2, 2, 1, 3, "low value, long quiet: cheap reminders only"),
        ("Lost", 1, 1, 1, 3, "lowest on every count: do not spend on them"),
    ]
    columns = ["segment", "r_min", "r_max", "fm_min", "fm_max", "description"]
    return pd.DataFrame(rows, columns=columns)


def assign_segments(rfm: pd.DataFrame, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Name each customer's segment from a table of score ranges.

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`rfm_table` (needs the score columns the rules use).
    rules : pandas.DataFrame, optional
        Column ``segment`` and inclusive bounds ``<s>_min`` / ``<s>_max`` for
        ``s`` in ``r``, ``f``, ``m`` (the scores) and ``fm`` (mean of F and
        M). A missing bound column or an empty cell means "no limit". Rules
        are tried in row order; the first match wins. Defaults to
        :func:`default_segment_rules`. Other columns are ignored.

    Returns
    -------
    pandas.DataFrame
        A copy of ``rfm`` with a categorical ``segment`` column whose
        categories are the rules' segments in order, then ``"Others"`` for
        customers no rule matches (counted, never dropped).

    Raises
    ------
    DataError
        The rules lack ``segment``, have no bound column, repeat a segment,
        hold a non-number bound or a minimum above its maximum.

    Examples
    --------
    >>> rfm = pd.DataFrame({"r_score": [5, 1, 3], "f_score": [5, 1, 3], "m_score": [4, 2, 3]})
    >>> rules = pd.DataFrame({"segment": ["Best", "Lapsed"], "r_min": [4, None],
    ...                       "r_max": [None, 2]})
    >>> assign_segments(rfm, rules)["segment"].tolist()
    ['Best', 'Lapsed', 'Others']
    """
    rules = default_segment_rules() if rules is None else rules
    bounds = _validated_rules(rules)
    scores = _scores_for_rules(rfm, bounds)
    labels = np.full(len(rfm), len(rules), dtype="int64")  # position len(rules) = Others
    unassigned = np.ones(len(rfm), dtype=bool)
    for position, (_, rule) in enumerate(rules.iterrows()):
        match = unassigned.copy()
        for key, column in bounds.items():
            low, high = rule.get(f"{key}_min"), rule.get(f"{key}_max")
            if pd.notna(low):
                match &= scores[column] >= float(low)
            if pd.notna(high):
                match &= scores[column] <= float(high)
        labels[match] = position
        unassigned &= ~match
    names = [str(name) for name in rules["segment"]]
    if OTHERS in names:  # a rule may itself be called "Others": unmatched customers join it
        labels[labels == len(rules)] = names.index(OTHERS)
    else:
        names.append(OTHERS)
    out = rfm.copy()
    out["segment"] = pd.Categorical.from_codes(labels, categories=names)
    return out


def _validated_rules(rules: pd.DataFrame) -> dict[str, str]:
    if not isinstance(rules, pd.DataFrame) or "segment" not in rules.columns:
        raise DataError(
            "Column 'segment' is missing from the rule table: it needs one row per segment "
            "with a 'segment' name and bounds such as r_min, r_max, fm_min, fm_max."
        )
    duplicated = rules["segment"][rules["segment"].duplicated()]
    if len(duplicated):
        raise DataError(
            f"Column 'segment': {len(duplicated)} segment name(s) repeat in the rule table, "
            f"e.g. {describe_example(duplicated.iloc[0])}; give each rule its own name."
        )
    bounds = {
        key: column for key, column in _BOUNDS.items()
        if f"{key}_min" in rules.columns or f"{key}_max" in rules.columns
    }
    if not bounds:
        raise DataError(
            "The rule table has no bound column: use r_min/r_max, f_min/f_max, m_min/m_max "
            f"or fm_min/fm_max. Its columns are {list(rules.columns)}."
        )
    for key in bounds:
        for side in ("min", "max"):
            name = f"{key}_{side}"
            if name not in rules.columns:
                continue
            values = pd.to_numeric(rules[name], errors="coerce")
            bad = values.isna() & rules[name].notna()
            if bad.any():
                raise DataError(
                    f"Column {name!r} of the rule table: {int(bad.sum())} bound(s) are not "
                    f"numbers, e.g. {describe_example(rules[name][bad].iloc[0])}."
                )
        if f"{key}_min" in rules.columns and f"{key}_max" in rules.columns:
            low = pd.to_numeric(rules[f"{key}_min"])
            high = pd.to_numeric(rules[f"{key}_max"])
            crossed = low > high
            if crossed.any():
                segment = rules["segment"][crossed].iloc[0]
                raise DataError(
                    f"Column '{key}_min' of the rule table: {int(crossed.sum())} rule(s) have a "
                    f"minimum above the maximum, e.g. segment {describe_example(segment)}."
                )
    return bounds


def _scores_for_rules(rfm: pd.DataFrame, bounds: Mapping[str, str]) -> dict[str, np.ndarray]:
    needed = {"f_score", "m_score"} if "fm" in bounds else set()
    needed |= {column for key, column in bounds.items() if key != "fm"}
    missing = sorted(needed - set(rfm.columns))
    if missing:
        raise DataError(
            f"Column {missing[0]!r} is missing from the RFM table, and the rules need it; "
            "compute the table with rfm_table() first."
        )
    scores = {column: rfm[column].to_numpy(dtype="float64") for column in needed}
    if "fm" in bounds:
        scores["fm_score"] = (scores["f_score"] + scores["m_score"]) / 2
    return scores


def segment_summary(segmented: pd.DataFrame, by: str = "segment") -> pd.DataFrame:
    """Customers, orders and revenue of each segment (or cluster).

    Parameters
    ----------
    segmented : pandas.DataFrame
        An RFM table with a grouping column, e.g. from :func:`assign_segments`.
    by : str, default "segment"
        Grouping column. Every category of a categorical column is listed,
        empty ones with 0 customers. Customers whose value is missing are
        grouped in a last row labelled ``"(missing)"`` (only when there are
        some), so every customer is counted and the shares sum to 1.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``by``: ``customers``, ``customer_share``, ``orders``,
        ``revenue``, ``revenue_share``, ``average_order_value`` (revenue /
        orders), ``mean_recency_days``, ``mean_frequency``, ``mean_monetary``.

    Examples
    --------
    >>> rfm = pd.DataFrame({"segment": ["A", "A", "B"], "frequency": [1, 3, 2],
    ...                     "revenue": [10.0, 30.0, 60.0], "recency_days": [5, 1, 9],
    ...                     "monetary": [10.0, 30.0, 60.0]})
    >>> summary = segment_summary(rfm)
    >>> summary[["customers", "orders", "revenue_share"]]  # doctest: +NORMALIZE_WHITESPACE
             customers  orders  revenue_share
    segment
    A                2       4            0.4
    B                1       2            0.6
    """
    needed = [by, "frequency", "revenue", "recency_days", "monetary"]
    missing = [c for c in needed if c not in segmented.columns]
    if missing:
        raise DataError(
            f"Column {missing[0]!r} is missing from the table to summarise; use the output of "
            "rfm_table() with a segment column (assign_segments) or a cluster column."
        )
    grouped = segmented.groupby(by, observed=False, sort=True, dropna=False)
    summary = pd.DataFrame(
        {
            "customers": grouped.size(),
            "orders": grouped["frequency"].sum(),
            "revenue": grouped["revenue"].sum(),
            "mean_recency_days": grouped["recency_days"].mean(),
            "mean_frequency": grouped["frequency"].mean(),
            "mean_monetary": grouped["monetary"].mean(),
        }
    )
    if summary.index.isna().any():
        summary.index = _label_missing(summary.index)
    summary.insert(1, "customer_share", summary["customers"] / summary["customers"].sum())
    summary.insert(4, "revenue_share", summary["revenue"] / summary["revenue"].sum())
    orders = summary["orders"].where(summary["orders"] > 0)
    summary.insert(5, "average_order_value", summary["revenue"] / orders)
    return summary


def _label_missing(index: pd.Index) -> pd.Index:
    """Replace the missing group label (NaN) of a groupby result with ``"(missing)"``."""
    if isinstance(index, pd.CategoricalIndex):
        return index.add_categories([MISSING]).fillna(MISSING)
    return index.astype("object").fillna(MISSING)


# --------------------------------------------------------------------------
# Migration between two periods
# --------------------------------------------------------------------------


def migration_matrix(
    before: pd.DataFrame | pd.Series, after: pd.DataFrame | pd.Series, *, shares: bool = False
) -> pd.DataFrame:
    """How many customers moved from each segment to each other one.

    Parameters
    ----------
    before, after : DataFrame with a ``segment`` column, or Series of segments
        Indexed by ``customer_id``, e.g. :func:`assign_segments` on RFM
        tables at two observation ends.
    shares : bool, default False
        False: counts. True: shares of each row (where the customers of a
        ``before`` segment went); rows sum to 1.

    Returns
    -------
    pandas.DataFrame
        Rows: segments before, plus ``"(new)"`` for customers only in
        ``after``. Columns: segments after, plus ``"(gone)"`` for customers
        only in ``before``. Every customer of either table is counted once.

    Raises
    ------
    DataError
        A table lacks ``segment``, repeats a customer, or has a customer
        whose segment is missing (it would be mistaken for a new or gone
        customer; leave such customers out, or label them, e.g. "Others").

    Examples
    --------
    >>> before = pd.Series({"a": "Top", "b": "Low"}, name="segment")
    >>> after = pd.Series({"a": "Low", "c": "Top"}, name="segment")
    >>> migration_matrix(before, after)  # doctest: +NORMALIZE_WHITESPACE
    after   Low  Top  (gone)
    before
    Low       0    0       1
    Top       1    0       0
    (new)     0    1       0
    """
    first, second = _segment_series(before, "before"), _segment_series(after, "after")
    rows = _categories(first) + [NEW]
    columns = _categories(second) + [GONE]
    both = pd.concat(
        [first.astype("object").rename("before"), second.astype("object").rename("after")],
        axis=1, join="outer",
    )
    both["before"] = both["before"].fillna(NEW)
    both["after"] = both["after"].fillna(GONE)
    counts = pd.crosstab(both["before"], both["after"]).reindex(
        index=rows, columns=columns, fill_value=0
    )
    counts = counts.rename_axis(index="before", columns="after")
    # Empty "(new)", "(gone)" and "Others" lines say nothing; every customer is still counted.
    for label in (NEW, OTHERS):
        if label in counts.index and counts.loc[label].sum() == 0:
            counts = counts.drop(index=label)
    for label in (GONE, OTHERS):
        if label in counts.columns and counts[label].sum() == 0:
            counts = counts.drop(columns=label)
    if shares:
        totals = counts.sum(axis=1)
        return counts.div(totals.where(totals > 0), axis=0)
    return counts


def _segment_series(data: pd.DataFrame | pd.Series, name: str) -> pd.Series:
    if isinstance(data, pd.DataFrame):
        if "segment" not in data.columns:
            raise DataError(
                f"Column 'segment' is missing from {name}; run assign_segments() on it first."
            )
        data = data["segment"]
    if data.index.has_duplicates:
        repeated = data.index[data.index.duplicated()]
        raise DataError(
            f"Column 'customer_id' of {name}: {len(repeated)} customer(s) appear twice, e.g. "
            f"{describe_example(repeated[0])}; each customer needs one segment."
        )
    unlabelled = data.index[data.isna().to_numpy()]
    if len(unlabelled):
        raise DataError(
            f"Column 'segment' of {name}: {len(unlabelled)} customer(s) have a missing segment, "
            f"e.g. customer {describe_example(unlabelled[0])}; label them (e.g. {OTHERS!r}) "
            "or leave them out of the table."
        )
    return data


def _categories(segments: pd.Series) -> list:
    if isinstance(segments.dtype, pd.CategoricalDtype):
        return list(segments.cat.categories)
    return sorted(segments.dropna().unique())


# --------------------------------------------------------------------------
# Micro-segmentation with k-means
# --------------------------------------------------------------------------


def log_rfm_features(rfm: pd.DataFrame) -> pd.DataFrame:
    """Log-transformed recency, frequency and monetary value for clustering.

    RFM measures are strongly right-skewed; ``log1p`` makes a distance
    between customers mean "a similar ratio" rather than "a similar number of
    pesos". Negative monetary values (net returns) are clipped to 0 first.

    Examples
    --------
    >>> rfm = pd.DataFrame({"recency_days": [0], "frequency": [1], "monetary": [0.0]})
    >>> log_rfm_features(rfm).round(3).iloc[0].tolist()
    [0.0, 0.693, 0.0]
    """
    missing = [c for c in _MEASURES if c not in rfm.columns]
    if missing:
        raise DataError(
            f"Column {missing[0]!r} is missing from the RFM table; compute it with rfm_table()."
        )
    return pd.DataFrame(
        {
            "log_recency_days": np.log1p(rfm["recency_days"].astype("float64")),
            "log_frequency": np.log1p(rfm["frequency"].astype("float64")),
            "log_monetary": np.log1p(rfm["monetary"].astype("float64").clip(lower=0)),
        },
        index=rfm.index,
    )


class RFMKMeans(BaseEstimator):
    """K-means micro-segments on standardized log-RFM.

    Parameters
    ----------
    n_clusters : int, default 4
        Number of clusters.
    random_state : int, default 0
        Seed of k-means' initialisation, for reproducible clusters.
    n_init : int, default 10
        Number of k-means restarts.

    Attributes
    ----------
    scaler_ : sklearn.preprocessing.StandardScaler
    kmeans_ : sklearn.cluster.KMeans
    labels_ : pandas.Series
        Cluster of each customer of the fitted table, 1 = the cluster with the
        highest mean revenue per customer, then down.
    centers_ : pandas.DataFrame
        Cluster centres back in the original units (days, orders, money).
    inertia_ : float
        Sum of squared distances to the centres (standardized units).

    Examples
    --------
    >>> import relmark_lab as rl
    >>> table = rfm_table(rl.datasets.load_transactions(), "2025-12-31")
    >>> model = RFMKMeans(n_clusters=3).fit(table)
    >>> sorted(model.labels_.unique().tolist())
    [1, 2, 3]
    """

    def __init__(self, n_clusters: int = 4, random_state: int = 0, n_init: int = 10):
        self.n_clusters = n_clusters
        self.random_state = random_state
        self.n_init = n_init

    def fit(self, rfm: pd.DataFrame, y: None = None) -> RFMKMeans:
        """Fit k-means on ``rfm`` (output of :func:`rfm_table`); returns self."""
        features = log_rfm_features(rfm)
        if len(features) < self.n_clusters:
            raise DataError(
                f"Column 'customer_id': {len(features)} customer(s) cannot form "
                f"{self.n_clusters} clusters, e.g. {describe_example(features.index[0])}."
            )
        self.scaler_ = StandardScaler().fit(features)
        with _one_thread():
            self.kmeans_ = KMeans(
                n_clusters=self.n_clusters, random_state=self.random_state, n_init=self.n_init
            ).fit(self.scaler_.transform(features))
        raw = pd.Series(self.kmeans_.labels_, index=rfm.index)
        # Order clusters by value so that "cluster 1" means the same thing on every run.
        value = rfm["frequency"] * rfm["monetary"] if "revenue" not in rfm else rfm["revenue"]
        ranking = value.groupby(raw).mean().sort_values(ascending=False).index
        self.relabel_ = {int(old): new for new, old in enumerate(ranking, start=1)}
        self.labels_ = raw.map(self.relabel_).rename("cluster")
        centers = self.scaler_.inverse_transform(self.kmeans_.cluster_centers_)
        self.centers_ = pd.DataFrame(
            np.expm1(centers), columns=list(_MEASURES),
            index=pd.Index([self.relabel_[i] for i in range(self.n_clusters)], name="cluster"),
        ).sort_index()
        self.inertia_ = float(self.kmeans_.inertia_)
        self.n_features_in_ = features.shape[1]
        return self

    def predict(self, rfm: pd.DataFrame) -> pd.Series:
        """Cluster (1 = most valuable) of each customer of an RFM table."""
        features = self.scaler_.transform(log_rfm_features(rfm))
        raw = pd.Series(self.kmeans_.predict(features), index=rfm.index)
        return raw.map(self.relabel_).rename("cluster")


def _one_thread() -> threadpool_limits:
    # Three features and a few thousand customers: OpenMP threads cost more than they
    # save, and on a busy machine (a class server) they made k-means 40 times slower.
    return threadpool_limits(limits=1)


def choose_k(
    rfm: pd.DataFrame,
    ks: Iterable[int] = range(2, 9),
    *,
    random_state: int = 0,
    n_init: int = 10,
    silhouette_sample: int | None = 5000,
) -> pd.DataFrame:
    """Inertia (for the elbow) and silhouette of k-means for several k.

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`rfm_table`.
    ks : iterable of int, default 2..8
        Numbers of clusters to try; each must be a whole number of at least
        2 and below the number of customers (the silhouette needs at least
        two clusters and one customer more than clusters).
    random_state, n_init : int
        Passed to k-means (and the silhouette's sample).
    silhouette_sample : int or None, default 5000
        The silhouette costs time in the square of the customers, so it is
        computed on a random sample of this many customers (None = all).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``k``: ``inertia`` and ``silhouette`` (higher is better).

    Raises
    ------
    DataError
        ``ks`` is empty or holds a value that is not a possible number of
        clusters for these customers, or all customers have the same
        features (k-means then finds a single cluster).

    Examples
    --------
    >>> import relmark_lab as rl
    >>> table = rfm_table(rl.datasets.load_transactions(), "2025-12-31")
    >>> choose_k(table, [2, 3]).index.tolist()
    [2, 3]
    """
    features = StandardScaler().fit_transform(log_rfm_features(rfm))
    ks = _validated_ks(ks, len(features))
    sample = None if silhouette_sample is None or silhouette_sample >= len(features) else (
        silhouette_sample
    )
    rows = []
    for k in ks:
        with _one_thread():
            model = KMeans(n_clusters=k, random_state=random_state, n_init=n_init).fit(features)
        found = len(np.unique(model.labels_))
        if found < 2:
            raise DataError(
                f"Column 'customer_id': the {len(features):,} customers' recency, frequency and "
                f"monetary values are all alike, so k-means found {found} cluster for k={k}, "
                f"e.g. customer {describe_example(rfm.index[0])}; there is nothing to cluster."
            )
        silhouette = silhouette_score(
            features, model.labels_, sample_size=sample, random_state=random_state
        )
        rows.append({"k": k, "inertia": float(model.inertia_), "silhouette": float(silhouette)})
    return pd.DataFrame(rows).set_index("k")


def _validated_ks(ks: Iterable[int], n_customers: int) -> list[int]:
    ks = list(ks)
    if not ks:
        raise DataError("ks is empty: give at least one number of clusters to try, e.g. [2, 3].")
    bad = [
        k for k in ks
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 2 <= k < n_customers
    ]
    if bad:
        raise DataError(
            f"ks: {len(bad)} value(s) are not a possible number of clusters for "
            f"{n_customers:,} customer(s) (each k must be a whole number from 2 to "
            f"{n_customers - 1:,}), e.g. {describe_example(bad[0])}."
        )
    return [int(k) for k in ks]


def cluster_segment_crosstab(segmented: pd.DataFrame, clusters: pd.Series) -> pd.DataFrame:
    """Customers of each named segment (rows) in each cluster (columns).

    Examples
    --------
    >>> segmented = pd.DataFrame({"segment": ["A", "A", "B"]}, index=["x", "y", "z"])
    >>> clusters = pd.Series([1, 2, 2], index=["x", "y", "z"])
    >>> cluster_segment_crosstab(segmented, clusters)  # doctest: +NORMALIZE_WHITESPACE
    cluster  1  2
    segment
    A        1  1
    B        0  1
    """
    segments = _segment_series(segmented, "segmented")
    aligned = clusters.reindex(segments.index)
    if aligned.isna().any():
        lost = segments.index[aligned.isna()]
        raise DataError(
            f"Column 'cluster': {len(lost)} customer(s) of the segment table have no cluster, "
            f"e.g. {describe_example(lost[0])}."
        )
    return pd.crosstab(segments.rename("segment"), aligned.rename("cluster"), dropna=False)


# --------------------------------------------------------------------------
# Targeting: Hughes' test-then-rollout
# --------------------------------------------------------------------------


def break_even_rate(cost_per_contact: float, profit_per_response: float) -> float:
    """Response rate at which a contact pays for itself: cost / net profit per response.

    Examples
    --------
    >>> break_even_rate(8, 100)
    0.08
    """
    if not profit_per_response > 0:
        raise DataError(
            f"profit_per_response must be positive, got {describe_example(profit_per_response)}."
        )
    if cost_per_contact < 0:
        raise DataError(
            f"cost_per_contact cannot be negative, got {describe_example(cost_per_contact)}."
        )
    return float(cost_per_contact) / float(profit_per_response)


def simulate_responses(
    rfm: pd.DataFrame,
    *,
    base_rate: float = 0.04,
    effects: Mapping[str, float] | None = None,
    bins: int | None = None,
    random_state: int = 0,
) -> pd.DataFrame:
    """Simulate who would answer a campaign, with a response model tied to RFM.

    The model is logistic in the scores, centred on the middle score
    ``c = (bins + 1) / 2``::

        logit p = logit(base_rate) + 0.5 (R - c) + 0.3 (F - c) + 0.15 (M - c)

    so a customer with middle scores answers with probability ``base_rate``
    and recency matters most, as Hughes found in direct mail. Each customer
    then answers with probability ``p`` (one Bernoulli draw).

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`rfm_table`.
    base_rate : float, default 0.04
        Response probability of a customer with middle scores.
    effects : mapping, optional
        Coefficients of ``r_score``, ``f_score``, ``m_score`` on the logit
        scale; defaults to 0.5, 0.3 and 0.15.
    bins : int, optional
        Number of scores the table was computed with, which sets the middle
        score. By default it is read from ``rfm.attrs["bins"]`` (set by
        :func:`rfm_table`); when the attrs are gone (a merge or a join drops
        them) it is inferred as the highest score present. Pass it
        explicitly for a subset of customers that may lack the top score.
    random_state : int, default 0
        Seed of the draws.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``rfm``: ``response_probability`` and ``responded`` (bool).

    Raises
    ------
    DataError
        A score column is missing, or holds missing values or values that
        are not whole numbers from 1 to ``bins``.

    Examples
    --------
    >>> rfm = pd.DataFrame({"r_score": [5, 1], "f_score": [5, 1], "m_score": [5, 1]})
    >>> simulate_responses(rfm)["response_probability"].round(3).tolist()
    [0.218, 0.006]
    """
    if not 0 < base_rate < 1:
        raise DataError(f"base_rate must be between 0 and 1, got {describe_example(base_rate)}.")
    effects = dict({"r_score": 0.5, "f_score": 0.3, "m_score": 0.15}, **(effects or {}))
    missing = [c for c in effects if c not in rfm.columns]
    if missing:
        raise DataError(f"Column {missing[0]!r} is missing from the RFM table.")
    scores = {column: _score_values(rfm, column) for column in effects}
    if bins is None:
        bins = rfm.attrs.get("bins")
    if bins is None:
        bins = int(max(values.max(initial=0) for values in scores.values()))
        if bins < 2:
            raise DataError(
                f"bins cannot be inferred: the highest score in columns {list(scores)} is "
                f"{bins}, and the table has no attrs['bins']. Pass bins explicitly."
            )
    _check_bins(bins)
    for column, values in scores.items():
        outside = (values < 1) | (values > bins)
        if outside.any():
            example = values[outside][0]
            example = int(example) if np.isfinite(example) else float(example)
            raise DataError(
                f"Column {column!r}: {int(outside.sum())} score(s) are outside 1 to {bins} "
                f"(bins={bins}), e.g. {describe_example(example)}. Pass the bins "
                "the table was scored with."
            )
    centre = (bins + 1) / 2
    logit = np.log(base_rate / (1 - base_rate)) + sum(
        weight * (scores[column] - centre) for column, weight in effects.items()
    )
    probability = 1 / (1 + np.exp(-logit))
    draws = np.random.default_rng(random_state).random(len(rfm))
    return pd.DataFrame(
        {"response_probability": probability, "responded": draws < probability}, index=rfm.index
    )


def _score_values(rfm: pd.DataFrame, column: str) -> np.ndarray:
    """A score column as floats, refused if missing, non-numeric or not whole."""
    values = rfm[column]
    missing = values.isna().to_numpy()
    if missing.any():
        raise DataError(
            f"Column {column!r}: {int(missing.sum()):,} score(s) are missing, e.g. for customer "
            f"{describe_example(values.index[missing][0])}; score every customer with "
            "rfm_table() or leave them out."
        )
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise DataError(
            f"Column {column!r} holds {values.dtype} values, not scores, e.g. "
            f"{describe_example(values.iloc[0])}."
        )
    numbers = values.to_numpy(dtype="float64")
    fractional = numbers != np.floor(numbers)
    if fractional.any():
        raise DataError(
            f"Column {column!r}: {int(fractional.sum())} score(s) are not whole numbers, e.g. "
            f"{describe_example(numbers[fractional][0].item())}."
        )
    return numbers


@dataclass(frozen=True, repr=False)
class TargetingResult:
    """Outcome of a test-then-rollout campaign.

    Attributes
    ----------
    break_even_rate : float
        Cost per contact / net profit per response.
    cells : pandas.DataFrame
        One row per cell: test contacts, responses and response rate, whether
        the cell is selected (test rate at or above break-even), and the
        rollout's contacts, responses and profit for that cell.
    summary : pandas.DataFrame
        Contacts, responses, response rate and profit of the test, of the
        targeted rollout, of both together, and of contacting everyone.
    """

    break_even_rate: float
    cells: pd.DataFrame
    summary: pd.DataFrame

    def __repr__(self) -> str:
        selected = int(self.cells["selected"].sum())
        return (
            f"TargetingResult(break_even_rate={self.break_even_rate:.4f}, "
            f"{selected} of {len(self.cells)} cells selected)"
        )


def test_then_rollout(
    rfm: pd.DataFrame,
    responded: pd.Series,
    *,
    cost_per_contact: float,
    profit_per_response: float,
    test_share: float = 0.1,
    cells: str | Sequence[str] = "rfm_cell",
    random_state: int = 0,
) -> TargetingResult:
    """Hughes' test-then-rollout: test a sample, roll out to the cells that pay.

    A random ``test_share`` of the customers is contacted first. Each cell's
    test response rate is compared with the break-even rate
    (:func:`break_even_rate`); the rollout contacts the remaining customers
    of the cells at or above it. Cells nobody in the test sample belongs
    to are not selected.

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`rfm_table`.
    responded : pandas.Series of bool
        Whether each customer answers if contacted (e.g. the ``responded``
        column of :func:`simulate_responses`), indexed like ``rfm``.
    cost_per_contact, profit_per_response : float
        Money per contact and net profit per response (same currency).
    test_share : float, default 0.1
        Share of customers in the test sample.
    cells : str or list of str, default "rfm_cell"
        Column(s) defining a cell, e.g. ``["r_score", "f_score"]``.
    random_state : int, default 0
        Seed of the test sample.

    Returns
    -------
    TargetingResult

    Examples
    --------
    >>> import relmark_lab as rl
    >>> table = rfm_table(rl.datasets.load_transactions(), "2025-12-31")
    >>> answers = simulate_responses(table)["responded"]
    >>> result = test_then_rollout(table, answers, cost_per_contact=5, profit_per_response=80)
    >>> result.break_even_rate
    0.0625
    """
    rate = break_even_rate(cost_per_contact, profit_per_response)
    if not 0 < test_share < 1:
        raise DataError(f"test_share must be between 0 and 1, got {describe_example(test_share)}.")
    columns = [cells] if isinstance(cells, str) else list(cells)
    missing = [c for c in columns if c not in rfm.columns]
    if missing:
        raise DataError(f"Column {missing[0]!r} is missing from the RFM table.")
    answers = responded.reindex(rfm.index)
    if answers.isna().any():
        lost = rfm.index[answers.isna().to_numpy()]
        raise DataError(
            f"Column 'responded': {len(lost)} customer(s) of the RFM table have no response, "
            f"e.g. {describe_example(lost[0])}."
        )
    rng = np.random.default_rng(random_state)
    in_test = np.zeros(len(rfm), dtype=bool)
    in_test[rng.permutation(len(rfm))[: round(test_share * len(rfm))]] = True
    frame = rfm[columns].copy()
    frame["responded"] = answers.astype(bool).to_numpy()
    frame["in_test"] = in_test
    cell = columns[0] if len(columns) == 1 else columns
    test = frame[frame["in_test"]].groupby(cell)["responded"].agg(["size", "sum"])
    rollout = frame[~frame["in_test"]].groupby(cell)["responded"].agg(["size", "sum"])
    table = pd.DataFrame(
        {
            "test_contacts": test["size"],
            "test_responses": test["sum"],
        }
    ).reindex(rollout.index.union(test.index), fill_value=0)
    table["test_response_rate"] = table["test_responses"] / table["test_contacts"].where(
        table["test_contacts"] > 0
    )
    table["selected"] = table["test_response_rate"].ge(rate)
    table["rollout_contacts"] = rollout["size"].reindex(table.index, fill_value=0)
    table["rollout_responses"] = rollout["sum"].reindex(table.index, fill_value=0)
    table["rollout_profit"] = (
        table["rollout_responses"] * float(profit_per_response)
        - table["rollout_contacts"] * float(cost_per_contact)
    )
    chosen = table[table["selected"]]
    parts = {
        "test sample": (table["test_contacts"].sum(), table["test_responses"].sum()),
        "rollout to selected cells": (
            chosen["rollout_contacts"].sum(), chosen["rollout_responses"].sum()
        ),
        "test + targeted rollout": (
            table["test_contacts"].sum() + chosen["rollout_contacts"].sum(),
            table["test_responses"].sum() + chosen["rollout_responses"].sum(),
        ),
        "contact everyone": (len(frame), int(frame["responded"].sum())),
    }
    summary = pd.DataFrame(parts, index=["contacts", "responses"]).T.astype("int64")
    summary.index.name = "strategy"
    summary["response_rate"] = summary["responses"] / summary["contacts"].where(
        summary["contacts"] > 0
    )
    summary["profit"] = (
        summary["responses"] * float(profit_per_response)
        - summary["contacts"] * float(cost_per_contact)
    )
    return TargetingResult(rate, table, summary)


# pytest would otherwise collect this function wherever it is imported by name.
test_then_rollout.__test__ = False
