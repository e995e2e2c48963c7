"""The reader's and the shared checks' messages speak Spanish when asked, unchanged English else.

Each bad call is made twice: in Spanish, where the message must hold its
Spanish words, the values it names (column, count, example) and no English
sentence; and in English, where it must be exactly the message the kit gave
before it was translated (the strings below). The ledger's printout (print,
the notebook's table, repr) is checked the same way, its numbers formatted
alike in both languages.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import i18n
from relmark_lab.data import DROP_REASONS
from relmark_lab.errors import DataError
from relmark_lab.i18n.catalogs import LOCALE, read_catalog, usable

CATALOG = LOCALE / "es" / "LC_MESSAGES" / "errors_data.po"

#: Words that mark an English sentence; a Spanish message has none outside values and code.
ENGLISH = {"the", "and", "of", "is", "are", "with", "which", "this", "that", "from", "for",
           "each", "their", "what", "when", "how", "it", "be", "by", "not", "or", "an", "your",
           "you", "column", "columns", "rows", "row", "values", "dates", "must", "missing",
           "found", "file", "pass", "check", "could", "none", "read", "kept", "dropped",
           "ledger", "notes", "rules", "amounts", "got", "empty", "has", "have", "off"}

RAW = pd.DataFrame({"Cliente": ["00042", "00042", "7"],
                    "Fecha": ["25/12/2024", "03/01/2025", "04/01/2025"],
                    "Importe": ["1.234,50", "-(10,00)", "0"]})
COLUMNS = {"customer_id": "Cliente", "date": "Fecha", "amount": "Importe"}
LINES = pd.DataFrame({"customer_id": ["a", "b", "c"],
                      "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
                      "amount": ["5", "N/D", "x"]})


def _english_words(text: str) -> list[str]:
    """English words outside quoted values ('Importe', "<tu columna>"), code (`df`) and
    identifiers, attributes, calls and Python's None (columns=, .ledger, read_transactions())."""
    prose = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\S*[_=(){}\[\]/]\S*|\.[A-Za-z]\w*"
                   r"|\b(?:None|True|False)\b", " ", text)
    return [w for w in re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñü]+", prose) if w.lower() in ENGLISH]


def _message(call) -> str:
    with pytest.raises(DataError) as raised:
        call()
    return str(raised.value)


CASES = {
    "missing columns": (
        lambda: rl.read_transactions(RAW),
        ["No se encontraron la(s) columna(s) obligatoria(s) 'customer_id', 'date', 'amount'",
         "Columnas encontradas: 'Cliente', 'Fecha', 'Importe'", '"customer_id": "<tu columna>"',
         "si la exportación tiene una cantidad y un precio unitario pero ningún monto"],
        "Required column(s) 'customer_id', 'date', 'amount' not found. Columns found: "
        "'Cliente', 'Fecha', 'Importe'. Say which column holds what with columns=, e.g. "
        'read_transactions(path, columns={"customer_id": "<your column>", "date": "<your '
        'column>", "amount": "<your column>"}) (an export with a quantity and a unit price but '
        'no amount: map "quantity" and "unit_price", and amount = quantity × unit_price).'),
    "mixed dates": (
        lambda: rl.read_transactions(
            RAW.assign(Fecha=["25/01/2024", "26/01/2024", "01/25/2024"]), COLUMNS),
        ["La columna 'Fecha' mezcla convenciones de fecha: 2 fechas son día/mes (p. ej., "
         "'25/01/2024') y 1 son mes/día (p. ej., '01/25/2024')", "pasa dayfirst=True o "
         "dayfirst=False", "fecha ilegible"],
        "Column 'Fecha' mixes date conventions: 2 dates are day/month (e.g. '25/01/2024') and 1 "
        "are month/day (e.g. '01/25/2024'). Fix them in the source, or pass dayfirst=True or "
        "dayfirst=False to choose one (dates that do not fit will be dropped as 'unparseable "
        "date')."),
    "unreadable amounts": (
        lambda: rl.read_transactions(RAW.assign(Importe=["abc", "x", "?"]), COLUMNS),
        ["Columna 'Importe': no se pudo leer ninguno de los 3 valores (p. ej., 'abc')",
         "Revisa que columns= apunte a la columna correcta"],
        "Column 'Importe': none of the 3 values could be read (e.g. 'abc'). Check that columns= "
        "points to the right column, or clean the values in the source."),
    "no row kept": (
        lambda: rl.read_transactions(RAW.assign(Importe=["0", "0", "0"]), COLUMNS,
                                     drop_zero_amounts=True),
        ["DataFrame de pandas: no se pudo conservar ninguna de sus 3 filas (monto cero: 3)",
         "La bitácora", ".ledger"],
        "pandas DataFrame: none of its 3 rows could be kept (3 zero amount). The ledger, with "
        "every rejected row and its reason, is in this error's .ledger."),
    "not a number": (
        lambda: rl.rfm.rfm_table(LINES, "2024-12-31"),
        ["transactions, columna 'amount': no es un número en 2 filas, p. ej., 'N/D'."],
        "transactions: column 'amount' is not a number in 2 rows, e.g. 'N/D'."),
    "no observation end": (
        lambda: rl.rfm.rfm_table(LINES, None),
        ["observation_end es obligatorio: el último día observado", "cuenta el día completo",
         "El kit nunca lo adivina"],
        "observation_end is required: the last day observed, e.g. observation_end='2025-12-31' "
        "(the whole day counts). The kit never guesses it from the data."),
    "time unit": (
        lambda: rl.units.check_unit("weeks"),
        ["time_unit debe ser uno de 'D' (días), 'W' (semanas), 'M' (meses), 'Q' (trimestres) "
         "o 'Y' (años), no 'weeks'."],
        "time_unit must be one of 'D' (days), 'W' (weeks), 'M' (months), 'Q' (quarters) or 'Y' "
        "(years), got 'weeks'."),
    "decimal mark": (
        lambda: rl.read_transactions(RAW, COLUMNS, decimal=";"),
        ["decimal debe ser ',' o '.' (o None para detectarlo), no ';'."],
        "decimal must be ',' or '.' (or None to detect it), not ';'."),
}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_an_error_is_spanish_with_its_values_and_english_unchanged(case):
    call, spanish_parts, english = CASES[case]
    i18n.set_language("es")
    spanish = _message(call)
    for part in spanish_parts:
        assert part in spanish, f"{part!r} not in {spanish!r}"
    assert not _english_words(spanish), f"English left in {spanish!r}"
    i18n.set_language("en")
    assert _message(call) == english


def test_a_missing_file_is_named_in_spanish(tmp_path):
    missing = tmp_path / "ventas.csv"
    i18n.set_language("es")
    spanish = _message(lambda: rl.read_transactions(missing))
    assert spanish.startswith(f"No se encontró el archivo '{missing}'. Revisa cómo está escrito "
                              "y la carpeta (la carpeta actual es ")
    i18n.set_language("en")
    assert _message(lambda: rl.read_transactions(missing)).startswith(
        f"File not found: '{missing}'. Check the spelling and the folder (the current folder "
        "is ")


def _sales_file(folder: Path) -> Path:
    """A Spanish-locale export: ';', decimal commas, a row without customer, a $0 line."""
    path = folder / "ventas.csv"
    path.write_text("Cliente;Fecha;Importe\n00042;25/12/2024;$1.234,50\n;26/12/2024;$10,00\n"
                    "7;27/12/2024;0\n00042;28/12/2024;-$5,00\n", encoding="utf-8")
    return path


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d[\d,.]*%?", text)


def test_the_ledger_printout_is_spanish_with_the_same_numbers(tmp_path):
    path = _sales_file(tmp_path)
    i18n.set_language("es")
    _tx, ledger = rl.read_transactions(path, COLUMNS, drop_zero_amounts=True, currency="MXN")
    printed = str(ledger)
    lines = printed.splitlines()
    assert lines[0] == f"Bitácora de {path} (montos en MXN)"
    assert re.fullmatch(r"  filas leídas +4", lines[1])
    assert re.fullmatch(r"  conservadas +2 +50\.0%", lines[2])
    assert re.fullmatch(r"  descartadas: falta customer_id +1 +25\.0%", lines[3])
    assert re.fullmatch(r"  descartadas: monto cero +1 +25\.0%", lines[4])
    assert lines[5].startswith("Reglas, en el orden en que se aplican (una fila cuenta en la "
                               "primera que no cumple): 1. duplicado exacto (desactivada), "
                               "2. falta customer_id, 3. cliente de prueba (desactivada)")
    assert lines[6] == "Notas:"
    assert "  - Separador: punto y coma (';'), detectado; pasa delimiter= para cambiarlo." in lines
    html, shown = ledger._repr_html_(), repr(ledger)
    assert "<th>motivo</th>" in html and "<td>monto cero</td>" in html
    assert "<b>Bitácora de" in html and "<p>Notas:</p>" in html
    assert shown.startswith(f"<Bitácora de '{path}': 4 filas leídas, 2 conservadas")
    assert "'falta customer_id': 1" in shown
    for text in (printed, re.sub(r"<[^>]+>", " ", html), shown):
        assert not _english_words(text), f"English left: {_english_words(text)}"
    # The data keep their English keys: code reads them the same in both languages.
    assert ledger.dropped == {"missing customer_id": 1, "zero amount": 1}

    i18n.set_language("en")
    _tx, english = rl.read_transactions(path, COLUMNS, drop_zero_amounts=True, currency="MXN")
    assert str(english).splitlines()[:5] == [
        f"Ledger for {path} (amounts in MXN)",
        "  rows read                               4",
        "  kept                                    2    50.0%",
        "  dropped: missing customer_id            1    25.0%",
        "  dropped: zero amount                    1    25.0%"]
    assert repr(english) == (f"Ledger(source='{path}', rows_in=4, rows_kept=2, dropped="
                             "{'missing customer_id': 1, 'zero amount': 1}, notes=3)")
    assert "<th>reason</th>" in english._repr_html_()
    # Same numbers, formatted alike, in both languages (the table, the rules' numbering).
    spanish_table = "\n".join(lines[1:6])
    english_table = "\n".join(str(english).splitlines()[1:6])
    assert _numbers(spanish_table) == _numbers(english_table)


def test_every_drop_reason_has_a_spanish_name():
    spanish = usable(read_catalog(CATALOG, "es"))
    assert all(spanish.get(reason, reason) != reason for reason in DROP_REASONS)


def _placeholders(template: str) -> set[tuple[str, str | None, str]]:
    return {(name, conversion, spec) for _text, name, spec, conversion
            in string.Formatter().parse(template) if name is not None}


def test_every_translation_keeps_its_placeholders():
    translated = usable(read_catalog(CATALOG, "es"))
    assert len(translated) > 150
    for english, spanish in translated.items():
        assert _placeholders(spanish) == _placeholders(english), (english, spanish)
