r"""The BG/BB model: "buy till you die" in discrete time.

Fader, P. S., Hardie, B. G. S. & Shang, J. (2010). Customer-Base Analysis in
a Discrete-Time Noncontractual Setting. *Marketing Science* 29(6), 1086–1108.

Model
-----
Transactions can only happen at discrete opportunities (an annual fund
drive, a yearly event). At each opportunity an alive customer transacts
with probability :math:`p`; at the start of each later opportunity they
leave for good with probability :math:`\theta`. Across customers
:math:`p \sim \text{Beta}(\alpha, \beta)` and
:math:`\theta \sim \text{Beta}(\gamma, \delta)`, independently. A customer
observed for :math:`n` opportunities after the first transaction made
:math:`x` repeat transactions, the last at opportunity :math:`t_x`.

Likelihood (the paper's equation 5)
-----------------------------------
.. math::

    L(\alpha, \beta, \gamma, \delta \mid x, t_x, n) =
    \frac{B(\alpha + x, \beta + n - x)}{B(\alpha, \beta)}
    \frac{B(\gamma, \delta + n)}{B(\gamma, \delta)}
    + \sum_{i=0}^{n - t_x - 1}
    \frac{B(\alpha + x, \beta + t_x - x + i)}{B(\alpha, \beta)}
    \frac{B(\gamma + 1, \delta + t_x + i)}{B(\gamma, \delta)}

(alive through all :math:`n` opportunities, or left right after
opportunity :math:`t_x + i`). The data come as the few distinct
(x, t_x, n) patterns with their counts, so the sum is cheap.

On the donations data (11,104 donors, 6 opportunities): alpha = 1.204,
beta = 0.750, gamma = 0.657, delta = 2.783, LL = -33,225.6.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import betaln, gammaln, logsumexp

from relmark_lab._validate import column_error, require_whole_number
from relmark_lab.clv._base import MaximumLikelihoodModel, compress
from relmark_lab.clv._fit_messages import DROPOUT_ADVICE
from relmark_lab.clv._inputs import (
    as_scalar,
    repeat_purchase_columns,
    require_row_times,
    require_times,
)
from relmark_lab.errors import DataError
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = ["MAX_PERIODS", "MAX_TERMS", "BetaGeoBetaBinomial"]

#: The most opportunities (``n_periods``) a customer may have: the likelihood has a term for
#: each one after the last transaction, so more would make a fit take minutes.
MAX_PERIODS = 1_000
#: The most such terms a fit may need, over the distinct patterns (a fit takes seconds).
MAX_TERMS = 100_000


class BetaGeoBetaBinomial(MaximumLikelihoodModel):
    """BG/BB model of repeat transactions at discrete opportunities.

    Parameters
    ----------
    initial_params : sequence of 4 floats, optional
        Starting values of (alpha, beta, gamma, delta); all 1 by default.
    max_iter : int, default 2000
        Iterations allowed to the optimiser.
    penalizer : float, default 0
        ``penalizer * sum(log(theta) ** 2)`` is added to the mean negative
        log-likelihood (:mod:`relmark_lab.clv._base`); 0 is plain maximum
        likelihood. Try 0.001 when a :class:`~relmark_lab.clv.BoundaryWarning` says so.

    Attributes
    ----------
    params_ : pandas.Series
        alpha, beta (transaction probability), gamma, delta (dropout probability).
    log_likelihood_, standard_errors_, boundary_, n_customers_, n_patterns_
        As for :class:`~relmark_lab.clv.BetaGeoNBD`.
    n_first_seen_at_end_ : float
        Customers with ``n_periods = 0`` (no opportunity yet), kept as in the BG/NBD.
    time_unit_ : str
        The length of one opportunity ("Y" for an annual fund drive): the
        donations data record it in ``attrs``.

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab.clv import BetaGeoBetaBinomial
    >>> model = BetaGeoBetaBinomial().fit(rl.datasets.load_donations())
    >>> model.params_.round(3).tolist()
    [1.204, 0.75, 0.657, 2.783]
    """

    _param_names = ("alpha", "beta", "gamma", "delta")
    _pattern_columns = ("frequency", "recency", "n_periods")
    _boundary_advice = DROPOUT_ADVICE
    #: What the boundary warning says of each pair (clv._fit_messages.mixing_facts).
    _mixing = ((("alpha", "beta"), "probability", N_("the mean transaction probability per "
                                                     "opportunity, alpha/(alpha+beta)"), ""),
               (("gamma", "delta"), "probability", N_("the mean dropout probability per "
                                                      "opportunity, gamma/(gamma+delta)"),
                N_("the data show almost no dropout")))

    def fit(self, data: pd.DataFrame, time_unit: str | None = None) -> BetaGeoBetaBinomial:
        """Fit by maximum likelihood.

        Parameters
        ----------
        data : pandas.DataFrame
            Columns ``frequency`` (repeat transactions), ``recency``
            (opportunity of the last one, 0 if none), ``n_periods``
            (opportunities observed), optionally ``weights`` (customers
            with that pattern).
        time_unit : {"D", "W", "M", "Q", "Y"}, optional
            How far apart the opportunities are; from ``data.attrs["time_unit"]``
            when not given, required when the data do not record it.

        Returns
        -------
        BetaGeoBetaBinomial
            self, fitted, with ``time_unit_`` recorded.

        Raises
        ------
        DataError
            As for :meth:`BetaGeoNBD.fit <relmark_lab.clv.BetaGeoNBD.fit>`, and if
            ``n_periods`` is above :data:`MAX_PERIODS` (1,000) or the likelihood
            needs more than :data:`MAX_TERMS` terms. A fit that raises leaves the
            estimator as it was.

        Examples
        --------
        >>> import relmark_lab as rl
        >>> model = BetaGeoBetaBinomial().fit(rl.datasets.load_donations())
        >>> round(model.log_likelihood_, 1), int(model.n_customers_), model.n_patterns_
        (-33225.6, 11104, 22)
        """
        frame = self._validated(data)
        unit = self._fit_unit(data, time_unit)
        patterns = compress(frame, self._pattern_columns)
        terms = int((patterns["n_periods"] - patterns["recency"]).sum())
        if terms > MAX_TERMS:
            raise DataError(
                _("BetaGeoBetaBinomial.fit: the likelihood has a term for every opportunity "
                  "after a customer's last transaction, and these data need {terms:,} of them "
                  "({patterns:,} distinct patterns, n_periods up to {longest:,.0f}), more than "
                  "the {most:,} that keep a fit within seconds. The BG/BB is meant for a few "
                  "discrete opportunities: group them into fewer, longer ones, or summarize the "
                  "transactions in a time unit and fit BetaGeoNBD or ParetoNBD.").format(
                    terms=terms, patterns=len(patterns), longest=patterns["n_periods"].max(),
                    most=MAX_TERMS))
        return self._fit_patterns(patterns, time_unit_=unit)

    @staticmethod
    def _validated(data: pd.DataFrame) -> pd.DataFrame:
        what = _("{model} data").format(model="BetaGeoBetaBinomial")
        frame = repeat_purchase_columns(data, "BetaGeoBetaBinomial", age="n_periods")
        n = frame["n_periods"].to_numpy()
        for column, bad, problem, hint in [
            ("n_periods", n % 1 != 0, _("not a whole number"), None),
            ("n_periods", n > MAX_PERIODS, _("above {most:,}").format(most=MAX_PERIODS),
             _("The BG/BB sums over every opportunity, so its cost grows with n_periods; it is "
               "meant for a few discrete opportunities (yearly drives, weekly issues). For so "
               "many, summarize the transactions in a time unit (rl.clv.summarize) and fit "
               "BetaGeoNBD or ParetoNBD.")),
            ("recency", frame["recency"].to_numpy() < frame["frequency"].to_numpy(),
             _("smaller than frequency"), None),
        ]:
            if bad.any():
                raise column_error(what, column, int(bad.sum()), problem,
                                   data[column].to_numpy(dtype=object)[bad][0], hint)
        return frame

    def _prepare(self, data: dict) -> dict:
        # The "left" terms i = 0 .. n - t_x - 1 of every row, laid end to end: the cost
        # is the sum of n - t_x over the rows, not the largest times the number of rows.
        counts = (data["n_periods"] - data["recency"]).astype(np.int64)
        owner = np.repeat(np.arange(len(counts)), counts)
        step = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        return {**data, "left_owner": owner, "left_step": step.astype(float)}

    def _log_likelihood(self, params: dict, data: dict) -> np.ndarray:
        return self._log_likelihood_parts(params, data)[0]

    def _log_likelihood_parts(self, params: dict, data: dict) -> tuple[np.ndarray, np.ndarray]:
        """Log-likelihood of each row and the log of its "alive through n" term."""
        alpha, beta = params["alpha"], params["beta"]
        gamma, delta = params["gamma"], params["delta"]
        if "left_owner" not in data:
            data = self._prepare(data)
        x, t_x, n = (data[c] for c in ("frequency", "recency", "n_periods"))
        beta_ab, beta_gd = betaln(alpha, beta), betaln(gamma, delta)
        log_alive = (betaln(alpha + x, beta + n - x) - beta_ab
                     + betaln(gamma, delta + n) - beta_gd)
        owner, i = data["left_owner"], data["left_step"]
        log_left = (betaln(alpha + x[owner], beta + t_x[owner] - x[owner] + i) - beta_ab
                    + betaln(gamma + 1, delta + t_x[owner] + i) - beta_gd)
        # log(e^alive + sum of e^left) per row, shifted by the row's largest term.
        top = log_alive.copy()
        np.maximum.at(top, owner, log_left)
        total = np.exp(log_alive - top) + np.bincount(
            owner, weights=np.exp(log_left - top[owner]), minlength=len(x))
        return top + np.log(total), log_alive

    # -- predictions -------------------------------------------------------------
    def _arrays(self, data: pd.DataFrame) -> dict:
        self._check_fitted()
        self._check_data_unit(data)
        frame = self._validated(data)
        return {c: frame[c].to_numpy() for c in self._pattern_columns}

    def _row_parts(self, params: dict, arrays: dict) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`_log_likelihood_parts` of each row, computed once per distinct pattern."""
        rows = np.column_stack([arrays[c] for c in self._pattern_columns])
        unique, inverse = np.unique(rows, axis=0, return_inverse=True)
        parts = self._log_likelihood_parts(params, dict(zip(self._pattern_columns, unique.T,
                                                            strict=True)))
        return parts[0][inverse.ravel()], parts[1][inverse.ravel()]

    def expected_probability_alive(self, data: pd.DataFrame, future_t: int = 0) -> pd.Series:
        """P(alive at opportunity n + future_t | x, t_x, n).

        Parameters
        ----------
        data : pandas.DataFrame
            Columns ``frequency``, ``recency``, ``n_periods``.
        future_t : int, default 0
            Opportunities ahead. 0 gives the probability of being alive at
            the last observed opportunity (the convention of lifetimes and
            PyMC-Marketing); 1 gives the paper's eq. 11, alive at the next one.
            One number, or one per row of ``data``.

        Returns
        -------
        pandas.Series
            One probability per row, aligned with ``data``.

        Examples
        --------
        >>> import relmark_lab as rl
        >>> donations = rl.datasets.load_donations()
        >>> model = BetaGeoBetaBinomial().fit(donations)
        >>> model.expected_probability_alive(donations).head(3).round(3).tolist()
        [0.116, 0.075, 0.274]
        """
        arrays = self._arrays(data)
        future_t = require_row_times(future_t, "future_t", data.index, whole=True)
        params = self.params_.to_dict()
        log_total, log_alive = self._row_parts(params, arrays)
        n = arrays["n_periods"]
        delta, gamma = params["delta"], params["gamma"]
        # Surviving future_t more dropout draws: B(gamma, delta + n + t) / B(gamma, delta + n).
        shift = betaln(gamma, delta + n + future_t) - betaln(gamma, delta + n)
        value = np.exp(log_alive + shift - log_total)
        return pd.Series(value, index=data.index, name="probability_alive")

    def expected_purchases(self, data: pd.DataFrame, future_t: int) -> pd.Series:
        """Expected transactions in the next ``future_t`` opportunities (the paper's eq. 13).

        Parameters
        ----------
        data : pandas.DataFrame
            Columns ``frequency``, ``recency``, ``n_periods``.
        future_t : int
            Number of future opportunities: one number, or one per row of ``data``.

        Returns
        -------
        pandas.Series
            E[X(n, n + future_t) | x, t_x, n], aligned with ``data``.

        Examples
        --------
        >>> import relmark_lab as rl
        >>> donations = rl.datasets.load_donations()
        >>> model = BetaGeoBetaBinomial().fit(donations)
        >>> model.expected_purchases(donations, 5).head(3).round(3).tolist()
        [0.073, 0.086, 0.314]
        """
        arrays = self._arrays(data)
        future_t = require_row_times(future_t, "future_t", data.index, whole=True)
        params = self.params_.to_dict()
        alpha, beta, gamma, delta = (params[k] for k in self._param_names)
        x, n = arrays["frequency"], arrays["n_periods"]
        log_total, _alive = self._row_parts(params, arrays)
        log_p = betaln(alpha + x + 1, beta + n - x) - betaln(alpha, beta)
        ratio = delta / (gamma - 1) * np.exp(gammaln(gamma + delta) - gammaln(1 + delta))
        survival_sum = (np.exp(gammaln(1 + delta + n) - gammaln(gamma + delta + n))
                        - np.exp(gammaln(1 + delta + n + future_t)
                                 - gammaln(gamma + delta + n + future_t)))
        value = np.exp(log_p - log_total) * ratio * survival_sum
        return pd.Series(value, index=data.index, name="expected_purchases")

    def expected_purchases_new_customer(self, t: int | np.ndarray) -> np.ndarray | float:
        """Expected repeat transactions of a new customer in ``t`` opportunities (eq. 7).

        Parameters
        ----------
        t : int or array of int
            Number of opportunities after the first transaction.

        Returns
        -------
        float or numpy.ndarray
            E[X(t)], shaped like ``t``.

        Examples
        --------
        >>> model = BetaGeoBetaBinomial()
        >>> model.params_ = pd.Series({"alpha": 1.204, "beta": 0.750, "gamma": 0.657,
        ...                            "delta": 2.783})
        >>> round(model.expected_purchases_new_customer(6), 3)
        2.22
        """
        self._check_fitted()
        alpha, beta, gamma, delta = self.params_
        t = np.asarray(require_times(t, "t", whole=True), dtype=float)
        value = alpha / (alpha + beta) * delta / (gamma - 1) * (
            1 - np.exp(gammaln(gamma + delta) - gammaln(gamma + delta + t)
                       + gammaln(1 + delta + t) - gammaln(1 + delta))
        )
        return value if value.ndim else float(value)

    def probability_of_purchases(self, n_purchases: int | np.ndarray,
                                 t: int) -> np.ndarray | float:
        """P(X(t) = x): a new customer's number of repeat transactions in t opportunities (eq. 8).

        Parameters
        ----------
        n_purchases : int or array of int
            Number of repeat transactions.
        t : int
            Number of opportunities.

        Returns
        -------
        float or numpy.ndarray
            One probability per value of ``n_purchases``.

        Examples
        --------
        >>> model = BetaGeoBetaBinomial()
        >>> model.params_ = pd.Series({"alpha": 1.204, "beta": 0.750, "gamma": 0.657,
        ...                            "delta": 2.783})
        >>> model.probability_of_purchases([0, 1, 6], 6).round(3).tolist()
        [0.311, 0.17, 0.113]
        """
        self._check_fitted()
        alpha, beta, gamma, delta = self.params_
        counts = np.asarray(require_times(n_purchases, "n_purchases", whole=True), dtype=float)
        x = counts.ravel()  # one column of the grid below per count
        t = require_whole_number("t", as_scalar(t), low=0)
        if t > MAX_PERIODS:
            raise DataError(_("t must be at most {most:,} opportunities (the BG/BB's maximum "
                              "n_periods), got {t:,}.").format(most=MAX_PERIODS, t=t))
        log_binom = gammaln(t + 1) - gammaln(x + 1) - gammaln(t - x + 1)
        stay = (log_binom + betaln(alpha + x, beta + t - x) - betaln(alpha, beta)
                + betaln(gamma, delta + t) - betaln(gamma, delta))
        i = np.arange(t)[:, None]  # died right after opportunity i, having transacted x times
        log_binom_i = gammaln(i + 1) - gammaln(x + 1) - gammaln(np.maximum(i - x, 0) + 1)
        left = (log_binom_i + betaln(alpha + x, beta + i - x) - betaln(alpha, beta)
                + betaln(gamma + 1, delta + i) - betaln(gamma, delta))
        left = np.where(i >= x, left, -np.inf)
        value = np.where(x <= t, np.exp(logsumexp(np.vstack([stay[None, :], left]), axis=0)),
                         0.0)
        return value.reshape(counts.shape) if counts.ndim else float(value[0])
