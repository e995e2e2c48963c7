"""Fixtures shared by the tests of the synthetic retailer's processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from relmark_lab.datasets import synthetic


@pytest.fixture(scope="session")
def retailer() -> synthetic.SyntheticRetailer:
    """The default data set, as committed (about two seconds, simulated once)."""
    return synthetic.simulate()


@pytest.fixture(scope="session")
def small_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files of a 300-customer data set, written once."""
    folder = tmp_path_factory.mktemp("small")
    synthetic.write_datasets(folder, n_customers=300)
    return folder
