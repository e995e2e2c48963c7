r"""Simple lifetime-value arithmetic: margin multiple, retention CLV, cohorts.

Before the probability models, the textbook formula (Gupta & Lehmann 2003,
"Customers as Assets", *Journal of Interactive Marketing* 17(1)): a
customer brings a margin :math:`m` per period, stays each period with
probability :math:`r` (the retention rate) and money is discounted at
:math:`d` per period. Summed over an infinite horizon,

.. math::

    CLV = m \sum_{t=1}^{\infty} \frac{r^t}{(1 + d)^t} = m \frac{r}{1 + d - r}
    \quad \text{(margins at the end of each period, the first one only if retained)}

    CLV = m \sum_{t=0}^{\infty} \frac{r^t}{(1 + d)^t} = m \frac{1 + d}{1 + d - r}
    \quad \text{(margins at the start, the first one now and certain)}.

The two differ by exactly one margin; :math:`r/(1 + d - r)` is the
*margin multiple*. Both assume the same retention rate for every customer
in every period; the sBG model (:mod:`relmark_lab.clv.shifted_beta_geo`)
shows why observed retention rates rise with tenure instead.

The cohort functions describe real data the same way: who of each
acquisition cohort is still buying k periods later, and how much revenue
each cohort brings over time (the "layer cake").
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from relmark_lab.errors import DataError, describe_example

__all__ = [
    "cohort_retention_table",
    "layer_cake",
    "margin_multiple",
    "retention_clv",
    "retention_clv_schedule",
]

Timing = Literal["end", "start"]


def _check_rates(retention_rate: float | np.ndarray, discount_rate: float | np.ndarray) -> None:
    r = np.asarray(retention_rate, dtype=float)
    d = np.asarray(discount_rate, dtype=float)
    if np.any(~np.isfinite(r) | (r < 0) | (r > 1)):
        bad = r[~np.isfinite(r) | (r < 0) | (r > 1)] if r.ndim else r
        raise DataError(f"retention_rate must be between 0 and 1, got "
                        f"{describe_example(float(np.ravel(bad)[0]))}.")
    if np.any(~np.isfinite(d) | (d <= -1)):
        raise DataError(f"discount_rate must be greater than -1, got "
                        f"{describe_example(float(np.ravel(d)[0]))}.")


def _check_timing(timing: str) -> None:
    if timing not in ("end", "start"):
        raise DataError(f"timing must be 'end' or 'start', got {describe_example(timing)}.")


def margin_multiple(
    retention_rate: float | np.ndarray,
    discount_rate: float | np.ndarray,
    timing: Timing = "end",
) -> float | np.ndarray:
    """How many per-period margins a customer is worth over an infinite horizon.

    Parameters
    ----------
    retention_rate : float or array
        Share of customers kept from one period to the next (0 to 1).
    discount_rate : float or array
        Discount rate per period (e.g. 0.10 a year for yearly margins).
    timing : {"end", "start"}, default "end"
        ``"end"``: margins arrive at the end of each period and the first
        one only if the customer is retained, ``r / (1 + d - r)``.
        ``"start"``: the first margin is now and certain,
        ``(1 + d) / (1 + d - r)``, one margin more.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> round(margin_multiple(0.8, 0.12), 3)
    2.5
    >>> round(margin_multiple(0.8, 0.12, timing="start"), 3)
    3.5
    """
    _check_rates(retention_rate, discount_rate)
    _check_timing(timing)
    r, d = np.asarray(retention_rate, dtype=float), np.asarray(discount_rate, dtype=float)
    numerator = r if timing == "end" else 1 + d
    value = numerator / (1 + d - r)
    return value if value.ndim else float(value)


def retention_clv_schedule(
    margin: float,
    retention_rate: float,
    discount_rate: float,
    horizon: int,
    acquisition_cost: float = 0.0,
    timing: Timing = "end",
) -> pd.DataFrame:
    """Period-by-period build-up of a retention-based CLV over a finite horizon.

    Parameters
    ----------
    margin : float
        Margin per period of a retained customer (net of retention costs).
    retention_rate : float
        Share of customers kept each period.
    discount_rate : float
        Discount rate per period.
    horizon : int
        Number of margins counted (periods 1..horizon for ``"end"``,
        0..horizon-1 for ``"start"``).
    acquisition_cost : float, default 0
        Paid once, now; subtracted in ``cumulative_clv``.
    timing : {"end", "start"}, default "end"
        See :func:`margin_multiple`.

    Returns
    -------
    pandas.DataFrame
        Columns ``period``, ``survival`` (r^t), ``discount_factor``
        (1/(1+d)^t), ``expected_margin`` (margin x survival x discount
        factor) and ``cumulative_clv`` (running sum minus acquisition cost).

    Examples
    --------
    >>> retention_clv_schedule(100, 0.8, 0.1, 3)["cumulative_clv"].round(2).tolist()
    [72.73, 125.62, 164.09]
    """
    _check_rates(retention_rate, discount_rate)
    _check_timing(timing)
    if int(horizon) != horizon or horizon < 1:
        raise DataError(f"horizon must be a whole number of periods >= 1, got "
                        f"{describe_example(horizon)}.")
    t = np.arange(1, int(horizon) + 1) if timing == "end" else np.arange(int(horizon))
    survival = float(retention_rate) ** t
    discount = 1 / (1 + float(discount_rate)) ** t
    expected = margin * survival * discount
    return pd.DataFrame(
        {
            "period": t,
            "survival": survival,
            "discount_factor": discount,
            "expected_margin": expected,
            "cumulative_clv": np.cumsum(expected) - acquisition_cost,
        }
    )


def retention_clv(
    margin: float | np.ndarray,
    retention_rate: float | np.ndarray,
    discount_rate: float | np.ndarray,
    horizon: int | None = None,
    acquisition_cost: float | np.ndarray = 0.0,
    timing: Timing = "end",
) -> float | np.ndarray:
    """Retention-based CLV net of acquisition cost, finite or infinite horizon.

    ``margin x sum of (r/(1+d))^t over the horizon - acquisition_cost``;
    with ``horizon=None`` the sum is the margin multiple.

    Parameters
    ----------
    margin, retention_rate, discount_rate : float or array
        Per-period margin, retention rate and discount rate (broadcast).
    horizon : int, optional
        Number of margins counted; None for an infinite horizon.
    acquisition_cost : float or array, default 0
        Cost of acquiring the customer, paid now.
    timing : {"end", "start"}, default "end"
        See :func:`margin_multiple`.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> round(retention_clv(100, 0.8, 0.12, acquisition_cost=150), 2)
    100.0
    >>> round(retention_clv(100, 0.8, 0.1, horizon=3), 2)
    164.09
    """
    _check_rates(retention_rate, discount_rate)
    _check_timing(timing)
    r, d = np.asarray(retention_rate, dtype=float), np.asarray(discount_rate, dtype=float)
    multiple = margin_multiple(r, d, timing)
    if horizon is not None:
        if int(horizon) != horizon or horizon < 0:
            raise DataError(f"horizon must be a whole number of periods >= 0 or None, got "
                            f"{describe_example(horizon)}.")
        # The tail beyond the horizon is the same geometric sum scaled by (r/(1+d))^horizon.
        multiple = multiple * (1 - (r / (1 + d)) ** int(horizon))
    value = np.asarray(margin, dtype=float) * multiple - np.asarray(acquisition_cost, dtype=float)
    return value if np.ndim(value) else float(value)


def _purchases_by_period(transactions: pd.DataFrame, period: str) -> pd.DataFrame:
    """Per customer and calendar period: net amount and whether they bought."""
    for column in ("customer_id", "date", "amount"):
        if column not in transactions.columns:
            raise DataError(f"Column {column!r} is missing from the transactions; found "
                            f"{list(transactions.columns)[:8]}.")
    if not pd.api.types.is_datetime64_any_dtype(transactions["date"]):
        raise DataError(f"Column 'date' must hold dates, got {transactions['date'].dtype}.")
    try:
        periods = transactions["date"].dt.tz_localize(None).dt.to_period(period) \
            if transactions["date"].dt.tz is not None else transactions["date"].dt.to_period(period)
    except ValueError as error:
        raise DataError(f"period must be a pandas period alias such as 'M', 'Q' or 'Y', "
                        f"got {describe_example(period)}.") from error
    frame = pd.DataFrame(
        {
            "customer_id": transactions["customer_id"].to_numpy(),
            "period": periods.to_numpy(),
            "amount": transactions["amount"].to_numpy(dtype=float),
            "is_purchase": transactions["amount"].to_numpy(dtype=float) > 0,
        }
    )
    buyers = frame[frame["is_purchase"]]
    cohort = buyers.groupby("customer_id")["period"].min().rename("cohort")
    return frame.join(cohort, on="customer_id"), cohort


def cohort_retention_table(
    transactions: pd.DataFrame,
    period: str = "M",
    observation_end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Share of each acquisition cohort still buying, by periods since acquisition.

    A customer's cohort is the calendar period of their first purchase
    (a line with a positive amount); they are "active" in period k if they
    bought (a positive line) in the k-th period after it. Returns never
    make a customer active.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Columns ``customer_id``, ``date``, ``amount``.
    period : str, default "M"
        Calendar period of a cohort and of the retention steps ("M", "Q", "Y").
    observation_end : date-like, optional
        Cells of periods after the one holding this day are left out
        (not shown as 0). Defaults to the last transaction date.

    Returns
    -------
    pandas.DataFrame
        Tidy: ``cohort`` (period label as text), ``periods_since_acquisition``,
        ``customers`` (cohort size), ``active`` and ``share`` (active /
        customers; 1 at period 0). Pivot it for the classic triangle:
        ``table.pivot(index="cohort", columns="periods_since_acquisition", values="share")``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [5.0, 7.0, 3.0],
    ...                    "date": pd.to_datetime(["2024-01-03", "2024-02-10", "2024-01-20"])})
    >>> cohort_retention_table(tx)[["cohort", "periods_since_acquisition", "share"]]
        cohort  periods_since_acquisition  share
    0  2024-01                          0    1.0
    1  2024-01                          1    0.5
    """
    frame, cohort = _purchases_by_period(transactions, period)
    end = transactions["date"].max() if observation_end is None else pd.Timestamp(observation_end)
    last_period = pd.Timestamp(end).to_period(period)
    buyers = frame[frame["is_purchase"]].drop_duplicates(["customer_id", "period"])
    buyers = buyers.assign(k=_period_gap(buyers["period"], buyers["cohort"]))
    sizes = cohort.value_counts().rename("customers")
    # Every observable cell, including those where nobody bought.
    cells = [
        (c, k)
        for c in sizes.index
        for k in range(_period_gap(pd.Series([last_period]), pd.Series([c]))[0] + 1)
    ]
    grid = pd.DataFrame(cells, columns=["cohort", "periods_since_acquisition"])
    active = buyers.groupby(["cohort", "k"]).size().rename("active")
    table = grid.join(sizes, on="cohort").join(active, on=["cohort", "periods_since_acquisition"])
    table["active"] = table["active"].fillna(0).astype("int64")
    table["share"] = table["active"] / table["customers"]
    table = table.sort_values(["cohort", "periods_since_acquisition"], ignore_index=True)
    table["cohort"] = table["cohort"].astype(str)
    return table[["cohort", "periods_since_acquisition", "customers", "active", "share"]]


def _period_gap(later: pd.Series, earlier: pd.Series) -> np.ndarray:
    """Whole periods between two Period columns of the same frequency."""
    return pd.PeriodIndex(later).asi8 - pd.PeriodIndex(earlier).asi8


def layer_cake(
    transactions: pd.DataFrame,
    period: str = "M",
    cohort_period: str = "Q",
) -> pd.DataFrame:
    """Revenue by acquisition cohort and calendar period: the data of a layer-cake chart.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Columns ``customer_id``, ``date``, ``amount``.
    period : str, default "M"
        Calendar period of the horizontal axis.
    cohort_period : str, default "Q"
        Period that defines a cohort (customers whose first purchase falls
        in it). Must not be finer than ``period``.

    Returns
    -------
    pandas.DataFrame
        Tidy: ``period`` (text label), ``cohort`` (text label), ``revenue``
        (net: returns subtract in the period they happen), ``customers``
        (cohort members who bought in the period). Revenue of customers
        who never made a positive purchase (only returns) is kept under
        cohort "no purchase", so the layers add up to total revenue.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [5.0, 7.0, 3.0],
    ...                    "date": pd.to_datetime(["2024-01-03", "2024-05-10", "2024-04-20"])})
    >>> layer_cake(tx, period="Q")  # doctest: +NORMALIZE_WHITESPACE
        period  cohort  revenue  customers
    0  2024Q1  2024Q1      5.0          1
    1  2024Q2  2024Q1      7.0          1
    2  2024Q2  2024Q2      3.0          1
    """
    frame, cohort = _purchases_by_period(transactions, period)
    dates = transactions["date"]
    first = dates[transactions["amount"].to_numpy(dtype=float) > 0].groupby(
        transactions["customer_id"]).min()
    cohort_label = first.dt.to_period(cohort_period).astype(str)
    frame["cohort"] = frame["customer_id"].map(cohort_label).fillna("no purchase")
    frame["period"] = frame["period"].astype(str)
    grouped = frame.groupby(["period", "cohort"], sort=True)
    result = pd.DataFrame(
        {
            "revenue": grouped["amount"].sum(),
            "customers": frame[frame["is_purchase"]].groupby(["period", "cohort"])[
                "customer_id"].nunique(),
        }
    ).fillna({"customers": 0}).reset_index()
    result["customers"] = result["customers"].astype("int64")
    return result
