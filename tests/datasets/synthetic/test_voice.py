"""Voice of the customer: seven channels, complaints from the dropout link, focus groups."""

from __future__ import annotations

import pandas as pd

from relmark_lab.datasets import synthetic


def test_voice_of_customer(retailer: synthetic.SyntheticRetailer) -> None:
    voc = retailer.voice_of_customer
    assert set(voc["channel"]) == set(synthetic.VOC_CHANNELS)
    assert set(voc["contact_type"]) == {"complaint", "suggestion", "question", "praise"}
    assert voc["days_to_resolve"].isna().equals(~voc["resolved"])
    assert voc.loc[voc["contact_type"] != "complaint", "resolved"].all()
    sessions = voc[voc["channel"] == "focus group"].groupby("date")["customer_id"]
    assert sessions.size().between(10, 12).all() and sessions.nunique().equals(sessions.size())
    complaints = voc[voc["contact_type"] == "complaint"]
    by_channel = complaints.groupby("channel")["resolved"].mean()
    assert by_channel["personal attention"] > by_channel["complaint box"]
    unresolved = complaints[~complaints["resolved"]].groupby("customer_id").size()
    truth = retailer.customer_truth.set_index("customer_id")["unresolved_complaints"]
    assert unresolved.equals(truth[truth > 0].rename_axis("customer_id").rename(None))


def test_complaints_match_truth_and_resolve_inside_the_window(
    retailer: synthetic.SyntheticRetailer,
) -> None:
    voc = retailer.voice_of_customer
    complaints = voc[voc["contact_type"] == "complaint"].groupby("customer_id").size()
    truth = retailer.customer_truth.set_index("customer_id")["complaints"]
    assert complaints.equals(truth[truth > 0].rename_axis("customer_id").rename(None))
    assert voc["contact_id"].is_unique and voc["date"].is_monotonic_increasing
    days = voc["days_to_resolve"].astype("float64").fillna(0.0)
    resolved_by = voc["date"] + pd.to_timedelta(days, unit="D")
    assert resolved_by.max() <= pd.Timestamp(synthetic.OBSERVATION_END)
