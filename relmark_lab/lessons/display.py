"""How numbers look in a lesson projected in class.

pandas switches to scientific notation (``1.98e+06``) as soon as one value
in a column is large or small; a room of students reads ``1,980,000``
better. :func:`use_lesson_display` sets pandas' display options once, in a
lesson's first code cell, so every table that follows shows money with
thousands separators and never in scientific notation, and wide tables
keep their columns.
"""

from __future__ import annotations

import math

import pandas as pd

from relmark_lab.i18n import LANGUAGES, set_language
from relmark_lab.i18n import gettext as _

__all__ = ["lesson_number", "use_lesson_display"]


def lesson_number(value: float) -> str:
    """A number as a lesson table shows it: four significant digits, never scientific notation.

    From 1,000 up, money-style: thousands separators and two decimals.

    Examples
    --------
    >>> lesson_number(1981234.5)
    '1,981,234.50'
    >>> lesson_number(0.000224)
    '0.000224'
    >>> lesson_number(0.2241)
    '0.2241'
    >>> lesson_number(12.3456)
    '12.35'
    >>> lesson_number(0.999999)
    '0.999999'
    """
    if not math.isfinite(value):
        return str(value)
    size = abs(value)
    if size >= 1000 or size == 0:
        return f"{value:,.2f}" if size else "0"
    if size >= 1:  # below 10,000 the g format never switches to scientific notation
        return f"{value:.4g}"
    # Below one: four significant digits, written out in full, and never rounded up to 1
    # (a threshold of 0.999999 must not read as 1).
    decimals = -int(math.floor(math.log10(size))) + 3
    while round(size, decimals) >= 1 and decimals < 12:
        decimals += 1
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".")


def use_lesson_display(language: str = "en") -> None:
    """Set pandas' display options for a lesson (no scientific notation, wide tables kept)
    and the language of the kit's messages, labels and numbers (``"en"`` or ``"es"``)."""
    if language not in LANGUAGES:  # a lesson parameter: the sentence names it
        from relmark_lab.lessons.parameters import ParameterError

        raise ParameterError(_("language must be one of {languages}, got {language!r}.").format(
            languages=", ".join(map(repr, LANGUAGES)), language=language))
    set_language(language)
    pd.set_option("display.float_format", lesson_number)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 120)
