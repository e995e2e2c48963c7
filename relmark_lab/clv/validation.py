"""Does the model fit? The three checks of the BG/NBD and Pareto/NBD papers.

1. **Frequency histogram**: how many customers made 0, 1, 2, ... repeat
   purchases in the calibration period, against what the model expects,
   the sum over customers of P(X(T_i) = x).
2. **Tracking**: cumulative repeat purchases week by week, actual against
   the model's expectation summed over customers from their first purchase,
   through the calibration period and into the holdout.
3. **Calibration vs holdout**: mean holdout purchases of the customers
   grouped by their calibration frequency (0, 1, ..., 7+), actual against
   the conditional expectation E[Y(t) | frequency, recency, T].
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab.clv.summary import days_per_unit, summarize
from relmark_lab.errors import DataError

__all__ = ["calibration_vs_holdout", "frequency_histogram", "tracking_repeat_purchases"]


def _frequency_labels(frequency: pd.Series, max_frequency: int) -> pd.Categorical:
    labels = [str(x) for x in range(max_frequency)] + [f"{max_frequency}+"]
    codes = np.minimum(frequency.to_numpy(dtype="int64"), max_frequency)
    return pd.Categorical.from_codes(codes, categories=labels, ordered=True)


def _age_column(model) -> str:
    return model._pattern_columns[2]


def frequency_histogram(model, data: pd.DataFrame, max_frequency: int = 7) -> pd.DataFrame:
    """Customers by calibration frequency: actual counts against the model's expectation.

    Parameters
    ----------
    model : BetaGeoNBD, ParetoNBD or BetaGeoBetaBinomial
        Fitted model with ``probability_of_purchases``.
    data : pandas.DataFrame
        The data the model was fitted on (``frequency`` and ``T``, or
        ``n_periods`` for the BG/BB; optional ``weights``).
    max_frequency : int, default 7
        The last bin holds every frequency from this value up ("7+").

    Returns
    -------
    pandas.DataFrame
        ``frequency`` (label "0" ... "7+"), ``actual``, ``expected``
        (sum over customers of P(X(T_i) = x); the last bin is 1 minus the
        others), one row per bin. Both columns add up to the number of
        customers.

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab.clv import BetaGeoNBD, summarize
    >>> data = summarize(rl.datasets.load_cdnow(), "1997-09-30")
    >>> table = frequency_histogram(BetaGeoNBD().fit(data), data)
    >>> table["actual"].tolist()[:3]
    [1411.0, 439.0, 214.0]
    """
    age = _age_column(model)
    if "frequency" not in data.columns or age not in data.columns:
        raise DataError(f"frequency_histogram needs columns 'frequency' and {age!r}.")
    weights = data["weights"] if "weights" in data else pd.Series(1.0, index=data.index)
    bins = _frequency_labels(data["frequency"], max_frequency)
    actual = weights.groupby(bins, observed=False).sum()

    # Customers who share T share their probabilities: evaluate once per distinct T.
    ages = weights.groupby(data[age].to_numpy()).sum()
    x = np.arange(max_frequency)
    probabilities = np.array([model.probability_of_purchases(x, float(t)) for t in ages.index])
    expected = ages.to_numpy() @ probabilities
    expected = np.r_[expected, ages.sum() - expected.sum()]
    return pd.DataFrame(
        {"frequency": actual.index.astype(str), "actual": actual.to_numpy(dtype=float),
         "expected": expected}
    )


def calibration_vs_holdout(model, data: pd.DataFrame, max_frequency: int = 7) -> pd.DataFrame:
    """Mean holdout purchases by calibration frequency: actual against the model.

    Parameters
    ----------
    model : BetaGeoNBD or ParetoNBD
        Fitted on the calibration columns of ``data``.
    data : pandas.DataFrame
        :func:`relmark_lab.clv.summarize` with ``calibration_end``: columns
        ``frequency``, ``recency``, ``T``, ``frequency_holdout``,
        ``duration_holdout``.
    max_frequency : int, default 7
        The last group holds every frequency from this value up ("7+").

    Returns
    -------
    pandas.DataFrame
        ``frequency`` (label), ``customers``, ``actual`` (mean
        ``frequency_holdout``), ``expected`` (mean E[Y(duration_holdout) |
        frequency, recency, T]).

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab.clv import BetaGeoNBD, summarize
    >>> data = summarize(rl.datasets.load_cdnow(), "1998-06-30", "1997-09-30")
    >>> table = calibration_vs_holdout(BetaGeoNBD().fit(data), data)
    >>> table["customers"].sum()
    np.int64(2357)
    """
    for column in ("frequency_holdout", "duration_holdout"):
        if column not in data.columns:
            raise DataError(f"Column {column!r} is missing: summarize the transactions with "
                            "calibration_end=... to get the holdout columns.")
    expected = model.expected_purchases(data, data["duration_holdout"].to_numpy())
    bins = _frequency_labels(data["frequency"], max_frequency)
    frame = pd.DataFrame({"bin": bins, "actual": data["frequency_holdout"].to_numpy(dtype=float),
                          "expected": expected.to_numpy()})
    grouped = frame.groupby("bin", observed=False)
    return pd.DataFrame(
        {
            "frequency": grouped.size().index.astype(str),
            "customers": grouped.size().to_numpy(),
            "actual": grouped["actual"].mean().to_numpy(),
            "expected": grouped["expected"].mean().to_numpy(),
        }
    )


def tracking_repeat_purchases(
    model,
    transactions: pd.DataFrame,
    calibration_end: str | pd.Timestamp,
    observation_end: str | pd.Timestamp,
    time_unit: str = "W",
) -> pd.DataFrame:
    """Repeat purchases per period, actual against the model, and their running totals.

    The clock starts on the day of the earliest first purchase. Period k
    covers days [(k-1) u, k u) from the start, with u the length of
    ``time_unit`` in days. The model's expected cumulative repeat purchases
    at the end of period k add up E[X(t - b_i)] over the customers born
    (first purchase) at b_i < t. Only customers whose first purchase is on
    or before ``calibration_end`` are counted, as in the papers.

    Parameters
    ----------
    model : BetaGeoNBD or ParetoNBD
        Fitted on data in ``time_unit``.
    transactions : pandas.DataFrame
        Columns ``customer_id``, ``date``, ``amount``; same-day purchases
        merge and returns are left out, as in :func:`summarize`.
    calibration_end, observation_end : date-like
        End of the calibration period and of the holdout.
    time_unit : {"W", "D", "M"}, default "W"

    Returns
    -------
    pandas.DataFrame
        ``period`` (1, 2, ...), ``period_end`` (date), ``in_calibration``
        (bool), ``actual``, ``expected``, ``cumulative_actual``,
        ``cumulative_expected``.

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab.clv import BetaGeoNBD, summarize
    >>> cdnow = rl.datasets.load_cdnow()
    >>> model = BetaGeoNBD().fit(summarize(cdnow, "1997-09-30"))
    >>> track = tracking_repeat_purchases(model, cdnow, "1997-09-30", "1998-06-30")
    >>> int(track["cumulative_actual"].iloc[-1])
    4339
    """
    step = days_per_unit(time_unit)
    # Daily resolution: each customer's first day and repeat purchase days.
    daily = summarize(transactions, observation_end, time_unit="D")
    cal_end = pd.Timestamp(calibration_end).normalize()
    end = pd.Timestamp(observation_end).normalize()
    first_day = end - pd.to_timedelta(daily["T"].to_numpy(), unit="D")
    customers = daily.loc[first_day <= cal_end, "customer_id"]
    births = first_day[first_day <= cal_end]
    start = births.min()

    lines = transactions[transactions["amount"].to_numpy(dtype=float) >= 0]
    days = pd.DataFrame({"customer_id": lines["customer_id"].astype("string").to_numpy(),
                         "day": lines["date"].dt.normalize().to_numpy()})
    days = days[days["customer_id"].isin(customers) & (days["day"] <= end)].drop_duplicates()
    first_of = days.groupby("customer_id")["day"].transform("min")
    repeat_offsets = (days.loc[days["day"] > first_of, "day"] - start).dt.days.to_numpy()

    n_periods = int(np.ceil(((end - start).days + 1) / step))
    period_index = np.floor(repeat_offsets / step).astype("int64")
    actual = np.bincount(period_index, minlength=n_periods)[:n_periods].astype(float)

    birth_offsets = pd.Series((births - start).days.to_numpy() / step)
    cohort = birth_offsets.value_counts()
    ends = np.arange(1, n_periods + 1, dtype=float)
    cumulative_expected = np.zeros(n_periods)
    for birth, size in cohort.items():
        age = np.clip(ends - birth, 0, None)
        cumulative_expected += size * np.asarray(model.expected_purchases_new_customer(age))
    period_end = start + pd.to_timedelta(ends * step, unit="D") - pd.Timedelta(days=1)
    return pd.DataFrame(
        {
            "period": np.arange(1, n_periods + 1),
            "period_end": period_end,
            "in_calibration": period_end <= cal_end,
            "actual": actual,
            "expected": np.diff(cumulative_expected, prepend=0.0),
            "cumulative_actual": np.cumsum(actual),
            "cumulative_expected": cumulative_expected,
        }
    )
