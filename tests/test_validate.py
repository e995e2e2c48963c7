"""The shared input checks name the column, the count and an example value."""

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import _validate as v


def test_missing_columns_name_first_count_found_and_mapping():
    frame = pd.DataFrame({"Cliente": ["a"], "Fecha": ["2025-01-01"]})
    with pytest.raises(rl.DataError) as error:
        v.require_columns(frame, ["customer_id", "date", "amount"], "transactions")
    message = str(error.value)
    assert message.startswith("Column 'customer_id' is missing from the transactions")
    assert "lacks column 'customer_id'" in message
    assert "3 required column(s) missing in all: 'customer_id', 'date', 'amount'" in message
    assert "Columns found: Cliente, Fecha." in message
    assert "rl.read_transactions(..., columns={'customer_id': 'your name'})" in message


def test_missing_column_of_another_table_suggests_rename():
    with pytest.raises(rl.DataError) as error:
        v.require_columns(pd.DataFrame(), ["recommend"], "survey")
    message = str(error.value)
    assert "Column 'recommend' is missing from the survey (1 required" in message
    assert "Columns found: none." in message
    assert "DataFrame.rename(columns={'your name': 'recommend'})" in message
    assert "read_transactions" not in message


def test_many_columns_found_are_cut():
    frame = pd.DataFrame(columns=[f"c{i}" for i in range(20)])
    with pytest.raises(rl.DataError, match=r"c11, … \(20 in all\)\. If the table"):
        v.require_columns(frame, ["amount"], "transactions")


def test_not_a_dataframe():
    with pytest.raises(rl.DataError, match="The transactions must be a pandas DataFrame, got list"):
        v.require_columns([1, 2], ["amount"], "transactions")
    v.require_columns(pd.DataFrame({"amount": [1.0]}), ["amount"], "transactions")


def test_one_template_for_bad_values():
    error = v.column_error("survey", "recommend", 1, "outside 0–10", np.int64(11),
                           "Use whole numbers from 0 to 10.")
    assert str(error) == ("survey: column 'recommend' is outside 0–10 in 1 row, e.g. 11. "
                          "Use whole numbers from 0 to 10.")
    assert isinstance(error, rl.DataError)
    assert str(v.column_error("t", "c", 1234, "missing", "x")).startswith(
        "t: column 'c' is missing in 1,234 rows")


def test_dates_count_bad_then_missing_with_example():
    frame = pd.DataFrame({"date": ["2025-01-01", "someday", None, "later"]})
    with pytest.raises(rl.DataError, match=r"^leads: column 'date' is not a date in 2 rows, "
                       r"e\.g\. 'someday'\. Write dates year first"):
        v.require_dates(frame, "date", "leads")
    with pytest.raises(rl.DataError, match=r"^leads: column 'date' is missing in 1 row, "
                       r"e\.g\. row 1\. Drop or fill those rows first\.$"):
        v.require_dates(pd.DataFrame({"date": ["2025-01-01", None]}), "date", "leads")
    kept = v.require_dates(pd.DataFrame({"date": ["2025-01-01", None]}), "date", "leads",
                           allow_missing=True)
    assert kept.isna().tolist() == [False, True]
    with pytest.raises(rl.DataError, match="is not a date in 2 rows, e.g. 20250101"):
        v.require_dates(pd.DataFrame({"date": [20250101, 20250102]}), "date", "leads")


def test_dates_keep_local_clock_time_or_convert_to_the_business_zone():
    raw = pd.DataFrame({"date": ["2025-12-31 23:30-06:00", "2025-01-02 10:00+01:00",
                                 "2025-03-04"]})
    parsed = v.require_dates(raw, "date", "transactions")
    assert parsed.dt.tz is None
    assert parsed.tolist() == [pd.Timestamp("2025-12-31 23:30"), pd.Timestamp("2025-01-02 10:00"),
                               pd.Timestamp("2025-03-04")]
    utc = v.require_dates(raw, "date", "transactions", "UTC")
    assert utc.tolist()[:2] == [pd.Timestamp("2026-01-01 05:30"), pd.Timestamp("2025-01-02 09:00")]
    aware = pd.DataFrame({"date": pd.to_datetime(["2025-12-31 23:30"]).tz_localize(
        "America/Mexico_City")})
    assert v.require_dates(aware, "date", "t").iloc[0] == pd.Timestamp("2025-12-31 23:30")
    assert v.require_dates(aware, "date", "t", "Europe/Madrid").iloc[0] == pd.Timestamp(
        "2026-01-01 06:30")


def test_numbers_count_and_example():
    frame = pd.DataFrame({"amount": ["1.5", "N/D", "x", None]})
    with pytest.raises(rl.DataError, match=r"^transactions: column 'amount' is not a number in "
                       r"2 rows, e\.g\. 'N/D'\.$"):
        v.require_numbers(frame, "amount", "transactions")
    with pytest.raises(rl.DataError, match=r"is missing in 1 row, e\.g\. row 3\."):
        v.require_numbers(frame.iloc[[0, 3]], "amount", "transactions")
    values = v.require_numbers(frame.iloc[[0, 3]], "amount", "transactions", allow_missing=True)
    assert values.dtype == "float64" and values.iloc[0] == 1.5 and np.isnan(values.iloc[1])


def test_numbers_bounds_whole_numbers_infinity_and_booleans():
    scores = pd.DataFrame({"s": [0, 10, 11, -1]})
    with pytest.raises(rl.DataError, match=r"column 's' is outside 0–10 in 2 rows, e\.g\. 11\."):
        v.require_numbers(scores, "s", "survey", low=0, high=10)
    with pytest.raises(rl.DataError, match=r"column 's' is below 0 in 1 row, e\.g\. -1\."):
        v.require_numbers(scores, "s", "survey", low=0)
    with pytest.raises(rl.DataError, match=r"is not a whole number in 1 row, e\.g\. 2\.5\."):
        v.require_numbers(pd.DataFrame({"s": [1, 2.5]}), "s", "survey", integer=True)
    with pytest.raises(rl.DataError, match=r"is infinite in 1 row, e\.g\. inf\."):
        v.require_numbers(pd.DataFrame({"s": [1, np.inf]}), "s", "survey")
    with pytest.raises(rl.DataError, match="True/False, not a number"):
        v.require_numbers(pd.DataFrame({"s": [True, False]}), "s", "survey")


def test_ids_are_text_without_blanks():
    ids = v.require_ids(pd.DataFrame({"customer_id": [7, 42]}), "customer_id", "transactions")
    assert ids.tolist() == ["7", "42"] and ids.dtype == v.ID_DTYPE
    assert v.as_ids(pd.Series([7.0, np.nan])).tolist()[0] == "7"
    with pytest.raises(rl.DataError, match=r"^customers: column 'customer_id' is missing or blank "
                       r"in 2 rows, e\.g\. row 1\. Drop or fill those rows first\.$"):
        v.require_ids(pd.DataFrame({"customer_id": ["a", "", None]}), "customer_id", "customers")


def test_unique_choice_and_parameters():
    with pytest.raises(rl.DataError, match="is repeated in 1 row, e.g. 'a'. One row per customer"):
        v.require_unique(pd.DataFrame({"customer_id": ["a", "b", "a"]}), "customer_id", "master")
    assert v.require_choice("ties", "keep", ("first", "keep")) == "keep"
    with pytest.raises(rl.DataError, match=r"^ties must be 'first' or 'keep', got \['x'\]\.$"):
        v.require_choice("ties", ["x"], ("first", "keep"))
    with pytest.raises(rl.DataError, match="must be 'a', 'b' or 'c', got 'd'"):
        v.require_choice("x", "d", ("a", "b", "c"))
    assert v.require_number("rate", 0.5, low=0, high=1) == 0.5
    for bad in (np.nan, np.inf, True, "0.5", 1.5):
        with pytest.raises(rl.DataError, match=r"^rate must be a finite number at least 0 and at "
                           r"most 1, got "):
            v.require_number("rate", bad, low=0, high=1)
    with pytest.raises(rl.DataError, match="above -1, got -1"):
        v.require_number("discount_rate", -1, low=-1, low_open=True)
    assert v.require_whole_number("bins", np.int64(5), low=2) == 5
    with pytest.raises(rl.DataError, match="from 2 to 100, got 100000000000000000000"):
        v.require_whole_number("bins", 10**20, low=2, high=100)
    assert v.require_number("count", 10**20) == 1e20
    for bad in (1, 2.5, np.inf, None, False):
        with pytest.raises(rl.DataError, match="bins must be a whole number of at least 2, got "):
            v.require_whole_number("bins", bad, low=2)


def test_numpy_examples_are_quoted_as_plain_numbers():
    from relmark_lab.errors import describe_example

    assert describe_example(np.int64(3)) == "3"
    assert describe_example("x" * 60).endswith("…")
