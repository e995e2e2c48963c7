"""Writing the retailer's files: byte-identical runs and the fixed file layout."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from relmark_lab.datasets import synthetic


def test_write_datasets_is_byte_identical(tmp_path: Path, small_folder: Path) -> None:
    again = synthetic.write_datasets(tmp_path / "again", n_customers=300)
    assert {p.name for p in again} == {p.name for p in small_folder.iterdir()}
    for path in again:
        assert path.read_bytes() == (small_folder / path.name).read_bytes(), path.name


def test_written_files_have_fixed_layout(small_folder: Path) -> None:
    expected = {f"{name}.csv" for name in synthetic.simulate(n_customers=300).tables()}
    assert {p.name for p in small_folder.iterdir()} == expected | {"truth.json", "README.md"}
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


def test_a_readme_that_is_not_a_data_card_is_never_overwritten(tmp_path):
    from relmark_lab import DataError

    (tmp_path / "README.md").write_text("# My project\n", encoding="utf-8")
    with pytest.raises(DataError, match="exists and is not a data card"):
        synthetic.write_datasets(tmp_path, n_customers=300)
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# My project\n"
