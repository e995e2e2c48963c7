"""BG/NBD: the published CDNOW estimates, the kit's truth, units and bad input."""

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import clv


def test_bgnbd_reproduces_fader_hardie_lee_2005(cdnow_calibration):
    model = clv.BetaGeoNBD().fit(cdnow_calibration)
    assert model.params_.round(3).to_dict() == {"r": 0.243, "alpha": 4.414, "a": 0.793,
                                                "b": 2.426}
    assert round(model.log_likelihood_, 1) == -9582.4
    # Standard errors as reported by lifetimes' summary on the same data.
    np.testing.assert_allclose(model.standard_errors_, [0.0126, 0.378, 0.186, 0.705], rtol=0.02)
    assert model.n_customers_ == 2357 and model.n_patterns_ < 1100
    assert model.time_unit_ == "W"


def test_bgnbd_recovers_the_kits_truth(kit_summary, covers):
    truth = rl.datasets.load_truth()
    bgnbd = clv.BetaGeoNBD().fit(kit_summary)
    assert covers(bgnbd, truth["bgnbd"]) == {"r": True, "alpha": True, "a": True, "b": True}
    assert bgnbd.params_.round(2).tolist() == [0.74, 6.18, 0.66, 3.64]


def test_predictions_are_in_the_models_unit(cdnow_calibration):
    model = clv.BetaGeoNBD().fit(cdnow_calibration)
    monthly = cdnow_calibration.copy()
    monthly.attrs["time_unit"] = "M"
    with pytest.raises(rl.DataError, match="fitted in time_unit='W'.*time_unit='M'"):
        model.expected_purchases(monthly, 1.0)
    with pytest.raises(rl.DataError, match="fitted in time_unit='W'"):
        model.expected_probability_alive(monthly)
    # A table without attrs (a merge, a hand-made grid) is taken as the model's unit.
    grid = pd.DataFrame({"frequency": [2], "recency": [10.0], "T": [20.0]})
    assert 0 < model.expected_probability_alive(grid).item() < 1


@pytest.mark.parametrize("bad", [float("inf"), float("nan"), -1.0])
def test_non_finite_or_negative_times_raise_data_errors(cdnow_calibration, bad):
    model = clv.BetaGeoNBD().fit(cdnow_calibration)
    with pytest.raises(rl.DataError, match="future_t must be a finite number"):
        model.expected_purchases(cdnow_calibration, bad)
    with pytest.raises(rl.DataError, match="t must be a finite number"):
        model.expected_purchases_new_customer(bad)
    with pytest.raises(rl.DataError, match="future_t must be finite numbers"):
        model.expected_purchases(cdnow_calibration.head(2), np.array([1.0, bad]))
    with pytest.raises(rl.DataError, match="n_purchases must be a whole number"):
        model.probability_of_purchases(1.5, 10.0)


def test_bad_data_raise_data_errors_naming_the_column():
    data = pd.DataFrame({"frequency": [1, 0], "recency": [5.0, 0.0], "T": [3.0, 4.0]})
    with pytest.raises(rl.DataError, match=r"BetaGeoNBD data: column 'recency' is greater "
                                           r"than T in 1 row, e\.g\. 5\.0\."):
        clv.BetaGeoNBD().fit(data, time_unit="W")
    with pytest.raises(rl.DataError, match=r"column 'frequency' is below 0 in 1 row"):
        clv.BetaGeoNBD().fit(data.assign(frequency=[-1, 0], recency=[0.0, 0.0]), time_unit="W")
    with pytest.raises(rl.DataError, match=r"column 'frequency' is not a whole number"):
        clv.BetaGeoNBD().fit(data.assign(frequency=[1.5, 0], recency=[1.0, 0.0]),
                             time_unit="W")
    with pytest.raises(rl.DataError, match=r"column 'recency' is positive without a repeat"):
        clv.BetaGeoNBD().fit(data.assign(frequency=[0, 0], recency=[1.0, 0.0]), time_unit="W")
    with pytest.raises(rl.DataError, match="not fitted yet"):
        clv.BetaGeoNBD().expected_purchases_new_customer(1.0)
    with pytest.raises(rl.DataError, match="not fitted yet"):
        clv.BetaGeoNBD().expected_purchases(data, 1.0)


def test_a_fit_that_cannot_converge_raises_convergence_error():
    # Nobody ever buys again: the purchase rate runs off to zero.
    data = pd.DataFrame({"frequency": [0] * 50, "recency": [0.0] * 50, "T": [10.0] * 50})
    with pytest.raises(clv.ConvergenceError, match="BetaGeoNBD") as error:
        clv.BetaGeoNBD().fit(data, time_unit="W")
    assert isinstance(error.value, rl.DataError)


@pytest.mark.parametrize("model", [clv.BetaGeoNBD, clv.ParetoNBD])
def test_future_times_are_one_per_row_aligned_by_label(cdnow_calibration, model):
    fitted = model().fit(cdnow_calibration)
    rows = cdnow_calibration.head(3)
    by_position = fitted.expected_purchases(rows, np.array([1.0, 2.0, 3.0]))
    labelled = pd.Series([3.0, 1.0, 2.0], index=rows.index[[2, 0, 1]])
    np.testing.assert_allclose(fitted.expected_purchases(rows, labelled), by_position)
    for each in range(3):
        assert by_position.iloc[each] == pytest.approx(
            fitted.expected_purchases(rows.iloc[[each]], each + 1.0).item())
    with pytest.raises(rl.DataError, match=r"future_t must be one number, or one per row of "
                                           r"the data \(2,357 rows\), got 2 values\."):
        fitted.expected_purchases(cdnow_calibration, [1, 2])
    with pytest.raises(rl.DataError, match=r"future_t is a Series whose index does not match"):
        fitted.expected_purchases(rows, pd.Series([1.0, 2.0, 3.0], index=[5, 6, 7]))
    with pytest.raises(rl.DataError, match=r"n_purchases and t must be single numbers or "
                                           r"arrays of shapes that broadcast together"):
        fitted.probability_of_purchases([0, 1, 2], [1.0, 2.0])


def test_no_purchase_probability_takes_times_per_row(cdnow_calibration):
    model = clv.BetaGeoNBD().fit(cdnow_calibration)
    rows = cdnow_calibration.head(2)
    np.testing.assert_allclose(model.expected_probability_no_purchase(rows, [0.0, 0.0]), 1.0)
    with pytest.raises(rl.DataError, match="future_t must be one number, or one per row"):
        model.expected_probability_no_purchase(rows, [1.0, 2.0, 3.0])
