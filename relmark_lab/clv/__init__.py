"""Customer lifetime value: summaries, probability models, predictions, checks.

The path through this subpackage::

    transactions --summarize--> frequency, recency, T, monetary_value
        --fit--> BetaGeoNBD | ParetoNBD (purchases), GammaGamma (spend)
        --> expected_purchases, expected_probability_alive, customer_lifetime_value
        --> frequency_histogram, tracking_repeat_purchases, calibration_vs_holdout

plus the contractual sBG model (:class:`ShiftedBetaGeometric`), the
discrete-time BG/BB model (:class:`BetaGeoBetaBinomial`), the simple
margin-multiple arithmetic (:mod:`relmark_lab.clv.simple`) and the cohort
tables (:mod:`relmark_lab.clv.cohorts`).
One file per model, each stating the model, its assumptions, its
likelihood and the paper it comes from. Every estimator is a scikit-learn
estimator fitted on the distinct data patterns with weights, which is why
a million customers fit in about a second, and records the time unit of
its data in ``time_unit_``, which predictions and
:func:`customer_lifetime_value` use. When the data cannot keep a parameter
from 0 or infinity (a calibration period in which almost nobody leaves),
the fit is kept and a :class:`BoundaryWarning` says which parameter, what it
means and what to try (e.g. ``penalizer=0.001``).

Lines become purchase days by the kit's one rule for orders and returns
(:mod:`relmark_lab._orders`); time units are those of :mod:`relmark_lab.units`.

Examples
--------
>>> import relmark_lab as rl
>>> from relmark_lab import clv
>>> data = clv.summarize(rl.datasets.load_cdnow(), "1997-09-30", time_unit="W")
>>> int((data["frequency"] > 0).sum()), int(data["frequency"].sum())
(946, 2457)
>>> clv.BetaGeoNBD().fit(data).time_unit_
'W'
"""

from __future__ import annotations

from relmark_lab.clv._base import BoundaryWarning, ConvergenceError
from relmark_lab.clv.beta_geo import BetaGeoNBD
from relmark_lab.clv.beta_geo_beta_binom import BetaGeoBetaBinomial
from relmark_lab.clv.cohorts import cohort_retention_table, layer_cake
from relmark_lab.clv.gamma_gamma import GammaGamma
from relmark_lab.clv.lifetime_value import customer_lifetime_value, period_discount_rate
from relmark_lab.clv.pareto_nbd import ParetoNBD
from relmark_lab.clv.shifted_beta_geo import ShiftedBetaGeometric
from relmark_lab.clv.simple import margin_multiple, retention_clv, retention_clv_schedule
from relmark_lab.clv.summary import summarize
from relmark_lab.clv.validation import (
    calibration_vs_holdout,
    frequency_histogram,
    tracking_repeat_purchases,
)

__all__ = [
    "BetaGeoBetaBinomial",
    "BetaGeoNBD",
    "BoundaryWarning",
    "ConvergenceError",
    "GammaGamma",
    "ParetoNBD",
    "ShiftedBetaGeometric",
    "calibration_vs_holdout",
    "cohort_retention_table",
    "customer_lifetime_value",
    "frequency_histogram",
    "layer_cake",
    "margin_multiple",
    "period_discount_rate",
    "retention_clv",
    "retention_clv_schedule",
    "summarize",
    "tracking_repeat_purchases",
]
