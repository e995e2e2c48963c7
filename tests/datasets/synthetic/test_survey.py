"""Survey: noisy readings of the latent satisfaction, answered while still a customer."""

from __future__ import annotations

import numpy as np

from relmark_lab.datasets import synthetic
from relmark_lab.datasets.synthetic import VALUE_DRIVERS_TRUTH

RATINGS = [w["column"] for w in VALUE_DRIVERS_TRUTH["weapons"].values()]


def test_survey_answers_track_satisfaction(retailer: synthetic.SyntheticRetailer) -> None:
    answers = retailer.survey.merge(retailer.customer_truth, on="customer_id")
    for column in ("satisfaction", "recommend", "share_of_wallet", "perceived_value"):
        assert answers[column].corr(answers["satisfaction_latent"]) > 0.3, column
    assert answers["satisfaction"].between(1, 5).all()
    assert answers["perceived_value"].between(0, 10).all()
    assert answers[RATINGS].apply(lambda r: r.between(1, 5)).all().all()
    assert answers["recommend"].between(0, 10).all()
    assert answers["share_of_wallet"].between(0, 1).all()
    signup = retailer.customers.set_index("customer_id")["signup_date"]
    assert (answers["survey_date"] >= answers["customer_id"].map(signup)).all()


def test_each_respondent_answers_once(retailer: synthetic.SyntheticRetailer) -> None:
    survey = retailer.survey
    assert survey["customer_id"].is_unique
    assert len(survey) == round(0.3 * len(retailer.customers))


def test_perceived_value_is_built_from_the_five_ratings(
    retailer: synthetic.SyntheticRetailer,
) -> None:
    survey = retailer.survey
    truth = VALUE_DRIVERS_TRUTH
    built = truth["perceived_value"]["intercept"] + sum(
        w["weight"] * survey[w["column"]] for w in truth["weapons"].values())
    residual = survey["perceived_value"] - built
    # rounding and the noise: mean about 0, spread about noise_sd (clipping at 0 and 10 is rare)
    assert abs(residual.mean()) < 0.1
    assert abs(residual.std() - np.hypot(truth["perceived_value"]["noise_sd"], 0.29)) < 0.1
    assert survey["perceived_value"].isin([0, 10]).mean() < 0.03
    # the halo: every pair of ratings correlates positively through satisfaction
    corr = survey[RATINGS].corr().to_numpy()
    assert (corr[np.triu_indices(len(RATINGS), 1)] > 0.05).all()
