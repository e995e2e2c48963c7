"""The plots of relmark_lab.plots.rfm: every one draws, and the treemap layout is right."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import relmark_lab as rl  # noqa: E402
from relmark_lab import rfm  # noqa: E402
from relmark_lab.plots import rfm as rfm_plots  # noqa: E402


def test_squarify_layout_fills_the_rectangle_with_proportional_areas():
    values = [50, 25, 12, 8, 5, 0]
    rects = rfm_plots.squarify_layout(values, width=100, height=60)
    areas = [w * h for _, _, w, h in rects]
    assert sum(areas) == pytest.approx(6000)
    assert areas == pytest.approx([v * 60 for v in values])
    for x, y, w, h in rects:
        assert 0 <= x and x + w <= 100 + 1e-9 and 0 <= y and y + h <= 60 + 1e-9


def test_every_plot_draws_and_returns_its_axes(kit):
    segmented = rfm.assign_segments(kit)
    summary = rfm.segment_summary(segmented)
    labels = rfm.RFMKMeans(n_clusters=3).fit(kit).labels_
    answers = rfm.simulate_responses(kit)["responded"]
    result = rfm.test_then_rollout(kit, answers, cost_per_contact=5, profit_per_response=80)
    heatmap = rfm_plots.plot_rf_heatmap(kit)
    assert heatmap.get_ylabel() == "R score (recency)"
    assert heatmap.texts[0].get_text() == "921\nn=3"  # top left: R 5, F 1
    assert len(rfm_plots.plot_score_distributions(kit).axes) == 3
    treemap = rfm_plots.plot_segment_treemap(summary)
    assert len(treemap.patches) == 11
    assert isinstance(rfm_plots.plot_segment_bars(summary), plt.Axes)
    matrix = rfm.migration_matrix(segmented, segmented, shares=True)
    assert isinstance(rfm_plots.plot_migration_heatmap(matrix), plt.Axes)
    assert isinstance(rfm_plots.plot_clusters(kit, labels), plt.Axes)
    assert len(rfm_plots.plot_k_selection(rfm.choose_k(kit, [2, 3])).axes) == 2
    assert isinstance(rfm_plots.plot_cell_response_rates(result), plt.Axes)
    plt.close("all")


def test_plots_name_a_missing_column():
    with pytest.raises(rl.DataError, match="Column 'f_score' is missing from the RFM table"):
        rfm_plots.plot_rf_heatmap(pd.DataFrame({"r_score": [1], "monetary": [1.0]}))
    with pytest.raises(rl.DataError, match="needs the result of rfm.test_then_rollout"):
        rfm_plots.plot_cell_response_rates(pd.DataFrame())
    plt.close("all")
