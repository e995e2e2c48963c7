"""The service-profit chain: staff satisfaction, customer satisfaction, retention — by store.

The course notes: "if we care for our staff, they will care for our
customers". Across stores the chain is two regressions — customer
satisfaction on staff satisfaction (path ``a``), retention on customer
satisfaction holding staff satisfaction fixed (path ``b``, with the direct
path ``c'``) — and the indirect effect ``a x b`` of staff satisfaction on
retention through the customers, with a bootstrap interval over stores.

This is an **observational** chain, not an experiment: stores that treat
their staff well may differ in other ways (their neighbourhood, their
manager) that also please customers, so the paths bound what a program for
staff could do rather than measure it. :func:`service_profit_chain` says so
in its ``attrs``, and a ``controls`` argument takes what is measured of
those differences.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> staff = rng.uniform(4, 9, 60)
>>> customer = 2 + 0.3 * staff + rng.normal(0, 0.2, 60)
>>> stores = pd.DataFrame({"staff_satisfaction": staff, "customer_satisfaction": customer,
...     "retention": 0.2 + 0.1 * customer + rng.normal(0, 0.02, 60), "customers": 100})
>>> chain = service_profit_chain(stores, replicates=200).set_index("path")
>>> round(float(chain.loc["indirect (a x b)", "estimate"]), 2)
0.03
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.regression.linear_model import WLS
from statsmodels.tools.tools import add_constant

from relmark_lab._validate import require_columns, require_numbers, require_whole_number
from relmark_lab.errors import DataError
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = ["OBSERVATIONAL_CAVEAT", "service_profit_chain"]

#: What every reading of the chain must say (English, as in ``attrs["caveat"]``; show it
#: with ``gettext``).
OBSERVATIONAL_CAVEAT = N_("observational: stores were not assigned their staff satisfaction, "
                          "so other differences between stores can explain part of each path")


def _paths(data: pd.DataFrame, staff: str, customer: str, retention: str,
           controls: list[str], weights: np.ndarray) -> tuple[pd.Series, pd.Series]:
    """Estimates and standard errors of a, b, c' and a x b (weighted least squares)."""
    first = WLS(data[customer], add_constant(data[[staff, *controls]]),
                   weights=weights).fit()
    second = WLS(data[retention], add_constant(data[[customer, staff, *controls]]),
                    weights=weights).fit()
    estimate = pd.Series({"a: staff -> customer satisfaction": first.params[staff],
                          "b: customer satisfaction -> retention": second.params[customer],
                          "c': staff -> retention, direct": second.params[staff]})
    estimate["indirect (a x b)"] = estimate.iloc[0] * estimate.iloc[1]
    error = pd.Series([first.bse[staff], second.bse[customer], second.bse[staff], np.nan],
                      index=estimate.index)
    return estimate, error


def service_profit_chain(stores: pd.DataFrame, *, staff: str = "staff_satisfaction",
                         customer: str = "customer_satisfaction", retention: str = "retention",
                         weights: str | None = "customers", controls: Sequence[str] = (),
                         replicates: int = 1000, seed: int = 0) -> pd.DataFrame:
    """The chain's paths across stores, with 95% bootstrap intervals over stores.

    Parameters
    ----------
    stores : pandas.DataFrame
        One row per store.
    staff, customer, retention : str
        Columns: staff satisfaction, mean customer satisfaction, share of the
        store's customers retained.
    weights : str or None, default "customers"
        Customers per store, to weight each store (None: equal weights).
    controls : sequence of str, default ()
        Numeric store characteristics held fixed in both regressions.
    replicates : int, default 1000
        Bootstrap draws of stores (at least 20; a few hundred for a report).
    seed : int, default 0

    Returns
    -------
    pandas.DataFrame
        One row per path (``path``, ``estimate``, ``std_error``, ``lower``,
        ``upper``); ``attrs["caveat"]`` is :data:`OBSERVATIONAL_CAVEAT`.

    Raises
    ------
    DataError
        For a missing or non-numeric column, or fewer than 10 stores.
    """
    controls = list(controls)
    columns = [staff, customer, retention, *controls] + ([weights] if weights else [])
    require_columns(stores, columns, "stores")
    data = pd.DataFrame({c: require_numbers(stores, c, "stores").to_numpy() for c in columns})
    if len(data) < 10:
        raise DataError(_("stores: {count} stores are too few for two regressions and a "
                          "bootstrap; the chain needs at least 10.").format(count=len(data)))
    replicates = require_whole_number("replicates", replicates, low=20)
    seed = require_whole_number("seed", seed, low=0)
    w = data[weights].to_numpy() if weights else np.ones(len(data))
    estimate, error = _paths(data, staff, customer, retention, controls, w)
    rng = np.random.default_rng(seed)
    draws = []
    for _replicate in range(replicates):
        rows = rng.integers(0, len(data), len(data))
        draws.append(_paths(data.iloc[rows], staff, customer, retention, controls, w[rows])[0])
    spread = pd.DataFrame(draws)
    table = pd.DataFrame({"path": estimate.index, "estimate": estimate.to_numpy(),
                          "std_error": error.fillna(spread.std()).to_numpy(),
                          "lower": spread.quantile(0.025).to_numpy(),
                          "upper": spread.quantile(0.975).to_numpy()})
    table.attrs["caveat"] = OBSERVATIONAL_CAVEAT
    return table
