"""The CLV estimators reproduce the published estimates and recover the kit's truth."""

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import clv


@pytest.fixture(scope="module")
def cdnow_calibration():
    return clv.summarize(rl.datasets.load_cdnow("sample"), "1997-09-30", time_unit="W")


@pytest.fixture(scope="module")
def kit_summary():
    return clv.summarize(rl.datasets.load_transactions(), "2025-12-31", time_unit="W")


def test_bgnbd_reproduces_fader_hardie_lee_2005(cdnow_calibration):
    model = clv.BetaGeoNBD().fit(cdnow_calibration)
    assert model.params_.round(3).to_dict() == {"r": 0.243, "alpha": 4.414, "a": 0.793,
                                                "b": 2.426}
    assert round(model.log_likelihood_, 1) == -9582.4
    # Standard errors as reported by lifetimes' summary on the same data.
    np.testing.assert_allclose(model.standard_errors_, [0.0126, 0.378, 0.186, 0.705], rtol=0.02)
    assert model.n_customers_ == 2357 and model.n_patterns_ < 1100


def test_pareto_nbd_reproduces_the_published_estimates(cdnow_calibration):
    model = clv.ParetoNBD().fit(cdnow_calibration)
    assert model.params_.round(3).to_dict() == {"r": 0.553, "alpha": 10.578, "s": 0.606,
                                                "beta": 11.669}
    assert round(model.log_likelihood_, 1) == -9595.0


def test_gamma_gamma_reproduces_the_fader_hardie_note(cdnow_calibration):
    model = clv.GammaGamma().fit(cdnow_calibration)
    assert model.params_.round(2).to_dict() == {"p": 6.25, "q": 3.74, "gamma": 15.44}
    assert model.n_customers_ == 946 and model.n_excluded_ == 1411
    assert model.expected_mean_spend() == pytest.approx(6.25 * 15.44 / 2.74, rel=2e-3)


def test_bgbb_reproduces_fader_hardie_shang_2010():
    model = clv.BetaGeoBetaBinomial().fit(rl.datasets.load_donations())
    assert model.params_.round(3).to_dict() == {"alpha": 1.204, "beta": 0.750, "gamma": 0.657,
                                                "delta": 2.783}
    assert round(model.log_likelihood_, 1) == -33225.6
    assert model.n_customers_ == 11104 and model.n_patterns_ == 22


@pytest.mark.parametrize(
    ("segment", "alpha", "beta"), [("regular", 0.704, 1.182), ("high_end", 0.668, 3.806)]
)
def test_sbg_reproduces_fader_hardie_2007(segment, alpha, beta):
    cohorts = rl.datasets.load_sbg_cohorts()
    cohort = cohorts[cohorts["segment"] == segment]
    model = clv.ShiftedBetaGeometric().fit(cohort.loc[cohort["year"] <= 7, "n_alive"])
    assert model.params_.round(3).tolist() == [alpha, beta]
    assert model.n_periods_ == 7
    projected = model.expected_alive(12, cohort_size=1000)
    # The projection of years 8-12 stays within 2.5 points of the actual percent alive.
    actual = cohort["percent_alive"].to_numpy()
    gap = np.abs(projected["survival"].to_numpy() * 100 - actual)
    assert gap[8:].max() < 2.5
    assert projected["retention_rate"].iloc[1:].is_monotonic_increasing


def test_sbg_paper_data_and_derl():
    cohorts = rl.datasets.load_sbg_cohorts()
    assert cohorts.shape == (26, 4)
    assert cohorts.query("segment == 'regular' and year == 12")["percent_alive"].item() == 17.3
    assert cohorts.query("segment == 'high_end' and year == 1")["n_alive"].item() == 869
    model = clv.ShiftedBetaGeometric()
    model.params_ = pd.Series({"alpha": 0.668, "beta": 3.806})
    survival = model.survival(np.arange(4000))
    for renewals in (0, 4):
        brute = sum(survival[t] / survival[renewals] / 1.1 ** (t - renewals - 1)
                    for t in range(renewals + 1, 4000))
        assert model.expected_residual_lifetime(renewals, 0.1) == pytest.approx(brute, rel=1e-9)
    assert model.expected_lifetime(0.1) == pytest.approx(
        sum(survival[t] / 1.1**t for t in range(4000)), rel=1e-9)
    # Residual value grows with tenure: survivors are the loyal ones.
    assert model.expected_residual_lifetime(4, 0.1) > model.expected_residual_lifetime(0, 0.1)


def _covers(model, truth):
    summary = model.summary().set_index("parameter")
    return {name: bool(summary.loc[name, "lower_95"] <= value <= summary.loc[name, "upper_95"])
            for name, value in truth.items()}


def test_bgnbd_and_gamma_gamma_recover_the_kits_truth(kit_summary):
    truth = rl.datasets.load_truth()
    bgnbd = clv.BetaGeoNBD().fit(kit_summary)
    assert _covers(bgnbd, truth["bgnbd"]) == {"r": True, "alpha": True, "a": True, "b": True}
    spend = clv.GammaGamma().fit(kit_summary)
    assert _covers(spend, truth["gamma_gamma"]) == {"p": True, "q": True, "gamma": True}
    assert bgnbd.params_.round(2).tolist() == [0.74, 6.18, 0.66, 3.64]


def test_summary_is_tidy_and_intervals_bracket_the_estimate(cdnow_calibration):
    table = clv.BetaGeoNBD().fit(cdnow_calibration).summary()
    assert list(table.columns) == ["parameter", "estimate", "standard_error", "lower_95",
                                   "upper_95"]
    assert table["parameter"].tolist() == ["r", "alpha", "a", "b"]
    assert ((table["lower_95"] < table["estimate"]) & (table["estimate"] < table["upper_95"])).all()


def test_weights_give_the_same_fit_as_repeated_rows(cdnow_calibration):
    patterns = (cdnow_calibration.groupby(["frequency", "recency", "T"]).size()
                .rename("weights").reset_index())
    weighted = clv.BetaGeoNBD().fit(patterns)
    plain = clv.BetaGeoNBD().fit(cdnow_calibration)
    np.testing.assert_allclose(weighted.params_, plain.params_, rtol=1e-6)


def test_bad_data_raise_data_errors_naming_the_column():
    data = pd.DataFrame({"frequency": [1, 0], "recency": [5.0, 0.0], "T": [3.0, 4.0]})
    with pytest.raises(rl.DataError, match=r"'recency': 1 customers have a recency greater "
                                           r"than T, e\.g\. 5\.0"):
        clv.BetaGeoNBD().fit(data)
    with pytest.raises(rl.DataError, match="Column 'T' is missing"):
        clv.ParetoNBD().fit(data.drop(columns="T"))
    with pytest.raises(rl.DataError, match=r"'frequency': 1 customers have a negative"):
        clv.BetaGeoNBD().fit(data.assign(frequency=[-1, 0], recency=[0.0, 0.0]))
    with pytest.raises(rl.DataError, match=r"'monetary_value': 1 customers with repeat "
                                           r"purchases have a monetary value <= 0"):
        clv.GammaGamma().fit(pd.DataFrame({"frequency": [1, 2], "monetary_value": [0.0, 3.0]}))
    with pytest.raises(rl.DataError, match=r"n_alive: survivors rise"):
        clv.ShiftedBetaGeometric().fit([100, 80, 90])
    with pytest.raises(rl.DataError, match="not fitted yet"):
        clv.BetaGeoNBD().expected_purchases_new_customer(1.0)


def test_a_fit_that_cannot_converge_raises_convergence_error():
    # Nobody ever buys again: the purchase rate runs off to zero.
    data = pd.DataFrame({"frequency": [0] * 50, "recency": [0.0] * 50, "T": [10.0] * 50})
    with pytest.raises(clv.ConvergenceError, match="BetaGeoNBD") as error:
        clv.BetaGeoNBD().fit(data)
    assert isinstance(error.value, rl.DataError)


def test_estimators_follow_scikit_learn_conventions():
    model = clv.ParetoNBD(initial_params=[1, 2, 3, 4], max_iter=10)
    assert model.initial_params == [1, 2, 3, 4] and model.max_iter == 10
    assert not hasattr(model, "params_")
    assert repr(model) == "ParetoNBD()"
