"""The relmark command: readable messages and exit codes, never a traceback.

The commands run in the test process through :func:`relmark_lab.cli.main`, with
the repository as the working directory and both the Python streams and file
descriptors 1 and 2 captured (a kernel's output included): a fresh interpreter
per command would import the kit again, about 5 s of CPU each. One test runs
``python -m relmark_lab.cli`` itself, for the exit status the shell sees.
"""

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from relmark_lab import DataError, cli

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Finished:
    """What a command left behind, as :class:`subprocess.CompletedProcess` names it."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def relmark(capfd, monkeypatch):
    """``relmark("run", ...)`` runs the command as the shell would, from the repository."""
    monkeypatch.chdir(ROOT)

    def run(*args) -> Finished:
        capfd.readouterr()  # only this command's output
        status = cli.main([str(arg) for arg in args])
        out, err = capfd.readouterr()
        return Finished(status, out, err)

    return run


@pytest.mark.parametrize("command", ["run", "datasets", "exercises", "refresh"])
def test_every_command_has_help(command):
    with pytest.raises(SystemExit) as exit_info:
        cli.main([command, "--help"])
    assert exit_info.value.code == 0


def test_data_error_exits_2_with_one_paragraph(monkeypatch, capsys):
    def bad(args):
        raise DataError("Column 'amount': 3 values are not numbers, e.g. 'abc'.")

    monkeypatch.setattr(cli, "_cmd_datasets", bad)
    assert cli.main(["datasets"]) == 2
    err = capsys.readouterr().err
    assert err == "relmark datasets: Column 'amount': 3 values are not numbers, e.g. 'abc'.\n"


def test_bad_parameter_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["run", "-p", "no-equals-sign"])
    assert exit_info.value.code == 2
    assert "expected NAME=VALUE" in capsys.readouterr().err


def test_run_with_no_lessons_names_the_folder(relmark, tmp_path):
    result = relmark("run", "--notebooks", str(tmp_path), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "No lesson notebooks" in result.stderr and "Traceback" not in result.stderr


def test_failing_lesson_names_notebook_and_cell(relmark, tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError('boom')"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, tmp_path / "00_broken.ipynb")
    result = relmark("run", "--notebooks", str(tmp_path), "--output", str(tmp_path / "out"),
                     "--no-html")
    assert result.returncode == 1
    assert "00_broken.ipynb failed in cell 1" in result.stderr
    assert "ValueError: boom" in result.stderr
    assert "Traceback" not in result.stderr
    assert "FAILED" in result.stdout


def test_run_executes_with_parameters_and_renders_html(relmark, tmp_path):
    import nbformat

    params = nbformat.v4.new_code_cell("greeting = 'hola'")
    params.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[params, nbformat.v4.new_code_cell("print(greeting)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, tmp_path / "00_hello.ipynb")
    out = tmp_path / "out"
    result = relmark("run", "--notebooks", str(tmp_path), "--output", str(out),
                     "-p", "greeting=adiós")
    assert result.returncode == 0, result.stderr
    assert "[1/1] 00_hello.ipynb" in result.stdout and " ok" in result.stdout
    executed = nbformat.read(out / "00_hello.ipynb", as_version=4)
    assert executed.cells[-1].outputs[0]["text"] == "adiós\n"
    assert "adiós" in (out / "00_hello.html").read_text(encoding="utf-8")


def test_run_refuses_a_parameter_the_lessons_do_not_have(relmark, tmp_path):
    import nbformat

    params = nbformat.v4.new_code_cell("greeting = 'hola'")
    params.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[params, nbformat.v4.new_code_cell("print(greeting)")])
    nbformat.write(nb, tmp_path / "00_hello.ipynb")
    result = relmark("run", "--notebooks", str(tmp_path), "--output", str(tmp_path / "out"),
                     "-p", "greting=adiós")
    assert result.returncode == 1
    assert "No lesson run here has a parameter named 'greting'" in result.stderr
    assert "00_hello.ipynb: greeting" in result.stderr
    assert "Traceback" not in result.stderr


def test_exercises_check_reports_stale_files(relmark, tmp_path):
    result = relmark("exercises", "--output", str(tmp_path))
    assert result.returncode == 0
    stale = sorted(tmp_path.glob("*.ipynb"))[0]
    stale.write_text("{}")
    result = relmark("exercises", "--check", "--output", str(tmp_path))
    assert result.returncode == 1
    assert f"Out of date in {tmp_path}/: {stale.name}" in result.stderr


def test_datasets_with_bad_size_exits_2_without_traceback(tmp_path):
    """The one command run as its own process: ``python -m relmark_lab.cli`` exits 2."""
    result = subprocess.run(
        [sys.executable, "-m", "relmark_lab.cli", "datasets", "--customers", "10", "--output",
         str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 2
    assert result.stderr.startswith("relmark datasets: ")
    assert "n_customers" in result.stderr and "10" in result.stderr
    assert "Traceback" not in result.stderr


def test_datasets_regenerates_another_seed(relmark, tmp_path):
    result = relmark("datasets", "--customers", "300", "--seed", "3", "--output", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "files written to" in result.stdout
    assert (tmp_path / "transactions_raw.csv").is_file()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seed=7", ("seed", 7)),
        ("rate=0.1", ("rate", 0.1)),
        ("observation_end=2025-06-30", ("observation_end", "2025-06-30")),
        ("data_dir=null", ("data_dir", None)),
        ("name=Tienda", ("name", "Tienda")),
        ("dataset=no", ("dataset", "no")),
        ("flag=true", ("flag", True)),
        ("ks=[2, 3]", ("ks", [2, 3])),
        ("weights={\"amount\": 0.6}", ("weights", {"amount": 0.6})),
        ("rate=-1e-3", ("rate", -0.001)),
    ],
)
def test_parameters_are_typed_and_dates_stay_iso_strings(text, expected):
    assert cli._parameter(text) == expected


def test_invalid_json_parameter_is_a_usage_error_not_a_traceback(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["run", "-p", "data_dir=["])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "not valid JSON" in err and "Traceback" not in err


def test_refresh_of_a_missing_script_is_one_sentence(relmark, tmp_path):
    result = relmark("refresh", str(tmp_path / "nope.py"))
    assert result.returncode == 1
    assert "No such lesson script" in result.stderr and "Traceback" not in result.stderr


def test_refresh_of_a_failing_lesson_names_the_cell_and_keeps_the_notebook(relmark, tmp_path):
    script = tmp_path / "00_broken.py"
    script.write_text("# %%\nx = 1\n\n# %%\nraise ValueError('boom')\n")
    result = relmark("refresh", str(script))
    assert result.returncode == 1
    assert "00_broken.py failed in cell 1: ValueError: boom" in result.stderr
    assert "Traceback" not in result.stderr
    assert not script.with_suffix(".ipynb").exists()


@pytest.mark.parametrize("argv", [
    ["--help"], [], ["nope"], ["run", "--help"], ["datasets", "--help"], ["exercises", "--help"],
    ["translations", "--help"], ["refresh", "--help"], ["report", "--help"],
    ["run", "--lang", "fr"], ["run", "--only"], ["datasets", "--seed", "x"], ["refresh"],
    ["run", "--colour"], ["exercises", "--check=yes"],
])
def test_english_help_and_usage_errors_are_argparses_own(command, monkeypatch, capsys, argv):
    """The kit's parser (it speaks Spanish when asked) says in English exactly what a plain
    ``argparse.ArgumentParser`` says."""
    import argparse

    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("RELMARK_LANGUAGE", raising=False)
    kits = command(*argv)
    monkeypatch.setattr(cli, "ArgumentParser", argparse.ArgumentParser)
    assert command(*argv) == kits
    assert kits[0] in (0, 2)


def test_report_takes_lang_and_passes_it_on(command, monkeypatch, capsys):
    from relmark_lab import reports

    asked = []

    def render(template, data, **options):
        asked.append(options["language"])
        raise reports.ReportFailed("stopped by the test")

    monkeypatch.setattr(reports, "render", render)
    for extra in ([], ["--lang", "en"], ["--lang", "es"]):
        status, _out, err = command("report", "customer-base-health", "--data", "x.csv",
                                    *extra)
        assert status == 1 and err == "relmark report: stopped by the test\n"
    assert asked == [None, "en", "es"]  # None: the language in use
    status, _out, err = command("report", "--lang", "fr")
    assert status == 2 and "argument --lang: invalid choice: 'fr'" in err


def test_english_messages_of_a_run_are_unchanged(command, monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("RELMARK_LANGUAGE", raising=False)
    status, out, err = command("run", "--notebooks", str(tmp_path))
    assert (status, out) == (1, "")
    assert err == f"relmark run: No lesson notebooks (NN_topic.ipynb) found in {tmp_path}.\n"
    status, _out, err = command("report", "customer-base-health")
    assert status == 2
    assert err == ("relmark report: relmark report needs a TEMPLATE and --data SOURCE, e.g. "
                   "relmark report customer-base-health --data sales.csv (relmark report --list "
                   "shows the templates).\n")
