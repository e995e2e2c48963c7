"""Customer equity (capital basado en los clientes): the value of today's and future customers.

Lesson 05's stage, one file per idea as :mod:`relmark_lab.clv` has one per
model. So far: :mod:`.acquisition`, what one customer is worth when
acquired (discrete and continuous forms, in explicit period units), and
:mod:`.growth`, the logistic S-curve of cumulative customers that Gupta,
Lehmann & Stuart (2004) use for the customers still to come, and
:mod:`.base`, customer equity: today's customers plus the future cohorts.

Examples
--------
>>> from relmark_lab import equity
>>> growth = equity.LogisticGrowth()
>>> round(float(growth.curve(0.0, alpha=100.0, beta=0.0, gamma=1.0)), 1)
50.0
"""

from __future__ import annotations

from relmark_lab.equity.acquisition import PeriodTerms, customer_value, per_period
from relmark_lab.equity.base import CustomerEquity, customer_equity
from relmark_lab.equity.growth import LogisticGrowth

__all__ = [
    "CustomerEquity",
    "LogisticGrowth",
    "PeriodTerms",
    "customer_equity",
    "customer_value",
    "per_period",
]
