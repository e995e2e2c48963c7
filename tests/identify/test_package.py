"""The identify package: one module per section of lesson 01, today's names kept."""

import doctest
import importlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from relmark_lab import identify

PACKAGE = Path(identify.__file__).parent
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")

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


@pytest.mark.parametrize("module", MODULES)
def test_modules_are_small(module):
    assert len((PACKAGE / f"{module}.py").read_text().splitlines()) <= 400


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module):
    loaded = importlib.import_module(f"relmark_lab.identify.{module}")
    result = doctest.testmod(loaded, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    plt.close("all")
    assert result.attempted > 0 and result.failed == 0
