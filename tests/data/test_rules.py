"""The row rules: duplicates, test customers, the observation end (relmark_lab.data.rules)."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab.data import read_transactions

# ---------------------------------------------------------------- duplicates


def test_duplicates_and_zero_amounts_are_kept_by_default_and_counted_in_notes():
    raw = pd.DataFrame(
        {"customer_id": ["a", "a", "b"], "date": ["2024-01-01"] * 3, "amount": ["0", "0", "2"]}
    )
    tx, ledger = read_transactions(raw)
    assert ledger.rows_kept == 3
    assert ledger.dropped == {}
    assert tx["amount"].tolist() == [0.0, 0.0, 2.0]
    assert ("1 line(s) are identical to an earlier line in every column and were kept: "
            "without a line id they can be real items bought twice. Pass "
            "drop_duplicates=True if the export repeats rows.") in ledger.notes
    assert any(note.startswith("2 line(s) have an amount of 0 and were kept: a free order is "
                               "a visit") for note in ledger.notes)
    dropped = read_transactions(raw, drop_duplicates=True, drop_zero_amounts=True)[1]
    assert dropped.dropped == {"exact duplicate": 1, "zero amount": 1}
    with pytest.raises(rl.DataError, match="drop_duplicates must be True or False, not 'yes'"):
        read_transactions(raw, drop_duplicates="yes")


def test_duplicates_need_every_column_equal():
    raw = pd.DataFrame({
        "customer_id": ["a", "a", "a", "a"],
        "date": ["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01"],
        "amount": ["5", "5", "5.0", "5"],
        "order_id": ["1", "2", "3", "1"],
    })
    _, ledger = read_transactions(raw, drop_duplicates=True)
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
    _, ledger = read_transactions(raw, drop_duplicates=True)
    expected = np.flatnonzero(raw.duplicated().to_numpy()) + 1
    got = ledger.rejected.loc[ledger.rejected["reason"] == "exact duplicate", "source_row"]
    assert got.tolist() == expected.tolist()
    assert ledger.dropped["exact duplicate"] == n - len(raw.drop_duplicates())


def test_duplicates_with_unhashable_cells():
    raw = pd.DataFrame({"customer_id": ["a", "a"], "date": ["2024-01-01"] * 2,
                        "amount": [1.0, 1.0], "tags": [["x"], ["x"]]})
    _, ledger = read_transactions(raw, drop_duplicates=True)
    assert ledger.dropped == {"exact duplicate": 1}


# ---------------------------------------------------------------- test customers


def test_test_customer_pattern_is_a_regex_search():
    raw = pd.DataFrame({
        "customer_id": ["test_1", "QA-7", "real", "contest"],
        "date": ["2024-01-01"] * 4,
        "amount": ["1", "2", "3", "4"],
    })
    tx, ledger = read_transactions(raw, test_customer_pattern=r"^(test|QA)")
    assert ledger.dropped == {"test customer": 2}
    assert tx["customer_id"].tolist() == ["real", "contest"]


def test_error_invalid_test_customer_pattern(read_error):
    raw = pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-05"], "amount": ["1"]})
    message = read_error(re.escape("not a valid regular expression"), raw,
                         test_customer_pattern="(unclosed")
    assert "'(unclosed'" in message and "test_customer_pattern='^(TEST|DEMO)'" in message


# ---------------------------------------------------------------- observation end


def test_an_end_with_a_time_of_day_keeps_the_whole_day():
    raw = pd.DataFrame({
        "customer_id": ["a", "b", "c", "d"],
        "date": ["2024-12-31 11:00", "2024-12-31 12:00:01", "2024-12-31 23:59:59",
                 "2025-01-01 00:00"],
        "amount": ["1", "2", "3", "4"],
    })
    for end in ("2024-12-31 12:00", "2024-12-31", pd.Timestamp("2024-12-31 08:00"),
                dt.datetime(2024, 12, 31, 0, 0, 1), np.datetime64("2024-12-31T06:00")):
        tx, ledger = read_transactions(raw, observation_end=end)
        assert ledger.dropped == {"after observation end": 1}, end
        assert tx["customer_id"].tolist() == ["a", "b", "c"]
    with pytest.raises(rl.DataError, match=r"none of its 4 rows could be kept \(4 after "
                       r"observation end\)") as error:
        read_transactions(raw, observation_end=dt.date(2024, 12, 30))
    assert error.value.ledger.dropped == {"after observation end": 4}


def test_an_aware_end_follows_the_time_zone_rule():
    raw = pd.DataFrame({
        "customer_id": ["a", "b"],
        "date": ["2025-12-31 22:00", "2026-01-01 03:00"],
        "amount": ["1", "2"],
    })
    end = pd.Timestamp("2025-12-31 20:00", tz="America/Mexico_City")
    # None keeps the end's own clock: 31 December, so the 1 January line is after it.
    tx, ledger = read_transactions(raw, observation_end=end)
    assert ledger.dropped == {"after observation end": 1}
    assert tx["customer_id"].tolist() == ["a"]
    # In UTC the same instant is 02:00 on 1 January: that whole day counts.
    _, ledger = read_transactions(raw, observation_end=end, timezone="UTC")
    assert ledger.dropped == {}
    # Text with an offset is read the same way.
    _, ledger = read_transactions(raw, observation_end="2025-12-31 20:00-06:00")
    assert ledger.dropped == {"after observation end": 1}


def test_no_end_drops_no_row_for_its_date():
    raw = pd.DataFrame({"customer_id": ["a"], "date": ["2999-01-01"], "amount": ["1"]})
    _, ledger = read_transactions(raw)
    assert ledger.rows_kept == 1


@pytest.mark.parametrize("bad", ["someday", pd.NaT, 20251231, ["2025-12-31"]])
def test_error_end_that_is_not_a_date(read_error, bad):
    raw = pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-05"], "amount": ["1"]})
    message = read_error(r"^observation_end must be one date written year first, "
                         r"e\.g\. '2025-12-31', got ", raw,
                         observation_end=bad)
    if isinstance(bad, str):
        assert message.endswith("got 'someday'.")
