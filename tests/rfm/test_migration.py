"""Migration matrices: customers matched by customer_id across two periods."""

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import rfm


def test_migration_counts_new_and_gone_customers():
    before = pd.Series({"a": "Top", "b": "Low", "c": "Low"})
    after = pd.Series({"a": "Low", "c": "Low", "d": "Top"})
    counts = rfm.migration_matrix(before, after)
    assert counts.loc["Top", "Low"] == 1 and counts.loc["Low", "(gone)"] == 1
    assert counts.loc["(new)", "Top"] == 1
    assert counts.to_numpy().sum() == 4  # a, b, c, d once each
    shares = rfm.migration_matrix(before, after, shares=True)
    assert shares.loc["Low"].tolist() == [0.5, 0.0, 0.5]


def test_tables_are_matched_by_customer_id_not_by_row():
    # Both tables have a RangeIndex; row 0 is a different customer in each.
    before = pd.DataFrame({"customer_id": ["a", "b"], "segment": ["Top", "Low"]})
    after = pd.DataFrame({"customer_id": ["b", "c"], "segment": ["Top", "Low"]})
    counts = rfm.migration_matrix(before, after)
    assert counts.loc["Low", "Top"] == 1  # b moved up
    assert counts.loc["Top", "(gone)"] == 1  # a left
    assert counts.loc["(new)", "Low"] == 1  # c arrived
    assert counts.to_numpy().sum() == 3


def test_numeric_ids_match_text_ids():
    before = pd.Series({7: "Top", 42: "Low"})
    after = pd.DataFrame({"customer_id": ["7", "42"], "segment": ["Top", "Low"]})
    counts = rfm.migration_matrix(before, after)
    assert counts.loc["Top", "Top"] == 1 and counts.loc["Low", "Low"] == 1
    assert "(new)" not in counts.index and "(gone)" not in counts.columns


def test_migration_on_the_kit(kit, kit_transactions):
    before = rfm.assign_segments(rfm.rfm_table(kit_transactions, "2024-12-31"))
    after = rfm.assign_segments(kit)
    counts = rfm.migration_matrix(before, after)
    assert "(gone)" not in counts.columns and "Others" not in counts.index
    assert counts.to_numpy().sum() == 5000
    assert counts.loc["(new)"].sum() == 5000 - len(before)
    assert counts.loc["Champions", "Champions"] == 450


def test_migration_refuses_missing_segments_instead_of_calling_them_new():
    before = pd.Series({"a": "Top", "b": None})
    after = pd.Series({"a": "Top", "b": "Low"})
    with pytest.raises(rl.DataError,
                       match=r"'before' table: column 'segment' is missing in 1 row, "
                       r"e\.g\. row 'b'\."):
        rfm.migration_matrix(before, after)
    with pytest.raises(rl.DataError,
                       match=r"'after' table: column 'segment' is missing in 1 row, "
                       r"e\.g\. row 'b'\."):
        rfm.migration_matrix(after, before)
    table = pd.DataFrame({"customer_id": ["x", "y"], "segment": ["A", None]})
    with pytest.raises(rl.DataError, match=r"'after' table: column 'segment'.*e\.g\. row 1\."):
        rfm.migration_matrix(table.dropna(), table)


def test_migration_refuses_duplicated_customers():
    with pytest.raises(rl.DataError,
                       match="'before' table: column 'customer_id' is repeated in 1 row, "
                       "e.g. 'a'"):
        rfm.migration_matrix(pd.Series(["x", "y"], index=["a", "a"]), pd.Series({"a": "x"}))
    with pytest.raises(rl.DataError, match="Column 'segment' is missing from the 'after' table"):
        rfm.migration_matrix(pd.Series({"a": "x"}), pd.DataFrame({"customer_id": ["a"]}))
