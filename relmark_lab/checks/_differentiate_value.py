"""Checks 02.8 and 02.9: which weapon of value for effort to invest in, and relationship levels.

02.8 is a decision. The student estimates from a survey what a rating point
of each weapon is worth and spends a budget on one weapon; the check scores
the choice on **respondents the student has not seen** (drawn by the survey's
own rules, :data:`~relmark_lab.datasets.synthetic.VALUE_DRIVERS_TRUTH`) at the
**true** weights, against the best choice. 02.9 places segments on Kotler's
grid with the cuts :func:`relmark_lab.differentiate.relationship_levels` uses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from relmark_lab import differentiate as dif
from relmark_lab.checks._cases import kit_cases, unseen_rng
from relmark_lab.checks._core import Case, CheckResult, Hints, Mistake, check_function
from relmark_lab.checks._differentiate_contacts import campaign_tiers, kit_table
from relmark_lab.datasets.synthetic import VALUE_DRIVERS_TRUTH
from relmark_lab.datasets.synthetic.survey import _value_for_effort
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = [
    "WEAPON_BUDGET",
    "WEAPON_COSTS",
    "choose_weapon",
    "level_segments",
    "relationship_level",
]

#: MXN per rating point per customer, by rating column, and the budget per customer, of
#: exercise 02.8 on the lesson's data.
WEAPON_COSTS = {"price_rating": 300.0, "convenience_rating": 150.0, "service_rating": 400.0,
                "reassurance_rating": 60.0, "product_brand_rating": 100.0}
#: The unseen cases: other price lists and budgets, on a survey the student has not seen.
_UNSEEN_OFFERS = (
    ({**WEAPON_COSTS, "price_rating": 200.0}, 200.0),
    ({**WEAPON_COSTS, "price_rating": 420.0, "convenience_rating": 300.0,
      "service_rating": 90.0, "product_brand_rating": 120.0}, 90.0),
)
WEAPON_BUDGET = 240.0
#: Respondents the student never sees, on whom a choice is scored.
SCORING_RESPONDENTS = 20_000
_TRUE_WEIGHT = {w["column"]: w["weight"] for w in VALUE_DRIVERS_TRUTH["weapons"].values()}


def _respondents(salt: int, n: int = SCORING_RESPONDENTS) -> pd.DataFrame:
    """Fresh respondents' answers, drawn by the kit survey's rules (latent satisfaction N(0, 1))."""
    rng = unseen_rng(salt)
    return pd.DataFrame(_value_for_effort(rng, rng.normal(size=n)))


def _gains(survey: pd.DataFrame, weights: Mapping[str, float], costs: Mapping[str, float],
           budget: float, capped: bool = True) -> pd.Series:
    top = 5.0 if capped else np.inf
    return pd.Series({c: dif.rating_gain(survey, c, budget / costs[c], weights[c], top=top)
                      for c in costs})


def weapon_case(label: str, survey: pd.DataFrame, costs: Mapping[str, float], budget: float,
                seen: bool, salt: int) -> Case:
    """One survey, price list and budget: a choice scored on unseen respondents' true gain."""
    pool = _respondents(salt)
    truth = 1_000 * _gains(pool, _TRUE_WEIGHT, costs, budget)  # per 1,000 customers
    estimated = dif.key_drivers(survey, "perceived_value", list(costs)).set_index("driver")
    weight = estimated["weight"].to_dict()

    def score(decision) -> float:
        if decision not in truth.index:
            raise ValueError(_("{decision} is not one of the rating columns {columns}.").format(
                decision=repr(decision), columns=", ".join(truth.index)))
        return float(truth[decision])

    best = float(truth.max())
    candidates = [
        (max(weight, key=weight.get),
         N_("you chose the weapon whose rating point moves perceived value most, whatever the "
            "point costs: the budget buys fewer points of a dear weapon."),
         N_("points = budget / cost; compare weight × points, not the weights alone.")),
        (_gains(survey, weight, costs, budget, capped=False).idxmax(),
         N_("a rating cannot rise above 5: where many respondents already rate a weapon 4 or 5, "
            "the points the budget buys mostly go to waste."),
         N_("a respondent's rise is min(rating + points, 5) − rating; average it over the "
            "respondents, then multiply by the weight.")),
        (min(costs, key=costs.get),
         N_("the cheapest points are not the best buy when the weapon hardly moves perceived "
            "value."),
         N_("estimate each weapon's weight (a regression of perceived_value on the five ratings) "
            "and multiply by what the budget buys.")),
        (estimated["mean_rating"].idxmin(),
         N_("the weapon rated worst is where the importance–performance map says to concentrate, "
            "but the budget goes furthest where points are cheap and count."),
         N_("compare the gain in perceived value per weapon for this budget and these costs.")),
    ]
    mistakes = []
    for answer, because, hint in candidates:
        if answer not in [m.answer for m in mistakes] and truth[answer] < 0.95 * best:
            mistakes.append(Mistake(answer, because, hint))
    # A verdict quotes the unit as it is: it is put in the language in use here.
    return Case(label, (survey, dict(costs), budget), mistakes=tuple(mistakes), seen=seen,
                score=score, best=best, unit=_("perceived-value points per 1,000 customers"))


def choose_weapon(func: Callable, data_dir=None) -> CheckResult:
    """Check 02.8, a decision: which weapon of value for effort the budget should buy.

    Scored at the simulator's true weights on respondents the student has not
    seen; it passes at 95% of the best choice's gain. Run on the lesson's
    survey and on a new survey with other prices and budgets.
    """
    unseen = _respondents(28, n=1_500)  # a survey of the same shape the student never saw
    # Labels in the language in use (the cases are built anew at every check).
    lesson = _("the lesson's survey, prices and budget ({budget} MXN per customer)").format(
        budget=f"{WEAPON_BUDGET:,.0f}")
    cases = [weapon_case(lesson, kit_table("survey", data_dir), WEAPON_COSTS, WEAPON_BUDGET,
                         True, 1)]
    for k, (costs, budget) in enumerate(_UNSEEN_OFFERS, start=2):
        label = _("a survey you have not seen, other prices and a budget of {budget} MXN").format(
            budget=f"{budget:,.0f}")
        cases.append(weapon_case(label, unseen, costs, budget, False, k))
    return check_function(
        "02.8 choose_weapon", func, cases,
        hints=Hints(
            N_("a weapon is worth what one more rating point adds to perceived value (its weight, "
               "the other ratings held fixed) times the points the budget buys; ratings stop at "
               "5, so a weapon already rated highly has less room."),
            N_("fit perceived_value on the five rating columns by least squares for the weights; "
               "for each weapon, points = budget / cost and gain = weight × mean(min(rating + "
               "points, 5) − rating); return the column with the largest gain."),
        ),
    )


def level_segments() -> pd.DataFrame:
    """Segments exactly on the cuts: 25% and 5% of the customers, twice the average margin."""
    # 1,000 customers; average margin (250*100 + 100*156.25 + 50*100 + 500*80 - 100*75) / 1000
    # = 78.125, so 156.25 is exactly twice it
    return pd.DataFrame({"segment": ["on many", "on high", "on few", "rest", "losing"],
                         "customers": [250, 100, 50, 500, 100],
                         "margin_per_customer": [100.0, 156.25, 100.0, 80.0, -75.0]})


def _level_case(segments: pd.DataFrame) -> tuple:
    def levels(**options) -> pd.Series:
        return dif.relationship_levels(segments, **options)["level"].set_axis(segments.index)

    counts, margins = segments["customers"], segments["margin_per_customer"]
    expected = levels()
    strict = dif.relationship_levels(segments, many_share=0.25 + 1e-9,
                                     high_multiple=2.0 + 1e-9)["level"]
    simple = segments.assign(margin_per_customer=margins / margins.mean()
                             * (counts * margins).sum() / counts.sum())
    mistakes = [
        Mistake(strict.set_axis(segments.index),
                N_("a segment exactly on a cut belongs to the upper side: 25% of the customers is "
                   "'many', twice the average margin is 'high'."),
                N_("use >= at the many and high cuts, < at the few and low cuts.")),
        Mistake(dif.relationship_levels(simple)["level"].set_axis(segments.index),
                N_("the average margin is per customer of the whole base, not the plain mean of "
                   "the segments' margins: a big segment weighs more."),
                N_("average = Σ customers × margin_per_customer / Σ customers.")),
    ]
    return (segments,), expected, mistakes


def _levels_by_row(func: Callable) -> Callable:
    """The student's levels as a Series on the segments' rows (a list or array is read in order)."""
    if not callable(func):
        return func

    def run(segments):
        answer = func(segments)
        if isinstance(answer, (list, tuple, np.ndarray)) and len(answer) == len(segments):
            answer = pd.Series(list(answer), index=segments.index)
        return answer

    return run


def relationship_level(func: Callable, data_dir=None) -> CheckResult:
    """Check 02.9: each segment's relationship level on Kotler's grid.

    On the lesson's value tiers, on new data's, and on a small table with
    segments exactly on the cuts, where ``>=`` and ``>`` disagree.
    """

    def build(folder):
        tiers = campaign_tiers(folder).rename(columns={"profit_mean": "margin_per_customer"})
        return _level_case(tiers[["tier", "customers", "margin_per_customer"]])

    args, expected, mistakes = _level_case(level_segments())
    edges = Case(N_("the small table with segments exactly on the cuts"), args, expected,
                 tuple(mistakes))
    cases = [*kit_cases(build, data_dir), edges]
    return check_function(
        "02.9 relationship_level", _levels_by_row(func), cases,
        hints=Hints(
            N_("a segment's level follows from two questions: does it hold many, a medium number "
               "or few of the customers, and is its margin per customer high, medium or low "
               "compared with the average customer's?"),
            N_("share = customers / total; many if share >= 0.25, few if share < 0.05; multiple = "
               "margin_per_customer / (Σ customers × margin / Σ customers); high if >= 2, low if "
               "< 0.5; then read the level off the grid."),
        ),
    )
