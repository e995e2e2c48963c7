"""The member-month panel every quasi-experimental estimator reads, and their shared fits (private).

:func:`program_panel` joins a monthly panel (one row per member and month,
months written ``"YYYY-MM"``) with the members table (treatment 0/1, start
month) and checks both once, so :mod:`.did` and :mod:`.staggered` give the
same sentence for the same mistake. Months become numbers ``12 * year +
month - 1``, so "months since the start" is a subtraction. :func:`within_fit`
is the two-way fixed-effects regression both modules use.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from relmark_lab._validate import (
    as_ids,
    column_error,
    first_row,
    id_codes,
    require_columns,
    require_ids,
    require_unique,
)
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _
from relmark_lab.programs._effect import Effect, require_outcome, require_treatment

__all__ = [
    "clustered",
    "cluster_groups",
    "effect_of",
    "month_label",
    "one_month",
    "program_panel",
    "month_numbers",
    "within_fit",
]

_MONTH_RE = r"^\d{4}-(0[1-9]|1[0-2])$"
_MONTH_HINT = N_("Write months as 'YYYY-MM', e.g. '2024-07'.")


def month_numbers(frame: pd.DataFrame, column: str, what: str) -> np.ndarray:
    """A month column as ``12 * year + month - 1`` (floats, NaN where empty), or DataError."""
    raw = frame[column]
    if isinstance(raw.dtype, pd.PeriodDtype) or pd.api.types.is_datetime64_any_dtype(raw.dtype):
        stamps = raw.dt.to_timestamp() if isinstance(raw.dtype, pd.PeriodDtype) else raw
        return (stamps.dt.year * 12 + stamps.dt.month - 1).to_numpy(dtype=float, na_value=np.nan)
    text = raw.astype(pd.StringDtype(na_value=np.nan)).str.strip()
    text = text.mask(text.eq(""))
    bad = (text.notna() & ~text.str.match(_MONTH_RE).fillna(False)).to_numpy(dtype=bool)
    if bad.any():
        raise column_error(what, column, int(bad.sum()), _("not a month"),
                           raw.to_numpy(dtype=object)[bad][0], _(_MONTH_HINT))
    year = pd.to_numeric(text.str[:4]).to_numpy(dtype=float, na_value=np.nan)
    month = pd.to_numeric(text.str[5:7]).to_numpy(dtype=float, na_value=np.nan)
    return year * 12 + month - 1


def one_month(name: str, value: Any) -> int:
    """A month argument (``"2024-07"``, a Period or a Timestamp) as a month number.

    Examples
    --------
    >>> one_month("post_from", "2024-07") == 2024 * 12 + 6
    True
    """
    try:
        number = month_numbers(pd.DataFrame({name: [value]}), name, name)[0]
    except (DataError, TypeError, ValueError, AttributeError):
        number = np.nan
    if not np.isfinite(number):
        raise DataError(_("{name} must be a month written 'YYYY-MM', e.g. '2024-07', got "
                          "{value}.").format(name=name, value=describe_example(value)))
    return int(number)


def month_label(number: float) -> str:
    """A month number back as ``"YYYY-MM"``.

    Examples
    --------
    >>> month_label(2024 * 12 + 6)
    '2024-07'
    """
    return f"{int(number) // 12:04d}-{int(number) % 12 + 1:02d}"


def program_panel(panel: pd.DataFrame, members: pd.DataFrame, outcome: str, *,
                  unit: str = "member_id", time: str = "month",
                  treatment: str | None = "enrolled", start_column: str | None = None,
                  post_from: Any = None) -> pd.DataFrame:
    """The monthly panel joined with each member's treatment and start, checked.

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per member and month: ``unit``, ``time`` (``"YYYY-MM"``,
        Periods or datetimes) and the numeric (or True/False) ``outcome``.
    members : pandas.DataFrame
        One row per member: ``unit`` and the columns named below. Members
        without panel rows are ignored; panel members missing here are an error.
    outcome : str
        The panel column measured every month, e.g. ``"orders"``.
    unit, time : str
        Column names of the member id and the month.
    treatment : str or None, default "enrolled"
        Members' 0/1 (or True/False) column, or None.
    start_column : str, optional
        Members' first month in the program, empty for never-treated.
    post_from : str, optional
        First month of the post period, e.g. ``"2024-07"``.

    Returns
    -------
    pandas.DataFrame
        In the panel's row order: ``unit`` (text), ``time`` (``"YYYY-MM"``),
        ``outcome`` (float), ``month_number``, and as asked ``treated``
        (0/1), ``post`` (0/1), ``relative_month`` (months since the start,
        NaN for never-treated) and ``in_program`` (0/1).

    Examples
    --------
    >>> panel = pd.DataFrame({"member_id": ["a", "a"], "month": ["2024-06", "2024-07"],
    ...                       "orders": [1, 3]})
    >>> members = pd.DataFrame({"member_id": ["a"], "program_start": ["2024-07"]})
    >>> program_panel(panel, members, "orders", treatment=None, start_column="program_start")
      member_id    month  orders  month_number  relative_month  in_program
    0         a  2024-06     1.0         24293            -1.0           0
    1         a  2024-07     3.0         24294             0.0           1
    """
    require_columns(panel, [unit, time, outcome], "panel")
    require_columns(members, [unit, *[c for c in (treatment, start_column) if c]], "members")
    table = pd.DataFrame({unit: require_ids(panel, unit, "panel").to_numpy()})
    months = month_numbers(panel, time, "panel")
    if np.isnan(months).any():
        raise column_error("panel", time, int(np.isnan(months).sum()), _("missing"),
                           first_row(panel, np.isnan(months)), _(_MONTH_HINT))
    table[time] = [month_label(m) for m in months]
    table[outcome] = require_outcome(panel, outcome, "panel")
    table["month_number"] = months.astype(np.int64)
    repeated = table.duplicated([unit, "month_number"]).to_numpy()
    if repeated.any():
        raise column_error("panel", unit, int(repeated.sum()), _("repeated within a month"),
                           table[unit].to_numpy(dtype=object)[repeated][0],
                           _("One row per member and month is expected."))
    people = pd.DataFrame({unit: require_ids(members, unit, "members").to_numpy()})
    require_unique(people, unit, "members")
    if treatment:
        people["treated"] = require_treatment(members, treatment, "members").astype(int)
    if start_column:
        people["start"] = month_numbers(members, start_column, "members")
    unknown = ~table[unit].isin(people[unit]).to_numpy()
    if unknown.any():
        raise column_error("panel", unit, int(unknown.sum()), _("not in the members table"),
                           table[unit].to_numpy(dtype=object)[unknown][0],
                           _("Every member of the panel needs a row in members."))
    table = table.merge(people, on=unit, how="left")
    if post_from is not None:
        table["post"] = (table["month_number"] >= one_month("post_from", post_from)).astype(int)
    if start_column:
        table["relative_month"] = table["month_number"] - table.pop("start")
        table["in_program"] = (table["relative_month"] >= 0).astype(int)
    return table


def cluster_groups(table: pd.DataFrame, panel: pd.DataFrame, members: pd.DataFrame,
                   cluster: str, unit: str) -> np.ndarray:
    """The cluster code of every row of ``table`` (built from ``panel``, in its row order)."""
    if cluster == unit:
        return id_codes(table[unit])[0]
    if cluster in panel.columns:
        source, groups = "panel", panel[cluster].reset_index(drop=True)
    elif cluster in members.columns:
        labels = pd.Series(members[cluster].to_numpy(), index=as_ids(members[unit]))
        source, groups = "members", table[unit].map(labels)
    else:
        raise DataError(_("cluster={cluster!r} is a column of neither the panel nor the "
                          "members; pass e.g. cluster='member_id'.").format(cluster=cluster))
    missing = groups.isna().to_numpy()
    if missing.any():
        raise column_error(source, cluster, int(missing.sum()), _("missing"),
                           first_row(table, missing), _("Every row needs a cluster."))
    return pd.factorize(groups)[0]


def clustered(formula: str, data: pd.DataFrame, groups: np.ndarray) -> Any:
    """OLS by formula with standard errors clustered by ``groups``."""
    return smf.ols(formula, data=data).fit(cov_type="cluster", cov_kwds={"groups": groups})


def effect_of(fit: Any, term: str, level: float, counts: tuple[int, int], method: str,
              details: dict[str, Any]) -> Effect:
    """The :class:`Effect` of one coefficient of a fit, with its interval at ``level``."""
    lower, upper = fit.conf_int(alpha=1 - level).loc[term]
    return Effect(estimate=float(fit.params[term]), std_error=float(fit.bse[term]),
                  lower=float(lower), upper=float(upper), level=level,
                  n_treated=counts[0], n_control=counts[1], method=method,
                  details={"n_rows": int(fit.nobs), **details})


def within_fit(table: pd.DataFrame, outcome: str, regressors: pd.DataFrame, unit: str) -> Any:
    """OLS with member and month fixed effects, errors clustered by member.

    Member effects are absorbed by demeaning every variable within member,
    month dummies included: by the Frisch-Waugh-Lovell theorem that gives
    the coefficients of the regression with one dummy per member, without
    thousands of columns, on balanced and unbalanced panels alike. Members
    nest in the clusters, so statsmodels' small-sample factor rightly counts
    only the remaining regressors.
    """
    months = pd.get_dummies(table["month_number"], prefix="m", drop_first=True, dtype=float)
    data = pd.concat([table[outcome].rename("y"), regressors, months], axis=1)
    codes = id_codes(table[unit])[0]
    demeaned = data - data.groupby(codes).transform("mean")
    return clustered("y ~ 0 + " + " + ".join(data.columns[1:]), demeaned, codes)
