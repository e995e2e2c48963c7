"""Checks of identification's side tables (private).

* :func:`on_or_before`: the leads, survey answers and contacts inside the
  observation window. Transaction lines go through
  :class:`relmark_lab._orders.ObservedLines`; the other dated tables follow
  the same day rule here: a row counts when its day (the business's local
  day, see :mod:`relmark_lab._time`) is on or before the observation end.
* :func:`require_labels`: a column whose values must come from a fixed list
  (statuses, stages, linking rules, the seven tools), in the one message
  template of :mod:`relmark_lab._validate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._time import day_numbers
from relmark_lab._validate import column_error, require_dates

__all__ = ["on_or_before", "require_labels"]


def on_or_before(frame: pd.DataFrame, column: str, what: str, observation_end: pd.Timestamp,
                 timezone: Any = None) -> tuple[pd.Series, np.ndarray]:
    """The column's dates (naive, local) and which rows fall on or before the end's day.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table, e.g. the leads.
    column : str
        Its date column, e.g. ``"created_date"``.
    what : str
        The table's name in messages.
    observation_end : pandas.Timestamp
        Midnight of the last observed day (``ObservedLines.observation_end``).
    timezone : str, optional
        The business's time zone.

    Returns
    -------
    dates : pandas.Series
        The parsed dates.
    inside : numpy.ndarray
        True for the rows dated on or before the end's day.

    Examples
    --------
    >>> leads = pd.DataFrame({"created_date": ["2025-12-31 23:59", "2026-01-01 00:01"]})
    >>> on_or_before(leads, "created_date", "leads", pd.Timestamp("2025-12-31"))[1].tolist()
    [True, False]
    """
    dates = require_dates(frame, column, what, timezone)
    end_day = day_numbers(np.array([observation_end.to_datetime64()]))[0]
    return dates, day_numbers(dates) <= end_day


def require_labels(frame: pd.DataFrame, column: str, what: str, allowed: Sequence[str],
                   problem: str | None = None, hint: str | None = None) -> None:
    """Raise DataError unless every value of ``column`` is one of ``allowed``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    column : str
        The column to check.
    what : str
        The table's name in messages.
    allowed : sequence of str
        The labels the column may hold.
    problem : str, optional
        What is wrong, read after "is"; by default "not one of <allowed>".
    hint : str, optional
        One sentence on what to do.

    Examples
    --------
    >>> require_labels(pd.DataFrame({"stage": ["vip"]}), "stage", "stages", ["loyalty"])
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: stages: column 'stage' is not one of loyalty in 1 row, \
e.g. 'vip'.
    """
    unknown = ~frame[column].isin(allowed).to_numpy(dtype=bool)
    if unknown.any():
        raise column_error(what, column, int(unknown.sum()),
                           problem or f"not one of {', '.join(allowed)}",
                           frame[column].to_numpy(dtype=object)[unknown][0], hint)
