"""Self-checks of lessons 04a and 04b: right answers pass, common mistakes are named."""

import numpy as np
import pandas as pd
import pytest
from scipy.special import hyp2f1

from relmark_lab import clv, datasets
from relmark_lab.checks import clv as check
from relmark_lab.datasets import practice

WEEKS_PER_YEAR = 365.25 / 7


def _stub(*args):
    raise NotImplementedError()


# --- right answers --------------------------------------------------------------


def right_margin_multiple(m, r, d):
    return m * r / (1 + d - r)


def right_sbg_retention(alpha, beta, t):
    return (beta + t - 1) / (alpha + beta + t - 1)


def right_projection(n_alive):
    model = clv.ShiftedBetaGeometric().fit(n_alive)
    years = np.arange(8, 13)
    return pd.Series(model.survival(years) * n_alive.iloc[0], index=years)


def right_next_quarter(transactions):
    table = clv.cohort_retention_table(transactions, "2025-12-31", period="Q")
    return table.query("periods_since_acquisition == 1").set_index("cohort")["share"]


def next_quarter_by_hand(transactions):
    """The exercise's pandas answer: purchase days are customer-days with a positive net."""
    day = transactions["date"].dt.normalize().rename("day")
    net = transactions.groupby(["customer_id", day])["amount"].sum()
    purchase_days = net[net > 0].reset_index()
    quarter = purchase_days["day"].dt.to_period("Q")
    cohort = quarter.groupby(purchase_days["customer_id"]).transform("min")
    next_quarter = quarter == cohort + 1
    retained = purchase_days.loc[next_quarter, "customer_id"].groupby(
        cohort[next_quarter]).nunique()
    share = (retained / purchase_days["customer_id"].groupby(cohort).nunique()).fillna(0.0)
    return share.set_axis(share.index.astype(str))


def right_repeats(cdnow, calibration_end):
    days = cdnow[cdnow["date"] <= calibration_end].groupby("customer_id")["date"].nunique()
    return int((days > 1).sum()), int((days - 1).sum())


def right_weekly_rate(d):
    return (1 + d) ** (1 / WEEKS_PER_YEAR) - 1


def right_p_alive(params, data):
    r, alpha, a, b = params["r"], params["alpha"], params["a"], params["b"]
    x = data["frequency"]
    odds = a / (b + x - 1) * ((alpha + data["T"]) / (alpha + data["recency"])) ** (r + x)
    return 1 / (1 + odds.where(x > 0, 0.0))


def purchases_in_weeks(params, t):
    r, alpha, a, b = params["r"], params["alpha"], params["a"], params["b"]
    return (a + b - 1) / (a - 1) * (
        1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))


def right_top_decile(values):
    ranked = values.sort_values(ascending=False)
    return ranked.head(len(ranked) // 10).sum() / ranked.sum()


def test_reference_numbers_of_the_lesson():
    summary = practice.kit_summary()
    assert len(summary) == 5000 and int(summary["frequency"].gt(0).sum()) == 4213
    values = practice.kit_clv()
    assert values.index.name == "customer_id" and len(values) == 5000
    # 487.98 before returns were netted against their orders (they were dropped).
    assert values.mean() == pytest.approx(487.90, abs=0.01)
    assert right_top_decile(values) == pytest.approx(0.578, abs=0.001)
    assert right_repeats(datasets.load_cdnow("sample"), "1997-09-30") == (946, 2457)


@pytest.mark.parametrize(
    ("name", "answer"),
    [
        ("clv_margin_multiple", right_margin_multiple),
        ("sbg_retention_rate", right_sbg_retention),
        ("project_survivors", right_projection),
        ("next_quarter_retention", right_next_quarter),
        ("next_quarter_retention", next_quarter_by_hand),
        ("repeat_customers_and_purchases", right_repeats),
        ("weekly_discount_rate", right_weekly_rate),
        ("probability_alive", right_p_alive),
        ("expected_repeat_purchases",
         lambda params, years: purchases_in_weeks(params, years * WEEKS_PER_YEAR)),
        ("top_decile_share", right_top_decile),
    ],
)
def test_right_answers_pass_and_stubs_are_unanswered(name, answer):
    result = getattr(check, name)(answer)
    assert result.passed, str(result)
    assert str(result).startswith("Right: 04")
    stub = getattr(check, name)(_stub)
    assert stub.status == "unanswered"
    assert str(stub).startswith("Not answered yet: 04") and "Hint:" in str(stub)


def test_right_answers_in_other_shapes_pass():
    # P(alive) as a numpy array, cohorts indexed by Period: both are accepted.
    def p_alive_array(params, data):
        return right_p_alive(params, data).to_numpy()

    def next_quarter_periods(transactions):
        answer = right_next_quarter(transactions)
        return answer.set_axis(pd.PeriodIndex(answer.index, freq="Q"))

    assert check.probability_alive(p_alive_array).passed
    assert check.next_quarter_retention(next_quarter_periods).passed


# --- common mistakes ------------------------------------------------------------


def test_margin_multiple_mistakes():
    start = check.clv_margin_multiple(lambda m, r, d: m * (1 + d) / (1 + d - r))
    assert "other timing convention" in start.because
    undiscounted = check.clv_margin_multiple(lambda m, r, d: m * r / (1 - r))
    assert "not discounted" in undiscounted.because
    unknown = check.clv_margin_multiple(lambda m, r, d: m * r)
    assert unknown.because == (
        "at 'm=100, r=0.8, d=0.1' your value is 80 but the data give 266.7.")


def test_sbg_retention_mistakes():
    ahead = check.sbg_retention_rate(lambda a, b, t: (b + t) / (a + b + t))
    assert "one period ahead" in ahead.because
    constant = check.sbg_retention_rate(lambda a, b, t: b / (a + b))
    assert "same rate for every period" in constant.because


def test_projection_mistakes():
    def last_year_rate(n_alive):
        rate = n_alive.iloc[-1] / n_alive.iloc[-2]
        years = np.arange(8, 13)
        return pd.Series(n_alive.iloc[-1] * rate ** (years - 7), index=years)

    def mean_rate(n_alive):
        rate = (n_alive.iloc[-1] / n_alive.iloc[0]) ** (1 / 7)
        years = np.arange(8, 13)
        return pd.Series(n_alive.iloc[-1] * rate ** (years - 7), index=years)

    assert "last year's retention rate" in check.project_survivors(last_year_rate).because
    assert "mean retention rate" in check.project_survivors(mean_rate).because
    rounded = check.project_survivors(lambda n: right_projection(n).round())
    assert "rounded" in rounded.because
    shares = check.project_survivors(lambda n: right_projection(n) / n.iloc[0])
    assert "shares of the cohort" in shares.because
    wrong_years = check.project_survivors(lambda n: right_projection(n).reset_index(drop=True))
    assert "the index is not right" in wrong_years.because


def test_next_quarter_mistakes():
    def returns_count(transactions):
        quarter = transactions["date"].dt.to_period("Q")
        buys = transactions["amount"] > 0
        first = quarter[buys].groupby(transactions.loc[buys, "customer_id"]).min()
        cohort = transactions["customer_id"].map(first)
        after = quarter == cohort + 1
        active = transactions.loc[after, "customer_id"].groupby(cohort[after]).nunique()
        return (active / first.value_counts()).set_axis(
            (active / first.value_counts()).index.astype(str))

    assert "returns were counted" in check.next_quarter_retention(returns_count).because


def test_repeat_purchase_mistakes():
    def records(cdnow, end):
        n = cdnow[cdnow["date"] <= end].groupby("customer_id").size()
        return int((n > 1).sum()), int((n - 1).sum())

    def first_included(cdnow, end):
        days = cdnow[cdnow["date"] <= end].groupby("customer_id")["date"].nunique()
        return int((days > 0).sum()), int(days.sum())

    def whole_period(cdnow, end):
        days = cdnow.groupby("customer_id")["date"].nunique()
        return int((days > 1).sum()), int((days - 1).sum())

    assert "same day" in check.repeat_customers_and_purchases(records).because
    assert "first purchases" in check.repeat_customers_and_purchases(first_included).because
    assert "after the calibration end" in check.repeat_customers_and_purchases(
        whole_period).because


def test_weekly_rate_mistakes():
    assert "annual rate itself" in check.weekly_discount_rate(lambda d: d).because
    assert "divided the annual rate" in check.weekly_discount_rate(lambda d: d / 52).because
    fifty_two = check.weekly_discount_rate(lambda d: (1 + d) ** (1 / 52) - 1)
    assert "52.18 weeks" in fifty_two.because


def test_p_alive_mistakes():
    def no_zero_rule(params, data):
        r, alpha, a, b = params["r"], params["alpha"], params["a"], params["b"]
        x = data["frequency"]
        ratio = (alpha + data["T"]) / (alpha + data["recency"])
        return 1 / (1 + a / (b + x - 1) * ratio ** (r + x))

    def swapped(params, data):
        return right_p_alive(params, data.rename(columns={"T": "recency", "recency": "T"}))

    assert "no repeat purchase should have P(alive) = 1" in check.probability_alive(
        no_zero_rule).because
    assert "swapped" in check.probability_alive(swapped).because


def test_expected_purchases_mistakes():
    in_years = check.expected_repeat_purchases(purchases_in_weeks)
    assert "given in years" in in_years.because
    in_days = check.expected_repeat_purchases(lambda p, y: purchases_in_weeks(p, 365.25 * y))
    assert "given in days" in in_days.because
    weeks_52 = check.expected_repeat_purchases(lambda p, y: purchases_in_weeks(p, 52 * y))
    assert "52.18 weeks" in weeks_52.because


def test_top_decile_mistakes():
    bottom = check.top_decile_share(
        lambda v: v.sort_values().head(len(v) // 10).sum() / v.sum())
    assert "bottom decile" in bottom.because
    ratio = check.top_decile_share(
        lambda v: v.sort_values(ascending=False).head(len(v) // 10).mean() / v.mean())
    assert "ten times the share" in ratio.because
    assert "share of customers" in check.top_decile_share(lambda v: 0.1).because


@pytest.mark.parametrize(
    "name",
    ["clv_margin_multiple", "sbg_retention_rate", "project_survivors", "next_quarter_retention",
     "repeat_customers_and_purchases", "weekly_discount_rate", "probability_alive",
     "expected_repeat_purchases", "top_decile_share"],
)
def test_checks_never_raise_on_broken_answers(name):
    def broken(*args):
        return args[0]["no such column"]

    for answer in (broken, lambda *args: None, 42):
        result = getattr(check, name)(answer)
        assert result.status == "wrong"
        assert "Traceback" not in str(result)
