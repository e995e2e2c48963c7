"""Lesson 03 runs at the edges of its parameters, and a bad value gets a sentence."""


def test_a_snapshot_after_which_nobody_joins_runs_with_three_bins(run_lesson, other_data):
    # 2025-06-30 is the kit's last signup day: the migration has no "(new)" row. Tercile
    # scores, the CDNOW sample and a tiny test sample (cells without test contacts) too.
    run = run_lesson("03_rfm", snapshot_end="2025-06-30", cdnow_kind="sample", bins=3,
                     n_clusters=2, test_share=0.01, data_dir=other_data)
    assert "customers at 2025-06-30: 1,500; new since then: 0;" in run.printed
    assert "r_score {1: 500, 2: 500, 3: 500}" in run.printed
    assert "2 clusters; centres" in run.printed
    assert "CDNOW sample: 2,357 customers" in run.printed
    assert not run.problems


def test_a_bad_parameter_stops_the_first_cell_with_a_sentence(refusal):
    sentence = refusal("03_rfm", n_clusters="four", test_share=1)
    assert "n_clusters is 'four', but it must be a whole number from 2 to 12." in sentence
    assert "test_share is 1, but it must be a number strictly between 0 and 1." in sentence
