"""Lesson 01 runs at the edges of its days, and a bad value gets a sentence."""

import re
from pathlib import Path

import nbformat
import papermill as pm
import pytest

LESSON = Path(__file__).resolve().parents[2] / "notebooks" / "01_customer_identification.ipynb"


def _run(tmp_path, **parameters):
    out = tmp_path / "01.ipynb"
    pm.execute_notebook(str(LESSON), str(out), parameters=parameters, kernel_name="python3",
                        cwd=str(LESSON.parent), progress_bar=False)
    return nbformat.read(out, as_version=4)


def test_the_first_month_of_the_data_and_an_update_on_its_first_day_work(tmp_path):
    # The earliest observation_end the lesson allows (30 days after the first purchase),
    # with the earlier update of the customer table on the data's first day.
    notebook = _run(tmp_path, observation_end="2023-01-31", previous_update="2023-01-01")
    outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
    printed = "".join(output.get("text", "") for output in outputs)
    assert "observation end 2023-01-31" in printed
    assert "rows before (2023-01-01)" in printed
    assert not any(output.get("name") == "stderr" for output in outputs)


def test_a_threshold_in_words_is_refused_with_a_sentence(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as caught:
        _run(tmp_path, active_within_days="a year")
    assert caught.value.ename == "ParameterError"
    # The longest threshold is the length of the data in days (1,095 for the kit's).
    assert re.search(r"active_within_days is 'a year', but it must be a whole number from 1 "
                     r"to 1,?095\.", caught.value.evalue)
