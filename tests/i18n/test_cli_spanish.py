"""The relmark command speaks Spanish when asked: its help, argparse's words, its messages,
and the lessons' run messages; English stays the command's own (tests/test_cli.py).

The language comes from ``RELMARK_LANGUAGE`` or a subcommand's own ``--lang``. Each
Spanish text is checked for the Spanish words it must hold, its values (options, counts,
folders) and for English sentences left over (English function words outside quotes,
backticks, option names and metavariables).
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import nbformat
import pytest
from babel.messages.pofile import read_po

from relmark_lab import DataError, i18n
from relmark_lab.exercises import exercise_from_solution
from relmark_lab.lessons import (
    Choice,
    Day,
    Number,
    ParameterError,
    Shares,
    WholeNumber,
    check_parameters,
)

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "relmark_lab" / "locale" / "es" / "LC_MESSAGES" / "cli.po"

#: Words that mark an English sentence; Spanish prose has none of them outside code.
ENGLISH = {"the", "and", "of", "is", "are", "with", "which", "this", "that", "from", "for",
           "each", "their", "what", "when", "how", "it", "be", "by", "not", "or", "an", "your",
           "you", "got", "to", "in", "show", "help", "message", "exit", "usage", "options",
           "positional", "arguments", "argument", "invalid", "choice", "choose", "required",
           "expected", "lesson", "lessons", "failed", "found", "such", "every", "folder",
           "must", "number", "whole", "day", "one"}


def _english_words(text: str) -> list[str]:
    """English words outside quoted values, `code`, option names (--lang, -p), metavariables
    (NAME=VALUE, COMMAND), {choices} and paths (reports/lessons/es, 00_x.ipynb)."""
    prose = re.sub(r"'[^']*'|`[^`]*`|\{[^}]*\}|\[[^\]]*\]|(?<!\w)--?[\w-]+|\b[A-Z_][A-Z_=.]+\b"
                   r"|\S*[/.]\S*", " ", text)
    # the subcommands' names (run, report...) are code too, at the start of a help line
    prose = re.sub(r"(?m)^\s+(run|datasets|exercises|translations|refresh|report)\b", " ", prose)
    return [w for w in re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñü]+", prose) if w.lower() in ENGLISH]




@pytest.fixture
def in_the_kit(monkeypatch):
    """Run from the repository, with help wrapped at 100 columns whatever the terminal."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "100")


def test_relmark_help_in_spanish_from_the_environment(command, in_the_kit, monkeypatch, capsys):
    monkeypatch.setenv("RELMARK_LANGUAGE", "es")
    status, out, _err = command("--help")
    assert status == 0
    assert out.startswith("uso: relmark [-h] COMMAND ...\n\nrelmark-lab: lecciones y "
                          "herramientas de marketing relacional.\n")
    assert "\nargumentos posicionales:\n" in out and "\nopciones:\n" in out
    assert "-h, --help    muestra este mensaje de ayuda y termina" in out
    assert "run         ejecuta cada lección en orden y la convierte en HTML" in out
    assert not _english_words(out), _english_words(out)


@pytest.mark.parametrize("asked", ["environment", "--lang es", "--lang=es", "--la es"])
def test_report_help_in_spanish_from_the_environment_or_its_lang(command, in_the_kit, monkeypatch,
                                                                  capsys, asked):
    words = ["report", "--help"]
    if asked == "environment":
        monkeypatch.setenv("RELMARK_LANGUAGE", "es")
    else:
        words[1:1] = asked.split()
    status, out, _err = command(*words)
    assert status == 0
    assert out.startswith("uso: relmark report [-h] [--list] [--data SOURCE]")
    for line in ["  TEMPLATE              el nombre de una plantilla (consulta --list)",
                 "  --by COLUMN           un informe por cada valor de esta columna, y un "
                 "index.html",
                 "  --lang {en,es}        el idioma del informe: inglés o español (por "
                 "omisión, el del kit:"]:
        assert line in out.splitlines()
    assert not _english_words(out), _english_words(out)


def test_an_explicit_lang_en_speaks_english_even_if_the_environment_says_es(command,
        in_the_kit, monkeypatch, capsys):
    monkeypatch.setenv("RELMARK_LANGUAGE", "es")
    _status, out, _err = command("report", "--lang", "en", "--help")
    assert out.startswith("usage: relmark report ")
    assert "the report's language: English or Spanish (default: the kit's," in out


def test_an_invalid_choice_is_spanish_and_names_the_value_and_the_choices(command, in_the_kit,
                                                                          monkeypatch, capsys):
    monkeypatch.setenv("RELMARK_LANGUAGE", "es")
    status, _out, err = command("run", "--lang", "fr")
    assert status == 2
    usage, message = err.rstrip("\n").rsplit("\n", 1)
    assert usage.startswith("uso: relmark run [-h]")
    assert message == ("relmark run: error: argumento --lang: opción no válida: 'fr' "
                       "(elige entre 'en', 'es')")

    monkeypatch.delenv("RELMARK_LANGUAGE")
    _status, _out, err = command("run", "--lang", "fr")
    assert err.startswith("usage: relmark run [-h]")
    assert err.endswith("relmark run: error: argument --lang: invalid choice: 'fr' (choose "
                        "from 'en', 'es')\n")


@pytest.mark.parametrize(("argv", "spanish", "english"), [
    ((), "relmark: error: faltan estos argumentos obligatorios: COMMAND",
     "relmark: error: the following arguments are required: COMMAND"),
    (("datasets", "--seed", "siete"),
     "relmark datasets: error: argumento --seed: valor int no válido: 'siete'",
     "relmark datasets: error: argument --seed: invalid int value: 'siete'"),
    (("run", "--only"), "relmark run: error: argumento --only: se esperaba al menos un argumento",
     "relmark run: error: argument --only: expected at least one argument"),
    (("run", "--colour"), "relmark: error: argumentos no reconocidos: --colour",
     "relmark: error: unrecognized arguments: --colour"),
    (("run", "-p", "semilla"),
     "relmark run: error: argumento -p/--parameter: se esperaba NAME=VALUE (nombre=valor), y se "
     "recibió 'semilla'",
     "relmark run: error: argument -p/--parameter: expected NAME=VALUE, got 'semilla'"),
    (("report", "--columns", "customer_id"),
     "relmark report: error: argumento --columns: se esperaban pares CANONICAL=YOURS (nombre del "
     "kit=nombre en tus datos), como customer_id=CustomerID,date=InvoiceDate, y se recibió "
     "'customer_id'",
     "relmark report: error: argument --columns: expected CANONICAL=YOURS pairs such as "
     "customer_id=CustomerID,date=InvoiceDate, got 'customer_id'"),
])
def test_bad_input_is_one_spanish_sentence_and_the_same_english_one(command,
        in_the_kit, monkeypatch, capsys, argv, spanish, english):
    monkeypatch.setenv("RELMARK_LANGUAGE", "es")
    status, _out, err = command(*argv)
    assert status == 2
    assert err.startswith("uso: relmark") and err.endswith("\n" + spanish + "\n"), err
    assert not _english_words(spanish.partition(": error: ")[2])

    monkeypatch.delenv("RELMARK_LANGUAGE")
    status, _out, err = command(*argv)
    assert status == 2 and err.startswith("usage: relmark") and err.endswith("\n" + english + "\n")


def test_a_report_without_data_is_a_spanish_data_error(command, in_the_kit, capsys):
    status, out, err = command("report", "customer-base-health", "--lang", "es")
    assert status == 2 and out == ""
    assert err == ("relmark report: relmark report necesita una plantilla (TEMPLATE) y --data "
                   "SOURCE, p. ej. relmark report customer-base-health --data ventas.csv "
                   "(relmark report --list muestra las plantillas).\n")


def test_report_passes_its_language_to_the_report(command, in_the_kit, monkeypatch, capsys):
    from relmark_lab import reports

    asked = {}

    def render(template, data, **options):
        asked.update(options)
        raise reports.ReportFailed("stopped by the test")

    monkeypatch.setattr(reports, "render", render)
    status, _out, err = command("report", "customer-base-health", "--data", "x.csv",
                                 "--lang", "es")
    assert status == 1 and asked["language"] == "es"
    assert err == "relmark report: stopped by the test\n"


def test_run_messages_in_spanish_with_lang_es(command, in_the_kit, capsys, tmp_path):
    status, _out, err = command("run", "--lang", "es", "--notebooks", str(tmp_path))
    assert status == 1
    assert err == (f"relmark run: No se encontraron cuadernos de lecciones (NN_topic.ipynb) en "
                   f"{tmp_path}.\n")

    params = nbformat.v4.new_code_cell("greeting = 'hola'")
    params.metadata["tags"] = ["parameters"]
    nbformat.write(nbformat.v4.new_notebook(cells=[params]), tmp_path / "00_hello.ipynb")
    status, _out, err = command("run", "--lang", "es", "--notebooks", str(tmp_path),
                                 "-p", "greting=adiós")
    assert status == 1
    assert err == ("relmark run: Ninguna de las lecciones que se ejecutan tiene un parámetro "
                   "llamado 'greting'. Los parámetros de las lecciones son:\n"
                   "  00_hello.ipynb: greeting\n")


def test_the_command_leaves_the_language_as_it_found_it(command, in_the_kit, capsys, tmp_path):
    command("run", "--lang", "es", "--notebooks", str(tmp_path))
    assert i18n.get_language() == "en"
    i18n.set_language("es")
    _status, _out, err = command("run", "--lang", "en", "--notebooks", str(tmp_path))
    assert err.startswith("relmark run: No lesson notebooks (NN_topic.ipynb) found in ")
    assert i18n.get_language() == "es"


def test_a_spanish_lesson_run_reports_progress_and_a_bad_parameter_in_spanish(command,
        in_the_kit, capsys, tmp_path):
    """Two tiny lessons in the Spanish edition: one runs, one stops at its parameter check,
    in its kernel, after ``use_lesson_display(language)`` has set the edition's language."""
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for name, check in [("00_ok", "WholeNumber(bins, low=1)"),
                        ("01_bins", "WholeNumber(bins, low=2, high=10)")]:
        params = nbformat.v4.new_code_cell('bins = 5\nlanguage = "en"')
        params.metadata["tags"] = ["parameters"]
        lesson = nbformat.v4.new_notebook(cells=[params, nbformat.v4.new_code_cell(
            "from relmark_lab.lessons import WholeNumber, check_parameters, use_lesson_display\n"
            f"use_lesson_display(language)\ncheck_parameters(bins={check})")])
        lesson.metadata["kernelspec"] = kernel
        nbformat.write(lesson, tmp_path / f"{name}.ipynb")
    status, out, err = command("run", "--lang", "es", "--notebooks", str(tmp_path),
                                "--output", str(tmp_path / "out"), "--no-html", "-p", "bins=1")
    assert status == 1
    first, second = out.splitlines()
    assert re.fullmatch(r"\[1/2\] 00_ok\.ipynb {30} *\d+\.\d s  listo", first), first
    assert second == "[2/2] 01_bins.ipynb" + " " * 27 + " FALLÓ"
    # cell 2 after papermill's injected parameters, executed third
    assert err == (f"relmark run: {tmp_path / '01_bins.ipynb'} falló en la celda 2 (número de "
                   "ejecución 3): ParameterError: Esta lección no puede ejecutarse con estos "
                   "parámetros:\n- bins vale 1, pero debe ser un número entero de 2 a 10.\nEl "
                   f"cuaderno ejecutado, con el traceback, es {tmp_path / 'out' / '01_bins.ipynb'}"
                   ".\n")
    assert not _english_words(err)


@pytest.mark.parametrize(("spec", "spanish", "english"), [
    (WholeNumber("cuatro", low=2, high=12), "- n vale 'cuatro', pero debe ser un número entero "
     "de 2 a 12.", "- n is 'cuatro', but it must be a whole number from 2 to 12."),
    (WholeNumber(1, low=2), "- n vale 1, pero debe ser un número entero mayor o igual que 2.",
     "- n is 1, but it must be a whole number of at least 2."),
    (Number(0, low=0, strict=True, unit="MXN"), "- n vale 0, pero debe ser un número mayor que "
     "0 MXN.", "- n is 0, but it must be a number above 0 MXN."),
    (Number(-5.0, low=0, unit="MXN"), "- n vale -5.0, pero debe ser un número mayor o igual que "
     "0 MXN.", "- n is -5.0, but it must be a number of at least 0 MXN."),
    (Choice("grande", ("sample", "master")), "- n vale 'grande', pero debe ser uno de estos "
     "valores: 'sample', 'master'.", "- n is 'grande', but it must be one of 'sample', 'master'."),
    (Shares({"VIP": 0.6, "Gold": 0.7}), "- n vale {'VIP': 0.6, 'Gold': 0.7}, pero debe asignar a "
     "cada nombre una proporción entre 0 y 1, y las proporciones deben sumar como máximo 1 "
     "(suman 1.3).", "- n is {'VIP': 0.6, 'Gold': 0.7}, but it must map names to shares between "
     "0 and 1 that add up to at most 1 (they add up to 1.3)."),
    (Day("2026-01-01", first="2023-01-01", last="2025-12-31"), "- n vale '2026-01-01', pero "
     "debe ser un día del 2023-01-01 al 2025-12-31.",
     "- n is '2026-01-01', but it must be a day from 2023-01-01 to 2025-12-31."),
    (Day("30/06/2025", optional=True), "- n vale '30/06/2025', pero debe ser un día escrito con "
     "el año primero, p. ej. '2025-06-30', o None.", "- n is '30/06/2025', but it must be a day "
     "written year first, e.g. '2025-06-30', or None."),
])
def test_a_lesson_parameter_in_spanish_and_in_english(spec, spanish, english):
    i18n.set_language("es")
    with pytest.raises(ParameterError) as caught:
        check_parameters(n=spec)
    assert str(caught.value) == "Esta lección no puede ejecutarse con estos parámetros:\n" + spanish
    assert not _english_words(str(caught.value))

    i18n.set_language("en")
    with pytest.raises(ParameterError) as caught:
        check_parameters(n=spec)
    assert str(caught.value) == "This lesson cannot run with these parameters:\n" + english


def test_unbalanced_solution_markers_in_spanish_show_the_cell():
    cell = "def f():\n    ### BEGIN SOLUTION\n    return 1\n"
    solution = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    i18n.set_language("es")
    with pytest.raises(DataError) as caught:
        exercise_from_solution(solution)
    assert str(caught.value) == ("los marcadores de solución de esta celda no forman pares "
                                 "(### BEGIN SOLUTION con su ### END SOLUTION):\n" + cell)
    i18n.set_language("en")
    with pytest.raises(DataError, match="^unbalanced solution markers in cell:\ndef f"):
        exercise_from_solution(solution)


def _fields(template: str) -> list[str]:
    """The {placeholders} of a template, with their format specs and conversions, in order."""
    return sorted(f"{name}!{conversion}:{spec}"
                  for _text, name, spec, conversion in string.Formatter().parse(template)
                  if name is not None)


def test_every_translation_keeps_its_placeholders_and_is_finished():
    with CATALOG.open("rb") as handle:
        messages = [m for m in read_po(handle, locale="es") if m.id]
    assert len(messages) >= 100
    for message in messages:
        assert message.string and not message.fuzzy, message.id
        assert _fields(message.string) == _fields(message.id), message.id
        assert message.string.count("\n") == message.id.count("\n"), message.id
