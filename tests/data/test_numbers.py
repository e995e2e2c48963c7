"""Amounts and numbers written as text (relmark_lab.data.numbers)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from relmark_lab.data import read_transactions

SPANISH_COLUMNS = {"customer_id": "Cliente", "date": "Fecha", "amount": "Importe"}


def lines(amounts: list) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [f"c{i}" for i in range(len(amounts))],
                         "date": ["2024-01-05"] * len(amounts), "amount": amounts})


def test_decimal_inference_per_column_and_delimiter_fallback(write_file):
    # "1.234" alone is ambiguous: a ';' file means comma decimals, so it is 1234.
    path = write_file("a.csv", "customer_id;date;amount;margin\n1;2024-01-05;1.234;0,5\n")
    tx, ledger = read_transactions(path)
    assert tx["amount"].tolist() == [1234.0]
    assert tx["margin"].tolist() == [0.5]
    assert any("could not be told" in note for note in ledger.notes)
    # In a comma file the same text is 1.234 ...
    tx, _ = read_transactions(write_file("b.csv", "customer_id,date,amount\n1,2024-01-05,1.234\n"))
    assert tx["amount"].tolist() == [1.234]
    # ... unless another value of the column shows a decimal comma ("7,5").
    path = write_file("c.csv", 'customer_id,date,amount\n1,2024-01-05,1.234\n2,2024-01-05,"7,5"\n')
    tx, _ = read_transactions(path)
    assert tx["amount"].tolist() == [1234.0, 7.5]


def test_conflicting_decimal_marks_follow_the_majority_with_a_note():
    tx, ledger = read_transactions(lines(["1.234,5", "2,5", "3.25"]))
    assert tx["amount"].tolist()[:2] == [1234.5, 2.5]
    note = next(n for n in ledger.notes if "other convention" in n)
    assert "1 values" in note and "'3.25'" in note


def test_repeated_separators_are_thousands_separators():
    tx, _ = read_transactions(lines(["1.234.567", "7,5"]))
    assert tx["amount"].tolist() == [1234567.0, 7.5]
    tx, _ = read_transactions(lines(["2,000,000", "7.5"]))
    assert tx["amount"].tolist() == [2000000.0, 7.5]


def test_explicit_decimal_overrides_inference():
    tx, _ = read_transactions(lines(["1.234"]), decimal=",")
    assert tx["amount"].tolist() == [1234.0]


def test_returns_in_every_notation_are_kept():
    tx, ledger = read_transactions(
        lines(["-12.50", "(12.50)", "12.50-", "-$12.50", "USD -12.50", "\u221212.50"])
    )
    assert tx["amount"].tolist() == [-12.5] * 6
    assert ledger.rows_kept == 6


def test_non_breaking_spaces_and_currency_codes():
    tx, _ = read_transactions(lines(["\u00a01\u00a0234,50\u00a0€", "EUR 2,5", "1 000,00 MXN"]))
    assert tx["amount"].tolist() == [1234.5, 2.5, 1000.0]


def test_numeric_sources_nan_and_inf_are_non_finite():
    raw = pd.DataFrame({
        "customer_id": ["a", "b", "c", "d"],
        "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]),
        "amount": [1.5, np.nan, np.inf, -np.inf],
    })
    tx, ledger = read_transactions(raw)
    assert ledger.dropped == {"non-finite amount": 3}
    assert tx["amount"].tolist() == [1.5]


def test_nullable_numeric_missing_is_missing_amount():
    raw = pd.DataFrame({"customer_id": ["a", "b"], "date": ["2024-01-01", "2024-01-02"],
                        "amount": pd.array([3, None], dtype="Int64")})
    tx, ledger = read_transactions(raw)
    assert ledger.dropped == {"missing amount": 1}
    assert tx["amount"].dtype == np.float64


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


# ---------------------------------------------------------------- errors a user can see


def test_error_every_amount_non_numeric(write_file, read_error):
    path = write_file("t.csv", "Cliente;Fecha;Importe\n1;2024-01-05;gratis\n2;2024-01-05;n/d\n")
    message = read_error("none of the 2 values", path, columns=SPANISH_COLUMNS)
    assert "'Importe'" in message and "'gratis'" in message


def test_error_every_amount_missing(read_error):
    message = read_error("is empty", lines(["NA"]))
    assert "'amount'" in message


def test_error_decimal_argument(read_error):
    read_error(re.escape("decimal must be ',' or '.'"), lines(["1"]), decimal=";")
