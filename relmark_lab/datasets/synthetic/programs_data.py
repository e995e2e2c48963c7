"""Three small program-evaluation data sets with known effects: recovery, follow-up, stores.

* **Complaint recovery** (:data:`COMPLAINT_RECOVERY_TRUTH`): complainers are
  randomized (exact halves) to a fast personal call-back or the usual process;
  retention six months later is logistic in the group and the standardized log
  of the prior spend, with intercepts solved so the population rates are the
  stated ones (0.55 usual, 0.70 call-back).
* **Post-sale follow-up** (:data:`FOLLOW_UP_TRUTH`): orders randomized to a
  follow-up contact or not; a repeat purchase within 90 days is logistic in the
  group and the customer's tier, intercepts solved for 0.30 and 0.36.
* **Stores** (:data:`STORES_TRUTH`): a service-profit chain over 40 stores.
  Staff satisfaction raises customer satisfaction, which raises retention; a
  store confounder raises both satisfactions, so a naive regression of customer
  on staff satisfaction overstates the causal slope. The truth holds both.

None of them are the retailer's customers or orders (ids ``K...``, ``F...``,
``S..``). Population rates are computed by Gauss-Hermite quadrature (recovery)
or exactly (follow-up, the chain's slopes), never read back from the data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special

from relmark_lab.datasets.synthetic._common import (
    _REGIONS,
    _VOC_CHANNEL_PROFILE,
    COMPLAINT_RECOVERY_TRUTH,
    FOLLOW_UP_TRUTH,
    GAMMA_GAMMA_TRUTH,
    STORES_TRUTH,
    _pick,
)
from relmark_lab.datasets.synthetic.pilot import TIERS

#: Gauss-Hermite nodes and weights for E[f(Z)], Z ~ N(0, 1) (probabilists' Hermite).
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(60)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


def _size(truth: dict[str, Any], n_customers: int) -> int:
    return max(truth["minimum"], round(truth["per_5000_customers"] * n_customers / 5000))


def _halves(rng: np.random.Generator, n: int, labels: tuple[str, str]) -> np.ndarray:
    """Complete randomization: exactly half get ``labels[0]`` (odd n: a coin for the last)."""
    first = n // 2 + (n % 2 == 1 and rng.random() < 0.5)
    return np.array(labels, dtype=object)[(rng.permutation(n) >= first).astype(int)]


def _intercept_for_rate(rate: float, population_mean: Any) -> float:
    """The logit intercept whose population mean retention/repeat rate is ``rate``."""
    return float(optimize.brentq(lambda a: population_mean(a) - rate, -10.0, 10.0, xtol=1e-12))


def _build_complaint_recovery(
    rng: np.random.Generator, n_customers: int
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Complainers randomized to a call-back or the usual process, and who stayed."""
    t = COMPLAINT_RECOVERY_TRUTH
    n, slope = _size(t, n_customers), t["logit_per_sd_of_log_spend"]
    intercepts = {
        group: _intercept_for_rate(
            rate, lambda a: float(_WEIGHTS @ special.expit(a + slope * _NODES)))
        for group, rate in t["retention_6_months"].items()
    }
    group = _halves(rng, n, ("call_back", "usual"))
    complaint_share = {k: v[0] for k, v in _VOC_CHANNEL_PROFILE.items() if v[0] > 0}
    channel = _pick(rng, complaint_share, n)
    z = rng.normal(size=n)
    spend = np.round(np.exp(t["prior_spend_log_mean"] + t["prior_spend_log_sd"] * z), 2)
    p_call = special.expit(intercepts["call_back"] + slope * z)
    p_usual = special.expit(intercepts["usual"] + slope * z)
    retained = rng.random(n) < np.where(group == "call_back", p_call, p_usual)
    table = pd.DataFrame(
        {
            "complaint_id": [f"K{i:05d}" for i in range(1, n + 1)],
            "group": group,
            "channel": channel,
            "prior_spend": spend,
            "retained": retained.astype("int64"),
        }
    )
    truth = {
        **t,
        "logit_intercepts": intercepts,
        "effect": t["retention_6_months"]["call_back"] - t["retention_6_months"]["usual"],
        "complaints": n,
        "sample_expected_rate": {"call_back": float(p_call[group == "call_back"].mean()),
                                 "usual": float(p_usual[group == "usual"].mean())},
        "sample_effect": float((p_call - p_usual).mean()),
    }
    return table, truth


def _build_follow_up(
    rng: np.random.Generator, n_customers: int
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Orders randomized to a follow-up contact, and whether the customer bought again."""
    t, gg = FOLLOW_UP_TRUTH, GAMMA_GAMMA_TRUTH
    n = _size(t, n_customers)
    shift = np.array([t["tier_logit_shift"][k] for k in TIERS])
    intercepts = {
        group: _intercept_for_rate(rate, lambda a: float(special.expit(a + shift).mean()))
        for group, rate in t["repeat_90d"].items()
    }
    group = _halves(rng, n, ("contacted", "control"))
    tier = rng.integers(0, len(TIERS), n)
    spend_rate = rng.gamma(gg["q"], 1.0 / gg["gamma"], n)
    order_value = np.round(rng.gamma(gg["p"], 1.0 / spend_rate), 2)
    p = special.expit(np.where(group == "contacted", intercepts["contacted"],
                               intercepts["control"]) + shift[tier])
    table = pd.DataFrame(
        {
            "order_id": [f"F{i:06d}" for i in range(1, n + 1)],
            "group": group,
            "tier": np.array(TIERS, dtype=object)[tier],
            "order_value": order_value,
            "repeat_90d": (rng.random(n) < p).astype("int64"),
        }
    )
    by_tier = {
        name: {g: float(special.expit(intercepts[g] + shift[k])) for g in intercepts}
        for k, name in enumerate(TIERS)
    }
    truth = {
        **t,
        "logit_intercepts": intercepts,
        "effect": t["repeat_90d"]["contacted"] - t["repeat_90d"]["control"],
        "repeat_90d_by_tier": by_tier,
        "orders": n,
    }
    return table, truth


def _stores_per_region(n_stores: int) -> np.ndarray:
    """Stores of each region in proportion to its share (largest remainders), in region order."""
    share = np.array([v[0] for v in _REGIONS.values()])
    exact = n_stores * share / share.sum()
    count = np.floor(exact).astype(int)
    count[np.argsort(exact - count)[::-1][: n_stores - count.sum()]] += 1
    return np.repeat(np.array(list(_REGIONS), dtype=object), count)


def _chain_slopes() -> dict[str, dict[str, float]]:
    """Causal slopes of the chain and the population OLS slopes a naive regression finds."""
    staff, customer = STORES_TRUTH["staff_satisfaction"], STORES_TRUTH["customer_satisfaction"]
    retention = STORES_TRUTH["retention"]["customer_satisfaction"]
    staff_variance = staff["confounder"] ** 2 + staff["noise_sd"] ** 2
    # Cov(q, staff) / Var(staff): how much of the confounder a staff slope picks up.
    picked_up = customer["confounder"] * staff["confounder"] / staff_variance
    naive = customer["staff_satisfaction"] + picked_up
    return {
        "causal": {"customer_on_staff": customer["staff_satisfaction"],
                   "retention_on_customer": retention,
                   "retention_on_staff": customer["staff_satisfaction"] * retention},
        "naive_ols": {"customer_on_staff": naive, "retention_on_customer": retention,
                      "retention_on_staff": naive * retention},
    }


def _build_stores(rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Forty stores along the service-profit chain, with a confounder nobody observes."""
    t = STORES_TRUTH
    n = t["stores"]
    staff, customer, retention = (t["staff_satisfaction"], t["customer_satisfaction"],
                                  t["retention"])
    confounder = rng.normal(size=n)
    staff_score = np.clip(np.round(staff["mean"] + staff["confounder"] * confounder
                                   + staff["noise_sd"] * rng.normal(size=n), 1), 1.0, 10.0)
    customer_score = np.clip(np.round(
        customer["intercept"] + customer["staff_satisfaction"] * staff_score
        + customer["confounder"] * confounder + customer["noise_sd"] * rng.normal(size=n), 2),
        1.0, 5.0)
    retained_share = retention["intercept"] + retention["customer_satisfaction"] * customer_score
    customers = np.round(t["customers"]["median"] * np.exp(
        t["customers"]["log_sd"] * rng.normal(size=n))).astype("int64")
    still_buying = rng.binomial(customers, np.clip(retained_share, 0.0, 1.0))
    table = pd.DataFrame(
        {
            "store_id": [f"S{i:02d}" for i in range(1, n + 1)],
            "region": _stores_per_region(n),
            "staff_satisfaction": staff_score,
            "customer_satisfaction": customer_score,
            "retention": np.round(still_buying / customers, 3),
            "customers": customers,
        }
    )
    slopes = _chain_slopes()
    truth = {
        **t,
        **slopes,
        "method": "population OLS slopes of the linear chain (rounding and clipping ignored)",
    }
    return table, truth
