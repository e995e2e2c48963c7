"""An instructor re-runs every lesson next semester on another data set: it still works."""

from pathlib import Path

import nbformat

from relmark_lab.datasets import write_datasets
from relmark_lab.lessons import run_lessons

ROOT = Path(__file__).resolve().parents[1]


def test_every_lesson_runs_on_another_seed_and_size(tmp_path):
    data = tmp_path / "data"
    write_datasets(data, seed=11, n_customers=1500)
    lines = []
    runs = run_lessons(
        ROOT / "notebooks", tmp_path / "out", parameters={"data_dir": str(data)},
        html=False, log=lines.append,
    )
    assert len(runs) == len(list((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb")))
    assert all(line.endswith("ok") for line in lines)
    # The lessons really read the other data: lesson 00 counts 1,500 customers.
    course_map = nbformat.read(tmp_path / "out" / "00_course_map.ipynb", as_version=4)
    printed = "".join(
        output.get("text", "") for cell in course_map.cells for output in cell.get("outputs", [])
    )
    assert "customers: 1,500" in printed
