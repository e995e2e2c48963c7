"""The identify package: one module per section of lesson 01, today's names kept."""

from relmark_lab import identify

NAMES = ["IDENTITY_RULES", "MISSING_TYPE", "STAGES", "STATUSES", "VOC_CHANNELS",
         "apply_identity_map", "complainer_retention", "complaint_resolution",
         "contacts_by_channel", "customer_status", "customer_table", "lifecycle_stage",
         "merge_report", "normalize_email", "normalize_name", "normalize_phone",
         "resolve_identities", "score_resolution", "stage_funnel", "status_counts"]


def test_the_package_keeps_every_public_name():
    assert sorted(identify.__all__) == NAMES
    assert all(hasattr(identify, name) for name in NAMES)
    from relmark_lab.datasets import synthetic  # imports VOC_CHANNELS from here

    assert synthetic is not None
