"""People: names with accents, e-mails derived from them, regional phones, all unique."""

from __future__ import annotations

import numpy as np
import pandas as pd

from relmark_lab.datasets import synthetic
from relmark_lab.datasets.synthetic._common import _REGIONS, _fold_accents
from relmark_lab.datasets.synthetic.people import _draw_people


def test_customer_contact_fields(retailer: synthetic.SyntheticRetailer) -> None:
    customers = retailer.customers
    assert customers["phone"].str.fullmatch(r"\d{2} \d{4} \d{4}").all()
    assert customers["email"].str.fullmatch(r"[a-z0-9._]+@[a-z.]+").all()
    assert customers["name"].str.contains("[áéíóúñÁÉÍÓÚ]").mean() > 0.5


def test_emails_and_phones_are_unique_across_customers_and_leads(
    retailer: synthetic.SyntheticRetailer,
) -> None:
    assert retailer.customers["email"].is_unique
    for column in ("email", "phone"):
        both = pd.concat([retailer.customers[column], retailer.leads[column]])
        assert both.is_unique, column


def test_phone_lead_follows_region() -> None:
    regions = np.array(list(_REGIONS) * 40, dtype=object)
    people = _draw_people(np.random.default_rng(3), regions)
    lead = people["phone"].str[:2]
    for region, (_, leads) in _REGIONS.items():
        assert lead[regions == region].isin(leads).all(), region


def test_emails_are_built_from_the_name_without_accents() -> None:
    regions = np.array(["Centro"] * 200, dtype=object)
    people = _draw_people(np.random.default_rng(4), regions)
    assert people["email"].str.fullmatch(r"[a-z0-9._]+@[a-z.]+").all()
    for name, email in zip(people["name"], people["email"], strict=True):
        words = _fold_accents(name).lower().split()  # first name(s), two last names
        local = email.split("@")[0]
        assert local[0] == words[0][0] and words[-2] in local, (name, email)
