"""The cases the checks of lesson 06 run a student's function on, and what mistakes give there.

* Pilot sizing (06.1): the lesson's shares (REFERENCES' 20% -> 25%, the
  kit's complaint recovery and follow-up) and random combinations of
  baseline, lift, alpha and power.
* Balance (06.2): the kit's self-selected members, then the unseen
  simulator's members on other covariates (one whose SMD is negative).
* Difference-in-differences (06.3): the kit's panel with its self-selected
  members, the unseen simulator's, and the unseen one relabelled to a later
  launch, so a fixed month does not pass; each known mistake computed the
  way a student writes it in pandas.
* Complaint recovery (06.4): the kit's cases, the unseen simulator's, and a
  seeded resample of them with unequal arms.
* The next phase (06.5): the kit's randomized pilot's bootstrap draws
  (:func:`relmark_lab.datasets.practice.pilot_net_values`), then synthetic
  draws where each choice is the best in turn, scored by the expected value
  :func:`relmark_lab.programs.rollout_decision` gives each choice.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.power import NormalIndPower, TTestIndPower
from statsmodels.stats.proportion import proportion_effectsize

from relmark_lab import programs
from relmark_lab.checks._cases import unseen_data_dir, unseen_label, unseen_rng
from relmark_lab.datasets import (
    load_complaint_recovery,
    load_loyalty_pilot,
    load_pilot_members,
    load_truth,
    practice,
)
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import N_, get_language, gettext
from relmark_lab.i18n import gettext as _

__all__ = [
    "CHOICES",
    "SIZE_CASES",
    "as_choice",
    "balance_cases",
    "choice_values",
    "cohen_h",
    "did_inputs",
    "did_reference",
    "did_variant",
    "earns",
    "lesson_cases",
    "members_needed",
    "normal_members",
    "phase_cases",
    "random_draws",
    "recovery_cases",
    "recovery_variant",
    "size_draw",
    "t_members",
    "tidy_choice",
    "why_it_loses",
]

#: Exercise 06.1: (baseline, lift, alpha, power). REFERENCES' 20% -> 25% retention, then the
#: shares the kit's complaint recovery and post-sale follow-up were designed around.
SIZE_CASES = {
    N_("20% -> 25% retention, alpha 0.05, power 0.8"): (0.20, 0.05, 0.05, 0.8),
    N_("complaints: 55% -> 70% retained, alpha 0.05, power 0.8"): (0.55, 0.15, 0.05, 0.8),
    N_("follow-up: 30% -> 36% buy again, alpha 0.01, power 0.9"): (0.30, 0.06, 0.01, 0.9),
}

#: Exercise 06.5: the three decisions, as rollout_decision names them.
CHOICES = ("roll out", "wait for another phase", "stop")


# --- 06.1: the pilot's size ---------------------------------------------------------------


def lesson_cases(named: dict[str, tuple]) -> dict[str, tuple]:
    """The lesson's cases, labelled in the language in use (their labels are marked N_)."""
    return {gettext(label): args for label, args in named.items()}


def members_needed(baseline: float, lift: float, alpha: float, power: float) -> float:
    """The reference of 06.1: members per arm (:func:`relmark_lab.programs.sample_size`).

    Examples
    --------
    >>> round(members_needed(0.20, 0.05, 0.05, 0.8), 1)  # REFERENCES: 20% -> 25%
    1091.9
    """
    return programs.sample_size(lift, kind="proportions", baseline=baseline, alpha=alpha,
                                power=power).n_treated


def cohen_h(baseline: float, lift: float) -> float:
    """Cohen's h of a rise from ``baseline`` to ``baseline + lift``.

    Examples
    --------
    >>> round(cohen_h(0.20, 0.05), 4)
    0.1199
    """
    return float(proportion_effectsize(baseline + lift, baseline))


def normal_members(h: float, alpha: float, power: float, alternative: str = "two-sided") -> float:
    """Members per arm of the two-proportion z-test on ``h`` (``alternative`` as statsmodels')."""
    return float(NormalIndPower().solve_power(h, nobs1=None, alpha=alpha, power=power,
                                              alternative=alternative))


def t_members(sd: float, lift: float, alpha: float, power: float) -> float:
    """Members per arm of a t-test on means, ``lift`` over ``sd`` (a mistake for a share)."""
    return float(TTestIndPower().solve_power(lift / sd, nobs1=None, alpha=alpha, power=power))


def size_draw(rng: np.random.Generator) -> tuple[float, float, float, float]:
    """Random (baseline, lift, alpha, power) of 06.1, with baseline + lift below 0.95."""
    baseline = round(float(rng.uniform(0.05, 0.8)), 3)
    lift = round(float(rng.uniform(0.01, min(0.2, 0.95 - baseline))), 3)
    return (baseline, lift, float(rng.choice([0.01, 0.05, 0.1])),
            float(rng.choice([0.8, 0.85, 0.9])))


# --- 06.2: the members of one design --------------------------------------------------------


def _design(folder: Any, design: str) -> pd.DataFrame:
    members = load_pilot_members(folder)
    return members[members["design"] == design].reset_index(drop=True)


def balance_cases(data_dir: Any) -> list[tuple[str, tuple, bool]]:
    """(label, (members, treatment, covariate), seen) of 06.2: the kit's, then unseen ones."""
    folder = unseen_data_dir()
    return [
        (N_("the lesson's data"),
         (_design(data_dir, "self_selected"), "enrolled", "prior_spend"), True),
        (_("{unseen}, self-selected members' prior_orders").format(unseen=_(unseen_label())),
         (_design(folder, "self_selected"), "enrolled", "prior_orders"), False),
        (_("{unseen}, randomized members' tenure_months").format(unseen=_(unseen_label())),
         (_design(folder, "randomized"), "enrolled", "tenure_months"), False),
    ]


# --- 06.3: difference-in-differences on the pilot's panel -----------------------------------


def _later(months: pd.Series, shift: int) -> pd.Series:
    """"YYYY-MM" months ``shift`` months later (missing stays missing)."""
    periods = pd.PeriodIndex(months.astype("string").to_numpy(dtype=object, na_value=None),
                             freq="M")
    return pd.Series((periods + shift).strftime("%Y-%m"), index=months.index).where(
        months.notna())


def did_inputs(data_dir: Any) -> tuple[tuple[str, tuple, bool], ...]:
    """(label, (panel, members, post_from), seen) of 06.3 (cached; the check copies them).

    The whole panel is passed, all designs; the members are the self-selected
    ones, so the function must keep their rows only. The labels are in the
    language in use.
    """
    return _did_inputs(data_dir, get_language())


@functools.lru_cache(maxsize=4)
def _did_inputs(data_dir: Any, language: str) -> tuple[tuple[str, tuple, bool], ...]:
    folder = unseen_data_dir()
    unseen_panel, unseen_members = load_loyalty_pilot(folder), _design(folder, "self_selected")
    launch = load_truth(folder)["programs"]["launch_month"]
    shift = int(unseen_rng(603).integers(13, 30))
    shifted_panel = unseen_panel.assign(month=_later(unseen_panel["month"], shift))
    shifted_members = unseen_members.assign(
        program_start=_later(unseen_members["program_start"], shift))
    later_launch = str(_later(pd.Series([launch]), shift).iloc[0])
    return (
        (N_("the lesson's data"),
         (load_loyalty_pilot(data_dir), _design(data_dir, "self_selected"),
          load_truth(data_dir)["programs"]["launch_month"]), True),
        (unseen_label(), (unseen_panel, unseen_members, launch), False),
        (_("{unseen}, a pilot launched in {month}").format(unseen=_(unseen_label()),
                                                          month=later_launch),
         (shifted_panel, shifted_members, later_launch), False),
    )


def did_reference(panel: pd.DataFrame, members: pd.DataFrame, post_from: str) -> float:
    """The package's DiD of orders per member-month on ``members``' rows of ``panel``."""
    rows = panel[panel["member_id"].isin(members["member_id"])]
    return float(programs.difference_in_differences(rows, members, "orders",
                                                    post_from=post_from).estimate)


def did_variant(panel: pd.DataFrame, members: pd.DataFrame, post_from: str, kind: str) -> float:
    """What a known mistake gives, written as a student writes it in pandas.

    ``kind``: "naive" (enrolled minus others after the launch), "enrolled" (the
    enrolled members' own change), "reversed", "launch before" (the launch month
    counted as before), "head start" (the gap before the launch), "revenue"
    (the right formula on revenue), "other designs" (every panel member not
    enrolled here as a control).
    """
    outcome = "revenue" if kind == "revenue" else "orders"
    enrolled = members.loc[members["enrolled"] == 1, "member_id"]
    if kind == "other designs":
        rows = panel
    else:
        rows = panel[panel["member_id"].isin(members["member_id"])]
    treated = rows["member_id"].isin(enrolled)
    after = rows["month"] > post_from if kind == "launch before" else rows["month"] >= post_from
    means = rows[outcome].astype(float).groupby([treated.to_numpy(), after.to_numpy()]).mean()
    change_t, change_c = means[True, True] - means[True, False], means[False, True] - \
        means[False, False]
    return float({
        "naive": means[True, True] - means[False, True],
        "enrolled": change_t,
        "reversed": change_c - change_t,
        "head start": means[True, False] - means[False, False],
    }.get(kind, change_t - change_c))


# --- 06.4: complaint recovery ---------------------------------------------------------------


def recovery_cases(data_dir: Any) -> list[tuple[str, pd.DataFrame, bool]]:
    """(label, cases, seen) of 06.4: the kit's, the unseen simulator's, a resample of them."""
    unseen = load_complaint_recovery(unseen_data_dir())
    rng = unseen_rng(604)
    # Keep every usual case and about 60% of the call-backs: arms of unequal size.
    keep = (unseen["group"] != "call_back").to_numpy() | (rng.random(len(unseen)) < 0.6)
    return [(N_("the lesson's data"), load_complaint_recovery(data_dir), True),
            (unseen_label(), unseen, False),
            (_("{unseen}, a resample with fewer call-backs").format(unseen=_(unseen_label())),
             unseen[keep].reset_index(drop=True), False)]


def recovery_variant(cases: pd.DataFrame, kind: str) -> float:
    """The shares retained compared the wrong way, as a student writes it in pandas.

    ``kind``: "ratio", "lift" (ratio - 1), "percent", "overall" (all cases'
    share), "reversed", "counts" (retained call-backs minus retained usual) or
    "call_back only".
    """
    retained = cases["retained"].astype(float)
    share = retained.groupby(cases["group"]).mean()
    count = retained.groupby(cases["group"]).sum()
    treated, control = float(share["call_back"]), float(share["usual"])
    return float({
        "ratio": treated / control, "lift": treated / control - 1,
        "percent": 100 * (treated - control), "overall": retained.mean(),
        "reversed": control - treated, "counts": count["call_back"] - count["usual"],
        "call_back only": treated,
    }[kind])


# --- 06.5: the next phase, a decision -------------------------------------------------------


def earns(value: float, best: float) -> str:
    """What a decision earns on these draws, against the best one (ends a verdict's clause).

    Examples
    --------
    >>> earns(-100.0, 400.0)
    ' On these draws it earns -100 MXN, 500 MXN less than the best decision.'
    """
    if best > 0 and value >= 0:
        share = _("{percent} of what the best decision earns").format(percent=f"{value / best:.0%}")
    else:
        share = _("{amount} MXN less than the best decision").format(amount=f"{best - value:,.0f}")
    return " " + _("On these draws it earns {value} MXN, {share}.").format(
        value=f"{value:,.0f}", share=share)


def why_it_loses(choice: str, draws: np.ndarray) -> str:
    """Why ``choice`` loses on these draws, in the course's terms."""
    if choice == "roll out":
        if draws.mean() <= 0:
            return _("rolling out now earns the members times the mean net value, and these "
                     "draws lose money on average.")
        return _("rolling out now takes the losing draws with the winning ones; another phase "
                 "would let you roll out only if the program pays, and that option is worth "
                 "more here than the months it costs, discounted.")
    if choice == "wait for another phase":
        if (draws <= 0).all():
            return _("no draw of the net value is positive: another phase can only confirm "
                     "that the program does not pay, so it is worth nothing and costs the "
                     "phase.")
        return _("waiting avoids the losing draws, but its value comes only after the phase, "
                 "discounted; here the losing draws are too few or too small to be worth the "
                 "delay.")
    return _("stopping earns nothing, yet some draws of the net value are positive: another "
             "phase, rolling out only if the program pays, is worth more than nothing.")


def tidy_choice(decision: Any) -> Any:
    """A text decision in lower case with single spaces ("Roll_out " -> "roll out").

    A one-element list, array or Series stands for its element, as a single
    value does everywhere in the checks.

    Examples
    --------
    >>> tidy_choice(["  Wait_for another  PHASE"])
    'wait for another phase'
    """
    if isinstance(decision, (list, tuple, np.ndarray, pd.Series)) and np.size(decision) == 1:
        decision = np.asarray(decision, dtype=object).ravel()[0]
    if isinstance(decision, str):
        return " ".join(decision.lower().replace("_", " ").split())
    return decision


def as_choice(decision: Any) -> str:
    """A decision as one of :data:`CHOICES` (case and spaces ignored), or ValueError.

    Examples
    --------
    >>> as_choice("launch")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: the decision must be 'roll out', 'wait for another phase' \
or 'stop', got 'launch'.
    """
    choice = tidy_choice(decision)
    try:
        known = choice in CHOICES
    except TypeError:  # an unhashable value, e.g. a list
        known = False
    if not known:  # the choices are the values to return, so they stay as they are
        raise DataError(_("the decision must be 'roll out', 'wait for another phase' or 'stop', "
                          "got {answer}.").format(answer=describe_example(choice)))
    return choice


def choice_values(draws: Any, members: float, wait_periods: int,
                  discount_rate: float) -> dict[str, float]:
    """Expected value of each choice in MXN, as :func:`programs.rollout_decision` computes it."""
    result = programs.rollout_decision(draws, members, wait_periods=wait_periods,
                                       discount_rate=discount_rate, time_unit="M")
    return {"roll out": float(result["roll_out_now"]),
            "wait for another phase": float(result["wait"]), "stop": 0.0}


def random_draws(salt: int, target: str) -> tuple[pd.Series, float, int, float]:
    """Synthetic (draws, members, wait_periods, discount_rate) whose best choice is ``target``.

    The other choices earn less than 90% of the best; when no draw pays,
    waiting is worth 0 like stopping, a tie the check names.
    """
    rng = unseen_rng(salt)
    for _attempt in range(1000):
        n = int(rng.integers(30, 80))
        if target == "roll out":
            mean = rng.uniform(100.0, 400.0)
            draws = rng.normal(mean, mean * rng.uniform(0.5, 0.9), n)
        elif target == "wait for another phase":
            draws = rng.normal(rng.uniform(-150.0, 60.0), rng.uniform(200.0, 500.0), n)
        else:
            draws = -rng.lognormal(np.log(rng.uniform(50.0, 300.0)), 0.6, n)
        args = (pd.Series(np.round(draws, 2), name="net_value").rename_axis("replicate"),
                float(rng.integers(2, 60) * 1_000), int(rng.choice([3, 6, 9, 12, 18, 24])),
                round(float(rng.uniform(0.08, 0.2)), 3))
        values = choice_values(*args)
        if target == "stop":  # waiting is worth 0 too when no draw pays
            drawn = max(values.values()) <= 0 and values["roll out"] < 0
        else:
            others = [value for choice, value in values.items() if choice != target]
            drawn = values[target] > 0 and max(others) < 0.9 * values[target]
        if drawn:
            return args
    raise RuntimeError(f"no draws could be made for {target!r}")  # pragma: no cover


def phase_cases(data_dir: Any) -> list[tuple[str, tuple, bool]]:
    """(label, (draws, members, wait_periods, discount_rate), seen) of 06.5."""
    lesson = (practice.pilot_net_values(data_dir), float(practice.ROLLOUT_MEMBERS),
              practice.PHASE_MONTHS, practice.DISCOUNT_RATE)
    cases = [(N_("the lesson's data"), lesson, True)]
    for salt, target in ((651, "roll out"), (652, "stop"), (653, "wait for another phase")):
        draws, members, months, rate = random_draws(salt, target)
        cases.append((_("pilot draws you have not seen ({draws} simulated draws, {members} "
                        "members, {months} months to wait, {rate} a year)").format(
            draws=len(draws), members=f"{members:,.0f}", months=months, rate=f"{rate:.1%}"),
            (draws, members, months, rate), False))
    return cases
