"""Checks of what the CLV models are given: data columns, time units, horizons (private).

Every message follows the kit's one template (:mod:`relmark_lab._validate`).
"""

from __future__ import annotations

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
from relmark_lab.errors import DataError, describe_example

__all__ = ["data_unit", "repeat_purchase_columns", "require_times", "resolve_fit_unit"]


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
                f"{model}.fit: time_unit={time_unit!r} was given but the data are summarized "
                f"in time_unit={recorded!r}; fit in the unit of the data."
            )
        return time_unit
    if recorded is None and required:
        raise DataError(
            f"{model}.fit needs the time unit of the data: pass time_unit='W' (or 'D', 'M', "
            "'Q', 'Y'). rl.clv.summarize records it in data.attrs['time_unit'], but a merge, "
            "a groupby or a hand-made table loses it."
        )
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
            return float(require_whole_number(name, _plain(value), low=0))
        return require_number(name, _plain(value), low=0)
    try:
        values = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise DataError(f"{name} must be numbers, got {describe_example(value)}.") from error
    bad = ~np.isfinite(values) | (values < 0)
    if whole:
        bad |= np.isfinite(values) & (values % 1 != 0)
    if bad.any():
        kind = "whole numbers" if whole else "finite numbers"
        raise DataError(f"{name} must be {kind} of at least 0; {int(bad.sum()):,} of "
                        f"{values.size:,} are not, e.g. {describe_example(values[bad][0])}.")
    return values


def _plain(value: Any) -> Any:
    """A 0-d array or numpy scalar as a Python number (what require_number accepts)."""
    return value.item() if hasattr(value, "item") and np.ndim(value) == 0 else value


def _first_bad(data: pd.DataFrame, column: str, bad: np.ndarray) -> Any:
    return data[column].to_numpy(dtype=object)[bad][0]


def repeat_purchase_columns(data: pd.DataFrame, model: str, age: str = "T") -> pd.DataFrame:
    """Validate frequency, recency and T (or n_periods) [+ weights] for a purchase model.

    Returns the columns as floats; any problem raises the kit's one
    column message, e.g. ``BetaGeoNBD data: column 'recency' is greater
    than T in 1 row, e.g. 5.0.``
    """
    what = f"{model} data"
    columns = ["frequency", "recency", age]
    require_columns(data, columns, what)
    frame = pd.DataFrame({
        "frequency": require_numbers(data, "frequency", what, low=0, integer=True),
        "recency": require_numbers(data, "recency", what, low=0),
        age: require_numbers(data, age, what),
    }, index=data.index)
    if "weights" in data.columns:
        frame["weights"] = require_numbers(data, "weights", what, low=0)
    checks = [
        (age, frame[age].to_numpy() <= 0, "0 or negative", None),
        ("recency", frame["recency"].to_numpy() > frame[age].to_numpy(),
         f"greater than {age}", None),
        ("recency", (frame["frequency"].to_numpy() == 0) & (frame["recency"].to_numpy() > 0),
         "positive without a repeat purchase", "recency is 0 when frequency is 0."),
    ]
    for column, bad, problem, hint in checks:
        if bad.any():
            raise column_error(what, column, int(bad.sum()), problem,
                               _first_bad(data, column, bad), hint)
    return frame
