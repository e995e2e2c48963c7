"""Write the retailer's tables as the committed files, byte for byte.

Clean tables are UTF-8 CSV with ``\\n`` line ends and fixed decimals, the raw
export imitates a Spanish-locale Excel "CSV UTF-8" file, ``truth.json``
has sorted keys, and ``README.md`` is the data card built from them
(:mod:`.card`); the same seed and size always give the same bytes, which is
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
from relmark_lab.datasets.synthetic.card import CARD_TITLE, data_card
from relmark_lab.datasets.synthetic.retailer import simulate
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["write_datasets"]


#: Columns written with their own number of decimals (every other float: the table's).
_COLUMN_DECIMALS = {"stores": {"staff_satisfaction": 1, "retention": 3}}


def _csv_text(table: pd.DataFrame, decimals: int, columns: dict[str, int] | None = None) -> str:
    """A clean table as CSV text: ISO dates, fixed decimals, ``\\n`` line ends."""
    table = table.copy()
    for column, places in (columns or {}).items():
        table[column] = table[column].map(f"{{:.{places}f}}".format)
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
    """Simulate and write every table as CSV, ``truth.json`` and the data card.

    Output is byte-identical for the same arguments: clean tables are UTF-8
    with ``\\n`` line ends and fixed decimals (2, or 6 in ``customer_truth``; in
    ``stores``, 1 for staff satisfaction and 3 for retention);
    ``transactions_raw.csv`` is written like a Spanish-locale Excel export
    (BOM, ``;``, ``$1.234,50``); ``truth.json`` has sorted keys and indent 2.
    ``README.md``, written last, is the data card: the seed, size, row counts,
    file sizes (of the bytes just written), true parameters and defect counts
    of this data set (see :func:`~relmark_lab.datasets.synthetic.card.data_card`).

    Parameters
    ----------
    directory : path
        Folder to write into; created if missing. Existing files of the same
        names are overwritten, other files are left alone; a ``README.md``
        that is not a data card is never overwritten.
    seed : int, default 20261125
    n_customers : int, default 5000

    Returns
    -------
    list of pathlib.Path
        The files written, ``README.md`` last.

    Raises
    ------
    DataError
        If the folder holds a ``README.md`` that is not a data card.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in write_datasets(folder, n_customers=300)][-1]
    'README.md'
    """
    folder = Path(directory)
    card = folder / "README.md"
    if card.is_file() and not card.read_text(encoding="utf-8", errors="replace").startswith(
            CARD_TITLE):
        # Never replace a project's own README (e.g. `relmark datasets --output .`).
        raise DataError(_("{card} exists and is not a data card; write the data set to an "
                          "empty folder or to one that holds an earlier data set of the "
                          "kit.").format(card=card))
    retailer = simulate(seed=seed, n_customers=n_customers)
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {}  # bytes written per file, which the data card reports
    for name, table in retailer.tables().items():
        if name == "transactions_raw":
            data = _excel_csv_bytes(table)
        else:
            decimals = 6 if name == "customer_truth" else 2
            data = _csv_text(table, decimals, _COLUMN_DECIMALS.get(name)).encode("utf-8")
        sizes[f"{name}.csv"] = (folder / f"{name}.csv").write_bytes(data)
    text = json.dumps(retailer.truth, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    sizes["truth.json"] = (folder / "truth.json").write_bytes(text.encode("utf-8"))
    (folder / "README.md").write_bytes(data_card(retailer, sizes).encode("utf-8"))
    return [folder / file_name for file_name in [*sizes, "README.md"]]
