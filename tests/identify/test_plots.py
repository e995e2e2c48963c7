"""Plots of lesson 01 return their Axes and name the columns they miss."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import identify
from relmark_lab.plots import identify as plots

END = "2025-12-31"


def test_plots_return_their_axes(kit):
    status = identify.customer_status(kit["transactions"], END, leads=kit["leads"])
    stages = identify.lifecycle_stage(kit["transactions"], END, leads=kit["leads"])
    contacts = kit["contacts"]
    drawn = [
        plots.plot_merge_report(identify.merge_report(kit["mapping"])),
        plots.plot_recency(status, 365),
        plots.plot_status_counts(identify.status_counts(status)),
        plots.plot_funnel(identify.stage_funnel(stages)),
        plots.plot_contacts_by_channel(identify.contacts_by_channel(contacts)),
        plots.plot_complaint_resolution(identify.complaint_resolution(contacts)),
        plots.plot_complainer_retention(
            identify.complainer_retention(contacts, kit["transactions"], END)),
        plots.plot_stage_migration(stages.iloc[:100], stages),
    ]
    assert all(isinstance(ax, plt.Axes) and ax.get_title() for ax in drawn)
    assert len(drawn[3].patches) == 5
    plt.close("all")


def test_plot_uses_the_given_axes_and_names_missing_columns():
    fig, ax = plt.subplots()
    counts = identify.status_counts(pd.DataFrame({"status": ["active"]}))
    assert plots.plot_status_counts(counts, ax=ax) is ax
    with pytest.raises(rl.DataError, match="Column 'reached' is missing from the stage funnel"):
        plots.plot_funnel(pd.DataFrame({"stage": ["loyalty"]}))
    plt.close("all")


def test_plots_of_a_young_or_quiet_customer_base_draw_without_warnings(recwarn):
    from relmark_lab import identify
    from relmark_lab.plots.identify import (
        plot_complaint_resolution,
        plot_contacts_by_channel,
        plot_recency,
    )

    recent = pd.DataFrame({"days_since_last_purchase": [0, 3, 10], "status": ["active"] * 3})
    assert plot_recency(recent, 365).patches  # every recency within one 30-day bin
    unsolved = pd.DataFrame({"channel": ["letter"] * 2, "contact_type": ["complaint"] * 2,
                             "resolved": [False, False], "days_to_resolve": [None, None]})
    ax = plot_complaint_resolution(identify.complaint_resolution(unsolved))
    assert ax.texts[0].get_text() == "no complaint solved yet"
    none = pd.DataFrame({"channel": pd.Series([], dtype=str),
                         "contact_type": pd.Series([], dtype=str)})
    assert plot_contacts_by_channel(identify.contacts_by_channel(none)).texts[0].get_text() \
        == "no contacts yet"
    assert not [w for w in recwarn if not issubclass(w.category, DeprecationWarning)]
    plt.close("all")
