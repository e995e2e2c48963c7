"""Check 04b.6, a decision: whom to send a retention offer on a budget.

The student returns the customers who get the offer. The list is not
compared with an answer: it is scored on what the customers really buy over
the CLV horizon after the offer, simulated from the simulator's truth
(:func:`relmark_lab.checks._clv_noncontractual_data.future_margin`), and
set against what the best list earns on the same outcomes. A list close to
one a known mistake gives (ranking by value if alive, by P(alive), by past
purchases, spending the whole budget) is named as that mistake; ties, such
as the many customers with P(alive) = 1, do not hide it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab.checks import _clv_noncontractual_data as data
from relmark_lab.checks._cases import unseen_data_dir, unseen_label, unseen_rng
from relmark_lab.checks._core import Case, CheckResult, Hints, Mistake, check_function
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = ["InvalidDecision", "as_decision", "offer_decisions", "resembles",
           "retention_offer_targets"]


class InvalidDecision(str):
    """A decision that cannot be carried out; the text says why (a sentence)."""


def as_decision(answer: Any, customer_ids: pd.Index) -> frozenset | InvalidDecision:
    """The set of customer ids a student's answer chooses, or why it cannot be used.

    A list, tuple, set, array, Index or Series of ids, a True/False Series
    indexed by id, or a DataFrame with a ``customer_id`` column.
    """
    if answer is None:
        return InvalidDecision(_("your function returned None; return the ids of the "
                                 "customers who get the offer."))
    if isinstance(answer, pd.DataFrame):
        if "customer_id" not in answer:
            return InvalidDecision(_("a DataFrame of the chosen customers needs a "
                                     "'customer_id' column."))
        answer = answer["customer_id"]
    if isinstance(answer, pd.Series) and pd.api.types.is_bool_dtype(answer):
        answer = answer.index[answer.to_numpy(dtype=bool)]
    if isinstance(answer, (str, bytes, dict)) or not hasattr(answer, "__iter__"):
        return InvalidDecision(_("the customer ids of the chosen customers are expected (a "
                                 "list or a Series of ids), got {kind}.").format(
            kind=type(answer).__name__))
    values = list(answer)
    if values and all(isinstance(x, (bool, np.bool_)) for x in values):
        return InvalidDecision(_("a list of True/False does not say whose each value is: "
                                 "return the chosen customer ids, or a True/False Series "
                                 "indexed by customer_id."))
    chosen = [str(x) for x in values]
    unique = frozenset(chosen)
    if len(unique) < len(chosen):
        repeated = pd.Series(chosen)[pd.Series(chosen).duplicated()].iloc[0]
        return InvalidDecision(_("customer {customer} is chosen more than once; each "
                                 "customer gets at most one offer.").format(
            customer=repr(repeated)))
    unknown = sorted(unique.difference(customer_ids))
    if unknown:
        if len(unknown) == 1:
            return InvalidDecision(_("the id {customer} is not a customer of these data.").format(
                customer=repr(unknown[0])))
        return InvalidDecision(_("{count} of the ids are not customers of these data, e.g. "
                                 "{customer}.").format(count=f"{len(unknown):,}",
                                                       customer=repr(unknown[0])))
    return unique


def _top(key: pd.Series, n: int) -> frozenset:
    return frozenset(key.sort_values(ascending=False, kind="stable").index[:n])


def resembles(chosen: frozenset, target: frozenset, key: pd.Series) -> bool:
    """Whether ``chosen`` is ``target`` up to ties and a few customers.

    ``target`` holds the customers ranked first by ``key``; a choice of
    about as many customers, nine in ten of them at least as high on ``key``
    as the last of its own size, resembles it (so the order among tied
    customers, e.g. the many with P(alive) = 1, does not matter).
    """
    n = len(chosen)
    if n == 0 or abs(n - len(target)) > 0.1 * max(len(target), 1):
        return False
    cut = key.nlargest(n).min()
    return bool((key.loc[list(chosen)] >= cut).mean() >= 0.9)


def offer_decisions(candidates: pd.DataFrame, budget: float, offer_cost: float,
                    uplift: float) -> tuple[frozenset, dict[str, tuple[frozenset, pd.Series]]]:
    """The best offer list on these candidates, and the lists known mistakes give.

    The best: customers whose expected extra margin, ``uplift * p_alive *
    value_if_alive``, beats the offer's cost, best first, as many as the
    budget pays for. Each mistake maps to its list and the ranking key that
    produced it; only mistakes whose list is far from the best one are kept.
    """
    table = candidates.set_index("customer_id")
    n_offers = int(budget // offer_cost)
    gain = uplift * table["p_alive"] * table["value_if_alive"] - offer_cost
    best = _top(gain, min(n_offers, int((gain > 0).sum())))
    keys = {
        "value if alive": table["value_if_alive"],
        "P(alive)": table["p_alive"],
        "lowest P(alive)": -table["p_alive"],
        "past frequency": table["frequency"].astype(float),
        "past value": table["frequency"] * table["monetary_value"],
        "whole budget": gain,
    }
    mistakes = {}
    for name, key in keys.items():
        chosen = _top(key, n_offers)
        overlap = len(chosen & best) / max(len(chosen | best), 1)
        if overlap < 0.8 and not resembles(chosen, best, gain):
            mistakes[name] = (chosen, key)
    return best, mistakes


_EXPECTED_BRING = N_("Rank by what each customer is expected to bring, p_alive * "
                     "value_if_alive.")
_OFFER_MISTAKES = {
    "value if alive": (N_("the offers go to the customers worth most if they are still alive, "
                          "and many of them have probably left: an offer to a customer who is "
                          "gone earns nothing."), N_("Weigh value_if_alive by p_alive.")),
    "P(alive)": (N_("the offers go to the customers most surely alive, and most of them bought "
                    "only once and are worth little."), N_("Weigh p_alive by value_if_alive.")),
    "lowest P(alive)": (N_("the offers go to the customers most likely gone: few of them are "
                           "still there to respond."),
                        N_("Rank by p_alive * value_if_alive, highest first.")),
    "past frequency": (N_("the offers go to the customers who bought most often, including "
                          "those who stopped long ago: a long silence after frequent purchases "
                          "is bad news."), _EXPECTED_BRING),
    "past value": (N_("the offers go to the customers who spent most in the past, including "
                      "those who have probably left: the offer pays on future purchases."),
                   _EXPECTED_BRING),
    "whole budget": (N_("the whole budget was spent, also on customers whose expected extra "
                        "margin is below the offer's cost: each of those offers loses money."),
                     N_("Send an offer only where uplift * p_alive * value_if_alive > "
                        "offer_cost.")),
}


def _offer_case(label: str, folder, offer: dict, salt: int, seen: bool) -> tuple[Case, dict]:
    candidates = data.offer_candidates(folder)
    best, known = offer_decisions(candidates, **offer)
    outcome = data.future_margin(folder, salt)
    budget, cost, uplift = offer["budget"], offer["offer_cost"], offer["uplift"]

    def score(decision) -> float:
        if isinstance(decision, InvalidDecision):
            raise ValueError(str(decision))
        if len(decision) * cost > budget + 1e-9:
            raise ValueError(_("{offers} offers cost {cost} MXN, more than the budget of "
                               "{budget} MXN.").format(offers=f"{len(decision):,}",
                                                       cost=f"{len(decision) * cost:,.0f}",
                                                       budget=f"{budget:,.0f}"))
        return float((uplift * outcome.loc[list(decision)] - cost).sum())

    mistakes = tuple(Mistake(chosen, *_OFFER_MISTAKES[name]) for name, (chosen, _) in known.items())
    args = (candidates, budget, cost, uplift)
    case = Case(label, args, mistakes=mistakes, seen=seen, score=score, best=score(best),
                unit="MXN")
    table = candidates.set_index("customer_id")
    return case, {"key": (len(candidates), budget, cost, uplift), "ids": table.index,
                  "best": best, "known": known,
                  "gain": uplift * table["p_alive"] * table["value_if_alive"] - cost}


def _offer_runner(func: Callable, judged: list[dict]) -> Callable:
    """The student's offer list as a set of ids; a list close to a known mistake becomes it."""
    if not callable(func):
        return func
    by_case = {info["key"]: info for info in judged}

    def run(candidates, budget, offer_cost, uplift):
        info = by_case[(len(candidates), budget, offer_cost, uplift)]
        chosen = as_decision(func(candidates, budget, offer_cost, uplift), info["ids"])
        if isinstance(chosen, InvalidDecision) or resembles(
                chosen, info["best"], info["gain"]):
            return chosen
        for target, key in info["known"].values():
            if resembles(chosen, target, key):
                return target
        return chosen

    return run


def retention_offer_targets(func: Callable, data_dir=None, *, budget: float | None = None,
                            offer_cost: float | None = None,
                            uplift: float | None = None) -> CheckResult:
    """Check 04b.6 (a decision): whom to send a retention offer on a budget.

    The student's list is scored on each customer's margin over the next
    ``practice.HORIZON_WEEKS`` weeks, simulated from the simulator's truth:
    ``uplift`` times it for each customer offered, less the offer's cost.
    It passes at 95% of what the best list (expected gain above cost, best
    first, within the budget) earns on the same outcomes. ``budget``,
    ``offer_cost`` and ``uplift`` of the lesson's case default to
    :data:`~relmark_lab.checks._clv_noncontractual_data.OFFER`; the unseen
    case draws its own.
    """
    given = {"budget": budget, "offer_cost": offer_cost, "uplift": uplift}
    lesson_offer = {k: float(data.OFFER[k] if v is None else v) for k, v in given.items()}
    rng = unseen_rng(62)
    cost = float(rng.integers(6, 11) * 10)
    unseen_offer = {"offer_cost": cost, "uplift": round(float(rng.uniform(0.2, 0.3)), 2),
                    "budget": cost * float(rng.integers(350, 450))}
    pairs = [_offer_case(N_("the lesson's data"), data_dir, lesson_offer, 61, True),
             _offer_case(unseen_label(), unseen_data_dir(), unseen_offer, 63, False)]
    return check_function(
        "04b.6 retention_offer_targets", _offer_runner(func, [p[1] for p in pairs]),
        [p[0] for p in pairs],
        hints=Hints(
            N_("An offer pays only if the customer is still there to respond and worth enough: "
               "weigh what each customer brings if alive by the chance they are still alive, "
               "and send offers, best first, only while the expected extra margin beats the "
               "cost and the budget lasts."),
            N_("Expected gain = uplift * p_alive * value_if_alive - offer_cost; keep the "
               "customers with a positive gain, highest first, at most budget // offer_cost of "
               "them, and return their customer_id."),
        ),
    )
