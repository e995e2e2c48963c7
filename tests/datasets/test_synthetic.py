"""Tests of the synthetic retailer: determinism, schema, ground truth, raw-export defects."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from relmark_lab.datasets import synthetic
from relmark_lab.errors import DataError

START = pd.Timestamp(synthetic.OBSERVATION_START)
END_DAY = pd.Timestamp(synthetic.OBSERVATION_END)
END = END_DAY + pd.Timedelta(days=1)  # the whole last day is inside the window

EXPECTED_SCHEMA = {
    "customers": {
        "customer_id": "str", "name": "str", "email": "str", "phone": "str",
        "signup_date": "datetime", "acquisition_channel": "str", "acquisition_cost": "float",
        "region": "str", "payment_terms": "str",
    },
    "transactions": {
        "order_id": "str", "customer_id": "str", "timestamp": "datetime", "category": "str",
        "quantity": "int", "amount": "float", "margin": "float", "days_late": "int",
    },
    "leads": {
        "lead_id": "str", "name": "str", "email": "str", "phone": "str",
        "created_date": "datetime", "source_channel": "str", "region": "str",
    },
    "survey": {
        "customer_id": "str", "survey_date": "datetime", "satisfaction": "int",
        "recommend": "int", "share_of_wallet": "float", "perceived_value": "int",
    },
    "voice_of_customer": {
        "contact_id": "str", "customer_id": "str", "date": "datetime", "channel": "str",
        "contact_type": "str", "resolved": "bool", "days_to_resolve": "int",
    },
    "loyalty_pilot": {
        "member_id": "str", "design": "str", "group": "str", "period": "str",
        "orders": "int", "revenue": "float",
    },
    "identity_map": {"raw_customer_id": "str", "customer_id": "str"},
}
KIND_CHECK = {
    "str": pd.api.types.is_string_dtype,
    "float": pd.api.types.is_float_dtype,
    "int": pd.api.types.is_integer_dtype,
    "bool": pd.api.types.is_bool_dtype,
    "datetime": pd.api.types.is_datetime64_any_dtype,
}


@pytest.fixture(scope="module")
def retailer() -> synthetic.SyntheticRetailer:
    """The default data set, as committed (about two seconds)."""
    return synthetic.simulate()


@pytest.fixture(scope="module")
def small_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    synthetic.write_datasets(folder, n_customers=300)
    return folder


# ---------------------------------------------------------------------------
# A minimal reference reader of the raw export: the ledger rules, in order
# ---------------------------------------------------------------------------

RAW_DATE_FORMATS = ("%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y")
MXN = re.compile(r"^(-?)\$(\d{1,3}(?:\.\d{3})*),(\d{2})$")


def parse_mxn(text: str) -> float | None:
    match = MXN.match(text.strip())
    if match is None:
        return None
    sign, whole, cents = match.groups()
    value = float(whole.replace(".", "") + "." + cents)
    return -value if sign else value


def parse_fecha(text: str) -> datetime | None:
    for fmt in RAW_DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    return None


def reference_ledger(rows: list[list[str]]) -> tuple[dict[str, int], list[list[str]]]:
    """Drop reasons in the documented order; the first matching reason wins."""
    header = list(synthetic.RAW_HEADER)
    col = {name.strip(): header.index(name) for name in header}
    seen: set[tuple[str, ...]] = set()
    dropped = dict.fromkeys(synthetic.LEDGER_REASONS, 0)
    kept = []
    for row in rows:
        key = tuple(row)
        customer, fecha, importe = (row[col[c]] for c in ("Cliente", "Fecha", "Importe"))
        moment = parse_fecha(fecha) if fecha.strip() else None
        amount = parse_mxn(importe) if importe.strip() else None
        if key in seen:
            reason = "exact duplicate"
        elif not customer.strip():
            reason = "missing customer_id"
        elif re.match("^TEST", customer.strip()):
            reason = "test customer"
        elif not fecha.strip():
            reason = "missing date"
        elif moment is None:
            reason = "unparseable date"
        elif moment >= END:
            reason = "after observation end"
        elif not importe.strip():
            reason = "missing amount"
        elif amount is None:
            reason = "non-numeric amount"
        elif amount == 0:
            reason = "zero amount"
        else:
            reason = None
        seen.add(key)
        if reason is None:
            kept.append(row)
        else:
            dropped[reason] += 1
    return dropped, kept


def read_raw_file(path: Path) -> tuple[list[str], list[list[str]]]:
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return rows[0], rows[1:]


# ---------------------------------------------------------------------------
# Determinism and files
# ---------------------------------------------------------------------------


def test_write_datasets_is_byte_identical(tmp_path: Path, small_folder: Path) -> None:
    again = synthetic.write_datasets(tmp_path / "again", n_customers=300)
    assert {p.name for p in again} == {p.name for p in small_folder.iterdir()}
    for path in again:
        assert path.read_bytes() == (small_folder / path.name).read_bytes(), path.name


def test_another_seed_gives_other_data() -> None:
    one = synthetic.simulate(seed=1, n_customers=300)
    two = synthetic.simulate(seed=2, n_customers=300)
    assert not one.transactions["amount"].equals(two.transactions["amount"])


def test_written_files_have_fixed_layout(small_folder: Path) -> None:
    expected = {f"{name}.csv" for name in synthetic.simulate(n_customers=300).tables()}
    assert {p.name for p in small_folder.iterdir()} == expected | {"truth.json"}
    for path in small_folder.glob("*.csv"):
        assert b"\r" not in path.read_bytes(), path.name
    raw = (small_folder / "transactions_raw.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    first_line = raw.decode("utf-8-sig").split("\n", 1)[0]
    assert first_line == (
        "Pedido;Cliente;Nombre;Correo; Teléfono ;Fecha;Categoría;Cantidad; Importe ;"
        "Margen;Días de atraso"
    )
    clean = (small_folder / "transactions.csv").read_text(encoding="utf-8")
    assert not clean.startswith("\ufeff")
    amounts = [line.split(",")[5] for line in clean.splitlines()[1:]]
    assert all(re.fullmatch(r"-?\d+\.\d{2}", a) for a in amounts)
    truth_text = (small_folder / "truth.json").read_text(encoding="utf-8")
    assert truth_text == json.dumps(json.loads(truth_text), sort_keys=True, indent=2,
                                    ensure_ascii=False) + "\n"


def test_customer_ids_keep_leading_zeros(small_folder: Path) -> None:
    customers = pd.read_csv(small_folder / "customers.csv")
    assert customers["customer_id"].iloc[0] == "C00001"
    assert customers["customer_id"].str.fullmatch(r"C\d{5}").all()
    transactions = pd.read_csv(small_folder / "transactions.csv")
    assert transactions["order_id"].str.fullmatch(r"O\d{7}").all()


def test_invalid_arguments_raise_data_error() -> None:
    with pytest.raises(DataError, match="n_customers"):
        synthetic.simulate(n_customers=10)
    with pytest.raises(DataError, match="seed"):
        synthetic.simulate(seed=-1)


# ---------------------------------------------------------------------------
# Schema and referential integrity
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED_SCHEMA))
def test_table_schema(retailer: synthetic.SyntheticRetailer, name: str) -> None:
    table = retailer.tables()[name]
    assert list(table.columns) == list(EXPECTED_SCHEMA[name])
    for column, kind in EXPECTED_SCHEMA[name].items():
        assert KIND_CHECK[kind](table[column]), (name, column, table[column].dtype)
    assert len(table) > 0


def test_table_sizes(retailer: synthetic.SyntheticRetailer) -> None:
    assert len(retailer.customers) == 5000
    assert 1800 <= len(retailer.leads) <= 2200
    assert len(retailer.survey) == 1500
    assert retailer.loyalty_pilot.groupby("design")["member_id"].nunique().to_dict() == {
        "randomized": 2000, "self_selected": 2000,
    }
    assert retailer.truth["counts"] == {k: len(v) for k, v in retailer.tables().items()}


def test_every_transaction_customer_exists(retailer: synthetic.SyntheticRetailer) -> None:
    customers = set(retailer.customers["customer_id"])
    for name in ("transactions", "survey", "voice_of_customer", "identity_map"):
        assert retailer.tables()[name]["customer_id"].isin(customers).all(), name
    assert retailer.customers["customer_id"].is_unique
    assert retailer.customers["email"].is_unique
    both = pd.concat([retailer.customers["email"], retailer.leads["email"]])
    assert both.is_unique
    assert not retailer.loyalty_pilot["member_id"].isin(customers).any()


def test_customer_fields(retailer: synthetic.SyntheticRetailer) -> None:
    customers = retailer.customers
    assert customers["phone"].str.fullmatch(r"\d{2} \d{4} \d{4}").all()
    assert customers["email"].str.fullmatch(r"[a-z0-9._]+@[a-z.]+").all()
    assert customers["name"].str.contains("[áéíóúñÁÉÍÓÚ]").mean() > 0.5
    assert set(customers["payment_terms"]) == {"contado", "30 días", "60 días"}
    assert set(customers["region"]) == {"Norte", "Centro", "Sur", "Occidente", "Metropolitana"}
    mean_cost = customers.groupby("acquisition_channel")["acquisition_cost"].mean()
    assert mean_cost["televisión"] > mean_cost["referido"]


def test_dates_within_window(retailer: synthetic.SyntheticRetailer) -> None:
    checks = {
        "transactions": "timestamp", "customers": "signup_date", "leads": "created_date",
        "survey": "survey_date", "voice_of_customer": "date",
    }
    for name, column in checks.items():
        values = retailer.tables()[name][column]
        assert values.min() >= START and values.max() < END, name
    returns = retailer.transactions[retailer.transactions["amount"] < 0]
    assert len(returns) > 0 and returns["timestamp"].max() < END
    hours = retailer.transactions["timestamp"].dt.hour
    assert hours.between(10, 20).all()


def test_signup_is_first_purchase_and_returns_come_later(
    retailer: synthetic.SyntheticRetailer,
) -> None:
    t = retailer.transactions
    signup = retailer.customers.set_index("customer_id")["signup_date"]
    first = t[t["amount"] > 0].groupby("customer_id")["timestamp"].min().dt.normalize()
    assert first.sort_index().equals(signup.sort_index().rename("timestamp"))
    returns = t[t["amount"] < 0]
    assert (returns["timestamp"].dt.normalize() > returns["customer_id"].map(signup)).all()
    assert (returns[["quantity", "margin"]] < 0).all().all()


def test_order_structure(retailer: synthetic.SyntheticRetailer) -> None:
    t = retailer.transactions
    purchases = t[t["amount"] > 0]
    lines = purchases.groupby("order_id").size()
    assert lines.between(1, 3).all() and set(lines) == {1, 2, 3}
    assert not purchases.duplicated(["order_id", "category"]).any()
    assert t[t["amount"] < 0].groupby("order_id").size().eq(1).all()
    assert not set(purchases["order_id"]) & set(t.loc[t["amount"] < 0, "order_id"])
    assert (purchases["margin"] > 0).all() and (purchases["quantity"] >= 1).all()
    assert 7 >= t["category"].nunique() >= 6
    margin_rate = purchases.groupby("category")["margin"].sum() / purchases.groupby(
        "category")["amount"].sum()
    for category, rate in synthetic.CATEGORY_MARGIN_RATES.items():
        assert margin_rate[category] == pytest.approx(rate, abs=0.01)


def test_cash_customers_are_never_late(retailer: synthetic.SyntheticRetailer) -> None:
    terms = retailer.customers.set_index("customer_id")["payment_terms"]
    t = retailer.transactions.assign(terms=lambda d: d["customer_id"].map(terms))
    assert t.loc[t["terms"] == "contado", "days_late"].eq(0).all()
    late_share = t.groupby("terms")["days_late"].apply(lambda d: (d > 0).mean())
    assert late_share["60 días"] > late_share["30 días"] > 0
    assert (t["days_late"] == 0).mean() > 0.8


# ---------------------------------------------------------------------------
# Ground truth of the processes
# ---------------------------------------------------------------------------


def test_dropout_probabilities_are_beta(retailer: synthetic.SyntheticRetailer) -> None:
    bg = retailer.truth["bgnbd"]
    p = retailer.customer_truth["dropout_probability"]
    assert p.mean() == pytest.approx(bg["a"] / (bg["a"] + bg["b"]), abs=0.005)
    assert stats.kstest(p, stats.beta(bg["a"], bg["b"]).cdf).pvalue > 0.5


def test_purchase_rates_are_gamma_and_independent(retailer: synthetic.SyntheticRetailer) -> None:
    bg = retailer.truth["bgnbd"]
    truth = retailer.customer_truth
    rate = truth["purchase_rate_weekly"]
    assert rate.mean() == pytest.approx(bg["r"] / bg["alpha"], rel=0.1)
    assert abs(np.corrcoef(rate, truth["satisfaction_latent"])[0, 1]) < 0.05
    assert abs(stats.spearmanr(rate, truth["dropout_probability"])[0]) < 0.05


def test_dissatisfied_customers_drop_out_more(retailer: synthetic.SyntheticRetailer) -> None:
    answers = retailer.survey.merge(retailer.customer_truth, on="customer_id")
    unhappy = answers.loc[answers["satisfaction"] <= 2, "dropout_probability"].mean()
    happy = answers.loc[answers["satisfaction"] >= 4, "dropout_probability"].mean()
    assert unhappy > 2 * happy
    truth = retailer.customer_truth
    with_unresolved = truth["unresolved_complaints"] > 0
    assert (truth.loc[with_unresolved, "dropout_probability"].mean()
            > truth.loc[~with_unresolved, "dropout_probability"].mean())
    dead = ~truth["alive_at_end"]
    assert truth.loc[dead, "dropout_probability"].mean() > truth["dropout_probability"].mean()


def test_order_values_follow_gamma_gamma(retailer: synthetic.SyntheticRetailer) -> None:
    gg = retailer.truth["gamma_gamma"]
    t = retailer.transactions
    orders = t[t["amount"] > 0].groupby("order_id")["amount"].sum()
    assert orders.mean() == pytest.approx(gg["p"] * gg["gamma"] / (gg["q"] - 1), rel=0.1)


def test_repeat_purchases_match_truth(retailer: synthetic.SyntheticRetailer) -> None:
    t = retailer.transactions
    orders = t[t["amount"] > 0].groupby("customer_id")["order_id"].nunique()
    truth = retailer.customer_truth.set_index("customer_id")["repeat_purchases"]
    assert (orders.sort_index() - 1).equals(truth.sort_index().rename("order_id"))


def test_survey_answers_track_satisfaction(retailer: synthetic.SyntheticRetailer) -> None:
    answers = retailer.survey.merge(retailer.customer_truth, on="customer_id")
    for column in ("satisfaction", "recommend", "share_of_wallet", "perceived_value"):
        assert answers[column].corr(answers["satisfaction_latent"]) > 0.3, column
    assert answers["satisfaction"].between(1, 5).all()
    assert answers["recommend"].between(0, 10).all()
    assert answers["share_of_wallet"].between(0, 1).all()
    signup = retailer.customers.set_index("customer_id")["signup_date"]
    assert (answers["survey_date"] >= answers["customer_id"].map(signup)).all()


def test_voice_of_customer(retailer: synthetic.SyntheticRetailer) -> None:
    voc = retailer.voice_of_customer
    assert set(voc["channel"]) == set(synthetic.VOC_CHANNELS)
    assert set(voc["contact_type"]) == {"complaint", "suggestion", "question", "praise"}
    assert voc["days_to_resolve"].isna().equals(~voc["resolved"])
    assert voc.loc[voc["contact_type"] != "complaint", "resolved"].all()
    sessions = voc[voc["channel"] == "focus group"].groupby("date")["customer_id"]
    assert sessions.size().between(10, 12).all() and sessions.nunique().equals(sessions.size())
    complaints = voc[voc["contact_type"] == "complaint"]
    by_channel = complaints.groupby("channel")["resolved"].mean()
    assert by_channel["personal attention"] > by_channel["complaint box"]
    unresolved = complaints[~complaints["resolved"]].groupby("customer_id").size()
    truth = retailer.customer_truth.set_index("customer_id")["unresolved_complaints"]
    assert unresolved.equals(truth[truth > 0].rename_axis("customer_id").rename(None))


# ---------------------------------------------------------------------------
# Loyalty pilot
# ---------------------------------------------------------------------------


def _pilot_estimates(panel: pd.DataFrame) -> tuple[float, float, float]:
    """Naive post-period difference, difference-in-differences, and its standard error."""
    wide = panel.pivot(index=["member_id", "group"], columns="period", values="orders")
    wide = wide.reset_index()
    change = wide["post"] - wide["pre"]
    treated = wide["group"] == "treatment"
    naive = wide.loc[treated, "post"].mean() - wide.loc[~treated, "post"].mean()
    did = change[treated].mean() - change[~treated].mean()
    se = np.sqrt(change[treated].var() / treated.sum() + change[~treated].var() / (~treated).sum())
    return naive, did, se


def test_randomized_pilot_did_recovers_effect(retailer: synthetic.SyntheticRetailer) -> None:
    truth = retailer.truth["loyalty_pilot"]
    panel = retailer.loyalty_pilot[retailer.loyalty_pilot["design"] == "randomized"]
    treated_share = (panel["group"] == "treatment").mean()
    assert 0.45 < treated_share < 0.55
    _, did, se = _pilot_estimates(panel)
    expected = truth["randomized"]["expected_extra_orders_per_treated_member"]
    assert abs(did - expected) < 3 * se
    assert se < 0.3 * expected  # precise enough that a wrong effect would be caught
    control_post = panel.query("group == 'control' and period == 'post'")["orders"].mean()
    assert did / control_post == pytest.approx(truth["true_effect_relative"], abs=0.04)


def test_self_selected_pilot_naive_comparison_overstates(
    retailer: synthetic.SyntheticRetailer,
) -> None:
    truth = retailer.truth["loyalty_pilot"]["self_selected"]
    panel = retailer.loyalty_pilot[retailer.loyalty_pilot["design"] == "self_selected"]
    naive, did, _ = _pilot_estimates(panel)
    expected = truth["expected_extra_orders_per_treated_member"]
    assert naive > 3 * expected
    assert abs(did - expected) < abs(naive - expected) / 3


def test_pilot_revenue_is_zero_without_orders(retailer: synthetic.SyntheticRetailer) -> None:
    panel = retailer.loyalty_pilot
    assert (panel.loc[panel["orders"] == 0, "revenue"] == 0).all()
    assert (panel.loc[panel["orders"] > 0, "revenue"] > 0).all()


# ---------------------------------------------------------------------------
# Raw export
# ---------------------------------------------------------------------------


def _check_raw_against_truth(
    rows: list[list[str]], retailer_transactions: pd.DataFrame, raw_truth: dict
) -> list[list[str]]:
    dropped, kept = reference_ledger(rows)
    ledger = raw_truth["expected_ledger"]
    assert ledger["rows_in"] == len(rows)
    assert dropped == ledger["dropped"] == raw_truth["defects"]
    assert ledger["rows_kept"] == len(kept) == len(retailer_transactions)
    assert set(ledger["dropped"]) == set(synthetic.LEDGER_REASONS)
    assert all(20 <= n <= 80 for n in raw_truth["defects"].values()) or len(rows) < 20_000
    importe = synthetic.RAW_HEADER.index(" Importe ")
    kept_amount = sum(parse_mxn(row[importe]) for row in kept)
    assert kept_amount == pytest.approx(retailer_transactions["amount"].sum(), abs=0.01)
    return kept


def test_raw_export_file_counts_match_truth(small_folder: Path) -> None:
    header, rows = read_raw_file(small_folder / "transactions_raw.csv")
    assert tuple(header) == synthetic.RAW_HEADER
    truth = json.loads((small_folder / "truth.json").read_text(encoding="utf-8"))
    transactions = pd.read_csv(small_folder / "transactions.csv")
    _check_raw_against_truth(rows, transactions, truth["raw_export"])


def test_raw_export_defects_match_truth(retailer: synthetic.SyntheticRetailer) -> None:
    raw = retailer.transactions_raw
    rows = raw.astype(str).to_numpy().tolist()
    raw_truth = retailer.truth["raw_export"]
    kept = _check_raw_against_truth(rows, retailer.transactions, raw_truth)
    # Missing contact data stays on kept rows; it is not a reason to drop.
    correo = synthetic.RAW_HEADER.index("Correo")
    assert sum(row[correo] == "" for row in kept) >= raw_truth["rows_missing_email"]
    formats = raw["Fecha"].str.match(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}$").mean()
    assert 0.7 < formats < 0.95
    assert raw[" Importe "].str.contains(r"^\$\d{1,3}(?:\.\d{3})+,\d{2}$").any()
    assert raw[" Importe "].str.startswith("-$").any()


def test_identity_map_resolves_every_real_raw_id(retailer: synthetic.SyntheticRetailer) -> None:
    raw = retailer.transactions_raw
    identity = retailer.identity_map
    assert identity["raw_customer_id"].is_unique
    ids = raw["Cliente"].str.strip()
    real = ids[(ids != "") & ~ids.str.startswith("TEST")]
    assert set(real) == set(identity["raw_customer_id"])
    variants = identity[identity["raw_customer_id"] != identity["customer_id"]]
    assert len(variants) == retailer.truth["raw_export"]["identity_variants"]["customers"]
    assert 100 <= len(variants) <= 200
    # Each variant row is a real line of the mapped customer (same order and category).
    mapping = variants.set_index("raw_customer_id")["customer_id"]
    variant_rows = raw[raw["Cliente"].isin(mapping.index)]
    assert len(variant_rows) == retailer.truth["raw_export"]["identity_variants"]["rows"]
    resolved = variant_rows.assign(customer_id=variant_rows["Cliente"].map(mapping))
    lines = retailer.transactions.set_index(["order_id", "category"])["customer_id"]
    keys = pd.MultiIndex.from_frame(resolved[["Pedido", "Categoría"]])
    assert (lines.reindex(keys).to_numpy() == resolved["customer_id"].to_numpy()).all()
    # ... and every such customer still has rows under the true id.
    assert mapping.isin(raw["Cliente"]).all()
