"""The single customer view: link raw ids that are one person (lesson 01, section 2).

Raw ids that share a matching key (:mod:`relmark_lab.identify.normalize`)
are linked; a person is a connected component of the graph of links, so
chains of links merge. :func:`merge_report` and :func:`score_resolution`
say how many ids were merged and how well; :func:`apply_identity_map` puts
the transactions under one key per person.

Examples
--------
>>> records = pd.DataFrame({"customer_id": ["A", "B", "C"],
...                         "email": ["ana@x.mx", " ANA@x.mx", "eva@x.mx"],
...                         "phone": ["", "", ""], "name": ["Ana", "Ana", "Eva"]})
>>> resolve_identities(records, rules=("email",))[["raw_id", "customer_key", "rule"]]
  raw_id customer_key   rule
0      A            A  email
1      B            A  email
2      C            C  alone
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.metrics.cluster import pair_confusion_matrix

from relmark_lab._validate import (
    as_ids,
    column_error,
    require_choice,
    require_columns,
    require_ids,
    require_labels,
    require_unique,
)
from relmark_lab.i18n import gettext as _
from relmark_lab.identify.normalize import normalize_email, normalize_name, normalize_phone

__all__ = [
    "IDENTITY_RULES",
    "apply_identity_map",
    "merge_report",
    "resolve_identities",
    "score_resolution",
]

#: Linking rules, strongest evidence first.
IDENTITY_RULES: tuple[str, ...] = ("email", "phone", "name")
#: The rule of an id linked to no other id.
_ALONE = "alone"


def resolve_identities(
    records: pd.DataFrame,
    *,
    id_column: str = "customer_id",
    email_column: str | None = "email",
    phone_column: str | None = "phone",
    name_column: str | None = "name",
    region_column: str | None = None,
    rules: Sequence[str] = IDENTITY_RULES,
    preferred_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Link raw customer ids that belong to one person into one customer key.

    Every row of ``records`` contributes its normalised e-mail, phone and
    name (with region, if ``region_column`` is given) as keys. Two raw ids
    are linked when they share a key under one of ``rules``; people are the
    connected components of the resulting graph, so if A shares an e-mail
    with B and B a phone with C, all three are one person.

    Parameters
    ----------
    records : DataFrame
        One row per record (e.g. order lines of a raw export), several rows
        per raw id allowed.
    id_column : str, default "customer_id"
        The raw id (surrounding spaces are ignored).
    email_column, phone_column, name_column : str or None
        Columns holding contact data; None skips that rule. The raw export
        calls them ``"Correo"``, ``"Teléfono"`` and ``"Nombre"``.
    region_column : str, optional
        If given, the name rule requires the same name **and** region, and
        records without a region are not linked by name. Homonyms in
        different regions then stay apart.
    rules : sequence of {"email", "phone", "name"}
        Rules to apply. Names are the weakest evidence (two people can share
        one), so leave "name" out when precision matters most.
    preferred_ids : iterable of str, optional
        Ids that should become the person's key when present, e.g. the ids
        of the customer master, so that survey answers and contacts filed
        under them still match.

    Returns
    -------
    DataFrame
        One row per raw id, sorted: ``raw_id`` and ``customer_key`` (text; the
        person's id: a preferred id if the person has one, else the raw id
        with the most records, ties broken by sort order), ``rule`` (the
        strongest rule linking this id to another id of the same person, or
        ``"alone"``) and ``records``.

    Raises
    ------
    DataError
        If a column is missing, a rule is unknown, or an id is missing or blank.

    Examples
    --------
    >>> records = pd.DataFrame({"customer_id": ["A", "B", "C"],
    ...                         "email": ["a@x.mx", "", "c@x.mx"],
    ...                         "phone": ["55 1234 5678", "+52 5512345678", ""]})
    >>> resolve_identities(records, name_column=None)["customer_key"].tolist()
    ['A', 'A', 'C']
    """
    rules = (rules,) if isinstance(rules, str) else tuple(rules)
    for rule in rules:
        require_choice("rules", rule, IDENTITY_RULES)
    key_columns = {"email": email_column, "phone": phone_column, "name": name_column}
    active_rules = [r for r in IDENTITY_RULES if r in rules and key_columns[r] is not None]
    needed = [id_column] + [key_columns[r] for r in active_rules]
    if region_column is not None and "name" in active_rules:
        needed.append(region_column)
    require_columns(records, needed, "records")

    ids = require_ids(records, id_column, "records")
    counts = ids.value_counts()
    raw_ids = np.array(sorted(counts.index))
    position = pd.Series(np.arange(len(raw_ids)), index=raw_ids)

    edges = []  # (rule index, id position a, id position b)
    for rule_index, rule in enumerate(IDENTITY_RULES):
        if rule not in active_rules:
            continue
        keys = _rule_keys(records, rule, key_columns[rule], region_column)
        pairs = pd.DataFrame({"key": keys, "id": position[ids].to_numpy()}).dropna()
        pairs = pairs.drop_duplicates()
        # Linking every id to the first id holding the same key is enough for components.
        first = pairs.groupby("key")["id"].transform("min")
        linked = pairs[pairs["id"] != first]
        edges.append(
            pd.DataFrame({"rule": rule_index, "a": first[linked.index], "b": linked["id"]})
        )
    edges = pd.concat(edges) if edges else pd.DataFrame({"rule": [], "a": [], "b": []}, dtype=int)

    n = len(raw_ids)
    graph = sparse.coo_matrix(
        (np.ones(len(edges)), (edges["a"].to_numpy(int), edges["b"].to_numpy(int))), shape=(n, n)
    )
    _, component = connected_components(graph, directed=False)

    # Each id's rule: the strongest rule on any of its links; the rank order is fixed.
    strongest = pd.Series(len(IDENTITY_RULES), index=np.arange(n))
    if len(edges):
        ends = pd.concat([edges[["rule", "a"]].rename(columns={"a": "id"}),
                          edges[["rule", "b"]].rename(columns={"b": "id"})])
        strongest.update(ends.groupby("id")["rule"].min())
    rule_names = np.array([*IDENTITY_RULES, _ALONE])

    mapping = pd.DataFrame({
        "raw_id": as_ids(pd.Series(raw_ids, dtype=object)),
        "component": component,
        "rule": rule_names[strongest.to_numpy(int)],
        "records": counts[raw_ids].to_numpy(),
    })
    # The person's key: a preferred id, then the id with the most records, then sort order.
    preferred = set() if preferred_ids is None else set(
        as_ids(pd.Series(list(preferred_ids), dtype=object)).dropna())
    mapping["preferred"] = mapping["raw_id"].isin(preferred)
    representative = (
        mapping.sort_values(["component", "preferred", "records", "raw_id"],
                            ascending=[True, False, False, True])
        .drop_duplicates("component")
        .set_index("component")["raw_id"]
    )
    mapping["customer_key"] = as_ids(mapping["component"].map(representative))
    return mapping[["raw_id", "customer_key", "rule", "records"]]


def _rule_keys(records: pd.DataFrame, rule: str, column: str,
               region_column: str | None) -> np.ndarray:
    """The matching key of every record under one rule (None where it has none)."""
    values = records[column]
    if rule == "email":
        return normalize_email(values).to_numpy(dtype=object, na_value=None)
    if rule == "phone":
        return normalize_phone(values).to_numpy(dtype=object, na_value=None)
    names = normalize_name(values)
    if region_column is not None:
        regions = normalize_name(records[region_column])
        names = names + "|" + regions  # a missing region leaves the key missing
    return names.to_numpy(dtype=object, na_value=None)


def _check_mapping(mapping: pd.DataFrame) -> None:
    """Raise DataError unless ``mapping`` looks like the output of resolve_identities."""
    require_columns(mapping, ["raw_id", "customer_key", "rule"], "mapping")
    require_labels(mapping, "rule", "mapping", [*IDENTITY_RULES, _ALONE],
                   hint=_("Pass the table resolve_identities returns."))


def merge_report(mapping: pd.DataFrame) -> pd.DataFrame:
    """How many raw ids were merged into how many people, by rule.

    Each person counts under the strongest rule that links any two of its
    ids; people with a single raw id count as ``"alone"``. The rows
    partition ids and people, so the ``total`` row adds up.

    Parameters
    ----------
    mapping : DataFrame
        Output of :func:`resolve_identities`.

    Returns
    -------
    DataFrame
        Indexed by rule (email, phone, name, alone, total) with ``raw_ids``,
        ``people`` and ``ids_removed`` (raw ids minus people).

    Examples
    --------
    >>> mapping = pd.DataFrame({"raw_id": ["A", "B", "C"], "customer_key": ["A", "A", "C"],
    ...                         "rule": ["email", "email", "alone"]})
    >>> merge_report(mapping).loc["total"].tolist()
    [3, 2, 1]
    """
    _check_mapping(mapping)
    order = [*IDENTITY_RULES, _ALONE]
    rank = {rule: i for i, rule in enumerate(order)}
    person_rank = mapping["rule"].map(rank).groupby(mapping["customer_key"]).transform("min")
    person_rule = person_rank.map(dict(enumerate(order)))
    report = pd.DataFrame({
        "raw_ids": mapping.groupby(person_rule)["raw_id"].nunique(),
        "people": mapping.groupby(person_rule)["customer_key"].nunique(),
    }).reindex(order, fill_value=0)
    report.loc["total"] = [mapping["raw_id"].nunique(), mapping["customer_key"].nunique()]
    report["ids_removed"] = report["raw_ids"] - report["people"]
    report.index.name = "rule"
    return report.astype("int64")


def score_resolution(
    mapping: pd.DataFrame,
    identity_map: pd.DataFrame,
    *,
    raw_id_column: str = "raw_customer_id",
    true_id_column: str = "customer_id",
) -> pd.Series:
    """Pairwise precision and recall of a resolution against the true identities.

    Over all pairs of raw ids, *precision* is the share of pairs put together
    that truly belong together, *recall* the share of truly-together pairs
    that were put together.

    Parameters
    ----------
    mapping : DataFrame
        Output of :func:`resolve_identities`.
    identity_map : DataFrame
        Answer key, e.g. :func:`relmark_lab.datasets.load_identity_map`.
    raw_id_column, true_id_column : str
        Its columns.

    Returns
    -------
    Series
        ``pair_precision``, ``pair_recall``, ``pair_f1``, ``people_found``,
        ``people_true``, ``raw_ids_scored`` and ``raw_ids_not_in_key`` (ids of
        the mapping the answer key does not know; they are not scored).

    Examples
    --------
    >>> mapping = pd.DataFrame({"raw_id": ["A", "B", "C"], "customer_key": ["A", "A", "A"],
    ...                         "rule": ["name"] * 3})
    >>> key = pd.DataFrame({"raw_customer_id": ["A", "B", "C"], "customer_id": ["1", "1", "2"]})
    >>> score_resolution(mapping, key)[["pair_precision", "pair_recall"]].round(3).tolist()
    [0.333, 1.0]
    """
    _check_mapping(mapping)
    require_columns(identity_map, [raw_id_column, true_id_column], "identity_map")
    truth = pd.Series(as_ids(identity_map[true_id_column]).to_numpy(),
                      index=as_ids(identity_map[raw_id_column]))
    truth = truth[~truth.index.duplicated()]
    raw = as_ids(mapping["raw_id"])
    known = raw.isin(truth.index).to_numpy(dtype=bool)
    true_people = truth[raw[known]].to_numpy()
    found_people = as_ids(mapping["customer_key"]).to_numpy()[known]
    # pair_confusion_matrix counts ordered pairs; ratios are the same for unordered ones.
    (_tn, fp), (fn, tp) = pair_confusion_matrix(true_people, found_people)
    precision = tp / (tp + fp) if tp + fp else np.nan
    recall = tp / (tp + fn) if tp + fn else np.nan
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else np.nan
    return pd.Series({
        "pair_precision": float(precision),
        "pair_recall": float(recall),
        "pair_f1": float(f1),
        "people_found": int(pd.Series(found_people).nunique()),
        "people_true": int(pd.Series(true_people).nunique()),
        "raw_ids_scored": int(known.sum()),
        "raw_ids_not_in_key": int((~known).sum()),
    }, dtype="object")


def apply_identity_map(transactions: pd.DataFrame, mapping: pd.DataFrame) -> pd.DataFrame:
    """Replace raw ids by the resolved customer key: the single customer view.

    Parameters
    ----------
    transactions : DataFrame
        With a ``customer_id`` column of raw ids (surrounding spaces are
        ignored, as in :func:`resolve_identities`).
    mapping : DataFrame
        Output of :func:`resolve_identities` covering every raw id.

    Returns
    -------
    DataFrame
        A copy with ``customer_id`` set to the customer key and the original
        kept in ``raw_customer_id`` (both text).

    Raises
    ------
    DataError
        If an id is missing or blank, is not in the mapping, or the mapping
        lists a raw id twice.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["B"], "amount": [10.0]})
    >>> mapping = pd.DataFrame({"raw_id": ["B"], "customer_key": ["A"], "rule": ["email"]})
    >>> apply_identity_map(tx, mapping)["customer_id"].tolist()
    ['A']
    """
    require_columns(transactions, ["customer_id"], "transactions")
    _check_mapping(mapping)
    require_unique(mapping, "raw_id", "mapping")
    key = pd.Series(as_ids(mapping["customer_key"]).to_numpy(),
                    index=as_ids(mapping["raw_id"]))
    raw = require_ids(transactions, "customer_id", "transactions")
    unmapped = ~raw.isin(key.index).to_numpy(dtype=bool)
    if unmapped.any():
        raise column_error("transactions", "customer_id", int(unmapped.sum()),
                           _("not in the mapping"), raw.to_numpy(dtype=object)[unmapped][0],
                           _("Resolve the identities of every record before applying them."))
    resolved = transactions.copy()
    resolved["raw_customer_id"] = raw
    resolved["customer_id"] = as_ids(raw.map(key))
    return resolved
