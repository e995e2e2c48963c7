"""Lines to orders to purchase days, returns netted: the rules of relmark_lab._orders."""

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab._orders import ObservedLines


def _observe(rows, end="2025-12-31", **options):
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount", "order_id"])
    frame["date"] = pd.to_datetime(frame["date"], format="mixed")
    return ObservedLines(frame, end, **options)


def _table(observed):
    return observed.per_customer().set_index("customer_id")


def test_lines_sharing_an_order_id_are_one_order_and_customers_keep_their_own():
    observed = _observe([("a", "2025-01-01 10:00", 10.0, "1"), ("a", "2025-01-01 10:00", 5.0, "1"),
                         ("b", "2025-01-01 11:00", 7.0, "1"), ("a", "2025-01-01 18:00", 3.0, "2")])
    table = _table(observed)
    assert table["orders"].to_dict() == {"a": 2, "b": 1}
    assert table["purchase_days"].to_dict() == {"a": 1, "b": 1}
    assert observed.n_orders == 3


def test_lines_without_an_id_form_one_order_per_customer_day():
    observed = _observe([("a", "2025-01-01 10:00", 10.0, None), ("a", "2025-01-01 17:00", 5.0, ""),
                         ("a", "2025-01-01 17:00", 5.0, " "), ("a", "2025-01-02 09:00", 1.0, None),
                         ("a", "2025-01-02 09:00", 1.0, "7")])
    assert _table(observed)["orders"].to_dict() == {"a": 3}
    no_column = ObservedLines(pd.DataFrame({"customer_id": ["a", "a"], "amount": [1.0, 2.0],
                                            "date": pd.to_datetime(["2025-01-01", "2025-01-01"])}),
                              "2025-01-31")
    assert _table(no_column)["orders"].to_dict() == {"a": 1}


def test_a_return_under_the_order_id_nets_against_its_order_whenever_it_comes():
    observed = _observe([("a", "2025-01-01", 100.0, "1"), ("a", "2025-01-01", 50.0, "1"),
                         ("a", "2025-02-01", -150.0, "1"), ("a", "2025-03-01", 80.0, "2"),
                         ("a", "2025-04-01", -30.0, "2")])
    orders = observed.orders_frame()
    assert orders["amount"].tolist() == [0.0, 50.0]
    assert orders["purchase"].tolist() == [False, True]
    assert orders["day"].tolist() == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-03-01")]
    table = _table(observed)
    assert table.loc["a", "orders"] == 1 and table.loc["a", "revenue"] == 50.0
    assert table.loc["a", "first_purchase"] == pd.Timestamp("2025-03-01")


def test_a_return_without_the_order_id_nets_within_its_day_only():
    observed = _observe([("a", "2025-05-01 10:00", 168_000.0, "1"),
                         ("a", "2025-05-01 10:20", -168_000.0, "C1"),
                         ("a", "2025-06-01 10:00", 40.0, "2"), ("a", "2025-06-09", -40.0, "C2")])
    customers, days, amounts = observed.purchase_days()
    assert customers.tolist() == [0] and amounts.tolist() == [40.0]
    assert pd.Timestamp("1970-01-01") + pd.Timedelta(days=int(days[0])) == pd.Timestamp(
        "2025-06-01")
    table = _table(observed)
    assert table.loc["a", "orders"] == 1 and table.loc["a", "return_lines"] == 2
    assert table.loc["a", "revenue"] == 0.0


def test_a_day_counts_its_net_amount_so_a_same_day_return_lowers_it():
    observed = _observe([("a", "2025-05-01 10:00", 100.0, "1"),
                         ("a", "2025-05-01 12:00", 60.0, "2"),
                         ("a", "2025-05-01 15:00", -60.0, "R")])
    _, _, amounts = observed.purchase_days()
    assert amounts.tolist() == [100.0]
    assert _table(observed).loc["a", "orders"] == 2  # both orders stand on a purchase day


def test_customers_without_a_purchase_stay_listed_with_zero_orders():
    observed = _observe([("a", "2025-01-01", 10.0, "1"), ("z", "2025-02-01", -5.0, "R")])
    table = _table(observed)
    assert table["orders"].to_dict() == {"a": 1, "z": 0}
    assert pd.isna(table.loc["z", "last_purchase"])
    assert table.index.dtype == "str"
    first, last = observed.purchase_day_range
    assert (last - first).tolist() == [0, 0] and last[1] == observed.end_day
    buyers = observed.buyers(observed.per_customer())
    assert buyers["customer_id"].tolist() == ["a"]
    assert buyers.attrs["customers_without_purchases"] == 1


def test_lines_after_the_end_are_left_out_and_counted():
    observed = _observe([("a", "2025-12-31 23:59", 10.0, "1"), ("a", "2026-01-01 00:00", 5.0, "2"),
                         ("b", "2026-02-01", 5.0, "3")], end="2025-12-31 09:00")
    assert observed.lines_after_end == 2
    assert observed.attrs() == {"observation_end": pd.Timestamp("2025-12-31"),
                                "lines_after_observation_end": 2,
                                "customers_without_purchases": 0}
    assert observed.end_day == 20453
    assert list(observed.customers) == ["a"]


def test_nothing_inside_the_window_or_no_rows_is_a_data_error():
    with pytest.raises(rl.DataError, match=r"^transactions: none of the 1 lines is dated on or "
                       r"before observation_end 2024-12-31 \(the earliest is 2025-01-01\)"):
        _observe([("a", "2025-01-01", 10.0, "1")], end="2024-12-31")
    empty = pd.DataFrame({"customer_id": [], "date": pd.to_datetime([]), "amount": []})
    with pytest.raises(rl.DataError, match="have 0 rows"):
        ObservedLines(empty, "2025-12-31")


def test_optional_numbers_are_checked_inside_the_window_only():
    frame = pd.DataFrame({"customer_id": ["a", "a"], "amount": [10.0, 5.0],
                          "date": pd.to_datetime(["2025-01-01", "2026-01-05"]),
                          "days_late": [0, -3], "margin": ["2.5", "x"]})
    observed = ObservedLines(frame, "2025-12-31", numbers=("margin",))
    assert observed.numbers["margin"].tolist() == [2.5]
    with pytest.raises(rl.DataError, match=r"column 'margin' is not a number in 1 row, e\.g\. 'x'"):
        ObservedLines(frame, "2026-12-31", numbers=("margin",))
    with pytest.raises(rl.DataError, match=r"column 'days_late' is below 0 in 1 row, e\.g\. -3"):
        ObservedLines(frame, "2026-12-31", optional=("days_late", "quantity"))
    # A column the caller does not use is not read, so it cannot get the table refused.
    assert ObservedLines(frame, "2026-12-31").numbers == {}
    with pytest.raises(rl.DataError, match="Column 'quantity' is missing from the transactions"):
        ObservedLines(frame, "2025-12-31", numbers=("quantity",))


def test_orders_frame_sums_margins_and_keeps_the_latest_payment():
    frame = pd.DataFrame({"customer_id": ["a", "a", "a"], "amount": [10.0, 5.0, 7.0],
                          "order_id": ["1", "1", "2"], "margin": [3.0, 1.0, 2.0],
                          "days_late": [0, 4, 0], "quantity": [1, 2, 1],
                          "date": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-08"])})
    orders = ObservedLines(frame, "2025-12-31",
                           optional=("margin", "days_late", "quantity")).orders_frame()
    assert orders["margin"].tolist() == [4.0, 2.0]
    assert orders["days_late"].tolist() == [4.0, 0.0]
    assert orders["quantity"].tolist() == [3.0, 1.0]
    assert orders["customer_id"].dtype == "str"


def test_ids_are_text_and_sorted():
    observed = _observe([(42, "2025-01-01", 1.0, "1"), (7, "2025-01-02", 1.0, "2")])
    assert list(observed.customers) == ["42", "7"]
    assert observed.customers[observed.customer].tolist() == ["42", "7"]
    assert observed.order_is_purchase.all()


@pytest.mark.parametrize("order", [[0.3, 0.2, 0.1], [0.1, 0.2, 0.3]])
def test_a_same_day_cancellation_nets_to_zero_whatever_the_order_of_the_lines(order):
    rows = [("a", "2025-05-01 10:00", amount, str(i)) for i, amount in enumerate(order)]
    rows += [("a", "2025-05-01 11:00", -amount, f"C{i}") for i, amount in enumerate(order)]
    observed = _observe(rows)
    table = _table(observed)
    assert table.loc["a", "orders"] == 0 and table.loc["a", "revenue"] == 0.0
