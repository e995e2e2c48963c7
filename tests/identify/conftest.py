"""Shared fixtures of the identify tests: small transaction tables and the kit's data."""

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import identify


def _lines(rows):
    """Transactions from (customer_id, date, amount[, order_id]) tuples."""
    columns = ["customer_id", "date", "amount", "order_id"][: len(rows[0])]
    frame = pd.DataFrame(rows, columns=columns)
    frame["date"] = pd.to_datetime(frame["date"], format="mixed")
    return frame


def _orders(customer, dates):
    """One 10-peso order per date, with its own order id."""
    return [(customer, d, 10.0, f"{customer}{i}") for i, d in enumerate(dates)]


@pytest.fixture
def lines():
    """Build a transactions table from (customer_id, date, amount[, order_id]) tuples."""
    return _lines


@pytest.fixture
def orders():
    """Rows of one order per date for a customer, to feed ``lines``."""
    return _orders


@pytest.fixture(scope="session")
def kit():
    raw, _ = rl.datasets.load_raw_export()
    customers = rl.datasets.load_customers()
    mapping = identify.resolve_identities(
        raw, email_column="Correo", phone_column="Teléfono", name_column="Nombre",
        rules=("email", "phone"), preferred_ids=customers["customer_id"],
    )
    return {
        "raw": raw,
        "customers": customers,
        "mapping": mapping,
        "transactions": identify.apply_identity_map(raw, mapping),
        "leads": rl.datasets.load_leads(),
        "survey": rl.datasets.load_survey(),
        "contacts": rl.datasets.load_voice_of_customer(),
        "identity_map": rl.datasets.load_identity_map(),
    }
