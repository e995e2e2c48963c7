"""Value for effort: key drivers, Shapley shares, the importance-performance map, rating gains."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from relmark_lab import DataError
from relmark_lab import differentiate as dif
from relmark_lab.datasets.synthetic import VALUE_DRIVERS_TRUTH, simulate

WEAPONS = {w["column"]: w["weight"] for w in VALUE_DRIVERS_TRUTH["weapons"].values()}


def survey_of(n=2000, seed=0, weights=(0.6, 0.3, 0.0), correlation=0.5):
    """Ratings 1-5 that correlate, and an overall value with known weights."""
    rng = np.random.default_rng(seed)
    common = rng.normal(size=n)
    ratings = {name: np.clip(np.rint(3 + correlation * common + rng.normal(size=n)), 1, 5)
               for name in ("price", "service", "brand")}
    survey = pd.DataFrame(ratings)
    survey["value"] = (1 + survey[["price", "service", "brand"]].to_numpy() @ np.array(weights)
                       + rng.normal(0, 1, n))
    return survey


def test_shapley_shares_are_averages_of_added_r_squared():
    survey = survey_of()
    shares = dif.shapley_r2(survey, "value", ["price", "service"])

    def r2(columns):
        return sm.OLS(survey["value"], sm.add_constant(survey[columns])).fit().rsquared

    both, price, service = r2(["price", "service"]), r2(["price"]), r2(["service"])
    assert shares["price"] == pytest.approx((price + both - service) / 2, rel=1e-10)
    assert shares["service"] == pytest.approx((service + both - price) / 2, rel=1e-10)
    assert shares.sum() == pytest.approx(both, rel=1e-12) == shares.attrs["r_squared"]


def test_uncorrelated_drivers_get_their_squared_correlations():
    rng = np.random.default_rng(3)
    x = np.linalg.qr(rng.normal(size=(200, 3)) - rng.normal(size=(200, 3)).mean(axis=0))[0]
    x -= x.mean(axis=0)
    x = np.linalg.qr(x)[0]  # centred and orthogonal
    survey = pd.DataFrame(x, columns=["a", "b", "c"])
    survey["y"] = x @ [3.0, 2.0, 1.0] + rng.normal(0, 0.1, 200)
    shares = dif.shapley_r2(survey, "y", ["a", "b", "c"])
    squared = survey.corr()["y"][["a", "b", "c"]] ** 2
    np.testing.assert_allclose(shares.to_numpy(), squared.to_numpy(), atol=1e-3)


def test_key_drivers_are_the_ols_weights_and_betas():
    survey = survey_of()
    table = dif.key_drivers(survey, "value", ["price", "service", "brand"]).set_index("driver")
    fit = sm.OLS(survey["value"], sm.add_constant(survey[["price", "service", "brand"]])).fit(
        cov_type="HC1")
    for name in ("price", "service", "brand"):
        assert table.loc[name, "weight"] == pytest.approx(fit.params[name], rel=1e-10)
        assert table.loc[name, "weight_lower"] == pytest.approx(fit.conf_int().loc[name, 0])
        beta = fit.params[name] * survey[name].std() / survey["value"].std()
        assert table.loc[name, "standardized"] == pytest.approx(beta, rel=1e-10)
        assert table.loc[name, "mean_rating"] == pytest.approx(survey[name].mean())
    assert table["importance"].sum() == pytest.approx(1.0)
    assert list(table.index) == ["price", "service", "brand"]  # by importance
    half_width = table.loc["brand", "weight_upper"] - table.loc["brand", "weight"]
    assert abs(table.loc["brand", "weight"]) < 1.5 * half_width  # its true weight is 0
    assert table.attrs["r_squared"] == pytest.approx(fit.rsquared)


def test_incomplete_answers_are_left_out_and_counted():
    survey = survey_of()
    survey.loc[[0, 5, 9], "service"] = np.nan
    survey.loc[[5, 11], "value"] = np.nan
    table = dif.key_drivers(survey, "value", ["price", "service"])
    assert table.attrs["incomplete"] == 4 and table.attrs["respondents"] == len(survey) - 4


@pytest.mark.parametrize("seed, size", [(None, None), (5, 2500), (9, 4000)])
def test_the_kits_true_weights_are_recovered(seed, size):
    survey = (simulate() if seed is None else simulate(seed=seed, n_customers=size)).survey
    table = dif.key_drivers(survey, "perceived_value", list(WEAPONS)).set_index("driver")
    covered = [(table.loc[c, "weight_lower"] <= w <= table.loc[c, "weight_upper"])
               for c, w in WEAPONS.items()]
    # the lesson's survey: every interval covers; another survey may miss one of five (95%)
    assert sum(covered) == 5 if seed is None else sum(covered) >= 4
    for column, weight in WEAPONS.items():
        assert abs(table.loc[column, "weight"] - weight) < 4 * (
            table.loc[column, "weight_upper"] - table.loc[column, "weight_lower"]) / 3.92
    # the heaviest true weights are the most important drivers
    assert set(table.index[:2]) == {"service_rating", "price_rating"}


def test_importance_performance_quadrants_and_cuts():
    table = pd.DataFrame({"driver": list("abcd"), "importance": [0.4, 0.3, 0.2, 0.1],
                          "mean_rating": [2.0, 4.0, 2.5, 4.5]})
    placed = dif.importance_performance(table)
    assert placed["quadrant"].tolist() == ["concentrate here", "keep up the good work",
                                           "low priority", "possible overkill"]
    assert placed.attrs["cuts"] == pytest.approx((0.25, 3.25))
    fixed = dif.importance_performance(table, cuts=(0.35, 3.0))
    assert fixed["quadrant"].tolist() == ["concentrate here", "possible overkill",
                                          "low priority", "possible overkill"]


def test_a_rating_cannot_rise_above_the_top():
    survey = pd.DataFrame({"service": [1, 4, 5, np.nan]})
    assert dif.rating_gain(survey, "service", 2.0, 0.5) == pytest.approx(0.5 * (2 + 1 + 0) / 3)
    assert dif.rating_gain(survey, "service", 0.0, 0.5) == 0.0
    assert dif.rating_gain(survey, "service", 1.0, 1.0, top=10) == pytest.approx(1.0)


def test_messages_name_the_problem():
    survey = survey_of(n=50)
    with pytest.raises(DataError, match=r"survey: column 'brand' is the same in every complete "
                                        r"answer in 50 rows, e\.g\. 3\. A rating nobody varies"):
        dif.key_drivers(survey.assign(brand=3), "value", ["price", "brand"])
    with pytest.raises(DataError, match="linear combinations of each other"):
        dif.key_drivers(survey.assign(twice=survey["price"] * 2), "value", ["price", "twice"])
    with pytest.raises(DataError, match=r"survey: 3 respondents answered 'value' and all 2 "
                                        r"drivers; a key-driver analysis needs at least 5"):
        dif.key_drivers(survey.iloc[:3], "value", ["price", "service"])
    with pytest.raises(DataError, match="other than the outcome 'value'"):
        dif.key_drivers(survey, "value", ["value", "price"])
    with pytest.raises(DataError, match=r"column 'price' is not a number in 1 row, e\.g\. 'n/a'"):
        dif.key_drivers(survey.astype({"price": object}).assign(
            price=lambda s: s["price"].where(s.index > 0, "n/a")), "value", ["price"])
    with pytest.raises(DataError, match="cov_type 'HC9'"):
        dif.key_drivers(survey, "value", ["price"], cov_type="HC9")
    with pytest.raises(DataError, match=r"column 'service' is above 5 in 1 row, e\.g\. 7"):
        dif.rating_gain(pd.DataFrame({"service": [7, 3]}), "service", 1.0, 0.5)
    with pytest.raises(DataError, match="cuts must be two numbers"):
        dif.importance_performance(pd.DataFrame({"importance": [1.0], "mean_rating": [3.0]}),
                                   cuts=(1.0,))
