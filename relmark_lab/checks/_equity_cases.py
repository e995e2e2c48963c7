"""The cases the checks of lesson 05 run a student's function on, and what mistakes give there.

* Formulas (05.1 to 05.3): the lesson's numbers (GLS's footnote 2 and
  firms, the Table 3 S-curve of Amazon, the margin-multiple check) and
  random combinations from :func:`~relmark_lab.checks._cases.unseen_rng`.
* The discount share by tenure year (05.4): the kit's lines, then the
  unseen simulator's lines with an observation end months before their last
  line, on a day with discounted sales, so the window's rules show; each
  known mistake computed the way a student writes it in pandas.
* The change of customer equity (05.5): each customer's CLV at the two
  dates of :data:`~relmark_lab.datasets.practice.EQUITY_DATES`, on the
  kit's data and on the unseen data.
* The budget split (05.6): the course's response curves, then random ones
  whose best split lies far from the lesson's, scored by
  :func:`relmark_lab.equity.split_equity`.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import equity, units
from relmark_lab._orders import ObservedLines
from relmark_lab.checks._cases import _scalar, unseen_data_dir, unseen_label, unseen_rng
from relmark_lab.checks._clv_contractual import _differing
from relmark_lab.checks._compare import show
from relmark_lab.checks._core import DECISION_SHARE, Case, Mistake
from relmark_lab.datasets import load_transactions, load_truth, practice
from relmark_lab.i18n import N_, get_language, gettext
from relmark_lab.i18n import gettext as _

__all__ = [
    "BUDGET_CASE",
    "RETENTION_CASES",
    "S_CURVE",
    "TENURE",
    "TERMS_CASES",
    "as_share",
    "best_split",
    "change_build",
    "change_inputs",
    "decision_mistakes",
    "discount_share",
    "discount_share_variant",
    "growth",
    "lesson_cases",
    "parts_by_case",
    "parts_runner",
    "random_budget",
    "share_cases",
    "split_score",
    "unseen_end",
]

#: Exercise 05.1: (annual margin, annual retention, annual discount rate): GLS's footnote 2
#: and two of their firms (Table 2's quarterly margin times 4, 12% a year).
TERMS_CASES = {
    N_("GLS footnote 2: m=100, r=0.8, i=0.12"): (100.0, 0.80, 0.12),
    "Amazon: m=15.48, r=0.7, i=0.12": (15.48, 0.70, 0.12),
    "Ameritrade: m=201.56, r=0.95, i=0.12": (201.56, 0.95, 0.12),
}
#: Exercise 05.2: GLS Table 3's Amazon curve (alpha in millions, quarters), now = quarter 20
#: (March 2002, 20 quarters after the data start), and the periods asked for.
S_CURVE = (67.045, -4.114, 0.265, 20, 8)
#: Exercise 05.3: (margin, retention rate, discount rate) per period of one unit.
RETENTION_CASES = {
    N_("GLS footnote 2 (a year): m=100, r=0.8, i=0.12"): (100.0, 0.80, 0.12),
    N_("Amazon (a quarter): m=3.87, r=0.7^(1/4), i=1.12^(1/4)-1"): (
        3.87, 0.70 ** 0.25, 1.12 ** 0.25 - 1),
    N_("the margin-multiple check (a month): m=18.95, r=0.788, i=0.01"): (18.95, 0.788, 0.01),
}
#: Exercise 05.6: the course's curves ($1 a prospect -> 4%, ceiling 10%; $8 a customer ->
#: 60%, ceiling 80%), $50 of margin and 10% a year, with a budget and counts of the kit's own.
BUDGET_CASE = {
    "budget": 150_000.0, "prospects": 40_000.0, "customers": 6_000.0,
    "acquisition": equity.ResponseCurve.from_point(1.0, 0.04, ceiling=0.10),
    "retention": equity.ResponseCurve.from_point(8.0, 0.60, ceiling=0.80),
    "margin": 50.0, "discount_rate": 0.10,
}


# --- formulas whose answer is a tuple: one Series by case label per part ------------------


def lesson_cases(named: dict[str, tuple]) -> dict[str, tuple]:
    """The lesson's cases, labelled in the language in use (their labels are marked N_)."""
    return {gettext(label): args for label, args in named.items()}


def parts_by_case(cases: dict[str, tuple], formula: Callable, size: int) -> tuple:
    """What ``formula`` (a tuple of ``size`` numbers) gives on every case, part by part."""
    answers = {label: formula(*args) for label, args in cases.items()}
    return tuple(pd.Series({label: float(parts[k]) for label, parts in answers.items()})
                 .rename_axis(_("case")) for k in range(size))


def parts_runner(func: Callable, size: int) -> Callable:
    """Ask the student's function for every case; their tuples become one Series per part.

    The first answer that is not a tuple of ``size`` values is returned as it
    is, so the check can say what it expected instead.
    """
    if not callable(func):
        return func

    def run(cases: dict[str, tuple]) -> Any:
        answers = {}
        for label, args in cases.items():
            answer = func(*copy.deepcopy(args))
            if not isinstance(answer, (tuple, list)) or len(answer) != size:
                return answer
            answers[label] = [_scalar(part) for part in answer]
        return tuple(pd.Series({label: parts[k] for label, parts in answers.items()},
                               dtype="object").rename_axis(_("case")) for k in range(size))

    return run


def growth(alpha: float, beta: float, gamma: float) -> equity.LogisticGrowth:
    """An S-curve with known parameters, in quarters (as GLS's Table 3)."""
    curve = equity.LogisticGrowth()
    curve.params_ = {"alpha": float(alpha), "beta": float(beta), "gamma": float(gamma)}
    curve.time_unit_ = "Q"
    return curve


# --- 05.4: the discount share by tenure year ------------------------------------------------


def _ratio_by(year: np.ndarray, discount: np.ndarray, listed: np.ndarray) -> pd.Series:
    present = np.bincount(year, minlength=1) > 0
    share = np.bincount(year, discount) / np.where(present, np.bincount(year, listed), 1.0)
    years = np.flatnonzero(present)
    return pd.Series(share[years], index=pd.Index(years, name="tenure_year"), name="share")


def discount_share(transactions: pd.DataFrame, observation_end: Any) -> pd.Series:
    """The reference of 05.4, by the kit's line rules (:class:`ObservedLines`).

    Lines up to the observation end; a customer's first purchase day is the
    first day with a net purchase; a line's tenure year is ``floor(days since
    that day / 365.25) + 1``; the share is ``sum(discount) / sum(amount +
    discount)`` over the lines of each year, returns included.
    """
    lines = ObservedLines(transactions, observation_end, numbers=("discount",))
    first, _ = lines.purchase_day_range
    age = lines.day - first[lines.customer]
    keep = (lines.customer_orders > 0)[lines.customer] & (age >= 0)
    year = np.floor(age[keep] / units.days_per_unit("Y")).astype(np.int64) + 1
    discount = lines.numbers["discount"][keep]
    return _ratio_by(year, discount, lines.amount[keep] + discount)


def discount_share_variant(tx: pd.DataFrame, end: Any, *, year: str = "tenure",
                           ratio: str = "list", cut: str = "day", returns: bool = True,
                           days_per_year: float = 365.25, first_year: int = 0) -> pd.Series:
    """The share as a student computes it in pandas; each keyword makes one known mistake.

    ``year``: "tenure", "calendar", "calendar rank" (first calendar year = 1)
    or "calendar tenure" (calendar years since the first purchase's, + 1);
    ``ratio``: "list" (right), "paid" (over amount) or "lines" (mean of the
    lines' shares); ``cut``: "day" (right), "midnight" (``date <= end``
    drops the end day) or "none"; ``returns``: keep return lines;
    ``first_year``: 0 starts the years at 1 (right), -1 at 0.
    """
    day_end = pd.Timestamp(end)
    kept = {"day": tx["date"].dt.normalize() <= day_end, "midnight": tx["date"] <= day_end,
            "none": pd.Series(True, index=tx.index)}[cut]
    lines = tx[kept]
    buys = lines[lines["amount"] > 0]
    if not returns:
        lines = buys
    first = buys["date"].dt.normalize().groupby(buys["customer_id"]).min()
    started = lines["customer_id"].map(first)
    key = {
        "tenure": lambda: np.floor((lines["date"].dt.normalize() - started).dt.days
                                   / days_per_year) + 1 + first_year,
        "calendar": lambda: lines["date"].dt.year,
        "calendar rank": lambda: lines["date"].dt.year - lines["date"].dt.year.min() + 1,
        "calendar tenure": lambda: lines["date"].dt.year - started.dt.year + 1,
    }[year]()
    listed = lines["amount"] + lines["discount"]
    if ratio == "lines":
        share = (lines["discount"] / listed).groupby(key).mean()
    else:
        base = lines["amount"] if ratio == "paid" else listed
        share = lines["discount"].groupby(key).sum() / base.groupby(key).sum()
    return share.set_axis(pd.Index(share.index.astype("int64"), name="tenure_year"))


def unseen_end(folder: Any) -> str:
    """An observation end for the unseen lines: a day with discounted purchases, months early.

    Drawn among the 120 days before the last sign-up, so that lines after it
    exist and the end day itself holds discounts (``<`` and ``<=`` differ).
    """
    tx = load_transactions(folder)
    last_signup = pd.Timestamp(load_truth(folder)["signup_end"])
    day = tx["date"].dt.normalize()
    inside = (day > last_signup - pd.Timedelta(days=120)) & (day <= last_signup)
    days = np.sort(day[inside & (tx["discount"] > 0) & (tx["amount"] > 0)].unique())
    return f"{pd.Timestamp(unseen_rng(504).choice(days)):%Y-%m-%d}"


TENURE = N_("tenure year = floor(days since the first purchase day / 365.25) + 1.")
_SHARE_MISTAKES = [
    ({"year": "calendar"},
     N_("you grouped the lines by calendar year; the exercise asks for each customer's tenure "
        "year, counted from their own first purchase day."), TENURE),
    ({"year": "calendar rank"},
     N_("you grouped the lines by calendar year (numbered from the data's first); the exercise "
        "asks for each customer's tenure year, counted from their own first purchase day."),
     TENURE),
    ({"year": "calendar tenure"},
     N_("you counted calendar years since the year of the first purchase; a tenure year is "
        "365.25 days from the first purchase day, whatever the calendar says."), TENURE),
    ({"first_year": -1},
     N_("your tenure years start at 0: a customer's first year is year 1."), TENURE),
    ({"ratio": "lines"},
     N_("that is the mean of the lines' own shares, where a small line weighs as much as a "
        "large one; the share of list value is one ratio of sums."),
     N_("sum the discounts and the list values (amount + discount) of each year, then "
        "divide.")),
    ({"ratio": "paid"},
     N_("you divided by the price paid (amount); the share is of the list value, amount + "
        "discount."), N_("divide the discounts by the sum of amount + discount.")),
    ({"returns": False},
     N_("the returns were left out: a return gives back its line's discount, so it belongs in "
        "both sums."), N_("keep every line up to observation_end, returns included.")),
    ({"cut": "midnight"},
     N_("the lines of observation_end itself were left out: the whole day counts, and "
        "`date <= observation_end` compares with its midnight."),
     N_("compare days: transactions['date'].dt.normalize() <= "
        "pd.Timestamp(observation_end).")),
    ({"cut": "none"},
     N_("lines after observation_end were counted: only the lines up to and including that "
        "day are observed."), N_("keep the lines dated on or before observation_end.")),
    ({"days_per_year": 365.0},
     N_("a year has 365.25 days in the kit's convention (leap years included), not 365."),
     TENURE),
]


def _share_case(label: str, tx: pd.DataFrame, end: str, seen: bool) -> Case:
    expected = discount_share(tx, end)
    wrongs = [(discount_share_variant(tx, end, **kw), because, hint)
              for kw, because, hint in _SHARE_MISTAKES]
    return Case(label, (tx, end), expected, _differing(wrongs, expected), seen=seen)


def share_cases(data_dir) -> tuple[Case, Case]:
    """The kit's lines, then unseen lines observed to an earlier day, labelled in the language
    in use."""
    return _share_cases(data_dir, get_language())


@functools.lru_cache(maxsize=4)
def _share_cases(data_dir, language: str) -> tuple[Case, Case]:
    """The cases in one language (cached: each case computes ten mistakes)."""
    folder = unseen_data_dir()
    end = unseen_end(folder)
    return (_share_case(N_("the lesson's data"), load_transactions(data_dir),
                        load_truth(data_dir)["observation_end"], True),
            _share_case(_("{unseen}, observed to {day}").format(unseen=_(unseen_label()), day=end),
                        load_transactions(folder), end, False))


# --- 05.5: the change of equity between two dates -------------------------------------------


@functools.lru_cache(maxsize=4)
def _change_inputs(folder: Any) -> tuple[pd.Series, pd.Series, pd.Index]:
    first, last = practice.EQUITY_DATES
    return (practice.kit_clv_at(first, folder), practice.kit_clv_at(last, folder),
            practice.kit_active_between(first, last, folder))


def change_inputs(folder: Any = None) -> tuple[pd.Series, pd.Series, pd.Index]:
    """(before, after, active) of exercise 05.5 on the data in ``folder`` (copies)."""
    before, after, active = _change_inputs(folder)
    return before.copy(), after.copy(), active.copy()


@functools.lru_cache(maxsize=4)
def change_build(folder) -> tuple[tuple, tuple, list[Mistake]]:
    """The arguments, answer and known mistakes of 05.5 on the data in ``folder``.

    Cached: every check copies the arguments before it calls the student's function.
    """
    before, after, active = change_inputs(folder)
    table = equity.equity_change(before, after, active).set_index("component")["value"]
    acquisition, expansion = float(table["acquisition"]), float(table["expansion"])
    mortality = -float(table["mortality"])  # asked as a positive number: the value lost
    retained = before.index.isin(active)
    later = after.reindex(before.index).fillna(0.0)
    everyone = float((later - before).sum())
    lost = N_("mortality = the sum of before - after over the date-1 customers not in active.")
    wrongs = [
        ((acquisition, expansion, float(before[~retained].sum())),
         N_("your mortality is the whole date-1 value of the lost customers; a customer who "
            "stopped buying still keeps some value at date 2 (the model is never sure they are "
            "gone), so what is lost is before - after."), lost),
        ((acquisition, everyone, mortality),
         N_("your expansion runs over all the date-1 customers; it is the change of the "
            "retained ones only (those in active): the change of the others is mortality."),
         N_("expansion = the sum of after - before over the customers in active.")),
        ((acquisition, everyone, 0.0),
         N_("you took as lost only the customers missing from after; a customer who stopped "
            "buying is still valued at date 2, at less: the lost are the date-1 customers not "
            "in active."), lost),
        ((acquisition, float(after.reindex(before.index[retained]).sum()), mortality),
         N_("your expansion is the retained customers' value at date 2, not its change since "
            "date 1."), N_("subtract their value at date 1 (before).")),
        ((acquisition, expansion, -mortality),
         N_("your mortality has the wrong sign: it is asked as a positive number, the value "
            "lost."), lost),
    ]
    expected = (acquisition, expansion, mortality)
    return (before, after, active), expected, list(_differing(wrongs, expected))


# --- 05.6: a budget split between acquisition and retention ---------------------------------


def as_share(decision: Any) -> float:
    """The acquisition share a decision gives, or ValueError with a sentence."""
    if isinstance(decision, (np.ndarray, pd.Series, pd.DataFrame, list, tuple)):
        if np.size(decision) != 1:
            raise ValueError(_("one share of the budget is expected, got {answer}.").format(
                answer=show(decision)))
        decision = _scalar(np.asarray(decision, dtype=object).ravel())
    if isinstance(decision, (bool, np.bool_)) or not isinstance(
            decision, (int, float, np.integer, np.floating)):
        raise ValueError(_("the share of the budget for acquisition must be a number from 0 to "
                           "1, got {kind} {answer}.").format(kind=type(decision).__name__,
                                                            answer=show(decision)))
    share = float(decision)
    if not np.isfinite(share):
        raise ValueError(_("the share of the budget must be a number from 0 to 1, got "
                           "{answer}.").format(answer=share))
    if not 0 <= share <= 1:
        if 1 < share <= 100:
            raise ValueError(_("the share of the budget for acquisition must be from 0 (all to "
                               "retention) to 1 (all to acquisition), got {answer} (a "
                               "percentage? 40% is 0.4).").format(answer=show(share)))
        raise ValueError(_("the share of the budget for acquisition must be from 0 (all to "
                           "retention) to 1 (all to acquisition), got {answer}.").format(
            answer=show(share)))
    return share


def best_split(case: dict) -> equity.BudgetSplit:
    """The best split of the case's budget (:func:`relmark_lab.equity.best_split`)."""
    return equity.best_split(case["budget"], **{k: v for k, v in case.items() if k != "budget"})


def split_score(case: dict, share: float) -> float:
    """Customer equity when ``share`` of the case's budget goes to acquisition."""
    rest = {k: v for k, v in case.items() if k != "budget"}
    return float(equity.split_equity(share, case["budget"], **rest))


def random_budget(salt: int, low: float, high: float) -> dict:
    """Random curves, counts and budget whose best share is in [low, high], far from the lesson's.

    The lesson's best share earns less than 90% of the best there, so a
    share copied from the lesson does not pass.
    """
    rng = unseen_rng(salt)
    lesson = best_split(BUDGET_CASE).acquisition_share
    for _attempt in range(500):
        ceiling_a, ceiling_r = rng.uniform(0.04, 0.25), rng.uniform(0.6, 0.92)
        case = {
            "budget": float(rng.integers(5, 100) * 10_000),
            "prospects": float(rng.integers(10, 200) * 1_000),
            "customers": float(rng.integers(2, 40) * 1_000),
            "acquisition": equity.ResponseCurve.from_point(
                round(rng.uniform(0.5, 5.0), 2), ceiling_a * rng.uniform(0.2, 0.7),
                ceiling=ceiling_a),
            "retention": equity.ResponseCurve.from_point(
                round(rng.uniform(3.0, 30.0), 2), ceiling_r * rng.uniform(0.4, 0.9),
                ceiling=ceiling_r),
            "margin": float(rng.integers(20, 400)),
            "discount_rate": round(float(rng.uniform(0.06, 0.15)), 3),
        }
        best = best_split(case)
        if (low <= best.acquisition_share <= high and best.equity > 0
                and split_score(case, lesson) < 0.9 * best.equity):
            return case
    raise RuntimeError("no budget case could be drawn")  # pragma: no cover


def decision_mistakes(case: dict, wrongs: list[tuple[float, str, str]]) -> list[tuple]:
    """The wrong shares that earn less than the pass mark on this case (the others pass)."""
    best = best_split(case).equity
    mark = best - (1 - DECISION_SHARE) * abs(best)
    return [wrong for wrong in wrongs if split_score(case, wrong[0]) < mark]
