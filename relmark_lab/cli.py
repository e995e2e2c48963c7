"""The ``relmark`` command: run the lessons and analyst reports, regenerate data and exercises.

Errors a user can cause (:class:`~relmark_lab.DataError`) and failing
lessons end with one readable paragraph and a non-zero exit status, never
a traceback: 2 for bad input, 1 for a lesson that failed or files that are
out of date.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from relmark_lab.errors import DataError

__all__ = ["main"]


_INTEGER = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")
_WORDS = {"true": True, "false": False, "null": None, "none": None}


def _parameter(text: str) -> tuple[str, object]:
    """Parse ``NAME=VALUE``: numbers, true/false, null, JSON lists/dicts, else text.

    Dates such as 2025-06-30 stay text (lessons take ISO strings), and words
    such as ``no`` stay text too, unlike YAML.
    """
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    if _INTEGER.fullmatch(value):
        return name, int(value)
    if _FLOAT.fullmatch(value):
        return name, float(value)
    if value.lower() in _WORDS:
        return name, _WORDS[value.lower()]
    if value[:1] in "[{":
        try:
            return name, json.loads(value)
        except json.JSONDecodeError as error:
            raise argparse.ArgumentTypeError(
                f"{name}: {value!r} looks like a JSON list or object but is not valid JSON "
                f"({error.msg}); quote the value to pass it as text."
            ) from None
    return name, value


def _cmd_run(args: argparse.Namespace) -> int:
    from relmark_lab.lessons import LessonFailed, run_lessons

    try:
        output = args.output or (Path("reports/lessons") if args.lang == "en"
                                 else Path("reports/lessons") / args.lang)
        runs = run_lessons(
            args.notebooks, output, parameters=dict(args.parameter or []),
            only=args.only, html=not args.no_html, language=args.lang,
        )
    except (LessonFailed, DataError) as failure:
        print(f"relmark run: {failure}", file=sys.stderr)
        return 1
    total = sum(run.seconds for run in runs)
    print(f"{len(runs)} lesson(s) executed in {total:.1f} s; output in {output}/")
    return 0


def _cmd_datasets(args: argparse.Namespace) -> int:
    from relmark_lab.datasets import write_datasets

    paths = write_datasets(args.output, seed=args.seed, n_customers=args.customers)
    size = sum(p.stat().st_size for p in paths) / 1e6
    print(f"{len(paths)} files written to {args.output}/ ({size:.1f} MB)")
    return 0


def _cmd_exercises(args: argparse.Namespace) -> int:
    from relmark_lab.exercises import generate_exercises, stale_exercises

    output = args.output or (Path("exercises") if args.lang == "en"
                             else Path("exercises") / args.lang)
    try:
        if args.check:
            stale = stale_exercises(args.solutions, output, args.lang)
            if stale:
                print(f"Out of date in {output}/: {', '.join(stale)}. Run `relmark exercises"
                      f"{'' if args.lang == 'en' else ' --lang ' + args.lang}` and commit the "
                      "result.", file=sys.stderr)
                return 1
            print(f"{output}/ is up to date with {args.solutions}/")
            return 0
        paths = generate_exercises(args.solutions, output, args.lang)
    except DataError as error:
        print(f"relmark exercises: {error}", file=sys.stderr)
        return 2
    print(f"{len(paths)} exercise notebook(s) written to {output}/")
    return 0


def _cmd_translations(args: argparse.Namespace) -> int:
    import jupytext

    from relmark_lab.i18n.notebooks import notebook_key, untranslated, update_catalog

    scripts = [p for folder in ("notebooks", "solutions")
               for p in sorted(Path(folder).glob("[0-9][0-9]*_*.py"))]
    if not scripts:
        print("relmark translations: no lesson scripts in notebooks/ or solutions/; run it "
              "from the kit's folder.", file=sys.stderr)
        return 2
    unfinished = 0
    for script in scripts:
        if args.check:
            missing = len(untranslated(jupytext.read(script), notebook_key(script), args.lang))
            counts = f"{missing} without a translation"
        else:
            found = update_catalog(script, args.lang)
            missing = found["missing"] + found["fuzzy"]
            counts = (f"{found['translated']} translated, {found['fuzzy']} to review (fuzzy), "
                      f"{found['missing']} missing")
        unfinished += missing
        print(f"{notebook_key(script):<40} {counts}")
    if args.check and unfinished:
        print(f"relmark translations: {unfinished} narrative cell(s) lack a {args.lang} "
              "translation. Run `relmark translations` and fill the catalogs.", file=sys.stderr)
        return 1
    return 0


def _cmd_refresh(args: argparse.Namespace) -> int:
    from relmark_lab.lessons import LessonFailed, refresh_notebook

    for script in args.scripts:
        try:
            print(f"refreshed {refresh_notebook(script)}")
        except LessonFailed as failure:
            print(f"relmark refresh: {failure}", file=sys.stderr)
            return 1
    return 0


def _columns(text: str) -> dict[str, str]:
    """``customer_id=CustomerID,date=InvoiceDate`` (or a JSON object) as a dict."""
    if text.lstrip().startswith("{"):
        try:
            mapping = json.loads(text)
        except json.JSONDecodeError as error:
            raise argparse.ArgumentTypeError(f"--columns is not valid JSON ({error.msg})") from None
        if isinstance(mapping, dict):
            return {str(k): str(v) for k, v in mapping.items()}
    pairs = [part.partition("=") for part in text.split(",") if part.strip()]
    if not pairs or any(not sep or not key.strip() for key, sep, _ in pairs):
        raise argparse.ArgumentTypeError(
            f"expected CANONICAL=YOURS pairs such as customer_id=CustomerID,date=InvoiceDate, "
            f"got {text!r}")
    return {key.strip(): value.strip() for key, _, value in pairs}


def _cmd_report(args: argparse.Namespace) -> int:
    from relmark_lab import reports

    if args.list:
        for row in reports.list_templates().itertuples():
            print(f"{row.template}\n  shows: {row.shows}\n  parameters (-p): {row.parameters}")
        return 0
    if not args.template or args.data is None:
        raise DataError("relmark report needs a TEMPLATE and --data SOURCE, e.g. relmark report "
                        "customer-base-health --data sales.csv (relmark report --list shows "
                        "the templates).")
    if args.by:
        batch = reports.render_by(args.template, args.data, args.by, columns=args.columns,
                                  parameters=dict(args.parameter or []), query=args.query,
                                  output=args.output, show_ids=args.show_ids)
        print(f"{len(batch.runs)} report(s) by {args.by}: {batch.index}")
        for value, reason in batch.failed.items():
            print(f"relmark report: {args.by}={value!r} failed: {reason}", file=sys.stderr)
        return 1 if batch.failed else 0
    try:
        run = reports.render(args.template, args.data, columns=args.columns,
                             parameters=dict(args.parameter or []), query=args.query,
                             output=args.output, show_ids=args.show_ids,
                             progress=sys.stderr.isatty())
    except reports.ReportFailed as failure:
        print(f"relmark report: {failure}", file=sys.stderr)
        return 1
    print(f"{run.template}: {run.html} ({len(run.files)} CSV file(s) with real ids beside it)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``relmark`` (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(
        prog="relmark", description="relmark-lab: relationship-marketing lessons and tools."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="execute every lesson in order and render it to HTML")
    run.add_argument("--notebooks", default="notebooks", type=Path, help="lesson folder")
    run.add_argument("--output", type=Path,
                     help="output folder (default reports/lessons; reports/lessons/es with "
                          "--lang es)")
    run.add_argument("--lang", default="en", choices=["en", "es"],
                     help="the edition to run: English or Spanish (narrative from the catalogs)")
    run.add_argument("--only", nargs="+", metavar="NN", help="lesson numbers to run, e.g. 00 03")
    run.add_argument(
        "-p", "--parameter", action="append", type=_parameter, metavar="NAME=VALUE",
        help="papermill parameter for every lesson, e.g. -p seed=7 (repeatable)",
    )
    run.add_argument("--no-html", action="store_true", help="skip the HTML rendering")
    run.set_defaults(handler=_cmd_run)

    data = commands.add_parser(
        "datasets", help="regenerate the kit's synthetic data sets and their data card")
    data.add_argument("--output", default="datasets", type=Path,
                      help="folder to write to (its README.md becomes the data card)")
    data.add_argument("--seed", default=20261125, type=int, help="random seed")
    data.add_argument("--customers", default=5000, type=int, help="number of customers")
    data.set_defaults(handler=_cmd_datasets)

    exercises = commands.add_parser("exercises", help="generate exercises/ from solutions/")
    exercises.add_argument("--solutions", default="solutions", type=Path)
    exercises.add_argument("--output", type=Path,
                           help="default exercises/ (exercises/es/ with --lang es)")
    exercises.add_argument("--lang", default="en", choices=["en", "es"],
                           help="the edition: Spanish takes the narrative from the catalogs")
    exercises.add_argument(
        "--check", action="store_true", help="only report exercises that are out of date"
    )
    exercises.set_defaults(handler=_cmd_exercises)

    translations = commands.add_parser(
        "translations", help="update the catalogs of the lessons' narrative from their scripts")
    translations.add_argument("--lang", default="es", choices=["es"])
    translations.add_argument("--check", action="store_true",
                              help="only report cells without a finished translation")
    translations.set_defaults(handler=_cmd_translations)

    refresh = commands.add_parser(
        "refresh", help="rebuild NN_topic.ipynb from its percent script and execute it"
    )
    refresh.add_argument("scripts", nargs="+", type=Path, metavar="SCRIPT.py")
    refresh.set_defaults(handler=_cmd_refresh)

    report = commands.add_parser(
        "report", help="run an analyst report template on your data, rendered to share")
    report.add_argument("template", nargs="?", metavar="TEMPLATE",
                        help="a template name (see --list)")
    report.add_argument("--list", action="store_true", help="describe the templates")
    report.add_argument("--data", metavar="SOURCE",
                        help="transactions: CSV (also .gz/.zip), .xlsx, Parquet, or a DuckDB "
                             "database with --query")
    report.add_argument("--query", help="SQL selecting the rows of a DuckDB --data")
    report.add_argument("--columns", type=_columns, metavar="MAP",
                        help="canonical=yours pairs, e.g. customer_id=CustomerID,date=Fecha")
    report.add_argument(
        "-p", "--parameter", action="append", type=_parameter, metavar="NAME=VALUE",
        help="template parameter, e.g. -p currency=GBP (repeatable)",
    )
    report.add_argument("--by", metavar="COLUMN",
                        help="one report per value of this column, and an index.html")
    report.add_argument("--output", default="reports/analyses", type=Path,
                        help="folder for the report's files")
    report.add_argument("--show-ids", action="store_true",
                        help="real customer ids in the HTML (default: keyed pseudonyms)")
    report.set_defaults(handler=_cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``relmark`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except DataError as error:
        print(f"relmark {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
