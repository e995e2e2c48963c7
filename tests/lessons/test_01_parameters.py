"""Lesson 01 re-run by an instructor: edge dates work, a bad value is a sentence."""

import re


def test_the_first_month_of_the_data_and_an_update_on_its_first_day_work(run_lesson, other_data):
    # The earliest observation_end the lesson allows (30 days after the first purchase),
    # with the earlier update of the customer table on the data's first day.
    run = run_lesson("01_customer_identification", observation_end="2023-01-31",
                     previous_update="2023-01-01", data_dir=other_data)
    assert "observation end 2023-01-31" in run.printed
    assert "rows before (2023-01-01)" in run.printed
    assert not run.problems


def test_a_threshold_in_words_is_refused_with_a_sentence(refusal):
    sentence = refusal("01_customer_identification", active_within_days="a year")
    # The longest threshold is the length of the data in days (1,095 for the kit's).
    assert re.search(r"active_within_days is 'a year', but it must be a whole number from 1 "
                     r"to 1,?095\.", sentence)
