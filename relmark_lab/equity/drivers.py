"""What moves customer equity: the % change in value for a 1% improvement of each driver.

Gupta, Lehmann & Stuart (2004, Table 5) ask which lever is worth most: a 1%
better retention, margin, acquisition cost or discount rate. "Better" has a
direction: retention and margin improve by going **up**, acquisition cost
and the discount rate by going **down**. :func:`elasticities` answers the
question for any valuation written as a function of keyword arguments, by
re-computing it with each input moved 1% in its better (and its worse)
direction; the result is the table behind a tornado chart.

Where the valuation has a closed form, so do the answers. For the margin
multiple ``V = m r / (1 + i - r)`` (:func:`margin_multiple_elasticities`),

.. math:: \\frac{\\partial \\ln V}{\\partial \\ln m} = 1, \\quad
          \\frac{\\partial \\ln V}{\\partial \\ln r} = \\frac{1+i}{1+i-r}, \\quad
          \\frac{\\partial \\ln V}{\\partial \\ln i} = \\frac{-i}{1+i-r},

and for customer equity ``CE = N_0 V + F (V - c)`` (``N_0`` customers now,
``F`` discounted future customers, ``c`` the acquisition cost,
:func:`equity_elasticities`) the margin moves every customer's value, so its
elasticity is ``(N_0 + F) V / CE = 1 + F c / CE``: one plus the acquisition
cost's (minus) elasticity ``F c / CE``. GLS's Table 5 shows exactly that
(Amazon 1.07 and .07). The discount rate also moves ``F``: no closed form.

Examples
--------
>>> def value(margin, retention_rate):  # 10% a period: the margin multiple
...     return margin * retention_rate / (1.1 - retention_rate)
>>> table = elasticities(value, {"margin": 50.0, "retention_rate": 0.6})
>>> table[["driver", "percent_change", "percent_change_down", "elasticity"]].round(2)
           driver  percent_change  percent_change_down  elasticity
0  retention_rate            2.23                -2.17         2.2
1          margin            1.00                -1.00         1.0
>>> round(float(margin_multiple_elasticities(0.6, 0.1)["retention_rate"]), 2)  # (1+i)/(1+i-r)
2.2
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._validate import require_number
from relmark_lab.clv._inputs import require_values
from relmark_lab.equity.base import CustomerEquity
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import gettext as _

__all__ = [
    "DEFAULT_IMPROVEMENTS",
    "elasticities",
    "equity_elasticities",
    "margin_multiple_elasticities",
]

#: Which way each usual driver improves the value: +1 raise it, -1 lower it.
DEFAULT_IMPROVEMENTS: dict[str, int] = {
    "retention_rate": 1,
    "annual_retention": 1,  # relmark_lab.equity.published names GLS's yearly retention so
    "margin": 1,
    "acquisition_cost": -1,
    "discount_rate": -1,
}


def _directions(inputs: Mapping[str, float],
                improvements: Mapping[str, int] | None) -> dict[str, int]:
    """The direction of every input: the user's, else the default, else DataError."""
    given = {} if improvements is None else improvements
    if not isinstance(given, Mapping):
        raise DataError(_("improvements must be a dict of input name -> +1 (raise) or -1 "
                          "(lower), got {got}.").format(got=type(given).__name__))
    unknown = [name for name in given if name not in inputs]
    if unknown:
        raise DataError(_("improvements names {count} input(s) that are not in inputs, e.g. "
                          "{example}; inputs has {names}.").format(
                              count=len(unknown), example=describe_example(unknown[0]),
                              names=", ".join(map(repr, inputs))))
    bad = [name for name, sign in given.items()
           if isinstance(sign, bool) or sign not in (1, -1)]
    if bad:
        raise DataError(_("improvements must map each name to +1 (raise) or -1 (lower); "
                          "{count} do not, e.g. {name!r}: {example}.").format(
                              count=len(bad), name=bad[0], example=describe_example(given[bad[0]])))
    directions = {name: int(given.get(name, DEFAULT_IMPROVEMENTS.get(name, 0)))
                  for name in inputs}
    missing = [name for name, sign in directions.items() if sign == 0]
    if missing:
        raise DataError(
            _("improvements must say which way {count} input(s) improve the value: {names}; "
              "pass e.g. improvements={{{first!r}: 1}} (+1 when raising it is better, -1 when "
              "lowering it is). Defaults exist only for {defaults}.").format(
                count=len(missing), names=", ".join(map(repr, missing)), first=missing[0],
                defaults=", ".join(map(repr, DEFAULT_IMPROVEMENTS))))
    return directions


def _evaluate(value: Callable[..., float], arguments: dict[str, float], where: str) -> float:
    """``value(**arguments)`` as a finite float, or DataError saying where it failed."""
    try:
        result = value(**arguments)
    except DataError as error:
        raise DataError(_("value could not be computed {where}: {error}").format(
            where=where, error=error)) from None
    try:
        number = float(result)
    except (TypeError, ValueError):
        number = float("nan")
    if not np.isfinite(number):
        raise DataError(_("value must return a finite number, but returned {example} {where}.")
                        .format(example=describe_example(result), where=where))
    return number


def elasticities(
    value: Callable[..., float],
    inputs: Mapping[str, float],
    *,
    improvements: Mapping[str, int] | None = None,
    step: float = 0.01,
) -> pd.DataFrame:
    """The % change in ``value`` for a 1% improvement (and worsening) of each input.

    Parameters
    ----------
    value : callable
        Takes every name of ``inputs`` as a keyword argument and returns a
        number, e.g. ``lambda **kw: customer_equity(...).total``.
    inputs : dict of str -> float
        Base value of each driver (none may be 0: 1% of 0 is no change).
        Every entry is a driver; keep fixed arguments inside ``value``.
    improvements : dict of str -> {+1, -1}, optional
        Whether raising (+1) or lowering (-1) an input improves the value.
        Defaults: :data:`DEFAULT_IMPROVEMENTS` (retention and margin up,
        acquisition cost and discount rate down); any other input must be
        given here.
    step : float, default 0.01
        The relative change, as a share: 0.01 is 1%.

    Returns
    -------
    pandas.DataFrame
        One row per driver, largest ``|percent_change|`` first: ``driver``,
        ``direction`` (+1/-1), ``base``, ``improved`` (``base * (1 +
        direction * step)``), ``worsened`` (the other way), ``value`` (at the
        base), ``value_improved``, ``value_worsened``, ``percent_change`` (in
        %, the improvement's), ``percent_change_down`` (in %, the
        worsening's: the tornado's other side, usually negative) and
        ``elasticity``, ``d ln value / d ln input`` by the central difference
        of the two (accurate to ``step**2``, signed: negative for an input
        that is better lower).

    Raises
    ------
    DataError
        If ``value`` is not callable or returns a number that is not finite
        (or 0 at the base), an input is not a finite non-zero number,
        ``improvements`` names an unknown input or a direction other than
        +1/-1, an input has no direction, or ``step`` is not in (0, 0.5].

    Examples
    --------
    >>> cost = elasticities(lambda price, cost: price - cost, {"price": 10.0, "cost": 6.0},
    ...                     improvements={"price": 1, "cost": -1})
    >>> cost[["driver", "improved", "percent_change"]]
      driver  improved  percent_change
    0  price     10.10             2.5
    1   cost      5.94             1.5
    """
    if not callable(value):
        raise DataError(_("value must be a function taking the inputs as keyword arguments, "
                          "e.g. lambda **kw: ..., got {example}.").format(
                              example=describe_example(value)))
    if not isinstance(inputs, Mapping) or not inputs:
        raise DataError(_("inputs must be a non-empty dict of input name -> base value, got "
                          "{example}.").format(example=describe_example(inputs)))
    bad = {name: base for name, base in inputs.items()
           if not _is_number(base) or not np.isfinite(base) or base == 0}
    if bad:
        name = next(iter(bad))
        raise DataError(_("inputs must be finite numbers other than 0 (1% of 0 is no change); "
                          "{count} are not, e.g. {name!r}: {example}.").format(
                              count=len(bad), name=name, example=describe_example(bad[name])))
    step = require_number("step", step, low=0, low_open=True, high=0.5)
    directions = _directions(inputs, improvements)
    base_inputs = {name: float(base) for name, base in inputs.items()}
    at_base = _evaluate(value, base_inputs, _("at the base inputs"))
    if at_base == 0:
        raise DataError(_("value is 0 at the base inputs, so a % change is not defined."))
    rows = []
    for name, sign in directions.items():
        base = base_inputs[name]
        improved, worsened = base * (1 + sign * step), base * (1 - sign * step)
        up = _evaluate(value, {**base_inputs, name: improved},
                       _("with {name} = {value:g} (1% better than {base:g})").format(
                           name=name, value=improved, base=base))
        down = _evaluate(value, {**base_inputs, name: worsened},
                         _("with {name} = {value:g} (1% worse than {base:g})").format(
                             name=name, value=worsened, base=base))
        rows.append({
            "driver": name, "direction": sign, "base": base, "improved": improved,
            "worsened": worsened, "value": at_base, "value_improved": up,
            "value_worsened": down, "percent_change": 100 * (up / at_base - 1),
            "percent_change_down": 100 * (down / at_base - 1),
            "elasticity": sign * (up - down) / (2 * step * at_base),
        })
    table = pd.DataFrame(rows)
    order = table["percent_change"].abs().sort_values(ascending=False, kind="stable").index
    table = table.loc[order].reset_index(drop=True)
    table.attrs["step"] = step
    return table


def _is_number(value: Any) -> bool:
    return not isinstance(value, (bool, np.bool_)) and isinstance(
        value, (int, float, np.integer, np.floating))


def margin_multiple_elasticities(retention_rate: float, discount_rate: float) -> pd.Series:
    """Closed-form elasticities of the per-customer value ``m r / (1 + i - r)``.

    Parameters
    ----------
    retention_rate, discount_rate : float
        Per period of one unit (the unit the margin is per).

    Returns
    -------
    pandas.Series
        ``d ln V / d ln x`` for ``margin`` (1), ``retention_rate``
        (``(1 + i) / (1 + i - r)``) and ``discount_rate``
        (``-i / (1 + i - r)``), named ``elasticity``.

    Raises
    ------
    DataError
        For a retention rate outside (0, 1], a discount rate that is not a
        finite number above 0, or ``1 + i <= r``.

    Examples
    --------
    >>> margin_multiple_elasticities(0.8, 0.12).round(3).to_dict()
    {'margin': 1.0, 'retention_rate': 3.5, 'discount_rate': -0.375}
    """
    r = float(require_values("retention_rate", retention_rate, low=0, high=1, low_open=True))
    i = float(require_values("discount_rate", discount_rate, low=0, low_open=True))
    gap = 1 + i - r  # above 0 since i > 0 and r <= 1
    return pd.Series({"margin": 1.0, "retention_rate": (1 + i) / gap,
                      "discount_rate": -i / gap}, name="elasticity")


def equity_elasticities(equity: CustomerEquity, *, acquisition_cost: float,
                        retention_rate: float, discount_rate: float) -> pd.Series:
    """Closed-form elasticities of customer equity wrt margin, retention and acquisition cost.

    With ``CE = N_0 V + F (V - c)`` (after tax, as
    :func:`~relmark_lab.equity.customer_equity` returns it), the margin and
    retention move ``V`` alone and the cost moves ``F c`` alone, so

    * margin: ``(N_0 + F) V / CE``,
    * retention: the margin's times ``(1 + i) / (1 + i - r)``
      (:func:`margin_multiple_elasticities`),
    * acquisition cost: ``-F c / CE``.

    The discount rate has no closed form here: it moves the discounting of
    the future cohorts (``F``) too; use :func:`elasticities`.

    Parameters
    ----------
    equity : CustomerEquity
        The valuation, with ``per_customer = V`` and ``future = F (V - c)``.
    acquisition_cost : float
        ``c``, the cost per future customer the valuation used.
    retention_rate, discount_rate : float
        Per period of ``equity.time_unit``, as the valuation used them.

    Returns
    -------
    pandas.Series
        Named ``elasticity``, indexed ``margin``, ``retention_rate``,
        ``acquisition_cost``.

    Raises
    ------
    DataError
        If ``equity`` is not a CustomerEquity, ``V`` equals ``c`` (the
        future cohorts are then worth 0 whatever their number) or ``CE`` is 0.

    Examples
    --------
    >>> equity = CustomerEquity(current=800.0, future=150.0, per_customer=8.0, time_unit="Q")
    >>> equity_elasticities(equity, acquisition_cost=2.0, retention_rate=0.9,
    ...                     discount_rate=0.03).round(3).to_dict()
    {'margin': 1.053, 'retention_rate': 8.34, 'acquisition_cost': -0.053}
    """
    if not isinstance(equity, CustomerEquity):
        raise DataError(_("equity must be a CustomerEquity (from customer_equity), got "
                          "{got}.").format(got=type(equity).__name__))
    cost = float(require_values("acquisition_cost", acquisition_cost, low=0))
    margin_part = equity.per_customer - cost
    if margin_part == 0 or equity.total == 0:
        raise DataError(_("equity_elasticities needs a per-customer value other than the "
                          "acquisition cost ({cost:g}) and a customer equity other than 0.")
                        .format(cost=cost))
    future_cost = equity.future * cost / margin_part  # F c, after tax
    margin = 1 + future_cost / equity.total
    retention = margin_multiple_elasticities(retention_rate, discount_rate)["retention_rate"]
    return pd.Series({"margin": margin, "retention_rate": margin * retention,
                      "acquisition_cost": -future_cost / equity.total}, name="elasticity")
