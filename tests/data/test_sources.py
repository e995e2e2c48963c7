"""Sources: DataFrames, CSV dialects and encodings, Parquet (relmark_lab.data.sources)."""

from __future__ import annotations

import pandas as pd
import pytest

from relmark_lab.data import read_transactions
from relmark_lab.errors import DataError

SPANISH_COLUMNS = {"customer_id": "Cliente", "date": "Fecha", "amount": "Importe"}


def test_spanish_locale_csv(write_file):
    text = (
        "\ufeffCliente;Fecha; Importe ;Categoría\n"
        "00042;25/12/2024;$1.234,50;Música\n"
        "00042;03/01/2025;-$45,00;Libros\n"
        "007;04/01/2025;(12,50);Libros\n"
        "008;05/01/2025;MXN 2.000;Libros\n"
        "009;06/01/2025;€ 3,5;Libros\n"
    )
    path = write_file("ventas.csv", text)
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


def test_cp1252_file_with_accents(write_file):
    text = "customer_id,date,amount,Categoría\nJosé,2024-01-05,10.5,Café\nZoë,2024-01-06,3,Té\n"
    path = write_file("win.csv", text, encoding="cp1252")
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
    path = tmp_path / "late.csv"
    body = "".join(f"{i},2024-01-05,1.5,x\n" for i in range(8000)).encode()
    assert len(body) > 64 * 1024
    path.write_bytes(
        b"customer_id,date,amount,city\n" + body + "José,2024-01-06,2,Málaga\n".encode("cp1252")
    )
    tx, ledger = read_transactions(path)
    assert len(tx) == 8001
    assert tx["customer_id"].iloc[-1] == "José"
    assert tx["city"].iloc[-1] == "Málaga"
    assert any("cp1252" in note for note in ledger.notes)


def test_utf8_with_byte_order_mark_is_noted(write_file):
    path = write_file("bom.csv", "\ufeffcustomer_id,date,amount\n1,2024-01-05,1\n")
    tx, ledger = read_transactions(path)
    assert list(tx.columns) == ["customer_id", "date", "amount"]
    assert any("byte-order mark" in note for note in ledger.notes)


def test_explicit_encoding_and_delimiter(write_file):
    path = write_file("x.txt", "customer_id|date|amount\nÅse|2024-01-05|1\n", "latin-1")
    tx, ledger = read_transactions(path, encoding="latin-1", delimiter="|")
    assert tx["customer_id"].tolist() == ["Åse"]
    assert not any("Delimiter" in note for note in ledger.notes)


def test_tab_separated(write_file):
    path = write_file("t.tsv", "customer_id\tdate\tamount\n001\t2024-01-05\t1,234.50\n")
    tx, ledger = read_transactions(path)
    assert tx["customer_id"].tolist() == ["001"]
    assert tx["amount"].tolist() == [1234.5]
    assert any("tab" in note for note in ledger.notes)


def test_pipe_separated_with_quotes(write_file):
    text = 'customer_id|date|amount|comment\n1|2024-01-05|2|"a|b"\n2|2024-01-06|3|"x"\n'
    tx, _ = read_transactions(write_file("p.csv", text))
    assert tx["comment"].tolist() == ["a|b", "x"]


def test_utf16_excel_unicode_text(write_file):
    path = write_file("u.txt", "\ufeffcustomer_id\tdate\tamount\nÑu\t2024-01-05\t4\n", "utf-16-le")
    tx, ledger = read_transactions(path)
    assert tx["customer_id"].tolist() == ["Ñu"]
    assert tx["amount"].tolist() == [4.0]
    assert any("UTF-16" in note for note in ledger.notes)


def test_quoted_line_breaks_and_short_rows(write_file):
    text = (
        "customer_id,date,amount,comment\n"
        '1,2024-01-05,2,"two\nlines"\n'
        "2,2024-01-06\n"  # a short row: its amount is missing
    )
    tx, ledger = read_transactions(write_file("q.csv", text))
    assert tx["comment"].tolist() == ["two\nlines"]
    assert ledger.dropped == {"missing amount": 1}


def test_columns_without_a_header_are_named(write_file):
    path = write_file("n.csv", "customer_id,date,amount,\n1,2024-01-05,1,x\n")
    tx, ledger = read_transactions(path)
    assert tx["unnamed_4"].tolist() == ["x"]
    assert any("unnamed_4" in note for note in ledger.notes)


def test_dataframe_input_is_not_modified():
    raw = pd.DataFrame({"customer_id": [" 42 "], "date": ["2024-01-05"], "amount": ["1"]})
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
        tx, ledger = read_transactions(path, drop_duplicates=True)
        assert ledger.dropped == {"exact duplicate": 1}
        assert tx["customer_id"].tolist() == ["00042", "00043"]
        assert tx["amount"].tolist() == [10.5, -2.0]
        assert tx["date"].tolist() == [pd.Timestamp("2024-01-05 10:00"), pd.Timestamp("2024-01-06")]
        # What we write back reads the same.
        again_path = tmp_path / f"again{suffix}"
        tx.to_parquet(again_path)
        again, _ = read_transactions(again_path)
        pd.testing.assert_frame_equal(again, tx, check_dtype=False)


# ---------------------------------------------------------------- errors a user can see


def test_error_file_not_found(tmp_path, read_error):
    message = read_error("File not found", tmp_path / "nope.csv")
    assert "nope.csv" in message and "current folder" in message


def test_error_unsupported_extension(tmp_path, read_error):
    path = tmp_path / "book.ods"
    path.write_bytes(b"PK\x03\x04")
    message = read_error("not supported", path)
    assert "'.ods'" in message and "CSV" in message and "Parquet" in message
    assert ".xlsx" in message and ".gz" in message
    damaged = tmp_path / "book.xlsx"
    damaged.write_bytes(b"PK\x03\x04")
    read_error("could not be read as an Excel workbook", damaged)


def test_error_folder_instead_of_file(tmp_path, read_error):
    read_error("is a folder without Parquet files", tmp_path)


def test_error_empty_file(write_file, read_error):
    message = read_error("is empty", write_file("empty.csv", ""))
    assert "empty.csv" in message
    read_error("is empty", write_file("blank.csv", "\n\n  \n"))


def test_error_binary_file(tmp_path, read_error):
    path = tmp_path / "image.csv"
    path.write_bytes(bytes(range(256)) * 10)
    message = read_error("not a text table", path)
    assert "image.csv" in message


def test_error_unknown_encoding(write_file, read_error):
    path = write_file("e.csv", "customer_id,date,amount\n1,2024-01-05,1\n")
    read_error("Unknown encoding 'klingon'", path, encoding="klingon")


def test_error_wrong_explicit_encoding(tmp_path, read_error):
    path = tmp_path / "w.csv"
    path.write_bytes("customer_id,date,amount\nJosé,2024-01-05,1\n".encode("cp1252"))
    message = read_error("is not valid utf-8", path, encoding="utf-8")
    assert "encoding=" in message


def test_error_ragged_rows(write_file, read_error):
    path = write_file("bad.csv", "customer_id,date,amount\n1,2024-01-05,3\n1,2,3,4,5\n")
    message = read_error("could not be read as a table", path)
    assert "bad.csv" in message and "delimiter=" in message


def test_error_bad_parquet(write_file, read_error):
    message = read_error("Parquet", write_file("fake.parquet", "customer_id,date,amount\n"))
    assert "fake.parquet" in message


def test_error_header_without_rows(write_file, read_error):
    message = read_error("no data rows", write_file("header.csv", "customer_id,date,amount\n"))
    assert "'customer_id'" in message
    read_error("no data rows", pd.DataFrame(columns=["customer_id", "date", "amount"]))


def test_error_duplicate_column_names_in_csv(write_file, read_error):
    path = write_file("dup.csv", "customer_id,date,amount, amount \n1,2024-01-05,3,4\n")
    message = read_error("column name 'amount' 2 times", path)
    assert "dup.csv" in message and "Rename" in message


def test_error_duplicate_column_names_in_dataframe(read_error):
    raw = pd.DataFrame(
        [["1", "2024-01-05", "3", "x"]], columns=["customer_id", "date", "amount", "date"]
    )
    read_error("column name 'date' 2 times", raw)


def test_error_duplicate_column_names_in_parquet(tmp_path, read_error):
    path = tmp_path / "dup.parquet"
    pd.DataFrame({"amount": [1.0], " amount": [2.0], "customer_id": ["a"],
                  "date": ["2024-01-05"]}).to_parquet(path)
    read_error("column name 'amount' 2 times", path)


def test_error_unsupported_source_type(read_error):
    message = read_error("not a list", [["a", "2024-01-05", 1]])
    assert "DataFrame" in message


def test_errors_are_value_errors_without_pandas_tracebacks(write_file):
    path = write_file("bad.csv", "customer_id,date,amount\n1,2024-01-05,3\n1,2,3,4,5\n")
    with pytest.raises(ValueError) as info:
        read_transactions(path)
    assert type(info.value) is DataError
