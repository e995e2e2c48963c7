"""Migration between two periods: where the customers of each segment went.

Lesson 03, section 4. Two segmented RFM tables (say, a year apart) are
matched by ``customer_id``; customers in one table only come from
:data:`NEW` or go to :data:`GONE`, so every customer is counted once.
"""

from __future__ import annotations

import pandas as pd

from relmark_lab._validate import as_ids, column_error
from relmark_lab.i18n import gettext as _
from relmark_lab.rfm.segments import OTHERS, _segment_labels

__all__ = ["GONE", "NEW", "migration_matrix"]

#: Row label of the migration matrix for customers in the later period only.
NEW = "(new)"
#: Column label of the migration matrix for customers in the earlier period only.
GONE = "(gone)"


def migration_matrix(
    before: pd.DataFrame | pd.Series, after: pd.DataFrame | pd.Series, *, shares: bool = False
) -> pd.DataFrame:
    """How many customers moved from each segment to each other one.

    Parameters
    ----------
    before, after : DataFrame with a ``segment`` column, or Series of segments
        E.g. :func:`~relmark_lab.rfm.assign_segments` on RFM tables at two
        observation ends. Customers are matched by the ``customer_id``
        column of a table (by the index when a table has no such column,
        and for a Series).
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
    >>> before = pd.DataFrame({"customer_id": ["a", "b"], "segment": ["Top", "Low"]})
    >>> after = pd.DataFrame({"customer_id": ["a", "c"], "segment": ["Low", "Top"]})
    >>> migration_matrix(before, after)  # doctest: +NORMALIZE_WHITESPACE
    after   Low  Top  (gone)
    before
    Low       0    0       1
    Top       1    0       0
    (new)     0    1       0
    """
    first = _by_customer(before, "'before' table")
    second = _by_customer(after, "'after' table")
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


def _by_customer(data: pd.DataFrame | pd.Series, name: str) -> pd.Series:
    """The segments of one period indexed by ``customer_id`` (text), each customer once."""
    labels = _segment_labels(data, name)
    if isinstance(data, pd.DataFrame) and "customer_id" in data.columns:
        ids = as_ids(data["customer_id"])
    else:
        ids = as_ids(data.index.to_series())
    repeated = ids.duplicated().to_numpy()
    if repeated.any():
        raise column_error(name, "customer_id", int(repeated.sum()), _("repeated"),
                           ids[repeated].iloc[0], _("Each customer needs one segment."))
    return labels.set_axis(pd.Index(ids, name="customer_id"))


def _categories(segments: pd.Series) -> list:
    if isinstance(segments.dtype, pd.CategoricalDtype):
        return list(segments.cat.categories)
    return sorted(segments.dropna().unique())
