"""Exercise 01.7, whom to call in a win-back campaign: its cases and how a decision is read.

A decision is scored on the customers' true order values
(``customer_truth.csv``), which the customer table only estimates; the
check itself is :func:`relmark_lab.checks.identify.whom_to_win_back`.

>>> _pick(pd.Series({"a": 5.0, "b": -1.0, "c": 9.0}), 2)
('a', 'c')
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import numpy as np
import pandas as pd

from relmark_lab import datasets, identify
from relmark_lab.checks._cases import unseen_data_dir, unseen_label
from relmark_lab.checks._compare import show
from relmark_lab.checks._core import DECISION_SHARE as PASS_SHARE
from relmark_lab.checks._core import Case, Mistake
from relmark_lab.i18n import N_, display_value
from relmark_lab.i18n import gettext as _

#: Chance that a called customer comes back, without and with an unresolved complaint,
#: and the margin on the order a won-back customer places.
RESPONSE_RATE, RESPONSE_RATE_UNRESOLVED, MARGIN_RATE = 0.25, 0.05, 0.30


def _end(folder) -> str:
    """The observation end of the data in ``folder``."""
    return datasets.load_truth(folder)["observation_end"]


def _chosen(decision) -> list[str]:
    """The distinct customer ids of a decision, or ValueError with a sentence."""
    if isinstance(decision, pd.DataFrame) and "customer_id" in decision:
        decision = decision["customer_id"]
    if not isinstance(decision, (list, tuple, set, pd.Series, pd.Index, np.ndarray)):
        raise ValueError(_("return a list of customer_id values to call, not {decision}.").format(
            decision=show(decision)))
    return sorted({str(i) for i in decision})


def _as_choice(func: Callable) -> Callable:
    """A decision in a comparable form: its sorted distinct ids (an invalid one as it is)."""
    def run(*args):
        decision = func(*args)
        with contextlib.suppress(ValueError):
            decision = tuple(_chosen(decision))
        return decision
    return run if callable(func) else func


def _pick(value: pd.Series, n: int, positive: bool = True) -> tuple:
    """The ``n`` customers of largest value (ties by id), positive ones only by default."""
    value = value[value > 0] if positive else value
    return tuple(sorted(value.sort_values(ascending=False, kind="stable").index[:n]))


def _how_far(because: str, value: float, best: float) -> str:
    """A mistake's clause and what the list it describes earns, as any decision's verdict says."""
    earned = f"{value:,.0f}"
    if value >= 0 and best > 0:
        return _("{reason} Such a list earns {value} MXN, {share} of what the best decision "
                 "earns.").format(reason=because, value=earned, share=f"{value / best:.0%}")
    return _("{reason} Such a list earns {value} MXN, {gap} MXN less than the best "
             "decision.").format(reason=because, value=earned, gap=f"{best - value:,.0f}")


def _win_back_case(label, folder, days, cost, budget, seen) -> Case:
    table = identify.customer_table(
        datasets.load_transactions(folder), _end(folder), leads=datasets.load_leads(folder),
        customers=datasets.load_customers(folder), survey=datasets.load_survey(folder),
        contacts=datasets.load_voice_of_customer(folder), active_within_days=days)
    status = table.set_index("customer_id")["status"].astype(str)
    lapsed = table[table["status"] == "inactive"].set_index("customer_id")
    answers = np.where(lapsed["unresolved_complaints"] > 0, RESPONSE_RATE_UNRESOLVED,
                       RESPONSE_RATE)
    truth = datasets.load_customer_truth(folder).set_index("customer_id")
    gain = answers * MARGIN_RATE * truth["expected_order_value"].reindex(lapsed.index) - cost
    calls = int(budget // cost)

    def score(decision) -> float:
        ids = _chosen(decision)
        unknown = [i for i in ids if i not in status.index]
        if unknown:
            raise ValueError(_("{count} of the ids are not in the table, e.g. {example}.").format(
                count=f"{len(unknown):,}", example=repr(str(unknown[0])[:40])))
        other = [i for i in ids if status[i] != "inactive"]
        if other:
            # The status is shown, not compared: in the language in use ("active": "activo").
            raise ValueError(_("{example} is {status} ({count} such ids); win-back calls go to "
                               "inactive customers.").format(
                                   example=repr(other[0]), status=display_value(status[other[0]]),
                                   count=f"{len(other):,}"))
        if len(ids) > calls:
            raise ValueError(_("{count} calls cost {cost} MXN, more than the budget of {budget} "
                               "MXN.").format(count=f"{len(ids):,}", cost=f"{len(ids) * cost:,.0f}",
                                              budget=f"{budget:,.0f}"))
        return float(gain.loc[ids].sum())

    usual = lapsed["revenue"] / lapsed["orders"]
    estimate = answers * MARGIN_RATE * usual - cost
    # Best: order values estimated by gamma-gamma with the simulator's parameters (or the rule).
    gg, orders = datasets.load_truth(folder)["gamma_gamma"], lapsed["orders"]
    shrunk = gg["p"] * (gg["gamma"] + orders * usual) / (gg["p"] * orders + gg["q"] - 1)
    reference = _pick(estimate, calls)
    best = max(score(_pick(answers * MARGIN_RATE * shrunk - cost, calls)), score(reference))
    mistakes = []
    for answer, because, hint in [
        (tuple(sorted(lapsed.index)),
         _("you called every inactive customer: the budget pays for {calls} calls, and many are "
           "not worth one.").format(calls=f"{calls:,}"),
         N_("estimate what each call is worth and keep the best ones the budget pays for.")),
        (_pick(-lapsed["days_since_last_purchase"].astype("float64"), calls, False),
         N_("you called the customers who lapsed most recently; recency tells who is inactive, "
            "not what winning them back is worth."),
         N_("a call is worth response rate × margin × the customer's usual order − its cost.")),
        (_pick(lapsed["revenue"], calls, False),
         N_("total revenue grows with the years a customer has been with us; a won-back "
            "customer places one order of their usual size."),
         N_("use revenue / orders, the usual order, not the total.")),
        (_pick(RESPONSE_RATE * MARGIN_RATE * usual - cost, calls),
         N_("customers left with an unresolved complaint answer far less often; each call's "
            "worth must use that customer's response rate."),
         N_("use the lower rate where unresolved_complaints > 0.")),
        (_pick(estimate, calls, False),
         N_("some of your calls are expected to bring back less than they cost: stop there, "
            "even with budget left."),
         N_("keep only the calls whose expected gain is above zero.")),
    ]:
        value = score(answer) if len(answer) <= calls else None
        # A naive list that happens to be (nearly) the best is no mistake on these data.
        if answer != reference and (value is None or value < PASS_SHARE * best):
            if value is not None:  # how far it is, as the verdict of any decision says
                because = _how_far(_(because), value, best)
            mistakes.append(Mistake(answer, because, hint))
    return Case(label, (table, budget, cost), mistakes=tuple(mistakes), seen=seen, score=score,
                best=best, unit="MXN")


def _win_back_cases(data_dir) -> list[Case]:
    """01.7 on the lesson's data and twice on unseen data, with other costs and thresholds."""
    unseen = unseen_data_dir()
    other = N_("new data you have not seen (simulated with another seed, inactive after 180 "
               "days, calls at 45 MXN)")
    return [_win_back_case(N_("the lesson's data"), data_dir, 365, 30.0, 6_000.0, True),
            _win_back_case(unseen_label(), unseen, 365, 25.0, 1_250.0, False),
            _win_back_case(other, unseen, 180, 45.0, 10_000.0, False)]
