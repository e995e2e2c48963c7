"""Estimators on degenerate data: each ends as a DataError sentence or the right value."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.special import betaln

import relmark_lab as rl
from relmark_lab import clv
from relmark_lab.clv.beta_geo_beta_binom import MAX_PERIODS, MAX_TERMS


@pytest.fixture(scope="module")
def fitted(cdnow_calibration):
    return {"bgnbd": clv.BetaGeoNBD().fit(cdnow_calibration),
            "pareto": clv.ParetoNBD().fit(cdnow_calibration),
            "spend": clv.GammaGamma().fit(cdnow_calibration),
            "bgbb": clv.BetaGeoBetaBinomial().fit(rl.datasets.load_donations())}


def test_one_period_of_renewals_does_not_identify_the_sbg():
    with pytest.raises(rl.DataError, match=r"n_alive needs the cohort size and at least two "
                                           r"later counts, got 2 value\(s\): one period of "
                                           r"renewals identifies only the first period's "
                                           r"churn rate.*Give at least 2 periods"):
        clv.ShiftedBetaGeometric().fit([1000, 600], time_unit="Y")
    assert clv.ShiftedBetaGeometric().fit([1000, 600, 450], time_unit="Y").n_periods_ == 2


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_horizons_must_be_finite_and_not_negative(fitted, cdnow_calibration, bad):
    rows = cdnow_calibration.head(3)
    donors = rl.datasets.load_donations().head(3)
    calls = [
        lambda: fitted["bgnbd"].expected_purchases(rows, bad),
        lambda: fitted["bgnbd"].expected_probability_no_purchase(rows, bad),
        lambda: fitted["pareto"].expected_purchases(rows, bad),
        lambda: fitted["pareto"].expected_purchases(rows, [1.0, bad, 2.0]),
        lambda: fitted["bgbb"].expected_purchases(donors, bad),
        lambda: fitted["bgbb"].expected_probability_alive(donors, bad),
    ]
    for call in calls:
        with pytest.raises(rl.DataError, match=r"future_t must be (a finite|a whole|finite)"):
            call()
    with pytest.raises(rl.DataError, match="horizon must be a whole number of at least 1"):
        clv.customer_lifetime_value(fitted["bgnbd"], fitted["spend"], rows, horizon=bad,
                                    discount_rate=0.1)
    with pytest.raises(rl.DataError, match="t must be a finite number"):
        fitted["pareto"].expected_purchases_new_customer(bad)


@pytest.mark.parametrize("model", [clv.BetaGeoNBD, clv.ParetoNBD, clv.GammaGamma,
                                   clv.BetaGeoBetaBinomial, clv.ShiftedBetaGeometric])
def test_initial_params_of_the_wrong_length_are_a_sentence(model, cdnow_calibration):
    data, unit = {clv.BetaGeoBetaBinomial: (rl.datasets.load_donations(), "Y"),
                  clv.ShiftedBetaGeometric: ([1000, 600, 450], "Y")}.get(
        model, (cdnow_calibration, "W"))
    names = ", ".join(model._param_names)
    with pytest.raises(rl.DataError, match=rf"{model.__name__}: initial_params must be "
                                           rf"{len(model._param_names)} numbers, one for each "
                                           rf"of {names}, got \[1, 1, 1, 1, 1\]\."):
        model(initial_params=[1, 1, 1, 1, 1]).fit(data, time_unit=unit)


def _heavy_buyers(recency):
    frame = pd.DataFrame({"frequency": [10**4, 10**6], "recency": recency, "T": 39.0,
                          "monetary_value": 20.0})
    frame.attrs["time_unit"] = "W"
    return frame


@pytest.mark.parametrize("model", ["bgnbd", "pareto"])
def test_a_customer_with_a_million_purchases_gets_finite_predictions(fitted, model):
    purchases = fitted[model]
    alive = _heavy_buyers(39.0)  # bought on the last day: surely alive
    expected = purchases.expected_purchases(alive, 10).to_numpy()
    assert np.isfinite(expected).all()
    # So many purchases pin the rate down: a hundred times the purchases, a hundred times
    # the expectation.
    assert expected[1] / expected[0] == pytest.approx(100, rel=0.01)
    assert purchases.expected_probability_alive(alive).to_numpy() == pytest.approx(1, abs=1e-3)
    # A week of silence after 26,000 purchases a week: surely gone.
    gone = _heavy_buyers(38.0)
    assert purchases.expected_probability_alive(gone).to_numpy() == pytest.approx(0, abs=1e-9)
    assert purchases.expected_purchases(gone, 10).to_numpy() == pytest.approx(0, abs=1e-9)
    value = clv.customer_lifetime_value(purchases, fitted["spend"], alive, horizon=10,
                                        discount_rate=0.1)
    assert np.isfinite(value).all() and (value > 0).all()


@pytest.mark.parametrize("params", [(1.1, 5.36, 1.24e-6, 114.0), (1.068, 5.41, 13.22, 7959.0),
                                    (0.459, 6.975, 94.3, 1639.5)])  # boundary fits, beta > alpha
def test_pareto_heavy_buyers_stay_finite_at_boundary_estimates(params):
    model = clv.ParetoNBD()
    model.params_ = pd.Series(params, index=["r", "alpha", "s", "beta"])
    expected = model.expected_purchases(_heavy_buyers(39.0), 26).to_numpy()
    assert np.isfinite(expected).all()
    assert expected[1] / expected[0] == pytest.approx(100, rel=0.01)
    assert model.expected_probability_alive(_heavy_buyers(39.0)).to_numpy() == pytest.approx(1)


def test_the_bgbb_refuses_too_many_opportunities_at_once(fitted):
    huge = pd.DataFrame({"frequency": [3, 0], "recency": [5, 0], "n_periods": [10**6, 4]})
    with pytest.raises(rl.DataError, match=r"BetaGeoBetaBinomial data: column 'n_periods' is "
                                           rf"above {MAX_PERIODS:,} in 1 row, e\.g\. 1000000\. "
                                           r".*fit BetaGeoNBD or ParetoNBD"):
        clv.BetaGeoBetaBinomial().fit(huge, time_unit="Y")
    with pytest.raises(rl.DataError, match="column 'n_periods' is above"):
        fitted["bgbb"].expected_purchases(huge, 1)
    with pytest.raises(rl.DataError, match=rf"t must be at most {MAX_PERIODS:,}"):
        fitted["bgbb"].probability_of_purchases(1, 10**6)
    # Many long histories: refused before the optimiser starts, with the count of terms.
    n = np.arange(500, 500 + 300)
    many = pd.DataFrame({"frequency": 1, "recency": 1, "n_periods": n})
    terms = int((n - 1).sum())
    assert terms > MAX_TERMS
    with pytest.raises(rl.DataError, match=rf"these data need {terms:,} of them \(300 "
                                           rf"distinct patterns, n_periods up to 799\), more "
                                           rf"than the {MAX_TERMS:,}"):
        clv.BetaGeoBetaBinomial().fit(many, time_unit="W")


def test_the_bgbb_likelihood_sums_every_opportunity(fitted):
    model = fitted["bgbb"]
    alpha, beta, gamma, delta = model.params_
    rows = pd.DataFrame({"frequency": [0, 2, 7], "recency": [0, 3, 40], "n_periods": [6, 9, 900]})
    data = {c: rows[c].to_numpy(dtype=float) for c in model._pattern_columns}
    ours = model._log_likelihood(model.params_.to_dict(), model._prepare(data))
    for row, value in zip(rows.itertuples(index=False), ours, strict=True):
        x, t_x, n = row.frequency, row.recency, row.n_periods
        stay = np.exp(betaln(alpha + x, beta + n - x) - betaln(alpha, beta)
                      + betaln(gamma, delta + n) - betaln(gamma, delta))
        left = sum(np.exp(betaln(alpha + x, beta + t_x - x + i) - betaln(alpha, beta)
                          + betaln(gamma + 1, delta + t_x + i) - betaln(gamma, delta))
                   for i in range(n - t_x))
        assert value == pytest.approx(np.log(stay + left), rel=1e-10)


def test_a_calibration_end_before_every_purchase_names_the_first_purchase(fitted):
    tx = pd.DataFrame({"customer_id": ["a", "a", "b"],
                       "date": pd.to_datetime(["2024-01-10", "2024-03-05", "2024-03-07"]),
                       "amount": [-5.0, 10.0, 4.0]})
    with pytest.raises(rl.DataError, match=r"no line is dated on or before calibration_end "
                                           r"2024-01-05, so no customer had bought by then; "
                                           r"the first purchase is on 2024-03-05: pass a "
                                           r"calibration_end on or after it\."):
        clv.summarize(tx, "2024-06-30", calibration_end="2024-01-05")
    with pytest.raises(rl.DataError, match=r"none of the 1 customers made a purchase on or "
                                           r"before 2024-01-31 \(only returns or cancelled "
                                           r"orders\); the first purchase is on 2024-03-05"):
        clv.summarize(tx, "2024-06-30", calibration_end="2024-01-31")
    with pytest.raises(rl.DataError, match=r"the first purchase is on 2024-03-05"):
        clv.tracking_repeat_purchases(fitted["bgnbd"], tx, "2024-01-05", "2024-06-30")
    assert len(clv.summarize(tx, "2024-06-30", calibration_end="2024-03-05")) == 1


def test_the_partial_last_tracking_period_expects_only_its_observed_days(cdnow_calibration):
    model = clv.BetaGeoNBD().fit(cdnow_calibration)
    cdnow = rl.datasets.load_cdnow("sample")
    whole = clv.tracking_repeat_purchases(model, cdnow, "1997-09-30", "1998-06-30")
    one_day_more = clv.tracking_repeat_purchases(model, cdnow, "1997-09-30", "1998-07-01")
    assert len(one_day_more) == len(whole) + 1  # a 79th period of one observed day
    last, week_before = one_day_more["expected"].iloc[-1], one_day_more["expected"].iloc[-2]
    # One day of a 7-day period: about a seventh of the week before, not a whole week.
    assert last / week_before == pytest.approx(1 / 7, rel=0.1)
    pd.testing.assert_frame_equal(one_day_more.iloc[:-1], whole, check_like=True)
    assert one_day_more["actual"].iloc[-1] == 0  # the data end on 1998-06-30


def _bgnbd_and_oracle(params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lifetimes = pytest.importorskip("lifetimes")
    model, oracle = clv.BetaGeoNBD(), lifetimes.BetaGeoFitter()
    model.params_ = pd.Series(params, index=["r", "alpha", "a", "b"])
    oracle.params_ = model.params_.copy()
    return model, oracle


@pytest.mark.parametrize(("params", "most"), [((0.243, 4.414, 0.793, 2.426), 10**6),  # CDNOW
                                              ((1.095, 5.33, 7111.9, 5.4e6), 40)])  # a, b huge
def test_bgnbd_expectations_agree_with_lifetimes_at_the_extremes(params, most):
    model, oracle = _bgnbd_and_oracle(params)
    rows = pd.DataFrame({"frequency": [0, 3, 40, 10**4, 10**6], "recency": [0.0, 20, 38, 39, 39],
                         "T": [39.0] * 5})
    rows = rows[rows["frequency"] <= most]
    for t in (1.0, 26.0, 104.0):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = oracle.conditional_expected_number_of_purchases_up_to_time(
                t, rows["frequency"], rows["recency"], rows["T"])
        np.testing.assert_allclose(model.expected_purchases(rows, t), theirs, rtol=1e-6)


def test_an_expectation_that_floats_cannot_hold_names_the_row():
    # a and b at infinity and 10,000 purchases: lifetimes returns -inf here.
    model, _ = _bgnbd_and_oracle((1.095, 5.33, 7111.9, 5.4e6))
    rows = pd.DataFrame({"frequency": [3, 10**4], "recency": [20.0, 39.0], "T": [39.0, 39.0]},
                        index=["ann", "bob"])
    with pytest.raises(rl.DataError, match=r"BetaGeoNBD: the expected purchases cannot be "
                                           r"computed in floating point for 1 row, e\.g\. row "
                                           r"'bob' \(frequency=1e\+04, T=39\)\. Check that "
                                           r"row's data"):
        model.expected_purchases(rows, 26.0)


def test_predictions_that_overflow_at_a_boundary_fit_say_so():
    from relmark_lab.clv._inputs import require_finite

    frame = pd.DataFrame({"frequency": [0, 1], "T": [43.3, 20.0]})
    with pytest.raises(rl.DataError, match=r"for 2 of 2 rows, because the fit sits at the boundary "
                                        r"\(r, alpha ran off to 0 or infinity\).*penalizer=0\.001"):
        require_finite(np.array([np.nan, np.inf]), frame, "BetaGeoNBD: the expected purchases",
                       ["r", "alpha"])
