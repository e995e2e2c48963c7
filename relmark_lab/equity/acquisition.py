"""What one customer is worth when acquired: margin, retention, discounting, acquisition cost.

Gupta, Lehmann & Stuart (2004) value a customer acquired today as the
margins they bring while they stay, discounted, minus what acquiring them
cost. With margin ``m`` per period, retention ``r`` and discount rate ``i``
per period, the **discrete** form sums period by period (margins at the end
of each period),

.. math:: V = \\sum_{t=1}^{T} m \\frac{r^t}{(1+i)^t} - c
          \\;\\xrightarrow{T\\to\\infty}\\; m \\frac{r}{1+i-r} - c,

which is :func:`relmark_lab.clv.retention_clv`; the **continuous** form
(their equation 8) replaces ``r^t / (1+i)^t`` by ``exp(-k t)`` with
``k = (1+i-r)/r``, so that

.. math:: V = m \\frac{1 - e^{-kT}}{k} - c
          \\;\\xrightarrow{T\\to\\infty}\\; m \\frac{r}{1+i-r} - c.

Both forms take every quantity **per period of one unit**. Data usually
come in mixed units (GLS: quarterly margins, annual retention, an annual
discount rate), so :func:`per_period` converts them first: a margin scales
with the length of the period, a retention rate compounds
(``r_Q = r_Y ** (1/4)``) and so does a discount rate
(``(1 + i_Y) ** (1/4) - 1``).

Examples
--------
>>> round(customer_value(100, 0.8, 0.12), 2)  # GLS footnote 2: $100 a year, 80%, 12%
250.0
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np

from relmark_lab import units
from relmark_lab._validate import require_whole_number
from relmark_lab.clv import retention_clv
from relmark_lab.clv._inputs import broadcast, require_values
from relmark_lab.clv.simple import _rates
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["PeriodTerms", "customer_value", "per_period"]

Form = Literal["discrete", "continuous"]


class PeriodTerms(NamedTuple):
    """A customer's margin, retention and discount rate per period of ``time_unit``."""

    margin: float
    retention_rate: float
    discount_rate: float
    time_unit: str


def per_period(margin: float, retention_rate: float, discount_rate: float, *,
               from_unit: str, to_unit: str, margin_unit: str | None = None) -> PeriodTerms:
    """Express margin, retention and discount rate per period of ``to_unit``.

    Parameters
    ----------
    margin : float
        Margin per period of ``margin_unit`` (default ``from_unit``).
    retention_rate, discount_rate : float
        Rates per period of ``from_unit``.
    from_unit, to_unit : str
        Units of :mod:`relmark_lab.units` (``D``, ``W``, ``M``, ``Q``, ``Y``).
    margin_unit : str, optional
        The margin's own unit when it differs (GLS: quarterly margins,
        annual rates).

    Returns
    -------
    PeriodTerms

    Examples
    --------
    >>> terms = per_period(3.87, 0.70, 0.12, from_unit="Y", to_unit="Q", margin_unit="Q")
    >>> round(terms.retention_rate, 4), round(terms.discount_rate, 4), terms.margin
    (0.9147, 0.0287, 3.87)
    """
    for unit in (from_unit, to_unit, margin_unit or from_unit):
        units.check_unit(unit)
    r = float(require_values("retention_rate", retention_rate, low=0, high=1))
    share = units.days_per_unit(to_unit) / units.days_per_unit(from_unit)
    per_margin = units.days_per_unit(to_unit) / units.days_per_unit(margin_unit or from_unit)
    return PeriodTerms(
        margin=float(require_values("margin", margin)) * per_margin,
        retention_rate=r ** share,
        discount_rate=units.convert_rate(discount_rate, from_unit, to_unit),
        time_unit=to_unit,
    )


def customer_value(
    margin: float | np.ndarray,
    retention_rate: float | np.ndarray,
    discount_rate: float | np.ndarray,
    *,
    horizon: float | None = None,
    acquisition_cost: float | np.ndarray = 0.0,
    form: Form = "discrete",
) -> float | np.ndarray:
    """Value of a customer at acquisition, in the discrete or GLS's continuous form.

    Parameters
    ----------
    margin, retention_rate, discount_rate : float or array
        Per period of one unit (see :func:`per_period`); margins at the end
        of each period.
    horizon : float, optional
        Periods counted; None for an infinite horizon. The discrete form
        needs a whole number.
    acquisition_cost : float or array, default 0
        Paid now, at least 0.
    form : {"discrete", "continuous"}, default "discrete"
        The period-by-period sum, or GLS's equation 8.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    DataError
        For a rate out of range, a negative cost, an unknown form, or a
        horizon that is not a usable number.

    Examples
    --------
    >>> round(customer_value(100, 1.0, 0.12, horizon=5), 2)  # "an 80% retention is a 5-year life"
    360.48
    >>> round(customer_value(100, 0.8, 0.12, horizon=5, form="continuous"), 2)
    216.17
    """
    if form == "discrete":
        if horizon is not None:
            horizon = require_whole_number("horizon", horizon, low=0)
        return retention_clv(margin, retention_rate, discount_rate, horizon=horizon,
                             acquisition_cost=acquisition_cost)
    if form != "continuous":
        raise DataError(_("form must be 'discrete' or 'continuous', got {form!r}.").format(
            form=form))
    r, i = _rates(retention_rate, discount_rate)  # the same checks as the discrete form
    margin, r, i, cost = broadcast(
        margin=require_values("margin", margin), retention_rate=r, discount_rate=i,
        acquisition_cost=require_values("acquisition_cost", acquisition_cost, low=0))
    if np.any(r == 0):  # nobody stays: no margin after today
        raise DataError(_("retention_rate must be above 0 in the continuous form, where the "
                          "decay rate (1 + i - r) / r would be infinite."))
    decay = (1 + i - r) / r
    if np.any(decay <= 0):
        raise DataError(_("the continuous form needs 1 + discount_rate > retention_rate: "
                          "otherwise the value grows without bound."))
    if horizon is None:
        multiple = 1 / decay
    else:
        horizon = float(require_values("horizon", horizon, low=0))
        multiple = -np.expm1(-decay * horizon) / decay
    value = margin * multiple - cost
    return value if np.ndim(value) else float(value)
