"""Self-checks of lesson 05: right answers pass, fixed numbers and known mistakes do not."""

import time

import numpy as np
import pandas as pd
import pytest

from relmark_lab import datasets, equity
from relmark_lab.checks import _equity_cases as cases
from relmark_lab.checks import equity as check
from relmark_lab.checks._cases import unseen_data_dir
from relmark_lab.checks._core import DECISION_SHARE


def _stub(*args):
    raise NotImplementedError()


# --- right answers, written as a student would, without the package's reference ---------


def right_terms(m, r, i):
    return m / 4, r ** 0.25, (1 + i) ** 0.25 - 1


def cumulative(alpha, beta, gamma, t):
    return alpha / (1 + np.exp(-beta - gamma * np.asarray(t, dtype=float)))


def right_new(alpha, beta, gamma, now, periods):
    return np.diff(cumulative(alpha, beta, gamma, now + np.arange(periods + 1)))


def multiple(m, r, i):
    return m * r / (1 + i - r)


def right_effect(m, r, i):
    return 100 * (multiple(m, 1.01 * r, i) / multiple(m, r, i) - 1)


def right_share(tx, end):
    lines = tx[tx["date"].dt.normalize() <= pd.Timestamp(end)]
    buys = lines[lines["amount"] > 0]
    first = buys.groupby("customer_id")["date"].min().dt.normalize()
    days = (lines["date"].dt.normalize() - lines["customer_id"].map(first)).dt.days
    year = (days // 365.25 + 1).astype(int)
    return (lines["discount"].groupby(year).sum()
            / (lines["amount"] + lines["discount"]).groupby(year).sum())


def right_parts(before, after, active):
    kept = before.index.isin(active)
    later = after.reindex(before.index).fillna(0.0)
    new = ~after.index.isin(before.index)
    return after[new].sum(), (later - before)[kept].sum(), (before - later)[~kept].sum()


def right_split(budget, prospects, customers, acquisition, retention, margin, discount_rate):
    shares = np.linspace(0, 1, 501)
    value = equity.split_equity(shares, budget, prospects=prospects, customers=customers,
                                acquisition=acquisition, retention=retention, margin=margin,
                                discount_rate=discount_rate)
    return shares[np.argmax(value)]


RIGHT = {
    "quarterly_terms": right_terms,
    "new_customers_next": right_new,
    "retention_effect": right_effect,
    "discount_share_by_tenure_year": right_share,
    "equity_change_parts": right_parts,
    "split_budget": right_split,
}


@pytest.fixture(scope="module")
def lesson_answers():
    """What each exercise gives on the lesson's data, to hard-code and to look for in text."""
    transactions = datasets.load_transactions()
    budget = cases.BUDGET_CASE
    return {
        "quarterly_terms": {args: right_terms(*args) for args in cases.TERMS_CASES.values()},
        "new_customers_next": right_new(*cases.S_CURVE),
        "retention_effect": {args: right_effect(*args)
                             for args in cases.RETENTION_CASES.values()},
        "discount_share_by_tenure_year": right_share(transactions, "2025-12-31"),
        "equity_change_parts": right_parts(*cases.change_inputs()),
        "split_budget": right_split(*(budget[k] for k in (
            "budget", "prospects", "customers", "acquisition", "retention", "margin",
            "discount_rate"))),
    }


def test_the_lessons_reference_numbers():
    assert right_terms(100.0, 0.8, 0.12) == pytest.approx((25.0, 0.945742, 0.028737), abs=1e-6)
    # GLS footnote 2 in a year: the elasticity (1 + i) / (1 + i - r) is 3.5; a 1% step, 3.59.
    assert float(equity.margin_multiple_elasticities(0.8, 0.12)["retention_rate"]) == \
        pytest.approx(3.5)
    assert right_effect(100.0, 0.8, 0.12) == pytest.approx(3.5897, abs=1e-4)
    # Amazon (GLS Table 3): about 3 million new customers the quarter after March 2002, fewer after.
    amazon = right_new(*cases.S_CURVE)
    assert len(amazon) == 8 and amazon.sum() == pytest.approx(
        cumulative(67.045, -4.114, 0.265, 28) - cumulative(67.045, -4.114, 0.265, 20))
    assert amazon[0] == pytest.approx(2.96, abs=0.01) and np.all(np.diff(amazon) < 0)
    # The kit's loyal customers get fewer discounts (the simulator's 0.40 * 0.70 ** tenure).
    shares = right_share(datasets.load_transactions(), "2025-12-31")
    assert shares.round(4).tolist() == [0.0857, 0.0574, 0.0468]
    parts = right_parts(*cases.change_inputs())
    before, after, _ = cases.change_inputs()
    assert parts[0] + parts[1] - parts[2] == pytest.approx(after.sum() - before.sum())
    assert np.round(parts, 0).tolist() == [917_457.0, 80_425.0, 511_276.0]  # as lesson 05


def test_references_agree_with_a_pandas_answer_on_both_data_sets():
    folder = unseen_data_dir()
    end = cases.unseen_end(folder)
    for tx, day in [(datasets.load_transactions(), "2025-12-31"),
                    (datasets.load_transactions(folder), end)]:
        expected = cases.discount_share(tx, day)
        pd.testing.assert_series_equal(right_share(tx, day), expected, check_names=False,
                                       check_index_type=False)
    tx = datasets.load_transactions(folder)
    day = tx["date"].dt.normalize()
    assert (day > pd.Timestamp(end)).any()
    assert ((day == pd.Timestamp(end)) & (tx["discount"] > 0)).any()


@pytest.mark.parametrize("name", RIGHT)
def test_right_answers_pass_and_stubs_are_unanswered(name):
    result = getattr(check, name)(RIGHT[name])
    assert result.passed, str(result)
    assert str(result).startswith("Right: 05")
    stub = getattr(check, name)(_stub)
    assert stub.status == "unanswered"
    assert str(stub).startswith("Not answered yet: 05") and "Hint:" in str(stub)


def test_right_answers_in_other_shapes_pass():
    assert check.quarterly_terms(lambda m, r, i: list(right_terms(m, r, i))).passed
    assert check.quarterly_terms(lambda m, r, i: equity.per_period(
        m, r, i, from_unit="Y", to_unit="Q", margin_unit="Y")[:3]).passed
    assert check.new_customers_next(lambda *args: pd.Series(right_new(*args))).passed
    assert check.new_customers_next(lambda *args: list(right_new(*args))).passed
    assert check.retention_effect(lambda m, r, i: np.float64(right_effect(m, r, i))).passed
    assert check.discount_share_by_tenure_year(
        lambda tx, end: right_share(tx, end).set_axis(
            right_share(tx, end).index.astype(float))).passed
    assert check.equity_change_parts(lambda *args: list(right_parts(*args))).passed
    assert check.split_budget(lambda *args: np.array([right_split(*args)])).passed
    assert check.split_budget(lambda *args: pd.Series([right_split(*args)])).passed


def _hard_coded(name, answers):
    """A function that returns the lesson's answer whatever it is given."""
    values = answers[name]
    if isinstance(values, dict):
        default = (0.0, 0.0, 0.0) if name == "quarterly_terms" else 0.0
        return lambda *args: values.get(args, default)
    if isinstance(values, pd.Series):
        return lambda *args: values.copy()
    return lambda *args: values


@pytest.mark.parametrize("name", RIGHT)
def test_hard_coded_answers_fail_on_new_data(name, lesson_answers):
    result = getattr(check, name)(_hard_coded(name, lesson_answers))
    assert result.status == "wrong"
    # A decision is judged by what it earns there; a computed answer by the fixed-number rule.
    expected = "you have not seen" if name == "split_budget" else \
        "right answer on the lesson's data but not on"
    assert expected in result.because, str(result)


# --- known mistakes: what each gives is recognised ------------------------------------


def _share(**kw):
    return lambda tx, end: cases.discount_share_variant(tx, end, **kw)


def _student_share(freq):
    """Calendar years, written independently of the check's variants."""
    def answer(tx, end):
        lines = tx[tx["date"].dt.normalize() <= pd.Timestamp(end)]
        key = lines["date"].dt.year if freq == "year" else lines["date"].dt.year - 2022
        return lines["discount"].groupby(key).sum() / (lines["amount"]
                                                       + lines["discount"]).groupby(key).sum()
    return answer


def _parts(kind):
    def answer(before, after, active):
        acquisition, expansion, mortality = right_parts(before, after, active)
        kept = before.index.isin(active)
        later = after.reindex(before.index).fillna(0.0)
        if kind == "before":
            return acquisition, expansion, before[~kept].sum()
        if kind == "everyone":
            return acquisition, (later - before).sum(), mortality
        if kind == "missing":
            return acquisition, (later - before).sum(), 0.0
        if kind == "level":
            return acquisition, after.reindex(before.index[kept]).sum(), mortality
        return acquisition, expansion, -mortality
    return answer


MISTAKES = [
    ("quarterly_terms", lambda m, r, i: (m / 4, r / 4, i / 4), "divided all three by 4"),
    ("quarterly_terms", lambda m, r, i: (m / 4, r / 4, right_terms(m, r, i)[2]),
     "divided the retention rate by 4"),
    ("quarterly_terms", lambda m, r, i: (m / 4, 1 - (1 - r) / 4, right_terms(m, r, i)[2]),
     "divided the churn by 4"),
    ("quarterly_terms", lambda m, r, i: (m / 4, r ** 0.25, i / 4), "simple interest"),
    ("quarterly_terms", lambda m, r, i: (m, *right_terms(m, r, i)[1:]), "still the year's"),
    ("quarterly_terms", lambda m, r, i: (m / 4, 100 * r ** 0.25, right_terms(m, r, i)[2]),
     "100 times too large"),
    ("quarterly_terms", lambda m, r, i: m / 4, "a tuple of 3 values is expected"),
    ("new_customers_next",
     lambda a, b, g, now, p: cumulative(a, b, g, now + np.arange(1, p + 1)), "cumulative"),
    ("new_customers_next",
     lambda a, b, g, now, p: cumulative(a, b, g, now + np.arange(1, p + 1))
     - cumulative(a, b, g, now), "won since now"),
    ("new_customers_next", lambda a, b, g, now, p: a * g * np.exp(
        -b - g * (now + np.arange(1, p + 1))) / (1 + np.exp(-b - g * (now + np.arange(
            1, p + 1)))) ** 2, "at the end of each period"),
    ("new_customers_next", lambda a, b, g, now, p: a * g * np.exp(
        -b - g * (now + np.arange(p))) / (1 + np.exp(-b - g * (now + np.arange(p)))) ** 2,
     "at the start of each period"),
    ("new_customers_next", lambda a, b, g, now, p: right_new(a, b, g, now + 1, p), "one off"),
    ("retention_effect", lambda m, r, i: 100 * (multiple(m, r + 0.01, i) / multiple(m, r, i)
                                                - 1), "one point"),
    ("retention_effect", lambda m, r, i: right_effect(m, r, i) / 100, "as a fraction"),
    ("retention_effect", lambda m, r, i: (1 + i) / (1 + i - r), "not a 1% step"),
    ("retention_effect", lambda m, r, i: 100 * ((1 + i - r) / (1 + i - 1.01 * r) - 1),
     "first margin now"),
    ("retention_effect", lambda m, r, i: multiple(m, 1.01 * r, i) - multiple(m, r, i),
     "change in money"),
    ("retention_effect", lambda m, r, i: round(right_effect(m, r, i), 2), "rounded"),
    ("discount_share_by_tenure_year", _student_share("year"), "calendar year"),
    ("discount_share_by_tenure_year", _student_share("rank"), "numbered from the data's first"),
    ("discount_share_by_tenure_year", _share(year="calendar tenure"),
     "calendar years since the year of the first purchase"),
    ("discount_share_by_tenure_year", _share(first_year=-1), "start at 0"),
    ("discount_share_by_tenure_year", _share(ratio="lines"), "mean of the lines' own shares"),
    ("discount_share_by_tenure_year", _share(ratio="paid"), "price paid"),
    ("discount_share_by_tenure_year", _share(returns=False), "returns were left out"),
    ("discount_share_by_tenure_year", _share(cut="midnight"), "the whole day counts"),
    ("discount_share_by_tenure_year", _share(cut="none"), "lines after observation_end"),
    ("discount_share_by_tenure_year", _share(days_per_year=365.0), "365.25 days"),
    ("discount_share_by_tenure_year", lambda tx, end: right_share(tx, end).to_numpy(),
     "does not say whose"),
    ("equity_change_parts", _parts("before"), "whole date-1 value of the lost"),
    ("equity_change_parts", _parts("everyone"), "runs over all the date-1 customers"),
    ("equity_change_parts", _parts("missing"), "only the customers missing from after"),
    ("equity_change_parts", _parts("level"), "not its change"),
    ("equity_change_parts", _parts("sign"), "wrong sign"),
    ("split_budget", lambda *args: 0.0, "whole budget on retention"),
    ("split_budget", lambda *args: 1.0, "whole budget on acquisition"),
    ("split_budget", lambda *args: 0.5, "half and half"),
    ("split_budget", lambda budget, prospects, customers, *args:
     prospects / (prospects + customers), "head count"),
]


def _unconstrained(budget, prospects, customers, acquisition, retention, margin, rate):
    plan = equity.optimal_spend(acquisition=acquisition, retention=retention, margin=margin,
                                discount_rate=rate)
    spend = plan.acquisition_spend * prospects
    return spend / (spend + plan.retention_spend * customers)


MISTAKES.append(("split_budget", _unconstrained, "unconstrained optimum"))


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
    assert len(str(first)) < 700, str(first)


def _shown_forms(value):
    value = float(value)
    return {f"{value:,.4g}", f"{value:.4f}", str(round(value, 2)), f"{value:,.0f}",
            f"{value:.1%}", f"{value:,.2f}"} - {"0", "1", "0.0", "1.0", "-0"}


def test_no_verdict_shows_the_expected_answer(verdicts, lesson_answers):
    expected = set()
    for values in lesson_answers.values():
        if isinstance(values, dict):
            numbers = [v for answer in values.values() for v in np.atleast_1d(answer)]
        else:
            numbers = np.atleast_1d(np.asarray(values, dtype=float))
        for value in numbers:
            expected |= _shown_forms(value)
    for first, second in verdicts.values():
        for result in (first, second):
            text = str(result)
            if "rounded" in text or "does not say whose" in text:
                continue  # the student's own (rounded, or unlabelled) numbers, as they should be
            leaked = [form for form in expected if len(form) > 3 and form in text]
            assert not leaked, (leaked, text)


@pytest.mark.parametrize("name", RIGHT)
def test_the_second_wrong_attempt_gets_a_more_concrete_hint(name):
    def wrong(*args):
        answer = RIGHT[name](*args)
        if name == "split_budget":
            return 0.02
        return tuple(1.37 * x for x in answer) if isinstance(answer, tuple) else answer * 1.37

    first, second = getattr(check, name)(wrong), getattr(check, name)(wrong)
    assert first.status == second.status == "wrong"
    assert first.hint != second.hint


def test_first_hints_name_no_function_that_holds_the_answer():
    for name, names in [("quarterly_terms", ["per_period"]),
                        ("new_customers_next", ["future_cohorts", "LogisticGrowth"]),
                        ("retention_effect", ["elasticities"]),
                        ("equity_change_parts", ["equity_change"]),
                        ("split_budget", ["best_split", "split_equity"])]:
        first = getattr(check, name)(lambda *args: -1.0)
        assert first.status == "wrong"
        assert not any(n in first.hint for n in names), first.hint


# --- the decision: scored against the best split --------------------------------------------


def test_the_decision_is_scored_against_the_best_split():
    best = cases.best_split(cases.BUDGET_CASE)
    assert best.acquisition_share == pytest.approx(0.444, abs=0.001)
    table = best.table.set_index("acquisition_share")["equity"]
    passing = table[table >= DECISION_SHARE * best.equity].index
    assert passing.min() == pytest.approx(0.32) and passing.max() == pytest.approx(0.56)
    low = check.split_budget(lambda *args: 0.3)
    assert "% of what the best decision earns" in low.because and "dollars" in low.because
    for salt, low_share, high_share in [(506, 0.03, 0.2), (507, 0.7, 0.97)]:
        drawn = cases.random_budget(salt, low_share, high_share)
        assert low_share <= cases.best_split(drawn).acquisition_share <= high_share


@pytest.mark.parametrize(("decision", "phrase"), [
    ("half", "got str 'half'"), (1.5, "from 0 (all to retention) to 1"),
    (40, "a percentage? 40% is 0.4"), (-0.1, "from 0 (all to retention)"),
    (float("nan"), "got nan"), (True, "got bool True"), ([0.2, 0.3], "one share"),
    (None, "got NoneType None"),
])
def test_an_impossible_split_gets_a_sentence(decision, phrase):
    result = check.split_budget(lambda *args: decision)
    assert result.status == "wrong" and "cannot be carried out" in result.because
    assert phrase in result.because, str(result)


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
