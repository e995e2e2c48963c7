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


def test_dates_count_bad_and_missing_with_example():
    frame = pd.DataFrame({"date": ["2025-01-01", "someday", None, "later"]})
    with pytest.raises(rl.DataError, match=r"^leads: column 'date' has 3 values that are not "
                       r"dates, e.g. 'someday'\.$"):
        v.require_dates(frame, "date", "leads")
    with pytest.raises(rl.DataError, match=r"column 'date' has 1 values .* e\.g\. nan"):
        v.require_dates(pd.DataFrame({"date": ["2025-01-01", None]}), "date", "leads")


def test_dates_keep_local_clock_time_and_mixed_formats():
    raw = pd.DataFrame({"date": ["2025-12-31 23:30-06:00", "2025-01-02 10:00+01:00",
                                 "2025-03-04"]})
    parsed = v.require_dates(raw, "date", "transactions")
    assert parsed.dt.tz is None
    assert parsed.tolist() == [pd.Timestamp("2025-12-31 23:30"), pd.Timestamp("2025-01-02 10:00"),
                               pd.Timestamp("2025-03-04")]


def test_numbers_count_and_example():
    frame = pd.DataFrame({"amount": ["1.5", "N/D", "x", None]})
    with pytest.raises(rl.DataError, match=r"^transactions: column 'amount' has 3 values that "
                       r"are not numbers, e.g. 'N/D'\.$"):
        v.require_numbers(frame, "amount", "transactions")
    with pytest.raises(rl.DataError, match=r"has 2 values .* e\.g\. 'N/D'"):
        v.require_numbers(frame, "amount", "transactions", allow_missing=True)
    values = v.require_numbers(frame.iloc[[0, 3]], "amount", "transactions", allow_missing=True)
    assert values.dtype == "float64" and values.iloc[0] == 1.5 and np.isnan(values.iloc[1])


def test_numpy_examples_are_quoted_as_plain_numbers():
    frame = pd.DataFrame({"score": pd.Series([np.int64(3)], dtype=object)})
    assert v.quote_value(frame["score"].iloc[0]) == "3"
    assert v.quote_value("x" * 60).endswith("…")


def test_as_of_counts_the_whole_day():
    assert v.as_of_day_end("2025-12-31") == pd.Timestamp("2025-12-31 23:59:59.999999")
    assert v.as_of_day_end(pd.Timestamp("2025-12-31 06:00", tz="America/Mexico_City")) == (
        pd.Timestamp("2025-12-31 23:59:59.999999"))
    for bad in ["soon", "31/13/2025", None, ["2025-01-01", "2025-01-02"]]:
        with pytest.raises(rl.DataError, match="as_of must be a date, got "):
            v.as_of_day_end(bad)
