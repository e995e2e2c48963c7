"""Customer differentiation: profitability, whale curve, VIP score, typologies, NPS, wallet."""

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from relmark_lab import DataError, datasets  # noqa: E402
from relmark_lab import differentiate as dif  # noqa: E402
from relmark_lab.checks import differentiate as check  # noqa: E402
from relmark_lab.plots import differentiate as dplot  # noqa: E402


def _lines(rows):
    """Order lines from (customer, order, date, amount, margin, quantity, days_late)."""
    frame = pd.DataFrame(rows, columns=["customer_id", "order_id", "date", "amount", "margin",
                                        "quantity", "days_late"])
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")
    return frame


@pytest.fixture
def small():
    return _lines([
        ("a", "1", "2024-01-01", 100.0, 40.0, 2, 0),
        ("a", "1", "2024-01-01", 50.0, 20.0, 1, 0),   # second line of order 1
        ("a", "2", "2024-03-01", 200.0, 80.0, 4, 10),
        ("a", "3", "2024-03-05", -50.0, -20.0, -1, 0),  # return: own order id
        ("b", "4", "2024-02-01", 30.0, 6.0, 1, 0),
        ("c", "5", "2024-01-15", 300.0, 100.0, 3, 0),
        ("c", "6", "2024-06-30", 300.0, 100.0, 3, 0),
    ])


@pytest.fixture(scope="module")
def kit():
    transactions = datasets.load_transactions()
    profitability = dif.customer_profitability(
        transactions, datasets.load_customers(), datasets.load_voice_of_customer())
    return transactions, profitability, datasets.load_survey()


# --- profitability --------------------------------------------------------


def test_profit_is_margin_minus_every_priced_activity(small):
    contacts = pd.DataFrame({"customer_id": ["a", "a", "b"]})
    cost = dif.CostToServe(per_order=10, per_return=5, per_contact=3, per_late_order=7,
                           late_rate_per_day=0.001)
    table = dif.customer_profitability(small, contacts=contacts, cost=cost).set_index(
        "customer_id")
    a = table.loc["a"]
    assert a["orders"] == 2 and a["return_lines"] == 1 and a["contacts"] == 2
    assert a["late_orders"] == 1 and a["units"] == 6
    # margin 120; orders 20, return 5, contacts 6, late 7 + 200 MXN x 10 days x 0.001 = 9
    assert a["cost_late"] == pytest.approx(9.0)
    assert a["profit"] == pytest.approx(120 - 20 - 5 - 6 - 9)
    assert table.loc["b", "profit"] == pytest.approx(6 - 10 - 3)


def test_customers_without_transactions_are_kept_with_zeros(small):
    master = pd.DataFrame({"customer_id": ["a", "b", "c", "z"],
                           "acquisition_cost": [1.0, 2.0, 3.0, 50.0]})
    cost = dif.CostToServe(per_order=0, per_return=0, per_contact=0, per_late_order=0,
                           late_rate_per_day=0, include_acquisition=True)
    table = dif.customer_profitability(small, master, cost=cost).set_index("customer_id")
    assert len(table) == 4
    assert table.loc["z", "orders"] == 0 and table.loc["z", "profit"] == -50.0
    assert table.loc["c", "profit"] == 200.0 - 3.0


def test_acquisition_cost_needs_the_master_and_every_customer(small):
    with pytest.raises(DataError, match="acquisition_cost"):
        dif.customer_profitability(small, cost=dif.CostToServe(include_acquisition=True))
    master = pd.DataFrame({"customer_id": ["a"], "acquisition_cost": [1.0]})
    with pytest.raises(DataError, match=r"2 customer\(s\).*e\.g\. 'b'"):
        dif.customer_profitability(small, master, cost=dif.CostToServe(include_acquisition=True))


def test_missing_margin_column_is_named(small):
    with pytest.raises(DataError, match="Column 'margin' is missing from the transactions"):
        dif.customer_profitability(small.drop(columns="margin"))


def test_kit_profitability_figures(kit):
    _, profitability, _ = kit
    assert len(profitability) == 5000
    assert profitability["margin"].sum() == pytest.approx(4_061_076, abs=1)
    assert profitability["cost_to_serve"].sum() == pytest.approx(2_323_798, abs=1)
    assert (profitability["profit"] < 0).sum() == 1713



def test_missing_order_id_is_an_order_of_its_own():
    # Regression: nunique ignored NA, so the line without an order_id vanished (1 order).
    lines = _lines([("a", "1", "2024-01-01", 10.0, 4.0, 1, 0),
                    ("a", None, "2024-02-01", 20.0, 8.0, 2, 3)])
    table = dif.customer_profitability(lines, cost=dif.CostToServe(
        per_order=1, per_late_order=0, late_rate_per_day=0)).set_index("customer_id")
    assert table.loc["a", "orders"] == 2 and table.loc["a", "profit"] == pytest.approx(10.0)
    components = dif.vip_components(lines, as_of="2024-03-01").set_index("customer_id")
    assert components.loc["a", "orders"] == 2 and components.loc["a", "mean_days_late"] == 1.5
    loyalty = dif.projected_loyalty(lines, as_of="2024-03-01", time_unit="D")
    assert loyalty["frequency"].tolist() == [1]


def test_profitability_reports_unmatched_contacts_and_duplicate_master(small):
    contacts = pd.DataFrame({"customer_id": ["a", "zz", "zz", "zz"]})
    table = dif.customer_profitability(small, contacts=contacts)
    assert table.set_index("customer_id")["contacts"].to_dict() == {"a": 1, "b": 0, "c": 0}
    assert table.attrs["unmatched_contacts"] == 3
    assert table.attrs["unmatched_contact_example"] == "zz"
    assert dif.customer_profitability(small).attrs["unmatched_contacts"] == 0
    master = pd.DataFrame({"customer_id": ["a", "b", "c", "c"]})
    with pytest.raises(DataError, match=r"Column 'customer_id' of the customer master: 1 id\(s\) "
                       r"appear more than once, e.g. 'c'"):
        dif.customer_profitability(small, master)


def test_dates_and_amounts_stored_as_text(small):
    as_text = small.assign(date=small["date"].dt.strftime("%Y-%m-%d"),
                           amount=small["amount"].astype(str))
    expected = dif.customer_profitability(small)
    pd.testing.assert_frame_equal(dif.customer_profitability(as_text), expected)
    assert dif.projected_loyalty(as_text)["projected_loyalty"].tolist() == pytest.approx(
        dif.projected_loyalty(small)["projected_loyalty"].tolist())
    bad_date = as_text.assign(date=["2024-01-01", "soon"] + as_text["date"].tolist()[2:])
    with pytest.raises(DataError, match=r"Column 'date' of the transactions: 1 value\(s\) are "
                       r"not dates, e.g. 'soon'"):
        dif.vip_components(bad_date)
    bad_amount = as_text.assign(amount=["abc"] + as_text["amount"].tolist()[1:])
    with pytest.raises(DataError, match=r"Column 'amount' of the transactions: 1 value\(s\) are "
                       r"not numbers, e.g. 'abc'"):
        dif.annual_spend(bad_amount)
    with pytest.raises(DataError, match=r"as_of must be one date.*'31/13/2025'"):
        dif.projected_loyalty(small, as_of="31/13/2025")
    with pytest.raises(DataError, match=r"Column 'customer_id' of the transactions: 1 value\(s\) "
                       r"are missing, e.g. the row with index 4"):
        dif.customer_profitability(small.assign(customer_id=["a"] * 4 + [None, "c", "c"]))


# --- whale curve ----------------------------------------------------------


def test_whale_curve_ranks_and_accumulates():
    frame = pd.DataFrame({"customer_id": ["x", "y", "z", "w"], "profit": [-60.0, 150.0, 10, 0]})
    curve = dif.whale_curve(frame)
    assert curve["customer_id"].tolist() == ["y", "z", "w", "x"]
    assert curve["cumulative_profit_share"].tolist() == pytest.approx([1.5, 1.6, 1.6, 1.0])
    summary = dif.whale_summary(frame)
    assert summary["peak_profit_share"] == pytest.approx(1.6)
    assert summary["peak_customer_share"] == pytest.approx(0.5)  # first customer at the peak
    assert summary["value_destroying_share"] == 0.25
    assert summary["profit_destroyed_share"] == pytest.approx(0.6)


def test_whale_curve_ties_are_broken_by_customer_id():
    frame = pd.DataFrame({"customer_id": ["b", "a", "c"], "profit": [5.0, 5.0, 5.0]})
    assert dif.whale_curve(frame)["customer_id"].tolist() == ["a", "b", "c"]


def test_whale_curve_with_one_customer():
    curve = dif.whale_curve(pd.DataFrame({"customer_id": ["a"], "profit": [7.0]}))
    assert curve["cumulative_profit_share"].tolist() == [1.0]
    assert dif.whale_summary(pd.DataFrame({"customer_id": ["a"], "profit": [7.0]}))[
        "value_destroying_customers"] == 0


def test_whale_curve_refuses_a_non_positive_total():
    frame = pd.DataFrame({"customer_id": ["a", "b"], "profit": [-5.0, 2.0]})
    with pytest.raises(DataError, match=r"total profit of the 2 customers is -3\.00"):
        dif.whale_curve(frame)


def test_kit_whale_summary(kit):
    summary = dif.whale_summary(kit[1])
    assert round(summary["peak_profit_share"], 3) == 1.141
    assert round(summary["peak_customer_share"], 4) == 0.6574
    assert round(summary["value_destroying_share"], 4) == 0.3426


def test_profit_groups_keep_an_empty_group():
    frame = pd.DataFrame({"customer_id": ["a", "b"], "profit": [1.0, 2.0]})
    groups = dif.profit_groups(frame).set_index("group")
    assert groups.loc["destroys value", "customers"] == 0
    assert groups.loc["destroys value", "profit"] == 0
    assert math.isnan(groups.loc["destroys value", "mean_profit"])
    assert groups["customers"].sum() == 2


# --- VIP score and tiers --------------------------------------------------


def test_vip_components_raw_values_and_payment_sign(small):
    components = dif.vip_components(small, as_of="2024-07-01", method="zscore").set_index(
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
    components = dif.vip_components(small, method="percentile").set_index("customer_id")
    # b and c both pay on time: tied, so equal payment scores
    assert components.loc["b", "pct_payment"] == components.loc["c", "pct_payment"]
    assert components["pct_frequency"].mean() == pytest.approx(0.0)


def test_constant_component_scores_zero():
    one_order_each = _lines([("a", "1", "2024-01-01", 10.0, 1.0, 1, 0),
                             ("b", "2", "2024-01-01", 20.0, 2.0, 1, 0)])
    components = dif.vip_components(one_order_each, method="zscore")
    assert components["z_frequency"].tolist() == [0.0, 0.0]


def test_vip_score_weights_are_normalised_and_validated():
    c = pd.DataFrame({"customer_id": ["a", "b"], "pct_volume": [0.25, -0.25],
                      "pct_tenure": [-0.25, 0.25]})
    scored = dif.vip_score(c, {"volume": 3, "tenure": 1})
    assert scored["vip_score"].tolist() == pytest.approx([0.125, -0.125])
    with pytest.raises(DataError, match="unknown component.*'loyalty'"):
        dif.vip_score(c, {"loyalty": 1})
    with pytest.raises(DataError, match="negative weight"):
        dif.vip_score(c, {"volume": -1, "tenure": 2})
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


def test_assign_tiers_refuses_shares_not_summing_to_one():
    frame = pd.DataFrame({"customer_id": ["a"], "s": [1.0]})
    with pytest.raises(DataError, match="sum to 0.9"):
        dif.assign_tiers(frame, "s", {"x": 0.5, "y": 0.4})


def test_tier_overlap_counts_and_jaccard():
    a = pd.DataFrame({"customer_id": list("abcd"), "tier": ["VIP", "VIP", "VIP", "Gold"]})
    b = pd.DataFrame({"customer_id": list("abcd"), "tier": ["VIP", "Gold", "Gold", "VIP"]})
    overlap = dif.tier_overlap(a, b)
    assert overlap[["in_first", "in_second", "in_both"]].tolist() == [3, 2, 1]
    assert overlap["jaccard"] == pytest.approx(0.25)
    assert overlap["kept_share"] == pytest.approx(1 / 3)
    assert dif.tier_overlap(a, b, "Platinum")["jaccard"] == 1.0  # both empty


def test_kit_vip_tiers_and_weightings(kit):
    transactions = kit[0]
    components = dif.vip_components(transactions)
    equal = dif.assign_tiers(dif.vip_score(components), "vip_score")
    assert equal["tier"].value_counts()["VIP"] == 250
    money = dif.assign_tiers(dif.vip_score(components, {"volume": 0.1, "frequency": 0.1,
                             "monetary": 0.6, "payment": 0.1, "tenure": 0.1}), "vip_score")
    overlap = dif.tier_overlap(equal, money)
    assert overlap["in_both"] == 190


# --- Reinartz-Kumar --------------------------------------------------------


def test_projected_loyalty_methods_and_units(small):
    loyalty = dif.projected_loyalty(small, as_of="2024-07-14").set_index("customer_id")
    # c: first 2024-01-15, last 2024-06-30 (167 days), T = 181 days
    assert loyalty.loc["c", "recency"] == pytest.approx(167 / 7)
    assert loyalty.loc["c", "projected_loyalty"] == pytest.approx(167 / 181)
    assert loyalty.loc["b", "projected_loyalty"] == 0.0
    by_day = dif.projected_loyalty(small, as_of="2024-07-14", method="frequency",
                                   time_unit="D").set_index("customer_id")
    assert by_day.loc["c", "projected_loyalty"] == pytest.approx(1 / 181)
    with pytest.raises(DataError, match="time_unit"):
        dif.projected_loyalty(small, time_unit="M")
    with pytest.raises(DataError, match="after as_of"):
        dif.projected_loyalty(small, as_of="2024-01-10")



def _around_the_year_end():
    """Reviewer's example: a bought on the as_of day, b and c after it."""
    return _lines([("a", "1", "2025-01-01", 10.0, 1.0, 1, 0),
                   ("a", "2", "2025-12-31 15:00", 10.0, 1.0, 1, 0),
                   ("b", "3", "2025-06-01", 10.0, 1.0, 1, 0),
                   ("b", "4", "2026-01-10", 10.0, 1.0, 1, 0),
                   ("c", "5", "2026-01-10", 10.0, 1.0, 1, 0)])


@pytest.mark.parametrize("function", [dif.projected_loyalty, dif.annual_spend,
                                      dif.vip_components])
def test_lines_after_as_of_are_refused_or_dropped_and_counted(function):
    lines = _around_the_year_end()
    with pytest.raises(DataError, match=r"Column 'date' of the transactions: 2 line\(s\) are "
                       r"dated after as_of 2025-12-31, e.g. '2026-01-10"):
        function(lines, as_of="2025-12-31")
    table = function(lines, as_of="2025-12-31", drop_later=True)
    assert table["customer_id"].tolist() == ["a", "b"]
    assert table.attrs["lines_after_as_of"] == 2
    assert table.attrs["as_of"] == pd.Timestamp("2025-12-31")
    # the whole as_of day counts: a's 15:00 line is in, nothing to drop
    assert function(lines[lines["date"] < "2026-01-01"], as_of="2025-12-31").attrs[
        "lines_after_as_of"] == 0


def test_as_of_counts_whole_days_so_loyalty_is_at_most_one():
    lines = _around_the_year_end()
    loyalty = dif.projected_loyalty(lines, as_of="2025-12-31", time_unit="D",
                                    drop_later=True).set_index("customer_id")
    # a bought again on the as_of day: recency = T = 364 whole days, loyalty exactly 1
    assert loyalty.loc["a", "recency"] == 364.0 and loyalty.loc["a", "T"] == 364.0
    assert loyalty.loc["a", "projected_loyalty"] == 1.0
    assert loyalty.loc["b", "frequency"] == 0 and loyalty.loc["b", "T"] == 213.0
    spend = dif.annual_spend(lines, as_of="2025-12-31", drop_later=True).set_index("customer_id")
    assert spend.loc["b", "spend_per_year"] == pytest.approx(10 / 213 * 365)  # no 2026 line
    assert spend.loc["a", "spend_per_year"] == pytest.approx(20 / 364 * 365)
    components = dif.vip_components(lines, as_of="2025-12-31", drop_later=True).set_index(
        "customer_id")
    assert components["tenure_days"].to_dict() == {"a": 364, "b": 213}
    assert components.loc["b", "orders"] == 1 and components.loc["b", "monetary"] == 10.0
    with pytest.raises(DataError, match=r"1 customer\(s\) first bought on the as_of day "
                       r"2025-06-01, e.g. 'b'"):
        dif.projected_loyalty(lines, as_of="2025-06-01", drop_later=True)


def test_reinartz_kumar_quadrants_median_ties_go_low():
    frame = pd.DataFrame({"customer_id": list("abcde"),
                          "profit": [10.0, 10, -5, -5, 2], "projected_loyalty": [0.9, 0.1,
                                                                                 0.9, 0.1, 0.5]})
    rk = dif.reinartz_kumar(frame)
    # medians are 2 and 0.5: customer e sits on both and is a stranger
    assert rk["quadrant"].tolist() == ["true friends", "butterflies", "barnacles", "strangers",
                                       "strangers"]
    assert rk.loc[2, "quadrant_es"] == "lapas"
    assert rk.attrs["thresholds"] == {"profit": 2.0, "projected_loyalty": 0.5}


def test_reinartz_kumar_all_in_one_quadrant_keeps_empty_ones():
    frame = pd.DataFrame({"customer_id": list("abc"), "profit": [1.0] * 3,
                          "projected_loyalty": [0.2] * 3})
    summary = dif.segment_summary(dif.reinartz_kumar(frame), "quadrant")
    assert summary.set_index("quadrant")["customers"].to_dict() == {
        "true friends": 0, "butterflies": 0, "barnacles": 0, "strangers": 3}


def test_reinartz_kumar_refuses_duplicate_customers():
    frame = pd.DataFrame({"customer_id": ["a", "a"], "profit": [1.0, 2], "projected_loyalty":
                          [0.1, 0.2]})
    with pytest.raises(DataError, match=r"1 id\(s\) appear more than once, e.g. 'a'"):
        dif.reinartz_kumar(frame)


def test_kit_quadrant_counts(kit):
    transactions, profitability, _ = kit
    matrix = dif.reinartz_kumar(profitability.merge(dif.projected_loyalty(transactions),
                                                    on="customer_id"))
    assert matrix["quadrant"].value_counts().to_dict() == {
        "true friends": 1505, "strangers": 1505, "butterflies": 995, "barnacles": 995}


# --- Jones-Sasser ---------------------------------------------------------


def test_satisfaction_loyalty_types():
    frame = pd.DataFrame({"customer_id": list("abcdef"), "satisfaction": [5, 4, 3, 2, 1, 3],
                          "projected_loyalty": [0.9, 0.1, 0.9, 0.8, 0.2, 0.1]})
    typed = dif.satisfaction_loyalty(frame, loyalty_threshold=0.5)
    assert typed["type"].tolist() == ["apostles", "mercenaries", "indifferent", "hostages",
                                      "terrorists", "indifferent"]
    assert typed["type_es"].tolist()[:2] == ["apóstoles", "mercenarios"]


def test_satisfaction_out_of_scale_is_named():
    frame = pd.DataFrame({"customer_id": ["a", "b"], "satisfaction": [6, 3],
                          "projected_loyalty": [0.5, 0.5]})
    with pytest.raises(DataError, match=r"Column 'satisfaction'.*1 value\(s\).*from 1 to 5, "
                                        r"e\.g\. 6"):
        dif.satisfaction_loyalty(frame)


# --- NPS ------------------------------------------------------------------


def test_nps_and_its_standard_error():
    survey = pd.DataFrame({"recommend": [10, 9, 8, 7, 6, 0, 10, 9, 3, 5]})
    row = dif.net_promoter_score(survey).iloc[0]
    assert row["nps"] == pytest.approx(0.0)  # 4 promoters, 4 detractors
    # Var = (0.4 + 0.4 - 0) / 10 = 0.08 -> SE 28.28 points
    assert row["se"] == pytest.approx(100 * math.sqrt(0.08))
    assert row["ci_high"] == pytest.approx(1.959964 * 100 * math.sqrt(0.08), rel=1e-5)


def test_nps_by_segment_keeps_empty_categories():
    survey = pd.DataFrame({"recommend": [10, 0, 9],
                           "g": pd.Categorical(["x", "x", "x"], categories=["x", "y"])})
    table = dif.net_promoter_score(survey, by="g").set_index("segment")
    assert table.loc["x", "nps"] == pytest.approx(100 / 3)
    assert table.loc["y", "n"] == 0 and math.isnan(table.loc["y", "nps"])


def test_nps_out_of_range_score_is_named():
    survey = pd.DataFrame({"recommend": [10, 11, 11, 3]})
    with pytest.raises(DataError, match=r"Column 'recommend' of the survey: 2 value\(s\) are "
                                        r"not whole numbers from 0 to 10, e\.g\. 11"):
        dif.net_promoter_score(survey)


def test_nps_missing_column_is_named():
    with pytest.raises(DataError, match="Column 'recommend' is missing from the survey"):
        dif.net_promoter_score(pd.DataFrame({"satisfaction": [3]}))


def test_nps_bootstrap_is_reproducible_and_close_to_the_formula(kit):
    survey = kit[2]
    normal = dif.net_promoter_score(survey).iloc[0]
    first = dif.net_promoter_score(survey, method="bootstrap", seed=1).iloc[0]
    again = dif.net_promoter_score(survey, method="bootstrap", seed=1).iloc[0]
    assert first["ci_low"] == again["ci_low"]
    assert round(normal["nps"], 1) == -35.9
    assert first["se"] == pytest.approx(normal["se"], rel=0.1)


def test_nps_difference_adds_variances():
    survey = pd.DataFrame({"recommend": [10, 10, 0, 5, 0, 0], "g": list("aabbbb")})
    diff = dif.nps_difference(survey, "g", "a", "b")
    assert diff["difference"] == pytest.approx(200.0)
    assert diff["se"] == pytest.approx(0.0)
    with pytest.raises(DataError, match="segment 'c' has no answers"):
        dif.nps_difference(survey, "g", "a", "c")


# --- survey, spend, wallet ------------------------------------------------


def test_spend_by_score_and_correlation():
    survey = pd.DataFrame({"customer_id": list("abcd"), "satisfaction": [1, 2, 2, 5]})
    spend = pd.DataFrame({"customer_id": list("abcd"), "spend_per_year": [1.0, 2.0, 4.0, 9.0]})
    table = dif.spend_by_score(survey, spend).set_index("satisfaction")
    assert table.loc[2, "mean"] == 3.0 and table.loc[3, "customers"] == 0
    assert dif.score_spend_correlation(survey, spend)["rho"] == pytest.approx(0.9486833)


def test_survey_customer_without_spend_is_reported():
    survey = pd.DataFrame({"customer_id": ["a", "q"], "satisfaction": [3, 4]})
    spend = pd.DataFrame({"customer_id": ["a"], "spend_per_year": [1.0]})
    with pytest.raises(DataError, match=r"1 surveyed customer\(s\).*e\.g\. 'q'"):
        dif.spend_by_score(survey, spend)


def test_wallet_left_on_table_counts_unusable_answers():
    survey = pd.DataFrame({"customer_id": list("abc"), "share_of_wallet": [0.25, 0.0, 1.0]})
    spend = pd.DataFrame({"customer_id": list("abc"), "spend_per_year": [100.0, 50.0, 80.0]})
    wallets = dif.wallet_left_on_table(survey, spend).set_index("customer_id")
    assert wallets.loc["a", "left_on_table"] == pytest.approx(300.0)
    assert wallets.loc["c", "left_on_table"] == 0.0
    assert not wallets.loc["b", "usable"] and math.isnan(wallets.loc["b", "wallet"])
    segments = pd.DataFrame({"customer_id": list("abc"),
                             "tier": pd.Categorical(["x", "x", "x"], categories=["x", "y"])})
    table = dif.wallet_by_segment(wallets.reset_index(), segments, "tier").set_index("tier")
    assert table.loc["x", "customers"] == 3 and table.loc["x", "unusable"] == 1
    assert table.loc["x", "left_on_table"] == pytest.approx(300.0)
    assert table.loc["x", "share_of_wallet"] == pytest.approx(180 / 480)
    assert table.loc["y", "customers"] == 0


def test_wallet_share_out_of_range_is_named():
    survey = pd.DataFrame({"customer_id": ["a"], "share_of_wallet": [1.4]})
    spend = pd.DataFrame({"customer_id": ["a"], "spend_per_year": [1.0]})
    with pytest.raises(DataError, match=r"Column 'share_of_wallet'.*e\.g\. 1\.4"):
        dif.wallet_left_on_table(survey, spend)



def test_duplicate_ids_in_survey_tables_raise_data_error():
    survey = pd.DataFrame({"customer_id": ["a", "a", "b"], "share_of_wallet": [0.5, 0.4, 0.2],
                           "satisfaction": [3, 4, 5]})
    spend = pd.DataFrame({"customer_id": ["a", "b"], "spend_per_year": [100.0, 50.0]})
    with pytest.raises(DataError, match=r"Column 'customer_id' of the survey: 1 id\(s\) appear "
                       r"more than once, e.g. 'a'"):
        dif.wallet_left_on_table(survey, spend)
    twice = pd.concat([spend, spend.iloc[[1]]])
    with pytest.raises(DataError, match=r"of the customer values: 1 id\(s\).*e.g. 'b'"):
        dif.wallet_left_on_table(survey.drop_duplicates("customer_id"), twice)
    with pytest.raises(DataError, match=r"of the customer values: 1 id\(s\).*e.g. 'b'"):
        dif.spend_by_score(survey, twice)
    wallets = dif.wallet_left_on_table(survey.drop_duplicates("customer_id"), spend)
    with pytest.raises(DataError, match=r"of the wallets: 1 id\(s\).*e.g. 'a'"):
        dif.wallet_by_segment(pd.concat([wallets, wallets.iloc[[0]]]),
                              pd.DataFrame({"customer_id": ["a", "b"], "tier": ["x", "y"]}), "tier")
    with pytest.raises(DataError, match=r"of the segment table: 1 id\(s\).*e.g. 'b'"):
        dif.wallet_by_segment(wallets, pd.DataFrame({"customer_id": ["a", "b", "b"],
                                                     "tier": ["x", "y", "x"]}), "tier")
    # spend stored as text is read as numbers
    as_text = dif.wallet_left_on_table(survey.drop_duplicates("customer_id"),
                                       spend.assign(spend_per_year=["100", "50"]))
    assert as_text["left_on_table"].tolist() == pytest.approx([100.0, 200.0])


def test_annual_spend_over_tenure_and_window(small):
    spend = dif.annual_spend(small, as_of="2024-12-31").set_index("customer_id")
    # b: 30 MXN over 334 days
    assert spend.loc["b", "spend_per_year"] == pytest.approx(30 / 334 * 365)
    window = dif.annual_spend(small, as_of="2024-12-31", window_days=200).set_index(
        "customer_id")
    assert window.loc["c", "spend_per_year"] == pytest.approx(300 * 365 / 200)
    assert window.loc["b", "spend_per_year"] == 0.0


# --- interaction ----------------------------------------------------------


def test_contact_plan_channels_floor_and_cap():
    tiers = pd.DataFrame({"tier": ["top", "mid", "low"], "customers": [10, 100, 1000],
                          "value_per_customer": [2000.0, 500.0, -20.0]})
    plan = dif.contact_plan(tiers, 50_000.0).set_index("tier")
    assert plan.loc["top", "channel"] == "face to face"
    assert plan.loc["mid", "channel"] == "e-mail"  # 0.008*500-0.3=3.7 beats 0.03*500-12=3
    assert plan.loc["low", "channel"] == "radio"
    assert plan.loc["low", "contacts_per_customer"] == pytest.approx(1.0)
    # both are capped at 12 contacts per customer: 10 x 12 x 180 and 100 x 12 x 0.3 MXN
    assert plan.loc["top", "budget"] == pytest.approx(21_600.0)
    assert plan.loc["mid", "budget"] == pytest.approx(360.0)
    assert plan.attrs["unspent"] == pytest.approx(50_000.0 - 500 - 21_600 - 360)


def test_contact_plan_shares_the_budget_by_total_value():
    tiers = pd.DataFrame({"tier": ["a", "b"], "customers": [10, 30],
                          "value_per_customer": [3000.0, 1000.0]})
    plan = dif.contact_plan(tiers, 6_000.0, max_contacts_per_customer=100).set_index("tier")
    assert plan["budget"].tolist() == pytest.approx([3_000.0, 3_000.0])  # 30,000 each


def test_contact_plan_budget_below_floor_is_refused():
    tiers = pd.DataFrame({"tier": ["low"], "customers": [1000], "value_per_customer": [-1.0]})
    with pytest.raises(DataError, match="does not cover"):
        dif.contact_plan(tiers, 10.0)


# --- plots ----------------------------------------------------------------


def test_plots_return_axes(kit):
    transactions, profitability, survey = kit
    loyalty = dif.projected_loyalty(transactions)
    matrix = dif.reinartz_kumar(profitability.merge(loyalty, on="customer_id"))
    scored = dif.assign_tiers(dif.vip_score(dif.vip_components(transactions)), "vip_score")
    spend = dif.annual_spend(transactions)
    wallets = dif.wallet_by_segment(dif.wallet_left_on_table(survey, spend), matrix, "quadrant")
    tiers = dif.segment_summary(dif.assign_tiers(profitability, "profit", below=0), "tier",
                                ["profit"]).rename(columns={"profit_mean": "value_per_customer"})
    axes = [
        dplot.plot_whale_curve(dif.whale_curve(profitability)),
        dplot.plot_profit_distribution(profitability),
        dplot.plot_vip_tiers(scored),
        dplot.plot_tier_comparison(scored, scored),
        dplot.plot_reinartz_kumar(matrix),
        dplot.plot_satisfaction_loyalty(dif.satisfaction_loyalty(survey.merge(loyalty))),
        dplot.plot_nps(dif.net_promoter_score(survey)),
        dplot.plot_spend_by_score(survey.merge(spend)),
        dplot.plot_wallet(wallets, "quadrant"),
        dplot.plot_contact_plan(dif.contact_plan(tiers, 400_000.0)),
    ]
    assert all(isinstance(ax, plt.Axes) for ax in axes)
    plt.close("all")


# --- self-checks ----------------------------------------------------------


def test_checks_accept_right_answers_and_name_mistakes():
    def nps_right(survey):
        r = survey["recommend"]
        return 100 * ((r >= 9).mean() - (r <= 6).mean())

    def nps_passives(survey):
        r = survey["recommend"]
        return 100 * ((r >= 7).mean() - (r <= 6).mean())

    assert check.net_promoter_score(nps_right).passed
    assert "passives" in str(check.net_promoter_score(nps_passives))
    assert "number of value-destroying" in str(
        check.value_destroying_share(lambda p: int((p["profit"] < 0).sum())))

    def z_sample(transactions):
        orders = transactions[transactions["amount"] > 0].groupby("customer_id")[
            "order_id"].nunique()
        return (orders - orders.mean()) / orders.std()

    assert "ddof=0" in str(check.frequency_zscore(z_sample))
    assert "cost per contact eats" in str(check.best_channel(lambda v, c: "face to face"))


def test_checks_never_raise_on_broken_answers():
    for func in (check.net_promoter_score, check.value_destroying_share, check.quadrant_counts,
                 check.frequency_zscore):
        result = func(lambda *args: args[0]["no such column"])
        assert result.status == "wrong" and "KeyError" in str(result)
    assert check.wallet_left_on_table(lambda s, p: None).status == "wrong"
    assert check.best_channel(lambda v, c: np.nan).status == "wrong"
