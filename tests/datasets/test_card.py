"""The data card write_datasets writes: its figures follow the data it describes."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from relmark_lab.datasets import write_datasets

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "datasets"
FILE_ROW = re.compile(
    r"^\| `(?P<file>[a-z_]+\.(?:csv|json))` \| (?P<rows>[\d,]+|–) \| (?P<size>[^|]+) \|", re.M
)


@pytest.fixture(scope="module")
def default_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("default")
    write_datasets(folder)
    return folder


@pytest.fixture(scope="module")
def small_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed3")
    write_datasets(folder, seed=3, n_customers=300)
    return folder


def _card(folder: Path) -> str:
    return (folder / "README.md").read_text(encoding="utf-8")


def _read(path: Path) -> pd.DataFrame:
    if path.name == "transactions_raw.csv":
        return pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _bytes(size: str) -> tuple[float, float]:
    """``"0.58 MB"`` -> (580000, 5000): the stated size and half a unit of its last digit."""
    number, unit = size.split()
    scale = {"KB": 1e3, "MB": 1e6}[unit]
    decimals = len(number.partition(".")[2])
    return float(number) * scale, 0.5 * 10**-decimals * scale


def _words(line: str) -> list[str]:
    """A line without its figures, size units and "the default" / "this" data wording."""
    return re.sub(r"[\d,.–]+|[KM]B|default|this|the", "", line).split()


def test_default_card_is_the_committed_readme(default_folder):
    assert (default_folder / "README.md").read_bytes() == (COMMITTED / "README.md").read_bytes()


def test_write_datasets_returns_the_card_last(tmp_path):
    paths = write_datasets(tmp_path, seed=5, n_customers=200)
    assert paths[-1] == tmp_path / "README.md"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


def test_another_seed_and_size_state_that_seed_and_size(small_folder):
    card = _card(small_folder)
    assert "with seed `3` and 300 customers." in card
    assert "relmark datasets --seed 3 --customers 300 " in card
    assert '`write_datasets("datasets", seed=3, n_customers=300)`' in card
    assert "the 300 values of `p`" in card
    assert "In this data," in card and "counts for this data;" in card
    assert "20261125" not in card and "5,000" not in card and "default data" not in card


@pytest.mark.parametrize("which", ["default", "small"])
def test_file_table_states_each_files_rows_and_size(which, default_folder, small_folder):
    folder = default_folder if which == "default" else small_folder
    stated = {m["file"]: m for m in FILE_ROW.finditer(_card(folder))}
    on_disk = sorted(p.name for p in folder.iterdir() if p.name != "README.md")
    assert sorted(stated) == on_disk
    for name, row in stated.items():
        path = folder / name
        if name.endswith(".csv"):
            assert int(row["rows"].replace(",", "")) == len(_read(path)), name
        size, tolerance = _bytes(row["size"])
        assert abs(size - path.stat().st_size) <= tolerance, (name, row["size"])


def test_figures_come_from_the_small_data(small_folder):
    card = _card(small_folder)
    truth = json.loads((small_folder / "truth.json").read_text(encoding="utf-8"))
    customers = _read(small_folder / "customers.csv")
    lines = _read(small_folder / "transactions.csv")
    contacts = _read(small_folder / "voice_of_customer.csv")
    people = _read(small_folder / "customer_truth.csv")
    purchases = lines[lines["amount"].astype(float) > 0]["order_id"].nunique()
    returns = (lines["amount"].astype(float) < 0).sum()
    assert f"There are {purchases:,} purchase orders with 1 to 3 lines each." in card
    assert f"There are also {returns:,} return lines." in card
    assert f"Complaints ({(contacts['contact_type'] == 'complaint').sum():,}) come" in card
    alive = (people["alive_at_end"] == "True").sum()
    assert f"In this data, {alive:,} of {len(customers):,} customers are alive" in card
    for reason, count in truth["raw_export"]["defects"].items():
        assert f"| {reason} | {count:,} |" in card
    ledger = truth["raw_export"]["expected_ledger"]
    assert f"rows_in {ledger['rows_in']:,}, rows_kept {ledger['rows_kept']:,}" in card
    assert ledger["rows_kept"] == len(lines)
    variants = truth["raw_export"]["identity_variants"]
    assert f"{variants['customers']} customers have some of their lines ({variants['rows']} rows)" \
        in card
    members = _read(small_folder / "pilot_members.csv")
    ids = members.groupby("design")["member_id"].agg(["min", "max"])
    for design, label in (("randomized", "randomized"), ("self_selected", "self-selected"),
                          ("rollout", "rollout")):
        assert f"`{ids.at[design, 'min']}`–`{ids.at[design, 'max']}` {label}" in card
    programs = truth["programs"]
    naive = programs["self_selected"]["expected_naive_difference"]["orders"]
    assert f"expects {naive:.3f} ({programs['self_selected']['naive_to_att']['orders']:.1f} " \
        "times the" in card
    recovery = _read(small_folder / "complaint_recovery.csv")
    retained = recovery.groupby("group")["retained"].apply(lambda r: (r == "1").mean())
    assert f"{retained['call_back']:.0%} of the\ncall-back group" in card
    assert f"Empty for the {members['satisfaction'].eq('').sum():,} members not surveyed" in card


def test_card_keeps_the_prose_and_only_the_figures_change(default_folder, small_folder):
    default, small = _card(default_folder).splitlines(), _card(small_folder).splitlines()
    assert len(default) == len(small)
    for a, b in zip(default, small, strict=True):
        if not a.startswith("relmark datasets"):  # the command gains --seed and --customers
            assert _words(a) == _words(b), (a, b)


def test_card_does_not_depend_on_the_folder(tmp_path, small_folder):
    write_datasets(tmp_path / "elsewhere", seed=3, n_customers=300)
    assert (tmp_path / "elsewhere" / "README.md").read_bytes() == \
        (small_folder / "README.md").read_bytes()
