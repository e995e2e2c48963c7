"""Errors that users can cause, and how they are worded."""

from __future__ import annotations

__all__ = ["DataError", "describe_example"]


class DataError(ValueError):
    """Input the kit cannot use, explained in one readable paragraph.

    Raised for problems a user can fix in their data or arguments. The
    message names the column, how many values are affected and an example
    value, so the user knows where to look. The command-line interface
    prints the message and exits with status 2 instead of a traceback.

    Attributes
    ----------
    ledger : relmark_lab.Ledger or None
        Set by :func:`relmark_lab.read_transactions` when no row of a source
        can be kept, so the rejected rows and their reasons can be inspected.

    Examples
    --------
    >>> raise DataError("Column 'amount': 3 values are not numbers, e.g. 'abc'.")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: Column 'amount': 3 values are not numbers, e.g. 'abc'.
    """

    ledger = None


def describe_example(value: object, max_chars: int = 40) -> str:
    """Quote a value for an error message, shortened if it is long.

    Parameters
    ----------
    value : object
        The offending value as found in the data.
    max_chars : int, default 40
        Longer representations are cut and end with an ellipsis.

    Returns
    -------
    str
        ``repr`` of the value, at most ``max_chars`` characters.

    Examples
    --------
    >>> describe_example("abc")
    "'abc'"
    >>> import numpy as np
    >>> describe_example(np.float64(2.5))  # numpy scalars read as plain numbers
    '2.5'
    """
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()
    text = repr(value)
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    return text
