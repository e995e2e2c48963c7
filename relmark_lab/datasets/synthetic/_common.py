"""What every simulated process shares: the window, the true parameters, the draws (private).

The public constants (the observation window, the default seed and size, and
the true parameters of each process) are re-exported by
:mod:`relmark_lab.datasets.synthetic`. The tables and helpers whose names
start with ``_`` are the retailer's private mechanics: who is acquired
through which channel at what cost, the regions and their phone prefixes,
payment terms, the voice-of-the-customer channels' profiles, and the random
draws of days and store hours every process uses.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "BGNBD_TRUTH",
    "CATEGORY_MARGIN_RATES",
    "COMPLAINT_RECOVERY_TRUTH",
    "CONNECTORS_TRUTH",
    "DEFAULT_N_CUSTOMERS",
    "DEFAULT_SEED",
    "DROPOUT_LINK",
    "FOLLOW_UP_TRUTH",
    "GAMMA_GAMMA_TRUTH",
    "OBSERVATION_END",
    "OBSERVATION_START",
    "PILOT_TRUTH",
    "SIGNUP_END",
    "STORES_TRUTH",
    "VALUE_DRIVERS_TRUTH",
]

OBSERVATION_START = "2023-01-01"
OBSERVATION_END = "2025-12-31"
#: Last possible signup: leaves every customer at least 26 weeks to be observed.
SIGNUP_END = "2025-06-30"
DEFAULT_SEED = 20261125
DEFAULT_N_CUSTOMERS = 5000

#: BG/NBD truth; time unit is the week.
BGNBD_TRUTH = {"r": 0.75, "alpha": 6.0, "a": 0.65, "b": 3.5}
#: Gamma-gamma truth (Fader-Hardie notation); mean order = p * gamma / (q - 1) = 400 MXN.
GAMMA_GAMMA_TRUTH = {"p": 6.0, "q": 4.0, "gamma": 200.0}
#: How satisfaction and unresolved complaints rank customers for dropout.
DROPOUT_LINK = {
    "satisfaction_weight": 1.0,
    "unresolved_complaint_weight": 1.0,
    "noise_sd": 0.5,
}
#: Loyalty pilot (lesson 06): a monthly panel of members under three designs, one program.
#: Rates are orders per member-month (``time_unit`` "M"); the launch is the 7th month.
#: ``trend`` is added to every member's rate (orders per month), the program multiplies
#: the sum; ``ramp`` is the share of the full effect by months in the program (3: 3 or more).
#: The monthly dropout hazard is ``hazard_at_mean_rate * (mean + offset) / (rate + offset)``.
#: Self-selected members enrol by a logistic in last year's rate ``(orders_2023 + 0.5) / 12``
#: (the record they judge by), satisfaction, tenure and their gain at that rate.
PILOT_TRUTH = {
    "time_unit": "M",
    "first_month": "2024-01",
    "months": 12,
    "launch_month": "2024-07",
    "members_per_5000_customers": {"randomized": 1000, "self_selected": 2000, "rollout": 1500},
    "minimum_members": {"randomized": 500, "self_selected": 800, "rollout": 750},
    "purchase_rate": {"distribution": "Gamma", "shape": 2.0, "rate": 1.0},
    "trend": {"growth_per_month": 0.04,
              "seasonal": {"2024-05": 0.16, "2024-11": 0.24, "2024-12": 0.60}},
    "effect_by_tier": {"light": 0.30, "moderate": 0.20, "heavy": 0.0},
    "personal_effect_shape": 4.0,
    "ramp": {"1": 0.5, "2": 0.75, "3": 1.0},
    "dropout": {"monthly_hazard_at_mean_rate": 0.015, "rate_offset": 0.4,
                "reduction_in_program": 0.30, "first_month": "2024-08"},
    "reward_share": 0.04,
    "operating_cost_per_member_month": 12.0,
    "tenure": {"minimum_months": 6, "gamma_shape": 1.5, "gamma_scale_months": 20.0},
    "satisfaction_surveyed_share": 0.40,
    "enrolment_logit": {"intercept": -0.6, "log_last_year_rate": 2.2, "satisfaction": 0.5,
                        "log_tenure": 0.4, "personal_gain": 2.0},
    "rollout_waves": {"Centro": "2024-04", "Occidente": "2024-06", "Norte": "2024-08",
                      "Sur": "2024-10", "Metropolitana": None},
}
#: Complaint recovery: complainers randomized to a fast personal call-back or the usual
#: process; retention = still buying 6 months later, logistic in the standardized log of
#: the prior 6 months' spend (MXN, log-normal), intercepts set so the rates are exact.
COMPLAINT_RECOVERY_TRUTH = {
    "per_5000_customers": 800,
    "minimum": 300,
    "retention_6_months": {"usual": 0.55, "call_back": 0.70},
    "prior_spend_log_mean": 7.8,
    "prior_spend_log_sd": 0.8,
    "logit_per_sd_of_log_spend": 0.5,
}
#: Post-sale follow-up: orders randomized to a contact or not; repeat within 90 days,
#: logistic with a shift by tier (a third each), intercepts set so the rates are exact.
FOLLOW_UP_TRUTH = {
    "per_5000_customers": 2000,
    "minimum": 400,
    "repeat_90d": {"control": 0.30, "contacted": 0.36},
    "tier_logit_shift": {"light": -0.6, "moderate": 0.0, "heavy": 0.6},
}
#: Service-profit chain over 40 stores: staff satisfaction (1-10) -> customer satisfaction
#: (1-5) -> retention (share), and a store confounder q ~ N(0, 1) (local affluence and
#: manager quality) that raises both satisfactions.
STORES_TRUTH = {
    "stores": 40,
    "staff_satisfaction": {"mean": 6.5, "confounder": 0.8, "noise_sd": 0.8},
    "customer_satisfaction": {"intercept": 1.8, "staff_satisfaction": 0.25,
                              "confounder": 0.25, "noise_sd": 0.12},
    "retention": {"intercept": 0.40, "customer_satisfaction": 0.08},
    "customers": {"median": 600, "log_sd": 0.35},
}
#: Value for effort (lesson 02): the survey rates the notes' five weapons 1-5. Each rating
#: cuts ``halo * s + sqrt(1 - halo^2) * u + shift`` at (-1.5, -0.5, 0.5, 1.5), s the latent
#: satisfaction and u its own N(0, 1) part, so ratings correlate through s (a halo). The
#: perceived value (0-10) is ``intercept + sum(weight * rating) + noise_sd * N(0, 1)``,
#: rounded and clipped: the weights are perceived-value points per rating point.
VALUE_DRIVERS_TRUTH = {
    "weapons": {
        "price": {"column": "price_rating", "halo": 0.35, "shift": -0.30, "weight": 0.55},
        "fewer_inconveniences": {"column": "convenience_rating", "halo": 0.50,
                                 "shift": 0.10, "weight": 0.35},
        "service": {"column": "service_rating", "halo": 0.60, "shift": 0.45, "weight": 0.60},
        "fewer_insecurities": {"column": "reassurance_rating", "halo": 0.45,
                               "shift": 0.30, "weight": 0.15},
        "product_brand": {"column": "product_brand_rating", "halo": 0.40, "shift": 0.60,
                          "weight": 0.30},
    },
    "rating_cuts": [-1.5, -0.5, 0.5, 1.5],
    "perceived_value": {"scale": [0, 10], "intercept": -0.2, "noise_sd": 1.0},
}
#: Reichheld's loyalty connectors, each a function of tenure tau in years (days since
#: signup / 365.25): referrer weight ``intercept + per_year * tau``, chance a purchase line
#: is discounted ``at_signup * yearly_factor ** tau`` (depth uniform on [low, high] of the
#: list price), cost to serve a purchase line ``at_signup * yearly_factor ** tau`` MXN
#: times mean-one log-normal noise.
CONNECTORS_TRUTH = {
    "tenure_unit": "years (days since signup / 365.25)",
    "referral_weight": {"intercept": 1.0, "per_year": 0.8},
    "discount_probability": {"at_signup": 0.40, "yearly_factor": 0.70},
    "discount_depth": {"low": 0.10, "high": 0.30},
    "cost_to_serve": {"at_signup": 30.0, "yearly_factor": 0.75, "noise_sigma": 0.25,
                      "returns": 0.0},
}

#: Gross margin rate by category (mean; each line varies by +-2 points).
CATEGORY_MARGIN_RATES = {
    "Electrónica": 0.18,
    "Hogar": 0.32,
    "Moda": 0.45,
    "Alimentos": 0.22,
    "Deportes": 0.35,
    "Belleza": 0.50,
    "Juguetes": 0.38,
}
#: channel -> (share of customers, mean acquisition cost in MXN)
_ACQUISITION = {
    "tienda": (0.30, 150.0),
    "web": (0.22, 220.0),
    "referido": (0.12, 80.0),
    "redes sociales": (0.18, 260.0),
    "televisión": (0.08, 480.0),
    "correo directo": (0.10, 330.0),
}
#: region -> (share, two-digit lead of the 10-digit phone number)
_REGIONS = {
    "Metropolitana": (0.30, ("55", "56")),
    "Centro": (0.22, ("44", "22")),
    "Occidente": (0.18, ("33",)),
    "Norte": (0.18, ("81", "61")),
    "Sur": (0.12, ("99", "96")),
}
#: terms -> (share, Beta parameters of the customer's lateness propensity, mean days late)
_PAYMENT_TERMS = {
    "contado": (0.60, None, 0.0),
    "30 días": (0.30, (1.2, 8.0), 9.0),
    "60 días": (0.10, (1.5, 6.0), 15.0),
}

#: channel -> (share of complaints, probability a complaint is resolved, mean days to resolve)
_VOC_CHANNEL_PROFILE = {
    "focus group": (0.00, 1.00, 7.0),
    "complaint box": (0.15, 0.45, 12.0),
    "suggestion coupon": (0.05, 0.40, 14.0),
    "toll-free line": (0.30, 0.75, 3.0),
    "e-mail": (0.25, 0.65, 5.0),
    "personal attention": (0.20, 0.85, 1.0),
    "letter": (0.05, 0.55, 20.0),
}

#: Opening hours: orders are stamped between 10:00 and 20:59, busier in the evening.
_STORE_HOUR_WEIGHTS = np.array([2, 3, 4, 5, 5, 4, 4, 5, 6, 6, 4], dtype=float)
_START = pd.Timestamp(OBSERVATION_START)
_END = pd.Timestamp(OBSERVATION_END)
_HORIZON_DAYS = (_END - _START).days  # day offset of the last observed day


def _fold_accents(text: str) -> str:
    """``"Núñez"`` -> ``"Nunez"``: e-mail addresses and old systems have no accents."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _day(offset: np.ndarray) -> pd.DatetimeIndex:
    """Calendar dates from day offsets counted from the observation start."""
    return _START + pd.to_timedelta(np.asarray(offset, dtype="int64"), unit="D")


def _store_time(rng: np.random.Generator, day_offset: np.ndarray) -> pd.DatetimeIndex:
    """Timestamps on the given days, inside store hours."""
    n = len(day_offset)
    share = _STORE_HOUR_WEIGHTS / _STORE_HOUR_WEIGHTS.sum()
    hour = 10 + rng.choice(len(share), n, p=share)
    seconds = hour * 3600 + rng.integers(0, 3600, n)
    return _day(day_offset) + pd.to_timedelta(seconds, unit="s")


def _pick(rng: np.random.Generator, options: dict[str, Any], n: int) -> np.ndarray:
    """Draw ``n`` keys of ``options``; the first element of each value is its share."""
    names = list(options)
    shares = np.array([v[0] if isinstance(v, tuple) else v for v in options.values()])
    return np.array(names, dtype=object)[rng.choice(len(names), n, p=shares / shares.sum())]


def _uniform_day(rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """One integer day offset per row, uniform on ``[low, high]`` (inclusive)."""
    low = np.asarray(low, dtype="int64")
    high = np.maximum(np.asarray(high, dtype="int64"), low)
    return low + np.floor(rng.random(len(low)) * (high - low + 1)).astype("int64")
