"""Canonical columns, the columns= mapping and the output table (relmark_lab.data.columns)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from relmark_lab._validate import ID_DTYPE
from relmark_lab.data import CANONICAL_COLUMNS, read_transactions

SPANISH_COLUMNS = {"customer_id": "Cliente", "date": "Fecha", "amount": "Importe"}


def test_canonical_columns_start_with_the_required_ones():
    assert CANONICAL_COLUMNS[:3] == ("customer_id", "date", "amount")


def test_mapping_values_with_stray_spaces(write_file):
    path = write_file("v.csv", "Cliente;Fecha;Importe\n1;2024-01-05;5\n")
    for mapping_value in (" Importe ", "Importe", "importe"):
        tx, _ = read_transactions(
            path, columns={"customer_id": "Cliente ", "date": " Fecha", "amount": mapping_value}
        )
        assert tx["amount"].tolist() == [5.0]
    header_spaced = write_file("w.csv", " Cliente ; Fecha ; Importe \n1;2024-01-05;5\n")
    tx, _ = read_transactions(header_spaced, columns=SPANISH_COLUMNS)
    assert tx["customer_id"].tolist() == ["1"]


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
    assert tx["customer_id"].dtype == ID_DTYPE
    assert tx["order_id"].dtype == ID_DTYPE
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


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (pd.Series(["007", "42"], dtype=object), ["007", "42"]),
        (pd.Series(["007", "42"], dtype="string"), ["007", "42"]),
        (pd.Series(["007", "42"], dtype=pd.StringDtype("python", na_value=np.nan)),
         ["007", "42"]),
        (pd.Series([7, 42]), ["7", "42"]),
        (pd.Series([7.0, np.nan, 42.0]), ["7", "42"]),
        (pd.Series([7, None, 42], dtype="Int64"), ["7", "42"]),
        (pd.Series(["7", "42"], dtype="category"), ["7", "42"]),
    ],
)
def test_customer_and_order_ids_are_text_of_the_kit_dtype(ids, expected):
    raw = pd.DataFrame({"customer_id": ids, "order_id": ids,
                        "date": ["2024-01-05"] * len(ids), "amount": ["1"] * len(ids)})
    tx, _ = read_transactions(raw, drop_duplicates=False)
    assert tx["customer_id"].dtype == ID_DTYPE and tx["customer_id"].dtype == "str"
    assert tx["order_id"].dtype == ID_DTYPE
    assert tx["customer_id"].tolist() == expected


def test_ids_from_a_csv_file_are_text_of_the_kit_dtype(write_file):
    path = write_file("ids.csv", "customer_id,order_id,date,amount\n007,,2024-01-05,1\n")
    tx, _ = read_transactions(path)
    assert tx["customer_id"].dtype == ID_DTYPE and tx["order_id"].dtype == ID_DTYPE
    assert tx["customer_id"].tolist() == ["007"] and pd.isna(tx["order_id"].iloc[0])


def test_canonical_name_clash_with_other_column_is_renamed():
    raw = pd.DataFrame({"Cliente": ["a"], "date": ["2024-01-05"], "amount": ["1"],
                        "customer_id": ["old-id"]})
    tx, ledger = read_transactions(raw, columns={"customer_id": "Cliente"})
    assert tx["customer_id"].tolist() == ["a"]
    assert tx["customer_id_original"].tolist() == ["old-id"]
    assert any("customer_id_original" in n for n in ledger.notes)


# ---------------------------------------------------------------- errors a user can see


def test_error_required_column_missing(read_error):
    raw = pd.DataFrame({"Cliente": ["1"], "Fecha": ["2024-01-05"], "amount": ["1"]})
    message = read_error("not found", raw)
    assert "'customer_id'" in message and "'date'" in message
    assert "'Cliente'" in message and "'Fecha'" in message  # the columns found
    assert "columns=" in message and '"customer_id": "<your column>"' in message


def test_error_mapping_names_absent_column(read_error):
    raw = pd.DataFrame({"Cliente": ["1"], "date": ["2024-01-05"], "amount": ["1"]})
    message = read_error("no such column", raw, columns={"customer_id": "Client"})
    assert "'customer_id'" in message and "'Client'" in message
    assert "'Cliente'" in message


def test_error_mapping_key_not_canonical(read_error):
    raw = pd.DataFrame({"customer_id": ["1"], "date": ["2024-01-05"], "amount": ["1"]})
    message = read_error("not a canonical name", raw, columns={"revenue": "amount"})
    assert "'revenue'" in message and "customer_id" in message


def test_error_mapping_two_roles_for_one_column(read_error):
    raw = pd.DataFrame({"customer_id": ["1"], "date": ["2024-01-05"], "amount": ["1"]})
    message = read_error("one role", raw, columns={"order_id": "amount", "margin": "amount"})
    assert "'amount'" in message


def test_error_mapping_not_a_dict(read_error):
    raw = pd.DataFrame({"customer_id": ["1"], "date": ["2024-01-05"], "amount": ["1"]})
    read_error("must be a dict", raw, columns=["customer_id"])


def test_error_ambiguous_canonical_column(read_error):
    raw = pd.DataFrame({"amount": ["1"], "AMOUNT": ["2"], "customer_id": ["a"],
                        "date": ["2024-01-05"]})
    message = read_error("Several columns could be 'amount'", raw)
    assert "columns=" in message


def test_error_every_customer_id_missing(read_error):
    raw = pd.DataFrame({"Cliente": ["", "NA"], "date": ["2024-01-05"] * 2, "amount": ["1", "2"]})
    message = read_error("is empty", raw, columns={"customer_id": "Cliente"})
    assert "'Cliente'" in message and "all 2 values" in message


def test_many_column_names_are_cut_in_messages(read_error):
    raw = pd.DataFrame({f"c{i}": ["x"] for i in range(40)})
    message = read_error("not found", raw)
    assert "'c29'" in message and "'c30'" not in message and "and 10 more" in message
