"""The kit's data sets: its own synthetic retailer and real data from packages.

``datasets.practice`` holds the prepared data the exercises and their
self-checks share with the lessons.

Examples
--------
>>> import relmark_lab as rl
>>> rl.datasets.load_cdnow().shape
(6919, 4)
"""

from __future__ import annotations

from relmark_lab.datasets import practice
from relmark_lab.datasets.kit import (
    RAW_EXPORT_COLUMNS,
    data_dir,
    load_customer_truth,
    load_customers,
    load_identity_map,
    load_leads,
    load_raw_export,
    load_survey,
    load_transactions,
    load_truth,
    load_voice_of_customer,
)
from relmark_lab.datasets.kit_programs import (
    load_complaint_recovery,
    load_follow_up,
    load_loyalty_pilot,
    load_pilot_members,
    load_stores,
)
from relmark_lab.datasets.packaged import load_cdnow, load_donations, packaged_data_file
from relmark_lab.datasets.published import load_sbg_cohorts
from relmark_lab.datasets.synthetic import simulate, write_datasets

__all__ = [
    "RAW_EXPORT_COLUMNS",
    "data_dir",
    "load_cdnow",
    "load_complaint_recovery",
    "load_customer_truth",
    "load_customers",
    "load_donations",
    "load_follow_up",
    "load_identity_map",
    "load_leads",
    "load_loyalty_pilot",
    "load_pilot_members",
    "load_raw_export",
    "load_sbg_cohorts",
    "load_stores",
    "load_survey",
    "load_transactions",
    "load_truth",
    "load_voice_of_customer",
    "packaged_data_file",
    "practice",
    "simulate",
    "write_datasets",
]
