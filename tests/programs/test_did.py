"""Naive comparison, difference-in-differences and the event study on panels with a known effect."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from relmark_lab import DataError
from relmark_lab.programs.did import (
    difference_in_differences,
    event_study,
    naive_difference,
    pre_trend_test,
    program_panel,
)

MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]
LAUNCH = "2024-07"  # month 7: six months before, six from it
EFFECT, HEAD_START = 1.0, 2.5  # extra orders a month; how much more the joiners buy anyway


def simulate(n=1500, *, seed=1, effect=EFFECT, head_start=HEAD_START, drift=0.0):
    """Self-selected members: joiners buy ``head_start`` more every month, before and after.

    ``drift`` adds a trend of the joiners only (per month, before and after
    the launch): parallel trends fail.
    """
    rng = np.random.default_rng(seed)
    enrolled = rng.random(n) < 0.4
    level = rng.normal(5.0, 1.0, n) + head_start * enrolled
    month = np.arange(12)
    common = 0.15 * month + np.where(month >= 10, 0.8, 0.0)  # growth and a December peak
    post = month >= 6
    y = (level[:, None] + common[None, :]
         + effect * (enrolled[:, None] & post[None, :])
         + drift * enrolled[:, None] * (month[None, :] - 5)
         + rng.normal(0.0, 1.0, (n, 12)))
    ids = [f"M{i:05d}" for i in range(n)]
    panel = pd.DataFrame({"member_id": np.repeat(ids, 12), "month": MONTHS * n,
                          "orders": y.ravel()})
    members = pd.DataFrame({"member_id": ids, "enrolled": enrolled.astype(int),
                            "program_start": np.where(enrolled, LAUNCH, None)})
    return panel, members


@pytest.fixture(scope="module")
def pilot():
    return simulate()


def test_did_recovers_the_effect_while_naive_adds_the_head_start(pilot):
    panel, members = pilot
    naive = naive_difference(panel, members, "orders", post_from=LAUNCH)
    did = difference_in_differences(panel, members, "orders", post_from=LAUNCH)
    assert did.covers(EFFECT) and not naive.covers(EFFECT)
    assert naive.estimate - EFFECT == pytest.approx(HEAD_START, abs=3 * naive.std_error)
    assert naive.estimate / did.estimate > 3  # the self-selection trap, in the simulated size
    # balanced panel: naive - DiD is exactly the joiners' head start before the launch
    frame = panel.merge(members, on="member_id")
    pre = frame[frame["month"] < LAUNCH].groupby("enrolled")["orders"].mean()
    assert naive.estimate - did.estimate == pytest.approx(pre[1] - pre[0], abs=1e-9)
    assert (did.n_treated, did.n_control) == tuple(members["enrolled"].value_counts()[[1, 0]])


def test_did_is_the_two_by_two_of_means_and_its_se_the_member_level_one(pilot):
    panel, members = pilot
    did = difference_in_differences(panel, members, "orders", post_from=LAUNCH)
    frame = panel.merge(members, on="member_id").assign(post=lambda f: f["month"] >= LAUNCH)
    means = frame.groupby(["enrolled", "post"])["orders"].mean()
    by_hand = (means[1, True] - means[1, False]) - (means[0, True] - means[0, False])
    assert did.estimate == pytest.approx(by_hand, abs=1e-9)
    assert did.details["means"].loc[1, 1] == pytest.approx(means[1, True])
    # each member's change (post mean - pre mean): the clustered SE is that of its difference
    change = frame.groupby(["member_id", "enrolled", "post"])["orders"].mean().unstack()
    change = (change[True] - change[False]).groupby("enrolled")
    se = np.sqrt((change.var() / change.count()).sum())
    assert did.std_error == pytest.approx(se, rel=0.02)
    assert did.details["n_clusters"] == len(members)


def test_event_study_matches_member_and_month_dummies_on_an_unbalanced_panel():
    panel, members = simulate(60, seed=3)
    panel = panel.sample(frac=0.85, random_state=4).sort_index()  # members miss some months
    study = event_study(panel, members, "orders")
    frame = panel.merge(members, on="member_id")
    relative = (frame["month"].str[5:].astype(int) - 7).where(frame["enrolled"] == 1)
    names = {}
    for k in range(-6, 6):
        if k != -1:
            names[k] = f"e{k + 6}"
            frame[names[k]] = (relative == k).astype(float)
    fit = smf.ols(f"orders ~ {' + '.join(names.values())} + C(member_id) + C(month)",
                  data=frame).fit(cov_type="cluster",
                                  cov_kwds={"groups": pd.factorize(frame["member_id"])[0]})
    ours = study.set_index("relative_month")
    for k, name in names.items():
        assert ours.loc[k, "estimate"] == pytest.approx(fit.params[name], abs=1e-8)
    # the same cluster-robust SE up to statsmodels' small-sample factor (N-1)/(N-K):
    # member dummies count in K with dummies, not after demeaning (they nest in clusters)
    n, k_dummies, k_within = len(frame), fit.df_model + 1, len(names) + 11
    factor = np.sqrt((n - k_dummies) / (n - k_within))
    for k, name in names.items():
        assert ours.loc[k, "std_error"] == pytest.approx(fit.bse[name] * factor, rel=1e-6)
    assert ours.loc[-1, "estimate"] == 0 and ours.loc[-1, "reference"]
    assert study.attrs["time_unit"] == "M"


def test_parallel_data_give_flat_pre_periods_and_no_rejection(pilot):
    panel, members = pilot
    study = event_study(panel, members, "orders")
    before = study[(study["relative_month"] < 0) & ~study["reference"]]
    after = study[study["relative_month"] >= 0]
    assert before["relative_month"].tolist() == [-6, -5, -4, -3, -2]
    assert (before["estimate"].abs() < 3 * before["std_error"]).all()
    assert ((after["lower"] <= EFFECT) & (EFFECT <= after["upper"])).mean() >= 5 / 6
    assert (study["n_treated"] == members["enrolled"].sum()).all()
    test = pre_trend_test(study)
    assert test.df == 5 and test.relative_months == (-6, -5, -4, -3, -2)
    assert test.p_value > 0.05


def test_a_differential_pre_trend_is_rejected_and_biases_did():
    panel, members = simulate(seed=2, drift=0.1)
    test = pre_trend_test(event_study(panel, members, "orders"))
    assert test.p_value < 1e-6
    did = difference_in_differences(panel, members, "orders", post_from=LAUNCH)
    assert not did.covers(EFFECT)  # the drift adds 0.1 x 6 months to the after-before change
    assert did.estimate - EFFECT == pytest.approx(0.6, abs=3 * did.std_error)


def test_the_test_statistic_is_b_vinv_b_on_a_filtered_table(pilot):
    study = event_study(*pilot, "orders")
    kept = study[study["relative_month"] >= -3]
    test = pre_trend_test(kept)
    b = kept.set_index("relative_month").loc[[-3, -2], "estimate"].to_numpy()
    v = pd.DataFrame(study.attrs["covariance"]).loc[[-3, -2], [-3, -2]].to_numpy()
    assert test.statistic == pytest.approx(b @ np.linalg.solve(v, b), rel=1e-9)
    assert test.df == 2
    both = pd.concat([study, kept])  # plain attrs: tables with them still concatenate
    assert len(both) == len(study) + len(kept)


def test_program_panel_joins_and_measures_months_since_the_start(pilot):
    panel, members = pilot
    table = program_panel(panel.iloc[:24], members, "orders", start_column="program_start",
                          post_from=LAUNCH)
    assert table["month_number"].iloc[0] == 2024 * 12
    assert table["post"].tolist()[:12] == [0] * 6 + [1] * 6
    joined = table[table["treated"] == 1]
    assert joined.empty or joined["relative_month"].tolist()[:7] == [-6, -5, -4, -3, -2, -1, 0]
    periods = panel.assign(month=pd.PeriodIndex(panel["month"], freq="M"))
    same = program_panel(periods, members, "orders")
    assert same["month"].tolist() == panel["month"].tolist()


def test_bad_input_is_a_sentence(pilot):
    panel, members = pilot
    with pytest.raises(DataError, match="Column 'revenue' is missing from the panel"):
        naive_difference(panel, members, "revenue", post_from=LAUNCH)
    bad = panel.assign(month=panel["month"].where(panel.index != 5, "July 2024"))
    with pytest.raises(DataError, match=r"panel: column 'month' is not a month in 1 row, "
                                        r"e.g. 'July 2024'\. Write months as 'YYYY-MM'"):
        difference_in_differences(bad, members, "orders", post_from=LAUNCH)
    coded = members.assign(enrolled=members["enrolled"].replace(1, 2))
    with pytest.raises(DataError, match=r"members: column 'enrolled' is not 0/1 \(or "
                                        r"True/False\) in \d+ rows, e.g. 2"):
        difference_in_differences(panel, coded, "orders", post_from=LAUNCH)
    with pytest.raises(DataError, match="post_from='2025-03' is after the panel's last month, "
                                        "2024-12"):
        naive_difference(panel, members, "orders", post_from="2025-03")
    with pytest.raises(DataError, match="no month before the launch"):
        difference_in_differences(panel, members, "orders", post_from="2024-01")
    with pytest.raises(DataError, match="post_from must be a month written 'YYYY-MM'"):
        naive_difference(panel, members, "orders", post_from="July")
    with pytest.raises(DataError, match=r"panel: column 'member_id' is not in the members "
                                        r"table in 12 rows, e.g. 'M00000'"):
        naive_difference(panel, members.iloc[1:], "orders", post_from=LAUNCH)
    with pytest.raises(DataError, match="repeated within a month in 1 row"):
        naive_difference(pd.concat([panel, panel.iloc[:1]]), members, "orders",
                         post_from=LAUNCH)
    with pytest.raises(DataError, match=r"marks 1 treated and"):
        naive_difference(panel, members.assign(enrolled=[1] + [0] * (len(members) - 1)),
                         "orders", post_from=LAUNCH)
    with pytest.raises(DataError, match="cluster='store' is a column of neither"):
        difference_in_differences(panel, members, "orders", post_from=LAUNCH, cluster="store")
    with pytest.raises(DataError, match="level must be a number between 0 and 1"):
        naive_difference(panel, members, "orders", post_from=LAUNCH, level=95)


def test_event_study_errors_are_sentences(pilot):
    panel, members = pilot
    with pytest.raises(DataError, match="reference must be a relative month the treated "
                                        "members are seen in, from -6 to 5; got -9"):
        event_study(panel, members, "orders", reference=-9)
    with pytest.raises(DataError, match="0 never-treated"):
        event_study(panel, members.assign(program_start=LAUNCH), "orders")
    with pytest.raises(DataError, match="study must be the table event_study returns"):
        pre_trend_test(pd.DataFrame({"relative_month": [-2], "estimate": [0.1]}))
    late = panel[panel["month"] >= "2024-06"]
    with pytest.raises(DataError, match="no month before the start other than the reference"):
        pre_trend_test(event_study(late, members, "orders"))
