"""Targeting a campaign with Hughes' test-then-rollout rule.

Lesson 03, section 6. A contact pays when the response rate beats the
:func:`break_even_rate`; :func:`simulate_responses` draws answers from a
documented response model tied to the scores (the kit has no campaign
history), and :func:`test_then_rollout` tests a random sample, then rolls
out to the cells whose test response rate reaches break-even.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from relmark_lab._validate import (
    as_ids,
    column_error,
    first_row,
    require_columns,
    require_number,
    require_numbers,
)
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _
from relmark_lab.rfm.table import _bins

__all__ = ["TargetingResult", "break_even_rate", "simulate_responses", "test_then_rollout"]

def break_even_rate(cost_per_contact: float, profit_per_response: float) -> float:
    """Response rate at which a contact pays for itself: cost / net profit per response.

    Parameters
    ----------
    cost_per_contact : float
        Money spent per customer contacted (at least 0).
    profit_per_response : float
        Net profit of one response, in the same currency (above 0).

    Returns
    -------
    float
        The break-even response rate; a cell whose response rate reaches it
        pays for its contacts. Above 1 when one response earns less than one
        contact costs: then no cell pays.

    Raises
    ------
    DataError
        If a value is not a finite number within those bounds.

    Examples
    --------
    >>> break_even_rate(8, 100)
    0.08
    """
    cost = require_number("cost_per_contact", cost_per_contact, low=0)
    profit = require_number("profit_per_response", profit_per_response, low=0, low_open=True)
    return cost / profit


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
        Output of :func:`~relmark_lab.rfm.rfm_table`.
    base_rate : float, default 0.04
        Response probability of a customer with middle scores, from 0 to 1
        (0: nobody answers, 1: everybody does).
    effects : mapping, optional
        Coefficients of ``r_score``, ``f_score``, ``m_score`` on the logit
        scale; defaults to 0.5, 0.3 and 0.15.
    bins : int, optional
        Number of scores the table was computed with, which sets the middle
        score. By default it is read from ``rfm.attrs["bins"]`` (set by
        :func:`~relmark_lab.rfm.rfm_table`); when the attrs are gone (a merge or a join drops
        them) it is inferred as the highest score present. Pass it
        explicitly for a subset of customers that may lack the top score.
    random_state : int, default 0
        Seed of the draws.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``rfm``: ``customer_id`` (when ``rfm`` has it),
        ``response_probability`` and ``responded`` (bool).

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
    base_rate = require_number("base_rate", base_rate, low=0, high=1)
    effects = dict({"r_score": 0.5, "f_score": 0.3, "m_score": 0.15}, **(effects or {}))
    for column, weight in effects.items():
        require_number(_("the effect of {column}").format(column=column), weight)
    require_columns(rfm, list(effects), "RFM table")
    scores = {column: require_numbers(rfm, column, "RFM table", integer=True).to_numpy()
              for column in effects}
    if bins is None:
        bins = rfm.attrs.get("bins")
    if bins is None:
        bins = int(max(values.max(initial=0) for values in scores.values()))
        if bins < 2:
            raise DataError(
                _("bins cannot be inferred: the highest score in columns {columns} is {bins}, "
                  "and the table has no attrs['bins']. Pass bins explicitly.").format(
                      columns=list(scores), bins=bins)
            )
    bins = _bins(bins)
    for column, values in scores.items():
        outside = (values < 1) | (values > bins)
        if outside.any():
            raise column_error(
                "RFM table", column, int(outside.sum()), _("outside 1–{bins}").format(bins=bins),
                int(values[outside][0]),
                _("Pass the bins the table was scored with (bins={bins}).").format(bins=bins),
            )
    centre = (bins + 1) / 2
    with np.errstate(divide="ignore", over="ignore"):  # a base rate of 0 or 1: logit -inf, inf
        logit = np.log(base_rate) - np.log1p(-base_rate) + sum(
            weight * (scores[column] - centre) for column, weight in effects.items()
        )
        probability = 1 / (1 + np.exp(-logit))
    draws = np.random.default_rng(random_state).random(len(rfm))
    out = pd.DataFrame(
        {"response_probability": probability, "responded": draws < probability}, index=rfm.index
    )
    if "customer_id" in rfm.columns:
        out.insert(0, "customer_id", rfm["customer_id"])
    return out


def _aligned_answers(rfm: pd.DataFrame, responded: pd.Series | pd.DataFrame) -> pd.Series:
    """Each customer's answer in the rows of ``rfm``; DataError if one is missing."""
    if isinstance(responded, pd.DataFrame):
        require_columns(responded, ["responded"], "responses")
        if "customer_id" in responded.columns and "customer_id" in rfm.columns:
            by_id = responded.set_index(as_ids(responded["customer_id"]))["responded"]
            if by_id.index.has_duplicates:
                raise column_error("responses", "customer_id",
                                   int(by_id.index.duplicated().sum()), _("repeated"),
                                   by_id.index[by_id.index.duplicated()][0],
                                   _("One answer per customer is expected."))
            answers = by_id.reindex(as_ids(rfm["customer_id"])).set_axis(rfm.index)
        else:
            answers = responded["responded"].reindex(rfm.index)
    else:
        answers = responded.reindex(rfm.index)
    lost = answers.isna().to_numpy()
    if lost.any():
        raise column_error(
            "responses", "responded", int(lost.sum()), _("missing"), first_row(rfm, lost),
            _("Pass one answer for every customer (row) of the RFM table, indexed like it (e.g. "
              "the responded column of simulate_responses on the same table)."),
        )
    return answers


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
        Output of :func:`~relmark_lab.rfm.rfm_table`.
    responded : pandas.Series of bool, or DataFrame
        Whether each customer answers if contacted: a Series indexed like
        ``rfm`` (e.g. the ``responded`` column of :func:`simulate_responses`
        on the same table), or a table with ``customer_id`` and
        ``responded``, matched to ``rfm`` by ``customer_id``.
    cost_per_contact, profit_per_response : float
        Money per contact and net profit per response (same currency).
    test_share : float, default 0.1
        Share of customers in the test sample, above 0 and at most 1 (1:
        test everyone, no rollout).
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
    >>> from relmark_lab.rfm import rfm_table
    >>> table = rfm_table(rl.datasets.load_transactions(), "2025-12-31")
    >>> answers = simulate_responses(table)["responded"]
    >>> result = test_then_rollout(table, answers, cost_per_contact=5, profit_per_response=80)
    >>> result.break_even_rate
    0.0625
    """
    rate = break_even_rate(cost_per_contact, profit_per_response)
    test_share = require_number("test_share", test_share, low=0, low_open=True, high=1)
    columns = [cells] if isinstance(cells, str) else list(cells)
    require_columns(rfm, columns, "RFM table")
    answers = _aligned_answers(rfm, responded)
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
