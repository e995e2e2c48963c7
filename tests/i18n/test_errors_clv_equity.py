"""The CLV and customer-equity errors and boundary warnings speak Spanish when asked.

Each mistake is made twice: in Spanish, where the message must hold its
values (the model, the column, the count, the example) and no English
sentence once the code in it is left out; and in English, where it must be
the message the tests of ``tests/clv`` and ``tests/equity`` already know.
The catalog is ``relmark_lab/locale/es/LC_MESSAGES/errors_clv_equity.po``.
"""

from __future__ import annotations

import re
import string
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from babel.messages.extract import extract_from_dir

import relmark_lab as rl
from relmark_lab import clv, equity, i18n
from relmark_lab.errors import DataError
from relmark_lab.i18n.catalogs import LOCALE, read_catalog, usable

CATALOG = LOCALE / "es" / "LC_MESSAGES" / "errors_clv_equity.po"

#: Words that give away an English sentence; none of them is a Spanish word.
ENGLISH = {"the", "and", "of", "is", "are", "with", "which", "this", "that", "from", "for",
           "each", "their", "what", "when", "how", "it", "be", "by", "not", "or", "an", "your",
           "you", "must", "got", "data", "customers", "have", "has", "was", "were", "cannot",
           "made", "pass", "times", "there", "yet", "per", "at", "on"}
#: Code in a message stays as it is: quoted values, calls (fit(data)), parameters
#: (calibration_end), arguments (time_unit='W') and attributes (data.attrs).
_CODE = re.compile(r"'[^']*'|`[^`]*`|[\w.]+\([^)]*\)\S*|\S*(?:[_={}\[\]]|\w\.\w|\w\()\S*")


def english_words(text: str) -> list[str]:
    """The English words of ``text`` outside its code."""
    prose = _CODE.sub(" ", text)
    return [word for word in re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñü]+", prose)
            if word.lower() in ENGLISH]


def spanish_message(call, error=DataError) -> str:
    """The message ``call()`` raises in Spanish, checked for English words."""
    i18n.set_language("es")
    with pytest.raises(error) as raised:
        call()
    message = str(raised.value)
    assert not english_words(message), f"English left in {message!r}: {english_words(message)}"
    return message


def english_message(call, error=DataError) -> str:
    i18n.set_language("en")
    with pytest.raises(error) as raised:
        call()
    return str(raised.value)


def _one_repeater() -> pd.DataFrame:
    return pd.DataFrame({"frequency": [1, 0, 0], "recency": [2.0, 0.0, 0.0], "T": [5.0, 5.0, 5.0]})


@pytest.fixture(scope="module")
def cdnow():
    return clv.summarize(rl.datasets.load_cdnow("sample"), "1997-09-30", time_unit="W")


def test_a_fit_without_a_time_unit_says_how_to_give_one():
    frame = _one_repeater()
    message = spanish_message(lambda: clv.BetaGeoNBD().fit(frame))
    assert message.startswith("BetaGeoNBD.fit necesita la unidad de tiempo de los datos: pasa "
                              "time_unit='W'")
    assert "la pierden" in message
    assert english_message(lambda: clv.BetaGeoNBD().fit(frame)) == (
        "BetaGeoNBD.fit needs the time unit of the data: pass time_unit='W' (or 'D', 'M', 'Q', "
        "'Y'). rl.clv.summarize records it in data.attrs['time_unit'], but a merge, a groupby "
        "or a hand-made table loses it.")


def test_nobody_buying_twice_counts_the_customers_in_spanish():
    data = pd.DataFrame({"frequency": [0] * 50, "recency": [0.0] * 50,
                         "T": [10.0] * 45 + [0.0] * 5})

    def fit():
        clv.ParetoNBD().fit(data, time_unit="W")

    message = spanish_message(fit, clv.ConvergenceError)
    assert message.startswith("ParetoNBD.fit: ninguno de los 50 clientes hizo una compra "
                              "repetida (5 de ellos vistos por primera vez al final del periodo, "
                              "T = 0), así que los datos no dicen nada")
    assert "periodo de calibración más largo (un calibration_end posterior)" in message
    assert english_message(fit, clv.ConvergenceError).startswith(
        "ParetoNBD.fit: none of the 50 customers made a repeat purchase (5 of them first seen at "
        "the end of the period, T = 0), so the data say nothing")


def test_a_fit_stopped_early_gives_the_reason_and_the_data_in_spanish(cdnow):
    def fit():
        clv.BetaGeoNBD(max_iter=2).fit(cdnow)

    message = spanish_message(fit, clv.ConvergenceError)
    assert message.startswith("BetaGeoNBD: el ajuste por máxima verosimilitud no llegó a un "
                              "óptimo: usó todas las max_iter=2 iteraciones. Los datos: 946 de "
                              "los 2,357 clientes hicieron una compra repetida; últimas "
                              "estimaciones r=")
    assert message.endswith("Pasa un max_iter mayor, otros initial_params o penalizer=0.001.")
    english = english_message(fit, clv.ConvergenceError)
    assert "did not reach an optimum: it used all max_iter=2 iterations" in english
    assert "946 of the 2,357 customers made a repeat purchase" in english


def _boundary_warning(fit) -> str:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit()
    found = [str(w.message) for w in caught if issubclass(w.category, clv.BoundaryWarning)]
    assert len(found) == 1
    return found[0]


def test_the_boundary_warning_when_the_data_pin_nothing_down_is_spanish():
    def fit():
        clv.BetaGeoNBD().fit(_one_repeater(), time_unit="W")

    i18n.set_language("es")
    message = _boundary_warning(fit)
    assert not english_words(message), english_words(message)
    assert message.startswith("BetaGeoNBD: r, alpha, a y b están en la frontera del espacio de "
                              "parámetros (0 o infinito): los datos no pueden fijarlos (r = ")
    assert "No tienen errores estándar (NaN): ningún parámetro queda fijado" in message
    assert "La probabilidad media de irse después de una compra, a/(a+b), es " in message
    assert "Los datos: 1 de los 3 clientes hicieron una compra repetida." in message
    i18n.set_language("en")
    english = _boundary_warning(fit)
    assert english.startswith("BetaGeoNBD: r, alpha, a and b are at the boundary of the "
                              "parameter space (0 or infinity): the data cannot pin them down")
    assert "The data: 1 of the 3 customers made a repeat purchase." in english


def _buyers_who_never_leave(n=600, weeks=60, seed=3) -> pd.DataFrame:
    """Poisson buyers (rate ~ Gamma(1, 5) a week) first seen in the first 10 weeks; none leave."""
    rng = np.random.default_rng(seed)
    first = rng.uniform(0, 10, n)
    purchases = rng.poisson(rng.gamma(1.0, 0.2, n) * (weeks - first))
    buyer = np.repeat(np.arange(n), purchases)
    week = np.r_[first, rng.uniform(first[buyer], weeks)]
    return pd.DataFrame({"customer_id": [f"k{i}" for i in np.r_[np.arange(n), buyer]],
                         "date": pd.Timestamp("2024-01-01")
                         + pd.to_timedelta(np.floor(week * 7), unit="D"),
                         "amount": 20.0})


def test_the_boundary_warning_of_no_dropout_tells_the_share_in_weeks():
    summary = clv.summarize(_buyers_who_never_leave(), "2025-02-23")
    i18n.set_language("es")
    model = clv.ParetoNBD()
    message = _boundary_warning(lambda: model.fit(summary))
    assert model.boundary_ and set(model.boundary_) <= {"s", "beta"}
    assert not english_words(message), english_words(message)
    assert "está en la frontera" in message or "están en la frontera" in message
    assert "Según las estimaciones de s y beta, " in message
    assert " semanas, el periodo más largo observado: los datos casi no muestran abandono." in (
        message)
    repeaters = int((summary["frequency"] > 0).sum())
    assert (f"Los datos: {repeaters:,} de los {len(summary):,} clientes hicieron una compra "
            "repetida") in message
    assert message.endswith("si de verdad los clientes no se van, un modelo sin abandono.")
    i18n.set_language("en")
    english = _boundary_warning(lambda: clv.ParetoNBD().fit(summary))
    assert "By the estimates of s and beta, " in english and " weeks, the longest observed" in (
        english)


def test_models_passed_in_the_wrong_order_are_named_in_spanish(cdnow):
    spend = clv.GammaGamma().fit(cdnow)

    def value():
        clv.customer_lifetime_value(spend, spend, cdnow, 52, discount_rate=0.1)

    assert spanish_message(value) == (
        "transaction_model debe ser un BetaGeoNBD o ParetoNBD ajustado; se recibió GammaGamma. "
        "Pasa primero el modelo de compras y después el de gasto: "
        "customer_lifetime_value(bgnbd, gamma_gamma, data, ...).")
    assert english_message(value) == (
        "transaction_model must be a fitted BetaGeoNBD or ParetoNBD, got GammaGamma. Pass the "
        "purchase model first, then the spend model: customer_lifetime_value(bgnbd, gamma_gamma, "
        "data, ...).")


def test_a_calibration_after_the_observation_gives_both_dates():
    lines = pd.DataFrame({"customer_id": ["a", "a"], "amount": [5.0, 6.0],
                          "date": pd.to_datetime(["2024-01-02", "2024-02-02"])})

    def summarize():
        clv.summarize(lines, "2024-03-31", calibration_end="2024-04-30")

    assert spanish_message(summarize) == (
        "calibration_end (2024-04-30) es posterior a observation_end (2024-03-31); el periodo de "
        "validación debe venir después del periodo de calibración.")
    assert english_message(summarize) == (
        "calibration_end (2024-04-30) is after observation_end (2024-03-31); the holdout period "
        "must follow the calibration period.")


def test_retained_customers_without_a_later_value_are_counted_in_spanish():
    before = pd.Series({"a": 100.0, "b": 50.0, "c": 20.0})
    after = pd.Series({"c": 30.0})

    def change():
        equity.equity_change(before, after, active=["a", "b", "c"])

    assert spanish_message(change) == (
        "CLV de after: 2 clientes retenidos (activos entre las dos fechas) no tienen valor en la "
        "fecha 2, p. ej., 'a'. Valúa a cada cliente de la fecha 2, p. ej., con equity.value_at en "
        "la fecha posterior.")
    assert english_message(change).startswith(
        "CLV after: 2 retained customers (active between the dates) have no value at date 2, "
        "e.g. 'a'.")


def test_a_falling_customer_count_names_the_period_in_spanish():
    counts = pd.Series([10.0, 30.0, 25.0, 60.0, 80.0], index=[0, 1, 2, 3, 4])

    def fit():
        equity.LogisticGrowth().fit(counts, time_unit="Q")

    assert spanish_message(fit) == ("los conteos de clientes deben ser acumulados (nunca bajar): "
                                    "el conteo baja después del periodo 1.0.")
    assert english_message(fit) == ("customer counts must be cumulative (never falling): the "
                                    "count falls after period 1.0.")


def test_an_input_without_a_direction_is_named_with_the_way_to_give_it():
    def elasticities():
        equity.elasticities(lambda price, cost: price - cost, {"price": 10.0, "cost": 6.0},
                            improvements={"cost": -1})

    message = spanish_message(elasticities)
    assert message.startswith("improvements debe indicar en qué dirección 1 entrada(s) mejoran "
                              "el valor: 'price'; pasa p. ej., improvements={'price': 1}")
    assert english_message(elasticities).startswith(
        "improvements must say which way 1 input(s) improve the value: 'price'; pass e.g. "
        "improvements={'price': 1} (+1 when raising it is better")


def test_the_column_checks_of_a_purchase_model_name_their_table_in_spanish():
    # The sentence around them is relmark_lab._validate's column template; the table's name,
    # the problem and the hint are this catalog's.
    frame = pd.DataFrame({"frequency": [1], "recency": [0.0], "T": [0.0]})
    i18n.set_language("es")
    with pytest.raises(DataError) as raised:
        clv.BetaGeoNBD().fit(frame, time_unit="W")
    message = str(raised.value)
    assert not english_words(message), english_words(message)
    assert message.startswith("datos de BetaGeoNBD")
    assert "es 0 en un cliente con compras repetidas" in message
    assert message.endswith("T es 0 solo para un cliente visto por primera vez al final del "
                            "periodo, que todavía no tiene compras repetidas.")


def _fields(text: str) -> list[tuple[str, str, str]]:
    return sorted((name, spec, conversion) for _text, name, spec, conversion
                  in string.Formatter().parse(text) if name is not None)


def test_every_translation_keeps_the_placeholders_of_its_english():
    translations = usable(read_catalog(CATALOG, "es"))
    assert len(translations) > 100
    for english, spanish in translations.items():
        assert _fields(spanish) == _fields(english), (english, spanish)
        # the same literal braces, doubled in both
        assert english.count("{{") == spanish.count("{{"), (english, spanish)


def test_every_message_of_the_catalog_is_still_said_by_the_package():
    said = set()
    package = Path(clv.__file__).resolve().parents[1]
    for folder in ("clv", "equity"):
        said |= {message for _file, _line, message, _comments, _context
                 in extract_from_dir(str(package / folder), method_map=[("**.py", "python")])}
    assert set(usable(read_catalog(CATALOG, "es"))) <= said
