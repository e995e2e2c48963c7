"""The randomized pilot: Welch, regression adjustment, CUPED and subgroup effects."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from relmark_lab import DataError
from relmark_lab.programs import (
    Effect,
    adjusted_effect,
    cuped,
    difference_in_means,
    effects_by_group,
)


def _hand_welch(y, t, level=0.95):
    """Welch's difference, SE, Satterthwaite df and interval, from the textbook formulas."""
    a, b = y[t == 1], y[t == 0]
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    se = np.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    q = stats.t.ppf(0.5 + level / 2, df)
    diff = a.mean() - b.mean()
    return diff, se, df, diff - q * se, diff + q * se


def _hc2(x, y):
    """OLS coefficients and HC2 standard errors by the sandwich formula."""
    bread = np.linalg.inv(x.T @ x)
    beta = bread @ x.T @ y
    residual = y - x @ beta
    leverage = np.einsum("ij,jk,ik->i", x, bread, x)
    meat = x.T @ (x * (residual**2 / (1 - leverage))[:, None])
    return beta, np.sqrt(np.diag(bread @ meat @ bread))


def test_difference_in_means_is_welchs_test(pilot, true_effect):
    effect = difference_in_means(pilot, "revenue", "treated")
    y, t = pilot["revenue"].to_numpy(), pilot["treated"].to_numpy()
    diff, se, df, lower, upper = _hand_welch(y, t)
    assert effect.estimate == pytest.approx(diff) and effect.std_error == pytest.approx(se)
    assert (effect.lower, effect.upper) == pytest.approx((lower, upper))
    assert effect.details["df"] == pytest.approx(df)
    scipy_p = stats.ttest_ind(y[t == 1], y[t == 0], equal_var=False).pvalue
    assert effect.details["p_value"] == pytest.approx(scipy_p)
    assert (effect.n_treated, effect.n_control) == (int(t.sum()), int((1 - t).sum()))
    assert effect.level == 0.95 and effect.method == "Welch t-test"
    assert effect.covers(true_effect)
    narrow = difference_in_means(pilot, "revenue", "treated", level=0.5)
    assert narrow.width < effect.width


def test_welchs_standard_error_is_hc2_of_ols_on_the_dummy(pilot):
    constant = pilot.assign(everyone="member")  # one level: no dummy, so y ~ treated
    ols = adjusted_effect(constant, "revenue", "treated", ["everyone"])
    welch = difference_in_means(pilot, "revenue", "treated")
    assert ols.estimate == pytest.approx(welch.estimate)
    assert ols.std_error == pytest.approx(welch.std_error, rel=1e-10)


def test_adjusted_effect_is_ols_with_hc2_errors(pilot, true_effect):
    effect = adjusted_effect(pilot, "revenue", "treated", ["prior_spend", "tier"])
    gold, silver = (pilot["tier"] == "gold") * 1.0, (pilot["tier"] == "silver") * 1.0
    x = np.column_stack([np.ones(len(pilot)), pilot["treated"], pilot["prior_spend"],
                         gold, silver])
    beta, se = _hc2(x, pilot["revenue"].to_numpy())
    assert effect.estimate == pytest.approx(beta[1]) and effect.std_error == pytest.approx(se[1])
    q = stats.t.ppf(0.975, len(pilot) - 5)
    assert (effect.lower, effect.upper) == pytest.approx((beta[1] - q * se[1],
                                                          beta[1] + q * se[1]))
    assert effect.covers(true_effect)
    unadjusted = difference_in_means(pilot, "revenue", "treated")
    assert effect.details["relative_width"] == pytest.approx(effect.width / unadjusted.width)
    assert effect.details["relative_width"] < 0.6  # prior spend explains most of revenue
    assert effect.details["formula"] == ("revenue ~ treated + prior_spend + tier[gold] + "
                                         "tier[silver]")
    assert effect.details["cov_type"] == "HC2" and effect.details["r_squared"] > 0.5


def test_interacted_adjustment_is_the_difference_of_the_arms_fitted_means(pilot):
    effect = adjusted_effect(pilot, "revenue", "treated", ["prior_spend"], interactions=True)
    centred = pilot["prior_spend"] - pilot["prior_spend"].mean()
    intercepts = []
    for arm in (1, 0):
        rows = pilot["treated"] == arm
        x = np.column_stack([np.ones(rows.sum()), centred[rows]])
        intercepts.append(np.linalg.lstsq(x, pilot.loc[rows, "revenue"], rcond=None)[0][0])
    assert effect.estimate == pytest.approx(intercepts[0] - intercepts[1])
    assert effect.method == "regression adjustment (interacted, HC2 robust SE)"
    assert effect.details["formula"] == "revenue ~ treated * prior_spend"


def test_cuped_by_hand(pilot, true_effect):
    effect = cuped(pilot, "revenue", "treated", "prior_spend")
    y, x, t = (pilot[c].to_numpy() for c in ("revenue", "prior_spend", "treated"))
    theta = np.cov(y, x)[0, 1] / np.var(x, ddof=1)
    adjusted = y - theta * (x - x.mean())
    diff, se, _, lower, upper = _hand_welch(adjusted, t)
    assert effect.details["theta"] == pytest.approx(theta)
    assert effect.estimate == pytest.approx(diff) and effect.std_error == pytest.approx(se)
    assert (effect.lower, effect.upper) == pytest.approx((lower, upper))
    assert effect.details["variance_reduction"] == pytest.approx(np.corrcoef(y, x)[0, 1] ** 2)
    unadjusted = difference_in_means(pilot, "revenue", "treated")
    assert effect.width < 0.6 * unadjusted.width
    assert effect.details["relative_width"] == pytest.approx(effect.width / unadjusted.width)
    assert effect.covers(true_effect)


def test_intervals_cover_the_true_effect_about_95_percent_of_the_time(simulate, true_effect):
    covered = {"welch": 0, "adjusted": 0, "cuped": 0}
    replicates = 200
    for seed in range(replicates):
        pilot = simulate(80, seed=1000 + seed)
        covered["welch"] += difference_in_means(pilot, "revenue", "treated").covers(true_effect)
        covered["adjusted"] += adjusted_effect(pilot, "revenue", "treated",
                                               ["prior_spend", "tier"]).covers(true_effect)
        covered["cuped"] += cuped(pilot, "revenue", "treated", "prior_spend").covers(true_effect)
    margin = 3 * np.sqrt(0.95 * 0.05 / replicates)
    for name, count in covered.items():
        assert abs(count / replicates - 0.95) < margin, (name, count)


def test_a_true_or_false_outcome_gives_a_difference_in_shares():
    pilot = pd.DataFrame({"treated": [1] * 4 + [0] * 4,
                          "active": [True, True, True, False, True, False, False, False]})
    effect = difference_in_means(pilot, "active", "treated")
    assert effect.estimate == pytest.approx(0.75 - 0.25)


def test_effects_by_group_with_holm_by_hand(pilot):
    table = effects_by_group(pilot, "revenue", "treated", "region")
    assert table["region"].tolist() == ["east", "north", "south"]
    for _, row in table.iterrows():
        alone = difference_in_means(pilot[pilot["region"] == row["region"]], "revenue",
                                    "treated")
        assert row["estimate"] == pytest.approx(alone.estimate)
        assert row["p_value"] == pytest.approx(alone.details["p_value"])
    p = table["p_value"].to_numpy()
    order = np.argsort(p)
    holm = np.minimum(1, np.maximum.accumulate(p[order] * (len(p) - np.arange(len(p)))))
    expected = np.empty_like(holm)
    expected[order] = holm
    assert table["p_adjusted"].to_numpy() == pytest.approx(expected)
    assert (table["significant"] == (table["p_adjusted"] < 0.05)).all()
    assert table.attrs["correction"] == "holm" and table.attrs["tests"] == 3
    assert "3 subgroup effects were tested" in table.attrs["warning"]
    assert "14%" in table.attrs["warning"]  # 1 - 0.95^3
    bonferroni = effects_by_group(pilot, "revenue", "treated", "region", correction="bonferroni")
    assert bonferroni["p_adjusted"].to_numpy() == pytest.approx(np.minimum(1, 3 * p))
    none = effects_by_group(pilot, "revenue", "treated", "region", correction="none")
    assert none["p_adjusted"].to_numpy() == pytest.approx(p)


def test_groups_by_two_columns_and_a_missing_label(pilot):
    table = effects_by_group(pilot, "revenue", "treated", ["region", "tier"])
    assert len(table) == 9 and table.attrs["tests"] == 9
    assert table[["n_treated", "n_control"]].to_numpy().sum() == len(pilot)
    frame = pilot.copy()
    frame.loc[frame.index[:60], "region"] = None
    table = effects_by_group(frame, "revenue", "treated", "region")
    assert table["region"].tolist() == ["(missing)", "east", "north", "south"]
    assert table.loc[0, "n_treated"] + table.loc[0, "n_control"] == 60


def test_effect_reads_as_a_sentence_and_a_row():
    effect = Effect(2.5, 1.0, 0.5, 4.5, 0.9, 10, 12, "Welch t-test", {"p_value": 0.02})
    assert effect.covers(0.5) and not effect.covers(4.6) and effect.width == 4.0
    assert str(effect) == "2.5 (90% CI 0.5 to 4.5; Welch t-test, 10 treated, 12 control)"
    assert set(effect.as_dict()) == {"estimate", "std_error", "lower", "upper", "level",
                                     "n_treated", "n_control", "method"}
    assert effect == Effect(2.5, 1.0, 0.5, 4.5, 0.9, 10, 12, "Welch t-test")
    with pytest.raises(AttributeError):
        effect.estimate = 3.0


def test_pilot_problems_are_explained(pilot):
    small = pilot.head(10).copy()
    with pytest.raises(DataError, match="Column 'orders' is missing from the pilot"):
        difference_in_means(small, "orders", "treated")
    with pytest.raises(DataError, match=r"pilot: column 'region' is not a number in 10 rows, "
                                        r"e\.g\. '"):
        difference_in_means(small, "region", "treated")
    coded = small.assign(treated=["yes", "no"] * 5)
    with pytest.raises(DataError, match=r"column 'treated' is not 0/1 \(or True/False\) in 10 "
                                        r"rows, e\.g\. 'yes'"):
        cuped(coded, "revenue", "treated", "prior_spend")
    gaps = small.assign(treated=[1, None] + [0, 1] * 4)
    with pytest.raises(DataError, match="column 'treated' is missing in 1 row, e.g. row 1"):
        difference_in_means(gaps, "revenue", "treated")
    lonely = small.assign(treated=[1] + [0] * 9)
    with pytest.raises(DataError, match="marks 1 treated and 9 control member"):
        adjusted_effect(lonely, "revenue", "treated", ["prior_spend"])
    with pytest.raises(DataError, match=r"pilot group tier='gold': column 'treated' marks"):
        effects_by_group(pilot.head(40), "revenue", "treated", "tier")
    with pytest.raises(DataError, match="level must be a number between 0 and 1"):
        difference_in_means(pilot, "revenue", "treated", level=95)
    with pytest.raises(DataError, match="correction must be 'holm', 'bonferroni'"):
        effects_by_group(pilot, "revenue", "treated", "tier", correction="tukey")
    with pytest.raises(DataError, match="column 'tenure_months' takes the same value"):
        cuped(pilot.assign(tenure_months=3), "revenue", "treated", "tenure_months")
    with pytest.raises(DataError, match="linear combinations of each other"):
        adjusted_effect(pilot.assign(again=pilot["prior_spend"] * 2), "revenue", "treated",
                        ["prior_spend", "again"])
    with pytest.raises(DataError, match="column 'revenue' takes one value in each arm"):
        difference_in_means(pilot.assign(revenue=1.0), "revenue", "treated")
