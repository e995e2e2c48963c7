"""Self-checks for the exercises: right, or wrong because ... with a hint.

One module per lesson holds that lesson's checks; import it under a short
name in the exercise notebook.

Examples
--------
>>> from relmark_lab.checks import course_map as check
>>> def cdnow_repeat_share(cdnow):
...     return (cdnow.groupby("customer_id")["date"].nunique() > 1).mean()
>>> print(check.cdnow_repeat_share(cdnow_repeat_share))
Right: 00.4 cdnow_repeat_share is correct.
"""

from __future__ import annotations

from relmark_lab.checks import course_map, differentiation, identification, lifetime_value, rfm
from relmark_lab.checks._core import CheckResult, Mistake, check_function, compare_answer

__all__ = [
    "CheckResult",
    "Mistake",
    "check_function",
    "compare_answer",
    "course_map",
    "differentiation",
    "identification",
    "lifetime_value",
    "rfm",
]
