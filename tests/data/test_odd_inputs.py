"""Inputs fuzzing found: each ends as a sentence, a ledger entry or the right value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab.data import read_transactions


def _frame(**columns):
    base = {"customer_id": ["a", "b"], "date": ["2024-01-01", "2024-01-02"], "amount": [1.0, 2.0]}
    return pd.DataFrame({**base, **columns})


def test_old_mac_line_ends_and_a_carriage_return_inside_quotes(tmp_path):
    mac = tmp_path / "mac.csv"
    mac.write_bytes(b"customer_id,date,amount\r1,2024-01-01,5\r2,2024-01-02,6\r")
    tx, ledger = read_transactions(mac)
    assert tx["amount"].tolist() == [5.0, 6.0]
    assert any(note.startswith("Line ends: carriage returns only") for note in ledger.notes)
    quoted = tmp_path / "quoted.csv"
    quoted.write_bytes(b'customer_id,date,amount,note\n1,2024-01-01,5,"a\rb"\n2,2024-01-02,6,x\n')
    assert read_transactions(quoted)[0]["note"].tolist() == ["a\rb", "x"]


def test_scientific_notation_is_read_alike_in_a_semicolon_file(tmp_path):
    path = tmp_path / "sci.csv"
    path.write_text("customer_id;date;amount\n1;2024-01-01;1.5e3\n2;2024-01-02;7,5\n")
    tx, ledger = read_transactions(path)
    assert tx["amount"].tolist() == [1500.0, 7.5]
    assert not any("could not be told" in note for note in ledger.notes)


def test_a_stray_windows_byte_deep_in_a_utf8_file_leaves_the_rest_utf8(tmp_path):
    path = tmp_path / "stray.csv"
    lines = "".join(f"María{i},2024-01-01,{i + 1}\n" for i in range(5000)).encode()
    path.write_bytes(b"customer_id,date,amount\n" + lines + b"Jos\xe9,2024-01-02,6\n")
    tx, ledger = read_transactions(path)
    assert tx["customer_id"].iloc[0] == "María0" and tx["customer_id"].iloc[-1] == "José"
    assert ("Encoding: UTF-8, but 1 byte(s) were not (the first on line 5,002); they were read "
            "as Windows cp1252 characters, the rest of the file as UTF-8.") in ledger.notes


@pytest.mark.parametrize("column, reason", [
    ("customer_id", "missing customer_id"), ("date", "unparseable date"),
])
def test_infinite_ids_and_dates_are_counted_not_crashed_on(column, reason):
    values = {"customer_id": [7.0, np.inf], "date": [20240101.0, -np.inf]}[column]
    tx, ledger = read_transactions(_frame(**{column: values}))
    assert ledger.dropped == {reason: 1} and len(tx) == 1


def test_an_infinite_order_id_is_a_missing_one_and_huge_amounts_are_not_finite():
    tx, _ = read_transactions(_frame(order_id=[1.0, -np.inf]))
    assert tx["order_id"].isna().tolist() == [False, True]
    tx, ledger = read_transactions(_frame(amount=[1e308, 5.0]))
    assert ledger.dropped == {"non-finite amount": 1} and tx["amount"].sum() == 5.0
    tx, ledger = read_transactions(_frame(amount=[1 + 2j, 3 + 0j]))
    assert ledger.dropped == {"non-numeric amount": 1} and tx["amount"].tolist() == [3.0]


@pytest.mark.parametrize("option, words", [
    ({"delimiter": ""}, "delimiter must be one character such as ','"),
    ({"encoding": 5}, "Unknown encoding 5"),
    ({"test_customer_pattern": b"^1"}, "test_customer_pattern must be text"),
    ({"observation_end": pd.Timestamp.min}, "at the edge of the dates pandas can hold"),
    ({"timezone": 5}, "timezone must be a zone name such as 'America/Mexico_City', not the "
                      "number 5"),
    ({"date_format": 5}, "date_format must be a strftime format"),
])
def test_options_are_checked_with_a_sentence(tmp_path, option, words):
    path = tmp_path / "ok.csv"
    path.write_text("customer_id,date,amount\n1,2024-01-01,5\n")
    with pytest.raises(rl.DataError, match=words.replace("(", r"\(").replace(".", r"\.")):
        read_transactions(path, **option)


def test_a_renamed_column_never_collides_with_an_existing_original():
    raw = pd.DataFrame({"Cliente": ["a"], "date": ["2024-01-01"], "amount": [1.0],
                        "customer_id": ["x"], "customer_id_original": ["y"]})
    tx, ledger = read_transactions(raw, columns={"customer_id": "Cliente"})
    assert tx["customer_id_original"].tolist() == ["y"]
    assert tx["customer_id_original_2"].tolist() == ["x"]
    assert "renamed 'customer_id_original_2'" in ledger.notes[0]


def test_ids_seven_and_text_seven_are_one_customer():
    raw = _frame(customer_id=pd.Series([7, "7"], dtype=object))
    tx, _ = read_transactions(raw)
    assert tx["customer_id"].tolist() == ["7", "7"]
    status = rl.identify.customer_status(tx, "2024-01-02")
    assert len(status) == 1


def test_a_long_header_and_blank_lines(tmp_path):
    wide = tmp_path / "wide.csv"
    names = ",".join(f"extra_column_{i:05d}" for i in range(6000))
    wide.write_text(f"customer_id,date,amount,{names}\n1,2024-01-01,5" + "," * 6000 + "\n")
    tx, _ = read_transactions(wide)
    assert tx.shape == (1, 6003)
    blank = tmp_path / "blank.csv"
    blank.write_text("customer_id,date,amount\n1,2024-01-01,5\n\n\n2,2024-01-02,6\n")
    tx, ledger = read_transactions(blank)
    assert len(tx) == 2 and "2 blank line(s) hold no row and were skipped." in ledger.notes


def test_a_stage_refuses_amounts_whose_sums_would_overflow():
    lines = _frame(amount=[1e308, 1e308])
    with pytest.raises(rl.DataError, match=r"transactions: column 'amount' is outside "
                                           r"-1e\+15–1e\+15 in 2 rows, e\.g\. 1e\+308\."):
        rl.rfm.rfm_table(lines, "2024-12-31")
