"""What the program evaluations print speaks Spanish when asked, English unchanged.

An :class:`~relmark_lab.programs.Effect` and a
:class:`~relmark_lab.programs.PilotDesign` print a sentence; the effect names
its method inside it. ``method`` stays English (code and tests compare it);
the sentence shows it in the language in use. Here every estimator of
:mod:`relmark_lab.programs` is run on small data and printed in both
languages: the English sentence must be exactly the one the kit printed
before it was translated (rebuilt below from its fields), the Spanish one
must hold the same numbers, the method in Spanish and no English sentence.
The service-profit chain's caveat and the subgroup warning are checked the
same way, and the catalog ``programs_texts.po`` keeps every placeholder.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from relmark_lab import i18n, programs
from relmark_lab.i18n.catalogs import LOCALE, read_catalog
from relmark_lab.programs._effect import display_method

CATALOG = LOCALE / "es" / "LC_MESSAGES" / "programs_texts.po"
#: Words that mark an English sentence; a Spanish text has none outside its values.
ENGLISH = {"the", "and", "of", "is", "are", "with", "which", "this", "that", "from", "for",
           "each", "their", "what", "when", "how", "it", "be", "by", "not", "or", "an", "to",
           "treated", "controls", "members", "detect", "power", "at", "test",
           "matching", "weighting", "adjustment", "regression", "robust", "difference",
           "differences", "value", "shares", "interval", "staggered", "effects", "net",
           "were", "would", "tested", "stores", "observational", "never", "yet"}


def _english_words(text: str) -> list[str]:
    """English words outside quoted values ('significant'), codes (p_adjusted, HC1) and
    placeholders ({treated:,}); "control" is Spanish too ("de control")."""
    prose = re.sub(r"'[^']*'|\{[^{}]*\}|\S*_\S*", " ", text)
    return [w for w in re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñü]+", prose) if w.lower() in ENGLISH]


def _numbers(text: str) -> list[str]:
    return re.findall(r"-?\d[\d,]*(?:\.\d+)?", text)


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:,.4g}"


def _english_sentence(effect: programs.Effect) -> str:
    """The sentence the kit printed before it spoke Spanish, from the effect's fields."""
    return (f"{_number(effect.estimate)} ({effect.level:.0%} CI {_number(effect.lower)} to "
            f"{_number(effect.upper)}; {effect.method}, {effect.n_treated:,} treated, "
            f"{effect.n_control:,} control)")


# ---- small data for every estimator -------------------------------------------------------

def _pilot() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    pilot = pd.DataFrame({"treated": np.tile([1, 0], 200), "pre": rng.normal(50, 10, 400),
                          "tier": np.repeat(["light", "heavy"], 200)})
    pilot["revenue"] = pilot["pre"] + 5 * pilot["treated"] + rng.normal(0, 5, 400)
    return pilot


def _self_selected() -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(0)
    members = pd.DataFrame({"prior_orders": rng.poisson(4, 600)})
    chance = 1 / (1 + np.exp(2 - 0.5 * members["prior_orders"]))
    members["enrolled"] = (rng.random(600) < chance).astype(int)
    members["orders"] = members["prior_orders"] + members["enrolled"] + rng.normal(0, 1, 600)
    return members, programs.propensity_scores(members, "enrolled", ["prior_orders"])


def _panel() -> tuple[pd.DataFrame, pd.DataFrame]:
    """12 members over 5 months: two waves of 4 and 4 never in the program."""
    rng = np.random.default_rng(2)
    starts = ["2024-02"] * 4 + ["2024-04"] * 4 + [None] * 4
    members = pd.DataFrame({"member_id": [f"m{i}" for i in range(12)], "program_start": starts,
                            "enrolled": [int(s is not None) for s in starts]})
    months = [f"2024-{m:02d}" for m in range(1, 6)]
    panel = pd.DataFrame({"member_id": np.repeat(members["member_id"], 5), "month": months * 12})
    start = panel["member_id"].map(members.set_index("member_id")["program_start"])
    panel["orders"] = (rng.poisson(3, len(panel)) + 2.0 * (start.notna() & (panel["month"]
                                                                            >= start)))
    return panel, members


def _cases() -> pd.DataFrame:
    return pd.DataFrame({"group": ["call_back"] * 100 + ["usual"] * 100,
                         "retained": [1] * 70 + [0] * 30 + [1] * 55 + [0] * 45})


def _scored(call):
    members, scores = _self_selected()
    return call(members, scores)


def _panelled(call):
    panel, members = _panel()
    return call(panel, members)


# (name, how to get the Effect, its method in Spanish)
ESTIMATES = [
    ("Welch", lambda: programs.difference_in_means(_pilot(), "revenue", "treated"),
     "prueba t de Welch"),
    ("CUPED", lambda: programs.cuped(_pilot(), "revenue", "treated", "pre"),
     "CUPED (prueba t de Welch sobre el resultado ajustado)"),
    ("ANCOVA", lambda: programs.adjusted_effect(_pilot(), "revenue", "treated", ["pre"]),
     "ajuste por regresión (ANCOVA, EE robusto HC2)"),
    ("interacted", lambda: programs.adjusted_effect(_pilot(), "revenue", "treated", ["pre"],
                                                    interactions=True, cov_type="HC1"),
     "ajuste por regresión (con interacciones, EE robusto HC1)"),
    ("naive", lambda: _panelled(lambda p, m: programs.naive_difference(
        p, m, "orders", post_from="2024-03")), "diferencia ingenua después del lanzamiento"),
    ("DiD", lambda: _panelled(lambda p, m: programs.difference_in_differences(
        p, m, "orders", post_from="2024-03")), "diferencias en diferencias"),
    ("TWFE", lambda: _panelled(lambda p, m: programs.twfe_effect(p, m, "orders")),
     "efectos fijos de dos vías"),
    ("staggered, not yet", lambda: _panelled(lambda p, m: programs.staggered_effect(
        p, m, "orders", n_boot=30).overall), "DiD escalonado, controles aún no tratados"),
    ("staggered, never", lambda: _panelled(lambda p, m: programs.staggered_effect(
        p, m, "orders", n_boot=30, control_group="never_treated").overall),
     "DiD escalonado, controles nunca tratados"),
    ("IPW ATT", lambda: _scored(lambda f, s: programs.ipw_effect(f, "orders", "enrolled", s)),
     "ponderación por probabilidad inversa (ATT)"),
    ("IPW ATE adjusted", lambda: _scored(lambda f, s: programs.ipw_effect(
        f, "orders", "enrolled", s, estimand="ATE", adjust=["prior_orders"])),
     "ponderación por probabilidad inversa (ATE, con ajuste por regresión)"),
    ("matching", lambda: _scored(lambda f, s: programs.matched_effect(f, "orders", "enrolled",
                                                                      s)),
     "emparejamiento con el vecino más cercano (ATT)"),
    ("matching adjusted", lambda: _scored(lambda f, s: programs.matched_effect(
        f, "orders", "enrolled", s, adjust=["prior_orders"])),
     "emparejamiento con el vecino más cercano (ATT, con ajuste por regresión)"),
    ("shares", lambda: programs.proportion_effect(_cases(), "retained", group="group",
                                                  treated="call_back"),
     "diferencia de proporciones (intervalo de Newcombe)"),
    ("net value", lambda: programs.recovery_value(
        programs.proportion_effect(_cases(), "retained", group="group", treated="call_back"),
        value_of_customer=2000.0, cost_per_case=40.0, cases=12_000),
     "valor neto de diferencia de proporciones (intervalo de Newcombe)"),
]


@pytest.mark.parametrize(("name", "estimate", "spanish_method"), ESTIMATES,
                         ids=[e[0] for e in ESTIMATES])
def test_an_effect_prints_in_the_language_in_use(name, estimate, spanish_method):
    effect = estimate()
    english = str(effect)
    assert english == _english_sentence(effect)
    i18n.set_language("es")
    assert estimate().method == effect.method  # the field stays English in Spanish
    spanish = str(effect)
    assert display_method(effect.method) == spanish_method
    assert f"; {spanish_method}, " in spanish
    assert f"(IC de {effect.level:.0%} " in spanish and " tratados, " in spanish
    assert spanish.endswith(f"{effect.n_control:,} de control)")
    assert _numbers(spanish) == _numbers(english.replace(effect.method, spanish_method))
    assert not _english_words(spanish), _english_words(spanish)


def test_an_effect_s_sentence_word_for_word():
    effect = programs.Effect(1234.5, 10.0, -15_000.0, 2.5, 0.9, 1092, 849, "Welch t-test")
    assert str(effect) == "1,234 (90% CI -15,000 to 2.5; Welch t-test, 1,092 treated, 849 control)"
    i18n.set_language("es")
    assert str(effect) == ("1,234 (IC de 90% -15,000 a 2.5; prueba t de Welch, 1,092 tratados, "
                           "849 de control)")


def test_a_method_of_the_user_s_own_is_shown_as_it_is():
    effect = programs.Effect(5.0, 1.0, 3.0, 7.0, 0.95, 100, 100, "my bootstrap")
    i18n.set_language("es")
    assert str(effect) == "5 (IC de 95% 3 a 7; my bootstrap, 100 tratados, 100 de control)"
    # a built method whose values are the user's keeps them, and translates the rest
    assert display_method("net value of my bootstrap") == "valor neto de my bootstrap"


@pytest.mark.parametrize(("design", "english", "spanish"), [
    (lambda: programs.sample_size(0.05, kind="proportions", baseline=0.20),
     "1,092 treated + 1,092 control members detect an effect of 0.05 (h = 0.1199) with 80% "
     "power at alpha = 0.05.",
     "1,092 miembros tratados + 1,092 de control detectan un efecto de 0.05 (h = 0.1199) con "
     "una potencia de 80% y alpha = 0.05."),
    (lambda: programs.minimum_detectable_effect(250, sd=2.0, power=0.9, alpha=0.01, ratio=0.5),
     None, None),
], ids=["sample size", "minimum detectable effect"])
def test_a_pilot_design_prints_in_the_language_in_use(design, english, spanish):
    made = design()
    symbol = "d" if made.kind == "means" else "h"
    before = (f"{made.members_treated:,} treated + {made.members_control:,} control members "
              f"detect an effect of {made.effect:.4g} ({symbol} = "
              f"{made.standardized_effect:.4g}) with {made.power:.0%} power at alpha = "
              f"{made.alpha:g}.")
    assert str(made) == before and (english is None or str(made) == english)
    i18n.set_language("es")
    shown = str(made)
    assert spanish is None or shown == spanish
    assert shown.startswith(f"{made.members_treated:,} miembros tratados + "
                            f"{made.members_control:,} de control detectan un efecto de ")
    assert _numbers(shown) == _numbers(before) and not _english_words(shown)


def test_the_chain_s_caveat_stays_english_in_the_table_and_is_shown_in_spanish():
    rng = np.random.default_rng(3)
    stores = pd.DataFrame({"staff_satisfaction": rng.normal(3.5, 0.5, 60)})
    stores["customer_satisfaction"] = (0.5 * stores["staff_satisfaction"]
                                       + rng.normal(0, 0.3, 60))
    stores["retention"] = 0.5 + 0.05 * stores["customer_satisfaction"] + rng.normal(0, .02, 60)
    i18n.set_language("es")
    chain = programs.service_profit_chain(stores, weights=None, replicates=50)
    assert chain.attrs["caveat"] == programs.OBSERVATIONAL_CAVEAT
    assert programs.OBSERVATIONAL_CAVEAT.startswith("observational: stores were not assigned")
    shown = i18n.gettext(chain.attrs["caveat"])
    assert shown.startswith("observacional: a las tiendas no se les asignó la satisfacción")
    assert not _english_words(shown)


def test_the_subgroup_warning_speaks_the_language_in_use_with_its_numbers():
    pilot = _pilot().assign(tier=np.repeat(["light", "moderate", "heavy", "top"], 100))
    english = programs.effects_by_group(pilot, "revenue", "treated", "tier").attrs["warning"]
    assert english == (
        "4 subgroup effects were tested. Even if the program did nothing, 4 independent tests "
        "at alpha = 0.05 would give at least one 'significant' group 19% of the time: read "
        "p_adjusted (holm), not p_value, and note that the intervals are not adjusted. A "
        "subgroup difference found by looking is a hypothesis for the next pilot, not a "
        "finding.")
    i18n.set_language("es")
    table = programs.effects_by_group(pilot, "revenue", "treated", "tier",
                                      correction="bonferroni", alpha=0.1)
    spanish = table.attrs["warning"]
    assert spanish.startswith("Se probaron los efectos de 4 subgrupos. Aunque el programa no "
                              "hiciera nada, 4 pruebas independientes con alpha = 0.1 ")
    assert "el 34% de las veces: lee p_adjusted (bonferroni), no p_value" in spanish  # 1-.9^4
    assert _numbers(spanish) == ["4", "4", "0.1", "34"] and not _english_words(spanish)


def test_each_translation_keeps_its_placeholders_and_is_finished():
    catalog = read_catalog(CATALOG, "es")
    messages = [message for message in catalog if message.id]
    assert len(messages) >= 20
    for message in messages:
        assert message.string and not message.fuzzy, message.id
        assert sorted(re.findall(r"\{[^{}]*\}", message.id)) == sorted(
            re.findall(r"\{[^{}]*\}", message.string)), message.id
        assert not _english_words(message.string), (message.id, message.string)
