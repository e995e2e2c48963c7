"""VIP components, score, tiers and the overlap of two weightings."""

import pandas as pd
import pytest

from relmark_lab import DataError
from relmark_lab import differentiate as dif


def test_vip_components_raw_values_and_payment_sign(small):
    components = dif.vip_components(small, "2024-07-01", method="zscore").set_index(
        "customer_id")
    assert components.loc["a", "orders"] == 2 and components.loc["a", "units"] == 6
    assert components.loc["a", "mean_days_late"] == 5.0  # orders 0 and 10 days late
    assert components.loc["b", "tenure_days"] == (pd.Timestamp("2024-07-01")
                                                  - pd.Timestamp("2024-02-01")).days
    # the only late payer has the lowest payment score
    assert components["z_payment"].idxmin() == "a"
    assert components["z_volume"].mean() == pytest.approx(0.0)
    assert components["z_volume"].std(ddof=0) == pytest.approx(1.0)


def test_percentile_ranks_share_ties_and_are_centred(small):
    components = dif.vip_components(small, "2024-12-31", method="percentile").set_index(
        "customer_id")
    # b and c both pay on time: tied, so equal payment scores
    assert components.loc["b", "pct_payment"] == components.loc["c", "pct_payment"]
    assert components["pct_frequency"].mean() == pytest.approx(0.0)


def test_vip_components_need_quantity_and_days_late(small):
    with pytest.raises(DataError, match="Column 'days_late' is missing from the transactions"):
        dif.vip_components(small.drop(columns="days_late"), "2024-12-31")
    with pytest.raises(DataError, match=r"^transactions: column 'days_late' is below 0 in 1 "
                       r"row, e\.g\. -2\.$"):
        dif.vip_components(small.assign(days_late=[0, 0, -2, 0, 0, 0, 0]), "2024-12-31")
    with pytest.raises(DataError, match=r"method must be 'percentile' or 'zscore', got 'rank'"):
        dif.vip_components(small, "2024-12-31", method="rank")


def test_constant_component_scores_zero(make_lines):
    one_order_each = make_lines([("a", "1", "2024-01-01", 10.0, 1.0, 1, 0),
                                 ("b", "2", "2024-01-01", 20.0, 2.0, 1, 0)])
    components = dif.vip_components(one_order_each, "2024-12-31", method="zscore")
    assert components["z_frequency"].tolist() == [0.0, 0.0]


def test_vip_score_weights_are_normalised_and_validated():
    c = pd.DataFrame({"customer_id": ["a", "b"], "pct_volume": [0.25, -0.25],
                      "pct_tenure": [-0.25, 0.25]})
    scored = dif.vip_score(c, {"volume": 3, "tenure": 1})
    assert scored["vip_score"].tolist() == pytest.approx([0.125, -0.125])
    with pytest.raises(DataError, match="unknown component.*'loyalty'"):
        dif.vip_score(c, {"loyalty": 1})
    with pytest.raises(DataError, match=r"weights\['volume'\] must be a finite number at "
                                        r"least 0, got -1\."):
        dif.vip_score(c, {"volume": -1, "tenure": 2})
    with pytest.raises(DataError, match=r"weights\['volume'\] must be a finite number at "
                                        r"least 0, got '1'\."):
        dif.vip_score(c, {"volume": "1"})
    with pytest.raises(DataError, match=r"weights must have a positive sum .* got "
                                        r"\{'volume': 0\.0\}\."):
        dif.vip_score(c, {"volume": 0})
    with pytest.raises(DataError, match=r"weights must be a dict, .* got \[1\]\."):
        dif.vip_score(c, [1])
    with pytest.raises(DataError, match="Column 'pct_monetary' is missing"):
        dif.vip_score(c, {"monetary": 1})


def test_assign_tiers_shares_ties_and_below_threshold():
    frame = pd.DataFrame({"customer_id": list("abcdefghij"),
                          "s": [10.0, 9, 9, 7, 6, 5, 4, 3, -1, -2]})
    tiers = dif.assign_tiers(frame, "s", {"top": 0.1, "mid": 0.4, "low": 0.5}, below=0)
    assert tiers["tier"].tolist() == ["top", "mid", "mid", "mid", "mid", "low", "low", "low",
                                      "Below threshold", "Below threshold"]
    # tied customers share the better tier even if the tier overflows
    tied = dif.assign_tiers(frame, "s", {"top": 0.2, "rest": 0.8})
    assert tied["tier"].tolist()[:3] == ["top", "top", "top"]


def test_assign_tiers_all_tied_and_one_customer():
    frame = pd.DataFrame({"customer_id": list("abcd"), "s": [1.0] * 4})
    assert set(dif.assign_tiers(frame, "s")["tier"]) == {"VIP"}
    one = dif.assign_tiers(pd.DataFrame({"customer_id": ["a"], "s": [3.0]}), "s")
    assert one["tier"].tolist() == ["VIP"]


def test_assign_tiers_refuses_shares_not_summing_to_one_and_missing_scores():
    frame = pd.DataFrame({"customer_id": ["a"], "s": [1.0]})
    with pytest.raises(DataError, match="sum to 0.9"):
        dif.assign_tiers(frame, "s", {"x": 0.5, "y": 0.4})
    with pytest.raises(DataError, match=r"^tiers must name at least one tier .* got \{\}\.$"):
        dif.assign_tiers(frame, "s", {})
    with pytest.raises(DataError, match=r"^tiers\['x'\] must be a finite number above 0 and "
                                        r"at most 1, got '0\.5'\.$"):
        dif.assign_tiers(frame, "s", {"x": "0.5", "y": 0.5})
    with pytest.raises(DataError, match=r"^tiers\['x'\] must be a finite number above 0"):
        dif.assign_tiers(frame, "s", {"x": 0, "y": 1})
    with pytest.raises(DataError, match=r"^tiers must be a dict, .* got \[0\.5, 0\.5\]\.$"):
        dif.assign_tiers(frame, "s", [0.5, 0.5])
    with pytest.raises(DataError, match=r"^customer table: column 's' is missing in 1 row, "
                       r"e\.g\. row 0\."):
        dif.assign_tiers(frame.assign(s=[None]), "s")


def test_tier_overlap_counts_and_jaccard():
    a = pd.DataFrame({"customer_id": list("abcd"), "tier": ["VIP", "VIP", "VIP", "Gold"]})
    b = pd.DataFrame({"customer_id": list("abcd"), "tier": ["VIP", "Gold", "Gold", "VIP"]})
    overlap = dif.tier_overlap(a, b)
    assert overlap[["in_first", "in_second", "in_both"]].tolist() == [3, 2, 1]
    assert overlap["jaccard"] == pytest.approx(0.25)
    assert overlap["kept_share"] == pytest.approx(1 / 3)
    assert dif.tier_overlap(a, b, "Platinum")["jaccard"] == 1.0  # both empty


def test_tier_overlap_matches_ids_written_differently():
    a = pd.DataFrame({"customer_id": [7, 8], "tier": ["VIP", "VIP"]})
    b = pd.DataFrame({"customer_id": ["7", "9"], "tier": ["VIP", "VIP"]})
    assert dif.tier_overlap(a, b)["in_both"] == 1


def test_kit_vip_tiers_and_weightings(kit):
    transactions, _, _, end = kit
    components = dif.vip_components(transactions, end)
    equal = dif.assign_tiers(dif.vip_score(components), "vip_score")
    assert equal["tier"].value_counts()["VIP"] == 250
    money = dif.assign_tiers(dif.vip_score(components, {"volume": 0.1, "frequency": 0.1,
                             "monetary": 0.6, "payment": 0.1, "tenure": 0.1}), "vip_score")
    overlap = dif.tier_overlap(equal, money)
    assert overlap["in_both"] == 190
