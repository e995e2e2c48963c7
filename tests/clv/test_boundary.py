"""Fits at the boundary: no dropout at three calibration dates, the penalizer, the messages."""

import warnings

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import clv
from relmark_lab.clv._inference import flat_parameters, numerical_hessian

TRUE_R, TRUE_ALPHA = 1.0, 5.0  # purchase rates ~ Gamma(r, alpha) per week; nobody leaves
CALIBRATION_ENDS = ("2024-06-30", "2024-09-29", "2024-12-29")  # 26, 39 and 52 weeks
DROPOUT = {clv.BetaGeoNBD: {"a", "b"}, clv.ParetoNBD: {"s", "beta"}}


def _no_dropout_transactions(n=800, weeks=78, seed=13):
    """Customers who buy as Poisson processes for ever, first purchases in the first 12 weeks."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(TRUE_R, 1 / TRUE_ALPHA, n)
    birth = rng.uniform(0, 12, n)
    counts = rng.poisson(rate * (weeks - birth))
    owner = np.repeat(np.arange(n), counts)
    times = np.r_[birth, rng.uniform(birth[owner], weeks)]
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.floor(times * 7), unit="D")
    return pd.DataFrame({"customer_id": [f"c{i}" for i in np.r_[np.arange(n), owner]],
                         "date": days, "amount": 10.0})


@pytest.fixture(scope="module")
def summaries():
    """Each calibration period, with the weeks after it to 2025-06-29 as its holdout."""
    transactions = _no_dropout_transactions()
    return {end: clv.summarize(transactions, "2025-06-29", calibration_end=end)
            for end in CALIBRATION_ENDS}


def _fit_with_warnings(model, data):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fitted = model.fit(data)
    return fitted, [w for w in caught if issubclass(w.category, clv.BoundaryWarning)]


@pytest.mark.parametrize("model", [clv.BetaGeoNBD, clv.ParetoNBD])
@pytest.mark.parametrize("end", CALIBRATION_ENDS)
def test_no_dropout_gives_the_same_boundary_fit_at_every_calibration_date(summaries, model,
                                                                          end):
    data = summaries[end]
    fitted, caught = _fit_with_warnings(model(), data)
    # One behaviour: the fit is kept, the dropout parameters are named, warned about, and
    # have no standard error; the purchase rates are estimated as usual.
    assert fitted.boundary_ and set(fitted.boundary_) <= DROPOUT[model]
    assert len(caught) == 1
    message = str(caught[0].message)
    assert message.startswith(f"{model.__name__}: ")
    for name in fitted.boundary_:
        assert f"{name} = " in message
    repeaters = int((data["frequency"] > 0).sum())
    assert f"{repeaters:,} of the {len(data):,} customers made a repeat purchase" in message
    assert "penalizer=0.001" in message and "longer calibration period" in message
    summary = fitted.summary().set_index("parameter")
    assert summary.loc[fitted.boundary_, "standard_error"].isna().all()
    assert summary.loc[["r", "alpha"], "standard_error"].notna().all()
    assert summary.loc["r", "lower_95"] < summary.loc["r", "upper_95"]
    assert fitted.params_["r"] / fitted.params_["alpha"] == pytest.approx(TRUE_R / TRUE_ALPHA,
                                                                          rel=0.15)
    # The boundary fit predicts the holdout, and says nobody is likely to have left.
    predicted = fitted.expected_purchases(data, data["duration_holdout"])
    assert np.isfinite(predicted).all()
    assert predicted.sum() == pytest.approx(data["frequency_holdout"].sum(), rel=0.1)
    alive = fitted.expected_probability_alive(data)
    assert alive[data["frequency"] > 0].mean() > 0.9


def test_the_bgnbd_says_the_data_show_almost_no_dropout(summaries):
    for end in CALIBRATION_ENDS:
        fitted, caught = _fit_with_warnings(clv.BetaGeoNBD(), summaries[end])
        dropout = fitted.params_["a"] / fitted.params_[["a", "b"]].sum()
        assert dropout < 0.01
        assert "a/(a+b), is" in str(caught[0].message)
        assert "the data show almost no dropout" in str(caught[0].message)


@pytest.mark.parametrize("model", [clv.BetaGeoNBD, clv.ParetoNBD])
def test_a_penalizer_keeps_every_estimate_finite(summaries, model):
    data = summaries["2024-09-29"]
    plain, _ = _fit_with_warnings(model(), data)
    penalized, caught = _fit_with_warnings(model(penalizer=0.01), data)
    assert not caught and penalized.boundary_ == []
    assert penalized.standard_errors_.notna().all()
    summary = penalized.summary()
    assert (summary["upper_95"] / summary["lower_95"] < 10).all()
    # log_likelihood_ is the unpenalized one; the unpenalized fit maximises it.
    ll = penalized._log_likelihood(penalized.params_.to_dict(), penalized._prepare(
        {c: data[c].to_numpy(dtype=float) for c in penalized._pattern_columns})).sum()
    assert penalized.log_likelihood_ == pytest.approx(ll)
    assert penalized.log_likelihood_ < plain.log_likelihood_
    # A stronger penalty pulls the log-parameters closer to 0 (the parameters toward 1).
    stronger = model(penalizer=1.0).fit(data)
    assert (np.abs(np.log(stronger.params_)).sum()
            < np.abs(np.log(penalized.params_)).sum())


def test_the_penalizer_is_a_checked_hyper_parameter(cdnow_calibration):
    assert clv.BetaGeoNBD(penalizer=0.5).get_params()["penalizer"] == 0.5
    for bad in (-0.1, "x", float("nan")):
        with pytest.raises(rl.DataError, match=r"penalizer must be a finite number at least 0"):
            clv.ParetoNBD(penalizer=bad).fit(cdnow_calibration)


@pytest.mark.parametrize("model", [clv.BetaGeoNBD, clv.ParetoNBD, clv.GammaGamma])
def test_an_identified_fit_has_no_boundary_and_no_warning(cdnow_calibration, model):
    with warnings.catch_warnings():
        warnings.simplefilter("error", clv.BoundaryWarning)
        fitted = model().fit(cdnow_calibration)
    assert fitted.boundary_ == [] and fitted.standard_errors_.notna().all()


def test_flat_parameters_finds_only_the_parameter_the_data_do_not_bound():
    def nll(v):  # the first is pinned at 0; the second only bounded below, near -40
        return 50 * v[0] ** 2 + np.exp(-40 - v[1])
    x = np.array([0.0, 5.0])
    assert flat_parameters(nll, x, numerical_hessian(nll, x)) == {1: ("0", "infinity")}
    x = np.array([0.0, -40.0])  # at the wall: flat only toward infinity
    assert flat_parameters(nll, x, numerical_hessian(nll, x)) == {1: ("infinity",)}
    bowl = np.array([0.0, 0.0])
    assert flat_parameters(lambda v: 50 * (v ** 2).sum(), bowl, np.eye(2) * 100) == {}


def test_no_churn_in_a_cohort_is_a_boundary_fit_too():
    with pytest.warns(clv.BoundaryWarning, match=r"alpha/\(alpha\+beta\), is .*: the data "
                                                 r"show almost no churn"):
        model = clv.ShiftedBetaGeometric().fit([1000, 1000, 999, 999], time_unit="Y")
    assert model.boundary_ and model.standard_errors_[model.boundary_].isna().all()
    assert model.survival(3) > 0.99


def test_nobody_repeating_is_an_error_that_counts_the_customers():
    data = pd.DataFrame({"frequency": [0] * 50, "recency": [0.0] * 50,
                         "T": [10.0] * 45 + [0.0] * 5})
    for model in (clv.BetaGeoNBD, clv.ParetoNBD):
        with pytest.raises(clv.ConvergenceError,
                           match=rf"{model.__name__}.fit: none of the 50 customers made a "
                                 r"repeat purchase \(5 of them first seen at the end of the "
                                 r"period, T = 0\), so the data say nothing.*Use a longer "
                                 r"calibration period"):
            model().fit(data, time_unit="W")
    donors = pd.DataFrame({"frequency": [0, 0], "recency": [0, 0], "n_periods": [3, 4]})
    with pytest.raises(clv.ConvergenceError, match="none of the 2 customers made a repeat"):
        clv.BetaGeoBetaBinomial().fit(donors, time_unit="Y")


def test_a_fit_stopped_early_says_why_and_never_that_it_succeeded(cdnow_calibration):
    with pytest.raises(clv.ConvergenceError) as error:
        clv.BetaGeoNBD(max_iter=2).fit(cdnow_calibration)
    message = str(error.value)
    assert "did not reach an optimum: it used all max_iter=2 iterations" in message
    assert "946 of the 2,357 customers made a repeat purchase" in message
    assert "Pass a larger max_iter" in message and "successfully" not in message


def test_customers_first_seen_at_the_end_are_kept_and_counted(cdnow_calibration):
    newest = pd.DataFrame({"frequency": [0] * 40, "recency": [0.0] * 40, "T": [0.0] * 40})
    data = pd.concat([cdnow_calibration, newest], ignore_index=True)
    for model in (clv.BetaGeoNBD, clv.ParetoNBD):
        with_new = model().fit(data, time_unit="W")
        alone = model().fit(cdnow_calibration)
        assert with_new.n_first_seen_at_end_ == 40 and alone.n_first_seen_at_end_ == 0
        assert with_new.n_customers_ == alone.n_customers_ + 40
        np.testing.assert_allclose(with_new.params_, alone.params_, rtol=1e-4)
        predicted = with_new.expected_purchases(newest, 52)
        np.testing.assert_allclose(predicted, with_new.expected_purchases_new_customer(52))


def test_too_few_customers_for_any_parameter_is_said_so():
    one_repeater = pd.DataFrame({"frequency": [1, 0, 0], "recency": [2.0, 0.0, 0.0],
                                 "T": [5.0, 5.0, 5.0]})
    with pytest.warns(clv.BoundaryWarning, match=r"no parameter is pinned down, the data are "
                                                 r"too few for this model.*1 of the 3 "
                                                 r"customers made a repeat purchase"):
        model = clv.BetaGeoNBD().fit(one_repeater, time_unit="W")
    assert model.boundary_ == ["r", "alpha", "a", "b"]
    assert model.summary()["lower_95"].isna().all()
