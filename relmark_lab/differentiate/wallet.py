"""Spend per year, what survey scores say about it, and the wallet left on the table.

Lesson 02, sections 6 and 9. :func:`annual_spend` puts long and short
relationships on one scale (MXN per year of 365.25 days, the year of
:mod:`relmark_lab.units`); :func:`spend_by_score` and
:func:`score_spend_correlation` relate perceived value and satisfaction to
it; :func:`wallet_left_on_table` and :func:`wallet_by_segment` size what the
surveyed customers spend with competitors, from their stated share of wallet.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from relmark_lab import units
from relmark_lab._orders import ObservedLines
from relmark_lab._validate import (
    column_error,
    require_columns,
    require_unique,
    require_whole_number,
    with_missing_label,
)
from relmark_lab.differentiate._tables import customer_numbers, survey_scale
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = [
    "annual_spend",
    "score_spend_correlation",
    "spend_by_score",
    "wallet_by_segment",
    "wallet_left_on_table",
]


def annual_spend(
    transactions: pd.DataFrame, observation_end: Any, *, window_days: int | None = None,
    timezone: str | None = None,
) -> pd.DataFrame:
    """Net spend of each customer per year (MXN per 365.25 days).

    Parameters
    ----------
    transactions : pandas.DataFrame
        Order lines with ``customer_id``, ``date``, ``amount`` (returns negative).
    observation_end : date-like
        The last observed day (the whole day counts). Lines dated later are
        left out and counted.
    window_days : int, optional
        None (default): net revenue over the whole tenure, from the first
        purchase day to ``observation_end``, divided by the tenure in years,
        so a customer who bought for a while and stopped keeps the rate they
        had as a customer's yearly average. A whole number: net revenue of
        the last ``window_days`` days up to and including the observation
        end, scaled to a year.
    timezone : str, optional
        The business's time zone for the dates (None keeps the clock time
        each date shows).

    Returns
    -------
    pandas.DataFrame
        One row per customer with a purchase: ``customer_id`` (text),
        ``tenure_days`` (whole days from the first purchase day to the
        observation end, as :mod:`relmark_lab.identify` counts them; a tenure
        of 0 days is annualized as 1) and ``spend_per_year`` (MXN per year;
        0 for customers with nothing in the window). ``.attrs`` holds
        ``observation_end``, ``lines_after_observation_end`` and
        ``customers_without_purchases`` (left out).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [100.0, 50.0, 36.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-06-01", "2024-07-04"])})
    >>> annual_spend(tx, "2024-12-31")["spend_per_year"].round(2).tolist()  # 365 and 180 days
    [150.1, 73.05]
    """
    if window_days is not None:
        window_days = require_whole_number("window_days", window_days, low=1)
    lines = ObservedLines(transactions, observation_end, timezone=timezone)
    per = lines.per_customer()
    last_day = lines.end_day
    tenure_days = last_day - lines.purchase_day_range[0]
    year = units.days_per_unit("Y")
    if window_days is None:
        spend = per["revenue"].to_numpy() / np.maximum(tenure_days, 1) * year
    else:
        inside = lines.day > last_day - window_days
        spend = np.bincount(lines.customer[inside], weights=lines.amount[inside],
                            minlength=len(per)) * year / window_days
    table = pd.DataFrame({"customer_id": per["customer_id"], "tenure_days": tenure_days,
                          "spend_per_year": spend})
    return lines.buyers(table)


def _survey_with_values(
    survey: pd.DataFrame, values: pd.DataFrame, score: str, value: str, scale: tuple[int, int]
) -> pd.DataFrame:
    """The survey's ids and scores with each customer's value; every surveyed customer needs one."""
    low, high = survey_scale(scale)
    answers = customer_numbers(survey, [score], "survey", unique=False, low=low, high=high,
                               integer=True)
    amounts = customer_numbers(values, [value], "customer values", allow_missing=True)
    merged = answers.merge(amounts, on="customer_id", how="left", validate="many_to_one")
    unknown = merged[value].isna().to_numpy()
    if unknown.any():
        raise column_error(
            "survey", "customer_id", int(unknown.sum()), N_("missing from the customer values"),
            merged["customer_id"].to_numpy()[unknown][0],
            _("Their {value!r} is unknown (a customer without a purchase has no spend): drop "
              "them from the survey or give them a value.").format(value=value))
    return merged


def spend_by_score(
    survey: pd.DataFrame,
    values: pd.DataFrame,
    score: str = "satisfaction",
    value: str = "spend_per_year",
    scale: tuple[int, int] = (1, 5),
) -> pd.DataFrame:
    """Spend (or profit) of surveyed customers at each level of a survey score.

    Parameters
    ----------
    survey : pandas.DataFrame
        ``customer_id`` and the score column (e.g. ``satisfaction`` or
        ``perceived_value``, whole numbers on ``scale``).
    values : pandas.DataFrame
        One row per customer with ``customer_id`` and the value column
        (e.g. :func:`annual_spend`).
    score, value : str
        Column names.
    scale : (int, int), default (1, 5)
        Allowed score range; every level of it gets a row, even if empty.

    Returns
    -------
    pandas.DataFrame
        ``score`` level, ``customers``, ``share``, ``mean``, ``median`` of the value.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"customer_id": ["a", "b"], "satisfaction": [5, 5]})
    >>> v = pd.DataFrame({"customer_id": ["a", "b"], "spend_per_year": [10.0, 20.0]})
    >>> spend_by_score(s, v, scale=(4, 5))["mean"].tolist()
    [nan, 15.0]
    """
    merged = _survey_with_values(survey, values, score, value, scale)
    low, high = survey_scale(scale)
    levels = pd.Categorical(merged[score].astype("int64"), categories=range(low, high + 1))
    grouped = merged[value].groupby(levels, observed=False)
    table = pd.DataFrame({"customers": grouped.size(), "mean": grouped.mean(),
                          "median": grouped.median()})
    table.insert(1, "share", table["customers"] / max(len(merged), 1))
    return table.rename_axis(score).reset_index()


def score_spend_correlation(
    survey: pd.DataFrame,
    values: pd.DataFrame,
    score: str = "satisfaction",
    value: str = "spend_per_year",
    scale: tuple[int, int] = (1, 5),
) -> pd.Series:
    """Spearman rank correlation between a survey score and spend (scipy.stats.spearmanr).

    A rank correlation suits an ordinal 1–5 score and a skewed spend.

    Parameters
    ----------
    survey : pandas.DataFrame
        ``customer_id`` and the score column (whole numbers on ``scale``).
    values : pandas.DataFrame
        One row per customer with ``customer_id`` and the value column (e.g.
        :func:`annual_spend`); every surveyed customer needs a value.
    score, value : str
        Column names.
    scale : (int, int), default (1, 5)
        Allowed score range.

    Returns
    -------
    pandas.Series
        ``rho``, ``p_value`` and ``n`` (surveyed customers); ``rho`` and
        ``p_value`` are missing with fewer than three.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"customer_id": list("abc"), "satisfaction": [1, 3, 5]})
    >>> v = pd.DataFrame({"customer_id": list("abc"), "spend_per_year": [1.0, 2.0, 9.0]})
    >>> float(score_spend_correlation(s, v)["rho"])
    1.0
    """
    merged = _survey_with_values(survey, values, score, value, scale)
    if len(merged) < 3:
        return pd.Series({"rho": np.nan, "p_value": np.nan, "n": len(merged)}, name=score)
    result = stats.spearmanr(merged[score], merged[value])
    return pd.Series({"rho": float(result.statistic), "p_value": float(result.pvalue),
                      "n": len(merged)}, name=score)


def wallet_left_on_table(
    survey: pd.DataFrame,
    values: pd.DataFrame,
    share: str = "share_of_wallet",
    value: str = "spend_per_year",
) -> pd.DataFrame:
    """Each surveyed customer's total wallet and the part that goes to competitors.

    With our spend ``s`` and the stated share of wallet ``w`` (share of the
    customer's spend in our categories that comes to us), the wallet is
    ``s / w`` and the *wallet left on the table* is ``s x (1/w − 1)``.
    A share of 0 gives no finite wallet and a negative spend (returns
    exceeding purchases) no meaningful one: such customers keep their row
    with ``wallet`` and ``left_on_table`` missing and ``usable`` False, so
    they are counted, not silently dropped.

    Parameters
    ----------
    survey : pandas.DataFrame
        ``customer_id`` and the share column (0–1), one answer per customer
        (keep each customer's latest answer first: two answers would count
        their wallet twice).
    values : pandas.DataFrame
        ``customer_id`` and our spend (e.g. :func:`annual_spend`, MXN per
        year), one row per customer. Surveyed customers missing from it
        have spent nothing with us (spend 0).
    share, value : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        ``customer_id`` (text), ``spend``, ``share_of_wallet``, ``wallet``,
        ``left_on_table`` and ``usable``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"customer_id": ["a"], "share_of_wallet": [0.25]})
    >>> v = pd.DataFrame({"customer_id": ["a"], "spend_per_year": [100.0]})
    >>> float(wallet_left_on_table(s, v)["left_on_table"].iloc[0])
    300.0
    """
    answers = customer_numbers(survey, [share], "survey", low=0, high=1)
    amounts = customer_numbers(values, [value], "customer values")
    merged = answers.merge(amounts, on="customer_id", how="left", validate="one_to_one")
    merged[value] = merged[value].fillna(0.0)  # surveyed but no purchases: nothing with us
    merged = merged.rename(columns={share: "share_of_wallet", value: "spend"})
    merged["usable"] = (merged["share_of_wallet"] > 0) & (merged["spend"] >= 0)
    merged["wallet"] = merged["spend"].where(merged["usable"]) / merged["share_of_wallet"].where(
        merged["usable"])
    merged["left_on_table"] = merged["wallet"] - merged["spend"]
    return merged[["customer_id", "spend", "share_of_wallet", "wallet", "left_on_table",
                   "usable"]]


def wallet_by_segment(wallets: pd.DataFrame, segments: pd.DataFrame, by: str) -> pd.DataFrame:
    """Wallet left on the table summed per segment.

    Parameters
    ----------
    wallets : pandas.DataFrame
        Output of :func:`wallet_left_on_table`, one row per customer.
    segments : pandas.DataFrame
        ``customer_id`` and the segment column ``by``, one row per customer;
        surveyed customers missing from it are counted under "(missing)".
    by : str
        Segment column (empty categories are kept with zeros).

    Returns
    -------
    pandas.DataFrame
        ``by``, ``customers`` (surveyed), ``unusable`` (``usable`` False:
        a share of 0 or a negative spend; counted here, left out of the
        sums), ``spend``, ``wallet``, ``left_on_table`` (MXN) and
        ``share_of_wallet`` = spend / wallet of the usable customers.

    Examples
    --------
    >>> import pandas as pd
    >>> w = pd.DataFrame({"customer_id": ["a", "b"], "spend": [100.0, 50.0],
    ...     "share_of_wallet": [0.5, 0.0], "wallet": [200.0, None],
    ...     "left_on_table": [100.0, None], "usable": [True, False]})
    >>> seg = pd.DataFrame({"customer_id": ["a", "b"], "tier": ["x", "x"]})
    >>> table = wallet_by_segment(w, seg, "tier")
    >>> int(table["unusable"].iloc[0]), float(table["left_on_table"].iloc[0])
    (1, 100.0)
    """
    money = ["spend", "wallet", "left_on_table"]
    require_columns(wallets, ["customer_id", *money, "usable"], "wallets")
    numbers = customer_numbers(wallets, money, "wallets", allow_missing=True)
    numbers["usable"] = wallets["usable"].fillna(False).astype(bool).to_numpy()
    require_columns(segments, ["customer_id", by], "segment table")
    require_unique(segments, "customer_id", "segment table")
    labels = segments[[by]].assign(customer_id=customer_numbers(
        segments, [], "segment table")["customer_id"])
    merged = numbers.merge(labels, on="customer_id", how="left", validate="one_to_one")
    groups = with_missing_label(merged[by])
    usable = merged["usable"].to_numpy()
    table = merged.loc[usable, money].groupby(groups[usable], observed=False).sum()
    counts = merged.groupby(groups, observed=False).size()
    table = table.reindex(counts.index, fill_value=0.0)
    table.insert(0, "customers", counts)
    unusable = pd.Series(~usable, index=merged.index).groupby(groups, observed=False).sum()
    table.insert(1, "unusable", unusable.astype("int64"))
    table["share_of_wallet"] = table["spend"] / table["wallet"].where(table["wallet"] > 0)
    return table.rename_axis(by).reset_index()
