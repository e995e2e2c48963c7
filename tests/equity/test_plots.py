"""The customer-equity plots (relmark_lab.plots.equity) draw what relmark_lab.equity returns."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import relmark_lab as rl  # noqa: E402
from relmark_lab import DataError, clv, equity  # noqa: E402
from relmark_lab.plots import equity as eplot  # noqa: E402


@pytest.fixture(scope="module")
def kit():
    return (rl.datasets.load_transactions(), rl.datasets.load_customers(),
            rl.datasets.load_truth()["observation_end"])


def test_every_plot_draws_what_its_function_returns(kit):
    transactions, customers, end = kit
    layers = equity.cohort_table([40.0, 30.0, 20.0], margin=10.0, retention_rate=0.8,
                                 discount_rate=0.03, current_customers=100, horizon=12,
                                 time_unit="Q")
    acquisition = equity.ResponseCurve.from_point(1.0, 0.04, 0.10)
    retention = equity.ResponseCurve.from_point(8.0, 0.60, 0.80)
    course = {"acquisition": acquisition, "retention": retention, "margin": 50.0,
              "discount_rate": 0.10}
    plan = equity.optimal_spend(**course)
    spend_a, spend_r = np.linspace(0, 8, 20), np.linspace(0, 40, 25)
    surface = equity.equity_per_prospect(*np.meshgrid(spend_a, spend_r), **course)
    drivers = equity.elasticities(lambda margin, retention_rate: margin * retention_rate,
                                  {"margin": 2.0, "retention_rate": 0.5})
    before = pd.Series({"a": 10.0, "b": 5.0})
    change = equity.equity_change(before, pd.Series({"a": 12.0, "b": 1.0, "c": 4.0}), ["a"])
    value = equity.value_at(transactions, end, horizon=12, discount_rate=0.12, time_unit="M")
    data = clv.summarize(transactions, end, time_unit="M")
    drawn = [
        eplot.plot_cohort_layers(layers),
        eplot.plot_connectors(equity.profit_by_tenure(transactions, customers, end)),
        eplot.plot_bootstrap(equity.bootstrap_equity(data, 3, discount_rate=0.1,
                                                     replicates=20), truth=1.0),
        eplot.plot_tornado(drivers),
        eplot.plot_equity_surface(spend_a, spend_r, surface, plan=plan),
        eplot.plot_equity_change(change),
        eplot.plot_channel_value(equity.channel_value(customers, value)),
        eplot.plot_payback(equity.payback_period(transactions, customers, end).curve),
    ]
    for ax in drawn:
        assert isinstance(ax, matplotlib.axes.Axes)
        assert ax.has_data() or ax.collections or ax.patches
    figure = eplot.plot_response_curves(acquisition, retention, plan=plan,
                                        observed=((1.0, 0.04), (8.0, 0.60)))
    assert len(figure.axes) == 2 and all(ax.lines for ax in figure.axes)
    assert drawn[0].get_xlabel() == "quarters from today"
    assert [t.get_text() for t in drawn[5].get_xticklabels()] == [
        "equity before", "acquisition", "expansion", "mortality", "equity after"]
    plt.close("all")


def test_the_wrong_input_is_a_sentence():
    with pytest.raises(DataError, match="plot_cohort_layers needs what equity.cohort_table"):
        eplot.plot_cohort_layers(pd.DataFrame())
    with pytest.raises(DataError, match="must be a ResponseCurve"):
        eplot.plot_response_curves(0.1, 0.2)
    with pytest.raises(DataError, match="expected \\(2, 3\\)"):
        eplot.plot_equity_surface(np.arange(3), np.arange(2), np.zeros((3, 2)))
    with pytest.raises(DataError, match="Column 'percent_change_down' is missing"):
        eplot.plot_tornado(pd.DataFrame({"driver": ["m"], "percent_change": [1.0]}))
    with pytest.raises(DataError, match="plot_bootstrap needs"):
        eplot.plot_bootstrap(3.0)
    plt.close("all")
