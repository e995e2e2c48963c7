"""Share of customer (participación del cliente): what winning more of each wallet adds to equity.

A customer who buys a share ``s`` of their category spend from us and is
worth ``CLV`` would be worth ``CLV / s`` if we won their whole wallet, the
same margin on the same purchases. Raising their share by ``p`` points
(0.05 = 5 points, never above the whole wallet) multiplies their future
margin by ``min(s + p, 1) / s``, so

.. math::

    gain = \\sum_i CLV_i \\left(\\frac{\\min(s_i + p, 1)}{s_i} - 1\\right),
    \\qquad cross\\text{-}sell\\ potential = \\sum_i CLV_i \\left(\\frac{1}{s_i} - 1\\right).

Shares come from the survey, as in
:func:`relmark_lab.differentiate.wallet_left_on_table` (lesson 02), which
sizes the same wallet in spend per year; this module sizes it in customer
equity. Both read the survey the same way and set aside, counted, the
customers for whom the arithmetic means nothing: a share of 0 (no finite
wallet) or a negative value with us.

Examples
--------
>>> survey = pd.DataFrame({"customer_id": ["a", "b"], "share_of_wallet": [0.25, 0.5]})
>>> clv = pd.Series({"a": 100.0, "b": 200.0})
>>> gain = share_of_wallet_gain(survey, clv, 0.25)
>>> float(gain["gain"].iloc[0]), float(gain["cross_sell_potential"].iloc[0])
(200.0, 500.0)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab._validate import (
    require_columns,
    require_number,
    require_unique,
    with_missing_label,
)
from relmark_lab.differentiate._tables import customer_numbers
from relmark_lab.equity.change import customer_values
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["share_of_wallet_gain"]

#: The group label of the one row of :func:`share_of_wallet_gain` without segments.
ALL_SURVEYED = "all surveyed"


def _segment_labels(survey: pd.DataFrame, ids: pd.Series, by: str | None,
                    segments: pd.DataFrame | None) -> pd.Series:
    """Each surveyed customer's segment: from ``segments`` if given, else the survey's column."""
    if by is None:
        if segments is not None:
            raise DataError(_("segments was given without by: name its segment column, e.g. "
                              "by='acquisition_channel'."))
        return pd.Series(ALL_SURVEYED, index=ids.index, name="segment")
    if segments is None:
        require_columns(survey, [by], "survey")
        return with_missing_label(survey[by].reset_index(drop=True)).set_axis(ids.index)
    what = _("segment table")
    require_columns(segments, ["customer_id", by], what)
    require_unique(segments, "customer_id", what)
    table = customer_numbers(segments, [], what)
    table[by] = segments[by]  # same index: a categorical keeps its categories
    labels = ids.to_frame().merge(table, on="customer_id", how="left", validate="many_to_one")
    return with_missing_label(labels[by]).set_axis(ids.index)  # missing: counted, not dropped


def share_of_wallet_gain(
    survey: pd.DataFrame,
    clv: pd.Series,
    points: float,
    *,
    by: str | None = None,
    segments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Customer equity gained by raising each surveyed customer's share of wallet.

    Parameters
    ----------
    survey : pandas.DataFrame
        ``customer_id`` and ``share_of_wallet`` (0–1), one answer per
        customer (the checks of
        :func:`~relmark_lab.differentiate.wallet_left_on_table`).
    clv : pandas.Series
        Future value of each customer, indexed by ``customer_id``
        (:func:`relmark_lab.equity.value_at`). A surveyed customer without
        one is worth 0 (no purchase, nothing to scale) and counted.
    points : float
        The rise in share, from 0 to 1 (0.05 = 5 points); a share is never
        raised above 1.
    by : str, optional
        Segment column, taken from ``segments`` when given, else from the
        survey. None: one row for all surveyed customers.
    segments : pandas.DataFrame, optional
        ``customer_id`` and ``by``, one row per customer; surveyed customers
        missing from it are counted under "(missing)".

    Returns
    -------
    pandas.DataFrame
        One row per segment (``by``, or ``segment`` = "all surveyed"):
        ``customers`` (surveyed), ``unusable`` (a share of 0 or a negative
        CLV: counted, left out of the sums), ``without_clv``, ``equity``
        (sum of CLV), ``gain`` (equity added by ``points`` more share),
        ``gain_pct`` (gain / equity) and ``cross_sell_potential`` (equity
        added by winning the whole wallet), in the currency of the CLV.
        ``attrs["points"]`` holds ``points``.

    Raises
    ------
    DataError
        For a share outside 0–1, a missing or repeated answer, an unusable
        CLV, ``points`` outside 0–1, or ``segments`` without ``by``.

    Examples
    --------
    >>> survey = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...                        "share_of_wallet": [0.9, 0.5, 0.0], "tier": ["x", "y", "y"]})
    >>> clv = pd.Series({"a": 90.0, "b": 100.0, "c": 50.0})
    >>> table = share_of_wallet_gain(survey, clv, 0.2, by="tier")  # a is capped at 1
    >>> table[["tier", "unusable", "gain", "gain_pct"]]
      tier  unusable  gain  gain_pct
    0    x         0  10.0  0.111111
    1    y         1  40.0  0.400000
    """
    points = require_number("points", points, low=0, high=1)
    answers = customer_numbers(survey, ["share_of_wallet"], "survey", low=0, high=1)
    answers = answers.reset_index(drop=True)
    values = customer_values(clv, "CLV")
    labels = _segment_labels(survey, answers["customer_id"], by, segments)
    worth = values.reindex(answers["customer_id"]).to_numpy()
    share = answers["share_of_wallet"].to_numpy()
    without = np.isnan(worth)
    worth = np.where(without, 0.0, worth)
    usable = (share > 0) & (worth >= 0)
    safe = np.where(usable, share, 1.0)  # set-aside rows are masked out below
    frame = pd.DataFrame({
        "customers": 1,
        "unusable": (~usable).astype("int64"),
        "without_clv": without.astype("int64"),
        "equity": np.where(usable, worth, 0.0),
        "gain": np.where(usable, worth * (np.minimum(safe + points, 1.0) / safe - 1), 0.0),
        "cross_sell_potential": np.where(usable, worth * (1 / safe - 1), 0.0),
    })
    name = by or "segment"
    table = frame.groupby(labels.rename(name), observed=False).sum()
    table.insert(table.columns.get_loc("gain") + 1, "gain_pct",
                 table["gain"] / table["equity"].where(table["equity"] > 0))
    table = table.rename_axis(name).reset_index()
    table.attrs["points"] = points
    return table
