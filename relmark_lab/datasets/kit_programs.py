"""Load lesson 06's program-evaluation tables of the kit's synthetic retailer.

The loyalty pilot (its members under three designs and their monthly panel),
the complaint-recovery and post-sale follow-up experiments, and the stores of
the service-profit chain, read like every other kit table by
:mod:`relmark_lab.datasets.kit`: ids as text in the kit's id dtype, whole
numbers ``Int64`` (a 0/1 flag too; an empty survey score is missing), other
numbers ``float64``, other text ``"str"``. Months stay ``"YYYY-MM"`` text;
their true effects are in ``load_truth()["programs"]``.
"""

from __future__ import annotations

import pandas as pd

from relmark_lab.datasets.kit import PathLike, _read
from relmark_lab.errors import DataError
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = [
    "load_complaint_recovery",
    "load_follow_up",
    "load_loyalty_pilot",
    "load_pilot_members",
    "load_stores",
]

# The old pilot's message, by the number of its rows (each language words its own plural).
_OLD_PILOT_ONE_ROW = N_("loyalty_pilot.csv is the old two-period pilot (columns group and period, "
                        "{count:,} row); lesson 06 needs the monthly panel. Regenerate the data "
                        "set with `relmark datasets` (or write_datasets) into that folder.")
_OLD_PILOT_ROWS = N_("loyalty_pilot.csv is the old two-period pilot (columns group and period, "
                     "{count:,} rows); lesson 06 needs the monthly panel. Regenerate the data "
                     "set with `relmark datasets` (or write_datasets) into that folder.")


def load_pilot_members(data_dir: PathLike | None = None) -> pd.DataFrame:
    """Loyalty-pilot members, one row each, under three designs.

    Parameters
    ----------
    data_dir : path, optional
        Folder of the data files; by default :func:`~relmark_lab.datasets.data_dir`
        (``$RELMARK_DATA`` or the repository's ``datasets/``).

    Returns
    -------
    pandas.DataFrame
        member_id, design ("randomized", "self_selected", "rollout"), region,
        tier ("light", "moderate", "heavy"), tenure_months, prior_orders and
        prior_spend (MXN) over the six months before the launch,
        prior_year_orders and prior_year_spend over the 12 months before the
        panel (the record self-selected members enrolled on), satisfaction
        (1-5, missing when not surveyed), enrolled (0/1), program_start
        (``"YYYY-MM"``, missing when never in the program).

    Examples
    --------
    >>> members = load_pilot_members()
    >>> sorted(members["design"].unique())
    ['randomized', 'rollout', 'self_selected']
    >>> members.groupby("design")["program_start"].nunique().to_dict()
    {'randomized': 1, 'rollout': 4, 'self_selected': 1}
    """
    return _read("pilot_members.csv", data_dir)


def load_loyalty_pilot(data_dir: PathLike | None = None) -> pd.DataFrame:
    """The loyalty pilot's monthly panel: one row per member and month, 12 months.

    Parameters
    ----------
    data_dir : path, optional
        Folder of the data files; by default :func:`~relmark_lab.datasets.data_dir`
        (``$RELMARK_DATA`` or the repository's ``datasets/``).

    Returns
    -------
    pandas.DataFrame
        member_id, month (``"YYYY-MM"``; the launch is ``load_truth()["programs"]
        ["launch_month"]``), orders, revenue (MXN), rewards (MXN redeemed),
        active (1 while still a customer). Members are in
        :func:`load_pilot_members`.

    Raises
    ------
    DataError
        If the folder holds the old two-period pilot file (columns group, period).

    Examples
    --------
    >>> panel = load_loyalty_pilot()
    >>> panel["month"].min(), panel["month"].max(), int(panel.groupby("member_id").size().max())
    ('2024-01', '2024-12', 12)
    """
    panel = _read("loyalty_pilot.csv", data_dir)
    if "period" in panel.columns and "month" not in panel.columns:
        raise DataError(_(
            _OLD_PILOT_ONE_ROW if len(panel) == 1 else _OLD_PILOT_ROWS).format(count=len(panel)))
    return panel


def load_complaint_recovery(data_dir: PathLike | None = None) -> pd.DataFrame:
    """Complainers randomized to a fast personal call-back or the usual process.

    Parameters
    ----------
    data_dir : path, optional
        Folder of the data files; by default :func:`~relmark_lab.datasets.data_dir`
        (``$RELMARK_DATA`` or the repository's ``datasets/``).

    Returns
    -------
    pandas.DataFrame
        complaint_id, group ("call_back" | "usual"), channel, prior_spend (MXN,
        the six months before the complaint), retained (1 if still buying six
        months later).

    Examples
    --------
    >>> sorted(load_complaint_recovery()["group"].unique())
    ['call_back', 'usual']
    """
    return _read("complaint_recovery.csv", data_dir)


def load_follow_up(data_dir: PathLike | None = None) -> pd.DataFrame:
    """Orders randomized to a post-sale follow-up contact, and who bought again.

    Parameters
    ----------
    data_dir : path, optional
        Folder of the data files; by default :func:`~relmark_lab.datasets.data_dir`
        (``$RELMARK_DATA`` or the repository's ``datasets/``).

    Returns
    -------
    pandas.DataFrame
        order_id (not an order of the transactions), group ("contacted" |
        "control"), tier, order_value (MXN), repeat_90d (1 if the customer
        bought again within 90 days).

    Examples
    --------
    >>> follow_up = load_follow_up()
    >>> sorted(follow_up["group"].unique()), sorted(follow_up["repeat_90d"].unique().tolist())
    (['contacted', 'control'], [0, 1])
    """
    return _read("follow_up.csv", data_dir)


def load_stores(data_dir: PathLike | None = None) -> pd.DataFrame:
    """Forty stores along a service-profit chain (staff -> customers -> retention).

    Parameters
    ----------
    data_dir : path, optional
        Folder of the data files; by default :func:`~relmark_lab.datasets.data_dir`
        (``$RELMARK_DATA`` or the repository's ``datasets/``).

    Returns
    -------
    pandas.DataFrame
        store_id, region, staff_satisfaction (1-10), customer_satisfaction
        (1-5), retention (share of the store's customers still buying a year
        later), customers.

    Examples
    --------
    >>> stores = load_stores()
    >>> len(stores), bool(stores["retention"].between(0, 1).all())
    (40, True)
    """
    return _read("stores.csv", data_dir)
