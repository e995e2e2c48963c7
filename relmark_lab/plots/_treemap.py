"""The squarified treemap layout, drawn by :func:`relmark_lab.plots.rfm.plot_segment_treemap`.

Segment sizes become rectangles whose areas are proportional to them, as
close to squares as the layout of Bruls, Huizing and van Wijk (2000) makes
them, so that a reader compares segments by area.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["squarify_layout"]


def squarify_layout(
    values: Sequence[float], x: float = 0.0, y: float = 0.0, width: float = 1.0,
    height: float = 1.0,
) -> list[tuple[float, float, float, float]]:
    """Rectangles ``(x, y, width, height)`` with areas proportional to ``values``.

    The squarified layout of Bruls, Huizing and van Wijk (2000): values are
    taken largest first, and rectangles are added to the current strip along
    the shorter side while that makes the strip's worst aspect ratio better.
    Rectangles come back in the order of ``values``; zero values get
    zero-sized rectangles.

    Examples
    --------
    >>> [tuple(round(float(v), 2) for v in r) for r in squarify_layout([2, 1, 1], width=2)]
    [(0.0, 0.0, 1.0, 1.0), (1.0, 0.0, 1.0, 0.5), (1.0, 0.5, 1.0, 0.5)]
    """
    values = np.asarray(values, dtype="float64")
    if (values < 0).any() or not np.isfinite(values).all():
        raise DataError(_("A treemap needs finite values of at least 0."))
    rects: list[tuple[float, float, float, float]] = [(x, y, 0.0, 0.0)] * len(values)
    total = values.sum()
    if total == 0:
        return rects
    order = [int(i) for i in np.argsort(-values, kind="stable") if values[i] > 0]
    areas = {i: values[i] * width * height / total for i in order}
    while order:
        side = min(width, height)
        strip = [order[0]]
        for index in order[1:]:
            if _worst([areas[i] for i in strip + [index]], side) > _worst(
                [areas[i] for i in strip], side
            ):
                break
            strip.append(index)
        order = order[len(strip):]
        strip_area = sum(areas[i] for i in strip)
        if width >= height:  # a column on the left
            thickness, offset = strip_area / height, y
            for i in strip:
                rects[i] = (x, offset, thickness, areas[i] / thickness)
                offset += areas[i] / thickness
            x, width = x + thickness, width - thickness
        else:  # a row at the bottom
            thickness, offset = strip_area / width, x
            for i in strip:
                rects[i] = (offset, y, areas[i] / thickness, thickness)
                offset += areas[i] / thickness
            y, height = y + thickness, height - thickness
    return rects


def _worst(strip_areas: list[float], side: float) -> float:
    total = sum(strip_areas)
    return max(max(side**2 * a / total**2, total**2 / (side**2 * a)) for a in strip_areas)
