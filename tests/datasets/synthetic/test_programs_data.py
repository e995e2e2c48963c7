"""Lesson 06's data: simple estimators on the simulated tables recover the saved truth.

The truth (``truth["programs"]``) is computed in closed form inside the
simulator; here it is checked against what a difference in means, a
difference-in-differences or a regression finds in the tables, and against
large simulations of the same processes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import special

from relmark_lab.datasets import synthetic
from relmark_lab.datasets.synthetic import pilot, pilot_truth, programs_data

Z95 = 1.959964


def _by_member(retailer: synthetic.SyntheticRetailer, design: str) -> pd.DataFrame:
    """Each member of a design with mean orders before and from the launch."""
    members = retailer.pilot_members.query("design == @design").set_index("member_id")
    panel = retailer.loyalty_pilot[retailer.loyalty_pilot["member_id"].isin(members.index)]
    post = panel["month"] >= retailer.truth["programs"]["launch_month"]
    means = panel.groupby(["member_id", post.rename("post")])["orders"].mean().unstack()
    return members.join(means.rename(columns={False: "pre", True: "post"}))


def _difference(values: pd.Series, treated: pd.Series) -> tuple[float, float]:
    """Difference in means of treated and untreated, and its Welch standard error."""
    one, zero = values[treated.astype(bool)], values[~treated.astype(bool)]
    return one.mean() - zero.mean(), np.sqrt(one.var() / len(one) + zero.var() / len(zero))


def _twfe(panel: pd.DataFrame, treated: pd.Series) -> float:
    """Two-way fixed-effects slope on a balanced member x month panel (double demeaning)."""
    def demean(x: pd.DataFrame) -> np.ndarray:
        x = x.to_numpy(dtype=float)
        return x - x.mean(axis=1, keepdims=True) - x.mean(axis=0, keepdims=True) + x.mean()

    orders = demean(panel.pivot(index="member_id", columns="month", values="orders"))
    dummy = demean(treated.unstack())
    return float((orders * dummy).sum() / (dummy**2).sum())


def test_randomized_difference_in_means_covers_the_ate(retailer) -> None:
    truth = retailer.truth["programs"]["randomized"]
    members = _by_member(retailer, "randomized")
    estimate, se = _difference(members["post"], members["enrolled"])
    assert abs(estimate - truth["ate"]["orders"]) < Z95 * se
    assert se < 0.6 * truth["ate"]["orders"]  # the pilot can tell the effect from zero
    # Strata are split in exact halves (one extra member at most in odd strata).
    counts = members.groupby(["region", "tier", "enrolled"]).size().unstack()
    assert (counts[1] - counts[0]).abs().max() <= 1


def test_self_selected_naive_overstates_and_did_recovers_the_att(retailer) -> None:
    truth = retailer.truth["programs"]["self_selected"]
    att = truth["att"]["orders"]
    assert 5 <= truth["naive_to_att"]["orders"] <= 7
    assert 5 <= truth["naive_to_att"]["revenue"] <= 7
    members = _by_member(retailer, "self_selected")
    naive, naive_se = _difference(members["post"], members["enrolled"])
    did, did_se = _difference(members["post"] - members["pre"], members["enrolled"])
    expected_naive = truth["expected_naive_difference"]["orders"]
    assert abs(naive - expected_naive) < Z95 * naive_se
    assert 4.5 * att < naive < 8 * att
    assert abs(did - truth["expected_difference_in_differences"]["orders"]) < 2.6 * did_se
    assert abs(did - att) < 2.6 * did_se  # the committed data are a +2.0 SE draw
    # DiD's only bias here is second order: lower dropout of heavier buyers.
    assert truth["expected_difference_in_differences"]["orders"] == pytest.approx(att, rel=0.05)


def test_effects_by_tier_and_dropout_in_a_large_randomized_pilot() -> None:
    """45,000 members (the private builder at 50,000 customers): Liu's tiers and the hazard."""
    members, panel, latent = pilot._build_pilot(np.random.default_rng(11), 50_000)
    truth = pilot_truth._pilot_truth(latent)["randomized"]
    after = panel["month"] >= "2024-07"
    means = panel.groupby(["member_id", after.rename("post")])["orders"].mean().unstack()
    table = members.set_index("member_id").join((means[True] - means[False]).rename("change"))
    randomized = table[table["design"] == "randomized"]
    for tier, group in randomized.groupby("tier"):  # change scores: the rate's spread cancels
        estimate, se = _difference(group["change"], group["enrolled"])
        assert abs(estimate - truth["by_tier"][tier]["orders"]) < 2.6 * se, tier
    assert truth["by_tier"]["heavy"]["orders"] < 0.1 * truth["by_tier"]["light"]["orders"]
    last = panel.loc[panel["month"] == "2024-12"].set_index("member_id")["active"]
    enrolled = randomized.index[randomized["enrolled"] == 1]
    share = last.loc[enrolled].mean()
    se = np.sqrt(share * (1 - share) / len(enrolled))
    assert abs(share - truth["active_in_last_month"]["enrolled_with_program"]) < 2.6 * se
    without = truth["active_in_last_month"]["enrolled_without_program"]
    assert share - without > 3 * se  # the program keeps members: the hazard is 30% lower


def test_rollout_effects_by_wave_and_the_biased_twfe(retailer) -> None:
    truth = retailer.truth["programs"]["rollout"]
    members = retailer.pilot_members.query("design == 'rollout'").set_index("member_id")
    panel = retailer.loyalty_pilot[retailer.loyalty_pilot["member_id"].isin(members.index)]
    assert members.groupby("region")["program_start"].nunique(dropna=False).eq(1).all()
    never = members.index[members["program_start"].isna()]
    assert set(members.loc[never, "region"]) == {"Metropolitana"}
    orders = panel.pivot(index="member_id", columns="month", values="orders")
    for start, wave in truth["by_wave"].items():
        cohort = members.index[members["program_start"] == start]
        assert set(members.loc[cohort, "region"]) == {wave["region"]}
        after = orders.columns >= start
        change = orders.loc[:, after].mean(axis=1) - orders.loc[:, ~after].mean(axis=1)
        treated = pd.Series(orders.index.isin(cohort), index=orders.index)
        rows = treated | orders.index.isin(never)
        estimate, se = _difference(change[rows], treated[rows])
        assert abs(estimate - wave["orders"]) < 2.6 * se, start
    by_month = [truth["by_months_in_program"][str(k)]["orders"] for k in (1, 2, 3)]
    assert by_month[0] < by_month[1] < by_month[2]  # the ramp: 50%, 75%, 100%
    assert truth["expected_twfe"]["orders"] < 0.85 * truth["att"]["orders"]


def test_twfe_finds_its_expectation_not_the_att_in_a_large_rollout() -> None:
    """15,000 rollout members: the TWFE slope on the data is the biased value truth states."""
    members, panel, latent = pilot._build_pilot(np.random.default_rng(5), 50_000)
    truth = pilot_truth._pilot_truth(latent)["rollout"]
    members = members.query("design == 'rollout'").set_index("member_id")
    panel = panel[panel["member_id"].isin(members.index)]
    start = panel["member_id"].map(members["program_start"])
    in_program = (start.notna() & (panel["month"] >= start.fillna("9999-99"))).astype(float)
    twfe = _twfe(panel, in_program.set_axis(pd.MultiIndex.from_frame(panel[["member_id",
                                                                            "month"]])))
    assert twfe == pytest.approx(truth["expected_twfe"]["orders"], abs=0.03)
    assert twfe < truth["att"]["orders"] - 0.03


def test_complaint_recovery_and_follow_up_rates(retailer) -> None:
    programs = retailer.truth["programs"]
    for table, outcome, truth in (
        (retailer.complaint_recovery, "retained", programs["complaint_recovery"]),
        (retailer.follow_up, "repeat_90d", programs["follow_up"]),
    ):
        rates = truth.get("retention_6_months") or truth["repeat_90d"]
        counts = table["group"].value_counts()
        assert counts.max() - counts.min() <= 1  # exact halves
        for group, rate in rates.items():
            observed = table.loc[table["group"] == group, outcome]
            se = np.sqrt(rate * (1 - rate) / len(observed))
            assert abs(observed.mean() - rate) < 2.6 * se, (outcome, group)
    # The intercepts give the stated population rates (checked by brute force).
    z = np.random.default_rng(0).normal(size=400_000)
    recovery = programs["complaint_recovery"]
    for group, rate in recovery["retention_6_months"].items():
        p = special.expit(recovery["logit_intercepts"][group]
                          + recovery["logit_per_sd_of_log_spend"] * z)
        assert p.mean() == pytest.approx(rate, abs=0.002)
    follow_up = programs["follow_up"]
    by_tier = pd.DataFrame(follow_up["repeat_90d_by_tier"])
    assert by_tier.mean(axis=1).to_dict() == pytest.approx(follow_up["repeat_90d"], abs=1e-9)


def test_store_chain_naive_slope_is_confounded(retailer) -> None:
    truth = retailer.truth["programs"]["stores"]
    stores = retailer.stores
    assert len(stores) == 40 and stores["store_id"].is_unique
    fit = np.polyfit(stores["staff_satisfaction"], stores["customer_satisfaction"], 1,
                     cov=True)
    slope, se = fit[0][0], np.sqrt(fit[1][0, 0])
    assert abs(slope - truth["naive_ols"]["customer_on_staff"]) < 2.6 * se
    # In expectation over many chains: the naive slope overstates, retention's slope does not.
    slopes = []
    for seed in range(300):
        table, _ = programs_data._build_stores(np.random.default_rng(seed))
        slopes.append([np.polyfit(table["staff_satisfaction"], table["customer_satisfaction"],
                                  1)[0],
                       np.polyfit(table["customer_satisfaction"], table["retention"], 1)[0]])
    mean = np.mean(slopes, axis=0)
    assert mean[0] == pytest.approx(truth["naive_ols"]["customer_on_staff"], abs=0.01)
    assert mean[0] > truth["causal"]["customer_on_staff"] + 0.1
    assert mean[1] == pytest.approx(truth["causal"]["retention_on_customer"], abs=0.005)


def test_program_files_regenerate_byte_for_byte(tmp_path: Path, small_folder: Path) -> None:
    synthetic.write_datasets(tmp_path, n_customers=300)
    for name in ("pilot_members", "loyalty_pilot", "complaint_recovery", "follow_up", "stores"):
        assert (tmp_path / f"{name}.csv").read_bytes() == \
            (small_folder / f"{name}.csv").read_bytes(), name
    stores = (tmp_path / "stores.csv").read_text(encoding="utf-8").splitlines()
    assert stores[0] == ("store_id,region,staff_satisfaction,customer_satisfaction,retention,"
                         "customers")
    assert all(len(line.split(",")[4].split(".")[1]) == 3 for line in stores[1:])


@pytest.mark.parametrize("seed, n", [(7, 300), (11, 800), (3, 1500)])
def test_another_seed_and_a_small_size_give_usable_designs(seed: int, n: int) -> None:
    retailer = synthetic.simulate(seed=seed, n_customers=n)
    programs = retailer.truth["programs"]
    sizes = retailer.pilot_members["design"].value_counts().to_dict()
    assert sizes == {"randomized": 500, "self_selected": 800, "rollout": 750} or n == 1500
    assert 4 <= programs["self_selected"]["naive_to_att"]["orders"] <= 9
    members = _by_member(retailer, "self_selected")
    did, did_se = _difference(members["post"] - members["pre"], members["enrolled"])
    assert abs(did - programs["self_selected"]["att"]["orders"]) < 2.6 * did_se
    assert did_se < 0.6 * programs["self_selected"]["att"]["orders"]
    assert len(retailer.complaint_recovery) >= 300 and len(retailer.follow_up) >= 400
    rollout = retailer.pilot_members.query("design == 'rollout'")
    assert rollout["region"].value_counts().nunique() == 1  # the same number per region
