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
    assert estimator.get_params() == {"initial_params": [1, 2], "max_iter": 10}
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
