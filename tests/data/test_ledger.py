"""The ledger: every row kept or dropped for one reason (relmark_lab.data.ledger)."""

from __future__ import annotations

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab.data import DROP_REASONS, Ledger, read_transactions


def test_one_row_of_each_defect_counts_and_identity(one_of_each):
    tx, ledger = read_transactions(
        one_of_each, observation_end="2025-01-31", test_customer_pattern=r"^TEST",
        non_product={"note": ["POST"]}, drop_duplicates=True, drop_zero_amounts=True,
    )
    assert ledger.dropped == dict.fromkeys(DROP_REASONS, 1)
    # The dict keeps the rule order.
    assert list(ledger.dropped) == list(DROP_REASONS)
    assert ledger.rows_in == 14
    assert ledger.rows_kept == 3
    assert ledger.rows_in == ledger.rows_kept + sum(ledger.dropped.values())
    ledger.check()
    assert tx["customer_id"].tolist() == ["C1", "C9", "C10"]
    assert tx["amount"].tolist() == [10.0, -5.5, 1.0]
    assert tx["note"].tolist() == ["good", "return", "last"]
    assert list(tx.index) == [0, 1, 2]
    assert ledger.rejected["source_row"].tolist() == list(range(2, 13))
    assert ledger.rejected["reason"].tolist() == list(DROP_REASONS)
    # Raw values are kept as they were, for the analyst to inspect.
    assert ledger.rejected.loc[
        ledger.rejected["reason"] == "non-numeric amount", "amount"
    ].item() == ("abc")


def test_row_with_two_defects_counts_once_under_first_reason():
    raw = pd.DataFrame({
        "customer_id": ["", "TEST1", "A", "A", "B"],
        "date": ["garbage", "2024-01-01", "2024-01-02", "2024-01-02", "2024-01-03"],
        "amount": ["1", "0", "", "", "abc"],
    })
    with pytest.raises(rl.DataError, match=r"^pandas DataFrame: none of its 5 rows could be "
                       r"kept \(1 exact duplicate, 1 missing customer_id, 1 test customer, "
                       r"1 missing amount, 1 non-numeric amount\)\. The ledger") as error:
        read_transactions(raw, test_customer_pattern="TEST", drop_duplicates=True)
    ledger = error.value.ledger
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


def test_ledger_check_raises_when_counts_do_not_add_up():
    ledger = Ledger("x.csv", rows_in=10, rows_kept=7, dropped={"zero amount": 2})
    with pytest.raises(AssertionError, match="10 rows read"):
        ledger.check()


def test_ledger_to_frame_str_and_html(one_of_each):
    _, ledger = read_transactions(one_of_each, observation_end="2025-01-31",
                                  drop_zero_amounts=True)
    table = ledger.to_frame()
    assert list(table.columns) == ["reason", "rows", "share"]
    assert table["reason"].iloc[0] == "kept"
    assert table["reason"].iloc[-1] == "total"
    assert table["rows"].iloc[-1] == 14
    # kept without their options: the copy, TEST-9 and the postage line
    assert table["rows"].iloc[0] == 6
    assert table["share"].iloc[-1] == pytest.approx(1.0)
    assert table["share"].iloc[0] == pytest.approx(6 / 14)
    text = str(ledger)
    assert "rows read" in text and "14" in text
    assert ("Rules, in the order they apply (a row counts under the first it breaks): "
            "1. exact duplicate (off), 2. missing customer_id, 3. test customer (off), "
            "4. non-product line (off), 5. missing date") in text
    assert "dropped: zero amount" in text
    html = ledger._repr_html_()
    assert "<table" in html and "zero amount" in html
    assert "rows_in=14" in repr(ledger)


def test_ledger_notes_are_listed_and_escaped_in_html():
    ledger = Ledger("a<b>.csv", 1, 1, notes=["Delimiter: ';' & <more>"])
    assert "Notes:" in str(ledger) and "- Delimiter" in str(ledger)
    html = ledger._repr_html_()
    assert "a&lt;b&gt;.csv" in html and "&amp; &lt;more&gt;" in html


def test_empty_ledger_shares_are_nan():
    table = Ledger("x", 0, 0).to_frame()
    assert table["rows"].tolist() == [0, 0]
    assert table["share"].isna().all()
