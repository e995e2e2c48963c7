"""What every CLV estimator shares: scikit-learn's conventions, time_unit_, the fit report."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

import relmark_lab as rl
from relmark_lab import clv
from relmark_lab.clv._inputs import require_times, resolve_fit_unit

MODELS = [clv.BetaGeoNBD, clv.ParetoNBD, clv.GammaGamma, clv.BetaGeoBetaBinomial,
          clv.ShiftedBetaGeometric]


@pytest.mark.parametrize("model", MODELS)
def test_estimators_follow_scikit_learn_conventions(model):
    estimator = model(initial_params=[1, 2], max_iter=10)
    assert estimator.get_params() == {"initial_params": [1, 2], "max_iter": 10,
                                      "penalizer": 0.0}
    assert not hasattr(estimator, "params_") and not hasattr(estimator, "time_unit_")
    copy = clone(estimator)
    assert copy is not estimator and copy.get_params() == estimator.get_params()
    assert copy.set_params(max_iter=500) is copy and copy.max_iter == 500
    assert repr(model()) == f"{model.__name__}()"
    assert repr(copy) == f"{model.__name__}(initial_params=[1, 2], max_iter=500)"
    # Hyper-parameters are stored as given: a bad value shows up at fit, not before.
    assert model(max_iter="many").max_iter == "many"


def test_fit_returns_self_and_records_the_unit(cdnow_calibration):
    model = clv.BetaGeoNBD()
    assert model.fit(cdnow_calibration) is model and model.time_unit_ == "W"
    refit = clone(model)
    assert not hasattr(refit, "time_unit_")


def test_the_unit_comes_from_the_argument_or_the_attrs(cdnow_calibration):
    plain = pd.DataFrame(cdnow_calibration)
    plain.attrs = {}
    with pytest.raises(rl.DataError, match=r"BetaGeoNBD.fit needs the time unit of the data: "
                                           r"pass time_unit='W'"):
        clv.BetaGeoNBD().fit(plain)
    assert clv.BetaGeoNBD().fit(plain, time_unit="W").time_unit_ == "W"
    with pytest.raises(rl.DataError, match=r"time_unit='M' was given but the data are "
                                           r"summarized in time_unit='W'"):
        clv.ParetoNBD().fit(cdnow_calibration, time_unit="M")
    with pytest.raises(rl.DataError, match="time_unit must be one of"):
        clv.BetaGeoNBD().fit(plain, time_unit="weeks")
    assert resolve_fit_unit(plain, None, "GammaGamma", required=False) is None


def test_summary_is_tidy_and_intervals_bracket_the_estimate(cdnow_calibration):
    table = clv.BetaGeoNBD().fit(cdnow_calibration).summary()
    assert list(table.columns) == ["parameter", "estimate", "standard_error", "lower_95",
                                   "upper_95"]
    assert table["parameter"].tolist() == ["r", "alpha", "a", "b"]
    assert ((table["lower_95"] < table["estimate"]) & (table["estimate"] < table["upper_95"])).all()


def test_weights_give_the_same_fit_as_repeated_rows(cdnow_calibration):
    patterns = (cdnow_calibration.groupby(["frequency", "recency", "T"]).size()
                .rename("weights").reset_index())
    weighted = clv.BetaGeoNBD().fit(patterns, time_unit="W")
    plain = clv.BetaGeoNBD().fit(cdnow_calibration)
    np.testing.assert_allclose(weighted.params_, plain.params_, rtol=1e-6)


def test_times_must_be_finite_and_not_negative():
    assert require_times(3, "t") == 3.0
    np.testing.assert_array_equal(require_times([0, 2.5], "t"), [0.0, 2.5])
    for bad in (float("inf"), float("nan"), -1, "soon", True):
        with pytest.raises(rl.DataError, match="t must be"):
            require_times(bad, "t")
    with pytest.raises(rl.DataError, match=r"t must be whole numbers of at least 0; 1 of 2"):
        require_times([1, 1.5], "t", whole=True)


def _no_repeat_buyers():
    return pd.DataFrame({"frequency": [0, 0, 0], "recency": [0.0, 0.0, 0.0], "T": [1.0, 2.0, 3.0]})


@pytest.mark.parametrize("model", [clv.BetaGeoNBD, clv.ParetoNBD])
def test_a_failed_fit_leaves_the_estimator_as_it_was(model, cdnow_calibration):
    fresh = model()
    with pytest.raises(clv.ConvergenceError):
        fresh.fit(_no_repeat_buyers(), time_unit="W")
    assert not [name for name in vars(fresh) if name.endswith("_")]  # nothing fitted
    with pytest.raises(rl.DataError, match="not fitted yet"):
        fresh.expected_purchases(cdnow_calibration.head(3), 1)

    fitted = model().fit(cdnow_calibration)
    before = {name: value for name, value in vars(fitted).items() if name.endswith("_")}
    prediction = fitted.expected_purchases(cdnow_calibration, 39)
    for bad_fit in (lambda: fitted.fit(_no_repeat_buyers(), time_unit="D"),
                    lambda: fitted.set_params(max_iter=-1).fit(cdnow_calibration)):
        with pytest.raises(rl.DataError):
            bad_fit()
        fitted.set_params(max_iter=2000)
        assert fitted.time_unit_ == "W"  # not the "D" of the failed refit
        after = {name: value for name, value in vars(fitted).items() if name.endswith("_")}
        assert after.keys() == before.keys()
        assert all(after[name] is before[name] for name in before)
        np.testing.assert_array_equal(fitted.expected_purchases(cdnow_calibration, 39),
                                      prediction)


def test_failed_fits_of_the_other_models_set_nothing():
    spend = clv.GammaGamma()
    with pytest.raises(rl.DataError, match=r"GammaGamma.fit: none of the 2 customers has a "
                                           r"repeat purchase"):
        spend.fit(pd.DataFrame({"frequency": [0, 0], "monetary_value": [0.0, 0.0]}),
                  time_unit="W")
    assert not hasattr(spend, "time_unit_") and not hasattr(spend, "n_excluded_")
    cohort = clv.ShiftedBetaGeometric()
    with pytest.raises(rl.DataError, match="no customers to fit"):
        cohort.fit([0, 0, 0], time_unit="Y")
    assert not hasattr(cohort, "n_periods_") and not hasattr(cohort, "time_unit_")


@pytest.mark.parametrize("bad", [[1, 2], "abcd", 7, {"r": 1}, [[1, 1], [1, 1]]])
def test_initial_params_must_be_one_number_per_parameter(cdnow_calibration, bad):
    with pytest.raises(rl.DataError, match=r"BetaGeoNBD: initial_params must be 4 numbers, "
                                           r"one for each of r, alpha, a, b, got"):
        clv.BetaGeoNBD(initial_params=bad).fit(cdnow_calibration)


def test_initial_params_must_be_positive_numbers(cdnow_calibration):
    for bad, shown in ((-1, "-1"), ("x", "'x'"), (float("nan"), "nan"), (0, "0")):
        with pytest.raises(rl.DataError, match=rf"initial_params\[1\] \(alpha\) must be a "
                                               rf"finite number above 0, got {shown}\."):
            clv.BetaGeoNBD(initial_params=[1, bad, 1, 1]).fit(cdnow_calibration)
    given = clv.BetaGeoNBD(initial_params=np.array([0.2, 4.0, 0.8, 2.4])).fit(cdnow_calibration)
    assert given.params_.round(3).tolist() == [0.243, 4.414, 0.793, 2.426]


@pytest.mark.parametrize("bad", ["a", -1, 0, 2.5, None, float("inf")])
def test_max_iter_must_be_a_whole_number_of_at_least_1(cdnow_calibration, bad):
    with pytest.raises(rl.DataError, match="max_iter must be a whole number of at least 1"):
        clv.BetaGeoNBD(max_iter=bad).fit(cdnow_calibration)


@pytest.mark.parametrize("model", [clv.BetaGeoNBD, clv.ParetoNBD, clv.BetaGeoBetaBinomial])
def test_no_customers_is_said_so(model):
    age = "n_periods" if model is clv.BetaGeoBetaBinomial else "T"
    empty = pd.DataFrame({"frequency": [], "recency": [], age: []})
    message = rf"{model.__name__}.fit: there are no customers to fit"
    with pytest.raises(rl.DataError, match=message):
        model().fit(empty, time_unit="W")
    one = pd.DataFrame({"frequency": [1], "recency": [1.0], age: [2.0], "weights": [0.0]})
    with pytest.raises(rl.DataError, match=message):
        model().fit(one, time_unit="W")
