"""Self-checks for the exercises of lesson 01, customer identification.

Each function takes the student's function, runs it on the kit's data and
returns a :class:`~relmark_lab.checks.CheckResult`; the reference answers
come from :mod:`relmark_lab.identify`.

Examples
--------
>>> from relmark_lab.checks import identify as check
>>> def normalize_email(email):
...     return email.strip().lower()
>>> print(check.normalize_email(normalize_email))
Right: 01.1 normalize_email is correct.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from relmark_lab import datasets, identify
from relmark_lab.checks._core import CheckResult, Mistake, check_function

__all__ = [
    "complainer_active_gap",
    "count_people_by_email",
    "normalize_email",
    "resolution_rate_by_channel",
    "stage_conversion",
    "status_counts",
]

#: The observation end and threshold exercise 01.3 is checked with (not the lesson's, on
#: purpose).
STATUS_END = "2025-06-30"
STATUS_DAYS = 180


def _raw(data_dir) -> pd.DataFrame:
    raw, _ = datasets.load_raw_export(data_dir)
    return raw


class _MapOver:
    """Wrap a function of one value so the check can run it on a whole Series."""

    def __init__(self, func: Callable):
        self.func = func

    def __call__(self, values: pd.Series) -> pd.Series:
        return pd.Series([self.func(v) for v in values], index=values.index, dtype="object")


def normalize_email(func: Callable, data_dir=None) -> CheckResult:
    """Check 01.1: one e-mail → its matching key (spaces stripped, lower case)."""
    emails = pd.Series(sorted(set(_raw(data_dir)["Correo"]) - {""}), dtype="object")
    # Variants first, so a wrong answer is shown on a value that needs the rule.
    needs_work = emails.str.strip().str.lower() != emails
    emails = pd.concat([emails[needs_work], emails[~needs_work]], ignore_index=True)
    expected = identify.normalize_email(emails).astype("object")
    padded = emails[emails.str.strip() != emails]
    example = padded.iloc[0] if len(padded) else " ana@gmail.com "
    mistakes = [
        Mistake(emails.str.lower(), f"the surrounding spaces are still there, e.g. {example!r}.",
                "str.strip() removes spaces at both ends."),
        Mistake(emails.str.strip(), "upper-case e-mails stay upper case, so "
                "'ANA@GMAIL.COM' and 'ana@gmail.com' would not match.",
                "lower-case the address with str.lower()."),
        Mistake(emails, "the e-mails come back unchanged.",
                "strip the spaces and lower-case the text, then return it."),
    ]
    return check_function(
        "01.1 normalize_email", _MapOver(func), [emails], expected,
        hint="two string methods, one after the other: strip, then lower.", mistakes=mistakes,
    )


def count_people_by_email(func: Callable, data_dir=None) -> CheckResult:
    """Check 01.2: people left after merging raw ids that share a normalised e-mail."""
    raw = _raw(data_dir)
    by_email = identify.resolve_identities(raw, email_column="Correo", rules=("email",))
    # The same merge on the e-mail as written: each raw spelling made into its own key.
    as_written = raw.assign(Correo=raw["Correo"].map(lambda s: s.encode().hex()))
    unnormalised = identify.resolve_identities(as_written, email_column="Correo",
                                               rules=("email",))
    keys = identify.normalize_email(raw["Correo"])
    as_written_people = unnormalised["customer_key"].nunique()
    mistakes = [
        Mistake(as_written_people,
                "the e-mails were compared as written, so 'ANA@X.MX ' and 'ana@x.mx' stayed apart"
                + (": nothing was merged." if as_written_people == raw["customer_id"].nunique()
                   else "."),
                "strip and lower-case the e-mails before comparing them."),
        Mistake(raw["customer_id"].nunique(), "that is the number of raw ids: nothing was merged.",
                "ids that share an e-mail (after normalising it) are one person."),
        Mistake(keys.nunique(), "that counts distinct e-mails, leaving out the raw ids that "
                "have no e-mail at all; each of them is still a person.",
                "add the ids whose rows all have an empty e-mail."),
    ]
    return check_function(
        "01.2 count_people_by_email", func, [raw], int(by_email["customer_key"].nunique()),
        hint="normalise Correo, take each raw id's e-mail key, and count distinct keys plus the "
        "ids without one.", mistakes=mistakes,
    )


def status_counts(func: Callable, data_dir=None) -> CheckResult:
    """Check 01.3: customers per status at the end of 2025-06-30 with a 180-day threshold."""
    transactions = datasets.load_transactions(data_dir)
    leads = datasets.load_leads(data_dir)
    args = [transactions, leads, STATUS_END, STATUS_DAYS]

    def counts(tx, lead_table, days=STATUS_DAYS):
        status = identify.customer_status(tx, STATUS_END, active_within_days=days,
                                          leads=lead_table)
        return identify.status_counts(status)["customers"]

    expected = counts(transactions, leads)
    with_returns = transactions.assign(amount=transactions["amount"].abs())
    later_leads = leads.assign(created_date=pd.Timestamp("2000-01-01"))
    # Comparing dates with `< observation_end` (midnight) drops that day's purchases only.
    before_the_day = transactions[
        pd.to_datetime(transactions["date"]) < pd.Timestamp(STATUS_END)]
    mistakes = [
        Mistake(counts(transactions, leads, STATUS_DAYS - 1),
                "a customer who bought exactly 180 days before observation_end was called "
                "inactive.",
                "active means days since the last purchase <= active_within_days."),
        Mistake(counts(with_returns, leads),
                "returns were treated as purchases; returning goods does not make a customer "
                "active.", "keep the lines with amount > 0 before taking the last date."),
        Mistake(counts(transactions, later_leads),
                "every lead was counted, including those created after observation_end.",
                "keep the leads with created_date <= observation_end."),
        Mistake(counts(before_the_day, leads),
                "purchases made on the observation_end day itself were left out: the whole "
                "day counts.",
                "keep dates before observation_end + 1 day (dates carry a time of day)."),
    ]
    return check_function(
        "01.3 status_counts", func, args, expected,
        hint="return a Series indexed by 'active', 'inactive', 'potential'; purchases after "
        "observation_end do not exist yet.", mistakes=mistakes,
    )


def stage_conversion(func: Callable, data_dir=None) -> CheckResult:
    """Check 01.4: conversion into each stage from the previous one."""
    transactions = datasets.load_transactions(data_dir)
    truth = datasets.load_truth(data_dir)
    stages = identify.lifecycle_stage(
        transactions, truth["observation_end"], leads=datasets.load_leads(data_dir),
        survey=datasets.load_survey(data_dir),
    )[["customer_id", "stage"]]
    funnel = identify.stage_funnel(stages)
    later = list(identify.STAGES[1:])
    expected = funnel["conversion"].loc[later]
    in_stage = funnel["customers"].astype("float64")
    mistakes = [
        Mistake((in_stage / in_stage.shift(1)).loc[later],
                "you divided the people *in* each stage by those *in* the previous one; a "
                "customer in a later stage has passed through the earlier ones.",
                "count who reached each stage (in it or beyond), then divide by the previous."),
        Mistake((funnel["reached"] / funnel["reached"].iloc[0]).loc[later],
                "these are shares of everyone who entered the funnel, not conversion from the "
                "previous stage.", "divide by the previous stage's reached count."),
    ]
    return check_function(
        "01.4 stage_conversion", func, [stages], expected,
        hint="reached = people in the stage or a later one; conversion = reached / reached of "
        "the previous stage, for the four stages after prospecting.", mistakes=mistakes,
    )


def resolution_rate_by_channel(func: Callable, data_dir=None) -> CheckResult:
    """Check 01.5: share of complaints resolved, per channel that received complaints."""
    contacts = datasets.load_voice_of_customer(data_dir)
    table = identify.complaint_resolution(contacts)
    expected = table["share_resolved"].dropna()
    all_contacts = contacts.groupby("channel")["resolved"].mean().astype("float64")
    mistakes = [
        Mistake(all_contacts.reindex(expected.index),
                "all contacts were counted; only complaints can be unresolved, so questions "
                "and praise push the rate up.", "keep contact_type == 'complaint' first."),
        Mistake(all_contacts, "all contacts were counted; only complaints can be unresolved.",
                "keep contact_type == 'complaint' first."),
        Mistake(table["resolved"].loc[expected.index].astype("float64"),
                "these are counts of resolved complaints, not shares.",
                "take the mean of the True/False column, or divide by the complaints."),
    ]
    return check_function(
        "01.5 resolution_rate_by_channel", func, [contacts], expected,
        hint="filter the complaints, then groupby('channel')['resolved'].mean().",
        mistakes=mistakes,
    )


def complainer_active_gap(func: Callable, data_dir=None) -> CheckResult:
    """Check 01.6: share active, complainers all resolved minus some unresolved."""
    contacts = datasets.load_voice_of_customer(data_dir)
    transactions = datasets.load_transactions(data_dir)
    end = datasets.load_truth(data_dir)["observation_end"]
    status = identify.customer_status(transactions, end)
    retention = identify.complainer_retention(contacts, transactions, end)
    share = retention["share_active"]
    expected = float(share["all resolved"] - share["some unresolved"])

    complaints = contacts[contacts["contact_type"] == "complaint"]
    complaints = complaints[complaints["customer_id"].isin(status["customer_id"])]
    active = complaints["customer_id"].map(status.set_index("customer_id")["status"]) == "active"
    by_complaint = active.groupby(complaints["resolved"].to_numpy()).mean()
    mistakes = [
        Mistake(-expected, "the sign is reversed: resolved minus unresolved is asked.",
                "subtract the unresolved group's share from the resolved group's."),
        Mistake(float(by_complaint[True] - by_complaint[False]),
                "you grouped complaints, not customers: a customer with one resolved and one "
                "unresolved complaint was counted in both groups.",
                "first reduce to one row per complainer: did any complaint stay unresolved?"),
    ]
    return check_function(
        "01.6 complainer_active_gap", func, [contacts, status], expected,
        hint="per complainer: unresolved = not all complaints resolved; then compare the share "
        "with status 'active' in the two groups.", mistakes=mistakes,
    )
