"""Gupta, Lehmann & Stuart (2004), "Valuing Customers": the five firms, inputs and results.

One frozen table of the paper's Tables 2 to 5, so the tests, the lesson and
an exercise all value the same firms from the same numbers:

* Table 2: customers (millions, March 2002), margin ($ per customer per
  **quarter**), acquisition cost ($ per new customer), retention (per
  **year**);
* Table 3: the logistic S-curve of cumulative customers (``alpha`` in
  millions, ``beta``, ``gamma`` per quarter), counted in quarters from the
  firm's data start;
* Table 4: customer value and market value ($ billions, 31 March 2002);
* Table 5: % change in customer value for a 1% improvement in retention,
  acquisition cost, margin and discount rate.

:func:`gls_customer_equity` values a firm the way the kit's recomputation
does: everything per quarter (retention ``r ** (1/4)``, 12% a year taken as
**3% a quarter**), GLS's continuous form, 38% tax, as of the quarter ending
March 2002. It lands near Table 4 (.84 / 1.62 / 9.94 / 1.96 / 2.63 vs
.82 / 1.62 / 11.00 / 1.89 / 2.69) and :func:`gls_table_5` near Table 5's
retention, acquisition-cost and margin columns, but not its discount-rate
column: the paper does not pin down every convention.

Examples
--------
>>> round(gls_customer_equity("Amazon").total / 1000, 2)  # $ billions; Table 4: 0.82
0.84
>>> GLS_FIRMS["eBay"].now  # quarters from December 1996 to March 2002
21
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import partial
from types import MappingProxyType
from typing import Any

import pandas as pd

from relmark_lab._validate import require_choice, require_number
from relmark_lab.equity.acquisition import per_period
from relmark_lab.equity.base import CustomerEquity, customer_equity
from relmark_lab.equity.drivers import elasticities
from relmark_lab.equity.growth import LogisticGrowth
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import gettext as _

__all__ = [
    "ANNUAL_DISCOUNT_RATE",
    "GLS_FIRMS",
    "QUARTERLY_DISCOUNT_RATE",
    "TAX_RATE",
    "VALUED_AT",
    "GLSFirm",
    "gls_customer_equity",
    "gls_growth",
    "gls_table",
    "gls_table_5",
]

#: The day GLS value the firms on.
VALUED_AT = "2002-03-31"
#: GLS's tax rate: values are after tax.
TAX_RATE = 0.38
#: GLS's discount rate, per year.
ANNUAL_DISCOUNT_RATE = 0.12
#: The same, per quarter as the recomputation takes it: 12% / 4 (compounding gives 2.87%).
QUARTERLY_DISCOUNT_RATE = 0.03


@dataclass(frozen=True)
class GLSFirm:
    """One firm of GLS 2004, Tables 2 to 5, in the paper's own units.

    Attributes
    ----------
    firm : str
    data_start : str
        Month ending the first quarter of the customer series (``YYYY-MM``).
    now : int
        Quarters from ``data_start`` to March 2002, the S-curve's "today".
    customers : float
        Customers in March 2002, millions (Table 2).
    margin : float
        $ per customer per quarter (Table 2).
    acquisition_cost : float
        $ per new customer (Table 2).
    annual_retention : float
        Share of customers kept from one year to the next (Table 2).
    alpha, beta, gamma : float
        The S-curve (Table 3): ``alpha`` in millions, ``gamma`` per quarter.
    customer_value, market_value : float
        $ billions, 31 March 2002 (Table 4).
    retention_effect, acquisition_cost_effect, margin_effect, discount_rate_effect : float
        % change in customer value for a 1% improvement (Table 5).
    """

    firm: str
    data_start: str
    now: int
    customers: float
    margin: float
    acquisition_cost: float
    annual_retention: float
    alpha: float
    beta: float
    gamma: float
    customer_value: float
    market_value: float
    retention_effect: float
    acquisition_cost_effect: float
    margin_effect: float
    discount_rate_effect: float


GLS_FIRMS: Mapping[str, GLSFirm] = MappingProxyType({row.firm: row for row in (
    GLSFirm("Amazon", "1997-03", 20, 33.8, 3.87, 7.70, 0.70, 67.045, -4.114, 0.265,
            0.82, 5.36, 2.45, 0.07, 1.07, 0.46),
    GLSFirm("Ameritrade", "1997-09", 18, 1.877, 50.39, 203.44, 0.95, 2.482, -3.345, 0.263,
            1.62, 1.40, 6.75, 0.03, 1.03, 1.17),
    GLSFirm("Capital One", "1996-12", 21, 46.6, 13.71, 75.49, 0.85, 171.200, -3.052, 0.149,
            11.00, 14.08, 5.12, 0.32, 1.32, 1.11),
    GLSFirm("eBay", "1996-12", 21, 46.1, 4.31, 11.26, 0.80, 81.945, -6.009, 0.317,
            1.89, 15.85, 3.42, 0.08, 1.08, 0.63),
    GLSFirm("E*Trade", "1997-12", 17, 4.11737, 43.02, 391.00, 0.95, 4.719, -3.441, 0.365,
            2.69, 3.35, 6.67, 0.02, 1.02, 1.14),
)})

#: What gls_customer_equity lets a caller change, in the units its docstring gives.
_OVERRIDES = ("customers_now", "margin", "annual_retention", "discount_rate",
              "acquisition_cost", "tax_rate", "now")
#: Table 5's columns: the driver as gls_customer_equity names it, and the published field.
_TABLE_5 = {"annual_retention": "retention_effect", "acquisition_cost": "acquisition_cost_effect",
            "margin": "margin_effect", "discount_rate": "discount_rate_effect"}


def _firm(firm: str) -> GLSFirm:
    return GLS_FIRMS[require_choice("firm", firm, tuple(GLS_FIRMS))]


def gls_table() -> pd.DataFrame:
    """GLS Tables 2 to 5 as one DataFrame, one row per firm (the fields of :class:`GLSFirm`).

    Examples
    --------
    >>> gls_table().loc["Capital One", ["customers", "annual_retention", "customer_value"]]
    customers           46.60
    annual_retention     0.85
    customer_value      11.00
    Name: Capital One, dtype: float64
    """
    return pd.DataFrame([asdict(row) for row in GLS_FIRMS.values()]).set_index("firm")


def gls_growth(firm: str) -> LogisticGrowth:
    """The fitted S-curve of a firm, from Table 3 (millions of customers, quarters).

    Raises
    ------
    DataError
        For a firm that is not one of the five.

    Examples
    --------
    >>> round(gls_growth("Amazon").peak_period_, 2)  # -beta / gamma, quarters from March 1997
    15.52
    """
    row = _firm(firm)
    growth = LogisticGrowth()
    growth.params_ = {"alpha": row.alpha, "beta": row.beta, "gamma": row.gamma}
    growth.standard_errors_ = dict.fromkeys(growth.params_, float("nan"))  # not published
    growth.peak_period_ = -row.beta / row.gamma
    growth.time_unit_ = "Q"
    return growth


def gls_customer_equity(firm: str, **overrides: Any) -> CustomerEquity:
    """Customer equity of a GLS firm ($ millions, after tax), optionally with changed inputs.

    Parameters
    ----------
    firm : str
        ``"Amazon"``, ``"Ameritrade"``, ``"Capital One"``, ``"eBay"`` or
        ``"E*Trade"``.
    **overrides
        Inputs to change, in these units: ``customers_now`` (millions),
        ``margin`` ($ per customer per quarter), ``annual_retention`` (per
        year, turned into ``r ** (1/4)`` a quarter), ``discount_rate`` (per
        quarter, default :data:`QUARTERLY_DISCOUNT_RATE`),
        ``acquisition_cost`` ($), ``tax_rate`` (default :data:`TAX_RATE`),
        ``now`` (quarters since the data start).

    Returns
    -------
    CustomerEquity
        In $ millions (millions of customers times dollars), quarterly.

    Raises
    ------
    DataError
        For an unknown firm or override, or a value out of range.

    Examples
    --------
    >>> base = gls_customer_equity("Amazon").total
    >>> better = gls_customer_equity("Amazon", annual_retention=0.70 * 1.01).total
    >>> round(100 * (better / base - 1), 2)  # Table 5: 2.45
    2.45
    """
    row = _firm(firm)
    unknown = [name for name in overrides if name not in _OVERRIDES]
    if unknown:
        raise DataError(_("gls_customer_equity: {count} unknown override(s), e.g. {example}; "
                          "it takes {names} (retention is annual_retention, per year).").format(
                              count=len(unknown), example=describe_example(unknown[0]),
                              names=", ".join(_OVERRIDES)))
    given = {"customers_now": row.customers, "margin": row.margin,
             "annual_retention": row.annual_retention, "discount_rate": QUARTERLY_DISCOUNT_RATE,
             "acquisition_cost": row.acquisition_cost, "tax_rate": TAX_RATE, "now": row.now,
             **overrides}
    annual = require_number("annual_retention", given["annual_retention"], low=0, high=1)
    # per_period turns the annual retention into a quarterly one; GLS margins are quarterly.
    quarterly = per_period(given["margin"], annual, ANNUAL_DISCOUNT_RATE,
                           from_unit="Y", to_unit="Q", margin_unit="Q")
    return customer_equity(
        given["customers_now"], quarterly.margin, quarterly.retention_rate,
        given["discount_rate"], growth=gls_growth(firm), now=given["now"],
        acquisition_cost=given["acquisition_cost"], tax_rate=given["tax_rate"])


def _total(firm: str, fixed: dict[str, Any], **drivers: float) -> float:
    return gls_customer_equity(firm, **fixed, **drivers).total


def gls_table_5(*, step: float = 0.01, **overrides: Any) -> pd.DataFrame:
    """Table 5 recomputed next to the published one: % change for a 1% improvement.

    Each firm is valued by :func:`gls_customer_equity` (with ``overrides``,
    e.g. another ``discount_rate``) and each driver improved by ``step``
    through :func:`~relmark_lab.equity.drivers.elasticities`. "1% better
    retention" is applied to the **annual** retention, then turned into a
    quarterly one: that reproduces the published column, a 1% better
    quarterly retention would give 10-32%.

    At 3% a quarter the acquisition-cost and margin columns land within
    0.02 points and retention within 0.17 (Ameritrade, Capital One and
    E*Trade 0.15-0.17 below); compounding instead, ``discount_rate=
    units.convert_rate(0.12, "Y", "Q")`` (2.87%), brings retention within
    0.1 for all five. Neither reproduces the discount-rate column
    (0.30-0.75 against .46-1.17).

    Parameters
    ----------
    step : float, default 0.01
        The relative improvement.
    **overrides
        Passed to :func:`gls_customer_equity` for every firm.

    Returns
    -------
    pandas.DataFrame
        One row per firm and driver (``annual_retention``,
        ``acquisition_cost``, ``margin``, ``discount_rate``): ``firm``,
        ``driver``, ``recomputed`` and ``published`` (in %), ``difference``
        (recomputed minus published, points), ``percent_change_down``.

    Examples
    --------
    >>> table = gls_table_5().set_index(["firm", "driver"])
    >>> table.loc["Amazon", "recomputed"].round(2).to_dict()
    {'annual_retention': 2.45, 'margin': 1.08, 'discount_rate': 0.31, 'acquisition_cost': 0.08}
    >>> table.loc["Amazon", "published"].to_dict()
    {'annual_retention': 2.45, 'margin': 1.07, 'discount_rate': 0.46, 'acquisition_cost': 0.07}
    """
    frames = []
    for firm, row in GLS_FIRMS.items():
        base = {"annual_retention": overrides.get("annual_retention", row.annual_retention),
                "acquisition_cost": overrides.get("acquisition_cost", row.acquisition_cost),
                "margin": overrides.get("margin", row.margin),
                "discount_rate": overrides.get("discount_rate", QUARTERLY_DISCOUNT_RATE)}
        fixed = {name: value for name, value in overrides.items() if name not in base}
        table = elasticities(partial(_total, firm, fixed), base, step=step)
        table.insert(0, "firm", firm)
        table["published"] = [getattr(row, _TABLE_5[name]) for name in table["driver"]]
        frames.append(table)
    table = pd.concat(frames, ignore_index=True).rename(columns={"percent_change": "recomputed"})
    table["difference"] = table["recomputed"] - table["published"]
    return table[["firm", "driver", "recomputed", "published", "difference",
                  "percent_change_down"]]
