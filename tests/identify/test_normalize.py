"""Matching keys: e-mails, phones and names written one way."""

import pandas as pd
import pytest

from relmark_lab import identify


@pytest.mark.parametrize(("raw", "key"), [
    ("  Ana.Lopez@GMAIL.com ", "ana.lopez@gmail.com"),
    ("ana@x.mx", "ana@x.mx"),
    ("   ", None),
])
def test_normalize_email(raw, key):
    assert identify.normalize_email(raw) == key


@pytest.mark.parametrize("raw", ["+52 55 1234 5678", "(55) 1234-5678", "5512345678",
                                 "55 1234 5678", "525512345678"])
def test_normalize_phone_agrees_on_the_written_variants(raw):
    assert identify.normalize_phone(raw) == "5512345678"


def test_normalize_phone_keeps_other_lengths_and_empty_is_missing():
    assert identify.normalize_phone("1234 5678") == "12345678"
    assert identify.normalize_phone("") is None
    assert identify.normalize_phone(None) is None


def test_normalize_name_folds_accents_case_and_spaces():
    assert identify.normalize_name("  MARÍA  José Núñez   Peña") == "maria jose nunez pena"


def test_normalizers_work_on_series_and_keep_missing():
    values = pd.Series([" A@B.MX", None, ""])
    result = identify.normalize_email(values)
    assert result.iloc[0] == "a@b.mx"
    assert result.iloc[1:].isna().all()
    assert list(result.index) == [0, 1, 2]
    assert result.dtype == "str"
