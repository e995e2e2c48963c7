"""Lesson 02 runs at the edges of its parameters, and a bad value gets a sentence."""

from pathlib import Path

import nbformat
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "notebooks" / "02_customer_differentiation.ipynb"


def _run(tmp_path, **parameters):
    out = tmp_path / "02.ipynb"
    pm.execute_notebook(str(LESSON), str(out), parameters=parameters, kernel_name="python3",
                        cwd=str(LESSON.parent), progress_bar=False)
    return nbformat.read(out, as_version=4)


def _outputs(nb):
    return [output for cell in nb.cells if cell.cell_type == "code"
            for output in cell.get("outputs", [])]


def _printed(nb):
    return "".join(output.get("text", "") + output.get("data", {}).get("text/plain", "")
                   for output in _outputs(nb))


def test_no_budget_free_orders_and_a_single_tier_run(tmp_path):
    # No contact budget, orders that cost nothing to serve, one tier with a name of its own.
    nb = _run(tmp_path, contact_budget=0, cost_per_order=0, vip_tiers={"Top": 1.0})
    printed = _printed(nb)
    assert "5000 Top customers in common, Jaccard 1.00" in printed
    assert "Top customers who destroy value:" in printed
    assert "unspent: 0 MXN; expected net value of the plan: 0 MXN" in printed
    assert "the budget pays for 0% of one contact per customer" in printed
    assert not [output for output in _outputs(nb)
                if output.get("name") == "stderr" or output.get("output_type") == "error"]


def test_a_bad_parameter_stops_the_first_cell_with_a_sentence(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as error:
        _run(tmp_path, cost_per_contact="abc", late_rate_per_day=2)
    assert error.value.ename == "ParameterError"
    assert "cost_per_contact is 'abc', but it must be a number of at least 0 MXN." in \
        error.value.evalue
    assert "late_rate_per_day is 2, but it must be a number from 0 to 1." in error.value.evalue
