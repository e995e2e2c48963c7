"""Self-checks for the exercises of lessons 04a and 04b, customer lifetime value.

Each function takes the student's function, runs it on the lesson's data
(the published sBG cohorts, CDNOW, the kit's retailer, prepared once in
:mod:`relmark_lab.datasets.practice`), compares the answer with what
:mod:`relmark_lab.clv` computes and returns a
:class:`~relmark_lab.checks.CheckResult`. Exercises that ask for a formula
of scalars are run on several cases, and the answers are compared case by
case, so a mistake names the case where it shows.

Examples
--------
>>> from relmark_lab.checks import clv as check
>>> def weekly_discount_rate(annual_rate):
...     return annual_rate / 52
>>> print(check.weekly_discount_rate(weekly_discount_rate))  # doctest: +ELLIPSIS
Wrong, because you divided the annual rate by the weeks in a year...
"""


from __future__ import annotations

from relmark_lab.checks._clv_contractual import (
    clv_margin_multiple,
    next_quarter_retention,
    project_survivors,
    sbg_retention_rate,
)
from relmark_lab.checks._clv_noncontractual import (
    expected_repeat_purchases,
    probability_alive,
    repeat_customers_and_purchases,
    retention_offer_targets,
    top_decile_share,
    weekly_discount_rate,
)
from relmark_lab.checks._clv_retention_offer import largest_retention_offer

__all__ = [
    "clv_margin_multiple",
    "expected_repeat_purchases",
    "largest_retention_offer",
    "next_quarter_retention",
    "probability_alive",
    "project_survivors",
    "repeat_customers_and_purchases",
    "retention_offer_targets",
    "sbg_retention_rate",
    "top_decile_share",
    "weekly_discount_rate",
]
