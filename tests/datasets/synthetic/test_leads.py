"""Leads: prospects who never bought, created over the whole window."""

from __future__ import annotations

from relmark_lab.datasets import synthetic


def test_leads_never_bought(retailer: synthetic.SyntheticRetailer) -> None:
    leads = retailer.leads
    assert leads["lead_id"].str.fullmatch(r"L\d{5}").all() and leads["lead_id"].is_unique
    assert leads["created_date"].is_monotonic_increasing
    assert not leads["email"].isin(retailer.customers["email"]).any()
    assert not leads["phone"].isin(retailer.transactions_raw[" Teléfono "]).any()
    assert set(leads["source_channel"]) == set(retailer.truth["acquisition_cost_mean"])
