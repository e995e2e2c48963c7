"""Self-checks of lesson 03: right answers pass, constants and known mistakes do not."""

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from relmark_lab.checks import _rfm_cases as cases
from relmark_lab.checks import rfm as check
from relmark_lab.datasets.practice import campaign_cells, rfm_campaign


def _stub(*args):
    raise NotImplementedError()


def _hidden(text, *numbers):
    """None of the numbers appears in the text, in any of the check's formats."""
    for x in numbers:
        for shown in {f"{x:,.4g}", f"{x:.4f}", str(round(x, 2))}:
            assert shown not in text, (shown, text)


# --- right answers --------------------------------------------------------------


def right_orders(transactions):
    purchases = transactions[transactions["amount"] > 0]
    return purchases.groupby("customer_id")["order_id"].nunique()


def right_recency(transactions, observation_end):
    observed = transactions[transactions["date"] < observation_end + pd.Timedelta(days=1)]
    purchases = observed[observed["amount"] > 0]
    last_day = purchases.groupby("customer_id")["date"].max().dt.normalize()
    return (observation_end - last_day).dt.days


def right_r_score(rfm):
    rank = (-rfm["recency_days"]).rank(method="first")
    return 1 + (5 * (rank - 1) // len(rfm)).astype(int)


def right_segments(scores):
    r, f = scores["r_score"], scores["f_score"]
    names = np.select([(r >= 4) & (f >= 4), r >= 4, r <= 2], ["Champions", "Recent", "Lapsed"],
                      default="Others")
    return pd.Series(names, index=scores.index)


def right_profit(cells, cost, profit):
    tested = cells[cells["test_contacts"] > 0]
    chosen = tested[tested["test_responses"] / tested["test_contacts"] >= cost / profit]
    return (chosen["rollout_responses"] * profit - chosen["rollout_contacts"] * cost).sum()


def right_silhouettes(rfm):
    features = StandardScaler().fit_transform(np.log1p(rfm))
    return pd.Series({
        k: silhouette_score(features, KMeans(n_clusters=k, random_state=0, n_init=10)
                            .fit_predict(features))
        for k in range(2, 6)
    })


def right_choice(candidates, last_campaign, cost, profit, budget):
    rate = (last_campaign["responses"] / last_campaign["contacts"]).rename("rate")
    ranked = candidates.join(rate, on=["r_score", "f_score"])
    ranked = ranked[ranked["rate"] >= cost / profit].sort_values("rate", ascending=False)
    return list(ranked["customer_id"].iloc[: int(budget // cost)])


RIGHT = [
    (check.orders_per_customer, right_orders),
    (check.recency_in_days, right_recency),
    (check.r_score, right_r_score),
    (check.three_segments, right_segments),
    (check.rollout_profit, right_profit),
    (check.silhouette_by_k, right_silhouettes),
    (check.choose_customers, right_choice),
]


@pytest.fixture(scope="module")
def lesson_answers():
    """What each right function gives on the lesson's data (for the constant answers)."""
    transactions = cases.datasets.load_transactions()
    end = pd.Timestamp(cases.datasets.load_truth()["observation_end"])
    candidates, last = check.budget_campaign()
    return {
        check.orders_per_customer: right_orders(transactions),
        check.recency_in_days: right_recency(transactions, end),
        check.r_score: right_r_score(cases.measures(None)),
        check.three_segments: right_segments(cases.scores(None)),
        check.rollout_profit: right_profit(campaign_cells(), 6.0, 80.0),
        check.silhouette_by_k: check.silhouette_cases(None)[0].expected,
        check.choose_customers: right_choice(candidates, last, 6.0, 80.0, cases.BUDGET),
    }


@pytest.mark.parametrize(("run", "answer"), RIGHT, ids=lambda v: getattr(v, "__name__", ""))
def test_right_answers_pass(run, answer):
    result = run(answer)
    assert result.passed, str(result)


@pytest.mark.parametrize("run", [run for run, _ in RIGHT], ids=lambda v: v.__name__)
def test_stubs_are_unanswered_with_a_hint(run):
    result = run(_stub)
    assert result.status == "unanswered" and result.hint


@pytest.mark.parametrize("run", [run for run, _ in RIGHT], ids=lambda v: v.__name__)
def test_the_lesson_answer_as_a_constant_fails_on_new_data(run, lesson_answers):
    constant = lesson_answers[run]
    result = run(lambda *args: constant)
    assert result.status == "wrong"
    assert "not seen" in result.because  # a decision says what it earns there instead
    assert len(str(result)) < 800


def test_the_rollout_reference_is_the_package_rule():
    campaign = rfm_campaign()
    selected = campaign.cells.loc[campaign.cells["selected"], "rollout_profit"].sum()
    assert cases.rollout_reference(campaign_cells(), 6.0, 80.0) == selected


def test_the_unseen_campaign_has_an_untested_cell_and_one_at_break_even():
    cells = cases.unseen_cells()
    assert ((cells["test_contacts"] == 0) & (cells["rollout_contacts"] > 0)).any()
    rate = cells["test_responses"] / cells["test_contacts"]
    assert (rate == cases.UNSEEN_COST / cases.UNSEEN_PROFIT).any()


def test_r_score_is_also_checked_on_a_count_that_is_no_multiple_of_five():
    unseen = cases.score_cases(None, check.r_score_mistakes)[1]
    assert len(unseen.args[0]) % 5 != 0


# --- the mistakes the checks name, and what they never show --------------------------


def _wrong(run, func, phrase):
    result = run(func)
    assert result.status == "wrong", str(result)
    assert phrase in result.because, result.because
    return result


def _purchases(t):
    return t[t["amount"] > 0]


ORDER_MISTAKES = [
    (lambda t: t.groupby("customer_id").size(), "you counted order lines"),
    (lambda t: _purchases(t).groupby("customer_id").size(), "purchase lines, not orders"),
    (lambda t: t.groupby("customer_id")["order_id"].nunique(), "returns were counted as purchases"),
    (lambda t: _purchases(t).groupby("customer_id")["date"]
     .apply(lambda d: d.dt.normalize().nunique()), "purchase days, not orders"),
]


@pytest.mark.parametrize(("func", "phrase"), ORDER_MISTAKES, ids=[p for _, p in ORDER_MISTAKES])
def test_order_mistakes_are_named(func, phrase):
    _wrong(check.orders_per_customer, func, phrase)


def _last(t, end, how="max", observed=True, purchases_only=True):
    if observed:
        t = t[t["date"] < end + pd.Timedelta(days=1)]
    if purchases_only:
        t = _purchases(t)
    return t.groupby("customer_id")["date"].agg(how)


RECENCY_MISTAKES = [
    (lambda t, e: (e - _last(t, e, observed=False).dt.normalize()).dt.days,
     "lines dated after observation_end"),
    (lambda t, e: (e - _last(t, e, purchases_only=False).dt.normalize()).dt.days,
     "a return is not a purchase"),
    (lambda t, e: (e - _last(t, e)).dt.days, "time of day"),
    (lambda t, e: e - _last(t, e).dt.normalize(), "durations (Timedelta)"),
    (lambda t, e: (e - _last(t, e).dt.normalize()).dt.days / 7, "in weeks"),
    (lambda t, e: (_last(t, e).dt.normalize() - e).dt.days, "wrong way round"),
    (lambda t, e: (e - _last(t, e, how="min").dt.normalize()).dt.days, "first purchase"),
]


@pytest.mark.parametrize(("func", "phrase"), RECENCY_MISTAKES,
                         ids=[p for _, p in RECENCY_MISTAKES])
def test_recency_mistakes_are_named(func, phrase):
    _wrong(check.recency_in_days, func, phrase)


def _ntile(rank, n):
    return (1 + np.floor(5 * (rank - 1) / n)).astype(int)


R_MISTAKES = [
    (lambda r: _ntile(r["recency_days"].rank(method="first"), len(r)), "points the wrong way"),
    (lambda r: _ntile((-r["recency_days"]).rank(method="min"), len(r)), "share a rank"),
    (lambda r: _ntile((-r["recency_days"]).rank(), len(r)), "share an average rank"),
    (lambda r: pd.cut(r["recency_days"], 5, labels=[5, 4, 3, 2, 1]).astype(int),
     "five equal widths"),
    (lambda r: np.ceil(5 * (-r["recency_days"]).rank(method="first") / len(r)).astype(int),
     "one customer off"),
]


@pytest.mark.parametrize(("func", "phrase"), R_MISTAKES, ids=[p for _, p in R_MISTAKES])
def test_r_score_mistakes_are_named(func, phrase):
    _wrong(check.r_score, func, phrase)


def _segments(scores, champions, recent, lapsed, last_wins=False):
    names = pd.Series("Others", index=scores.index, dtype="object")
    if last_wins:
        names[lapsed] = "Lapsed"
        names[champions] = "Champions"
        names[recent] = "Recent"
        return names
    return pd.Series(np.select([champions, recent, lapsed], ["Champions", "Recent", "Lapsed"],
                               default="Others"), index=scores.index)


SEGMENT_MISTAKES = [
    (lambda s: _segments(s, (s.r_score >= 4) & (s.f_score >= 4), s.r_score >= 4,
                         s.r_score <= 2, last_wins=True), "first one that matches"),
    (lambda s: right_segments(s).loc[lambda x: x != "Others"], "named 'Others'"),
    (lambda s: _segments(s, (s.r_score > 4) & (s.f_score > 4), s.r_score > 4, s.r_score < 2),
     "you used > and <"),
    (lambda s: _segments(s, (s.r_score > 4) & (s.f_score > 4), s.r_score > 4, s.r_score <= 2),
     "you used > 4"),
    (lambda s: _segments(s, (s.r_score >= 4) & (s.f_score >= 4), s.r_score >= 4, s.r_score < 2),
     "you used < 2"),
    (lambda s: _segments(s, (s.r_score >= 4) | (s.f_score >= 4), s.r_score >= 4,
                         s.r_score <= 2), "recent AND frequent"),
]


@pytest.mark.parametrize(("func", "phrase"), SEGMENT_MISTAKES,
                         ids=[p for _, p in SEGMENT_MISTAKES])
def test_segment_mistakes_are_named(func, phrase):
    _wrong(check.three_segments, func, phrase)


def _rollout(cells, chosen, profit, cost):
    chosen = cells[chosen]
    return (chosen["rollout_responses"] * profit - chosen["rollout_contacts"] * cost).sum()


def _rate(cells):
    return cells["test_responses"] / cells["test_contacts"]


ROLLOUT_MISTAKES = [
    (lambda c, cost, p: _rollout(c, c["test_responses"] >= cost / p * c["test_contacts"], p, cost),
     "nobody was tested in"),
    (lambda c, cost, p: _rollout(c, _rate(c) > cost / p, p, cost), "equals break-even exactly"),
    (lambda c, cost, p: (c["rollout_responses"] * p - c["rollout_contacts"] * cost).sum(),
     "contacting every cell"),
    (lambda c, cost, p: c.loc[_rate(c) >= cost / p, "rollout_responses"].sum() * p,
     "cost of the contacts is missing"),
    (lambda c, cost, p: _rollout(c, c["rollout_responses"] / c["rollout_contacts"] >= cost / p,
                                 p, cost), "rollout's own response rates"),
    (lambda c, cost, p: _rollout(c, _rate(c) >= p / cost, p, cost), "upside down"),
    (lambda c, cost, p: right_profit(c, cost, p)
     + (c["test_responses"] * p - c["test_contacts"] * cost).sum(), "the test's profit"),
]


@pytest.mark.parametrize(("func", "phrase"), ROLLOUT_MISTAKES,
                         ids=[p for _, p in ROLLOUT_MISTAKES])
def test_rollout_mistakes_are_named_and_the_profit_is_never_shown(func, phrase):
    result = _wrong(check.rollout_profit, func, phrase)
    lesson, unseen = cases.rollout_cases(None, check.rollout_mistakes)
    _hidden(str(result), lesson.expected, unseen.expected)


def test_the_untested_cell_is_said_what_to_do_with():
    func = ROLLOUT_MISTAKES[0][0]
    first = check.rollout_profit(func)
    second = check.rollout_profit(func)
    assert "Leave it out (or test it first)" in first.because
    assert "nobody was tested in" in first.hint  # the idea says it too
    assert first.hint != second.hint and "test_contacts > 0" in second.hint


def test_silhouette_mistakes_are_named_and_the_values_never_shown():
    lesson, unseen = check.silhouette_cases(None)
    shown = list(lesson.expected) + list(unseen.expected)

    def not_standardized(rfm):
        features = np.log1p(rfm).to_numpy()
        return pd.Series({k: silhouette_score(features, KMeans(n_clusters=k, random_state=0,
                                                               n_init=10).fit_predict(features))
                          for k in range(2, 6)})

    def no_logs(rfm):
        features = StandardScaler().fit_transform(rfm)
        return pd.Series({k: silhouette_score(features, KMeans(n_clusters=k, random_state=0,
                                                               n_init=10).fit_predict(features))
                          for k in range(2, 6)})

    for func, phrase in [(not_standardized, "not standardized"), (no_logs, "without taking logs")]:
        _hidden(str(_wrong(check.silhouette_by_k, func, phrase)), *shown)
    half = lesson.expected / 2
    _hidden(str(_wrong(check.silhouette_by_k, lambda rfm: half, "too low")), *shown)


# --- hints in two stages, short answers ------------------------------------------------


@pytest.mark.parametrize(("run", "func"), [
    (check.orders_per_customer, ORDER_MISTAKES[0][0]),
    (check.recency_in_days, RECENCY_MISTAKES[2][0]),
    (check.r_score, R_MISTAKES[0][0]),
    (check.three_segments, SEGMENT_MISTAKES[2][0]),
    (check.rollout_profit, ROLLOUT_MISTAKES[3][0]),
    (check.choose_customers, lambda c, last, cost, p, b: list(c["customer_id"])),
], ids=lambda v: getattr(v, "__name__", ""))
def test_the_second_wrong_attempt_gets_a_more_concrete_hint(run, func):
    first, second = run(func), run(func)
    assert first.status == second.status == "wrong"
    assert first.hint != second.hint


def test_the_r_score_idea_gives_no_formula():
    def all_threes(rfm):
        return pd.Series(3, index=rfm.index)

    idea = check.r_score(all_threes).hint
    assert "floor" not in idea and "rank" not in idea and "5 (i" not in idea
    concrete = check.r_score(all_threes).hint
    assert "rank of their own" in concrete and "floor" not in concrete  # a step, not the code


@pytest.mark.parametrize("run", [check.orders_per_customer, check.recency_in_days,
                                 check.r_score, check.three_segments],
                         ids=lambda v: v.__name__)
def test_a_list_answer_gets_a_short_message(run):
    result = run(lambda *args: list(range(5000)))
    assert result.status == "wrong" and len(str(result)) < 400, str(result)
    assert "does not say whose" in result.because


def test_recency_values_are_never_shown():
    result = check.recency_in_days(lambda t, e: right_recency(t, e) + 1)
    assert "5,000 of 5,000" in result.because and "too high" in result.because


# --- the decision: whom to mail on a budget --------------------------------------------


def test_the_best_decision_passes_in_any_order_and_form():
    def as_frame(candidates, last, cost, profit, budget):
        ids = right_choice(candidates, last, cost, profit, budget)
        return candidates[candidates["customer_id"].isin(ids)].iloc[::-1]

    assert check.choose_customers(as_frame).passed

    def as_marks(candidates, last, cost, profit, budget):
        ids = right_choice(candidates, last, cost, profit, budget)
        return candidates["customer_id"].isin(ids)

    assert check.choose_customers(as_marks).passed
    assert check.choose_customers(
        lambda *args: pd.Index(right_choice(*args)).to_numpy()).passed


def test_the_most_recent_customers_earn_less_than_the_best_decision():
    def most_recent(candidates, last, cost, profit, budget):
        ranked = candidates.sort_values(["r_score", "customer_id"], ascending=[False, True])
        return list(ranked["customer_id"].iloc[: int(budget // cost) // 2])

    result = check.choose_customers(most_recent)
    assert result.status == "wrong" and "% of what the best decision earns" in result.because
    best = cases.budget_cases(None)[0].best
    _hidden(str(result), best)


def test_invalid_decisions_get_a_sentence():
    everyone = check.choose_customers(lambda c, last, cost, p, b: c["customer_id"])
    assert "you chose every customer" in everyone.because
    over = check.choose_customers(
        lambda c, last, cost, p, b: list(c["customer_id"].iloc[: int(b // cost) + 1]))
    assert "more than the budget of 3,000 MXN" in over.because
    rows = check.choose_customers(lambda c, last, cost, p, b: list(c.index[:10]))
    assert "not among the candidates" in rows.because and "not row numbers" in rows.because
    twice = check.choose_customers(lambda c, last, cost, p, b: ["C00005"] * 2)
    assert "appear twice" in twice.because
    nothing = check.choose_customers(lambda c, last, cost, p, b: None)
    assert "a list of customer ids is expected" in nothing.because
    for result in (everyone, over, rows, twice, nothing):
        assert len(result.because) < 300, result.because


def test_budget_mistakes_are_named():
    def paying_cells(candidates, last, cost, profit, budget):
        rate = (last["responses"] / last["contacts"]).rename("rate")
        ranked = candidates.join(rate, on=["r_score", "f_score"])
        return list(ranked.loc[ranked["rate"] >= cost / profit, "customer_id"])

    assert "more than the budget allows" in check.choose_customers(paying_cells).because

    def whole_budget(candidates, last, cost, profit, budget):
        rate = (last["responses"] / last["contacts"]).rename("rate")
        ranked = candidates.join(rate, on=["r_score", "f_score"]).sort_values(
            "rate", ascending=False, kind="stable")
        return list(ranked["customer_id"].iloc[: int(budget // cost)])

    result = check.choose_customers(whole_budget)
    assert "A budget is a ceiling, not a target" in result.because


def test_the_exercise_data_hide_the_outcomes():
    candidates, last = check.budget_campaign()
    assert list(candidates.columns) == ["customer_id", "r_score", "f_score", "m_score"]
    assert list(last.columns) == ["contacts", "responses"]
    assert int(last["contacts"].sum()) == len(candidates) == 5000
