"""Self-checks of lesson 04b: answers are computed, mistakes named, nothing given away."""

import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy.special import hyp2f1

from relmark_lab import datasets
from relmark_lab.checks import _clv_noncontractual as check
from relmark_lab.checks import _clv_noncontractual_data as data
from relmark_lab.checks import _clv_offer as offer
from relmark_lab.checks import clv
from relmark_lab.checks._cases import unseen_data_dir
from relmark_lab.datasets import practice

WEEKS_PER_YEAR = 365.25 / 7
NEW_DATA = "right answer on the lesson's data but not on"


def _stub(*args):
    raise NotImplementedError()


def _shown(value: float) -> list[str]:
    """How a check could write a number."""
    if float(value).is_integer():
        return [f"{int(value):,}", str(int(value))]
    return [f"{value:,.4g}", f"{value:.4f}", str(round(value, 2)), f"{value:.1%}"]


def assert_hides(result, *values):
    text = str(result)
    for value in values:
        for shown in _shown(value):
            assert not re.search(rf"(?<![\d.,]){re.escape(shown)}(?![\d])", text), (shown, text)


# --- right answers --------------------------------------------------------------


def right_repeats(records, calibration_end):
    bought = records[(records["date"] <= calibration_end) & (records["amount"] >= 0)]
    repeats = bought.groupby("customer_id")["date"].nunique() - 1
    return int((repeats > 0).sum()), int(repeats.sum())


def right_weekly_rate(d):
    return (1 + d) ** (1 / WEEKS_PER_YEAR) - 1


def right_p_alive(params, summary):
    r, alpha, a, b = params["r"], params["alpha"], params["a"], params["b"]
    x = summary["frequency"]
    odds = a / (b + x - 1) * ((alpha + summary["T"]) / (alpha + summary["recency"])) ** (r + x)
    return 1 / (1 + odds.where(x > 0, 0.0))


def purchases_in_weeks(params, t):
    r, alpha, a, b = params["r"], params["alpha"], params["a"], params["b"]
    return (a + b - 1) / (a - 1) * (
        1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))


def right_purchases(params, years):
    return purchases_in_weeks(params, years * WEEKS_PER_YEAR)


def right_top_decile(values):
    ranked = values.sort_values(ascending=False)
    return ranked.head(len(ranked) // 10).sum() / ranked.sum()


def right_offer(candidates, budget, offer_cost, uplift):
    gain = uplift * candidates["p_alive"] * candidates["value_if_alive"] - offer_cost
    ranked = candidates.assign(gain=gain).sort_values("gain", ascending=False)
    return ranked.loc[ranked["gain"] > 0, "customer_id"].head(int(budget // offer_cost))


RIGHT = {
    "repeat_customers_and_purchases": right_repeats,
    "weekly_discount_rate": right_weekly_rate,
    "probability_alive": right_p_alive,
    "expected_repeat_purchases": right_purchases,
    "top_decile_share": right_top_decile,
    "retention_offer_targets": right_offer,
}


def test_the_lessons_check_module_exports_every_check():
    assert set(check.__all__) <= set(clv.__all__)
    assert all(getattr(clv, name) is getattr(check, name) for name in check.__all__)


def test_reference_numbers_of_the_lesson():
    summary = practice.kit_summary()
    assert len(summary) == 5000 and int(summary["frequency"].gt(0).sum()) == 4213
    values = practice.kit_clv()
    assert values.index.name == "customer_id" and len(values) == 5000
    assert values.mean() == pytest.approx(487.90, abs=0.01)
    assert right_top_decile(values) == pytest.approx(0.578, abs=0.001)
    assert right_repeats(datasets.load_cdnow("sample"), "1997-09-30") == (946, 2457)


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_right_answers_pass_and_stubs_are_unanswered(name):
    result = getattr(check, name)(RIGHT[name])
    assert result.passed, str(result)
    assert str(result).startswith("Right: 04b")
    stub = getattr(check, name)(_stub)
    assert stub.status == "unanswered"
    assert str(stub).startswith("Not answered yet: 04b") and "Hint:" in str(stub)


def test_right_answers_in_other_shapes_pass():
    assert check.probability_alive(lambda p, s: right_p_alive(p, s).to_numpy()).passed
    assert check.repeat_customers_and_purchases(right_repeats, "1997-06-30").passed
    as_flags = check.retention_offer_targets(lambda c, *args: c.set_index("customer_id").index
                                             .isin(right_offer(c, *args)))
    assert "does not say whose" in as_flags.because
    as_series = check.retention_offer_targets(lambda c, *args: pd.Series(
        c["customer_id"].isin(right_offer(c, *args)).to_numpy(), index=c["customer_id"]))
    assert as_series.passed, str(as_series)
    as_frame = check.retention_offer_targets(
        lambda c, *args: c[c["customer_id"].isin(right_offer(c, *args))])
    assert as_frame.passed


# --- hard-coded answers fit one data set only -------------------------------------


def test_hard_coded_answers_fail_on_new_data():
    cdnow = datasets.load_cdnow("sample")
    lesson_repeats = right_repeats(cdnow, "1997-09-30")
    unseen_repeats = right_repeats(*data.cdnow_resample())
    result = check.repeat_customers_and_purchases(lambda r, e: lesson_repeats)
    assert NEW_DATA in result.because
    assert_hides(result, *unseen_repeats)

    rates = {d: right_weekly_rate(d) for (d,) in practice.ANNUAL_RATES.values()}
    result = check.weekly_discount_rate(lambda d: rates.get(d, 0.0))
    assert NEW_DATA in result.because

    summary, bgnbd, _, _ = practice.kit_fits()
    lesson_p_alive = bgnbd.expected_probability_alive(summary)
    assert NEW_DATA in check.probability_alive(lambda p, s: lesson_p_alive).because

    cdnow_params = practice.cdnow_calibration()[1].params_
    fixed = {y: right_purchases(cdnow_params, y) for y in practice.PURCHASE_YEARS}
    result = check.expected_repeat_purchases(lambda p, y: fixed.get(y, 1.0))
    assert NEW_DATA in result.because

    share = right_top_decile(practice.kit_clv())
    result = check.top_decile_share(lambda v: share)
    assert NEW_DATA in result.because
    assert_hides(result, right_top_decile(data.clv_values(unseen_data_dir()).iloc[:797]))

    lesson_ids = list(right_offer(data.offer_candidates(), **data.OFFER))
    result = check.retention_offer_targets(lambda *args: lesson_ids)
    assert result.because.startswith("on new data you have not seen")
    assert "cannot be carried out" in result.because


# --- known mistakes --------------------------------------------------------------


def _counts(days):
    return int((days > 1).sum()), int((days - 1).sum())


def test_repeat_purchase_mistakes():
    def records(r, end):
        kept = r[(r["date"] <= end) & (r["amount"] >= 0)]
        return _counts(kept.groupby("customer_id").size())

    def first_included(r, end):
        days = r[(r["date"] <= end) & (r["amount"] >= 0)].groupby("customer_id")["date"].nunique()
        return int((days > 0).sum()), int(days.sum())

    def whole_period(r, end):
        return _counts(r[r["amount"] >= 0].groupby("customer_id")["date"].nunique())

    def strictly_before(r, end):
        kept = r[(r["date"] < end) & (r["amount"] >= 0)]
        return _counts(kept.groupby("customer_id")["date"].nunique())

    def with_returns(r, end):
        return _counts(r[r["date"] <= end].groupby("customer_id")["date"].nunique())

    expected = [right_repeats(datasets.load_cdnow("sample"), "1997-09-30"),
                right_repeats(*data.cdnow_resample()),
                right_repeats(*data.kit_records(unseen_data_dir()))]
    for mistake, phrase in [(records, "you counted records"),
                            (first_included, "first purchases were counted"),
                            (whole_period, "after the calibration end"),
                            (strictly_before, "includes calibration_end itself"),
                            (with_returns, "returns were counted as purchases")]:
        result = check.repeat_customers_and_purchases(mistake)
        assert phrase in result.because, (mistake.__name__, str(result))
        assert_hides(result, *[v for pair in expected for v in pair])


def test_weekly_rate_mistakes():
    cases = [
        (lambda d: d, "annual rate itself"),
        (lambda d: d / WEEKS_PER_YEAR, "divided the annual rate by the weeks"),
        (lambda d: d / 52, "divided the annual rate by the weeks"),
        (lambda d: (1 + d) ** (1 / 52) - 1, "52.18 weeks"),
        (lambda d: (1 + d) ** (7 / 365) - 1, "365.25 days"),
        (lambda d: (1 + d) ** (1 / 365.25) - 1, "daily rate"),
        (lambda d: (1 + d) ** (1 / 12) - 1, "monthly rate"),
        (lambda d: (1 + d) ** WEEKS_PER_YEAR - 1, "compounded the annual rate"),
        (lambda d: 100 * right_weekly_rate(d), "100 times too large"),
    ]
    for mistake, phrase in cases:
        result = check.weekly_discount_rate(mistake)
        assert phrase in result.because, str(result)
        assert_hides(result, right_weekly_rate(0.12), right_weekly_rate(0.05))
    # 52.18 as printed in the lesson is close enough to 365.25 / 7.
    assert check.weekly_discount_rate(lambda d: (1 + d) ** (1 / 52.18) - 1).passed


def test_p_alive_mistakes():
    def no_zero_rule(params, summary):
        r, alpha, a, b = params["r"], params["alpha"], params["a"], params["b"]
        x = summary["frequency"]
        ratio = (alpha + summary["T"]) / (alpha + summary["recency"])
        return 1 / (1 + a / (b + x - 1) * ratio ** (r + x))

    def swapped(params, summary):
        return right_p_alive(params, summary.rename(columns={"T": "recency", "recency": "T"}))

    def b_plus_x(params, summary):
        return right_p_alive(params.copy().rename({"b": "b"}).add(
            pd.Series({"r": 0, "alpha": 0, "a": 0, "b": 1})), summary)

    def power_r(params, summary):
        r, alpha, a, b = params["r"], params["alpha"], params["a"], params["b"]
        x = summary["frequency"]
        odds = a / (b + x - 1) * ((alpha + summary["T"]) / (alpha + summary["recency"])) ** r
        return 1 / (1 + odds.where(x > 0, 0.0))

    summary, bgnbd, _, _ = practice.kit_fits()
    first = float(bgnbd.expected_probability_alive(summary).iloc[0])
    for mistake, phrase in [(no_zero_rule, "should have P(alive) = 1"), (swapped, "swapped"),
                            (b_plus_x, "b + x - 1, not b + x"), (power_r, "power is r + x"),
                            (lambda p, s: 1 - right_p_alive(p, s), "probability that the customer "
                             "is gone")]:
        result = check.probability_alive(mistake)
        assert phrase in result.because, str(result)
        assert len(str(result)) < 400
        assert_hides(result, first)


def test_expected_purchases_mistakes():
    params = practice.cdnow_calibration()[1].params_
    hidden = [right_purchases(params, y) for y in practice.PURCHASE_YEARS]
    for per_year, phrase in [(1.0, "given in years"), (365.25, "given in days"),
                             (12.0, "given in months"), (52.0, "52.18 weeks"),
                             (365 / 7, "365.25 days")]:
        result = check.expected_repeat_purchases(
            lambda p, y, k=per_year: purchases_in_weeks(p, k * y))
        assert phrase in result.because, str(result)
        assert_hides(result, *hidden)


def test_top_decile_mistakes():
    values = practice.kit_clv()
    hidden = right_top_decile(values)
    cases = [
        (lambda v: 100 * right_top_decile(v), "that is a percentage"),
        (lambda v: v.sort_values().head(len(v) // 10).sum() / v.sum(), "bottom tenth"),
        (lambda v: v.sort_values(ascending=False).head(len(v) // 10).mean() / v.mean(),
         "ten times the share"),
        (lambda v: 0.1, "share of customers"),
        (lambda v: v[v >= v.quantile(0.9)].sum() / v.sum(), "one customer too many"),
        (lambda v: v.sort_values(ascending=False).head(math.ceil(len(v) / 10)).sum() / v.sum(),
         "one customer too many"),
    ]
    for mistake, phrase in cases:
        result = check.top_decile_share(mistake)
        assert phrase in result.because, str(result)
        assert_hides(result, hidden)
    rounded = check.top_decile_share(lambda v: round(right_top_decile(v), 3))
    assert "rounded" in rounded.because


def _ranked_by(key):
    def choose(candidates, budget, offer_cost, uplift):
        ranked = candidates.assign(key=key(candidates)).sort_values("key", ascending=False)
        return ranked["customer_id"].head(int(budget // offer_cost))

    return choose


def test_offer_mistakes_are_named():
    cases = [
        (lambda c: c["value_if_alive"], "worth most if they are still alive"),
        (lambda c: c["p_alive"], "most surely alive"),
        (lambda c: -c["p_alive"], "most likely gone"),
        (lambda c: c["frequency"], "bought most often"),
        (lambda c: c["frequency"] * c["monetary_value"], "spent most in the past"),
        (lambda c: c["p_alive"] * c["value_if_alive"], "whole budget was spent"),
    ]
    for key, phrase in cases:
        result = check.retention_offer_targets(_ranked_by(key))
        assert phrase in result.because, str(result)
        assert len(str(result)) < 600


def test_offer_is_scored_against_the_best_decision():
    best = check.retention_offer_targets(right_offer)
    assert best.passed
    naive = check.retention_offer_targets(
        lambda c, budget, cost, uplift: c["customer_id"].head(int(budget // cost)))
    assert "% of what the best decision earns" in naive.because
    assert "on outcomes you have not seen" in naive.because
    # Other tie-breaking, a list instead of a Series, and an own budget all count.
    shuffled = check.retention_offer_targets(
        lambda *args: list(right_offer(*args))[::-1], budget=10_000, offer_cost=50, uplift=0.3)
    assert shuffled.passed, str(shuffled)


@pytest.mark.parametrize(
    ("decision", "phrase"),
    [
        (lambda c, *args: c["customer_id"], "more than the budget of 20,000 MXN"),
        (lambda c, *args: ["nobody"], "'nobody' is not a customer"),
        (lambda c, *args: ["x", "y"], "2 of the ids are not customers"),
        (lambda c, *args: [c["customer_id"].iloc[0]] * 2, "more than once"),
        (lambda c, *args: None, "returned None"),
        (lambda c, *args: 3, "customer ids of the chosen customers are expected"),
        (lambda c, *args: c.drop(columns="customer_id").head(3), "needs a 'customer_id'"),
    ],
)
def test_invalid_offer_lists_get_a_sentence(decision, phrase):
    result = check.retention_offer_targets(decision)
    assert result.status == "wrong" and "cannot be carried out" in result.because
    assert phrase in result.because, str(result)


def test_decision_helpers_see_through_ties():
    candidates = data.offer_candidates()
    best, known = offer.offer_decisions(candidates, **data.OFFER)
    p_alive = candidates.set_index("customer_id")["p_alive"]
    tied = p_alive[p_alive == 1.0].index  # the one-time buyers: many more than the offers
    other_tie_break = frozenset(tied[::-1][: len(known["P(alive)"][0])])
    assert other_tie_break != known["P(alive)"][0]
    assert offer.resembles(other_tie_break, known["P(alive)"][0], p_alive)
    assert not offer.resembles(best, known["P(alive)"][0], p_alive)


# --- hints ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("repeat_customers_and_purchases", lambda r, e: (1, 2)),
        ("weekly_discount_rate", lambda d: d / 52),
        ("probability_alive", lambda p, s: 1 - right_p_alive(p, s)),
        ("expected_repeat_purchases", lambda p, y: purchases_in_weeks(p, y)),
        ("top_decile_share", lambda v: 0.1),
        ("retention_offer_targets", _ranked_by(lambda c: c["value_if_alive"])),
    ],
)
def test_hints_get_concrete_on_a_repeated_wrong_attempt(name, wrong):
    first = getattr(check, name)(wrong)
    second = getattr(check, name)(wrong)
    assert first.status == second.status == "wrong"
    assert first.hint and second.hint and first.hint != second.hint


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_checks_never_raise_on_broken_answers(name):
    def broken(*args):
        return args[0]["no such column"]

    for answer in (broken, lambda *args: None, 42, lambda *args: np.arange(3)):
        result = getattr(check, name)(answer)
        assert result.status == "wrong"
        assert "Traceback" not in str(result)
        assert len(str(result)) < 600
