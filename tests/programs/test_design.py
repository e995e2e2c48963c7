"""Pilot design: sizes, detectable effects, power curves, simulated power, assignment, balance."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_effectsize

from relmark_lab import DataError
from relmark_lab.programs import (
    balance_table,
    minimum_detectable_effect,
    power_curve,
    sample_size,
    simulated_power,
    stratified_assignment,
)
from relmark_lab.programs import design as design_module

# ---------------------------------------------------------------- sizing


def test_sample_size_reproduces_the_reference_numbers():
    # REFERENCES "Program evaluation": n per arm 393.4 / 63.8 / 25.5 for d = .2 / .5 / .8
    sizes = [round(sample_size(d, sd=1.0).n_treated, 1) for d in (0.2, 0.5, 0.8)]
    assert sizes == [393.4, 63.8, 25.5]
    retention = sample_size(0.05, kind="proportions", baseline=0.20)  # 20% -> 25%
    assert round(retention.standardized_effect, 4) == 0.1199
    assert round(retention.n_treated, 1) == 1091.9
    mde = minimum_detectable_effect(1000, kind="proportions", baseline=0.20)
    assert round(mde.standardized_effect, 4) == 0.1253


def test_sample_size_works_in_the_outcomes_unit():
    design = sample_size(10.0, sd=50.0)  # 10 a month on an sd of 50: d = 0.2
    assert design.standardized_effect == pytest.approx(0.2)
    assert design.n_treated == pytest.approx(393.4057, abs=1e-4)
    assert design.n_total == pytest.approx(2 * design.n_treated)
    assert (design.members_treated, design.members_control) == (394, 394)
    assert (design.kind, design.sd, design.alpha, design.power) == ("means", 50.0, 0.05, 0.8)
    assert str(design).startswith("394 treated + 394 control members")
    assert sample_size(-10.0, sd=50.0).n_treated == pytest.approx(design.n_treated)


def test_unequal_arms_follow_the_normal_formula():
    # n1 = (z_{1-alpha/2} + z_power)^2 (1 + 1/ratio) / h^2 for the z-test
    h = 2 * np.arcsin(np.sqrt(0.25)) - 2 * np.arcsin(np.sqrt(0.20))
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    for ratio in (0.5, 1.0, 3.0):
        design = sample_size(0.05, kind="proportions", baseline=0.20, ratio=ratio)
        assert design.n_treated == pytest.approx(z**2 * (1 + 1 / ratio) / h**2, rel=1e-4)
        assert design.n_control == pytest.approx(ratio * design.n_treated)
    # a fall is larger on the arcsine scale near 20%: 20% -> 15% needs fewer members
    assert sample_size(-0.05, kind="proportions", baseline=0.20).n_treated < 1091.9


def test_minimum_detectable_effect_inverts_sample_size():
    means = minimum_detectable_effect(200, sd=12.0, power=0.9)
    assert means.effect == pytest.approx(12.0 * means.standardized_effect)
    assert sample_size(means.effect, sd=12.0, power=0.9).n_treated == pytest.approx(200, rel=1e-5)
    share = minimum_detectable_effect(1000, kind="proportions", baseline=0.20)
    assert float(proportion_effectsize(0.20 + share.effect, 0.20)) == pytest.approx(
        share.standardized_effect)
    assert round(share.effect, 4) == 0.0523
    assert sample_size(share.effect, kind="proportions", baseline=0.2).n_treated == \
        pytest.approx(1000, rel=1e-5)


def test_power_curve_passes_through_the_design_and_rises():
    curve = power_curve([0.2, 0.5, 0.8], sd=1.0)
    assert list(curve.columns) == ["effect", "standardized_effect", "n_treated", "n_control",
                                   "power"]
    assert curve["power"].notna().all() and curve["power"].between(0, 1).all()
    for _, one in curve.groupby("effect"):
        assert one["power"].is_monotonic_increasing
    smallest = curve[curve["effect"] == 0.2]
    assert smallest["power"].max() >= 0.95 - 1e-6
    at_design = power_curve(0.5, [sample_size(0.5, sd=1.0).n_treated], sd=1.0)
    assert at_design["power"].iloc[0] == pytest.approx(0.8, abs=1e-6)
    # scipy's non-central t is NaN near power 1 (d = .5, n = 586): the normal value is used
    assert power_curve(0.5, [586], sd=1.0)["power"].iloc[0] == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("design", [
    sample_size(0.5, sd=1.0),
    sample_size(4.0, sd=10.0, ratio=0.5),
    sample_size(0.05, kind="proportions", baseline=0.20),
], ids=["means", "means-unequal", "proportions"])
def test_the_simulated_test_rejects_at_about_the_nominal_power(design):
    check = simulated_power(design, simulations=4000, seed=5)
    assert check.std_error == pytest.approx(np.sqrt(0.8 * 0.2 / 4000), rel=0.05)
    assert abs(check.rejection_rate - 0.8) < 3 * check.std_error
    assert abs(check.rejection_rate - check.formula_power) < 3 * check.std_error
    assert (check.n_treated, check.n_control) == (design.members_treated, design.members_control)
    again = simulated_power(design, simulations=4000, seed=5)
    assert again == check


def test_an_underpowered_design_is_simulated_as_underpowered():
    check = simulated_power(sample_size(0.3, sd=1.0, power=0.2), simulations=2000, seed=2)
    assert abs(check.rejection_rate - 0.2) < 3 * check.std_error
    mde = minimum_detectable_effect(30, sd=1.0)  # 30 a side detect d = .74 with 80% power
    check = simulated_power(mde, simulations=2000, seed=3)
    assert abs(check.rejection_rate - 0.8) < 3 * check.std_error


# ---------------------------------------------------------------- assignment


def test_stratified_assignment_splits_every_stratum_in_halves():
    members = pd.DataFrame({
        "region": ["n"] * 10 + ["s"] * 7 + ["e"] * 1 + [None] * 4,
        "tier": ["gold"] * 4 + ["basic"] * 6 + ["gold"] * 7 + ["basic"] + ["gold"] * 4,
    }, index=np.arange(100, 122))
    treated = stratified_assignment(members, ["region", "tier"], seed=42)
    assert treated.name == "treated" and treated.index.equals(members.index)
    assert set(treated.unique()) <= {0, 1}
    counts = treated.groupby([members["region"].fillna("?"), members["tier"]]).agg(["sum", "size"])
    for (_, _), (k, m) in counts.iterrows():
        assert k in (m // 2, m - m // 2)  # even strata exactly half, odd ones one either way
        if m % 2 == 0:
            assert k == m // 2
    assert treated.attrs["strata_rounded"] == 2  # s/gold (7) and e/basic (1)
    assert stratified_assignment(members, ["region", "tier"], seed=42).equals(treated)
    draws = {tuple(stratified_assignment(members, ["region", "tier"], seed=s)) for s in range(20)}
    assert len(draws) > 10


def test_odd_strata_keep_every_members_chance_at_share():
    members = pd.DataFrame({"stratum": np.repeat(np.arange(2000), 5)})
    treated = stratified_assignment(members, "stratum", share=0.3, seed=1)
    per_stratum = treated.groupby(members["stratum"]).sum()
    assert set(per_stratum.unique()) == {1, 2}  # 5 x 0.3 = 1.5: one, or two by a coin flip
    share = treated.mean()
    assert abs(share - 0.3) < 3 * np.sqrt(0.25 * 0.5 / 2000) / 5


# ---------------------------------------------------------------- balance


def test_balance_table_smd_by_hand():
    members = pd.DataFrame({
        "treated": [1, 1, 1, 0, 0, 0, 0],
        "spend": [10.0, 20.0, 30.0, 10.0, 10.0, 20.0, 40.0],
        "tier": ["gold", "basic", "gold", "basic", "basic", "gold", "basic"],
    })
    table = balance_table(members, "treated", ["spend", "tier"]).set_index(["covariate", "level"])
    t, c = members[members.treated == 1], members[members.treated == 0]
    pooled = np.sqrt((np.var(t.spend, ddof=1) + np.var(c.spend, ddof=1)) / 2)
    spend = table.loc[("spend", "")]
    assert spend["mean_treated"] == 20.0 and spend["mean_control"] == 20.0 and spend["smd"] == 0
    assert spend["pooled_sd"] == pytest.approx(pooled)
    gold_t, gold_c = 2 / 3, 1 / 4
    gold_sd = np.sqrt((np.var([1, 0, 1], ddof=1) + np.var([0, 0, 1, 0], ddof=1)) / 2)
    gold = table.loc[("tier", "gold")]
    assert gold["smd"] == pytest.approx((gold_t - gold_c) / gold_sd)
    assert table.loc[("tier", "basic"), "smd"] == pytest.approx(-gold["smd"])
    assert gold["imbalanced"] and not spend["imbalanced"]
    assert table.attrs["n_treated"] == 3 and not table.attrs["weighted"]


def test_weights_move_the_means_but_not_the_denominator():
    members = pd.DataFrame({"treated": [1, 1, 0, 0], "spend": [10.0, 30.0, 10.0, 30.0]},
                           index=[7, 3, 5, 1])
    weights = pd.Series([1.0, 3.0, 1.0, 1.0], index=[7, 3, 5, 1]).sample(frac=1, random_state=0)
    table = balance_table(members, "treated", ["spend"], weights=weights).iloc[0]
    assert table["mean_treated"] == pytest.approx(25.0) and table["mean_control"] == 20.0
    assert table["pooled_sd"] == pytest.approx(np.sqrt(200.0))  # unweighted groups' variances
    assert table["smd"] == pytest.approx(5 / np.sqrt(200.0))
    members["w"] = [1.0, 3.0, 1.0, 1.0]
    by_column = balance_table(members, "treated", ["spend"], weights="w").iloc[0]
    assert by_column["smd"] == pytest.approx(table["smd"])


def test_a_stratified_pilot_is_balanced(pilot):
    table = balance_table(pilot, "treated", ["region", "tier", "prior_spend", "tenure_months"])
    strata_rows = table[table["covariate"].isin(["region", "tier"])]
    assert strata_rows["smd"].abs().max() < 0.02  # balanced by construction
    assert not table["imbalanced"].any()


# ---------------------------------------------------------------- messages


@pytest.mark.parametrize(("call", "message"), [
    (lambda: sample_size(0.2), "sd is required for kind='means'"),
    (lambda: sample_size(0.05, kind="proportions"), "baseline is required"),
    (lambda: sample_size(0.2, sd=1.0, kind="medians"), "kind must be 'means' or 'proportions'"),
    (lambda: sample_size(0.2, sd=1.0, alpha=1.5),
     r"alpha must be a number between 0 and 1 \(both excluded\), got 1.5"),
    (lambda: sample_size(0.2, sd=1.0, power=1.0), "power must be a number between 0 and 1"),
    (lambda: sample_size(0.2, sd=1.0, power=0.04), r"power must be above alpha \(0.05\)"),
    (lambda: sample_size(0.0, sd=1.0), "effect must not be 0"),
    (lambda: sample_size(0.2, sd=-1.0), "sd must be a finite number above 0, got -1.0"),
    (lambda: sample_size(0.9, kind="proportions", baseline=0.2),
     "baseline \\+ effect must be a proportion between 0 and 1.*0.2 \\+ 0.9 = 1.1"),
    (lambda: minimum_detectable_effect(1, sd=1.0), "n_per_arm must be a finite number at least 2"),
    (lambda: power_curve([0.2, None], sd=1.0), "effects must be a finite number, got None"),
    (lambda: simulated_power("design"), "design must be a PilotDesign"),
    (lambda: simulated_power(sample_size(0.5, sd=1.0), seed=-1), "seed must be a whole number"),
])
def test_design_parameters_are_explained(call, message):
    with pytest.raises(DataError, match=message):
        call()


def test_assignment_and_balance_inputs_are_explained():
    members = pd.DataFrame({"region": ["n", "s"], "treated": [1, 2], "spend": [1.0, None]})
    with pytest.raises(DataError, match="Column 'tier' is missing from the members"):
        stratified_assignment(members, ["region", "tier"], seed=1)
    with pytest.raises(DataError, match="share must be a number between 0 and 1"):
        stratified_assignment(members, "region", share=1, seed=1)
    with pytest.raises(TypeError):
        stratified_assignment(members, "region")  # the seed is a choice to record
    with pytest.raises(DataError, match=r"pilot: column 'treated' is not 0/1 \(or True/False\) "
                                        r"in 1 row, e\.g\. 2"):
        balance_table(members, "treated", ["spend"])
    members["treated"] = [1, 0]
    with pytest.raises(DataError, match="marks 1 treated and 1 control member"):
        balance_table(members, "treated", ["spend"])
    four = pd.DataFrame({"treated": [1, 1, 0, 0], "spend": [1.0, None, 2.0, 3.0]})
    with pytest.raises(DataError, match="pilot: column 'spend' is missing in 1 row, e.g. row 1"):
        balance_table(four, "treated", ["spend"])
    four["spend"] = 1.0
    with pytest.raises(DataError, match="weights must be finite numbers of at least 0; 1 of 4"):
        balance_table(four, "treated", ["spend"], weights=[1.0, -1.0, 1.0, 1.0])
    with pytest.raises(DataError, match="weights must give the control arm a positive total"):
        balance_table(four, "treated", ["spend"], weights=np.array([1.0, 1.0, 0.0, 0.0]))


def test_module_is_small_and_reexports_assignment():
    assert design_module.balance_table is balance_table
    assert design_module.stratified_assignment is stratified_assignment


def test_simulated_pilots_drawn_from_skewed_data_reject_at_about_the_formulas_power():
    rng = np.random.default_rng(4)
    orders = rng.poisson(rng.gamma(2.0, 1.0, 3000))  # skewed counts, like the kit's members
    design = sample_size(0.2, kind="means", sd=float(orders.std(ddof=1)))
    check = simulated_power(design, simulations=1000, seed=2, outcomes=orders)
    assert abs(check.rejection_rate - 0.8) < 3 * check.std_error + 0.02
    with pytest.raises(DataError, match="outcomes must be at least two finite numbers"):
        simulated_power(design, outcomes=[1.0])
