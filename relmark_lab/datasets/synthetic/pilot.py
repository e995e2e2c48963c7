"""Loyalty pilot: members under three designs and their monthly panel, with a known effect.

A separate panel of program members (ids ``M...``, not the retailer's
customers), followed for 12 months of :data:`PILOT_TRUTH`: six before the
launch month and six from it. Every member has a latent purchase rate
``lambda ~ Gamma`` (orders per month), which sets the tier (population
terciles), a gamma-gamma spend rate, a tenure, a latent satisfaction (surveyed
for 40%) and a personal effect factor (mean one). Three designs:

* **randomized**: half of each region x tier stratum enrols at the launch;
* **self_selected**: members choose at the launch, by a logistic in last
  year's buying (orders in the 12 months before the panel, a Poisson draw of
  the same rate), satisfaction, tenure and their own expected gain at that
  rate, so the enrolled buy more anyway and the naive post-period comparison
  overstates the effect. Joining depends on the latent rate only through the
  recorded year: with it, propensity scores can remove the bias;
* **rollout**: the program is switched on region by region (waves two months
  apart), one region never.

Each month an active member's orders are Poisson with mean ``(lambda + trend)
x (1 + effect x ramp)`` while in the program (the trend is added, the same
for everyone, so parallel trends hold in levels). It is one program in every
design: the effect is +30% / +20% / 0% of the rate for light / moderate /
heavy buyers (Liu 2007) and ramps up over the member's first months in it.
Members are the customers active in the launch month; from the month after it
a monthly dropout hazard, higher for light buyers and lower in the program,
ends their activity for good. Members in the program redeem a fixed share of
their revenue as rewards. The truth is computed in :mod:`.pilot_truth`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from relmark_lab.datasets.synthetic._common import (
    _REGIONS,
    GAMMA_GAMMA_TRUTH,
    PILOT_TRUTH,
    _pick,
)
from relmark_lab.datasets.synthetic.survey import _ordinal

DESIGNS = ("randomized", "self_selected", "rollout")
TIERS = ("light", "moderate", "heavy")


def _months() -> list[str]:
    """The panel's months as ``"YYYY-MM"`` text, first to last."""
    first = pd.Period(PILOT_TRUTH["first_month"], freq="M")
    return [str(first + k) for k in range(PILOT_TRUTH["months"])]


def _month_number(month: str | None) -> int:
    """1 for the panel's first month ...; 0 for ``None`` (never)."""
    return 0 if month is None else _months().index(month) + 1


def _trend() -> np.ndarray:
    """Orders per member-month added to every member's rate, month by month."""
    trend = PILOT_TRUTH["trend"]
    seasonal = [trend["seasonal"].get(month, 0.0) for month in _months()]
    return trend["growth_per_month"] * np.arange(PILOT_TRUTH["months"]) + np.array(seasonal)


def _typical_rate() -> float:
    """The mean purchase rate, orders per month."""
    return PILOT_TRUTH["purchase_rate"]["shape"] / PILOT_TRUTH["purchase_rate"]["rate"]


def _tier_cutoffs() -> tuple[float, float]:
    """Terciles of the Gamma purchase-rate distribution (orders per month)."""
    rate = PILOT_TRUTH["purchase_rate"]
    third = stats.gamma.ppf([1 / 3, 2 / 3], rate["shape"], scale=1.0 / rate["rate"])
    return float(third[0]), float(third[1])


def _members_per_design(n_customers: int) -> dict[str, int]:
    """Members of each design: scaled with the customers, with a floor; rollout by fives."""
    t = PILOT_TRUTH
    sizes = {d: max(t["minimum_members"][d], round(t["members_per_5000_customers"][d]
                                                      * n_customers / 5000)) for d in DESIGNS}
    sizes["rollout"] = 5 * round(sizes["rollout"] / 5)  # the same number in every region
    return sizes


def _stratified_halves(rng: np.random.Generator, strata: np.ndarray) -> np.ndarray:
    """Half of each stratum enrols; in an odd stratum a coin gives the last one its arm."""
    enrolled = np.zeros(len(strata), dtype=bool)
    for stratum in np.unique(strata):
        where = rng.permutation(np.flatnonzero(strata == stratum))
        half = len(where) // 2 + (len(where) % 2 == 1 and rng.random() < 0.5)
        enrolled[where[:half]] = True
    return enrolled


def _enrolment_probability(latent: dict[str, np.ndarray]) -> np.ndarray:
    """Self-selection: heavier, happier, older and higher-gain members enrol more.

    A member judges her buying by last year's orders (the record the invitation
    quotes), not by her latent rate: what drives joining and later orders
    alike is then measured, so weighting on it can remove the bias.
    """
    logit = PILOT_TRUTH["enrolment_logit"]
    known_rate = (latent["prior_year_orders"] + 0.5) / 12.0  # orders a month last year
    gain = latent["effect"] * (known_rate + _trend()[6:].mean())  # extra orders a month
    score = (logit["intercept"] + logit["log_last_year_rate"] * np.log(known_rate / _typical_rate())
             + logit["satisfaction"] * latent["satisfaction"]
             + logit["log_tenure"] * np.log(latent["tenure"] / 24.0)
             + logit["personal_gain"] * gain)
    return 1.0 / (1.0 + np.exp(-score))


def _draw_members(rng: np.random.Generator, sizes: dict[str, int]) -> dict[str, np.ndarray]:
    """Every member's design, region, latent traits and program start (month number, 0 never)."""
    t, gg = PILOT_TRUTH, GAMMA_GAMMA_TRUTH
    n = sum(sizes.values())
    design = np.repeat(np.array(DESIGNS, dtype=object), [sizes[d] for d in DESIGNS])
    rollout = design == "rollout"
    region = _pick(rng, _REGIONS, n)
    region[rollout] = rng.permutation(np.repeat(list(_REGIONS), sizes["rollout"] // 5))
    rate = rng.gamma(t["purchase_rate"]["shape"], 1.0 / t["purchase_rate"]["rate"], n)
    tier = np.array(TIERS, dtype=object)[np.searchsorted(_tier_cutoffs(), rate)]
    personal = rng.gamma(t["personal_effect_shape"], 1.0 / t["personal_effect_shape"], n)
    tenure_draw = rng.gamma(t["tenure"]["gamma_shape"], t["tenure"]["gamma_scale_months"], n)
    latent = {
        "design": design, "region": region, "rate": rate, "tier": tier,
        "spend_rate": rng.gamma(gg["q"], 1.0 / gg["gamma"], n),
        "effect": np.array([t["effect_by_tier"][k] for k in tier]) * personal,
        "tenure": t["tenure"]["minimum_months"] + np.floor(tenure_draw).astype("int64"),
        "satisfaction": rng.normal(size=n),
    }
    latent["prior_year_orders"] = rng.poisson(12.0 * rate)
    latent["prior_year_spend"] = np.round(np.where(
        latent["prior_year_orders"] > 0,
        rng.gamma(np.maximum(gg["p"] * latent["prior_year_orders"], 1.0),
                  1.0 / latent["spend_rate"]), 0.0), 2)
    surveyed = rng.random(n) < t["satisfaction_surveyed_share"]
    score = _ordinal(latent["satisfaction"] + 0.5 * rng.normal(size=n), (-1.4, -0.6, 0.3, 1.1))
    latent["score"] = pd.array(np.where(surveyed, score, 0), dtype="Int64")
    latent["score"][~surveyed] = pd.NA
    enrolled = np.zeros(n, dtype=bool)
    randomized = design == "randomized"
    enrolled[randomized] = _stratified_halves(
        rng, region[randomized].astype(str) + "|" + tier[randomized].astype(str))
    chosen = design == "self_selected"
    enrolled[chosen] = rng.random(chosen.sum()) < _enrolment_probability(
        {k: v[chosen] for k, v in latent.items()})
    waves = {region: _month_number(month) for region, month in t["rollout_waves"].items()}
    start = np.where(enrolled, _month_number(t["launch_month"]), 0)
    start[rollout] = [waves[r] for r in region[rollout]]
    latent["start"] = start.astype("int64")
    return latent


def _in_program(start: np.ndarray) -> np.ndarray:
    """Months in the program (0 = not in it), members x months."""
    month = np.arange(1, PILOT_TRUTH["months"] + 1)
    inside = (start[:, None] > 0) & (month[None, :] >= start[:, None])
    return np.where(inside, month[None, :] - start[:, None] + 1, 0)


def _ramp(months_in: np.ndarray) -> np.ndarray:
    """Share of the full effect, by months in the program (0 outside it)."""
    ramp = PILOT_TRUTH["ramp"]
    full = max(int(k) for k in ramp)
    table = np.array([0.0] + [ramp[str(k)] for k in range(1, full + 1)])
    return table[np.minimum(months_in, full)]


def _rates_and_hazards(
    latent: dict[str, np.ndarray], start: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Poisson means while active and the hazard of leaving before each month, members x months.

    The hazard of month ``k`` applies to a member active in month ``k - 1``; it
    is zero up to the launch month and lower when the member spent the
    previous month in the program (scaled by that month's ramp).
    """
    ramp = _ramp(_in_program(start))
    mean = (latent["rate"][:, None] + _trend()[None, :]) * (1.0 + latent["effect"][:, None] * ramp)
    dropout = PILOT_TRUTH["dropout"]
    previous = np.column_stack([np.zeros(len(start)), ramp[:, :-1]])
    offset, typical = dropout["rate_offset"], _typical_rate()  # light buyers drift away sooner
    base = dropout["monthly_hazard_at_mean_rate"] * (typical + offset) / (latent["rate"] + offset)
    hazard = base[:, None] * (1.0 - dropout["reduction_in_program"] * previous)
    hazard[:, : _month_number(dropout["first_month"]) - 1] = 0.0
    return mean, hazard


def _build_pilot(
    rng: np.random.Generator, n_customers: int
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """The members table, the monthly panel and the latent traits the truth is computed from.

    Returns
    -------
    members : pandas.DataFrame
        One row per member (``pilot_members.csv``).
    panel : pandas.DataFrame
        One row per member and month (``loyalty_pilot.csv``).
    latent : dict
        Per-member arrays: design, region, tier, rate, spend_rate, effect, start...
    """
    latent = _draw_members(rng, _members_per_design(n_customers))
    n, months = len(latent["rate"]), PILOT_TRUTH["months"]
    mean, hazard = _rates_and_hazards(latent, latent["start"])
    active = np.cumprod(rng.random((n, months)) >= hazard, axis=1)
    orders = np.where(active == 1, rng.poisson(mean), 0)
    shape = GAMMA_GAMMA_TRUTH["p"] * orders  # a sum of gamma-gamma order values
    revenue = rng.gamma(np.where(orders > 0, shape, 1.0), 1.0 / latent["spend_rate"][:, None])
    revenue = np.round(np.where(orders > 0, revenue, 0.0), 2)
    in_program = _in_program(latent["start"]) > 0
    rewards = np.round(np.where(in_program, PILOT_TRUTH["reward_share"] * revenue, 0.0), 2)
    ids = np.array([f"M{i:05d}" for i in range(1, n + 1)], dtype=object)
    pre = _month_number(PILOT_TRUTH["launch_month"]) - 1
    start_text = np.array([""] + _months(), dtype=object)[latent["start"]]
    members = pd.DataFrame(
        {
            "member_id": ids,
            "design": latent["design"],
            "region": latent["region"],
            "tier": latent["tier"],
            "tenure_months": latent["tenure"],
            "prior_orders": orders[:, :pre].sum(axis=1).astype("int64"),
            "prior_spend": np.round(revenue[:, :pre].sum(axis=1), 2),
            "prior_year_orders": latent["prior_year_orders"].astype("int64"),
            "prior_year_spend": latent["prior_year_spend"],
            "satisfaction": latent["score"],
            "enrolled": (latent["start"] > 0).astype("int64"),
            "program_start": pd.array(np.where(start_text == "", None, start_text), dtype="str"),
        }
    )
    panel = pd.DataFrame(
        {
            "member_id": np.repeat(ids, months),
            "month": np.tile(np.array(_months(), dtype=object), n),
            "orders": orders.ravel().astype("int64"),
            "revenue": revenue.ravel(),
            "rewards": rewards.ravel(),
            "active": active.ravel().astype("int64"),
        }
    )
    return members, panel, latent
