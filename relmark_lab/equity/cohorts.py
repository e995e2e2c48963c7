"""Customer equity cohort by cohort: who is worth what in which period.

Gupta, Lehmann & Stuart (2004, equation 7) add up a firm's customers cohort
by cohort: today's customers, then the customers who arrive in each future
period, each cohort paying its margins while it survives, discounted to
today, less what acquiring it costs. :func:`cohort_table` writes that sum
out as a tidy table, one row per cohort and period, so it can be read,
summed any way and drawn as a layer chart; :func:`future_cohorts` turns a
fitted S-curve into the number of customers each future period brings.

One timing convention, the kit's: a customer pays their margin at the **end**
of each period they are still there, so a cohort of ``n`` customers arriving
in period ``k`` has ``n r^(t-k)`` customers paying in period ``t > k``, each
margin discounted by ``(1+i)^t``, and costs ``n c`` discounted by
``(1+i)^k``. Summed to infinity that is ``n [m r/(1+i-r) - c] / (1+i)^k``,
the margin multiple of :func:`~relmark_lab.equity.acquisition.customer_value`
(GLS's footnote 2); today's customers are cohort 0 and cost nothing more.

Examples
--------
>>> plan = pd.Series([100.0, 100.0], index=[1, 2])  # new customers in periods 1 and 2
>>> equity = cohort_table(plan, margin=10.0, retention_rate=0.8, discount_rate=0.1,
...                       acquisition_cost=5.0, current_customers=1000, horizon=40,
...                       time_unit="Q")
>>> equity.by_cohort()["value"].round(0).tolist()  # today, then the two new cohorts
[26667.0, 1970.0, 1791.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from relmark_lab import units
from relmark_lab._validate import require_whole_number
from relmark_lab.clv._base import require_model
from relmark_lab.clv._inputs import require_values
from relmark_lab.equity.growth import LogisticGrowth
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import gettext as _

__all__ = ["CohortEquity", "cohort_table", "future_cohorts"]


def future_cohorts(growth: LogisticGrowth, now: float, periods: int) -> pd.Series:
    """New customers in each of the next ``periods`` periods of a fitted S-curve.

    Period ``k`` brings ``N(now + k) - N(now + k - 1)`` customers: the growth of
    the cumulative curve over that period, so the cohorts add up to exactly
    the customers the curve still expects by ``now + periods``.

    Parameters
    ----------
    growth : LogisticGrowth
        A fitted S-curve (its ``time_unit_`` is the period).
    now : float
        Today, in the curve's periods.
    periods : int
        How many future periods (at least 1).

    Returns
    -------
    pandas.Series
        ``new_customers`` indexed by ``period`` 1, 2, ...; ``attrs["time_unit"]``
        is the curve's unit.

    Examples
    --------
    >>> growth = LogisticGrowth()
    >>> growth.params_, growth.time_unit_ = {"alpha": 100.0, "beta": 0.0, "gamma": 1.0}, "Q"
    >>> future_cohorts(growth, now=0, periods=2).round(1).tolist()
    [23.1, 15.0]
    """
    require_model(growth, (LogisticGrowth,), "growth")
    periods = require_whole_number("periods", periods, low=1)
    now = float(require_values("now", now))
    cumulative = np.asarray(growth.cumulative(now + np.arange(periods + 1)), dtype=float)
    cohorts = pd.Series(np.diff(cumulative), index=pd.RangeIndex(1, periods + 1, name="period"),
                        name="new_customers")
    cohorts.attrs["time_unit"] = growth.time_unit_
    return cohorts


@dataclass(frozen=True)
class CohortEquity:
    """Customer equity cohort by cohort (the result of :func:`cohort_table`).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per cohort and period: ``cohort`` (0 = today's customers, k =
        the customers arriving in period k), ``period``, ``customers`` (still
        there at the end of the period), ``margin`` and ``acquisition_cost``
        (both discounted to today and after tax), ``value`` (margin less cost).
    time_unit : str
        The period of every rate and of the ``period`` column.
    horizon : int
        Periods valued.
    tax_rate : float
        Share of value paid in tax (already taken off).
    arrivals : pandas.Series
        Customers of each cohort when it starts (cohort 0: today's customers).
    """

    table: pd.DataFrame
    time_unit: str
    horizon: int
    tax_rate: float
    arrivals: pd.Series

    def by_cohort(self) -> pd.DataFrame:
        """Value of each cohort: customers at arrival, margin, acquisition cost, value."""
        sums = self.table.groupby("cohort")[["margin", "acquisition_cost", "value"]].sum()
        sums.insert(0, "customers", self.arrivals.reindex(sums.index).to_numpy())
        return sums.reset_index()

    def by_period(self) -> pd.DataFrame:
        """Value earned in each period, today's customers and new cohorts side by side."""
        kind = np.where(self.table["cohort"] == 0, "current", "future")
        wide = self.table.pivot_table(index="period", columns=kind, values="value",
                                      aggfunc="sum", fill_value=0.0)
        return wide.reindex(columns=["current", "future"], fill_value=0.0).reset_index()

    @property
    def current(self) -> float:
        """Value of today's customers."""
        return float(self.table.loc[self.table["cohort"] == 0, "value"].sum())

    @property
    def future(self) -> float:
        """Value of the customers still to come, net of what acquiring them costs."""
        return float(self.table.loc[self.table["cohort"] > 0, "value"].sum())

    @property
    def total(self) -> float:
        """Customer equity within the horizon: ``current + future``."""
        return self.current + self.future


def _cohort_sizes(new_customers: pd.Series | np.ndarray | list) -> pd.Series:
    """New customers by arrival period 1, 2, ... (whole periods, none negative)."""
    sizes = new_customers if isinstance(new_customers, pd.Series) else \
        pd.Series(np.asarray(new_customers, dtype=float), index=range(1, len(new_customers) + 1))
    values = require_values("new_customers", sizes.to_numpy(dtype=float, na_value=np.nan),
                            low=0)
    periods = sizes.index.to_numpy()
    if not (pd.api.types.is_integer_dtype(periods) and len(periods) and periods.min() >= 1
            and len(set(periods)) == len(periods)):
        raise DataError(_("new_customers must be indexed by distinct whole arrival periods 1, "
                          "2, ..., got {example}.").format(
                              example=describe_example(list(periods[:5]))))
    return pd.Series(np.atleast_1d(values), index=periods.astype("int64")).sort_index()


def cohort_table(
    new_customers: pd.Series | np.ndarray | list,
    *,
    margin: float | None = None,
    retention_rate: float | None = None,
    discount_rate: float,
    horizon: int,
    time_unit: str | None = None,
    acquisition_cost: float = 0.0,
    current_customers: float = 0.0,
    current_margins: pd.Series | None = None,
    new_customer_margins: pd.Series | None = None,
    tax_rate: float = 0.0,
) -> CohortEquity:
    """Customer equity as a table of cohorts by periods (GLS 2004, equation 7).

    Parameters
    ----------
    new_customers : pandas.Series or sequence
        Customers arriving in each future period, indexed by the period 1, 2,
        ... (a sequence means periods 1 to its length), e.g.
        :func:`future_cohorts` of a fitted S-curve or an acquisition plan.
    margin, retention_rate : float, optional
        Per period of ``time_unit``: margin per customer and the share of
        customers who stay from one period to the next (the retention model).
        Needed unless both ``current_margins`` and ``new_customer_margins``
        give the margins instead.
    discount_rate : float
        Per period of ``time_unit``.
    horizon : int
        Periods valued from today (cohorts arriving later are left out).
    time_unit : str, optional
        The period (``D``, ``W``, ``M``, ``Q``, ``Y``); required unless
        ``new_customers.attrs["time_unit"]`` records it.
    acquisition_cost : float, default 0
        Per new customer, paid in the period they arrive.
    current_customers : float, default 0
        Today's customers, valued with the same retention and margin.
    current_margins : pandas.Series, optional
        Instead: today's customers' expected margins in each period 1, 2,
        ... (undiscounted, e.g. from lesson 04's models), so the value of
        the current base comes from per-customer models; periods missing from
        it earn nothing.
    new_customer_margins : pandas.Series, optional
        Instead of ``margin`` and ``retention_rate`` for the new cohorts: one
        new customer's expected margin by periods since arrival, 0 (the
        arrival period: the first purchase) to ``horizon``, e.g. from a
        purchase model's expectation for a just-acquired customer.
    tax_rate : float, default 0
        Share of value paid in tax (GLS: 0.38).

    Returns
    -------
    CohortEquity
        The tidy table, its totals and sums by cohort and by period.

    Raises
    ------
    DataError
        For a rate or count out of range, cohorts not indexed by whole
        periods, or a missing or unknown time unit.
    """
    unit = time_unit if time_unit is not None else getattr(new_customers, "attrs", {}).get(
        "time_unit")
    if unit is None:
        raise DataError(_("cohort_table needs the period unit of the rates: pass time_unit "
                          "(D, W, M, Q or Y)."))
    unit = units.check_unit(unit, name="time_unit")
    sizes = _cohort_sizes(new_customers)
    horizon = require_whole_number("horizon", horizon, low=1)
    profiles = current_margins is not None and new_customer_margins is not None
    if not profiles and (margin is None or retention_rate is None):
        raise DataError(_("cohort_table needs margin and retention_rate (the retention model), "
                          "unless current_margins and new_customer_margins give every cohort's "
                          "margins."))
    m = 0.0 if margin is None else float(require_values("margin", margin))
    r = 0.0 if retention_rate is None else float(require_values("retention_rate",
                                                                 retention_rate, low=0, high=1))
    i = float(require_values("discount_rate", discount_rate, low=0, low_open=True))
    cost = float(require_values("acquisition_cost", acquisition_cost, low=0))
    keep = 1.0 - float(require_values("tax_rate", tax_rate, low=0, high=1))
    now_count = float(require_values("current_customers", current_customers, low=0))

    sizes = sizes[sizes.index <= horizon]
    cohort = np.concatenate([[0], sizes.index.to_numpy()])
    start = np.concatenate([[now_count], sizes.to_numpy()])
    period = np.arange(1, horizon + 1)
    age = period[None, :] - cohort[:, None]  # periods since arrival
    alive = np.where(age >= 0, start[:, None] * r ** np.clip(age, 0, None), 0.0)
    discount = (1.0 + i) ** -period
    earned = np.where(age > 0, alive * m, 0.0)  # undiscounted margin of each cell
    costs = np.where((age == 0) & (cohort[:, None] > 0), start[:, None] * cost, 0.0) \
        * discount * keep
    if new_customer_margins is not None:
        profile = _per_period("new_customer_margins", new_customer_margins, horizon + 1,
                              first=0)
        new = (cohort[:, None] > 0) & (age >= 0)
        earned = np.where(new, start[:, None] * profile[np.clip(age, 0, horizon)], earned)
        alive = np.where(cohort[:, None] > 0, np.nan, alive)  # margins, not a head count
    if current_margins is not None:
        earned[0] = _per_period("current_margins", current_margins, horizon)
        alive[0] = np.nan
    margins = earned * discount * keep
    rows = age >= 0
    table = pd.DataFrame({
        "cohort": np.broadcast_to(cohort[:, None], age.shape)[rows],
        "period": np.broadcast_to(period[None, :], age.shape)[rows],
        "customers": alive[rows],
        "margin": margins[rows],
        "acquisition_cost": costs[rows],
    })
    table["value"] = table["margin"] - table["acquisition_cost"]
    table.attrs["time_unit"] = unit
    arrivals = pd.Series(start, index=pd.Index(cohort, name="cohort"), name="customers")
    return CohortEquity(table=table, time_unit=unit, horizon=horizon, tax_rate=1.0 - keep,
                        arrivals=arrivals)


def _per_period(name: str, values: pd.Series, length: int, first: int = 1) -> np.ndarray:
    """A Series indexed by period ``first``, ``first + 1``, ... as an array of ``length``.

    Periods the Series does not have earn nothing (0).
    """
    if not isinstance(values, pd.Series) or not pd.api.types.is_integer_dtype(values.index):
        raise DataError(_("{name} must be a pandas Series indexed by whole periods {first}, "
                          "{second}, ..., got {example}.").format(
                              name=name, first=first, second=first + 1,
                              example=describe_example(values)))
    checked = require_values(name, values.to_numpy(dtype=float, na_value=np.nan))
    out = np.zeros(length)
    inside = (values.index >= first) & (values.index < first + length)
    out[values.index[inside] - first] = np.atleast_1d(checked)[inside]
    return out
