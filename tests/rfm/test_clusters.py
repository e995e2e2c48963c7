"""K-means micro-segments on log-RFM, the choice of k and the crosstab with named segments."""

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import rfm


def test_kmeans_is_reproducible_and_ordered_by_value(kit):
    first = rfm.RFMKMeans(n_clusters=4).fit(kit)
    second = rfm.RFMKMeans(n_clusters=4).fit(kit)
    assert first.labels_.equals(second.labels_)
    assert first.labels_.index.equals(kit.index)  # lines up with the table's rows
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
    table = pd.DataFrame({
        "customer_id": list("abcd"),
        "recency_days": [1, 5, 9, 30], "frequency": [1, 2, 3, 4], "monetary": [5.0, 9, 20, 40],
    })
    with pytest.raises(rl.DataError, match=r"ks: 1 value\(s\).*4 customer.*2 to 3\), e.g. 1\."):
        rfm.choose_k(table, [1, 2])
    with pytest.raises(rl.DataError, match=r"ks: 2 value\(s\).*e.g. 4\."):
        rfm.choose_k(table, [2, 4, 5])
    with pytest.raises(rl.DataError, match="e.g. 2.5"):
        rfm.choose_k(table, [2.5])
    with pytest.raises(rl.DataError, match="ks is empty"):
        rfm.choose_k(table, [])
    assert rfm.choose_k(table, [2, 3]).index.tolist() == [2, 3]
    alike = table.assign(recency_days=1, frequency=1, monetary=5.0)
    with pytest.warns(UserWarning, match="distinct clusters"), pytest.raises(
        rl.DataError, match="RFM table: the 4 customers.*1 cluster for k=2.*customer 'a'"
    ):
        rfm.choose_k(alike, [2])


def test_features_must_be_numbers():
    table = pd.DataFrame({"customer_id": ["a"], "recency_days": [1], "frequency": ["x"],
                          "monetary": [1.0]})
    with pytest.raises(rl.DataError,
                       match="RFM table: column 'frequency' is not a number in 1 row, e.g. 'x'"):
        rfm.log_rfm_features(table)
    with pytest.raises(rl.DataError, match="Column 'monetary' is missing from the RFM table"):
        rfm.log_rfm_features(table.drop(columns="monetary"))


def test_crosstab_keeps_every_customer(kit):
    segmented = rfm.assign_segments(kit)
    labels = rfm.RFMKMeans(n_clusters=3).fit(kit).labels_
    crosstab = rfm.cluster_segment_crosstab(segmented, labels)
    assert crosstab.to_numpy().sum() == 5000
    with pytest.raises(rl.DataError,
                       match=r"clusters: column 'cluster' is missing in 4,990 rows, "
                       r"e\.g\. row 10\."):
        rfm.cluster_segment_crosstab(segmented, labels.iloc[:10])


def test_crosstab_refuses_missing_segments():
    segmented = pd.DataFrame({"customer_id": ["x", "y"], "segment": ["A", None]})
    with pytest.raises(rl.DataError,
                       match=r"segment table: column 'segment' is missing in 1 row, "
                       r"e\.g\. row 1\."):
        rfm.cluster_segment_crosstab(segmented, pd.Series([1, 2]))


def test_fit_refuses_customers_too_alike_for_the_clusters_asked():
    alike = pd.DataFrame({"customer_id": ["a", "b", "c"], "recency_days": [1] * 3,
                          "frequency": [2] * 3, "monetary": [5.0] * 3})
    model = rfm.RFMKMeans(n_clusters=2)
    with pytest.raises(rl.DataError, match=r"^RFM table: the 3 customers' recency, frequency "
                       r"and monetary values are all alike, so k-means found 1 cluster for "
                       r"k=2, e\.g\. customer 'a'; there is nothing to cluster\.$"):
        model.fit(alike)
    assert not hasattr(model, "labels_")  # a failed fit leaves nothing that looks fitted
    two_kinds = alike.assign(monetary=[5.0, 5.0, 50.0])
    with pytest.raises(rl.DataError, match=r"take only 2 distinct combinations, so k-means "
                                           r"found 2 clusters for k=3.*pass a smaller "
                                           r"n_clusters\.$"):
        rfm.RFMKMeans(n_clusters=3).fit(two_kinds)
    assert rfm.RFMKMeans(n_clusters=2).fit(two_kinds).labels_.tolist() == [2, 2, 1]
    assert rfm.RFMKMeans(n_clusters=1).fit(alike).labels_.tolist() == [1, 1, 1]


def test_too_few_customers_for_k():
    table = pd.DataFrame({"customer_id": ["a", "b"], "recency_days": [1, 2],
                          "frequency": [1, 1], "monetary": [1.0, 2.0]})
    with pytest.raises(rl.DataError, match="RFM table: 2 customer.*3 clusters.*customer 'a'"):
        rfm.RFMKMeans(n_clusters=3).fit(table)
    with pytest.raises(rl.DataError, match="n_clusters must be a whole number of at least 1"):
        rfm.RFMKMeans(n_clusters=0).fit(table)
