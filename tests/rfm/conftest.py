"""Shared fixtures of the rfm tests: the kit's RFM table at its observation end."""

import pytest

import relmark_lab as rl
from relmark_lab import rfm

KIT_END = "2025-12-31"


@pytest.fixture(scope="session")
def kit_transactions():
    return rl.datasets.load_transactions()


@pytest.fixture(scope="session")
def kit(kit_transactions):
    return rfm.rfm_table(kit_transactions, KIT_END)
