"""Customer equity: the value of today's customers plus the customers still to come.

Gupta, Lehmann & Stuart (2004, equation 8) value a firm's customer base as

* the customers it has now, each worth their future margins
  (:func:`~relmark_lab.equity.acquisition.customer_value`, continuous form,
  no acquisition cost: that was paid), plus
* every future cohort: new customers arriving at the rate ``n_t`` of the
  fitted S-curve (:class:`~relmark_lab.equity.growth.LogisticGrowth`), each
  worth their margins minus what acquiring them costs, discounted from the
  period they arrive back to today with ``exp(-i (t - now))``,

all after tax. Every rate is per period of the S-curve's ``time_unit_``
(GLS: quarters, 3% a quarter for 12% a year).

Examples
--------
>>> from relmark_lab.equity import LogisticGrowth
>>> growth = LogisticGrowth()
>>> growth.params_, growth.time_unit_ = {"alpha": 67.045, "beta": -4.114, "gamma": 0.265}, "Q"
>>> amazon = customer_equity(33.8, 3.87, 0.70 ** 0.25, 0.03, growth=growth, now=20,
...                          acquisition_cost=7.70, tax_rate=0.38)  # GLS 2004, in $ millions
>>> round(amazon.total / 1000, 2)  # $ billions; GLS Table 4 reports 0.82
0.84
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import integrate

from relmark_lab.clv._base import require_model
from relmark_lab.clv._inputs import require_values
from relmark_lab.equity.acquisition import customer_value
from relmark_lab.equity.growth import LogisticGrowth
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["CustomerEquity", "customer_equity"]


@dataclass(frozen=True)
class CustomerEquity:
    """Customer equity split into today's customers and future cohorts (after tax).

    Attributes
    ----------
    current : float
        Value of the customers the firm has now.
    future : float
        Value of the customers still to come, net of their acquisition cost.
    per_customer : float
        Value of one customer from acquisition on, before acquisition cost.
    time_unit : str
        The period unit every rate was given in.
    """

    current: float
    future: float
    per_customer: float
    time_unit: str

    @property
    def total(self) -> float:
        """Customer equity: ``current + future``."""
        return self.current + self.future


def customer_equity(
    customers_now: float,
    margin: float,
    retention_rate: float,
    discount_rate: float,
    *,
    growth: LogisticGrowth,
    now: float,
    acquisition_cost: float = 0.0,
    tax_rate: float = 0.0,
) -> CustomerEquity:
    """Value of the current customers and of the future cohorts of a fitted S-curve.

    Parameters
    ----------
    customers_now : float
        Customers today (in the unit the S-curve counts them in).
    margin, retention_rate, discount_rate : float
        Per period of ``growth.time_unit_``.
    growth : LogisticGrowth
        A fitted S-curve of cumulative customers.
    now : float
        Today, in the S-curve's periods (GLS: quarters since the data start).
    acquisition_cost : float, default 0
        Per future customer.
    tax_rate : float, default 0
        Share of value paid in tax (GLS: 0.38).

    Returns
    -------
    CustomerEquity

    Raises
    ------
    DataError
        For a ``growth`` that is not a fitted LogisticGrowth, or a number out
        of range.
    """
    require_model(growth, (LogisticGrowth,), "growth")
    params = growth.params_
    customers_now = float(require_values("customers_now", customers_now, low=0))
    cost = float(require_values("acquisition_cost", acquisition_cost, low=0))
    tax = float(require_values("tax_rate", tax_rate, low=0, high=1))
    i = float(require_values("discount_rate", discount_rate, low=0, low_open=True))
    now = float(require_values("now", now))
    if not params["gamma"] > 0:
        raise DataError(_("growth: the S-curve's gamma must be above 0 for customers to "
                          "arrive."))
    value = customer_value(margin, retention_rate, i, form="continuous")

    def arriving(t: float) -> float:  # new customers at t, worth value - cost, discounted to now
        return float(growth.new_customers(t)) * np.exp(-i * (t - now))

    future_customers, _error_estimate = integrate.quad(arriving, now, np.inf, limit=200)
    keep = 1 - tax
    return CustomerEquity(
        current=keep * customers_now * value,
        future=keep * future_customers * (value - cost),
        per_customer=value,
        time_unit=growth.time_unit_,
    )
