"""The sentences of a CLV fit that stops short or ends at the boundary (private).

Every sentence says what happened, what the data hold (how many customers,
how many with a repeat purchase, how many first seen at the end of the
period) and what to try, as the kit's messages do (:mod:`relmark_lab._validate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import units
from relmark_lab.clv._inference import FLAT_FACTOR, FLAT_RISE

__all__ = [
    "DROPOUT_ADVICE",
    "boundary_message",
    "data_note",
    "mixing_facts",
    "not_converged_message",
    "per_unit",
]

#: What to try when a purchase model's dropout parameters are at the boundary.
DROPOUT_ADVICE = ("The predictions remain defined (check them on a holdout). For finite "
                  "estimates pass a small penalizer, e.g. penalizer=0.001 (it pulls every "
                  "parameter toward 1), use a longer calibration period, or, if customers "
                  "really do not leave, a model without dropout.")


def data_note(patterns: pd.DataFrame, weights: np.ndarray, age: str | None) -> str:
    """What the data hold: customers, repeat customers, customers observed for no time.

    Parameters
    ----------
    patterns : pandas.DataFrame
        The compressed data; ``frequency`` and the ``age`` column are read
        when present.
    weights : numpy.ndarray
        Customers per pattern.
    age : str, optional
        The column of the time each customer was observed (``T``, ``n_periods``).

    Examples
    --------
    >>> patterns = pd.DataFrame({"frequency": [0, 2, 0], "T": [0.0, 5.0, 4.0]})
    >>> data_note(patterns, np.array([3.0, 10.0, 7.0]), "T")
    '10 of the 20 customers made a repeat purchase; 3 were first seen at the end of the \
period (T = 0) and tell the model nothing'
    """
    total = weights.sum()
    if "frequency" not in patterns:
        return f"{total:,.0f} customers"
    repeaters = weights[patterns["frequency"].to_numpy() > 0].sum()
    note = f"{repeaters:,.0f} of the {total:,.0f} customers made a repeat purchase"
    unseen = weights[patterns[age].to_numpy() == 0].sum() if age else 0.0
    if unseen:
        note += (f"; {unseen:,.0f} were first seen at the end of the period ({age} = 0) "
                 "and tell the model nothing")
    return note


def mixing_facts(mixing: tuple, params: pd.Series, span: float | None,
                 unit: str | None) -> dict[tuple[str, ...], str]:
    """What the estimates of each mixing distribution say about the customers.

    Parameters
    ----------
    mixing : tuple of (names, kind, label, note)
        One entry per distribution across customers, as a model declares it
        in ``_mixing``: ``names`` its two parameters (u, v); ``kind``
        "probability" (a beta distribution, told by its mean u / (u + v)),
        "rate" (a gamma distribution, told by its mean u / v per time unit)
        or "lifetime" (a gamma distribution of dropout rates, told by the
        share of customers who would leave within ``span``,
        1 - (v / (v + span)) ** u); ``note`` is added when that mean
        probability is below 1%, or that share below 5%.
    params : pandas.Series
        The estimates.
    span : float, optional
        The longest time a customer was observed.
    unit : str, optional
        The data's time unit.

    Returns
    -------
    dict
        ``names`` -> a sentence, for :func:`boundary_message`.

    Examples
    --------
    >>> params = pd.Series({"s": 2e-6, "beta": 70.0})
    >>> mixing_facts(((("s", "beta"), "lifetime", "by s and beta", "almost nobody leaves"),),
    ...              params, 39.0, "W")
    {('s', 'beta'): 'by s and beta, 8.9e-07 of the customers would leave within 39 weeks, \
the longest observed: almost nobody leaves'}
    """
    facts = {}
    for names, kind, label, note in mixing:
        u, v = params[names[0]], params[names[1]]
        if kind == "probability":
            text, small = f"{label}, is {u / (u + v):.2g}", u / (u + v) < 0.01
        elif kind == "lifetime" and span:
            share = -np.expm1(-u * np.log1p(span / v))
            shown = f"{share:.1%}" if share >= 0.001 else f"{share:.2g}"
            text = (f"{label}, {shown} of the customers would leave within {span:.3g} "
                    f"{units.UNIT_NAMES[unit] if unit else 'time units'}, the longest observed")
            small = share < 0.05
        else:
            text, small = f"{label}, is {u / v:.2g} {per_unit(unit)}", False
        facts[tuple(names)] = f"{text}: {note}" if small and note else text
    return facts


def per_unit(unit: str | None) -> str:
    """"per week" for "W" (the unit of a rate in a message); "per time unit" if unknown.

    Examples
    --------
    >>> per_unit("W"), per_unit(None)
    ('per week', 'per time unit')
    """
    return f"per {units.UNIT_NAMES[unit].removesuffix('s')}" if unit else "per time unit"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def boundary_message(model: str, params: pd.Series, ends: Mapping[str, tuple[str, ...]],
                     facts: Mapping[tuple[str, ...], str], data_note: str, advice: str) -> str:
    """The sentence of a :class:`BoundaryWarning`.

    Parameters
    ----------
    model : str
        The model's name.
    params : pandas.Series
        All estimates.
    ends : mapping
        Each parameter at the boundary -> the ends it may go to
        (:func:`flat_parameters`).
    facts : mapping
        Parameter names -> what their estimates mean for the customers; the
        facts that involve a parameter at the boundary are told.
    data_note : str
        What the data hold (e.g. how many customers made a repeat purchase).
    advice : str
        What to try.

    Examples
    --------
    >>> params = pd.Series({"r": 1.0, "alpha": 5.0, "a": 1e-8, "b": 2e4})
    >>> print(boundary_message("BetaGeoNBD", params, {"a": ("0",), "b": ("0", "infinity")},
    ...                        {("a", "b"): "the mean a/(a+b) is 5e-13"}, "9 repeat",
    ...                        "Pass penalizer=0.01."))  # doctest: +NORMALIZE_WHITESPACE
    BetaGeoNBD: a and b are at the boundary of the parameter space (0 or infinity): the
    data cannot pin them down (a = 1e-08 could be 1,000 times smaller; b = 2e+04 could be
    1,000 times smaller or larger, and the log-likelihood would change by less than 1.92).
    They have no standard errors (NaN); the others' are conditional on them. The mean
    a/(a+b) is 5e-13. The data: 9 repeat. Pass penalizer=0.01.
    """
    names = list(ends)
    way = {("0",): "smaller", ("infinity",): "larger", ("0", "infinity"): "smaller or larger"}
    where = [f"{name} = {params[name]:.2g} could be {FLAT_FACTOR:,.0f} times {way[ends[name]]}"
             if ends[name] else f"{name} = {params[name]:.2g} has no curvature"
             for name in names]
    one = len(names) == 1
    them = "it" if one else "them"
    told = [fact for involved, fact in facts.items() if set(involved) & set(names)]
    story = "".join(f" {fact[0].upper()}{fact[1:]}." for fact in told)
    return (
        f"{model}: {_and(names)} {'is' if one else 'are'} at the boundary of the parameter "
        f"space (0 or infinity): the data cannot pin {them} down ({'; '.join(where)}, and "
        f"the log-likelihood would change by less than {FLAT_RISE}). "
        f"{'It has no standard error' if one else 'They have no standard errors'} (NaN)"
        + (f"; the others' are conditional on {them}." if len(names) < len(params) else
           ": no parameter is pinned down, the data are too few for this model.")
        + f"{story} The data: {data_note}. {advice}"
    )


def not_converged_message(model: str, result: Any, note: str, max_iter: int,
                          estimates: str) -> str:
    """The sentence of a fit that stopped short of an optimum: why, the data, what to try.

    ``result`` is scipy's ``OptimizeResult``; ``note`` says what the data
    hold and ``estimates`` the last estimates.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> stopped = SimpleNamespace(x=np.zeros(2), fun=1.0, nit=50, jac=np.array([0.1, 0.0]),
    ...                           message="Maximum number of iterations has been exceeded.")
    >>> print(not_converged_message("ParetoNBD", stopped, "9 customers", 50, "r=1, s=1"))
    ... # doctest: +NORMALIZE_WHITESPACE
    ParetoNBD: the maximum likelihood fit did not reach an optimum: it used all
    max_iter=50 iterations. The data: 9 customers; last estimates r=1, s=1. Pass a larger
    max_iter, other initial_params, or penalizer=0.001.
    """
    if not (np.all(np.isfinite(result.x)) and result.fun < 1e10):
        reason = "the log-likelihood is not finite at the last estimates"
    elif result.nit >= max_iter:
        reason = f"it used all max_iter={max_iter} iterations"
    else:
        reason = (f"the optimiser stopped with a gradient of "
                  f"{np.max(np.abs(result.jac)):.2g} ({result.message})")
    return (f"{model}: the maximum likelihood fit did not reach an optimum: {reason}. "
            f"The data: {note}; last estimates {estimates}. Pass a larger max_iter, other "
            "initial_params, or penalizer=0.001.")
