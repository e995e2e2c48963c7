"""The contact plan: a channel per value tier, a floor, a cap and the budget shared by value."""

import pandas as pd
import pytest

from relmark_lab import DataError
from relmark_lab import differentiate as dif


def test_contact_plan_channels_floor_and_cap():
    tiers = pd.DataFrame({"tier": ["top", "mid", "low"], "customers": [10, 100, 1000],
                          "value_per_customer": [2000.0, 500.0, -20.0]})
    plan = dif.contact_plan(tiers, 50_000.0).set_index("tier")
    assert plan.loc["top", "channel"] == "face to face"
    assert plan.loc["mid", "channel"] == "e-mail"  # 0.008*500-0.3=3.7 beats 0.03*500-12=3
    assert plan.loc["low", "channel"] == "radio"
    assert plan.loc["low", "contacts_per_customer"] == pytest.approx(1.0)
    # both are capped at 12 contacts per customer: 10 x 12 x 180 and 100 x 12 x 0.3 MXN
    assert plan.loc["top", "budget"] == pytest.approx(21_600.0)
    assert plan.loc["mid", "budget"] == pytest.approx(360.0)
    assert plan.attrs["unspent"] == pytest.approx(50_000.0 - 500 - 21_600 - 360)


def test_contact_plan_shares_the_budget_by_total_value():
    tiers = pd.DataFrame({"tier": ["a", "b"], "customers": [10, 30],
                          "value_per_customer": [3000.0, 1000.0]})
    plan = dif.contact_plan(tiers, 6_000.0, max_contacts_per_customer=100).set_index("tier")
    assert plan["budget"].tolist() == pytest.approx([3_000.0, 3_000.0])  # 30,000 each


def test_contact_plan_budget_below_floor_pays_part_of_the_floor():
    tiers = pd.DataFrame({"tier": ["low", "top"], "customers": [1000, 10],
                          "value_per_customer": [-1.0, 1000.0]})
    plan = dif.contact_plan(tiers, 250.0).set_index("tier")  # radio floor: 1000 × 0.5 MXN
    assert plan.loc["low", "budget"] == pytest.approx(250.0)
    assert plan.loc["top", "budget"] == 0.0
    assert plan.attrs["floor_covered"] == pytest.approx(0.5)
    nothing = dif.contact_plan(tiers, 0)
    assert nothing["budget"].sum() == 0 and nothing["budget_share"].sum() == 0
    assert nothing.attrs["floor_covered"] == 0 and nothing.attrs["unspent"] == 0
    assert dif.contact_plan(tiers, 5000.0).attrs["floor_covered"] == 1.0


def test_contact_plan_checks_its_inputs():
    tiers = pd.DataFrame({"tier": ["top"], "customers": [10], "value_per_customer": [100.0]})
    with pytest.raises(DataError, match="budget must be a finite number at least 0, got -5"):
        dif.contact_plan(tiers, -5)
    with pytest.raises(DataError, match=r"^tier table: column 'customers' is below 0 in 1 row"):
        dif.contact_plan(tiers.assign(customers=[-1]), 100.0)
    channels = dif.DEFAULT_CHANNELS.assign(response_rate=1.5)
    with pytest.raises(DataError, match=r"^channel table: column 'response_rate' is outside "
                       r"0–1 in 7 rows, e\.g\. 1\.5\.$"):
        dif.contact_plan(tiers, 100.0, channels=channels)
    with pytest.raises(DataError, match="no 'mass media' channel"):
        dif.contact_plan(tiers, 100.0, channels=dif.DEFAULT_CHANNELS.iloc[3:])
    with pytest.raises(DataError, match="max_contacts_per_customer must be a finite number "
                       "at least 2"):
        dif.contact_plan(tiers, 100.0, floor_contacts=2, max_contacts_per_customer=1)
