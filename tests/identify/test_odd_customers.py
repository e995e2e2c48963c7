"""Odd but valid customers in identify: returns only, free visits, late lines, look-alike ids.

Each case says what such a customer *is* by the kit's contract (docs/contract.md):
a customer whose observed lines hold no purchase (returns only, or everything
cancelled) is no row of a per-customer table and is counted in
``attrs["customers_without_purchases"]``; a zero-amount line without a return is a
free order, a visit all the same.
"""

import pandas as pd
import pytest

from relmark_lab import identify

END = "2025-12-31"
PER_CUSTOMER = {
    "customer_status": lambda tx, **kw: identify.customer_status(tx, END, **kw),
    "lifecycle_stage": lambda tx, **kw: identify.lifecycle_stage(tx, END, **kw),
    "customer_table": lambda tx, **kw: identify.customer_table(tx, END, **kw),
}


def _returns_only(lines):
    """Z and Y never bought anything that stayed bought; A is an ordinary buyer."""
    return lines([("A", "2025-06-01", 10.0, "1"),
                  ("Z", "2025-07-01", -4.0, "R1"),
                  ("Y", "2025-08-01", 30.0, "2"), ("Y", "2025-08-01", -30.0, "2")])


@pytest.mark.parametrize("name", PER_CUSTOMER)
def test_a_customer_with_only_returns_is_no_row_but_is_counted(name, lines):
    table = PER_CUSTOMER[name](_returns_only(lines))
    assert table["customer_id"].tolist() == ["A"]
    assert table.attrs["customers_without_purchases"] == 2


@pytest.mark.parametrize("name", PER_CUSTOMER)
def test_when_nobody_bought_the_tables_are_empty_with_their_usual_columns(name, lines):
    only_returns = lines([("Z", "2025-07-01", -4.0), ("Y", "2025-08-01", -6.0)])
    bought = lines([("A", "2025-07-01", 4.0)])
    empty, usual = PER_CUSTOMER[name](only_returns), PER_CUSTOMER[name](bought)
    assert len(empty) == 0
    assert list(empty.columns) == list(usual.columns)
    assert empty.dtypes.astype(str).to_dict() == usual.dtypes.astype(str).to_dict()
    assert empty.attrs["customers_without_purchases"] == 2
    assert empty.attrs["observation_end"] == pd.Timestamp(END)


def test_the_summaries_of_a_table_without_buyers_are_all_zeros(lines):
    only_returns = lines([("Z", "2025-07-01", -4.0)])
    funnel = identify.stage_funnel(identify.lifecycle_stage(only_returns, END))
    assert funnel["customers"].tolist() == [0] * len(identify.STAGES)
    assert funnel["conversion"].isna().all()
    counts = identify.status_counts(identify.customer_status(only_returns, END))
    assert counts["customers"].tolist() == [0, 0, 0]
    assert counts["share"].isna().all()


def test_a_returns_only_customer_who_is_a_lead_stays_a_prospect(lines):
    tx = _returns_only(lines)
    leads = pd.DataFrame({"lead_id": ["Z", "L1"], "created_date": ["2025-01-01", "2025-02-01"]})
    stages = identify.lifecycle_stage(tx, END, leads=leads).set_index("customer_id")
    assert stages["stage"].to_dict() == {"A": "acquisition", "Z": "prospecting",
                                         "L1": "prospecting"}
    assert stages.loc["Z", "orders"] == 0
    assert stages.attrs["customers_without_purchases"] == 2


def test_a_complainer_who_only_returned_is_counted_apart(lines):
    contacts = pd.DataFrame({"customer_id": ["Z", "A"],
                             "date": pd.to_datetime(["2025-07-02", "2025-06-02"]),
                             "contact_type": ["complaint", "complaint"],
                             "resolved": [False, True]})
    table = identify.complainer_retention(contacts, _returns_only(lines), END)
    assert table["customers"].to_dict() == {"no complaint": 0, "all resolved": 1,
                                            "some unresolved": 0}
    assert table.attrs["complainers_without_purchases"] == 1
    assert table.attrs["customers_without_purchases"] == 2


def test_a_customer_with_only_zero_amount_lines_made_free_visits(lines):
    tx = lines([("A", "2025-06-01", 0.0, "1"), ("A", "2025-09-01", 0.0, "2"),
                ("B", "2025-12-01", 0.0, None)])
    table = identify.customer_table(tx, END).set_index("customer_id")
    assert table["orders"].to_dict() == {"A": 2, "B": 1}
    assert table["revenue"].to_dict() == {"A": 0.0, "B": 0.0}
    assert table["stage"].astype(str).to_dict() == {"A": "satisfaction", "B": "acquisition"}
    assert table.loc["A", "last_purchase"] == pd.Timestamp("2025-09-01")
    assert table.attrs["customers_without_purchases"] == 0


@pytest.mark.parametrize("name", PER_CUSTOMER)
def test_a_customer_seen_only_after_the_end_is_not_a_customer_yet(name, lines):
    tx = lines([("A", "2025-06-01", 10.0), ("N", "2026-01-02", 10.0),
                ("N", "2026-02-02", -5.0)])
    table = PER_CUSTOMER[name](tx)
    assert table["customer_id"].tolist() == ["A"]
    assert table.attrs["lines_after_observation_end"] == 2
    assert table.attrs["customers_without_purchases"] == 0


@pytest.mark.parametrize("name", PER_CUSTOMER)
def test_ids_that_look_like_one_number_stay_two_customers(name, lines):
    tx = lines([("007", "2025-06-01", 10.0, "1"), ("7", "2025-07-01", 5.0, "2"),
                ("7", "2025-08-01", 5.0, "3")])
    table = PER_CUSTOMER[name](tx)
    assert table["customer_id"].dtype == "str"
    assert table["customer_id"].tolist() == ["007", "7"]


@pytest.mark.parametrize("name", PER_CUSTOMER)
def test_aware_dates_keep_the_clock_time_they_show(name, lines):
    naive = lines([("A", "2025-06-01 12:00", 10.0, "1"), ("A", "2025-12-31 23:30", 5.0, "2"),
                   ("B", "2025-03-01 08:00", 5.0, "3")])
    aware = naive.assign(date=naive["date"].dt.tz_localize("America/Mexico_City"))
    pd.testing.assert_frame_equal(PER_CUSTOMER[name](aware), PER_CUSTOMER[name](naive))
    # In UTC the 23:30 purchase falls on 1 January, after the end: left out and counted.
    in_utc = PER_CUSTOMER[name](aware, timezone="UTC").set_index("customer_id")
    assert in_utc.attrs["lines_after_observation_end"] == 1
    if name == "customer_status":
        assert in_utc.loc["A", "last_purchase"] == pd.Timestamp("2025-06-01")
    else:
        assert in_utc.loc["A", "orders"] == 1
