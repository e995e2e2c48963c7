"""The values the kit defines are shown in Spanish, and the plots' own errors speak it too.

The kit's tables keep their category values in English (code compares them:
``summary["segment"] == "Champions"``); figures and messages show them with
:func:`relmark_lab.i18n.display_value`, from the catalog ``values.po``. Here:
every value the kit defines, read from the constants that define it (not
copied), has a Spanish name; the course notes' terms are the ones used; a
Spanish figure shows Spanish segment, status and stage names while the
English figure is unchanged; and the errors of the plots and of
``set_language`` (catalog ``plots_errors.po``) speak Spanish with their
values in them, English unchanged. The descriptive texts of the kit's tables
(what a relationship level means, a quadrant's action, a campaign's
strategies, a payback note...) are values too: English in the table, Spanish
where a lesson shows them.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

import relmark_lab as rl  # noqa: E402
from relmark_lab import (  # noqa: E402
    DataError,
    differentiate,
    equity,
    i18n,
    identify,
    programs,
    rfm,
    units,
)
from relmark_lab.checks._programs_cases import CHOICES  # noqa: E402
from relmark_lab.checks._win_back import _win_back_case  # noqa: E402
from relmark_lab.clv.cohorts import NO_PURCHASE_COHORT  # noqa: E402
from relmark_lab.datasets.synthetic.pilot import TIERS as PILOT_TIERS  # noqa: E402
from relmark_lab.differentiate import whale  # noqa: E402
from relmark_lab.differentiate.levels import LEVEL_MEANING  # noqa: E402
from relmark_lab.equity.change import COMPONENTS  # noqa: E402
from relmark_lab.equity.wallet import ALL_SURVEYED  # noqa: E402
from relmark_lab.i18n.catalogs import LOCALE, package_catalog_paths  # noqa: E402
from relmark_lab.identify import resolution, voice  # noqa: E402
from relmark_lab.plots import differentiate as differentiate_plots  # noqa: E402
from relmark_lab.plots import equity as equity_plots  # noqa: E402
from relmark_lab.plots import identify as identify_plots  # noqa: E402
from relmark_lab.plots import rfm as rfm_plots  # noqa: E402
from relmark_lab.plots._treemap import squarify_layout  # noqa: E402

CATALOGS = LOCALE / "es" / "LC_MESSAGES"
GLOSSARY = list(csv.DictReader((LOCALE.parent / "i18n" / "glossary.csv").open(encoding="utf-8")))
#: Words that mark an English sentence; a Spanish message has none outside quotes and code.
ENGLISH = {"the", "and", "of", "is", "are", "with", "which", "this", "that", "from", "for",
           "each", "their", "what", "when", "how", "it", "be", "by", "not", "or", "an", "your",
           "you", "got", "needs", "must", "has", "one", "row", "per", "there", "nothing"}


def _read(name: str):
    with (CATALOGS / f"{name}.po").open("rb") as handle:
        return read_po(handle, locale="es")


def _english_words(text: str) -> list[str]:
    """English function words outside quoted values ('es_MX') and names of code (rfm.x_y)."""
    prose = re.sub(r"'[^']*'|`[^`]*`|\b\w+\.\w+\b|\b\w*_\w*\b", " ", text)
    return [w for w in re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñü]+", prose) if w.lower() in ENGLISH]


# ---- every value the kit defines has a Spanish name ---------------------------------------

def _nps_overall() -> list[str]:
    survey = pd.DataFrame({"customer_id": ["a", "b", "c"], "recommend": [10, 7, 3]})
    return list(differentiate.net_promoter_score(survey)["segment"])


def _decisions() -> set[str]:
    """What programs.rollout_decision returns when it pays now, pays after a phase, never."""
    made = {programs.rollout_decision(draws, 100, wait_periods=1, discount_rate=0.1)["decision"]
            for draws in ([50.0, 60.0, 55.0], [-400.0, 300.0, 10.0], [-5.0, -8.0, -1.0])}
    assert len(made) == 3  # the three situations give the three decisions
    return made | set(CHOICES)


def _strategies() -> list[str]:
    """The strategies rfm.test_then_rollout's summary compares (its index)."""
    cells = pd.DataFrame({"rfm_cell": ["111", "111", "555", "555"]})
    result = rfm.test_then_rollout(cells, pd.Series([True, False, True, True]),
                                   cost_per_contact=1, profit_per_response=10, test_share=0.5)
    return list(result.summary.index)


def _payback_notes() -> set[str]:
    """The notes equity.payback_period writes without numbers: a channel without customers,
    and one whose customers are not observed for a whole period, in every time unit."""
    lines = pd.DataFrame({"customer_id": ["a"], "amount": [100.0], "margin": [30.0],
                          "date": pd.to_datetime(["2025-04-30"])})
    master = pd.DataFrame({"customer_id": ["a"], "signup_date": pd.to_datetime(["2025-04-30"]),
                           "acquisition_channel": pd.Categorical(["web"], ["web", "tienda"]),
                           "acquisition_cost": [50.0]})
    notes = set()
    for unit in units.UNIT_NAMES:
        notes |= set(equity.payback_period(lines, master, "2025-04-30",
                                           time_unit=unit).payback["note"])
    # "not paid back within the data: by period 1 (days) the margin ... is 30.00 ..." holds
    # numbers: no value of the kit, it stays English (tested below)
    return {note for note in notes if note and not note.startswith("not paid back")}


def _contact_types() -> set[str]:
    return set(rl.datasets.load_voice_of_customer()["contact_type"].dropna()) | {
        voice.MISSING_TYPE}


FAMILIES = {
    "RFM segments": lambda: [*rfm.default_segment_rules()["segment"], rfm.OTHERS, rfm.MISSING],
    "customer statuses": lambda: identify.STATUSES,
    "lifecycle stages": lambda: identify.STAGES,
    "identity-resolution rules": lambda: [*identify.IDENTITY_RULES, resolution._ALONE],
    "voice-of-the-customer tools": lambda: identify.VOC_CHANNELS,
    "contact types": _contact_types,
    "complaint outcomes": lambda: voice._GROUPS,
    "Reinartz-Kumar quadrants": lambda: differentiate.REINARTZ_KUMAR_QUADRANTS,
    "Jones-Sasser types": lambda: differentiate.JONES_SASSER_TYPES,
    "value tiers": lambda: differentiate.DEFAULT_TIERS,
    "VIP components": lambda: differentiate.DEFAULT_VIP_WEIGHTS,
    "relationship levels": lambda: [*differentiate.RELATIONSHIP_LEVELS,
                                    *differentiate.LEVEL_GRID.values()],
    "value groups": lambda: whale._GROUPS,
    "contact channels": lambda: [*differentiate.DEFAULT_CHANNELS["channel"],
                                 *differentiate.DEFAULT_CHANNELS["kind"]],
    "weapons of a differential value": lambda: differentiate.KIT_WEAPONS,
    "importance-performance quadrants": lambda: differentiate.IPA_QUADRANTS.values(),
    "the whole NPS survey": _nps_overall,
    "equity-change components": lambda: COMPONENTS,
    "a survey without segments": lambda: [ALL_SURVEYED],
    "the cohort without a purchase": lambda: [NO_PURCHASE_COHORT],
    "roll-out decisions": _decisions,
    "the pilot's buyer tiers": lambda: PILOT_TIERS,
    # descriptive columns of the kit's tables: sentences, not labels
    "relationship-level meanings": lambda: LEVEL_MEANING.values(),
    "Reinartz-Kumar actions": lambda: [
        action for _name, action in differentiate.REINARTZ_KUMAR_QUADRANTS.values()],
    "Jones-Sasser descriptions": lambda: [
        meaning for _name, meaning in differentiate.JONES_SASSER_TYPES.values()],
    "RFM segment descriptions": lambda: rfm.default_segment_rules()["description"],
    "test-then-rollout strategies": _strategies,
    "payback notes": _payback_notes,
}
#: The families whose values are sentences a table describes its rows with.
DESCRIPTIONS = ("relationship-level meanings", "Reinartz-Kumar actions",
                "Jones-Sasser descriptions", "RFM segment descriptions", "payback notes")


@pytest.mark.parametrize("family", FAMILIES)
def test_every_value_the_kit_defines_has_a_spanish_name(family):
    names = i18n.value_names("es")
    values = set(FAMILIES[family]())
    assert values, family
    missing = sorted(value for value in values if value not in names)
    assert not missing, (f"{family}: {missing} have no Spanish name in "
                         "relmark_lab/locale/es/LC_MESSAGES/values.po")


def test_the_catalog_names_only_values_and_no_message():
    """No placeholder; no sentence but a table's description: a value's name is a short
    label."""
    sentences = {text for family in DESCRIPTIONS for text in FAMILIES[family]()}
    for message in (m for m in _read("values") if m.id):
        assert message.string and not message.fuzzy, message.id
        assert "{" not in message.id + message.string, message.id
        assert not re.search(r"\d", message.id + message.string), message.id
        if message.id not in sentences:
            assert len(message.string.split()) <= 4, message.string


@pytest.mark.parametrize("family", DESCRIPTIONS)
def test_a_description_reads_as_a_spanish_sentence(family):
    names = i18n.value_names("es")
    for english in FAMILIES[family]():
        spanish = names[english]
        assert spanish != english and not _english_words(spanish), (english, spanish)
        # an action is said to the reader in one sentence, as in the English
        assert spanish[0].isupper() == english[0].isupper(), spanish
        assert spanish.endswith(".") == english.endswith("."), spanish


def test_a_table_keeps_its_english_descriptions_and_a_lesson_shows_them_in_spanish():
    i18n.set_language("es")
    segments = pd.DataFrame({"segment": ["mass", "key"], "customers": [990, 10],
                             "margin_per_customer": [300.0, 50_000.0]})
    levels = differentiate.relationship_levels(segments)
    assert list(levels["meaning"]) == [LEVEL_MEANING["basic"], LEVEL_MEANING["partnership"]]
    assert list(i18n.display_values(levels["meaning"])) == [
        "vende el producto y no le da seguimiento",
        "trabaja de forma continua con el cliente para entregarle más valor"]
    matrix = differentiate.reinartz_kumar(
        pd.DataFrame({"customer_id": ["a", "b"], "profit": [10.0, -5.0],
                      "projected_loyalty": [0.9, 0.1]}), profit_threshold=0, loyalty_threshold=0.5)
    assert matrix["action"].iloc[1].startswith("Do not invest")
    assert i18n.display_values(matrix["action"]).iloc[1].startswith("No inviertas en la relación")
    summary = rfm.test_then_rollout(pd.DataFrame({"rfm_cell": ["1", "1", "2", "2"]}),
                                    pd.Series([True, False, True, True]), cost_per_contact=1,
                                    profit_per_response=10, test_share=0.5).summary
    shown = summary.set_axis(i18n.display_values(summary.index))
    assert summary.index[0] == "test sample" and shown.index.name == "strategy"
    assert list(shown.index) == ["muestra de prueba", "despliegue en celdas seleccionadas",
                                 "prueba + despliegue dirigido", "contactar a todos"]
    assert shown["profit"].tolist() == summary["profit"].tolist()


def test_a_payback_note_with_numbers_stays_english():
    """It is a sentence built with the channel's numbers, not a value of the kit."""
    i18n.set_language("es")
    lines = pd.DataFrame({"customer_id": ["a"], "amount": [100.0], "margin": [30.0],
                          "date": pd.to_datetime(["2025-04-30"])})
    master = pd.DataFrame({"customer_id": ["a"], "signup_date": pd.to_datetime(["2025-04-30"]),
                           "acquisition_channel": ["web"], "acquisition_cost": [50.0]})
    [note] = equity.payback_period(lines, master, "2025-04-30", time_unit="D").payback["note"]
    assert note.startswith("not paid back within the data: by period 1 (days)")
    assert i18n.display_value(note) == note


def test_the_typologies_keep_the_course_notes_spanish():
    names = i18n.value_names("es")
    for table in (differentiate.REINARTZ_KUMAR_QUADRANTS, differentiate.JONES_SASSER_TYPES):
        for english, (spanish, _meaning) in table.items():
            assert names[english] == spanish, english


def test_a_value_that_is_a_glossary_term_reads_as_the_glossary_says():
    names = i18n.value_names("es")
    terms = {row["english"]: row["spanish"] for row in GLOSSARY}
    shared = [english for english in names if english in terms]
    assert {"strangers", "loyalty", "mass media", "hostages"} <= set(shared)
    for english in shared:
        assert names[english] == terms[english], english


def test_a_value_other_catalogs_translate_has_the_same_spanish_there():
    """gettext merges every catalog by msgid: a shared one must not depend on the order."""
    values = i18n.value_names("es")
    for path in package_catalog_paths("es"):
        if path.stem == i18n.VALUES_CATALOG:
            continue
        with path.open("rb") as handle:
            for message in read_po(handle, locale="es"):
                if message.id in values and message.string:
                    assert message.string == values[message.id], (path.name, message.id)


def test_display_value_shows_only_the_kit_s_values_and_only_in_spanish():
    assert i18n.display_value("Champions") == "Champions"
    i18n.set_language("es")
    assert [i18n.display_value(v) for v in ("Champions", "barnacles", "Gold", "loyalty")] == [
        "Campeones", "lapas", "Oro", "fidelización"]
    # the user's own values, numbers and missing values pass through
    assert i18n.display_value("Mis mejores clientes") == "Mis mejores clientes"
    assert i18n.display_value(3) == 3 and np.isnan(i18n.display_value(np.nan))
    # a message of another catalog is no value: display_value leaves it alone
    assert i18n.gettext("Right") != "Right" and i18n.display_value("Right") == "Right"


def test_display_values_keeps_the_kind_index_name_and_order():
    tiers = pd.Series(pd.Categorical(["Gold", "VIP", "mine"], categories=["VIP", "Gold", "mine"],
                                     ordered=True), index=[10, 20, 30], name="tier")
    assert i18n.display_values(tiers) is tiers  # English: the same object
    i18n.set_language("es")
    shown = i18n.display_values(tiers)
    assert list(shown) == ["Oro", "VIP", "mine"] and list(shown.index) == [10, 20, 30]
    assert shown.name == "tier" and list(shown.cat.categories) == ["VIP", "Oro", "mine"]
    index = i18n.display_values(pd.Index(["active", None], name="status"))
    assert isinstance(index, pd.Index) and index[0] == "activo" and pd.isna(index[1])
    assert i18n.display_values(("stop", "roll out")) == ["detener", "extender"]


# ---- Spanish figures show Spanish values, English figures are unchanged ---------------------

@pytest.fixture(scope="module")
def segment_summary():
    transactions = rl.datasets.load_transactions()
    first = sorted(transactions["customer_id"].unique())[:400]
    table = rfm.rfm_table(transactions[transactions["customer_id"].isin(first)], "2025-12-31")
    return rfm.segment_summary(rfm.assign_segments(table))


def _tile_names(ax) -> list[str]:
    return [text.get_text().split("\n")[0] for text in ax.texts]


def _ticks(labels) -> list[str]:
    return [label.get_text() for label in labels]


def test_a_spanish_treemap_names_the_segments_in_spanish(segment_summary):
    shown = segment_summary[segment_summary["customers"] > 0]
    english = _tile_names(rfm_plots.plot_segment_treemap(segment_summary))
    assert english == [str(name) for name in shown.index]
    i18n.set_language("es")
    spanish = _tile_names(rfm_plots.plot_segment_treemap(segment_summary))
    assert spanish == [i18n.value_names("es")[str(name)] for name in shown.index]
    assert "Campeones" in spanish and "Champions" not in spanish


def test_spanish_segment_bars_and_migration_name_the_segments_in_spanish(segment_summary):
    names = i18n.value_names("es")
    english = _ticks(rfm_plots.plot_segment_bars(segment_summary).get_yticklabels())
    assert english == [str(name) for name in segment_summary.index]
    i18n.set_language("es")
    spanish = _ticks(rfm_plots.plot_segment_bars(segment_summary).get_yticklabels())
    assert spanish == [names[name] for name in english]
    matrix = pd.DataFrame([[0.5, 0.5], [0.0, 1.0]], index=pd.Index(["Champions", "Lost"],
                          name="before"), columns=pd.Index(["Champions", "Lost"], name="after"))
    ax = rfm_plots.plot_migration_heatmap(matrix)
    assert _ticks(ax.get_xticklabels()) == ["Campeones", "Perdidos"]
    assert _ticks(ax.get_yticklabels()) == ["Campeones", "Perdidos"]
    assert ax.get_xlabel() == "segmento posterior"  # the axis names are still the plot's


def _status_figures():
    status = pd.DataFrame({"days_since_last_purchase": [10, 400, 30],
                           "status": ["active", "inactive", "active"]})
    recency = identify_plots.plot_recency(status, 365)
    counts = identify_plots.plot_status_counts(identify.status_counts(
        pd.DataFrame({"status": ["active", "potential", "active"]})))
    return ([t.get_text() for t in recency.get_legend().get_texts()],
            _ticks(counts.get_yticklabels()))


def test_spanish_status_plots_name_the_statuses_in_spanish():
    assert _status_figures() == (["active", "inactive"], ["active", "inactive", "potential"])
    i18n.set_language("es")
    assert _status_figures() == (["activo", "inactivo"], ["activo", "inactivo", "potencial"])


def test_spanish_stage_plots_name_the_stages_in_spanish():
    funnel = pd.DataFrame({"reached": [10, 5, 2, 1, 0], "conversion": [None, .5, .4, .5, 0.]},
                          index=pd.Index(list(identify.STAGES), name="stage"))
    before = pd.DataFrame({"customer_id": ["A"], "stage": ["acquisition"]})
    after = pd.DataFrame({"customer_id": ["A", "B"], "stage": ["satisfaction", "acquisition"]})
    assert _ticks(identify_plots.plot_funnel(funnel).get_yticklabels()) == list(identify.STAGES)
    assert _ticks(identify_plots.plot_stage_migration(before, after).get_yticklabels()) == [
        "new", *identify.STAGES]
    i18n.set_language("es")
    stages = ["prospección", "captación", "satisfacción", "mantenimiento", "fidelización"]
    assert _ticks(identify_plots.plot_funnel(funnel).get_yticklabels()) == stages
    migration = identify_plots.plot_stage_migration(before, after)
    assert _ticks(migration.get_yticklabels()) == ["nuevo", *stages]
    assert _ticks(migration.get_xticklabels()) == stages


def test_spanish_differentiation_and_equity_plots_show_spanish_values():
    plan = pd.DataFrame({"tier": ["VIP", "Bronze"], "budget": [30000.0, 10000.0],
                         "kind": ["direct", "mass media"], "channel": ["face to face", "radio"],
                         "contacts_per_customer": [6.25, 1.0]})
    change = equity.equity_change(pd.Series({"a": 10.0, "b": 5.0}),
                                  pd.Series({"a": 12.0, "b": 1.0, "c": 4.0}), ["a"])

    def shown():
        contacts = differentiate_plots.plot_contact_plan(plan)
        return (_ticks(contacts.get_yticklabels()),
                [t.get_text() for t in contacts.get_legend().get_texts()],
                [t.get_text() for t in contacts.texts],
                _ticks(equity_plots.plot_equity_change(change).get_xticklabels()))

    assert shown() == (["VIP", "Bronze"], ["direct", "mass media"],
                       ["face to face, 6.2 per customer", "radio, 1.0 per customer"],
                       list(COMPONENTS))
    i18n.set_language("es")
    assert shown() == (["VIP", "Bronce"], ["marketing directo", "medios masivos"],
                       ["cara a cara, 6.2 por cliente", "radio, 1.0 por cliente"],
                       ["capital antes", "captación", "expansión", "mortalidad",
                        "capital después"])


def test_a_spanish_typology_legend_names_the_types_in_spanish():
    frame = pd.DataFrame({"satisfaction": [5, 5, 1, 3], "projected_loyalty": [0.9, 0.1, 0.8, 0.5],
                          "type": ["apostles", "mercenaries", "hostages", "indifferent"]})
    legend = differentiate_plots.plot_satisfaction_loyalty(frame).get_legend()
    assert [t.get_text() for t in legend.get_texts()] == list(
        differentiate_plots._TYPE_COLOURS)
    i18n.set_language("es")
    legend = differentiate_plots.plot_satisfaction_loyalty(frame).get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "apóstoles", "mercenarios", "indiferentes", "rehenes", "terroristas"]


# ---- a check names a status in the student's language ---------------------------------------

def test_the_win_back_check_names_the_status_in_the_language_in_use():
    case = _win_back_case("the lesson's data", None, 365, 30.0, 6_000.0, True)
    table = case.args[0]
    active = sorted(table.loc[table["status"] == "active", "customer_id"].astype(str))[:3]
    with pytest.raises(ValueError, match=rf"^'{active[0]}' is active \(3 such ids\); win-back "
                                         r"calls go to inactive customers\.$"):
        case.score(active)
    i18n.set_language("es")
    with pytest.raises(ValueError) as raised:
        case.score(active)
    assert str(raised.value) == (f"'{active[0]}' tiene el estatus activo (3 ids así); las "
                                 "llamadas de recuperación van a los clientes inactivos.")


# ---- the plots' and set_language's own errors -------------------------------------------------

class _NotACurve:
    pass


# (call, English message, Spanish message): real error paths of the public functions.
ERRORS = [
    (lambda: i18n.set_language("fr"),
     "The kit speaks 'en', 'es', not 'fr'. Pass one of them to set_language.",
     "El kit habla 'en', 'es', no 'fr'. Pasa uno de ellos a set_language."),
    (lambda: i18n.set_language("es", locale="xx_QQ"),
     "'xx_QQ' is not a locale Babel knows; write it like 'es_MX' or 'es_ES'.",
     "'xx_QQ' no es una configuración regional (locale) que Babel conozca; escríbela como "
     "'es_MX' o 'es_ES'."),
    (lambda: rfm_plots.plot_migration_heatmap(pd.DataFrame()),
     "The migration matrix is empty: there is nothing to plot.",
     "La matriz de migración está vacía: no hay nada que graficar."),
    (lambda: rfm_plots.plot_cell_response_rates({"cells": []}),
     "plot_cell_response_rates needs the result of rfm.test_then_rollout, got dict.",
     "plot_cell_response_rates necesita el resultado de rfm.test_then_rollout; recibió dict."),
    (lambda: squarify_layout([3.0, -1.0]),
     "A treemap needs finite values of at least 0.",
     "Un treemap (mapa de rectángulos) necesita valores finitos mayores o iguales a 0."),
    (lambda: equity_plots.plot_cohort_layers([1, 2]),
     "plot_cohort_layers needs what equity.cohort_table returns, got list.",
     "plot_cohort_layers necesita lo que devuelve equity.cohort_table; recibió list."),
    (lambda: equity_plots.plot_bootstrap(3.5),
     "plot_bootstrap needs what equity.bootstrap_equity returns, got float.",
     "plot_bootstrap necesita lo que devuelve equity.bootstrap_equity; recibió float."),
    (lambda: equity_plots.plot_response_curves(_NotACurve(), _NotACurve()),
     "plot_response_curves: acquisition must be a ResponseCurve, got _NotACurve.",
     "plot_response_curves: acquisition debe ser una ResponseCurve; recibió _NotACurve."),
    (lambda: equity_plots.plot_equity_surface(np.zeros(3), np.zeros(2), np.zeros((3, 3))),
     "plot_equity_surface: equity has shape (3, 3), expected (2, 3): one row per retention "
     "spend, one column per acquisition spend.",
     "plot_equity_surface: equity tiene la forma (3, 3) y se esperaba (2, 3): una fila por "
     "cada gasto de retención y una columna por cada gasto de captación."),
]


@pytest.mark.parametrize(("call", "english", "spanish"), ERRORS,
                         ids=[e[1].split(":")[0][:40] for e in ERRORS])
def test_an_error_speaks_the_language_in_use(call, english, spanish):
    with pytest.raises(DataError) as raised:
        call()
    assert str(raised.value) == english
    i18n.set_language("es")
    with pytest.raises(DataError) as raised:
        call()
    assert str(raised.value) == spanish
    assert not _english_words(spanish), _english_words(spanish)


def test_a_spanish_error_names_its_values_and_spanish_words():
    i18n.set_language("es")
    with pytest.raises(DataError, match=r"forma \(4, 1\) y se esperaba \(2, 3\).*retención"):
        equity_plots.plot_equity_surface(np.zeros(3), np.zeros(2), np.zeros((4, 1)))
    with pytest.raises(DataError, match=r"^El kit habla 'en', 'es', no 'pt'\. Pasa uno"):
        i18n.set_language("pt")
    assert i18n.get_language() == "es"  # a refused setting leaves the language as it was


@pytest.mark.parametrize("name", ["values", "plots_errors"])
def test_each_translation_keeps_its_placeholders(name):
    messages = [message for message in _read(name) if message.id]
    assert messages and all(message.string and not message.fuzzy for message in messages)
    for message in messages:
        assert sorted(re.findall(r"\{[^{}]*\}", message.id)) == sorted(
            re.findall(r"\{[^{}]*\}", message.string)), message.id


def test_the_catalogs_are_where_the_kit_reads_them():
    assert {Path(p).name for p in package_catalog_paths("es")} >= {"values.po",
                                                                   "plots_errors.po"}
