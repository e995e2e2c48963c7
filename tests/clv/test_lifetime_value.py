"""customer_lifetime_value and period_discount_rate: units, horizons and rates are explicit."""

import numpy as np
import pytest

import relmark_lab as rl
from relmark_lab import clv


@pytest.fixture(scope="module")
def fitted(cdnow_calibration):
    return clv.BetaGeoNBD().fit(cdnow_calibration), clv.GammaGamma().fit(cdnow_calibration)


def test_value_and_discounting(cdnow_calibration, fitted):
    bgnbd, gg = fitted
    weekly = clv.customer_lifetime_value(bgnbd, gg, cdnow_calibration, horizon=52,
                                         discount_rate=0.10)
    undiscounted = clv.customer_lifetime_value(bgnbd, gg, cdnow_calibration, horizon=52,
                                               discount_rate=0.0)
    expected = (bgnbd.expected_purchases(cdnow_calibration, 52)
                * gg.expected_customer_spend(cdnow_calibration))
    np.testing.assert_allclose(undiscounted, expected, rtol=1e-10)
    assert (weekly < undiscounted).all() and weekly.name == "clv"
    assert round(float(weekly.mean()), 2) == 30.73
    margin = clv.customer_lifetime_value(bgnbd, gg, cdnow_calibration, horizon=52,
                                         discount_rate=0.10, margin_rate=0.3)
    np.testing.assert_allclose(margin, 0.3 * weekly)
    assert clv.period_discount_rate(0.10, "W") == pytest.approx(1.1 ** (7 / 365.25) - 1)
    assert clv.period_discount_rate(0.10, "Q") == pytest.approx(1.1 ** 0.25 - 1)
    assert clv.period_discount_rate(0.01, "M", "period") == 0.01


def test_merged_data_are_valued_in_the_models_unit(cdnow_calibration, fitted):
    bgnbd, gg = fitted
    merged = cdnow_calibration.merge(cdnow_calibration[["customer_id"]], on="customer_id")
    merged.attrs = {}  # whatever a merge keeps, the model knows its unit
    value = clv.customer_lifetime_value(bgnbd, gg, merged, horizon=52, discount_rate=0.1)
    given = clv.customer_lifetime_value(bgnbd, gg, merged, horizon=52, discount_rate=0.1,
                                        time_unit="W")
    np.testing.assert_allclose(value, given)
    with pytest.raises(rl.DataError, match=r"fitted in time_unit='W', but time_unit='M' was "
                                           r"given"):
        clv.customer_lifetime_value(bgnbd, gg, merged, horizon=12, time_unit="M",
                                    discount_rate=0.1)
    monthly = cdnow_calibration.copy()
    monthly.attrs["time_unit"] = "M"
    with pytest.raises(rl.DataError, match=r"fitted in time_unit='W', but the data are "
                                           r"summarized in time_unit='M'"):
        clv.customer_lifetime_value(bgnbd, gg, monthly, horizon=12, discount_rate=0.1)


def test_a_model_without_a_unit_needs_one(cdnow_calibration, fitted):
    bgnbd, gg = fitted
    by_hand = clv.BetaGeoNBD()
    by_hand.params_ = bgnbd.params_
    with pytest.raises(rl.DataError, match="records no time_unit_"):
        clv.customer_lifetime_value(by_hand, gg, cdnow_calibration, horizon=4,
                                    discount_rate=0.1)
    value = clv.customer_lifetime_value(by_hand, gg, cdnow_calibration, horizon=4,
                                        discount_rate=0.1, time_unit="W")
    assert value.notna().all()


@pytest.mark.parametrize("bad", [float("inf"), float("nan"), 2.5, 0, "52"])
def test_bad_horizons_raise_data_errors(cdnow_calibration, fitted, bad):
    with pytest.raises(rl.DataError, match="horizon must be a whole number of at least 1"):
        clv.customer_lifetime_value(*fitted, cdnow_calibration, horizon=bad, discount_rate=0.1)


@pytest.mark.parametrize("bad", [float("inf"), float("nan"), -1.0, "10%"])
def test_bad_rates_raise_data_errors(cdnow_calibration, fitted, bad):
    with pytest.raises(rl.DataError, match="discount_rate must be a finite number above -1"):
        clv.customer_lifetime_value(*fitted, cdnow_calibration, horizon=4, discount_rate=bad)
    with pytest.raises(rl.DataError, match="discount_rate must be a finite number above -1"):
        clv.period_discount_rate(bad, "W")
    with pytest.raises(rl.DataError, match="margin_rate must be a finite number"):
        clv.customer_lifetime_value(*fitted, cdnow_calibration, horizon=4, discount_rate=0.1,
                                    margin_rate=float("nan"))
    with pytest.raises(rl.DataError, match="discount_rate_unit must be 'year' or 'period'"):
        clv.customer_lifetime_value(*fitted, cdnow_calibration, horizon=4, discount_rate=0.1,
                                    discount_rate_unit="month")


def test_the_models_must_be_fitted_purchase_and_spend_models(cdnow_calibration, fitted):
    bgnbd, gg = fitted
    order = r"Pass the purchase model first, then the spend model"
    with pytest.raises(rl.DataError, match=r"transaction_model must be a fitted BetaGeoNBD or "
                                           rf"ParetoNBD, got GammaGamma\. {order}"):
        clv.customer_lifetime_value(gg, bgnbd, cdnow_calibration, horizon=4, discount_rate=0.1)
    with pytest.raises(rl.DataError, match=r"spend_model must be a fitted GammaGamma, got None"):
        clv.customer_lifetime_value(bgnbd, None, cdnow_calibration, horizon=4,
                                    discount_rate=0.1)
    with pytest.raises(rl.DataError, match="This GammaGamma is not fitted yet"):
        clv.customer_lifetime_value(bgnbd, clv.GammaGamma(), cdnow_calibration, horizon=4,
                                    discount_rate=0.1)
    pareto = clv.ParetoNBD().fit(cdnow_calibration)
    assert clv.customer_lifetime_value(pareto, gg, cdnow_calibration, horizon=4,
                                       discount_rate=0.1).notna().all()
