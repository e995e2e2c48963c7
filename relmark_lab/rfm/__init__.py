"""RFM analysis: scores, named segments, migration, clusters and targeting.

Recency, frequency and monetary value (*fecha de la última compra,
frecuencia, monto*) are the three ways the course notes differentiate
customers. This package turns transactions into one row per customer with
the three measures and their 1–5 scores, names segments from a rule table
the user can replace, follows customers between segments over time, finds
micro-segments with k-means, and picks the cells worth contacting with
Hughes' test-then-rollout rule. One file per section of lesson 03:

========================  ================================================
``rfm.table``             :func:`rfm_table`, :func:`score_ntile`
``rfm.segments``          :func:`default_segment_rules`,
                          :func:`assign_segments`, :func:`segment_summary`
``rfm.migration``         :func:`migration_matrix`
``rfm.clusters``          :func:`log_rfm_features`, :class:`RFMKMeans`,
                          :func:`choose_k`, :func:`cluster_segment_crosstab`
``rfm.targeting``         :func:`break_even_rate`, :func:`simulate_responses`,
                          :func:`test_then_rollout`
========================  ================================================

Conventions of the whole package:

* Lines become orders and purchases by the kit's one rule
  (:mod:`relmark_lab._orders`, docs/contract.md): the lines sharing an
  ``order_id`` are one order, a customer's id-less purchase lines of a day
  another (their id-less returns of that day a third); a return nets
  against its own order, or without the order's id cancels that day's
  purchases up to what was bought; a *purchase order* is an order with a
  positive amount, or a free one, on a *purchase day* (a day left with a
  positive net, or with a free order: a visit). Frequency counts purchase
  orders; revenue is net revenue (every observed line).
* ``observation_end`` is required and its whole day counts; lines dated
  later are left out and counted in ``attrs["lines_after_observation_end"]``.
* ``recency_days`` is the number of whole calendar days between the last
  purchase day and the observation end (0 = bought on the last day). It is
  *not* the ``recency`` of lifetimes and PyMC-Marketing (time between the
  first and the last purchase), hence the different name.
* Tables have ``customer_id`` as a text column, sorted, so they merge with
  every other stage's tables. Customers with lines but no purchase order
  (returns only) are not rows; they are counted in
  ``attrs["customers_without_purchases"]``.
* Every score runs from 1 to ``bins`` and a higher score is always better:
  the most recent, most frequent and highest-spending customers get
  ``bins``.

Examples
--------
>>> import relmark_lab as rl
>>> from relmark_lab import rfm
>>> table = rfm.rfm_table(rl.datasets.load_transactions(), "2025-12-31")
>>> segments = rfm.assign_segments(table)
>>> int(rfm.segment_summary(segments)["customers"].sum())
5000
"""

from relmark_lab.rfm.clusters import RFMKMeans, choose_k, cluster_segment_crosstab, log_rfm_features
from relmark_lab.rfm.migration import GONE, NEW, migration_matrix
from relmark_lab.rfm.segments import (
    MISSING,
    OTHERS,
    assign_segments,
    default_segment_rules,
    segment_summary,
)
from relmark_lab.rfm.table import rfm_table, score_ntile
from relmark_lab.rfm.targeting import (
    TargetingResult,
    break_even_rate,
    simulate_responses,
    test_then_rollout,
)

__all__ = [
    "GONE",
    "MISSING",
    "NEW",
    "OTHERS",
    "RFMKMeans",
    "TargetingResult",
    "assign_segments",
    "break_even_rate",
    "choose_k",
    "cluster_segment_crosstab",
    "default_segment_rules",
    "log_rfm_features",
    "migration_matrix",
    "rfm_table",
    "score_ntile",
    "segment_summary",
    "simulate_responses",
    "test_then_rollout",
]
