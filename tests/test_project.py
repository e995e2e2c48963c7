"""The project's own files agree with each other."""

import re
import tomllib
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PAIRED = sorted(ROOT.glob("notebooks/[0-9][0-9]*_*.ipynb")) + sorted(
    ROOT.glob("solutions/[0-9][0-9]*_*.ipynb")
)


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _spec(requirement: str) -> str:
    # conda has no extras: "ibis-framework[duckdb]>=10" is "ibis-framework>=10" there
    return re.sub(r"\[[^]]*\]", "", requirement.replace(" ", "").lower())


def test_environment_yml_lists_the_pyproject_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["dev"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    conda_specs = {_name(d): _spec(d) for d in conda}
    for requirement in wanted:
        assert _name(requirement) in conda_specs, f"{requirement} missing from environment.yml"
        assert conda_specs[_name(requirement)] == _spec(requirement), requirement
    extra = set(conda_specs) - {_name(r) for r in wanted} - {"python", "pip"}
    assert not extra, f"environment.yml lists packages pyproject does not: {extra}"


def test_lock_pins_every_dependency_exactly():
    lock = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not an exact pin: {line}"
            lock[_name(name)] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
        assert _name(requirement) in lock, f"{requirement} is not pinned in requirements.lock"


@pytest.mark.parametrize("notebook", PAIRED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_and_percent_script_are_in_sync(notebook):
    script = notebook.with_suffix(".py")
    assert script.is_file(), f"{notebook.name} has no paired percent script"
    from_script = jupytext.read(script)
    stored = nbformat.read(notebook, as_version=4)
    assert stored.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent"
    pairs = [(c.cell_type, c.source) for c in from_script.cells]
    assert pairs == [(c.cell_type, c.source) for c in stored.cells], (
        f"{notebook.name} differs from {script.name}: run `relmark refresh {script}`"
    )


@pytest.mark.parametrize("notebook", PAIRED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_lessons_follow_the_lesson_structure(notebook):
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", []), "first code cell must be parameters"
    assert all(c.outputs or not c.source.strip() or c.execution_count for c in code[1:]), (
        f"{notebook.name} is not stored executed"
    )
    assert any("NBVAL_CHECK_OUTPUT" in c.source for c in code)
    if notebook.parent.name == "notebooks":
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        for heading in ("Learning objectives", "Key takeaways", "Exercises"):
            assert heading in text, f"{notebook.name} lacks '{heading}'"


def test_reports_folder_holds_generated_output_only():
    ignore = (ROOT / ".gitignore").read_text()
    assert "reports/*" in ignore and "!reports/README.md" in ignore
    assert (ROOT / "reports" / "README.md").is_file()


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.parametrize("notebook", PAIRED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_papermill_sees_every_parameter(notebook):
    """papermill parses each assignment of the parameters cell (no silent "unknown parameter")."""
    import ast

    import papermill

    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assigned = {
        target.id
        for node in ast.parse(cell.source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
    }
    assert "data_dir" in assigned
    assert set(papermill.inspect_notebook(notebook)) == assigned
