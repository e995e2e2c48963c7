"""Predictions agree with lifetimes (the oracle, used only here) on the same parameters."""

import warnings

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import clv

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    lifetimes = pytest.importorskip("lifetimes")

RTOL = 1e-3


@pytest.fixture(scope="module")
def cdnow():
    return clv.summarize(rl.datasets.load_cdnow("sample"), "1997-09-30", time_unit="W")


@pytest.fixture(scope="module")
def fitted(cdnow):
    return {
        "bgnbd": clv.BetaGeoNBD().fit(cdnow),
        "pareto": clv.ParetoNBD().fit(cdnow),
        "gg": clv.GammaGamma().fit(cdnow),
    }


def _oracle(fitter_class, params: pd.Series):
    fitter = fitter_class()
    fitter.params_ = params.copy()
    return fitter


def _columns(data):
    return data["frequency"], data["recency"], data["T"]


def test_bgnbd_predictions_match_lifetimes(cdnow, fitted):
    model = fitted["bgnbd"]
    oracle = _oracle(lifetimes.BetaGeoFitter, model.params_)
    for t in (1.0, 39.0, 104.0):
        np.testing.assert_allclose(
            model.expected_purchases(cdnow, t),
            oracle.conditional_expected_number_of_purchases_up_to_time(t, *_columns(cdnow)),
            rtol=RTOL)
        np.testing.assert_allclose(model.expected_purchases_new_customer(t),
                                   oracle.expected_number_of_purchases_up_to_time(t), rtol=RTOL)
        for n in (0, 1, 5):
            np.testing.assert_allclose(model.probability_of_purchases(n, t),
                                       oracle.probability_of_n_purchases_up_to_time(t, n),
                                       rtol=RTOL)
    np.testing.assert_allclose(model.expected_probability_alive(cdnow),
                               oracle.conditional_probability_alive(*_columns(cdnow)), rtol=RTOL)


def test_bgnbd_probability_no_purchase_is_consistent(cdnow, fitted):
    model = fitted["bgnbd"]
    no_purchase = model.expected_probability_no_purchase(cdnow, 10.0)
    alive = model.expected_probability_alive(cdnow)
    assert ((no_purchase >= 1 - alive - 1e-12) & (no_purchase <= 1)).all()
    # A brand-new customer (x = 0, T = 0): P(X(t) = 0) of the unconditional model.
    new = pd.DataFrame({"frequency": [0], "recency": [0.0], "T": [1e-12]})
    assert model.expected_probability_no_purchase(new, 10.0).item() == pytest.approx(
        model.probability_of_purchases(0, 10.0), rel=1e-6)


def test_pareto_nbd_predictions_match_lifetimes(cdnow, fitted):
    model = fitted["pareto"]
    oracle = _oracle(lifetimes.ParetoNBDFitter, model.params_)
    for t in (1.0, 39.0):
        np.testing.assert_allclose(
            model.expected_purchases(cdnow, t),
            oracle.conditional_expected_number_of_purchases_up_to_time(t, *_columns(cdnow)),
            rtol=RTOL)
        np.testing.assert_allclose(model.expected_purchases_new_customer(t),
                                   oracle.expected_number_of_purchases_up_to_time(t), rtol=RTOL)
    np.testing.assert_allclose(model.expected_probability_alive(cdnow),
                               oracle.conditional_probability_alive(*_columns(cdnow)), rtol=RTOL)


@pytest.mark.parametrize("beta", [5.0, 30.0])  # alpha >= beta and alpha < beta branches
def test_pareto_nbd_count_distribution_sums_to_one_with_the_right_mean(fitted, beta):
    model = clv.ParetoNBD()
    model.params_ = fitted["pareto"].params_.copy()
    model.params_["beta"] = beta
    n = np.arange(200)
    probabilities = model.probability_of_purchases(n, 39.0)
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-9)
    assert (n * probabilities).sum() == pytest.approx(
        model.expected_purchases_new_customer(39.0), rel=1e-8)


def test_gamma_gamma_spend_matches_lifetimes(cdnow, fitted):
    model = fitted["gg"]
    oracle = _oracle(lifetimes.GammaGammaFitter, model.params_.rename({"gamma": "v"}))
    repeaters = cdnow[cdnow["frequency"] > 0]
    np.testing.assert_allclose(
        model.expected_customer_spend(repeaters),
        oracle.conditional_expected_average_profit(repeaters["frequency"],
                                                   repeaters["monetary_value"]), rtol=RTOL)
    # A customer with no repeat purchase is expected to spend the population mean.
    zero = pd.DataFrame({"frequency": [0], "monetary_value": [0.0]})
    assert model.expected_customer_spend(zero).item() == pytest.approx(
        model.expected_mean_spend())


def test_bgbb_predictions_match_lifetimes():
    donations = rl.datasets.load_donations()
    model = clv.BetaGeoBetaBinomial().fit(donations)
    oracle = _oracle(lifetimes.BetaGeoBetaBinomFitter, model.params_)
    oracle.data = donations  # read by its P(X(n) = x) table
    columns = donations["frequency"], donations["recency"], donations["n_periods"]
    for m in (1, 5):
        np.testing.assert_allclose(
            model.expected_purchases(donations, m),
            oracle.conditional_expected_number_of_purchases_up_to_time(m, *columns), rtol=RTOL)
    for m in (0, 1, 3):
        np.testing.assert_allclose(model.expected_probability_alive(donations, future_t=m),
                                   oracle.conditional_probability_alive(m, *columns), rtol=RTOL)
    expected = oracle.expected_number_of_transactions_in_first_n_periods(6)
    counts = model.probability_of_purchases(np.arange(7), 6) * 11104
    np.testing.assert_allclose(counts, expected["model"].to_numpy(), rtol=RTOL)
    assert model.expected_purchases_new_customer(6) == pytest.approx(
        (np.arange(7) * counts).sum() / 11104, rel=1e-9)


def test_customer_lifetime_value_matches_lifetimes_monthly(fitted):
    monthly = clv.summarize(rl.datasets.load_cdnow("sample"), "1997-09-30", time_unit="M")
    transactions_model = clv.BetaGeoNBD().fit(monthly)
    spend = fitted["gg"]
    ours = clv.customer_lifetime_value(transactions_model, spend, monthly, horizon=12,
                                       discount_rate=0.01, discount_rate_unit="period")
    oracle = _oracle(lifetimes.BetaGeoFitter, transactions_model.params_)
    oracle.predict = oracle.conditional_expected_number_of_purchases_up_to_time  # set by fit
    spend_oracle = _oracle(lifetimes.GammaGammaFitter, spend.params_.rename({"gamma": "v"}))
    theirs = spend_oracle.customer_lifetime_value(
        oracle, *_columns(monthly), monthly["monetary_value"], time=12, discount_rate=0.01,
        freq="M")
    np.testing.assert_allclose(ours, theirs, rtol=RTOL)
