"""The committed data sets: regeneration, loaders, and the raw export's ledger."""

from pathlib import Path

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab._validate import ID_DTYPE
from relmark_lab.datasets import write_datasets

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "datasets"


def test_regeneration_is_byte_identical_to_the_committed_files(tmp_path):
    written = write_datasets(tmp_path)
    assert written
    for path in written:
        committed = COMMITTED / path.name
        assert committed.is_file(), f"{path.name} is generated but not committed"
        assert path.read_bytes() == committed.read_bytes(), f"{path.name} differs"


def test_committed_data_stays_under_15_mb():
    size = sum(p.stat().st_size for p in COMMITTED.glob("*") if p.name != "README.md")
    assert size < 15e6


def test_raw_export_ledger_accounts_for_every_row():
    transactions, ledger = rl.datasets.load_raw_export()
    expected = rl.datasets.load_truth()["raw_export"]["expected_ledger"]
    ledger.check()
    assert ledger.rows_in == expected["rows_in"]
    assert ledger.rows_kept == expected["rows_kept"] == len(transactions)
    assert ledger.dropped == expected["dropped"]
    assert len(ledger.rejected) == sum(ledger.dropped.values())


def test_raw_export_keeps_the_clean_money():
    """The rows kept carry exactly the clean lines' amounts and margins, to the cent."""
    raw, _ = rl.datasets.load_raw_export()
    clean = rl.datasets.load_transactions()
    assert raw["amount"].sum() == pytest.approx(clean["amount"].sum(), abs=0.005)
    assert raw["margin"].sum() == pytest.approx(clean["margin"].sum(), abs=0.005)
    assert (raw["amount"] < 0).sum() == (clean["amount"] < 0).sum()  # returns kept
    by_order = raw.groupby("order_id")["amount"].sum().round(2)
    assert by_order.equals(clean.groupby("order_id")["amount"].sum().round(2))


def test_loaders_give_typed_tables():
    customers = rl.datasets.load_customers()
    assert customers["customer_id"].dtype == ID_DTYPE
    assert customers["region"].dtype == "str"  # other text: pandas' text dtype too
    assert pd.api.types.is_datetime64_any_dtype(customers["signup_date"])
    assert customers["acquisition_cost"].dtype == "float64"
    transactions = rl.datasets.load_transactions()
    assert list(transactions.columns[:3]) == ["customer_id", "date", "amount"]
    assert set(transactions["customer_id"]) <= set(customers["customer_id"])
    contacts = rl.datasets.load_voice_of_customer()
    assert contacts["resolved"].dtype == "boolean"
    assert contacts["channel"].nunique() == 7
    survey = rl.datasets.load_survey()
    assert survey["satisfaction"].between(1, 5).all()
    assert survey["recommend"].between(0, 10).all()
    assert rl.datasets.load_truth()["time_unit"] == "W"
    identity = rl.datasets.load_identity_map()
    assert identity["customer_id"].isin(customers["customer_id"]).all()
    assert len(rl.datasets.load_customer_truth()) == len(customers)


TABLE_LOADERS = {
    "customers": rl.datasets.load_customers,
    "transactions": rl.datasets.load_transactions,
    "raw export": lambda: rl.datasets.load_raw_export()[0],
    "leads": rl.datasets.load_leads,
    "survey": rl.datasets.load_survey,
    "voice of the customer": rl.datasets.load_voice_of_customer,
    "loyalty pilot": rl.datasets.load_loyalty_pilot,
    "pilot members": rl.datasets.load_pilot_members,
    "complaint recovery": rl.datasets.load_complaint_recovery,
    "follow-up": rl.datasets.load_follow_up,
    "stores": rl.datasets.load_stores,
    "customer truth": rl.datasets.load_customer_truth,
    "identity map": rl.datasets.load_identity_map,
}


@pytest.mark.parametrize("name", sorted(TABLE_LOADERS))
def test_every_id_column_has_the_kit_id_dtype(name):
    table = TABLE_LOADERS[name]()
    ids = [c for c in table.columns if c.endswith("_id")]
    assert ids, f"{name} has no id column"
    for column in ids:
        assert table[column].dtype == ID_DTYPE, (name, column, table[column].dtype)
        assert table[column].notna().all(), (name, column)


def test_loaded_ids_merge_with_read_transactions_output():
    """A loaded table and a table built from read_transactions merge on customer_id."""
    lines, _ = rl.read_transactions(rl.datasets.data_dir() / "transactions.csv",
                                    columns={"date": "timestamp"})
    spend = lines.groupby("customer_id", as_index=False)["amount"].sum()
    for loader in (rl.datasets.load_customers, rl.datasets.load_survey,
                   rl.datasets.load_customer_truth, rl.datasets.load_identity_map):
        table = loader()
        merged = table.merge(spend, on="customer_id", how="left", validate="many_to_one")
        assert merged["customer_id"].dtype == ID_DTYPE, loader.__name__
        assert merged["amount"].notna().all(), loader.__name__


def test_blank_ids_are_missing_not_empty_text(tmp_path):
    write_datasets(tmp_path, seed=3, n_customers=300)
    path = tmp_path / "survey.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    text[1] = "," + text[1].split(",", 1)[1]  # the first answer loses its customer_id
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    survey = rl.datasets.load_survey(tmp_path)
    assert survey["customer_id"].dtype == ID_DTYPE
    assert survey["customer_id"].isna().sum() == 1


def test_program_tables_load_typed_and_join():
    members = rl.datasets.load_pilot_members()
    panel = rl.datasets.load_loyalty_pilot()
    assert members["satisfaction"].dtype == "Int64" and members["satisfaction"].isna().any()
    assert members["enrolled"].dtype == "Int64" and members["prior_spend"].dtype == "float64"
    assert members["program_start"].dtype == "str" and members["program_start"].isna().any()
    assert panel["month"].dtype == "str" and panel["active"].dtype == "Int64"
    assert panel["member_id"].isin(members["member_id"]).all()
    assert panel["revenue"].dtype == "float64" and panel["rewards"].dtype == "float64"
    programs = rl.datasets.load_truth()["programs"]
    assert programs["launch_month"] == "2024-07" and programs["time_unit"] == "M"
    stores = rl.datasets.load_stores()
    assert stores["customers"].dtype == "Int64" and len(stores) == 40
    assert rl.datasets.load_follow_up()["repeat_90d"].isin([0, 1]).all()
    assert rl.datasets.load_complaint_recovery()["retained"].isin([0, 1]).all()


def test_an_old_two_period_pilot_file_is_a_clear_data_error(tmp_path):
    (tmp_path / "loyalty_pilot.csv").write_text(
        "member_id,design,group,period,orders,revenue\n"
        "M00001,randomized,treatment,pre,3,1200.50\n", encoding="utf-8")
    with pytest.raises(rl.DataError, match=r"old two-period pilot .*1 row\).*relmark datasets"):
        rl.datasets.load_loyalty_pilot(tmp_path)


def test_missing_data_folder_is_a_clear_data_error(tmp_path):
    with pytest.raises(rl.DataError, match=r"'customers.csv' is not in .*relmark datasets"):
        rl.datasets.load_customers(tmp_path)


def test_relmark_data_points_at_another_copy(tmp_path, monkeypatch):
    write_datasets(tmp_path, seed=7, n_customers=300)
    monkeypatch.setenv("RELMARK_DATA", str(tmp_path))
    assert len(rl.datasets.load_customers()) == 300
    assert rl.datasets.load_truth()["seed"] == 7
