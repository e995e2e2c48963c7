"""Active, inactive and potential customers, by the kit's one contract for lines."""

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import identify

END = "2025-12-31"
KEYS = ("observation_end", "lines_after_observation_end", "customers_without_purchases")


def test_status_threshold_tie_counts_as_active(lines):
    tx = lines([("A", "2025-12-31 10:00", 5.0), ("B", "2024-12-31 20:00", 5.0),
                ("C", "2024-12-30 09:00", 5.0)])
    status = identify.customer_status(tx, END, active_within_days=365)
    assert status["days_since_last_purchase"].tolist() == [0, 365, 366]
    assert status["status"].tolist() == ["active", "active", "inactive"]
    # The last purchase is the purchase day, at midnight.
    assert status["last_purchase"].tolist() == [pd.Timestamp("2025-12-31"),
                                               pd.Timestamp("2024-12-31"),
                                               pd.Timestamp("2024-12-30")]


def test_status_ignores_returns_and_counts_later_lines(lines):
    tx = lines([("A", "2024-01-01", 5.0), ("A", "2025-12-01", -5.0), ("B", "2024-01-01", 5.0),
                ("B", "2026-01-05", 5.0), ("C", "2026-02-01", 5.0)])
    status = identify.customer_status(tx, END)
    assert status["customer_id"].tolist() == ["A", "B"]
    assert status["status"].tolist() == ["inactive", "inactive"]
    assert status.attrs == {"observation_end": pd.Timestamp(END),
                            "lines_after_observation_end": 2,
                            "customers_without_purchases": 0,
                            "leads_after_observation_end": 0}


def test_a_customer_with_only_returns_is_counted_not_lost(lines):
    tx = lines([("A", "2025-06-01", 10.0, "1"), ("Z", "2025-07-01", -4.0, "R1"),
                ("Z", "2025-08-01", -6.0, "R2")])
    status = identify.customer_status(tx, END)
    assert status["customer_id"].tolist() == ["A"]
    assert status.attrs["customers_without_purchases"] == 1


def test_an_order_cancelled_the_same_day_is_no_purchase(lines):
    tx = lines([("A", "2025-03-01 10:00", 100.0, "1"), ("A", "2025-11-01 10:00", 500.0, "2"),
                ("A", "2025-11-01 10:20", -500.0, "C2"),
                ("B", "2025-11-01 09:00", 50.0, "3"), ("B", "2025-12-20 09:00", -50.0, "R3")])
    status = identify.customer_status(tx, END, active_within_days=200)
    by_id = status.set_index("customer_id")
    assert by_id.loc["A", "last_purchase"] == pd.Timestamp("2025-03-01")
    assert by_id.loc["A", "status"] == "inactive"
    # A return on a later day without the order's id lowers revenue but undoes no visit.
    assert by_id.loc["B", "last_purchase"] == pd.Timestamp("2025-11-01")


def test_the_end_is_required_and_its_time_of_day_ignored(lines):
    tx = lines([("A", "2025-12-31 23:00", 5.0), ("B", "2026-01-01 00:30", 5.0)])
    with pytest.raises(rl.DataError, match="observation_end is required"):
        identify.customer_status(tx, None)
    status = identify.customer_status(tx, "2025-12-31 08:00")
    assert status["customer_id"].tolist() == ["A"]
    assert status["days_since_last_purchase"].tolist() == [0]
    assert status.attrs["observation_end"] == pd.Timestamp("2025-12-31")
    assert status.attrs["lines_after_observation_end"] == 1


def test_leads_are_potential_unless_they_bought_or_come_later(lines):
    tx = lines([("A", "2025-06-01", 5.0)])
    leads = pd.DataFrame({"lead_id": ["L1", "L2", "A", "L3"],
                          "created_date": pd.to_datetime(["2025-01-01 00:00", "2026-01-01 00:00",
                                                          "2024-01-01 00:00", "2025-12-31 22:00"])})
    status = identify.customer_status(tx, END, leads=leads)
    assert status.set_index("customer_id")["status"].to_dict() == {
        "A": "active", "L1": "potential", "L3": "potential"}
    assert status["customer_id"].dtype == "str"
    assert status["days_since_last_purchase"].isna().tolist() == [False, True, True]
    assert status.attrs["leads_after_observation_end"] == 1  # L2, counted, not lost silently
    undated = identify.customer_status(tx, END, leads=leads.drop(columns="created_date"))
    assert undated.attrs["leads_after_observation_end"] == 0


def test_ids_are_text(lines):
    tx = lines([(7, "2025-06-01", 5.0), (42, "2025-07-01", 5.0)])
    status = identify.customer_status(tx, END, leads=pd.DataFrame({"lead_id": [9.0]}))
    assert status["customer_id"].tolist() == ["42", "7", "9"]
    assert status["customer_id"].dtype == "str"


def test_status_counts_keeps_empty_groups():
    counts = identify.status_counts(pd.DataFrame({"status": ["inactive"] * 3}))
    assert counts["customers"].tolist() == [0, 3, 0]
    assert counts["share"].tolist() == [0.0, 1.0, 0.0]
    empty = identify.status_counts(pd.DataFrame({"status": pd.Series([], dtype=str)}))
    assert empty["customers"].tolist() == [0, 0, 0] and empty["share"].isna().all()


def test_status_refuses_bad_values():
    tx = pd.DataFrame({"customer_id": ["A", "B"], "date": ["2025-01-01", "someday"],
                       "amount": [1.0, 2.0]})
    with pytest.raises(rl.DataError, match=r"transactions: column 'date' is not a date in 1 row, "
                                           r"e.g. 'someday'"):
        identify.customer_status(tx, END)
    tx["date"] = "2025-01-01"
    tx["amount"] = ["1", "N/D"]
    with pytest.raises(rl.DataError, match=r"transactions: column 'amount' is not a number in "
                                           r"1 row, e.g. 'N/D'"):
        identify.customer_status(tx, END)
    with pytest.raises(rl.DataError, match="active_within_days must be a finite number at least 0"):
        identify.customer_status(tx.assign(amount=1.0), END, active_within_days=-1)
    with pytest.raises(rl.DataError, match="observation_end must be one date written year "
                                           "first, e.g. '2025-12-31', got 'soon'"):
        identify.customer_status(tx.assign(amount=1.0), "soon")
    with pytest.raises(rl.DataError, match=r"Column 'amount' is missing from the transactions"):
        identify.customer_status(tx.drop(columns="amount"), END)
    with pytest.raises(rl.DataError, match=r"status: column 'status' is not one of active, "
                                           r"inactive, potential in 1 row, e.g. 'gone'"):
        identify.status_counts(pd.DataFrame({"status": ["active", "gone"]}))
    with pytest.raises(rl.DataError, match="Unknown time zone 'Mars/Olympus'"):
        identify.customer_status(tx.assign(amount=1.0), END, timezone="Mars/Olympus")


def test_aware_stamps_keep_their_local_day():
    local = pd.to_datetime(["2025-12-31 23:30", "2024-12-30 23:30"]).tz_localize(
        "America/Mexico_City")
    tx = pd.DataFrame({"customer_id": ["A", "B"], "date": local, "amount": [5.0, 5.0]})
    status = identify.customer_status(tx, END)
    assert status["days_since_last_purchase"].tolist() == [0, 366]
    assert status["last_purchase"].tolist() == [pd.Timestamp("2025-12-31"),
                                               pd.Timestamp("2024-12-30")]
    # Text with several UTC offsets, and an end with a zone, are read the same way.
    tx["date"] = ["2025-12-31T23:30-06:00", "2024-12-30T23:30+01:00"]
    aware_end = pd.Timestamp("2025-12-31 08:00", tz="Europe/Madrid")
    status = identify.customer_status(tx, aware_end)
    assert status["days_since_last_purchase"].tolist() == [0, 366]
    assert status["status"].tolist() == ["active", "inactive"]


def test_a_timezone_converts_aware_stamps_near_midnight():
    local = pd.to_datetime(["2025-12-31 23:30", "2025-06-01 12:00"]).tz_localize(
        "America/Mexico_City")
    tx = pd.DataFrame({"customer_id": ["A", "A"], "date": local, "amount": [5.0, 5.0]})
    leads = pd.DataFrame({"lead_id": ["L1"], "created_date": local[:1]})
    kept = identify.customer_status(tx, END, leads=leads)
    assert kept["days_since_last_purchase"].tolist()[0] == 0
    assert kept["customer_id"].tolist() == ["A", "L1"]
    # In UTC the 23:30 purchase and the lead fall on 1 January: after the end.
    utc = identify.customer_status(tx, END, leads=leads, timezone="UTC")
    assert utc["customer_id"].tolist() == ["A"]
    assert utc["last_purchase"].tolist() == [pd.Timestamp("2025-06-01")]
    assert utc.attrs["lines_after_observation_end"] == 1


def test_leads_without_an_id_are_refused(lines):
    tx = lines([("A", "2025-06-01", 5.0)])
    leads = pd.DataFrame({"lead_id": ["L1", None, " "]})
    with pytest.raises(rl.DataError, match=r"leads: column 'lead_id' is missing or blank in "
                                           r"2 rows, e.g. row 1"):
        identify.customer_status(tx, END, leads=leads)


def test_kit_status_counts(kit):
    status = identify.customer_status(kit["transactions"], END, leads=kit["leads"])
    assert identify.status_counts(status)["customers"].tolist() == [3091, 1909, 2000]
    assert set(KEYS) <= set(status.attrs)
