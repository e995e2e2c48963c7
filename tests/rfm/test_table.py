"""rfm_table and score_ntile: the three measures under the kit's one order rule, and the scores."""

import re

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import rfm
from relmark_lab._validate import ID_DTYPE

END = "2025-03-31"
KEYS = {"observation_end", "lines_after_observation_end", "customers_without_purchases",
        "bins", "monetary", "scoring", "ties"}


def lines(rows):
    """Order lines from (customer, date, amount[, order]) tuples."""
    names = ["customer_id", "date", "amount", "order_id"][: len(rows[0])]
    frame = pd.DataFrame(rows, columns=names)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def by_customer(table, column):
    return table.set_index("customer_id")[column].to_dict()


# ---------------------------------------------------------------- the measures


def test_measures_by_hand():
    data = lines([
        ("a", "2025-01-05 10:00", 100.0, "o1"),
        ("a", "2025-01-05 10:00", 20.0, "o1"),  # second line of the same order
        ("a", "2025-03-01 18:30", 50.0, "o2"),
        ("a", "2025-03-20 12:00", -20.0, "o3"),  # a return: not an order, not recent
        ("b", "2025-03-31 20:59", 80.0, "o4"),  # the last day counts whole
    ])
    table = rfm.rfm_table(data, END, bins=2)
    assert by_customer(table, "recency_days") == {"a": 30, "b": 0}
    assert by_customer(table, "frequency") == {"a": 2, "b": 1}
    assert by_customer(table, "monetary")["a"] == pytest.approx(150.0)  # net of the return
    average = rfm.rfm_table(data, END, bins=2, monetary="average")
    assert by_customer(average, "monetary")["a"] == pytest.approx(75.0)  # per purchase order
    assert by_customer(average, "revenue")["a"] == pytest.approx(150.0)


def test_the_table_has_customer_id_as_a_sorted_text_column():
    data = lines([("b", "2025-01-05", 10.0), ("a", "2025-01-06", 5.0), ("c", "2025-02-01", 1.0)])
    table = rfm.rfm_table(data, END)
    assert table.columns[0] == "customer_id"
    assert table["customer_id"].dtype == ID_DTYPE
    assert table["customer_id"].tolist() == ["a", "b", "c"]
    assert isinstance(table.index, pd.RangeIndex)
    numeric = rfm.rfm_table(data.assign(customer_id=[7, 42, 8]), END)
    assert numeric["customer_id"].tolist() == ["42", "7", "8"]  # text, sorted as text


def test_attrs_hold_the_contract_keys_and_the_options():
    table = rfm.rfm_table(lines([("a", "2025-01-05", 10.0)]), END, bins=3, ties="keep")
    assert set(table.attrs) == KEYS
    assert table.attrs["observation_end"] == pd.Timestamp(END)
    assert isinstance(table.attrs["observation_end"], pd.Timestamp)
    assert table.attrs["lines_after_observation_end"] == 0
    assert table.attrs["customers_without_purchases"] == 0
    assert (table.attrs["bins"], table.attrs["ties"]) == (3, "keep")


@pytest.mark.parametrize("order_ids", ["blank", "missing column"])
def test_lines_without_order_id_make_one_order_per_customer_day(order_ids):
    data = lines([
        ("a", "2025-01-05 10:00", 10.0, ""),
        ("a", "2025-01-05 17:00", 10.0, None),
        ("a", "2025-02-05 10:00", 10.0, " "),
        ("b", "2025-02-06 10:00", 5.0, ""),
    ])
    if order_ids == "missing column":
        data = data.drop(columns="order_id")
    table = rfm.rfm_table(data, END)
    assert by_customer(table, "frequency") == {"a": 2, "b": 1}
    assert by_customer(table, "revenue") == {"a": 30.0, "b": 5.0}


def test_every_table_read_transactions_returns_is_accepted():
    raw = pd.DataFrame({"customer_id": ["7", "7", "8"], "date": ["2025-01-05", "2025-02-05",
                                                                "2025-03-01"],
                        "amount": ["10", "20", "30"], "order_id": ["P1", "", "P3"]})
    transactions, _ = rl.read_transactions(raw)
    table = rfm.rfm_table(transactions, END)
    assert by_customer(table, "frequency") == {"7": 2, "8": 1}


def test_a_same_day_cancelled_order_is_no_purchase():
    data = lines([
        ("a", "2025-01-05 10:00", 100.0, "1"),
        ("a", "2025-03-01 10:00", 168_000.0, "2"),
        ("a", "2025-03-01 10:20", -168_000.0, "C2"),  # cancelled under its own id
    ])
    table = rfm.rfm_table(data, END)
    assert by_customer(table, "frequency") == {"a": 1}
    assert by_customer(table, "recency_days") == {"a": 85}  # 5 January, not 1 March
    assert by_customer(table, "revenue") == {"a": 100.0}


def test_an_order_cancelled_line_by_line_nets_to_exactly_zero():
    # 36.14 + 129.47 - 36.14 - 129.47 leaves 2.8e-14 in floating point: still no purchase.
    data = lines([
        ("a", "2025-01-05 10:00", 100.0, "1"),
        ("a", "2025-03-01 17:02", 36.14, "2"), ("a", "2025-03-01 17:02", 129.47, "2"),
        ("a", "2025-03-01 17:12", -36.14, "C1"), ("a", "2025-03-01 17:12", -129.47, "C2"),
    ])
    table = rfm.rfm_table(data, END)
    assert by_customer(table, "frequency") == {"a": 1}
    assert by_customer(table, "recency_days") == {"a": 85}


def test_an_order_returned_in_full_later_under_its_id_is_no_purchase():
    data = lines([
        ("a", "2025-01-05 10:00", 100.0, "1"),
        ("a", "2025-03-01 10:00", 80.0, "2"),
        ("a", "2025-03-20 12:00", -80.0, "2"),
    ])
    table = rfm.rfm_table(data, END)
    assert by_customer(table, "frequency") == {"a": 1}
    assert by_customer(table, "recency_days") == {"a": 85}


def test_orders_shared_by_customers_are_counted_per_customer():
    data = lines([
        ("a", "2025-01-05", 10.0, "o1"), ("b", "2025-01-05", 10.0, "o1"),
        ("b", "2025-01-06", 10.0, "o2"),
    ])
    assert rfm.rfm_table(data, END)["frequency"].tolist() == [1, 2]


def test_return_only_customers_are_counted_in_attrs_not_rows():
    data = lines([
        ("a", "2025-01-05", 10.0, "1"),
        ("b", "2025-01-06", -10.0, "R1"),  # returns only
        ("c", "2025-01-07", 40.0, "2"), ("c", "2025-01-07", -40.0, "C2"),  # all cancelled
    ])
    table = rfm.rfm_table(data, END)
    assert table["customer_id"].tolist() == ["a"]
    assert table.attrs["customers_without_purchases"] == 2


def test_later_lines_are_excluded_and_counted():
    data = lines([("a", "2025-01-05", 10.0), ("a", "2025-06-05", 10.0), ("b", "2025-07-01", 3.0)])
    snapshot = rfm.rfm_table(data, END)
    assert by_customer(snapshot, "frequency") == {"a": 1}
    assert snapshot.attrs["lines_after_observation_end"] == 2
    assert snapshot.attrs["customers_without_purchases"] == 0  # b has no observed line


def test_an_end_with_a_time_of_day_counts_the_whole_day():
    data = lines([("a", "2025-03-31 23:59", 10.0), ("a", "2025-04-01 00:00", 5.0)])
    for end in ("2025-03-31 08:00", pd.Timestamp("2025-03-31 18:30")):
        table = rfm.rfm_table(data, end)
        assert by_customer(table, "recency_days") == {"a": 0}
        assert table.attrs["lines_after_observation_end"] == 1
        assert table.attrs["observation_end"] == pd.Timestamp("2025-03-31")


def test_aware_stamps_near_midnight_keep_the_business_day():
    local = pd.to_datetime(["2025-03-01 12:00", "2025-03-31 23:30"]).tz_localize(
        "America/Mexico_City")
    data = pd.DataFrame({"customer_id": ["a", "a"], "date": local, "amount": [100.0, 40.0],
                         "order_id": ["1", "2"]})
    table = rfm.rfm_table(data, END)
    assert by_customer(table, "recency_days") == {"a": 0}
    assert by_customer(table, "frequency") == {"a": 2}
    # In UTC the 23:30 purchase falls on 1 April: after the end, left out and counted.
    utc = rfm.rfm_table(data, END, timezone="UTC")
    assert by_customer(utc, "recency_days") == {"a": 30}
    assert utc.attrs["lines_after_observation_end"] == 1
    aware_end = pd.Timestamp("2025-03-31 20:00", tz="America/Mexico_City")
    assert by_customer(rfm.rfm_table(data, aware_end), "recency_days") == {"a": 0}


def test_the_end_is_required():
    with pytest.raises(rl.DataError, match="observation_end is required"):
        rfm.rfm_table(lines([("a", "2025-01-05", 10.0)]), None)


# ---------------------------------------------------------------- scores


def test_recency_scores_recent_customers_high():
    days = zip("abcde", [1, 5, 10, 20, 30], strict=True)
    data = lines([(c, f"2025-03-{d:02d}", 10.0) for c, d in days])
    table = rfm.rfm_table(data, END)
    assert table["r_score"].tolist() == [1, 2, 3, 4, 5]
    assert table["recency_days"].tolist() == [30, 26, 21, 11, 1]


def test_ties_first_gives_equal_bins_broken_by_customer_id():
    # ten customers, all with one purchase on the same day and the same amount
    data = lines([(f"c{i:02d}", "2025-03-01", 10.0) for i in range(10)])
    table = rfm.rfm_table(data, END)
    for score in ("r_score", "f_score", "m_score"):
        assert table[score].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert table["rfm_cell"].iloc[-1] == "555"


def test_ties_keep_gives_equal_values_the_same_score():
    data = lines([(f"c{i:02d}", "2025-03-01", 10.0 if i < 6 else 99.0) for i in range(10)])
    table = rfm.rfm_table(data, END, ties="keep")
    assert set(table["f_score"]) == {1}  # all-equal frequencies: one score for everyone
    assert table["m_score"].tolist() == [1] * 6 + [4] * 4


def test_all_equal_frequencies_still_fill_every_bin_with_ties_first():
    data = lines([(f"c{i:03d}", f"2025-01-{1 + i % 28:02d}", float(i + 1)) for i in range(100)])
    table = rfm.rfm_table(data, END)
    assert table["frequency"].eq(1).all()
    assert table["f_score"].value_counts().sort_index().tolist() == [20] * 5


def test_unequal_group_sizes_differ_by_at_most_one():
    data = lines([(f"c{i}", "2025-03-01", float(i + 1)) for i in range(7)])
    table = rfm.rfm_table(data, END)
    assert table.sort_values("monetary")["m_score"].tolist() == [1, 1, 2, 3, 3, 4, 5]


def test_single_customer():
    table = rfm.rfm_table(lines([("only", "2025-03-30", 42.0, "o1")]), END)
    assert len(table) == 1
    assert table.iloc[0].to_dict() == {
        "customer_id": "only", "recency_days": 1, "frequency": 1, "monetary": 42.0,
        "revenue": 42.0, "r_score": 1, "f_score": 1, "m_score": 1, "rfm_score": 3,
        "rfm_cell": "111",
    }
    assert rfm.assign_segments(table)["segment"].tolist() == ["Lost"]


def test_kit_quintiles_are_equal_sized(kit, kit_transactions):
    assert len(kit) == 5000
    for score in ("r_score", "f_score", "m_score"):
        assert kit[score].value_counts().tolist() == [1000] * 5
    assert kit["frequency"].sum() == 30345  # purchase orders: every order with amount > 0
    assert by_customer(kit, "rfm_cell")["C00005"] == "555"
    assert kit["monetary"].sum() == pytest.approx(kit_transactions["amount"].sum())


def test_nested_scores_f_within_r(kit, kit_transactions):
    nested = rfm.rfm_table(kit_transactions, "2025-12-31", scoring="nested")
    assert (nested["r_score"] == kit["r_score"]).all()
    per_r = nested.groupby("r_score")["f_score"].value_counts().unstack()
    assert (per_r == 200).all().all()
    per_cell = nested.groupby(["r_score", "f_score"])["m_score"].value_counts()
    assert per_cell.min() == per_cell.max() == 40


def test_ten_bins_use_separated_cells():
    data = lines([(f"c{i:02d}", "2025-03-01", float(i + 1)) for i in range(20)])
    assert rfm.rfm_table(data, END, bins=10)["rfm_cell"].iloc[-1] == "10-10-10"


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="amount"), r"Column 'amount' is missing"),
        (lambda f: f.assign(amount=["x", "5"]),
         r"transactions: column 'amount' is not a number in 1 row, e.g. 'x'"),
        (lambda f: f.assign(date=["2025-01-01", "someday"]),
         r"transactions: column 'date' is not a date in 1 row, e.g. 'someday'"),
        (lambda f: f.assign(customer_id=["a", None]),
         r"transactions: column 'customer_id' is missing or blank in 1 row, e.g. row 1"),
        (lambda f: f.assign(amount=[1.0, np.nan]),
         r"transactions: column 'amount' is missing in 1 row, e.g. row 1"),
    ],
)
def test_bad_input_names_column_count_and_example(change, message):
    data = lines([("a", "2025-01-05", 10.0), ("b", "2025-01-06", 5.0)])
    with pytest.raises(rl.DataError, match=message):
        rfm.rfm_table(change(data), END)


def test_dates_as_text_are_read():
    data = lines([("a", "2025-01-05", 10.0)]).assign(date=["2025-01-05"])
    assert by_customer(rfm.rfm_table(data, END), "recency_days") == {"a": 85}


def test_bad_options_are_refused():
    data = lines([("a", "2025-01-05", 10.0)])
    with pytest.raises(rl.DataError, match="bins must be a whole number from 2 to 100, got 1"):
        rfm.rfm_table(data, END, bins=1)
    with pytest.raises(rl.DataError, match="monetary must be 'total' or 'average', got 'mean'"):
        rfm.rfm_table(data, END, monetary="mean")
    with pytest.raises(rl.DataError, match="ties must be 'first' or 'keep', got 'min'"):
        rfm.rfm_table(data, END, ties="min")
    with pytest.raises(rl.DataError, match="observation_end must be one date"):
        rfm.rfm_table(data, "soon")
    with pytest.raises(rl.DataError, match="Unknown time zone 'Mars/Olympus'"):
        rfm.rfm_table(data, END, timezone="Mars/Olympus")
    with pytest.raises(rl.DataError, match="none of the 1 lines is dated on or before"):
        rfm.rfm_table(data, "2024-12-31")
    with pytest.raises(TypeError):
        rfm.rfm_table(data, END, drop_later=True)  # gone: later lines are always left out
    with pytest.raises(TypeError):
        rfm.rfm_table(data, END, returns="ignore")  # gone: revenue is always net


@pytest.mark.parametrize("bins, shown", [(1e20, "1e+20"), (10**20, "100000000000000000000"),
                                         (101, "101")])
def test_too_many_bins_are_refused(bins, shown):
    data = lines([("a", "2025-01-05", 10.0)])
    message = rf"^bins must be a whole number from 2 to 100, got {re.escape(shown)}\.$"
    with pytest.raises(rl.DataError, match=message):
        rfm.rfm_table(data, END, bins=bins)
    with pytest.raises(rl.DataError, match=message):
        rfm.score_ntile(pd.Series([1, 2]), bins=bins)
    with pytest.raises(rl.DataError, match=message):
        rfm.simulate_responses(pd.DataFrame({"r_score": [1], "f_score": [1], "m_score": [1]}),
                               bins=bins)
    assert rfm.score_ntile(pd.Series(range(200)), bins=100).max() == 100  # percentiles


def test_score_ntile_checks_its_options():
    with pytest.raises(rl.DataError, match="ties must be 'first' or 'keep'"):
        rfm.score_ntile(pd.Series([1, 2]), ties="dense")
    with pytest.raises(rl.DataError, match="bins must be a whole number from 2 to 100, got True"):
        rfm.score_ntile(pd.Series([1, 2]), bins=True)
