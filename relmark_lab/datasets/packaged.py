"""Real data sets that ship inside other packages' wheels.

The CDNOW transactions (Fader & Hardie) and the BG/BB donations data come
inside the ``lifetimes`` wheel. lifetimes is unmaintained and its import
pulls in autograd, so the kit only locates the package's folder with
:func:`importlib.util.find_spec`, which does not execute the package, and
reads the text files itself.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Literal

import pandas as pd

from relmark_lab._ids import as_ids
from relmark_lab._validate import require_choice
from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["load_cdnow", "load_donations", "packaged_data_file"]

_CDNOW_FILES = {"sample": "CDNOW_sample.txt", "master": "CDNOW_master.txt"}


def packaged_data_file(name: str, package: str = "lifetimes") -> Path:
    """Path of a data file inside an installed package, without importing it.

    Parameters
    ----------
    name : str
        File name inside the package's ``datasets`` folder.
    package : str, default "lifetimes"
        Distribution whose wheel ships the file.

    Returns
    -------
    pathlib.Path
        Absolute path of the file.

    Raises
    ------
    DataError
        If the package is not installed or the file is not in it.

    Examples
    --------
    >>> packaged_data_file("donations.csv").name
    'donations.csv'
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DataError(
            _("The file {name!r} ships inside the {package!r} package, which is not installed. "
              "Install it with `pip install {package}==0.11.3` (`make run` and `make test` "
              "install it for you).").format(name=name, package=package)
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "datasets"
    path = folder / name
    if not path.is_file():
        raise DataError(
            _("The {package!r} package is installed but has no data file {name!r} in {folder}; "
              "reinstall it with `pip install --force-reinstall {package}==0.11.3`.").format(
                  package=package, name=name, folder=folder)
        )
    return path


def load_cdnow(kind: Literal["sample", "master"] = "sample") -> pd.DataFrame:
    """Load the CDNOW transactions of Fader and Hardie.

    The 23,570 customers made their first purchase at CDNOW in the first
    quarter of 1997; their purchases are followed until the end of June
    1998. The "sample" file is the 1/10th systematic sample used in the
    BG/NBD paper (Fader, Hardie & Lee 2005).

    Parameters
    ----------
    kind : {"sample", "master"}, default "sample"
        "sample": 6,919 rows, 2,357 customers. "master": 69,659 rows,
        23,570 customers.

    Returns
    -------
    pandas.DataFrame
        One row per purchase record with columns ``customer_id`` (text of
        the kit's id dtype, as in every table the kit returns: the master
        file's id with its leading zeros), ``date``
        (datetime64), ``quantity`` (CDs bought, int) and ``amount``
        (US dollars, float).

    Examples
    --------
    >>> cdnow = load_cdnow()
    >>> cdnow.shape, cdnow["customer_id"].nunique(), cdnow["customer_id"].iloc[0]
    ((6919, 4), 2357, '00004')
    """
    require_choice("kind", kind, tuple(_CDNOW_FILES))
    path = packaged_data_file(_CDNOW_FILES[kind])
    # Both files are whitespace-separated; the sample has an extra column
    # (the id within the sample) and the master file a header line.
    raw = pd.read_csv(path, sep=r"\s+", header=None, dtype=str, skiprows=int(kind == "master"))
    id_col, date_col, qty_col, amount_col = (0, 2, 3, 4) if kind == "sample" else (0, 1, 2, 3)
    return pd.DataFrame(
        {
            "customer_id": as_ids(raw[id_col]),
            "date": pd.to_datetime(raw[date_col], format="%Y%m%d"),
            "quantity": raw[qty_col].astype("int64"),
            "amount": raw[amount_col].astype("float64"),
        }
    )


def load_donations() -> pd.DataFrame:
    """Load the donations data of the BG/BB paper (Fader, Hardie & Shang 2010).

    11,104 first-time supporters of a non-profit in 1995, followed over the
    six annual opportunities 1996–2001, stored as the 22 distinct
    (frequency, recency) patterns with how many donors share each one.

    Returns
    -------
    pandas.DataFrame
        Columns ``frequency`` (repeat donations), ``recency`` (period of
        the last donation, 0 if none), ``n_periods`` (opportunities, 6)
        and ``weights`` (donors with that pattern). ``attrs["time_unit"]``
        is ``"Y"``: the opportunities are annual, which
        :class:`relmark_lab.clv.BetaGeoBetaBinomial` reads when fitted.

    Examples
    --------
    >>> donations = load_donations()
    >>> len(donations), int(donations["weights"].sum()), donations.attrs["time_unit"]
    (22, 11104, 'Y')
    """
    data = pd.read_csv(packaged_data_file("donations.csv"))
    data = data.rename(columns={"periods": "n_periods"})
    data = data[["frequency", "recency", "n_periods", "weights"]].astype("int64")
    data.attrs["time_unit"] = "Y"
    return data
