"""The whale curve and the customers whose relationship destroys value."""

import math

import pandas as pd
import pytest

from relmark_lab import DataError
from relmark_lab import differentiate as dif


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
    with pytest.raises(DataError, match=r"total of column 'profit' over the 2 customers is "
                       r"-3\.00"):
        dif.whale_curve(frame)


def test_whale_curve_names_unusable_profits():
    frame = pd.DataFrame({"customer_id": ["a", "b"], "profit": [5.0, "n/a"]})
    with pytest.raises(DataError, match=r"^profitability table: column 'profit' is not a "
                       r"number in 1 row, e\.g\. 'n/a'\.$"):
        dif.whale_curve(frame)
    with pytest.raises(DataError, match="has 0 rows"):
        dif.whale_curve(frame.iloc[:0])


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


def test_profit_groups_sum_revenue_and_cost_with_a_threshold():
    frame = pd.DataFrame({"customer_id": list("abc"), "profit": [50.0, 5.0, -20.0],
                          "revenue": [500.0, 80.0, 40.0], "cost_to_serve": [60.0, 30.0, 40.0]})
    groups = dif.profit_groups(frame, threshold=10.0).set_index("group")
    assert groups.loc["creates value", ["customers", "profit", "revenue"]].tolist() == [
        1, 50.0, 500.0]
    assert groups.loc["destroys value", "cost_to_serve"] == 70.0
    assert groups.loc["destroys value", "mean_profit"] == pytest.approx(-7.5)
