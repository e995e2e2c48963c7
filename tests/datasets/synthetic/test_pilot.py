"""Loyalty pilot: the members table and the monthly panel hold together as the spec says.

What the effects are worth is in ``test_programs_data.py``; here, the layout:
who is in which design, when members start, how activity, orders, revenue and
rewards relate month by month.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from relmark_lab.datasets import synthetic
from relmark_lab.datasets.synthetic import pilot

MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]


@pytest.fixture(scope="module")
def joined(retailer: synthetic.SyntheticRetailer) -> pd.DataFrame:
    """The panel with each member's design and program start."""
    members = retailer.pilot_members.set_index("member_id")
    return retailer.loyalty_pilot.join(members[["design", "program_start", "tier"]],
                                       on="member_id")


def test_members_per_design_scale_with_customers_and_have_a_floor() -> None:
    assert pilot._members_per_design(5000) == {
        "randomized": 1000, "self_selected": 2000, "rollout": 1500}
    assert pilot._members_per_design(10_000) == {
        "randomized": 2000, "self_selected": 4000, "rollout": 3000}
    assert pilot._members_per_design(200) == {
        "randomized": 500, "self_selected": 800, "rollout": 750}


def test_member_ids_and_the_panel_months(retailer: synthetic.SyntheticRetailer) -> None:
    members, panel = retailer.pilot_members, retailer.loyalty_pilot
    assert members["member_id"].str.fullmatch(r"M\d{5}").all() and members["member_id"].is_unique
    assert members["member_id"].iloc[0] == "M00001"
    assert len(panel) == 12 * len(members)
    months = panel.groupby("member_id", sort=False)["month"].agg(list)
    assert months.map(lambda m: m == MONTHS).all()
    assert list(months.index) == list(members["member_id"])


def test_prior_orders_and_spend_are_the_panel_pre_months(
    retailer: synthetic.SyntheticRetailer,
) -> None:
    panel = retailer.loyalty_pilot
    pre = panel[panel["month"] < "2024-07"].groupby("member_id")[["orders", "revenue"]].sum()
    members = retailer.pilot_members.set_index("member_id")
    assert (members["prior_orders"] == pre["orders"]).all()
    assert np.allclose(members["prior_spend"], pre["revenue"].round(2), atol=1e-9)


def test_program_start_by_design(retailer: synthetic.SyntheticRetailer) -> None:
    members = retailer.pilot_members
    launch = members[members["design"] != "rollout"]
    assert (launch["program_start"].notna() == (launch["enrolled"] == 1)).all()
    assert set(launch["program_start"].dropna()) == {"2024-07"}
    rollout = members[members["design"] == "rollout"]
    assert rollout.groupby("region")["program_start"].nunique(dropna=False).eq(1).all()
    waves = rollout.groupby("region")["program_start"].first().to_dict()
    assert pd.isna(waves.pop("Metropolitana"))  # the pure control
    assert waves == {"Centro": "2024-04", "Occidente": "2024-06", "Norte": "2024-08",
                     "Sur": "2024-10"}
    assert rollout["enrolled"].eq(rollout["program_start"].notna().astype(int)).all()
    chosen = members[members["design"] == "self_selected"]
    assert 0.3 < chosen["enrolled"].mean() < 0.55


def test_covariates_look_as_documented(retailer: synthetic.SyntheticRetailer) -> None:
    members = retailer.pilot_members
    assert members["tier"].value_counts(normalize=True).between(0.28, 0.39).all()
    assert set(members["region"]) == set(synthetic._common._REGIONS)
    assert members["tenure_months"].min() >= 6
    assert 0.55 < members["satisfaction"].isna().mean() < 0.65
    assert members["satisfaction"].dropna().between(1, 5).all()
    # Tiers are terciles of the latent rate, so heavier tiers buy more before the launch.
    prior = members.groupby("tier")["prior_orders"].mean()
    assert prior["light"] < prior["moderate"] < prior["heavy"]
    # Self-selection: the enrolled were heavier and happier before the program existed.
    chosen = members[members["design"] == "self_selected"]
    means = chosen.groupby("enrolled")[["prior_orders", "satisfaction", "tenure_months"]].mean()
    assert (means.loc[1] > means.loc[0]).all()


def test_activity_orders_revenue_and_rewards(joined: pd.DataFrame) -> None:
    assert joined.loc[joined["month"] <= "2024-07", "active"].eq(1).all()
    by_member = joined.groupby("member_id")["active"]
    assert (by_member.diff().fillna(0) <= 0).all()  # once 0, always 0
    assert joined.loc[joined["active"] == 0, "orders"].eq(0).all()
    assert (joined.loc[joined["orders"] == 0, "revenue"] == 0).all()
    assert (joined.loc[joined["orders"] > 0, "revenue"] > 0).all()
    in_program = joined["program_start"].notna() & (
        joined["month"] >= joined["program_start"].fillna("9999-99"))
    assert joined.loc[~in_program, "rewards"].eq(0).all()
    share = joined.loc[in_program & (joined["revenue"] > 0)].eval("rewards / revenue")
    assert share.between(0.039, 0.041).all()
    # Heavy buyers claim the most rewards (Liu 2007) without changing what they buy.
    rewards = joined[in_program].groupby("tier")["rewards"].mean()
    assert rewards["heavy"] > rewards["moderate"] > rewards["light"]
    assert 0.02 < 1 - joined.loc[joined["month"] == "2024-12", "active"].mean() < 0.15


def test_joining_depends_on_the_latent_rate_only_through_last_years_record(
    retailer: synthetic.SyntheticRetailer,
) -> None:
    rng = np.random.default_rng(1)
    latent = {"rate": rng.gamma(2.0, 1.0, 50), "prior_year_orders": rng.poisson(24, 50),
              "satisfaction": rng.normal(size=50), "tenure": rng.integers(6, 60, 50),
              "effect": rng.gamma(4.0, 0.25 / 4.0, 50)}
    chance = pilot._enrolment_probability(latent)
    other_rate = pilot._enrolment_probability({**latent, "rate": latent["rate"] * 3})
    assert np.array_equal(chance, other_rate)
    more_last_year = pilot._enrolment_probability(
        {**latent, "prior_year_orders": latent["prior_year_orders"] * 2})
    assert (more_last_year > chance).all()
    # the record is a year of the same rate: about twice the six pre-launch months
    members = retailer.pilot_members
    ratio = members["prior_year_orders"].mean() / members["prior_orders"].mean()
    assert 1.8 < ratio < 2.0
    assert (members.loc[members["prior_year_orders"] == 0, "prior_year_spend"] == 0).all()
    assert (members.loc[members["prior_year_orders"] > 0, "prior_year_spend"] > 0).all()
