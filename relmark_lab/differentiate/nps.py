"""Net promoter score with a confidence interval, overall, by segment and as a difference.

Lesson 02, section 8. Promoters answer 9–10 to "how likely are you to
recommend us?" (0–10), passives 7–8 and detractors 0–6; NPS = 100 x (share
of promoters − share of detractors). A sample's NPS is an estimate, so
:func:`net_promoter_score` gives its interval and :func:`nps_difference`
compares two segments.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from relmark_lab._validate import (
    require_choice,
    require_columns,
    require_number,
    require_numbers,
    require_whole_number,
    with_missing_label,
)
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import gettext as _

__all__ = ["net_promoter_score", "nps_difference"]


def _nps_parts(scores: pd.Series) -> tuple[int, float, float, float]:
    n = int(scores.notna().sum())
    if n == 0:
        return 0, np.nan, np.nan, np.nan
    promoters = float((scores >= 9).sum() / n)
    detractors = float((scores <= 6).sum() / n)
    return n, promoters, 1.0 - promoters - detractors, detractors


def _nps_standard_error(n: int, promoters: float, detractors: float) -> float:
    """SE of NPS (in points) from the multinomial variance of p_P − p_D."""
    if n == 0:
        return np.nan
    variance = (promoters + detractors - (promoters - detractors) ** 2) / n
    return 100.0 * float(np.sqrt(variance))


def _z(confidence: float) -> float:
    """The normal quantile of a two-sided interval at ``confidence`` (checked)."""
    require_number("confidence", confidence, low=0, low_open=True, high=1)
    if confidence >= 1:
        raise DataError(_("confidence must be below 1, got {example}.")
                        .format(example=describe_example(confidence)))
    return float(stats.norm.ppf(0.5 + confidence / 2))


def net_promoter_score(
    survey: pd.DataFrame,
    by: str | None = None,
    score: str = "recommend",
    confidence: float = 0.95,
    method: str = "normal",
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Net promoter score, overall or by segment, with a confidence interval.

    Promoters answer 9–10 to "how likely are you to recommend us?" (0–10),
    passives 7–8 and detractors 0–6. NPS = 100 x (share of promoters −
    share of detractors), from −100 to 100.

    The ``"normal"`` interval treats each answer as one draw of a
    three-category multinomial, for which
    ``Var(p_P − p_D) = (p_P + p_D − (p_P − p_D)²) / n``; the interval is
    NPS ± z x SE. With ``"bootstrap"`` the answers are resampled ``n_boot``
    times with ``numpy.random.default_rng(seed)`` and the percentile
    interval is reported (SE = standard deviation of the bootstrap NPS).

    Parameters
    ----------
    survey : pandas.DataFrame
        One answer per row with the ``score`` column (and ``by``).
    by : str, optional
        Segment column; one row per segment (empty categories kept with
        n = 0; missing labels counted under "(missing)"), or a single row
        "all" when None.
    score : str, default "recommend"
        Column with the 0–10 answers.
    confidence : float, default 0.95
        Confidence level of the interval (between 0 and 1).
    method : {"normal", "bootstrap"}, default "normal"
    n_boot : int, default 2000
    seed : int, default 0

    Returns
    -------
    pandas.DataFrame
        ``segment``, ``n``, ``promoters``, ``passives``, ``detractors``
        (shares), ``nps``, ``se``, ``ci_low``, ``ci_high`` (points).

    Raises
    ------
    DataError
        If the score column is missing, or a score is not a whole number
        from 0 to 10 (e.g. 11).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"recommend": [10, 9, 8, 3]})
    >>> float(net_promoter_score(s)["nps"].iloc[0])
    25.0
    """
    require_choice("method", method, ("normal", "bootstrap"))
    z = _z(confidence)
    if method == "bootstrap":
        n_boot = require_whole_number("n_boot", n_boot, low=1)
    require_columns(survey, [score] + ([by] if by else []), "survey")
    scores = require_numbers(survey, score, "survey", low=0, high=10, integer=True)
    if by is None:
        groups = [("all", scores)]
    else:
        groups = list(scores.groupby(with_missing_label(survey[by]), observed=False))
    rng = np.random.default_rng(seed)
    rows = []
    for name, values in groups:
        n, promoters, passives, detractors = _nps_parts(values)
        nps = 100.0 * (promoters - detractors)
        if method == "normal" or n == 0:
            se = _nps_standard_error(n, promoters, detractors)
            low, high = nps - z * se, nps + z * se
        else:
            draws = rng.choice(values.to_numpy(), size=(n_boot, n), replace=True)
            boot = 100.0 * ((draws >= 9).mean(axis=1) - (draws <= 6).mean(axis=1))
            se = float(boot.std(ddof=1)) if n_boot > 1 else np.nan
            low, high = np.quantile(boot, [(1 - confidence) / 2, (1 + confidence) / 2])
        rows.append({"segment": name, "n": n, "promoters": promoters, "passives": passives,
                     "detractors": detractors, "nps": nps, "se": se,
                     "ci_low": float(low), "ci_high": float(high)})
    return pd.DataFrame(rows)


def nps_difference(
    survey: pd.DataFrame, by: str, first: Any, second: Any,
    score: str = "recommend", confidence: float = 0.95,
) -> pd.Series:
    """Difference in NPS between two segments, with a normal confidence interval.

    The two segments are independent samples, so the variance of the
    difference is the sum of their variances (each from the multinomial
    formula of :func:`net_promoter_score`).

    Parameters
    ----------
    survey : pandas.DataFrame
        Answers with the ``score`` and ``by`` columns.
    by : str
        Segment column.
    first, second : object
        The two segment labels; the difference is first − second.
    score : str, default "recommend"
    confidence : float, default 0.95

    Returns
    -------
    pandas.Series
        ``nps_first``, ``nps_second``, ``difference``, ``se``, ``ci_low``,
        ``ci_high`` (points) and ``p_value`` (two-sided z test).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"recommend": [10, 10, 0, 0], "g": ["a", "a", "b", "b"]})
    >>> float(nps_difference(s, "g", "a", "b")["difference"])
    200.0
    """
    table = net_promoter_score(survey, by=by, score=score, confidence=confidence)
    table = table.set_index("segment")
    for label in (first, second):
        if label not in table.index or table.loc[label, "n"] == 0:
            raise DataError(_("survey: segment {segment} of column {column!r} has no answers; "
                              "segments with answers are e.g. {examples}.").format(
                segment=describe_example(label), column=by,
                examples=describe_example(list(table.index[table["n"] > 0][:4]))))
    a, b = table.loc[first], table.loc[second]
    difference = a["nps"] - b["nps"]
    se = float(np.hypot(a["se"], b["se"]))
    z = _z(confidence)
    p_value = 2 * stats.norm.sf(abs(difference) / se) if se > 0 else np.nan
    return pd.Series({
        "nps_first": a["nps"], "nps_second": b["nps"], "difference": difference, "se": se,
        "ci_low": difference - z * se, "ci_high": difference + z * se, "p_value": p_value,
    }, name=f"{first} - {second}")
