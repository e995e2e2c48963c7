"""Lesson 00 re-run by an instructor: another data folder works, a bad value is a sentence."""

from relmark_lab.datasets import write_datasets


def test_bad_values_stop_the_lesson_with_one_sentence_each(refusal, tmp_path):
    sentence = refusal("00_course_map", cdnow_kind="big",
                       data_dir=str(tmp_path / "no such folder"))
    assert "cdnow_kind is 'big', but it must be one of 'sample', 'master'." in sentence
    assert "data_dir is " in sentence and "must be an existing folder" in sentence


def test_the_lesson_runs_on_a_small_data_set_simulated_with_another_seed(run_lesson, tmp_path):
    data = tmp_path / "data"
    write_datasets(data, seed=3, n_customers=300)
    run = run_lesson("00_course_map", data_dir=str(data))
    assert "customers: 300" in run.printed
    assert not run.problems
