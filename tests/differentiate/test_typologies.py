"""Projected loyalty, the Reinartz–Kumar matrix, Jones–Sasser types and values per segment."""

import math

import pandas as pd
import pytest

from relmark_lab import DataError
from relmark_lab import differentiate as dif


@pytest.mark.parametrize("method", ["recency", "frequency"])
def test_a_customer_who_first_bought_on_the_end_has_projected_loyalty_zero(method):
    # The end is the last observed day: a first purchase on it is normal, T is 0 there and
    # there is no repeat evidence yet, as for a one-time buyer.
    tx = pd.DataFrame({"customer_id": ["a", "a", "new", "new"], "order_id": ["1", "2", "3", "4"],
                       "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-06-30 09:00",
                                               "2024-06-30 18:00"], format="ISO8601"),
                       "amount": [10.0, 10.0, 10.0, 5.0]})
    loyalty = dif.projected_loyalty(tx, "2024-06-30", method=method).set_index("customer_id")
    assert loyalty.loc["new", ["frequency", "recency", "T"]].tolist() == [0, 0.0, 0.0]
    assert loyalty.loc["new", "projected_loyalty"] == 0.0
    assert loyalty.loc["a", "projected_loyalty"] > 0
    assert loyalty["projected_loyalty"].notna().all()


def test_projected_loyalty_methods_and_units(small):
    loyalty = dif.projected_loyalty(small, "2024-07-14").set_index("customer_id")
    # c: first 2024-01-15, last 2024-06-30 (167 days), T = 181 days
    assert loyalty.loc["c", "recency"] == pytest.approx(167 / 7)
    assert loyalty.loc["c", "projected_loyalty"] == pytest.approx(167 / 181)
    assert loyalty.loc["b", "projected_loyalty"] == 0.0
    by_day = dif.projected_loyalty(small, "2024-07-14", method="frequency",
                                   time_unit="D").set_index("customer_id")
    assert by_day.loc["c", "projected_loyalty"] == pytest.approx(1 / 181)
    monthly = dif.projected_loyalty(small, "2024-07-14", time_unit="M").set_index("customer_id")
    assert monthly.loc["c", "T"] == pytest.approx(181 / (365.25 / 12))
    assert monthly.loc["c", "projected_loyalty"] == pytest.approx(167 / 181)
    assert monthly.attrs["time_unit"] == "M"
    with pytest.raises(DataError, match="time_unit must be one of 'D' \\(days\\)"):
        dif.projected_loyalty(small, "2024-07-14", time_unit="weeks")
    with pytest.raises(DataError, match="method must be 'recency' or 'frequency'"):
        dif.projected_loyalty(small, "2024-07-14", method="median")


def test_projected_loyalty_frequency_counts_repeat_purchase_days(make_lines):
    lines = make_lines([("a", "1", "2024-01-01 09:00", 10.0, 1.0, 1, 0),
                        ("a", "2", "2024-01-01 17:00", 10.0, 1.0, 1, 0),  # same day
                        ("a", "3", "2024-01-15", 10.0, 1.0, 1, 0)])
    loyalty = dif.projected_loyalty(lines, "2024-01-29", method="frequency", time_unit="D")
    assert loyalty["frequency"].tolist() == [1]  # as clv.summarize and lifetimes count it
    assert loyalty["projected_loyalty"].tolist() == pytest.approx([1 / 28])


def test_lines_after_the_end_are_counted_not_refused(small):
    loyalty = dif.projected_loyalty(small, "2024-01-20")
    assert loyalty["customer_id"].tolist() == ["a", "c"]
    assert loyalty.attrs["lines_after_observation_end"] == 4


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
    summary = dif.value_by_segment(dif.reinartz_kumar(frame), "quadrant")
    assert summary.set_index("quadrant")["customers"].to_dict() == {
        "true friends": 0, "butterflies": 0, "barnacles": 0, "strangers": 3}


def test_reinartz_kumar_refuses_duplicate_customers_and_bad_thresholds():
    frame = pd.DataFrame({"customer_id": ["a", "a"], "profit": [1.0, 2], "projected_loyalty":
                          [0.1, 0.2]})
    with pytest.raises(DataError, match=r"^customer table: column 'customer_id' is repeated in "
                       r"1 row, e\.g\. 'a'\."):
        dif.reinartz_kumar(frame)
    with pytest.raises(DataError, match="profit_threshold must be a finite number"):
        dif.reinartz_kumar(frame.iloc[:1], profit_threshold="high")


def test_kit_quadrant_counts(kit):
    transactions, profitability, _, end = kit
    matrix = dif.reinartz_kumar(profitability.merge(dif.projected_loyalty(transactions, end),
                                                    on="customer_id"))
    assert matrix["quadrant"].value_counts().to_dict() == {
        "true friends": 1504, "strangers": 1504, "butterflies": 996, "barnacles": 996}


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
    with pytest.raises(DataError, match=r"^survey table: column 'satisfaction' is outside 1–5 "
                                        r"in 1 row, e\.g\. 6\.$"):
        dif.satisfaction_loyalty(frame)
    with pytest.raises(DataError, match=r"column 'satisfaction' is not a whole number in 1 row, "
                                        r"e\.g\. 3\.5"):
        dif.satisfaction_loyalty(frame.assign(satisfaction=[4, 3.5]))


def test_satisfaction_cut_points_and_scale_are_checked():
    frame = pd.DataFrame({"customer_id": ["a"], "satisfaction": [3], "projected_loyalty": [0.5]})
    with pytest.raises(DataError, match=r"^the scale's lowest score must be a whole number of "
                                        r"at least 0, got '1'\.$"):
        dif.satisfaction_loyalty(frame, scale=("1", "5"))
    with pytest.raises(DataError, match=r"^scale must be a pair \(lowest, highest score\), "
                                        r"e\.g\. \(1, 5\), got 5\.$"):
        dif.satisfaction_loyalty(frame, scale=5)
    with pytest.raises(DataError, match=r"^satisfied_from must be a finite number, got '4'\.$"):
        dif.satisfaction_loyalty(frame, satisfied_from="4")
    with pytest.raises(DataError, match=r"^satisfied_from=2 must be above dissatisfied_to=2"):
        dif.satisfaction_loyalty(frame, satisfied_from=2)
    answers = pd.DataFrame({"customer_id": ["a"], "satisfaction": [3]})
    spend = pd.DataFrame({"customer_id": ["a"], "spend_per_year": [1.0]})
    with pytest.raises(DataError, match=r"^scale must be \(lowest, highest score\) with the "
                                        r"lowest below the highest, e\.g\. \(1, 5\), got "
                                        r"\(5, 1\)\.$"):
        dif.spend_by_score(answers, spend, scale=(5, 1))
    with pytest.raises(DataError, match=r"^the scale's highest score must be a whole number"):
        dif.score_spend_correlation(answers, spend, scale=(1, "5"))


def test_value_by_segment_counts_missing_labels_and_sums_values():
    frame = pd.DataFrame({"customer_id": list("abcd"), "tier": ["x", "x", None, "y"],
                          "profit": [1.0, 3.0, 5.0, None], "revenue": [10.0, 10, 10, 10]})
    table = dif.value_by_segment(frame, "tier", ["profit", "revenue"]).set_index("tier")
    assert list(table.columns) == ["customers", "customer_share", "profit_total",
                                   "profit_mean", "revenue_total", "revenue_mean"]
    assert table.loc["x", "profit_mean"] == 2.0 and table.loc["(missing)", "customers"] == 1
    assert table.loc["y", "profit_total"] == 0.0 and math.isnan(table.loc["y", "profit_mean"])
    assert table["customer_share"].sum() == pytest.approx(1.0)
    with pytest.raises(DataError, match="Column 'margin' is missing from the customer table"):
        dif.value_by_segment(frame, "tier", ["margin"])
