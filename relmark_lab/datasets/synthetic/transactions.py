"""Transactions: order values, order lines, days late and returns.

Step 5 of the generative story told in :mod:`relmark_lab.datasets.synthetic`.
Each order's value is gamma-gamma (:data:`GAMMA_GAMMA_TRUTH`): ``z ~
Gamma(shape p, rate nu)`` with the customer's own ``nu``, independent of the
purchase process. The order total is split over one to three lines, each in
a different category, with quantities from typical unit prices and margins
from :data:`CATEGORY_MARGIN_RATES`. Credit customers sometimes pay late. A
few lines come back 1-30 days later as negative lines with their own order
id; purchases and returns share one id sequence, numbered in time order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab.datasets.synthetic._common import (
    _HORIZON_DAYS,
    _PAYMENT_TERMS,
    CATEGORY_MARGIN_RATES,
    GAMMA_GAMMA_TRUTH,
    _store_time,
)

#: Categories in the order of CATEGORY_MARGIN_RATES: share of purchases, typical
#: unit price (MXN) and the share of lines returned.
_CATEGORY_SHARE = np.array([0.12, 0.18, 0.20, 0.20, 0.10, 0.12, 0.08])
_CATEGORY_UNIT_PRICE = np.array([1500.0, 350.0, 450.0, 60.0, 500.0, 180.0, 300.0])
_CATEGORY_RETURN_RATE = np.array([0.04, 0.02, 0.06, 0.01, 0.03, 0.02, 0.03])


def _order_values(rng: np.random.Generator, spend_rate: np.ndarray) -> np.ndarray:
    """Gamma-gamma order values ``z ~ Gamma(shape p, rate nu)``, in MXN (cents)."""
    return np.round(rng.gamma(GAMMA_GAMMA_TRUTH["p"], 1.0 / spend_rate), 2)


def _split_into_lines(
    rng: np.random.Generator, order_total: np.ndarray, preference: np.ndarray
) -> pd.DataFrame:
    """Split each order total over 1-3 lines in distinct categories.

    Categories are drawn without replacement from the customer's preference
    (Gumbel top-k), so two lines of an order never look alike. Shares are
    Dirichlet(3, 3, 3) shrunk towards equal, so no line is nearly zero; the
    last line absorbs the rounding so the lines add up to the order total.
    """
    n_orders = len(order_total)
    n_lines = rng.choice([1, 2, 3], n_orders, p=[0.65, 0.25, 0.10])
    gumbel = rng.gumbel(size=preference.shape)
    ranked = np.argsort(-(np.log(preference + 1e-12) + gumbel), axis=1)
    share = rng.gamma(3.0, size=(n_orders, 3)) * (np.arange(3) < n_lines[:, None])
    share = share / share.sum(axis=1, keepdims=True)
    share = (share + 0.05) / (1 + 0.05 * n_lines[:, None])

    order = np.repeat(np.arange(n_orders), n_lines)
    position = np.concatenate([np.arange(k) for k in n_lines]) if n_orders else np.array([], int)
    amount = np.round(order_total[order] * share[order, position], 2)
    is_last = position == n_lines[order] - 1
    others = np.bincount(order, weights=np.where(is_last, 0.0, amount), minlength=n_orders)
    amount[is_last] = np.round(order_total - others, 2)
    if (amount <= 0).any():  # impossible with the shrunk shares; guards the ledger's "zero amount"
        raise RuntimeError("an order line came out with a non-positive amount")
    return pd.DataFrame(
        {"order": order, "position": position, "category": ranked[order, position],
         "amount": amount}
    )


def _line_details(rng: np.random.Generator, lines: pd.DataFrame) -> pd.DataFrame:
    """Quantity from a typical unit price, margin from the category's rate (+-2 points)."""
    category = lines["category"].to_numpy()
    amount = lines["amount"].to_numpy()
    units = amount / _CATEGORY_UNIT_PRICE[category] * rng.lognormal(0.0, 0.3, len(amount))
    rates = np.array(list(CATEGORY_MARGIN_RATES.values()))[category]
    rate = np.clip(rates + rng.normal(0.0, 0.02, len(amount)), 0.05, 0.8)
    return lines.assign(
        quantity=np.clip(np.rint(units), 1, 24).astype("int64"),
        margin=np.round(amount * rate, 2),
    )


def _days_late(
    rng: np.random.Generator, order_customer: np.ndarray, payment_terms: np.ndarray
) -> np.ndarray:
    """Days each order's payment was late.

    Cash customers pay at the till (always 0). Credit customers have their own
    propensity to pay late, Beta-distributed by terms; a late payment is
    ``1 + Poisson(mean - 1)`` days late, longer on 60-day terms.
    """
    n_customers = len(payment_terms)
    propensity = np.zeros(n_customers)
    mean_days = np.zeros(n_customers)
    for terms, (_, beta_params, days) in _PAYMENT_TERMS.items():
        has = payment_terms == terms
        if beta_params is not None:
            propensity[has] = rng.beta(*beta_params, int(has.sum()))
        mean_days[has] = days
    late = rng.random(len(order_customer)) < propensity[order_customer]
    days = 1 + rng.poisson(np.maximum(mean_days[order_customer] - 1, 0))
    return np.where(late, days, 0).astype("int64")


def _build_transactions(
    streams: dict[str, np.random.Generator],
    customers: pd.DataFrame,
    signup_day: np.ndarray,
    repeat_customer: np.ndarray,
    repeat_weeks: np.ndarray,
    spend_rate: np.ndarray,
) -> pd.DataFrame:
    """All order lines, returns included, ordered by order id (chronological).

    ``spend_rate`` is each customer's gamma-gamma ``nu``.
    """
    n = len(customers)
    order_customer = np.concatenate([np.arange(n), repeat_customer])
    week_offset = np.concatenate([np.zeros(n), repeat_weeks])
    order_day = signup_day[order_customer] + np.floor(7 * week_offset).astype("int64")
    order_time = _store_time(streams["purchases"], order_day)
    order_total = _order_values(streams["spend"], spend_rate[order_customer])

    preference = streams["lines"].dirichlet(4.0 * _CATEGORY_SHARE, n)
    lines = _split_into_lines(streams["lines"], order_total, preference[order_customer])
    lines = _line_details(streams["lines"], lines)
    late = _days_late(streams["lateness"], order_customer, customers["payment_terms"].to_numpy())
    lines["customer"] = order_customer[lines["order"]]
    lines["day"] = order_day[lines["order"]]
    lines["timestamp"] = order_time[lines["order"].to_numpy()]
    lines["days_late"] = late[lines["order"]]
    lines["is_return"] = False

    returns = _draw_returns(streams["returns"], lines)
    # Purchases and returns share one id sequence, numbered in time order.
    everything = pd.concat([lines, returns], ignore_index=True)
    everything["order_key"] = np.where(
        everything["is_return"], len(order_total) + everything.index, everything["order"]
    )
    first_seen = everything.groupby("order_key")["timestamp"].transform("min")
    everything = everything.assign(first_seen=first_seen).sort_values(
        ["first_seen", "order_key", "position"], kind="stable"
    )
    number = pd.factorize(everything["order_key"])[0] + 1
    categories = np.array(list(CATEGORY_MARGIN_RATES), dtype=object)
    return pd.DataFrame(
        {
            "order_id": [f"O{k:07d}" for k in number],
            "customer_id": customers["customer_id"].to_numpy()[everything["customer"]],
            "timestamp": everything["timestamp"].to_numpy(),
            "category": categories[everything["category"]],
            "quantity": everything["quantity"].to_numpy(),
            "amount": everything["amount"].to_numpy(),
            "margin": everything["margin"].to_numpy(),
            "days_late": everything["days_late"].to_numpy(),
        }
    )


def _draw_returns(rng: np.random.Generator, lines: pd.DataFrame) -> pd.DataFrame:
    """Returned lines: the whole line comes back 1-30 days later, if still in the window.

    Return rates differ by category (fashion is returned most). A return is a
    negative copy of the line with its own order id and no late payment.
    """
    returned = rng.random(len(lines)) < _CATEGORY_RETURN_RATE[lines["category"].to_numpy()]
    delay = rng.integers(1, 31, len(lines))
    returned &= lines["day"].to_numpy() + delay <= _HORIZON_DAYS
    back = lines[returned].copy()
    back["day"] = back["day"] + delay[returned]
    back["timestamp"] = _store_time(rng, back["day"].to_numpy())
    for column in ("quantity", "amount", "margin"):
        back[column] = -back[column]
    back["days_late"] = 0
    back["position"] = 0
    back["is_return"] = True
    return back
