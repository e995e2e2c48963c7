"""Differentiate customers by the value they bring: profit, VIP score, typologies, NPS.

The second step of a relationship-marketing program, after identifying the
customers, is to tell them apart by what each one is worth to the firm. This
package turns clean transactions (and, where needed, the customer master, the
contact log and a survey) into one-row-per-customer tables, one module per
section of lesson 02:

* :mod:`~relmark_lab.differentiate.profitability` — gross margin minus a
  cost-to-serve model with explicit prices (:class:`CostToServe`,
  :func:`customer_profitability`);
* :mod:`~relmark_lab.differentiate.whale` — Kaplan's whale curve
  (:func:`whale_curve`, :func:`whale_summary`) and the customers whose
  relationship destroys value (:func:`profit_groups`);
* :mod:`~relmark_lab.differentiate.vip` — volume, frequency, amount, payment
  behaviour and tenure, standardized and weighted (:func:`vip_components`,
  :func:`vip_score`), cut into tiers (:func:`assign_tiers`) and compared
  across weightings (:func:`tier_overlap`);
* :mod:`~relmark_lab.differentiate.typologies` — Reinartz and Kumar's
  profitability x projected loyalty matrix (:func:`projected_loyalty`,
  :func:`reinartz_kumar`) and Jones and Sasser's satisfaction x loyalty
  types (:func:`satisfaction_loyalty`), summarised with
  :func:`value_by_segment`;
* :mod:`~relmark_lab.differentiate.nps` — net promoter score with a
  confidence interval (:func:`net_promoter_score`, :func:`nps_difference`);
* :mod:`~relmark_lab.differentiate.wallet` — spend per year
  (:func:`annual_spend`), perceived value and satisfaction against it
  (:func:`spend_by_score`, :func:`score_spend_correlation`) and the wallet
  left on the table (:func:`wallet_left_on_table`, :func:`wallet_by_segment`);
* :mod:`~relmark_lab.differentiate.value_drivers` — value for effort: a
  key-driver analysis of perceived value on the five weapons' ratings
  (:func:`key_drivers`, :func:`shapley_r2`), the importance-performance map
  (:func:`importance_performance`) and the gain of raising a rating
  (:func:`rating_gain`);
* :mod:`~relmark_lab.differentiate.interaction` — a contact budget split
  across value tiers with a mass or direct channel per tier
  (:func:`contact_plan`);
* :mod:`~relmark_lab.differentiate.levels` — the relationship level, from
  basic to partnership, that a segment's size and margin warrant
  (:func:`relationship_levels`).

Every function that reads order lines takes ``observation_end``, the last
observed day, as its second argument: the whole day counts, lines dated
later are left out and counted in ``attrs["lines_after_observation_end"]``,
and durations are whole days up to it, as in :mod:`relmark_lab.identify`,
:mod:`relmark_lab.rfm` and :mod:`relmark_lab.clv`. Orders, purchases and
returns follow the kit's one rule (:mod:`relmark_lab._orders`,
docs/contract.md: lines sharing an ``order_id`` are one order, a customer's
id-less purchase lines of a day another; a return nets against its order, or
without the order's id cancels that day's purchases up to what was bought).
Per-customer tables hold the customers with a purchase and count the others
in ``attrs["customers_without_purchases"]``;
:func:`customer_profitability` keeps them as rows, because they cost money.
``customer_id`` is text in every table. Money is in the currency of the data
(MXN for the kit); every duration says its unit in the column name or in a
``time_unit`` argument.

Examples
--------
>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
...                    "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-15"]),
...                    "amount": [100.0, 200.0, 50.0], "margin": [40.0, 80.0, 10.0]})
>>> profit = customer_profitability(tx, "2024-12-31", cost=CostToServe(per_order=20.0))
>>> profit.set_index("customer_id")["profit"].to_dict()
{'a': 80.0, 'b': -10.0}
"""

from __future__ import annotations

from relmark_lab.differentiate.interaction import DEFAULT_CHANNELS, contact_plan
from relmark_lab.differentiate.levels import LEVEL_GRID, RELATIONSHIP_LEVELS, relationship_levels
from relmark_lab.differentiate.nps import net_promoter_score, nps_difference
from relmark_lab.differentiate.profitability import CostToServe, customer_profitability
from relmark_lab.differentiate.typologies import (
    JONES_SASSER_TYPES,
    REINARTZ_KUMAR_QUADRANTS,
    projected_loyalty,
    reinartz_kumar,
    satisfaction_loyalty,
    value_by_segment,
)
from relmark_lab.differentiate.value_drivers import (
    IPA_QUADRANTS,
    KIT_WEAPONS,
    importance_performance,
    key_drivers,
    rating_gain,
    shapley_r2,
)
from relmark_lab.differentiate.vip import (
    DEFAULT_TIERS,
    DEFAULT_VIP_WEIGHTS,
    assign_tiers,
    tier_overlap,
    vip_components,
    vip_score,
)
from relmark_lab.differentiate.wallet import (
    annual_spend,
    score_spend_correlation,
    spend_by_score,
    wallet_by_segment,
    wallet_left_on_table,
)
from relmark_lab.differentiate.whale import profit_groups, whale_curve, whale_summary

__all__ = [
    "DEFAULT_CHANNELS",
    "DEFAULT_TIERS",
    "DEFAULT_VIP_WEIGHTS",
    "IPA_QUADRANTS",
    "JONES_SASSER_TYPES",
    "KIT_WEAPONS",
    "LEVEL_GRID",
    "RELATIONSHIP_LEVELS",
    "REINARTZ_KUMAR_QUADRANTS",
    "CostToServe",
    "annual_spend",
    "assign_tiers",
    "contact_plan",
    "customer_profitability",
    "importance_performance",
    "key_drivers",
    "net_promoter_score",
    "nps_difference",
    "profit_groups",
    "projected_loyalty",
    "rating_gain",
    "reinartz_kumar",
    "relationship_levels",
    "satisfaction_loyalty",
    "score_spend_correlation",
    "shapley_r2",
    "spend_by_score",
    "tier_overlap",
    "value_by_segment",
    "vip_components",
    "vip_score",
    "wallet_by_segment",
    "wallet_left_on_table",
    "whale_curve",
    "whale_summary",
]
