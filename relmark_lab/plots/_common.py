"""Helpers every plot module shares (private)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from relmark_lab._validate import require_columns

__all__ = ["axes", "require_plot_columns"]


def axes(ax: Axes | None, size: tuple[float, float] = (7, 4.5)) -> Axes:
    """The Axes to draw on: ``ax`` itself, or a new figure of ``size`` inches."""
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def require_plot_columns(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise DataError unless ``table`` (the input of a plot) has ``columns``.

    ``what`` names the table, e.g. ``"RFM table"``; the message says which
    column is missing and what the table has.
    """
    require_columns(table, columns, what)
