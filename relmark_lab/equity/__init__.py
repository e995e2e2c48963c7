"""Customer equity (capital basado en los clientes): the value of today's and future customers.

Lesson 05's stage, one file per idea as :mod:`relmark_lab.clv` has one per
model. So far: :mod:`.acquisition`, what one customer is worth when
acquired (discrete and continuous forms, in explicit period units), and
:mod:`.growth`, the logistic S-curve of cumulative customers that Gupta,
Lehmann & Stuart (2004) use for the customers still to come, and
:mod:`.base`, customer equity: today's customers plus the future cohorts.
:mod:`.change`, :mod:`.channels`, :mod:`.wallet`: change split, channels + payback, share of wallet.
:mod:`.drivers`: what moves equity (elasticities, GLS Table 5); :mod:`.published`: the GLS
firms; :mod:`.spend`: where to spend (Blattberg & Deighton's customer equity test).

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
from relmark_lab.equity.change import equity_change, value_at
from relmark_lab.equity.channels import PaybackResult, channel_value, payback_period
from relmark_lab.equity.cohorts import CohortEquity, cohort_table, future_cohorts
from relmark_lab.equity.connectors import CONNECTORS, connectors_long, profit_by_tenure
from relmark_lab.equity.current import (
    BootstrapEquity,
    bootstrap_equity,
    equity_at,
    expected_margins,
    new_customer_margins,
)
from relmark_lab.equity.drivers import (
    elasticities,
    equity_elasticities,
    margin_multiple_elasticities,
)
from relmark_lab.equity.growth import LogisticGrowth
from relmark_lab.equity.published import (
    GLS_FIRMS,
    GLSFirm,
    gls_customer_equity,
    gls_growth,
    gls_table,
    gls_table_5,
)
from relmark_lab.equity.spend import (
    BudgetSplit,
    ResponseCurve,
    SpendPlan,
    best_split,
    equity_per_prospect,
    optimal_spend,
    split_equity,
)
from relmark_lab.equity.wallet import share_of_wallet_gain

__all__ = [
    "CONNECTORS",
    "GLS_FIRMS",
    "BootstrapEquity",
    "BudgetSplit",
    "CohortEquity",
    "CustomerEquity",
    "GLSFirm",
    "LogisticGrowth",
    "PaybackResult",
    "PeriodTerms",
    "ResponseCurve",
    "SpendPlan",
    "best_split",
    "bootstrap_equity",
    "channel_value",
    "cohort_table",
    "connectors_long",
    "customer_equity",
    "customer_value",
    "elasticities",
    "equity_at",
    "equity_change",
    "equity_elasticities",
    "equity_per_prospect",
    "expected_margins",
    "future_cohorts",
    "new_customer_margins",
    "gls_customer_equity",
    "gls_growth",
    "gls_table",
    "gls_table_5",
    "margin_multiple_elasticities",
    "optimal_spend",
    "payback_period",
    "per_period",
    "profit_by_tenure",
    "share_of_wallet_gain",
    "split_equity",
    "value_at",
]
