"""How customer equity changed between two dates: acquisition, expansion and mortality.

The course notes' conceptual model: customer equity (capital basado en los
clientes) grows by *winning new customers* (acquisition), by *selling more
to the customers it keeps* (expansion) and shrinks by *the customers it
loses* (mortality, mortalidad de clientes). With each customer valued at
date 1 (``before``) and at date 2 (``after``), and the date-1 customers
split into the retained (they bought between the dates) and the lost (they
did not), the change of equity is, exactly,

.. math::

    \\sum_{after} CLV - \\sum_{before} CLV =
    \\underbrace{\\sum_{new} CLV^{after}}_{acquisition}
    + \\underbrace{\\sum_{retained} (CLV^{after} - CLV^{before})}_{expansion}
    - \\underbrace{\\sum_{lost} (CLV^{before} - CLV^{after})}_{mortality}.

A lost customer may keep some value at date 2 (a buy-till-you-die model
never says for sure that a silent customer is gone); what they lost is
counted as mortality. :func:`value_at` gives the CLV of every customer at a
date, :func:`equity_change` the decomposition as a tidy table a waterfall
chart is drawn from. Who bought between the dates is the purchase rule of
the whole kit: ``frequency_holdout > 0`` of
``clv.summarize(transactions, date_2, calibration_end=date_1)``.

Examples
--------
>>> before = pd.Series({"a": 100.0, "b": 50.0})
>>> after = pd.Series({"a": 120.0, "b": 10.0, "c": 30.0})
>>> equity_change(before, after, active=["a"])[["component", "value"]]
       component  value
0  equity before  150.0
1    acquisition   30.0
2      expansion   20.0
3      mortality  -40.0
4   equity after  160.0
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import units
from relmark_lab._orders import ObservedLines
from relmark_lab._time import OBSERVATION_END
from relmark_lab._validate import (
    as_ids,
    column_error,
    require_columns,
    require_ids,
    require_number,
    require_numbers,
    require_unique,
    require_whole_number,
)
from relmark_lab.clv.beta_geo import BetaGeoNBD
from relmark_lab.clv.gamma_gamma import GammaGamma
from relmark_lab.clv.lifetime_value import customer_lifetime_value
from relmark_lab.clv.summary import summarize
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import gettext as _

__all__ = ["equity_change", "value_at"]

#: The rows of :func:`equity_change`, in waterfall order.
COMPONENTS = ("equity before", "acquisition", "expansion", "mortality", "equity after")


def customer_values(values: Any, what: str) -> pd.Series:
    """CLV per customer as a float Series indexed by text ids, checked (private to equity).

    Takes a Series indexed by ``customer_id`` (what :func:`value_at` returns;
    its values are read as column ``'clv'`` in messages) or a DataFrame with
    ``customer_id`` and ``clv`` columns.
    """
    if isinstance(values, pd.Series):
        frame = pd.DataFrame({"customer_id": values.index.to_numpy(dtype=object),
                              "clv": values.to_numpy(dtype=object)})
    elif isinstance(values, pd.DataFrame):
        require_columns(values, ["customer_id", "clv"], what)
        frame = values[["customer_id", "clv"]].reset_index(drop=True)
    else:
        raise DataError(_("The {what} must be a pandas Series of CLV indexed by customer_id (as "
                          "equity.value_at returns), got {got}.").format(
                              what=what, got=type(values).__name__))
    frame["customer_id"] = require_ids(frame, "customer_id", what)
    require_unique(frame, "customer_id", what)
    clv = require_numbers(frame, "clv", what).to_numpy()
    return pd.Series(clv, index=pd.Index(frame["customer_id"], name="customer_id"), name="clv")


def _active_ids(active: Any, customers: pd.Index) -> pd.Index:
    """The ids flagged active: a True/False Series over ``customers``, or ids (text)."""
    if isinstance(active, pd.Series) and pd.api.types.is_bool_dtype(active.dtype):
        flags = pd.DataFrame({"customer_id": active.index.to_numpy(dtype=object),
                              "active": active.to_numpy(dtype=object)})
        what = _("active flags")
        flags["customer_id"] = require_ids(flags, "customer_id", what)
        require_unique(flags, "customer_id", what)
        unknown = flags["active"].isna().to_numpy(dtype=bool)
        if unknown.any():
            raise column_error(what, "active", int(unknown.sum()), _("missing"),
                               flags["customer_id"].to_numpy()[unknown][0],
                               _("Say True or False for every date-1 customer."))
        unflagged = ~customers.isin(flags["customer_id"])
        if unflagged.any():
            raise DataError(
                _("active: {count:,} of the {total:,} customers in before have no True/False "
                  "flag, e.g. {example}. Flag every date-1 customer, or pass the ids of the "
                  "active ones.").format(count=int(unflagged.sum()), total=len(customers),
                                         example=describe_example(customers[unflagged][0])))
        return pd.Index(flags.loc[flags["active"].astype(bool), "customer_id"])
    if isinstance(active, (str, bytes)) or not np.iterable(active):
        raise DataError(_("active must be the ids of the date-1 customers who bought between "
                          "the dates, or a True/False Series indexed by customer_id, got "
                          "{example}.").format(example=describe_example(active)))
    listed = list(active)
    if listed and all(isinstance(flag, (bool, np.bool_)) for flag in listed):
        raise DataError(_("active: True/False flags need their customer ids; pass them as a "
                          "pandas Series indexed by customer_id, or pass the active ids."))
    ids = as_ids(pd.Series(listed, dtype=object))
    if ids.isna().any():
        raise DataError(_("active: {count:,} ids are missing or blank, e.g. position "
                          "{position}.").format(
                              count=int(ids.isna().sum()),
                              position=int(np.flatnonzero(ids.isna().to_numpy())[0])))
    return pd.Index(ids.unique())


def equity_change(before: pd.Series, after: pd.Series, active: Any) -> pd.DataFrame:
    """Split the change of customer equity between two dates into its three sources.

    Parameters
    ----------
    before : pandas.Series
        CLV of each customer valued at date 1, indexed by ``customer_id``
        (e.g. :func:`value_at`); or a DataFrame with ``customer_id`` and ``clv``.
    after : pandas.Series
        CLV at date 2, the same way, including the customers acquired in
        between. A lost customer missing from it is worth 0 at date 2
        (counted in ``attrs``).
    active : sequence of ids, or pandas.Series of bool
        The date-1 customers who bought between the dates: their ids (ids
        not in ``before`` are ignored and counted), or a True/False Series
        indexed by ``customer_id`` that flags every customer in ``before``.

    Returns
    -------
    pandas.DataFrame
        Five rows in waterfall order, ``component`` = "equity before",
        "acquisition", "expansion", "mortality", "equity after", with
        ``kind`` ("total" for the two levels, "change" for the three
        steps), ``customers`` (valued at date 1; new; retained; lost;
        valued at date 2), ``value`` (the level, or the step's signed
        contribution: mortality is negative) and ``cumulative`` (equity
        after the step; the bar of a step spans ``cumulative - value`` to
        ``cumulative``). Money is in the currency of the CLV. ``attrs``:
        ``before_total``, ``after_total``, ``change``,
        ``lost_missing_from_after``, ``active_not_in_before`` and, when
        the inputs record them, ``before_end`` and ``after_end``.

    Raises
    ------
    DataError
        For an unusable CLV table, a retained customer without a value at
        date 2, flags missing for some customer, or a date 2 that is not
        after date 1.

    Examples
    --------
    >>> before = pd.Series({"a": 100.0, "b": 50.0})
    >>> after = pd.Series({"a": 120.0, "b": 10.0, "c": 30.0})
    >>> table = equity_change(before, after, active=pd.Series({"a": True, "b": False}))
    >>> table["customers"].tolist(), float(table.attrs["change"])
    ([2, 1, 1, 1, 3], 10.0)
    """
    before_clv = customer_values(before, _("CLV before"))
    after_clv = customer_values(after, _("CLV after"))
    ends = [getattr(values, "attrs", {}).get(OBSERVATION_END) for values in (before, after)]
    if ends[0] is not None and ends[1] is not None and not pd.Timestamp(ends[1]) > pd.Timestamp(
            ends[0]):
        raise DataError(_("after is valued at {after}, not after before ({before}); pass the "
                          "earlier valuation first.").format(after=pd.Timestamp(ends[1]).date(),
                                                             before=pd.Timestamp(ends[0]).date()))
    active_ids = _active_ids(active, before_clv.index)
    retained = before_clv.index.isin(active_ids)
    missing_after = ~before_clv.index.isin(after_clv.index)
    if (retained & missing_after).any():
        example = before_clv.index[retained & missing_after][0]
        raise DataError(
            _("CLV after: {count:,} retained customers (active between the dates) have no value "
              "at date 2, e.g. {example}. Value every customer of date 2, e.g. with "
              "equity.value_at at the later date.").format(
                count=int((retained & missing_after).sum()), example=describe_example(example)))
    # A lost customer missing from the later valuation is worth nothing then.
    later = after_clv.reindex(before_clv.index).fillna(0.0)
    new = ~after_clv.index.isin(before_clv.index)
    steps = {
        "acquisition": (int(new.sum()), float(after_clv[new].sum())),
        "expansion": (int(retained.sum()), float((later - before_clv)[retained].sum())),
        "mortality": (int((~retained).sum()), -float((before_clv - later)[~retained].sum())),
    }
    start, end = float(before_clv.sum()), float(after_clv.sum())
    rows = [("equity before", "total", len(before_clv), start)]
    rows += [(name, "change", count, value) for name, (count, value) in steps.items()]
    rows.append(("equity after", "total", len(after_clv), end))
    table = pd.DataFrame(rows, columns=["component", "kind", "customers", "value"])
    running = start + np.cumsum([0.0, *(value for _count, value in steps.values())])
    table["cumulative"] = [*running, end]
    table["customers"] = table["customers"].astype("int64")
    table.attrs.update(
        before_total=start, after_total=end, change=end - start,
        lost_missing_from_after=int((missing_after & ~retained).sum()),
        active_not_in_before=int((~active_ids.isin(before_clv.index)).sum()))
    if ends[0] is not None:
        table.attrs["before_end"] = pd.Timestamp(ends[0])
    if ends[1] is not None:
        table.attrs["after_end"] = pd.Timestamp(ends[1])
    return table


def value_at(
    transactions: pd.DataFrame,
    observation_end: Any,
    *,
    horizon: int,
    discount_rate: float,
    margin_rate: float | None = None,
    time_unit: str = "W",
    timezone: Any = None,
) -> pd.Series:
    """Each customer's CLV at a date, from BG/NBD and gamma-gamma fitted on the lines up to it.

    The lesson's one way of getting "CLV at a date": the transactions up to
    ``observation_end`` are summarized (:func:`relmark_lab.clv.summarize`),
    a BG/NBD and a gamma-gamma model are fitted on them, and each customer
    who bought by then is valued over the next ``horizon`` periods
    (:func:`relmark_lab.clv.customer_lifetime_value`).

    Parameters
    ----------
    transactions : pandas.DataFrame
        Order lines with ``customer_id``, ``date``, ``amount`` (returns
        negative) and, unless ``margin_rate`` is given, ``margin``.
    observation_end : date-like
        The valuation date, the last observed day (the whole day counts);
        later lines are left out and counted.
    horizon : int
        Future periods of ``time_unit`` valued (156 weeks = 3 years).
    discount_rate : float
        Discount rate **per year**, converted to ``time_unit`` by compounding.
    margin_rate : float, optional
        Share of spend that is margin. None: the lines' own margin share up
        to ``observation_end``, ``sum(margin) / sum(amount)`` (returns
        included), recorded in ``attrs["margin_rate_source"]``.
    time_unit : {"W", "D", "M", "Q", "Y"}, default "W"
        Unit the models are fitted in and the horizon counts.
    timezone : str, optional
        The business's time zone (see :mod:`relmark_lab._time`).

    Returns
    -------
    pandas.Series
        ``clv`` in the currency of ``amount``, indexed by ``customer_id``
        (text), one per customer with a purchase by ``observation_end``.
        ``attrs``: the summary's (``observation_end``, ``time_unit``,
        ``lines_after_observation_end``, ``customers_without_purchases``)
        and ``horizon``, ``discount_rate`` (per year), ``margin_rate``,
        ``margin_rate_source``, ``purchase_model_params`` and
        ``spend_model_params``.

    Raises
    ------
    DataError
        For unusable lines, a bad horizon, rate or unit, no margin column
        when ``margin_rate`` is None, or a margin share that cannot be
        computed (revenue of 0 or less).

    Examples
    --------
    >>> import relmark_lab as rl
    >>> clv = value_at(rl.datasets.load_cdnow(), "1997-09-30", horizon=52, discount_rate=0.10,
    ...                margin_rate=1.0)  # CDNOW has no margin column: value revenue
    >>> len(clv), clv.attrs["time_unit"], round(float(clv.mean()), 2)  # as in lesson 04b
    (2357, 'W', 30.73)
    """
    units.check_unit(time_unit)
    horizon = require_whole_number("horizon", horizon, low=1)
    discount_rate = require_number("discount_rate", discount_rate, low=-1, low_open=True)
    if margin_rate is None:
        lines = ObservedLines(transactions, observation_end, timezone=timezone,
                              numbers=("margin",))
        revenue = float(lines.amount.sum())
        if not revenue > 0:
            raise DataError(
                _("transactions: net revenue up to {date} is {revenue:,.2f}, so the margin share "
                  "sum(margin) / sum(amount) means nothing; pass margin_rate=...").format(
                    date=lines.observation_end.date(), revenue=revenue))
        margin_rate = float(lines.numbers["margin"].sum()) / revenue
        source = (f"transactions: sum(margin) / sum(amount) of the lines up to "
                  f"{lines.observation_end.date()}")
    else:
        margin_rate = require_number("margin_rate", margin_rate)
        source = "given"
    summary = summarize(transactions, observation_end, time_unit=time_unit, timezone=timezone)
    purchases, spend = BetaGeoNBD().fit(summary), GammaGamma().fit(summary)
    value = customer_lifetime_value(purchases, spend, summary, horizon,
                                    discount_rate=discount_rate, margin_rate=margin_rate)
    value = value.set_axis(pd.Index(summary["customer_id"], name="customer_id"))
    value.attrs = {**summary.attrs, "horizon": horizon, "discount_rate": discount_rate,
                   "margin_rate": margin_rate, "margin_rate_source": source,
                   "purchase_model_params": {k: float(v) for k, v in purchases.params_.items()},
                   "spend_model_params": {k: float(v) for k, v in spend.params_.items()}}
    return value
