"""Does the program pay: lifts to lifetime value, costs, ROI, payback, and the rollout decision."""

import numpy as np
import pandas as pd
import pytest

from relmark_lab import DataError
from relmark_lab.clv import retention_clv
from relmark_lab.programs.value import (
    bootstrap_program_value,
    pilot_terms,
    program_value,
    rollout_decision,
)

MONTHLY = 1.12 ** (1 / 12) - 1


def test_the_value_is_the_difference_of_two_retention_clvs_less_the_running_cost():
    value = program_value(margin=100.0, retention_rate=0.95, margin_lift=0.10,
                          dropout_reduction=0.20, reward_cost=5.0, operating_cost=3.0,
                          discount_rate=0.12, horizon=24, setup_cost=50.0)
    kept = 1 - 0.05 * 0.8
    expected = retention_clv(110.0, kept, MONTHLY, 24) - retention_clv(100.0, 0.95, MONTHLY, 24)
    assert value.incremental_clv == pytest.approx(expected)
    assert value.cost == pytest.approx(retention_clv(8.0, kept, MONTHLY, 24) + 50.0)
    assert value.roi == pytest.approx(value.net_value / value.cost)
    net = value.schedule["cumulative_net_value"]
    assert net.iloc[value.payback_period - 1] > 0 >= net.iloc[value.payback_period - 2]
    assert value.time_unit == "M"


def test_a_program_that_only_costs_never_pays_back():
    value = program_value(margin=100.0, retention_rate=0.9, margin_lift=0.0,
                          dropout_reduction=0.0, reward_cost=2.0, operating_cost=1.0,
                          discount_rate=0.1, horizon=12)
    assert value.incremental_clv == 0 and value.payback_period is None and value.roi == -1


def _pilot(n=600, lift=0.2, cut=0.3, seed=1):
    """A randomized pilot: 6 post months, monthly dropout 5% (cut by the program)."""
    rng = np.random.default_rng(seed)
    treated = np.arange(n) < n // 2
    rows = []
    for member in range(n):
        hazard = 0.05 * (1 - cut * treated[member])
        active = True
        for month in range(1, 7):
            if month > 1 and rng.random() < hazard:
                active = False
            revenue = rng.gamma(4, 25) * (1 + lift * treated[member]) if active else 0.0
            rows.append({"member_id": f"M{member}", "month": f"2024-{6 + month:02d}",
                         "revenue": revenue, "rewards": 0.04 * revenue * treated[member],
                         "active": int(active)})
    members = pd.DataFrame({"member_id": [f"M{k}" for k in range(n)],
                            "enrolled": treated.astype(int)})
    return pd.DataFrame(rows), members


def test_pilot_terms_recover_the_simulated_lifts():
    panel, members = _pilot(n=4000)
    terms = pilot_terms(panel, members, post_from="2024-07", margin_rate=0.3)
    assert terms.margin == pytest.approx(0.3 * 100, rel=0.05)
    assert terms.retention_rate == pytest.approx(0.95, abs=0.01)
    assert terms.margin_lift == pytest.approx(0.2, abs=0.04)
    assert terms.dropout_reduction == pytest.approx(0.3, abs=0.12)
    assert terms.reward_cost == pytest.approx(0.04 * 120, rel=0.06)


def test_the_bootstrap_is_seeded_and_its_interval_covers_the_truth():
    panel, members = _pilot()
    draws = bootstrap_program_value(panel, members, post_from="2024-07", margin_rate=0.3,
                                    operating_cost=3.0, discount_rate=0.12, horizon=24,
                                    replicates=40, seed=3)
    again = bootstrap_program_value(panel, members, post_from="2024-07", margin_rate=0.3,
                                    operating_cost=3.0, discount_rate=0.12, horizon=24,
                                    replicates=40, seed=3)
    pd.testing.assert_frame_equal(draws, again)
    low, high = draws["margin_lift"].quantile([0.025, 0.975])
    assert low < 0.2 < high
    assert list(draws.columns) == ["margin_lift", "dropout_reduction", "net_value", "roi",
                                   "payback_period"]


def test_the_rollout_decision_weighs_now_against_waiting():
    sure = rollout_decision(np.full(50, 80.0), 1000, wait_periods=3, discount_rate=0.12)
    assert sure["decision"] == "roll out" and sure["probability_pays"] == 1
    losing = rollout_decision(np.full(50, -10.0), 1000, wait_periods=3, discount_rate=0.12)
    assert losing["decision"] == "stop"
    unsure = rollout_decision([100.0, -90.0], 1000, wait_periods=1, discount_rate=0.12)
    assert unsure["roll_out_now"] == pytest.approx(5_000)
    assert unsure["wait"] == pytest.approx(50_000 / (1 + MONTHLY))
    assert unsure["decision"] == "wait for another phase"


@pytest.mark.parametrize(("call", "message"), [
    (lambda: program_value(margin=1, retention_rate=1.2, margin_lift=0, dropout_reduction=0,
                           reward_cost=0, operating_cost=0, discount_rate=0.1, horizon=3),
     "retention_rate must be a finite number at least 0 and at most 1"),
    (lambda: program_value(margin=1, retention_rate=0.9, margin_lift=0, dropout_reduction=0,
                           reward_cost=0, operating_cost=0, discount_rate=0.1, horizon=0),
     "horizon"),
    (lambda: rollout_decision([1.0], 10, wait_periods=1, discount_rate=0.1),
     "at least two finite draws"),
    (lambda: pilot_terms(pd.DataFrame({"member_id": ["a"]}), pd.DataFrame(), post_from="x",
                         margin_rate=0.3), "Column 'month' is missing"),
])
def test_bad_input_is_a_sentence(call, message):
    with pytest.raises(DataError, match=message):
        call()


def test_a_pilot_without_post_months_or_without_controls_is_a_sentence():
    panel, members = _pilot(n=20)
    with pytest.raises(DataError, match="no month from post_from '2025-01'"):
        pilot_terms(panel, members, post_from="2025-01", margin_rate=0.3)
    with pytest.raises(DataError, match="members of one arm only"):
        pilot_terms(panel, members.assign(enrolled=1), post_from="2024-07", margin_rate=0.3)
