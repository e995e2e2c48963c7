"""How many customers a firm will have: the logistic S-curve of Gupta, Lehmann & Stuart (2004).

Customer equity counts the customers a firm has not acquired yet. Gupta,
Lehmann and Stuart model the cumulative number of customers at period ``t``
as a logistic curve,

.. math:: N_t = \\frac{\\alpha}{1 + \\exp(-\\beta - \\gamma t)},

with ``alpha`` the ceiling (the market the firm can reach), ``gamma`` the
speed of adoption and ``-beta / gamma`` the period when acquisitions peak.
New customers arrive at the rate

.. math:: n_t = \\frac{dN_t}{dt} = \\frac{\\alpha \\gamma \\exp(-\\beta - \\gamma t)}
          {(1 + \\exp(-\\beta - \\gamma t))^2}.

:class:`LogisticGrowth` fits the curve to a series of customer counts by
non-linear least squares (:func:`scipy.optimize.curve_fit`) and keeps the
period unit of the series, as the CLV models do.

Examples
--------
>>> periods = np.arange(20)
>>> amazon = LogisticGrowth.curve(periods, 67.045, -4.114, 0.265)  # GLS Table 3, millions
>>> counts = pd.Series(amazon, index=periods)
>>> growth = LogisticGrowth().fit(counts, time_unit="Q")
>>> round(growth.params_["alpha"], 3), round(growth.peak_period_, 2)
(67.045, 15.52)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize
from sklearn.base import BaseEstimator

from relmark_lab.clv._inputs import resolve_fit_unit
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import gettext as _

__all__ = ["LogisticGrowth"]

_Z_95 = 1.959963984540054
#: Fewest counts a three-parameter curve is fitted to.
MIN_PERIODS = 4


def _series(customers: object) -> tuple[np.ndarray, np.ndarray]:
    """Periods and cumulative counts as floats, or DataError saying what is wrong."""
    if not isinstance(customers, pd.Series):
        raise DataError(_("LogisticGrowth.fit takes a pandas Series of cumulative customer "
                          "counts indexed by period number, got {got}.").format(
                              got=type(customers).__name__))
    periods = pd.to_numeric(pd.Series(customers.index), errors="coerce").to_numpy(float)
    counts = pd.to_numeric(customers, errors="coerce").to_numpy(float)
    not_numbers = (
        (periods, customers.index,
         _("customer counts: {count:,} period(s) are not numbers, e.g. {example}.")),
        (counts, customers, _("customer counts: {count:,} count(s) are not numbers, e.g. "
                              "{example}.")),
    )
    for values, raw, template in not_numbers:
        bad = ~np.isfinite(values)
        if bad.any():
            raise DataError(template.format(count=bad.sum(),
                                            example=describe_example(np.asarray(raw)[bad][0])))
    if len(counts) < MIN_PERIODS:
        raise DataError(_("customer counts: the S-curve has three parameters and needs at least "
                          "{least} periods, got {count}.").format(least=MIN_PERIODS,
                                                                  count=len(counts)))
    if (counts < 0).any():
        raise DataError(_("customer counts: {count:,} are negative, e.g. {example}.").format(
            count=int((counts < 0).sum()), example=describe_example(counts[counts < 0][0])))
    order = np.argsort(periods)
    periods, counts = periods[order], counts[order]
    if np.diff(counts).min() < 0:
        raise DataError(_("customer counts must be cumulative (never falling): the count falls "
                          "after period {period}.").format(
                              period=describe_example(periods[np.argmin(np.diff(counts))])))
    return periods, counts


def _start(periods: np.ndarray, counts: np.ndarray) -> tuple[float, float, float]:
    """Starting values: a ceiling above the last count, then a line through logit(N / alpha)."""
    alpha = 2.0 * counts.max()
    share = np.clip(counts / alpha, 1e-6, 1 - 1e-6)
    gamma, beta = np.polyfit(periods, np.log(share / (1 - share)), 1)
    return alpha, float(beta), max(float(gamma), 1e-3)


class LogisticGrowth(BaseEstimator):
    """The logistic S-curve of cumulative customers, fitted to a count series.

    Attributes
    ----------
    params_ : dict
        ``alpha`` (the ceiling, in the unit of the counts), ``beta`` and
        ``gamma`` (per period).
    standard_errors_ : dict
        Their standard errors from the least-squares covariance.
    peak_period_ : float
        ``-beta / gamma``, the period in which acquisitions peak.
    time_unit_ : str
        The period unit of the series (``"Q"`` for GLS's quarters).
    """

    @staticmethod
    def curve(periods: np.ndarray | float, alpha: float, beta: float,
              gamma: float) -> np.ndarray | float:
        """Cumulative customers ``alpha / (1 + exp(-beta - gamma t))``."""
        return alpha / (1.0 + np.exp(-beta - gamma * np.asarray(periods, dtype=float)))

    def fit(self, customers: pd.Series, time_unit: str | None = None) -> LogisticGrowth:
        """Fit the S-curve to cumulative customer counts.

        Parameters
        ----------
        customers : pandas.Series
            Cumulative customers, indexed by period number ``t`` (0, 1, 2, ...).
        time_unit : str, optional
            The period unit (``D``, ``W``, ``M``, ``Q``, ``Y``); required
            unless ``customers.attrs["time_unit"]`` records it.

        Returns
        -------
        LogisticGrowth

        Raises
        ------
        DataError
            For counts that are not numbers, negative, falling, fewer than
            four, or a curve the data cannot pin down.
        """
        unit = resolve_fit_unit(customers, time_unit, "LogisticGrowth")
        periods, counts = _series(customers)
        try:
            estimate, covariance = optimize.curve_fit(
                self.curve, periods, counts, p0=_start(periods, counts),
                bounds=([0.0, -np.inf, 0.0], [np.inf, np.inf, np.inf]), maxfev=20_000)
        except (RuntimeError, ValueError) as error:
            raise DataError(_("LogisticGrowth.fit: the S-curve could not be fitted to these "
                              "{count} counts ({error}); a series that has not started to bend "
                              "yet cannot tell its ceiling.").format(count=len(counts),
                                                                     error=error)) from None
        errors = np.sqrt(np.clip(np.diag(covariance), 0, None))
        self.params_ = dict(zip(("alpha", "beta", "gamma"), map(float, estimate), strict=True))
        self.standard_errors_ = dict(zip(self.params_, map(float, errors), strict=True))
        self.peak_period_ = -self.params_["beta"] / self.params_["gamma"]
        self.time_unit_ = unit
        return self

    def _check_fitted(self) -> None:
        # The CLV models' convention, so clv._base.require_model accepts an S-curve too.
        if not hasattr(self, "params_"):
            raise DataError(_("This LogisticGrowth is not fitted yet; call fit(customers) "
                              "first."))

    def _fitted(self) -> dict:
        self._check_fitted()
        return self.params_

    def cumulative(self, periods: np.ndarray | float) -> np.ndarray | float:
        """Cumulative customers ``N_t`` at the given periods (in ``time_unit_``)."""
        return self.curve(periods, **self._fitted())

    def new_customers(self, periods: np.ndarray | float) -> np.ndarray | float:
        """New customers per period ``n_t = dN/dt`` at the given periods.

        Examples
        --------
        >>> growth = LogisticGrowth()
        >>> growth.params_ = {"alpha": 100.0, "beta": -5.0, "gamma": 0.5}
        >>> float(growth.new_customers(10.0))  # the peak: alpha * gamma / 4
        12.5
        """
        params = self._fitted()
        odds = np.exp(-params["beta"] - params["gamma"] * np.asarray(periods, dtype=float))
        return params["alpha"] * params["gamma"] * odds / (1.0 + odds) ** 2

    def summary(self) -> pd.DataFrame:
        """Estimates, standard errors and 95% intervals, one row per parameter."""
        params = self._fitted()
        table = pd.DataFrame({"estimate": params, "standard_error": self.standard_errors_})
        table["lower_95"] = table["estimate"] - _Z_95 * table["standard_error"]
        table["upper_95"] = table["estimate"] + _Z_95 * table["standard_error"]
        table.index.name = "parameter"
        return table
