"""Loyalty pilot: a separate panel of members with a known programme effect.

Two designs of :data:`PILOT_TRUTH` side by side: in the randomized one a coin
decides who joins the programme; in the self-selected one heavy buyers enrol
more often, so comparing post-period means overstates the effect while
difference-in-differences removes most of the bias. The panel's members are
not the retailer's customers (ids ``M...``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from relmark_lab.datasets.synthetic._common import GAMMA_GAMMA_TRUTH, PILOT_TRUTH


def _revenue(rng: np.random.Generator, orders: np.ndarray, spend_rate: np.ndarray) -> np.ndarray:
    """Sum of ``orders`` gamma-gamma order values = Gamma(p * orders, rate nu)."""
    shape = GAMMA_GAMMA_TRUTH["p"] * orders
    total = rng.gamma(np.where(orders > 0, shape, 1.0), 1.0 / spend_rate)
    return np.round(np.where(orders > 0, total, 0.0), 2)


def _build_loyalty_pilot(
    rng: np.random.Generator, members_per_design: int
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Pre and post orders and revenue of pilot members, under two designs.

    Everyone's weekly rate is multiplied by ``time_trend`` in the post period
    (the second half of the year sells more); treated members' post rate is
    further multiplied by ``1 + true_effect_relative``. In the randomized
    design a coin decides treatment. In the self-selected design the chance
    of enrolling is a steep logistic function of the member's own rate, so
    heavy buyers enrol: comparing post-period means overstates the effect,
    while difference-in-differences removes most of that bias.

    Returns
    -------
    panel : pandas.DataFrame
        One row per member and period.
    truth : dict
        Expected extra orders and revenue per treated member, by design.
    """
    t = PILOT_TRUTH
    weeks, trend, effect = t["weeks_per_period"], t["time_trend"], t["true_effect_relative"]
    typical_rate = t["rate_shape"] / t["rate_rate"]
    frames, truth = [], {}
    for number, design in enumerate(("randomized", "self_selected")):
        n = members_per_design
        rate = rng.gamma(t["rate_shape"], 1.0 / t["rate_rate"], n)
        spend_rate = rng.gamma(GAMMA_GAMMA_TRUTH["q"], 1.0 / GAMMA_GAMMA_TRUTH["gamma"], n)
        if design == "randomized":
            treated = rng.random(n) < 0.5
        else:
            steep = t["self_selection_steepness"]
            enrol = 1.0 / (1.0 + np.exp(-steep * np.log(rate / typical_rate)))
            treated = rng.random(n) < enrol
        pre = rng.poisson(rate * weeks)
        post = rng.poisson(rate * weeks * trend * (1.0 + effect * treated))
        ids = [f"M{number * n + i:05d}" for i in range(1, n + 1)]
        frames.append(
            pd.DataFrame(
                {
                    "member_id": np.repeat(ids, 2),
                    "design": design,
                    "group": np.repeat(np.where(treated, "treatment", "control"), 2),
                    "period": np.tile(["pre", "post"], n),
                    "orders": np.column_stack([pre, post]).ravel(),
                    "revenue": np.column_stack(
                        [_revenue(rng, pre, spend_rate), _revenue(rng, post, spend_rate)]
                    ).ravel(),
                }
            )
        )
        extra_orders = effect * trend * weeks * rate[treated]
        mean_order = GAMMA_GAMMA_TRUTH["p"] / spend_rate[treated]
        truth[design] = {
            "members": n,
            "treated": int(treated.sum()),
            "expected_extra_orders_per_treated_member": float(extra_orders.mean()),
            "expected_extra_revenue_per_treated_member": float((extra_orders * mean_order).mean()),
        }
    gg = GAMMA_GAMMA_TRUTH
    population_extra = effect * trend * weeks * typical_rate
    truth["population"] = {
        "expected_extra_orders_per_treated_member": population_extra,
        "expected_extra_revenue_per_treated_member": population_extra
        * gg["p"] * gg["gamma"] / (gg["q"] - 1),
    }
    panel = pd.concat(frames, ignore_index=True)
    panel["orders"] = panel["orders"].astype("int64")
    return panel, truth
