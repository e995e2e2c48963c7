"""Tests for relmark_lab.data.read_transactions and Ledger."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from relmark_lab import data
from relmark_lab.data import CANONICAL_COLUMNS, Ledger, read_transactions
from relmark_lab.errors import DataError

SPANISH_COLUMNS = {"customer_id": "Cliente", "date": "Fecha", "amount": "Importe"}


def write(directory: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """Write a fixture file under tests/fixtures/data-like folder inside tmp_path."""
    folder = directory / "fixtures" / "data"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def frame(**columns: list) -> pd.DataFrame:
    return pd.DataFrame(columns)


# --------------------------------------------------------------------------
# Row rules and the ledger
# --------------------------------------------------------------------------


@pytest.fixture
def one_of_each() -> pd.DataFrame:
    """One row per defect, plus three rows that must be kept."""
    rows = [
        ("C1", "2025-01-05", "10.00", "good"),  # 1 kept
        ("C1", "2025-01-05", "10.00", "good"),  # 2 exact duplicate
        ("  ", "2025-01-05", "11.00", "x"),  # 3 missing customer_id
        ("TEST-9", "2025-01-05", "12.00", "x"),  # 4 test customer
        ("C2", "", "13.00", "x"),  # 5 missing date
        ("C3", "31/31/2025", "14.00", "x"),  # 6 unparseable date
        ("C4", "2025-02-01", "15.00", "x"),  # 7 after observation end
        ("C5", "2025-01-06", "", "x"),  # 8 missing amount
        ("C6", "2025-01-06", "abc", "x"),  # 9 non-numeric amount
        ("C7", "2025-01-06", "inf", "x"),  # 10 non-finite amount
        ("C8", "2025-01-06", "0.00", "x"),  # 11 zero amount
        ("C9", "2025-01-07", "-5.50", "return"),  # 12 kept: returns stay
        ("C10", "2025-01-31 23:59:59", "1", "last"),  # 13 kept: whole end day included
    ]
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount", "note"])


def test_one_row_of_each_defect_counts_and_identity(one_of_each):
    tx, ledger = read_transactions(
        one_of_each, observation_end="2025-01-31", test_customer_pattern=r"^TEST"
    )
    assert ledger.dropped == {
        "exact duplicate": 1,
        "missing customer_id": 1,
        "test customer": 1,
        "missing date": 1,
        "unparseable date": 1,
        "after observation end": 1,
        "missing amount": 1,
        "non-numeric amount": 1,
        "non-finite amount": 1,
        "zero amount": 1,
    }
    # The dict keeps the rule order.
    assert list(ledger.dropped) == list(data.DROP_REASONS)
    assert ledger.rows_in == 13
    assert ledger.rows_kept == 3
    assert ledger.rows_in == ledger.rows_kept + sum(ledger.dropped.values())
    ledger.check()
    assert tx["customer_id"].tolist() == ["C1", "C9", "C10"]
    assert tx["amount"].tolist() == [10.0, -5.5, 1.0]
    assert tx["note"].tolist() == ["good", "return", "last"]
    assert list(tx.index) == [0, 1, 2]
    assert ledger.rejected["source_row"].tolist() == list(range(2, 12))
    assert ledger.rejected["reason"].tolist() == list(data.DROP_REASONS)
    # Raw values are kept as they were, for the analyst to inspect.
    assert ledger.rejected.loc[
        ledger.rejected["reason"] == "non-numeric amount", "amount"
    ].item() == ("abc")


def test_row_with_two_defects_counts_once_under_first_reason():
    raw = frame(
        customer_id=["", "TEST1", "A", "A", "B"],
        date=["garbage", "2024-01-01", "2024-01-02", "2024-01-02", "2024-01-03"],
        amount=["1", "0", "", "", "abc"],
    )
    _, ledger = read_transactions(raw, test_customer_pattern="TEST")
    assert ledger.dropped == {
        "exact duplicate": 1,  # row 4 is a copy of row 3, both with a missing amount
        "missing customer_id": 1,  # also an unparseable date
        "test customer": 1,  # also a zero amount
        "missing amount": 1,
        "non-numeric amount": 1,
    }
    assert ledger.rows_kept == 0
    assert ledger.rejected.set_index("source_row")["reason"].to_dict() == {
        1: "missing customer_id",
        2: "test customer",
        3: "missing amount",
        4: "exact duplicate",
        5: "non-numeric amount",
    }
    ledger.check()


def test_duplicates_and_zero_amounts_can_be_kept():
    raw = frame(customer_id=["a", "a", "b"], date=["2024-01-01"] * 3, amount=["0", "0", "2"])
    tx, ledger = read_transactions(raw, drop_duplicates=False, drop_zero_amounts=False)
    assert ledger.rows_kept == 3
    assert ledger.dropped == {}
    assert tx["amount"].tolist() == [0.0, 0.0, 2.0]


def test_duplicates_need_every_column_equal():
    raw = frame(
        customer_id=["a", "a", "a", "a"],
        date=["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01"],
        amount=["5", "5", "5.0", "5"],
        order_id=["1", "2", "3", "1"],
    )
    _, ledger = read_transactions(raw)
    # "5.0" differs from "5" as raw text; only row 4 repeats row 1 exactly.
    assert ledger.dropped == {"exact duplicate": 1}
    assert ledger.rejected["source_row"].tolist() == [4]


def test_duplicate_detection_matches_pandas_on_many_collisions():
    rng = np.random.default_rng(7)
    n = 5_000
    raw = pd.DataFrame(
        {
            "customer_id": rng.choice(["1", "01", "2", "22"], n),
            "date": rng.choice(["2024-01-01", "2024-01-02"], n),
            "amount": rng.choice(["1", "1.0", "2", "-"], n),
            "note": rng.choice(["", "a", "b"], n),
        }
    )
    _, ledger = read_transactions(raw, drop_zero_amounts=False)
    expected = np.flatnonzero(raw.duplicated().to_numpy()) + 1
    got = ledger.rejected.loc[ledger.rejected["reason"] == "exact duplicate", "source_row"]
    assert got.tolist() == expected.tolist()
    assert ledger.dropped["exact duplicate"] == n - len(raw.drop_duplicates())


def test_numeric_sources_nan_and_inf_are_non_finite():
    raw = frame(
        customer_id=["a", "b", "c", "d"],
        date=pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]),
        amount=[1.5, np.nan, np.inf, -np.inf],
    )
    tx, ledger = read_transactions(raw)
    assert ledger.dropped == {"non-finite amount": 3}
    assert tx["amount"].tolist() == [1.5]


def test_nullable_numeric_missing_is_missing_amount():
    raw = frame(
        customer_id=["a", "b"],
        date=["2024-01-01", "2024-01-02"],
        amount=pd.array([3, None], dtype="Int64"),
    )
    tx, ledger = read_transactions(raw)
    assert ledger.dropped == {"missing amount": 1}
    assert tx["amount"].dtype == np.float64


def test_observation_end_with_time_of_day_is_exclusive_after_that_instant():
    raw = frame(
        customer_id=["a", "b", "c"],
        date=["2024-12-31 11:00", "2024-12-31 12:00", "2024-12-31 12:00:01"],
        amount=["1", "2", "3"],
    )
    _, ledger = read_transactions(raw, observation_end="2024-12-31 12:00")
    assert ledger.dropped == {"after observation end": 1}
    _, ledger = read_transactions(raw, observation_end=pd.Timestamp("2024-12-30").date())
    assert ledger.dropped == {"after observation end": 3}


def test_test_customer_pattern_is_a_regex_search():
    raw = frame(
        customer_id=["test_1", "QA-7", "real", "contest"],
        date=["2024-01-01"] * 4,
        amount=["1", "2", "3", "4"],
    )
    tx, ledger = read_transactions(raw, test_customer_pattern=r"^(test|QA)")
    assert ledger.dropped == {"test customer": 2}
    assert tx["customer_id"].tolist() == ["real", "contest"]


# --------------------------------------------------------------------------
# Ledger methods
# --------------------------------------------------------------------------


def test_ledger_check_raises_when_counts_do_not_add_up():
    ledger = Ledger("x.csv", rows_in=10, rows_kept=7, dropped={"zero amount": 2})
    with pytest.raises(AssertionError, match="10 rows read"):
        ledger.check()


def test_ledger_to_frame_str_and_html(one_of_each):
    _, ledger = read_transactions(one_of_each, observation_end="2025-01-31")
    table = ledger.to_frame()
    assert list(table.columns) == ["reason", "rows", "share"]
    assert table["reason"].iloc[0] == "kept"
    assert table["reason"].iloc[-1] == "total"
    assert table["rows"].iloc[-1] == 13
    assert table["rows"].iloc[0] == 4  # TEST-9 is kept without a pattern
    assert table["share"].iloc[-1] == pytest.approx(1.0)
    assert table["share"].iloc[0] == pytest.approx(4 / 13)
    text = str(ledger)
    assert "rows read" in text and "13" in text
    assert "dropped: zero amount" in text
    html = ledger._repr_html_()
    assert "<table" in html and "zero amount" in html
    assert "rows_in=13" in repr(ledger)


def test_empty_ledger_shares_are_nan():
    table = Ledger("x", 0, 0).to_frame()
    assert table["rows"].tolist() == [0, 0]
    assert table["share"].isna().all()


# --------------------------------------------------------------------------
# CSV dialects and encodings
# --------------------------------------------------------------------------


def test_spanish_locale_csv(tmp_path):
    text = (
        "\ufeffCliente;Fecha; Importe ;Categoría\n"
        "00042;25/12/2024;$1.234,50;Música\n"
        "00042;03/01/2025;-$45,00;Libros\n"
        "007;04/01/2025;(12,50);Libros\n"
        "008;05/01/2025;MXN 2.000;Libros\n"
        "009;06/01/2025;€ 3,5;Libros\n"
    )
    path = write(tmp_path, "ventas.csv", text)
    tx, ledger = read_transactions(path, columns=SPANISH_COLUMNS)
    assert tx["customer_id"].tolist() == ["00042", "00042", "007", "008", "009"]
    assert tx["amount"].tolist() == [1234.5, -45.0, -12.5, 2000.0, 3.5]
    assert tx["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-12-25",
        "2025-01-03",
        "2025-01-04",
        "2025-01-05",
        "2025-01-06",
    ]
    assert list(tx.columns) == ["customer_id", "date", "amount", "Categoría"]
    assert tx["Categoría"].tolist()[0] == "Música"
    notes = " ".join(ledger.notes)
    assert "';'" in notes
    assert "decimal mark ','" in notes
    assert "day/month" in notes
    assert ledger.source == str(path)


def test_mapping_values_with_stray_spaces(tmp_path):
    path = write(tmp_path, "v.csv", "Cliente;Fecha;Importe\n1;2024-01-05;5\n")
    for mapping_value in (" Importe ", "Importe", "importe"):
        tx, _ = read_transactions(
            path, columns={"customer_id": "Cliente ", "date": " Fecha", "amount": mapping_value}
        )
        assert tx["amount"].tolist() == [5.0]
    header_spaced = write(tmp_path, "w.csv", " Cliente ; Fecha ; Importe \n1;2024-01-05;5\n")
    tx, _ = read_transactions(header_spaced, columns=SPANISH_COLUMNS)
    assert tx["customer_id"].tolist() == ["1"]


def test_cp1252_file_with_accents(tmp_path):
    text = "customer_id,date,amount,Categoría\nJosé,2024-01-05,10.5,Café\nZoë,2024-01-06,3,Té\n"
    path = write(tmp_path, "win.csv", text, encoding="cp1252")
    tx, ledger = read_transactions(path)
    assert tx["customer_id"].tolist() == ["José", "Zoë"]
    assert tx["Categoría"].tolist() == ["Café", "Té"]
    assert any("cp1252" in note and "encoding=" in note for note in ledger.notes)


def test_latin1_file_whose_bytes_cp1252_cannot_decode(tmp_path):
    # 0x81 is undefined in cp1252, so only latin-1 can read this file.
    path = tmp_path / "latin.csv"
    path.write_bytes(b"customer_id,date,amount\nJos\xe9\x81,2024-01-05,1\n")
    tx, ledger = read_transactions(path)
    assert tx["customer_id"].tolist() == ["José\x81"]
    assert any("latin-1" in note for note in ledger.notes)


def test_non_utf8_byte_after_the_first_64_kb(tmp_path):
    rows = "".join(f"{i},2024-01-05,1.5\n" for i in range(8000))
    path = tmp_path / "late.csv"
    path.write_bytes(
        b"customer_id,date,amount,city\n"
        + "".join(f"{i},2024-01-05,1.5,x\n" for i in range(8000)).encode()
        + "José,2024-01-06,2,Málaga\n".encode("cp1252")
    )
    assert len(rows) > 64 * 1024
    tx, ledger = read_transactions(path)
    assert len(tx) == 8001
    assert tx["customer_id"].iloc[-1] == "José"
    assert tx["city"].iloc[-1] == "Málaga"
    assert any("cp1252" in note for note in ledger.notes)


def test_explicit_encoding_and_delimiter(tmp_path):
    path = write(tmp_path, "x.txt", "customer_id|date|amount\nÅse|2024-01-05|1\n", "latin-1")
    tx, ledger = read_transactions(path, encoding="latin-1", delimiter="|")
    assert tx["customer_id"].tolist() == ["Åse"]
    assert not any("Delimiter" in note for note in ledger.notes)


def test_tab_separated(tmp_path):
    path = write(tmp_path, "t.tsv", "customer_id\tdate\tamount\n001\t2024-01-05\t1,234.50\n")
    tx, ledger = read_transactions(path)
    assert tx["customer_id"].tolist() == ["001"]
    assert tx["amount"].tolist() == [1234.5]
    assert any("tab" in note for note in ledger.notes)


def test_pipe_separated_with_quotes(tmp_path):
    text = 'customer_id|date|amount|comment\n1|2024-01-05|2|"a|b"\n2|2024-01-06|3|"x"\n'
    path = write(tmp_path, "p.csv", text)
    tx, _ = read_transactions(path)
    assert tx["comment"].tolist() == ["a|b", "x"]


def test_utf16_excel_unicode_text(tmp_path):
    path = write(
        tmp_path, "u.txt", "\ufeffcustomer_id\tdate\tamount\nÑu\t2024-01-05\t4\n", "utf-16-le"
    )
    tx, _ = read_transactions(path)
    assert tx["customer_id"].tolist() == ["Ñu"]
    assert tx["amount"].tolist() == [4.0]


def test_quoted_line_breaks_and_short_rows(tmp_path):
    text = (
        "customer_id,date,amount,comment\n"
        '1,2024-01-05,2,"two\nlines"\n'
        "2,2024-01-06\n"  # a short row: its amount is missing
    )
    path = write(tmp_path, "q.csv", text)
    tx, ledger = read_transactions(path)
    assert tx["comment"].tolist() == ["two\nlines"]
    assert ledger.dropped == {"missing amount": 1}


def test_cdnow_like_compact_dates_and_leading_zeros(tmp_path):
    text = "customer_id,date,quantity,amount\n00001,19970101,1,11.77\n00002,19970112,1,12.00\n"
    path = write(tmp_path, "cdnow.csv", text)
    tx, _ = read_transactions(path)
    assert tx["customer_id"].tolist() == ["00001", "00002"]
    assert tx["date"].tolist() == [pd.Timestamp("1997-01-01"), pd.Timestamp("1997-01-12")]
    assert tx["quantity"].tolist() == [1, 1]
    assert list(tx.columns) == ["customer_id", "date", "amount", "quantity"]


def test_compact_dates_stored_as_integers():
    raw = frame(customer_id=[1, 2], date=[19970101, 19971231], amount=[1.0, 2.0])
    tx, _ = read_transactions(raw)
    assert tx["date"].dt.strftime("%Y-%m-%d").tolist() == ["1997-01-01", "1997-12-31"]
    assert tx["customer_id"].tolist() == ["1", "2"]


def test_decimal_inference_per_column_and_delimiter_fallback(tmp_path):
    # "1.234" alone is ambiguous: a ';' file means comma decimals, so it is 1234.
    path = write(tmp_path, "a.csv", "customer_id;date;amount;margin\n1;2024-01-05;1.234;0,5\n")
    tx, ledger = read_transactions(path)
    assert tx["amount"].tolist() == [1234.0]
    assert tx["margin"].tolist() == [0.5]
    assert any("could not be told" in note for note in ledger.notes)
    # In a comma file the same text is 1.234 ...
    path = write(tmp_path, "b.csv", "customer_id,date,amount\n1,2024-01-05,1.234\n")
    tx, _ = read_transactions(path)
    assert tx["amount"].tolist() == [1.234]
    # ... unless another value of the column shows a decimal comma ("7,5").
    path = write(
        tmp_path, "c.csv", 'customer_id,date,amount\n1,2024-01-05,1.234\n2,2024-01-05,"7,5"\n'
    )
    tx, _ = read_transactions(path)
    assert tx["amount"].tolist() == [1234.0, 7.5]


def test_conflicting_decimal_marks_follow_the_majority_with_a_note():
    raw = frame(customer_id=list("abc"), date=["2024-01-05"] * 3, amount=["1.234,5", "2,5", "3.25"])
    tx, ledger = read_transactions(raw)
    assert tx["amount"].tolist()[:2] == [1234.5, 2.5]
    note = next(n for n in ledger.notes if "other convention" in n)
    assert "1 values" in note and "'3.25'" in note


def test_explicit_decimal_overrides_inference():
    raw = frame(customer_id=["a"], date=["2024-01-05"], amount=["1.234"])
    tx, _ = read_transactions(raw, decimal=",")
    assert tx["amount"].tolist() == [1234.0]


def test_returns_in_every_notation_are_kept():
    raw = frame(
        customer_id=list("abcdef"),
        date=["2024-01-05"] * 6,
        amount=["-12.50", "(12.50)", "12.50-", "-$12.50", "USD -12.50", "\u221212.50"],
    )
    tx, ledger = read_transactions(raw)
    assert tx["amount"].tolist() == [-12.5] * 6
    assert ledger.rows_kept == 6


def test_non_breaking_spaces_and_currency_codes():
    raw = frame(
        customer_id=["a", "b", "c"],
        date=["2024-01-05"] * 3,
        amount=["\u00a01\u00a0234,50\u00a0€", "EUR 2,5", "1 000,00 MXN"],
    )
    tx, _ = read_transactions(raw)
    assert tx["amount"].tolist() == [1234.5, 2.5, 1000.0]


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------


def test_day_first_is_inferred():
    raw = frame(customer_id=["a", "b"], date=["01/02/2024", "25/02/2024"], amount=["1", "2"])
    tx, ledger = read_transactions(raw)
    assert tx["date"].tolist() == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-02-25")]
    assert any("day/month" in note and "'25/02/2024'" in note for note in ledger.notes)


def test_month_first_is_inferred():
    raw = frame(customer_id=["a", "b"], date=["01/02/24", "12/31/24 18:30"], amount=["1", "2"])
    tx, _ = read_transactions(raw)
    assert tx["date"].tolist() == [pd.Timestamp("2024-01-02"), pd.Timestamp("2024-12-31 18:30")]


def test_ambiguous_dates_are_month_first_with_a_note():
    raw = frame(customer_id=["a", "b"], date=["01/02/2024", "03.04.2024"], amount=["1", "2"])
    tx, ledger = read_transactions(raw)
    assert tx["date"].tolist() == [pd.Timestamp("2024-01-02"), pd.Timestamp("2024-03-04")]
    note = next(n for n in ledger.notes if "month/day" in n)
    assert "dayfirst=True" in note
    tx, ledger = read_transactions(raw, dayfirst=True)
    assert tx["date"].tolist() == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-04-03")]
    assert not any("month/day" in n for n in ledger.notes)


def test_conflicting_date_conventions_raise():
    raw = frame(
        customer_id=["a", "b", "c"],
        date=["25/12/2024", "12/25/2024", "26/12/2024"],
        amount=["1", "2", "3"],
    )
    with pytest.raises(DataError) as info:
        read_transactions(raw)
    message = str(info.value)
    assert "'date'" in message
    assert "2 dates are day/month" in message and "'25/12/2024'" in message
    assert "1 are month/day" in message and "'12/25/2024'" in message
    assert "dayfirst=" in message
    # Choosing a convention keeps the fitting dates and drops the others.
    _, ledger = read_transactions(raw, dayfirst=True)
    assert ledger.dropped == {"unparseable date": 1}


def test_other_date_forms():
    raw = frame(
        customer_id=list("abcdef"),
        date=[
            "2024/03/07",
            "2024.3.7 09:15",
            "07-Mar-2024",
            "7 Mar 24",
            "2024-03-07T09:15:30.250",
            "2024-3-7",
        ],
        amount=["1"] * 6,
    )
    tx, ledger = read_transactions(raw, drop_duplicates=False)
    assert ledger.rows_kept == 6
    assert tx["date"].tolist() == [
        pd.Timestamp("2024-03-07"),
        pd.Timestamp("2024-03-07 09:15"),
        pd.Timestamp("2024-03-07"),
        pd.Timestamp("2024-03-07"),
        pd.Timestamp("2024-03-07 09:15:30.250"),
        pd.Timestamp("2024-03-07"),
    ]


def test_partial_and_impossible_dates_are_unparseable():
    raw = frame(
        customer_id=list("abcd"),
        date=["2024", "2024-01", "2024-02-30", "2024-01-05"],
        amount=["1"] * 4,
    )
    tx, ledger = read_transactions(raw)
    assert ledger.dropped == {"unparseable date": 3}
    assert tx["customer_id"].tolist() == ["d"]


def test_two_utc_offsets_become_the_same_instant():
    raw = frame(
        customer_id=["a", "b", "c"],
        date=["2024-03-10T10:00:00+01:00", "2024-03-10T04:00:00-05:00", "2024-03-10T09:00:00Z"],
        amount=["1", "2", "3"],
    )
    tx, _ = read_transactions(raw)
    assert tx["date"].tolist() == [pd.Timestamp("2024-03-10 09:00")] * 3
    assert tx["date"].dt.tz is None


def test_hour_only_offsets_and_space_before_offset():
    raw = frame(
        customer_id=["a", "b", "c"],
        date=["2024-03-10T10:00:00+01", "2024-03-10 04:00 -05:00", "2024-03-10 09:00:00.000Z"],
        amount=["1", "2", "3"],
    )
    tx, ledger = read_transactions(raw)
    assert tx["date"].tolist() == [pd.Timestamp("2024-03-10 09:00")] * 3
    assert ledger.rows_kept == 3


def test_offsets_converted_to_requested_zone_and_naive_values_kept():
    raw = frame(
        customer_id=["a", "b"],
        date=["2024-01-15T18:00:00Z", "2024-01-15 09:30"],
        amount=["1", "2"],
    )
    tx, _ = read_transactions(raw, timezone="America/Mexico_City")
    # 18:00 UTC is 12:00 in Mexico City (UTC-6); the naive value is taken as local.
    assert tx["date"].tolist() == [
        pd.Timestamp("2024-01-15 12:00"),
        pd.Timestamp("2024-01-15 09:30"),
    ]


def test_single_offset_and_tz_aware_dtype():
    raw = frame(customer_id=["a"], date=["2024-01-15T18:00:00+02:00"], amount=["1"])
    tx, _ = read_transactions(raw)
    assert tx["date"].tolist() == [pd.Timestamp("2024-01-15 16:00")]
    aware = frame(
        customer_id=["a"],
        date=pd.to_datetime(["2024-01-15 18:00"]).tz_localize("Europe/Madrid"),
        amount=[1.0],
    )
    tx, _ = read_transactions(aware)
    assert tx["date"].tolist() == [pd.Timestamp("2024-01-15 17:00")]


def test_python_datetime_objects_mixed_with_text():
    raw = frame(
        customer_id=["a", "b"],
        date=[pd.Timestamp("2024-01-15").to_pydatetime(), "2024-01-16"],
        amount=["1", "2"],
    )
    tx, _ = read_transactions(raw)
    assert tx["date"].tolist() == [pd.Timestamp("2024-01-15"), pd.Timestamp("2024-01-16")]


# --------------------------------------------------------------------------
# Output shape, optional columns, sources
# --------------------------------------------------------------------------


def test_output_columns_order_and_dtypes():
    raw = pd.DataFrame(
        {
            "Extra": ["e1", "e2"],
            "Days_Late": ["2", "x"],
            "CATEGORY": ["books", "  "],
            "Margin": ["1,5", "2,25"],
            "amount": ["10", "20"],
            "order_id": [101, 102],
            "quantity": ["3", "4"],
            "date": ["2024-01-05", "2024-01-06"],
            " customer_id ": ["0001", "0002"],
        }
    )
    tx, ledger = read_transactions(raw)
    assert list(tx.columns) == [
        "customer_id",
        "date",
        "amount",
        "order_id",
        "margin",
        "quantity",
        "category",
        "days_late",
        "Extra",
    ]
    assert pd.api.types.is_string_dtype(tx["customer_id"])
    assert tx["date"].dtype.kind == "M"
    assert tx["amount"].dtype == np.float64
    assert tx["margin"].tolist() == [1.5, 2.25]
    assert tx["quantity"].tolist() == [3, 4]
    assert tx["quantity"].dtype == np.int64  # whole numbers, none missing
    assert tx["days_late"].dtype == np.float64  # one value was set to missing
    assert tx["order_id"].tolist() == ["101", "102"]
    assert tx["category"].iloc[0] == "books" and pd.isna(tx["category"].iloc[1])
    assert tx["days_late"].iloc[0] == 2.0 and np.isnan(tx["days_late"].iloc[1])
    note = next(n for n in ledger.notes if "Days_Late" in n)
    assert "1 values" in note and "'x'" in note and "missing" in note
    assert ledger.rows_kept == 2  # bad optional values never drop a row


def test_canonical_name_clash_with_other_column_is_renamed():
    raw = frame(Cliente=["a"], date=["2024-01-05"], amount=["1"], customer_id=["old-id"])
    tx, ledger = read_transactions(raw, columns={"customer_id": "Cliente"})
    assert tx["customer_id"].tolist() == ["a"]
    assert tx["customer_id_original"].tolist() == ["old-id"]
    assert any("customer_id_original" in n for n in ledger.notes)


def test_dataframe_input_is_not_modified():
    raw = frame(customer_id=[" 42 "], date=["2024-01-05"], amount=["1"])
    before = raw.copy()
    tx, ledger = read_transactions(raw)
    pd.testing.assert_frame_equal(raw, before)
    assert tx["customer_id"].tolist() == ["42"]
    assert ledger.source == "pandas DataFrame"


def test_parquet_round_trip(tmp_path):
    original = pd.DataFrame(
        {
            "customer_id": ["00042", "00043", "00043"],
            "date": pd.to_datetime(
                ["2024-01-05 10:00", "2024-01-06", "2024-01-06"], format="ISO8601"
            ),
            "amount": [10.5, -2.0, -2.0],
            "category": ["a", "b", "b"],
        }
    )
    for suffix in (".parquet", ".pq"):
        path = tmp_path / f"tx{suffix}"
        original.to_parquet(path)
        tx, ledger = read_transactions(path)
        assert ledger.dropped == {"exact duplicate": 1}
        assert tx["customer_id"].tolist() == ["00042", "00043"]
        assert tx["amount"].tolist() == [10.5, -2.0]
        assert tx["date"].tolist() == [pd.Timestamp("2024-01-05 10:00"), pd.Timestamp("2024-01-06")]
        # What we write back reads the same.
        again_path = tmp_path / f"again{suffix}"
        tx.to_parquet(again_path)
        again, _ = read_transactions(again_path)
        pd.testing.assert_frame_equal(again, tx, check_dtype=False)


def test_module_examples_run():
    result = doctest.testmod(data, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 5
    assert result.failed == 0


def test_public_names():
    assert data.__all__ == ["CANONICAL_COLUMNS", "DROP_REASONS", "Ledger", "read_transactions"]
    assert CANONICAL_COLUMNS[:3] == ("customer_id", "date", "amount")


def test_many_rows_stay_vectorised():
    n = 200_000
    raw = pd.DataFrame(
        {
            "customer_id": np.arange(n).astype(str),
            "date": ["2024-01-05 10:00:00"] * n,
            "amount": ["12.5"] * n,
        }
    )
    raw.loc[5, "amount"] = "$1,000.00"
    tx, ledger = read_transactions(raw)
    assert ledger.rows_kept == n
    assert tx["amount"].iloc[5] == 1000.0


# --------------------------------------------------------------------------
# Errors a user can see
# --------------------------------------------------------------------------


def raises(match: str, *args, **kwargs) -> str:
    with pytest.raises(DataError, match=match) as info:
        read_transactions(*args, **kwargs)
    return str(info.value)


def test_error_file_not_found(tmp_path):
    message = raises("File not found", tmp_path / "nope.csv")
    assert "nope.csv" in message


def test_error_unsupported_extension(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04")
    message = raises("not supported", path)
    assert "'.xlsx'" in message and "CSV" in message and "Parquet" in message


def test_error_folder_instead_of_file(tmp_path):
    raises("is a folder", tmp_path)


def test_error_empty_file(tmp_path):
    path = write(tmp_path, "empty.csv", "")
    message = raises("is empty", path)
    assert "empty.csv" in message
    raises("is empty", write(tmp_path, "blank.csv", "\n\n  \n"))


def test_error_binary_file(tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(bytes(range(256)) * 10)
    message = raises("not a text table", path)
    assert "image.csv" in message


def test_error_ragged_rows(tmp_path):
    path = write(tmp_path, "bad.csv", "customer_id,date,amount\n1,2024-01-05,3\n1,2,3,4,5\n")
    message = raises("could not be read as a table", path)
    assert "bad.csv" in message and "delimiter=" in message


def test_error_bad_parquet(tmp_path):
    path = write(tmp_path, "fake.parquet", "customer_id,date,amount\n")
    message = raises("Parquet", path)
    assert "fake.parquet" in message


def test_error_header_without_rows(tmp_path):
    path = write(tmp_path, "header.csv", "customer_id,date,amount\n")
    message = raises("no data rows", path)
    assert "'customer_id'" in message
    raises("no data rows", pd.DataFrame(columns=["customer_id", "date", "amount"]))


def test_error_required_column_missing():
    raw = frame(Cliente=["1"], Fecha=["2024-01-05"], amount=["1"])
    message = raises("not found", raw)
    assert "'customer_id'" in message and "'date'" in message
    assert "'Cliente'" in message and "'Fecha'" in message  # the columns found
    assert "columns=" in message and '"customer_id": "<your column>"' in message


def test_error_mapping_names_absent_column():
    raw = frame(Cliente=["1"], date=["2024-01-05"], amount=["1"])
    message = raises("no such column", raw, columns={"customer_id": "Client"})
    assert "'customer_id'" in message and "'Client'" in message
    assert "'Cliente'" in message


def test_error_mapping_key_not_canonical():
    raw = frame(customer_id=["1"], date=["2024-01-05"], amount=["1"])
    message = raises("not a canonical name", raw, columns={"revenue": "amount"})
    assert "'revenue'" in message and "customer_id" in message


def test_error_mapping_two_roles_for_one_column():
    raw = frame(customer_id=["1"], date=["2024-01-05"], amount=["1"])
    message = raises("one role", raw, columns={"order_id": "amount", "margin": "amount"})
    assert "'amount'" in message


def test_error_mapping_not_a_dict():
    raw = frame(customer_id=["1"], date=["2024-01-05"], amount=["1"])
    raises("must be a dict", raw, columns=["customer_id"])


def test_error_duplicate_column_names_in_csv(tmp_path):
    path = write(tmp_path, "dup.csv", "customer_id,date,amount, amount \n1,2024-01-05,3,4\n")
    message = raises("column name 'amount' 2 times", path)
    assert "dup.csv" in message and "Rename" in message


def test_error_duplicate_column_names_in_dataframe():
    raw = pd.DataFrame(
        [["1", "2024-01-05", "3", "x"]], columns=["customer_id", "date", "amount", "date"]
    )
    raises("column name 'date' 2 times", raw)


def test_error_ambiguous_canonical_column():
    raw = frame(amount=["1"], AMOUNT=["2"], customer_id=["a"], date=["2024-01-05"])
    message = raises("Several columns could be 'amount'", raw)
    assert "columns=" in message


def test_error_every_date_unparseable():
    raw = frame(customer_id=["a", "b", "c"], date=["soon", "later", ""], amount=["1", "2", "3"])
    message = raises("none of the 2 dates", raw)
    assert "'date'" in message and "'soon'" in message


def test_error_every_date_missing():
    raw = frame(customer_id=["a", "b"], date=["", " "], amount=["1", "2"])
    message = raises("is empty", raw)
    assert "'date'" in message and "2" in message


def test_error_every_amount_non_numeric(tmp_path):
    path = write(
        tmp_path, "t.csv", "Cliente;Fecha;Importe\n1;2024-01-05;gratis\n2;2024-01-05;n/d\n"
    )
    message = raises("none of the 2 values", path, columns=SPANISH_COLUMNS)
    assert "'Importe'" in message and "'gratis'" in message


def test_error_every_customer_id_missing():
    raw = frame(Cliente=["", "NA"], date=["2024-01-05"] * 2, amount=["1", "2"])
    message = raises("is empty", raw, columns={"customer_id": "Cliente"})
    assert "'Cliente'" in message and "all 2 values" in message


def test_error_every_date_nat_in_datetime_column():
    raw = frame(customer_id=["a"], date=pd.to_datetime([None]), amount=[1.0])
    raises("all 1 dates are missing", raw)


def test_error_every_amount_missing():
    raw = frame(customer_id=["a"], date=["2024-01-05"], amount=["NA"])
    message = raises("is empty", raw)
    assert "'amount'" in message


def test_error_unsupported_source_type():
    message = raises("not a list", [["a", "2024-01-05", 1]])
    assert "DataFrame" in message


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"timezone": "Mars/Olympus"}, "Unknown time zone 'Mars/Olympus'"),
        ({"test_customer_pattern": "(unclosed"}, "not a valid regular expression"),
        ({"decimal": ";"}, "decimal must be"),
        ({"dayfirst": "yes"}, "dayfirst must be"),
        ({"observation_end": "someday"}, "observation_end='someday' is not a date"),
    ],
)
def test_error_bad_arguments(kwargs, words):
    raw = frame(customer_id=["a"], date=["2024-01-05"], amount=["1"])
    raises(re.escape(words), raw, **kwargs)


def test_errors_are_value_errors_without_pandas_tracebacks(tmp_path):
    path = write(tmp_path, "bad.csv", "customer_id,date,amount\n1,2024-01-05,3\n1,2,3,4,5\n")
    with pytest.raises(ValueError) as info:
        read_transactions(path)
    assert type(info.value) is DataError
