"""A pilot panel from the analyst's file: one row per member and month, checked once.

The ``program-evaluation`` report reads ONE table: ``member_id``, ``month``,
``orders``, ``revenue`` and the member's ``enrolled`` (0/1, repeated on each
of their rows), optionally ``rewards`` (redeemed that month), ``active`` (0/1,
still a customer) and ``program_start`` (the member's first month in the
program, empty for the others). :func:`read_pilot_panel` reads it from any
source :func:`relmark_lab.read_transactions` reads (a DataFrame, CSV also
compressed, Excel, Parquet), with the kit's number reading and id rule, and
splits it into the monthly panel and the members table that
:mod:`relmark_lab.programs` estimators take. It refuses, with one sentence,
what it cannot use; the only rows it sets aside are wholly blank ones, and a
note counts them. :func:`pilot_launch` settles the launch month.

Examples
--------
>>> raw = pd.DataFrame({"Socio": ["a", "a", "b", "b"], "month": ["2024-06", "2024-07"] * 2,
...                     "orders": ["1", "3", "2", "2"], "revenue": ["10,5", "30", "20", "20"],
...                     "enrolled": [1, 1, 0, 0]})
>>> panel, members, notes = read_pilot_panel(raw, {"member_id": "Socio"}, decimal=",")
>>> panel[["member_id", "month", "orders", "revenue"]].to_dict("list")
{'member_id': ['a', 'a', 'b', 'b'], 'month': ['2024-06', '2024-07', '2024-06', '2024-07'], \
'orders': [1.0, 3.0, 2.0, 2.0], 'revenue': [10.5, 30.0, 20.0, 20.0]}
>>> members.to_dict("list")
{'member_id': ['a', 'b'], 'enrolled': [1, 0]}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from relmark_lab._ids import as_ids
from relmark_lab.data.columns import clean_name, list_names
from relmark_lab.data.numbers import parse_numbers
from relmark_lab.data.sources import load_source
from relmark_lab.data.text import as_text
from relmark_lab.errors import DataError, describe_example
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _
from relmark_lab.programs._panel import month_label

__all__ = ["OPTIONAL", "REQUIRED", "pilot_launch", "read_pilot_panel"]

#: The columns every pilot panel has.
REQUIRED: tuple[str, ...] = ("member_id", "month", "orders", "revenue", "enrolled")
#: Columns read when the panel has them.
OPTIONAL: tuple[str, ...] = ("rewards", "active", "program_start")
_WHAT = "pilot panel"
# One sentence per side of the panel a launch month can fall off, so each language words its own.
_LAUNCH_AT_START = N_("launch_month {launch!r} leaves no month before the launch in the panel, "
                      "which runs from {first} to {last}: the report compares the months before "
                      "the launch with those after it.")
_LAUNCH_AFTER_END = N_("launch_month {launch!r} leaves no month from the launch in the panel, "
                       "which runs from {first} to {last}: the report compares the months "
                       "before the launch with those after it.")
_MONTH_HINT = N_("Write months as 'YYYY-MM' (e.g. '2024-07') or as dates year first "
                 "(2024-07-01).")


def _resolve(found: list[str], columns: Mapping[str, str] | None) -> dict[str, str]:
    """Canonical name -> source column: the user's mapping first, then names (any case)."""
    if columns is not None and not isinstance(columns, Mapping):
        raise DataError(_('columns= must be a dict from canonical names to your column names, '
                          'e.g. {{"member_id": "Socio"}}, not a {kind}.').format(
                              kind=type(columns).__name__))
    mapping: dict[str, str] = {}
    for key, wanted in (columns or {}).items():
        if key not in REQUIRED + OPTIONAL:
            raise DataError(_("columns= uses the key {key!r}, which is not a column of a pilot "
                              "panel. Use one of {names}.").format(
                                  key=key, names=", ".join(REQUIRED + OPTIONAL)))
        name = clean_name(wanted)
        loose = [c for c in found if c.casefold() == name.casefold()]
        match = name if name in found else loose[0] if len(loose) == 1 else None
        if match is None:
            raise DataError(_("columns= maps {key!r} to {wanted!r}, but there is no such "
                              "column. Columns found: {found}.").format(
                                  key=key, wanted=wanted, found=list_names(found)))
        if match in mapping.values():
            raise DataError(_("columns= gives the column {column!r} two roles; each column can "
                              "play one role only.").format(column=match))
        mapping[key] = match
    for canonical in REQUIRED + OPTIONAL:
        free = [c for c in found if c.casefold() == canonical and c not in mapping.values()]
        if canonical not in mapping and free:
            mapping[canonical] = free[0]
    missing = [c for c in REQUIRED if c not in mapping]
    if missing:
        raise DataError(_("The pilot panel has no column {column!r} (required: {required}). "
                          "Columns found: {found}. If it has another name, say so with "
                          "columns={{{column!r}: '<your column>'}}.").format(
                              column=missing[0], required=", ".join(REQUIRED),
                              found=list_names(found)))
    return mapping


class _Row:
    """A row number shown as ``row 12`` in a message (for a cell that is empty)."""

    def __init__(self, number: int):
        self.number = int(number)

    def __repr__(self) -> str:
        return _("row {number}").format(number=self.number)


def _count(count: int, singular: str, plural: str, **values: Any) -> str:
    """The singular or plural template (marked with ``N_``) for ``count``, translated and filled.

    ``_count(2, N_("{count:,} row"), N_("{count:,} rows"))`` is ``"2 rows"``.
    """
    return _(singular if count == 1 else plural).format(count=count, **values)


def _refuse(column: str, count: int, problem: str, example: Any, hint: str = "") -> DataError:
    """The DataError for ``count`` unusable cells of one column, with an example and a hint.

    ``problem`` and ``hint`` come translated (``_("empty")``), read after "is".
    """
    rows = _count(count, N_("{count:,} row"), N_("{count:,} rows"))
    message = _("pilot panel: column {column!r} is {problem} in {rows}, e.g. {example}.").format(
        column=column, problem=problem, rows=rows, example=describe_example(example))
    return DataError(message + (f" {hint}" if hint else ""))


def _numbers(series: pd.Series, column: str, decimal: str | None, delimiter: str | None,
             notes: list[str], *, allow_missing: bool = False) -> np.ndarray:
    """A column as floats by the kit's number rule; DataError for text, infinities, blanks."""
    values, missing, not_number, not_finite = parse_numbers(series, column, decimal,
                                                            delimiter, notes)
    cells = series.to_numpy(dtype=object)
    for mask, problem in ((not_number, _("not a number")),
                          (not_finite, _("not a finite number"))):
        if mask.any():
            raise _refuse(column, int(mask.sum()), problem, cells[mask][0])
    if missing.any() and not allow_missing:
        raise _refuse(column, int(missing.sum()), _("empty"), _Row(np.flatnonzero(missing)[0]),
                      _("Fill every row (0 for a month without orders)."))
    return values


def _zero_one(raw: pd.Series, column: str, decimal: str | None, delimiter: str | None,
              notes: list[str], hint: str) -> np.ndarray:
    """A 0/1 column (also True/False, in any case) as floats, or DataError with an example."""
    series = raw
    if pd.api.types.is_bool_dtype(series.dtype):
        series = series.astype("Int64")
    elif not pd.api.types.is_numeric_dtype(series.dtype):
        text, _blank = as_text(series)
        words = text.str.casefold().map({"true": "1", "false": "0"})
        series = words.fillna(text).astype(object).where(text.notna(), None)
    values, missing, not_number, not_finite = parse_numbers(series, column, decimal, delimiter,
                                                            notes)
    bad = missing | not_number | not_finite | ~np.isin(values, (0.0, 1.0))
    if bad.any():
        example = raw.to_numpy(dtype=object)[bad][0]
        raise _refuse(column, int(bad.sum()), _("not 0/1"),
                      _Row(np.flatnonzero(bad)[0]) if missing[bad][0] else example, hint)
    return values


def _months(raw: pd.Series, column: str) -> np.ndarray:
    """Months as ``12 * year + month - 1``: from 'YYYY-MM', 'YYYY/MM', dates or Periods."""
    if isinstance(raw.dtype, pd.PeriodDtype):
        raw = raw.dt.to_timestamp()
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        numbers = (raw.dt.year * 12 + raw.dt.month - 1).to_numpy(dtype=float, na_value=np.nan)
    else:
        # 'YYYY-MM', or a date written year first (an Excel date cell reads so as text):
        # the month it shows, whatever its clock time or UTC offset
        parts = as_text(raw)[0].str.extract(r"^(\d{4})[-/](\d{1,2})(?:[-/]\d{1,2}(?:[ T].*)?)?$")
        year = pd.to_numeric(parts[0]).to_numpy(dtype=float, na_value=np.nan)
        month = pd.to_numeric(parts[1]).to_numpy(dtype=float, na_value=np.nan)
        numbers = year * 12 + np.where((month >= 1) & (month <= 12), month, np.nan) - 1
    bad = np.isnan(numbers)
    if bad.any():
        raise _refuse(column, int(bad.sum()), _("not a month"),
                      raw.to_numpy(dtype=object)[bad][0], _(_MONTH_HINT))
    return numbers


def _one_per_member(ids: pd.Series, values: pd.Series, column: str) -> pd.Series:
    """The member's value of a column repeated on each row; DataError when it changes."""
    seen = pd.DataFrame({"member_id": ids, "value": values.fillna(_("(empty)"))})
    kinds = seen.drop_duplicates().groupby("member_id", sort=False)["value"]
    changing = kinds.nunique()
    changing = changing[changing > 1]
    if len(changing):
        first = changing.index[0]
        one, other = map(describe_example, kinds.get_group(first).head(2))
        members = _count(len(changing), N_("{count:,} member"), N_("{count:,} members"))
        raise DataError(_("pilot panel: column {column!r} changes between the rows of "
                          "{members}, e.g. member {member!r} has {one} and {other}. Each member "
                          "is either in the program or not: give every row of a member the "
                          "same value.").format(column=column, members=members, member=first,
                                                one=one, other=other))
    return values.groupby(ids, sort=False).first()


def read_pilot_panel(source: Any, columns: Mapping[str, str] | None = None, *,
                     decimal: str | None = None, encoding: str | None = None,
                     delimiter: str | None = None
                     ) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The monthly panel, the members table and the notes, from one pilot table.

    Parameters
    ----------
    source : pandas.DataFrame, str or pathlib.Path
        A DataFrame, or a CSV (also ``.gz``, ``.bz2``, ``.xz``, ``.zip``),
        Excel or Parquet file, one row per member and month.
    columns : dict, optional
        Canonical name -> your column name, e.g. ``{"member_id": "Socio"}``;
        names not mapped are found ignoring case. Canonical names:
        :data:`REQUIRED` and :data:`OPTIONAL`.
    decimal : {",", "."}, optional
        Decimal mark of text numbers; None infers it per column.
    encoding, delimiter : str, optional
        For CSV files; None detects them.

    Returns
    -------
    panel : pandas.DataFrame
        ``member_id`` (text), ``month`` ("YYYY-MM"), ``orders``, ``revenue``,
        ``rewards`` (0 without the column) and ``active`` (0/1; 1 without the
        column), sorted by member and month.
    members : pandas.DataFrame
        One row per member: ``member_id``, ``enrolled`` (0/1) and, with the
        column, ``program_start`` ("YYYY-MM", empty for members not in it).
    notes : list of str
        What was guessed, filled in or set aside, in sentences for the page.

    Raises
    ------
    DataError
        A required column missing (named, with the columns found); an empty
        id or value; ``enrolled`` or ``active`` not 0/1; ``enrolled`` or
        ``program_start`` changing between a member's rows; a month that is
        not a month; negative orders or rewards; a member twice in a month.

    Examples
    --------
    >>> raw = pd.DataFrame({"member_id": ["a", "a"], "month": ["2024-06", "2024-06"],
    ...                     "orders": [1, 2], "revenue": [5.0, 9.0], "enrolled": [1, 1]})
    >>> read_pilot_panel(raw)
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: pilot panel: 1 row repeats a member's month, e.g. member \
'a' in 2024-06. One row per member and month is expected: add up the repeated rows first.
    """
    notes: list[str] = []
    raw, description, used_delimiter = load_source(source, encoding, delimiter, notes)
    found = [str(c) for c in raw.columns]
    mapping = _resolve(found, columns)
    blank = np.ones(len(raw), bool)
    for name in found:
        blank &= as_text(raw[name])[1]
    if blank.any():
        notes.append(_count(int(blank.sum()),
                            N_("{count:,} wholly empty row of the source set aside."),
                            N_("{count:,} wholly empty rows of the source set aside.")))
        raw = raw[~blank].reset_index(drop=True)
    if raw.empty:
        raise DataError(_("The pilot panel ({source}) has no rows.").format(
            source=description))

    def column(canonical: str) -> pd.Series:
        return raw[mapping[canonical]]

    ids = as_ids(column("member_id"))
    if ids.isna().any():
        raise _refuse(mapping["member_id"], int(ids.isna().sum()), _("empty"),
                      _Row(np.flatnonzero(ids.isna().to_numpy())[0]),
                      _("Every row needs the member's id."))
    month_numbers = _months(column("month"), mapping["month"])
    panel = pd.DataFrame({"member_id": ids.to_numpy(dtype=object),
                          "month_number": month_numbers})
    repeated = panel.duplicated(["member_id", "month_number"]).to_numpy()
    if repeated.any():
        first = panel[repeated].iloc[0]
        raise DataError(_count(
            int(repeated.sum()),
            N_("pilot panel: {count:,} row repeats a member's month, e.g. member {member!r} in "
               "{month}. One row per member and month is expected: add up the repeated rows "
               "first."),
            N_("pilot panel: {count:,} rows repeat a member's month, e.g. member {member!r} in "
               "{month}. One row per member and month is expected: add up the repeated rows "
               "first."),
            member=first["member_id"], month=month_label(first["month_number"])))
    panel.insert(1, "month", [month_label(m) for m in month_numbers])
    args = (decimal, used_delimiter, notes)
    for name in ("orders", "revenue"):
        panel[name] = _numbers(column(name), mapping[name], *args)
    negative = panel["orders"].to_numpy() < 0
    if negative.any():
        raise _refuse(mapping["orders"], int(negative.sum()), _("negative"),
                      column("orders").to_numpy(dtype=object)[negative][0],
                      _("Orders count purchases: record returns in revenue, not as negative "
                        "orders."))
    if "rewards" in mapping:
        rewards = _numbers(column("rewards"), mapping["rewards"], *args, allow_missing=True)
        if np.isnan(rewards).any():
            notes.append(_count(int(np.isnan(rewards).sum()),
                                N_("{count:,} empty rewards cell read as 0 (nothing redeemed "
                                   "that month)."),
                                N_("{count:,} empty rewards cells read as 0 (nothing redeemed "
                                   "that month).")))
        rewards = np.nan_to_num(rewards)
        if (rewards < 0).any():
            raise _refuse(mapping["rewards"], int((rewards < 0).sum()), _("negative"),
                          column("rewards").to_numpy(dtype=object)[rewards < 0][0],
                          _("Rewards are what members redeemed, 0 or more."))
        panel["rewards"] = rewards
    else:
        panel["rewards"] = 0.0
        notes.append(_("No rewards column: rewards redeemed count as 0, so the program's cost "
                       "is its running and set-up cost only."))
    if "active" in mapping:
        panel["active"] = _zero_one(column("active"), mapping["active"], *args,
                                    _("Mark a month 1 while the member is a customer and 0 "
                                      "once they have left.")).astype(int)
    else:
        panel["active"] = 1
        notes.append(_("No active column: every member counts as a customer in every month, "
                       "so the report cannot see members leaving (retention is taken as "
                       "100%)."))
    enrolled = pd.Series(_zero_one(column("enrolled"), mapping["enrolled"], *args,
                                   _("Mark the members in the program 1 and the others 0.")),
                         dtype=int)
    members = _one_per_member(ids, enrolled, mapping["enrolled"]).rename("enrolled")
    members = members.rename_axis("member_id").reset_index()
    if "program_start" in mapping:
        starts = column("program_start")
        empty = as_text(starts)[1]
        start_numbers = np.full(len(starts), np.nan)
        if (~empty).any():
            start_numbers[~empty] = _months(starts[~empty].reset_index(drop=True),
                                            mapping["program_start"])
        labels = pd.Series([month_label(m) if m == m else None for m in start_numbers],
                           dtype=object)
        start = _one_per_member(ids, labels, mapping["program_start"])
        members["program_start"] = members["member_id"].map(start).to_numpy()
        mismatch = members["program_start"].notna() != members["enrolled"].eq(1)
        if mismatch.any():
            first = members[mismatch].iloc[0]
            members_shown = _count(int(mismatch.sum()), N_("{count:,} member"),
                                   N_("{count:,} members"))
            arms = (_("(enrolled {enrolled}, start {start})") if first["program_start"]
                    else _("(enrolled {enrolled}, start empty)")).format(
                        enrolled=first["enrolled"], start=first["program_start"])
            raise DataError(_("pilot panel: {members} with a {start_column!r} that does not "
                              "match {enrolled_column!r}, e.g. member {member!r} {arms}. Give "
                              "the enrolled members their first month in the program and leave "
                              "it empty for the others.").format(
                                  members=members_shown, start_column=mapping["program_start"],
                                  enrolled_column=mapping["enrolled"],
                                  member=first["member_id"], arms=arms))
    unused = [c for c in found if c not in mapping.values()]
    if unused:
        notes.append(_("Columns not used by the report: {names}.").format(
            names=list_names(unused)))
    panel = panel.sort_values(["member_id", "month_number"], kind="stable", ignore_index=True)
    panel["member_id"] = panel["member_id"].astype(ids.dtype)
    members["member_id"] = members["member_id"].astype(ids.dtype)
    return panel.drop(columns="month_number"), members, notes


def pilot_launch(panel: pd.DataFrame, members: pd.DataFrame, launch_month: Any = None) -> str:
    """The program's first month, "YYYY-MM": as given, or the enrolled members' one start.

    Raises DataError unless the panel has months both before the launch and
    from it on, or, without ``launch_month``, unless every enrolled member
    has the same ``program_start`` (a phased rollout is lesson 06's
    ``staggered_effect``, not this report).

    Examples
    --------
    >>> panel = pd.DataFrame({"month": ["2024-06", "2024-07"]})
    >>> members = pd.DataFrame({"enrolled": [1, 0], "program_start": ["2024-07", None]})
    >>> pilot_launch(panel, members)
    '2024-07'
    >>> pilot_launch(panel, members, "2024-06")
    Traceback (most recent call last):
    ...
    relmark_lab.errors.DataError: launch_month '2024-06' leaves no month before the launch in \
the panel, which runs from 2024-06 to 2024-07: the report compares the months before the \
launch with those after it.
    """
    first, last = min(panel["month"]), max(panel["month"])
    if launch_month is None:
        if "program_start" not in members:
            raise DataError(_("Pass launch_month='YYYY-MM', the program's first month: the "
                              "panel has no program_start column to read it from."))
        starts = sorted(members.loc[members["enrolled"] == 1, "program_start"].dropna().unique())
        if len(starts) != 1:
            raise DataError(_("The enrolled members started in {count} different months "
                              "({months}); this report evaluates one launch. Pass "
                              "launch_month='YYYY-MM', or evaluate a phased rollout with "
                              "lesson 06's programs.staggered_effect.").format(
                                  count=len(starts), months=", ".join(starts[:4])))
        launch_month = starts[0]
    try:
        if isinstance(launch_month, bool):
            raise DataError("a flag is not a month")
        launch = month_label(_months(pd.Series([launch_month], dtype=object), "launch")[0])
    except DataError:
        raise DataError(_("launch_month must be a month written 'YYYY-MM', e.g. '2024-07'; "
                          "got {value}.").format(value=describe_example(launch_month))) from None
    if launch <= first or launch > last:
        message = (_LAUNCH_AT_START if launch <= first else _LAUNCH_AFTER_END)
        raise DataError(_(message).format(launch=launch, first=first, last=last))
    return launch
