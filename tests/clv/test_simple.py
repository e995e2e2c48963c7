"""Margin multiple, retention CLV and cohort tables."""

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import clv


def test_margin_multiple_both_timing_conventions():
    assert clv.margin_multiple(0.8, 0.12) == pytest.approx(2.5)
    assert clv.margin_multiple(0.8, 0.12, timing="start") == pytest.approx(3.5)
    # The two conventions differ by exactly one margin.
    r, d = np.array([0.5, 0.9]), 0.1
    np.testing.assert_allclose(clv.margin_multiple(r, d, "start") - clv.margin_multiple(r, d), 1)


def test_retention_clv_finite_horizon_converges_to_the_multiple():
    assert clv.retention_clv(100, 0.8, 0.1, horizon=3) == pytest.approx(
        100 * (0.8 / 1.1 + 0.64 / 1.21 + 0.512 / 1.331))
    assert clv.retention_clv(100, 0.8, 0.12, acquisition_cost=150) == pytest.approx(100)
    assert clv.retention_clv(100, 0.8, 0.12, horizon=500) == pytest.approx(250)
    schedule = clv.retention_clv_schedule(100, 0.8, 0.1, 5, acquisition_cost=20, timing="start")
    assert schedule["period"].tolist() == [0, 1, 2, 3, 4]
    assert schedule["cumulative_clv"].iloc[-1] == pytest.approx(
        clv.retention_clv(100, 0.8, 0.1, horizon=5, acquisition_cost=20, timing="start"))


def test_simple_models_reject_impossible_rates():
    with pytest.raises(rl.DataError, match=r"retention_rate must be between 0 and 1, got 1\.2"):
        clv.margin_multiple(1.2, 0.1)
    with pytest.raises(rl.DataError, match="timing must be 'end' or 'start'"):
        clv.retention_clv(100, 0.8, 0.1, timing="middle")
    with pytest.raises(rl.DataError, match="horizon"):
        clv.retention_clv_schedule(100, 0.8, 0.1, 0)


@pytest.fixture(scope="module")
def transactions():
    return rl.datasets.load_transactions()


def test_cohort_retention_table_on_the_kit(transactions):
    table = clv.cohort_retention_table(transactions, period="Q", observation_end="2025-12-31")
    assert list(table.columns) == ["cohort", "periods_since_acquisition", "customers", "active",
                                   "share"]
    first = table[table["cohort"] == "2023Q1"]
    assert first["periods_since_acquisition"].tolist() == list(range(12))
    assert first["customers"].iloc[0] == 381 and first["active"].tolist()[:3] == [381, 195, 151]
    assert (table.loc[table["periods_since_acquisition"] == 0, "share"] == 1).all()
    sizes = table.drop_duplicates("cohort")["customers"]
    assert sizes.sum() == 5000  # every customer is in exactly one cohort


def test_layer_cake_adds_up_to_total_revenue(transactions):
    cake = clv.layer_cake(transactions, period="M", cohort_period="Q")
    assert cake["revenue"].sum() == pytest.approx(transactions["amount"].sum())
    assert cake["period"].nunique() == 36 and cake["cohort"].nunique() == 10
    january = cake[cake["period"] == "2023-01"]
    assert january["cohort"].tolist() == ["2023Q1"] and january["customers"].item() == 124


def test_layer_cake_keeps_customers_with_only_returns():
    tx = pd.DataFrame({"customer_id": ["a", "b"], "amount": [5.0, -2.0],
                       "date": pd.to_datetime(["2024-01-03", "2024-01-04"])})
    cake = clv.layer_cake(tx, period="M")
    assert cake.set_index("cohort")["revenue"].to_dict() == {"2024Q1": 5.0, "no purchase": -2.0}
