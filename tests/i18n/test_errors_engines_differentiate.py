"""The engines' and differentiate's error messages speak Spanish when asked, English otherwise.

Each case calls a public function with input it refuses, once in Spanish and
once in English. The Spanish message must hold the case's Spanish words and
its values (column, count, example) and no English sentence (table labels
such as ``transactions`` or ``channel table`` name the argument and stay, as
in every column message of the kit); the English message must be exactly the
one the kit printed before it was translated.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import duckdb
import ibis
import pandas as pd
import pytest
from babel.messages.pofile import read_po

import relmark_lab as rl
from relmark_lab import clv, engines, i18n, rfm
from relmark_lab import differentiate as dif

CATALOG = (Path(rl.__file__).parent / "locale" / "es" / "LC_MESSAGES"
           / "errors_engines_differentiate.po")
END = "2025-12-31"
GOOD = {"customer_id": ["a", "b"], "date": ["2025-01-01", "2025-02-01"], "amount": [5.0, 7.0]}

#: Words that mark an English sentence; none is a Spanish word.
ENGLISH = {"the", "and", "of", "is", "are", "with", "which", "this", "that", "from", "for",
           "each", "their", "what", "when", "how", "it", "be", "by", "not", "or", "an", "your",
           "you", "got", "in", "on", "at", "has", "have", "must", "needs", "column", "row",
           "rows", "pass", "there", "none", "leave", "give", "e.g"}
#: Labels that name the table a user passed (the argument), kept in every language.
LABELS = ("channel table", "profitability table", "transactions", "survey", "segments", "tiers")


def _english_words(text: str) -> list[str]:
    """English function words outside quoted values ('a'), code (x=1, f(...)) and labels."""
    prose = re.sub(r"'[^']*'|\"[^\"]*\"", " ", text)  # values first: they hold spaces
    prose = re.sub(r"\S*[=_(){}\[\]]\S*", " ", prose)
    for label in LABELS:
        prose = prose.replace(label, " ")
    return [w for w in re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñü]+", prose) if w.lower() in ENGLISH]


def _table(**changes):
    return ibis.memtable(pd.DataFrame({**GOOD, **changes}))


def _database(tmp_path):
    database = tmp_path / "shop.duckdb"
    duckdb.connect(str(database)).close()
    return database


def _lines(**changes):
    return pd.DataFrame({**GOOD, "date": pd.to_datetime(GOOD["date"]), **changes})


#: (case, call given a temporary folder, Spanish words, the English message).
CASES = [
    ("a date the engine cannot read",
     lambda tmp: clv.summarize(_table(date=["2025-01-01", "01/02/2025"]), END),
     "transactions, columna 'date': no es una fecha que el motor de datos lea en 1 de 2 filas, "
     "p. ej., '01/02/2025'.",
     "transactions: column 'date' is not a date the engine reads in 1 of 2 rows, e.g. "
     "'01/02/2025'. Write dates as YYYY-MM-DD[ HH:MM:SS], or cast them in the query."),
    ("a missing margin in an engine, worded by the pandas path's template",
     lambda tmp: dif.customer_profitability(_table(margin=[1.0, None]), END),
     "transactions, columna 'margin': está vacía en 1 fila, p. ej., una línea del cliente 'b'.",
     "transactions: column 'margin' is missing in 1 row, e.g. a line of customer 'b'. Drop or "
     "fill those rows first."),
    ("a database without a query",
     lambda tmp: engines.engine_table(_database(tmp)),
     "'shop.duckdb' es una base de datos DuckDB: pasa las líneas de pedido como una consulta",
     "'shop.duckdb' is a DuckDB database: pass the lines as a query, e.g. "
     "query=\"select * from sales\"."),
    ("a required column the engine table lacks",
     lambda tmp: rfm.rfm_table(ibis.memtable(pd.DataFrame(
         {"Cliente": ["a"], "date": ["2025-01-01"], "amount": [1.0]})), END),
     "No se encontraron la(s) columna(s) obligatoria(s) 'customer_id'. Columnas encontradas: "
     "'Cliente', 'date', 'amount'.",
     "Required column(s) 'customer_id' not found. Columns found: 'Cliente', 'date', 'amount'. "
     "Say which column holds what with columns=, e.g. columns={\"date\": \"InvoiceDate\"}."),
    ("a text-export option on an engine source",
     lambda tmp: rl.read_transactions(_table(), dayfirst=True),
     "dayfirst: estas opciones sirven para leer exportaciones de texto",
     "dayfirst read text exports; an engine's columns carry their types. Leave it out, or "
     "convert the column in the query."),
    ("a whale curve of a total that is not positive",
     lambda tmp: dif.whale_curve(pd.DataFrame({"customer_id": ["a", "b"],
                                               "profit": [10.0, -30.0]})),
     "el total de la columna 'profit' en los 2 clientes es -20.00, que no es positivo",
     "profitability table: the total of column 'profit' over the 2 customers is -20.00, not "
     "positive, so shares of it cannot be drawn as a whale curve; e.g. customer 'a' has 10.00."),
    ("an NPS segment without answers",
     lambda tmp: dif.nps_difference(pd.DataFrame({"recommend": [10, 0], "g": ["a", "b"]}),
                                    "g", "a", "c"),
     "survey: el segmento 'c' de la columna 'g' no tiene respuestas",
     "survey: segment 'c' of column 'g' has no answers; segments with answers are e.g. "
     "['a', 'b']."),
    ("a rating nobody varies on, through the kit's column template",
     lambda tmp: dif.key_drivers(pd.DataFrame({"price": [1, 2, 3, 4, 5, 1, 3], "brand": [3] * 7,
                                               "value": [1, 2, 3, 4, 5, 2, 3]}),
                                 "value", ["price", "brand"]),
     "survey, columna 'brand': es igual en todas las respuestas completas en 7 filas, p. ej., 3. "
     "Una calificación que no varía",
     "survey: column 'brand' is the same in every complete answer in 7 rows, e.g. 3. A rating "
     "nobody varies on explains nothing: leave it out."),
    ("a channel that costs nothing",
     lambda tmp: dif.contact_plan(
         pd.DataFrame({"tier": ["a"], "customers": [1], "value_per_customer": [1.0]}), 10.0,
         channels=dif.DEFAULT_CHANNELS.assign(cost_per_contact=[0.8, 0, 1.5, 0.3, 12, 35, 180])),
     "channel table, columna 'cost_per_contact': vale 0 en 1 fila, p. ej., 0.0. Todo contacto "
     "cuesta algo",
     "channel table: column 'cost_per_contact' is 0 in 1 row, e.g. 0.0. Every contact costs "
     "something: give its price in MXN."),
    ("a customer missing from the master, with its hint",
     lambda tmp: dif.customer_profitability(
         _lines(margin=[1.0, 2.0]), END,
         customers=pd.DataFrame({"customer_id": ["a"], "acquisition_cost": [5.0]}),
         cost=dif.CostToServe(include_acquisition=True)),
     "transactions, columna 'customer_id': no está en el catálogo de clientes en 1 fila, "
     "p. ej., 'b'. 1 cliente(s) no tienen costo de adquisición",
     "transactions: column 'customer_id' is not in the customer master in 1 row, e.g. 'b'. "
     "1 customer(s) have no acquisition cost: pass the whole master, or leave "
     "include_acquisition False."),
    ("a scale given as text",
     lambda tmp: dif.satisfaction_loyalty(pd.DataFrame(
         {"customer_id": ["a"], "satisfaction": [3], "projected_loyalty": [0.5]}),
         scale=("1", 5)),
     "la puntuación más baja de la escala debe ser un número entero",
     "the scale's lowest score must be a whole number of at least 0, got '1'."),
]


@pytest.mark.parametrize("call, spanish, english", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_the_message_is_spanish_with_its_values_and_english_unchanged(call, spanish, english,
                                                                      tmp_path):
    i18n.set_language("es")
    with pytest.raises(rl.DataError, match=re.escape(spanish)) as raised:
        call(tmp_path)
    message = str(raised.value)
    assert not _english_words(message), f"English left in {message!r}"
    i18n.set_language("en")
    with pytest.raises(rl.DataError) as raised:
        call(tmp_path)
    assert str(raised.value) == english


def test_the_helper_finds_english_words_and_ignores_values_code_and_labels():
    assert _english_words("survey: column 'brand' is the same") == ["column", "is", "the"]
    assert not _english_words("survey, columna 'the one': usa query=\"select * from x\" y f(a).")


def _fields(template: str) -> list[tuple[str, str, str]]:
    """The {placeholders} of a template: name, conversion and format spec, in order."""
    return sorted((name, conversion or "", spec or "")
                  for _text, name, spec, conversion in string.Formatter().parse(template)
                  if name is not None)


def test_every_translation_keeps_its_placeholders():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    entries = [entry for entry in catalog if entry.id]
    assert len(entries) > 60
    for entry in entries:
        assert entry.string and not entry.fuzzy, entry.id
        assert _fields(entry.string) == _fields(entry.id), entry.id
