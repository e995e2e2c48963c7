"""Self-checks of lesson 06: right answers pass, fixed numbers and known mistakes do not."""

import time

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.power import NormalIndPower, TTestIndPower
from statsmodels.stats.proportion import proportion_effectsize

from relmark_lab import datasets, programs
from relmark_lab.checks import _programs_cases as cases
from relmark_lab.checks import programs as check
from relmark_lab.datasets import practice


def _stub(*args):
    raise NotImplementedError()


# --- right answers, written as a student would, without the package's reference ---------


def right_size(baseline, lift, alpha=0.05, power=0.8):
    h = proportion_effectsize(baseline + lift, baseline)
    return NormalIndPower().solve_power(effect_size=h, nobs1=None, alpha=alpha, power=power)


def right_smd(frame, treatment, covariate):
    groups = frame.groupby(treatment)[covariate]
    means, variances = groups.mean(), groups.var()
    return (means[1] - means[0]) / np.sqrt((variances[1] + variances[0]) / 2)


def right_did(panel, members, post_from):
    rows = panel.merge(members[["member_id", "enrolled"]], on="member_id")
    after = rows["month"] >= post_from
    means = rows.groupby([rows["enrolled"], after])["orders"].mean()
    return (means[1, True] - means[1, False]) - (means[0, True] - means[0, False])


def right_recovery(frame):
    share = frame.groupby("group")["retained"].mean()
    return share["call_back"] - share["usual"]


def right_phase(net_values, members, wait_periods, discount_rate):
    monthly = (1 + discount_rate) ** (1 / 12) - 1
    now = members * np.mean(net_values)
    wait = members * np.mean(np.maximum(net_values, 0)) / (1 + monthly) ** wait_periods
    if max(now, wait) <= 0:
        return "stop"
    return "roll out" if now >= wait else "wait for another phase"


RIGHT = {
    "members_per_arm": right_size,
    "standardized_difference": right_smd,
    "difference_in_differences": right_did,
    "recovery_effect": right_recovery,
    "next_phase": right_phase,
}


def _kit():
    members = datasets.load_pilot_members()
    return (members, datasets.load_loyalty_pilot(), datasets.load_complaint_recovery(),
            datasets.load_truth()["programs"])


@pytest.fixture(scope="module")
def lesson_answers():
    """What each exercise gives on the lesson's data, to hard-code and to look for in text."""
    members, panel, complaints, truth = _kit()
    chosen = members[members["design"] == "self_selected"]
    return {
        "members_per_arm": {args: right_size(*args) for args in cases.SIZE_CASES.values()},
        "standardized_difference": right_smd(chosen, "enrolled", "prior_spend"),
        "difference_in_differences": right_did(panel, chosen, truth["launch_month"]),
        "recovery_effect": right_recovery(complaints),
        "next_phase": right_phase(practice.pilot_net_values(), practice.ROLLOUT_MEMBERS,
                                  practice.PHASE_MONTHS, practice.DISCOUNT_RATE),
    }


def test_the_lessons_reference_numbers(lesson_answers):
    # REFERENCES: 20% -> 25% retention is h = .1199 and 1,091.9 members per arm.
    assert proportion_effectsize(0.25, 0.20) == pytest.approx(0.1199, abs=1e-4)
    assert lesson_answers["members_per_arm"][(0.20, 0.05, 0.05, 0.8)] == pytest.approx(
        1091.9, abs=0.05)
    # Self-selected members had bought more before the program; randomized ones had not.
    assert lesson_answers["standardized_difference"] == pytest.approx(0.4882, abs=1e-4)
    members, panel, complaints, truth = _kit()
    randomized = members[members["design"] == "randomized"]
    assert abs(right_smd(randomized, "enrolled", "prior_spend")) < 0.2  # chance: sd ~0.06
    # DiD on the self-selected pilot: far below the naive gap, near the simulator's truth.
    did = lesson_answers["difference_in_differences"]
    chosen = members[members["design"] == "self_selected"]
    rows = panel[panel["member_id"].isin(chosen["member_id"])]
    naive = programs.naive_difference(rows, chosen, "orders", post_from="2024-07").estimate
    assert did == pytest.approx(0.3000, abs=1e-4) and naive > 4 * did
    assert abs(did - truth["self_selected"]["att"]["orders"]) < 0.1
    # The call-back keeps 68.5% against 57.0%; the simulator's effect is 0.15, inside the CI.
    assert lesson_answers["recovery_effect"] == pytest.approx(0.685 - 0.57)
    effect = programs.proportion_effect(complaints, "retained", group="group",
                                        treated="call_back")
    assert effect.covers(truth["complaint_recovery"]["effect"])
    # The randomized pilot loses money on average but often pays: wait for another phase.
    draws = practice.pilot_net_values()
    assert len(draws) == practice.PILOT_REPLICATES and draws.mean() < 0 < draws.max()
    assert lesson_answers["next_phase"] == "wait for another phase" == programs.rollout_decision(
        draws, practice.ROLLOUT_MEMBERS, wait_periods=practice.PHASE_MONTHS,
        discount_rate=practice.DISCOUNT_RATE)["decision"]


def test_the_packages_did_is_the_two_by_two_of_means_on_every_case():
    # The panels are balanced (12 months a member), so the regression's interaction is the
    # difference of the four member-month means, on the lesson's data and the unseen ones.
    for _, (panel, members, post_from), _ in cases.did_inputs(None):
        rows = panel[panel["member_id"].isin(members["member_id"])]
        assert rows.groupby("member_id").size().nunique() == 1
        assert cases.did_reference(panel, members, post_from) == pytest.approx(
            right_did(panel, members, post_from), abs=1e-10)
    shifted = cases.did_inputs(None)[2][1]
    assert shifted[2] > "2024-12" and shifted[0]["month"].min() > "2024-12"


def test_the_smd_matches_a_hand_computation():
    frame = pd.DataFrame({"enrolled": [1, 1, 1, 0, 0], "x": [4.0, 6.0, 8.0, 1.0, 3.0]})
    # means 6 and 2, variances 4 and 2: 4 / sqrt(3)
    assert right_smd(frame, "enrolled", "x") == pytest.approx(4 / np.sqrt(3))
    assert float(programs.balance_table(frame, "enrolled", ["x"])["smd"].iloc[0]) == \
        pytest.approx(4 / np.sqrt(3))


@pytest.mark.parametrize("name", RIGHT)
def test_right_answers_pass_and_stubs_are_unanswered(name):
    result = getattr(check, name)(RIGHT[name])
    assert result.passed, str(result)
    assert str(result).startswith("Right: 06")
    stub = getattr(check, name)(_stub)
    assert stub.status == "unanswered"
    assert str(stub).startswith("Not answered yet: 06") and "Hint:" in str(stub)


def test_right_answers_in_other_shapes_pass():
    assert check.members_per_arm(lambda *args: np.array([right_size(*args)])).passed
    assert check.members_per_arm(lambda b, lift, a, p: programs.sample_size(
        lift, kind="proportions", baseline=b, alpha=a, power=p).n_treated).passed
    assert check.standardized_difference(lambda *args: pd.Series([right_smd(*args)])).passed
    assert check.difference_in_differences(lambda *args: np.float64(right_did(*args))).passed
    assert check.recovery_effect(lambda frame: float(right_recovery(frame))).passed
    assert check.next_phase(lambda *args: f"  {right_phase(*args).upper()} ").passed
    assert check.next_phase(lambda *args: right_phase(*args).replace(" ", "_")).passed
    assert check.next_phase(lambda *args: [right_phase(*args).title()]).passed


def test_h_in_either_order_passes_a_two_sided_test():
    """A negative h is the same two-sided pilot: statsmodels' power is symmetric in h."""
    def other_order(baseline, lift, alpha=0.05, power=0.8):
        h = proportion_effectsize(baseline, baseline + lift)
        return NormalIndPower().solve_power(effect_size=h, nobs1=None, alpha=alpha, power=power)

    assert proportion_effectsize(0.20, 0.25) < 0
    assert check.members_per_arm(other_order).passed


def test_a_negative_h_with_a_one_sided_test_gets_statsmodels_sentence():
    def one_sided(baseline, lift, alpha=0.05, power=0.8):
        h = proportion_effectsize(baseline, baseline + lift)
        return NormalIndPower().solve_power(effect_size=h, nobs1=None, alpha=alpha, power=power,
                                            alternative="larger")

    result = check.members_per_arm(one_sided)
    assert result.status == "wrong" and "stopped with ValueError" in result.because
    assert "effect size with matching sign" in result.because


def test_members_per_arm_in_a_small_mistake_is_a_mistake_not_a_rounding():
    # The t-test with the two shares' average variance is within 0.01% on 20% -> 25%.
    close = TTestIndPower().solve_power(0.05 / np.sqrt((0.16 + 0.1875) / 2), nobs1=None,
                                        alpha=0.05, power=0.8)
    assert close == pytest.approx(1091.9, rel=1e-3) and close != pytest.approx(1091.896, abs=0.01)


def _hard_coded(name, answers):
    """A function that returns the lesson's answer whatever it is given."""
    values = answers[name]
    if isinstance(values, dict):
        return lambda *args: values.get(args, 0.0)
    return lambda *args: values


@pytest.mark.parametrize("name", RIGHT)
def test_hard_coded_answers_fail_on_new_data(name, lesson_answers):
    result = getattr(check, name)(_hard_coded(name, lesson_answers))
    assert result.status == "wrong"
    expected = "you have not seen" if name == "next_phase" else \
        "right answer on the lesson's data but not on"
    assert expected in result.because, str(result)


def test_a_fixed_launch_month_fails_on_a_later_pilot():
    result = check.difference_in_differences(lambda panel, members, _: right_did(
        panel, members, "2024-07"))
    assert result.status == "wrong" and "a pilot launched in" in result.because, str(result)


# --- known mistakes: what each gives is recognised ------------------------------------


def _t_size(sd):
    return lambda b, lift, alpha=0.05, power=0.8: TTestIndPower().solve_power(
        lift / sd(b, lift), nobs1=None, alpha=alpha, power=power)


def _half_h(b, lift, alpha=0.05, power=0.8):
    h = np.arcsin(np.sqrt(b + lift)) - np.arcsin(np.sqrt(b))
    return NormalIndPower().solve_power(effect_size=h, nobs1=None, alpha=alpha, power=power)


def _smd(scale, gap=lambda mt, mc: mt - mc):
    def answer(frame, treatment, covariate):
        x, t = frame[covariate].astype(float), frame[treatment] == 1
        return gap(x[t].mean(), x[~t].mean()) / scale(x, t)
    return answer


def _did(kind):
    def answer(panel, members, post_from):
        enrolled = set(members.loc[members["enrolled"] == 1, "member_id"])
        rows = panel if kind == "all" else panel[panel["member_id"].isin(members["member_id"])]
        outcome = rows["revenue" if kind == "revenue" else "orders"]
        treated = rows["member_id"].isin(enrolled)
        after = rows["month"] > post_from if kind == "late" else rows["month"] >= post_from

        def mean(t, a):
            return outcome[(treated == t) & (after == a)].mean()
        return {
            "naive": lambda: mean(True, True) - mean(False, True),
            "enrolled": lambda: mean(True, True) - mean(True, False),
            "reversed": lambda: (mean(False, True) - mean(False, False))
            - (mean(True, True) - mean(True, False)),
            "before": lambda: mean(True, False) - mean(False, False),
        }.get(kind, lambda: (mean(True, True) - mean(True, False))
              - (mean(False, True) - mean(False, False)))()
    return answer


def _shares(frame):
    share = frame.groupby("group")["retained"].mean()
    return share["call_back"], share["usual"]


def _phase(rule):
    def answer(net_values, members, wait_periods, discount_rate):
        draws = np.asarray(net_values, dtype=float)
        monthly = (1 + discount_rate) ** (1 / 12) - 1
        factor = {"no discount": 1.0, "annual rate a month": (1 + discount_rate) ** wait_periods
                  }.get(rule, (1 + monthly) ** wait_periods)
        now, wait = members * draws.mean(), members * np.maximum(draws, 0).mean() / factor
        if rule == "mean":
            return "roll out" if now > 0 else "stop"
        if rule == "probability":
            return "roll out" if (draws > 0).mean() > 0.5 else "wait for another phase"
        if max(now, wait) <= 0 and rule != "never stop":
            return "stop"
        return "roll out" if now >= wait else "wait for another phase"
    return answer


MISTAKES = [
    ("members_per_arm", _t_size(lambda b, lift: np.sqrt(b * (1 - b))),
     "baseline share's standard deviation"),
    ("members_per_arm", _t_size(lambda b, lift: np.sqrt((b * (1 - b) + (b + lift)
                                                         * (1 - b - lift)) / 2)),
     "two shares' average variance"),
    ("members_per_arm", lambda b, lift, alpha=0.05, power=0.8: NormalIndPower().solve_power(
        proportion_effectsize(b + lift, b), nobs1=None, alpha=alpha, power=power,
        alternative="larger"), "one-sided"),
    ("members_per_arm", lambda *args: 2 * right_size(*args), "both arms together"),
    ("members_per_arm", _half_h, "lacks its factor 2"),
    ("members_per_arm", lambda *args: float(np.ceil(right_size(*args))), "rounded up"),
    ("members_per_arm", lambda b, lift, alpha, power: right_size(b, lift),
     "does not change with alpha and power"),
    ("members_per_arm", lambda *args: right_size(*args) * 1.1, "about 10% too high"),
    ("standardized_difference", _smd(lambda x, t: x[~t].std()), "controls' standard deviation"),
    ("standardized_difference", _smd(lambda x, t: np.sqrt(
        ((t.sum() - 1) * x[t].var() + ((~t).sum() - 1) * x[~t].var()) / (len(x) - 2))),
     "weighted by the arms' sizes"),
    ("standardized_difference", _smd(lambda x, t: x.std()), "all members together"),
    ("standardized_difference", lambda *args: abs(right_smd(*args)), "absolute value"),
    ("standardized_difference", _smd(lambda x, t: np.sqrt(
        (np.var(x[t].to_numpy()) + np.var(x[~t].to_numpy())) / 2)), "population variances"),
    ("standardized_difference", _smd(lambda x, t: np.sqrt((x[t].var() + x[~t].var()) / 2),
                                     lambda mt, mc: mc - mt), "control mean"),
    ("standardized_difference", _smd(lambda x, t: 1.0), "covariate's own unit"),
    ("difference_in_differences", _did("naive"), "naive comparison"),
    ("difference_in_differences", _did("enrolled"), "own change"),
    ("difference_in_differences", _did("reversed"), "sign is reversed"),
    ("difference_in_differences", _did("late"), "counted before the launch"),
    ("difference_in_differences", _did("before"), "head start"),
    ("difference_in_differences", _did("revenue"), "effect on revenue"),
    ("difference_in_differences", _did("all"), "not in members"),
    ("recovery_effect", lambda f: _shares(f)[0] / _shares(f)[1], "ratio of the two shares"),
    ("recovery_effect", lambda f: _shares(f)[0] / _shares(f)[1] - 1, "relative lift"),
    ("recovery_effect", lambda f: 100 * right_recovery(f), "percentage points"),
    ("recovery_effect", lambda f: f["retained"].mean(), "over all complainers"),
    ("recovery_effect", lambda f: -right_recovery(f), "usual minus call-back"),
    ("recovery_effect", lambda f: f.groupby("group")["retained"].sum().diff().iloc[-1] * -1,
     "numbers retained"),
    ("recovery_effect", lambda f: _shares(f)[0], "share alone"),
    ("next_phase", lambda *args: "roll out", "lose money on average"),
    ("next_phase", _phase("mean"), "stopping earns nothing"),
    ("next_phase", _phase("no discount"), "discounted"),
    ("next_phase", _phase("annual rate a month"), "takes the losing draws"),
    ("next_phase", _phase("probability"), "no draw of the net value is positive"),
    ("next_phase", _phase("never stop"), "no draw of the net value is positive"),
]


@pytest.fixture(scope="module")
def verdicts():
    """Every mistake's verdict, first and second attempt (computed once)."""
    from relmark_lab.checks import reset_attempts

    found = {}
    for name, answer, _ in MISTAKES:
        reset_attempts()
        first = getattr(check, name)(answer)
        found[id(answer)] = (first, getattr(check, name)(answer))
    reset_attempts()
    return found


@pytest.mark.parametrize(("name", "answer", "phrase"), MISTAKES,
                         ids=[f"{m[0]}-{m[2]}" for m in MISTAKES])
def test_each_mistake_is_recognised(name, answer, phrase, verdicts):
    first, second = verdicts[id(answer)]
    assert first.status == second.status == "wrong"
    assert phrase in first.because, str(first)
    assert len(str(first)) < 700, str(first)


def _shown_forms(value):
    value = float(value)
    return {f"{value:,.4g}", f"{value:.4f}", str(round(value, 2)), f"{value:,.0f}",
            f"{value:.1%}", f"{value:,.2f}", f"{value:.3f}"} - {"0", "1", "0.0", "1.0", "-0"}


def test_no_verdict_shows_the_expected_answer(verdicts, lesson_answers):
    expected = set()
    for name, values in lesson_answers.items():
        if name == "next_phase":
            continue  # a choice among three; its verdicts name choices by design
        numbers = values.values() if isinstance(values, dict) else [values]
        for value in numbers:
            expected |= _shown_forms(value)
    for first, second in verdicts.values():
        for result in (first, second):
            text = str(result)
            if "rounded" in text:
                continue  # the student's own rounded number, as it should be
            leaked = [form for form in expected if len(form) > 3 and form in text]
            assert not leaked, (leaked, text)


@pytest.mark.parametrize("name", RIGHT)
def test_the_second_wrong_attempt_gets_a_more_concrete_hint(name):
    def wrong(*args):
        if name == "next_phase":
            return "roll out"
        return RIGHT[name](*args) * 1.37

    first, second = getattr(check, name)(wrong), getattr(check, name)(wrong)
    assert first.status == second.status == "wrong"
    assert first.hint != second.hint


def test_first_hints_name_no_function_that_holds_the_answer():
    for name, names in [("members_per_arm", ["sample_size", "solve_power"]),
                        ("standardized_difference", ["balance_table"]),
                        ("difference_in_differences", ["difference_in_differences"]),
                        ("recovery_effect", ["proportion_effect"]),
                        ("next_phase", ["rollout_decision"])]:
        first = getattr(check, name)(lambda *args: -1.0)
        assert first.status == "wrong"
        assert not any(n in first.hint for n in names), first.hint


# --- the decision: scored by expected value, each choice best somewhere ----------------------


def test_each_choice_is_the_best_on_some_case_and_the_others_fall_short():
    best = []
    for _, args, _ in cases.phase_cases(None):
        values = cases.choice_values(*args)
        best.append(right_phase(*args))
        top = values[best[-1]]
        others = [v for k, v in values.items() if k != best[-1]]
        if best[-1] == "stop":  # no draw pays: waiting is worth 0 as well, a tie
            assert (np.asarray(args[0]) <= 0).all() and top == 0 == max(others)
        else:
            assert top > 0 and max(others) < 0.95 * top
    assert best == ["wait for another phase", "roll out", "stop", "wait for another phase"]


def test_waiting_when_no_draw_pays_is_named_and_only_stop_passes_there():
    def on_stop_case(answer):
        def run(net_values, *args):
            return answer if (np.asarray(net_values) <= 0).all() else right_phase(
                net_values, *args)
        return run

    assert check.next_phase(on_stop_case("stop")).passed
    waited = check.next_phase(on_stop_case("wait for another phase"))
    assert "no draw of the net value is positive" in waited.because
    rolled = check.next_phase(on_stop_case("roll out"))
    assert "less than the best decision" in rolled.because, str(rolled)


@pytest.mark.parametrize("decision", ["launch", "wait", 3, None, ["stop", "wait"], True])
def test_an_impossible_decision_gets_the_sentence_listing_the_choices(decision):
    result = check.next_phase(lambda *args: decision)
    assert result.status == "wrong" and "cannot be carried out" in result.because
    assert "'roll out', 'wait for another phase' or 'stop'" in result.because, str(result)


@pytest.mark.parametrize("name", RIGHT)
def test_checks_never_raise_on_broken_answers(name):
    def broken(*args):
        return args[0]["no such column"]

    for answer in (broken, lambda *args: None, 42, lambda *args: "text"):
        result = getattr(check, name)(answer)
        assert result.status == "wrong"
        assert "Traceback" not in str(result) and len(str(result)) < 700


def test_each_check_is_quick_once_its_data_are_made():
    for name, answer in RIGHT.items():
        getattr(check, name)(answer)
        start = time.perf_counter()
        assert getattr(check, name)(answer).passed
        assert time.perf_counter() - start < 3, name
