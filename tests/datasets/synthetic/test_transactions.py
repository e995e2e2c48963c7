"""Transactions: gamma-gamma order values, order lines, days late and returns."""

from __future__ import annotations

import pandas as pd
import pytest

from relmark_lab.datasets import synthetic

END = pd.Timestamp(synthetic.OBSERVATION_END) + pd.Timedelta(days=1)  # the whole last day counts


def test_order_structure(retailer: synthetic.SyntheticRetailer) -> None:
    t = retailer.transactions
    purchases = t[t["amount"] > 0]
    lines = purchases.groupby("order_id").size()
    assert lines.between(1, 3).all() and set(lines) == {1, 2, 3}
    assert not purchases.duplicated(["order_id", "category"]).any()
    assert t[t["amount"] < 0].groupby("order_id").size().eq(1).all()
    assert not set(purchases["order_id"]) & set(t.loc[t["amount"] < 0, "order_id"])
    assert (purchases["margin"] > 0).all() and (purchases["quantity"] >= 1).all()
    assert 7 >= t["category"].nunique() >= 6
    margin_rate = purchases.groupby("category")["margin"].sum() / purchases.groupby(
        "category")["amount"].sum()
    for category, rate in synthetic.CATEGORY_MARGIN_RATES.items():
        assert margin_rate[category] == pytest.approx(rate, abs=0.01)


def test_order_ids_follow_time(retailer: synthetic.SyntheticRetailer) -> None:
    t = retailer.transactions
    first_seen = t.groupby("order_id")["timestamp"].min()
    assert first_seen.is_monotonic_increasing  # ids sort like text: O + 7 digits


def test_store_hours(retailer: synthetic.SyntheticRetailer) -> None:
    hours = retailer.transactions["timestamp"].dt.hour
    assert hours.between(10, 20).all()


def test_returns_come_later_inside_the_window(retailer: synthetic.SyntheticRetailer) -> None:
    t = retailer.transactions
    signup = retailer.customers.set_index("customer_id")["signup_date"]
    returns = t[t["amount"] < 0]
    assert len(returns) > 0 and returns["timestamp"].max() < END
    assert (returns["timestamp"].dt.normalize() > returns["customer_id"].map(signup)).all()
    assert (returns[["quantity", "margin"]] < 0).all().all()
    assert returns["days_late"].eq(0).all()
    assert retailer.truth["returns"] == len(returns)


def test_cash_customers_are_never_late(retailer: synthetic.SyntheticRetailer) -> None:
    terms = retailer.customers.set_index("customer_id")["payment_terms"]
    t = retailer.transactions.assign(terms=lambda d: d["customer_id"].map(terms))
    assert t.loc[t["terms"] == "contado", "days_late"].eq(0).all()
    late_share = t.groupby("terms")["days_late"].apply(lambda d: (d > 0).mean())
    assert late_share["60 días"] > late_share["30 días"] > 0
    assert (t["days_late"] == 0).mean() > 0.8


def test_order_values_follow_gamma_gamma(retailer: synthetic.SyntheticRetailer) -> None:
    gg = retailer.truth["gamma_gamma"]
    t = retailer.transactions
    orders = t[t["amount"] > 0].groupby("order_id")["amount"].sum()
    assert orders.mean() == pytest.approx(gg["p"] * gg["gamma"] / (gg["q"] - 1), rel=0.1)
