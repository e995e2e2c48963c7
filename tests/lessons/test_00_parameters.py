"""Lesson 00 re-run by an instructor: another data folder works, a bad value is a sentence."""

from pathlib import Path

import nbformat
import papermill as pm
import pytest

from relmark_lab.datasets import write_datasets

LESSON = Path(__file__).resolve().parents[2] / "notebooks" / "00_course_map.ipynb"


def _run(tmp_path, **parameters):
    executed = tmp_path / "00.ipynb"
    pm.execute_notebook(str(LESSON), str(executed), parameters=parameters,
                        kernel_name="python3", cwd=str(LESSON.parent), progress_bar=False)
    return nbformat.read(executed, as_version=4)


def test_bad_values_stop_the_lesson_with_one_sentence_each(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as caught:
        _run(tmp_path, cdnow_kind="big", data_dir=str(tmp_path / "no such folder"))
    assert caught.value.ename == "ParameterError"
    assert "cdnow_kind is 'big', but it must be one of 'sample', 'master'." in caught.value.evalue
    assert "data_dir is " in caught.value.evalue and "must be an existing folder" in \
        caught.value.evalue


def test_the_lesson_runs_on_a_small_data_set_simulated_with_another_seed(tmp_path):
    data = tmp_path / "data"
    write_datasets(data, seed=3, n_customers=300)
    notebook = _run(tmp_path, data_dir=str(data))
    printed = "".join(output.get("text", "") for cell in notebook.cells
                      for output in cell.get("outputs", []))
    assert "customers: 300" in printed
    assert not any(output.get("name") == "stderr" for cell in notebook.cells
                   for output in cell.get("outputs", []))
