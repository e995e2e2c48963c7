"""The data the checks of lesson 03 run a student's function on, seen and unseen.

Private to :mod:`relmark_lab.checks.rfm`. Each ``*_cases`` function returns
the :class:`~relmark_lab.checks.Case` list of one exercise: the lesson's data
first, then data the student has not seen (the kit's simulator with another
seed and size, :func:`~relmark_lab.checks._cases.unseen_data_dir`). Where one
unseen data set cannot tell two ideas apart, the unseen data are shaped so
that it can: a customer count that is not a multiple of five (03.3), an
earlier observation end with later lines (03.2), a campaign cell nobody was
tested in and one whose test rate sits exactly on break-even (03.5), a budget
that binds and one that does not (03.7). Cases are built once per data folder
and kernel; a check deep-copies their arguments before each call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import datasets, i18n, rfm
from relmark_lab.checks._cases import unseen_data_dir, unseen_label, unseen_rng
from relmark_lab.checks._compare import show
from relmark_lab.checks._core import Case, Mistake
from relmark_lab.datasets.practice import COST_PER_CONTACT, PROFIT_PER_RESPONSE, campaign_cells
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = ["CELL", "budget_campaign", "rollout_reference"]

#: The campaign cells of exercises 03.5 and 03.7.
CELL = ["r_score", "f_score"]
#: Exercise 03.2 is also checked at this earlier end, when later lines exist.
EARLY_END = pd.Timestamp("2025-09-30")
#: Exercise 03.5 on the unseen data: other economics, so constants 6 and 80 do not fit.
UNSEEN_COST, UNSEEN_PROFIT = 5.0, 50.0
#: Exercise 03.7: the rollout budget (MXN) on the lesson's data (it binds) ...
BUDGET = 3000.0
#: ... and on the unseen data (it does not: the cells below break-even must stay out).
UNSEEN_BUDGET = 2500.0
#: Simulated mailings a decision of 03.7 is scored on (their mean profit).
MAILINGS = 200
#: Seed of the last campaign the student sees in exercise 03.7 (the lesson's data).
LAST_CAMPAIGN_SEED = 2024


def _seed(salt: int) -> int:
    """A seed for the package's ``random_state`` arguments, from the unseen generator."""
    return int(unseen_rng(salt).integers(2**31))


def _end(folder: Any) -> pd.Timestamp:
    return pd.Timestamp(datasets.load_truth(folder)["observation_end"])


@functools.lru_cache(maxsize=8)
def _table(folder: Any, end: pd.Timestamp | None = None) -> pd.DataFrame:
    """The RFM table of a folder's transactions at ``end`` (the data's end by default)."""
    end = _end(folder) if end is None else end
    return rfm.rfm_table(datasets.load_transactions(folder), end)


def _by_id(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("customer_id")


def _unseen() -> Any:
    return unseen_data_dir()


#: How the cases name the lesson's data (translated when a verdict shows it).
LESSON = N_("the lesson's data")


def _day(date: pd.Timestamp) -> str:
    """A date in words: "30 September 2025" in English, the locale's long form otherwise."""
    return f"{date:%d %B %Y}" if i18n.get_language() == "en" else i18n.format_date(date, "long")


# --- 03.1 and 03.2: the measures from the lines --------------------------------------


@functools.lru_cache(maxsize=4)
def orders_cases(data_dir: Any, orders_mistakes: Callable) -> list[Case]:
    """03.1: purchase orders per customer on the lesson's and the unseen lines."""
    cases = []
    for folder, label, seen in [(data_dir, LESSON, True), (_unseen(), unseen_label(), False)]:
        lines = datasets.load_transactions(folder)
        expected = _by_id(_table(folder))["frequency"]
        cases.append(Case(label, (lines,), expected, tuple(orders_mistakes(lines)), seen))
    return cases


def recency_cases(data_dir: Any, recency_mistakes: Callable) -> list[Case]:
    """03.2: recency at the data's end, and on the unseen lines at an earlier end too."""
    # A label says the date in the language in use, so the cache keeps one set per language.
    return _recency_cases(data_dir, recency_mistakes, i18n.get_language())


@functools.lru_cache(maxsize=4)
def _recency_cases(data_dir: Any, recency_mistakes: Callable, language: str) -> list[Case]:
    """The cases of :func:`recency_cases`; ``language`` only keys the cache."""
    early = _("{unseen} observed only up to {day}").format(unseen=_(unseen_label()),
                                                            day=_day(EARLY_END))
    runs = [(data_dir, None, LESSON, True),
            (_unseen(), None, unseen_label(), False),
            (_unseen(), EARLY_END, early, False)]
    cases = []
    for folder, end, label, seen in runs:
        lines = datasets.load_transactions(folder)
        end = _end(folder) if end is None else end
        expected = _by_id(_table(folder, end))["recency_days"]
        mistakes = recency_mistakes(lines, end)
        cases.append(Case(label, (lines, end), expected, tuple(mistakes), seen))
    return cases


# --- 03.3, 03.4, 03.6: the RFM table ---------------------------------------------------


def measures(folder: Any) -> pd.DataFrame:
    """The three measures indexed by ``customer_id`` (sorted), as exercise 03.3 gets them."""
    return _by_id(_table(folder))[["recency_days", "frequency", "monetary"]]


@functools.lru_cache(maxsize=4)
def score_cases(data_dir: Any, r_score_mistakes: Callable) -> list[Case]:
    """03.3: the lesson's 5,000 customers, and unseen ones that are no multiple of five."""
    unseen = measures(_unseen())
    # Three customers fewer: with n a multiple of 5, two cut-point rules agree everywhere.
    dropped = unseen_rng(33).choice(len(unseen), size=3, replace=False)
    unseen = unseen.drop(unseen.index[dropped])
    cases = []
    for table, label, seen in [(measures(data_dir), LESSON, True),
                               (unseen, unseen_label(), False)]:
        recency = table["recency_days"]
        expected = rfm.score_ntile(recency, 5, higher_is_better=False)
        cases.append(Case(label, (table,), expected, tuple(r_score_mistakes(recency)), seen))
    return cases


def scores(folder: Any) -> pd.DataFrame:
    """The three scores indexed by ``customer_id``, as exercise 03.4 gets them."""
    return _by_id(_table(folder))[["r_score", "f_score", "m_score"]]


# --- 03.5: test, then roll out -------------------------------------------------------


def rollout_reference(cells: pd.DataFrame, cost: float, profit: float) -> float:
    """Profit of rolling out to the tested cells whose test rate reaches break-even.

    The rule of :func:`relmark_lab.rfm.test_then_rollout`: a cell without
    test contacts has no test rate and is not rolled out.
    """
    tested = cells["test_contacts"] > 0
    rate = cells["test_responses"] / cells["test_contacts"].where(tested)
    chosen = cells[rate.ge(cost / profit)]
    return float((chosen["rollout_responses"] * profit
                  - chosen["rollout_contacts"] * cost).sum())


def _resplit(cells: pd.DataFrame, cell: tuple, test_contacts: int, test_responses: int) -> None:
    """Give one cell another test/rollout split of its customers and their answers."""
    customers = cells.loc[cell, "test_contacts"] + cells.loc[cell, "rollout_contacts"]
    answers = cells.loc[cell, "test_responses"] + cells.loc[cell, "rollout_responses"]
    cells.loc[cell, ["test_contacts", "test_responses", "rollout_contacts",
                     "rollout_responses"]] = [test_contacts, test_responses,
                                              customers - test_contacts,
                                              answers - test_responses]


@functools.lru_cache(maxsize=2)
def unseen_cells() -> pd.DataFrame:
    """A campaign on the unseen customers with one untested cell and one exactly at break-even.

    Responses come from :func:`relmark_lab.rfm.simulate_responses`, the
    lesson's model; then one cell's test customers are moved to the rollout
    (nobody of it was tested) and another cell is re-split so that its test
    rate equals break-even (1 in 10 at 5 MXN a contact and 50 MXN a response).
    """
    table = _table(_unseen())
    answers = rfm.simulate_responses(table, random_state=_seed(51))["responded"]
    result = rfm.test_then_rollout(
        table, answers, cost_per_contact=UNSEEN_COST, profit_per_response=UNSEEN_PROFIT,
        test_share=0.2, cells=CELL, random_state=_seed(52))
    cells = result.cells[["test_contacts", "test_responses", "rollout_contacts",
                          "rollout_responses"]].astype("int64")
    customers = cells["test_contacts"] + cells["rollout_contacts"]
    answered = cells["test_responses"] + cells["rollout_responses"]
    # Untested: the most recent, most frequent cell, whose rollout would earn money.
    untested = (5, 5) if (5, 5) in cells.index else customers.idxmax()
    _resplit(cells, untested, 0, 0)
    # Exactly at break-even: a big cell with enough answers, 2 of 20 in the test.
    room = (customers >= 40) & (answered >= 2) & (answered - 2 <= customers - 20)
    room[untested] = False
    at_break_even = customers[room].idxmax()
    _resplit(cells, at_break_even, 20, 2)
    return cells


def rollout_cases(data_dir: Any, rollout_mistakes: Callable) -> list[Case]:
    """03.5: the lesson's campaign, and the unseen one at other economics."""
    unseen = _("{unseen} at {cost} MXN a contact and {profit} MXN a response").format(
        unseen=_(unseen_label()), cost=f"{UNSEEN_COST:g}", profit=f"{UNSEEN_PROFIT:g}")
    cases = []
    for cells, cost, profit, label, seen in [
        (campaign_cells(data_dir), COST_PER_CONTACT, PROFIT_PER_RESPONSE, LESSON, True),
        (unseen_cells(), UNSEEN_COST, UNSEEN_PROFIT, unseen, False),
    ]:
        expected = rollout_reference(cells, cost, profit)
        cases.append(Case(label, (cells.copy(), cost, profit), expected,
                          tuple(rollout_mistakes(cells, cost, profit)), seen))
    return cases


# --- 03.7: whom to mail on a budget --------------------------------------------------


def _campaign(folder: Any, seed: int) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Candidates, the last campaign per cell, and each candidate's response probability."""
    table = _table(folder)
    responses = rfm.simulate_responses(table, random_state=seed)
    mailed = table[CELL].assign(responded=responses["responded"].to_numpy())
    last = mailed.groupby(CELL)["responded"].agg(contacts="size", responses="sum")
    candidates = table[["customer_id", "r_score", "f_score", "m_score"]].copy()
    return candidates, last.astype("int64"), responses["response_probability"].to_numpy()


def budget_campaign(data_dir: Any = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The data of exercise 03.7: the customers one may mail, and the last campaign's cells.

    Parameters
    ----------
    data_dir : path, optional
        The lesson's data folder (None: the kit's ``datasets/``).

    Returns
    -------
    candidates : pandas.DataFrame
        ``customer_id``, ``r_score``, ``f_score``, ``m_score``, one row per
        customer.
    last_campaign : pandas.DataFrame
        Indexed by ``(r_score, f_score)``: ``contacts`` (every customer of
        the cell was mailed last time) and ``responses``.

    Examples
    --------
    >>> candidates, last_campaign = budget_campaign()
    >>> int(last_campaign["contacts"].sum()) == len(candidates)
    True
    """
    candidates, last, _probability = _campaign(data_dir, LAST_CAMPAIGN_SEED)
    return candidates, last


def best_customers(candidates: pd.DataFrame, last: pd.DataFrame, cost: float, profit: float,
                   budget: float) -> tuple:
    """The reference decision: best cells first, at or above break-even, until the budget."""
    rate = (last["responses"] / last["contacts"].where(last["contacts"] > 0)).rename("rate")
    ranked = candidates.join(rate, on=CELL)
    ranked = ranked[ranked["rate"].ge(cost / profit)]
    ranked = ranked.sort_values(["rate", "customer_id"], ascending=[False, True])
    return tuple(sorted(ranked["customer_id"].iloc[: int(budget // cost)]))


def as_decision(answer: Any, candidates: pd.DataFrame) -> Any:
    """A student's choice as a sorted tuple of customer ids, or as it is if it is none.

    Accepted: ids in a list, tuple, set, array, Index or Series; the chosen rows of
    ``candidates``; or a True/False mark for every candidate, in its order.
    """
    if isinstance(answer, pd.DataFrame) and "customer_id" in answer.columns:
        answer = answer["customer_id"]
    if (isinstance(answer, (pd.Series, np.ndarray)) and answer.dtype == bool
            and len(answer) == len(candidates)):
        answer = candidates["customer_id"][np.asarray(answer)]
    if isinstance(answer, (pd.Series, pd.Index, np.ndarray, list, tuple, set)):
        ids = [str(v) for v in np.asarray(list(answer), dtype=object).ravel()]
        return tuple(sorted(ids))
    return answer


def _scorer(candidates: pd.DataFrame, probability: np.ndarray, cost: float, profit: float,
            budget: float, salt: int):
    """The profit of a decision, averaged over simulated mailings the student never sees."""
    draws = unseen_rng(salt).random((MAILINGS, len(probability))) < probability
    answers = pd.Series(draws.mean(axis=0), index=candidates["customer_id"].to_numpy())

    def score(decision: Any) -> float:
        if not isinstance(decision, tuple):
            raise ValueError(_("a list of customer ids is expected, got {decision}.").format(
                decision=show(decision)))
        unknown = [i for i in decision if i not in answers.index]
        if unknown:
            advice = (_("return values of candidates['customer_id'], not row numbers")
                      if all(i.isdigit() for i in unknown) else
                      _("choose among the customer_id values of the candidates you are given"))
            raise ValueError(_("{count} of your ids are not among the candidates, e.g. "
                               "{example}: {advice}.").format(count=f"{len(unknown):,}",
                                                              example=show(unknown[0]),
                                                              advice=advice))
        repeated = len(decision) - len(set(decision))
        if repeated:
            raise ValueError(_("{count} customer(s) appear twice in your list; mail each "
                               "customer once.").format(count=f"{repeated:,}"))
        spent = len(decision) * cost
        if spent > budget:
            raise ValueError(_("mailing {count} customers costs {spent} MXN, more than the "
                               "budget of {budget} MXN.").format(count=f"{len(decision):,}",
                                                                 spent=f"{spent:,.0f}",
                                                                 budget=f"{budget:,.0f}"))
        return float(answers[list(decision)].sum() * profit - spent)

    return score


def budget_mistakes(candidates: pd.DataFrame, last: pd.DataFrame, cost: float, profit: float,
                    budget: float) -> list[Mistake]:
    """The decisions of the known mistakes of 03.7 (sorted tuples of customer ids)."""
    rate = (last["responses"] / last["contacts"]).rename("rate")
    ranked = candidates.join(rate, on=CELL).sort_values(["rate", "customer_id"],
                                                        ascending=[False, True])
    paying = ranked[ranked["rate"] >= cost / profit]
    return [
        Mistake(tuple(sorted(candidates["customer_id"])),
                N_("you chose every customer: mailing them all costs far more than the budget, "
                   "and the cells below break-even lose money."),
                N_("rank the cells by last campaign's response rate and stop when the budget is "
                   "spent.")),
        Mistake(tuple(sorted(paying["customer_id"])),
                N_("you chose every customer of the cells at or above break-even: right without a "
                   "budget, but mailing them costs more than the budget allows."),
                N_("mail the best cells first and stop at budget // cost_per_contact customers, "
                   "even in the middle of a cell.")),
        Mistake(tuple(sorted(ranked["customer_id"].iloc[: int(budget // cost)])),
                N_("you spent the whole budget, also on cells whose response rate is below "
                   "break-even: each of those contacts costs more than it is expected to bring. A "
                   "budget is a ceiling, not a target."),
                N_("leave out the cells whose rate is below cost_per_contact / "
                   "profit_per_response.")),
    ]


def budget_cases(data_dir: Any) -> list[Case]:
    """03.7: a binding budget on the lesson's customers, a loose one on unseen customers."""
    # A label is in the language in use, so the cache keeps one set of cases per language.
    return _budget_cases(data_dir, i18n.get_language())


@functools.lru_cache(maxsize=4)
def _budget_cases(data_dir: Any, language: str) -> list[Case]:
    """The cases of :func:`budget_cases`; ``language`` only keys the cache."""
    unseen = _("{unseen} at {cost} MXN a contact, {profit} MXN a response and a budget of "
               "{budget} MXN").format(unseen=_(unseen_label()), cost=f"{UNSEEN_COST:g}",
                                      profit=f"{UNSEEN_PROFIT:g}", budget=f"{UNSEEN_BUDGET:,.0f}")
    runs = [(data_dir, LAST_CAMPAIGN_SEED, COST_PER_CONTACT, PROFIT_PER_RESPONSE, BUDGET,
             LESSON, True),
            (_unseen(), _seed(71), UNSEEN_COST, UNSEEN_PROFIT, UNSEEN_BUDGET, unseen, False)]
    cases = []
    for salt, (folder, seed, cost, profit, budget, label, seen) in enumerate(runs, start=72):
        candidates, last, probability = _campaign(folder, seed)
        score = _scorer(candidates, probability, cost, profit, budget, salt)
        best = best_customers(candidates, last, cost, profit, budget)
        mistakes = [m for m in budget_mistakes(candidates, last, cost, profit, budget)
                    if m.answer != best]
        cases.append(Case(label, (candidates, last, cost, profit, budget),
                          mistakes=tuple(mistakes), seen=seen, score=score,
                          best=score(best), unit="MXN"))
    return cases
