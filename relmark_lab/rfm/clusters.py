"""Micro-segments with k-means on standardized log-RFM.

Lesson 03, section 5. Instead of fixed score ranges, k-means lets the data
draw the groups: :func:`log_rfm_features` takes logarithms of the skewed
measures, :class:`RFMKMeans` standardizes and clusters them (cluster 1 = the
most valuable), :func:`choose_k` reports the elbow and the silhouette, and
:func:`cluster_segment_crosstab` compares the clusters with named segments.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from relmark_lab._validate import (
    column_error,
    first_row,
    require_columns,
    require_numbers,
    require_whole_number,
)
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import gettext as _
from relmark_lab.rfm.segments import _segment_labels

__all__ = ["RFMKMeans", "choose_k", "cluster_segment_crosstab", "log_rfm_features"]

_MEASURES = ("recency_days", "frequency", "monetary")


def log_rfm_features(rfm: pd.DataFrame) -> pd.DataFrame:
    """Log-transformed recency, frequency and monetary value for clustering.

    RFM measures are strongly right-skewed; ``log1p`` makes a distance
    between customers mean "a similar ratio" rather than "a similar number of
    pesos". Negative monetary values (net returns) are clipped to 0 first.

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`~relmark_lab.rfm.rfm_table` (``recency_days``,
        ``frequency`` and ``monetary`` are used).

    Returns
    -------
    pandas.DataFrame
        ``log_recency_days``, ``log_frequency``, ``log_monetary``, indexed
        like ``rfm``.

    Examples
    --------
    >>> rfm = pd.DataFrame({"recency_days": [0], "frequency": [1], "monetary": [0.0]})
    >>> log_rfm_features(rfm).round(3).iloc[0].tolist()
    [0.0, 0.693, 0.0]
    """
    require_columns(rfm, _MEASURES, "RFM table")
    values = {column: require_numbers(rfm, column, "RFM table") for column in _MEASURES}
    return pd.DataFrame(
        {
            "log_recency_days": np.log1p(values["recency_days"]),
            "log_frequency": np.log1p(values["frequency"]),
            "log_monetary": np.log1p(values["monetary"].clip(lower=0)),
        },
        index=rfm.index,
    )


def _first_customer(rfm: pd.DataFrame) -> object:
    """The first customer's id (its ``customer_id``, or its row label), for messages."""
    ids = rfm["customer_id"] if "customer_id" in rfm.columns else rfm.index.to_series()
    return ids.iloc[0]


def _require_clusters(labels: np.ndarray, k: int, rfm: pd.DataFrame, needed: int) -> None:
    """DataError when k-means found fewer than ``needed`` clusters: customers too alike.

    k-means cannot make more clusters than the customers have distinct
    (recency, frequency, monetary) values; :func:`choose_k` needs two for the
    silhouette, :meth:`RFMKMeans.fit` all ``n_clusters``.
    """
    found = len(np.unique(labels))
    if found >= needed:
        return
    if found == 1:
        message = _("RFM table: the {customers:,} customers' recency, frequency and monetary "
                    "values are all alike, so k-means found {found} cluster for k={k}, e.g. "
                    "customer {example}; there is nothing to cluster.")
    elif found < 2:
        message = _("RFM table: the {customers:,} customers' recency, frequency and monetary "
                    "values are all alike, so k-means found {found} clusters for k={k}, e.g. "
                    "customer {example}; there is nothing to cluster.")
    else:
        message = _("RFM table: the {customers:,} customers' recency, frequency and monetary "
                    "values take only {found} distinct combinations, so k-means found {found} "
                    "clusters for k={k}, e.g. customer {example}; pass a smaller n_clusters.")
    raise DataError(message.format(customers=len(labels), found=found, k=k,
                                   example=describe_example(_first_customer(rfm))))


class RFMKMeans(BaseEstimator):
    """K-means micro-segments on standardized log-RFM.

    Parameters
    ----------
    n_clusters : int, default 4
        Number of clusters.
    random_state : int, default 0
        Seed of k-means' initialisation, for reproducible clusters.
    n_init : int, default 10
        Number of k-means restarts.

    Attributes
    ----------
    scaler_ : sklearn.preprocessing.StandardScaler
    kmeans_ : sklearn.cluster.KMeans
    labels_ : pandas.Series
        Cluster of each customer of the fitted table, indexed like it (so
        ``table.assign(cluster=model.labels_)`` lines up), 1 = the cluster
        with the highest mean revenue per customer, then down.
    centers_ : pandas.DataFrame
        Cluster centres back in the original units (days, orders, money).
    inertia_ : float
        Sum of squared distances to the centres (standardized units).

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab.rfm import rfm_table
    >>> table = rfm_table(rl.datasets.load_transactions(), "2025-12-31")
    >>> model = RFMKMeans(n_clusters=3).fit(table)
    >>> sorted(model.labels_.unique().tolist())
    [1, 2, 3]
    """

    def __init__(self, n_clusters: int = 4, random_state: int = 0, n_init: int = 10):
        self.n_clusters = n_clusters
        self.random_state = random_state
        self.n_init = n_init

    def fit(self, rfm: pd.DataFrame, y: None = None) -> RFMKMeans:
        """Fit k-means on ``rfm`` (output of :func:`~relmark_lab.rfm.rfm_table`); returns self."""
        n_clusters = require_whole_number("n_clusters", self.n_clusters, low=1)
        features = log_rfm_features(rfm)
        if len(features) < n_clusters:
            raise DataError(
                _("RFM table: {customers} customer(s) cannot form {n_clusters} clusters, e.g. "
                  "customer {example}. Pass a smaller n_clusters.").format(
                      customers=len(features), n_clusters=n_clusters,
                      example=describe_example(_first_customer(rfm)))
            )
        scaler = StandardScaler().fit(features)
        with _one_thread(), warnings.catch_warnings():
            # Too few distinct customers: the check below says so as a DataError.
            warnings.simplefilter("ignore", ConvergenceWarning)
            kmeans = KMeans(
                n_clusters=n_clusters, random_state=self.random_state, n_init=self.n_init
            ).fit(scaler.transform(features))
        _require_clusters(kmeans.labels_, n_clusters, rfm, needed=n_clusters)
        self.scaler_, self.kmeans_ = scaler, kmeans
        raw = pd.Series(self.kmeans_.labels_, index=rfm.index)
        # Order clusters by value so that "cluster 1" means the same thing on every run.
        value = rfm["frequency"] * rfm["monetary"] if "revenue" not in rfm else rfm["revenue"]
        ranking = value.groupby(raw).mean().sort_values(ascending=False).index
        self.relabel_ = {int(old): new for new, old in enumerate(ranking, start=1)}
        self.labels_ = raw.map(self.relabel_).rename("cluster")
        centers = self.scaler_.inverse_transform(self.kmeans_.cluster_centers_)
        self.centers_ = pd.DataFrame(
            np.expm1(centers), columns=list(_MEASURES),
            index=pd.Index([self.relabel_[i] for i in range(n_clusters)], name="cluster"),
        ).sort_index()
        self.inertia_ = float(self.kmeans_.inertia_)
        self.n_features_in_ = features.shape[1]
        return self

    def predict(self, rfm: pd.DataFrame) -> pd.Series:
        """Cluster (1 = most valuable) of each customer of an RFM table, indexed like it."""
        features = self.scaler_.transform(log_rfm_features(rfm))
        raw = pd.Series(self.kmeans_.predict(features), index=rfm.index)
        return raw.map(self.relabel_).rename("cluster")


def _one_thread() -> threadpool_limits:
    # Three features and a few thousand customers: OpenMP threads cost more than they
    # save, and on a busy machine (a class server) they made k-means 40 times slower.
    return threadpool_limits(limits=1)


def choose_k(
    rfm: pd.DataFrame,
    ks: Iterable[int] = range(2, 9),
    *,
    random_state: int = 0,
    n_init: int = 10,
    silhouette_sample: int | None = 5000,
) -> pd.DataFrame:
    """Inertia (for the elbow) and silhouette of k-means for several k.

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`~relmark_lab.rfm.rfm_table`.
    ks : iterable of int, default 2..8
        Numbers of clusters to try; each must be a whole number of at least
        2 and below the number of customers (the silhouette needs at least
        two clusters and one customer more than clusters).
    random_state, n_init : int
        Passed to k-means (and the silhouette's sample).
    silhouette_sample : int or None, default 5000
        The silhouette costs time in the square of the customers, so it is
        computed on a random sample of this many customers (None = all).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``k``: ``inertia`` and ``silhouette`` (higher is better).

    Raises
    ------
    DataError
        ``ks`` is empty or holds a value that is not a possible number of
        clusters for these customers, or all customers have the same
        features (k-means then finds a single cluster).

    Examples
    --------
    >>> import relmark_lab as rl
    >>> from relmark_lab.rfm import rfm_table
    >>> table = rfm_table(rl.datasets.load_transactions(), "2025-12-31")
    >>> choose_k(table, [2, 3]).index.tolist()
    [2, 3]
    """
    features = StandardScaler().fit_transform(log_rfm_features(rfm))
    ks = _validated_ks(ks, len(features))
    sample = None if silhouette_sample is None or silhouette_sample >= len(features) else (
        silhouette_sample
    )
    rows = []
    for k in ks:
        with _one_thread():
            model = KMeans(n_clusters=k, random_state=random_state, n_init=n_init).fit(features)
        _require_clusters(model.labels_, k, rfm, needed=2)
        silhouette = silhouette_score(
            features, model.labels_, sample_size=sample, random_state=random_state
        )
        rows.append({"k": k, "inertia": float(model.inertia_), "silhouette": float(silhouette)})
    return pd.DataFrame(rows).set_index("k")


def _validated_ks(ks: Iterable[int], n_customers: int) -> list[int]:
    ks = list(ks)
    if not ks:
        raise DataError(_("ks is empty: give at least one number of clusters to try, e.g. "
                          "[2, 3]."))
    bad = [
        k for k in ks
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 2 <= k < n_customers
    ]
    if bad:
        raise DataError(
            _("ks: {count} value(s) are not a possible number of clusters for {customers:,} "
              "customer(s) (each k must be a whole number from 2 to {largest:,}), e.g. "
              "{example}.").format(count=len(bad), customers=n_customers,
                                   largest=n_customers - 1, example=describe_example(bad[0]))
        )
    return [int(k) for k in ks]


def cluster_segment_crosstab(segmented: pd.DataFrame, clusters: pd.Series) -> pd.DataFrame:
    """Customers of each named segment (rows) in each cluster (columns).

    Parameters
    ----------
    segmented : pandas.DataFrame
        A table with a ``segment`` column, e.g. from
        :func:`~relmark_lab.rfm.assign_segments`.
    clusters : pandas.Series
        The cluster of each customer, indexed like ``segmented`` (e.g. the
        ``labels_`` of :class:`RFMKMeans` fitted on the same RFM table).

    Returns
    -------
    pandas.DataFrame
        Counts of customers; every customer of ``segmented`` is counted once.

    Raises
    ------
    DataError
        A customer's segment is missing, or a customer has no cluster.

    Examples
    --------
    >>> segmented = pd.DataFrame({"customer_id": ["x", "y", "z"], "segment": ["A", "A", "B"]})
    >>> clusters = pd.Series([1, 2, 2])
    >>> cluster_segment_crosstab(segmented, clusters)  # doctest: +NORMALIZE_WHITESPACE
    cluster  1  2
    segment
    A        1  1
    B        0  1
    """
    segments = _segment_labels(segmented, "segment table")
    aligned = clusters.reindex(segmented.index)
    lost = aligned.isna().to_numpy()
    if lost.any():
        raise column_error(
            "clusters", "cluster", int(lost.sum()), _("missing"), first_row(segmented, lost),
            _("Pass clusters indexed like the segment table, e.g. the labels_ of RFMKMeans "
              "fitted on the same RFM table."),
        )
    return pd.crosstab(segments.rename("segment"), aligned.rename("cluster"), dropna=False)
