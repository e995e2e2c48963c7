"""What the models accept: T = 0 for a customer first seen on the last day, times per row."""

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import clv
from relmark_lab.clv._inputs import require_row_times, require_values


@pytest.fixture(scope="module")
def kit_calibration():
    """The kit's summary at a mid-year calibration end: some customers first buy on it."""
    return clv.summarize(rl.datasets.load_transactions(), "2025-12-31",
                         calibration_end="2025-06-30", time_unit="W")


def test_the_kit_has_customers_first_seen_on_the_calibration_end(kit_calibration):
    newest = kit_calibration["T"] == 0
    assert newest.sum() > 0
    assert (kit_calibration.loc[newest, ["frequency", "recency"]] == 0).all().all()


@pytest.mark.parametrize("model", [clv.BetaGeoNBD, clv.ParetoNBD])
def test_customers_with_t_zero_fit_and_predict(kit_calibration, model):
    newest = kit_calibration["T"] == 0
    fitted = model().fit(kit_calibration)
    # Their likelihood is 1 (no time to buy or to leave): they add nothing to the fit.
    without = model().fit(kit_calibration[~newest], time_unit="W")
    np.testing.assert_allclose(fitted.params_, without.params_, rtol=1e-4)
    assert round(fitted.log_likelihood_, 6) == round(without.log_likelihood_, 6)
    assert fitted.n_customers_ == len(kit_calibration)
    zero = {c: np.array([0.0]) for c in ("frequency", "recency", "T")}
    prepared = fitted._prepare(zero)
    assert fitted._log_likelihood(fitted.params_.to_dict(), prepared)[0] == pytest.approx(0)

    rows = kit_calibration[newest]
    alive = fitted.expected_probability_alive(rows)
    purchases = fitted.expected_purchases(rows, 26)
    np.testing.assert_allclose(alive, 1.0)
    # A new customer's expectation: what the model says of someone just acquired.
    np.testing.assert_allclose(purchases, fitted.expected_purchases_new_customer(26), rtol=1e-9)
    assert clv.frequency_histogram(fitted, kit_calibration)["expected"].sum() == pytest.approx(
        len(kit_calibration))
    value = clv.customer_lifetime_value(fitted, clv.GammaGamma().fit(kit_calibration), rows,
                                        horizon=52, discount_rate=0.1)
    assert np.isfinite(value).all() and (value > 0).all()


def test_bgbb_accepts_a_donor_with_no_opportunity_yet():
    donations = rl.datasets.load_donations()
    newest = pd.DataFrame({"frequency": [0], "recency": [0], "n_periods": [0], "weights": [50]})
    model = clv.BetaGeoBetaBinomial().fit(pd.concat([donations, newest], ignore_index=True),
                                          time_unit="Y")
    np.testing.assert_allclose(model.params_, clv.BetaGeoBetaBinomial().fit(donations).params_,
                               rtol=1e-4)
    assert model.expected_probability_alive(newest.drop(columns="weights")).item() == \
        pytest.approx(1.0)


def test_t_zero_needs_no_repeat_purchase():
    data = pd.DataFrame({"frequency": [2, 0], "recency": [0.0, 0.0], "T": [0.0, 3.0]})
    with pytest.raises(rl.DataError, match=r"BetaGeoNBD data: column 'T' is 0 for a customer "
                                           r"with repeat purchases in 1 row, e\.g\. 0\.0\."):
        clv.BetaGeoNBD().fit(data, time_unit="W")
    with pytest.raises(rl.DataError, match=r"ParetoNBD data: column 'T' is below 0 in 1 row"):
        clv.ParetoNBD().fit(data.assign(T=[-1.0, 3.0]), time_unit="W")


def test_times_per_row_are_one_per_row_or_aligned_by_label():
    rows = pd.Index([10, 11, 12])
    assert require_row_times(2, "future_t", rows) == 2.0
    np.testing.assert_array_equal(require_row_times([1, 2, 3], "future_t", rows), [1, 2, 3])
    shuffled = pd.Series([3.0, 1.0, 2.0], index=[12, 10, 11])
    np.testing.assert_array_equal(require_row_times(shuffled, "future_t", rows), [1, 2, 3])
    with pytest.raises(rl.DataError, match=r"future_t must be one number, or one per row of "
                                           r"the data \(3 rows\), got 2 values\."):
        require_row_times([1, 2], "future_t", rows)
    with pytest.raises(rl.DataError, match="got 9 values"):
        require_row_times(np.ones((3, 3)), "future_t", rows)
    with pytest.raises(rl.DataError, match=r"future_t is a Series whose index does not match "
                                           r"the data's rows \(row 12 has no future_t\)"):
        require_row_times(pd.Series([1.0, 2.0, 3.0], index=[10, 11, 13]), "future_t", rows)
    with pytest.raises(rl.DataError, match=r"row 10 has more than one future_t"):
        require_row_times(pd.Series([1.0, 2.0, 3.0, 4.0], index=[10, 10, 11, 12]), "future_t",
                          rows)


def test_array_parameters_are_checked_value_by_value():
    np.testing.assert_array_equal(require_values("margin", [1, -2.5]), [1.0, -2.5])
    assert require_values("margin", np.float64(3)) == 3.0
    for bad, shown in (([0.5, float("nan")], "nan"), (["0.5"], "'0.5'"), ([True], "True"),
                       ([0.5, 1.5], "1.5")):
        with pytest.raises(rl.DataError, match=rf"retention_rate must be a finite number at "
                                               rf"least 0 and at most 1, got {shown}\."):
            require_values("retention_rate", bad, low=0, high=1)
    with pytest.raises(rl.DataError, match=r"margin must be a number or an array of numbers"):
        require_values("margin", [1, [2, 3]])
