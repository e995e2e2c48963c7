"""Named segments from a rule table, and the summary of each segment."""

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import rfm


def scores(r, f, m):
    return pd.DataFrame({"customer_id": [f"c{i}" for i in range(len(r))],
                         "r_score": r, "f_score": f, "m_score": m})


def test_default_rules_cover_the_whole_grid():
    r, fm = np.meshgrid(np.arange(1, 6), np.arange(1, 6))
    grid = scores(np.repeat(r.ravel(), 5), np.repeat(fm.ravel(), 5), np.tile(np.arange(1, 6), 25))
    segmented = rfm.assign_segments(grid)
    assert (segmented["segment"] != rfm.OTHERS).all()
    names = segmented.set_index(["r_score", "f_score", "m_score"])["segment"]
    assert names[(5, 5, 5)] == "Champions"
    assert names[(1, 5, 5)] == "Can't Lose Them"
    assert names[(5, 1, 1)] == "New Customers"
    assert names[(1, 1, 1)] == "Lost"
    assert names[(2, 1, 2)] == "Hibernating"
    assert names[(3, 3, 3)] == "Loyal Customers"
    assert names[(3, 2, 2)] == "Need Attention"


def test_custom_rules_first_match_wins_and_others_are_kept():
    rules = pd.DataFrame({
        "segment": ["Best", "Frequent", "Recent"],
        "r_min": [4, None, 4], "f_min": [4, 4, None], "m_min": [4, None, None],
    })
    table = scores([5, 2, 5, 1], [5, 5, 1, 1], [5, 1, 1, 1])
    segmented = rfm.assign_segments(table, rules)
    assert segmented["segment"].tolist() == ["Best", "Frequent", "Recent", "Others"]
    assert list(segmented["segment"].cat.categories) == ["Best", "Frequent", "Recent", "Others"]
    assert segmented["customer_id"].tolist() == table["customer_id"].tolist()
    # reversed order: the broad rule takes the customer first
    flipped = rfm.assign_segments(table, rules.iloc[::-1])
    assert flipped["segment"].tolist() == ["Recent", "Frequent", "Recent", "Others"]


def test_a_rule_named_others_absorbs_the_unmatched():
    rules = pd.DataFrame({"segment": ["Top", "Others"], "r_min": [5, 9]})
    segmented = rfm.assign_segments(scores([5, 1], [1, 1], [1, 1]), rules)
    assert segmented["segment"].tolist() == ["Top", "Others"]
    assert list(segmented["segment"].cat.categories) == ["Top", "Others"]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (pd.DataFrame({"name": ["A"], "r_min": [1]}), "Column 'segment' is missing"),
        (pd.DataFrame({"segment": ["A", "A"], "r_min": [1, 2]}),
         r"rule table: column 'segment' is repeated in 1 row, e.g. 'A'"),
        (pd.DataFrame({"segment": ["A"], "lo": [1]}), "no bound column"),
        (pd.DataFrame({"segment": ["A"], "r_min": ["high"]}),
         r"rule table: column 'r_min' is not a number in 1 row, e.g. 'high'"),
        (pd.DataFrame({"segment": ["A"], "f_min": [4], "f_max": [2]}),
         r"rule table: column 'f_min' is above f_max in 1 row, e.g. 4.*[Ss]egment 'A'"),
    ],
)
def test_bad_rule_tables_are_explained(rules, message):
    with pytest.raises(rl.DataError, match=message):
        rfm.assign_segments(scores([1], [1], [1]), rules)


def test_rules_need_the_scores_they_use():
    with pytest.raises(rl.DataError, match="Column 'm_score' is missing from the RFM table"):
        rfm.assign_segments(pd.DataFrame({"r_score": [1], "f_score": [1]}))
    with pytest.raises(rl.DataError, match="RFM table: column 'r_score' is missing in 1 row"):
        rfm.assign_segments(scores([1, None], [1, 1], [1, 1]))


def test_segment_summary_on_the_kit(kit):
    summary = rfm.segment_summary(rfm.assign_segments(kit))
    assert summary["customers"].sum() == 5000
    assert summary.loc[rfm.OTHERS, "customers"] == 0
    assert summary.loc["Champions", "customers"] == 1120
    assert summary.loc["Champions", "revenue_share"] == pytest.approx(0.556, abs=5e-4)
    assert summary["revenue_share"].sum() == pytest.approx(1.0)
    champions = summary.loc["Champions"]
    assert champions["average_order_value"] == pytest.approx(
        champions["revenue"] / champions["orders"]
    )


def test_segment_summary_counts_customers_with_a_missing_label():
    table = pd.DataFrame({
        "customer_id": ["a", "b", "c"],
        "cluster": [1, 1, np.nan], "frequency": [1, 3, 2], "revenue": [10.0, 30.0, 60.0],
        "recency_days": [5, 1, 9], "monetary": [10.0, 30.0, 60.0],
    })
    summary = rfm.segment_summary(table, by="cluster")
    assert summary.index.tolist() == [1.0, "(missing)"]
    assert summary["customers"].tolist() == [2, 1]
    assert summary["customer_share"].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert summary["revenue_share"].tolist() == pytest.approx([0.4, 0.6])
    segments = table.assign(segment=pd.Categorical(["A", None, "A"], categories=["A", "B"]))
    by_segment = rfm.segment_summary(segments)
    assert by_segment.index.tolist() == ["A", "B", "(missing)"]
    assert by_segment["customers"].tolist() == [2, 0, 1]
    assert by_segment["customer_share"].sum() == pytest.approx(1.0)
    complete = rfm.segment_summary(table.assign(cluster=[1, 2, 2]), by="cluster")
    assert complete.index.dtype == "int64" and complete.index.name == "cluster"


def test_segment_summary_names_a_missing_column():
    with pytest.raises(rl.DataError, match="Column 'revenue' is missing from the segment table"):
        rfm.segment_summary(pd.DataFrame({"segment": ["A"], "frequency": [1]}))
