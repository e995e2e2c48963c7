"""The plots of lesson 02 draw on the kit's tables and name a missing column."""

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from relmark_lab import DataError  # noqa: E402
from relmark_lab import differentiate as dif  # noqa: E402
from relmark_lab.plots import differentiate as dplot  # noqa: E402


def test_plots_return_axes(kit):
    transactions, profitability, survey, end = kit
    loyalty = dif.projected_loyalty(transactions, end)
    matrix = dif.reinartz_kumar(profitability.merge(loyalty, on="customer_id"))
    scored = dif.assign_tiers(dif.vip_score(dif.vip_components(transactions, end)),
                              "vip_score")
    spend = dif.annual_spend(transactions, end)
    wallets = dif.wallet_by_segment(dif.wallet_left_on_table(survey, spend), matrix, "quadrant")
    tiers = dif.value_by_segment(dif.assign_tiers(profitability, "profit", below=0), "tier",
                                 ["profit"]).rename(columns={"profit_mean": "value_per_customer"})
    survey = survey.assign(customer_id=survey["customer_id"].astype("str"))
    drivers = dif.key_drivers(survey, "perceived_value", list(dif.KIT_WEAPONS.values()))
    axes = [
        dplot.plot_whale_curve(dif.whale_curve(profitability)),
        dplot.plot_profit_distribution(profitability),
        dplot.plot_vip_tiers(scored),
        dplot.plot_tier_comparison(scored, scored),
        dplot.plot_reinartz_kumar(matrix),
        dplot.plot_satisfaction_loyalty(dif.satisfaction_loyalty(survey.merge(loyalty))),
        dplot.plot_nps(dif.net_promoter_score(survey)),
        dplot.plot_spend_by_score(survey.merge(spend)),
        dplot.plot_wallet(wallets, "quadrant"),
        dplot.plot_contact_plan(dif.contact_plan(tiers, 400_000.0)),
        dplot.plot_key_drivers(drivers, truth=dict.fromkeys(drivers["driver"], 0.3)),
        dplot.plot_importance_performance(dif.importance_performance(drivers)),
        dplot.plot_relationship_levels(
            dif.relationship_levels(tiers, margin="value_per_customer"), "tier",
            margin="value_per_customer"),
    ]
    assert all(isinstance(ax, plt.Axes) for ax in axes)
    plt.close("all")


def test_a_plot_names_the_column_it_lacks(kit):
    profitability = kit[1]
    with pytest.raises(DataError, match="Column 'quadrant' is missing from the Reinartz–Kumar"):
        dplot.plot_reinartz_kumar(profitability.assign(projected_loyalty=0.5))
    with pytest.raises(DataError, match="Column 'customer_share' is missing from the whale curve"):
        dplot.plot_whale_curve(profitability)
    plt.close("all")


def test_the_value_plots_draw_what_they_are_given(kit):
    survey = kit[2]
    drivers = dif.key_drivers(survey, "perceived_value", list(dif.KIT_WEAPONS.values()))
    ax = dplot.plot_key_drivers(drivers, truth=dict.fromkeys(drivers["driver"], 0.3))
    assert ax.get_title() == "What drives perceived value"
    assert [t.get_text().split(" (")[0] for t in ax.get_yticklabels()] == list(drivers["driver"])
    placed = dif.importance_performance(drivers)
    ax = dplot.plot_importance_performance(placed)
    legend = {text.get_text() for text in ax.get_legend().get_texts()}
    assert legend == set(placed["quadrant"])
    with pytest.raises(DataError, match="Column 'level' is missing from the relationship levels"):
        dplot.plot_relationship_levels(pd.DataFrame({"tier": ["a"], "customers": [1],
                                                     "margin_per_customer": [1.0]}), "tier")
    plt.close("all")
