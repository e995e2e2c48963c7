"""Lesson 04a runs at the edges of its parameters, and a bad value gets a sentence."""

from pathlib import Path

import nbformat
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "notebooks" / "04a_clv_contractual.ipynb"


def _run(tmp_path, **parameters):
    out = tmp_path / "04a.ipynb"
    pm.execute_notebook(str(LESSON), str(out), parameters=parameters, kernel_name="python3",
                        cwd=str(LESSON.parent), progress_bar=False)
    return nbformat.read(out, as_version=4)


def _printed(nb):
    return "".join(output.get("text", "") + output.get("data", {}).get("text/plain", "")
                   for cell in nb.cells if cell.cell_type == "code"
                   for output in cell.get("outputs", []))


def test_monthly_cohorts_from_the_first_year_run_and_say_months(tmp_path):
    # The default run (nbval) covers the last allowed base_year, 2024; this one the first.
    nb = _run(tmp_path, cohort_period="M", cake_period="Q", base_year=2023, fit_years=11,
              tenure_renewals=12)
    printed = _printed(nb)
    assert "share buying one month after acquisition" in printed
    assert "months:" in printed and "first cohort 2023-01" in printed
    assert "quarter" not in printed
    assert "buyers in 2023" in printed and "after 12 renewals" in printed
    assert not [output for cell in nb.cells for output in cell.get("outputs", [])
                if output.get("name") == "stderr" or output.get("output_type") == "error"]


def test_a_bad_parameter_stops_the_first_cell_with_a_sentence(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as error:
        _run(tmp_path, fit_years="seven")
    assert error.value.ename == "ParameterError"
    assert "fit_years is 'seven', but it must be a whole number from 3 to 11." in \
        error.value.evalue
