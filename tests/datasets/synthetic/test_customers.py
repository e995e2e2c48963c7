"""Customers: sign-up and acquisition, the dropout link, and the BG/NBD purchase process."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from relmark_lab.datasets import synthetic


def test_customer_master_fields(retailer: synthetic.SyntheticRetailer) -> None:
    customers = retailer.customers
    assert set(customers["payment_terms"]) == {"contado", "30 días", "60 días"}
    assert set(customers["region"]) == {"Norte", "Centro", "Sur", "Occidente", "Metropolitana"}
    mean_cost = customers.groupby("acquisition_channel")["acquisition_cost"].mean()
    assert mean_cost["televisión"] > mean_cost["referido"]
    assert customers["signup_date"].is_monotonic_increasing
    assert customers["signup_date"].max() <= np.datetime64(synthetic.SIGNUP_END)


def test_signup_is_the_first_purchase(retailer: synthetic.SyntheticRetailer) -> None:
    t = retailer.transactions
    signup = retailer.customers.set_index("customer_id")["signup_date"]
    first = t[t["amount"] > 0].groupby("customer_id")["timestamp"].min().dt.normalize()
    assert first.sort_index().equals(signup.sort_index().rename("timestamp"))


def test_dropout_probabilities_are_beta(retailer: synthetic.SyntheticRetailer) -> None:
    bg = retailer.truth["bgnbd"]
    p = retailer.customer_truth["dropout_probability"]
    assert p.mean() == pytest.approx(bg["a"] / (bg["a"] + bg["b"]), abs=0.005)
    assert stats.kstest(p, stats.beta(bg["a"], bg["b"]).cdf).pvalue > 0.5


def test_purchase_rates_are_gamma_and_independent(retailer: synthetic.SyntheticRetailer) -> None:
    bg = retailer.truth["bgnbd"]
    truth = retailer.customer_truth
    rate = truth["purchase_rate_weekly"]
    assert rate.mean() == pytest.approx(bg["r"] / bg["alpha"], rel=0.1)
    assert abs(np.corrcoef(rate, truth["satisfaction_latent"])[0, 1]) < 0.05
    assert abs(stats.spearmanr(rate, truth["dropout_probability"])[0]) < 0.05


def test_dissatisfied_customers_drop_out_more(retailer: synthetic.SyntheticRetailer) -> None:
    answers = retailer.survey.merge(retailer.customer_truth, on="customer_id")
    unhappy = answers.loc[answers["satisfaction"] <= 2, "dropout_probability"].mean()
    happy = answers.loc[answers["satisfaction"] >= 4, "dropout_probability"].mean()
    assert unhappy > 2 * happy
    truth = retailer.customer_truth
    with_unresolved = truth["unresolved_complaints"] > 0
    assert (truth.loc[with_unresolved, "dropout_probability"].mean()
            > truth.loc[~with_unresolved, "dropout_probability"].mean())
    dead = ~truth["alive_at_end"]
    assert truth.loc[dead, "dropout_probability"].mean() > truth["dropout_probability"].mean()


def test_repeat_purchases_match_truth(retailer: synthetic.SyntheticRetailer) -> None:
    t = retailer.transactions
    orders = t[t["amount"] > 0].groupby("customer_id")["order_id"].nunique()
    truth = retailer.customer_truth.set_index("customer_id")["repeat_purchases"]
    assert (orders.sort_index() - 1).equals(truth.sort_index().rename("order_id"))
