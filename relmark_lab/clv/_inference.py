"""Standard errors, and what a fit reports when a parameter runs off to 0 or infinity (private).

Standard errors
---------------
The Hessian of the negative log-likelihood in the log-parameters is taken
numerically at the optimum (:func:`numerical_hessian`, central differences
of the function, or :func:`hessian_from_gradient`, of an analytic
gradient); its inverse is the covariance of the log-parameters.

Fits at the boundary
--------------------
Every parameter of the CLV models is positive, so the boundary of the
parameter space is 0 and infinity. When the data cannot rule out a
parameter lying there, the likelihood has no maximum inside: the optimiser
walks along a ridge on which the likelihood hardly changes (a calibration
period in which almost nobody seems to leave sends the BG/NBD's mean
dropout probability a/(a+b) to 0) and stops wherever the ridge is flat
enough. Where it stops, and so whether the Hessian is singular or only
ill-conditioned, changes with the data at hand: an interval like
[6e-81, 2.5e68] is the symptom.

:func:`flat_parameters` tests every fit the same way. Along each
eigenvector v of the Hessian it moves the log-parameters by log(1000), a
factor of 1,000, each way. If the negative log-likelihood rises by less
than 1.92 (half the 95% point of a chi-square with one degree of freedom:
the cut-off of a 95% likelihood-ratio interval), the data are compatible
with the parameters that load on v (``|v_i| >= 0.3``) lying a thousand
times further out: they are *at the boundary*. A direction without
curvature counts too, whatever its far values. The fit is kept; those
parameters have no standard error (NaN), the others' come from their own
block of the Hessian (conditional on the boundary values; if the optimiser
stopped on the ridge before the others converged, they are re-fitted with
the boundary parameters held where they are), and :class:`BoundaryWarning`
says which parameters, where they went, what that means for the customers,
and what to try (the sentences are built in :mod:`relmark_lab.clv._fit_messages`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import optimize

__all__ = [
    "FLAT_FACTOR",
    "FLAT_RISE",
    "BoundaryWarning",
    "conditional_covariance",
    "flat_parameters",
    "hessian_from_gradient",
    "numerical_hessian",
    "refit_free",
]

#: How much further out (a factor) a parameter is moved to test a flat likelihood.
FLAT_FACTOR = 1000.0
#: A rise of the negative log-likelihood below this is "flat": 3.84 / 2, the cut-off
#: of a 95% likelihood-ratio interval.
FLAT_RISE = 1.92
#: A parameter takes part in a flat direction when it loads on it at least this much.
_LOADING = 0.3


class BoundaryWarning(UserWarning):
    """A fit whose estimates lie at the boundary of the parameter space (0 or infinity).

    ``fit`` of a CLV model emits it, names the parameters (also listed in the
    fitted ``boundary_``), says where they went, what that means and what to
    try; the fit is kept, with NaN standard errors for those parameters.
    Turn it into an error with ``warnings.simplefilter("error", BoundaryWarning)``.

    Examples
    --------
    >>> issubclass(BoundaryWarning, UserWarning)
    True
    """


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


def hessian_from_gradient(gradient: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
                          step: float = 1e-5) -> np.ndarray:
    """Hessian by central differences of an analytic gradient, symmetrised.

    Examples
    --------
    >>> hessian_from_gradient(lambda v: np.array([2 * v[0] + 3 * v[1], 3 * v[0]]),
    ...                       np.zeros(2)).round(6)
    array([[2., 3.],
           [3., 0.]])
    """
    columns = [(gradient(x + step * e) - gradient(x - step * e)) / (2 * step)
               for e in np.eye(len(x))]
    hessian = np.column_stack(columns)
    return (hessian + hessian.T) / 2


def flat_parameters(nll: Callable[[np.ndarray], float], x: np.ndarray,
                    hessian: np.ndarray) -> dict[int, tuple[str, ...]]:
    """The parameters the data cannot keep from 0 or infinity, and which way they go.

    Parameters
    ----------
    nll : callable
        Negative log-likelihood (the total, not the mean) of the log-parameters.
    x : numpy.ndarray
        The optimum, in log-parameters.
    hessian : numpy.ndarray
        Hessian of ``nll`` at ``x``.

    Returns
    -------
    dict
        Position of each parameter at the boundary -> the ends ("0",
        "infinity") toward which the likelihood stays flat; empty for a
        direction without curvature whose far values rise all the same.

    Examples
    --------
    The second parameter, exp(v[1]), is about 1e-13 and could as well be 0:

    >>> nll = lambda v: 10 * v[0] ** 2 + np.log1p(np.exp(v[1]))
    >>> x = np.array([0.0, -30.0])
    >>> flat_parameters(nll, x, numerical_hessian(nll, x))
    {1: ('0', 'infinity')}
    """
    k = len(x)
    finite = bool(np.all(np.isfinite(hessian)))
    eigenvalues, vectors = np.linalg.eigh(hessian) if finite else (np.zeros(k), np.eye(k))
    scale = float(np.max(np.abs(eigenvalues))) if finite else 0.0
    base = nll(x)
    step = np.log(FLAT_FACTOR)
    ends: dict[int, set[str]] = {}
    for value, vector in zip(eigenvalues, vectors.T, strict=True):
        loaded = [int(i) for i in np.flatnonzero(np.abs(vector) >= _LOADING)]
        if not value > 1e-9 * scale:  # no curvature: no standard error either way
            for i in loaded:
                ends.setdefault(i, set())
        for sign in (1.0, -1.0):
            rise = nll(x + sign * step * vector) - base
            if np.isfinite(rise) and rise < FLAT_RISE:
                for i in loaded:
                    ends.setdefault(i, set()).add("infinity" if sign * vector[i] > 0 else "0")
    return {i: tuple(sorted(ends[i])) for i in sorted(ends)}


def conditional_covariance(hessian: np.ndarray, free: np.ndarray) -> np.ndarray:
    """Covariance of the free log-parameters given the others; NaN rows for the others.

    The inverse of the Hessian's block of the ``free`` parameters; a free
    parameter whose variance comes out non-positive or not finite gets NaN
    as well (the caller reports it at the boundary).

    Examples
    --------
    >>> conditional_covariance(np.array([[4.0, 1.0], [1.0, 0.0]]), np.array([True, False]))
    array([[0.25,  nan],
           [ nan,  nan]])
    """
    k = len(free)
    covariance = np.full((k, k), np.nan)
    if free.any():
        block = hessian[np.ix_(free, free)]
        try:
            inverse = np.linalg.inv(block)
        except np.linalg.LinAlgError:
            inverse = np.full(block.shape, np.nan)
        covariance[np.ix_(free, free)] = inverse
    bad = ~(np.diag(covariance) > 0)
    covariance[bad, :] = np.nan
    covariance[:, bad] = np.nan
    return covariance


def refit_free(objective: Callable, x: np.ndarray, free: np.ndarray, max_iter: int,
               has_gradient: bool) -> Any:
    """Minimise ``objective`` over the ``free`` coordinates, the others held at ``x``.

    For a fit stopped on a ridge toward the boundary before the other
    parameters converged. ``objective`` returns the value [and the gradient,
    if ``has_gradient``]; the result's ``x`` and ``jac`` are full-length
    (``jac`` is 0 for the held coordinates).

    Examples
    --------
    >>> bowl = lambda v: (v[0] - 1) ** 2 + (v[1] + 2) ** 2
    >>> refit_free(bowl, np.zeros(2), np.array([True, False]), 100, False).x.round(4)
    array([1., 0.])
    """
    def restricted(values: np.ndarray):
        full = x.copy()
        full[free] = values
        value = objective(full)
        return (value[0], value[1][free]) if has_gradient else value

    result = optimize.minimize(restricted, x[free], method="BFGS", jac=has_gradient,
                               options={"maxiter": max_iter, "gtol": 1e-7})
    full, jac = x.copy(), np.zeros_like(x)
    full[free], jac[free] = result.x, result.jac
    result.x, result.jac = full, jac
    return result
