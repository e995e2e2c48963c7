"""What the CLV models are given: checked columns, time units, horizons; patterns (private).

Every message follows the kit's one template (:mod:`relmark_lab._validate`):
:func:`~relmark_lab._validate.column_error` for the values of a column,
:func:`~relmark_lab._validate.require_number` for a parameter, applied here
to every value of an array parameter too. The sentences are English
templates translated when they are built (:func:`relmark_lab.i18n.gettext`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab import units
from relmark_lab._validate import (
    column_error,
    require_columns,
    require_number,
    require_numbers,
    require_whole_number,
)
from relmark_lab.clv._fit_messages import and_list
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import gettext as _

__all__ = [
    "as_scalar",
    "broadcast",
    "compress",
    "data_unit",
    "repeat_purchase_columns",
    "require_finite",
    "require_row_times",
    "require_times",
    "require_values",
    "resolve_fit_unit",
]


def compress(data: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Group identical rows of ``columns`` and add up their ``weights``.

    Parameters
    ----------
    data : pandas.DataFrame
        Validated data; a ``weights`` column is used if present, else each
        row weighs 1.
    columns : sequence of str
        Columns that define a pattern.

    Returns
    -------
    pandas.DataFrame
        ``columns`` + ``weights``, one row per distinct pattern, in order of
        first appearance.

    Examples
    --------
    >>> compress(pd.DataFrame({"x": [1, 1, 2]}), ["x"])
       x  weights
    0  1      2.0
    1  2      1.0
    """
    # One integer code per pattern, built column by column with hash factorisation
    # (re-coded after each column so the combined key never overflows).
    key = np.zeros(len(data), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(data[column].to_numpy(), sort=False)
        key, _uniques = pd.factorize(key * len(uniques) + codes, sort=False)
    n_patterns = int(key.max()) + 1 if len(key) else 0
    first_row = np.empty(n_patterns, dtype=np.int64)
    first_row[key[::-1]] = np.arange(len(key))[::-1]  # first occurrence of each pattern
    weights = data["weights"].to_numpy(dtype=float) if "weights" in data else None
    frame = pd.DataFrame({column: data[column].to_numpy()[first_row] for column in columns})
    frame["weights"] = np.bincount(key, weights=weights, minlength=n_patterns).astype(float)
    return frame


def data_unit(data: Any) -> str | None:
    """The time unit ``data.attrs`` records (checked), or None."""
    recorded = getattr(data, "attrs", {}).get("time_unit")
    if recorded is None:
        return None
    return units.check_unit(recorded, name="data.attrs['time_unit']")


def resolve_fit_unit(data: Any, time_unit: str | None, model: str,
                     required: bool = True) -> str | None:
    """The time unit a model is fitted in: the argument, else ``data.attrs["time_unit"]``.

    Parameters
    ----------
    data : pandas.DataFrame or pandas.Series
        The data passed to ``fit``.
    time_unit : str, optional
        The unit the user passed to ``fit``.
    model : str
        The model's name, for messages.
    required : bool, default True
        Raise when neither gives a unit (else return None).

    Raises
    ------
    DataError
        If the two disagree, a unit is unknown, or no unit is known and one
        is required.

    Examples
    --------
    >>> frame = pd.DataFrame({"frequency": [1]})
    >>> frame.attrs["time_unit"] = "W"
    >>> resolve_fit_unit(frame, None, "BetaGeoNBD")
    'W'
    >>> resolve_fit_unit(frame, "M", "BetaGeoNBD")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: BetaGeoNBD.fit: time_unit='M' was given but the data are \
summarized in time_unit='W'; fit in the unit of the data.
    """
    recorded = data_unit(data)
    if time_unit is not None:
        units.check_unit(time_unit)
        if recorded is not None and recorded != time_unit:
            raise DataError(
                _("{model}.fit: time_unit={given!r} was given but the data are summarized in "
                  "time_unit={recorded!r}; fit in the unit of the data.").format(
                    model=model, given=time_unit, recorded=recorded))
        return time_unit
    if recorded is None and required:
        raise DataError(
            _("{model}.fit needs the time unit of the data: pass time_unit='W' (or 'D', 'M', "
              "'Q', 'Y'). rl.clv.summarize records it in data.attrs['time_unit'], but a merge, a "
              "groupby or a hand-made table loses it.").format(model=model))
    return recorded


def require_times(value: Any, name: str, *, whole: bool = False) -> np.ndarray | float:
    """A time (horizon, ``future_t``, ``t``) or an array of them: finite and >= 0.

    With ``whole=True`` the values must be whole numbers (opportunities,
    periods). Scalars go through :func:`relmark_lab._validate.require_number`
    / ``require_whole_number``; arrays are checked at once.

    Raises
    ------
    DataError
        Naming the parameter, how many values are bad and an example.

    Examples
    --------
    >>> require_times(2.5, "future_t")
    2.5
    >>> require_times(np.array([1.0, np.inf]), "future_t")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: future_t must be finite numbers of at least 0; 1 of 2 are \
not, e.g. inf.
    """
    if np.ndim(value) == 0:
        if whole:
            return float(require_whole_number(name, as_scalar(value), low=0))
        return require_number(name, as_scalar(value), low=0)
    try:
        values = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise DataError(_("{name} must be numbers, got {example}.").format(
            name=name, example=describe_example(value))) from error
    bad = ~np.isfinite(values) | (values < 0)
    if whole:
        bad |= np.isfinite(values) & (values % 1 != 0)
    if bad.any():
        template = (_("{name} must be whole numbers of at least 0; {count:,} of {size:,} are "
                      "not, e.g. {example}.") if whole else
                    _("{name} must be finite numbers of at least 0; {count:,} of {size:,} are "
                      "not, e.g. {example}."))
        raise DataError(template.format(name=name, count=int(bad.sum()), size=values.size,
                                        example=describe_example(values[bad][0])))
    return values


def as_scalar(value: Any) -> Any:
    """A 0-d array or numpy scalar as a Python number (what require_number accepts)."""
    return value.item() if hasattr(value, "item") and np.ndim(value) == 0 else value


def require_row_times(value: Any, name: str, index: pd.Index, *,
                      whole: bool = False) -> np.ndarray | float:
    """A time for every row of the data: one number, or one per row (:func:`require_times`).

    A pandas Series is aligned on the data's ``index`` (by label, not by
    position); an array must have one value per row.

    Raises
    ------
    DataError
        If a time is not usable, an array has another length than the data,
        or a Series lacks a row label of the data.

    Examples
    --------
    >>> rows = pd.RangeIndex(3)
    >>> require_row_times(pd.Series([3.0, 1.0, 2.0], index=[2, 0, 1]), "future_t", rows)
    array([1., 2., 3.])
    >>> require_row_times([1, 2], "future_t", rows)
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: future_t must be one number, or one per row of the data \
(3 rows), got 2 values.
    """
    if isinstance(value, pd.Series) and not value.index.equals(index):
        missing = ~index.isin(value.index)
        if missing.any() or not value.index.is_unique:
            example = index[missing][0] if missing.any() else value.index[
                value.index.duplicated()][0]
            template = (_("{name} is a Series whose index does not match the data's rows (row "
                          "{row} has no {name}); align it with {name}.reindex(data.index), or "
                          "pass {name}.to_numpy() to use it by position.") if missing.any() else
                        _("{name} is a Series whose index does not match the data's rows (row "
                          "{row} has more than one {name}); align it with "
                          "{name}.reindex(data.index), or pass {name}.to_numpy() to use it by "
                          "position."))
            raise DataError(template.format(name=name, row=describe_example(example)))
        value = value.reindex(index)
    if isinstance(value, pd.Series):
        value = value.to_numpy()
    times = require_times(value, name, whole=whole)
    if np.ndim(times) and (times.ndim != 1 or len(times) != len(index)):
        raise DataError(_("{name} must be one number, or one per row of the data ({rows:,} "
                          "rows), got {count:,} values.").format(name=name, rows=len(index),
                                                                 count=times.size))
    return times


def broadcast(**values: Any) -> list[np.ndarray]:
    """Checked numbers (``n_purchases`` and ``t``, rates) as float arrays of one shape.

    Examples
    --------
    >>> broadcast(n_purchases=[0, 1, 2], t=[1.0, 2.0])
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: n_purchases and t must be single numbers or arrays of shapes \
that broadcast together, got n_purchases of shape (3,) and t of shape (2,).
    """
    arrays = [np.asarray(value, dtype=float) for value in values.values()]
    try:
        return np.broadcast_arrays(*arrays)
    except ValueError as error:
        shapes = [_("{name} of shape {shape}").format(name=name, shape=a.shape)
                  for name, a in zip(values, arrays, strict=True)]
        raise DataError(
            _("{names} must be single numbers or arrays of shapes that broadcast together, got "
              "{shapes}.").format(names=and_list(list(values)), shapes=and_list(shapes))
        ) from error


def require_values(name: str, value: Any, *, low: float | None = None,
                   high: float | None = None, low_open: bool = False) -> np.ndarray | float:
    """A number, or an array of numbers, each checked by ``_validate.require_number``.

    Returns a float for a scalar, a float array otherwise; the first bad
    value of an array is named in require_number's message (the one wording
    of a bad parameter).

    Examples
    --------
    >>> require_values("retention_rate", [0.8, 0.9], low=0, high=1)
    array([0.8, 0.9])
    >>> require_values("retention_rate", [0.8, 1.2], low=0, high=1)
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: retention_rate must be a finite number at least 0 and at most \
1, got 1.2.
    """
    bounds = {"low": low, "high": high, "low_open": low_open}
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # e.g. a ragged list
        raise DataError(_("{name} must be a number or an array of numbers, got {example}.")
                        .format(name=name, example=describe_example(value))) from error
    if array.ndim == 0:
        return require_number(name, as_scalar(value), **bounds)
    if array.dtype.kind in "iuf":
        numbers = array.astype(float)
        ok = np.isfinite(numbers)
        if low is not None:
            ok &= (numbers > low) if low_open else (numbers >= low)
        if high is not None:
            ok &= numbers <= high
        if not ok.all():
            require_number(name, numbers[~ok][0], **bounds)  # raises, naming the value
        return numbers
    for item in array.ravel():  # text, booleans, objects: the first bad one is named
        require_number(name, as_scalar(item), **bounds)
    return array.astype(float)


def require_finite(values: np.ndarray, frame: pd.DataFrame, what: str,
                   boundary: list[str] | tuple[str, ...] = ()) -> np.ndarray:
    """``values`` (predictions for the rows of ``frame``), or a DataError naming a row.

    For data so extreme that a prediction cannot be computed in floating point.
    When the fit itself sits at the boundary (``boundary``, the model's
    ``boundary_``), that is the cause, and the sentence says so.

    Examples
    --------
    >>> frame = pd.DataFrame({"frequency": [2, 10**9], "T": [5.0, 6.0]}, index=["a", "b"])
    >>> require_finite(np.array([1.5, np.nan]), frame, "BetaGeoNBD: the expected purchases")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: BetaGeoNBD: the expected purchases cannot be computed in \
floating point for 1 row, e.g. row 'b' (frequency=1e+09, T=6). Check that row's data (a \
reseller's or a test account?) and predict it apart.
    """
    bad_rows = np.flatnonzero(~np.isfinite(np.broadcast_to(values, len(frame))))
    if bad_rows.size and boundary:
        raise DataError(
            _("{what} cannot be computed in floating point for {count:,} of {rows:,} rows, "
              "because the fit sits at the boundary ({names} ran off to 0 or infinity) where "
              "the formula overflows. Refit with penalizer=0.001, or with a longer calibration "
              "period.").format(what=what, count=bad_rows.size, rows=len(frame),
                                names=", ".join(boundary)))
    if bad_rows.size:
        row = int(bad_rows[0])
        shown = ", ".join(f"{c}={frame[c].iloc[row]:.4g}" for c in ("frequency", "T")
                          if c in frame)
        template = (_("{what} cannot be computed in floating point for {count:,} row, e.g. row "
                      "{row} ({values}). Check that row's data (a reseller's or a test "
                      "account?) and predict it apart.") if bad_rows.size == 1 else
                    _("{what} cannot be computed in floating point for {count:,} rows, e.g. row "
                      "{row} ({values}). Check that row's data (a reseller's or a test "
                      "account?) and predict it apart."))
        raise DataError(template.format(what=what, count=bad_rows.size,
                                        row=describe_example(frame.index[row]), values=shown))
    return values


def _first_bad(data: pd.DataFrame, column: str, bad: np.ndarray) -> Any:
    return data[column].to_numpy(dtype=object)[bad][0]


def repeat_purchase_columns(data: pd.DataFrame, model: str, age: str = "T") -> pd.DataFrame:
    """Validate frequency, recency and T (or n_periods) [+ weights] for a purchase model.

    Returns the columns as floats; any problem raises the kit's one
    column message, e.g. ``BetaGeoNBD data: column 'recency' is greater
    than T in 1 row, e.g. 5.0.`` ``T = 0`` is allowed with frequency and
    recency 0: a customer whose first purchase is on the last day of the
    period (:func:`~relmark_lab.clv.summarize` gives them T = 0). Their
    likelihood is 1 under every model (no time to buy or to leave), so they
    add nothing to a fit, and every prediction is defined for them.

    Examples
    --------
    >>> repeat_purchase_columns(pd.DataFrame({"frequency": [1, 0], "recency": [2.0, 0.0],
    ...                                       "T": [3.0, 0.0]}), "BetaGeoNBD")
       frequency  recency    T
    0        1.0      2.0  3.0
    1        0.0      0.0  0.0
    >>> repeat_purchase_columns(pd.DataFrame({"frequency": [1], "recency": [0.0],
    ...                                       "T": [0.0]}), "BetaGeoNBD")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: BetaGeoNBD data: column 'T' is 0 for a customer with repeat \
purchases in 1 row, e.g. 0.0. T is 0 only for a customer first seen at the end of the period, \
who has no repeat purchase yet.
    """
    what = _("{model} data").format(model=model)
    columns = ["frequency", "recency", age]
    require_columns(data, columns, what)
    frame = pd.DataFrame({
        "frequency": require_numbers(data, "frequency", what, low=0, integer=True),
        "recency": require_numbers(data, "recency", what, low=0),
        age: require_numbers(data, age, what, low=0),
    }, index=data.index)
    if "weights" in data.columns:
        frame["weights"] = require_numbers(data, "weights", what, low=0)
    frequency, recency, big_t = (frame[c].to_numpy() for c in ("frequency", "recency", age))
    checks = [
        ("recency", recency > big_t, _("greater than {age}").format(age=age), None),
        ("recency", (frequency == 0) & (recency > 0),
         _("positive without a repeat purchase"), _("recency is 0 when frequency is 0.")),
        (age, (big_t == 0) & (frequency > 0), _("0 for a customer with repeat purchases"),
         _("{age} is 0 only for a customer first seen at the end of the period, who has no "
           "repeat purchase yet.").format(age=age)),
    ]
    for column, bad, problem, hint in checks:
        if bad.any():
            raise column_error(what, column, int(bad.sum()), problem,
                               _first_bad(data, column, bad), hint)
    return frame
