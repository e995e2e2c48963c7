"""The self-checks of lessons 04a, 04b, 05 and 06 speak the language set, English by default.

A known wrong answer is run twice (the first verdict gets the exercise's
idea, the second the mistake's concrete step). In Spanish the verdict is the
catalog's, "Incorrecto, porque ..." and "Pista: ...", with no English sentence
left; in English it is exactly what the checks printed before they were
translated (the strings below were captured from the untranslated modules).
"""

from __future__ import annotations

import re

import pytest

from relmark_lab import i18n
from relmark_lab.checks import clv, equity, programs, reset_attempts

# --- known wrong answers --------------------------------------------------------------------


def _divided_by_52(annual_rate):
    return annual_rate / 52


def _all_divided_by_4(annual_margin, annual_retention, annual_discount_rate):
    return annual_margin / 4, annual_retention / 4, annual_discount_rate / 4


def _usual_minus_call_back(cases):
    share = cases.groupby("group")["retained"].mean()
    return share["usual"] - share["call_back"]


def _yearly_terms(model, renewals, margin, discount_rate):
    """The right formula, with the yearly margin and rate on monthly renewals too."""
    return margin * model.expected_residual_lifetime(renewals, discount_rate)


WRONG = {
    "04b.2": (clv.weekly_discount_rate, _divided_by_52),
    "05.1": (equity.quarterly_terms, _all_divided_by_4),
    "06.4": (programs.recovery_effect, _usual_minus_call_back),
    # The lesson's subscribers renew yearly, so the mistake shows on the unseen monthly ones:
    # the label and the period ("every month") are built with values.
    "04a.5": (clv.largest_retention_offer, _yearly_terms),
}

#: (first verdict, second verdict) before translation.
ENGLISH = {
    "04b.2": (
        "Wrong, because you divided the annual rate by the weeks in a year; compounding a year "
        "of weeks of that gives more than the annual rate.\nHint: A weekly rate compounded over "
        "the weeks of a year must give the annual rate: it is a root of one plus the annual "
        "rate, not a share of it.",
        "Wrong, because you divided the annual rate by the weeks in a year; compounding a year "
        "of weeks of that gives more than the annual rate.\nHint: Take the weeks_per_year-th "
        "root of 1 + d and subtract 1, with weeks_per_year = 365.25 / 7.",
    ),
    "05.1": (
        "Wrong, because you divided all three by 4: right for the margin, which adds up over a "
        "year, but rates compound, quarter after quarter.\nHint: a margin adds up over time, so "
        "a quarter earns its share of the year's; rates compound: four quarters at the "
        "quarterly rate must give the annual rate, for the customers kept as for the "
        "discounting.",
        "Wrong, because you divided all three by 4: right for the margin, which adds up over a "
        "year, but rates compound, quarter after quarter.\nHint: keep margin / 4; the quarterly "
        "retention r_Q satisfies r_Q ** 4 = r_Y; the quarterly discount rate (1 + i_Q) ** 4 = "
        "1 + i_Y.",
    ),
    "06.4": (
        "Wrong, because that is usual minus call-back; the effect is call-back minus usual.\n"
        "Hint: complainers were randomized to a fast call-back or the usual process, so the "
        "program's effect is how many more of them, as a share, stay with a call-back than "
        "without it.",
        "Wrong, because that is usual minus call-back; the effect is call-back minus usual.\n"
        "Hint: the share retained of each group is its mean of retained; subtract usual from "
        "call-back.",
    ),
    "04a.5": (
        "Wrong, because on subscribers you have not seen (monthly contracts, 2,800 MXN of margin "
        "a year, 6.8% a year), you used the yearly margin and discount rate for renewals that "
        "come every month.\nHint: matching an offer pays when what the subscriber will still "
        "bring you, discounted, is at least the offer; one who has renewed many times is less "
        "likely to leave than a new one, and the model's periods may be months, not years.",
        "Wrong, because on subscribers you have not seen (monthly contracts, 2,800 MXN of margin "
        "a year, 6.8% a year), you used the yearly margin and discount rate for renewals that "
        "come every month.\nHint: divide the yearly margin by the months in a year and convert "
        "the rate by compounding, (1 + d)^(1/12) - 1.",
    ),
}

SPANISH = {
    "04b.2": (
        "Incorrecto, porque dividiste la tasa anual entre las semanas de un año; componer esa "
        "tasa durante un año de semanas da más que la tasa anual.\nPista: Una tasa semanal "
        "compuesta durante las semanas de un año debe dar la tasa anual: es una raíz de uno más "
        "la tasa anual, no una parte de ella.",
        "Incorrecto, porque dividiste la tasa anual entre las semanas de un año; componer esa "
        "tasa durante un año de semanas da más que la tasa anual.\nPista: Saca la raíz de "
        "índice weeks_per_year de 1 + d y réstale 1, con weeks_per_year = 365.25 / 7.",
    ),
    "05.1": (
        "Incorrecto, porque dividiste los tres entre 4: está bien para el margen, que se suma a "
        "lo largo del año, pero las tasas se componen, trimestre tras trimestre.\nPista: un "
        "margen se suma a lo largo del tiempo, así que un trimestre gana su parte del margen "
        "del año; las tasas se componen: cuatro trimestres a la tasa trimestral deben dar la "
        "tasa anual, tanto para los clientes que se conservan como para el descuento.",
        "Incorrecto, porque dividiste los tres entre 4: está bien para el margen, que se suma a "
        "lo largo del año, pero las tasas se componen, trimestre tras trimestre.\nPista: "
        "conserva margin / 4; la retención trimestral r_Q cumple r_Q ** 4 = r_Y; la tasa de "
        "descuento trimestral, (1 + i_Q) ** 4 = 1 + i_Y.",
    ),
    "06.4": (
        "Incorrecto, porque eso es proceso habitual menos llamada de regreso; el efecto es "
        "llamada de regreso menos proceso habitual.\nPista: a quienes se quejaron se les "
        "asignó al azar una llamada de regreso rápida o el proceso habitual, así que el efecto "
        "del programa es cuántos más de ellos, como proporción, se quedan con una llamada de "
        "regreso que sin ella.",
        "Incorrecto, porque eso es proceso habitual menos llamada de regreso; el efecto es "
        "llamada de regreso menos proceso habitual.\nPista: la proporción retenida de cada "
        "grupo es su promedio de retained; resta la del proceso habitual (usual) a la de la "
        "llamada de regreso (call_back).",
    ),
    "04a.5": (
        "Incorrecto, porque en suscriptores que no has visto (contratos mensuales, 2,800 MXN de "
        "margen al año, 6.8% anual), usaste el margen y la tasa de descuento anuales para "
        "renovaciones que llegan cada mes.\nPista: igualar una oferta conviene cuando lo que el "
        "suscriptor todavía te aportará, descontado, es al menos la oferta; uno que ha renovado "
        "muchas veces tiene menos probabilidad de irse que uno nuevo, y los periodos del modelo "
        "pueden ser meses, no años.",
        "Incorrecto, porque en suscriptores que no has visto (contratos mensuales, 2,800 MXN de "
        "margen al año, 6.8% anual), usaste el margen y la tasa de descuento anuales para "
        "renovaciones que llegan cada mes.\nPista: divide el margen anual entre el número de "
        "meses de un año y convierte la tasa con interés compuesto, (1 + d)^(1/12) - 1.",
    ),
}

# Words of the English verdicts that Spanish never uses; code, quoted values and
# acronyms are removed before looking for them.
_CODE = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"|\S*[_.()=*/<>^\[\]]\S*|\b[A-Z]{2,}\b")
_ENGLISH_WORDS = {"the", "you", "your", "is", "are", "of", "and", "not", "that", "with",
                  "because", "wrong", "hint", "on", "by", "to", "in", "per", "year", "years",
                  "month", "months", "share", "rate", "customers", "data", "seen", "it", "its",
                  "this", "draws", "than", "from", "for", "be", "what", "who"}


def english_words(text: str) -> set[str]:
    """The English words left in ``text`` outside code, quoted values and acronyms."""
    return set(re.findall(r"[a-z]+", _CODE.sub(" ", text.lower()))) & _ENGLISH_WORDS


def _two_verdicts(exercise: str) -> tuple[str, str]:
    check, answer = WRONG[exercise]
    return str(check(answer)), str(check(answer))


@pytest.mark.parametrize("exercise", list(WRONG))
def test_a_wrong_answer_is_explained_in_spanish(exercise):
    i18n.set_language("es")
    first, second = _two_verdicts(exercise)
    assert (first, second) == SPANISH[exercise]
    for verdict, english in zip((first, second), ENGLISH[exercise], strict=True):
        because, hint = verdict.split("\nPista: ")
        assert because.startswith("Incorrecto, porque ")
        assert not english_words(because), because
        assert not english_words(hint), hint
        # No sentence of the English verdict is left in it.
        for sentence in re.split(r"(?<=[.:;])\s|\n", english.split(", because ", 1)[1]):
            if len(sentence) > 25 and not _CODE.fullmatch(sentence.strip()):
                assert sentence not in verdict, sentence


@pytest.mark.parametrize("exercise", list(WRONG))
def test_in_english_the_verdict_is_unchanged(exercise):
    assert _two_verdicts(exercise) == ENGLISH[exercise]
    i18n.set_language("en")
    reset_attempts()
    assert _two_verdicts(exercise) == ENGLISH[exercise]


def test_the_helper_finds_english_words_and_ignores_code():
    assert english_words("the share of `df.columns` is r_Q") == {"the", "share", "of", "is"}
    assert not english_words("usa weeks_per_year = 365.25 / 7 y 'roll out' en MXN")


# --- cached cases carry their labels and clauses in the language of each call ---------------


def _always_wait(net_values, members, wait_periods, discount_rate):
    return "wait for another phase"


WAIT_ENGLISH = (
    "Wrong, because on pilot draws you have not seen (73 simulated draws, 55,000 members, 18 "
    "months to wait, 9.1% a year), waiting avoids the losing draws, but its value comes only "
    "after the phase, discounted; here the losing draws are too few or too small to be worth "
    "the delay. On these draws it earns 14,899,663 MXN, 88% of what the best decision earns.\n"
    "Hint: each choice has an expected value: rolling out now earns the members times the "
    "average net value, good draws and bad; another phase first lets you roll out later only if "
    "the program pays, but that value comes after the phase and is discounted; stopping earns "
    "nothing. Choose the largest."
)
WAIT_SPANISH = (
    "Incorrecto, porque en remuestreos de un piloto que no has visto (73 remuestreos "
    "simulados, 55,000 miembros, 18 meses de espera, 9.1% anual), esperar evita los "
    "remuestreos que pierden, pero su valor llega solo después de la fase, descontado; aquí "
    "los remuestreos que pierden son muy pocos o muy pequeños para que valga la pena la "
    "espera. Con estos remuestreos gana 14,899,663 MXN, el 88% de lo que gana la mejor "
    "decisión.\nPista: cada opción tiene un valor esperado: extender ahora gana el número de "
    "miembros por el valor neto promedio, con los remuestreos buenos y los malos; correr "
    "primero otra fase te permite extender después solo si el programa es rentable, pero ese "
    "valor llega después de la fase y se descuenta; detener no gana nada. Elige el mayor."
)


def test_a_cached_decision_check_speaks_the_language_of_each_call():
    # 06.5's cases are made once per language: the unseen draws' label and the clause "On
    # these draws it earns ..." hold values, so they are written when the cases are made.
    for language, expected in (("es", WAIT_SPANISH), ("en", WAIT_ENGLISH), ("es", WAIT_SPANISH)):
        i18n.set_language(language)
        reset_attempts()
        assert str(programs.next_phase(_always_wait)) == expected


def test_an_impossible_decision_is_explained_in_spanish_with_the_choices_as_they_are():
    i18n.set_language("es")
    because = str(programs.next_phase(lambda *args: "launch")).split("\n")[0]
    assert because == ("Incorrecto, porque tu decisión no se puede llevar a cabo: la decisión "
                       "debe ser 'roll out' (extender), 'wait for another phase' (esperar otra "
                       "fase) o 'stop' (detener), pero se recibió 'launch'.")
