r"""Customer lifetime value from a purchase model and a spend model.

The value of customer :math:`i` over the next :math:`H` periods is the
expected number of purchases in each period, times the expected spend per
purchase, discounted back to today:

.. math::

    CLV_i = m \sum_{k=1}^{H} \frac{E[Y_i(k)] - E[Y_i(k-1)]}{(1 + d_p)^k}\; E[M_i],

where :math:`E[Y_i(k)]` is the purchase model's expected purchases in the
next :math:`k` periods (BG/NBD or Pareto/NBD), :math:`E[M_i]` the
gamma-gamma expected spend, :math:`m` the margin rate and :math:`d_p` the
discount rate *per period*. A period's purchases are discounted as if they
all happened at its end. An annual rate :math:`d` becomes
:math:`d_p = (1 + d)^{1/P} - 1` with :math:`P` periods a year (52.18 weeks,
365.25 days, 12 months), so a weekly and a monthly calculation discount
the same cash flow by the same amount.

Spend is assumed independent of the purchase process (the gamma-gamma
assumption).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab.clv.summary import PERIODS_PER_YEAR, days_per_unit
from relmark_lab.errors import DataError, describe_example

__all__ = ["customer_lifetime_value", "period_discount_rate"]


def period_discount_rate(discount_rate: float, time_unit: str,
                         discount_rate_unit: str = "year") -> float:
    """Discount rate per period of ``time_unit``.

    Parameters
    ----------
    discount_rate : float
        The rate, > -1.
    time_unit : {"D", "W", "M"}
        Unit of the periods the rate is needed for.
    discount_rate_unit : {"year", "period"}, default "year"
        ``"year"``: an annual rate, converted with (1 + d)^(1/P) - 1;
        ``"period"``: already per period of ``time_unit``.

    Returns
    -------
    float

    Examples
    --------
    >>> round(period_discount_rate(0.10, "M"), 6)
    0.007974
    """
    days_per_unit(time_unit)
    if not np.isfinite(discount_rate) or discount_rate <= -1:
        raise DataError(f"discount_rate must be a number greater than -1, got "
                        f"{describe_example(discount_rate)}.")
    if discount_rate_unit == "period":
        return float(discount_rate)
    if discount_rate_unit != "year":
        raise DataError(f"discount_rate_unit must be 'year' or 'period', got "
                        f"{describe_example(discount_rate_unit)}.")
    return float((1 + discount_rate) ** (1 / PERIODS_PER_YEAR[time_unit]) - 1)


def customer_lifetime_value(
    transaction_model,
    spend_model,
    data: pd.DataFrame,
    horizon: int,
    time_unit: str,
    discount_rate: float,
    discount_rate_unit: str = "year",
    margin_rate: float = 1.0,
) -> pd.Series:
    """Discounted expected value of each customer's purchases over a horizon.

    Parameters
    ----------
    transaction_model : BetaGeoNBD or ParetoNBD
        Fitted on data in ``time_unit``.
    spend_model : GammaGamma
        Fitted gamma-gamma model.
    data : pandas.DataFrame
        Columns ``frequency``, ``recency``, ``T``, ``monetary_value``, as
        :func:`relmark_lab.clv.summarize` returns them. If ``data.attrs``
        records a ``time_unit``, it must equal ``time_unit``.
    horizon : int
        Number of future periods of ``time_unit`` (e.g. 52 weeks).
    time_unit : {"D", "W", "M"}
        Unit of ``recency``, ``T`` and of the models' rates. Required, so
        a weekly model is never silently valued in months.
    discount_rate : float
        Discount rate, per year by default.
    discount_rate_unit : {"year", "period"}, default "year"
        Whether ``discount_rate`` is annual or per period of ``time_unit``.
    margin_rate : float, default 1
        Share of spend that is margin; 1 values revenue.

    Returns
    -------
    pandas.Series
        ``clv`` per row of ``data``, in the currency of ``monetary_value``.

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab.clv import BetaGeoNBD, GammaGamma, summarize
    >>> data = summarize(rl.datasets.load_cdnow(), "1997-09-30")
    >>> bgnbd, gg = BetaGeoNBD().fit(data), GammaGamma().fit(data)
    >>> clv = customer_lifetime_value(bgnbd, gg, data, horizon=52, time_unit="W",
    ...                               discount_rate=0.10)
    >>> round(float(clv.mean()), 2)
    30.73
    """
    recorded = getattr(data, "attrs", {}).get("time_unit")
    if recorded is not None and recorded != time_unit:
        raise DataError(
            f"The data are summarized in time_unit={recorded!r} but time_unit={time_unit!r} "
            "was given; fit and value in one unit (re-run summarize with the unit you want)."
        )
    if int(horizon) != horizon or horizon < 1:
        raise DataError(f"horizon must be a whole number of periods >= 1, got "
                        f"{describe_example(horizon)}.")
    if "monetary_value" not in data.columns:
        raise DataError("Column 'monetary_value' is missing: the spend model needs it "
                        "(rl.clv.summarize builds it).")
    rate = period_discount_rate(discount_rate, time_unit, discount_rate_unit)
    spend = spend_model.expected_customer_spend(data).to_numpy()

    value = np.zeros(len(data))
    previous = np.zeros(len(data))
    for k in range(1, int(horizon) + 1):
        cumulative = transaction_model.expected_purchases(data, k).to_numpy()
        value += (cumulative - previous) / (1 + rate) ** k
        previous = cumulative
    return pd.Series(margin_rate * value * spend, index=data.index, name="clv")
