"""A phased rollout: TWFE's bias when effects grow, and the group-time estimator that avoids it."""

import numpy as np
import pandas as pd
import pytest

from relmark_lab import DataError
from relmark_lab.programs.staggered import staggered_effect, twfe_effect

MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]
WAVES = {"north": 3, "south": 6, "east": 9, "west": None}  # month of the start; west never


def grow(months_in):
    """Effect in extra orders a month by months in the program (0 = first month): it builds up."""
    return 0.4 * (months_in + 1)


def simulate(per_region=500, *, seed=11, effect=grow):
    rng = np.random.default_rng(seed)
    region = np.repeat(list(WAVES), per_region)
    start = np.array([WAVES[r] or 0 for r in region])  # 0: never
    month = np.arange(1, 13)
    inside = (start[:, None] > 0) & (month[None, :] >= start[:, None])
    months_in = np.where(inside, month[None, :] - start[:, None], 0)
    y = (rng.normal(4.0, 1.0, len(region))[:, None] + 0.2 * month[None, :]
         + np.where(inside, effect(months_in), 0.0) + rng.normal(0, 1.0, inside.shape))
    ids = [f"M{i:05d}" for i in range(len(region))]
    panel = pd.DataFrame({"member_id": np.repeat(ids, 12), "month": MONTHS * len(ids),
                          "orders": y.ravel()})
    members = pd.DataFrame({"member_id": ids, "region": region, "program_start": [
        MONTHS[s - 1] if s else None for s in start]})
    # the truth, averaged as the estimator does: every post-start cell, waves weighted by size
    cells = [(g, t) for g in (3, 6, 9) for t in range(g, 13)]
    truth = {"overall": np.mean([effect(t - g) for g, t in cells]),
             "by_event_time": {e: effect(e) for e in range(10)}}
    return panel, members, truth


@pytest.fixture(scope="module")
def growing():
    panel, members, truth = simulate()
    return panel, members, truth, staggered_effect(panel, members, "orders", n_boot=199)


def test_twfe_is_biased_when_effects_grow_and_the_staggered_estimator_is_not(growing):
    panel, members, truth, result = growing
    twfe = twfe_effect(panel, members, "orders")
    assert result.overall.covers(truth["overall"])
    assert not twfe.covers(truth["overall"])
    assert twfe.estimate < truth["overall"] - 0.3  # late waves compared with early ones
    assert twfe.n_treated == 1500 and twfe.n_control == 500


def test_with_a_constant_effect_both_agree():
    panel, members, _ = simulate(300, seed=5, effect=lambda months_in: 1.0 + 0 * months_in)
    twfe = twfe_effect(panel, members, "orders")
    staggered = staggered_effect(panel, members, "orders", n_boot=99)
    assert twfe.covers(1.0) and staggered.overall.covers(1.0)


def test_event_time_effects_track_the_build_up_and_placebos_are_flat(growing):
    _, _, truth, result = growing
    events = result.by_event_time.set_index("relative_month")
    assert events.index.min() == -8 and events.index.max() == 9
    after = events.loc[0:9]
    true = pd.Series(truth["by_event_time"])
    covered = (after["lower"] <= true) & (true <= after["upper"])
    assert covered.mean() >= 0.8
    assert np.abs(after["estimate"] - true).max() < 0.25
    before = events.loc[:-2]
    assert (before["estimate"].abs() < 3 * before["std_error"]).all()
    assert events.loc[0, "n_cohorts"] == 3 and events.loc[9, "n_cohorts"] == 1


def test_a_group_time_effect_is_the_two_by_two_by_hand(growing):
    panel, members, _, result = growing
    wide = panel.pivot(index="member_id", columns="month", values="orders")
    start = members.set_index("member_id")["program_start"]
    change = wide["2024-07"] - wide["2024-05"]  # wave 2024-06 in its 2nd month, from 2024-05
    cohort = change[start == "2024-06"]
    controls = change[start.isna() | (start > "2024-07")]  # east (2024-09) and west (never)
    cell = result.by_group_time.query("cohort == '2024-06' and month == '2024-07'").iloc[0]
    assert cell["estimate"] == pytest.approx(cohort.mean() - controls.mean(), abs=1e-10)
    assert (cell["n_cohort"], cell["n_control"]) == (500, 1000)
    assert cell["relative_month"] == 1
    # the bootstrap SE is about the textbook SE of a difference of two means
    textbook = np.sqrt(cohort.var() / len(cohort) + controls.var() / len(controls))
    assert cell["std_error"] == pytest.approx(textbook, rel=0.2)


def test_never_treated_controls_and_a_seeded_bootstrap(growing):
    panel, members, truth, result = growing
    never = staggered_effect(panel, members, "orders", control_group="never_treated", n_boot=199)
    assert (never.by_group_time["n_control"] == 500).all()
    assert never.overall.covers(truth["overall"]) and never.control_group == "never_treated"
    again = staggered_effect(panel, members, "orders", n_boot=199)
    assert again.overall.std_error == result.overall.std_error
    other = staggered_effect(panel, members, "orders", n_boot=199, seed=1)
    assert other.overall.std_error != result.overall.std_error
    assert other.overall.estimate == result.overall.estimate
    assert result.overall.details["waves"] == ["2024-03", "2024-06", "2024-09"]


def test_bad_input_is_a_sentence(growing):
    panel, members, _, _ = growing
    with pytest.raises(DataError, match="control_group must be 'not_yet_treated' or "
                                        "'never_treated', got 'everyone'"):
        staggered_effect(panel, members, "orders", control_group="everyone")
    with pytest.raises(DataError, match="n_boot must be a whole number of at least 20, got 5"):
        staggered_effect(panel, members, "orders", n_boot=5)
    with pytest.raises(DataError, match="column 'program_start' gives 0 member"):
        twfe_effect(panel, members.assign(program_start=None), "orders")
    with pytest.raises(DataError, match=r"members: column 'program_start' is not a month in "
                                        r"1,500 rows, e.g. 'March'"):
        staggered_effect(panel, members.assign(program_start=members["program_start"].replace(
            {"2024-03": "March", "2024-06": "June", "2024-09": "Sept"})), "orders")
    treated_only = members["program_start"].notna()
    kept = panel["member_id"].isin(members.loc[treated_only, "member_id"])
    with pytest.raises(DataError, match="No wave of 'program_start' has both a month before"):
        staggered_effect(panel[kept], members, "orders", control_group="never_treated")
