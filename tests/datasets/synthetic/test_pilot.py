"""Loyalty pilot: randomized and self-selected designs with a known effect."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from relmark_lab.datasets import synthetic


def _pilot_estimates(panel: pd.DataFrame) -> tuple[float, float, float]:
    """Naive post-period difference, difference-in-differences, and its standard error."""
    wide = panel.pivot(index=["member_id", "group"], columns="period", values="orders")
    wide = wide.reset_index()
    change = wide["post"] - wide["pre"]
    treated = wide["group"] == "treatment"
    naive = wide.loc[treated, "post"].mean() - wide.loc[~treated, "post"].mean()
    did = change[treated].mean() - change[~treated].mean()
    se = np.sqrt(change[treated].var() / treated.sum() + change[~treated].var() / (~treated).sum())
    return naive, did, se


def test_randomized_pilot_did_recovers_effect(retailer: synthetic.SyntheticRetailer) -> None:
    truth = retailer.truth["loyalty_pilot"]
    panel = retailer.loyalty_pilot[retailer.loyalty_pilot["design"] == "randomized"]
    treated_share = (panel["group"] == "treatment").mean()
    assert 0.45 < treated_share < 0.55
    _, did, se = _pilot_estimates(panel)
    expected = truth["randomized"]["expected_extra_orders_per_treated_member"]
    assert abs(did - expected) < 3 * se
    assert se < 0.3 * expected  # precise enough that a wrong effect would be caught
    control_post = panel.query("group == 'control' and period == 'post'")["orders"].mean()
    assert did / control_post == pytest.approx(truth["true_effect_relative"], abs=0.04)


def test_self_selected_pilot_naive_comparison_overstates(
    retailer: synthetic.SyntheticRetailer,
) -> None:
    truth = retailer.truth["loyalty_pilot"]["self_selected"]
    panel = retailer.loyalty_pilot[retailer.loyalty_pilot["design"] == "self_selected"]
    naive, did, _ = _pilot_estimates(panel)
    expected = truth["expected_extra_orders_per_treated_member"]
    assert naive > 3 * expected
    assert abs(did - expected) < abs(naive - expected) / 3


def test_pilot_revenue_is_zero_without_orders(retailer: synthetic.SyntheticRetailer) -> None:
    panel = retailer.loyalty_pilot
    assert (panel.loc[panel["orders"] == 0, "revenue"] == 0).all()
    assert (panel.loc[panel["orders"] > 0, "revenue"] > 0).all()


def test_pilot_panel_has_two_periods_per_member(retailer: synthetic.SyntheticRetailer) -> None:
    panel = retailer.loyalty_pilot
    periods = panel.groupby("member_id")["period"].agg(list)
    assert periods.map(lambda p: p == ["pre", "post"]).all()
    assert panel.groupby("member_id")["group"].nunique().eq(1).all()
    assert panel["member_id"].str.fullmatch(r"M\d{5}").all()
