"""Lesson 06 re-run by an instructor: other costs, horizons and phases work and the text follows."""


def test_other_costs_a_short_horizon_and_no_waiting_run(run_lesson, other_data):
    run = run_lesson("06_program_evaluation", horizon_months=6, operating_cost=0.0,
                     setup_cost=0.0, call_back_cost=500.0, rollout_members=100,
                     phase_months=0, bootstrap_replicates=20, seed=3,
                     data_dir=other_data)
    assert not run.problems
    text = run.printed
    assert "per enrolled member, margin over 6 months discounted at 12% a year" in text
    assert "after its 500 MXN" in text
    assert "next phase for 100 members" in text and "another 0-month phase" in text
    assert "covers the truth: True" in text  # the randomized pilot's estimates


def test_a_negative_cost_gets_a_sentence(refusal):
    sentence = refusal("06_program_evaluation", operating_cost=-1)
    assert "operating_cost is -1" in sentence
