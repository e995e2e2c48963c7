"""relmark_lab.clv.summarize: the CDNOW conventions of the papers, returns, errors."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab.clv import summarize

LIFETIMES_SUMMARY = "cdnow_customers_summary_with_transactions.csv"


@pytest.fixture(scope="module")
def cdnow():
    return rl.datasets.load_cdnow("sample")


@pytest.fixture(scope="module")
def cdnow_summary(cdnow):
    return summarize(cdnow, "1998-06-30", calibration_end="1997-09-30", time_unit="W")


def test_cdnow_counts_match_the_bgnbd_paper(cdnow_summary):
    assert len(cdnow_summary) == 2357
    assert (cdnow_summary["frequency"] > 0).sum() == 946
    assert cdnow_summary["frequency"].sum() == 2457
    assert cdnow_summary["frequency_holdout"].sum() == 1882
    first_day_customer = cdnow_summary.loc[cdnow_summary["customer_id"] == "00004"].iloc[0]
    assert first_day_customer["T"] == pytest.approx(272 / 7)  # 38.86 weeks in the paper
    assert first_day_customer["frequency"] == 2
    assert first_day_customer["recency"] == pytest.approx(213 / 7)
    assert first_day_customer["monetary_value"] == pytest.approx((29.73 + 14.96) / 2)
    assert cdnow_summary["duration_holdout"].unique().tolist() == [39.0]


def test_cdnow_summary_equals_the_hardie_summary_file(cdnow_summary):
    path = rl.datasets.packaged_data_file(LIFETIMES_SUMMARY)
    reference = pd.read_csv(Path(path))
    ours = cdnow_summary[["frequency", "recency", "T", "monetary_value"]].round(2).to_numpy()
    theirs = reference[["x", "t_x", "T", "zbar"]].to_numpy()
    ours, theirs = (a[np.lexsort(a.T[::-1])] for a in (ours, theirs))
    np.testing.assert_allclose(ours, theirs, atol=0.0101)


def test_same_day_orders_merge_and_returns_are_dropped_and_counted():
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "b", "c"],
            "date": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 18:00", "2024-01-15 12:00",
                                    "2024-01-20 12:00", "2024-01-08 12:00", "2024-01-09 12:00"]),
            "amount": [10.0, 5.0, 20.0, -20.0, 7.0, -3.0],
        }
    )
    summary = summarize(tx, "2024-01-29", time_unit="D")
    assert summary["customer_id"].tolist() == ["a", "b"]
    assert summary["frequency"].tolist() == [1, 0]
    assert summary["recency"].tolist() == [14.0, 0.0]
    assert summary["T"].tolist() == [28.0, 21.0]
    assert summary["monetary_value"].tolist() == [20.0, 0.0]
    assert summary.attrs["return_lines_dropped"] == 2
    assert summary.attrs["customers_without_purchases"] == 1
    with pytest.raises(rl.DataError, match=r"'amount': 2 lines are negative.*-20\.0"):
        summarize(tx, "2024-01-29", returns="error")


def test_holdout_and_customers_born_in_holdout_are_counted():
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b"],
            "date": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-02-05", "2024-02-01"]),
            "amount": [1.0, 2.0, 6.0, 3.0],
        }
    )
    summary = summarize(tx, "2024-02-26", calibration_end="2024-01-29", time_unit="W")
    assert summary["customer_id"].tolist() == ["a"]
    row = summary.iloc[0]
    assert (row["frequency"], row["recency"], row["T"]) == (1, 1.0, 4.0)
    assert (row["frequency_holdout"], row["monetary_value_holdout"]) == (1, 6.0)
    assert row["duration_holdout"] == 4.0
    assert summary.attrs["customers_first_buying_in_holdout"] == 1
    assert summary.attrs["time_unit"] == "W"


def test_kit_data_summary(kit_summary=None):
    summary = summarize(rl.datasets.load_transactions(), "2025-12-31")
    assert len(summary) == 5000
    assert summary["frequency"].sum() == 24922
    assert summary.attrs["return_lines_dropped"] == 1262
    assert summary["T"].max() == pytest.approx((pd.Timestamp("2025-12-31")
                                                 - pd.Timestamp("2023-01-01")).days / 7)


def test_bad_input_names_the_column_and_an_example():
    tx = pd.DataFrame({"customer_id": ["a"], "date": pd.to_datetime(["2024-01-01"]),
                       "amount": ["ten"]})
    with pytest.raises(rl.DataError, match=r"'amount': 1 values.*'ten'"):
        summarize(tx, "2024-02-01")
    with pytest.raises(rl.DataError, match=r"Column 'date' is missing"):
        summarize(tx.drop(columns="date"), "2024-02-01")
    with pytest.raises(rl.DataError, match=r"time_unit must be one of.*'Q'"):
        summarize(tx.assign(amount=1.0), "2024-02-01", time_unit="Q")
    with pytest.raises(rl.DataError, match="calibration_end"):
        summarize(tx.assign(amount=1.0), "2024-02-01", calibration_end="2024-03-01")
    text_dates = tx.assign(amount=1.0, date=["2024-01-01"])
    with pytest.raises(rl.DataError, match="Column 'date' must hold dates"):
        summarize(text_dates, "2024-02-01")
