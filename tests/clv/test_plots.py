"""The CLV plots (relmark_lab.plots.clv) draw the tables of relmark_lab.clv."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import relmark_lab as rl  # noqa: E402
from relmark_lab import clv  # noqa: E402
from relmark_lab.plots import clv as clv_plots  # noqa: E402


@pytest.fixture(scope="module")
def cdnow():
    return rl.datasets.load_cdnow("sample")


def test_plots_return_axes_and_draw(cdnow):
    summary = clv.summarize(cdnow, "1998-06-30", calibration_end="1997-09-30", time_unit="W")
    bgnbd = clv.BetaGeoNBD().fit(summary)
    tx = rl.datasets.load_transactions()
    cohorts = rl.datasets.load_sbg_cohorts()
    regular = cohorts[cohorts["segment"] == "regular"]
    sbg = clv.ShiftedBetaGeometric().fit(regular.loc[regular["year"] <= 7, "n_alive"])
    track = clv.tracking_repeat_purchases(bgnbd, cdnow, "1997-09-30", "1998-06-30")
    drawn = [
        clv_plots.plot_frequency_histogram(clv.frequency_histogram(bgnbd, summary)),
        clv_plots.plot_calibration_vs_holdout(clv.calibration_vs_holdout(bgnbd, summary)),
        clv_plots.plot_tracking(track),
        clv_plots.plot_cohort_retention(clv.cohort_retention_table(tx, "2025-12-31",
                                                                   period="Q")),
        clv_plots.plot_layer_cake(clv.layer_cake(tx, "2025-12-31")),
        clv_plots.plot_retention_projection(regular, sbg.expected_alive(12, 1000), 7),
    ]
    for ax in drawn:
        assert isinstance(ax, matplotlib.axes.Axes)
        assert ax.has_data() or ax.collections or ax.patches
    _, ax = plt.subplots()
    assert clv_plots.plot_tracking(track, cumulative=False, ax=ax) is ax
    assert drawn[0].get_xlabel() == "repeat purchases in the calibration period"
    plt.close("all")


def test_plots_name_a_missing_column():
    table = clv.frequency_histogram(
        clv.BetaGeoNBD().fit(clv.summarize(rl.datasets.load_cdnow(), "1997-09-30")),
        clv.summarize(rl.datasets.load_cdnow(), "1997-09-30"))
    with pytest.raises(rl.DataError, match="Column 'expected' is missing from the frequency "
                                           "histogram"):
        clv_plots.plot_frequency_histogram(table.drop(columns="expected"))
    with pytest.raises(rl.DataError, match="Column 'cohort' is missing from the cohort"):
        clv_plots.plot_cohort_retention(table)
    plt.close("all")
