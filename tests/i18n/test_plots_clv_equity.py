"""The CLV and customer-equity plots label their figures in the language set, English by default.

Each plot is drawn on a few hand-made rows (the plots only read columns) and
its labels are read back from the figure: in Spanish they are the catalog's
words and keep no English word of the English label; in English they are
exactly what they were before translation.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from relmark_lab import equity, i18n  # noqa: E402
from relmark_lab.equity.connectors import CONNECTORS  # noqa: E402
from relmark_lab.plots import clv as clv_plots  # noqa: E402
from relmark_lab.plots import equity as equity_plots  # noqa: E402

# ---- small inputs: the columns each plot reads, a few rows each -------------------------

def _model_check() -> pd.DataFrame:
    return pd.DataFrame({"frequency": [0, 1, 2], "actual": [50.0, 20.0, 10.0],
                         "expected": [48.0, 22.0, 9.0]})


def _tracking() -> pd.DataFrame:
    actual, expected = np.array([3.0, 4.0, 5.0, 4.0]), np.array([3.5, 4.0, 4.5, 4.2])
    return pd.DataFrame({"period": [1, 2, 3, 4], "in_calibration": [True, True, False, False],
                         "actual": actual, "expected": expected,
                         "cumulative_actual": actual.cumsum(),
                         "cumulative_expected": expected.cumsum()})


def _cohort_retention() -> pd.DataFrame:
    return pd.DataFrame({"cohort": ["2024Q1", "2024Q1", "2024Q2"],
                         "periods_since_acquisition": [0, 1, 0], "share": [1.0, 0.4, 1.0]})


def _layer_cake() -> pd.DataFrame:
    return pd.DataFrame({"period": ["2024-01", "2024-02", "2024-02"],
                         "cohort": ["2024-01", "2024-01", "2024-02"],
                         "revenue": [100.0, 60.0, 80.0]})


def _cohort_layers(time_unit: str = "Q"):
    return equity.cohort_table([40.0, 30.0, 20.0], margin=10.0, retention_rate=0.8,
                               discount_rate=0.03, current_customers=100, horizon=6,
                               time_unit=time_unit)


def _profit_by_tenure() -> pd.DataFrame:
    table = pd.DataFrame({"period": [0, 1, 2]})
    for k, name in enumerate(CONNECTORS):
        table[name] = [-30.0, 0.0, 0.0] if name == "acquisition_cost" else [0.0, 1.0 + k, 2.0 + k]
    table["profit"] = table[list(CONNECTORS)].sum(axis=1)
    table.attrs["time_unit"] = "Y"
    return table


def _bootstrap() -> SimpleNamespace:
    # what plot_bootstrap reads of a BootstrapEquity
    return SimpleNamespace(replicates=np.array([90.0, 95.0, 100.0, 105.0, 110.0]), lower=92.0,
                           upper=108.0, estimate=100.0, level=0.9)


def _payback() -> pd.DataFrame:
    curve = pd.DataFrame({"acquisition_channel": ["search", "search", "referral", "referral"],
                          "period": [1, 2, 1, 2], "customers": [80, 80, 60, 60],
                          "cumulative_margin_per_customer": [10.0, 25.0, 12.0, 30.0],
                          "acquisition_cost": [20.0, 20.0, 5.0, 5.0]})
    curve.attrs["time_unit"] = "M"
    return curve


def _channel_value() -> pd.DataFrame:
    return pd.DataFrame({"acquisition_cost": [20.0, 5.0], "clv": [30.0, 40.0],
                         "customers": [80, 60]},
                        index=pd.Index(["search", "referral"], name="acquisition_channel"))


def _plan():
    acquisition = equity.ResponseCurve.from_point(1.0, 0.04, 0.10)
    retention = equity.ResponseCurve.from_point(8.0, 0.60, 0.80)
    course = {"acquisition": acquisition, "retention": retention, "margin": 50.0,
              "discount_rate": 0.10}
    return course, equity.optimal_spend(**course)


def _surface():
    course, plan = _plan()
    spend_a, spend_r = np.linspace(0, 8, 5), np.linspace(0, 40, 6)
    grid = equity.equity_per_prospect(*np.meshgrid(spend_a, spend_r), **course)
    return equity_plots.plot_equity_surface(spend_a, spend_r, grid, plan=plan)


def _response_curves():
    course, plan = _plan()
    return equity_plots.plot_response_curves(course["acquisition"], course["retention"],
                                             plan=plan, observed=((1.0, 0.04), (8.0, 0.60)))


def _tornado():
    drivers = equity.elasticities(lambda margin, retention_rate: margin * retention_rate,
                                  {"margin": 2.0, "retention_rate": 0.5})
    return equity_plots.plot_tornado(drivers)


def _equity_change():
    change = equity.equity_change(pd.Series({"a": 10.0, "b": 5.0}),
                                  pd.Series({"a": 12.0, "b": 1.0, "c": 4.0}), ["a"])
    return equity_plots.plot_equity_change(change)


# ---- what each figure shows: (English, Spanish) per label -------------------------------

CLV_LEGEND = (["actual", "expected"], ["observado", "esperado"])
# the profit line first, then the connectors' bars, as matplotlib orders a legend
CONNECTOR_WORDS = ["profit", "acquisition cost", "base profit", "repeat sales", "cross selling",
                   "price premium", "cost savings", "referrals"]
CONNECTOR_SPANISH = ["utilidad", "costo de captación", "utilidad base", "ventas repetidas",
                     "venta cruzada", "sobreprecio", "ahorro en costos", "referidos"]

PLOTS = {
    "frequency_histogram": (
        lambda: clv_plots.plot_frequency_histogram(_model_check()),
        {"xlabel": ("repeat purchases in the calibration period",
                    "compras repetidas en el periodo de calibración"),
         "ylabel": ("customers", "clientes"),
         "legend": CLV_LEGEND}),
    "calibration_vs_holdout": (
        lambda: clv_plots.plot_calibration_vs_holdout(_model_check()),
        {"xlabel": ("repeat purchases in the calibration period",
                    "compras repetidas en el periodo de calibración"),
         "ylabel": ("mean purchases in the holdout", "compras medias en el periodo de validación"),
         "legend": CLV_LEGEND}),
    "tracking_cumulative": (
        lambda: clv_plots.plot_tracking(_tracking()),
        {"xlabel": ("period since the first customer's first purchase",
                    "periodo desde la primera compra del primer cliente"),
         "ylabel": ("cumulative repeat purchases", "compras repetidas acumuladas"),
         "legend": (["actual", "expected", "calibration end"],
                    ["observado", "esperado", "fin de la calibración"])}),
    "tracking_per_period": (
        lambda: clv_plots.plot_tracking(_tracking(), cumulative=False),
        {"ylabel": ("repeat purchases", "compras repetidas"),
         "legend": (["actual", "expected", "calibration end"],
                    ["observado", "esperado", "fin de la calibración"])}),
    "cohort_retention": (
        lambda: clv_plots.plot_cohort_retention(_cohort_retention()),
        {"xlabel": ("periods since acquisition", "periodos desde la captación"),
         "ylabel": ("acquisition cohort", "cohorte de captación")}),
    "layer_cake": (
        lambda: clv_plots.plot_layer_cake(_layer_cake()),
        {"xlabel": ("period", "periodo"), "ylabel": ("revenue", "ingresos"),
         "legend_title": ("cohort", "cohorte"),
         # the cohorts are the data's own names
         "legend": (["2024-01", "2024-02"], ["2024-01", "2024-02"])}),
    "retention_projection": (
        lambda: clv_plots.plot_retention_projection(
            pd.DataFrame({"year": [0, 1, 2], "n_alive": [1000, 630, 470]}),
            pd.DataFrame({"period": [0, 1, 2, 3], "n_alive": [1000.0, 631.0, 468.0, 380.0]}),
            fitted_periods=2),
        {"xlabel": ("period", "periodo"),
         "ylabel": ("customers still active", "clientes aún activos"),
         # sBG is the model's name in both languages
         "legend": (["actual", "sBG", "end of fit"], ["observado", "sBG", "fin del ajuste"])}),
    "cohort_layers": (
        lambda: equity_plots.plot_cohort_layers(_cohort_layers(), max_cohorts=2),
        {"xlabel": ("quarters from today", "trimestres a partir de hoy"),
         "ylabel": ("margin, discounted to today", "margen, descontado a hoy"),
         "legend": (["today's customers", "cohort 1", "cohort 2", "later cohorts"],
                    ["clientes actuales", "cohorte 1", "cohorte 2", "cohortes posteriores"])}),
    "connectors": (
        lambda: equity_plots.plot_connectors(_profit_by_tenure()),
        {"xlabel": ("year of the relationship (0 = acquisition)",
                    "año de la relación (0 = captación)"),
         "ylabel": ("profit per customer still buying",
                    "utilidad por cliente que sigue comprando"),
         "legend": (CONNECTOR_WORDS, CONNECTOR_SPANISH)}),
    "bootstrap": (
        lambda: equity_plots.plot_bootstrap(_bootstrap(), truth=101.0),
        {"xlabel": ("value of today's customers", "valor de los clientes actuales"),
         "ylabel": ("refits", "reajustes"),
         "legend": (["90% interval", "estimate", "truth"],
                    ["intervalo al 90%", "estimación", "valor real"])}),
    "tornado": (
        _tornado,
        {"xlabel": ("change in customer equity (%)",
                    "cambio en el capital basado en los clientes (%)"),
         "legend": (["1% better", "1% worse"], ["1% mejor", "1% peor"]),
         # the drivers are the caller's own names
         "yticks": (["margin", "retention rate"], ["margin", "retention rate"])}),
    "equity_surface": (
        _surface,
        {"xlabel": ("acquisition spend per prospect", "gasto de captación por prospecto"),
         "ylabel": ("retention spend per customer", "gasto de retención por cliente"),
         "colorbar": ("customer equity per prospect",
                      "capital basado en los clientes por prospecto"),
         "legend": (["optimum"], ["óptimo"])}),
    "equity_change": (
        _equity_change,
        {"ylabel": ("customer equity", "capital basado en los clientes"),
         # the components stay English in equity_change's table (checks compare them) and
         # are drawn in the language in use (i18n.display_value)
         "xticks": (["equity before", "acquisition", "expansion", "mortality", "equity after"],
                    ["capital antes", "captación", "expansión", "mortalidad",
                     "capital después"])}),
    "channel_value": (
        lambda: equity_plots.plot_channel_value(_channel_value()),
        {"xlabel": ("mean acquisition cost", "costo de captación promedio"),
         "ylabel": ("mean CLV (future margin)", "CLV promedio (margen futuro)"),
         "legend": (["CLV = cost"], ["CLV = costo"]),
         "annotations": (["search", "referral"], ["search", "referral"])}),
    "payback": (
        lambda: equity_plots.plot_payback(_payback(), min_customers=10),
        {"xlabel": ("months since signup", "meses desde el registro"),
         "ylabel": ("cumulative margin per customer", "margen acumulado por cliente"),
         # the group is the data's column, the channels its values
         "legend_title": ("acquisition channel (dotted: its acquisition cost)",
                          "acquisition channel (punteado: su costo de captación)"),
         "legend": (["search", "referral"], ["search", "referral"])}),
}

RESPONSE_PANELS = [  # (English, Spanish) of the two panels of plot_response_curves
    {"xlabel": ("spend per prospect", "gasto por prospecto"),
     "ylabel": ("acquisition rate", "tasa de captación")},
    {"xlabel": ("spend per customer", "gasto por cliente"),
     "ylabel": ("retention rate", "tasa de retención")},
]
RESPONSE_LEGEND = (["ceiling", "observed", "optimum"], ["techo", "observado", "óptimo"])


def _shown(ax) -> dict:
    """The words one Axes shows, by the keys of :data:`PLOTS`."""
    legend = ax.get_legend()
    extra = [other for other in ax.figure.axes if other is not ax]
    return {"xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
            "legend": [t.get_text() for t in legend.get_texts()] if legend else [],
            "legend_title": legend.get_title().get_text() if legend else "",
            "colorbar": extra[0].get_ylabel() if extra else "",
            "xticks": [t.get_text() for t in ax.get_xticklabels()],
            "yticks": [t.get_text() for t in ax.get_yticklabels()],
            "annotations": [t.get_text() for t in ax.texts]}


def _english_words(label: str) -> set[str]:
    # CLV is written so in the Spanish lessons too
    return set(re.findall(r"[a-z]+", label.lower())) - {"clv"}


def _words(label: str) -> set[str]:
    return set(re.findall(r"[a-záéíóúñü]+", label.lower()))


def _assert_spanish(shown: dict, expected: dict) -> None:
    for key, (english, spanish) in expected.items():
        assert shown[key] == spanish, f"{key}: {shown[key]!r} should be {spanish!r}"
        if key in ("xlabel", "ylabel", "colorbar"):
            left = _english_words(english) & _words(shown[key])
            assert not left, f"{key} {shown[key]!r} keeps English {sorted(left)}"


@pytest.mark.parametrize("plot", PLOTS)
def test_in_spanish_the_plot_speaks_spanish(plot):
    draw, expected = PLOTS[plot]
    i18n.set_language("es")
    _assert_spanish(_shown(draw()), expected)


@pytest.mark.parametrize("plot", PLOTS)
def test_in_english_the_labels_are_unchanged(plot):
    draw, expected = PLOTS[plot]
    shown = _shown(draw())
    for key, (english, _spanish) in expected.items():
        assert shown[key] == english, f"{key}: {shown[key]!r} should be {english!r}"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_response_curves_label_both_panels(language):
    i18n.set_language(language)
    column = 0 if language == "en" else 1
    figure = _response_curves()
    assert len(figure.axes) == 2
    for ax, expected in zip(figure.axes, RESPONSE_PANELS, strict=True):
        shown = _shown(ax)
        if language == "es":
            _assert_spanish(shown, {**expected, "legend": RESPONSE_LEGEND})
        else:
            assert shown["xlabel"] == expected["xlabel"][column]
            assert shown["ylabel"] == expected["ylabel"][column]
            assert shown["legend"] == RESPONSE_LEGEND[column]


@pytest.mark.parametrize("time_unit, english, spanish", [
    ("D", "days from today", "días a partir de hoy"),
    ("W", "weeks from today", "semanas a partir de hoy"),
    ("M", "months from today", "meses a partir de hoy"),
    ("Q", "quarters from today", "trimestres a partir de hoy"),
    ("Y", "years from today", "años a partir de hoy"),
])
def test_the_cohort_layers_name_every_time_unit(time_unit, english, spanish):
    assert equity_plots.plot_cohort_layers(_cohort_layers(time_unit)).get_xlabel() == english
    i18n.set_language("es")
    assert equity_plots.plot_cohort_layers(_cohort_layers(time_unit)).get_xlabel() == spanish


@pytest.mark.parametrize("time_unit, english, spanish", [
    ("Q", "quarters since signup", "trimestres desde el registro"),
    ("Y", "years since signup", "años desde el registro"),
])
def test_the_payback_names_its_time_unit(time_unit, english, spanish):
    curve = _payback()
    curve.attrs["time_unit"] = time_unit
    assert equity_plots.plot_payback(curve, min_customers=10).get_xlabel() == english
    i18n.set_language("es")
    assert equity_plots.plot_payback(curve, min_customers=10).get_xlabel() == spanish
