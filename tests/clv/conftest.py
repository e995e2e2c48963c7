"""Data shared by the CLV tests: the CDNOW calibration summary and the kit's summary."""

import pytest

import relmark_lab as rl
from relmark_lab import clv


@pytest.fixture(scope="session")
def cdnow_calibration():
    return clv.summarize(rl.datasets.load_cdnow("sample"), "1997-09-30", time_unit="W")


@pytest.fixture(scope="session")
def kit_summary():
    return clv.summarize(rl.datasets.load_transactions(), "2025-12-31", time_unit="W")


@pytest.fixture(scope="session")
def covers():
    """Which true parameters lie inside a fitted model's 95% intervals."""
    def check(model, truth):
        summary = model.summary().set_index("parameter")
        return {name: bool(summary.loc[name, "lower_95"] <= value
                           <= summary.loc[name, "upper_95"]) for name, value in truth.items()}
    return check
