"""Self-checks for the exercises: right, or wrong because ... with a hint.

One module per stage, named as the stage (and as its plots module), holds
the checks of that stage's lesson; import it under a short name in the
exercise notebook.

Examples
--------
>>> from relmark_lab.checks import data as check
>>> def cdnow_repeat_share(cdnow):
...     return (cdnow.groupby("customer_id")["date"].nunique() > 1).mean()
>>> print(check.cdnow_repeat_share(cdnow_repeat_share))
Right: 00.4 cdnow_repeat_share is correct.
"""

from __future__ import annotations

from relmark_lab.checks import clv, data, differentiate, identify, rfm
from relmark_lab.checks._core import CheckResult, Mistake, check_function, compare_answer

__all__ = [
    "CheckResult",
    "Mistake",
    "check_function",
    "compare_answer",
    "clv",
    "data",
    "differentiate",
    "identify",
    "rfm",
]
