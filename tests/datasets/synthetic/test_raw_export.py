"""The raw export: its file layout, its injected defects and the identity map, against the truth.

A minimal reference reader applies the ledger's drop rules in their order;
every injected row must be dropped for exactly its reason and the rows kept
must be exactly the clean transaction lines.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from relmark_lab.datasets import synthetic

END = pd.Timestamp(synthetic.OBSERVATION_END) + pd.Timedelta(days=1)  # the whole last day counts


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
