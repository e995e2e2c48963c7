"""Write the retailer's tables as the committed files, byte for byte.

Clean tables are UTF-8 CSV with ``\\n`` line ends and fixed decimals, the raw
export imitates a Spanish-locale Excel "CSV UTF-8" file, and ``truth.json``
has sorted keys; the same seed and size always give the same bytes, which is
how ``relmark datasets`` rebuilds the repository's ``datasets/`` folder.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pandas as pd

from relmark_lab.datasets.synthetic._common import DEFAULT_N_CUSTOMERS, DEFAULT_SEED
from relmark_lab.datasets.synthetic.retailer import simulate

__all__ = ["write_datasets"]


def _csv_text(table: pd.DataFrame, decimals: int) -> str:
    """A clean table as CSV text: ISO dates, fixed decimals, ``\\n`` line ends."""
    table = table.copy()
    for column in table.columns:
        if pd.api.types.is_datetime64_any_dtype(table[column]):
            fmt = "%Y-%m-%d %H:%M:%S" if column == "timestamp" else "%Y-%m-%d"
            table[column] = table[column].dt.strftime(fmt)
    return table.to_csv(index=False, lineterminator="\n", float_format=f"%.{decimals}f")


def _excel_csv_bytes(table: pd.DataFrame) -> bytes:
    """Spanish-locale Excel "CSV UTF-8": byte-order mark, ``;`` between cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.itertuples(index=False, name=None))
    return buffer.getvalue().encode("utf-8-sig")


def write_datasets(
    directory: str | os.PathLike,
    seed: int = DEFAULT_SEED,
    n_customers: int = DEFAULT_N_CUSTOMERS,
) -> list[Path]:
    """Simulate and write every table as CSV plus ``truth.json``.

    Output is byte-identical for the same arguments: clean tables are UTF-8
    with ``\\n`` line ends and fixed decimals (2, or 6 in ``customer_truth``);
    ``transactions_raw.csv`` is written like a Spanish-locale Excel export
    (BOM, ``;``, ``$1.234,50``); ``truth.json`` has sorted keys and indent 2.

    Parameters
    ----------
    directory : path
        Folder to write into; created if missing. Existing files of the same
        names are overwritten, other files are left alone.
    seed : int, default 20261125
    n_customers : int, default 5000

    Returns
    -------
    list of pathlib.Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in write_datasets(folder, n_customers=300)][-1]
    'truth.json'
    """
    retailer = simulate(seed=seed, n_customers=n_customers)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in retailer.tables().items():
        path = folder / f"{name}.csv"
        if name == "transactions_raw":
            path.write_bytes(_excel_csv_bytes(table))
        else:
            decimals = 6 if name == "customer_truth" else 2
            path.write_bytes(_csv_text(table, decimals).encode("utf-8"))
        paths.append(path)
    truth_path = folder / "truth.json"
    text = json.dumps(retailer.truth, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    truth_path.write_bytes(text.encode("utf-8"))
    paths.append(truth_path)
    return paths
