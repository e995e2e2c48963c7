"""Cohort retention tables and the layer cake: calendar periods, purchase days, net revenue."""

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import clv

END = "2025-12-31"


@pytest.fixture(scope="module")
def transactions():
    return rl.datasets.load_transactions()


def _lines(rows):
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount", "order_id"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_cohort_retention_table_on_the_kit(transactions):
    table = clv.cohort_retention_table(transactions, END, period="Q")
    assert list(table.columns) == ["cohort", "periods_since_acquisition", "customers", "active",
                                   "share"]
    first = table[table["cohort"] == "2023Q1"]
    assert first["periods_since_acquisition"].tolist() == list(range(12))
    assert first["customers"].iloc[0] == 381 and first["active"].tolist()[:3] == [381, 195, 151]
    assert (table.loc[table["periods_since_acquisition"] == 0, "share"] == 1).all()
    sizes = table.drop_duplicates("cohort")["customers"]
    assert sizes.sum() == 5000  # every customer is in exactly one cohort
    assert table.attrs["observation_end"] == pd.Timestamp(END)
    assert table.attrs["customers_without_purchases"] == 0


def test_cohorts_use_calendar_periods_and_purchase_days():
    tx = _lines([
        ("a", "2025-01-31", 10.0, "1"),
        ("a", "2025-02-01", 10.0, "2"),  # the next calendar month, one day later
        ("b", "2025-01-15", 20.0, "3"),
        ("b", "2025-02-10", 30.0, "4"),
        ("b", "2025-02-10", -30.0, "4"),  # cancelled the same day: b is not active
        ("c", "2025-02-03", -5.0, "5"),  # returns only: in no cohort, counted
    ])
    table = clv.cohort_retention_table(tx, "2025-03-15", period="M")
    assert table["cohort"].tolist() == ["2025-01"] * 3
    assert table["periods_since_acquisition"].tolist() == [0, 1, 2]
    assert table["active"].tolist() == [2, 1, 0]
    assert table.attrs["customers_without_purchases"] == 1


def test_cohort_tables_require_the_end_and_a_known_period(transactions):
    with pytest.raises(rl.DataError, match="observation_end is required"):
        clv.cohort_retention_table(transactions, None)
    with pytest.raises(rl.DataError, match=r"period must be one of .*got 'month'"):
        clv.cohort_retention_table(transactions, END, period="month")
    with pytest.raises(rl.DataError, match=r"cohort_period must be one of"):
        clv.layer_cake(transactions, END, cohort_period="quarter")


def test_layer_cake_adds_up_to_total_revenue(transactions):
    cake = clv.layer_cake(transactions, END, period="M", cohort_period="Q")
    assert cake["revenue"].sum() == pytest.approx(transactions["amount"].sum())
    assert cake["period"].nunique() == 36 and cake["cohort"].nunique() == 10
    january = cake[cake["period"] == "2023-01"]
    assert january["cohort"].tolist() == ["2023Q1"] and january["customers"].item() == 124


def test_layer_cake_keeps_customers_with_only_returns_and_leaves_out_later_lines():
    tx = _lines([("a", "2024-01-03", 5.0, "1"), ("b", "2024-01-04", -2.0, "2"),
                 ("a", "2024-07-01", 9.0, "3")])
    cake = clv.layer_cake(tx, "2024-06-30", period="M")
    assert cake.set_index("cohort")["revenue"].to_dict() == {"2024Q1": 5.0, "no purchase": -2.0}
    assert cake.attrs["lines_after_observation_end"] == 1
    assert cake.attrs["customers_without_purchases"] == 1
