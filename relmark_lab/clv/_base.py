"""Maximum likelihood machinery shared by the CLV models.

Every model file defines its log-likelihood in closed form; this module
does the rest the same way for all of them:

1. **Compress.** Customers with the same data pattern, e.g. the same
   (frequency, recency, T), have the same likelihood. They are grouped and
   the pattern's log-likelihood is multiplied by how many customers share
   it (``weights``). A million customers often have only tens of thousands
   of distinct patterns, which is where the speed comes from.
2. **Maximise.** The parameters are all positive, so the optimiser
   (``scipy.optimize.minimize``, BFGS) works on their logarithms. A model
   that supplies its analytic gradient (the BG/NBD does) gets it used;
   the others use finite differences.
3. **Standard errors.** The Hessian of the negative log-likelihood in the
   log-parameters is taken numerically at the optimum; its inverse is the
   covariance of the log-parameters. The standard error of a parameter
   follows by the delta method, ``se(theta) = theta * se(log theta)``, and
   the 95% interval is ``exp(log theta ± 1.96 se(log theta))``, which stays
   positive (:mod:`relmark_lab.clv._inference`).
4. **Units.** Every estimator records the time unit of the data it was
   fitted on in ``time_unit_`` (from ``fit(..., time_unit=...)`` or from
   ``data.attrs["time_unit"]``, which :func:`relmark_lab.clv.summarize`
   sets). Predictions refuse data whose ``attrs`` name another unit, and
   :func:`relmark_lab.clv.customer_lifetime_value` values in the model's
   unit, so a merge that drops ``attrs`` cannot turn weeks into months.
5. **Penalizer.** ``penalizer=c`` (0 by default: plain maximum
   likelihood) adds ``c * sum(log(theta) ** 2)`` to the mean negative
   log-likelihood, an L2 penalty on the log-parameters, as lifetimes'
   ``penalizer_coef`` adds one to its objective. The penalty is on the logs,
   not on the parameters as in lifetimes, because the boundaries to guard
   against are 0 *and* infinity (no dropout sends a BG/NBD's ``a`` to 0, a
   penalty on ``a ** 2`` would not stop it), and a log penalty keeps every
   estimate finite and positive. It pulls every parameter toward 1, more
   so for small samples; it equals a normal prior on each log-parameter
   with variance ``1 / (2 c n)`` for n customers, so the estimates are
   posterior modes and the standard errors come from the penalized
   Hessian. ``log_likelihood_`` stays the unpenalized log-likelihood.
   0.001 to 0.01 are usual; compare the predictions with and without.
6. **Boundary.** Unpenalized, a parameter may run off to 0 or infinity
   (hardly any dropout in the calibration period). The fit is then kept,
   the same way whatever the data: ``boundary_`` lists those parameters,
   their standard errors are NaN, and a :class:`BoundaryWarning` names them,
   says where they went, what that means and what to try
   (:mod:`relmark_lab.clv._inference` gives the test). Only data that say
   nothing at all (no customer with a repeat purchase) raise
   :class:`ConvergenceError`.

The estimators are scikit-learn estimators: hyper-parameters are stored
unvalidated in ``__init__`` (``get_params``, ``set_params``, ``clone`` and
the repr come from :class:`sklearn.base.BaseEstimator`), ``fit`` returns
``self`` and fitted attributes end in ``_``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize
from sklearn.base import BaseEstimator

from relmark_lab._validate import require_number, require_whole_number
from relmark_lab.clv._fit_messages import (
    boundary_message,
    data_note,
    mixing_facts,
    not_converged_message,
    unit_name,
)
from relmark_lab.clv._inference import (
    BoundaryWarning,
    conditional_covariance,
    flat_parameters,
    hessian_from_gradient,
    numerical_hessian,
    refit_free,
)
from relmark_lab.clv._inputs import as_scalar, compress, data_unit, resolve_fit_unit
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = [
    "BoundaryWarning",
    "ConvergenceError",
    "MaximumLikelihoodModel",
    "compress",
    "require_model",
]

_Z_95 = 1.959963984540054


class ConvergenceError(DataError):
    """The likelihood maximisation did not reach an optimum, or has nothing to go on.

    A subclass of :class:`relmark_lab.DataError`: nobody made a repeat
    purchase, or the optimiser stopped short (the message says why and what
    to try). A parameter running off to 0 or infinity is not an error: the
    fit is kept with a :class:`BoundaryWarning`.
    """


def require_model(model: Any, kinds: tuple[type, ...], name: str, hint: str | None = None) -> None:
    """Raise DataError unless ``model`` is a fitted instance of one of ``kinds``.

    Examples
    --------
    >>> from relmark_lab.clv import BetaGeoNBD, GammaGamma
    >>> require_model(GammaGamma(), (BetaGeoNBD,), "model")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: model must be a fitted BetaGeoNBD, got GammaGamma.
    >>> require_model(BetaGeoNBD(), (BetaGeoNBD,), "model")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: This BetaGeoNBD is not fitted yet; call fit(data) first.
    """
    if not isinstance(model, kinds):
        got = "None" if model is None else type(model).__name__
        names = [kind.__name__ for kind in kinds]
        listed = names[0] if len(names) == 1 else _("{items} or {last}").format(
            items=", ".join(names[:-1]), last=names[-1])
        message = _("{name} must be a fitted {kinds}, got {got}.").format(
            name=name, kinds=listed, got=got)
        raise DataError(f"{message} {hint}" if hint else message)
    model._check_fitted()


def _no_repeat_message(model: str, total: float, unseen: float, age: str | None) -> str:
    """Why data in which nobody bought twice cannot be fitted, and what to do."""
    if unseen:
        template = _("{model}.fit: none of the {total:,.0f} customers made a repeat purchase "
                     "({unseen:,.0f} of them first seen at the end of the period, {age} = 0), so "
                     "the data say nothing about how often customers buy again or when they "
                     "leave: the model cannot be fitted. Use a longer calibration period (a later "
                     "calibration_end), or check that the summary counts repeat purchases "
                     "(frequency counts the purchase days after the first).")
    else:
        template = _("{model}.fit: none of the {total:,.0f} customers made a repeat purchase, so "
                     "the data say nothing about how often customers buy again or when they "
                     "leave: the model cannot be fitted. Use a longer calibration period (a later "
                     "calibration_end), or check that the summary counts repeat purchases "
                     "(frequency counts the purchase days after the first).")
    return template.format(model=model, total=total, unseen=unseen, age=age)


class MaximumLikelihoodModel(BaseEstimator):
    """Base class: fit by maximum likelihood on compressed data patterns.

    Subclasses set ``_param_names`` (the paper's names, in order) and
    ``_pattern_columns``, and implement ``_log_likelihood(params, data)``
    returning the log-likelihood of each row of the compressed data
    (a dict of numpy arrays). ``fit`` validates and compresses the data,
    resolves the time unit (:meth:`_fit_unit`), then calls
    :meth:`_fit_patterns`, which sets every fitted attribute at once, only
    after every check has passed: a fit that fails leaves the estimator as
    it was (unfitted, or with its previous fit).

    Parameters
    ----------
    initial_params : sequence of float, optional
        Starting values, in the order of the paper's parameters; all 1 by
        default.
    max_iter : int, default 2000
        Iterations allowed to the optimiser.
    penalizer : float, default 0
        Weight of the L2 penalty ``penalizer * sum(log(theta) ** 2)`` added to
        the mean negative log-likelihood (see the module's "Penalizer"); 0 is
        plain maximum likelihood.
    """

    _param_names: tuple[str, ...] = ()
    _pattern_columns: tuple[str, ...] = ()
    #: The end of a BoundaryWarning: what to try.
    _boundary_advice = N_("For finite estimates pass a small penalizer, e.g. penalizer=0.001 "
                          "(an L2 penalty on the log-parameters), or fit on more data.")
    #: The distributions across customers, told by a BoundaryWarning (see
    #: :func:`~relmark_lab.clv._fit_messages.mixing_facts`); labels and notes marked N_.
    _mixing: tuple = ()

    def __init__(self, initial_params: Sequence[float] | None = None, max_iter: int = 2000,
                 penalizer: float = 0.0):
        self.initial_params = initial_params
        self.max_iter = max_iter
        self.penalizer = penalizer

    # -- fitting -----------------------------------------------------------------
    def _log_likelihood(self, params: dict[str, float], data: dict[str, np.ndarray]) -> np.ndarray:
        raise NotImplementedError

    #: Models that can also return the gradient set this and implement
    #: ``_weighted_log_likelihood_and_gradient(params, data, weights)`` returning the
    #: weighted sum of the log-likelihood and its gradient in the natural parameters.
    _has_gradient = False

    def _prepare(self, data: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Precompute what does not depend on the parameters (hook; identity by default)."""
        return data

    def _objective(self, data: dict, weights: np.ndarray, penalizer: float = 0.0):
        """Penalized negative mean log-likelihood of the log-parameters [and its gradient]."""
        total = weights.sum()

        def value_only(log_params: np.ndarray) -> float:
            params = dict(zip(self._param_names, np.exp(log_params), strict=True))
            with np.errstate(all="ignore"):
                value = -np.multiply(weights, self._log_likelihood(params, data)).sum() / total
            # A non-finite value steers the optimiser away instead of stopping it.
            if not np.isfinite(value):
                return 1e10
            return float(value + penalizer * np.sum(log_params**2))

        def with_gradient(log_params: np.ndarray) -> tuple[float, np.ndarray]:
            theta = np.exp(log_params)
            params = dict(zip(self._param_names, theta, strict=True))
            with np.errstate(all="ignore"):
                ll, grad = self._weighted_log_likelihood_and_gradient(params, data, weights)
                value = -ll / total
                # Chain rule for log-parameters: d/d log(theta) = theta d/d theta.
                gradient = -np.asarray(grad) * theta / total
            if not (np.isfinite(value) and np.all(np.isfinite(gradient))):
                return 1e10, np.zeros_like(log_params)
            return (float(value + penalizer * np.sum(log_params**2)),
                    gradient + 2 * penalizer * log_params)

        return with_gradient if self._has_gradient else value_only

    def _start(self) -> np.ndarray:
        """The optimiser's starting point (log-parameters), from ``initial_params`` (checked)."""
        names = self._param_names
        values = self.initial_params
        if values is None:
            return np.zeros(len(names))
        listed = (pd.api.types.is_list_like(values)
                  and not isinstance(values, (dict, set, frozenset)))
        values = list(values) if listed else values
        if not listed or len(values) != len(names):
            raise DataError(
                _("{model}: initial_params must be {count} numbers, one for each of {names}, "
                  "got {example}.").format(model=type(self).__name__, count=len(names),
                                           names=", ".join(names),
                                           example=describe_example(values)))
        return np.log([
            require_number(f"initial_params[{i}] ({name})", as_scalar(value), low=0, low_open=True)
            for i, (name, value) in enumerate(zip(names, values, strict=True))
        ])

    def _age_column(self) -> str | None:
        """The column of the time a customer was observed (T, n_periods), if the data have one."""
        return next((c for c in ("T", "n_periods") if c in self._pattern_columns), None)

    def _fit_patterns(self, patterns: pd.DataFrame, **fitted: Any) -> MaximumLikelihoodModel:
        """Maximise the likelihood of ``patterns``; set the fitted attributes and ``fitted``.

        Nothing is set on ``self`` before every check has passed, so a fit
        that raises leaves the estimator as it was; a boundary warning is
        emitted before anything is set, too.
        """
        name = type(self).__name__
        start = self._start()
        max_iter = require_whole_number("max_iter", self.max_iter, low=1)
        penalizer = require_number("penalizer", as_scalar(self.penalizer), low=0)
        weights = patterns["weights"].to_numpy(dtype=float)
        total = weights.sum()
        if not len(patterns) or total <= 0:
            raise DataError(_("{model}.fit: there are no customers to fit (the data have no "
                              "rows, or their weights add up to 0).").format(model=name))
        age = self._age_column()
        note = data_note(patterns, weights, age)
        unseen = float(weights[patterns[age].to_numpy() == 0].sum()) if age else 0.0
        if "frequency" in patterns and not weights[patterns["frequency"].to_numpy() > 0].any():
            raise ConvergenceError(_no_repeat_message(name, total, unseen, age))
        data = self._prepare({c: patterns[c].to_numpy(dtype=float)
                              for c in self._pattern_columns})
        objective = self._objective(data, weights, penalizer)

        def total_nll(log_params: np.ndarray) -> float:
            value = objective(log_params)
            return (value[0] if self._has_gradient else value) * total

        result = optimize.minimize(
            objective, start, method="BFGS", jac=self._has_gradient,
            options={"maxiter": max_iter, "gtol": 1e-7},
        )
        if not (np.all(np.isfinite(result.x)) and result.fun < 1e10):
            raise self._not_converged(result, note, max_iter)
        hessian = self._hessian(objective, total, result.x)
        names = list(self._param_names)
        ends = {names[i]: way for i, way in flat_parameters(total_nll, result.x, hessian).items()}
        free = np.array([n not in ends for n in names])
        # BFGS often stops with "precision loss" at the optimum, or on a ridge toward the
        # boundary: accept it when the gradient of the other parameters is small, or once
        # they are re-fitted with the boundary parameters held where they are.
        if not (result.success or np.all(np.abs(result.jac[free]) < 1e-4)):
            if free.all():
                raise self._not_converged(result, note, max_iter)
            result = refit_free(objective, result.x, free, max_iter, self._has_gradient)
            if not (result.success or np.all(np.abs(result.jac) < 1e-4)):
                raise self._not_converged(result, note, max_iter)
            hessian = self._hessian(objective, total, result.x)
        covariance_log = conditional_covariance(hessian, free)
        ends.update({n: () for n, bad in zip(names, np.isnan(np.diag(covariance_log)),
                                             strict=True) if bad and n not in ends})
        params = pd.Series(np.exp(result.x), index=names, name="estimate")
        boundary = [n for n in names if n in ends]
        if boundary:
            span = float(patterns[age].max()) if age else None
            message = boundary_message(name, params, {n: ends[n] for n in boundary},
                                       mixing_facts(self._mixing, params, span,
                                                    fitted.get("time_unit_")), note,
                                       _(self._boundary_advice))
            warnings.warn(message, BoundaryWarning, stacklevel=3)
        se_log = np.sqrt(np.diag(covariance_log))
        fitted.update(
            params_=params,
            log_likelihood_=float(-(result.fun - penalizer * np.sum(result.x**2)) * total),
            n_customers_=float(total),
            n_patterns_=len(patterns),
            n_iter_=int(result.nit),
            boundary_=boundary,
            covariance_log_params_=pd.DataFrame(covariance_log, index=params.index,
                                                columns=params.index),
            standard_errors_=pd.Series(params.to_numpy() * se_log, index=params.index,
                                       name="standard_error"),
        )
        if age:  # kept: their likelihood is 1, their predictions those of a new customer
            fitted["n_first_seen_at_end_"] = unseen
        for attribute, value in fitted.items():  # all at once, now that every check passed
            setattr(self, attribute, value)
        return self

    def _hessian(self, objective: Callable, total: float, x: np.ndarray) -> np.ndarray:
        """Hessian of the total (penalized) negative log-likelihood at ``x``."""
        if self._has_gradient:
            return hessian_from_gradient(lambda v: objective(v)[1] * total, x)
        return numerical_hessian(lambda v: objective(v) * total, x)

    def _not_converged(self, result: Any, note: str, max_iter: int) -> ConvergenceError:
        """The error of a fit that stopped short of an optimum, saying why and what to try."""
        return ConvergenceError(not_converged_message(
            type(self).__name__, result, note, max_iter, self._describe(np.exp(result.x))))

    def _describe(self, values: np.ndarray) -> str:
        return ", ".join(f"{n}={v:.4g}" for n, v in zip(self._param_names, values, strict=True))

    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise DataError(_("This {model} is not fitted yet; call fit(data) first.").format(
                model=type(self).__name__))

    # -- units -------------------------------------------------------------------
    #: Whether ``fit`` refuses data of unknown time unit (the spend model does not).
    _unit_required = True

    def _fit_unit(self, data: Any, time_unit: str | None) -> str | None:
        """The ``time_unit_`` a fit will record: ``time_unit`` or ``data.attrs`` (checked).

        See :func:`~relmark_lab.clv._inputs.resolve_fit_unit`; the caller passes it
        to :meth:`_fit_patterns`, which sets it with the other fitted attributes.
        """
        return resolve_fit_unit(data, time_unit, type(self).__name__,
                                required=self._unit_required)

    def _check_data_unit(self, data: Any) -> None:
        """Refuse data whose ``attrs`` record a time unit other than the model's."""
        model_unit = getattr(self, "time_unit_", None)
        recorded = data_unit(data)
        if model_unit is not None and recorded is not None and recorded != model_unit:
            raise DataError(
                _("This {model} was fitted in time_unit={unit!r}, but the data are summarized "
                  "in time_unit={recorded!r}. Summarize the data in {unit_name} "
                  "(rl.clv.summarize(..., time_unit={unit!r})) or refit the model on the data's "
                  "unit.").format(model=type(self).__name__, unit=model_unit, recorded=recorded,
                                  unit_name=unit_name(model_unit)))

    # -- reporting ---------------------------------------------------------------
    def summary(self) -> pd.DataFrame:
        """Estimates, standard errors and 95% intervals, one row per parameter.

        Returns
        -------
        pandas.DataFrame
            Columns ``parameter``, ``estimate``, ``standard_error`` (delta
            method from the log scale), ``lower_95``, ``upper_95`` (interval
            on the log scale, transformed back).
        """
        self._check_fitted()
        log_estimate = np.log(self.params_.to_numpy())
        se_log = self.standard_errors_.to_numpy() / self.params_.to_numpy()
        return pd.DataFrame(
            {
                "parameter": self.params_.index,
                "estimate": self.params_.to_numpy(),
                "standard_error": self.standard_errors_.to_numpy(),
                "lower_95": np.exp(log_estimate - _Z_95 * se_log),
                "upper_95": np.exp(log_estimate + _Z_95 * se_log),
            }
        )

