"""Propensity scores, weighting and matching on members who select on what was measured."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from relmark_lab import DataError
from relmark_lab.programs.matching import balance_before_after, matched_effect
from relmark_lab.programs.propensity import ipw_effect, ipw_weights, propensity_scores

COVARIATES = ["prior_orders", "tenure_months", "tier", "region", "satisfaction"]
EFFECT_BY_TIER = {"light": 1.5, "moderate": 1.0, "heavy": 0.2}  # heavy buyers change least


def simulate(n=4000, seed=7):
    """Enrolment depends only on observed covariates (satisfaction only where surveyed)."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(2.0, 1.0, n)  # orders a month
    tier = np.array(["light", "moderate", "heavy"])[np.searchsorted([1.2, 2.5], rate)]
    prior = rng.poisson(6 * rate)
    tenure = rng.integers(3, 60, n)
    region = rng.choice(["north", "south", "east"], n)
    satisfaction = rng.normal(size=n)
    surveyed = rng.random(n) < 0.4
    logit = (-1.6 + 0.06 * prior + 0.015 * tenure + 0.6 * (tier == "heavy")
             + 0.3 * (region == "south") + 0.5 * satisfaction * surveyed)
    enrolled = rng.random(n) < 1 / (1 + np.exp(-logit))
    effect = np.array([EFFECT_BY_TIER[t] for t in tier])
    after = (1.0 + 0.3 * prior + 0.02 * tenure + 0.8 * (tier == "heavy")
             + 0.4 * satisfaction * surveyed + effect * enrolled + rng.normal(0, 2.0, n))
    members = pd.DataFrame({
        "member_id": [f"M{i:05d}" for i in range(n)], "region": region, "tier": tier,
        "tenure_months": tenure, "prior_orders": prior,
        "satisfaction": pd.array(np.where(surveyed, satisfaction, np.nan), dtype="Float64"),
        "enrolled": enrolled.astype(int), "orders_after": after})
    truth = {"ATT": effect[enrolled].mean(), "ATE": effect.mean()}
    return members, truth


@pytest.fixture(scope="module")
def pilot():
    members, truth = simulate()
    return members, truth, propensity_scores(members, "enrolled", COVARIATES)


def test_scores_are_the_maximum_likelihood_logit_with_a_missing_indicator(pilot):
    members, _, scores = pilot
    sat = members["satisfaction"].astype(float)
    x = pd.DataFrame({"prior_orders": members["prior_orders"],
                      "tenure_months": members["tenure_months"],
                      "light": members["tier"] == "light",
                      "moderate": members["tier"] == "moderate",
                      "south": members["region"] == "south",
                      "north": members["region"] == "north",
                      "satisfaction": sat.fillna(sat.mean()),
                      "satisfaction_missing": sat.isna()}).astype(float)
    logit = sm.Logit(members["enrolled"], sm.add_constant(x)).fit(disp=0)
    np.testing.assert_allclose(scores.to_numpy(), logit.predict(), atol=2e-4)
    assert scores.name == "propensity_score" and scores.index.equals(members.index)
    assert scores.attrs["filled"] == {"satisfaction": int(sat.isna().sum())}
    assert "satisfaction_missing" in scores.attrs["columns"]
    assert scores.attrs["notes"][0].startswith(f"satisfaction: {int(sat.isna().sum()):,} "
                                               "missing values filled with the mean")


def test_the_overlap_report_is_the_groups_ranges(pilot):
    members, _, scores = pilot
    joined = members["enrolled"] == 1
    overlap = pd.DataFrame(scores.attrs["overlap"]).T
    assert overlap.loc["treated", "min"] == scores[joined].min()
    assert overlap.loc["control", "max"] == scores[~joined].max()
    low = max(scores[joined].min(), scores[~joined].min())
    high = min(scores[joined].max(), scores[~joined].max())
    assert scores.attrs["common_support"] == (low, high)
    outside = ((scores < low) | (scores > high))
    assert scores.attrs["outside_support"] == pytest.approx(outside.mean())
    assert overlap.loc["treated", "share_outside"] == pytest.approx(outside[joined].mean())
    assert overlap["n"].tolist() == [joined.sum(), (~joined).sum()]
    pd.concat([scores, scores])  # plain attrs: tables with them still concatenate


def test_weighting_and_matching_recover_the_effect_the_naive_comparison_misses(pilot):
    members, truth, scores = pilot
    naive = members.groupby("enrolled")["orders_after"].mean().diff().iloc[-1]
    assert naive > truth["ATT"] + 2  # the joiners bought more anyway
    att = ipw_effect(members, "orders_after", "enrolled", scores)
    ate = ipw_effect(members, "orders_after", "enrolled", scores, estimand="ATE")
    matched = matched_effect(members, "orders_after", "enrolled", scores)
    assert att.covers(truth["ATT"]) and ate.covers(truth["ATE"]) and matched.covers(truth["ATT"])
    assert abs(att.estimate - truth["ATT"]) < abs(att.estimate - truth["ATE"])
    assert matched.details["matched_treated"] + matched.details["unmatched_treated"] \
        == members["enrolled"].sum()
    assert matched.n_treated == matched.details["matched_treated"]
    assert matched.std_error < 0.3 and att.std_error < 0.3


def test_ipw_is_the_weighted_difference_of_means(pilot):
    members, _, scores = pilot
    weight = ipw_weights(members, "enrolled", scores, trim=0.0)
    joined = members["enrolled"] == 1
    p = scores[~joined]
    y = members["orders_after"]
    control = (y[~joined] * p / (1 - p)).sum() / (p / (1 - p)).sum()
    effect = ipw_effect(members, "orders_after", "enrolled", scores, trim=0.0)
    assert effect.estimate == pytest.approx(y[joined].mean() - control, rel=1e-10)
    assert weight[joined].eq(1).all()
    trimmed = ipw_weights(members, "enrolled", scores, trim=0.1)
    assert trimmed.attrs["trimmed"]["control"] == int(((p < 0.1) | (p > 0.9)).sum())


def test_matching_pairs_each_treated_with_the_nearest_logit():
    frame = pd.DataFrame({"enrolled": [1, 1, 1, 0, 0, 0, 0],
                          "orders": [10, 12, 30, 7, 9, 9, 50],
                          "score": [0.3, 0.52, 0.99, 0.29, 0.5, 0.5, 0.02]})
    effect = matched_effect(frame, "orders", "enrolled", "score", caliper=1.0)
    # 0.3 -> 0.29 (7); 0.52 -> the two 0.5 share the match (9); 0.99 has no control near
    assert effect.estimate == pytest.approx(((10 - 7) + (12 - 9)) / 2)
    assert effect.details["unmatched_treated"] == 1
    assert effect.details["weights"].tolist() == [1, 1, 0, 1, 0.5, 0.5, 0]
    wide = matched_effect(frame, "orders", "enrolled", "score", caliper=None)
    assert wide.details["unmatched_treated"] == 0


def test_weighting_balances_the_covariates(pilot):
    members, _, scores = pilot
    table = balance_before_after(members, "enrolled", COVARIATES,
                                 ipw_weights(members, "enrolled", scores))
    assert table.set_index(["covariate", "level"]).loc[("prior_orders", ""), "smd_before"] > 0.3
    assert table["smd_after"].abs().max() < 0.1 and table["balanced"].all()
    assert ("satisfaction_missing", "") in set(zip(table["covariate"], table["level"],
                                                   strict=True))
    matched = matched_effect(members, "orders_after", "enrolled", scores)
    after = balance_before_after(members, "enrolled", COVARIATES, matched.details["weights"])
    assert after["smd_after"].abs().max() < 0.1


def test_bad_input_is_a_sentence(pilot):
    members, _, scores = pilot
    with pytest.raises(DataError, match="Column 'loyalty' is missing from the members"):
        propensity_scores(members, "enrolled", ["loyalty"])
    with pytest.raises(DataError, match=r"members: column 'enrolled' is not 0/1 \(or "
                                        r"True/False\) in 1 row, e.g. 'yes'"):
        propensity_scores(members.assign(enrolled=["yes"] + [1] * (len(members) - 1)),
                          "enrolled", COVARIATES)
    with pytest.raises(DataError, match="column 'satisfaction' is missing in all 4,000 rows"):
        propensity_scores(members.assign(satisfaction=np.nan), "enrolled", COVARIATES)
    with pytest.raises(DataError, match="scores must lie strictly between 0 and 1; 1 do not, "
                                        "e.g. 1"):
        ipw_effect(members, "orders_after", "enrolled", scores.where(scores.index != 3, 1.0))
    with pytest.raises(DataError, match="estimand must be 'ATT' or 'ATE', got 'ATC'"):
        ipw_effect(members, "orders_after", "enrolled", scores, estimand="ATC")
    with pytest.raises(DataError, match="caliper must be a finite number above 0"):
        matched_effect(members, "orders_after", "enrolled", scores, caliper=-1)
    with pytest.raises(DataError, match="scores is a Series whose index does not match"):
        ipw_effect(members, "orders_after", "enrolled", scores.iloc[1:])
    with pytest.raises(DataError, match="column 'orders_after' is not a number in 1 row"):
        ipw_effect(members.assign(orders_after=members["orders_after"].astype(object)
                                  .where(members.index != 0, "n/a")),
                   "orders_after", "enrolled", scores)


def test_separated_groups_are_explained():
    frame = pd.DataFrame({"enrolled": [0, 0, 0, 1, 1, 1], "prior_orders": [1, 2, 3, 7, 8, 9]})
    with pytest.raises(DataError, match=r"gives 6 member\(s\) a score of \(almost\) 0 or 1 "
                                        r"or does not converge, e.g. row 0: the covariates "
                                        "separate enrolled and other members"):
        propensity_scores(frame, "enrolled", ["prior_orders"])
    quasi = pd.concat([frame, pd.DataFrame({"enrolled": [0, 1], "prior_orders": [5, 5]})])
    with pytest.raises(DataError, match="6 member"):  # all but the two tied at 5
        propensity_scores(quasi.reset_index(drop=True), "enrolled", ["prior_orders"])
    ridge = propensity_scores(frame, "enrolled", ["prior_orders"], C=1.0)
    assert ridge.between(0, 1, inclusive="neither").all()


def test_the_adjusted_effect_is_the_treated_minus_the_weighted_controls_model(pilot):
    members, _, scores = pilot
    adjust = ["prior_orders", "tenure_months", "tier"]
    effect = ipw_effect(members, "orders_after", "enrolled", scores, adjust=adjust, trim=0.0)
    joined = (members["enrolled"] == 1).to_numpy()
    x = pd.get_dummies(members[adjust], columns=["tier"], drop_first=True).astype(float)
    weight = ipw_weights(members, "enrolled", scores, trim=0.0).to_numpy()
    controls = sm.WLS(members["orders_after"][~joined], sm.add_constant(x[~joined]),
                      weights=weight[~joined]).fit()
    predicted = controls.predict(sm.add_constant(x[joined]))
    assert effect.estimate == pytest.approx(
        (members["orders_after"][joined] - predicted).mean(), rel=1e-9)
    assert effect.details["adjusted_for"] == ["prior_orders", "tenure_months", "tier[light]",
                                              "tier[moderate]"]
    assert effect.method == "inverse-probability weighting (ATT, regression-adjusted)"


def test_adjusting_narrows_the_interval_and_is_doubly_robust(pilot):
    members, truth, scores = pilot
    plain = ipw_effect(members, "orders_after", "enrolled", scores)
    both = ipw_effect(members, "orders_after", "enrolled", scores, adjust=COVARIATES)
    assert both.covers(truth["ATT"]) and both.width < 0.8 * plain.width
    ate = ipw_effect(members, "orders_after", "enrolled", scores, estimand="ATE",
                     adjust=COVARIATES)
    assert ate.covers(truth["ATE"])
    # a useless propensity model (everyone 0.5, weights 1): the outcome model alone is right
    flat = ipw_effect(members, "orders_after", "enrolled", 0.5, adjust=COVARIATES)
    unweighted = ipw_effect(members, "orders_after", "enrolled", 0.5)
    assert flat.covers(truth["ATT"]) and not unweighted.covers(truth["ATT"])
    matched = matched_effect(members, "orders_after", "enrolled", scores, adjust=COVARIATES)
    assert matched.covers(truth["ATT"]) and "regression-adjusted" in matched.method


def test_covariates_that_cannot_be_adjusted_for_get_a_sentence(pilot):
    members, _, scores = pilot
    doubled = members.assign(again=members["prior_orders"] * 2)
    with pytest.raises(DataError, match=r"The covariates 'prior_orders', 'again' cannot be "
                                        r"adjusted for with [\d,]+ weighted members"):
        ipw_effect(doubled, "orders_after", "enrolled", scores, adjust=["prior_orders", "again"])
    with pytest.raises(DataError, match="'nowhere'"):
        ipw_effect(members, "orders_after", "enrolled", scores, adjust=["nowhere"])
