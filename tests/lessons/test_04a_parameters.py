"""Lesson 04a runs at the edges of its parameters, its labels follow them, bad values stop it."""


def test_monthly_cohorts_from_the_first_year_run_and_say_months(run_lesson, other_data):
    # The default run (nbval) covers the last allowed base_year, 2024; this one the first.
    run = run_lesson("04a_clv_contractual", cohort_period="M", cake_period="Q",
                     base_year=2023, fit_years=11, tenure_renewals=12, data_dir=other_data)
    assert "share buying one month after acquisition" in run.printed
    assert "months:" in run.printed and "first cohort 2023-01" in run.printed
    assert "quarter" not in run.printed
    assert "buyers in 2023" in run.printed and "after 12 renewals" in run.printed
    assert not run.problems


def test_a_bad_parameter_stops_the_first_cell_with_a_sentence(refusal):
    sentence = refusal("04a_clv_contractual", fit_years="seven")
    assert "fit_years is 'seven', but it must be a whole number from 3 to 11." in sentence
