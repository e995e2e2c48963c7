"""Real exports' shapes: month-first stamps, quantity × price, postage lines, cancellations."""

from __future__ import annotations

import gzip
import zipfile

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab.data import read_transactions

#: An online retailer's export: invoice, product code, quantity, month-first stamp, price.
RETAIL = pd.DataFrame({
    "InvoiceNo": ["536365", "536365", "536366", "C536367", "536368", "C536365", "536369"],
    "StockCode": ["85123A", "POST", "22633", "22633", "M", "85123A", "21730"],
    "Quantity": ["6", "1", "6", "-2", "1", "-1", "0"],
    "InvoiceDate": ["12/1/2010 8:26", "12/1/2010 8:26", "12/1/2010 8:28", "12/13/2010 9:15",
                    "12/14/2010 10:00", "12/14/2010 11:02", "12/15/2010 12:00"],
    "UnitPrice": ["2.55", "18.00", "1.85", "1.85", "0.50", "2.55", "3.00"],
    "CustomerID": ["17850.0", "17850.0", "13047.0", "13047.0", "12583.0", "17850.0", "12583.0"],
})
COLUMNS = {"order_id": "InvoiceNo", "date": "InvoiceDate", "customer_id": "CustomerID",
           "quantity": "Quantity", "unit_price": "UnitPrice"}


def test_amount_is_quantity_times_unit_price_and_the_note_says_so():
    tx, ledger = read_transactions(RETAIL, COLUMNS)
    assert tx["amount"].tolist() == pytest.approx([15.3, 18.0, 11.1, -3.7, 0.5, -2.55, 0.0])
    assert tx["unit_price"].dtype == "float64" and tx["quantity"].dtype == "int64"
    assert ("No amount column: amount = 'Quantity' × 'UnitPrice' (quantity × unit_price) on "
            "every line.") in ledger.notes
    assert tx["customer_id"].tolist()[:2] == ["17850", "17850"]


def test_month_first_stamps_with_times_read_alike_with_and_without_a_format():
    guessed, notes = read_transactions(RETAIL, COLUMNS)
    given, _ = read_transactions(RETAIL, COLUMNS, date_format="%m/%d/%Y %H:%M")
    assert guessed["date"].equals(given["date"])
    assert str(given["date"].iloc[3]) == "2010-12-13 09:15:00"
    assert any("month/day" in note and "'12/13/2010 9:15'" in note for note in notes.notes)


def test_a_format_that_does_not_fit_drops_those_dates_or_says_it_fits_none():
    mixed = RETAIL.assign(InvoiceDate=["2010-12-01 08:26", *RETAIL["InvoiceDate"][1:]])
    tx, ledger = read_transactions(mixed, COLUMNS, date_format="%m/%d/%Y %H:%M")
    assert ledger.dropped == {"unparseable date": 1} and len(tx) == 6
    with pytest.raises(rl.DataError, match=r"Column 'InvoiceDate': none of the 7 dates could "
                                           r"be read \(e\.g\. '12/1/2010 8:26'\) with "
                                           r"date_format '%d\.%m\.%Y'"):
        read_transactions(RETAIL, COLUMNS, date_format="%d.%m.%Y")
    with pytest.raises(rl.DataError, match="date_format must be a strftime format"):
        read_transactions(RETAIL, COLUMNS, date_format="MM/DD/YYYY")


def test_non_product_lines_are_dropped_by_codes_or_pattern_and_counted():
    by_codes = read_transactions(RETAIL, COLUMNS, non_product={"StockCode": ["POST", "M"]})
    by_pattern = read_transactions(RETAIL, COLUMNS, non_product={"StockCode": "^(POST|M)$"})
    for tx, ledger in (by_codes, by_pattern):
        assert ledger.dropped == {"non-product line": 2}
        assert "POST" not in set(tx["StockCode"])
        assert set(ledger.rejected["StockCode"]) == {"POST", "M"}
    with pytest.raises(rl.DataError, match="non_product names the column 'Code'"):
        read_transactions(RETAIL, COLUMNS, non_product={"Code": ["POST"]})
    with pytest.raises(rl.DataError, match=r"non_product\['StockCode'\] = '\(POST' is not a "
                                           "valid regular expression"):
        read_transactions(RETAIL, COLUMNS, non_product={"StockCode": "(POST"})


def test_cancellations_by_prefix_are_negative_matched_where_possible_and_counted():
    tx, ledger = read_transactions(RETAIL, COLUMNS, cancellation_prefix="C")
    cancelled = tx[tx["cancellation"]]
    assert cancelled["amount"].lt(0).all() and len(cancelled) == 2
    # C536365 names 17850's invoice 536365: it takes that id and nets against it
    assert cancelled["order_id"].tolist() == ["C536367", "536365"]
    note = next(n for n in ledger.notes if n.startswith("2 cancellation line(s)"))
    assert "1 matched to the order they cancel" in note and "1 without a matching order" in note
    with pytest.raises(rl.DataError, match="the source has no order_id column"):
        read_transactions(RETAIL.drop(columns="InvoiceNo"),
                          {k: v for k, v in COLUMNS.items() if k != "order_id"},
                          cancellation_prefix="C")


def test_a_cancellation_flag_makes_positive_lines_negative():
    flagged = RETAIL.assign(Quantity=RETAIL["Quantity"].str.lstrip("-"),
                            Cancelled=["", "", "", "Y", "", "yes", ""])
    tx, ledger = read_transactions(flagged, COLUMNS, cancellation_flag="Cancelled")
    assert tx.loc[tx["cancellation"], "amount"].tolist() == pytest.approx([-3.7, -2.55])
    assert any("2 had a positive amount and were made negative" in n for n in ledger.notes)


def test_zero_price_visits_and_identical_lines_are_kept_and_counted():
    doubled = pd.concat([RETAIL, RETAIL.iloc[[2]]], ignore_index=True)
    tx, ledger = read_transactions(doubled, COLUMNS)
    assert len(tx) == 8 and (tx["amount"] == 0).sum() == 1
    assert any(n.startswith("1 line(s) are identical to an earlier line") for n in ledger.notes)
    assert any(n.startswith("1 line(s) have an amount of 0 and were kept") for n in ledger.notes)


def test_the_currency_is_a_label_the_outputs_carry():
    tx, ledger = read_transactions(RETAIL, COLUMNS, currency="GBP")
    assert tx.attrs["currency"] == "GBP" and ledger.currency == "GBP"
    assert str(ledger).splitlines()[0] == "Ledger for pandas DataFrame (amounts in GBP)"
    with pytest.raises(rl.DataError, match="currency must be a label such as 'MXN'"):
        read_transactions(RETAIL, COLUMNS, currency=5)


def test_without_amount_or_both_factors_the_message_names_the_way_out():
    with pytest.raises(rl.DataError, match=r"Required column\(s\) 'amount' not found.*map "
                                           r"\"quantity\" and \"unit_price\""):
        read_transactions(RETAIL, {k: v for k, v in COLUMNS.items() if k != "unit_price"})


@pytest.mark.parametrize("suffix", [".csv.gz", ".zip", ".xlsx"])
def test_compressed_and_excel_files_are_sources_like_any_other(tmp_path, suffix):
    path = tmp_path / f"retail{suffix}"
    if suffix == ".csv.gz":
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            RETAIL.to_csv(handle, index=False)
    elif suffix == ".zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("retail.csv", RETAIL.to_csv(index=False))
    else:
        typed = RETAIL.assign(InvoiceDate=pd.to_datetime(RETAIL["InvoiceDate"],
                                                         format="%m/%d/%Y %H:%M"),
                              UnitPrice=RETAIL["UnitPrice"].astype(float),
                              CustomerID=RETAIL["CustomerID"].astype(float))
        typed.to_excel(path, index=False)
    tx, ledger = read_transactions(path, COLUMNS)
    reference, _ = read_transactions(RETAIL, COLUMNS)
    assert ledger.rows_in == 7 and len(tx) == 7
    assert tx["amount"].to_numpy() == pytest.approx(reference["amount"].to_numpy())
    assert tx["date"].equals(reference["date"])
    assert tx["customer_id"].tolist() == reference["customer_id"].tolist()


def test_a_parquet_folder_with_hive_partitions_is_one_table(tmp_path):
    table = RETAIL.assign(country=["UK", "UK", "FR", "FR", "UK", "UK", "FR"])
    table.to_parquet(tmp_path / "lines", partition_cols=["country"])
    tx, ledger = read_transactions(tmp_path / "lines", COLUMNS)
    assert ledger.rows_in == 7 and sorted(tx["country"].astype(str).unique()) == ["FR", "UK"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(rl.DataError, match="is a folder without Parquet files"):
        read_transactions(tmp_path / "empty", COLUMNS)


def test_damaged_compressed_files_and_old_excel_get_a_sentence(tmp_path):
    (tmp_path / "bad.csv.gz").write_bytes(b"not gzip at all")
    with pytest.raises(rl.DataError, match="'bad.csv.gz' could not be decompressed"):
        read_transactions(tmp_path / "bad.csv.gz", COLUMNS)
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(rl.DataError, match="Excel's old format: save it as .xlsx or CSV"):
        read_transactions(tmp_path / "old.xls", COLUMNS)
    with zipfile.ZipFile(tmp_path / "two.zip", "w") as archive:
        archive.writestr("a.csv", "x")
        archive.writestr("b.csv", "y")
    with pytest.raises(rl.DataError, match="holds 2 files; a zip source must hold exactly one"):
        read_transactions(tmp_path / "two.zip", COLUMNS)
    assert np.isfinite(read_transactions(RETAIL, COLUMNS)[0]["amount"]).all()


def test_a_format_that_fits_only_some_dates_and_a_price_read_as_amount_leave_notes():
    _, ledger = read_transactions(RETAIL, COLUMNS, date_format="%d/%m/%Y %H:%M")
    note = next(n for n in ledger.notes if "do not fit date_format" in n)
    assert note.startswith("Column 'InvoiceDate': 4 of 7 dates (57.1%) do not fit date_format "
                           "'%d/%m/%Y %H:%M'")
    priced = {**COLUMNS, "amount": "UnitPrice"}
    del priced["unit_price"]
    _, ledger = read_transactions(RETAIL, priced)
    assert any(n.startswith("amount is read from 'UnitPrice' as it is; if that is a price per "
                            "unit, map it as unit_price") for n in ledger.notes)
