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

from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import units
from relmark_lab._validate import require_columns, require_numbers, require_whole_number
from relmark_lab.clv._base import require_model
from relmark_lab.clv.beta_geo import BetaGeoNBD
from relmark_lab.clv.beta_geo_beta_binom import BetaGeoBetaBinomial
from relmark_lab.clv.pareto_nbd import ParetoNBD
from relmark_lab.clv.summary import purchase_history
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["calibration_vs_holdout", "frequency_histogram", "tracking_repeat_purchases"]


def _frequency_labels(frequency: pd.Series, max_frequency: int) -> pd.Categorical:
    labels = [str(x) for x in range(max_frequency)] + [f"{max_frequency}+"]
    codes = np.minimum(frequency.to_numpy(dtype="int64"), max_frequency)
    return pd.Categorical.from_codes(codes, categories=labels, ordered=True)


def _age_column(model) -> str:
    return model._pattern_columns[2]


#: The models each check accepts.
_COUNT_MODELS = (BetaGeoNBD, ParetoNBD, BetaGeoBetaBinomial)
_TIME_MODELS = (BetaGeoNBD, ParetoNBD)


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

    Raises
    ------
    DataError
        If ``model`` is not a fitted BetaGeoNBD, ParetoNBD or
        BetaGeoBetaBinomial, the data are in another time unit, or a column
        is missing or unusable.

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab.clv import BetaGeoNBD, summarize
    >>> data = summarize(rl.datasets.load_cdnow(), "1997-09-30")
    >>> table = frequency_histogram(BetaGeoNBD().fit(data), data)
    >>> table["actual"].tolist()[:3]
    [1411.0, 439.0, 214.0]
    """
    require_model(model, _COUNT_MODELS, "model")
    age = _age_column(model)
    model._check_data_unit(data)
    what = _("{function} data").format(function="frequency_histogram")
    require_columns(data, ["frequency", age], what)
    max_frequency = require_whole_number("max_frequency", max_frequency, low=1)
    frequency = require_numbers(data, "frequency", what, low=0, integer=True)
    ages_of = require_numbers(data, age, what, low=0)
    weights = (require_numbers(data, "weights", what, low=0) if "weights" in data
               else pd.Series(1.0, index=data.index))
    bins = _frequency_labels(frequency, max_frequency)
    actual = weights.groupby(bins, observed=False).sum()

    # Customers who share T share their probabilities: evaluate once per distinct T.
    ages = weights.groupby(ages_of.to_numpy()).sum()
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

    Raises
    ------
    DataError
        If ``model`` is not a fitted BetaGeoNBD or ParetoNBD, or a column is
        missing or unusable.

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab.clv import BetaGeoNBD, summarize
    >>> data = summarize(rl.datasets.load_cdnow(), "1998-06-30", calibration_end="1997-09-30")
    >>> table = calibration_vs_holdout(BetaGeoNBD().fit(data), data)
    >>> table["customers"].sum()
    np.int64(2357)
    """
    require_model(model, _TIME_MODELS, "model")
    what = _("{function} data").format(function="calibration_vs_holdout")
    try:
        require_columns(data, ["frequency_holdout", "duration_holdout"], what)
    except DataError as error:
        raise DataError(_("{message} The holdout columns come from rl.clv.summarize(..., "
                          "calibration_end=...).").format(message=error)) from None
    max_frequency = require_whole_number("max_frequency", max_frequency, low=1)
    holdout = require_numbers(data, "frequency_holdout", what, low=0, integer=True)
    duration = require_numbers(data, "duration_holdout", what, low=0)
    expected = model.expected_purchases(data, duration.to_numpy())  # checks the other columns
    bins = _frequency_labels(data["frequency"], max_frequency)
    frame = pd.DataFrame({"bin": bins, "actual": holdout.to_numpy(),
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
    calibration_end: Any,
    observation_end: Any,
    *,
    timezone: Any = None,
) -> pd.DataFrame:
    """Repeat purchases per period, actual against the model, and their running totals.

    The periods are those of the model's time unit (``model.time_unit_``,
    e.g. weeks of 7 days). The clock starts on the day of the earliest
    first purchase; period k covers the days d with (k-1) u <= d < k u from
    the start, with u the length of the unit in days (30.44 for a month).
    The last period ends with ``observation_end`` and may be partial: its
    ``actual`` and ``expected`` cover only its observed days. A period is in
    the calibration when it ends on or before ``calibration_end``, so a
    period that straddles it counts as holdout. The model's expected
    cumulative repeat purchases at the end of period k add up E[X(t - b_i)]
    over the customers born (first purchase) at b_i < t. Only customers whose first
    purchase is on or before ``calibration_end`` are counted, as in the
    papers, and their purchase days are those of :func:`summarize`
    (calibration from the lines known at ``calibration_end``, holdout from
    the whole window).

    Parameters
    ----------
    model : BetaGeoNBD or ParetoNBD
        Fitted model; its ``time_unit_`` sets the periods.
    transactions : pandas.DataFrame
        Columns ``customer_id``, ``date``, ``amount`` (optionally
        ``order_id``): lines become purchase days as in :func:`summarize`.
    calibration_end, observation_end : date-like
        End of the calibration period and of the holdout (the whole day counts).
    timezone : str, optional
        The business's time zone; None keeps the clock time each stamp shows.

    Returns
    -------
    pandas.DataFrame
        ``period`` (1, 2, ...), ``period_end`` (the period's last day, at
        midnight), ``in_calibration`` (bool: ``period_end`` on or before
        ``calibration_end``), ``actual``, ``expected``, ``cumulative_actual``,
        ``cumulative_expected``. ``attrs``: ``observation_end``,
        ``lines_after_observation_end``, ``customers_without_purchases``,
        ``calibration_end``, ``customers_first_buying_in_holdout`` (as in
        :func:`summarize`, whose customers these are) and ``time_unit``.

    Raises
    ------
    DataError
        If ``model`` is not a fitted BetaGeoNBD or ParetoNBD with a
        ``time_unit_``, or the lines are unusable (as in :func:`summarize`).

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab.clv import BetaGeoNBD, summarize
    >>> cdnow = rl.datasets.load_cdnow()
    >>> model = BetaGeoNBD().fit(summarize(cdnow, "1997-09-30"))
    >>> track = tracking_repeat_purchases(model, cdnow, "1997-09-30", "1998-06-30")
    >>> int(track["cumulative_actual"].iloc[-1]), str(track["period_end"].iloc[-1].date())
    (4339, '1998-06-30')
    """
    require_model(model, _TIME_MODELS, "model")
    unit = getattr(model, "time_unit_", None)
    if unit is None:
        raise DataError(_("This {model} records no time_unit_; fit it with "
                          "model.fit(data, time_unit=...) so the periods are known.").format(
                              model=type(model).__name__))
    step = units.days_per_unit(unit)
    history = purchase_history(transactions, observation_end, calibration_end, timezone)
    births = history.first_day
    start = int(births.min())
    repeat_days = np.r_[history.calibration[1][history.is_repeat], history.holdout[1]]
    end_day = (history.observation_end - pd.Timestamp("1970-01-01")).days
    observed = end_day - start + 1  # days observed from the start, the last one whole

    n_periods = int(np.ceil(observed / step))
    period_index = np.floor((repeat_days - start) / step).astype("int64")
    actual = np.bincount(period_index, minlength=n_periods)[:n_periods].astype(float)

    # Period k ends k units after the start, the last one at the end of observation_end.
    periods = np.arange(1, n_periods + 1)
    ends = np.minimum(periods.astype(float), observed / step)
    birth_offsets, sizes = np.unique((births - start) / step, return_counts=True)
    cumulative_expected = np.zeros(n_periods)
    for birth, size in zip(birth_offsets, sizes, strict=True):
        age = np.clip(ends - birth, 0, None)
        cumulative_expected += size * np.asarray(model.expected_purchases_new_customer(age))
    # The last day of period k: the last whole day d with d - start < k units.
    last_day = start + np.minimum(np.ceil(periods * step).astype("int64"), observed) - 1
    period_end = pd.to_datetime(last_day, unit="D")
    table = pd.DataFrame(
        {
            "period": periods,
            "period_end": period_end,
            "in_calibration": period_end <= history.calibration_end,
            "actual": actual,
            "expected": np.diff(cumulative_expected, prepend=0.0),
            "cumulative_actual": np.cumsum(actual),
            "cumulative_expected": cumulative_expected,
        }
    )
    table.attrs.update(history.attrs, time_unit=unit)
    return table
