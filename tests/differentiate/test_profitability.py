"""Customer profitability: margin minus an activity-based cost to serve."""

import pandas as pd
import pytest

from relmark_lab import DataError
from relmark_lab import differentiate as dif

END = "2024-12-31"


def test_profit_is_margin_minus_every_priced_activity(small):
    contacts = pd.DataFrame({"customer_id": ["a", "a", "b"]})
    cost = dif.CostToServe(per_order=10, per_return=5, per_contact=3, per_late_order=7,
                           late_rate_per_day=0.001)
    table = dif.customer_profitability(small, END, contacts=contacts, cost=cost).set_index(
        "customer_id")
    a = table.loc["a"]
    assert a["orders"] == 2 and a["return_lines"] == 1 and a["contacts"] == 2
    assert a["late_orders"] == 1 and a["units"] == 6
    # margin 120; orders 20, return 5, contacts 6, late 7 + 200 MXN x 10 days x 0.001 = 9
    assert a["cost_late"] == pytest.approx(9.0)
    assert a["profit"] == pytest.approx(120 - 20 - 5 - 6 - 9)
    assert table.loc["b", "profit"] == pytest.approx(6 - 10 - 3)


def test_the_table_carries_the_window_and_text_ids(small):
    table = dif.customer_profitability(small.assign(customer_id=[7, 7, 7, 7, 8, 9, 9]), END)
    assert table["customer_id"].tolist() == ["7", "8", "9"]
    assert table["customer_id"].dtype == "str"
    assert table.attrs["observation_end"] == pd.Timestamp(END)
    assert table.attrs["lines_after_observation_end"] == 0
    assert table.attrs["customers_without_purchases"] == 0


def test_customers_without_transactions_are_kept_with_zeros(small):
    master = pd.DataFrame({"customer_id": ["a", "b", "c", "z"],
                           "acquisition_cost": [1.0, 2.0, 3.0, 50.0]})
    cost = dif.CostToServe(per_order=0, per_return=0, per_contact=0, per_late_order=0,
                           late_rate_per_day=0, include_acquisition=True)
    table = dif.customer_profitability(small, END, customers=master, cost=cost)
    assert table.attrs["customers_without_lines"] == 1
    assert table.attrs["customers_without_purchases"] == 0
    table = table.set_index("customer_id")
    assert len(table) == 4
    assert table.loc["z", "orders"] == 0 and table.loc["z", "profit"] == -50.0
    assert table.loc["c", "profit"] == 200.0 - 3.0


def test_acquisition_cost_needs_the_master_and_every_customer(small):
    with pytest.raises(DataError, match="acquisition_cost"):
        dif.customer_profitability(small, END, cost=dif.CostToServe(include_acquisition=True))
    master = pd.DataFrame({"customer_id": ["a"], "acquisition_cost": [1.0]})
    with pytest.raises(DataError, match=r"^transactions: column 'customer_id' is not in the "
                       r"customer master in 3 rows, e\.g\. 'b'\. 2 customer\(s\) have no"):
        dif.customer_profitability(small, END, customers=master,
                                   cost=dif.CostToServe(include_acquisition=True))


@pytest.mark.parametrize("prices, message", [
    ({"per_order": float("nan")}, r"^per_order must be a finite number at least 0, got nan\.$"),
    ({"per_order": "60"}, r"^per_order must be a finite number at least 0, got '60'\.$"),
    ({"per_return": -1}, r"^per_return must be a finite number at least 0, got -1\.$"),
    ({"late_rate_per_day": None}, r"^late_rate_per_day must be a finite number at least 0, "
                                  r"got None\.$"),
    ({"include_acquisition": "yes"}, r"^include_acquisition must be True or False, got "
                                     r"'yes'\.$"),
])
def test_cost_to_serve_prices_are_checked(prices, message):
    with pytest.raises(DataError, match=message):
        dif.CostToServe(**prices)


def test_cost_must_be_a_cost_to_serve(small):
    with pytest.raises(DataError, match=r"^cost must be a CostToServe, e\.g\. "
                                        r"CostToServe\(per_order=30\.0\), got "
                                        r"\{'per_order': 1\}\.$"):
        dif.customer_profitability(small, END, cost={"per_order": 1})
    assert dif.CostToServe(per_order=30).per_order == 30.0  # whole numbers are prices too


def test_missing_margin_column_is_named(small):
    with pytest.raises(DataError, match="Column 'margin' is missing from the transactions"):
        dif.customer_profitability(small.drop(columns="margin"), END)


def test_kit_profitability_figures(kit):
    _, profitability, _, _ = kit
    assert len(profitability) == 5000
    assert profitability["margin"].sum() == pytest.approx(4_061_076, abs=1)
    # every order with amount > 0 is a purchase order: the kit's returns have ids of their
    # own and come later, so they never cancel one (30,345 orders at 60 MXN)
    assert profitability["cost_to_serve"].sum() == pytest.approx(2_323_798, abs=1)
    assert (profitability["profit"] < 0).sum() == 1713
    assert profitability.attrs["unmatched_contacts"] == 0


@pytest.mark.parametrize("order_ids", ["blank", "missing", "no column"])
def test_lines_without_order_id_make_one_order_per_customer_day(make_lines, order_ids):
    blank = {"blank": "", "missing": None, "no column": None}[order_ids]
    lines = make_lines([("a", blank, "2024-01-01 10:00", 10.0, 4.0, 1, 0),
                        ("a", blank, "2024-01-01 18:00", 20.0, 8.0, 2, 3),
                        ("a", blank, "2024-02-01 09:00", 30.0, 9.0, 1, 0)])
    if order_ids == "no column":
        lines = lines.drop(columns="order_id")
    table = dif.customer_profitability(lines, END, cost=dif.CostToServe(
        per_order=1, per_late_order=0, late_rate_per_day=0)).set_index("customer_id")
    assert table.loc["a", "orders"] == 2 and table.loc["a", "late_orders"] == 1
    assert table.loc["a", "profit"] == pytest.approx(21 - 2)
    components = dif.vip_components(lines, "2024-03-01").set_index("customer_id")
    assert components.loc["a", "orders"] == 2 and components.loc["a", "mean_days_late"] == 1.5
    loyalty = dif.projected_loyalty(lines, "2024-03-01", time_unit="D")
    assert loyalty["frequency"].tolist() == [1]


def test_an_order_cancelled_the_same_day_is_no_order(make_lines):
    lines = make_lines([("a", "1", "2025-03-01 10:00", 100.0, 30.0, 1, 0),
                        ("a", "2", "2025-05-01 10:00", 168_000.0, 50_000.0, 1, 4),
                        ("a", "C2", "2025-05-01 10:20", -168_000.0, -50_000.0, -1, 0)])
    table = dif.customer_profitability(lines, "2025-12-31").set_index("customer_id")
    assert table.loc["a", "orders"] == 1 and table.loc["a", "late_orders"] == 0
    assert table.loc["a", "revenue"] == 100.0 and table.loc["a", "return_lines"] == 1
    components = dif.vip_components(lines, "2025-12-31").set_index("customer_id")
    assert components.loc["a", "orders"] == 1 and components.loc["a", "monetary"] == 100.0
    loyalty = dif.projected_loyalty(lines, "2025-12-31", time_unit="D").set_index("customer_id")
    assert loyalty.loc["a", "frequency"] == 0 and loyalty.loc["a", "recency"] == 0.0


def test_a_return_only_customer_keeps_a_row_and_is_counted(make_lines):
    lines = make_lines([("a", "1", "2025-03-01", 100.0, 30.0, 1, 0),
                        ("z", "R9", "2025-04-01", -50.0, -15.0, -1, 0)])
    table = dif.customer_profitability(lines, "2025-12-31")
    assert table.attrs["customers_without_purchases"] == 1
    z = table.set_index("customer_id").loc["z"]
    assert z["orders"] == 0 and z["return_lines"] == 1 and z["revenue"] == -50.0
    assert z["profit"] == pytest.approx(-15.0 - 150.0)


@pytest.mark.filterwarnings("ignore:Could not infer format")  # pandas, on the 'soon' date
def test_contacts_after_the_end_and_unmatched_contacts_are_counted(small):
    contacts = pd.DataFrame({"customer_id": ["a", "a", "zz", "zz", None],
                             "date": ["2024-06-01 10:00", "2025-01-01 08:00", "2024-07-01 12:00",
                                      "2024-12-31 23:00", "2024-03-01 09:30"]})
    table = dif.customer_profitability(small, END, contacts=contacts)
    assert table.set_index("customer_id")["contacts"].to_dict() == {"a": 1, "b": 0, "c": 0}
    assert table.attrs["contacts_after_observation_end"] == 1
    assert table.attrs["unmatched_contacts"] == 3
    assert table.attrs["unmatched_contact_example"] == "zz"
    with pytest.raises(DataError, match=r"^contact log: column 'date' is not a date in 1 row, "
                       r"e\.g\. 'soon'\. Write dates year first"):
        dif.customer_profitability(small, END, contacts=contacts.assign(
            date=["soon"] + contacts["date"].tolist()[1:]))


def test_profitability_reports_unmatched_contacts_and_duplicate_master(small):
    contacts = pd.DataFrame({"customer_id": ["a", "zz", "zz", "zz"]})
    table = dif.customer_profitability(small, END, contacts=contacts)
    assert table.set_index("customer_id")["contacts"].to_dict() == {"a": 1, "b": 0, "c": 0}
    assert table.attrs["unmatched_contacts"] == 3
    assert table.attrs["unmatched_contact_example"] == "zz"
    assert dif.customer_profitability(small, END).attrs["unmatched_contacts"] == 0
    master = pd.DataFrame({"customer_id": ["a", "b", "c", "c"]})
    with pytest.raises(DataError, match=r"^customer master: column 'customer_id' is repeated "
                       r"in 1 row, e\.g\. 'c'\."):
        dif.customer_profitability(small, END, customers=master)


def test_dates_and_amounts_stored_as_text(small):
    as_text = small.assign(date=small["date"].dt.strftime("%Y-%m-%d"),
                           amount=small["amount"].astype(str))
    expected = dif.customer_profitability(small, END)
    pd.testing.assert_frame_equal(dif.customer_profitability(as_text, END), expected)
    assert dif.projected_loyalty(as_text, END)["projected_loyalty"].tolist() == pytest.approx(
        dif.projected_loyalty(small, END)["projected_loyalty"].tolist())
    bad_date = as_text.assign(date=["2024-01-01", "soon"] + as_text["date"].tolist()[2:])
    with pytest.raises(DataError, match=r"^transactions: column 'date' is not a date in 1 row, "
                       r"e\.g\. 'soon'\. Write dates year first"):
        dif.vip_components(bad_date, END)
    bad_amount = as_text.assign(amount=["abc"] + as_text["amount"].tolist()[1:])
    with pytest.raises(DataError, match=r"^transactions: column 'amount' is not a number in "
                       r"1 row, e\.g\. 'abc'\.$"):
        dif.annual_spend(bad_amount, END)
    with pytest.raises(DataError, match=r"observation_end must be one date.*'31/13/2025'"):
        dif.projected_loyalty(small, "31/13/2025")
    with pytest.raises(DataError, match=r"^transactions: column 'customer_id' is missing or "
                       r"blank in 1 row, e\.g\. row 4\."):
        dif.customer_profitability(small.assign(customer_id=["a"] * 4 + [None, "c", "c"]), END)
