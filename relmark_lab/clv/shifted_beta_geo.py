r"""The shifted-beta-geometric (sBG) model of retention in a contractual setting.

Fader, P. S. & Hardie, B. G. S. (2007). How to Project Customer Retention.
*Journal of Interactive Marketing* 21(1), 76–90. Residual lifetime value:
Fader, P. S. & Hardie, B. G. S. (2010). Customer-Base Valuation in a
Contractual Setting: The Perils of Ignoring Heterogeneity. *Marketing
Science* 29(1), 85–93.

Model
-----
Customers renew a contract at the end of each period. A customer cancels
at each renewal with the same probability :math:`\theta`, so their
lifetime :math:`T` (the period in which they churn) is geometric. Across
customers :math:`\theta \sim \text{Beta}(\alpha, \beta)`. Then

.. math::

    P(T = t) = \frac{B(\alpha + 1, \beta + t - 1)}{B(\alpha, \beta)}, \qquad
    S(t) = P(T > t) = \frac{B(\alpha, \beta + t)}{B(\alpha, \beta)},

and the retention rate rises with tenure, because the customers who
cancel easily leave first:
:math:`r_t = S(t)/S(t-1) = (\beta + t - 1)/(\alpha + \beta + t - 1)`.

Likelihood
----------
A cohort of :math:`n_0` customers is followed for :math:`k` periods;
:math:`n_t` are still customers at the end of period :math:`t`:

.. math::

    LL(\alpha, \beta) = \sum_{t=1}^{k} (n_{t-1} - n_t) \ln P(T = t) + n_k \ln S(k).

The paper's two cohorts, fitted on years 0–7: "regular" alpha = 0.704,
beta = 1.182; "high end" alpha = 0.668, beta = 3.806.

Residual value
--------------
A customer who has made :math:`n - 1` renewals and pays one unit per
period at the start of each period, with discount rate :math:`d` per
period, is worth in expectation (discounted expected residual lifetime,
Fader & Hardie 2010, eq. 6)

.. math::

    DERL(d \mid \alpha, \beta, n - 1) = \frac{B(\alpha, \beta + n)}{B(\alpha, \beta + n - 1)}
    \; {}_2F_1\!\left(1, \beta + n; \alpha + \beta + n; \tfrac{1}{1 + d}\right),

the value of their *next* payment included (it comes at the decision
about to be made). A new customer, whose first payment is certain, is
worth :math:`DEL = {}_2F_1(1, \beta; \alpha + \beta; 1/(1 + d))`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import betaln, hyp2f1

from relmark_lab._validate import column_error, require_number, require_whole_number
from relmark_lab.clv._base import MaximumLikelihoodModel
from relmark_lab.clv._inputs import require_times
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = ["ShiftedBetaGeometric"]


class ShiftedBetaGeometric(MaximumLikelihoodModel):
    """Shifted-beta-geometric model of contract renewals.

    Parameters
    ----------
    initial_params : sequence of 2 floats, optional
        Starting values of (alpha, beta); both 1 by default.
    max_iter : int, default 2000
        Iterations allowed to the optimiser.
    penalizer : float, default 0
        ``penalizer * sum(log(theta) ** 2)`` is added to the mean negative
        log-likelihood (:mod:`relmark_lab.clv._base`); 0 is plain maximum
        likelihood. Try 0.001 when a :class:`~relmark_lab.clv.BoundaryWarning` says so.

    Attributes
    ----------
    params_ : pandas.Series
        alpha, beta of the Beta distribution of the churn probability.
    log_likelihood_, standard_errors_, boundary_
        As for :class:`~relmark_lab.clv.BetaGeoNBD`.
    n_periods_ : int
        Periods observed in the fit (k).
    time_unit_ : str
        Length of one period ("Y" for yearly renewals); discount rates and
        periods of the predictions are per period of this unit.

    Examples
    --------
    >>> from relmark_lab.datasets import load_sbg_cohorts
    >>> cohorts = load_sbg_cohorts()  # records attrs["time_unit"] = "Y"
    >>> regular = cohorts.query("segment == 'regular' and year <= 7")["n_alive"]
    >>> model = ShiftedBetaGeometric().fit(regular)
    >>> model.params_.round(3).tolist(), model.time_unit_
    ([0.704, 1.182], 'Y')
    >>> ShiftedBetaGeometric().fit([1000, 631, 468], time_unit="Y").n_periods_
    2
    """

    _param_names = ("alpha", "beta")
    _pattern_columns = ("period", "churned")
    _boundary_advice = N_("For finite estimates pass a small penalizer, e.g. penalizer=0.001 "
                          "(compare the projections), or follow the cohort for more periods.")
    #: What the boundary warning says of the pair (clv._fit_messages.mixing_facts).
    _mixing = ((("alpha", "beta"), "probability", N_("the mean churn probability per period, "
                                                     "alpha/(alpha+beta)"),
                N_("the data show almost no churn")),)

    def fit(self, n_alive: Sequence[float] | pd.Series,
            time_unit: str | None = None) -> ShiftedBetaGeometric:
        """Fit by maximum likelihood on one cohort's survivors.

        Parameters
        ----------
        n_alive : sequence of numbers
            Customers still active at periods 0, 1, ..., k; the first is the
            cohort size. Must not increase.
        time_unit : {"D", "W", "M", "Q", "Y"}, optional
            Length of one period; from ``n_alive.attrs["time_unit"]`` when
            not given (a column of :func:`relmark_lab.datasets.load_sbg_cohorts`
            records "Y"), required otherwise.

        Returns
        -------
        ShiftedBetaGeometric
            self, fitted, with ``time_unit_`` recorded.

        Raises
        ------
        DataError
            If a count is missing, negative or rises, there are fewer than 2
            periods, the unit is unknown, or the fit does not converge. A fit
            that raises leaves the estimator as it was.

        Examples
        --------
        >>> model = ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326], time_unit="Y")
        >>> model.params_.round(3).tolist(), model.n_periods_
        ([0.764, 1.296], 4)
        """
        alive = _validated_survivors(n_alive)
        unit = self._fit_unit(n_alive, time_unit)
        lost = -np.diff(alive)
        patterns = pd.DataFrame(
            {
                "period": np.r_[np.arange(1, len(alive)), len(alive) - 1],
                "churned": np.r_[np.ones(len(lost)), 0.0],
                "weights": np.r_[lost, alive[-1]],
            }
        )
        return self._fit_patterns(patterns, time_unit_=unit, n_periods_=len(alive) - 1)

    @staticmethod
    def _log_likelihood(params: dict, data: dict) -> np.ndarray:
        alpha, beta = params["alpha"], params["beta"]
        t, churned = data["period"], data["churned"]
        log_churn = betaln(alpha + 1, beta + t - 1) - betaln(alpha, beta)
        log_survive = betaln(alpha, beta + t) - betaln(alpha, beta)
        return np.where(churned > 0, log_churn, log_survive)

    # -- predictions -------------------------------------------------------------
    def survival(self, t: int | np.ndarray) -> np.ndarray | float:
        """S(t): share of a cohort still a customer after t periods.

        Parameters
        ----------
        t : int or array of int
            Periods (renewals) since the cohort started, at least 0.

        Returns
        -------
        float or numpy.ndarray
            B(alpha, beta + t) / B(alpha, beta), shaped like ``t``; 1 at t = 0.

        Examples
        --------
        >>> model = ShiftedBetaGeometric()
        >>> model.params_ = pd.Series({"alpha": 0.704, "beta": 1.182})  # the regular cohort
        >>> model.survival([0, 1, 7]).round(3).tolist()
        [1.0, 0.627, 0.239]
        """
        self._check_fitted()
        alpha, beta = self.params_
        t = np.asarray(require_times(t, "t", whole=True), dtype=float)
        value = np.exp(betaln(alpha, beta + t) - betaln(alpha, beta))
        return value if np.ndim(value) else float(value)

    def retention_rate(self, t: int | np.ndarray) -> np.ndarray | float:
        """r_t = S(t)/S(t-1) = (beta + t - 1)/(alpha + beta + t - 1): renewal at period t.

        Parameters
        ----------
        t : int or array of int
            Period of the renewal, at least 1 (period 1 is the first renewal).

        Returns
        -------
        float or numpy.ndarray
            Share of the customers of period t - 1 who renew, shaped like
            ``t``; it rises with t.

        Examples
        --------
        >>> model = ShiftedBetaGeometric()
        >>> model.params_ = pd.Series({"alpha": 0.704, "beta": 1.182})  # the regular cohort
        >>> model.retention_rate([1, 2, 12]).round(3).tolist()
        [0.627, 0.756, 0.945]
        """
        self._check_fitted()
        alpha, beta = self.params_
        t = np.asarray(require_times(t, "t", whole=True), dtype=float)
        if np.any(t < 1):
            raise DataError(_("t must be whole numbers of at least 1 (the first renewal is at "
                              "period 1), got {example}.").format(
                                  example=describe_example(t[t < 1].ravel()[0])))
        value = (beta + t - 1) / (alpha + beta + t - 1)
        return value if value.ndim else float(value)

    def expected_alive(self, periods: int, cohort_size: float = 1.0) -> pd.DataFrame:
        """Projected survivors of a cohort for periods 0..``periods``.

        Parameters
        ----------
        periods : int
            Last period projected.
        cohort_size : float, default 1
            Customers at period 0.

        Returns
        -------
        pandas.DataFrame
            Columns ``period``, ``survival`` (share), ``n_alive`` (cohort_size x share),
            ``retention_rate`` (NaN at period 0).

        Examples
        --------
        >>> model = ShiftedBetaGeometric()
        >>> model.params_ = pd.Series({"alpha": 0.704, "beta": 1.182})
        >>> model.expected_alive(2, cohort_size=1000)["n_alive"].round(0).tolist()
        [1000.0, 627.0, 474.0]
        """
        periods = require_whole_number("periods", periods, low=0)
        cohort_size = require_number("cohort_size", cohort_size, low=0)
        t = np.arange(periods + 1)
        share = self.survival(t)
        return pd.DataFrame(
            {
                "period": t,
                "survival": share,
                "n_alive": cohort_size * share,
                "retention_rate": np.r_[np.nan, self.retention_rate(t[1:])],
            }
        )

    def expected_residual_lifetime(self, n_renewals: int | np.ndarray,
                                   discount_rate: float) -> np.ndarray | float:
        """DERL: discounted expected residual lifetime, in payments of one unit per period.

        Parameters
        ----------
        n_renewals : int or array
            Renewals made so far (n - 1 in the paper's notation); 0 for a
            customer who has just started their first period and is about
            to decide on the first renewal.
        discount_rate : float
            Discount rate *per period* of the model's ``time_unit_`` (e.g.
            per year for annual contracts), above 0.

        Returns
        -------
        float or numpy.ndarray
            Multiply by the cash flow per period to get the residual value.

        Examples
        --------
        >>> model = ShiftedBetaGeometric()
        >>> model.params_ = pd.Series({"alpha": 1.0, "beta": 1.0})
        >>> round(model.expected_residual_lifetime(0, 0.1), 4)
        1.8015
        """
        self._check_fitted()
        discount_rate = _check_rate(discount_rate)
        alpha, beta = self.params_
        n = np.asarray(require_times(n_renewals, "n_renewals", whole=True), dtype=float) + 1
        value = np.exp(betaln(alpha, beta + n) - betaln(alpha, beta + n - 1)) * hyp2f1(
            1, beta + n, alpha + beta + n, 1 / (1 + discount_rate)
        )
        return value if value.ndim else float(value)

    def expected_lifetime(self, discount_rate: float) -> float:
        """DEL: discounted expected lifetime of a new customer whose first payment is now.

        Parameters
        ----------
        discount_rate : float
            Discount rate per period of the model's ``time_unit_``, above 0.

        Returns
        -------
        float
            Discounted expected number of payments (the first one, now,
            included); multiply by the cash flow per period for the value.

        Examples
        --------
        >>> model = ShiftedBetaGeometric()
        >>> model.params_ = pd.Series({"alpha": 1.0, "beta": 1.0})
        >>> round(model.expected_lifetime(0.1), 4)
        2.6377
        """
        self._check_fitted()
        discount_rate = _check_rate(discount_rate)
        alpha, beta = self.params_
        return float(hyp2f1(1, beta, alpha + beta, 1 / (1 + discount_rate)))


def _check_rate(discount_rate: float) -> float:
    """A discount rate per period above 0: the sums over an unbounded lifetime need it."""
    return require_number("discount_rate", discount_rate, low=0, low_open=True)


def _validated_survivors(n_alive: Sequence[float] | pd.Series) -> np.ndarray:
    try:
        raw = list(n_alive) if not isinstance(n_alive, (str, bytes)) else [n_alive]
    except TypeError as error:
        raise DataError(_("n_alive must be a sequence of counts (the cohort size first), got "
                          "{example}.").format(example=describe_example(n_alive))) from error
    alive = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(dtype=float)
    if len(alive) < 3:
        raise DataError(
            _("n_alive needs the cohort size and at least two later counts, got {count} "
              "value(s): one period of renewals identifies only the first period's churn rate, "
              "not how churn probabilities vary across customers (alpha and beta). Give at least "
              "2 periods, or use that churn rate (1 - n_alive[1] / n_alive[0]) as it is.")
            .format(count=len(alive)))
    bad = ~np.isfinite(alive) | (alive < 0)
    if bad.any():
        raise column_error(_("sBG cohort"), "n_alive", int(bad.sum()),
                           _("missing, negative or not a number"), raw[int(np.argmax(bad))])
    rising = np.flatnonzero(np.diff(alive) > 0)
    if rising.size:
        k = rising[0]
        raise DataError(_("n_alive: survivors rise in {count} periods, e.g. from {before:g} at "
                          "period {period} to {after:g} at period {next_period}; a cohort can "
                          "only shrink.").format(count=rising.size, before=alive[k], period=k,
                                                 after=alive[k + 1], next_period=k + 1))
    return alive
