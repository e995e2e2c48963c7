"""Self-checks for the exercises of lesson 01, customer identification.

Each check runs the student's function on the lesson's data and on data never shown
(:mod:`relmark_lab.checks._cases`) and names the usual mistakes by the answers they give.
01.7 is a decision, whom to call in a win-back campaign, scored on the customers' true
order values (``customer_truth.csv``), which the table only estimates.

>>> from relmark_lab.checks import identify as check
>>> print(check.normalize_email(lambda email: email.strip().lower()))
Right: 01.1 normalize_email is correct.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from relmark_lab import datasets, identify
from relmark_lab.checks._cases import kit_cases, unseen_data_dir, unseen_label, unseen_rng
from relmark_lab.checks._core import Case, CheckResult, Hints, Mistake, check_function
from relmark_lab.checks._win_back import (  # noqa: F401 (01.7's rates, for the lesson)
    MARGIN_RATE,
    RESPONSE_RATE,
    RESPONSE_RATE_UNRESOLVED,
    _as_choice,
    _end,
    _win_back_cases,
)
from relmark_lab.i18n import N_, get_language
from relmark_lab.i18n import gettext as _

__all__ = ["complainer_active_gap", "count_people_by_email", "customer_status", "normalize_email",
           "resolution_rate_by_channel", "stage_conversion", "whom_to_win_back"]

#: The two stages of help of each exercise: the idea first, then the concrete step.
_HINTS = {
    "01.1": Hints(N_("a matching key must come out the same however a customer typed the "
                     "address: the spaces around it and its capitals do not change the mailbox."),
                  N_("two string methods, one after the other: one removes the spaces at both "
                     "ends, the other makes every letter small.")),
    "01.2": Hints(N_("one person may have typed one mailbox differently under two ids: ids that "
                     "share a mailbox are one person, and an id that never gave one is a person "
                     "too."),
                  N_("give every raw id its normalised e-mail key, count the distinct keys, and "
                     "add the ids that have none.")),
    "01.3": Hints(N_("a status says what each person had done by the end of the last observed "
                     "day: a purchase active_within_days days ago is still recent, a return is no "
                     "visit, and nothing after that day has happened yet."),
                  N_("keep purchase lines dated before the day after observation_end; count "
                     "whole days from each customer's last purchase day; add the leads created "
                     "by then.")),
    "01.4": Hints(N_("whoever is in a later stage also passed the earlier ones; conversion asks "
                     "how many of those who got to one stage went on to the next."),
                  N_("reached = people in the stage or a later one; conversion = reached / "
                     "reached of the previous stage, for the four stages after prospecting.")),
    "01.5": Hints(N_("a tool of the voice of the customer is judged by how many of the "
                     "complaints it receives get solved; the other contacts cannot stay "
                     "unsolved."),
                  N_("filter the complaints, then group by channel and average `resolved`.")),
    "01.6": Hints(N_("the question is about people: among those who complained, do the ones who "
                     "saw every complaint solved stay more often than those left with one "
                     "unsolved?"),
                  N_("per complainer: were all complaints resolved (.all())? Then compare the "
                     "share with status 'active' in the two groups.")),
    "01.7": Hints(N_("a win-back call pays when what it should bring back (the chance the "
                     "customer answers × the margin on the order they place) beats its cost; a "
                     "limited budget goes to the calls worth most."),
                  N_("per inactive customer: response rate (lower with an unresolved complaint) "
                     "× margin × usual order (revenue / orders) − cost_per_call; keep the "
                     "positive ones, largest first, as many as the budget pays for.")),
}


def _cases(make: Callable, data_dir=None, kit: bool = True) -> tuple[Case, ...]:
    """A check's cases, made once per kernel, data folder and language, so re-running is quick.

    The language is part of the key: the texts with values in them are written in it.
    """
    return _cases_in(make, data_dir, kit, get_language())


@functools.cache
def _cases_in(make: Callable, data_dir, kit: bool, language: str) -> tuple[Case, ...]:
    return tuple(kit_cases(make, data_dir) if kit else make(data_dir))


def _emails(folder) -> tuple:
    typed = sorted({e for e in datasets.load_raw_export(folder)[0]["Correo"].dropna()
                    if e.strip()})
    typed.sort(key=lambda e: e.strip().lower() == e)  # so a verdict's example needs the rule
    emails = pd.Series(typed, index=pd.Index(typed, name="e-mail"), dtype="object")
    text = emails.str
    one_end = [(getattr(text, side)().str.lower(), because,
                N_("str.strip() removes them at both ends."))
               for side, because in (
                   ("lstrip", N_("only the spaces at the start were removed; some addresses have "
                                 "spaces at the other end too.")),
                   ("rstrip", N_("only the spaces at the end were removed; some addresses have "
                                 "spaces at the other end too.")))]
    return (emails,), identify.normalize_email(emails).astype("object"), [Mistake(*m) for m in (
        (text.lower(), N_("the spaces around some addresses are still there, so ' ana@x.mx' and "
                          "'ana@x.mx' would stay two customers."),
         N_("remove the spaces at both ends.")),
        *one_end,
        (text.strip(), N_("capital letters were kept, so 'ANA@X.MX' and 'ana@x.mx' would stay two "
                          "customers although they reach one mailbox."),
         N_("lower-case the address too.")),
        (emails, N_("the addresses come back as they were typed."),
         N_("strip the spaces, lower-case the text, and return it.")))]


def normalize_email(func: Callable, data_dir=None) -> CheckResult:
    """Check 01.1: one e-mail → its matching key (surrounding spaces removed, lower case)."""
    each = func if not callable(func) else (  # the check gives it every e-mail, one by one
        lambda emails: pd.Series([func(e) for e in emails], index=emails.index, dtype="object"))
    return check_function("01.1 normalize_email", each, _cases(_emails, data_dir),
                          hints=_HINTS["01.1"])


def _people(ids: pd.Series, keys: pd.Series) -> int:
    """People when raw ids sharing a key are merged (each id has one key at most)."""
    per_id = keys.mask(keys.fillna("").str.strip() == "").groupby(ids).first()
    return int(per_id.nunique() + per_id.isna().sum())


def _people_case(folder) -> tuple:
    raw, _ = datasets.load_raw_export(folder)
    mapping = identify.resolve_identities(raw, email_column="Correo", phone_column=None,
                                          name_column=None, rules=("email",))
    ids, typed = raw["customer_id"], raw["Correo"]
    keys = identify.normalize_email(typed)
    as_typed, raw_ids = _people(ids, typed), ids.nunique()
    return (raw,), int(mapping["customer_key"].nunique()), [Mistake(*m) for m in (
        (as_typed, N_("the e-mails were compared as typed, so 'ANA@X.MX ' and 'ana@x.mx' "
                      "stayed apart: nothing was merged.") if as_typed == raw_ids else
         N_("the e-mails were compared as typed, so 'ANA@X.MX ' and 'ana@x.mx' stayed apart."),
         N_("strip and lower-case the e-mails before comparing them.")),
        (_people(ids, typed.str.lower()),
         N_("the spaces around the e-mails were kept, so ' ana@x.mx' and 'ana@x.mx' stayed two "
            "people."),
         N_("strip the spaces too.")),
        (_people(ids, typed.str.strip()),
         N_("capital letters were kept, so 'ANA@X.MX' and 'ana@x.mx' stayed two people."),
         N_("lower-case the e-mails too.")),
        (raw_ids, N_("that is the number of raw ids: nothing was merged."),
         N_("ids that share an e-mail (after normalising it) are one person.")),
        (keys.nunique(),
         N_("that counts distinct e-mails and leaves out the raw ids that never gave one; each "
            "of them is still a person."),
         N_("add the ids whose rows all have an empty e-mail.")),
        (keys.nunique() + int(keys.isna().sum()),
         N_("every order line without an e-mail was counted as a person; a person is a raw id, "
            "and an id has many lines."),
         N_("count ids, not rows: group the e-mail keys by customer_id first.")),
        (keys.nunique() + ids[keys.isna()].nunique(),
         N_("ids that left the e-mail empty on some lines but gave it on others were counted "
            "twice."),
         N_("an id without an e-mail is one whose lines *all* have it empty.")))]


def count_people_by_email(func: Callable, data_dir=None) -> CheckResult:
    """Check 01.2: people left after merging raw ids that share a normalised e-mail."""
    return check_function("01.2 count_people_by_email", func, _cases(_people_case, data_dir),
                          hints=_HINTS["01.2"])


def _labels(tx, leads, end, days, *, strict=False, returns=False, midnight=False,
            clock=False, future=False, all_leads=False) -> pd.Series:
    """Status per customer as the exercise defines it, or as a known mistake gets it."""
    day = pd.Timestamp(end)
    cut = day if midnight else day + pd.Timedelta(days=1)
    lines = tx if returns else tx[tx["amount"] > 0]
    last = (lines if future else lines[lines["date"] < cut]).groupby("customer_id")["date"].max()
    since = (day - (last if clock else last.dt.normalize())).dt.days
    active = since < days if strict else since <= days
    labels = pd.Series(np.where(active, "active", "inactive"), index=last.index, dtype="object")
    known = leads if all_leads else leads[leads["created_date"] < cut]
    known = known.loc[~known["lead_id"].isin(labels.index), "lead_id"].to_numpy()
    return pd.concat([labels, pd.Series("potential", index=known, dtype="object")]).rename_axis(
        "customer_id")


def _status_case(label: str, tx, leads, end, days, seen: bool) -> Case:
    status = identify.customer_status(tx, end, active_within_days=days, leads=leads)
    expected = status.set_index("customer_id")["status"].astype("object")
    mistakes = [Mistake(_labels(tx, leads, end, days, **{rule: True}), because, hint)
                for rule, because, hint in (
        ("strict", _("customers who bought exactly {days} days before observation_end were "
                     "called inactive: at the threshold a customer is still active.").format(
                         days=days),
         N_("active means days since the last purchase <= active_within_days.")),
        ("returns", N_("returns were taken for purchases: bringing goods back does not make a "
                       "customer active."),
         N_("keep the lines with amount > 0 before taking the last date.")),
        ("midnight", N_("what happened on the observation_end day itself was left out: the "
                        "whole day counts."),
         N_("keep dates before observation_end + 1 day (dates carry a time of day).")),
        ("clock", N_("days were counted from the clock time of the last purchase, so a purchase "
                     "one day past the threshold, at 14:00, looked recent enough."),
         N_("take the calendar day of the last purchase (.dt.normalize()) first.")),
        ("future", N_("purchases after observation_end were used: on that day they have not "
                      "happened yet."),
         N_("drop the lines dated after the observation_end day first.")),
        ("all_leads", N_("leads created after observation_end were counted as potential "
                         "customers."),
         N_("keep the leads with created_date on or before observation_end.")))]
    return Case(label, (tx, leads, end, days), expected, tuple(mistakes), seen=seen)


def _status_cases(data_dir) -> list[Case]:
    """01.3 at other days and thresholds, then six customers and three leads at boundaries."""
    rng = unseen_rng(13)  # unseen data: a day and a threshold the student cannot anticipate
    unseen_end = str((pd.Timestamp("2024-06-30") + pd.Timedelta(days=int(rng.integers(500)))
                      ).date())
    cases = []
    for label, folder, end, around in (
            (N_("the lesson's data"), data_dir, "2025-06-30", 180),
            (unseen_label(), unseen_data_dir(), unseen_end, int(rng.integers(60, 300)))):
        tx, leads = datasets.load_transactions(folder), datasets.load_leads(folder)
        # A threshold near `around` with as many customers as possible exactly at it.
        since = identify.customer_status(tx, end)["days_since_last_purchase"].astype("float64")
        counts = since[(since - around).abs() <= 30].value_counts()
        days = int(counts[counts == counts.max()].index.min()) if len(counts) else around
        cases.append(_status_case(label, tx, leads, end, days, seen=folder is data_dir))
    rows = [("A", "2024-12-31 11:00", 120.0, "1"),  # exactly 90 days before: still active
            ("B", "2024-12-20 12:00", 300.0, "2"), ("B", "2025-01-15 17:00", -300.0, "3"),
            ("C", "2024-06-01 10:00", 80.0, "4"), ("C", "2025-03-31 18:30", 95.0, "5"),
            ("D", "2024-01-10 13:00", 60.0, "6"), ("D", "2025-04-02 12:00", 70.0, "7"),
            ("F", "2024-12-30 14:00", 45.0, "8"),  # 91 calendar days, 90 by the clock
            ("G", "2025-04-03 10:00", 50.0, "9")]  # first purchase after the end
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount", "order_id"])
    tx["date"] = pd.to_datetime(tx["date"])
    leads = pd.DataFrame({"lead_id": ["L1", "L2", "L3"], "created_date": pd.to_datetime(
        ["2025-02-01", "2025-03-31", "2025-04-15"])})
    return [*cases, _status_case(N_("a small example made for this check (customers at every "
                                    "boundary)"), tx, leads, "2025-03-31", 90, seen=False)]


def customer_status(func: Callable, data_dir=None) -> CheckResult:
    """Check 01.3: each customer's and lead's status, at other days and thresholds."""
    return check_function("01.3 customer_status", func, _cases(_status_cases, data_dir, False),
                          hints=_HINTS["01.3"])


def _funnel(folder) -> tuple:
    later = list(identify.STAGES[1:])
    stages = identify.lifecycle_stage(
        datasets.load_transactions(folder), _end(folder), leads=datasets.load_leads(folder),
        survey=datasets.load_survey(folder))[["customer_id", "stage"]]
    funnel = identify.stage_funnel(stages)
    in_stage, reached = funnel["customers"].astype("float64"), funnel["reached"]
    up_to = in_stage.cumsum()
    return (stages,), funnel["conversion"].loc[later], [Mistake(*m) for m in (
        ((in_stage / in_stage.shift(1)).loc[later],
         N_("you divided the people *in* each stage by those *in* the previous one; a customer "
            "in a later stage has passed through the earlier ones."),
         N_("count who reached each stage (in it or beyond), then divide.")),
        ((up_to / up_to.shift(1)).loc[later],
         N_("you counted the people in a stage or an *earlier* one; reaching a stage means being "
            "in it or beyond it."),
         N_("accumulate the counts from the last stage backwards.")),
        ((reached / reached.iloc[0]).loc[later],
         N_("these are shares of everyone who entered the funnel, not conversion from the "
            "previous stage."),
         N_("divide by the previous stage's count of people who reached it.")),
        (1 - funnel["conversion"].loc[later],
         N_("that is the share who did *not* go on (the leak), not the conversion."),
         N_("conversion = reached / reached of the stage before.")))]


def stage_conversion(func: Callable, data_dir=None) -> CheckResult:
    """Check 01.4: conversion into each stage from the previous one."""
    return check_function("01.4 stage_conversion", func, _cases(_funnel, data_dir),
                          hints=_HINTS["01.4"])


def _resolution(folder) -> tuple:
    contacts = datasets.load_voice_of_customer(folder)
    table = identify.complaint_resolution(contacts)
    expected = table["share_resolved"].dropna()
    every = contacts.groupby("channel")["resolved"].mean().astype("float64")
    resolved = table["resolved"].loc[expected.index].astype("float64")
    only = N_("keep contact_type == 'complaint' first.")
    return (contacts,), expected, [Mistake(*m) for m in (
        (every, N_("every contact was counted; only complaints can stay unresolved, so "
                   "questions and praise push the rate up (and the focus groups got one)."),
         only),
        (resolved, N_("these are counts of resolved complaints, not shares."),
         N_("take the mean of the True/False column, or divide by the complaints.")),
        (1 - expected, N_("that is the share left *un*resolved."),
         N_("average `resolved` itself.")),
        (resolved / table["complaints"].sum(),
         N_("you divided by all complaints, not by the complaints each channel received."),
         N_("group by channel before taking the mean.")))]


def resolution_rate_by_channel(func: Callable, data_dir=None) -> CheckResult:
    """Check 01.5: share of complaints resolved, per channel that received complaints."""
    return check_function("01.5 resolution_rate_by_channel", func, _cases(_resolution, data_dir),
                          hints=_HINTS["01.5"])


def _gap(folder) -> tuple:
    """01.6 on the contacts and statuses at the end of the data (180 days on unseen data)."""
    contacts, tx, end = (datasets.load_voice_of_customer(folder),
                         datasets.load_transactions(folder), _end(folder))
    days = 180 if folder is not None and Path(folder) == unseen_data_dir() else 365
    status = identify.customer_status(tx, end, active_within_days=days)
    share = identify.complainer_retention(contacts, tx, end,
                                          active_within_days=days)["share_active"]
    expected = float(share["all resolved"] - share["some unresolved"])
    active = status.set_index("customer_id")["status"].astype(str).eq("active")
    complaints = contacts[contacts["contact_type"] == "complaint"]

    def gap(all_solved: pd.Series) -> float:
        all_solved = all_solved[all_solved.index.isin(active.index)].astype(bool)
        found = active.reindex(all_solved.index)
        return float(found[all_solved].mean() - found[~all_solved].mean())

    unsolved = complaints.loc[~complaints["resolved"].astype(bool), "customer_id"]
    rows = complaints[complaints["customer_id"].isin(active.index)]
    hit, solved = rows["customer_id"].map(active), rows["resolved"].astype(bool)
    return (contacts, status), expected, [Mistake(*m) for m in (
        (gap(complaints.groupby("customer_id")["resolved"].any()),
         N_("a complainer with one complaint solved and another left unsolved was put with the "
            "resolved: the group is those whose complaints were *all* solved, not *any*."),
         N_("per complainer, use .all() of `resolved`, not .any().")),
        (float(hit[solved].mean() - hit[~solved].mean()),
         N_("you compared complaints, not customers: a customer with three complaints weighed "
            "three times."),
         N_("first reduce to one row per complainer.")),
        (gap(contacts.groupby("customer_id")["resolved"].all()),
         N_("every contact was counted: customers who only asked or praised joined the "
            "resolved group."),
         N_("keep contact_type == 'complaint' first.")),
        (gap(pd.Series(~active.index.isin(unsolved), index=active.index)),
         N_("customers who never complained were put with the resolved group; the comparison "
            "is among complainers only."),
         N_("keep the customers with at least one complaint first.")))]


def complainer_active_gap(func: Callable, data_dir=None) -> CheckResult:
    """Check 01.6: share active, complainers all resolved minus some unresolved."""
    return check_function("01.6 complainer_active_gap", func, _cases(_gap, data_dir),
                          hints=_HINTS["01.6"])


def whom_to_win_back(func: Callable, data_dir=None) -> CheckResult:
    """Check 01.7 (a decision): the inactive customers to call, scored on their true orders."""
    return check_function("01.7 whom_to_win_back", _as_choice(func),
                          _cases(_win_back_cases, data_dir, False), hints=_HINTS["01.7"])
