"""Self-checks of lesson 00: right answers pass, fixed answers and known mistakes do not."""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import pytest

from relmark_lab import datasets
from relmark_lab.checks import Hints, check_function, reset_attempts
from relmark_lab.checks import data as check
from relmark_lab.checks._cases import unseen_data_dir, unseen_rng


@pytest.fixture(scope="module", autouse=True)
def _tables_read_once():
    """Each check reads its tables again; reading them once keeps this file fast."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("load_transactions", "load_customers", "load_raw_export", "load_cdnow"):
            patch.setattr(datasets, name, functools.cache(getattr(datasets, name)))
        yield


# --- the right answers, as a student writes them ----------------------------------

def right_counts(transactions):
    purchases = transactions[transactions["amount"] > 0]
    return transactions["customer_id"].nunique(), purchases["order_id"].nunique()


def right_net_revenue(transactions, customers):
    lines = transactions.merge(customers[["customer_id", "region"]], on="customer_id")
    return lines.groupby("region")["amount"].sum()


def right_dropped_share(ledger):
    return pd.Series(ledger.dropped) / ledger.rows_in


def right_repeat_share(cdnow):
    return (cdnow.groupby("customer_id")["date"].nunique() > 1).mean()


def right_order_value(transactions):
    purchases = transactions[transactions["amount"] > 0]
    return purchases.groupby("order_id")["amount"].sum().mean()


def right_plan(channels, budget):
    per_peso = channels["first_year_margin"] / channels["cost_per_customer"]
    return list(per_peso[per_peso > 1].sort_values(ascending=False).index)


def _lesson_args(name, folder=None):
    """The arguments each exercise's function gets on the lesson's data (or ``folder``'s)."""
    transactions = datasets.load_transactions(folder)
    return {
        "counts": (transactions,),
        "revenue": (transactions, datasets.load_customers(folder)),
        "shares": (datasets.load_raw_export(folder)[1],),
        "repeat": (datasets.load_cdnow("sample"),),
        "value": (transactions,),
    }[name]


RIGHT = {
    "counts": (check.count_customers_and_orders, right_counts),
    "revenue": (check.net_revenue_by_region, right_net_revenue),
    "shares": (check.dropped_share_by_reason, right_dropped_share),
    "repeat": (check.cdnow_repeat_share, right_repeat_share),
    "value": (check.average_order_value, right_order_value),
}


def _shown_forms(value) -> list[str]:
    """How a check could print the expected value, for every number in it (not '0.0')."""
    numbers = value.tolist() if isinstance(value, pd.Series) else np.ravel(value).tolist()
    forms = [text for x in numbers for text in (f"{x:,.4g}", f"{x:.4f}", str(round(x, 2)))]
    return [text for text in forms if text.strip("-0.,")]


def _shows(text: str, number: str) -> bool:
    """Whether ``number`` appears in ``text`` as a whole number, not inside a longer one."""
    return re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d])", text) is not None


@pytest.mark.parametrize("name", [*RIGHT, "plan"])
def test_the_right_answer_passes(name):
    check_answer, answer = RIGHT.get(name, (check.acquisition_plan, right_plan))
    result = check_answer(answer)
    assert result.passed, str(result)


@pytest.mark.parametrize("name", [*RIGHT, "plan"])
def test_a_stub_is_unanswered(name):
    check_answer = RIGHT.get(name, (check.acquisition_plan,))[0]

    def stub(*args):
        raise NotImplementedError()

    assert check_answer(stub).status == "unanswered"


@pytest.mark.parametrize("name", list(RIGHT))
def test_the_lessons_answer_typed_in_fails_on_new_data(name):
    check_answer, answer = RIGHT[name]
    fixed = answer(*_lesson_args(name))
    result = check_answer(lambda *args: fixed)
    assert not result.passed
    assert "right answer on the lesson's data but not on" in result.because
    assert "compute the answer from its arguments" in result.because
    if name == "repeat":
        cdnow = datasets.load_cdnow("sample")
        unseen = answer(check._cdnow_resample(cdnow, fixed, unseen_rng(4)))
    else:
        unseen = answer(*_lesson_args(name, unseen_data_dir()))
    if name == "counts":  # the customers are the simulated ones the verdict names
        unseen = unseen[1]
    for shown in _shown_forms(unseen):
        assert not _shows(str(result), shown), f"{shown} is the answer on the new data"


# --- the known mistakes, as a student makes them ------------------------------------

def _purchases(t):
    return t[t["amount"] > 0]


MISTAKES = [
    ("counts", lambda t: (t["customer_id"].nunique(), len(t)), "you counted order lines"),
    ("counts", lambda t: (t["customer_id"].nunique(), len(_purchases(t))),
     "you counted purchase lines"),
    ("counts", lambda t: (t["customer_id"].nunique(), t["order_id"].nunique()),
     "counted as purchases"),
    ("counts", lambda t: (t["customer_id"].nunique(),
                          _purchases(t).groupby(["customer_id", t["date"].dt.date]).ngroups),
     "the days each customer bought on"),
    ("counts", lambda t: (len(t), _purchases(t)["order_id"].nunique()),
     "the number of customers (the first value) is off"),
    ("counts", lambda t: right_counts(t)[::-1], "the two values are swapped"),
    ("revenue", lambda t, c: right_net_revenue(_purchases(t), c), "returns were left out"),
    ("revenue", lambda t, c: right_net_revenue(t.assign(amount=t["amount"].abs()), c),
     "returns were counted as sales"),
    ("revenue", lambda t, c: right_net_revenue(t.assign(amount=t["margin"]), c),
     "you added up the margin"),
    ("revenue", lambda t, c: t.merge(c, on="customer_id").groupby("region")["amount"].mean(),
     "the mean line of each region"),
    ("shares", lambda ledger: pd.Series(ledger.dropped), "numbers of rows, not shares"),
    ("shares", lambda ledger: pd.Series(ledger.dropped) / ledger.rows_kept,
     "you divided by the rows kept"),
    ("shares", lambda ledger: pd.Series(ledger.dropped) / sum(ledger.dropped.values()),
     "share of the dropped rows"),
    ("shares", lambda ledger: 100 * right_dropped_share(ledger), "these are percentages"),
    ("repeat", lambda c: (c.groupby("customer_id").size() > 1).mean(), "you counted records"),
    ("repeat", lambda c: (c.groupby("customer_id")["date"].nunique() > 1).sum(),
     "the number of repeat customers"),
    ("repeat", lambda c: 100 * right_repeat_share(c), "that is a percentage"),
    ("repeat", lambda c: (c.groupby("customer_id")["date"].nunique() >= 3).mean(),
     "three or more purchase days"),
    ("repeat", lambda c: (c["date"] > c.groupby("customer_id")["date"].transform("min")).mean(),
     "the share of records"),
    ("value", lambda t: _purchases(t)["amount"].mean(), "the mean order line"),
    ("value", lambda t: t.groupby("order_id")["amount"].sum().mean(), "return orders"),
    ("value", lambda t: right_order_value(t.assign(amount=t["amount"].abs())),
     "returns were counted as purchases"),
    ("value", lambda t: _purchases(t).groupby(["customer_id", t["date"].dt.date])["amount"]
     .sum().mean(), "each customer's day"),
    ("value", lambda t: _purchases(t)["amount"].sum() / t["customer_id"].nunique(),
     "revenue per customer"),
    ("value", lambda t: t["amount"].sum() / _purchases(t)["order_id"].nunique(),
     "returns were subtracted"),
    ("value", lambda t: _purchases(t).groupby("order_id")["amount"].sum().median(),
     "the median order"),
]


@pytest.mark.parametrize(("name", "mistake", "words"), MISTAKES,
                         ids=[f"{name}-{words}" for name, _, words in MISTAKES])
def test_a_known_mistake_is_named_without_the_answer(name, mistake, words):
    check_answer, answer = RIGHT[name]
    result = check_answer(mistake)
    assert not result.passed
    assert words in result.because
    expected = answer(*_lesson_args(name))
    for shown in _shown_forms(expected):
        assert not _shows(str(result), shown), f"{shown} is the expected answer"


@pytest.mark.parametrize("name", list(RIGHT))
def test_a_repeated_wrong_attempt_gets_a_more_concrete_hint(name):
    check_answer, _ = RIGHT[name]
    mistake = next(m for n, m, _ in MISTAKES if n == name)
    first, second = check_answer(mistake), check_answer(mistake)
    assert first.hint and second.hint and first.hint != second.hint


def test_the_count_hint_speaks_of_the_value_that_is_off():
    def one_order_too_many(t):
        customers, orders = right_counts(t)
        return customers, orders + 1

    def one_customer_too_many(t):
        customers, orders = right_counts(t)
        return customers + 1, orders

    assert "The number of orders" in check.count_customers_and_orders(one_order_too_many).hint
    reset_attempts()
    assert "The number of customers" in check.count_customers_and_orders(
        one_customer_too_many).hint


def test_an_answer_in_the_wrong_container_gets_a_short_message():
    result = check.dropped_share_by_reason(lambda ledger: list(right_dropped_share(ledger)))
    assert "Series indexed by reason" in result.because
    assert len(str(result)) < 400


def test_the_cdnow_resample_has_its_own_share_and_same_day_records():
    cdnow = datasets.load_cdnow("sample")
    lesson = right_repeat_share(cdnow)
    sample = check._cdnow_resample(cdnow, lesson, np.random.default_rng(1))
    assert abs(right_repeat_share(sample) - lesson) >= 0.04
    records = (sample.groupby("customer_id").size() > 1).mean()
    assert records != right_repeat_share(sample)


# --- 00.6, a decision scored on outcomes held out from the student -------------------

def test_a_plan_that_ranks_by_volume_is_named():
    result = check.acquisition_plan(
        lambda ch, budget: list(ch["customers"].sort_values(ascending=False).index))
    assert not result.passed and "volume is not value" in result.because


@pytest.mark.parametrize(("plan", "words"), [
    (lambda ch, b: ch["first_year_margin"].sort_values(ascending=False).index,
     "ignored what they cost"),
    (lambda ch, b: list(ch.index), "the table's own order"),
])
def test_a_naive_plan_is_named(plan, words):
    result = check.acquisition_plan(plan)
    assert not result.passed and words in result.because


def test_ranking_by_profit_per_customer_is_named_where_it_costs_money():
    # Profit per customer ranks b (500 MXN), c (300), a (200); margin per peso a (3), b, c.
    table = pd.DataFrame({"customers": [100, 100, 100],
                          "cost_per_customer": [100.0, 500.0, 900.0],
                          "first_year_margin": [300.0, 1000.0, 1200.0]},
                         index=pd.Index(["a", "b", "c"], name="channel"))
    case = check._plan_case("made-up channels", table, table, 10_000, seen=True)
    result = check_function("00.6 acquisition_plan", lambda ch, b: ["b", "c", "a"], [case],
                            hints=Hints("idea", "step"))
    assert "profit per customer" in result.because
    assert check_function("00.6 acquisition_plan", right_plan, [case],
                          hints=Hints("idea", "step")).passed


def test_a_plan_typed_in_falls_short_at_new_prices_and_says_how_far():
    channels = check._channels(datasets.load_customers(), datasets.load_transactions(), 0)
    fixed = right_plan(channels, 150_000)
    result = check.acquisition_plan(lambda ch, budget: fixed)
    assert not result.passed
    assert "new prices" in result.because
    assert "% of what the best decision earns" in result.because
    assert len(result.because) < 400


@pytest.mark.parametrize(("plan", "words"), [
    (lambda ch, b: ["tv", "referido"], "'tv' is not a channel of the table"),
    (lambda ch, b: ["referido", "referido"], "appears twice"),
    (lambda ch, b: "referido", "a plan is a list of channel names"),
])
def test_an_invalid_plan_gets_a_sentence(plan, words):
    result = check.acquisition_plan(plan)
    assert not result.passed
    assert "cannot be carried out" in result.because and words in result.because


def test_the_plan_verdict_never_shows_the_best_profit():
    lesson = check._plan_case("x", *(
        check._channels(datasets.load_customers(), datasets.load_transactions(), cohort)
        for cohort in (0, 1)), 150_000, seen=True)
    result = check.acquisition_plan(lambda ch, b: ["televisión", "correo directo"])
    assert "% of what the best decision earns" in result.because
    assert f"{lesson.best:,.0f}" not in str(result)
