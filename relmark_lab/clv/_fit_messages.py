"""The sentences of a CLV fit that stops short or ends at the boundary (private).

Every sentence says what happened, what the data hold (how many customers,
how many with a repeat purchase, how many first seen at the end of the
period) and what to try, as the kit's messages do (:mod:`relmark_lab._validate`).
Each is an English template looked up in the language in use
(:func:`relmark_lab.i18n.gettext`) when it is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab.clv._inference import FLAT_FACTOR, FLAT_RISE
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = [
    "DROPOUT_ADVICE",
    "and_list",
    "boundary_message",
    "data_note",
    "mixing_facts",
    "not_converged_message",
    "per_unit",
    "unit_name",
]

#: What to try when a purchase model's dropout parameters are at the boundary.
DROPOUT_ADVICE = N_("The predictions remain defined (check them on a holdout). For finite "
                    "estimates pass a small penalizer, e.g. penalizer=0.001 (it pulls every "
                    "parameter toward 1), use a longer calibration period, or, if customers "
                    "really do not leave, a model without dropout.")

#: The plural name of each time unit in a message ("39 weeks"), and of a rate's unit.
_UNIT_NAMES = {"D": N_("days"), "W": N_("weeks"), "M": N_("months"), "Q": N_("quarters"),
               "Y": N_("years")}
_PER_UNIT = {"D": N_("per day"), "W": N_("per week"), "M": N_("per month"),
             "Q": N_("per quarter"), "Y": N_("per year")}


def unit_name(unit: str | None) -> str:
    """"weeks" for "W", in the language in use; "time units" if unknown.

    Examples
    --------
    >>> unit_name("W"), unit_name(None)
    ('weeks', 'time units')
    """
    return _(_UNIT_NAMES[unit]) if unit else _("time units")


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
        return _("{total:,.0f} customers").format(total=total)
    repeaters = weights[patterns["frequency"].to_numpy() > 0].sum()
    unseen = weights[patterns[age].to_numpy() == 0].sum() if age else 0.0
    if unseen:
        return _("{repeaters:,.0f} of the {total:,.0f} customers made a repeat purchase; "
                 "{unseen:,.0f} were first seen at the end of the period ({age} = 0) and tell "
                 "the model nothing").format(repeaters=repeaters, total=total, unseen=unseen,
                                             age=age)
    return _("{repeaters:,.0f} of the {total:,.0f} customers made a repeat purchase").format(
        repeaters=repeaters, total=total)


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
        probability is below 1%, or that share below 5%. ``label`` and
        ``note`` are English, marked with ``N_`` where they are defined and
        translated here.
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
            text = _("{label}, is {mean:.2g}").format(label=_(label), mean=u / (u + v))
            small = u / (u + v) < 0.01
        elif kind == "lifetime" and span:
            share = -np.expm1(-u * np.log1p(span / v))
            shown = f"{share:.1%}" if share >= 0.001 else f"{share:.2g}"
            text = _("{label}, {share} of the customers would leave within {span:.3g} {unit}, "
                     "the longest observed").format(label=_(label), share=shown, span=span,
                                                    unit=unit_name(unit))
            small = share < 0.05
        else:
            text = _("{label}, is {mean:.2g} {per_unit}").format(
                label=_(label), mean=u / v, per_unit=per_unit(unit))
            small = False
        facts[tuple(names)] = f"{text}: {_(note)}" if small and note else text
    return facts


def per_unit(unit: str | None) -> str:
    """"per week" for "W" (the unit of a rate in a message); "per time unit" if unknown.

    Examples
    --------
    >>> per_unit("W"), per_unit(None)
    ('per week', 'per time unit')
    """
    return _(_PER_UNIT[unit]) if unit else _("per time unit")


def and_list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``, in the language in use.

    Examples
    --------
    >>> and_list(["r", "alpha", "a"])
    'r, alpha and a'
    """
    if len(items) == 1:
        return items[0]
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


#: Where a parameter at the boundary could be, by the ends the likelihood stays flat toward.
_WHERE = {
    ("0",): N_("{name} = {value:.2g} could be {factor:,.0f} times smaller"),
    ("infinity",): N_("{name} = {value:.2g} could be {factor:,.0f} times larger"),
    ("0", "infinity"): N_("{name} = {value:.2g} could be {factor:,.0f} times smaller or larger"),
    (): N_("{name} = {value:.2g} has no curvature"),
}


def _boundary_head(model: str, names: list[str], where: str, some_free: bool) -> str:
    """The first sentences of a boundary warning: which parameters, where, no standard errors."""
    fields = {"model": model, "names": and_list(names), "where": where, "rise": FLAT_RISE}
    if len(names) == 1 and some_free:
        template = _("{model}: {names} is at the boundary of the parameter space (0 or "
                     "infinity): the data cannot pin it down ({where}, and the log-likelihood "
                     "would change by less than {rise}). It has no standard error (NaN); the "
                     "others' are conditional on it.")
    elif some_free:
        template = _("{model}: {names} are at the boundary of the parameter space (0 or "
                     "infinity): the data cannot pin them down ({where}, and the log-likelihood "
                     "would change by less than {rise}). They have no standard errors (NaN); the "
                     "others' are conditional on them.")
    elif len(names) == 1:
        template = _("{model}: {names} is at the boundary of the parameter space (0 or "
                     "infinity): the data cannot pin it down ({where}, and the log-likelihood "
                     "would change by less than {rise}). It has no standard error (NaN): no "
                     "parameter is pinned down, the data are too few for this model.")
    else:
        template = _("{model}: {names} are at the boundary of the parameter space (0 or "
                     "infinity): the data cannot pin them down ({where}, and the log-likelihood "
                     "would change by less than {rise}). They have no standard errors (NaN): no "
                     "parameter is pinned down, the data are too few for this model.")
    return template.format(**fields)


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
        What to try (already in the language in use).

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
    where = "; ".join(_(_WHERE[ends[name]]).format(name=name, value=params[name],
                                                   factor=FLAT_FACTOR) for name in names)
    head = _boundary_head(model, names, where, some_free=len(names) < len(params))
    told = [fact for involved, fact in facts.items() if set(involved) & set(names)]
    story = "".join(f" {fact[0].upper()}{fact[1:]}." for fact in told)
    return (head + story + " "
            + _("The data: {note}. {advice}").format(note=data_note, advice=advice))


def not_converged_message(model: str, result: Any, note: str, max_iter: int,
                          estimates: str) -> str:
    """The sentence of a fit that stopped short of an optimum: why, the data, what to try.

    ``result`` is scipy's ``OptimizeResult``; ``note`` says what the data
    hold and ``estimates`` the last estimates. scipy's own message, quoted
    when the optimiser stopped for another reason, stays in English.

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
        reason = _("the log-likelihood is not finite at the last estimates")
    elif result.nit >= max_iter:
        reason = _("it used all max_iter={max_iter} iterations").format(max_iter=max_iter)
    else:
        reason = _("the optimiser stopped with a gradient of {gradient:.2g} ({message})").format(
            gradient=np.max(np.abs(result.jac)), message=result.message)
    return _("{model}: the maximum likelihood fit did not reach an optimum: {reason}. The data: "
             "{note}; last estimates {estimates}. Pass a larger max_iter, other initial_params, "
             "or penalizer=0.001.").format(model=model, reason=reason, note=note,
                                           estimates=estimates)
