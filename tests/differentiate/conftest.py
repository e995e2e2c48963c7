"""Shared data of the differentiation tests: a small hand-checked table and the kit."""

import pandas as pd
import pytest

from relmark_lab import datasets
from relmark_lab import differentiate as dif

COLUMNS = ["customer_id", "order_id", "date", "amount", "margin", "quantity", "days_late"]


def lines_from(rows):
    """Order lines from (customer, order, date, amount, margin, quantity, days_late) tuples."""
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")
    return frame


@pytest.fixture
def make_lines():
    return lines_from


@pytest.fixture
def small():
    return lines_from([
        ("a", "1", "2024-01-01", 100.0, 40.0, 2, 0),
        ("a", "1", "2024-01-01", 50.0, 20.0, 1, 0),   # second line of order 1
        ("a", "2", "2024-03-01", 200.0, 80.0, 4, 10),
        ("a", "3", "2024-03-05", -50.0, -20.0, -1, 0),  # return: own order id, later day
        ("b", "4", "2024-02-01", 30.0, 6.0, 1, 0),
        ("c", "5", "2024-01-15", 300.0, 100.0, 3, 0),
        ("c", "6", "2024-06-30", 300.0, 100.0, 3, 0),
    ])


@pytest.fixture(scope="session")
def kit():
    """The kit's transactions, profitability (default prices), survey and observation end."""
    transactions = datasets.load_transactions()
    end = datasets.load_truth()["observation_end"]
    profitability = dif.customer_profitability(
        transactions, end, customers=datasets.load_customers(),
        contacts=datasets.load_voice_of_customer())
    return transactions, profitability, datasets.load_survey(), end
