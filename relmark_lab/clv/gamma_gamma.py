r"""The gamma-gamma model of spend per transaction.

Fader, P. S. & Hardie, B. G. S. (2013). "The Gamma-Gamma Model of Monetary
Value", http://brucehardie.com/notes/025/; after Colombo, R. & Jiang, W.
(1999), A stochastic RFM model, *Journal of Interactive Marketing* 13(3).

Model
-----
A customer's transaction values are i.i.d. :math:`z \sim \text{Gamma}(p, \nu)`
(shape :math:`p`, rate :math:`\nu`), so their mean spend is :math:`p/\nu`.
Across customers :math:`\nu \sim \text{Gamma}(q, \gamma)`. Spend is assumed
independent of the purchase process (check it: the correlation of
``frequency`` and ``monetary_value`` should be near 0).

Likelihood
----------
A customer is summarised by :math:`x` transactions and their mean
:math:`m_x`. The sum :math:`x m_x` is Gamma(:math:`px`, :math:`\nu`); mixing
over :math:`\nu`,

.. math::

    f(m_x \mid p, q, \gamma, x) = \frac{\Gamma(px + q)}{\Gamma(px)\,\Gamma(q)}
    \frac{\gamma^q\, m_x^{px - 1}\, x^{px}}{(\gamma + m_x x)^{px + q}}.

Conditional expectation of the mean spend (a weighted average of the
population mean and the customer's own mean):

.. math::

    E[M \mid m_x, x] = \frac{q - 1}{px + q - 1} \frac{p\gamma}{q - 1}
                     + \frac{px}{px + q - 1} m_x .

Fitted on the 946 CDNOW sample customers with at least one repeat
purchase (``m_x`` = mean of the repeat purchases in the 39-week
calibration period): p = 6.25, q = 3.74, gamma = 15.44.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import digamma, gammaln

from relmark_lab._validate import column_error, require_columns, require_numbers
from relmark_lab.clv._base import MaximumLikelihoodModel, compress
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["GammaGamma"]


class GammaGamma(MaximumLikelihoodModel):
    """Gamma-gamma model of the mean value of a customer's transactions.

    Parameters
    ----------
    initial_params : sequence of 3 floats, optional
        Starting values of (p, q, gamma); all 1 by default.
    max_iter : int, default 2000
        Iterations allowed to the optimiser.
    penalizer : float, default 0
        ``penalizer * sum(log(theta) ** 2)`` is added to the mean negative
        log-likelihood (:mod:`relmark_lab.clv._base`); 0 is plain maximum
        likelihood. Try 0.001 when a :class:`~relmark_lab.clv.BoundaryWarning` says so.

    Attributes
    ----------
    params_ : pandas.Series
        p, q, gamma (gamma in the currency of the data).
    log_likelihood_, standard_errors_, boundary_, n_patterns_
        As for :class:`~relmark_lab.clv.BetaGeoNBD`.
    n_customers_ : float
        Customers with frequency > 0, the ones the model is fitted on.
    n_excluded_ : int
        Customers left out because they have no repeat purchase (their
        monetary value, 0, says nothing about spend).
    time_unit_ : str or None
        Time unit of the summary it was fitted on, when known. Spend per
        purchase does not depend on it, so the model values data of any unit.

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab.clv import GammaGamma, summarize
    >>> data = summarize(rl.datasets.load_cdnow(), "1997-09-30")
    >>> GammaGamma().fit(data).params_.round(2).tolist()
    [6.25, 3.74, 15.44]
    """

    _param_names = ("p", "q", "gamma")
    _pattern_columns = ("frequency", "monetary_value")
    _unit_required = False

    def fit(self, data: pd.DataFrame, time_unit: str | None = None) -> GammaGamma:
        """Fit by maximum likelihood on the customers with frequency > 0.

        Parameters
        ----------
        data : pandas.DataFrame
            Columns ``frequency`` and ``monetary_value`` (mean value of the
            repeat purchases), optionally ``weights``.
        time_unit : {"D", "W", "M", "Q", "Y"}, optional
            Unit of the summary, recorded in ``time_unit_`` (from
            ``data.attrs["time_unit"]`` when not given; None if unknown).

        Returns
        -------
        GammaGamma
            self, fitted.

        Raises
        ------
        DataError
            If a column is unusable, no customer has a repeat purchase, a
            repeat customer's ``monetary_value`` is not positive, or the fit
            does not converge. A fit that raises leaves the estimator as it was.

        Examples
        --------
        >>> import relmark_lab as rl
        >>> from relmark_lab.clv import summarize
        >>> model = GammaGamma().fit(summarize(rl.datasets.load_cdnow(), "1997-09-30"))
        >>> int(model.n_customers_), model.n_excluded_
        (946, 1411)
        """
        frame = self._validated(data)
        unit = self._fit_unit(data, time_unit)
        repeaters = frame[frame["frequency"] > 0]
        bad = repeaters["monetary_value"].to_numpy() <= 0
        if bad.any():
            raise column_error(
                _("{model} data").format(model="GammaGamma"), "monetary_value", int(bad.sum()),
                _("0 or negative for customers with repeat purchases"),
                repeaters["monetary_value"].to_numpy()[bad][0],
                _("The gamma-gamma model needs positive spend."),
            )
        if repeaters.empty:
            raise DataError(
                _("GammaGamma.fit: none of the {count:,} customers has a repeat purchase "
                  "(frequency > 0); the model is fitted on the mean spend of repeat "
                  "purchases.").format(count=len(frame)))
        return self._fit_patterns(compress(repeaters, self._pattern_columns), time_unit_=unit,
                                  n_excluded_=int((frame["frequency"] == 0).sum()))

    @staticmethod
    def _validated(data: pd.DataFrame) -> pd.DataFrame:
        what = _("{model} data").format(model="GammaGamma")
        require_columns(data, ["frequency", "monetary_value"], what)
        frame = pd.DataFrame({
            "frequency": require_numbers(data, "frequency", what, low=0, integer=True),
            "monetary_value": require_numbers(data, "monetary_value", what, low=0),
        }, index=data.index)
        if "weights" in data.columns:
            frame["weights"] = require_numbers(data, "weights", what, low=0)
        return frame

    @staticmethod
    def _log_likelihood(params: dict, data: dict) -> np.ndarray:
        p, q, gamma = params["p"], params["q"], params["gamma"]
        x, m = data["frequency"], data["monetary_value"]
        px = p * x
        return (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(gamma)
                + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(gamma + m * x))

    _has_gradient = True

    def _weighted_log_likelihood_and_gradient(self, params: dict, data: dict,
                                              weights: np.ndarray) -> tuple[float, np.ndarray]:
        # The derivatives of the log-likelihood above, so BFGS needs no finite differences.
        p, q, gamma = params["p"], params["q"], params["gamma"]
        x, m = data["frequency"], data["monetary_value"]
        px, spent = p * x, gamma + m * x
        psi_all = digamma(px + q)
        d_p = weights @ (x * (psi_all - digamma(px) + np.log(m) + np.log(x) - np.log(spent)))
        d_q = weights @ (psi_all - digamma(q) + np.log(gamma) - np.log(spent))
        d_gamma = weights @ (q / gamma - (px + q) / spent)
        value = float(weights @ self._log_likelihood(params, data))
        return value, np.array([d_p, d_q, d_gamma])

    def expected_customer_spend(self, data: pd.DataFrame) -> pd.Series:
        """Expected mean transaction value of each customer, E[M | monetary_value, frequency].

        Customers with frequency 0 get the population mean p gamma / (q - 1).

        Parameters
        ----------
        data : pandas.DataFrame
            Columns ``frequency`` and ``monetary_value``.

        Returns
        -------
        pandas.Series
            Aligned with ``data``.

        Examples
        --------
        >>> import relmark_lab as rl
        >>> from relmark_lab.clv import summarize
        >>> data = summarize(rl.datasets.load_cdnow(), "1997-09-30")
        >>> GammaGamma().fit(data).expected_customer_spend(data).head(3).round(2).tolist()
        [24.65, 35.17, 18.91]
        """
        self._check_fitted()
        frame = self._validated(data)
        p, q, gamma = self.params_
        px = p * frame["frequency"].to_numpy()
        value = (gamma + frame["monetary_value"].to_numpy() * frame["frequency"].to_numpy()) \
            * p / (px + q - 1)
        return pd.Series(value, index=data.index, name="expected_customer_spend")

    def expected_mean_spend(self) -> float:
        """Population mean transaction value, p gamma / (q - 1) (infinite if q <= 1).

        Returns
        -------
        float
            The expected spend per transaction of a customer about whom
            nothing is known, in the currency of the data.

        Examples
        --------
        >>> model = GammaGamma()
        >>> model.params_ = pd.Series({"p": 6.25, "q": 3.74, "gamma": 15.44})
        >>> round(model.expected_mean_spend(), 2)
        35.22
        """
        self._check_fitted()
        p, q, gamma = self.params_
        return float(p * gamma / (q - 1)) if q > 1 else float("inf")
