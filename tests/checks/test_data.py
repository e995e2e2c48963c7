"""Self-checks of lesson 00 (relmark_lab.checks.data): right answers pass, mistakes are named."""

from __future__ import annotations

import pandas as pd
import pytest

from relmark_lab.checks import data as check

# --- right answers --------------------------------------------------------------


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


RIGHT = [
    (check.count_customers_and_orders, right_counts),
    (check.net_revenue_by_region, right_net_revenue),
    (check.dropped_share_by_reason, right_dropped_share),
    (check.cdnow_repeat_share, right_repeat_share),
    (check.average_order_value, right_order_value),
]


@pytest.mark.parametrize(("check_answer", "answer"), RIGHT)
def test_right_answers_pass(check_answer, answer):
    result = check_answer(answer)
    assert result.passed, str(result)


@pytest.mark.parametrize(("check_answer", "answer"), RIGHT)
def test_stubs_are_unanswered(check_answer, answer):
    def stub(*args):
        raise NotImplementedError()

    assert check_answer(stub).status == "unanswered"


# --- the common mistakes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("check_answer", "mistake", "words"),
    [
        (check.count_customers_and_orders,
         lambda t: (t["customer_id"].nunique(), len(t)), "order lines, not orders"),
        (check.count_customers_and_orders,
         lambda t: (t["customer_id"].nunique(), t["order_id"].nunique()),
         "returns have their own order_id"),
        (check.net_revenue_by_region,
         lambda t, c: t[t["amount"] > 0].merge(c[["customer_id", "region"]], on="customer_id")
         .groupby("region")["amount"].sum(), "returns were left out"),
        (check.dropped_share_by_reason, lambda ledger: pd.Series(ledger.dropped),
         "counts of rows, not shares"),
        (check.dropped_share_by_reason,
         lambda ledger: pd.Series(ledger.dropped) / ledger.rows_kept, "divided by the rows kept"),
        (check.cdnow_repeat_share, lambda cdnow: (cdnow.groupby("customer_id").size() > 1).mean(),
         "same day"),
        (check.cdnow_repeat_share,
         lambda cdnow: (cdnow.groupby("customer_id")["date"].nunique() > 1).sum(),
         "not their share"),
        (check.average_order_value, lambda t: t.loc[t["amount"] > 0, "amount"].mean(),
         "mean order line"),
        (check.average_order_value, lambda t: t.groupby("order_id")["amount"].sum().mean(),
         "return orders"),
    ],
)
def test_common_mistakes_are_named(check_answer, mistake, words):
    result = check_answer(mistake)
    assert not result.passed
    assert words in result.because
