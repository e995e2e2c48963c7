r"""Simple lifetime-value arithmetic: margin multiple, retention CLV, cohorts.

Before the probability models, the textbook formula (Gupta & Lehmann 2003,
"Customers as Assets", *Journal of Interactive Marketing* 17(1)): a
customer brings a margin :math:`m` per period, stays each period with
probability :math:`r` (the retention rate) and money is discounted at
:math:`d` per period. Summed over an infinite horizon,

.. math::

    CLV = m \sum_{t=1}^{\infty} \frac{r^t}{(1 + d)^t} = m \frac{r}{1 + d - r}
    \quad \text{(margins at the end of each period, the first one only if retained)}

    CLV = m \sum_{t=0}^{\infty} \frac{r^t}{(1 + d)^t} = m \frac{1 + d}{1 + d - r}
    \quad \text{(margins at the start, the first one now and certain)}.

The two differ by exactly one margin; :math:`r/(1 + d - r)` is the
*margin multiple*. Both assume the same retention rate for every customer
in every period; the sBG model (:mod:`relmark_lab.clv.shifted_beta_geo`)
shows why observed retention rates rise with tenure instead, and the
cohort tables (:mod:`relmark_lab.clv.cohorts`) show it on real data.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from relmark_lab._validate import require_choice, require_number, require_whole_number
from relmark_lab.clv._inputs import broadcast, require_values

__all__ = ["margin_multiple", "retention_clv", "retention_clv_schedule"]

Timing = Literal["end", "start"]


def _rates(retention_rate: float | np.ndarray,
           discount_rate: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The retention rate (0 to 1) and the discount rate (above -1) per period, checked."""
    r = require_values("retention_rate", retention_rate, low=0, high=1)
    d = require_values("discount_rate", discount_rate, low=-1, low_open=True)
    return tuple(broadcast(retention_rate=r, discount_rate=d))


def _check_timing(timing: str) -> None:
    require_choice("timing", timing, ("end", "start"))


def margin_multiple(
    retention_rate: float | np.ndarray,
    discount_rate: float | np.ndarray,
    timing: Timing = "end",
) -> float | np.ndarray:
    """How many per-period margins a customer is worth over an infinite horizon.

    Parameters
    ----------
    retention_rate : float or array
        Share of customers kept from one period to the next (0 to 1).
    discount_rate : float or array
        Discount rate per period (e.g. 0.10 a year for yearly margins).
    timing : {"end", "start"}, default "end"
        ``"end"``: margins arrive at the end of each period and the first
        one only if the customer is retained, ``r / (1 + d - r)``.
        ``"start"``: the first margin is now and certain,
        ``(1 + d) / (1 + d - r)``, one margin more.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    DataError
        If a rate is not finite or out of range (retention 0 to 1, discount
        above -1), the arrays do not broadcast, or ``timing`` is unknown.

    Examples
    --------
    >>> round(margin_multiple(0.8, 0.12), 3)
    2.5
    >>> round(margin_multiple(0.8, 0.12, timing="start"), 3)
    3.5
    """
    r, d = _rates(retention_rate, discount_rate)
    _check_timing(timing)
    numerator = r if timing == "end" else 1 + d
    value = numerator / (1 + d - r)
    return value if value.ndim else float(value)


def retention_clv_schedule(
    margin: float,
    retention_rate: float,
    discount_rate: float,
    horizon: int,
    acquisition_cost: float = 0.0,
    timing: Timing = "end",
) -> pd.DataFrame:
    """Period-by-period build-up of a retention-based CLV over a finite horizon.

    Parameters
    ----------
    margin : float
        Margin per period of a retained customer (net of retention costs).
    retention_rate : float
        Share of customers kept each period (0 to 1).
    discount_rate : float
        Discount rate per period (above -1).
    horizon : int
        Number of margins counted (periods 1..horizon for ``"end"``,
        0..horizon-1 for ``"start"``).
    acquisition_cost : float, default 0
        Paid once, now (at least 0); subtracted in ``cumulative_clv``.
    timing : {"end", "start"}, default "end"
        See :func:`margin_multiple`.

    Returns
    -------
    pandas.DataFrame
        Columns ``period``, ``survival`` (r^t), ``discount_factor``
        (1/(1+d)^t), ``expected_margin`` (margin x survival x discount
        factor) and ``cumulative_clv`` (running sum minus acquisition cost).

    Raises
    ------
    DataError
        If a number is not finite, a rate is out of range (retention 0 to 1,
        discount above -1), the acquisition cost is negative, arrays do not
        broadcast, or ``timing`` or ``horizon`` is not usable.

    Examples
    --------
    >>> retention_clv_schedule(100, 0.8, 0.1, 3)["cumulative_clv"].round(2).tolist()
    [72.73, 125.62, 164.09]
    """
    margin = require_number("margin", margin)
    retention_rate = require_number("retention_rate", retention_rate, low=0, high=1)
    discount_rate = require_number("discount_rate", discount_rate, low=-1, low_open=True)
    acquisition_cost = require_number("acquisition_cost", acquisition_cost, low=0)
    _check_timing(timing)
    horizon = require_whole_number("horizon", horizon, low=1)
    t = np.arange(1, horizon + 1) if timing == "end" else np.arange(horizon)
    survival = retention_rate ** t
    discount = 1 / (1 + discount_rate) ** t
    expected = margin * survival * discount
    return pd.DataFrame(
        {
            "period": t,
            "survival": survival,
            "discount_factor": discount,
            "expected_margin": expected,
            "cumulative_clv": np.cumsum(expected) - acquisition_cost,
        }
    )


def retention_clv(
    margin: float | np.ndarray,
    retention_rate: float | np.ndarray,
    discount_rate: float | np.ndarray,
    horizon: int | None = None,
    acquisition_cost: float | np.ndarray = 0.0,
    timing: Timing = "end",
) -> float | np.ndarray:
    """Retention-based CLV net of acquisition cost, finite or infinite horizon.

    ``margin x sum of (r/(1+d))^t over the horizon - acquisition_cost``;
    with ``horizon=None`` the sum is the margin multiple.

    Parameters
    ----------
    margin, retention_rate, discount_rate : float or array
        Per-period margin, retention rate and discount rate (broadcast).
    horizon : int, optional
        Number of margins counted; None for an infinite horizon.
    acquisition_cost : float or array, default 0
        Cost of acquiring the customer, paid now (at least 0).
    timing : {"end", "start"}, default "end"
        See :func:`margin_multiple`.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    DataError
        If a number is not finite, a rate is out of range (retention 0 to 1,
        discount above -1), the acquisition cost is negative, arrays do not
        broadcast, or ``timing`` or ``horizon`` is not usable.

    Examples
    --------
    >>> round(retention_clv(100, 0.8, 0.12, acquisition_cost=150), 2)
    100.0
    >>> round(retention_clv(100, 0.8, 0.1, horizon=3), 2)
    164.09
    """
    r, d = _rates(retention_rate, discount_rate)
    margin, cost = broadcast(
        margin=require_values("margin", margin),
        acquisition_cost=require_values("acquisition_cost", acquisition_cost, low=0),
        retention_rate=r, discount_rate=d)[:2]
    _check_timing(timing)
    multiple = margin_multiple(r, d, timing)
    if horizon is not None:
        horizon = require_whole_number("horizon", horizon, low=0)
        # The tail beyond the horizon is the same geometric sum scaled by (r/(1+d))^horizon.
        multiple = multiple * (1 - (r / (1 + d)) ** horizon)
    value = margin * multiple - cost
    return value if np.ndim(value) else float(value)
