"""The raw export: every clean line as the point-of-sale system writes it, plus defects.

The last part of step 6 of the story told in :mod:`relmark_lab.datasets.synthetic`.
Each clean transaction line becomes a row of text cells under Spanish
headers (:data:`RAW_HEADER`): one of three date formats per order, amounts
as Spanish-locale currency (``$1.234,50``). Then, with counts recorded in
the truth:

* about 3% of the customers have some lines re-exported under a second,
  legacy id with sloppier contact data (the identity map resolves them);
* some valid rows lose their e-mail or phone (a nuisance, not a reason to
  drop the row);
* corrupted copies of clean lines are injected, exactly one defect per row,
  one kind for each reason in :data:`LEDGER_REASONS`, so a reader that drops
  rows for those reasons in that order keeps exactly the clean lines.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from relmark_lab.data import DROP_REASONS
from relmark_lab.datasets.synthetic._common import OBSERVATION_END, _fold_accents

__all__ = ["LEDGER_REASONS", "RAW_HEADER"]

#: Reasons the reader drops a raw-export row, in its order. A text export cannot
#: hold the numeric infinities behind "non-finite amount", and this shop's export has
#: no postage or fee lines ("non-product line"), so those two are not injected.
LEDGER_REASONS = tuple(reason for reason in DROP_REASONS
                       if reason not in ("non-finite amount", "non-product line"))
#: Header of the raw export, stray spaces included, as the point-of-sale system writes it.
RAW_HEADER = (
    "Pedido", "Cliente", "Nombre", "Correo", " Teléfono ", "Fecha",
    "Categoría", "Cantidad", " Importe ", "Margen", "Días de atraso",
)
_UNPARSEABLE_DATES = ("31/02/2025", "30/02/2024 14:05", "sin fecha", "32/01/2025", "00/00/0000")
_NON_NUMERIC_AMOUNTS = ("N/D", "error", "#¡VALOR!", "pendiente", "sin dato")

_RAW_DATE_FORMATS = {
    "dd/mm/yyyy HH:MM": ("%d/%m/%Y %H:%M", 0.85),
    "yyyy-mm-dd HH:MM:SS": ("%Y-%m-%d %H:%M:%S", 0.10),
    "dd/mm/yyyy": ("%d/%m/%Y", 0.05),
}



def _format_mxn(values: np.ndarray) -> list[str]:
    """Spanish-locale Excel currency text: ``1234.5 -> "$1.234,50"``, ``-45 -> "-$45,00"``."""
    swap = str.maketrans(",.", ".,")
    return [
        ("-$" if v < 0 else "$") + f"{abs(v):,.2f}".translate(swap) for v in np.asarray(values)
    ]



def _render_raw_rows(
    rng: np.random.Generator, transactions: pd.DataFrame, customers: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Clean lines as the point-of-sale export writes them (one date format per order)."""
    by_id = customers.set_index("customer_id")
    order_codes, order_index = np.unique(transactions["order_id"].to_numpy(), return_inverse=True)
    shares = np.array([v[1] for v in _RAW_DATE_FORMATS.values()])
    format_of_line = rng.choice(len(shares), len(order_codes), p=shares)[order_index]
    fecha = np.empty(len(transactions), dtype=object)
    for code, (strftime, _) in enumerate(_RAW_DATE_FORMATS.values()):
        rows = format_of_line == code
        fecha[rows] = transactions["timestamp"][rows].dt.strftime(strftime).to_numpy()
    cid = transactions["customer_id"]
    raw = pd.DataFrame(
        {
            "Pedido": transactions["order_id"].to_numpy(),
            "Cliente": cid.to_numpy(),
            "Nombre": cid.map(by_id["name"]).to_numpy(),
            "Correo": cid.map(by_id["email"]).to_numpy(),
            " Teléfono ": cid.map(by_id["phone"]).to_numpy(),
            "Fecha": fecha,
            "Categoría": transactions["category"].to_numpy(),
            "Cantidad": transactions["quantity"].astype(str).to_numpy(),
            " Importe ": _format_mxn(transactions["amount"].to_numpy()),
            "Margen": _format_mxn(transactions["margin"].to_numpy()),
            "Días de atraso": transactions["days_late"].astype(str).to_numpy(),
        },
        dtype=object,
    )
    counts = {
        label: int((format_of_line == code).sum())
        for code, label in enumerate(_RAW_DATE_FORMATS)
    }
    return raw, counts


def _identity_variants(
    rng: np.random.Generator, raw: pd.DataFrame, n_customers: int
) -> tuple[np.ndarray, dict[str, str]]:
    """Re-export some lines of ~3% of customers under a second, legacy id.

    Those rows carry the same person with a different id and sloppier
    contact data: upper case or accent-free name, upper case or padded
    e-mail, phone with country code, without spaces or with parentheses.
    Every chosen customer keeps at least one line under the true id.

    Returns
    -------
    is_variant : numpy.ndarray
        Boolean mask of the raw rows that now carry a variant id.
    raw_to_true : dict
        Variant raw id -> true customer id.
    """
    lines_per_customer = raw["Cliente"].value_counts()
    eligible = np.sort(lines_per_customer.index[lines_per_customer >= 2].to_numpy())
    chosen = rng.choice(eligible, min(len(eligible), max(3, round(0.03 * n_customers))),
                        replace=False)
    numbers = rng.choice(10**5, len(chosen), replace=False)
    is_variant = np.zeros(len(raw), dtype=bool)
    raw_to_true = {}
    for true_id, number in zip(np.sort(chosen), numbers, strict=True):
        raw_id = f"C9{number:05d}" if number % 2 else f"LEG-{number:05d}"
        raw_to_true[raw_id] = true_id
        rows = np.flatnonzero(raw["Cliente"].to_numpy() == true_id)
        moved = rng.random(len(rows)) < 0.5
        moved[rng.integers(len(rows))] = True  # at least one line under the variant id
        moved[rng.integers(len(rows))] = False  # ... and at least one under the true id
        if not moved.any():
            moved[0 if rows.size == 1 else 1] = True
        target = rows[moved]
        is_variant[target] = True
        first = target[0]
        name, email, phone = (raw.at[first, c] for c in ("Nombre", "Correo", " Teléfono "))
        digits = phone.replace(" ", "")
        raw.loc[target, "Cliente"] = raw_id
        raw.loc[target, "Nombre"] = (name.upper(), _fold_accents(name))[rng.integers(2)]
        raw.loc[target, "Correo"] = (email.upper(), f"  {email} ", f" {email.upper()}")[
            rng.integers(3)
        ]
        raw.loc[target, " Teléfono "] = (
            f"+52 {phone}", digits, f"({digits[:2]}) {digits[2:6]}-{digits[6:]}"
        )[rng.integers(3)]
    return is_variant, raw_to_true


def _inject_defects(
    rng: np.random.Generator, raw: pd.DataFrame, candidates: np.ndarray, scale: float
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Corrupted copies of clean lines, exactly one defect per injected row.

    Each kind gets its own template lines (never shared), so no two injected
    rows coincide and every injected row is dropped for exactly its reason
    when a reader checks :data:`LEDGER_REASONS` in order.
    """
    counts = {reason: max(2, round(int(rng.integers(20, 81)) * scale)) for reason in LEDGER_REASONS}
    templates = rng.choice(candidates, sum(counts.values()), replace=False)
    pieces, start = [], 0
    for reason, count in counts.items():
        rows = raw.loc[templates[start:start + count]].copy()
        start += count
        if reason == "missing customer_id":
            rows["Cliente"] = ""
        elif reason == "test customer":
            tester = np.arange(count) % 5 + 1
            rows["Pedido"] = [f"O9{k:06d}" for k in range(1, count + 1)]
            rows["Cliente"] = [f"TEST-{k:03d}" for k in tester]
            rows["Nombre"] = "Prueba Sistema"
            rows["Correo"] = [f"prueba{k}@tiendarelmark.mx" for k in tester]
            rows[" Teléfono "] = "55 0000 0000"
        elif reason == "missing date":
            rows["Fecha"] = ""
        elif reason == "unparseable date":
            rows["Fecha"] = rng.choice(_UNPARSEABLE_DATES, count)
        elif reason == "after observation end":
            rows["Fecha"] = [_year_2031(text) for text in rows["Fecha"]]
        elif reason == "missing amount":
            rows[" Importe "] = ""
        elif reason == "non-numeric amount":
            rows[" Importe "] = rng.choice(_NON_NUMERIC_AMOUNTS, count)
        elif reason == "zero amount":
            rows[" Importe "] = "$0,00"
            rows["Margen"] = "$0,00"
        pieces.append(rows)  # "exact duplicate": the clean line verbatim
    return pd.concat(pieces, ignore_index=True), counts


def _year_2031(fecha: str) -> str:
    """Same day and time in 2031, as the export's main format (29 Feb becomes 28 Feb)."""
    for strftime, _ in _RAW_DATE_FORMATS.values():
        try:
            moment = pd.to_datetime(fecha, format=strftime)
            break
        except ValueError:
            continue
    day = min(moment.day, 28) if moment.month == 2 else moment.day
    return moment.replace(year=2031, day=day).strftime("%d/%m/%Y %H:%M")


def _build_raw_export(
    rng: np.random.Generator, transactions: pd.DataFrame, customers: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """The raw export, the identity map and the export's truth (defects and ledger)."""
    raw, date_formats = _render_raw_rows(rng, transactions, customers)
    is_variant, raw_to_true = _identity_variants(rng, raw, len(customers))

    # Missing contact data on otherwise valid rows: a nuisance, not a reason to drop.
    plain = np.flatnonzero(~is_variant)
    no_email = rng.choice(plain, round(0.015 * len(raw)), replace=False)
    no_phone = rng.choice(plain, round(0.02 * len(raw)), replace=False)
    raw.loc[no_email, "Correo"] = ""
    raw.loc[no_phone, " Teléfono "] = ""

    candidates = np.flatnonzero(~is_variant & (transactions["amount"].to_numpy() > 0))
    injected, defects = _inject_defects(rng, raw, candidates, len(customers) / 5000)
    # Injected rows land at random places among the clean lines, which keep their order.
    position = np.concatenate([np.arange(len(raw)), rng.random(len(injected)) * len(raw)])
    export = pd.concat([raw, injected], ignore_index=True)
    export = export.iloc[np.argsort(position, kind="stable")].reset_index(drop=True)
    if int(export.duplicated().sum()) != defects["exact duplicate"]:
        raise RuntimeError("the raw export has duplicates beyond the injected ones")

    true_ids = customers["customer_id"]
    seen = export["Cliente"]
    identity = pd.concat(
        [
            pd.DataFrame({"raw_customer_id": true_ids[true_ids.isin(seen)].to_numpy(),
                          "customer_id": true_ids[true_ids.isin(seen)].to_numpy()}),
            pd.DataFrame({"raw_customer_id": list(raw_to_true),
                          "customer_id": list(raw_to_true.values())}),
        ]
    ).sort_values("raw_customer_id", ignore_index=True)

    truth = {
        "defects": defects,
        "identity_variants": {"customers": len(raw_to_true), "rows": int(is_variant.sum())},
        "rows_missing_email": len(no_email),
        "rows_missing_phone": len(no_phone),
        "date_formats_of_clean_rows": date_formats,
        "encoding": "utf-8-sig",
        "delimiter": ";",
        "decimal": ",",
        "thousands": ".",
        "expected_ledger": {
            "rows_in": len(export),
            "rows_kept": len(transactions),
            "dropped": {reason: defects[reason] for reason in LEDGER_REASONS},
            "observation_end": OBSERVATION_END,
            "test_customer_pattern": "^TEST",
        },
    }
    return export, identity, truth

