"""Self-checks of lesson 03: right answers pass, common mistakes are named."""

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from relmark_lab.checks import rfm as check


def _stub(*args):
    raise NotImplementedError()


# --- right answers --------------------------------------------------------------


def right_orders(transactions):
    purchases = transactions[transactions["amount"] > 0]
    return purchases.groupby("customer_id")["order_id"].nunique()


def right_recency(transactions, observation_end):
    purchases = transactions[transactions["amount"] > 0]
    return (observation_end - purchases.groupby("customer_id")["date"].max()
            .dt.normalize()).dt.days


def right_r_score(rfm):
    rank = (-rfm["recency_days"]).rank(method="first")
    return 1 + (5 * (rank - 1) // len(rfm)).astype(int)


def right_segments(scores):
    conditions = [(scores["r_score"] >= 4) & (scores["f_score"] >= 4),
                  scores["r_score"] >= 4, scores["r_score"] <= 2]
    names = np.select(conditions, ["Champions", "Recent", "Lapsed"], default="Others")
    return pd.Series(names, index=scores.index)


def right_profit(cells, cost, profit):
    chosen = cells[cells["test_responses"] / cells["test_contacts"] >= cost / profit]
    return (chosen["rollout_responses"] * profit - chosen["rollout_contacts"] * cost).sum()


def right_silhouettes(rfm):
    features = StandardScaler().fit_transform(np.log1p(rfm))
    return pd.Series({
        k: silhouette_score(features, KMeans(n_clusters=k, random_state=0, n_init=10)
                            .fit_predict(features))
        for k in range(2, 6)
    })


RIGHT = [
    (check.orders_per_customer, right_orders),
    (check.recency_in_days, right_recency),
    (check.r_score, right_r_score),
    (check.three_segments, right_segments),
    (check.rollout_profit, right_profit),
    (check.silhouette_by_k, right_silhouettes),
]


@pytest.mark.parametrize(("run", "answer"), RIGHT, ids=lambda v: getattr(v, "__name__", ""))
def test_right_answers_pass(run, answer):
    result = run(answer)
    assert result.passed, str(result)


@pytest.mark.parametrize("run", [run for run, _ in RIGHT], ids=lambda v: v.__name__)
def test_stubs_are_unanswered_with_a_hint(run):
    result = run(_stub)
    assert result.status == "unanswered" and result.hint


# --- the mistakes the checks name -------------------------------------------------


def test_counting_lines_is_named():
    result = check.orders_per_customer(lambda t: t.groupby("customer_id").size())
    assert "order lines" in result.because


def test_returns_counted_as_orders_are_named():
    result = check.orders_per_customer(lambda t: t.groupby("customer_id")["order_id"].nunique())
    assert result.status == "wrong" and "own order_id" in result.because


def test_recency_from_the_last_line_of_any_kind_is_named():
    def last_line(transactions, observation_end):
        return (observation_end - transactions.groupby("customer_id")["date"].max()
                .dt.normalize()).dt.days

    result = check.recency_in_days(last_line)
    assert result.status == "wrong" and "a return is not a purchase" in result.because


def test_recency_with_the_time_of_day_is_named():
    def with_time(transactions, observation_end):
        purchases = transactions[transactions["amount"] > 0]
        return (observation_end - purchases.groupby("customer_id")["date"].max()).dt.days

    assert "time of day" in check.recency_in_days(with_time).because


def test_the_last_rule_winning_is_named():
    def last_wins(scores):
        names = pd.Series("Others", index=scores.index)
        names[scores["r_score"] <= 2] = "Lapsed"
        names[(scores["r_score"] >= 4) & (scores["f_score"] >= 4)] = "Champions"
        names[scores["r_score"] >= 4] = "Recent"
        return names

    assert "first one that matches" in check.three_segments(last_wins).because


def test_an_upside_down_break_even_is_named():
    def upside_down(cells, cost, profit):
        chosen = cells[cells["test_responses"] / cells["test_contacts"] >= profit / cost]
        return (chosen["rollout_responses"] * profit - chosen["rollout_contacts"] * cost).sum()

    assert "upside down" in check.rollout_profit(upside_down).because


def test_campaign_cells_are_the_r_f_cells():
    from relmark_lab.datasets.practice import campaign_cells

    cells = campaign_cells()
    assert cells.index.names == ["r_score", "f_score"]
    assert cells["test_contacts"].sum() + cells["rollout_contacts"].sum() == 5000
