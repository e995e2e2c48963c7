"""The self-checks of lesson 02 accept right answers, name known mistakes and never raise."""

import numpy as np

from relmark_lab.checks import differentiate as check


def test_checks_accept_right_answers_and_name_mistakes():
    def nps_right(survey):
        r = survey["recommend"]
        return 100 * ((r >= 9).mean() - (r <= 6).mean())

    def nps_passives(survey):
        r = survey["recommend"]
        return 100 * ((r >= 7).mean() - (r <= 6).mean())

    assert check.net_promoter_score(nps_right).passed
    assert "passives" in str(check.net_promoter_score(nps_passives))
    assert "number of value-destroying" in str(
        check.value_destroying_share(lambda p: int((p["profit"] < 0).sum())))
    assert "cost per contact eats" in str(check.best_channel(lambda v, c: "face to face"))


def _purchase_orders(transactions):
    purchases = transactions[transactions["amount"] > 0]
    return purchases.groupby("customer_id")["order_id"].nunique()


def test_frequency_zscore_accepts_the_order_count_and_names_mistakes():
    def z_right(transactions):
        orders = _purchase_orders(transactions)
        return (orders - orders.mean()) / orders.std(ddof=0)

    def z_sample(transactions):
        orders = _purchase_orders(transactions)
        return (orders - orders.mean()) / orders.std()

    def z_with_returns(transactions):
        orders = transactions.groupby("customer_id")["order_id"].nunique()
        return (orders - orders.mean()) / orders.std(ddof=0)

    def z_lines(transactions):
        lines = transactions[transactions["amount"] > 0].groupby("customer_id").size()
        return (lines - lines.mean()) / lines.std(ddof=0)

    assert check.frequency_zscore(z_right).passed
    assert "ddof=0" in str(check.frequency_zscore(z_sample))
    assert "returns have their own order_id" in str(check.frequency_zscore(z_with_returns))
    assert "order lines, not orders" in str(check.frequency_zscore(z_lines))


def test_checks_never_raise_on_broken_answers():
    for func in (check.net_promoter_score, check.value_destroying_share, check.quadrant_counts,
                 check.frequency_zscore):
        result = func(lambda *args: args[0]["no such column"])
        assert result.status == "wrong" and "KeyError" in str(result)
    assert check.wallet_left_on_table(lambda s, p: None).status == "wrong"
    assert check.best_channel(lambda v, c: np.nan).status == "wrong"
