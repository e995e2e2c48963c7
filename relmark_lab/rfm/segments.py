"""Named segments from a table of score ranges, and what each segment is worth.

Lesson 03, section 3. A rule table maps ranges of the R, F, M (and FM)
scores to a segment name; the first rule that matches a customer wins and
customers no rule matches are kept as :data:`OTHERS`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from relmark_lab._validate import (
    MISSING_LABEL,
    column_error,
    first_row,
    require_columns,
    require_numbers,
    with_missing_label,
)
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["MISSING", "OTHERS", "assign_segments", "default_segment_rules", "segment_summary"]

#: Label of the customers no segment rule matches; they are always counted.
OTHERS = "Others"
#: Label of the customers whose grouping value is missing in :func:`segment_summary`.
MISSING = MISSING_LABEL

_BOUNDS = {"r": "r_score", "f": "f_score", "m": "m_score", "fm": "fm_score"}


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
        Output of :func:`~relmark_lab.rfm.rfm_table` (needs the score
        columns the rules use).
    rules : pandas.DataFrame, optional
        Column ``segment`` and inclusive bounds ``<s>_min`` / ``<s>_max`` for
        ``s`` in ``r``, ``f``, ``m`` (the scores) and ``fm`` (mean of F and
        M). A missing bound column or an empty cell means "no limit". Rules
        are tried in row order; the first match wins. Defaults to
        :func:`default_segment_rules`. Other columns are ignored.

    Returns
    -------
    pandas.DataFrame
        A copy of ``rfm`` (``customer_id`` and every other column kept) with
        a categorical ``segment`` column whose categories are the rules'
        segments in order, then ``"Others"`` for customers no rule matches
        (counted, never dropped).

    Raises
    ------
    DataError
        The rules lack ``segment``, have no bound column, repeat a segment,
        hold a non-number bound or a minimum above its maximum; or a score
        the rules use is missing from ``rfm`` or not a number.

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
    for position, (_label, rule) in enumerate(rules.iterrows()):
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
    """The score columns the rules bound, keyed by their prefix; DataError for a bad table."""
    require_columns(rules, ["segment"], "rule table")
    repeated = rules["segment"].duplicated().to_numpy()
    if repeated.any():
        raise column_error("rule table", "segment", int(repeated.sum()), _("repeated"),
                           rules["segment"][repeated].iloc[0], _("Give each rule its own name."))
    bounds = {
        key: column for key, column in _BOUNDS.items()
        if f"{key}_min" in rules.columns or f"{key}_max" in rules.columns
    }
    if not bounds:
        raise DataError(
            _("The rule table has no bound column: use r_min/r_max, f_min/f_max, m_min/m_max "
              "or fm_min/fm_max. Its columns are {columns}.").format(columns=list(rules.columns))
        )
    limits = {
        name: require_numbers(rules, name, "rule table", allow_missing=True)
        for key in bounds for name in (f"{key}_min", f"{key}_max") if name in rules.columns
    }
    for key in bounds:
        low, high = limits.get(f"{key}_min"), limits.get(f"{key}_max")
        if low is None or high is None:
            continue
        crossed = (low > high).to_numpy()
        if crossed.any():
            first = np.flatnonzero(crossed)[0]
            segment = rules["segment"].iloc[first]
            raise column_error(
                "rule table", f"{key}_min", int(crossed.sum()),
                _("above {bound}").format(bound=f"{key}_max"), low.iloc[first],
                _("Segment {segment!r} has {low_name} {low:g} and {high_name} {high:g}.").format(
                    segment=segment, low_name=f"{key}_min", low=low.iloc[first],
                    high_name=f"{key}_max", high=high.iloc[first]),
            )
    return bounds


def _scores_for_rules(rfm: pd.DataFrame, bounds: Mapping[str, str]) -> dict[str, np.ndarray]:
    needed = {"f_score", "m_score"} if "fm" in bounds else set()
    needed |= {column for key, column in bounds.items() if key != "fm"}
    require_columns(rfm, sorted(needed), "RFM table")
    scores = {column: require_numbers(rfm, column, "RFM table").to_numpy()
              for column in sorted(needed)}
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
    require_columns(segmented, [by, "frequency", "revenue", "recency_days", "monetary"],
                    "segment table")
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
    labels = summary.index.to_series()
    if labels.isna().any() and pd.api.types.is_numeric_dtype(labels.dtype):
        labels = labels.astype(object)  # clusters 1.0, 2.0, NaN: the label is no number's fill
    summary.index = pd.Index(with_missing_label(labels), name=by)
    summary.insert(1, "customer_share", summary["customers"] / summary["customers"].sum())
    summary.insert(4, "revenue_share", summary["revenue"] / summary["revenue"].sum())
    orders = summary["orders"].where(summary["orders"] > 0)
    summary.insert(5, "average_order_value", summary["revenue"] / orders)
    return summary


def _segment_labels(data: pd.DataFrame | pd.Series, name: str) -> pd.Series:
    """The ``segment`` column of a table (or a Series of segments), none missing.

    Private to :mod:`relmark_lab.rfm`: :func:`~relmark_lab.rfm.migration_matrix`
    and :func:`~relmark_lab.rfm.cluster_segment_crosstab` read segments
    through it. A missing segment would pass for a new or gone customer, so
    it is refused, with the row's label.
    """
    if isinstance(data, pd.DataFrame):
        require_columns(data, ["segment"], name)
        labels = data["segment"]
    else:
        labels = data
    missing = labels.isna().to_numpy()
    if missing.any():
        raise column_error(
            name, "segment", int(missing.sum()), _("missing"),
            first_row(labels.to_frame(), missing),
            _("Label those customers (e.g. {others!r}) or leave them out of the table.").format(
                others=OTHERS),
        )
    return labels
