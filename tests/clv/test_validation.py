"""Model checks of the papers (histogram, tracking, calibration vs holdout) and their plots."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import relmark_lab as rl  # noqa: E402
from relmark_lab import clv  # noqa: E402
from relmark_lab.plots import clv as clv_plots  # noqa: E402


@pytest.fixture(scope="module")
def cdnow():
    return rl.datasets.load_cdnow("sample")


@pytest.fixture(scope="module")
def summary(cdnow):
    return clv.summarize(cdnow, "1998-06-30", calibration_end="1997-09-30", time_unit="W")


@pytest.fixture(scope="module")
def bgnbd(summary):
    return clv.BetaGeoNBD().fit(summary)


def test_frequency_histogram_matches_the_paper(bgnbd, summary):
    table = clv.frequency_histogram(bgnbd, summary)
    assert table["frequency"].tolist() == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert table["actual"].tolist() == [1411, 439, 214, 100, 62, 38, 29, 64]
    assert table["expected"].sum() == pytest.approx(2357)
    assert table["expected"].round(0).tolist() == [1408, 460, 192, 101, 60, 38, 26, 72]


def test_calibration_vs_holdout_matches_the_paper(bgnbd, summary):
    table = clv.calibration_vs_holdout(bgnbd, summary)
    assert table["customers"].tolist() == [1411, 439, 214, 100, 62, 38, 29, 64]
    assert table["actual"].round(2).tolist()[:3] == [0.24, 0.70, 1.39]
    assert table["expected"].round(2).tolist()[:3] == [0.23, 0.52, 1.04]
    pareto = clv.calibration_vs_holdout(clv.ParetoNBD().fit(summary), summary)
    assert round(pareto["expected"].iloc[0], 2) == 0.14


def test_tracking_counts_every_repeat_purchase(bgnbd, cdnow):
    track = clv.tracking_repeat_purchases(bgnbd, cdnow, "1997-09-30", "1998-06-30")
    assert len(track) == 78 and track["in_calibration"].sum() == 39
    assert track["cumulative_actual"].iloc[38] == 2457
    assert track["cumulative_actual"].iloc[-1] == 2457 + 1882
    assert round(track["cumulative_expected"].iloc[-1]) == 4166
    np.testing.assert_allclose(track["expected"].cumsum(), track["cumulative_expected"])


def test_validation_errors_name_the_missing_column(bgnbd, summary):
    with pytest.raises(rl.DataError, match="'frequency_holdout' is missing"):
        clv.calibration_vs_holdout(bgnbd, summary.drop(columns="frequency_holdout"))


def test_plots_return_axes_and_draw(bgnbd, summary, cdnow):
    tx = rl.datasets.load_transactions()
    cohorts = rl.datasets.load_sbg_cohorts()
    regular = cohorts[cohorts["segment"] == "regular"]
    sbg = clv.ShiftedBetaGeometric().fit(regular.loc[regular["year"] <= 7, "n_alive"])
    drawn = [
        clv_plots.plot_frequency_histogram(clv.frequency_histogram(bgnbd, summary)),
        clv_plots.plot_calibration_vs_holdout(clv.calibration_vs_holdout(bgnbd, summary)),
        clv_plots.plot_tracking(clv.tracking_repeat_purchases(bgnbd, cdnow, "1997-09-30",
                                                              "1998-06-30")),
        clv_plots.plot_cohort_retention(clv.cohort_retention_table(tx, period="Q")),
        clv_plots.plot_layer_cake(clv.layer_cake(tx)),
        clv_plots.plot_retention_projection(regular, sbg.expected_alive(12, 1000), 7),
    ]
    for ax in drawn:
        assert isinstance(ax, matplotlib.axes.Axes)
        assert ax.has_data() or ax.collections or ax.patches
    _, ax = plt.subplots()
    assert clv_plots.plot_tracking(
        clv.tracking_repeat_purchases(bgnbd, cdnow, "1997-09-30", "1998-06-30"),
        cumulative=False, ax=ax) is ax
    assert drawn[0].get_xlabel() == "repeat purchases in the calibration period"
    plt.close("all")
