"""The self-checks of lessons 00 and 01 speak Spanish when asked, and the same English otherwise.

Each wrong answer is checked twice: in Spanish, where the reason after
"Incorrecto, porque" and the hint after "Pista:" must hold no English
sentence; and in English, where the verdict must be exactly the one the
checks printed before they were translated (the strings below).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from relmark_lab import datasets, i18n, identify
from relmark_lab.checks import data, reset_attempts
from relmark_lab.checks import identify as identify_checks
from relmark_lab.checks._cases import unseen_label
from relmark_lab.checks._compare import compare_answer
from relmark_lab.checks._core import Case, Hints, check_function

#: Words that mark an English sentence; a Spanish verdict has none of them outside quotes.
ENGLISH = {"the", "and", "of", "is", "are", "with", "which", "this", "that", "from", "for",
           "each", "their", "what", "when", "how", "it", "be", "by", "not", "or", "an", "your",
           "you", "yours", "got", "data", "answer", "because", "wrong", "hint", "on", "at"}


def _english_words(text: str) -> list[str]:
    """English function words outside quoted values ('complaint box') and code (`df`)."""
    prose = re.sub(r"'[^']*'|`[^`]*`", " ", text)
    return [w for w in re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñü]+", prose) if w.lower() in ENGLISH]


def _spanish_parts(verdict) -> tuple[str, str]:
    """The reason and the hint of a wrong verdict printed in Spanish (each checked for English)."""
    text = str(verdict)
    assert text.startswith("Incorrecto, porque "), text
    reason, hint = text.removeprefix("Incorrecto, porque ").split("\nPista: ")
    for part in (reason, hint):
        assert not _english_words(part), f"English left in {part!r}: {_english_words(part)}"
    return reason, hint


def _order_lines_counted(lines):
    return lines["customer_id"].nunique(), len(lines)


def test_a_known_mistake_and_its_hints_in_both_languages():
    i18n.set_language("es")
    first = data.count_customers_and_orders(_order_lines_counted)
    second = data.count_customers_and_orders(_order_lines_counted)
    reason, idea = _spanish_parts(first)
    assert reason == ("el número de pedidos (el segundo valor) no es correcto: contaste líneas de "
                      "pedido, y un pedido tiene de una a tres líneas.")
    assert idea.startswith("El número de pedidos, el segundo valor, no es correcto: un pedido es "
                           "una compra en caja")
    assert _spanish_parts(second)[1] == "cuenta cada order_id una vez, no cada línea."

    i18n.set_language("en")
    reset_attempts()
    assert str(data.count_customers_and_orders(_order_lines_counted)) == (
        "Wrong, because the number of orders (the second value) is off: you counted order lines, "
        "and one order holds one to three lines.\nHint: The number of orders, the second value, "
        "is off: an order is one purchase at the till; it can hold one to three lines, and a "
        "return undoes a purchase instead of being one.")


def _status_one_day_short(transactions, leads, observation_end, active_within_days):
    """01.3 with the threshold day itself counted as inactive (``<`` where ``<=`` is meant)."""
    cut = pd.Timestamp(observation_end) + pd.Timedelta(days=1)
    lines = transactions[(transactions["amount"] > 0) & (transactions["date"] < cut)]
    last_day = lines.groupby("customer_id")["date"].max().dt.normalize()
    since = (pd.Timestamp(observation_end) - last_day).dt.days
    status = since.lt(active_within_days).map({True: "active", False: "inactive"})
    known = leads[(leads["created_date"] < cut) & ~leads["lead_id"].isin(status.index)]
    return pd.concat([status, pd.Series("potential", index=known["lead_id"], dtype="object")])


def test_a_mistake_whose_reason_holds_a_number_is_translated_with_it():
    i18n.set_language("es")
    first = identify_checks.customer_status(_status_one_day_short)
    second = identify_checks.customer_status(_status_one_day_short)
    reason, idea = _spanish_parts(first)
    assert reason == ("los clientes que compraron exactamente 165 días antes de observation_end "
                      "quedaron como inactivos: en el umbral un cliente todavía está activo.")
    assert idea.startswith("un estatus dice qué había hecho cada persona")
    assert _spanish_parts(second)[1] == ("activo significa días desde la última compra <= "
                                         "active_within_days.")

    i18n.set_language("en")  # the cases are remade in English, not taken from the Spanish ones
    reset_attempts()
    assert str(identify_checks.customer_status(_status_one_day_short)) == (
        "Wrong, because customers who bought exactly 165 days before observation_end were called "
        "inactive: at the threshold a customer is still active.\nHint: a status says what each "
        "person had done by the end of the last observed day: a purchase active_within_days days "
        "ago is still recent, a return is no visit, and nothing after that day has happened yet.")


def _ten_percent_high(contacts):
    return identify.complaint_resolution(contacts)["share_resolved"].dropna() * 1.1


def test_a_clause_built_from_the_answer_is_spanish_around_its_values():
    i18n.set_language("es")
    reason, hint = _spanish_parts(identify_checks.resolution_rate_by_channel(_ten_percent_high))
    assert reason == ("en 6 de 6 valor(es) de channel tu respuesta es distinta (6 por encima, 0 "
                      "por debajo); p. ej., en 'complaint box' tu valor, 0.543038, está "
                      "aproximadamente un 10% por encima de lo que dan los datos.")
    assert hint.startswith("una herramienta de la voz del cliente se juzga por cuántas")

    i18n.set_language("en")
    reset_attempts()
    assert str(identify_checks.resolution_rate_by_channel(_ten_percent_high)) == (
        "Wrong, because for 6 of 6 channel value(s) your answer differs (6 too high, 0 too low); "
        "e.g. at 'complaint box' yours, 0.543038, is about 10% too high.\nHint: a tool of the "
        "voice of the customer is judged by how many of the complaints it receives get solved; "
        "the other contacts cannot stay unsolved.")


def test_a_hard_coded_answer_is_told_in_spanish_where_it_fails():
    cdnow = datasets.load_cdnow("sample")
    share = float((cdnow.groupby("customer_id")["date"].nunique() > 1).mean())
    i18n.set_language("es")
    reason, _hint = _spanish_parts(data.cdnow_repeat_share(lambda records: share))
    assert reason.startswith("tu función da la respuesta correcta en los datos de la lección, "
                             "pero no en clientes de CDNOW sorteados de nuevo, que no has visto (")
    assert "tu respuesta, 0.483241, está aproximadamente un 20% por encima" in reason


@pytest.mark.parametrize(("answer", "english", "spanish"), [
    (48.0, "your answer, 48, is 100 times too large: is it a percentage where a fraction (0 to 1) "
           "is asked, or a slip of units?",
     "tu respuesta, 48, es 100 veces mayor de lo que debería: ¿es un porcentaje donde se pide una "
     "fracción (de 0 a 1), o un error de unidades?"),
    (0.48, "your answer, 0.48, matches the data only when rounded to 2 decimal(s): return the "
           "unrounded number (round only when you print).",
     "tu respuesta, 0.48, coincide con los datos solo si se redondea a 2 decimal(es): devuelve el "
     "número sin redondear (redondea solo al imprimir)."),
    (0.48317, "your answer, 0.48317, is about less than 0.1% too low.",
     "tu respuesta, 0.48317, está menos de un 0.1% por debajo de lo que dan los datos."),
    (None, "your answer is None (did you forget to `return` the result?), but the data give a "
           "value.",
     "tu respuesta es None (¿olvidaste devolver el resultado con `return`?), pero los datos dan "
     "un valor."),
], ids=["scale", "rounded", "tiny gap", "no return"])
def test_the_comparison_clauses_in_both_languages(answer, english, spanish):
    expected = 0.4832101 if answer != 48.0 else 0.48
    i18n.set_language("es")
    assert compare_answer(answer, expected) == (False, spanish)
    i18n.set_language("en")
    assert compare_answer(answer, expected) == (False, english)


def test_unseen_data_and_decisions_are_named_in_spanish():
    hints = identify_checks._HINTS["01.1"]
    cases = [Case("the lesson's data", (3,), 6), Case(unseen_label(), (5,), 10, seen=False)]
    i18n.set_language("es")
    reason, _hint = _spanish_parts(check_function("demo", lambda x: {}[x], cases[1:],
                                                  hints=hints))
    assert reason == ("en datos nuevos que no has visto (simulados con otra semilla), tu función "
                      "se detuvo con KeyError: 5")

    def score(chosen):
        return 60.0 if chosen == ["b"] else 160.0

    decision = [Case(unseen_label(), (), score=score, best=160.0, unit="MXN", seen=False)]
    reason, _hint = _spanish_parts(check_function("demo", lambda: ["b"], decision,
                                                  hints=Hints(hints.idea, hints.concrete)))
    assert reason == ("en datos nuevos que no has visto (simulados con otra semilla), tu decisión "
                      "gana 60 MXN con resultados que no has visto, el 38% de lo que gana la "
                      "mejor decisión.")
