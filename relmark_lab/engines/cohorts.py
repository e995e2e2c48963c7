"""Acquisition cohorts counted in an engine: who is still buying, period by period.

:func:`cohort_counts` gives ``clv.cohort_retention_table`` what it needs from
the lines, aggregated where they live: for each (cohort, periods since
acquisition) the customers with a purchase day in that period, and each
cohort's size. Periods are pandas' calendar periods (``units.calendar_period``)
as ordinals, computed from the day number the same way pandas numbers them.
"""

from __future__ import annotations

from typing import Any

import ibis
import numpy as np
import pandas as pd

from relmark_lab.engines.lines import EngineLines
from relmark_lab.engines.orders import purchase_days
from relmark_lab.engines.sources import engine_table, fetch

__all__ = ["cohort_counts", "period_ordinal"]


def period_ordinal(day: Any, unit: str) -> Any:
    """The pandas Period ordinal of a day number, for ``unit`` in D, W (weeks ending
    Sunday), M, Q, Y.

    Examples
    --------
    >>> days = ibis.memtable({"day": [0, 19792]}).day  # 1970-01-01, 2024-03-10
    >>> [period_ordinal(days, u).to_pandas().tolist() for u in ("W", "M", "Q")]
    [[1, 2828], [0, 650], [0, 216]]
    >>> [pd.Period("2024-03-10", f).ordinal for f in ("W", "M", "Q")]
    [2828, 650, 216]
    """
    if unit == "D":
        return day
    if unit == "W":
        return (day + 3) // 7 + 1  # 1970-01-01 (a Thursday) is in week 1, ending Sunday the 4th
    date = ibis.date("1970-01-01") + day.as_interval("D")
    years = date.year() - 1970
    return {"M": years * 12 + date.month() - 1, "Q": years * 4 + (date.month() - 1) // 3,
            "Y": years}[unit]


def cohort_counts(source: Any, observation_end: Any, unit: str, *, timezone: Any = None
                  ) -> tuple[pd.Series, np.ndarray, np.ndarray, dict[str, Any], pd.Timestamp]:
    """Active customers by (cohort ordinal, periods since acquisition), the cohorts and
    their sizes (sorted), the contract's attrs and the observation end."""
    lines = EngineLines(engine_table(source), observation_end, timezone=timezone)
    days = purchase_days(lines.lines)
    first = days.day.min().over(group_by="customer_id")
    marked = days.mutate(cohort=period_ordinal(first, unit))
    marked = marked.mutate(gap=period_ordinal(marked.day, unit) - marked.cohort)
    pairs = marked.select("customer_id", "cohort", "gap").distinct()
    found = fetch(pairs.group_by(["cohort", "gap"]).aggregate(active=pairs.count()))
    found = found.sort_values(["cohort", "gap"])
    active = pd.Series(found["active"].to_numpy(dtype="int64"), index=pd.MultiIndex.from_arrays(
        [found["cohort"].to_numpy(dtype="int64"), found["gap"].to_numpy(dtype="int64")]))
    at_start = found[found["gap"] == 0]
    cohorts = at_start["cohort"].to_numpy(dtype="int64")
    sizes = at_start["active"].to_numpy(dtype="int64")
    return active, cohorts, sizes, lines.attrs(int(sizes.sum())), lines.observation_end
