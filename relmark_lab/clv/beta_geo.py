r"""The BG/NBD model: "buy till you die" with dropout right after a purchase.

Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting Your Customers"
the Easy Way: An Alternative to the Pareto/NBD Model. *Marketing Science*
24(2), 275–284.

Model
-----
While alive, a customer buys as a Poisson process with rate
:math:`\lambda`; after every purchase they leave for good with probability
:math:`p`. Across customers :math:`\lambda \sim \text{Gamma}(r, \alpha)`
(shape :math:`r`, rate :math:`\alpha`) and :math:`p \sim \text{Beta}(a, b)`,
independently. A customer is observed from their first purchase for
:math:`T` time units, makes :math:`x` repeat purchases, the last at
:math:`t_x`.

Likelihood (the paper's equation 6)
-----------------------------------
.. math::

    L(r, \alpha, a, b \mid x, t_x, T) =
    \frac{B(a, b + x)}{B(a, b)} \frac{\Gamma(r + x)\,\alpha^r}{\Gamma(r)\,(\alpha + T)^{r + x}}
    + \delta_{x > 0} \frac{B(a + 1, b + x - 1)}{B(a, b)}
      \frac{\Gamma(r + x)\,\alpha^r}{\Gamma(r)\,(\alpha + t_x)^{r + x}}

The first term is "still alive at T", the second "left right after the
purchase at :math:`t_x`". Both are computed in logs and added with
``logaddexp``.

On the CDNOW sample (2,357 customers, 39 weeks) the estimates are
r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 and LL = -9582.4.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1
from scipy.stats import nbinom

from relmark_lab.clv._base import MaximumLikelihoodModel, compress
from relmark_lab.clv._fit_messages import DROPOUT_ADVICE
from relmark_lab.clv._inputs import (
    broadcast,
    repeat_purchase_columns,
    require_finite,
    require_row_times,
    require_times,
)
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = ["BetaGeoNBD"]


class BetaGeoNBD(MaximumLikelihoodModel):
    """BG/NBD model of repeat purchases in a non-contractual setting.

    Parameters
    ----------
    initial_params : sequence of 4 floats, optional
        Starting values of (r, alpha, a, b); all 1 by default.
    max_iter : int, default 2000
        Iterations allowed to the optimiser.
    penalizer : float, default 0
        ``penalizer * sum(log(theta) ** 2)`` is added to the mean negative log-likelihood
        (:mod:`relmark_lab.clv._base`); try 0.001 when a ``BoundaryWarning`` says so.

    Attributes
    ----------
    params_ : pandas.Series
        r, alpha (in the time unit of the data), a, b.
    log_likelihood_ : float
    standard_errors_ : pandas.Series
        Delta-method standard errors from the numerical Hessian; NaN at the boundary.
    boundary_ : list of str
        Parameters at 0 or infinity, named by a :class:`~relmark_lab.clv.BoundaryWarning`.
    n_customers_, n_patterns_ : float, int
        Customers fitted and distinct (frequency, recency, T) patterns.
    n_first_seen_at_end_ : float
        Customers with T = 0: kept (their likelihood is 1, they change nothing in
        the fit) and predicted as just-acquired customers.
    time_unit_ : str
        Time unit of the data it was fitted on ("D", "W", "M", "Q", "Y");
        predictions and :func:`~relmark_lab.clv.customer_lifetime_value` use it.

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab.clv import BetaGeoNBD, summarize
    >>> data = summarize(rl.datasets.load_cdnow(), "1997-09-30")
    >>> model = BetaGeoNBD().fit(data)
    >>> model.params_.round(3).tolist(), model.time_unit_
    ([0.243, 4.414, 0.793, 2.426], 'W')
    """

    _param_names = ("r", "alpha", "a", "b")
    _pattern_columns = ("frequency", "recency", "T")
    _boundary_advice = DROPOUT_ADVICE
    _mixing = ((("r", "alpha"), "rate", N_("the mean purchase rate, r/alpha"), ""),
               (("a", "b"), "probability", N_("the mean probability of leaving after a "
                                              "purchase, a/(a+b)"),
                N_("the data show almost no dropout")))

    def fit(self, data: pd.DataFrame, time_unit: str | None = None) -> BetaGeoNBD:
        """Fit by maximum likelihood.

        Parameters
        ----------
        data : pandas.DataFrame
            Columns ``frequency``, ``recency``, ``T`` (one time unit
            throughout), optionally ``weights`` (customers per row).
        time_unit : {"D", "W", "M", "Q", "Y"}, optional
            Unit of ``recency`` and ``T``. Taken from
            ``data.attrs["time_unit"]`` (set by :func:`~relmark_lab.clv.summarize`)
            when not given; required when the data do not record it.

        Returns
        -------
        BetaGeoNBD
            self, fitted, with ``time_unit_`` recorded.

        Raises
        ------
        DataError
            If a column is unusable, the unit is unknown or disagrees with
            ``data.attrs``, a hyper-parameter is not usable, or the fit does
            not converge (:class:`ConvergenceError`, also when nobody made a repeat
            purchase). A fit that raises leaves the estimator as it was.

        Warns
        -----
        BoundaryWarning
            When a parameter is at 0 or infinity (``boundary_``); the fit is kept.

        Examples
        --------
        >>> import relmark_lab as rl
        >>> from relmark_lab.clv import summarize
        >>> model = BetaGeoNBD().fit(summarize(rl.datasets.load_cdnow(), "1997-09-30"))
        >>> round(model.log_likelihood_, 1), int(model.n_customers_), model.time_unit_
        (-9582.4, 2357, 'W')
        """
        frame = repeat_purchase_columns(data, "BetaGeoNBD")
        unit = self._fit_unit(data, time_unit)
        return self._fit_patterns(compress(frame, self._pattern_columns), time_unit_=unit)

    def _frame(self, data: pd.DataFrame) -> pd.DataFrame:
        """Validated prediction data, in the model's time unit."""
        self._check_fitted()
        self._check_data_unit(data)
        return repeat_purchase_columns(data, "BetaGeoNBD")

    _has_gradient = True

    def _prepare(self, data: dict) -> dict:
        # Gamma and beta functions depend on x only, log(alpha + T) on T only:
        # evaluate them once per distinct value and index into the result.
        prepared = dict(data)
        for column in ("frequency", "recency", "T"):
            unique, index = np.unique(data[column], return_inverse=True)
            prepared[column + "_unique"], prepared[column + "_index"] = unique, index
        return prepared

    def _log_likelihood(self, params: dict, data: dict) -> np.ndarray:
        prepared = data if "T_index" in data else self._prepare(data)
        return self._terms(params, prepared)["ll"]

    def _terms(self, params: dict, data: dict) -> dict:
        """Log-likelihood of each pattern (equation 6) and the pieces of its gradient."""
        r, alpha, a, b = params["r"], params["alpha"], params["a"], params["b"]
        x = data["frequency"]
        xu, at = data["frequency_unique"], data["frequency_index"]
        log_t = np.log(alpha + data["T_unique"])[data["T_index"]]
        log_tx = np.log(alpha + data["recency_unique"])[data["recency_index"]]
        # Per distinct x: the constants of the "alive at T" term, and how much the
        # "left right after t_x" term adds. B(a+1, b+x-1) exists only for x > 0;
        # -inf makes the second term vanish at x = 0.
        log_beta_alive = betaln(a, b + xu) - betaln(a, b)
        log_beta_left = np.full(len(xu), -np.inf)
        repeat_u = xu > 0
        log_beta_left[repeat_u] = betaln(a + 1, b + xu[repeat_u] - 1) - betaln(a, b)
        const_alive = gammaln(r + xu) - gammaln(r) + r * np.log(alpha) + log_beta_alive
        r_x = r + x
        alive = const_alive[at] - r_x * log_t
        gap = (log_beta_left - log_beta_alive)[at] - r_x * (log_tx - log_t)  # log(left/alive)
        # log(1 + e^gap) and e^gap / (1 + e^gap) from one exponential, in the stable
        # form; capping |gap| at 700 keeps q out of the (very slow) subnormal floats.
        q = np.exp(-np.minimum(np.abs(gap), 700.0))
        ll = alive + np.maximum(gap, 0.0) + np.log1p(q)
        w_left = np.where(gap >= 0, 1.0, q) / (1.0 + q)
        return {"ll": ll, "w_left": w_left, "log_t": log_t, "log_tx": log_tx}

    def _weighted_log_likelihood_and_gradient(self, params: dict, data: dict,
                                              weights: np.ndarray) -> tuple[float, np.ndarray]:
        r, alpha, a, b = params["r"], params["alpha"], params["a"], params["b"]
        terms = self._terms(params, data)
        x, xu, at = data["frequency"], data["frequency_unique"], data["frequency_index"]
        # Weight of the "left" and "alive" scenarios in each pattern's likelihood.
        ww_left = weights * terms["w_left"]
        ww_alive = weights - ww_left
        total = weights.sum()
        if "weights_by_x" not in data:  # constant during a fit: count once
            data["weights_by_x"] = np.bincount(at, weights=weights, minlength=len(xu))
        by_x = data["weights_by_x"]
        left_by_x = np.bincount(at, weights=ww_left, minlength=len(xu))
        alive_by_x = by_x - left_by_x
        inv_t = 1 / (alpha + data["T_unique"])[data["T_index"]]
        inv_tx = 1 / (alpha + data["recency_unique"])[data["recency_index"]]
        psi_abx = digamma(a + b + xu)
        xu_pos = np.maximum(xu, 1)
        d_r = (_dot(by_x, digamma(r + xu) - digamma(r)) + total * np.log(alpha)
               - _dot(ww_alive, terms["log_t"]) - _dot(ww_left, terms["log_tx"]))
        d_alpha = total * r / alpha - _dot((r + x) * ww_alive, inv_t) \
            - _dot((r + x) * ww_left, inv_tx)
        d_a = (_dot(alive_by_x, digamma(a) - psi_abx)
               + _dot(left_by_x, digamma(a + 1) - psi_abx)
               - total * (digamma(a) - digamma(a + b)))
        d_b = (_dot(alive_by_x, digamma(b + xu) - psi_abx)
               + _dot(left_by_x, np.where(xu > 0, digamma(b + xu_pos - 1) - psi_abx, 0.0))
               - total * (digamma(b) - digamma(a + b)))
        return float(_dot(weights, terms["ll"])), np.array([d_r, d_alpha, d_a, d_b])

    # -- predictions -------------------------------------------------------------
    def expected_probability_alive(self, data: pd.DataFrame) -> pd.Series:
        """P(alive at T | frequency, recency, T), the paper's equation 11.

        Parameters
        ----------
        data : pandas.DataFrame
            Columns ``frequency``, ``recency``, ``T``, in the model's time unit.

        Returns
        -------
        pandas.Series
            One probability per row, aligned with ``data``; 1 for a customer
            without a repeat purchase (the model lets customers leave only
            right after a purchase).

        Examples
        --------
        >>> import relmark_lab as rl
        >>> from relmark_lab.clv import summarize
        >>> data = summarize(rl.datasets.load_cdnow(), "1997-09-30")
        >>> BetaGeoNBD().fit(data).expected_probability_alive(data).head(3).round(3).tolist()
        [0.727, 1.0, 0.212]
        """
        frame = self._frame(data)
        return pd.Series(self._probability_alive(frame), index=data.index,
                         name="probability_alive")

    def _probability_alive(self, frame: pd.DataFrame) -> np.ndarray:
        r, alpha, a, b = self.params_
        x, t_x, big_t = (frame[c].to_numpy() for c in ("frequency", "recency", "T"))
        with np.errstate(divide="ignore", invalid="ignore"):
            log_odds_dead = (np.log(a) - np.log(np.maximum(b + x - 1, 1e-300))
                             + (r + x) * (np.log(alpha + big_t) - np.log(alpha + t_x)))
        # 1 / (1 + odds) without overflow, for a customer with millions of purchases too.
        return np.where(x > 0, expit(-log_odds_dead), 1.0)

    def expected_purchases(self, data: pd.DataFrame, future_t: float) -> pd.Series:
        """Expected purchases in the next ``future_t`` time units (equation 10).

        Parameters
        ----------
        data : pandas.DataFrame
            Columns ``frequency``, ``recency``, ``T``, in the model's time unit.
        future_t : float, array or pandas.Series
            Length of the future period, in the model's time unit
            (``time_unit_``): one number, or one per row of ``data`` (a
            Series is aligned on ``data.index``).

        Returns
        -------
        pandas.Series
            E[Y(future_t) | frequency, recency, T], aligned with ``data``.

        Examples
        --------
        >>> import relmark_lab as rl
        >>> from relmark_lab.clv import summarize
        >>> data = summarize(rl.datasets.load_cdnow(), "1997-09-30")
        >>> BetaGeoNBD().fit(data).expected_purchases(data, 39).head(3).round(3).tolist()
        [1.226, 0.197, 0.203]
        """
        frame = self._frame(data)
        t = require_row_times(future_t, "future_t", data.index)
        return pd.Series(self._expected_purchases(frame, t), index=data.index,
                         name="expected_purchases")

    def _expected_purchases(self, frame: pd.DataFrame, t: np.ndarray | float) -> np.ndarray:
        """Equation 10 on data already validated by ``_frame`` (CLV sums it over many t)."""
        r, alpha, a, b = self.params_
        x, big_t = frame["frequency"].to_numpy(), frame["T"].to_numpy()
        z, ratio = t / (alpha + big_t + t), (alpha + big_t) / (alpha + big_t + t)
        with np.errstate(all="ignore"):
            bracket = 1 - ratio ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
            if not np.all(np.isfinite(bracket)):  # millions of purchases: 0 * inf
                # Euler's transformation of 2F1 gives the same product without either.
                euler = 1 - ratio ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
                bracket = np.where(np.isfinite(bracket), bracket, euler)
        value = (a + b + x - 1) / (a - 1) * bracket * self._probability_alive(frame)
        return require_finite(value, frame, _("BetaGeoNBD: the expected purchases"),
                              getattr(self, "boundary_", ()))

    def expected_purchases_new_customer(self, t: float | np.ndarray) -> np.ndarray | float:
        """Expected repeat purchases of a just-acquired customer in ``t`` time units (eq. 9).

        Parameters
        ----------
        t : float or array
            Time since the first purchase, in the model's time unit.

        Returns
        -------
        float or numpy.ndarray
            E[X(t)], shaped like ``t``.

        Examples
        --------
        >>> model = BetaGeoNBD()
        >>> model.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> round(float(model.expected_purchases_new_customer(39)), 3)
        1.197
        """
        self._check_fitted()
        t = np.asarray(require_times(t, "t"), dtype=float)
        new = pd.DataFrame({"frequency": np.zeros(t.size), "recency": 0.0, "T": 0.0})
        value = self._expected_purchases(new, t.ravel()).reshape(t.shape)
        return value if value.ndim else float(value)

    def probability_of_purchases(self, n_purchases: int | np.ndarray,
                                 t: float | np.ndarray) -> np.ndarray | float:
        """P(X(t) = n): probability that a new customer makes n repeat purchases by t (eq. 8).

        Parameters
        ----------
        n_purchases : int or array of int
            Number of repeat purchases.
        t : float or array
            Time since the first purchase, in the model's time unit.
            Arrays broadcast against ``n_purchases``.

        Returns
        -------
        float or numpy.ndarray
            The probabilities, in the broadcast shape of the two.

        Examples
        --------
        >>> model = BetaGeoNBD()
        >>> model.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> model.probability_of_purchases([0, 1, 2], 39).round(3).tolist()
        [0.574, 0.199, 0.085]
        """
        self._check_fitted()
        r, alpha, a, b = self.params_
        n, t = broadcast(
            n_purchases=require_times(n_purchases, "n_purchases", whole=True),
            t=require_times(t, "t"))
        # The Poisson count mixed over Gamma(r, alpha) is negative binomial with
        # success probability alpha / (alpha + t).
        success = alpha / (alpha + t)
        first = np.exp(betaln(a, b + n) - betaln(a, b)) * nbinom.pmf(n, r, success)
        # Left after the n-th purchase: needs at least n purchases had they stayed.
        n_pos = np.maximum(n, 1)
        second = np.exp(betaln(a + 1, b + n_pos - 1) - betaln(a, b)) * nbinom.sf(n - 1, r, success)
        value = first + np.where(n > 0, second, 0.0)
        return value if value.ndim else float(value)

    def expected_probability_no_purchase(self, data: pd.DataFrame, future_t: float) -> pd.Series:
        """P(no purchase in the next ``future_t`` time units | frequency, recency, T).

        A customer buys nothing either because they have left, or because
        they are alive and the Poisson process, with the rate's posterior
        Gamma(r + x, alpha + T), gives no event:
        ``1 - P(alive) + P(alive) ((alpha + T) / (alpha + T + t))^(r + x)``.

        Parameters
        ----------
        data : pandas.DataFrame
            Columns ``frequency``, ``recency``, ``T``, in the model's time unit.
        future_t : float, array or pandas.Series
            Length of the future period in the model's time unit: one number,
            or one per row of ``data``.

        Returns
        -------
        pandas.Series
            One probability per row, aligned with ``data``.

        Examples
        --------
        >>> import relmark_lab as rl
        >>> from relmark_lab.clv import summarize
        >>> data = summarize(rl.datasets.load_cdnow(), "1997-09-30")
        >>> model = BetaGeoNBD().fit(data)
        >>> model.expected_probability_no_purchase(data, 39).head(3).round(3).tolist()
        [0.445, 0.855, 0.883]
        """
        frame = self._frame(data)
        future_t = require_row_times(future_t, "future_t", data.index)
        r, alpha = self.params_["r"], self.params_["alpha"]
        x, big_t = frame["frequency"].to_numpy(), frame["T"].to_numpy()
        alive = self._probability_alive(frame)
        quiet = ((alpha + big_t) / (alpha + big_t + future_t)) ** (r + x)
        return pd.Series(1 - alive + alive * quiet, index=data.index,
                         name="probability_no_purchase")


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """Sum of products without BLAS: BLAS threads wake up slowly on a busy machine."""
    return float(np.multiply(a, b).sum())
