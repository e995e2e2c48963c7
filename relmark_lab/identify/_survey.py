"""Each customer's latest survey answer, for the stages and the customer table (private)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from relmark_lab._time import on_or_before
from relmark_lab._validate import as_ids, require_columns, require_numbers

__all__ = ["SURVEY_AFTER_END", "latest_answers"]

#: The ``attrs`` key counting the survey answers dated after the observation end (left out).
SURVEY_AFTER_END = "survey_answers_after_observation_end"


def latest_answers(survey: pd.DataFrame, observation_end: pd.Timestamp,
                   columns: Sequence[str], timezone: Any = None) -> tuple[pd.DataFrame, int]:
    """Each customer's latest survey answer by the observation end, as one whole row.

    ``recommend`` must be a whole number 0–10 on every row, ``satisfaction``
    a whole number where given. Answers dated after the end's day are left
    out and counted. Answers are ordered by ``survey_date`` with a stable sort, so of two
    answers on one day the later row wins; without ``survey_date`` the file
    order decides. The row is taken whole: a blank in the latest answer stays
    blank rather than borrowing an older value.

    Returns
    -------
    latest : pandas.DataFrame
        ``columns`` as Int64, indexed by ``customer_id`` (text).
    later : int
        Answers dated after the end's day (0 without ``survey_date``).

    Examples
    --------
    >>> survey = pd.DataFrame({"customer_id": ["A", "A"], "recommend": [3, 9],
    ...                        "survey_date": ["2025-01-01", "2026-01-01"]})
    >>> latest, later = latest_answers(survey, pd.Timestamp("2025-12-31"), ["recommend"])
    >>> latest["recommend"].tolist(), later
    ([3], 1)
    """
    require_columns(survey, ["customer_id", *columns], "survey")
    answers = pd.DataFrame({"customer_id": as_ids(survey["customer_id"])}, index=survey.index)
    for column in columns:
        if column == "recommend":
            scores = require_numbers(survey, column, "survey", low=0, high=10, integer=True)
        else:
            scores = require_numbers(survey, column, "survey", allow_missing=True, integer=True)
        answers[column] = scores.astype("Int64")
    later = 0
    if "survey_date" in survey:
        dates, inside = on_or_before(survey, "survey_date", "survey", observation_end, timezone)
        later = int((~inside).sum())
        answers["survey_date"] = dates
        answers = answers[inside].sort_values("survey_date", kind="stable")
    latest = answers.drop_duplicates("customer_id", keep="last").set_index("customer_id")
    return latest[list(columns)], later
