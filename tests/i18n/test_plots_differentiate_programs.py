"""The differentiation and program plots speak the kit's language; English stays as it was.

Each case draws one plot on a small table and names, per text of the figure
(title, axis labels, legend, annotations), the English and the Spanish it
must show. The Spanish is written here, not read from the catalog, so a
missing or changed translation fails; the English is what the plots drew
before they were translated.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

from relmark_lab import differentiate as dif  # noqa: E402
from relmark_lab import i18n, programs  # noqa: E402
from relmark_lab.i18n.catalogs import LOCALE  # noqa: E402
from relmark_lab.plots import differentiate as dplot  # noqa: E402
from relmark_lab.plots import programs as pplot  # noqa: E402

#: Words a Spanish label may share with the English one: units, names, abbreviations, and
#: words both languages spell alike.
SHARED = {"MXN", "VIP", "NPS", "CLV", "Reinartz", "Kumar", "Jones", "Sasser", "control", "total"}


def _texts(ax) -> dict:
    """Every text of the figure a reader sees, by kind."""
    legend = ax.get_legend()
    return {
        "title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
        "legend_title": legend.get_title().get_text() if legend else "",
        "legend": [t.get_text() for t in legend.get_texts()] if legend else [],
        "annotations": [t.get_text() for t in ax.texts],
        "yticks": [t.get_text() for t in ax.get_yticklabels()],
        "colorbar": [other.get_ylabel() for other in ax.figure.axes if other is not ax],
    }


def _members() -> pd.DataFrame:
    """The small pilot of tests/programs/test_plots.py."""
    rng = np.random.default_rng(0)
    members = pd.DataFrame({"treated": np.arange(200) % 2, "spend": rng.gamma(2, 50, 200),
                            "tier": rng.choice(["light", "heavy"], 200)})
    members["orders"] = rng.poisson(2 + members["treated"])
    return members


def _drivers() -> pd.DataFrame:
    drivers = pd.DataFrame({"driver": ["service_rating", "price_rating"], "weight": [0.4, 0.2],
                            "weight_lower": [0.3, 0.1], "weight_upper": [0.5, 0.3],
                            "importance": [0.6, 0.4]})
    drivers.attrs["outcome"] = "perceived_value"
    return drivers


def _study() -> pd.DataFrame:
    return pd.DataFrame({"relative_month": [-2, -1, 0, 1], "estimate": [0.0, 0.0, 0.5, 0.6],
                         "lower": [-0.1, 0.0, 0.3, 0.4], "upper": [0.1, 0.0, 0.7, 0.8]})


QUADRANTS = ["true friends", "butterflies", "barnacles", "strangers"]
TYPES = ["apostles", "mercenaries", "indifferent", "hostages", "terrorists"]

#: (id, draw, {kind: (English, Spanish)}, data words the labels carry as they are)
CASES = [
    ("whale_curve",
     lambda: dplot.plot_whale_curve(dif.whale_curve(pd.DataFrame(
         {"customer_id": list("abc"), "profit": [150.0, 10.0, -60.0]}))),
     {"title": ("Whale curve", "Curva de ballena"),
      "xlabel": ("customers ranked by profit (% of customers)",
                 "clientes ordenados por utilidad (% de clientes)"),
      "ylabel": ("cumulative profit (% of total)", "utilidad acumulada (% del total)"),
      "annotations": (["peak 160% of profit\nfrom the top 67% of customers"],
                      ["máximo: 160% de la utilidad\ncon el 67% de clientes más rentables"])},
     set()),
    ("profit_distribution",
     lambda: dplot.plot_profit_distribution(pd.DataFrame(
         {"profit": [-50.0, -10.0, 5.0, 20.0, 40.0, 80.0, 500.0]})),
     {"title": ("Customer profit (top 2% not shown)",
                "Utilidad por cliente (se omite el 2% más alto)"),
      "xlabel": ("profit per customer (MXN)", "profit por cliente (MXN)"),
      "ylabel": ("customers", "clientes"),
      "legend_title": ("group", "grupo"),
      "legend": (["creates value", "destroys value"], ["crea valor", "destruye valor"])},
     {"profit"}),
    ("vip_tiers",
     lambda: dplot.plot_vip_tiers(pd.DataFrame(
         {"tier": ["VIP", "VIP", "Gold", "Gold"], "z_recency": [1.0, 0.8, -0.5, -1.3],
          "z_frequency": [0.9, 1.1, -0.7, -1.3]})),
     {"title": ("What makes a VIP: components by tier",
                "Qué hace a un cliente VIP: componentes por categoría"),
      "xlabel": ("component", "componente"), "ylabel": ("tier", "categoría"),
      "colorbar": (["mean standardized score"], ["puntaje estandarizado medio"])},
     set()),
    ("tier_comparison",
     lambda: dplot.plot_tier_comparison(
         pd.DataFrame({"customer_id": [1, 2, 3, 4], "vip_score": [0.9, 0.7, 0.2, -0.4],
                       "tier": ["VIP", "VIP", "Gold", "Gold"]}),
         pd.DataFrame({"customer_id": [1, 2, 3, 4], "vip_score": [0.8, 0.1, 0.6, -0.5],
                       "tier": ["VIP", "Gold", "VIP", "Gold"]})),
     {"title": ("Same customers, two weightings", "Mismos clientes, dos ponderaciones"),
      "xlabel": ("VIP score, weighting A", "puntaje VIP, ponderación A"),
      "ylabel": ("VIP score, weighting B", "puntaje VIP, ponderación B"),
      "legend_title": ("list", "lista"),
      "legend": (["not VIP", "VIP in both", "VIP in weighting A only", "VIP in weighting B only"],
                 ["no VIP", "VIP con ambas", "VIP solo con ponderación A",
                  "VIP solo con ponderación B"])},
     set()),
    ("reinartz_kumar",
     lambda: dplot.plot_reinartz_kumar(pd.DataFrame(
         {"profit": [500.0, 300.0, -50.0, -20.0], "projected_loyalty": [0.9, 0.1, 0.8, 0.2],
          "quadrant": QUADRANTS})),
     {"title": ("Reinartz–Kumar matrix", "Matriz de Reinartz–Kumar"),
      "xlabel": ("projected loyalty (projected_loyalty)",
                 "lealtad proyectada (projected_loyalty)"),
      "ylabel": ("profit (MXN, symlog)", "profit (MXN, log simétrica)"),
      # bilingual on purpose: the Spanish edition puts the course notes' term first
      "annotations": (["butterflies\n(mariposas)", "true friends\n(amigos verdaderos)",
                       "strangers\n(extraños)", "barnacles\n(lapas)"],
                      ["mariposas\n(butterflies)", "amigos verdaderos\n(true friends)",
                       "extraños\n(strangers)", "lapas\n(barnacles)"])},
     {"profit", "projected_loyalty", *" ".join(QUADRANTS).split()}),
    ("satisfaction_loyalty",
     lambda: dplot.plot_satisfaction_loyalty(pd.DataFrame(
         {"satisfaction": [5, 5, 1, 3, 1], "projected_loyalty": [0.9, 0.1, 0.9, 0.5, 0.1],
          "type": TYPES})),
     {"title": ("Satisfaction × loyalty (Jones–Sasser); shaded: zone of indifference",
                "Satisfacción × lealtad (Jones–Sasser); sombreada: zona de indiferencia"),
      "xlabel": ("satisfaction (survey)", "satisfaction (encuesta)"),
      "ylabel": ("loyalty (projected_loyalty)", "lealtad (projected_loyalty)")},
     {"satisfaction", "projected_loyalty"}),
    ("nps",
     lambda: dplot.plot_nps(pd.DataFrame({"segment": ["all"], "n": [40], "nps": [12.0],
                                          "ci_low": [-5.0], "ci_high": [29.0]})),
     {"title": ("Net promoter score", "Índice neto de promotores (NPS)"),
      "xlabel": ("net promoter score (points, with confidence interval)",
                 "índice neto de promotores (puntos, con intervalo de confianza)")},
     set()),
    ("spend_by_score",
     lambda: dplot.plot_spend_by_score(pd.DataFrame(
         {"satisfaction": [1, 1, 3, 3, 5, 5], "spend_per_year": [100.0, 150, 300, 250, 900, 700]})),
     {"title": ("Spend by satisfaction", "Gasto según satisfaction"),
      "xlabel": ("satisfaction (survey, 1–5)", "satisfaction (encuesta, 1–5)"),
      "ylabel": ("spend_per_year (MXN, log scale)", "spend_per_year (MXN, escala logarítmica)")},
     {"satisfaction", "spend_per_year"}),
    ("wallet",
     lambda: dplot.plot_wallet(pd.DataFrame(
         {"quadrant": ["true friends", "strangers"], "spend": [3000.0, 500.0],
          "left_on_table": [1000.0, 1500.0], "wallet": [4000.0, 2000.0],
          "share_of_wallet": [0.75, 0.25]}), "quadrant"),
     {"title": ("Share of wallet", "Participación del cliente"),
      "xlabel": ("MXN per year (surveyed customers)", "MXN por año (clientes encuestados)"),
      "legend": (["our spend", "left on the table (competitors)"],
                 ["gasto con nosotros", "gasto con la competencia"]),
      "annotations": (["75% ours", "25% ours"], ["75% con nosotros", "25% con nosotros"])},
     set()),
    ("contact_plan",
     lambda: dplot.plot_contact_plan(pd.DataFrame(
         {"tier": ["VIP", "Bronze"], "budget": [30000.0, 10000.0], "kind": ["direct", "mass media"],
          "channel": ["telemarketing", "radio"], "contacts_per_customer": [6.25, 1.0]})),
     {"title": ("Contact plan by value tier", "Plan de contacto por categoría de valor"),
      "xlabel": ("contact budget (MXN)", "presupuesto de contacto (MXN)"),
      "legend_title": ("channel", "canal"),
      # the legend's entries are the plan's "kind" values, drawn in the language in use
      "legend": (["direct", "mass media"], ["marketing directo", "medios masivos"]),
      "annotations": (["telemarketing, 6.2 per customer", "radio, 1.0 per customer"],
                      ["telemarketing, 6.2 por cliente", "radio, 1.0 por cliente"])},
     {"telemarketing", "radio", "direct", "mass", "media"}),
    ("key_drivers",
     lambda: dplot.plot_key_drivers(_drivers(), truth={"service_rating": 0.45,
                                                       "price_rating": 0.15}),
     {"title": ("What drives perceived value", "Impulsores de perceived value"),
      "xlabel": ("perceived value points per rating point (others held fixed)",
                 "puntos de perceived value por punto de calificación (con las demás fijas)"),
      "legend": (["true weight", "estimate, 95% CI"], ["peso verdadero", "estimación, IC de 95%"]),
      "yticks": (["service_rating (60% of R²)", "price_rating (40% of R²)"],
                 ["service_rating (60% de R²)", "price_rating (40% de R²)"])},
     {"perceived", "value", "service_rating", "price_rating"}),
    ("key_drivers_without_outcome",
     lambda: dplot.plot_key_drivers(_drivers().pipe(lambda d: (d.attrs.clear(), d)[1])),
     {"title": ("What drives outcome", "Impulsores de resultado"),
      "xlabel": ("outcome points per rating point (others held fixed)",
                 "puntos de resultado por punto de calificación (con las demás fijas)")},
     set()),
    ("importance_performance",
     lambda: dplot.plot_importance_performance(pd.DataFrame(
         {"driver": ["service_rating", "price_rating"], "importance": [0.6, 0.4],
          "mean_rating": [3.1, 3.6], "quadrant": ["concentrate here", "possible overkill"]})),
     {"title": ("Importance–performance map", "Mapa de importancia–desempeño"),
      "xlabel": ("importance (share of R²)", "importancia (parte de R²)"),
      "ylabel": ("performance (mean rating, 1–5)", "desempeño (calificación media, 1–5)")},
     set()),
    ("relationship_levels",
     lambda: dplot.plot_relationship_levels(pd.DataFrame(
         {"tier": ["VIP", "Bronze"], "customers": [40, 3000],
          "margin_per_customer": [4000.0, 50.0], "level": ["partnership", "basic"]}), "tier"),
     {"title": ("Relationship levels: many customers of low margin → basic; few of high margin → "
                "partnership",
                "Niveles de relación: muchos clientes de margen bajo → relación básica; pocos de "
                "margen alto → sociedad completa"),
      "xlabel": ("customers in the segment (log scale)",
                 "clientes en el segmento (escala logarítmica)"),
      "ylabel": ("margin per customer (MXN)", "margen por cliente (MXN)"),
      "legend_title": ("level", "nivel")},
     set()),
    ("power_curve",
     lambda: pplot.plot_power_curve(programs.power_curve([0.2, 0.5], kind="means", sd=1.0)),
     {"xlabel": ("members per arm", "miembros por brazo"), "ylabel": ("power", "potencia"),
      "legend": (["effect 0.2", "effect 0.5", "power 80%"],
                 ["efecto 0.2", "efecto 0.5", "potencia 80%"])},
     set()),
    ("balance",
     lambda: pplot.plot_balance(*[programs.balance_table(_members(), "treated",
                                                         ["spend", "tier"])] * 2),
     {"xlabel": ("standardized mean difference (treated − control)",
                 "diferencia de medias estandarizada (tratados − control)"),
      "legend": (["before", "after"], ["antes", "después"])},
     set()),
    ("effects",
     lambda: pplot.plot_effects(programs.effects_by_group(_members(), "orders", "treated", "tier"),
                                "tier", truth=pd.Series({"light": 1.0, "heavy": 1.0})),
     {"xlabel": ("effect", "efecto"),
      "legend": (["truth", "estimate, 95% interval"],
                 ["valor real", "estimación, intervalo de 95%"])},
     set()),
    ("event_study",
     lambda: pplot.plot_event_study(_study(), truth=pd.Series([0.5, 0.6], index=[0, 1])),
     {"xlabel": ("months relative to the start of the program",
                 "meses respecto al inicio del programa"),
      "ylabel": ("effect on the outcome", "efecto en el resultado"),
      "legend": (["95% interval", "estimate", "truth"],
                 ["intervalo de 95%", "estimación", "valor real"])},
     set()),
    ("event_study_of_a_named_outcome",
     lambda: pplot.plot_event_study(_study().pipe(lambda s: (s.attrs.update(outcome="orders"),
                                                             s)[1])),
     {"ylabel": ("effect on orders", "efecto en orders")},
     {"orders"}),
    ("rollout",
     lambda: pplot.plot_rollout(pd.DataFrame(
         {"cohort": ["2024-04", "2024-04", "2024-06"], "month": ["2024-04", "2024-05", "2024-06"],
          "estimate": [0.1, 0.2, 0.15]})),
     {"xlabel": ("month (dotted: a wave's start)", "mes (punteada: inicio de una oleada)"),
      "ylabel": ("effect against not-yet-treated members",
                 "efecto frente a miembros aún no tratados"),
      "legend": (["wave from 2024-04", "wave from 2024-06"],
                 ["oleada desde 2024-04", "oleada desde 2024-06"])},
     set()),
    ("net_value",
     lambda: pplot.plot_net_value(pd.DataFrame(
         {"net_value": np.random.default_rng(0).normal(10, 50, 100)}), naive=120.0),
     {"xlabel": ("net value per enrolled member (CLV added − program cost)",
                 "valor neto por miembro inscrito (CLV añadido − costo del programa)"),
      "ylabel": ("redraws of the pilot", "remuestreos del piloto"),
      "legend": (["mean", "naive estimate"], ["media", "estimación ingenua"])},
     set()),
]
IDS = [case[0] for case in CASES]


def _words(text) -> set[str]:
    """The words of a label (or of a list of them); single letters ("A", Spanish "a") say
    nothing about the language."""
    joined = " ".join(text) if isinstance(text, list) else text
    return {word for word in re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñü_]+", joined) if len(word) > 1}


@pytest.mark.parametrize("name, draw, expected, data_words", CASES, ids=IDS)
def test_in_english_the_plot_says_what_it_always_said(name, draw, expected, data_words):
    drawn = _texts(draw())
    assert {kind: drawn[kind] for kind in expected} == {
        kind: english for kind, (english, _spanish) in expected.items()}


@pytest.mark.parametrize("name, draw, expected, data_words", CASES, ids=IDS)
def test_in_spanish_the_plot_says_it_in_spanish(name, draw, expected, data_words):
    i18n.set_language("es")
    drawn = _texts(draw())
    assert {kind: drawn[kind] for kind in expected} == {
        kind: spanish for kind, (_english, spanish) in expected.items()}
    for kind, (english, spanish) in expected.items():
        if name == "reinartz_kumar" and kind == "annotations":
            continue  # bilingual on purpose (the English term in parentheses)
        left = (_words(english) - SHARED - data_words) & _words(spanish)
        assert not left, f"{name} {kind}: English word(s) {left} left in {spanish!r}"


def test_the_language_is_read_when_the_plot_is_drawn():
    """One process, both languages: nothing is translated once at import."""
    i18n.set_language("es")
    assert dplot.plot_nps(pd.DataFrame({"segment": ["all"], "n": [4], "nps": [0.0],
                                        "ci_low": [-1.0], "ci_high": [1.0]})
                          ).get_title() == "Índice neto de promotores (NPS)"
    i18n.set_language("en")
    assert pplot.plot_net_value(pd.DataFrame({"net_value": [1.0, 2.0]})
                                ).get_ylabel() == "redraws of the pilot"


def test_given_weighting_names_are_drawn_as_given_in_either_language():
    first = pd.DataFrame({"customer_id": [1, 2], "vip_score": [0.9, 0.1], "tier": ["VIP", "Gold"]})
    i18n.set_language("es")
    ax = dplot.plot_tier_comparison(first, first, labels=("equal weights", "money first"))
    assert ax.get_xlabel() == "puntaje VIP, equal weights"
    assert ax.get_ylabel() == "puntaje VIP, money first"


@pytest.mark.parametrize("module", ["differentiate", "programs"])
def test_each_translation_keeps_the_placeholders_of_its_english(module):
    path = LOCALE / "es" / "LC_MESSAGES" / f"plots_{module}.po"
    catalog = read_po(Path(path).open("rb"), locale="es")
    entries = [entry for entry in catalog if entry.id]
    assert entries and all(entry.string and not entry.fuzzy for entry in entries)
    for entry in entries:
        assert sorted(re.findall(r"\{[^{}]*\}", entry.id)) == sorted(
            re.findall(r"\{[^{}]*\}", entry.string)), entry.id
