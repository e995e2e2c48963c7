"""RFM scores, segments, migration, clusters, targeting and their plots."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import relmark_lab as rl  # noqa: E402
from relmark_lab import rfm  # noqa: E402
from relmark_lab.plots import rfm as rfm_plots  # noqa: E402

END = "2025-03-31"


def lines(rows):
    """Order lines from (customer, date, amount[, order]) tuples."""
    names = ["customer_id", "date", "amount", "order_id"][: len(rows[0])]
    frame = pd.DataFrame(rows, columns=names)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


@pytest.fixture(scope="module")
def kit():
    return rfm.rfm_table(rl.datasets.load_transactions(), "2025-12-31")


# ---------------------------------------------------------------- rfm_table


def test_measures_by_hand():
    data = lines([
        ("a", "2025-01-05 10:00", 100.0, "o1"),
        ("a", "2025-01-05 10:00", 20.0, "o1"),  # second line of the same order
        ("a", "2025-03-01 18:30", 50.0, "o2"),
        ("a", "2025-03-20 12:00", -20.0, "o3"),  # a return: not an order, not recent
        ("b", "2025-03-31 20:59", 80.0, "o4"),  # the last day counts whole
    ])
    table = rfm.rfm_table(data, END, bins=2)
    assert table.loc["a", ["recency_days", "frequency"]].tolist() == [30, 2]
    assert table.loc["a", "monetary"] == pytest.approx(150.0)  # net of the return
    assert table.loc["b", ["recency_days", "frequency"]].tolist() == [0, 1]
    gross = rfm.rfm_table(data, END, bins=2, returns="ignore")
    assert gross.loc["a", "monetary"] == pytest.approx(170.0)
    average = rfm.rfm_table(data, END, bins=2, monetary="average")
    assert average.loc["a", "monetary"] == pytest.approx(75.0)
    assert average.loc["a", "revenue"] == pytest.approx(150.0)
    assert table.attrs["frequency_counts"] == "distinct order_id with a purchase line"


def test_frequency_without_order_id_counts_purchase_days():
    data = lines([
        ("a", "2025-01-05 10:00", 10.0),
        ("a", "2025-01-05 17:00", 10.0),
        ("a", "2025-02-05 10:00", 10.0),
        ("a", "2025-02-06 10:00", -5.0),
    ])
    table = rfm.rfm_table(data, END)
    assert table.loc["a", "frequency"] == 2
    assert table.attrs["frequency_counts"] == "distinct purchase days"


def test_orders_shared_by_customers_are_counted_per_customer():
    data = lines([
        ("a", "2025-01-05", 10.0, "o1"), ("b", "2025-01-05", 10.0, "o1"),
        ("b", "2025-01-06", 10.0, "o2"),
    ])
    assert rfm.rfm_table(data, END)["frequency"].tolist() == [1, 2]


def test_recency_scores_recent_customers_high():
    days = zip("abcde", [1, 5, 10, 20, 30], strict=True)
    data = lines([(c, f"2025-03-{d:02d}", 10.0) for c, d in days])
    table = rfm.rfm_table(data, END)
    assert table["r_score"].tolist() == [1, 2, 3, 4, 5]
    assert table["recency_days"].tolist() == [30, 26, 21, 11, 1]


def test_ties_first_gives_equal_bins_broken_by_customer_id():
    # ten customers, all with one purchase on the same day and the same amount
    data = lines([(f"c{i:02d}", "2025-03-01", 10.0) for i in range(10)])
    table = rfm.rfm_table(data, END)
    for score in ("r_score", "f_score", "m_score"):
        assert table[score].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert table["rfm_cell"].iloc[-1] == "555"


def test_ties_keep_gives_equal_values_the_same_score():
    data = lines([(f"c{i:02d}", "2025-03-01", 10.0 if i < 6 else 99.0) for i in range(10)])
    table = rfm.rfm_table(data, END, ties="keep")
    assert set(table["f_score"]) == {1}  # all-equal frequencies: one score for everyone
    assert table["m_score"].tolist() == [1] * 6 + [4] * 4


def test_all_equal_frequencies_still_fill_every_bin_with_ties_first():
    data = lines([(f"c{i:03d}", f"2025-01-{1 + i % 28:02d}", float(i + 1)) for i in range(100)])
    table = rfm.rfm_table(data, END)
    assert table["frequency"].eq(1).all()
    assert table["f_score"].value_counts().sort_index().tolist() == [20] * 5


def test_unequal_group_sizes_differ_by_at_most_one():
    data = lines([(f"c{i}", "2025-03-01", float(i + 1)) for i in range(7)])
    table = rfm.rfm_table(data, END)
    assert table.sort_values("monetary")["m_score"].tolist() == [1, 1, 2, 3, 3, 4, 5]


def test_single_customer():
    table = rfm.rfm_table(lines([("only", "2025-03-30", 42.0, "o1")]), END)
    assert len(table) == 1
    assert table.loc["only"].to_dict() | {} == {
        "recency_days": 1, "frequency": 1, "monetary": 42.0, "revenue": 42.0,
        "r_score": 1, "f_score": 1, "m_score": 1, "rfm_score": 3, "rfm_cell": "111",
    }
    assert rfm.assign_segments(table)["segment"].tolist() == ["Lost"]


def test_kit_quintiles_are_equal_sized(kit):
    assert len(kit) == 5000
    for score in ("r_score", "f_score", "m_score"):
        assert kit[score].value_counts().tolist() == [1000] * 5
    assert kit["frequency"].sum() == 30345  # purchase orders of the data card
    assert kit.loc["C00005", "rfm_cell"] == "555"
    assert kit["monetary"].sum() == pytest.approx(
        rl.datasets.load_transactions()["amount"].sum()
    )


def test_nested_scores_f_within_r(kit):
    nested = rfm.rfm_table(rl.datasets.load_transactions(), "2025-12-31", scoring="nested")
    assert (nested["r_score"] == kit["r_score"]).all()
    per_r = nested.groupby("r_score")["f_score"].value_counts().unstack()
    assert (per_r == 200).all().all()
    per_cell = nested.groupby(["r_score", "f_score"])["m_score"].value_counts()
    assert per_cell.min() == per_cell.max() == 40


def test_snapshot_drops_later_lines_only_when_asked():
    data = lines([("a", "2025-01-05", 10.0), ("a", "2025-06-05", 10.0)])
    with pytest.raises(rl.DataError, match=r"Column 'date': 1 line\(s\).*2025-06-05"):
        rfm.rfm_table(data, END)
    snapshot = rfm.rfm_table(data, END, drop_later=True)
    assert snapshot.loc["a", "frequency"] == 1 and snapshot.attrs["lines_after_end"] == 1


def test_customer_with_returns_only_is_counted_and_warned():
    data = lines([("a", "2025-01-05", 10.0), ("b", "2025-01-06", -10.0)])
    with pytest.warns(UserWarning, match="1 customer.*'b'"):
        table = rfm.rfm_table(data, END)
    assert table.index.tolist() == ["a"]
    assert table.attrs["customers_without_purchases"] == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="amount"), r"Column 'amount' is missing"),
        (lambda f: f.assign(amount=["x", "y"]), r"Column 'amount' holds .*'x'"),
        (lambda f: f.assign(date=["2025-01-01", "2025-01-02"]), r"Column 'date' holds"),
        (lambda f: f.assign(customer_id=["a", None]), r"Column 'customer_id': 1 value.*row 1"),
        (lambda f: f.assign(amount=[1.0, np.nan]), r"Column 'amount': 1 value"),
    ],
)
def test_bad_input_names_column_count_and_example(change, message):
    data = lines([("a", "2025-01-05", 10.0), ("b", "2025-01-06", 5.0)])
    with pytest.raises(rl.DataError, match=message):
        rfm.rfm_table(change(data), END)


def test_bad_options_are_refused():
    data = lines([("a", "2025-01-05", 10.0)])
    with pytest.raises(rl.DataError, match="bins must be a whole number of at least 2, got 1"):
        rfm.rfm_table(data, END, bins=1)
    with pytest.raises(rl.DataError, match="monetary must be 'total' or 'average', got 'mean'"):
        rfm.rfm_table(data, END, monetary="mean")
    with pytest.raises(rl.DataError, match="observation_end is not a date"):
        rfm.rfm_table(data, "soon")


def test_ten_bins_use_separated_cells():
    data = lines([(f"c{i:02d}", "2025-03-01", float(i + 1)) for i in range(20)])
    assert rfm.rfm_table(data, END, bins=10)["rfm_cell"].iloc[-1] == "10-10-10"


# ---------------------------------------------------------------- segments


def scores(r, f, m):
    return pd.DataFrame({"r_score": r, "f_score": f, "m_score": m},
                        index=[f"c{i}" for i in range(len(r))])


def test_default_rules_cover_the_whole_grid():
    r, fm = np.meshgrid(np.arange(1, 6), np.arange(1, 6))
    grid = scores(np.repeat(r.ravel(), 5), np.repeat(fm.ravel(), 5), np.tile(np.arange(1, 6), 25))
    segmented = rfm.assign_segments(grid)
    assert (segmented["segment"] != rfm.OTHERS).all()
    names = segmented.set_index(["r_score", "f_score", "m_score"])["segment"]
    assert names[(5, 5, 5)] == "Champions"
    assert names[(1, 5, 5)] == "Can't Lose Them"
    assert names[(5, 1, 1)] == "New Customers"
    assert names[(1, 1, 1)] == "Lost"
    assert names[(2, 1, 2)] == "Hibernating"
    assert names[(3, 3, 3)] == "Loyal Customers"
    assert names[(3, 2, 2)] == "Need Attention"


def test_custom_rules_first_match_wins_and_others_are_kept():
    rules = pd.DataFrame({
        "segment": ["Best", "Frequent", "Recent"],
        "r_min": [4, None, 4], "f_min": [4, 4, None], "m_min": [4, None, None],
    })
    table = scores([5, 2, 5, 1], [5, 5, 1, 1], [5, 1, 1, 1])
    segmented = rfm.assign_segments(table, rules)
    assert segmented["segment"].tolist() == ["Best", "Frequent", "Recent", "Others"]
    assert list(segmented["segment"].cat.categories) == ["Best", "Frequent", "Recent", "Others"]
    # reversed order: the broad rule takes the customer first
    flipped = rfm.assign_segments(table, rules.iloc[::-1])
    assert flipped["segment"].tolist() == ["Recent", "Frequent", "Recent", "Others"]


def test_a_rule_named_others_absorbs_the_unmatched():
    rules = pd.DataFrame({"segment": ["Top", "Others"], "r_min": [5, 9]})
    segmented = rfm.assign_segments(scores([5, 1], [1, 1], [1, 1]), rules)
    assert segmented["segment"].tolist() == ["Top", "Others"]
    assert list(segmented["segment"].cat.categories) == ["Top", "Others"]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (pd.DataFrame({"name": ["A"], "r_min": [1]}), "Column 'segment' is missing"),
        (pd.DataFrame({"segment": ["A", "A"], "r_min": [1, 2]}), "repeat.*'A'"),
        (pd.DataFrame({"segment": ["A"], "lo": [1]}), "no bound column"),
        (pd.DataFrame({"segment": ["A"], "r_min": ["high"]}), r"Column 'r_min'.*'high'"),
        (pd.DataFrame({"segment": ["A"], "f_min": [4], "f_max": [2]}), r"'f_min'.*segment 'A'"),
    ],
)
def test_bad_rule_tables_are_explained(rules, message):
    with pytest.raises(rl.DataError, match=message):
        rfm.assign_segments(scores([1], [1], [1]), rules)


def test_rules_need_the_scores_they_use():
    with pytest.raises(rl.DataError, match="Column 'm_score' is missing"):
        rfm.assign_segments(pd.DataFrame({"r_score": [1], "f_score": [1]}))


def test_segment_summary_on_the_kit(kit):
    summary = rfm.segment_summary(rfm.assign_segments(kit))
    assert summary["customers"].sum() == 5000
    assert summary.loc[rfm.OTHERS, "customers"] == 0
    assert summary.loc["Champions", "customers"] == 1120
    assert summary.loc["Champions", "revenue_share"] == pytest.approx(0.556, abs=5e-4)
    assert summary["revenue_share"].sum() == pytest.approx(1.0)
    champions = summary.loc["Champions"]
    assert champions["average_order_value"] == pytest.approx(
        champions["revenue"] / champions["orders"]
    )


def test_segment_summary_counts_customers_with_a_missing_label():
    table = pd.DataFrame({
        "cluster": [1, 1, np.nan], "frequency": [1, 3, 2], "revenue": [10.0, 30.0, 60.0],
        "recency_days": [5, 1, 9], "monetary": [10.0, 30.0, 60.0],
    }, index=["a", "b", "c"])
    summary = rfm.segment_summary(table, by="cluster")
    assert summary.index.tolist() == [1.0, "(missing)"]
    assert summary["customers"].tolist() == [2, 1]
    assert summary["customer_share"].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert summary["revenue_share"].tolist() == pytest.approx([0.4, 0.6])
    segments = table.assign(segment=pd.Categorical(["A", None, "A"], categories=["A", "B"]))
    by_segment = rfm.segment_summary(segments)
    assert by_segment.index.tolist() == ["A", "B", "(missing)"]
    assert by_segment["customers"].tolist() == [2, 0, 1]
    assert by_segment["customer_share"].sum() == pytest.approx(1.0)


# ---------------------------------------------------------------- migration


def test_migration_counts_new_and_gone_customers():
    before = pd.Series({"a": "Top", "b": "Low", "c": "Low"})
    after = pd.Series({"a": "Low", "c": "Low", "d": "Top"})
    counts = rfm.migration_matrix(before, after)
    assert counts.loc["Top", "Low"] == 1 and counts.loc["Low", "(gone)"] == 1
    assert counts.loc["(new)", "Top"] == 1
    assert counts.to_numpy().sum() == 4  # a, b, c, d once each
    shares = rfm.migration_matrix(before, after, shares=True)
    assert shares.loc["Low"].tolist() == [0.5, 0.0, 0.5]


def test_migration_on_the_kit(kit):
    transactions = rl.datasets.load_transactions()
    before = rfm.assign_segments(rfm.rfm_table(transactions, "2024-12-31", drop_later=True))
    after = rfm.assign_segments(kit)
    counts = rfm.migration_matrix(before, after)
    assert "(gone)" not in counts.columns and "Others" not in counts.index
    assert counts.to_numpy().sum() == 5000
    assert counts.loc["(new)"].sum() == 5000 - len(before)
    assert counts.loc["Champions", "Champions"] == 450


def test_migration_refuses_missing_segments_instead_of_calling_them_new():
    before = pd.Series({"a": "Top", "b": None})
    after = pd.Series({"a": "Top", "b": "Low"})
    with pytest.raises(rl.DataError, match="of before: 1 customer.*e.g. customer 'b'"):
        rfm.migration_matrix(before, after)
    with pytest.raises(rl.DataError, match="Column 'segment' of after: 1 customer.*'b'"):
        rfm.migration_matrix(after, before)
    segmented = pd.DataFrame({"segment": ["A", None]}, index=["x", "y"])
    with pytest.raises(rl.DataError, match="segmented: 1 customer.*'y'"):
        rfm.cluster_segment_crosstab(segmented, pd.Series([1, 2], index=["x", "y"]))


def test_migration_refuses_duplicated_customers():
    with pytest.raises(rl.DataError, match="customer_id.*'a'"):
        rfm.migration_matrix(pd.Series(["x", "y"], index=["a", "a"]), pd.Series({"a": "x"}))


# ---------------------------------------------------------------- clusters


def test_kmeans_is_reproducible_and_ordered_by_value(kit):
    first = rfm.RFMKMeans(n_clusters=4).fit(kit)
    second = rfm.RFMKMeans(n_clusters=4).fit(kit)
    assert first.labels_.equals(second.labels_)
    profile = rfm.segment_summary(kit.assign(cluster=first.labels_), by="cluster")
    assert profile["revenue"].div(profile["customers"]).is_monotonic_decreasing
    assert profile["customers"].tolist() == [809, 1351, 922, 1918]
    assert first.predict(kit).equals(first.labels_)
    assert first.get_params() == {"n_clusters": 4, "n_init": 10, "random_state": 0}


def test_choose_k_reports_inertia_and_silhouette(kit):
    table = rfm.choose_k(kit, [2, 3, 4])
    assert table.index.tolist() == [2, 3, 4]
    assert table["inertia"].is_monotonic_decreasing
    assert table["silhouette"].round(3).tolist() == [0.445, 0.339, 0.351]


def test_choose_k_refuses_impossible_numbers_of_clusters():
    table = pd.DataFrame(
        {"recency_days": [1, 5, 9, 30], "frequency": [1, 2, 3, 4], "monetary": [5.0, 9, 20, 40]},
        index=list("abcd"),
    )
    with pytest.raises(rl.DataError, match=r"ks: 1 value\(s\).*4 customer.*2 to 3\), e.g. 1\."):
        rfm.choose_k(table, [1, 2])
    with pytest.raises(rl.DataError, match=r"ks: 2 value\(s\).*e.g. 4\."):
        rfm.choose_k(table, [2, 4, 5])
    with pytest.raises(rl.DataError, match="e.g. 2.5"):
        rfm.choose_k(table, [2.5])
    with pytest.raises(rl.DataError, match="ks is empty"):
        rfm.choose_k(table, [])
    assert rfm.choose_k(table, [2, 3]).index.tolist() == [2, 3]
    alike = pd.DataFrame({"recency_days": [1] * 4, "frequency": [1] * 4, "monetary": [5.0] * 4},
                         index=list("abcd"))
    with pytest.warns(UserWarning, match="distinct clusters"), pytest.raises(
        rl.DataError, match="Column 'customer_id': the 4 customers.*1 cluster for k=2.*'a'"
    ):
        rfm.choose_k(alike, [2])


def test_crosstab_keeps_every_customer(kit):
    segmented = rfm.assign_segments(kit)
    labels = rfm.RFMKMeans(n_clusters=3).fit(kit).labels_
    crosstab = rfm.cluster_segment_crosstab(segmented, labels)
    assert crosstab.to_numpy().sum() == 5000
    with pytest.raises(rl.DataError, match="no cluster"):
        rfm.cluster_segment_crosstab(segmented, labels.iloc[:10])


def test_too_few_customers_for_k():
    table = rfm.rfm_table(lines([("a", "2025-03-01", 1.0), ("b", "2025-03-02", 2.0)]), END)
    with pytest.raises(rl.DataError, match="2 customer.*3 clusters"):
        rfm.RFMKMeans(n_clusters=3).fit(table)


# ---------------------------------------------------------------- targeting


def test_break_even_rate():
    assert rfm.break_even_rate(6, 80) == pytest.approx(0.075)
    with pytest.raises(rl.DataError, match="profit_per_response must be positive, got 0"):
        rfm.break_even_rate(6, 0)


def test_response_model_follows_the_scores(kit):
    responses = rfm.simulate_responses(kit, random_state=1)
    by_r = responses["response_probability"].groupby(kit["r_score"]).mean()
    assert by_r.is_monotonic_increasing
    assert responses["responded"].sum() == 339
    # A bare frame has no attrs["bins"]; with bins inferred it would be 3, so say 5.
    middle = rfm.simulate_responses(scores([3], [3], [3]), base_rate=0.1, bins=5)
    assert middle["response_probability"].iloc[0] == pytest.approx(0.1)


def test_response_model_keeps_the_bins_when_a_merge_drops_attrs():
    table = rfm.rfm_table(rl.datasets.load_transactions(), "2025-12-31", bins=3)
    merged = table.reset_index().merge(
        pd.DataFrame({"customer_id": table.index, "region": "north"})
    ).set_index("customer_id")
    assert merged.attrs == {}  # the merge drops them
    expected = rfm.simulate_responses(table)["response_probability"]
    assert expected.mean() == pytest.approx(0.0477, abs=5e-5)
    inferred = rfm.simulate_responses(merged)["response_probability"]
    assert inferred.to_numpy() == pytest.approx(expected.to_numpy())
    explicit = rfm.simulate_responses(merged, bins=3)["response_probability"]
    assert explicit.to_numpy() == pytest.approx(expected.to_numpy())
    top = rfm.simulate_responses(scores([2], [2], [2]), base_rate=0.1)  # inferred bins 2
    assert top["response_probability"].iloc[0] == pytest.approx(0.1516, abs=5e-5)  # centre 1.5
    centred = rfm.simulate_responses(scores([2, 1], [2, 3], [2, 1]), base_rate=0.1)
    assert centred["response_probability"].iloc[0] == pytest.approx(0.1)  # bins 3, centre 2


def test_response_model_refuses_scores_it_cannot_centre():
    with pytest.raises(rl.DataError, match="Column 'r_score': 1 score.*outside 1 to 2.*e.g. 3\\."):
        rfm.simulate_responses(scores([3, 1], [1, 2], [1, 2]), bins=2)
    with pytest.raises(rl.DataError, match="Column 'f_score': 1 score.*missing.*'c1'"):
        rfm.simulate_responses(scores([3, 1], [1, None], [1, 2]))
    with pytest.raises(rl.DataError, match="Column 'm_score': 1 score.*not whole.*2.5"):
        rfm.simulate_responses(scores([3, 1], [1, 2], [1, 2.5]))
    with pytest.raises(rl.DataError, match="bins cannot be inferred.*is 1"):
        rfm.simulate_responses(scores([1], [1], [1]))
    with pytest.raises(rl.DataError, match="bins must be a whole number"):
        rfm.simulate_responses(scores([1], [1], [1]), bins=1)


def test_test_then_rollout_beats_contacting_everyone(kit):
    answers = rfm.simulate_responses(kit, random_state=1)["responded"]
    result = rfm.test_then_rollout(
        kit, answers, cost_per_contact=6, profit_per_response=80, test_share=0.2,
        cells=["r_score", "f_score"],
    )
    assert result.break_even_rate == pytest.approx(0.075)
    cells = result.cells
    assert cells["test_contacts"].sum() == 1000
    assert (cells["test_contacts"] + cells["rollout_contacts"]).sum() == 5000
    assert cells["selected"].sum() == 9
    assert (cells.loc[cells["selected"], "test_response_rate"] >= 0.075).all()
    summary = result.summary
    assert summary.loc["contact everyone", "profit"] == pytest.approx(339 * 80 - 5000 * 6)
    assert summary.loc["test + targeted rollout", "profit"] == pytest.approx(6746.0)
    assert "9 of 25 cells" in repr(result)


def test_rollout_needs_a_response_for_every_customer(kit):
    with pytest.raises(rl.DataError, match="Column 'responded': 4990 customer"):
        rfm.test_then_rollout(kit, pd.Series(True, index=kit.index[:10]),
                              cost_per_contact=1, profit_per_response=10)


# ---------------------------------------------------------------- plots


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
    heatmap = rfm_plots.rf_heatmap(kit)
    assert heatmap.get_ylabel() == "R score (recency)"
    assert heatmap.texts[0].get_text() == "921\nn=3"  # top left: R 5, F 1
    assert len(rfm_plots.score_distributions(kit).axes) == 3
    treemap = rfm_plots.segment_treemap(summary)
    assert len(treemap.patches) == 11
    assert isinstance(rfm_plots.segment_bars(summary), plt.Axes)
    matrix = rfm.migration_matrix(segmented, segmented, shares=True)
    assert isinstance(rfm_plots.migration_heatmap(matrix), plt.Axes)
    assert isinstance(rfm_plots.cluster_scatter(kit, labels), plt.Axes)
    assert len(rfm_plots.k_selection(rfm.choose_k(kit, [2, 3])).axes) == 2
    assert isinstance(rfm_plots.cell_response_rates(result), plt.Axes)
    plt.close("all")
