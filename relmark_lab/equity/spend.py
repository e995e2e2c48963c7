"""Where to spend: acquisition or retention, by Blattberg & Deighton's customer equity test (1996).

Spending buys rates with diminishing returns. Blattberg & Deighton model
both with a ceiling ``CR`` the rate never passes and a speed ``k``:

.. math:: a(A) = CR_a (1 - e^{-k_a A}), \\qquad r(R) = CR_r (1 - e^{-k_r R}),

with ``A`` the acquisition spend per prospect and ``R`` the retention spend
per customer per period (:class:`ResponseCurve`; one observed point and a
ceiling give ``k = -ln(1 - rate / CR) / spend``). A prospect is then worth

.. math:: CE = a \\Big[ M + \\big(M - \\tfrac{R}{r}\\big) \\frac{r}{1+d-r} \\Big] - A,

the bracket ``V`` being what an acquired customer is worth: the margin now,
then each period the margin of those kept less the retention spend on those
there, discounted (:func:`equity_per_prospect`). :func:`optimal_spend` picks
``R`` to maximise ``V`` and then ``A`` from ``dCE/dA = a'(A) V - 1 = 0``.
Pfeifer (2005): at that optimum the marginal cost of acquiring a customer,
``1 / a'(A)``, and of retaining one, ``1 / r'(R)``, both equal ``V``.

Every quantity is per period of one unit (``time_unit``, a year by
default): margin and retention spend per customer per period, retention
and discount rates per period; the acquisition spend is per prospect, once.

Examples
--------
>>> acquisition = ResponseCurve.from_point(1.0, 0.04, ceiling=0.10)  # $1 a prospect -> 4%
>>> retention = ResponseCurve.from_point(8.0, 0.60, ceiling=0.80)  # $8 a customer -> 60%
>>> round(equity_per_prospect(1.0, 8.0, acquisition=acquisition, retention=retention,
...                           margin=50.0, discount_rate=0.10), 2)
2.76
>>> plan = optimal_spend(acquisition=acquisition, retention=retention, margin=50.0,
...                      discount_rate=0.10)
>>> round(plan.acquisition_spend, 2), round(plan.retention_spend, 2)
(3.4, 15.8)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from relmark_lab import units
from relmark_lab._validate import require_number, require_whole_number
from relmark_lab.clv._inputs import broadcast, require_values
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = [
    "BudgetSplit",
    "ResponseCurve",
    "SpendPlan",
    "best_split",
    "equity_per_prospect",
    "optimal_spend",
    "split_equity",
]

#: Grid points searched before the bounded optimiser refines the best one.
_SEARCH_POINTS = 201


def _number_or_array(values: np.ndarray) -> float | np.ndarray:
    return values if np.ndim(values) else float(values)


@dataclass(frozen=True)
class ResponseCurve:
    """A rate bought by spending, ``ceiling * (1 - exp(-k * spend))``.

    ``ceiling`` is the rate no spending passes, in (0, 1]; ``k`` the speed
    of response per unit of money, above 0 (DataError otherwise).

    Examples
    --------
    >>> curve = ResponseCurve.from_point(8.0, 0.60, ceiling=0.80)
    >>> round(curve.k, 4), round(curve.rate(8.0), 2), round(curve.spend_for(0.60), 2)
    (0.1733, 0.6, 8.0)
    """

    ceiling: float
    k: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "ceiling", require_number(
            "ceiling", self.ceiling, low=0, low_open=True, high=1))
        object.__setattr__(self, "k", require_number("k", self.k, low=0, low_open=True))

    @classmethod
    def from_point(cls, spend: float, rate: float, ceiling: float) -> ResponseCurve:
        """The curve through one observed point: ``k = -ln(1 - rate / ceiling) / spend``.

        DataError if ``spend`` is not above 0, ``ceiling`` is outside (0, 1],
        or ``rate`` is not above 0 and below ``ceiling``.

        Examples
        --------
        >>> round(ResponseCurve.from_point(1.0, 0.04, ceiling=0.10).k, 4)
        0.5108
        """
        spend = require_number("spend", spend, low=0, low_open=True)
        ceiling = require_number("ceiling", ceiling, low=0, low_open=True, high=1)
        rate = require_number("rate", rate, low=0, low_open=True)
        if rate >= ceiling:
            raise DataError(_("rate must be below the ceiling it approaches ({ceiling:g}), got "
                              "{rate:g}: no spending reaches the ceiling.").format(
                                  ceiling=ceiling, rate=rate))
        return cls(ceiling=ceiling, k=-np.log1p(-rate / ceiling) / spend)

    def rate(self, spend: float | np.ndarray) -> float | np.ndarray:
        """The rate bought by ``spend`` (each at least 0)."""
        spend = require_values("spend", spend, low=0)
        return _number_or_array(-self.ceiling * np.expm1(-self.k * spend))

    def spend_for(self, rate: float | np.ndarray) -> float | np.ndarray:
        """The spend that buys ``rate`` (from 0 to below the ceiling): the inverse of :meth:`rate`.

        Examples
        --------
        >>> ResponseCurve(ceiling=0.5, k=1.0).spend_for(0.5)
        Traceback (most recent call last):
        ...
        relmark_lab.errors.DataError: rate must be below the ceiling (0.5) for a finite spend; \
1 of 1 are not, e.g. 0.5.
        """
        rate = np.asarray(require_values("rate", rate, low=0), dtype=float)
        above = rate >= self.ceiling
        if above.any():
            raise DataError(_("rate must be below the ceiling ({ceiling:g}) for a finite spend; "
                              "{count} of {size} are not, e.g. {example:g}.").format(
                                  ceiling=self.ceiling, count=int(above.sum()), size=rate.size,
                                  example=rate[above].flat[0]))
        return _number_or_array(-np.log1p(-rate / self.ceiling) / self.k)

    def marginal(self, spend: float | np.ndarray) -> float | np.ndarray:
        """The derivative ``d rate / d spend = ceiling * k * exp(-k * spend)``."""
        spend = require_values("spend", spend, low=0)
        return _number_or_array(self.ceiling * self.k * np.exp(-self.k * spend))


def _checked(acquisition: object, retention: object, margin: float,
             discount_rate: float) -> tuple[float, float]:
    for name, curve in (("acquisition", acquisition), ("retention", retention)):
        if not isinstance(curve, ResponseCurve):
            raise DataError(_("{name} must be a ResponseCurve, e.g. ResponseCurve.from_point("
                              "spend, rate, ceiling), got {got}.").format(
                                  name=name, got=type(curve).__name__))
    return (require_number("margin", margin, low=0),
            require_number("discount_rate", discount_rate, low=0, low_open=True))


def _customer_value(retention_spend: np.ndarray, retention: ResponseCurve, margin: float,
                    discount_rate: float) -> np.ndarray:
    """The bracket V = M + (M r - R) / (1 + d - r); (M - R/r) r written so that r may be 0."""
    r = retention.rate(retention_spend)
    return margin + (margin * r - retention_spend) / (1 + discount_rate - r)


def equity_per_prospect(acquisition_spend: float | np.ndarray,
                        retention_spend: float | np.ndarray, *, acquisition: ResponseCurve,
                        retention: ResponseCurve, margin: float,
                        discount_rate: float) -> float | np.ndarray:
    """Customer equity per prospect, ``a [M + (M - R/r) r / (1 + d - r)] - A``.

    Parameters
    ----------
    acquisition_spend, retention_spend : float or array
        ``A``, spent once per prospect, and ``R``, per customer per period
        (at least 0); broadcast together: ``A[:, None]`` and ``R[None, :]``
        give a surface.
    acquisition, retention : ResponseCurve
        What ``A`` buys (the acquisition rate) and ``R`` buys (the retention
        rate per period).
    margin, discount_rate : float
        ``M`` per customer per period (at least 0), ``d`` per period (above 0).

    Returns
    -------
    float or numpy.ndarray
        Money per prospect. DataError for a curve that is not a
        ResponseCurve, a negative spend or margin, a discount rate not above
        0, or arrays that do not broadcast.

    Examples
    --------
    >>> acquisition, retention = ResponseCurve(0.10, 0.5), ResponseCurve(0.80, 0.17)
    >>> equity_per_prospect(np.array([[0.0], [1.0]]), np.array([0.0, 8.0]),
    ...                     acquisition=acquisition, retention=retention,
    ...                     margin=50.0, discount_rate=0.10).round(2)
    array([[0.  , 0.  ],
           [0.97, 2.66]])
    """
    margin, discount_rate = _checked(acquisition, retention, margin, discount_rate)
    spend_a, spend_r = broadcast(
        acquisition_spend=require_values("acquisition_spend", acquisition_spend, low=0),
        retention_spend=require_values("retention_spend", retention_spend, low=0))
    value = _customer_value(spend_r, retention, margin, discount_rate)
    return _number_or_array(acquisition.rate(spend_a) * value - spend_a)


@dataclass(frozen=True)
class SpendPlan:
    """The spends that maximise customer equity per prospect, and what they buy.

    ``acquisition_spend`` ``A*`` per prospect (0 when acquiring does not
    pay), ``retention_spend`` ``R*`` per customer per period, the rates they
    buy, ``customer_value`` (``V``, the bracket at ``R*``),
    ``equity_per_prospect`` (``a(A*) V - A*``), ``marginal_cost_of_a_customer``
    (``1 / a'(A*)``, the spend per extra customer acquired: ``V`` at an inner
    optimum, Pfeifer 2005), ``marginal_cost_of_retaining`` (``1 / r'(R*)``,
    the spend per extra customer kept: ``V`` too) and the ``time_unit`` of
    every per-period quantity.
    """

    acquisition_spend: float
    retention_spend: float
    acquisition_rate: float
    retention_rate: float
    customer_value: float
    equity_per_prospect: float
    marginal_cost_of_a_customer: float
    marginal_cost_of_retaining: float
    time_unit: str


def _maximise(function: Callable[[np.ndarray], np.ndarray], grid: np.ndarray) -> float:
    """The point of ``grid`` where ``function`` is largest, refined between its neighbours.

    The grid guards against a local maximum; the bounded search
    (:func:`scipy.optimize.minimize_scalar`) gives the digits.
    """
    values = function(grid)
    best = int(np.argmax(values))
    low, high = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    found = optimize.minimize_scalar(lambda x: -float(function(np.asarray(x))),
                                     bounds=(low, high), method="bounded",
                                     options={"xatol": 1e-10 * max(abs(high), 1.0)})
    return float(found.x) if -found.fun >= values[best] else float(grid[best])


def optimal_spend(*, acquisition: ResponseCurve, retention: ResponseCurve, margin: float,
                  discount_rate: float, time_unit: str = "Y") -> SpendPlan:
    """The acquisition and retention spends that maximise customer equity per prospect.

    ``R*`` maximises ``V`` numerically (:func:`scipy.optimize.minimize_scalar`,
    bounded); then ``A* = ln(CR_a k_a V) / k_a`` from ``a'(A) V = 1``, or 0
    when that is negative (the first dollar already buys less than ``V``).

    The arguments are those of :func:`equity_per_prospect`, and
    ``time_unit`` (default ``"Y"``) the period they are per, recorded on the
    plan.

    Returns
    -------
    SpendPlan

    Examples
    --------
    >>> plan = optimal_spend(acquisition=ResponseCurve(0.10, 0.5108), margin=50.0,
    ...                      retention=ResponseCurve(0.80, 0.1733), discount_rate=0.10)
    >>> round(plan.customer_value, 1), round(plan.marginal_cost_of_a_customer, 1)
    (111.4, 111.4)
    """
    margin, discount_rate = _checked(acquisition, retention, margin, discount_rate)
    units.check_unit(time_unit)
    # Past M * CR_r the spend exceeds any margin it keeps, so V < M = V(0): search below.
    top = margin * retention.ceiling
    spend_r = 0.0 if top == 0 else _maximise(
        lambda spend: _customer_value(spend, retention, margin, discount_rate),
        np.linspace(0.0, top, _SEARCH_POINTS))
    value = float(_customer_value(spend_r, retention, margin, discount_rate))
    at_zero = acquisition.ceiling * acquisition.k * value  # a'(0) V: does the first dollar pay?
    spend_a = float(np.log(at_zero) / acquisition.k) if at_zero > 1 else 0.0
    rate_a = acquisition.rate(spend_a)
    return SpendPlan(
        acquisition_spend=spend_a, retention_spend=spend_r, acquisition_rate=rate_a,
        retention_rate=retention.rate(spend_r), customer_value=value,
        equity_per_prospect=rate_a * value - spend_a,
        marginal_cost_of_a_customer=1 / acquisition.marginal(spend_a),
        marginal_cost_of_retaining=1 / retention.marginal(spend_r), time_unit=time_unit)


def _split_parts(share: np.ndarray, budget: float, prospects: float, customers: float,
                 acquisition: ResponseCurve, retention: ResponseCurve, margin: float,
                 discount_rate: float) -> dict[str, np.ndarray]:
    spend_a, spend_r = share * budget / prospects, (1 - share) * budget / customers
    value = _customer_value(spend_r, retention, margin, discount_rate)
    rate_a = acquisition.rate(spend_a)
    new = prospects * (rate_a * value - spend_a)
    current = customers * (value - margin)  # the tail: their first margin is banked already
    return {"acquisition_share": share, "acquisition_spend": spend_a,
            "retention_spend": spend_r, "acquisition_rate": rate_a,
            "retention_rate": retention.rate(spend_r), "new_customers_equity": new,
            "current_customers_equity": current, "equity": new + current}


def _split_inputs(budget: float, prospects: float, customers: float, acquisition: object,
                  retention: object, margin: float, discount_rate: float) -> tuple:
    margin, discount_rate = _checked(acquisition, retention, margin, discount_rate)
    return (require_number("budget", budget, low=0),
            require_number("prospects", prospects, low=0, low_open=True),
            require_number("customers", customers, low=0, low_open=True),
            acquisition, retention, margin, discount_rate)


def split_equity(acquisition_share: float | np.ndarray, budget: float, *, prospects: float,
                 customers: float, acquisition: ResponseCurve, retention: ResponseCurve,
                 margin: float, discount_rate: float) -> float | np.ndarray:
    """Total customer equity when a share of a period's budget goes to acquisition.

    The share ``s`` buys ``A = s B / prospects`` per prospect and the rest
    ``R = (1 - s) B / customers`` per current customer. Equity is

    * the prospects: ``prospects * CE(A, R)`` (:func:`equity_per_prospect`),
      with the new customers kept at the same ``R`` in later periods, plus
    * the current customers: ``customers * (M r - R) / (1 + d - r)``, the
      bracket without its first margin (already earned: they are valued
      from the next period on). Its first ``R`` is this period's retention
      budget, counted, like the margins it keeps, at the period's end.

    Parameters
    ----------
    acquisition_share : float or array
        From 0 (all to retention) to 1 (all to acquisition).
    budget : float
        Money to spend this period (at least 0).
    prospects, customers : float
        Prospects reachable and customers now (above 0).
    acquisition, retention, margin, discount_rate
        As in :func:`equity_per_prospect` (per period).

    Returns
    -------
    float or numpy.ndarray
        Money; DataError for any input out of range.

    Examples
    --------
    >>> curves = {"acquisition": ResponseCurve(0.10, 0.5108),
    ...           "retention": ResponseCurve(0.80, 0.1733)}
    >>> split_equity([0.0, 0.2], 100_000.0, prospects=50_000, customers=5_000, margin=50.0,
    ...              discount_rate=0.10, **curves).round(-2)
    array([288500., 390100.])
    """
    args = _split_inputs(budget, prospects, customers, acquisition, retention, margin,
                         discount_rate)
    share = require_values("acquisition_share", acquisition_share, low=0, high=1)
    return _number_or_array(_split_parts(np.asarray(share, dtype=float), *args)["equity"])


@dataclass(frozen=True)
class BudgetSplit:
    """The best split of a budget and the equity of every split tried.

    ``acquisition_share`` (of the budget) maximising equity, the
    ``acquisition_spend`` per prospect and ``retention_spend`` per customer
    it gives, the ``equity`` there (:func:`split_equity`), the ``table`` of
    every share scored (``acquisition_share``, ``acquisition_spend``,
    ``retention_spend``, ``acquisition_rate``, ``retention_rate``,
    ``new_customers_equity``, ``current_customers_equity``, ``equity``) and
    the ``time_unit`` of the budget.
    """

    acquisition_share: float
    acquisition_spend: float
    retention_spend: float
    equity: float
    table: pd.DataFrame
    time_unit: str


def best_split(budget: float, *, prospects: float, customers: float,
               acquisition: ResponseCurve, retention: ResponseCurve, margin: float,
               discount_rate: float, grid: int = 101, time_unit: str = "Y") -> BudgetSplit:
    """The share of a period's budget for acquisition that maximises total equity.

    Scores ``grid`` evenly spaced shares from 0 to 1 with
    :func:`split_equity` (the arguments are its own), then refines the
    best one with a bounded search between its neighbours. ``grid`` (at
    least 3; 101 is every 1%) sets the table's rows; ``time_unit`` (default
    ``"Y"``) is the period of the budget and every per-period quantity.

    Returns
    -------
    BudgetSplit

    Examples
    --------
    >>> split = best_split(100_000.0, prospects=50_000, customers=5_000, margin=50.0,
    ...                    discount_rate=0.10, acquisition=ResponseCurve(0.10, 0.5108),
    ...                    retention=ResponseCurve(0.80, 0.1733))
    >>> round(split.acquisition_share, 3), len(split.table)
    (0.39, 101)
    """
    args = _split_inputs(budget, prospects, customers, acquisition, retention, margin,
                         discount_rate)
    points = require_whole_number("grid", grid, low=3)
    units.check_unit(time_unit)
    shares = np.linspace(0.0, 1.0, points)
    share = _maximise(lambda s: _split_parts(s, *args)["equity"], shares)
    parts = _split_parts(np.asarray(share), *args)
    table = pd.DataFrame(_split_parts(shares, *args))
    return BudgetSplit(acquisition_share=share, acquisition_spend=float(parts["acquisition_spend"]),
                       retention_spend=float(parts["retention_spend"]),
                       equity=float(parts["equity"]), table=table, time_unit=time_unit)
