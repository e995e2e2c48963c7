"""Numbers in a lesson projected in class: never scientific notation."""

import pandas as pd
import pytest

from relmark_lab.lessons import use_lesson_display
from relmark_lab.lessons.display import lesson_number


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1_981_234.5, "1,981,234.50"),
        (2.24e-01, "0.224"),
        (0.000224, "0.000224"),
        (12.3456, "12.35"),
        (-35.8712, "-35.87"),
        (0.0, "0"),
        (float("nan"), "nan"),
        (1e12, "1,000,000,000,000.00"),
    ],
)
def test_lesson_numbers(value, text):
    assert lesson_number(value) == text


def test_tables_never_switch_to_scientific_notation():
    use_lesson_display()
    try:
        shown = repr(pd.DataFrame({"revenue": [1.98e6, 12.5], "share": [2.24e-4, 0.5]}))
    finally:
        for option in ("display.float_format", "display.max_columns", "display.width"):
            pd.reset_option(option)
    assert "e+" not in shown and "e-" not in shown
    assert "1,980,000.00" in shown
