"""Today's customers valued with lesson 04's models, period by period and with an interval.

The current layer of customer equity is the sum of today's customers'
lifetime values: a BG/NBD (or Pareto/NBD) model says how many purchases each
customer will still make, a gamma-gamma model what each will spend.
:func:`expected_margins` spreads that value over the future periods, the
shape :func:`~relmark_lab.equity.cohorts.cohort_table` takes for its current
cohort; :func:`bootstrap_equity` adds how sure the estimate is: it refits
both models on customers drawn with replacement and values **the same
customers** with each refit, so the interval measures what the fitted
parameters do not know, not the luck of who the customers are (a firm knows
its customers). :func:`equity_at` values them at given parameters, such as
a simulation's true ones.

Examples
--------
>>> import relmark_lab as rl
>>> from relmark_lab import clv
>>> data = clv.summarize(rl.datasets.load_cdnow(), "1997-09-30", time_unit="M")
>>> bgnbd, spend = clv.BetaGeoNBD().fit(data), clv.GammaGamma().fit(data)
>>> margins = expected_margins(bgnbd, spend, data, horizon=12, margin_rate=0.3)
>>> round(float(margins.sum()), 0)  # margin of the next 12 months, undiscounted
22774.0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._validate import require_number, require_whole_number
from relmark_lab.clv import BetaGeoNBD, GammaGamma, ParetoNBD, customer_lifetime_value
from relmark_lab.clv._base import require_model
from relmark_lab.clv.lifetime_value import period_discount_rate
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = [
    "BootstrapEquity",
    "bootstrap_equity",
    "equity_at",
    "expected_margins",
    "new_customer_margins",
]


def expected_margins(transaction_model: Any, spend_model: Any, data: pd.DataFrame,
                     horizon: int, *, margin_rate: float = 1.0) -> pd.Series:
    """Expected margin of all customers in each future period, undiscounted.

    Parameters
    ----------
    transaction_model : BetaGeoNBD or ParetoNBD
        Fitted; its ``time_unit_`` is the period.
    spend_model : GammaGamma
        Fitted.
    data : pandas.DataFrame
        ``frequency``, ``recency``, ``T``, ``monetary_value`` in the model's
        unit, as :func:`relmark_lab.clv.summarize` returns them.
    horizon : int
        Periods, at least 1.
    margin_rate : float, default 1
        Share of spend that is margin.

    Returns
    -------
    pandas.Series
        ``expected_margin`` indexed by ``period`` 1..horizon;
        ``attrs["time_unit"]`` is the model's unit.
    """
    require_model(transaction_model, (BetaGeoNBD, ParetoNBD), "transaction_model")
    require_model(spend_model, (GammaGamma,), "spend_model")
    horizon = require_whole_number("horizon", horizon, low=1)
    margin_rate = require_number("margin_rate", margin_rate)
    spend = spend_model.expected_customer_spend(data).to_numpy()
    frame = transaction_model._frame(data)  # validated once, not once per period
    cumulative = np.array([transaction_model._expected_purchases(frame, float(k)) @ spend
                           for k in range(horizon + 1)])
    margins = pd.Series(margin_rate * np.diff(cumulative),
                        index=pd.RangeIndex(1, horizon + 1, name="period"),
                        name="expected_margin")
    margins.attrs["time_unit"] = transaction_model.time_unit_
    return margins


def new_customer_margins(transaction_model: Any, spend_model: Any, horizon: int, *,
                         margin_rate: float = 1.0) -> pd.Series:
    """Expected margin of one just-acquired customer by periods since their first purchase.

    Period 0 is the first purchase itself; period ``k`` the repeat purchases
    the model expects between ``k - 1`` and ``k``, all at the spend model's
    population mean spend (nothing is known of a future customer yet).

    Parameters
    ----------
    transaction_model : BetaGeoNBD or ParetoNBD
        Fitted; its ``time_unit_`` is the period.
    spend_model : GammaGamma
        Fitted.
    horizon : int
        Periods after the first purchase, at least 1.
    margin_rate : float, default 1
        Share of spend that is margin.

    Returns
    -------
    pandas.Series
        ``expected_margin`` indexed by ``period`` 0..horizon, the shape
        :func:`~relmark_lab.equity.cohorts.cohort_table` takes as
        ``new_customer_margins``; ``attrs["time_unit"]`` is the model's unit.

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab import clv
    >>> data = clv.summarize(rl.datasets.load_cdnow(), "1997-09-30", time_unit="M")
    >>> bgnbd, spend = clv.BetaGeoNBD().fit(data), clv.GammaGamma().fit(data)
    >>> profile = new_customer_margins(bgnbd, spend, 12)
    >>> bool(profile.iloc[0] == spend.expected_mean_spend())  # the first purchase
    True
    """
    require_model(transaction_model, (BetaGeoNBD, ParetoNBD), "transaction_model")
    require_model(spend_model, (GammaGamma,), "spend_model")
    horizon = require_whole_number("horizon", horizon, low=1)
    margin_rate = require_number("margin_rate", margin_rate)
    repeats = np.diff(transaction_model.expected_purchases_new_customer(
        np.arange(horizon + 1, dtype=float)))
    purchases = np.concatenate([[1.0], repeats])
    margins = pd.Series(margin_rate * spend_model.expected_mean_spend() * purchases,
                        index=pd.RangeIndex(0, horizon + 1, name="period"),
                        name="expected_margin")
    margins.attrs["time_unit"] = transaction_model.time_unit_
    return margins


def equity_at(transaction_params: dict, spend_params: dict, data: pd.DataFrame, horizon: int,
              *, discount_rate: float, time_unit: str, margin_rate: float = 1.0,
              discount_rate_unit: str = "year") -> float:
    """Value of the customers in ``data`` at given BG/NBD and gamma-gamma parameters.

    Parameters
    ----------
    transaction_params : dict
        BG/NBD's ``r``, ``alpha``, ``a``, ``b`` (``alpha`` in ``time_unit``).
    spend_params : dict
        Gamma-gamma's ``p``, ``q``, ``gamma``.
    data, horizon, discount_rate, margin_rate, discount_rate_unit
        As :func:`relmark_lab.clv.customer_lifetime_value`.
    time_unit : str
        The unit the parameters and ``data`` are in.

    Returns
    -------
    float
        The sum of the customers' lifetime values.

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab import clv
    >>> data = clv.summarize(rl.datasets.load_cdnow(), "1997-09-30", time_unit="W")
    >>> published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # Fader et al. 2005
    >>> spend = {"p": 6.25, "q": 3.74, "gamma": 15.44}  # Fader & Hardie's gamma-gamma note
    >>> round(equity_at(published, spend, data, 52, discount_rate=0.1, time_unit="W"), -2)
    72500.0
    """
    models = _models(transaction_params, spend_params, time_unit)
    return float(customer_lifetime_value(
        *models, data, horizon, discount_rate=discount_rate,
        discount_rate_unit=discount_rate_unit, margin_rate=margin_rate).sum())


def _models(transaction_params: dict, spend_params: dict, time_unit: str
            ) -> tuple[BetaGeoNBD, GammaGamma]:
    """A BG/NBD and a gamma-gamma model set to given parameters (no fit)."""
    models = []
    for model, params in ((BetaGeoNBD(), transaction_params), (GammaGamma(), spend_params)):
        names = list(model._param_names)
        if not isinstance(params, dict) or sorted(params) != sorted(names):
            raise DataError(_("{model} parameters must be a dict of {names}, got {params!r}.")
                            .format(model=type(model).__name__, names=", ".join(names),
                                    params=params))
        model.params_ = pd.Series({n: require_number(n, params[n], low=0, low_open=True)
                                   for n in names}, name="estimate")
        model.time_unit_ = time_unit
        models.append(model)
    return models[0], models[1]


@dataclass(frozen=True)
class BootstrapEquity:
    """Value of today's customers with a bootstrap interval.

    Attributes
    ----------
    estimate : float
        Sum of the lifetime values at the fitted parameters.
    lower, upper : float
        Percentile interval of the replicates.
    level : float
        Coverage of the interval (0.95).
    replicates : numpy.ndarray
        The value under each refit.
    time_unit : str
        The models' unit (of the horizon).
    horizon : int
        Periods valued.
    """

    estimate: float
    lower: float
    upper: float
    level: float
    replicates: np.ndarray
    time_unit: str
    horizon: int

    def covers(self, value: float) -> bool:
        """Whether ``value`` lies inside the interval."""
        return bool(self.lower <= value <= self.upper)


def bootstrap_equity(data: pd.DataFrame, horizon: int, *, discount_rate: float,
                     margin_rate: float = 1.0, replicates: int = 100, seed: int = 0,
                     level: float = 0.95, discount_rate_unit: str = "year",
                     time_unit: str | None = None) -> BootstrapEquity:
    """Fit BG/NBD and gamma-gamma, value the customers, and bootstrap the value.

    Each replicate draws ``len(data)`` customers with replacement (as
    multinomial weights, so nobody is copied), refits both models on them,
    and values the original customers with the refitted models.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per customer, as :func:`relmark_lab.clv.summarize` returns it.
    horizon : int
        Periods of the data's time unit to value.
    discount_rate : float
        Per year by default (see ``discount_rate_unit``).
    margin_rate : float, default 1
        Share of spend that is margin.
    replicates : int, default 100
        Refits (at least 20).
    seed : int, default 0
        Seed of ``numpy.random.default_rng``: same seed, same interval.
    level : float, default 0.95
        Coverage of the percentile interval (0.5 to 0.999).
    discount_rate_unit : {"year", "period"}, default "year"
    time_unit : str, optional
        The data's unit when ``data.attrs`` does not record it.

    Returns
    -------
    BootstrapEquity

    Raises
    ------
    DataError
        For unusable data or arguments; a replicate that does not converge
        is drawn again (up to as many extra draws as replicates).
    """
    replicates = require_whole_number("replicates", replicates, low=20)
    level = require_number("level", level, low=0.5, high=0.999)
    seed = require_whole_number("seed", seed, low=0)
    period_discount_rate(discount_rate, "W", discount_rate_unit)  # checks the rate early
    transactions = BetaGeoNBD().fit(data, time_unit=time_unit)
    spend = GammaGamma().fit(data)

    def value(models: tuple[BetaGeoNBD, GammaGamma]) -> float:
        return float(customer_lifetime_value(
            *models, data, horizon, discount_rate=discount_rate, margin_rate=margin_rate,
            discount_rate_unit=discount_rate_unit).sum())

    estimate = value((transactions, spend))
    rng = np.random.default_rng(seed)
    values: list[float] = []
    for _draw in range(2 * replicates):
        if len(values) == replicates:
            break
        weights = rng.multinomial(len(data), np.full(len(data), 1.0 / len(data)))
        drawn = data.assign(weights=weights)[weights > 0]
        try:
            refit = (BetaGeoNBD().fit(drawn, time_unit=transactions.time_unit_),
                     GammaGamma().fit(drawn))
        except DataError:
            continue  # a rare draw the model cannot fit: draw again
        values.append(value(refit))
    if len(values) < replicates:
        raise DataError(_("bootstrap_equity: only {fitted} of {draws} draws could be fitted; "
                          "the data are too thin for an interval.").format(
                              fitted=len(values), draws=2 * replicates))
    replicate_values = np.array(values)
    tail = 100 * (1 - level) / 2
    lower, upper = np.percentile(replicate_values, [tail, 100 - tail])
    return BootstrapEquity(estimate=estimate, lower=float(lower), upper=float(upper),
                           level=level, replicates=replicate_values,
                           time_unit=transactions.time_unit_, horizon=int(horizon))
