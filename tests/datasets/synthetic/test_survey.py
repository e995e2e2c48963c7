"""Survey: noisy readings of the latent satisfaction, answered while still a customer."""

from __future__ import annotations

from relmark_lab.datasets import synthetic


def test_survey_answers_track_satisfaction(retailer: synthetic.SyntheticRetailer) -> None:
    answers = retailer.survey.merge(retailer.customer_truth, on="customer_id")
    for column in ("satisfaction", "recommend", "share_of_wallet", "perceived_value"):
        assert answers[column].corr(answers["satisfaction_latent"]) > 0.3, column
    assert answers["satisfaction"].between(1, 5).all()
    assert answers["perceived_value"].between(1, 5).all()
    assert answers["recommend"].between(0, 10).all()
    assert answers["share_of_wallet"].between(0, 1).all()
    signup = retailer.customers.set_index("customer_id")["signup_date"]
    assert (answers["survey_date"] >= answers["customer_id"].map(signup)).all()


def test_each_respondent_answers_once(retailer: synthetic.SyntheticRetailer) -> None:
    survey = retailer.survey
    assert survey["customer_id"].is_unique
    assert len(survey) == round(0.3 * len(retailer.customers))
