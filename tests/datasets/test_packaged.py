"""The real data sets that ship inside the lifetimes wheel."""

import builtins
import importlib.util
import sys

import pytest

from relmark_lab import DataError
from relmark_lab._ids import ID_DTYPE
from relmark_lab.datasets import load_cdnow, load_donations, packaged_data_file


def test_cdnow_sample_matches_the_published_counts():
    cdnow = load_cdnow("sample")
    assert list(cdnow.columns) == ["customer_id", "date", "quantity", "amount"]
    assert len(cdnow) == 6919
    assert cdnow["customer_id"].nunique() == 2357
    # Every customer's first purchase is in the first quarter of 1997.
    first = cdnow.groupby("customer_id")["date"].min()
    assert first.min().strftime("%Y-%m-%d") == "1997-01-01"
    assert first.max().strftime("%Y-%m-%d") <= "1997-03-31"
    assert cdnow["date"].max().strftime("%Y-%m-%d") == "1998-06-30"
    assert cdnow["customer_id"].iloc[0] == "00004"  # leading zeros kept
    assert cdnow["customer_id"].dtype == ID_DTYPE  # the kit's one id dtype, merges with any table


def test_cdnow_master_matches_the_published_counts():
    cdnow = load_cdnow("master")
    assert len(cdnow) == 69659
    assert cdnow["customer_id"].nunique() == 23570
    assert cdnow["amount"].dtype == "float64"
    assert cdnow["quantity"].dtype == "int64"


def test_sample_customers_are_a_subset_of_the_master_file():
    sample_ids = set(load_cdnow("sample")["customer_id"])
    master_ids = set(load_cdnow("master")["customer_id"])
    assert sample_ids <= master_ids


def test_unknown_cdnow_kind_is_a_data_error():
    with pytest.raises(DataError, match="'sample' or 'master'.*'full'"):
        load_cdnow("full")
    with pytest.raises(DataError, match=r"kind must be 'sample' or 'master', got \['sample'\]"):
        load_cdnow(["sample"])


def test_donations_patterns():
    donations = load_donations()
    assert list(donations.columns) == ["frequency", "recency", "n_periods", "weights"]
    assert len(donations) == 22
    assert donations["weights"].sum() == 11104
    assert (donations["n_periods"] == 6).all()
    assert (donations["recency"] >= donations["frequency"].clip(upper=1)).all()


def test_lifetimes_is_located_without_being_imported():
    sys.modules.pop("lifetimes", None)
    path = packaged_data_file("CDNOW_sample.txt")
    assert path.is_file()
    assert "lifetimes" not in sys.modules


def test_missing_lifetimes_is_a_clear_data_error(monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec",
        lambda name, *a: None if name == "lifetimes" else real_find_spec(name, *a),
    )
    message = r"'lifetimes' package, which is not installed.*pip install"
    with pytest.raises(DataError, match=message):
        load_cdnow()


def test_missing_file_inside_the_package_is_a_clear_data_error():
    with pytest.raises(DataError, match="has no data file 'nope.txt'"):
        packaged_data_file("nope.txt")


def test_relmark_lab_never_imports_lifetimes(monkeypatch):
    real_import = builtins.__import__

    def guarded(name, *args, **kwargs):
        if name.split(".")[0] == "lifetimes":
            raise AssertionError("relmark_lab imported lifetimes")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", guarded)
    assert len(load_cdnow()) == 6919
    assert len(load_donations()) == 22
