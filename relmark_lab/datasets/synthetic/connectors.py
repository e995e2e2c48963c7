"""Reichheld's loyalty connectors: who referred whom, discounts and the cost to serve.

The last process of the story told in :mod:`relmark_lab.datasets.synthetic`.
Reichheld's loyalty effect says a customer's profit grows with tenure partly
because long-standing customers bring others in, buy at full price more often
and cost less to serve. Each connector here is an explicit function of tenure
``tau`` in years (days since signup / 365.25), with the parameters of
:data:`CONNECTORS_TRUTH`:

* **Referrals.** Each customer acquired through the *referido* channel gets a
  referrer: a customer who signed up strictly earlier and is still active on
  the referred customer's signup day, drawn with weight ``1 + 0.8 * tau`` (the
  referrer's tenure that day). Nobody else has one.
* **Discounts.** A purchase line is discounted with probability
  ``0.40 * 0.70 ** tau`` (the buyer's tenure on the order day), by a depth
  ``d ~ Uniform(0.10, 0.30)`` of the list price. ``amount`` stays the price
  paid, so the discount is ``amount * d / (1 - d)`` and the list value is
  ``amount + discount``. A return carries minus its line's discount.
* **Cost to serve.** Serving a purchase line costs
  ``30 * 0.75 ** tau`` MXN times a mean-one log-normal noise (sigma 0.25),
  at least one cent. Returns cost nothing here (0): their handling is not
  modelled.

The connectors only add columns (``referred_by`` to the customers,
``discount`` and ``cost_to_serve`` to the transactions); they draw from
their own streams and change no other value of any table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from relmark_lab.datasets.synthetic._common import _START, CONNECTORS_TRUTH
from relmark_lab.units import convert_duration

#: The columns a return shares with the purchase line it undoes (negated where numeric).
_RETURN_KEY = ("customer_id", "category", "quantity", "amount", "margin")
#: A return comes back 1 to 30 days after its line (see :mod:`.transactions`).
_LONGEST_RETURN_DELAY_DAYS = 30


def _tenure_years(days: np.ndarray) -> np.ndarray:
    """Tenure in years from days since signup (365.25 days a year)."""
    return np.asarray(convert_duration(np.asarray(days, dtype=float), "D", "Y"))


def _draw_referrers(
    rng: np.random.Generator,
    signup_day: np.ndarray,
    last_active_day: np.ndarray,
    is_referred: np.ndarray,
) -> np.ndarray:
    """The referrer's index for each customer, -1 for none.

    Customers are sorted by signup day (as :mod:`.customers` numbers them), so
    those who signed up strictly before day ``D`` are a prefix. Referred
    customers of the same day share their candidates and weights; they are
    drawn together, one day after the other in time order.
    """
    weight = CONNECTORS_TRUTH["referral_weight"]
    referrer = np.full(len(signup_day), -1, dtype="int64")
    referred = np.flatnonzero(is_referred)
    for day in np.unique(signup_day[referred]):
        earlier = np.searchsorted(signup_day, day, side="left")
        candidates = np.flatnonzero(last_active_day[:earlier] >= day)
        if candidates.size == 0:
            continue  # nobody to refer them yet: counted as without a referrer
        tau = _tenure_years(day - signup_day[candidates])
        w = weight["intercept"] + weight["per_year"] * tau
        today = referred[signup_day[referred] == day]
        referrer[today] = rng.choice(candidates, size=today.size, p=w / w.sum())
    return referrer


def _return_sources(transactions: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of each return line and of the purchase line it undoes.

    A return is the negative copy of a whole line (same customer, category,
    quantity, amount and margin, negated) dated 1 to 30 days later. Should a
    customer have two identical lines, the latest one before the return is taken.
    """
    key = list(_RETURN_KEY)
    day = transactions["timestamp"].dt.normalize()
    lines = transactions[key].assign(day=day, row=np.arange(len(transactions)))
    is_return = transactions["amount"].to_numpy() < 0
    back = lines[is_return].copy()
    for column in ("quantity", "amount", "margin"):
        back[column] = -back[column]
    pairs = back.merge(lines[~is_return], on=key, suffixes=("", "_line"))
    delay = (pairs["day"] - pairs["day_line"]).dt.days
    pairs = pairs[(delay >= 1) & (delay <= _LONGEST_RETURN_DELAY_DAYS)]
    pairs = pairs.sort_values(["row", "day_line", "row_line"]).drop_duplicates("row", keep="last")
    if len(pairs) != int(is_return.sum()):  # impossible: every return copies a line
        raise RuntimeError("a return line does not match any purchase line")
    return pairs["row"].to_numpy(), pairs["row_line"].to_numpy()


def _draw_discounts(rng: np.random.Generator, amount: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """Discount (MXN) of purchase lines paid ``amount`` at tenure ``tau`` (years)."""
    chance = CONNECTORS_TRUTH["discount_probability"]
    depth_range = CONNECTORS_TRUTH["discount_depth"]
    discounted = rng.random(len(amount)) < chance["at_signup"] * chance["yearly_factor"] ** tau
    depth = rng.uniform(depth_range["low"], depth_range["high"], len(amount))
    # amount is the price paid, (1 - d) of the list price; the discount is the rest.
    return np.where(discounted, np.round(amount * depth / (1.0 - depth), 2), 0.0)


def _draw_costs_to_serve(rng: np.random.Generator, tau: np.ndarray) -> np.ndarray:
    """Cost (MXN) of serving purchase lines at tenure ``tau`` (years), at least one cent."""
    cost = CONNECTORS_TRUTH["cost_to_serve"]
    sigma = cost["noise_sigma"]
    noise = rng.lognormal(-(sigma**2) / 2.0, sigma, len(tau))  # mean one
    return np.maximum(np.round(cost["at_signup"] * cost["yearly_factor"] ** tau * noise, 2), 0.01)


def _add_loyalty_connectors(
    streams: dict[str, np.random.Generator],
    customers: pd.DataFrame,
    transactions: pd.DataFrame,
    signup_day: np.ndarray,
    last_active_day: np.ndarray,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """The customers with ``referred_by`` and the lines with ``discount`` and ``cost_to_serve``.

    ``signup_day`` and ``last_active_day`` are day offsets from the observation
    start, one per customer in the order of ``customers``; a customer is
    active on the days from signup to ``last_active_day`` (their last purchase,
    or the observation end if they never left).

    Returns
    -------
    customers, transactions : pandas.DataFrame
        Copies with the new columns last; every other column is unchanged.
    truth : dict
        :data:`CONNECTORS_TRUTH` plus how many referred customers have a
        referrer (``referrals``) and how many found no candidate.
    """
    is_referred = customers["acquisition_channel"].to_numpy() == "referido"
    referrer = _draw_referrers(streams["referrals"], signup_day, last_active_day, is_referred)
    ids = customers["customer_id"].to_numpy()
    referred_by = pd.Series(np.where(referrer >= 0, ids[np.maximum(referrer, 0)], None),
                            index=customers.index, dtype="str")

    who = pd.Index(customers["customer_id"]).get_indexer(transactions["customer_id"])
    order_day = (transactions["timestamp"].dt.normalize() - _START).dt.days.to_numpy()
    tau = _tenure_years(order_day - signup_day[who])
    amount = transactions["amount"].to_numpy()
    bought = amount > 0
    discount = np.zeros(len(transactions))
    discount[bought] = _draw_discounts(streams["discounts"], amount[bought], tau[bought])
    returned, source = _return_sources(transactions)
    discount[returned] = 0.0 - discount[source]  # 0.0 - 0.0 is 0.0, never a "-0.00" cell
    cost_to_serve = np.zeros(len(transactions))  # returns: 0, their handling is not modelled
    cost_to_serve[bought] = _draw_costs_to_serve(streams["service"], tau[bought])

    truth = {
        **CONNECTORS_TRUTH,
        "referrals": int((referrer >= 0).sum()),
        "referrals_without_referrer": int((is_referred & (referrer < 0)).sum()),
    }
    return (
        customers.assign(referred_by=referred_by),
        transactions.assign(discount=discount, cost_to_serve=cost_to_serve),
        truth,
    )
