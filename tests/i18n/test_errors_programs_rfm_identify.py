"""The errors of programs/, rfm/, identify/ and datasets/ speak Spanish when asked.

Each bad input is raised twice: in Spanish, where the message must hold the
Spanish words, the input's values (column, count, example) and no English
sentence; and in English, where it must be exactly the message the kit gave
before it was translated. A last test checks that every translation in the
catalog keeps its English template's ``{placeholders}``.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from relmark_lab import datasets, i18n, identify, programs, rfm
from relmark_lab.errors import DataError
from relmark_lab.i18n.catalogs import LOCALE, read_catalog

CATALOG = LOCALE / "es" / "LC_MESSAGES" / "errors_programs_rfm_identify.po"
#: Words that mark an English sentence; a Spanish message has none of them outside its values.
ENGLISH = {"the", "and", "of", "is", "are", "with", "which", "this", "that", "from", "for",
           "each", "their", "what", "when", "how", "it", "be", "by", "not", "or", "an", "your",
           "you", "got", "must", "needs", "row", "rows", "column", "pass", "member"}


def _english_words(text: str) -> list[str]:
    """English function words outside quoted values ('a'), code (`relmark datasets`) and
    identifiers (launch_month, RELMARK_DATA), which stay as they are in both languages."""
    prose = re.sub(r"'[^']*'|`[^`]*`|\S*_\S*", " ", text)
    return [w for w in re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñü]+", prose) if w.lower() in ENGLISH]


def _message(call, *args, **kwargs) -> str:
    with pytest.raises(DataError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def _in_both(call, *args, **kwargs) -> tuple[str, str]:
    """The message of the same bad call in Spanish (checked for English) and in English."""
    i18n.set_language("es")
    spanish = _message(call, *args, **kwargs)
    assert not _english_words(spanish), f"English left in {spanish!r}: {_english_words(spanish)}"
    i18n.set_language("en")
    return spanish, _message(call, *args, **kwargs)


def _pilot(**changes) -> pd.DataFrame:
    """A two-member, two-month pilot panel as an analyst's file holds it."""
    table = {"member_id": ["a", "a", "b", "b"], "month": ["2024-06", "2024-07"] * 2,
             "orders": [1, 3, 2, 2], "revenue": [10.0, 30.0, 20.0, 20.0],
             "enrolled": [1, 1, 0, 0]}
    return pd.DataFrame({**table, **changes})


def test_a_repeated_member_month_is_told_with_its_count_member_and_month():
    raw = _pilot(month=["2024-06", "2024-06", "2024-06", "2024-06"])
    spanish, english = _in_both(programs.read_pilot_panel, raw)
    assert spanish == ("panel del piloto: 2 filas repiten el mes de un miembro, p. ej., el "
                       "miembro 'a' en 2024-06. Se espera una fila por miembro y mes: primero "
                       "suma las filas repetidas.")
    assert english == ("pilot panel: 2 rows repeat a member's month, e.g. member 'a' in 2024-06. "
                       "One row per member and month is expected: add up the repeated rows "
                       "first.")
    one_repeat = _pilot(month=["2024-06", "2024-06", "2024-06", "2024-07"])
    spanish, english = _in_both(programs.read_pilot_panel, one_repeat)
    assert spanish.startswith("panel del piloto: 1 fila repite el mes de un miembro, p. ej., el "
                              "miembro 'a' en 2024-06.")
    assert english.startswith("pilot panel: 1 row repeats a member's month, e.g. member 'a' in "
                              "2024-06.")


def test_an_unusable_cell_names_its_problem_column_count_example_and_fix():
    spanish, english = _in_both(programs.read_pilot_panel, _pilot(orders=[1, -2, 2, -1]))
    assert spanish == ("panel del piloto: la columna 'orders' es negativa en 2 filas, p. ej., "
                       "-2. Los pedidos cuentan compras: registra las devoluciones en revenue, "
                       "no como pedidos negativos.")
    assert english == ("pilot panel: column 'orders' is negative in 2 rows, e.g. -2. Orders "
                       "count purchases: record returns in revenue, not as negative orders.")
    spanish, english = _in_both(programs.read_pilot_panel, _pilot(member_id=["a", "a", None, "b"]))
    assert spanish.startswith("panel del piloto: la columna 'member_id' está vacía en 1 fila, "
                              "p. ej., fila 2. Cada fila necesita el id del miembro.")
    assert english.startswith("pilot panel: column 'member_id' is empty in 1 row, e.g. row 2.")


def test_the_notes_of_a_pilot_file_are_spanish_too():
    i18n.set_language("es")
    _panel, _members, notes = programs.read_pilot_panel(_pilot(extra=[1, 2, 3, 4]))
    assert "Columnas que el reporte no usa: 'extra'." in notes
    assert any(note.startswith("No hay columna rewards: las recompensas canjeadas cuentan como "
                               "0") for note in notes)
    for note in notes:
        assert not _english_words(note), note
    i18n.set_language("en")
    _panel, _members, notes = programs.read_pilot_panel(_pilot(extra=[1, 2, 3, 4]))
    assert "Columns not used by the report: 'extra'." in notes


def test_a_launch_month_outside_the_panel_names_the_panel_s_months():
    panel = pd.DataFrame({"month": ["2024-06", "2024-07"]})
    members = pd.DataFrame({"enrolled": [1, 0], "program_start": ["2024-07", None]})
    spanish, english = _in_both(programs.pilot_launch, panel, members, "2024-06")
    assert spanish == ("launch_month '2024-06' no deja ningún mes antes del lanzamiento en el "
                       "panel, que va de 2024-06 a 2024-07: el reporte compara los meses "
                       "anteriores al lanzamiento con los posteriores.")
    assert english == ("launch_month '2024-06' leaves no month before the launch in the panel, "
                       "which runs from 2024-06 to 2024-07: the report compares the months "
                       "before the launch with those after it.")


def test_an_impossible_pilot_design_is_explained_with_its_numbers():
    spanish, english = _in_both(programs.sample_size, 0.5, kind="proportions", baseline=0.7)
    assert spanish == ("baseline + effect debe ser una proporción entre 0 y 1 (ambos excluidos); "
                       "se recibió 0.7 + 0.5 = 1.2.")
    assert english == ("baseline + effect must be a proportion between 0 and 1 (both excluded), "
                       "got 0.7 + 0.5 = 1.2.")
    spanish, english = _in_both(programs.sample_size, 0.5)
    assert spanish.startswith("sd es obligatorio con kind='means': la desviación estándar del "
                              "resultado por miembro")
    assert english.startswith("sd is required for kind='means'")


def test_an_arm_without_members_and_a_treatment_that_is_not_0_1():
    pilot = pd.DataFrame({"revenue": [1.0, 2.0, 3.0], "treated": [1, 0, 0]})
    spanish, english = _in_both(programs.difference_in_means, pilot, "revenue", "treated")
    assert spanish == ("pilot: la columna 'treated' marca 1 miembro(s) tratado(s) y 2 de "
                       "control; cada brazo necesita al menos 2 miembros para tener una "
                       "dispersión.")
    assert english == ("pilot: column 'treated' marks 1 treated and 2 control member(s); each "
                       "arm needs at least 2 members to have a spread.")
    # The sentence around a bad value is the kit's one template (relmark_lab._validate);
    # the problem and the fix are this module's, and Spanish.
    i18n.set_language("es")
    coded = _message(programs.difference_in_means, pilot.assign(treated=[1, 0, 2]), "revenue",
                     "treated")
    assert "'treated'" in coded and "no es 0/1 (ni True/False)" in coded
    assert coded.endswith("Codifica con 1 a los miembros tratados y con 0 a los controles.")


def test_too_few_customers_for_the_clusters():
    table = pd.DataFrame({"customer_id": ["c1", "c2", "c3"], "recency_days": [1, 30, 90],
                          "frequency": [5, 2, 1], "monetary": [300.0, 80.0, 20.0]})
    spanish, english = _in_both(rfm.RFMKMeans(n_clusters=5).fit, table)
    assert spanish == ("Tabla RFM: 3 cliente(s) no pueden formar 5 clústeres, p. ej., el cliente "
                       "'c1'. Pasa un n_clusters más pequeño.")
    assert english == ("RFM table: 3 customer(s) cannot form 5 clusters, e.g. customer 'c1'. "
                       "Pass a smaller n_clusters.")
    spanish, english = _in_both(rfm.choose_k, table, ks=[])
    assert spanish == ("ks está vacío: da al menos un número de clústeres para probar, p. ej., "
                       "[2, 3].")
    assert english == "ks is empty: give at least one number of clusters to try, e.g. [2, 3]."


def test_stage_thresholds_in_the_wrong_order():
    tx = pd.DataFrame({"customer_id": ["A"], "amount": [10.0], "order_id": ["1"],
                       "date": pd.to_datetime(["2025-12-01"])})
    spanish, english = _in_both(identify.lifecycle_stage, tx, "2025-12-31",
                                maintenance_min_orders=5, loyalty_min_orders=3)
    assert spanish == ("Los umbrales de pedidos deben cumplir 2 ≤ maintenance_min_orders ≤ "
                       "loyalty_min_orders; se recibieron 5 y 3.")
    assert english == ("Order thresholds must satisfy 2 ≤ maintenance_min_orders ≤ "
                       "loyalty_min_orders, got 5 and 3.")


def test_a_missing_data_file_and_a_bad_seed(tmp_path):
    spanish, english = _in_both(datasets.load_customers, tmp_path)
    assert spanish == (f"El archivo de datos del kit 'customers.csv' no está en {tmp_path}. "
                       "Vuelve a generar los conjuntos de datos con `relmark datasets`, o apunta "
                       "RELMARK_DATA (o data_dir=) a la carpeta que los contiene.")
    assert english == (f"The kit's data file 'customers.csv' is not in {tmp_path}. Regenerate "
                       "the data sets with `relmark datasets`, or point RELMARK_DATA (or "
                       "data_dir=) at the folder that holds them.")
    spanish, english = _in_both(datasets.simulate, seed=-1)
    assert spanish == "seed debe ser un número entero no negativo; se recibió -1."
    assert english == "seed must be a non-negative integer, got -1."


def test_every_translation_keeps_its_placeholders():
    fields = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")
    catalog = [m for m in read_catalog(CATALOG, "es") if m.id]
    assert len(catalog) >= 100
    for message in catalog:
        assert message.string and not message.fuzzy, message.id
        assert sorted(fields.findall(message.id)) == sorted(fields.findall(message.string)), (
            f"{message.id!r} -> {message.string!r}")
        # doubled braces are literal braces: as many in the translation as in the English
        assert message.id.count("{{") == message.string.count("{{"), message.id
