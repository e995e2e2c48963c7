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

from relmark_lab._validate import require_choice, require_whole_number
from relmark_lab.errors import DataError, describe_example

__all__ = ["margin_multiple", "retention_clv", "retention_clv_schedule"]

Timing = Literal["end", "start"]


def _check_rates(retention_rate: float | np.ndarray, discount_rate: float | np.ndarray) -> None:
    try:
        r = np.asarray(retention_rate, dtype=float)
        d = np.asarray(discount_rate, dtype=float)
    except (TypeError, ValueError) as error:
        raise DataError(f"retention_rate and discount_rate must be numbers, got "
                        f"{describe_example(retention_rate)} and "
                        f"{describe_example(discount_rate)}.") from error
    bad_r = ~np.isfinite(r) | (r < 0) | (r > 1)
    if np.any(bad_r):
        raise DataError(f"retention_rate must be between 0 and 1, got "
                        f"{describe_example(float(np.ravel(r)[np.ravel(bad_r)][0]))}.")
    bad_d = ~np.isfinite(d) | (d <= -1)
    if np.any(bad_d):
        raise DataError(f"discount_rate must be a finite number above -1, got "
                        f"{describe_example(float(np.ravel(d)[np.ravel(bad_d)][0]))}.")


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

    Examples
    --------
    >>> round(margin_multiple(0.8, 0.12), 3)
    2.5
    >>> round(margin_multiple(0.8, 0.12, timing="start"), 3)
    3.5
    """
    _check_rates(retention_rate, discount_rate)
    _check_timing(timing)
    r, d = np.asarray(retention_rate, dtype=float), np.asarray(discount_rate, dtype=float)
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
        Share of customers kept each period.
    discount_rate : float
        Discount rate per period.
    horizon : int
        Number of margins counted (periods 1..horizon for ``"end"``,
        0..horizon-1 for ``"start"``).
    acquisition_cost : float, default 0
        Paid once, now; subtracted in ``cumulative_clv``.
    timing : {"end", "start"}, default "end"
        See :func:`margin_multiple`.

    Returns
    -------
    pandas.DataFrame
        Columns ``period``, ``survival`` (r^t), ``discount_factor``
        (1/(1+d)^t), ``expected_margin`` (margin x survival x discount
        factor) and ``cumulative_clv`` (running sum minus acquisition cost).

    Examples
    --------
    >>> retention_clv_schedule(100, 0.8, 0.1, 3)["cumulative_clv"].round(2).tolist()
    [72.73, 125.62, 164.09]
    """
    _check_rates(retention_rate, discount_rate)
    _check_timing(timing)
    horizon = require_whole_number("horizon", horizon, low=1)
    t = np.arange(1, horizon + 1) if timing == "end" else np.arange(horizon)
    survival = float(retention_rate) ** t
    discount = 1 / (1 + float(discount_rate)) ** t
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
        Cost of acquiring the customer, paid now.
    timing : {"end", "start"}, default "end"
        See :func:`margin_multiple`.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> round(retention_clv(100, 0.8, 0.12, acquisition_cost=150), 2)
    100.0
    >>> round(retention_clv(100, 0.8, 0.1, horizon=3), 2)
    164.09
    """
    _check_rates(retention_rate, discount_rate)
    _check_timing(timing)
    r, d = np.asarray(retention_rate, dtype=float), np.asarray(discount_rate, dtype=float)
    multiple = margin_multiple(r, d, timing)
    if horizon is not None:
        horizon = require_whole_number("horizon", horizon, low=0)
        # The tail beyond the horizon is the same geometric sum scaled by (r/(1+d))^horizon.
        multiple = multiple * (1 - (r / (1 + d)) ** horizon)
    value = np.asarray(margin, dtype=float) * multiple - np.asarray(acquisition_cost, dtype=float)
    return value if np.ndim(value) else float(value)
