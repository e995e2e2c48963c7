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
   log-parameters is taken numerically at the optimum (central
   differences of the function, or of the analytic gradient); its inverse
   is the covariance of the log-parameters. The standard error of a
   parameter follows by the delta method, ``se(theta) = theta *
   se(log theta)``, and the 95% interval is
   ``exp(log theta ± 1.96 se(log theta))``, which stays positive.
4. **Units.** Every estimator records the time unit of the data it was
   fitted on in ``time_unit_`` (from ``fit(..., time_unit=...)`` or from
   ``data.attrs["time_unit"]``, which :func:`relmark_lab.clv.summarize`
   sets). Predictions refuse data whose ``attrs`` name another unit, and
   :func:`relmark_lab.clv.customer_lifetime_value` values in the model's
   unit, so a merge that drops ``attrs`` cannot turn weeks into months.

The estimators are scikit-learn estimators: hyper-parameters are stored
unvalidated in ``__init__`` (``get_params``, ``set_params``, ``clone`` and
the repr come from :class:`sklearn.base.BaseEstimator`), ``fit`` returns
``self`` and fitted attributes end in ``_``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize
from sklearn.base import BaseEstimator

from relmark_lab import units
from relmark_lab._validate import require_number, require_whole_number
from relmark_lab.clv._inputs import as_scalar, data_unit, resolve_fit_unit
from relmark_lab.errors import DataError, describe_example

__all__ = [
    "ConvergenceError",
    "MaximumLikelihoodModel",
    "compress",
    "numerical_hessian",
    "require_model",
]

_Z_95 = 1.959963984540054


class ConvergenceError(DataError):
    """The likelihood maximisation did not reach a finite optimum.

    A subclass of :class:`relmark_lab.DataError`: it usually means the data
    cannot identify the model (too few customers, no repeat purchases, a
    parameter running off to infinity), which the user fixes in the data.
    """


def compress(data: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Group identical rows of ``columns`` and add up their ``weights``.

    Parameters
    ----------
    data : pandas.DataFrame
        Validated data; a ``weights`` column is used if present, else each
        row weighs 1.
    columns : sequence of str
        Columns that define a pattern.

    Returns
    -------
    pandas.DataFrame
        ``columns`` + ``weights``, one row per distinct pattern, in order of
        first appearance.

    Examples
    --------
    >>> compress(pd.DataFrame({"x": [1, 1, 2]}), ["x"])
       x  weights
    0  1      2.0
    1  2      1.0
    """
    # One integer code per pattern, built column by column with hash factorisation
    # (re-coded after each column so the combined key never overflows).
    key = np.zeros(len(data), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(data[column].to_numpy(), sort=False)
        key, _ = pd.factorize(key * len(uniques) + codes, sort=False)
    n_patterns = int(key.max()) + 1 if len(key) else 0
    first_row = np.empty(n_patterns, dtype=np.int64)
    first_row[key[::-1]] = np.arange(len(key))[::-1]  # first occurrence of each pattern
    weights = data["weights"].to_numpy(dtype=float) if "weights" in data else None
    frame = pd.DataFrame({column: data[column].to_numpy()[first_row] for column in columns})
    frame["weights"] = np.bincount(key, weights=weights, minlength=n_patterns).astype(float)
    return frame


def numerical_hessian(func: Callable[[np.ndarray], float], x: np.ndarray,
                      step: float = 1e-4) -> np.ndarray:
    """Hessian of a scalar function by central differences.

    Parameters
    ----------
    func : callable
        Smooth function of a 1-d array.
    x : numpy.ndarray
        Point where the Hessian is taken.
    step : float, default 1e-4
        Step in every coordinate (the models use log-parameters, so this
        is a relative step of 0.01% on the natural scale).

    Returns
    -------
    numpy.ndarray
        Symmetric (k, k) matrix.

    Examples
    --------
    >>> numerical_hessian(lambda v: v[0] ** 2 + 3 * v[0] * v[1], np.zeros(2)).round(6)
    array([[2., 3.],
           [3., 0.]])
    """
    k = len(x)
    shifts = np.eye(k) * step
    hessian = np.empty((k, k))
    for i in range(k):
        for j in range(i, k):
            value = (
                func(x + shifts[i] + shifts[j])
                - func(x + shifts[i] - shifts[j])
                - func(x - shifts[i] + shifts[j])
                + func(x - shifts[i] - shifts[j])
            ) / (4 * step**2)
            hessian[i, j] = hessian[j, i] = value
    return hessian


def _hessian_from_gradient(gradient: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
                           step: float = 1e-5) -> np.ndarray:
    """Hessian by central differences of an analytic gradient, symmetrised."""
    columns = [(gradient(x + step * e) - gradient(x - step * e)) / (2 * step)
               for e in np.eye(len(x))]
    hessian = np.column_stack(columns)
    return (hessian + hessian.T) / 2


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
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
        message = f"{name} must be a fitted {listed}, got {got}."
        raise DataError(f"{message} {hint}" if hint else message)
    model._check_fitted()


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
    """

    _param_names: tuple[str, ...] = ()
    _pattern_columns: tuple[str, ...] = ()

    def __init__(self, initial_params: Sequence[float] | None = None, max_iter: int = 2000):
        self.initial_params = initial_params
        self.max_iter = max_iter

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

    def _objective(self, data: dict, weights: np.ndarray):
        """Negative mean log-likelihood of the log-parameters [and its gradient]."""
        total = weights.sum()

        def value_only(log_params: np.ndarray) -> float:
            params = dict(zip(self._param_names, np.exp(log_params), strict=True))
            with np.errstate(all="ignore"):
                value = -np.multiply(weights, self._log_likelihood(params, data)).sum() / total
            # A non-finite value steers the optimiser away instead of stopping it.
            return float(value) if np.isfinite(value) else 1e10

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
            return float(value), gradient

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
                f"{type(self).__name__}: initial_params must be {len(names)} numbers, one for "
                f"each of {', '.join(names)}, got {describe_example(values)}."
            )
        return np.log([
            require_number(f"initial_params[{i}] ({name})", as_scalar(value), low=0, low_open=True)
            for i, (name, value) in enumerate(zip(names, values, strict=True))
        ])

    def _fit_patterns(self, patterns: pd.DataFrame, **fitted: Any) -> MaximumLikelihoodModel:
        """Maximise the likelihood of ``patterns``; set the fitted attributes and ``fitted``.

        Nothing is set on ``self`` before every check has passed, so a fit
        that raises leaves the estimator as it was.
        """
        name = type(self).__name__
        start = self._start()
        max_iter = require_whole_number("max_iter", self.max_iter, low=1)
        weights = patterns["weights"].to_numpy(dtype=float)
        total = weights.sum()
        if not len(patterns) or total <= 0:
            raise DataError(f"{name}.fit: there are no customers to fit (the data have no rows, "
                            "or their weights add up to 0).")
        data = self._prepare({c: patterns[c].to_numpy(dtype=float)
                              for c in self._pattern_columns})
        objective = self._objective(data, weights)

        def negative_mean_ll(log_params: np.ndarray) -> float:
            value = objective(log_params)
            return value[0] if self._has_gradient else value

        result = optimize.minimize(
            objective, start, method="BFGS", jac=self._has_gradient,
            options={"maxiter": max_iter, "gtol": 1e-7},
        )
        # BFGS often stops with "precision loss" right at the optimum; accept it
        # when the gradient is small, reject anything else.
        small_gradient = np.all(np.abs(result.jac) < 1e-4)
        if not (np.all(np.isfinite(result.x)) and result.fun < 1e10
                and (result.success or small_gradient)):
            reason = (result.message if result.fun < 1e10
                      else "the log-likelihood is not finite at the estimates")
            raise ConvergenceError(
                f"{name}: the maximum likelihood fit did not converge "
                f"({reason}) on {len(patterns)} data patterns of {total:.0f} "
                f"customers; last estimates {self._describe(np.exp(result.x))}. Check that "
                "the data have enough customers with repeat purchases, or pass other "
                "initial_params."
            )
        if np.any(np.abs(result.x) > 25):
            raise ConvergenceError(
                f"{name}: a parameter ran off to 0 or infinity "
                f"({self._describe(np.exp(result.x))}); the data cannot identify the model."
            )
        params = pd.Series(np.exp(result.x), index=list(self._param_names), name="estimate")
        if self._has_gradient:
            hessian = _hessian_from_gradient(lambda v: objective(v)[1], result.x) * total
        else:
            hessian = numerical_hessian(negative_mean_ll, result.x) * total
        eigenvalues = np.linalg.eigvalsh(hessian) if np.all(np.isfinite(hessian)) else [0.0]
        if np.min(eigenvalues) <= 1e-9 * np.max(np.abs(eigenvalues)):
            # A flat direction: the data say nothing about some parameter, so it has
            # no standard error. Say so rather than return NaN.
            raise ConvergenceError(
                f"{name}: the likelihood is flat at the optimum "
                f"({self._describe(params.to_numpy())}); the {total:.0f} customers "
                "cannot identify every parameter (e.g. nobody made a repeat purchase)."
            )
        covariance_log = np.linalg.inv(hessian)
        se_log = np.sqrt(np.diag(covariance_log))
        fitted.update(
            params_=params,
            log_likelihood_=float(-result.fun * total),
            n_customers_=float(total),
            n_patterns_=len(patterns),
            n_iter_=int(result.nit),
            covariance_log_params_=pd.DataFrame(covariance_log, index=params.index,
                                                columns=params.index),
            standard_errors_=pd.Series(params.to_numpy() * se_log, index=params.index,
                                       name="standard_error"),
        )
        for attribute, value in fitted.items():  # all at once, now that every check passed
            setattr(self, attribute, value)
        return self

    def _describe(self, values: np.ndarray) -> str:
        return ", ".join(f"{n}={v:.4g}" for n, v in zip(self._param_names, values, strict=True))

    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise DataError(f"This {type(self).__name__} is not fitted yet; call fit(data) first.")

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
                f"This {type(self).__name__} was fitted in time_unit={model_unit!r}, but the "
                f"data are summarized in time_unit={recorded!r}. Summarize the data in "
                f"{units.UNIT_NAMES[model_unit]} (rl.clv.summarize(..., "
                f"time_unit={model_unit!r})) or refit the model on the data's unit."
            )

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

