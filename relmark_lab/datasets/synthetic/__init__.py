"""Simulate the kit's fictional retailer, with the ground truth the lessons recover.

*Tienda Relmark* is an imaginary multi-category retailer in Mexico (amounts in
MXN). Every table the lessons use is drawn here from explicit generative
processes and a fixed seed, so each estimate in a lesson can be compared with
the value that produced the data.

The generative story, one customer at a time:

1. **Signup.** The customer's first purchase (the signup date) falls between
   2023-01-01 and 2025-06-30, slightly more often later (the business grows).
   Acquisition channel, region and payment terms are drawn independently.
2. **Satisfaction and complaints.** A latent satisfaction ``s ~ N(0, 1)``.
   Complaints arrive more often when ``s`` is low; whether each one is
   resolved depends only on the channel it came through, not on ``s``.
3. **Dropout (BG/NBD).** A churn score ``c = -w1*s + w2*[unresolved complaint]
   + noise`` is turned into a rank ``u = (rank(c) - 0.5) / N`` and the dropout
   probability is ``p = BetaInv(u; a, b)``. Unhappy customers get a larger
   ``p``, yet the ``p`` values taken together are exactly the quantiles of
   ``Beta(a, b)``, so a BG/NBD fit can still recover ``a`` and ``b``.
4. **Purchases (BG/NBD, in weeks).** The purchase rate is
   ``lambda ~ Gamma(shape r, rate alpha)``, independent of everything above.
   Repeat purchases arrive as a Poisson process with rate ``lambda``. Right
   after each repeat purchase the customer leaves for good with probability
   ``p``. The simulation stops at the observation end, 2025-12-31.
5. **Spend (gamma-gamma).** Each order's value is ``z ~ Gamma(shape p_gg,
   rate nu)`` with ``nu ~ Gamma(shape q, rate gamma)`` per customer. Spend is
   independent of the purchase process. The order total is split over one to
   three lines, each in a different category. Margins use category rates.
   A few lines are returned later (negative lines with their own order id).
6. **Around the ledger.** A survey of about 30% of customers (with the five
   weapons of value for effort rated 1-5 and a perceived value built from
   them with known weights, :data:`VALUE_DRIVERS_TRUTH`), contacts
   through seven voice-of-the-customer channels, leads who never bought, and
   a raw Excel export of the transactions with injected defects whose counts
   are known.
7. **Loyalty connectors (Reichheld).** Functions of tenure ``tau`` in years
   (days since signup / 365.25), in :data:`CONNECTORS_TRUTH`. Each
   *referido* customer's referrer (``referred_by``) is drawn among the
   customers who signed up earlier and are still active that day, with
   weight ``1 + 0.8 * tau``. A purchase line is discounted with probability
   ``0.40 * 0.70 ** tau`` by ``d ~ Uniform(0.10, 0.30)`` of its list price;
   ``amount`` stays the price paid, so ``discount = amount * d / (1 - d)``
   and a return carries minus its line's discount. Serving a purchase line
   costs ``30 * 0.75 ** tau`` MXN times mean-one log-normal noise
   (``cost_to_serve``; 0 on returns). These columns are added last, from
   their own streams, so every other value stays as it was.
8. **Programs (lesson 06).** Separate populations with known effects, each
   from its own stream (:data:`PILOT_TRUTH`, :data:`COMPLAINT_RECOVERY_TRUTH`,
   :data:`FOLLOW_UP_TRUTH`, :data:`STORES_TRUTH`). A loyalty pilot of members
   ``M...`` followed monthly through 2024 (launch 2024-07) under three
   designs: stratified randomization, self-selection on last year's orders,
   satisfaction, tenure and personal gain, and a rollout by region waves with one region
   never. Orders are Poisson in ``(lambda + trend) * (1 + effect * ramp)``
   with an additive common trend (so parallel trends hold in levels), an
   effect of +30% / +20% / 0% on light / moderate / heavy buyers that ramps up
   over the first months, a dropout hazard the program lowers by 30%, and
   rewards of 4% of the revenue. Complainers randomized to a call-back
   (retention 0.70 vs 0.55), orders randomized to a follow-up contact
   (repeat within 90 days 0.36 vs 0.30), and 40 stores along a
   service-profit chain with a confounder. Their truth
   (``truth["programs"]``) is computed in closed form from the latent traits,
   never read back from the tables.

Each process draws from its own random stream (children of
``numpy.random.default_rng(seed)``), so changing one table's process leaves
the others' draws unchanged.

Each process lives in its own module: :mod:`.people` (names, e-mails,
phones), :mod:`.customers` (steps 1-4), :mod:`.transactions` (step 5),
:mod:`.leads`, :mod:`.survey`, :mod:`.voice` (step 6),
:mod:`.raw_export` (the raw export and its defects), :mod:`.connectors`
(step 7), :mod:`.pilot`, :mod:`.pilot_truth` and :mod:`.programs_data`
(step 8); :mod:`.retailer` runs them in order, :mod:`.files` writes the
committed files and :mod:`.card` (with :mod:`.card_tables`) their data card.

Examples
--------
>>> retailer = simulate(n_customers=300)
>>> retailer.truth["bgnbd"]["r"]
0.75
>>> sorted(retailer.tables())[:3]
['complaint_recovery', 'customer_truth', 'customers']
>>> retailer.truth["loyalty_connectors"]["discount_probability"]
{'at_signup': 0.4, 'yearly_factor': 0.7}
>>> retailer.truth["programs"]["rollout"]["waves"]["Metropolitana"] is None
True
"""

from __future__ import annotations

from relmark_lab.datasets.synthetic._common import (
    BGNBD_TRUTH,
    CATEGORY_MARGIN_RATES,
    COMPLAINT_RECOVERY_TRUTH,
    CONNECTORS_TRUTH,
    DEFAULT_N_CUSTOMERS,
    DEFAULT_SEED,
    DROPOUT_LINK,
    FOLLOW_UP_TRUTH,
    GAMMA_GAMMA_TRUTH,
    OBSERVATION_END,
    OBSERVATION_START,
    PILOT_TRUTH,
    SIGNUP_END,
    STORES_TRUTH,
    VALUE_DRIVERS_TRUTH,
)
from relmark_lab.datasets.synthetic.files import write_datasets
from relmark_lab.datasets.synthetic.raw_export import LEDGER_REASONS, RAW_HEADER
from relmark_lab.datasets.synthetic.retailer import SyntheticRetailer, simulate
from relmark_lab.identify import VOC_CHANNELS  # the seven tools of the course notes

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
    "LEDGER_REASONS",
    "OBSERVATION_END",
    "OBSERVATION_START",
    "PILOT_TRUTH",
    "RAW_HEADER",
    "SIGNUP_END",
    "STORES_TRUTH",
    "VALUE_DRIVERS_TRUTH",
    "VOC_CHANNELS",
    "SyntheticRetailer",
    "simulate",
    "write_datasets",
]
