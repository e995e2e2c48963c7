"""Self-checks of lesson 04a: right answers pass, fixed numbers and known mistakes do not."""

import numpy as np
import pandas as pd
import pytest
from scipy.special import betaln

from relmark_lab import clv, datasets, units
from relmark_lab.checks import clv as check  # 04a's checks, exported there
from relmark_lab.datasets import practice

END = "2025-12-31"


def _stub(*args):
    raise NotImplementedError()


# --- right answers --------------------------------------------------------------


def right_margin_multiple(m, r, d):
    return m * r / (1 + d - r)


def right_sbg_retention(alpha, beta, t):
    return (beta + t - 1) / (alpha + beta + t - 1)


def right_projection(n_alive):
    model = clv.ShiftedBetaGeometric().fit(n_alive)
    last = int(n_alive.index.max())
    years = np.arange(last + 1, last + 6)
    return pd.Series(model.survival(years) * n_alive.iloc[0], index=years)


def right_next_quarter(transactions, observation_end):
    table = clv.cohort_retention_table(transactions, observation_end, period="Q")
    return table.query("periods_since_acquisition == 1").set_index("cohort")["share"]


def next_quarter_by_hand(transactions, observation_end):
    """The exercise's pandas answer, with Period labels."""
    purchases = transactions[transactions["amount"] > 0]
    quarter = purchases["date"].dt.to_period("Q")
    cohort = quarter.groupby(purchases["customer_id"]).transform("min")
    following = quarter == cohort + 1
    retained = purchases.loc[following, "customer_id"].groupby(cohort[following]).nunique()
    sizes = purchases["customer_id"].groupby(cohort).nunique()
    share = retained.reindex(sizes.index, fill_value=0) / sizes
    return share[share.index + 1 <= pd.Period(observation_end, "Q")]


def right_offer(model, renewals, margin_per_year, discount_rate):
    unit = model.time_unit_
    margin = margin_per_year / units.periods_per_year(unit)
    rate = units.convert_rate(discount_rate, "Y", unit)
    return margin * model.expected_residual_lifetime(renewals, rate)


RIGHT = {
    "clv_margin_multiple": right_margin_multiple,
    "sbg_retention_rate": right_sbg_retention,
    "project_survivors": right_projection,
    "next_quarter_retention": right_next_quarter,
    "largest_retention_offer": right_offer,
}


@pytest.fixture(scope="module")
def lesson_answers():
    """What each exercise gives on the lesson's data, to hard-code and to look for in text."""
    transactions = datasets.load_transactions()
    regular = clv.ShiftedBetaGeometric().fit(practice.sbg_cohort("regular"))
    return {
        "clv_margin_multiple": {args: right_margin_multiple(*args)
                                for args in practice.MARGIN_CASES.values()},
        "sbg_retention_rate": {(a, b, t): right_sbg_retention(a, b, t)
                               for a, b in ((0.704, 1.182), (0.668, 3.806))
                               for t in (1, 2, 3, 5, 8, 12)},
        "project_survivors": right_projection(practice.sbg_cohort("high_end")),
        "next_quarter_retention": right_next_quarter(transactions, END),
        "largest_retention_offer": {n: right_offer(regular, n, 1200.0, 0.10) for n in range(13)},
    }


def _hard_coded(name, answers):
    """A function that returns the lesson's answer whatever it is given."""
    values = answers[name]
    if name in ("project_survivors", "next_quarter_retention"):
        return lambda *args: values.copy()
    if name == "largest_retention_offer":
        return lambda model, renewals, margin, rate: values.get(renewals, 0.0)
    return lambda *args: values.get(args, 0.0)


@pytest.mark.parametrize("name", RIGHT)
def test_right_answers_pass_and_stubs_are_unanswered(name):
    result = getattr(check, name)(RIGHT[name])
    assert result.passed, str(result)
    assert str(result).startswith("Right: 04a")
    stub = getattr(check, name)(_stub)
    assert stub.status == "unanswered"
    assert str(stub).startswith("Not answered yet: 04a") and "Hint:" in str(stub)


def test_right_answers_in_other_shapes_pass():
    assert check.next_quarter_retention(next_quarter_by_hand).passed
    assert check.sbg_retention_rate(lambda a, b, t: np.float64(right_sbg_retention(a, b, t))).passed
    assert check.project_survivors(lambda n: right_projection(n).to_dict()).passed


@pytest.mark.parametrize("name", RIGHT)
def test_hard_coded_answers_fail_on_new_data(name, lesson_answers):
    result = getattr(check, name)(_hard_coded(name, lesson_answers))
    assert result.status == "wrong"
    # A decision is judged by what it earns there; a computed answer by the fixed-number rule.
    expected = "you have not seen" if name == "largest_retention_offer" else \
        "right answer on the lesson's data but not on"
    assert expected in result.because, str(result)


# --- known mistakes: what each gives is recognised ------------------------------------


MISTAKES = [
    ("clv_margin_multiple", lambda m, r, d: m * (1 + d) / (1 + d - r), "other timing convention"),
    ("clv_margin_multiple", lambda m, r, d: m * r / (1 - r), "not discounted"),
    ("clv_margin_multiple", lambda m, r, d: m / (1 + d - r), "counts as certain"),
    ("clv_margin_multiple", lambda m, r, d: m * (1 - r) / (d + r), "as a churn rate"),
    ("clv_margin_multiple", lambda m, r, d: m * r / (1 + d / 100 - r), "divided the discount"),
    ("clv_margin_multiple", lambda m, r, d: 100 * right_margin_multiple(m, r, d), "100 times"),
    ("sbg_retention_rate", lambda a, b, t: (b + t) / (a + b + t), "one period ahead"),
    ("sbg_retention_rate", lambda a, b, t: b / (a + b), "same rate for every period"),
    ("sbg_retention_rate", lambda a, b, t: np.exp(betaln(a, b + t) - betaln(a, b)), "S(t)"),
    ("sbg_retention_rate", lambda a, b, t: a / (a + b + t - 1), "churn rate"),
    ("sbg_retention_rate", lambda a, b, t: (a + t - 1) / (a + b + t - 1), "swapped"),
    ("sbg_retention_rate", lambda a, b, t: 100 * right_sbg_retention(a, b, t), "percentage"),
]


def _constant_projection(rate_of):
    def project(n_alive):
        last = int(n_alive.index.max())
        years = np.arange(last + 1, last + 6)
        return pd.Series(n_alive.iloc[-1] * rate_of(n_alive) ** (years - last), index=years)
    return project


def _shifted_projection(n_alive):
    model = clv.ShiftedBetaGeometric().fit(n_alive)
    last = int(n_alive.index.max())
    years = np.arange(last + 1, last + 6)
    return pd.Series(model.survival(years - 1) * n_alive.iloc[0], index=years)


MISTAKES += [
    ("project_survivors", _constant_projection(lambda n: n.iloc[-1] / n.iloc[-2]),
     "last year's retention rate"),
    ("project_survivors",
     _constant_projection(lambda n: (n.iloc[-1] / n.iloc[0]) ** (1 / (len(n) - 1))),
     "mean retention rate"),
    ("project_survivors", lambda n: right_projection(n).round(), "rounded"),
    ("project_survivors", lambda n: right_projection(n) / n.iloc[0], "shares of the cohort"),
    ("project_survivors", _shifted_projection, "one off"),
    ("project_survivors", lambda n: right_projection(n).reset_index(drop=True),
     "the index is not right"),
]


def _cohort_variant(freq="Q", *, any_line=False, lines=False, later=False, window=0,
                    censored=True, churn=False, percent=False):
    """A student's cohort table with one mistake, written independently of the check."""
    def answer(transactions, observation_end):
        buys = transactions[transactions["amount"] > 0]
        active = transactions if any_line else buys
        first_day = buys.groupby("customer_id")["date"].min().dt.normalize()
        cohort = active["customer_id"].map(first_day.dt.to_period(freq))
        period = active["date"].dt.to_period(freq)
        if window:
            gap = active["date"].dt.normalize() - active["customer_id"].map(first_day)
            hit = (gap > pd.Timedelta(0)) & (gap <= pd.Timedelta(days=window))
        else:
            hit = period > cohort if later else period == cohort + 1
        grouped = active.loc[hit, "customer_id"].groupby(cohort[hit])
        kept = grouped.size() if lines else grouped.nunique()
        sizes = first_day.dt.to_period(freq).value_counts()
        share = kept.reindex(sizes.index, fill_value=0) / sizes
        if censored:
            share = share[share.index + 1 <= pd.Period(observation_end, freq)]
        share = 1 - share if churn else share
        return 100 * share if percent else share
    return answer


MISTAKES += [
    ("next_quarter_retention", _cohort_variant(any_line=True), "returns were counted"),
    ("next_quarter_retention", _cohort_variant(lines=True), "purchase lines, not customers"),
    ("next_quarter_retention", _cohort_variant("M"), "you used months"),
    ("next_quarter_retention", _cohort_variant("Y"), "you used years"),
    ("next_quarter_retention", _cohort_variant(churn=True), "churn"),
    ("next_quarter_retention", _cohort_variant(later=True), "any later quarter"),
    ("next_quarter_retention", _cohort_variant(window=91), "91 days"),
    ("next_quarter_retention", _cohort_variant(censored=False), "no retention yet"),
    ("next_quarter_retention", _cohort_variant(percent=True), "100 times too large"),
]


def _offer_variant(kind):
    def offer(model, renewals, margin_per_year, discount_rate):
        unit = model.time_unit_
        margin = margin_per_year / units.periods_per_year(unit)
        rate = units.convert_rate(discount_rate, "Y", unit)
        if kind == "new":
            return margin * model.expected_residual_lifetime(0, rate)
        if kind == "DEL":
            return margin * model.expected_lifetime(rate)
        if kind == "years":
            return margin_per_year * model.expected_residual_lifetime(renewals, discount_rate)
        if kind == "rate":
            return margin * model.expected_residual_lifetime(renewals, discount_rate)
        return margin_per_year * model.expected_residual_lifetime(renewals, rate)
    return offer


MISTAKES += [
    ("largest_retention_offer", _offer_variant("new"), "what a new one is worth"),
    ("largest_retention_offer", _offer_variant("DEL"), "what a new one is worth"),
    ("largest_retention_offer", _offer_variant("years"), "yearly margin and discount rate"),
    ("largest_retention_offer", _offer_variant("rate"), "discount rate is still per year"),
    ("largest_retention_offer", _offer_variant("margin"), "margin is still per year"),
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
    assert first.status == "wrong"
    assert phrase in first.because, str(first)
    assert len(str(first)) < 600, str(first)


def _shown_forms(value):
    value = float(value)
    return {f"{value:,.4g}", f"{value:.4f}", str(round(value, 2)), f"{value:,.0f}",
            f"{value:.1%}"} - {"0", "1", "0.0", "1.0", "-0"}


def test_no_verdict_shows_the_expected_answer(verdicts, lesson_answers):
    expected = set()
    for values in lesson_answers.values():
        numbers = values.values() if isinstance(values, dict) else values.to_numpy()
        for value in numbers:
            expected |= _shown_forms(value)
    for first, second in verdicts.values():
        for result in (first, second):
            text = str(result)
            if "rounded" in text:  # the student's own rounded number is shown, as it should be
                continue
            leaked = [form for form in expected if len(form) > 3 and form in text]
            assert not leaked, (leaked, text)


@pytest.mark.parametrize("name", RIGHT)
def test_the_second_wrong_attempt_gets_a_more_concrete_hint(name):
    def wrong(*args):
        answer = RIGHT[name](*args)
        return answer * 1.37

    first, second = getattr(check, name)(wrong), getattr(check, name)(wrong)
    assert first.status == second.status == "wrong"
    assert first.hint != second.hint


def test_first_hints_name_no_function_that_holds_the_answer():
    first = check.next_quarter_retention(lambda tx, end: right_next_quarter(tx, end) * 0.5)
    assert "cohort_retention_table" not in first.hint and "(" not in first.hint
    projection = check.project_survivors(lambda n: right_projection(n) * 0.5)
    assert "ShiftedBetaGeometric" not in projection.hint
    offer = check.largest_retention_offer(lambda *args: 0.0)
    assert "expected_residual_lifetime" not in offer.hint


def test_list_answers_get_a_short_message():
    for name, answer in [("next_quarter_retention", lambda tx, end: [0.5] * 11),
                         ("project_survivors", lambda n: list(right_projection(n)))]:
        result = getattr(check, name)(answer)
        assert result.status == "wrong" and len(str(result)) < 400, str(result)
        assert "Series" in result.because


# --- the decision: scored against the best decision on outcomes held out -----------------


def test_a_naive_decision_is_scored_against_the_best():
    nothing = check.largest_retention_offer(lambda *args: 0.0)
    assert "0% of what the best decision earns" in nothing.because
    everything = check.largest_retention_offer(lambda *args: 1e9)
    assert "% of what the best decision earns" in everything.because
    assert "MXN" in everything.because


def test_an_unusable_decision_gets_a_sentence():
    result = check.largest_retention_offer(lambda model, n, m, d: "lots" if n == 3 else 0.0)
    assert "cannot be carried out" in result.because
    assert "3 renewals" in result.because and "Traceback" not in str(result)


@pytest.mark.parametrize("name", RIGHT)
def test_checks_never_raise_on_broken_answers(name):
    def broken(*args):
        return args[0]["no such column"]

    for answer in (broken, lambda *args: None, 42):
        result = getattr(check, name)(answer)
        assert result.status == "wrong"
        assert "Traceback" not in str(result)
