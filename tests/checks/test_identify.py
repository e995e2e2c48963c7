"""Self-checks of lesson 01: right answers pass, common mistakes are named."""


import pandas as pd
import pytest

from relmark_lab import identify
from relmark_lab.checks import identify as check


def _todo(*args):
    raise NotImplementedError()


CHECKS = [check.normalize_email, check.count_people_by_email, check.status_counts,
          check.stage_conversion, check.resolution_rate_by_channel, check.complainer_active_gap]


@pytest.mark.parametrize("run", CHECKS, ids=lambda f: f.__name__)
def test_checks_say_not_answered_and_survive_bugs(run):
    assert run(_todo).status == "unanswered"
    crashed = run(lambda *args: args[0]["no such column"])
    assert crashed.status == "wrong" and "stopped with" in crashed.because


def test_email_check_recognises_a_missing_strip():
    result = check.normalize_email(lambda email: email.lower())
    assert result.status == "wrong" and "spaces" in result.because


def test_people_check_recognises_no_merge_and_unnormalised_emails():
    assert "nothing was merged" in check.count_people_by_email(
        lambda raw: raw["customer_id"].nunique()).because

    def as_written(raw):
        keys = raw["Correo"].replace("", pd.NA)
        per_id = keys.groupby(raw["customer_id"]).first()
        return per_id.nunique() + int(per_id.isna().sum())

    # Every legacy id spells its e-mail differently, so this is the no-merge count too.
    assert "as written" in check.count_people_by_email(as_written).because

    def without_missing(raw):
        return raw["Correo"].str.strip().str.lower().replace("", pd.NA).nunique()

    assert "no e-mail at all" in check.count_people_by_email(without_missing).because


def _purchase_days(transactions, day):
    """Each customer's last purchase day by the end of ``day``."""
    seen = transactions[(transactions["amount"] > 0)
                        & (transactions["date"] < day + pd.Timedelta(days=1))]
    return seen.groupby("customer_id")["date"].max().dt.normalize()


def test_status_check_accepts_the_last_positive_line():
    def right(transactions, leads, observation_end, days):
        day = pd.Timestamp(observation_end)
        since = (day - _purchase_days(transactions, day)).dt.days
        active = int((since <= days).sum())
        return pd.Series({"active": active, "inactive": len(since) - active,
                          "potential": int((leads["created_date"] <= day).sum())})

    assert check.status_counts(right).passed


def test_status_check_recognises_returns_taken_for_purchases():
    def with_returns(transactions, leads, observation_end, days):
        day = pd.Timestamp(observation_end)
        seen = transactions[transactions["date"] < day + pd.Timedelta(days=1)]
        since = (day - seen.groupby("customer_id")["date"].max().dt.normalize()).dt.days
        active = int((since <= days).sum())
        return pd.Series({"active": active, "inactive": len(since) - active,
                          "potential": int((leads["created_date"] <= day).sum())})

    assert "returns were treated as purchases" in check.status_counts(with_returns).because


def test_status_check_recognises_strict_threshold():
    def strict(transactions, leads, observation_end, days):
        day = pd.Timestamp(observation_end)
        since = (day - _purchase_days(transactions, day)).dt.days
        active = int((since < days).sum())
        return pd.Series({"active": active, "inactive": len(since) - active,
                          "potential": int((leads["created_date"] <= day).sum())})

    assert "exactly 180 days" in check.status_counts(strict).because


def test_status_check_recognises_the_end_day_left_out():
    def before_midnight(transactions, leads, observation_end, days):
        day = pd.Timestamp(observation_end)
        buys = transactions[(transactions["amount"] > 0) & (transactions["date"] < day)]
        since = (day - buys.groupby("customer_id")["date"].max().dt.normalize()).dt.days
        active = int((since <= days).sum())
        potential = leads[(leads["created_date"] < day + pd.Timedelta(days=1))
                          & ~leads["lead_id"].isin(buys["customer_id"])]
        return pd.Series({"active": active, "inactive": len(since) - active,
                          "potential": len(potential)})

    result = check.status_counts(before_midnight)
    assert result.status == "wrong" and "observation_end day itself" in result.because


def test_funnel_and_resolution_checks_recognise_common_mistakes():
    stages = identify.STAGES

    def per_stage(frame):
        counts = frame["stage"].astype(str).value_counts().reindex(stages, fill_value=0)
        return (counts / counts.shift(1)).loc[list(stages[1:])]

    assert "*in* each stage" in check.stage_conversion(per_stage).because
    every = check.resolution_rate_by_channel(lambda c: c.groupby("channel")["resolved"].mean())
    assert "only complaints" in every.because


def test_gap_check_recognises_reversed_sign():
    def reversed_gap(contacts, status):
        complaints = contacts[contacts["contact_type"] == "complaint"]
        resolved = complaints.groupby("customer_id")["resolved"].all()
        table = status.set_index("customer_id")
        resolved = resolved[resolved.index.isin(table.index)]
        active = table.loc[resolved.index, "status"] == "active"
        return active[~resolved].mean() - active[resolved].mean()

    assert "sign is reversed" in check.complainer_active_gap(reversed_gap).because
