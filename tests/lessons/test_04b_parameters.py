"""Lesson 04b re-run by an instructor: edge parameters work and the text follows them."""


def test_a_short_calibration_and_holdout_run_and_the_labels_follow(run_lesson, other_data):
    run = run_lesson("04b_clv_noncontractual", calibration_end="1997-06-30",
                     holdout_end="1997-07-31", horizon_weeks=1, retention_cost_rate=0.5,
                     alive_threshold=0.9, data_dir=other_data)
    assert not run.problems
    text = run.printed
    assert "calibration: 1997-01-01 to 1997-06-30 (25.86 weeks)" in text
    assert "holdout repeat purchases (4.429 weeks after 1997-06-30)" in text
    assert "cumulative at week 31 (the end of the holdout)" in text
    assert "week 78" not in text and "weeks 40" not in text
    assert "-> reproduced" in text and "NOT reproduced" not in text  # the papers' own split
    assert "probably gone (P(alive) < 0.9)" in text
    assert "mean CLV over 1 week:" in text
    assert "retention spending eats the whole margin" in text
    assert ("every true parameter lies inside its 95% interval" in text
            or "true parameters lie inside their 95% interval" in text)


def test_a_holdout_ending_before_the_calibration_gets_a_sentence(refusal):
    sentence = refusal("04b_clv_noncontractual", holdout_end="1997-06-30")
    assert "holdout_end is '1997-06-30', but it must be a day from 1997-10-01 to 1998-06-30." \
        in sentence
