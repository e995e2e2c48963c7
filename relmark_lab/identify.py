"""Customer identification: who is who, where they stand, what they tell us.

The first step of relationship marketing is to know each customer as one
person. This module turns raw records into that *single customer view* and
describes each customer's relationship:

* :func:`resolve_identities` links raw ids that share a normalised e-mail,
  phone or name into one customer key (connected components, so chains of
  links merge); :func:`merge_report` and :func:`score_resolution` say how
  many ids were merged and how well, against a known answer key;
* :func:`customer_status` labels customers *active*, *inactive* or
  *potential* from purchase history and leads;
* :func:`lifecycle_stage` places each one in the five stages prospecting →
  acquisition → satisfaction → maintenance → loyalty, and
  :func:`stage_funnel` gives the conversion between stages;
* :func:`contacts_by_channel`, :func:`complaint_resolution` and
  :func:`complainer_retention` analyse the voice-of-the-customer log;
* :func:`customer_table` gathers all of it in one row per customer, the
  table the feedback loop keeps up to date.

Durations are in days throughout (the parameter names say so). Dates that
carry a time zone are read as the local clock time they show (the zone is
dropped), so a purchase at 23:30 in Mexico City stays on its day whatever
the offset.

Examples
--------
>>> import pandas as pd
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

import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.metrics.cluster import pair_confusion_matrix

from relmark_lab._validate import (
    as_of_day_end,
    quote_value,
    require_columns,
    require_dates,
    require_numbers,
)
from relmark_lab.errors import DataError

__all__ = [
    "IDENTITY_RULES",
    "MISSING_TYPE",
    "STAGES",
    "STATUSES",
    "VOC_CHANNELS",
    "apply_identity_map",
    "complainer_retention",
    "complaint_resolution",
    "contacts_by_channel",
    "customer_status",
    "customer_table",
    "lifecycle_stage",
    "merge_report",
    "normalize_email",
    "normalize_name",
    "normalize_phone",
    "resolve_identities",
    "score_resolution",
    "stage_funnel",
    "status_counts",
]

#: Linking rules, strongest evidence first.
IDENTITY_RULES: tuple[str, ...] = ("email", "phone", "name")
#: Customer statuses of the course notes.
STATUSES: tuple[str, ...] = ("active", "inactive", "potential")
#: The five stages of the relationship, in order.
STAGES: tuple[str, ...] = ("prospecting", "acquisition", "satisfaction", "maintenance", "loyalty")
#: Contact type under which contacts with no ``contact_type`` are counted.
MISSING_TYPE = "(missing)"
#: The seven voice-of-the-customer tools of the course notes.
VOC_CHANNELS: tuple[str, ...] = (
    "focus group",
    "complaint box",
    "suggestion coupon",
    "toll-free line",
    "e-mail",
    "personal attention",
    "letter",
)
_COUNTRY_CODE = "52"  # Mexico; a national number has 10 digits


# ---------------------------------------------------------------- validation


def _require_scores(
    frame: pd.DataFrame, column: str, what: str, *, low: float | None = None,
    high: float | None = None, allow_missing: bool = False,
) -> pd.Series:
    """A survey score column as Int64: whole numbers, within [low, high] when given."""
    values = require_numbers(frame, column, what, allow_missing=allow_missing)
    fractional = values.notna() & (values % 1 != 0)
    if fractional.any():
        raise DataError(
            f"{what}: column {column!r} has {int(fractional.sum())} values that are not whole "
            f"numbers, e.g. {quote_value(frame.loc[fractional, column].iloc[0])}."
        )
    low = -np.inf if low is None else low
    high = np.inf if high is None else high
    outside = values.notna() & ~values.between(low, high)
    if outside.any():
        raise DataError(
            f"{what}: column {column!r} has {int(outside.sum())} values outside "
            f"{low:g}–{high:g}, e.g. {quote_value(frame.loc[outside, column].iloc[0])}."
        )
    return values.astype("Int64")


def _require_positive_days(value: float, name: str) -> None:
    if not np.isfinite(value) or value < 0:
        raise DataError(f"Parameter {name!r} must be a number of days ≥ 0, got {value!r}.")


def _lines(transactions: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Every line (purchases and returns) up to ``as_of``, validated.

    Returns ``customer_id`` (string), ``date`` (no time zone), ``amount``
    (float) and ``order_key``, an integer per order: lines sharing an
    ``order_id`` share it, and a line without an ``order_id`` (missing or
    blank, or the column absent) is an order of its own.
    """
    require_columns(transactions, ["customer_id", "date", "amount"], "transactions")
    lines = pd.DataFrame({
        "customer_id": transactions["customer_id"].astype("string"),
        "date": require_dates(transactions, "date", "transactions"),
        "amount": require_numbers(transactions, "amount", "transactions"),
    })
    missing_id = lines["customer_id"].isna() | lines["customer_id"].str.strip().eq("")
    if missing_id.any():
        raise DataError(
            f"transactions: column 'customer_id' is empty on {int(missing_id.sum())} rows, "
            f"e.g. row {quote_value(lines.index[missing_id][0])}."
        )
    if "order_id" in transactions:
        order_ids = transactions["order_id"].astype("string").str.strip().replace("", pd.NA)
        keys, _ = pd.factorize(order_ids)  # -1 where the order id is missing
    else:
        keys = np.full(len(lines), -1)
    keys = np.asarray(keys, dtype="int64").copy()
    # A line without an order id counts as one order: it gets a key of its own.
    no_order = keys < 0
    keys[no_order] = keys.max(initial=-1) + 1 + np.arange(int(no_order.sum()))
    lines["order_key"] = keys
    return lines[lines["date"] <= as_of]


def _purchases(transactions: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Purchase lines (amount > 0) up to ``as_of``; see :func:`_lines`."""
    lines = _lines(transactions, as_of)
    return lines[lines["amount"] > 0]


# ------------------------------------------------------------- normalisation


def _normalize(values, clean) -> pd.Series | str | None:
    if isinstance(values, pd.Series):
        text = values.astype("string")
        return text.map(clean, na_action="ignore").astype("string")
    if values is None or (not isinstance(values, str) and pd.isna(values)):
        return None
    return clean(str(values))


def _clean_email(text: str):
    text = text.strip().lower()
    return text or pd.NA


def _clean_phone(text: str):
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 12 and digits.startswith(_COUNTRY_CODE):
        digits = digits[len(_COUNTRY_CODE):]
    return digits or pd.NA


def _clean_name(text: str):
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(folded.casefold().split()) or pd.NA


def normalize_email(values: pd.Series | str) -> pd.Series | str | None:
    """E-mail as a matching key: surrounding spaces removed, lower case.

    Parameters
    ----------
    values : Series or str
        Raw e-mail addresses.

    Returns
    -------
    Series of string dtype, or str
        Same shape as the input; an empty address becomes missing.

    Examples
    --------
    >>> normalize_email("  Ana.Lopez@GMAIL.com ")
    'ana.lopez@gmail.com'
    """
    result = _normalize(values, _clean_email)
    return None if result is pd.NA else result


def normalize_phone(values: pd.Series | str) -> pd.Series | str | None:
    """Phone number as a matching key: digits only, Mexico's +52 dropped.

    A 12-digit number starting with 52 loses the country code, so
    ``+52 55 1234 5678``, ``(55) 1234-5678`` and ``5512345678`` agree. Other
    lengths are kept as their digits, never guessed at.

    Parameters
    ----------
    values : Series or str
        Raw phone numbers.

    Returns
    -------
    Series of string dtype, or str

    Examples
    --------
    >>> normalize_phone("+52 (55) 1234-5678")
    '5512345678'
    """
    result = _normalize(values, _clean_phone)
    return None if result is pd.NA else result


def normalize_name(values: pd.Series | str) -> pd.Series | str | None:
    """Person name as a matching key: accents folded, lower case, single spaces.

    Parameters
    ----------
    values : Series or str
        Raw names.

    Returns
    -------
    Series of string dtype, or str

    Examples
    --------
    >>> normalize_name("  JOSÉ  Núñez Peña ")
    'jose nunez pena'
    """
    result = _normalize(values, _clean_name)
    return None if result is pd.NA else result


# ------------------------------------------------------ identity resolution


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
        The raw id.
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
        One row per raw id: ``raw_id``, ``customer_key`` (the person's id: a
        preferred id if the person has one, else the raw id with the most
        records; ties broken by sort order),
        ``rule`` (the strongest rule linking this id to another id of the
        same person, or ``"alone"``) and ``records``.

    Raises
    ------
    DataError
        If a column is missing, a rule is unknown, or ids are empty.

    Examples
    --------
    >>> records = pd.DataFrame({"customer_id": ["A", "B", "C"],
    ...                         "email": ["a@x.mx", "", "c@x.mx"],
    ...                         "phone": ["55 1234 5678", "+52 5512345678", ""]})
    >>> resolve_identities(records, name_column=None)["customer_key"].tolist()
    ['A', 'A', 'C']
    """
    unknown = [r for r in rules if r not in IDENTITY_RULES]
    if unknown:
        raise DataError(
            f"Unknown identity rule {unknown[0]!r}; use some of {', '.join(IDENTITY_RULES)}."
        )
    key_columns = {"email": email_column, "phone": phone_column, "name": name_column}
    active_rules = [r for r in IDENTITY_RULES if r in rules and key_columns[r] is not None]
    needed = [id_column] + [key_columns[r] for r in active_rules]
    if region_column is not None and "name" in active_rules:
        needed.append(region_column)
    require_columns(records, needed, "records")

    ids = records[id_column].astype("string").str.strip()
    empty = ids.isna() | ids.eq("")
    if empty.any():
        raise DataError(
            f"records: column {id_column!r} is empty on {int(empty.sum())} rows, e.g. row "
            f"{quote_value(records.index[empty][0])}. Drop or fill them before resolving."
        )
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
    rule_names = np.array([*IDENTITY_RULES, "alone"])

    mapping = pd.DataFrame({
        "raw_id": pd.array(raw_ids, dtype="string"),
        "component": component,
        "rule": rule_names[strongest.to_numpy(int)],
        "records": counts[raw_ids].to_numpy(),
    })
    # The person's key: a preferred id, then the id with the most records, then sort order.
    preferred = set() if preferred_ids is None else set(pd.Series(preferred_ids).astype(str))
    mapping["preferred"] = mapping["raw_id"].isin(preferred)
    representative = (
        mapping.sort_values(["component", "preferred", "records", "raw_id"],
                            ascending=[True, False, False, True])
        .drop_duplicates("component")
        .set_index("component")["raw_id"]
    )
    mapping["customer_key"] = mapping["component"].map(representative).astype("string")
    return mapping[["raw_id", "customer_key", "rule", "records"]]


def _rule_keys(records: pd.DataFrame, rule: str, column: str, region_column: str | None):
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
    require_columns(mapping, ["raw_id", "customer_key", "rule"], "mapping")
    unknown = ~mapping["rule"].isin([*IDENTITY_RULES, "alone"])
    if unknown.any():
        raise DataError(
            f"mapping: column 'rule' has {int(unknown.sum())} unknown values, e.g. "
            f"{quote_value(mapping.loc[unknown, 'rule'].iloc[0])}."
        )


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
    rank = {rule: i for i, rule in enumerate([*IDENTITY_RULES, "alone"])}
    person_rank = mapping["rule"].map(rank).groupby(mapping["customer_key"]).transform("min")
    person_rule = person_rank.map(dict(enumerate(rank)))
    order = [*IDENTITY_RULES, "alone"]
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
    truth = identity_map.drop_duplicates(raw_id_column).set_index(raw_id_column)[true_id_column]
    known = mapping["raw_id"].isin(truth.index)
    scored = mapping[known]
    true_people = truth[scored["raw_id"]].to_numpy()
    found_people = scored["customer_key"].to_numpy()
    # pair_confusion_matrix counts ordered pairs; ratios are the same for unordered ones.
    (tn, fp), (fn, tp) = pair_confusion_matrix(true_people, found_people)
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
        With a ``customer_id`` column of raw ids.
    mapping : DataFrame
        Output of :func:`resolve_identities` covering every raw id.

    Returns
    -------
    DataFrame
        A copy with ``customer_id`` set to the customer key and the original
        kept in ``raw_customer_id``.

    Raises
    ------
    DataError
        If some raw ids are not in the mapping.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["B"], "amount": [10.0]})
    >>> mapping = pd.DataFrame({"raw_id": ["B"], "customer_key": ["A"], "rule": ["email"]})
    >>> apply_identity_map(tx, mapping)["customer_id"].tolist()
    ['A']
    """
    require_columns(transactions, ["customer_id"], "transactions")
    _check_mapping(mapping)
    key = mapping.set_index("raw_id")["customer_key"]
    raw = transactions["customer_id"].astype("string")
    unmapped = ~raw.isin(key.index)
    if unmapped.any():
        raise DataError(
            f"transactions: column 'customer_id' has {int(unmapped.sum())} rows whose id is not "
            f"in the mapping, e.g. {quote_value(raw[unmapped].iloc[0])}."
        )
    resolved = transactions.copy()
    resolved["raw_customer_id"] = raw
    resolved["customer_id"] = raw.map(key).astype("string")
    return resolved


# ------------------------------------------------------------------- status


def customer_status(
    transactions: pd.DataFrame,
    *,
    as_of,
    active_within_days: float = 365,
    leads: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Active, inactive or potential, as of a date.

    *Active* customers bought within ``active_within_days`` days before
    ``as_of`` (a purchase exactly that many days ago still counts);
    *inactive* customers bought before but have lapsed beyond it — they buy
    elsewhere or not at all; *potential* customers are leads created by
    ``as_of`` who have never bought. Purchases are lines with amount > 0;
    returns do not make a customer active. Rows dated after ``as_of`` are
    ignored, so a customer whose first purchase is later is not counted.

    Parameters
    ----------
    transactions : DataFrame
        ``customer_id``, ``date``, ``amount``.
    as_of : date-like
        The day the status describes (the whole day counts).
    active_within_days : float, default 365
        Recency threshold in days.
    leads : DataFrame, optional
        ``lead_id`` (never empty) and, if present, ``created_date``.

    Returns
    -------
    DataFrame
        One row per customer then lead: ``customer_id``, ``last_purchase``,
        ``days_since_last_purchase`` (whole days), ``status``.

    Raises
    ------
    DataError
        If a column is missing, a date, amount or customer id is unusable,
        or a lead has no ``lead_id``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["A", "B"], "amount": [10.0, 5.0],
    ...                    "date": pd.to_datetime(["2025-12-01", "2024-01-01"])})
    >>> customer_status(tx, as_of="2025-12-31")["status"].tolist()
    ['active', 'inactive']
    """
    _require_positive_days(active_within_days, "active_within_days")
    as_of_end = as_of_day_end(as_of)
    purchases = _purchases(transactions, as_of_end)
    last = purchases.groupby("customer_id")["date"].max()
    days = (as_of_end.normalize() - last.dt.normalize()).dt.days
    bought = pd.DataFrame({
        "customer_id": last.index.astype("string"),
        "last_purchase": last.to_numpy(),
        "days_since_last_purchase": days.to_numpy().astype("int64"),
        "status": np.where(days.to_numpy() <= active_within_days, "active", "inactive"),
    })
    prospects = _potential(leads, as_of_end, set(bought["customer_id"]))
    status = pd.concat([bought, prospects], ignore_index=True) if len(prospects) else bought
    status["status"] = pd.Categorical(status["status"], categories=STATUSES)
    status["customer_id"] = status["customer_id"].astype("string")
    return status


def _potential(leads: pd.DataFrame | None, as_of_end: pd.Timestamp, buyers: set) -> pd.DataFrame:
    if leads is None:
        return pd.DataFrame(columns=["customer_id", "last_purchase",
                                     "days_since_last_purchase", "status"])
    require_columns(leads, ["lead_id"], "leads")
    lead_ids = leads["lead_id"].astype("string").str.strip()
    no_id = lead_ids.isna() | lead_ids.eq("")
    if no_id.any():
        raise DataError(
            f"leads: column 'lead_id' is empty on {int(no_id.sum())} rows, e.g. row "
            f"{quote_value(leads.index[no_id][0])}. A lead without an id cannot be told apart from "
            "the others; drop or fill those rows."
        )
    kept = leads
    if "created_date" in leads:
        kept = leads[require_dates(leads, "created_date", "leads") <= as_of_end]
    ids = kept["lead_id"].astype("string").str.strip()
    ids = ids[~ids.isin(buyers)].drop_duplicates()
    return pd.DataFrame({
        "customer_id": ids.to_numpy(),
        "last_purchase": pd.NaT,
        "days_since_last_purchase": pd.array([pd.NA] * len(ids), dtype="Int64"),
        "status": "potential",
    })


def status_counts(status: pd.DataFrame) -> pd.DataFrame:
    """Customers and share per status; every status appears, even with none.

    Parameters
    ----------
    status : DataFrame
        Output of :func:`customer_status` (a ``status`` column).

    Returns
    -------
    DataFrame
        Indexed by status (active, inactive, potential): ``customers``, ``share``.

    Examples
    --------
    >>> status_counts(pd.DataFrame({"status": ["active", "active"]}))["customers"].tolist()
    [2, 0, 0]
    """
    require_columns(status, ["status"], "status")
    unknown = ~status["status"].isin(STATUSES)
    if unknown.any():
        raise DataError(
            f"status: column 'status' has {int(unknown.sum())} unknown values, e.g. "
            f"{quote_value(status.loc[unknown, 'status'].iloc[0])}."
        )
    counts = status["status"].astype("string").value_counts().reindex(STATUSES, fill_value=0)
    total = counts.sum()
    table = pd.DataFrame({
        "customers": counts.astype("int64"),
        "share": counts / total if total else counts * np.nan,
    })
    table.index.name = "status"
    return table


# ----------------------------------------------------------------- lifecycle


def lifecycle_stage(
    transactions: pd.DataFrame,
    *,
    as_of,
    leads: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    active_within_days: float = 365,
    maintenance_min_orders: int = 3,
    loyalty_min_orders: int = 6,
    loyalty_min_tenure_days: float = 365,
    detractor_max_score: int = 6,
) -> pd.DataFrame:
    """Place each customer in one of the five stages of the relationship.

    The rules, checked from the top stage down (the first that holds wins):

    ========================  ==================================================
    stage                     rule (as of ``as_of``)
    ========================  ==================================================
    loyalty (fidelización)    active, at least ``loyalty_min_orders`` orders,
                              first purchase at least ``loyalty_min_tenure_days``
                              days ago, and not a detractor (``recommend`` ≤
                              ``detractor_max_score``) in the survey if surveyed
    maintenance               active and at least ``maintenance_min_orders``
    (mantenimiento)           orders (several repeat purchases)
    satisfaction              at least two orders (one repeat), but not meeting
    (satisfacción)            the maintenance rule — including lapsed repeat
                              buyers
    acquisition (captación)   exactly one purchase order
    prospecting (prospección) a lead who never bought
    ========================  ==================================================

    A satisfied survey answer alone never moves a one-order customer up:
    satisfaction is shown by coming back, so the survey counts only after the
    first repeat purchase, and then only to keep detractors out of loyalty.
    Orders are distinct ``order_id`` values with amount > 0; a purchase line
    with no ``order_id`` (missing or blank, or no such column) is an order of
    its own, so it is never lost from the count.

    Parameters
    ----------
    transactions : DataFrame
        ``customer_id``, ``date``, ``amount`` and optionally ``order_id``.
    as_of : date-like
        The day the stages describe.
    leads : DataFrame, optional
        Leads (``lead_id``), who become prospects.
    survey : DataFrame, optional
        ``customer_id``, ``recommend`` (whole number 0–10) and optionally
        ``survey_date``; the customer's latest answer by ``as_of`` counts
        (the later row of the file when two share a date; file order
        without ``survey_date``).
    active_within_days : float, default 365
        Recency threshold of :func:`customer_status`, in days.
    maintenance_min_orders, loyalty_min_orders : int, default 3 and 6
        Order thresholds.
    loyalty_min_tenure_days : float, default 365
        Minimum days since the first purchase for loyalty.
    detractor_max_score : int, default 6
        Highest ``recommend`` score that counts as a detractor (NPS convention).

    Returns
    -------
    DataFrame
        One row per customer then prospect: ``customer_id``, ``orders``,
        ``first_purchase``, ``tenure_days``, ``status``, ``detractor``
        (missing if not surveyed) and ``stage`` (ordered categorical).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["A", "B", "B"], "amount": [10.0, 5.0, 7.0],
    ...                    "order_id": ["1", "2", "3"],
    ...                    "date": pd.to_datetime(["2025-12-01", "2025-01-01", "2025-11-01"])})
    >>> lifecycle_stage(tx, as_of="2025-12-31")["stage"].tolist()
    ['acquisition', 'satisfaction']
    """
    if not maintenance_min_orders >= 2 or not loyalty_min_orders >= maintenance_min_orders:
        raise DataError(
            "Order thresholds must satisfy 2 ≤ maintenance_min_orders ≤ loyalty_min_orders, got "
            f"{maintenance_min_orders!r} and {loyalty_min_orders!r}."
        )
    _require_positive_days(loyalty_min_tenure_days, "loyalty_min_tenure_days")
    as_of_end = as_of_day_end(as_of)
    status = customer_status(
        transactions, as_of=as_of, active_within_days=active_within_days, leads=leads
    )
    purchases = _purchases(transactions, as_of_end)
    per_customer = purchases.groupby("customer_id").agg(
        orders=("order_key", "nunique"), first_purchase=("date", "min")
    )
    table = status[["customer_id", "status"]].merge(
        per_customer, left_on="customer_id", right_index=True, how="left"
    )
    table["orders"] = table["orders"].fillna(0).astype("int64")
    table["tenure_days"] = (
        (as_of_end.normalize() - table["first_purchase"].dt.normalize()).dt.days.astype("Int64")
    )
    table["detractor"] = _detractors(survey, table["customer_id"], as_of_end, detractor_max_score)

    active = table["status"].eq("active").to_numpy()
    orders = table["orders"].to_numpy()
    loyal = (
        active
        & (orders >= loyalty_min_orders)
        & (table["tenure_days"].fillna(-1).to_numpy() >= loyalty_min_tenure_days)
        & ~table["detractor"].fillna(False).to_numpy(bool)
    )
    stage = np.select(
        [loyal, active & (orders >= maintenance_min_orders), orders >= 2, orders == 1],
        ["loyalty", "maintenance", "satisfaction", "acquisition"],
        default="prospecting",
    )
    table["stage"] = pd.Categorical(stage, categories=STAGES, ordered=True)
    return table[["customer_id", "orders", "first_purchase", "tenure_days", "status",
                  "detractor", "stage"]]


def _detractors(
    survey: pd.DataFrame | None, ids: pd.Series, as_of_end: pd.Timestamp, max_score: int
) -> pd.Series:
    if survey is None:
        return pd.Series(pd.NA, index=ids.index, dtype="boolean")
    latest = _latest_answers(survey, as_of_end, ["recommend"])
    detractor = (latest["recommend"] <= max_score).astype("boolean")
    return pd.Series(ids.map(detractor).to_numpy(), index=ids.index, dtype="boolean")


def _latest_answers(survey: pd.DataFrame, as_of_end: pd.Timestamp, columns: Sequence[str]):
    """Each customer's latest survey answer by ``as_of``, as one whole row.

    ``recommend`` must be a whole number 0–10 on every row, ``satisfaction``
    a whole number where given. Answers are ordered by ``survey_date`` with a
    stable sort, so of two answers on one day the later row wins; without
    ``survey_date`` the file order decides. The row is taken whole: a blank
    in the latest answer stays blank rather than borrowing an older value.
    Returns ``columns`` as Int64, indexed by ``customer_id`` (string).
    """
    require_columns(survey, ["customer_id", *columns], "survey")
    answers = pd.DataFrame({"customer_id": survey["customer_id"].astype("string")},
                           index=survey.index)
    for column in columns:
        if column == "recommend":
            answers[column] = _require_scores(survey, column, "survey", low=0, high=10)
        else:
            answers[column] = _require_scores(survey, column, "survey", allow_missing=True)
    if "survey_date" in survey:
        answers["survey_date"] = require_dates(survey, "survey_date", "survey")
        answers = answers[answers["survey_date"] <= as_of_end]
        answers = answers.sort_values("survey_date", kind="stable")
    latest = answers.drop_duplicates("customer_id", keep="last").set_index("customer_id")
    return latest[list(columns)]


def stage_funnel(stages: pd.DataFrame) -> pd.DataFrame:
    """Customers per stage and the conversion from each stage to the next.

    A customer in a later stage has passed through the earlier ones, so
    ``reached`` counts everyone at or beyond a stage and ``conversion`` is
    ``reached`` divided by the previous stage's ``reached`` (missing for
    prospecting, and when the previous stage was reached by nobody).

    Parameters
    ----------
    stages : DataFrame
        Output of :func:`lifecycle_stage` (a ``stage`` column).

    Returns
    -------
    DataFrame
        Indexed by stage in order: ``customers``, ``reached``, ``conversion``.

    Examples
    --------
    >>> stages = pd.DataFrame({"stage": ["prospecting", "acquisition", "satisfaction"]})
    >>> stage_funnel(stages)["conversion"].round(2).tolist()
    [nan, 0.67, 0.5, 0.0, nan]
    """
    require_columns(stages, ["stage"], "stages")
    unknown = ~stages["stage"].isin(STAGES)
    if unknown.any():
        raise DataError(
            f"stages: column 'stage' has {int(unknown.sum())} unknown values, e.g. "
            f"{quote_value(stages.loc[unknown, 'stage'].iloc[0])}; use {', '.join(STAGES)}."
        )
    customers = stages["stage"].astype("string").value_counts().reindex(STAGES, fill_value=0)
    reached = customers[::-1].cumsum()[::-1]
    previous = reached.shift(1)
    conversion = (reached / previous.where(previous > 0)).astype("float64")
    funnel = pd.DataFrame({
        "customers": customers.astype("int64"),
        "reached": reached.astype("int64"),
        "conversion": conversion,
    })
    funnel.index.name = "stage"
    return funnel


# -------------------------------------------------------- voice of customer


def _check_contacts(contacts: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    require_columns(contacts, columns, "contacts")
    log = contacts.copy()
    if "channel" in columns:
        unknown = ~log["channel"].isin(VOC_CHANNELS)
        if unknown.any():
            raise DataError(
                f"contacts: column 'channel' has {int(unknown.sum())} values that are not one of "
                f"the seven tools, e.g. {quote_value(log.loc[unknown, 'channel'].iloc[0])}; "
                f"use {', '.join(VOC_CHANNELS)}."
            )
        log["channel"] = pd.Categorical(log["channel"], categories=VOC_CHANNELS)
    if "contact_type" in columns:
        # A contact with no type is kept and counted under MISSING_TYPE, never dropped.
        kind = log["contact_type"].astype("string").str.strip()
        log["contact_type"] = kind.mask(kind.isna() | kind.eq(""), MISSING_TYPE)
    if "resolved" in columns:
        missing = log["resolved"].isna()
        if missing.any():
            raise DataError(
                f"contacts: column 'resolved' is missing on {int(missing.sum())} rows, "
                f"e.g. contact {quote_value(log.index[missing][0])}."
            )
        resolved = log["resolved"]
        if not pd.api.types.is_bool_dtype(resolved):
            resolved = resolved.map(_as_bool)
        bad = resolved.isna()
        if bad.any():
            raise DataError(
                f"contacts: column 'resolved' has {int(bad.sum())} values that are not "
                f"True/False, e.g. {quote_value(log.loc[bad, 'resolved'].iloc[0])}; use "
                "True/False, 1/0 or the words 'true'/'false'."
            )
        log["resolved"] = resolved.astype(bool)
    if "days_to_resolve" in columns:
        days = pd.to_numeric(log["days_to_resolve"], errors="coerce")
        bad = (days < 0) | (days.isna() & log["days_to_resolve"].notna())
        if bad.any():
            raise DataError(
                f"contacts: column 'days_to_resolve' has {int(bad.sum())} values that are not "
                f"days ≥ 0, e.g. {quote_value(log.loc[bad, 'days_to_resolve'].iloc[0])}."
            )
        log["days_to_resolve"] = days.astype("float64")
    return log


def _as_bool(value):
    """True/False from a bool, 1/0 or the words 'true'/'false'; None if it is none of them."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.strip().lower())
    return None


def contacts_by_channel(contacts: pd.DataFrame) -> pd.DataFrame:
    """Contacts per voice-of-the-customer tool and contact type (tidy, zeros included).

    Parameters
    ----------
    contacts : DataFrame
        ``channel`` (one of :data:`VOC_CHANNELS`) and ``contact_type``.

    Returns
    -------
    DataFrame
        ``channel``, ``contact_type``, ``contacts``: every channel × type pair,
        channels in the order of the course notes, types alphabetically.
        Contacts with no ``contact_type`` are counted under the type
        ``"(missing)"`` (:data:`MISSING_TYPE`, listed last), so the counts
        add up to the number of contacts.

    Examples
    --------
    >>> log = pd.DataFrame({"channel": ["letter", "e-mail"], "contact_type": ["complaint"] * 2})
    >>> contacts_by_channel(log)["contacts"].sum()
    np.int64(2)
    """
    log = _check_contacts(contacts, ["channel", "contact_type"])
    found = set(log["contact_type"])
    types = sorted(found - {MISSING_TYPE}) + [MISSING_TYPE] * (MISSING_TYPE in found)
    grid = pd.MultiIndex.from_product([VOC_CHANNELS, types], names=["channel", "contact_type"])
    counts = (
        log.groupby(["channel", "contact_type"], observed=True).size()
        .reindex(grid, fill_value=0).rename("contacts").astype("int64")
    )
    return counts.reset_index()


def complaint_resolution(contacts: pd.DataFrame) -> pd.DataFrame:
    """Complaints per channel: volume, share resolved, days to resolve.

    Parameters
    ----------
    contacts : DataFrame
        ``channel``, ``contact_type``, ``resolved`` (True/False; 1/0 and
        the words 'true'/'false' are read too) and
        ``days_to_resolve`` (days, missing when unresolved).

    Returns
    -------
    DataFrame
        Indexed by channel (all seven): ``complaints``, ``resolved``,
        ``share_resolved``, ``median_days_to_resolve``,
        ``mean_days_to_resolve`` (over resolved complaints; missing where a
        channel has none).

    Examples
    --------
    >>> log = pd.DataFrame({"channel": ["letter", "letter"], "contact_type": ["complaint"] * 2,
    ...                     "resolved": [True, False], "days_to_resolve": [20, None]})
    >>> complaint_resolution(log).loc["letter", "share_resolved"]
    np.float64(0.5)
    """
    log = _check_contacts(contacts, ["channel", "contact_type", "resolved", "days_to_resolve"])
    complaints = log[log["contact_type"] == "complaint"]
    by_channel = complaints.groupby("channel", observed=False)
    resolved_days = complaints["days_to_resolve"].where(complaints["resolved"])
    table = pd.DataFrame({
        "complaints": by_channel.size(),
        "resolved": by_channel["resolved"].sum(),
        "median_days_to_resolve": resolved_days.groupby(complaints["channel"], observed=False)
        .median(),
        "mean_days_to_resolve": resolved_days.groupby(complaints["channel"], observed=False)
        .mean(),
    }).reindex(VOC_CHANNELS)
    table["complaints"] = table["complaints"].fillna(0).astype("int64")
    table["resolved"] = table["resolved"].fillna(0).astype("int64")
    table.insert(2, "share_resolved",
                 table["resolved"] / table["complaints"].where(table["complaints"] > 0))
    table.index = pd.Index(VOC_CHANNELS, name="channel")
    return table


def complainer_retention(
    contacts: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    as_of,
    active_within_days: float = 365,
) -> pd.DataFrame:
    """Do complainers whose complaint was solved stay? Retention by complaint outcome.

    Customers who bought by ``as_of`` fall in three groups: ``no complaint``,
    ``all resolved`` (every complaint solved) and ``some unresolved``. For
    each group: how many are active as of ``as_of`` (see
    :func:`customer_status`) and, for complainers, how many bought again
    after their first complaint.

    Parameters
    ----------
    contacts : DataFrame
        ``customer_id``, ``date``, ``contact_type``, ``resolved``.
    transactions : DataFrame
        ``customer_id``, ``date``, ``amount``.
    as_of : date-like
        Day of the comparison; contacts after it are ignored.
    active_within_days : float, default 365
        Recency threshold in days.

    Returns
    -------
    DataFrame
        Indexed by group: ``customers``, ``active``, ``share_active``,
        ``bought_after_complaint``, ``share_bought_after_complaint``.
        Complaints from ids with no purchase are counted in the ``attrs``
        entry ``complainers_without_purchases``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["A", "B"], "amount": [10.0, 5.0],
    ...                    "date": pd.to_datetime(["2025-12-01", "2024-01-01"])})
    >>> log = pd.DataFrame({"customer_id": ["B"], "date": pd.to_datetime(["2024-01-02"]),
    ...                     "contact_type": ["complaint"], "resolved": [False]})
    >>> complainer_retention(log, tx, as_of="2025-12-31")["customers"].tolist()
    [1, 0, 1]
    """
    log = _check_contacts(contacts, ["customer_id", "date", "contact_type", "resolved"])
    log["date"] = require_dates(log, "date", "contacts")
    as_of_end = as_of_day_end(as_of)
    status = customer_status(transactions, as_of=as_of, active_within_days=active_within_days)
    complaints = log[(log["contact_type"] == "complaint") & (log["date"] <= as_of_end)].copy()
    complaints["customer_id"] = complaints["customer_id"].astype("string")
    per_complainer = complaints.groupby("customer_id").agg(
        unresolved=("resolved", lambda s: int((~s).sum())), first_complaint=("date", "min")
    )
    table = status.merge(per_complainer, left_on="customer_id", right_index=True, how="left")
    table["group"] = np.select(
        [table["unresolved"].isna(), table["unresolved"].eq(0)],
        ["no complaint", "all resolved"], default="some unresolved",
    )
    # A purchase on a later day than the first complaint is a purchase after it.
    purchases = _purchases(transactions, as_of_end)
    with_complaint = purchases.merge(per_complainer, left_on="customer_id", right_index=True)
    later = with_complaint["date"].dt.normalize() > with_complaint["first_complaint"].dt.normalize()
    returned = set(with_complaint.loc[later, "customer_id"])
    table["bought_after"] = table["customer_id"].isin(returned).astype("int64")

    groups = ["no complaint", "all resolved", "some unresolved"]
    summary = table.groupby("group").agg(
        customers=("customer_id", "size"),
        active=("status", lambda s: int((s == "active").sum())),
        bought_after_complaint=("bought_after", "sum"),
    ).reindex(groups)
    # Customers without a complaint cannot buy "after" one.
    summary.loc["no complaint", "bought_after_complaint"] = np.nan
    summary["customers"] = summary["customers"].fillna(0).astype("int64")
    summary["active"] = summary["active"].fillna(0).astype("int64")
    denominator = summary["customers"].where(summary["customers"] > 0)
    summary.insert(2, "share_active", summary["active"] / denominator)
    summary["share_bought_after_complaint"] = summary["bought_after_complaint"] / denominator
    summary.index.name = "group"
    summary.attrs["complainers_without_purchases"] = int(
        (~per_complainer.index.isin(status["customer_id"])).sum()
    )
    return summary


# ----------------------------------------------------------- customer table


def customer_table(
    transactions: pd.DataFrame,
    *,
    as_of,
    customers: pd.DataFrame | None = None,
    leads: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    contacts: pd.DataFrame | None = None,
    active_within_days: float = 365,
    **stage_rules,
) -> pd.DataFrame:
    """One row per customer with what the firm knows as of a date: the feedback loop.

    Data management → program → feedback: after each round of contacts the
    customer table is rebuilt with the latest purchases, survey answers and
    complaint outcomes. Calling this function at two dates shows how the
    table moves.

    Parameters
    ----------
    transactions : DataFrame
        Resolved transactions (``customer_id``, ``date``, ``amount`` and
        optionally ``order_id``).
    as_of : date-like
        Day of the update; later rows of any table are ignored.
    customers : DataFrame, optional
        Customer master (``customer_id`` and attributes, e.g. ``region``)
        merged onto the rows; its customers who had not bought by ``as_of``
        are not rows of the table.
    leads, survey, contacts : DataFrame, optional
        As in :func:`lifecycle_stage` and :func:`complainer_retention`.
    active_within_days : float, default 365
        Recency threshold in days.
    **stage_rules
        Further thresholds of :func:`lifecycle_stage`.

    Returns
    -------
    DataFrame
        ``customer_id``, master attributes, ``status``, ``stage``, ``orders``,
        ``revenue`` (net of returns, MXN), ``first_purchase``,
        ``last_purchase``, ``days_since_last_purchase``, ``tenure_days``,
        ``satisfaction`` and ``recommend`` (the latest survey answer, taken
        as one row; see :func:`lifecycle_stage`),
        ``detractor``, ``complaints``, ``unresolved_complaints``, ``as_of``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["A"], "amount": [10.0], "order_id": ["1"],
    ...                    "date": pd.to_datetime(["2025-12-01"])})
    >>> customer_table(tx, as_of="2025-12-31")[["customer_id", "status", "stage"]]
      customer_id  status        stage
    0           A  active  acquisition
    """
    as_of_end = as_of_day_end(as_of)
    stages = lifecycle_stage(
        transactions, as_of=as_of, leads=leads, survey=survey,
        active_within_days=active_within_days, **stage_rules,
    )
    status = customer_status(
        transactions, as_of=as_of, active_within_days=active_within_days, leads=leads
    )
    table = stages.merge(
        status[["customer_id", "last_purchase", "days_since_last_purchase"]], on="customer_id"
    )
    # Net revenue counts returns made up to as_of, summed as numbers.
    lines = _lines(transactions, as_of_end)
    revenue = lines.groupby("customer_id")["amount"].sum()
    table["revenue"] = table["customer_id"].map(revenue).fillna(0.0).astype("float64")
    table = table.join(_latest_survey(survey, table["customer_id"], as_of_end))
    table = table.join(_complaint_counts(contacts, table["customer_id"], as_of_end))
    table["as_of"] = as_of_end.normalize()
    columns = ["customer_id", "status", "stage", "orders", "revenue", "first_purchase",
               "last_purchase", "days_since_last_purchase", "tenure_days", "satisfaction",
               "recommend", "detractor", "complaints", "unresolved_complaints", "as_of"]
    table = table[columns]
    if customers is not None:
        require_columns(customers, ["customer_id"], "customers")
        master = customers.drop_duplicates("customer_id").copy()
        master["customer_id"] = master["customer_id"].astype("string")
        attributes = [c for c in master.columns if c not in columns]
        table = table.merge(master[["customer_id", *attributes]], on="customer_id", how="left")
        table = table[["customer_id", *attributes, *columns[1:]]]
    return table


def _latest_survey(survey, ids: pd.Series, as_of_end: pd.Timestamp) -> pd.DataFrame:
    empty = pd.DataFrame({"satisfaction": pd.array([pd.NA] * len(ids), dtype="Int64"),
                          "recommend": pd.array([pd.NA] * len(ids), dtype="Int64")},
                         index=ids.index)
    if survey is None:
        return empty
    latest = _latest_answers(survey, as_of_end, ["satisfaction", "recommend"])
    found = latest.reindex(ids.to_numpy())
    found.index = ids.index
    return found.astype("Int64")


def _complaint_counts(contacts, ids: pd.Series, as_of_end: pd.Timestamp) -> pd.DataFrame:
    counts = pd.DataFrame({"complaints": 0, "unresolved_complaints": 0}, index=ids.index)
    if contacts is None:
        return counts
    log = _check_contacts(contacts, ["customer_id", "date", "contact_type", "resolved"])
    log["date"] = require_dates(log, "date", "contacts")
    complaints = log[(log["contact_type"] == "complaint") & (log["date"] <= as_of_end)]
    by_customer = complaints.groupby(complaints["customer_id"].astype("string")).agg(
        complaints=("resolved", "size"), unresolved_complaints=("resolved", lambda s: (~s).sum())
    )
    found = by_customer.reindex(ids.to_numpy()).fillna(0).astype("int64")
    found.index = ids.index
    return found
