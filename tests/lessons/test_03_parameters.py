"""Lesson 03 runs at the edges of its parameters, and a bad value gets a sentence."""

from pathlib import Path

import nbformat
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "notebooks" / "03_rfm.ipynb"


def _run(tmp_path, **parameters):
    out = tmp_path / "03.ipynb"
    pm.execute_notebook(str(LESSON), str(out), parameters=parameters, kernel_name="python3",
                        cwd=str(LESSON.parent), progress_bar=False)
    return nbformat.read(out, as_version=4)


def _outputs(nb):
    return [output for cell in nb.cells if cell.cell_type == "code"
            for output in cell.get("outputs", [])]


def _printed(nb):
    return "".join(output.get("text", "") + output.get("data", {}).get("text/plain", "")
                   for output in _outputs(nb))


def test_a_snapshot_after_which_nobody_joins_runs_with_three_bins(tmp_path):
    # 2025-06-30 is the kit's last signup day: the migration has no "(new)" row. Tercile
    # scores, the CDNOW sample and a tiny test sample (cells without test contacts) too.
    nb = _run(tmp_path, snapshot_end="2025-06-30", cdnow_kind="sample", bins=3,
              n_clusters=2, test_share=0.01)
    printed = _printed(nb)
    assert "customers at 2025-06-30: 5,000; new since then: 0;" in printed
    assert "r_score {1: 1667, 2: 1667, 3: 1666}" in printed
    assert "2 clusters; centres" in printed and "CDNOW sample: 2,357 customers" in printed
    assert not [output for output in _outputs(nb)
                if output.get("name") == "stderr" or output.get("output_type") == "error"]


def test_a_bad_parameter_stops_the_first_cell_with_a_sentence(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as error:
        _run(tmp_path, n_clusters="four", test_share=1)
    assert error.value.ename == "ParameterError"
    assert "n_clusters is 'four', but it must be a whole number from 2 to 12." in \
        error.value.evalue
    assert "test_share is 1, but it must be a number strictly between 0 and 1." in \
        error.value.evalue
