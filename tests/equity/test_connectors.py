"""The six loyalty connectors: the stack adds up, and the simulation's truth comes back."""

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import DataError
from relmark_lab.equity import CONNECTORS, connectors_long, profit_by_tenure


def _lines(**columns):
    base = {"customer_id": ["a", "a", "a", "b", "b"],
            "date": pd.to_datetime(["2023-01-05", "2024-01-10", "2024-02-01", "2023-03-01",
                                    "2024-03-05"]),
            "amount": [100.0, 120.0, 50.0, 80.0, 80.0], "margin": [30.0, 36.0, 20.0, 20.0, 24.0],
            "discount": [25.0, 0.0, 0.0, 20.0, 20.0], "cost_to_serve": [10.0, 8.0, 4.0, 9.0, 7.0],
            "category": ["x", "x", "y", "z", "z"]}
    base.update(columns)
    return pd.DataFrame(base)


PEOPLE = pd.DataFrame({"customer_id": ["a", "b", "c"], "acquisition_cost": [40.0, 60.0, 90.0],
                       "referred_by": [None, "a", ""]})


def test_the_connectors_add_up_to_margin_less_cost_to_serve_plus_referrals():
    table = profit_by_tenure(_lines(), PEOPLE, "2025-03-31", min_customers=1).set_index("period")
    # Year 1: a (30 - 10) and b (20 - 9); year 2: a (56 - 12), b (24 - 7).
    assert table.loc[1, "base_profit"] == pytest.approx((20 + 11) / 2)
    assert table.loc[2, "base_profit"] + table.loc[2, "repeat_sales"] \
        + table.loc[2, "cross_selling"] + table.loc[2, "price_premium"] \
        + table.loc[2, "cost_savings"] == pytest.approx((44 + 17) / 2)
    assert table.loc[2, "cross_selling"] == pytest.approx(20 / 2)  # a's new category y
    # Year 1 discount share 45/225; year 2 20/270 of list: the premium on year 2's list.
    assert table.loc[2, "price_premium"] == pytest.approx((45 / 225 - 20 / 270) * 270 / 2)
    assert table.loc[2, "cost_savings"] == pytest.approx(19 / 2 - 19 / 2)
    # b was referred by a in a's first year; a referral saves c's mean cost (nobody referred c).
    assert table.loc[1, "referrals"] == pytest.approx(1 / 2 * 65.0)  # a and c are not referred
    assert table.loc[0, "acquisition_cost"] == pytest.approx(-50.0)
    assert (table["profit"] == table[list(CONNECTORS)].sum(axis=1)).all()
    assert table.attrs["referral_value"] == pytest.approx(65.0)


def test_thin_periods_are_left_out_and_counted():
    dates = pd.to_datetime(["2023-01-05", "2024-01-10", "2024-02-01", "2023-03-01", "2024-02-20"])
    table = profit_by_tenure(_lines(date=dates), PEOPLE, "2025-03-31", min_customers=2)
    assert table["period"].tolist() == [0, 1] and table.attrs["periods_left_out"] == [2]
    long = connectors_long(table)
    assert set(long["connector"]) == {name.replace("_", " ") for name in CONNECTORS}


def test_on_the_kit_the_price_premium_and_cost_savings_grow_with_tenure():
    table = profit_by_tenure(rl.datasets.load_transactions(), rl.datasets.load_customers(),
                             "2025-12-31", time_unit="Q").set_index("period")
    late = table.index[table.index >= 2]
    assert (table.loc[late, "price_premium"] > 0).all()
    assert (table.loc[late, "cost_savings"] > 0).all()
    assert table.loc[late[-1], "cost_savings"] > 3 * table.loc[2, "cost_savings"]
    assert np.corrcoef(late, table.loc[late, "price_premium"])[0, 1] > 0.8
    assert table.loc[0, "acquisition_cost"] < 0 and (table.loc[late, "referrals"] >= 0).all()


@pytest.mark.parametrize(("change", "message"), [
    ({"drop": "discount"}, "Column 'discount' is missing"),
    ({"drop": "category"}, "Column 'category' is missing"),
    ({"unit": "W"}, "time_unit"),
    ({"end": "2023-06-30"}, "no customer has a whole first period observed"),
])
def test_bad_input_is_a_sentence(change, message):
    lines = _lines()
    if "drop" in change:
        lines = lines.drop(columns=change["drop"])
    with pytest.raises(DataError, match=message):
        profit_by_tenure(lines, PEOPLE, change.get("end", "2025-03-31"),
                         time_unit=change.get("unit", "Y"), min_customers=1)


def test_customers_without_the_columns_are_a_sentence():
    with pytest.raises(DataError, match="Column 'referred_by' is missing"):
        profit_by_tenure(_lines(), PEOPLE.drop(columns="referred_by"), "2025-03-31")
