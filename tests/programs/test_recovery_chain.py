"""Complaint recovery and follow-up (two shares), their value, and the service-profit chain."""

import numpy as np
import pandas as pd
import pytest

from relmark_lab import DataError
from relmark_lab.programs.chain import OBSERVATIONAL_CAVEAT, service_profit_chain
from relmark_lab.programs.recovery import proportion_effect, recovery_value


def _cases(n=4000, usual=0.55, call_back=0.70, seed=0):
    rng = np.random.default_rng(seed)
    group = np.where(np.arange(n) % 2 == 0, "call_back", "usual")
    share = np.where(group == "call_back", call_back, usual)
    return pd.DataFrame({"group": group, "retained": (rng.random(n) < share).astype(int)})


def test_the_retention_effect_covers_the_truth_and_matches_the_shares():
    cases = _cases()
    effect = proportion_effect(cases, "retained", group="group", treated="call_back")
    shares = cases.groupby("group")["retained"].mean()
    assert effect.estimate == pytest.approx(shares["call_back"] - shares["usual"])
    assert effect.covers(0.15) and effect.n_treated == effect.n_control == 2000
    assert effect.details["p_value"] < 1e-10
    assert effect.std_error == pytest.approx(effect.width / 2 / 1.96, rel=0.05)


def test_over_many_trials_the_interval_covers_the_truth_about_95_percent_of_the_time():
    covered = [proportion_effect(_cases(n=400, seed=s), "retained", group="group",
                                 treated="call_back").covers(0.15) for s in range(100)]
    assert 0.89 <= np.mean(covered) <= 1.0


def test_the_value_is_linear_in_the_effect_and_says_where_it_breaks_even():
    effect = proportion_effect(_cases(), "retained", group="group", treated="call_back")
    value = recovery_value(effect, value_of_customer=2_000.0, cost_per_case=100.0, cases=500)
    assert value.estimate == pytest.approx(500 * (effect.estimate * 2_000 - 100))
    assert value.lower == pytest.approx(500 * (effect.lower * 2_000 - 100))
    assert value.details["break_even_effect"] == pytest.approx(0.05)


def test_bad_outcomes_and_labels_are_a_sentence():
    cases = _cases(n=10)
    with pytest.raises(DataError, match="no row of column 'group' is 'callback'"):
        proportion_effect(cases, "retained", group="group", treated="callback")
    with pytest.raises(DataError, match="'retained' is not 0/1"):
        proportion_effect(cases.assign(retained=2), "retained", group="group",
                          treated="call_back")
    with pytest.raises(DataError, match="effect must be an Effect"):
        recovery_value(0.1, value_of_customer=1.0, cost_per_case=1.0)


def _stores(n=400, confounded=0.0, seed=0):
    rng = np.random.default_rng(seed)
    affluence = rng.normal(size=n)
    staff = 6 + rng.normal(size=n) + confounded * affluence
    customer = 2 + 0.3 * staff + confounded * 0.3 * affluence + rng.normal(0, 0.2, n)
    retention = 0.2 + 0.1 * customer + rng.normal(0, 0.02, n)
    return pd.DataFrame({"staff_satisfaction": staff, "customer_satisfaction": customer,
                         "retention": retention, "customers": rng.integers(50, 500, n),
                         "affluence": affluence})


def test_the_chain_recovers_its_paths_and_says_it_is_observational():
    chain = service_profit_chain(_stores(), replicates=200).set_index("path")
    assert chain.loc["a: staff -> customer satisfaction", "estimate"] == pytest.approx(0.3,
                                                                                       abs=0.03)
    assert chain.loc["b: customer satisfaction -> retention", "estimate"] == pytest.approx(
        0.1, abs=0.02)
    indirect = chain.loc["indirect (a x b)"]
    assert indirect["lower"] < 0.03 < indirect["upper"]
    assert chain.attrs["caveat"] == OBSERVATIONAL_CAVEAT


def test_a_confounder_inflates_path_a_unless_it_is_controlled():
    stores = _stores(confounded=1.0)
    naive = service_profit_chain(stores, replicates=100).set_index("path")
    held = service_profit_chain(stores, controls=["affluence"], replicates=100).set_index("path")
    path = "a: staff -> customer satisfaction"
    assert naive.loc[path, "estimate"] > 0.4
    assert held.loc[path, "estimate"] == pytest.approx(0.3, abs=0.03)


def test_too_few_stores_is_a_sentence():
    with pytest.raises(DataError, match="5 stores are too few"):
        service_profit_chain(_stores(n=5))
