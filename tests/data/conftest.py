"""Fixtures shared by the tests of relmark_lab.data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from relmark_lab.data import read_transactions
from relmark_lab.errors import DataError


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """Write text to a file under tmp_path in a given encoding, and return its path."""

    def write(name: str, text: str, encoding: str = "utf-8") -> Path:
        folder = tmp_path / "fixtures" / "data"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def read_error() -> Callable[..., str]:
    """Call read_transactions, expect a DataError matching a pattern, return its message."""

    def read(match: str, *args, **kwargs) -> str:
        with pytest.raises(DataError, match=match) as info:
            read_transactions(*args, **kwargs)
        return str(info.value)

    return read


@pytest.fixture
def one_of_each() -> pd.DataFrame:
    """One row per defect (rules switched on as its tests do), plus three rows to keep."""
    rows = [
        ("C1", "2025-01-05", "10.00", "good"),  # 1 kept
        ("C1", "2025-01-05", "10.00", "good"),  # 2 exact duplicate
        ("  ", "2025-01-05", "11.00", "x"),  # 3 missing customer_id
        ("TEST-9", "2025-01-05", "12.00", "x"),  # 4 test customer
        ("C11", "2025-01-05", "4.95", "POST"),  # 5 non-product line
        ("C2", "", "13.00", "x"),  # 6 missing date
        ("C3", "31/31/2025", "14.00", "x"),  # 6 unparseable date
        ("C4", "2025-02-01", "15.00", "x"),  # 7 after observation end
        ("C5", "2025-01-06", "", "x"),  # 8 missing amount
        ("C6", "2025-01-06", "abc", "x"),  # 9 non-numeric amount
        ("C7", "2025-01-06", "inf", "x"),  # 10 non-finite amount
        ("C8", "2025-01-06", "0.00", "x"),  # 11 zero amount
        ("C9", "2025-01-07", "-5.50", "return"),  # 12 kept: returns stay
        ("C10", "2025-01-31 23:59:59", "1", "last"),  # 13 kept: whole end day included
    ]
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount", "note"])
