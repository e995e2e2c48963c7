"""pytest configuration for the whole repository.

``make test`` collects doctests from the package. The lessons' percent
scripts and the benchmarks are Python files too, but importing them would
run a lesson or a benchmark: lessons are tested through their stored
notebooks (nbval) instead, and benchmarks are run by hand.
"""

import pytest

collect_ignore_glob = ["notebooks/*.py", "solutions/*.py", "exercises/*", "benchmarks/*.py",
                       "relmark_lab/templates/*"]  # report templates run by tests/reports


def pytest_terminal_summary(terminalreporter):
    """One line each, when the browser or Spark tests were skipped, on how to run them."""
    import shutil

    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        terminalreporter.write_line(
            "Browser tests of the reports skipped: headless Chromium is not installed "
            "(`apt-get install chromium`, as .ci/run does in CI, runs them).")
    if not shutil.which("java"):
        terminalreporter.write_line(
            "Spark tests skipped: no Java runtime (`apt-get install openjdk-17-jre-headless`, "
            "as .ci/run does in CI, runs them).")


@pytest.fixture
def command(capsys):
    """``command(*argv)``: ``relmark`` run in this process, as (exit status, output, errors);
    argparse's exits (``--help``, usage errors) give their exit code as the status."""
    from relmark_lab import cli

    def run(*argv: str) -> tuple[object, str, str]:
        capsys.readouterr()
        try:
            status = cli.main(list(argv))
        except SystemExit as stop:
            status = stop.code
        out, err = capsys.readouterr()
        return status, out, err

    return run
