"""The package is laid out by course concept: small modules, stage-named plots and checks."""

import doctest
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import relmark_lab

PACKAGE = Path(relmark_lab.__file__).parent
MODULES = sorted(
    info.name for info in pkgutil.walk_packages([str(PACKAGE)], prefix="relmark_lab.")
)
STAGES = ("data", "identify", "differentiate", "rfm", "clv")


def test_no_module_is_over_about_400_lines():
    long = {path.relative_to(PACKAGE.parent).as_posix(): n for path in PACKAGE.rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 420}
    assert not long, f"split these by concept: {long}"


def test_every_stage_is_a_package_with_checks_named_after_it():
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file(), stage
    for stage in ("identify", "differentiate", "rfm", "clv"):
        assert (PACKAGE / "plots" / f"{stage}.py").is_file(), stage
    assert {p.stem for p in (PACKAGE / "checks").glob("*.py")} >= {"data", *STAGES[1:]}


@pytest.mark.parametrize("module", [m for m in MODULES if ".plots." in m and "._" not in m])
def test_plot_functions_are_named_plot(module):
    loaded = importlib.import_module(module)
    for name in loaded.__all__:
        thing = getattr(loaded, name)
        if inspect.isfunction(thing) and name != "squarify_layout":  # a layout, not a plot
            assert name.startswith("plot_"), f"{module}.{name}"


@pytest.mark.parametrize("module", [m for m in MODULES if "._" not in m])
def test_every_public_module_explains_itself_with_an_example(module):
    loaded = importlib.import_module(module)
    assert (loaded.__doc__ or "").strip(), f"{module} has no docstring"
    if module.endswith(("cli", "lessons", "exercises")):
        return  # they run notebooks or commands; their tests show them at work
    public = [name for name in getattr(loaded, "__all__", [])
              if callable(getattr(loaded, name)) and not inspect.ismodule(getattr(loaded, name))]
    if not public:
        return  # private building blocks only (e.g. the simulator's processes)
    examples = sum(len(test.examples) for test in doctest.DocTestFinder().find(loaded))
    assert examples, f"{module} has no example in its docstrings"


def test_no_docstring_points_outside_the_repository():
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "/work/" not in text and "../shared" not in text, path
