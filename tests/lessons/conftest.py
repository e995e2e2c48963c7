"""Run a lesson as an instructor would, with papermill, other parameters and other data.

Each lesson's parameter test runs it on :func:`other_data` (another seed and
size than the committed data) with parameters at their edges: next semester's
instructor changes both at once. The committed data are covered by nbval.
"""

from dataclasses import dataclass
from pathlib import Path

import nbformat
import papermill as pm
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@dataclass
class LessonRun:
    """An executed lesson: what it printed and the outputs a reader must not see."""

    notebook: nbformat.NotebookNode

    @property
    def outputs(self) -> list:
        return [output for cell in self.notebook.cells if cell.cell_type == "code"
                for output in cell.get("outputs", [])]

    @property
    def printed(self) -> str:
        return "".join(output.get("text", "") + output.get("data", {}).get("text/plain", "")
                       for output in self.outputs)

    @property
    def problems(self) -> list:
        """stderr (warnings included) and error outputs."""
        return [output for output in self.outputs
                if output.get("name") == "stderr" or output.get("output_type") == "error"]


#: Kernel starts tried before a "kernel died before replying" is taken as a failure.
KERNEL_START_ATTEMPTS = 3

#: Another seed and size than the committed data (seed 20261125, 5,000 customers).
OTHER_SEED, OTHER_CUSTOMERS = 11, 1500


@pytest.fixture(scope="session")
def other_data(tmp_path_factory):
    """A data folder simulated with another seed and size, made once per test process."""
    from relmark_lab.datasets import write_datasets

    folder = tmp_path_factory.mktemp("other_data")
    write_datasets(folder, seed=OTHER_SEED, n_customers=OTHER_CUSTOMERS)
    return str(folder)


@pytest.fixture
def run_lesson(tmp_path):
    """``run_lesson("03_rfm", bins=3)`` executes notebooks/03_rfm.ipynb with those parameters."""
    def run(name: str, **parameters) -> LessonRun:
        lesson = NOTEBOOKS / f"{name}.ipynb"
        executed = tmp_path / lesson.name
        for attempt in range(KERNEL_START_ATTEMPTS):
            try:
                pm.execute_notebook(str(lesson), str(executed), parameters=parameters,
                                    kernel_name="python3", cwd=str(NOTEBOOKS),
                                    progress_bar=False)
                break
            except RuntimeError as error:
                # Two test processes starting kernels at once can race for the same ports;
                # the kernel then dies before it answers. That is the machine, not the
                # lesson: start it again (a lesson's own error is a PapermillExecutionError).
                if "Kernel died before replying" not in str(error) or \
                        attempt == KERNEL_START_ATTEMPTS - 1:
                    raise
        return LessonRun(nbformat.read(executed, as_version=4))

    return run


@pytest.fixture
def refusal(run_lesson):
    """``refusal("03_rfm", n_clusters="four")``: the ParameterError sentence it stops with."""
    def refuse(name: str, **parameters) -> str:
        with pytest.raises(pm.PapermillExecutionError) as caught:
            run_lesson(name, **parameters)
        assert caught.value.ename == "ParameterError"
        # Cells 1 and 2 are the parameters and papermill's injected values; 3 checks them.
        assert caught.value.exec_count <= 3
        return caught.value.evalue

    return refuse
