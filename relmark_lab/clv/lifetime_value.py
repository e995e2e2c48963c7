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
365.25 days, 12 months; :func:`relmark_lab.units.convert_rate`), so a
weekly and a monthly calculation discount the same cash flow by the same
amount.

The periods are those of the unit the purchase model was fitted in (its
``time_unit_``), never a unit guessed from ``DataFrame.attrs``: the horizon
of a weekly model is a number of weeks.

Spend is assumed independent of the purchase process (the gamma-gamma
assumption).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import units
from relmark_lab._validate import (
    require_choice,
    require_columns,
    require_number,
    require_whole_number,
)
from relmark_lab.clv._base import require_model
from relmark_lab.clv._fit_messages import unit_name
from relmark_lab.clv._inputs import data_unit
from relmark_lab.clv.beta_geo import BetaGeoNBD
from relmark_lab.clv.gamma_gamma import GammaGamma
from relmark_lab.clv.pareto_nbd import ParetoNBD
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["customer_lifetime_value", "period_discount_rate"]

_RATE_UNITS = ("year", "period")


def period_discount_rate(discount_rate: float, time_unit: str,
                         discount_rate_unit: str = "year") -> float:
    """Discount rate per period of ``time_unit``.

    Parameters
    ----------
    discount_rate : float
        The rate, a finite number above -1.
    time_unit : {"D", "W", "M", "Q", "Y"}
        Unit of the periods the rate is needed for.
    discount_rate_unit : {"year", "period"}, default "year"
        ``"year"``: an annual rate, converted with (1 + d)^(1/P) - 1;
        ``"period"``: already per period of ``time_unit``.

    Returns
    -------
    float

    Raises
    ------
    DataError
        If the rate is not a finite number above -1 or a unit is unknown.

    Examples
    --------
    >>> round(period_discount_rate(0.10, "M"), 6)
    0.007974
    """
    units.check_unit(time_unit)
    rate = require_number("discount_rate", discount_rate, low=-1, low_open=True)
    require_choice("discount_rate_unit", discount_rate_unit, _RATE_UNITS)
    if discount_rate_unit == "period":
        return rate
    return units.convert_rate(rate, "Y", time_unit)


def _valuation_unit(transaction_model: Any, data: pd.DataFrame, time_unit: str | None) -> str:
    """The unit to value in: the model's; a given or recorded unit must agree with it."""
    model_unit = getattr(transaction_model, "time_unit_", None)
    name = type(transaction_model).__name__
    if time_unit is not None:
        units.check_unit(time_unit)
        if model_unit is not None and time_unit != model_unit:
            raise DataError(
                _("The {model} was fitted in time_unit={unit!r}, but time_unit={given!r} was "
                  "given. Its horizon and rates are in {unit_name}: leave time_unit out, or refit "
                  "the model on a summary in time_unit={given!r}.").format(
                    model=name, unit=model_unit, given=time_unit,
                    unit_name=unit_name(model_unit)))
    unit = model_unit or time_unit
    if unit is None:
        raise DataError(_("The {model} records no time_unit_ (fit it with model.fit(data)); "
                          "pass time_unit=... to say the unit of its rates.").format(model=name))
    recorded = data_unit(data)
    if recorded is not None and recorded != unit:
        raise DataError(
            _("The {model} was fitted in time_unit={unit!r}, but the data are summarized in "
              "time_unit={recorded!r}; summarize them with time_unit={unit!r}.").format(
                model=name, unit=unit, recorded=recorded))
    return unit


def customer_lifetime_value(
    transaction_model: Any,
    spend_model: Any,
    data: pd.DataFrame,
    horizon: int,
    *,
    discount_rate: float,
    time_unit: str | None = None,
    discount_rate_unit: str = "year",
    margin_rate: float = 1.0,
) -> pd.Series:
    """Discounted expected value of each customer's purchases over a horizon.

    Parameters
    ----------
    transaction_model : BetaGeoNBD or ParetoNBD
        Fitted; its ``time_unit_`` is the unit of the horizon and of the
        per-period discount rate.
    spend_model : GammaGamma
        Fitted gamma-gamma model.
    data : pandas.DataFrame
        Columns ``frequency``, ``recency``, ``T``, ``monetary_value``, in
        the model's time unit, as :func:`relmark_lab.clv.summarize` returns
        them. If ``data.attrs`` records a ``time_unit``, it must be the
        model's.
    horizon : int
        Number of future periods of the model's unit (e.g. 52 weeks), a
        whole number of at least 1.
    discount_rate : float
        Discount rate, per year by default (finite, above -1).
    time_unit : {"D", "W", "M", "Q", "Y"}, optional
        The unit you mean the horizon in. None means the model's; any other
        value must equal it (a check that a weekly model is not valued in
        months), and is only needed for a model without ``time_unit_``.
    discount_rate_unit : {"year", "period"}, default "year"
        Whether ``discount_rate`` is annual or per period of the model's unit.
    margin_rate : float, default 1
        Share of spend that is margin; 1 values revenue.

    Returns
    -------
    pandas.Series
        ``clv`` per row of ``data``, in the currency of ``monetary_value``.

    Raises
    ------
    DataError
        If a model is not a fitted model of the right kind, the units
        disagree, the horizon is not a whole number of at least 1, a rate is
        not finite, or a column is unusable.

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab.clv import BetaGeoNBD, GammaGamma, summarize
    >>> data = summarize(rl.datasets.load_cdnow(), "1997-09-30")
    >>> bgnbd, gg = BetaGeoNBD().fit(data), GammaGamma().fit(data)
    >>> clv = customer_lifetime_value(bgnbd, gg, data, horizon=52, discount_rate=0.10)
    >>> round(float(clv.mean()), 2)
    30.73
    """
    order = _("Pass the purchase model first, then the spend model: "
              "customer_lifetime_value(bgnbd, gamma_gamma, data, ...).")
    require_model(transaction_model, (BetaGeoNBD, ParetoNBD), "transaction_model", order)
    require_model(spend_model, (GammaGamma,), "spend_model", order)
    unit = _valuation_unit(transaction_model, data, time_unit)
    horizon = require_whole_number("horizon", horizon, low=1)
    rate = period_discount_rate(discount_rate, unit, discount_rate_unit)
    margin_rate = require_number("margin_rate", margin_rate)
    require_columns(data, ["monetary_value"], _("CLV data"))
    spend = spend_model.expected_customer_spend(data).to_numpy()

    value = np.zeros(len(data))
    previous = np.zeros(len(data))
    frame = transaction_model._frame(data)  # validated once, not once per period
    for k in range(1, horizon + 1):
        cumulative = transaction_model._expected_purchases(frame, float(k))
        value += (cumulative - previous) / (1 + rate) ** k
        previous = cumulative
    return pd.Series(margin_rate * value * spend, index=data.index, name="clv")
