"""Recovering dissatisfied customers (recuperación de clientes insatisfechos), following up a sale.

Two randomized programs with a yes/no outcome: complainers given a fast
personal call-back, or not, and whether they still buy six months later;
buyers contacted after the sale, or not, and whether they buy again within
90 days. :func:`proportion_effect` estimates the difference in the two
shares with Newcombe's interval (statsmodels'
``confint_proportions_2indep``), which behaves well near 0 and 1 where the
normal approximation does not; :func:`recovery_value` turns a retention
effect into money with the value of a customer kept.

Examples
--------
>>> import pandas as pd
>>> cases = pd.DataFrame({"group": ["call_back"] * 100 + ["usual"] * 100,
...                       "retained": [1] * 70 + [0] * 30 + [1] * 55 + [0] * 45})
>>> effect = proportion_effect(cases, "retained", group="group", treated="call_back")
>>> round(effect.estimate, 2), round(effect.lower, 3), round(effect.upper, 3)
(0.15, 0.016, 0.277)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from statsmodels.stats import proportion

from relmark_lab._validate import column_error, require_columns, require_number
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _
from relmark_lab.programs._effect import NET_VALUE_METHOD, Effect, require_arms

__all__ = ["proportion_effect", "recovery_value"]


def proportion_effect(frame: pd.DataFrame, outcome: str, *, group: str, treated: str,
                      level: float = 0.95) -> Effect:
    """Difference in the share with a yes/no outcome, treated minus control.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per person of a randomized program.
    outcome : str
        A 0/1 (or True/False) column, e.g. ``retained``.
    group : str
        The column naming each person's arm.
    treated : str
        The label of the treated arm in ``group``; every other label is control.
    level : float, default 0.95

    Returns
    -------
    Effect
        ``estimate`` the difference in shares, Newcombe's interval;
        ``details`` holds both shares and the two-sided p-value.

    Raises
    ------
    DataError
        For a missing column, an outcome that is not 0/1, no ``treated``
        label in ``group`` or an arm with fewer than 2 people.
    """
    what = "program outcomes"
    require_columns(frame, [outcome, group], what)
    level = require_number("level", level, low=0.5, high=0.999)
    labels = frame[group].astype("string")
    if not (labels == treated).any():
        raise DataError(_("{what}: no row of column {column!r} is {treated!r}; its labels are "
                          "{labels}.").format(
                              what=what, column=group, treated=treated,
                              labels=describe_example(sorted(labels.dropna().unique().tolist()))))
    values = pd.to_numeric(frame[outcome], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isin(values, (0.0, 1.0))
    if bad.any():
        raise column_error(what, outcome, int(bad.sum()), _("not 0/1 (or True/False)"),
                           frame[outcome].to_numpy(dtype=object)[bad][0],
                           _("A yes/no outcome is coded 1 (yes) and 0 (no)."))
    arm = (labels == treated).fillna(False).to_numpy(dtype=bool)
    require_arms(arm, group, what)
    yes_t, n_t = float(values[arm].sum()), int(arm.sum())
    yes_c, n_c = float(values[~arm].sum()), int((~arm).sum())
    lower, upper = proportion.confint_proportions_2indep(yes_t, n_t, yes_c, n_c, method="newcomb",
                                              compare="diff", alpha=1 - level)
    test = proportion.test_proportions_2indep(yes_t, n_t, yes_c, n_c, compare="diff")
    difference = yes_t / n_t - yes_c / n_c
    # Newcombe's interval is not symmetric; the standard error is the unpooled normal one.
    std_error = float(np.sqrt(yes_t / n_t * (1 - yes_t / n_t) / n_t
                              + yes_c / n_c * (1 - yes_c / n_c) / n_c))
    return Effect(difference, std_error, float(lower), float(upper), level, n_t, n_c,
                  N_("difference in shares (Newcombe interval)"),
                  {"share_treated": yes_t / n_t, "share_control": yes_c / n_c,
                   "p_value": float(test.pvalue)})


def recovery_value(effect: Effect, *, value_of_customer: float, cost_per_case: float,
                   cases: float = 1.0) -> Effect:
    """Money a retention program earns: extra customers kept times their value, less its cost.

    Parameters
    ----------
    effect : Effect
        A difference in the share retained (:func:`proportion_effect`).
    value_of_customer : float
        Lifetime value of a customer kept (e.g. a complainer's CLV).
    cost_per_case : float
        What the program spends on each case (a call-back).
    cases : float, default 1
        Cases a year, to value the whole program (1: per case).

    Returns
    -------
    Effect
        The net value with the interval of the retention effect carried
        through (the value is linear in it); ``details["break_even_effect"]``
        is the retention effect at which the program pays for itself.
    """
    if not isinstance(effect, Effect):
        raise DataError(_("effect must be an Effect (what proportion_effect returns), got "
                          "{kind}.").format(kind=type(effect).__name__))
    value = require_number("value_of_customer", value_of_customer, low=0)
    cost = require_number("cost_per_case", cost_per_case, low=0)
    cases = require_number("cases", cases, low=0)

    def net(share: float) -> float:
        return cases * (share * value - cost)

    return replace(effect, estimate=net(effect.estimate), std_error=cases * value
                   * effect.std_error, lower=net(effect.lower), upper=net(effect.upper),
                   method=NET_VALUE_METHOD.format(method=effect.method),
                   details={**effect.details,
                            "break_even_effect": cost / value if value else np.inf})
