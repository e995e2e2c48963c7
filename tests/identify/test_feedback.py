"""The customer table, rebuilt at each update: the feedback loop."""

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import identify

END = "2025-12-31"


def test_customer_table_one_row_per_customer_with_feedback(lines, orders):
    tx = lines(orders("A", ["2025-01-01", "2025-11-01"]) + [("A", "2025-11-05", -4.0, "R1")])
    survey = pd.DataFrame({"customer_id": ["A", "A"], "satisfaction": [2, 5],
                           "recommend": [3, 9],
                           "survey_date": pd.to_datetime(["2025-02-01", "2025-11-02"])})
    log = pd.DataFrame({"customer_id": ["A"], "date": pd.to_datetime(["2025-03-01"]),
                        "contact_type": ["complaint"], "resolved": [False]})
    master = pd.DataFrame({"customer_id": ["A"], "region": ["Sur"]})
    before = identify.customer_table(tx, "2025-06-30", customers=master, survey=survey,
                                     contacts=log)
    after = identify.customer_table(tx, END, customers=master, survey=survey, contacts=log)
    assert before[["region", "stage", "orders", "revenue", "satisfaction", "complaints"]
                  ].values.tolist() == [["Sur", "acquisition", 1, 10.0, 2, 1]]
    assert after[["stage", "orders", "revenue", "satisfaction", "unresolved_complaints"]
                 ].values.tolist() == [["satisfaction", 2, 16.0, 5, 1]]
    assert before["observation_end"].tolist() == [pd.Timestamp("2025-06-30")]
    assert before.attrs["lines_after_observation_end"] == 2
    assert "as_of" not in before.columns


def test_rows_of_every_table_dated_after_the_end_are_counted(lines, orders):
    tx = lines(orders("A", ["2025-01-01", "2025-11-01"]))
    leads = pd.DataFrame({"lead_id": ["L1", "L2"],
                          "created_date": pd.to_datetime(["2025-05-01", "2025-08-01"])})
    survey = pd.DataFrame({"customer_id": ["A", "A", "A"], "recommend": [3, 9, 10],
                           "satisfaction": [2, 5, 5],
                           "survey_date": pd.to_datetime(["2025-02-01", "2025-11-02",
                                                          "2025-12-01"])})
    log = pd.DataFrame({"customer_id": ["A", "A", "A"],
                        "date": pd.to_datetime(["2025-03-01", "2025-09-01", "2026-01-01"]),
                        "contact_type": ["complaint", "question", "complaint"],
                        "resolved": [False, True, True]})
    before = identify.customer_table(tx, "2025-06-30", leads=leads, survey=survey,
                                     contacts=log)
    assert {key: before.attrs[key] for key in (
        "leads_after_observation_end", "survey_answers_after_observation_end",
        "contacts_after_observation_end")} == {
        "leads_after_observation_end": 1, "survey_answers_after_observation_end": 2,
        "contacts_after_observation_end": 2}
    assert before["complaints"].tolist() == [1, 0]  # A, then the prospect L1
    after = identify.customer_table(tx, END, leads=leads, survey=survey, contacts=log)
    assert after.attrs["leads_after_observation_end"] == 0
    assert after.attrs["survey_answers_after_observation_end"] == 0
    assert after.attrs["contacts_after_observation_end"] == 1


def test_customer_table_sums_text_amounts_as_numbers():
    tx = pd.DataFrame({"customer_id": ["A", "A", "A", "A"], "order_id": ["1", "2", "R", "3"],
                       "date": ["2025-01-01", "2025-02-01", "2025-03-01", "2026-01-05"],
                       "amount": ["10.5", "3", "-2", "100"]})
    table = identify.customer_table(tx, END)
    assert table["revenue"].tolist() == [11.5]  # the 2026 line comes after the end
    assert table.attrs["lines_after_observation_end"] == 1


def test_the_end_names_a_whole_day(lines):
    tx = lines([("A", "2025-12-31 23:59", 10.0, "1"), ("A", "2026-01-01 00:00", 10.0, "2")])
    table = identify.customer_table(tx, pd.Timestamp("2025-12-31 07:15"))
    assert table[["orders", "revenue", "days_since_last_purchase"]].values.tolist() == [
        [1, 10.0, 0]]
    assert table["observation_end"].tolist() == [pd.Timestamp("2025-12-31")]
    assert table.attrs["observation_end"] == pd.Timestamp("2025-12-31")


def test_a_customer_with_only_returns_is_counted_and_revenue_is_net(lines):
    tx = lines([("A", "2025-05-01", 100.0, "1"), ("A", "2025-05-01", -100.0, "C1"),
                ("A", "2025-06-01", 30.0, "2"), ("A", "2025-07-01", -10.0, "R2"),
                ("Z", "2025-07-01", -4.0, "R9")])
    table = identify.customer_table(tx, END)
    assert table["customer_id"].tolist() == ["A"]
    assert table[["orders", "revenue"]].values.tolist() == [[1, 20.0]]
    assert table["first_purchase"].tolist() == [pd.Timestamp("2025-06-01")]
    assert table.attrs == {"observation_end": pd.Timestamp(END),
                           "lines_after_observation_end": 0,
                           "customers_without_purchases": 1,
                           "leads_after_observation_end": 0,
                           "survey_answers_after_observation_end": 0,
                           "contacts_after_observation_end": 0}


def test_stage_rules_pass_through_and_unknown_ones_are_refused(lines, orders):
    tx = lines(orders("A", ["2025-10-01", "2025-11-01"]))
    table = identify.customer_table(tx, END, maintenance_min_orders=2)
    assert table["stage"].tolist() == ["maintenance"]
    with pytest.raises(TypeError, match="Unknown stage rule 'min_orders'"):
        identify.customer_table(tx, END, min_orders=2)


def test_customer_master_needs_one_row_per_customer(lines):
    tx = lines([("A", "2025-10-01", 5.0, "1")])
    master = pd.DataFrame({"customer_id": ["A", "A"], "region": ["Sur", "Norte"]})
    with pytest.raises(rl.DataError, match=r"customers: column 'customer_id' is repeated in "
                                           r"1 row, e.g. 'A'"):
        identify.customer_table(tx, END, customers=master)


def test_kit_customer_table(kit):
    table = identify.customer_table(kit["transactions"], END, customers=kit["customers"],
                                    leads=kit["leads"], survey=kit["survey"],
                                    contacts=kit["contacts"])
    assert len(table) == 7000 and table["customer_id"].is_unique
    assert table["customer_id"].dtype == "str"
    assert table["complaints"].sum() == 933
    assert table["satisfaction"].notna().sum() == 1500
    assert table["region"].notna().sum() == 5000
    assert set(table.attrs) == {"observation_end", "lines_after_observation_end",
                                "customers_without_purchases", "leads_after_observation_end",
                                "survey_answers_after_observation_end",
                                "contacts_after_observation_end"}
