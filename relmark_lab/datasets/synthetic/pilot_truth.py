"""The loyalty pilot's truth: effects computed in closed form from the members' latent traits.

Nothing here reads the panel back. Given each member's latent purchase rate,
spend rate, personal effect and program start, the expected orders of every
member-month are ``S x (lambda + trend) x (1 + effect x ramp)``, with ``S`` the
probability of still being active (the product of one minus the monthly
hazards), and the expected revenue is that times the mean order value
``p / nu``. The same member with no program gives the counterfactual. Every
figure of ``truth.json -> programs`` (ATT, ATE, by tier, the naive and the
difference-in-differences contrasts a large sample would show, the rollout's
effects by wave and by months in the program, the two-way fixed-effects
estimate) is an average of these expectations over the members drawn: the
truth of *this* panel, with only the Poisson, dropout and order-value noise
integrated out.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from relmark_lab.datasets.synthetic._common import GAMMA_GAMMA_TRUTH, PILOT_TRUTH
from relmark_lab.datasets.synthetic.pilot import (
    TIERS,
    _in_program,
    _month_number,
    _months,
    _rates_and_hazards,
    _tier_cutoffs,
    _trend,
)


def _expected(latent: dict[str, np.ndarray], start: np.ndarray) -> dict[str, np.ndarray]:
    """Expected orders, revenue and share still active, members x months, for a start."""
    mean, hazard = _rates_and_hazards(latent, start)
    active = np.cumprod(1.0 - hazard, axis=1)
    orders = active * mean
    order_value = GAMMA_GAMMA_TRUTH["p"] / latent["spend_rate"]
    return {"orders": orders, "revenue": orders * order_value[:, None], "active": active}


def _mean(values: dict[str, np.ndarray], rows: np.ndarray, cells: np.ndarray) -> dict:
    """Orders and revenue per member-month averaged over the chosen rows' chosen cells."""
    return {k: float(values[k][rows][cells[rows]].mean()) for k in ("orders", "revenue")}


def _difference(one: dict, other: dict) -> dict[str, float]:
    return {k: one[k] - other[k] for k in ("orders", "revenue")}


def _twfe(orders: np.ndarray, treated: np.ndarray) -> float:
    """The two-way fixed-effects slope on a balanced panel, by double demeaning."""
    def demean(x: np.ndarray) -> np.ndarray:
        return x - x.mean(axis=1, keepdims=True) - x.mean(axis=0, keepdims=True) + x.mean()

    dummy = demean(treated.astype(float))
    return float((demean(orders) * dummy).sum() / (dummy**2).sum())


def _launch_design(latent: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, Any]:
    """Randomized or self-selected: effects over the six months from the launch."""
    sub = {k: v[rows] for k, v in latent.items()}
    n = len(sub["rate"])
    launch = _month_number(PILOT_TRUTH["launch_month"])
    with_program = _expected(sub, np.full(n, launch))
    without = _expected(sub, np.zeros(n, "int64"))
    observed = _expected(sub, sub["start"])
    post = np.zeros((n, PILOT_TRUTH["months"]), dtype=bool)
    post[:, launch - 1:] = True
    enrolled, everyone = sub["start"] > 0, np.ones(n, dtype=bool)
    effect = {k: with_program[k] - without[k] for k in ("orders", "revenue")}
    rewards = PILOT_TRUTH["reward_share"] * with_program["revenue"]
    by_tier = {}
    for tier in TIERS:
        in_tier = sub["tier"] == tier
        by_tier[tier] = {**_mean(effect, in_tier, post),
                         "relative_rate_effect": PILOT_TRUTH["effect_by_tier"][tier]}
    naive = _difference(_mean(observed, enrolled, post), _mean(observed, ~enrolled, post))
    pre_gap = _difference(_mean(observed, enrolled, ~post), _mean(observed, ~enrolled, ~post))
    att = _mean(effect, enrolled, post)
    return {
        "members": n,
        "enrolled": int(enrolled.sum()),
        "att": att,
        "ate": _mean(effect, everyone, post),
        "by_tier": by_tier,
        "rewards_per_enrolled_member_month": float(rewards[enrolled][post[enrolled]].mean()),
        "active_in_last_month": {
            "enrolled_with_program": float(with_program["active"][enrolled, -1].mean()),
            "enrolled_without_program": float(without["active"][enrolled, -1].mean()),
        },
        "expected_naive_difference": naive,
        "naive_to_att": {k: naive[k] / att[k] for k in naive},
        "expected_difference_in_differences": _difference(naive, pre_gap),
    }


def _rollout(latent: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, Any]:
    """Waves by region: effects by wave, by months in the program, and what TWFE finds."""
    sub = {k: v[rows] for k, v in latent.items()}
    n = len(sub["rate"])
    observed = _expected(sub, sub["start"])
    without = _expected(sub, np.zeros(n, "int64"))
    effect = {k: observed[k] - without[k] for k in ("orders", "revenue")}
    months_in = _in_program(sub["start"])
    treated = months_in > 0
    everyone = np.ones(n, dtype=bool)
    by_wave = {}
    for region, month in PILOT_TRUTH["rollout_waves"].items():
        if month is not None:
            wave = sub["region"] == region
            by_wave[month] = {"region": region, "members": int(wave.sum()),
                              **_mean(effect, wave, treated)}
    by_months = {str(m): {**_mean(effect, everyone, months_in == m),
                          "member_months": int((months_in == m).sum())}
                 for m in range(1, int(months_in.max()) + 1)}
    att = _mean(effect, everyone, treated)
    twfe = _twfe(observed["orders"], treated)
    return {
        "members": n,
        "enrolled": int((sub["start"] > 0).sum()),
        "waves": dict(PILOT_TRUTH["rollout_waves"]),
        "att": att,
        "by_wave": by_wave,
        "by_months_in_program": by_months,
        "expected_twfe": {"orders": twfe, "bias": twfe - att["orders"]},
        "twfe_bias": (
            "TWFE (member and month fixed effects, one in-program dummy) is a weighted "
            "average of 2x2 comparisons, some of which use earlier waves as controls for "
            "later ones. The effect grows with months in the program (the ramp, and the "
            "lower dropout accumulating) and with the season (it multiplies the rising "
            "trend), so those comparisons subtract part of it: TWFE is biased "
            f"{'downward' if twfe < att['orders'] else 'upward'} here. Its expectation is "
            "that regression run on the expected orders."
        ),
    }


def _pilot_truth(latent: dict[str, np.ndarray]) -> dict[str, Any]:
    """``truth.json -> programs`` for the pilot: settings, then one block per design."""
    t = PILOT_TRUTH
    design = latent["design"]
    low, high = _tier_cutoffs()
    return {
        **{k: v for k, v in t.items() if k not in ("minimum_members",
                                                    "members_per_5000_customers")},
        "members_per_5000_customers": dict(t["members_per_5000_customers"]),
        "minimum_members": dict(t["minimum_members"]),
        "month_labels": _months(),
        "trend_by_month": dict(zip(_months(), np.round(_trend(), 6).tolist(), strict=True)),
        "tier_cutoffs_orders_per_month": {"light_below": low, "heavy_from": high},
        "mean_order_value": GAMMA_GAMMA_TRUTH["p"] * GAMMA_GAMMA_TRUTH["gamma"]
        / (GAMMA_GAMMA_TRUTH["q"] - 1),
        "method": (
            "closed form: per member-month E[orders] = S * (rate + trend) * (1 + effect * "
            "ramp), S the probability of still being active, E[revenue] = E[orders] * p / nu; "
            "averaged over this panel's members (their latent traits), with and without the "
            "program; effects are per member-month, orders and MXN"
        ),
        "randomized": _launch_design(latent, design == "randomized"),
        "self_selected": _launch_design(latent, design == "self_selected"),
        "rollout": _rollout(latent, design == "rollout"),
    }
