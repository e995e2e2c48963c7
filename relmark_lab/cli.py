"""The ``relmark`` command: run the lessons and analyst reports, regenerate data and exercises.

Errors a user can cause (:class:`~relmark_lab.DataError`) and failing
lessons end with one readable paragraph and a non-zero exit status, never
a traceback: 2 for bad input, 1 for a lesson that failed or files that are
out of date.

The command speaks the kit's language (``RELMARK_LANGUAGE``), or the one
``--lang`` names for ``run``, ``exercises`` and ``report``: its help, its
messages and argparse's own words (usage, headings, errors), which
:class:`relmark_lab.i18n.parser.ArgumentParser` says in that language while
English stays argparse's own.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from relmark_lab.errors import DataError
from relmark_lab.i18n import LANGUAGES, speaking
from relmark_lab.i18n import gettext as _
from relmark_lab.i18n.parser import ArgumentParser

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
        raise argparse.ArgumentTypeError(_("expected NAME=VALUE, got {text!r}").format(
            text=text))
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
                _("{name}: {value!r} looks like a JSON list or object but is not valid JSON "
                  "({error}); quote the value to pass it as text.").format(
                    name=name, value=value, error=error.msg)
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
    print(_("{count} lesson(s) executed in {seconds:.1f} s; output in {folder}/").format(
        count=len(runs), seconds=total, folder=output))
    return 0


def _cmd_datasets(args: argparse.Namespace) -> int:
    from relmark_lab.datasets import write_datasets

    paths = write_datasets(args.output, seed=args.seed, n_customers=args.customers)
    size = sum(p.stat().st_size for p in paths) / 1e6
    print(_("{count} files written to {folder}/ ({size:.1f} MB)").format(
        count=len(paths), folder=args.output, size=size))
    return 0


def _cmd_exercises(args: argparse.Namespace) -> int:
    from relmark_lab.exercises import generate_exercises, stale_exercises

    output = args.output or (Path("exercises") if args.lang == "en"
                             else Path("exercises") / args.lang)
    try:
        if args.check:
            stale = stale_exercises(args.solutions, output, args.lang)
            if stale:
                command = "relmark exercises" + ("" if args.lang == "en"
                                                 else " --lang " + args.lang)
                print(_("Out of date in {folder}/: {names}. Run `{command}` and commit the "
                        "result.").format(folder=output, names=", ".join(stale),
                                          command=command), file=sys.stderr)
                return 1
            print(_("{folder}/ is up to date with {solutions}/").format(
                folder=output, solutions=args.solutions))
            return 0
        paths = generate_exercises(args.solutions, output, args.lang)
    except DataError as error:
        print(f"relmark exercises: {error}", file=sys.stderr)
        return 2
    print(_("{count} exercise notebook(s) written to {folder}/").format(
        count=len(paths), folder=output))
    return 0


def _cmd_translations(args: argparse.Namespace) -> int:
    import jupytext

    from relmark_lab.i18n.notebooks import notebook_key, untranslated, update_catalog
    from relmark_lab.reports.render import TEMPLATE_DIR

    scripts = [p for folder in ("notebooks", "solutions")
               for p in sorted(Path(folder).glob("[0-9][0-9]*_*.py"))]
    if not scripts:
        print(_("relmark translations: no lesson scripts in notebooks/ or solutions/; run it "
                "from the kit's folder."), file=sys.stderr)
        return 2
    unfinished = 0
    for script in scripts + sorted(TEMPLATE_DIR.glob("[a-z]*.py")):  # and the report templates
        if args.check:
            missing = len(untranslated(jupytext.read(script), notebook_key(script), args.lang))
            counts = _("{missing} without a translation").format(missing=missing)
        else:
            found = update_catalog(script, args.lang)
            missing = found["missing"] + found["fuzzy"]
            counts = _("{translated} translated, {fuzzy} to review (fuzzy), {missing} "
                       "missing").format(**found)
        unfinished += missing
        print(f"{notebook_key(script):<40} {counts}")
    if args.check and unfinished:
        print(_("relmark translations: {count} narrative cell(s) lack a {language} "
                "translation. Run `relmark translations` and fill the catalogs.").format(
                    count=unfinished, language=args.lang), file=sys.stderr)
        return 1
    return 0


def _cmd_refresh(args: argparse.Namespace) -> int:
    from relmark_lab.lessons import LessonFailed, refresh_notebook

    for script in args.scripts:
        try:
            print(_("refreshed {notebook}").format(notebook=refresh_notebook(script)))
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
            raise argparse.ArgumentTypeError(
                _("--columns is not valid JSON ({error})").format(error=error.msg)) from None
        if isinstance(mapping, dict):
            return {str(k): str(v) for k, v in mapping.items()}
    pairs = [part.partition("=") for part in text.split(",") if part.strip()]
    if not pairs or any(not sep or not key.strip() for key, sep, _value in pairs):
        raise argparse.ArgumentTypeError(
            _("expected CANONICAL=YOURS pairs such as customer_id=CustomerID,date=InvoiceDate, "
              "got {text!r}").format(text=text))
    return {key.strip(): value.strip() for key, _sep, value in pairs}


def _cmd_report(args: argparse.Namespace) -> int:
    from relmark_lab import reports

    if args.list:
        for row in reports.list_templates().itertuples():
            print(_("{template}\n  shows: {shows}\n  parameters (-p): {parameters}").format(
                template=row.template, shows=row.shows, parameters=row.parameters))
        return 0
    if not args.template or args.data is None:
        raise DataError(_("relmark report needs a TEMPLATE and --data SOURCE, e.g. relmark "
                          "report customer-base-health --data sales.csv (relmark report --list "
                          "shows the templates)."))
    if args.by:
        batch = reports.render_by(args.template, args.data, args.by, columns=args.columns,
                                  parameters=dict(args.parameter or []), query=args.query,
                                  output=args.output, show_ids=args.show_ids,
                                  language=args.lang)
        print(_("{count} report(s) by {column}: {index}").format(
            count=len(batch.runs), column=args.by, index=batch.index))
        for value, reason in batch.failed.items():
            print(_("relmark report: {column}={value!r} failed: {reason}").format(
                column=args.by, value=value, reason=reason), file=sys.stderr)
        return 1 if batch.failed else 0
    try:
        run = reports.render(args.template, args.data, columns=args.columns,
                             parameters=dict(args.parameter or []), query=args.query,
                             output=args.output, show_ids=args.show_ids,
                             progress=sys.stderr.isatty(), language=args.lang)
    except reports.ReportFailed as failure:
        print(f"relmark report: {failure}", file=sys.stderr)
        return 1
    print(_("{template}: {html} ({count} CSV file(s) with real ids beside it)").format(
        template=run.template, html=run.html, count=len(run.files)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``relmark`` (exposed for tests and docs).

    Its help is written in the language in use when it is built.
    """
    parser = ArgumentParser(
        prog="relmark", description=_("relmark-lab: relationship-marketing lessons and tools.")
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run", help=_("execute every lesson in order and render it to HTML"))
    run.add_argument("--notebooks", default="notebooks", type=Path, help=_("lesson folder"))
    run.add_argument("--output", type=Path,
                     help=_("output folder (default reports/lessons; reports/lessons/es with "
                            "--lang es)"))
    run.add_argument("--lang", default="en", choices=["en", "es"],
                     help=_("the edition to run: English or Spanish (narrative from the "
                            "catalogs)"))
    run.add_argument("--only", nargs="+", metavar="NN",
                     help=_("lesson numbers to run, e.g. 00 03"))
    run.add_argument(
        "-p", "--parameter", action="append", type=_parameter, metavar="NAME=VALUE",
        help=_("papermill parameter for every lesson, e.g. -p seed=7 (repeatable)"),
    )
    run.add_argument("--no-html", action="store_true", help=_("skip the HTML rendering"))
    run.set_defaults(handler=_cmd_run)

    data = commands.add_parser(
        "datasets", help=_("regenerate the kit's synthetic data sets and their data card"))
    data.add_argument("--output", default="datasets", type=Path,
                      help=_("folder to write to (its README.md becomes the data card)"))
    data.add_argument("--seed", default=20261125, type=int, help=_("random seed"))
    data.add_argument("--customers", default=5000, type=int, help=_("number of customers"))
    data.set_defaults(handler=_cmd_datasets)

    exercises = commands.add_parser("exercises", help=_("generate exercises/ from solutions/"))
    exercises.add_argument("--solutions", default="solutions", type=Path)
    exercises.add_argument("--output", type=Path,
                           help=_("default exercises/ (exercises/es/ with --lang es)"))
    exercises.add_argument("--lang", default="en", choices=["en", "es"],
                           help=_("the edition: Spanish takes the narrative from the catalogs"))
    exercises.add_argument(
        "--check", action="store_true", help=_("only report exercises that are out of date")
    )
    exercises.set_defaults(handler=_cmd_exercises)

    translations = commands.add_parser(
        "translations",
        help=_("update the catalogs of the lessons' narrative from their scripts"))
    translations.add_argument("--lang", default="es", choices=["es"])
    translations.add_argument("--check", action="store_true",
                              help=_("only report cells without a finished translation"))
    translations.set_defaults(handler=_cmd_translations)

    refresh = commands.add_parser(
        "refresh", help=_("rebuild NN_topic.ipynb from its percent script and execute it")
    )
    refresh.add_argument("scripts", nargs="+", type=Path, metavar="SCRIPT.py")
    refresh.set_defaults(handler=_cmd_refresh)

    report = commands.add_parser(
        "report", help=_("run an analyst report template on your data, rendered to share"))
    report.add_argument("template", nargs="?", metavar="TEMPLATE",
                        help=_("a template name (see --list)"))
    report.add_argument("--list", action="store_true", help=_("describe the templates"))
    report.add_argument("--data", metavar="SOURCE",
                        help=_("transactions: CSV (also .gz/.zip), .xlsx, Parquet, or a DuckDB "
                               "database with --query"))
    report.add_argument("--query", help=_("SQL selecting the rows of a DuckDB --data"))
    report.add_argument("--columns", type=_columns, metavar="MAP",
                        help=_("canonical=yours pairs, e.g. customer_id=CustomerID,date=Fecha"))
    report.add_argument(
        "-p", "--parameter", action="append", type=_parameter, metavar="NAME=VALUE",
        help=_("template parameter, e.g. -p currency=GBP (repeatable)"),
    )
    report.add_argument("--by", metavar="COLUMN",
                        help=_("one report per value of this column, and an index.html"))
    report.add_argument("--output", default="reports/analyses", type=Path,
                        help=_("folder for the report's files"))
    report.add_argument("--show-ids", action="store_true",
                        help=_("real customer ids in the HTML (default: keyed pseudonyms)"))
    report.add_argument("--lang", choices=["en", "es"],
                        help=_("the report's language: English or Spanish (default: the kit's, "
                               "RELMARK_LANGUAGE)"))
    report.set_defaults(handler=_cmd_report)
    return parser


#: The commands whose ``--lang`` names an edition; they also speak it. (``translations
#: --lang`` names the catalogs to fill, so that command speaks the kit's language.)
_EDITION_COMMANDS = ("run", "exercises", "report")


def _language_asked(argv: Sequence[str]) -> str | None:
    """The language the command's own ``--lang`` names, read before the parser is built
    (its help is written in that language), or None.

    Examples
    --------
    >>> _language_asked(["report", "--list", "--lang=es"]), _language_asked(["run", "--lang", "en"])
    ('es', 'en')
    >>> _language_asked(["translations", "--lang", "es"]) is None
    True
    """
    if not argv or argv[0] not in _EDITION_COMMANDS:
        return None
    asked, words = None, list(argv[1:])
    for position, word in enumerate(words):
        if word == "--":
            break
        option, equals, value = word.partition("=")
        if option.startswith("--l") and "--lang".startswith(option):  # or argparse's --la
            value = value if equals else (words[position + 1:] or [""])[0]
            asked = value if value in LANGUAGES else asked
    return asked


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``relmark`` command; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    with speaking(_language_asked(argv)):
        args = build_parser().parse_args(argv)
        try:
            return args.handler(args)
        except DataError as error:
            print(f"relmark {args.command}: {error}", file=sys.stderr)
            return 2


if __name__ == "__main__":
    sys.exit(main())
