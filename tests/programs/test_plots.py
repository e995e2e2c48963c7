"""The program plots (relmark_lab.plots.programs) draw what relmark_lab.programs returns."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from relmark_lab import DataError, programs  # noqa: E402
from relmark_lab.plots import programs as pplot  # noqa: E402


def test_every_plot_draws_what_its_function_returns():
    rng = np.random.default_rng(0)
    members = pd.DataFrame({"treated": np.arange(200) % 2, "spend": rng.gamma(2, 50, 200),
                            "tier": rng.choice(["light", "heavy"], 200)})
    members["orders"] = rng.poisson(2 + members["treated"])
    balance = programs.balance_table(members, "treated", ["spend", "tier"])
    effects = programs.effects_by_group(members, "orders", "treated", "tier")
    study = pd.DataFrame({"relative_month": [-2, -1, 0, 1], "estimate": [0.0, 0.0, 0.5, 0.6],
                          "lower": [-0.1, 0.0, 0.3, 0.4], "upper": [0.1, 0.0, 0.7, 0.8]})
    waves = pd.DataFrame({"cohort": ["2024-04", "2024-04", "2024-06"],
                          "month": ["2024-04", "2024-05", "2024-06"],
                          "estimate": [0.1, 0.2, 0.15]})
    draws = pd.DataFrame({"net_value": rng.normal(10, 50, 100)})
    drawn = [
        pplot.plot_power_curve(programs.power_curve([0.2, 0.5], kind="means", sd=1.0)),
        pplot.plot_balance(balance, balance),
        pplot.plot_effects(effects, "tier", truth=pd.Series({"light": 1.0, "heavy": 1.0})),
        pplot.plot_event_study(study, truth=pd.Series([0.5, 0.6], index=[0, 1])),
        pplot.plot_rollout(waves),
        pplot.plot_net_value(draws, naive=120.0),
    ]
    for ax in drawn:
        assert isinstance(ax, matplotlib.axes.Axes)
        assert ax.has_data() or ax.collections or ax.patches
    assert drawn[0].get_xlabel() == "members per arm"
    plt.close("all")


def test_a_table_without_its_columns_is_a_sentence():
    with pytest.raises(DataError, match="Column 'smd' is missing"):
        pplot.plot_balance(pd.DataFrame({"covariate": ["x"], "level": [""]}))
    with pytest.raises(DataError, match="Column 'net_value' is missing"):
        pplot.plot_net_value(pd.DataFrame({"roi": [0.1]}))
    plt.close("all")
