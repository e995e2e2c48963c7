"""The plots of lessons 01 and 03 label themselves in the language set, and keep their English.

Each case draws one plot with a small table and reads back what a reader sees:
title, axis labels, legend, colour bar and notes. In Spanish those are the
catalog's words, with no English word of the label left (values the kit defines,
such as statuses and segment names, are drawn in Spanish while the tables keep
them; column names stay as given); in English they are the labels the plots
always had.
"""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

import relmark_lab as rl  # noqa: E402
from relmark_lab import i18n, identify, rfm  # noqa: E402
from relmark_lab.i18n.catalogs import LOCALE  # noqa: E402
from relmark_lab.plots import identify as identify_plots  # noqa: E402
from relmark_lab.plots import rfm as rfm_plots  # noqa: E402

#: Words a Spanish label keeps from the English one: method names, the lessons' "ids" and
#: "micro-", and words spelled alike in both languages.
SAME_IN_BOTH = {"RFM", "means", "log", "ids", "Micro", "no", "total"}


@pytest.fixture(scope="module")
def small_rfm():
    """The RFM table of the kit's first 300 customers, its segments and a targeting run."""
    transactions = rl.datasets.load_transactions()
    first = sorted(transactions["customer_id"].unique())[:300]
    table = rfm.rfm_table(transactions[transactions["customer_id"].isin(first)], "2025-12-31")
    answers = rfm.simulate_responses(table)["responded"]
    return {
        "table": table,
        "segmented": rfm.assign_segments(table),
        "clusters": rfm.RFMKMeans(n_clusters=3).fit(table).labels_,
        "targeting": rfm.test_then_rollout(table, answers, cost_per_contact=5,
                                           profit_per_response=80),
    }


def _shown(drawn) -> dict[str, object]:
    """What a reader sees on an Axes (or the first Axes of a Figure, and every panel's title)."""
    panels = [panel.get_title() for panel in drawn.axes] if isinstance(drawn, plt.Figure) else []
    ax = drawn.axes[0] if isinstance(drawn, plt.Figure) else drawn
    legend = ax.get_legend()
    colour_bars = [other for other in ax.figure.axes if other is not ax and other.get_ylabel()]
    return {
        "title": ax.get_title(),
        "xlabel": ax.get_xlabel(),
        "ylabel": ax.get_ylabel(),
        "legend": None if legend is None else legend.get_title().get_text(),
        "entries": None if legend is None else [t.get_text() for t in legend.get_texts()],
        "colour bar": colour_bars[0].get_ylabel() if colour_bars else None,
        "notes": [t.get_text() for t in ax.texts],
        "panels": panels,
    }


def _merge_report(_data):
    report = pd.DataFrame({"raw_ids": [4, 1, 5], "people": [2, 1, 3]},
                          index=pd.Index(["email", "alone", "total"], name="rule"))
    return identify_plots.plot_merge_report(report)


def _recency(_data):
    status = pd.DataFrame({"days_since_last_purchase": [10, 400],
                           "status": ["active", "inactive"]})
    return identify_plots.plot_recency(status, 365)


def _status_counts(_data):
    counts = identify.status_counts(pd.DataFrame({"status": ["active", "potential"]}))
    return identify_plots.plot_status_counts(counts)


def _funnel(_data):
    funnel = pd.DataFrame({"reached": [10, 5, 2, 1, 0], "conversion": [None, .5, .4, .5, 0.]},
                          index=pd.Index(list(identify.STAGES), name="stage"))
    return identify_plots.plot_funnel(funnel)


def _contacts(_data):
    log = pd.DataFrame({"channel": ["letter", "e-mail"], "contact_type": ["complaint"] * 2})
    return identify_plots.plot_contacts_by_channel(identify.contacts_by_channel(log))


def _no_contacts(_data):
    none = pd.DataFrame({"channel": pd.Series([], dtype=str),
                         "contact_type": pd.Series([], dtype=str)})
    return identify_plots.plot_contacts_by_channel(identify.contacts_by_channel(none))


def _complaints(resolved):
    log = pd.DataFrame({"channel": ["letter"] * 2, "contact_type": ["complaint"] * 2,
                        "resolved": resolved, "days_to_resolve": [20 if r else None
                                                                  for r in resolved]})
    return identify_plots.plot_complaint_resolution(identify.complaint_resolution(log))


def _no_complaints(_data):
    log = pd.DataFrame({"channel": ["letter"], "contact_type": ["suggestion"],
                        "resolved": [False], "days_to_resolve": [None]})
    return identify_plots.plot_complaint_resolution(identify.complaint_resolution(log))


def _retention(_data):
    retention = pd.DataFrame({"customers": [10, 4, 2], "share_active": [0.6, 0.5, 0.5]},
                             index=["no complaint", "all resolved", "some unresolved"])
    return identify_plots.plot_complainer_retention(retention)


def _stage_migration(_data):
    before = pd.DataFrame({"customer_id": ["A"], "stage": ["acquisition"]})
    after = pd.DataFrame({"customer_id": ["A", "B"], "stage": ["satisfaction", "acquisition"]})
    return identify_plots.plot_stage_migration(before, after)


def _migration(data, shares=True, names=None):
    matrix = rfm.migration_matrix(data["segmented"], data["segmented"], shares=shares)
    if names:
        matrix = matrix.rename_axis(index=names[0], columns=names[1])
    return rfm_plots.plot_migration_heatmap(matrix)


def _k_selection(_data):
    k_table = pd.DataFrame({"inertia": [90.0, 60.0, 50.0], "silhouette": [0.3, 0.45, 0.4]},
                           index=pd.Index([2, 3, 4], name="k"))
    return rfm_plots.plot_k_selection(k_table)


# (plot, draw, English, Spanish): only the parts named are compared.
CASES = [
    ("merge report", _merge_report,
     {"title": "Identity resolution: merged raw ids and the people they are",
      "xlabel": "raw ids merged", "ylabel": "linked by", "legend": "count of",
      "entries": ["raw ids", "people"]},
     {"title": "Resolución de identidades: ids en bruto fusionados y las personas que son",
      "xlabel": "ids en bruto fusionados", "ylabel": "enlazados por", "legend": "conteo de",
      "entries": ["ids en bruto", "personas"]}),
    ("recency", _recency,
     {"title": "Recency of the last purchase", "xlabel": "days since last purchase",
      "ylabel": "customers", "legend": "status", "notes": ["threshold: 365 days"]},
     {"title": "Recencia de la última compra", "xlabel": "días desde la última compra",
      "ylabel": "clientes", "legend": "estado", "notes": ["umbral: 365 días"]}),
    ("status counts", _status_counts,
     {"title": "Customers by status", "xlabel": "customers"},
     {"title": "Clientes por estado", "xlabel": "clientes"}),
    ("funnel", _funnel,
     {"title": "Five stages of the relationship: who reached each",
      "notes": ["10", "5  (50% of previous)", "2  (40% of previous)", "1  (50% of previous)",
                "0  (0% of previous)"]},
     {"title": "Las cinco etapas de la relación: quién llegó a cada una",
      "notes": ["10", "5  (50% de la anterior)", "2  (40% de la anterior)",
                "1  (50% de la anterior)", "0  (0% de la anterior)"]}),
    ("contacts by channel", _contacts,
     {"title": "Voice of the customer: contacts by tool and type", "xlabel": "contacts",
      "legend": "type"},
     {"title": "Voz del cliente: contactos por herramienta y tipo", "xlabel": "contactos",
      "legend": "tipo"}),
    ("no contacts", _no_contacts,
     {"notes": ["no contacts yet"]}, {"notes": ["aún no hay contactos"]}),
    ("complaint resolution", lambda _data: _complaints([True, False]),
     {"title": "Complaints: how many are solved, and how fast",
      "xlabel": "median days to resolve", "ylabel": "share resolved"},
     {"title": "Quejas: cuántas se resuelven y qué tan rápido",
      "xlabel": "mediana de días para resolver", "ylabel": "proporción resuelta"}),
    ("no complaint solved", lambda _data: _complaints([False, False]),
     {"notes": ["no complaint solved yet"]}, {"notes": ["aún no se resuelve ninguna queja"]}),
    ("no complaints", _no_complaints,
     {"notes": ["no complaints yet"]}, {"notes": ["aún no hay quejas"]}),
    ("complainer retention", _retention,
     {"title": "Still active, by complaint outcome", "xlabel": "share active",
      "notes": ["60% of 10", "50% of 4", "50% of 2"]},
     {"title": "Siguen activos, según el desenlace de la queja",
      "xlabel": "proporción de activos", "notes": ["60% de 10", "50% de 4", "50% de 2"]}),
    ("stage migration", _stage_migration,
     {"title": "Stage migration between two updates", "xlabel": "stage after",
      "ylabel": "stage before"},
     {"title": "Migración de etapas entre dos actualizaciones", "xlabel": "etapa posterior",
      "ylabel": "etapa anterior"}),
    ("RF heatmap", lambda data: rfm_plots.plot_rf_heatmap(data["table"]),
     {"title": "Mean monetary value by R and F score", "xlabel": "F score (frequency)",
      "ylabel": "R score (recency)", "colour bar": "mean monetary value"},
     {"title": "Media de valor monetario por puntaje R y F", "xlabel": "puntaje F (frecuencia)",
      "ylabel": "puntaje R (recencia)", "colour bar": "media de valor monetario"}),
    ("RF heatmap of median frequency",
     lambda data: rfm_plots.plot_rf_heatmap(data["table"], value="frequency", agg="median"),
     {"title": "Median frequency (orders) by R and F score",
      "colour bar": "median frequency (orders)"},
     {"title": "Mediana de frecuencia (pedidos) por puntaje R y F",
      "colour bar": "mediana de frecuencia (pedidos)"}),
    ("score distributions", lambda data: rfm_plots.plot_score_distributions(data["table"]),
     {"panels": ["recency (days since last purchase)\ncoloured by r_score",
                 "frequency (orders)\ncoloured by f_score", "monetary value\ncoloured by m_score"],
      "xlabel": "recency_days", "ylabel": "customers"},
     {"panels": ["recencia (días desde la última compra)\ncolores según r_score",
                 "frecuencia (pedidos)\ncolores según f_score",
                 "valor monetario\ncolores según m_score"],
      "xlabel": "recency_days", "ylabel": "clientes"}),
    ("segment bars",
     lambda data: rfm_plots.plot_segment_bars(rfm.segment_summary(data["segmented"])),
     {"title": "Customers and revenue by segment", "xlabel": "share of the total",
      "legend": "share of", "entries": ["customers", "revenue"]},
     {"title": "Clientes e ingresos por segmento", "xlabel": "proporción del total",
      "legend": "proporción de", "entries": ["clientes", "ingresos"]}),
    ("segment treemap",
     lambda data: rfm_plots.plot_segment_treemap(rfm.segment_summary(data["segmented"])),
     {"title": "Segments: area = customers, colour = revenue share",
      "colour bar": "revenue share"},
     {"title": "Segmentos: área = clientes, color = proporción de ingresos",
      "colour bar": "proporción de ingresos"}),
    ("migration heatmap", _migration,
     {"title": "Segment migration (share of each row)", "xlabel": "segment after",
      "ylabel": "segment before"},
     {"title": "Migración de segmentos (proporción de cada fila)",
      "xlabel": "segmento posterior", "ylabel": "segmento anterior"}),
    ("migration heatmap of counts, axes named",
     lambda data: _migration(data, shares=False, names=("2024", "2025")),
     {"title": "Segment migration (customers)", "xlabel": "segment 2025",
      "ylabel": "segment 2024"},
     {"title": "Migración de segmentos (clientes)", "xlabel": "segmento 2025",
      "ylabel": "segmento 2024"}),
    ("clusters", lambda data: rfm_plots.plot_clusters(data["table"], data["clusters"]),
     {"title": "Micro-segments (k-means on log RFM)",
      "xlabel": "recency (days since last purchase) + 1", "ylabel": "monetary value",
      "legend": "cluster"},
     {"title": "Micro-segmentos (k-means sobre el log de RFM)",
      "xlabel": "recencia (días desde la última compra) + 1", "ylabel": "valor monetario",
      "legend": "clúster"}),
    ("k selection", _k_selection,
     {"panels": ["Elbow: inertia falls with k", "Silhouette: highest at k = 3"],
      "xlabel": "k (clusters)", "ylabel": "inertia"},
     {"panels": ["Codo: la inercia baja con k", "Silueta: máxima en k = 3"],
      "xlabel": "k (clústeres)", "ylabel": "inercia"}),
    ("cell response rates",
     lambda data: rfm_plots.plot_cell_response_rates(data["targeting"]),
     {"title": "Test response rate by cell (blue = rolled out)", "xlabel": "cell",
      "ylabel": "test response rate"},
     {"title": "Tasa de respuesta en la prueba por celda (azul = se despliega)",
      "xlabel": "celda", "ylabel": "tasa de respuesta en la prueba"}),
]


def _english_words(text: str) -> set[str]:
    """The words of a label, without column names (``r_score``) and words kept in Spanish."""
    text = re.sub(r"\w*_\w*", " ", text)
    return set(re.findall(r"[A-Za-z]{2,}", text)) - SAME_IN_BOTH


@pytest.mark.parametrize("draw, english", [(c[1], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_in_english_the_labels_are_unchanged(draw, english, small_rfm):
    shown = _shown(draw(small_rfm))
    assert {part: shown[part] for part in english} == english


@pytest.mark.parametrize("draw, english, spanish", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_in_spanish_the_labels_are_the_catalog_s(draw, english, spanish, small_rfm):
    i18n.set_language("es")
    shown = _shown(draw(small_rfm))
    assert {part: shown[part] for part in spanish} == spanish
    for part, english_text in english.items():
        for english_line, spanish_line in zip(
                english_text if isinstance(english_text, list) else [english_text],
                shown[part] if isinstance(shown[part], list) else [shown[part]], strict=True):
            left = _english_words(english_line) & set(re.findall(r"\w+", spanish_line))
            assert not left, f"{part} of the plot still says {sorted(left)}: {spanish_line!r}"


def test_the_second_panel_the_legend_and_the_tiles_speak_spanish_too(small_rfm):
    i18n.set_language("es")
    silhouette = _k_selection(small_rfm).axes[1]
    assert (silhouette.get_xlabel(), silhouette.get_ylabel()) == ("k (clústeres)", "silueta")
    rates = rfm_plots.plot_cell_response_rates(small_rfm["targeting"])
    rate = small_rfm["targeting"].break_even_rate
    assert [t.get_text() for t in rates.get_legend().get_texts()] == [
        f"tasa de equilibrio {rate:.1%}"]
    # the largest tile carries its segment's name and two shares in Spanish
    summary = rfm.segment_summary(small_rfm["segmented"])
    tiles = rfm_plots.plot_segment_treemap(summary).texts
    largest = summary["customers"].idxmax()
    name = i18n.display_value(largest)
    assert name != largest
    lines = next(t.get_text() for t in tiles if t.get_text().startswith(f"{name}\n"))
    assert lines.split("\n") == [
        name, f"{summary.loc[largest, 'customer_share']:.0%} de los clientes",
        f"{summary.loc[largest, 'revenue_share']:.0%} de los ingresos"]


def test_an_aggregation_or_column_the_kit_does_not_name_is_shown_as_given(small_rfm):
    i18n.set_language("es")
    ax = rfm_plots.plot_rf_heatmap(small_rfm["table"], value="recency_days", agg="max")
    assert ax.get_title() == "Max de recencia (días desde la última compra) por puntaje R y F"


@pytest.mark.parametrize("module", ["identify", "rfm"])
def test_each_translation_keeps_its_placeholders(module):
    path = LOCALE / "es" / "LC_MESSAGES" / f"plots_{module}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    messages = [message for message in catalog if message.id]
    assert messages and all(message.string and not message.fuzzy for message in messages)
    for message in messages:
        assert sorted(re.findall(r"\{\w+\}", message.id)) == sorted(
            re.findall(r"\{\w+\}", message.string)), message.id
