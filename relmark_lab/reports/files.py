"""A report's files are written whole or not at all: a temporary file, then a rename.

A reader (the analyst's CRM import, a batch index) never sees half a file,
even when a report stops mid-way or two runs write the same folder.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pandas as pd

__all__ = ["save_csv", "save_json", "save_text"]


def _atomically(path: Path, write: Callable[[IO[str]], None]) -> Path:
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            write(file)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def save_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` (without its index) as UTF-8 CSV at ``path``, atomically.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> written = save_csv(pd.DataFrame({"customer_id": ["C1"], "clv": [12.5]}),
    ...                    folder / "customers.csv")
    >>> written.read_text(), sorted(p.name for p in folder.iterdir())
    ('customer_id,clv\\nC1,12.5\\n', ['customers.csv'])
    """
    return _atomically(Path(path), lambda file: frame.to_csv(file, index=False))


def save_json(values: Any, path: str | Path) -> Path:
    """Write ``values`` as indented JSON at ``path``, atomically.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "figures.json"
    >>> save_json({"customers": 3}, target).read_text()
    '{\\n "customers": 3\\n}'
    """
    return _atomically(Path(path), lambda file: json.dump(values, file, indent=1))


def save_text(text: str, path: str | Path) -> Path:
    """Write ``text`` as UTF-8 at ``path``, atomically (a page, an index).

    Examples
    --------
    >>> import tempfile
    >>> save_text("<p>ok</p>", Path(tempfile.mkdtemp()) / "index.html").read_text()
    '<p>ok</p>'
    """
    return _atomically(Path(path), lambda file: file.write(text))
