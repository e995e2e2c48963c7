"""On the kit's simulated pilots, the package's estimators recover the true effects."""

import numpy as np
import pytest

import relmark_lab as rl
from relmark_lab import programs
from relmark_lab.datasets import write_datasets


def _designs(folder=None):
    members = rl.datasets.load_pilot_members(folder)
    panel = rl.datasets.load_loyalty_pilot(folder)
    truth = rl.datasets.load_truth(folder)["programs"]

    def design(name):
        chosen = members[members["design"] == name]
        return chosen, panel[panel["member_id"].isin(chosen["member_id"])]

    return design, truth, folder


@pytest.fixture(scope="module")
def kits(tmp_path_factory):
    """The committed data and two more simulations of another seed and size."""
    folders = [None]
    for seed, size in ((5, 2500), (9, 4000)):
        folder = tmp_path_factory.mktemp(f"kit{seed}")
        write_datasets(folder, seed=seed, n_customers=size)
        folders.append(folder)
    return [_designs(folder) for folder in folders]


def _per_member(chosen, rows, launch):
    after = rows[rows["month"] >= launch].groupby("member_id")["orders"].mean()
    return chosen.merge(after.reset_index(), on="member_id")


def _propensity_effects(chosen, rows, launch):
    """Lesson 06's propensity estimates: on last year's record, and without it."""
    selected = _per_member(chosen, rows, launch).assign(
        log_prior_year_orders=lambda m: np.log(m["prior_year_orders"] + 0.5),
        log_tenure=lambda m: np.log(m["tenure_months"]))
    labels = ["region", "tier"]
    scores = programs.propensity_scores(
        selected, "enrolled", ["log_tenure", "log_prior_year_orders", "prior_year_spend",
                               "satisfaction", *labels], categorical=labels)
    outcome_model = ["prior_orders", "prior_spend", "prior_year_orders", "tier"]
    weighted = programs.ipw_effect(selected, "orders", "enrolled", scores, adjust=outcome_model)
    matched = programs.matched_effect(selected, "orders", "enrolled", scores,
                                      adjust=outcome_model)
    unrecorded = programs.propensity_scores(selected, "enrolled",
                                            ["log_tenure", "satisfaction", *labels],
                                            categorical=labels)
    blind = programs.ipw_effect(selected, "orders", "enrolled", unrecorded, adjust=["tier"])
    return weighted, matched, blind


def test_the_estimators_recover_the_kits_true_effects(kits):
    did_covers = 0
    for design, truth, folder in kits:
        launch = truth["launch_month"]
        randomized, rows = design("randomized")
        effect = programs.difference_in_means(_per_member(randomized, rows, launch), "orders",
                                              "enrolled")
        assert effect.covers(truth["randomized"]["ate"]["orders"])
        chosen, rows = design("self_selected")
        did = programs.difference_in_differences(rows, chosen, "orders", post_from=launch)
        att = truth["self_selected"]["att"]["orders"]
        did_covers += did.covers(att)
        # Within 2.6 standard errors always (a 95% interval misses one draw in twenty).
        assert abs(did.estimate - att) < 2.6 * did.std_error
        weighted, matched, blind = _propensity_effects(chosen, rows, launch)
        assert weighted.covers(att) and matched.covers(att)
        # leave out the record members chose on, and the bias is back
        assert not blind.covers(att) and blind.estimate > att + 3 * blind.std_error
        rollout, rows = design("rollout")
        staggered = programs.staggered_effect(rows, rollout, "orders", n_boot=99)
        assert staggered.overall.covers(truth["rollout"]["att"]["orders"])
        cases = rl.datasets.load_complaint_recovery(folder)
        recovery = programs.proportion_effect(cases, "retained", group="group",
                                              treated="call_back")
        assert recovery.covers(truth["complaint_recovery"]["effect"])
        follow_up = rl.datasets.load_follow_up(folder)
        contact = programs.proportion_effect(follow_up, "repeat_90d", group="group",
                                             treated="contacted")
        assert contact.covers(truth["follow_up"]["effect"])
    assert did_covers >= 2


def test_the_naive_comparison_is_biased_by_what_the_simulation_implies(kits):
    for design, truth, _ in kits:
        chosen, rows = design("self_selected")
        naive = programs.naive_difference(rows, chosen, "orders", post_from=truth["launch_month"])
        expected = truth["self_selected"]["expected_naive_difference"]["orders"]
        assert naive.covers(expected) or abs(naive.estimate / expected - 1) < 0.1
        assert naive.estimate / truth["self_selected"]["att"]["orders"] > 4
