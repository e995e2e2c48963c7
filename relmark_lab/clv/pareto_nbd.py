r"""The Pareto/NBD model: "buy till you die" with dropout at any time.

Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987). Counting Your
Customers: Who Are They and What Will They Do Next? *Management Science*
33(1), 1–24. Likelihood and expressions as derived in Fader, P. S. &
Hardie, B. G. S. (2005), "A Note on Deriving the Pareto/NBD Model and
Related Expressions", http://brucehardie.com/notes/009/.

Model
-----
While alive, a customer buys as a Poisson process with rate
:math:`\lambda`; their unobserved lifetime is exponential with rate
:math:`\mu`. Across customers :math:`\lambda \sim \text{Gamma}(r, \alpha)`
and :math:`\mu \sim \text{Gamma}(s, \beta)`, independently.

Likelihood (the note's equation 22)
-----------------------------------
.. math::

    L = \frac{\Gamma(r + x)\,\alpha^r \beta^s}{\Gamma(r)}
        \left\{ \frac{1}{(\alpha + T)^{r + x} (\beta + T)^s}
        + \frac{s}{r + s + x} A_0 \right\}

with, for :math:`\alpha \ge \beta`,

.. math::

    A_0 = \frac{{}_2F_1\!\left(r + s + x, s + 1; r + s + x + 1;
                 \frac{\alpha - \beta}{\alpha + t_x}\right)}{(\alpha + t_x)^{r + s + x}}
        - \frac{{}_2F_1\!\left(r + s + x, s + 1; r + s + x + 1;
                 \frac{\alpha - \beta}{\alpha + T}\right)}{(\alpha + T)^{r + s + x}}

and, for :math:`\alpha < \beta`, the same with :math:`\beta` in place of
:math:`\alpha` in the denominators and arguments and :math:`r + x` in place
of :math:`s + 1` as the second parameter. Writing :math:`A_0` this way
keeps the argument of the Gauss hypergeometric function in [0, 1), where
it converges. The two terms of :math:`A_0` and the "alive at T" term are
combined in logs, shifted by the largest term, so large frequencies do not
overflow.

On the CDNOW sample (2,357 customers, 39 weeks) the estimates are
r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669 and LL = -9595.0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import integrate
from scipy.special import gammaln, hyp2f1, logsumexp

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

__all__ = ["ParetoNBD"]


class ParetoNBD(MaximumLikelihoodModel):
    """Pareto/NBD model of repeat purchases in a non-contractual setting.

    Parameters
    ----------
    initial_params : sequence of 4 floats, optional
        Starting values of (r, alpha, s, beta); all 1 by default.
    max_iter : int, default 2000
        Iterations allowed to the optimiser.
    penalizer : float, default 0
        ``penalizer * sum(log(theta) ** 2)`` is added to the mean negative
        log-likelihood (:mod:`relmark_lab.clv._base`); 0 is plain maximum
        likelihood. Try 0.001 when a :class:`~relmark_lab.clv.BoundaryWarning` says so.

    Attributes
    ----------
    params_ : pandas.Series
        r, alpha, s, beta (alpha and beta in the time unit of the data).
    log_likelihood_, standard_errors_, boundary_, n_customers_, n_patterns_
        As for :class:`~relmark_lab.clv.BetaGeoNBD`.
    n_first_seen_at_end_, time_unit_
        As for :class:`~relmark_lab.clv.BetaGeoNBD`.

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab.clv import ParetoNBD, summarize
    >>> data = summarize(rl.datasets.load_cdnow(), "1997-09-30")
    >>> ParetoNBD().fit(data).params_.round(3).tolist()
    [0.553, 10.578, 0.606, 11.669]
    """

    _param_names = ("r", "alpha", "s", "beta")
    _pattern_columns = ("frequency", "recency", "T")
    _boundary_advice = DROPOUT_ADVICE
    #: What the boundary warning says of each pair (clv._fit_messages.mixing_facts).
    _mixing = ((("r", "alpha"), "rate", N_("the mean purchase rate, r/alpha"), ""),
               (("s", "beta"), "lifetime", N_("by the estimates of s and beta"),
                N_("the data show almost no dropout")))

    def fit(self, data: pd.DataFrame, time_unit: str | None = None) -> ParetoNBD:
        """Fit by maximum likelihood.

        Parameters
        ----------
        data : pandas.DataFrame
            Columns ``frequency``, ``recency``, ``T``, optionally ``weights``.
        time_unit : {"D", "W", "M", "Q", "Y"}, optional
            Unit of ``recency`` and ``T``; from ``data.attrs["time_unit"]``
            when not given, required when the data do not record it.

        Returns
        -------
        ParetoNBD
            self, fitted, with ``time_unit_`` recorded.

        Raises
        ------
        DataError
            As for :meth:`BetaGeoNBD.fit <relmark_lab.clv.BetaGeoNBD.fit>`; a fit
            that raises leaves the estimator as it was.

        Warns
        -----
        BoundaryWarning
            As for :meth:`BetaGeoNBD.fit <relmark_lab.clv.BetaGeoNBD.fit>`.

        Examples
        --------
        >>> import relmark_lab as rl
        >>> from relmark_lab.clv import summarize
        >>> model = ParetoNBD().fit(summarize(rl.datasets.load_cdnow(), "1997-09-30"))
        >>> round(model.log_likelihood_, 1), int(model.n_customers_), model.time_unit_
        (-9595.0, 2357, 'W')
        """
        frame = repeat_purchase_columns(data, "ParetoNBD")
        unit = self._fit_unit(data, time_unit)
        return self._fit_patterns(compress(frame, self._pattern_columns), time_unit_=unit)

    def _frame(self, data: pd.DataFrame) -> pd.DataFrame:
        """Validated prediction data, in the model's time unit."""
        self._check_fitted()
        self._check_data_unit(data)
        return repeat_purchase_columns(data, "ParetoNBD")

    def _prepare(self, data: dict) -> dict:
        # The hypergeometric terms depend on (x, t_x) and on (x, T) only: evaluate
        # them once per distinct pair and index into the result.
        prepared = dict(data)
        for age in ("recency", "T"):
            pairs = np.column_stack([data["frequency"], data[age]])
            unique, index = np.unique(pairs, axis=0, return_inverse=True)
            prepared[age + "_pairs"], prepared[age + "_pair_index"] = unique, index.ravel()
        return prepared

    @staticmethod
    def _log_braces(params: dict, data: dict) -> tuple[np.ndarray, np.ndarray]:
        """Log of the likelihood's braces and of its "alive at T" term, per pattern."""
        r, alpha, s, beta = params["r"], params["alpha"], params["s"], params["beta"]
        x, big_t = data["frequency"], data["T"]
        # The case split keeps the argument of 2F1 in [0, 1).
        alpha_larger = alpha >= beta
        base = alpha if alpha_larger else beta
        gap = abs(alpha - beta)

        def log_a0_term(age: str) -> np.ndarray:
            pairs, index = data[age + "_pairs"], data[age + "_pair_index"]
            xu, tu = pairs[:, 0], pairs[:, 1]
            rsx = r + s + xu
            second = s + 1 if alpha_larger else r + xu
            z = gap / (base + tu)
            with np.errstate(all="ignore"):
                log_f = np.log(hyp2f1(rsx, second, rsx + 1, z))
            bad = ~np.isfinite(log_f)  # 2F1 overflows for very many purchases
            if bad.any():
                log_f[bad] = [_log_hyp2f1_next(*args) for args in zip(
                    rsx[bad], np.broadcast_to(second, rsx.shape)[bad], z[bad], strict=True)]
            return (log_f - rsx * np.log(base + tu))[index]

        log_alive = -(r + x) * np.log(alpha + big_t) - s * np.log(beta + big_t)
        log_weight = np.log(s) - np.log(r + s + x)
        at_tx = log_weight + log_a0_term("recency")
        at_t = log_weight + log_a0_term("T")  # never above at_tx: A0 >= 0
        # log(e^alive + e^at_tx - e^at_t), shifted by the largest term against overflow.
        top = np.maximum(log_alive, at_tx)
        log_braces = top + np.log(np.exp(log_alive - top) + np.exp(at_tx - top)
                                  - np.exp(at_t - top))
        return log_braces, log_alive

    def _log_likelihood(self, params: dict, data: dict) -> np.ndarray:
        r, alpha, s, beta = params["r"], params["alpha"], params["s"], params["beta"]
        x = data["frequency"]
        log_braces, _alive = self._log_braces(params, data)
        return gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta) + log_braces

    # -- predictions -------------------------------------------------------------
    def expected_probability_alive(self, data: pd.DataFrame) -> pd.Series:
        """P(alive at T | frequency, recency, T): the "alive" share of the likelihood.

        Parameters
        ----------
        data : pandas.DataFrame
            Columns ``frequency``, ``recency``, ``T``, in the model's time unit.

        Returns
        -------
        pandas.Series
            One probability per row, aligned with ``data``.

        Examples
        --------
        >>> import relmark_lab as rl
        >>> from relmark_lab.clv import summarize
        >>> data = summarize(rl.datasets.load_cdnow(), "1997-09-30")
        >>> ParetoNBD().fit(data).expected_probability_alive(data).head(3).round(3).tolist()
        [0.869, 0.298, 0.168]
        """
        frame = self._frame(data)
        return pd.Series(self._probability_alive(frame), index=data.index,
                         name="probability_alive")

    def _probability_alive(self, frame: pd.DataFrame) -> np.ndarray:
        arrays = self._prepare({c: frame[c].to_numpy() for c in self._pattern_columns})
        log_braces, log_alive = self._log_braces(self.params_.to_dict(), arrays)
        return np.exp(log_alive - log_braces)

    def expected_purchases(self, data: pd.DataFrame, future_t: float) -> pd.Series:
        """Expected purchases in the next ``future_t`` time units (the note's eq. 41).

        ``(r + x)(beta + T) / ((alpha + T)(s - 1)) * [1 - ((beta + T)/(beta + T + t))^(s - 1)]
        * P(alive)``; the limit ``log(1 + t/(beta + T))`` replaces the bracket at s = 1.

        Parameters
        ----------
        data : pandas.DataFrame
            Columns ``frequency``, ``recency``, ``T``, in the model's time unit.
        future_t : float, array or pandas.Series
            Length of the future period in the model's time unit: one number,
            or one per row of ``data`` (a Series is aligned on ``data.index``).

        Returns
        -------
        pandas.Series
            E[Y(future_t) | frequency, recency, T], aligned with ``data``.

        Examples
        --------
        >>> import relmark_lab as rl
        >>> from relmark_lab.clv import summarize
        >>> data = summarize(rl.datasets.load_cdnow(), "1997-09-30")
        >>> ParetoNBD().fit(data).expected_purchases(data, 39).head(3).round(3).tolist()
        [1.455, 0.109, 0.171]
        """
        frame = self._frame(data)
        future_t = require_row_times(future_t, "future_t", data.index)
        return pd.Series(self._expected_purchases(frame, future_t), index=data.index,
                         name="expected_purchases")

    def _expected_purchases(self, frame: pd.DataFrame, future_t: np.ndarray | float
                            ) -> np.ndarray:
        """The expectation on data already validated by ``_frame`` (CLV sums it over many t)."""
        r, alpha, s, beta = self.params_
        x, big_t = frame["frequency"].to_numpy(), frame["T"].to_numpy()
        rate_ratio = (r + x) / (alpha + big_t)
        horizon = _lifetime_integral(s, beta + big_t, future_t)
        value = rate_ratio * horizon * self._probability_alive(frame)
        return require_finite(value, frame, _("ParetoNBD: the expected purchases"),
                              getattr(self, "boundary_", ()))

    def expected_purchases_new_customer(self, t: float | np.ndarray) -> np.ndarray | float:
        """Expected repeat purchases of a just-acquired customer in ``t`` time units.

        ``r beta / (alpha (s - 1)) * [1 - (beta / (beta + t))^(s - 1)]``.

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
        >>> model = ParetoNBD()
        >>> model.params_ = pd.Series({"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669})
        >>> round(model.expected_purchases_new_customer(39), 3)
        1.213
        """
        self._check_fitted()
        r, alpha, s, beta = self.params_
        t = np.asarray(require_times(t, "t"), dtype=float)
        value = r / alpha * _lifetime_integral(s, beta, t)
        return value if np.ndim(value) else float(value)

    def probability_of_purchases(self, n_purchases: int | np.ndarray,
                                 t: float | np.ndarray) -> np.ndarray | float:
        """P(X(t) = n) for a just-acquired customer.

        Fader & Hardie (2006), "Deriving an Expression for P(X(t) = x) Under
        the Pareto/NBD Model", http://brucehardie.com/notes/012/, eq. 14:
        the customer is alive at t and made n purchases, or died at some
        tau < t after n purchases.

        Parameters
        ----------
        n_purchases : int or array of int
            Number of repeat purchases.
        t : float or array
            Time since the first purchase, in the model's time unit; arrays
            broadcast against ``n_purchases``.

        Returns
        -------
        float or numpy.ndarray
            The probabilities, in the broadcast shape of the two.

        Examples
        --------
        >>> model = ParetoNBD()
        >>> model.params_ = pd.Series({"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669})
        >>> model.probability_of_purchases([0, 1, 2], 39).round(3).tolist()
        [0.594, 0.166, 0.082]
        """
        self._check_fitted()
        r, alpha, s, beta = self.params_
        n, t = broadcast(
            n_purchases=require_times(n_purchases, "n_purchases", whole=True),
            t=require_times(t, "t"))
        values = np.array([_pnbd_pmf(int(k), tt, r, alpha, s, beta)
                           for k, tt in zip(n.ravel(), t.ravel(), strict=True)])
        values = values.reshape(n.shape)
        return values if values.ndim else float(values)


def _log_hyp2f1_next(a: float, b: float, z: float) -> float:
    """log 2F1(a, b; a + 1; z), 0 <= z < 1, where scipy's 2F1 overflows.

    Euler's integral 2F1(a, b; a + 1; z) = a * int_0^1 u^(a-1) (1 - z u)^(-b) du,
    with u = exp(-v) and the factor (1 - z)^(-b) taken out, is integrated
    numerically: the integrand is at most 1 and decays at least like exp(-a v).

    Examples
    --------
    >>> exact = float(np.log(hyp2f1(15.0, 14.0, 16.0, 0.7)))
    >>> round(_log_hyp2f1_next(15.0, 14.0, 0.7), 9), round(exact, 9)
    (15.747307042, 15.747307042)
    """
    odds = z / (1 - z)
    scale = 1.0 / (a + b * odds)  # 1 / the integrand's decay rate at 0

    def integrand(y: float) -> float:
        # log((1 - z e^-v) / (1 - z)) in a form without cancellation near v = 0.
        v = y * scale
        return float(np.exp(-a * v - b * np.log1p(-odds * np.expm1(-v))))

    value = integrate.quad(integrand, 0, np.inf, epsabs=0, epsrel=1e-10, limit=200)[0]
    return float(np.log(a) - b * np.log1p(-z) + np.log(value * scale))


def _lifetime_integral(s: float, beta: np.ndarray | float, t: np.ndarray | float) -> np.ndarray:
    """Expected time alive in the next t when mu ~ Gamma(s, beta).

    The integral of (beta / (beta + u))^s over (0, t): beta/(s-1) [1 - (beta/(beta+t))^(s-1)].
    """
    if abs(s - 1) < 1e-8:
        return beta * np.log1p(t / beta)
    return beta / (s - 1) * (1 - (beta / (beta + t)) ** (s - 1))


def _pnbd_pmf(n: int, t: float, r: float, alpha: float, s: float, beta: float) -> float:
    """One value of P(X(t) = n); sums over j = 0..n are short for the counts of a histogram."""
    if t <= 0:
        return float(n == 0)
    log_alive = (gammaln(r + n) - gammaln(r) - gammaln(n + 1) + r * np.log(alpha / (alpha + t))
                 + n * np.log(t / (alpha + t)) + s * np.log(beta / (beta + t)))
    if alpha >= beta:
        base, second = alpha, s + 1
    else:
        base, second = beta, r + n
    gap = abs(alpha - beta)
    c = r + s + n + 1
    log_b1 = np.log(hyp2f1(r + s, second, c, gap / base)) - (r + s) * np.log(base)
    j = np.arange(n + 1)
    log_b2 = (gammaln(r + s + j) - gammaln(r + s) - gammaln(j + 1) + j * np.log(t)
              + np.log(hyp2f1(r + s + j, second, c, gap / (base + t)))
              - (r + s + j) * np.log(base + t))
    # alpha^r beta^s B(r + n, s + 1) / B(r, s)
    log_front = (r * np.log(alpha) + s * np.log(beta) + gammaln(r + n) + gammaln(s + 1)
                 + gammaln(r + s) - gammaln(r + s + n + 1) - gammaln(r) - gammaln(s))
    bracket = np.exp(log_b1) - np.exp(logsumexp(log_b2))
    return float(np.exp(log_alive) + np.exp(log_front) * bracket)
