"""relmark_lab.clv.summarize: the CDNOW conventions of the papers, netting, holdout, errors."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab.clv import summarize

LIFETIMES_SUMMARY = "cdnow_customers_summary_with_transactions.csv"
KEYS = ("observation_end", "lines_after_observation_end", "customers_without_purchases")


@pytest.fixture(scope="module")
def cdnow():
    return rl.datasets.load_cdnow("sample")


@pytest.fixture(scope="module")
def cdnow_summary(cdnow):
    return summarize(cdnow, "1998-06-30", calibration_end="1997-09-30", time_unit="W")


def _lines(rows, columns=("customer_id", "date", "amount", "order_id")):
    frame = pd.DataFrame(rows, columns=list(columns))
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")
    return frame


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


def test_a_free_purchase_is_a_visit(cdnow_summary):
    # Eight CDNOW customers' only record is a $0 CD: they are customers of the paper.
    assert cdnow_summary.attrs["customers_without_purchases"] == 0
    free = cdnow_summary.set_index("customer_id").loc["01101"]
    assert (free["frequency"], free["monetary_value"]) == (0, 0.0)


def test_cdnow_summary_equals_the_hardie_summary_file(cdnow_summary):
    path = rl.datasets.packaged_data_file(LIFETIMES_SUMMARY)
    reference = pd.read_csv(Path(path))
    ours = cdnow_summary[["frequency", "recency", "T", "monetary_value"]].round(2).to_numpy()
    theirs = reference[["x", "t_x", "T", "zbar"]].to_numpy()
    ours, theirs = (a[np.lexsort(a.T[::-1])] for a in (ours, theirs))
    np.testing.assert_allclose(ours, theirs, atol=0.0101)


def test_attrs_follow_the_contract(cdnow_summary):
    attrs = cdnow_summary.attrs
    assert all(key in attrs for key in KEYS)
    assert attrs["observation_end"] == pd.Timestamp("1998-06-30")
    assert attrs["calibration_end"] == pd.Timestamp("1997-09-30")
    assert attrs["time_unit"] == "W" and attrs["customers_first_buying_in_holdout"] == 0
    assert "return_lines_dropped" not in attrs
    assert cdnow_summary["customer_id"].dtype == "str"


def test_same_day_orders_merge_and_returns_are_netted():
    tx = _lines([
        ("a", "2024-01-01 09:00", 10.0, None),
        ("a", "2024-01-01 18:00", 5.0, None),
        ("a", "2024-01-15 12:00", 20.0, None),
        ("a", "2024-01-15 13:00", -8.0, None),  # a partial return the same day: netted
        ("b", "2024-01-08 12:00", 7.0, None),
        ("c", "2024-01-09 12:00", -3.0, None),  # returns only
    ])
    summary = summarize(tx, "2024-01-29", time_unit="D")
    assert summary["customer_id"].tolist() == ["a", "b"]
    assert summary["frequency"].tolist() == [1, 0]
    assert summary["recency"].tolist() == [14.0, 0.0]
    assert summary["T"].tolist() == [28.0, 21.0]
    assert summary["monetary_value"].tolist() == [12.0, 0.0]
    assert summary.attrs["customers_without_purchases"] == 1


def test_an_order_cancelled_the_same_day_is_not_a_visit():
    tx = _lines([
        ("a", "2024-01-01 10:00", 50.0, "1"),
        ("a", "2024-02-01 10:00", 168_000.0, "2"),
        ("a", "2024-02-01 10:20", -168_000.0, "2"),
    ])
    row = summarize(tx, "2024-03-31", time_unit="D").iloc[0]
    assert (row["frequency"], row["recency"], row["monetary_value"]) == (0, 0.0, 0.0)


def test_a_return_on_a_later_day_lowers_nothing_in_frequency():
    tx = _lines([
        ("a", "2024-01-01", 50.0, "1"),
        ("a", "2024-02-01", 80.0, "2"),
        ("a", "2024-02-20", -80.0, "R7"),  # no order id of its own purchase: not a visit
    ])
    row = summarize(tx, "2024-03-31", time_unit="D").iloc[0]
    assert (row["frequency"], row["recency"], row["monetary_value"]) == (1, 31.0, 80.0)


def test_a_whole_order_returned_under_its_id_is_no_repeat_purchase():
    tx = _lines([
        ("a", "2024-01-01", 50.0, "1"),
        ("a", "2024-02-01", 80.0, "2"),
        ("a", "2024-02-20", -80.0, "2"),
    ])
    row = summarize(tx, "2024-03-31", time_unit="D").iloc[0]
    assert (row["frequency"], row["recency"]) == (0, 0.0)


def test_return_only_customers_are_counted_not_lost():
    tx = _lines([("a", "2024-01-01", 50.0, "1"), ("z", "2024-01-05", -20.0, "9"),
                 ("y", "2024-01-06", 30.0, "8"), ("y", "2024-01-06", -30.0, "8")])
    summary = summarize(tx, "2024-01-31")
    assert summary["customer_id"].tolist() == ["a"]
    assert summary.attrs["customers_without_purchases"] == 2


def test_calibration_does_not_see_holdout_lines():
    tx = _lines([
        ("a", "2024-01-01", 10.0, "1"),
        ("a", "2024-01-15", 40.0, "2"),
        ("a", "2024-02-10", -40.0, "2"),  # returned in the holdout under its order id
        ("a", "2024-02-12", 25.0, "3"),
    ])
    summary = summarize(tx, "2024-02-26", calibration_end="2024-01-29", time_unit="D")
    row = summary.iloc[0]
    # At the calibration end, order 2 was a repeat purchase of 40.
    assert (row["frequency"], row["recency"], row["monetary_value"]) == (1, 14.0, 40.0)
    assert (row["frequency_holdout"], row["monetary_value_holdout"]) == (1, 25.0)
    whole = summarize(tx, "2024-02-26", time_unit="D").iloc[0]
    assert (whole["frequency"], whole["monetary_value"]) == (1, 25.0)


def test_holdout_and_customers_born_in_holdout_are_counted():
    tx = _lines([
        ("a", "2024-01-01", 1.0, None),
        ("a", "2024-01-08", 2.0, None),
        ("a", "2024-02-05", 6.0, None),
        ("b", "2024-02-01", 3.0, None),
        ("c", "2024-01-10", -3.0, None),
    ])
    summary = summarize(tx, "2024-02-26", calibration_end="2024-01-29", time_unit="W")
    assert summary["customer_id"].tolist() == ["a"]
    row = summary.iloc[0]
    assert (row["frequency"], row["recency"], row["T"]) == (1, 1.0, 4.0)
    assert (row["frequency_holdout"], row["monetary_value_holdout"]) == (1, 6.0)
    assert row["duration_holdout"] == 4.0
    assert summary.attrs["customers_first_buying_in_holdout"] == 1
    assert summary.attrs["customers_without_purchases"] == 1
    assert summary.attrs["time_unit"] == "W"


def test_lines_after_the_end_are_left_out_and_counted():
    tx = _lines([("a", "2024-01-01", 1.0, "1"), ("a", "2024-01-31 23:59", 2.0, "2"),
                 ("a", "2024-02-01 00:01", 4.0, "3")])
    summary = summarize(tx, "2024-01-31 08:00", time_unit="D")
    assert summary["frequency"].tolist() == [1]
    assert summary.attrs["lines_after_observation_end"] == 1


def test_time_units_are_those_of_the_units_module():
    tx = _lines([("a", "2024-01-01", 1.0, "1"), ("a", "2024-04-01", 2.0, "2")])
    for unit, days in (("D", 1), ("W", 7), ("M", 365.25 / 12), ("Q", 365.25 / 4),
                       ("Y", 365.25)):
        row = summarize(tx, "2024-12-31", time_unit=unit).iloc[0]
        assert row["recency"] == pytest.approx(91 / days)


def test_aware_stamps_keep_the_business_day():
    stamps = pd.to_datetime(["2024-01-01 12:00", "2024-01-31 23:30"]).tz_localize(
        "America/Mexico_City")
    tx = pd.DataFrame({"customer_id": ["a", "a"], "date": stamps, "amount": [1.0, 2.0]})
    assert summarize(tx, "2024-01-31")["frequency"].tolist() == [1]
    in_utc = summarize(tx, "2024-01-31", timezone="UTC")
    assert in_utc["frequency"].tolist() == [0]
    assert in_utc.attrs["lines_after_observation_end"] == 1


def test_kit_data_summary():
    summary = summarize(rl.datasets.load_transactions(), "2025-12-31")
    assert len(summary) == 5000
    # Every kit return nets against its own order the same day; an order returned in full is
    # no visit, a partial return only lowers the day's amount.
    assert summary["frequency"].sum() == 24922
    assert summary.attrs["customers_without_purchases"] == 0
    assert summary["T"].max() == pytest.approx((pd.Timestamp("2025-12-31")
                                                 - pd.Timestamp("2023-01-01")).days / 7)


def test_bad_input_names_the_column_and_an_example():
    tx = pd.DataFrame({"customer_id": ["a"], "date": pd.to_datetime(["2024-01-01"]),
                       "amount": ["ten"]})
    with pytest.raises(rl.DataError, match=r"column 'amount' is not a number in 1 row, "
                                           r"e\.g\. 'ten'"):
        summarize(tx, "2024-02-01")
    with pytest.raises(rl.DataError, match=r"Column 'date' is missing"):
        summarize(tx.drop(columns="date"), "2024-02-01")
    with pytest.raises(rl.DataError, match=r"time_unit must be one of.*'Y' \(years\)"):
        summarize(tx.assign(amount=1.0), "2024-02-01", time_unit="weeks")
    with pytest.raises(rl.DataError, match="calibration_end"):
        summarize(tx.assign(amount=1.0), "2024-02-01", calibration_end="2024-03-01")
    with pytest.raises(rl.DataError, match="observation_end is required"):
        summarize(tx.assign(amount=1.0), None)
    with pytest.raises(rl.DataError, match=r"column 'date' is not a date in 1 row"):
        summarize(tx.assign(amount=1.0, date=["someday"]), "2024-02-01")
    with pytest.raises(rl.DataError, match="no line is dated on or before calibration_end"):
        summarize(tx.assign(amount=1.0), "2024-02-01", calibration_end="2023-12-01")
    with pytest.raises(rl.DataError, match="none of the 1 customers made a purchase"):
        summarize(tx.assign(amount=-1.0), "2024-02-01")
    # Dates as text are read like any other date.
    text_dates = tx.assign(amount=1.0, date=["2024-01-01"])
    assert summarize(text_dates, "2024-02-01")["T"].tolist() == [pytest.approx(31 / 7)]
