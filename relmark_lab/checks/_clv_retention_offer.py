"""Exercise 04a.5, the largest retention offer worth matching, scored on held-out lifetimes.

A subscriber brings a rival's offer; the student's rule says, for each
tenure, the largest discount worth matching. The rule is scored on
lifetimes drawn from the fitted sBG model, which the student never sees.
The check is exported by :mod:`relmark_lab.checks.clv`.

>>> _limits({1: 10.0, 2: 20.0}, np.array([1, 2])).tolist()
[10.0, 20.0]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from relmark_lab import clv, units
from relmark_lab.checks import _cases
from relmark_lab.checks._clv_contractual import LESSON, _differing, _simulated_cohort
from relmark_lab.checks._compare import show
from relmark_lab.checks._core import Case, CheckResult, Hints, check_function
from relmark_lab.datasets import practice
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = ["largest_retention_offer"]

# --- the decision: the largest offer worth matching, scored on held-out lifetimes ---------

#: Subscribers of each case who bring the firm a rival's offer.
SUBSCRIBERS = 4000


def _limits(decision, tenures: np.ndarray) -> np.ndarray:
    """The largest offer matched at each tenure; ValueError with a sentence if unusable."""
    given = pd.Series(decision, dtype=object).reindex(tenures)
    values = pd.to_numeric(given, errors="coerce").to_numpy(float)
    if not np.isfinite(values).all():
        n = int(tenures[~np.isfinite(values)][0])
        raise ValueError(_("it gives no number of MXN for a subscriber with {renewals} renewals "
                           "(got {value}).").format(renewals=n, value=show(given[n])))
    return values


def _period_words(unit: str) -> tuple[str, str]:
    """One period of ``unit`` and several, named in the language in use ("month", "months")."""
    words = {"D": (_("day"), _("days")), "W": (_("week"), _("weeks")),
             "M": (_("month"), _("months")), "Q": (_("quarter"), _("quarters")),
             "Y": (_("year"), _("years"))}
    return words[units.check_unit(unit)]


def _offer_case(label: str, model, last: int, margin_year: float, rate_year: float,
                rng: np.random.Generator, seen: bool) -> Case:
    """Subscribers with 0 to ``last`` renewals, whose lifetimes follow ``model`` (the truth)."""
    unit = model.time_unit_
    period, periods = _period_words(unit)
    margin = margin_year / units.periods_per_year(unit)
    rate = units.convert_rate(rate_year, "Y", unit)
    tenures = np.arange(last + 1)
    alpha, beta = model.params_
    # Held out: each subscriber's churn probability, given the renewals they survived, and
    # the renewals they will still make; the margin of the renewal now is not discounted.
    renewals = rng.integers(0, last + 1, SUBSCRIBERS)
    stays = rng.geometric(rng.beta(alpha, beta + renewals)) - 1
    keep = 1 / (1 + rate)
    worth = margin * (1 - keep ** stays) / (1 - keep)
    best = margin * model.expected_residual_lifetime(tenures, rate)  # expected worth, per tenure
    offers = rng.uniform(0, 1.2 * best.max(), SUBSCRIBERS)

    def score(decision) -> float:
        matched = offers <= _limits(decision, tenures)[renewals]
        return float((worth - offers)[matched].sum())

    def policy(values) -> pd.Series:
        return pd.Series(np.broadcast_to(values, tenures.shape).astype(float),
                         index=pd.Index(tenures, name="renewals"))

    right = policy(best)
    convert = _("divide the yearly margin by the {periods} in a year and convert the rate by "
                "compounding, (1 + d)^(1/{per_year}) - 1.").format(
        periods=periods, per_year=f"{units.periods_per_year(unit):g}")
    same = (N_("you offered every subscriber what a new one is worth: those who have renewed "
               "many times are less likely to leave, so they are worth more."),
            N_("give expected_residual_lifetime the subscriber's renewals."))
    wrongs = [
        (policy(margin * model.expected_residual_lifetime(0, rate)), *same),
        (policy(margin * model.expected_lifetime(rate)), *same),
        (policy(margin_year * model.expected_residual_lifetime(tenures, rate_year)),
         _("you used the yearly margin and discount rate for renewals that come every "
           "{period}.").format(period=period), convert),
        (policy(margin * model.expected_residual_lifetime(tenures, rate_year)),
         _("the margin is per {period}, but the discount rate is still per year.").format(
             period=period), convert),
        (policy(margin_year * model.expected_residual_lifetime(tenures, rate)),
         _("the discount rate is per {period}, but the margin is still per year.").format(
             period=period), convert),
    ]
    return Case(label, (model, tenures, margin_year, rate_year), seen=seen, score=score,
                mistakes=_differing(wrongs, right), best=score(best), unit="MXN")


def _per_tenure(func: Callable) -> Callable:
    """Ask the student's function for the largest offer at every tenure of the case."""
    if not callable(func):
        return func
    return lambda model, tenures, margin, rate: _cases.per_case(
        func, {int(n): (model, int(n), margin, rate) for n in tenures})()


def largest_retention_offer(func: Callable) -> CheckResult:
    """Check 04a.5: the largest rival offer worth matching, by renewals made (a decision)."""
    regular = clv.ShiftedBetaGeometric().fit(practice.sbg_cohort("regular"))
    rng = _cases.unseen_rng(45)
    alive = _simulated_cohort(rng, 2000, 18, "M", (0.6, 1.4), (6.0, 14.0))
    margin, rate = float(rng.integers(6, 30) * 100), round(float(rng.uniform(0.06, 0.15)), 3)
    cases = [
        _offer_case(LESSON, regular, 12, 1200.0, 0.10, rng, True),
        _offer_case(_("subscribers you have not seen (monthly contracts, {margin} MXN of "
                      "margin a year, {rate} a year)").format(margin=f"{margin:,.0f}",
                                                             rate=f"{rate:.1%}"),
                    clv.ShiftedBetaGeometric().fit(alive), 24, margin, rate, rng, False),
    ]
    return check_function(
        "04a.5 largest_retention_offer", _per_tenure(func), cases,
        hints=Hints(N_("matching an offer pays when what the subscriber will still bring you, "
                       "discounted, is at least the offer; one who has renewed many times is "
                       "less likely to leave than a new one, and the model's periods may be "
                       "months, not years."),
                    N_("the sBG's expected residual lifetime after that many renewals, in "
                       "periods of model.time_unit_, times the margin per period; convert the "
                       "yearly margin and discount rate to that period first.")),
    )
