"""One contract across the stages: the same lines give the same window, orders, netting,
ids and customers in identify, differentiate, rfm and clv.

Each edge case is a small table whose right answer is worked out by hand in
the test; the raw export checks the same agreement at scale.
"""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.base import clone

import relmark_lab as rl
from relmark_lab import clv, differentiate, identify, rfm

END = "2025-12-31"
KEYS = ("observation_end", "lines_after_observation_end", "customers_without_purchases")


def _lines(rows, columns=("customer_id", "date", "amount", "order_id")):
    frame = pd.DataFrame(rows, columns=list(columns))
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")
    if "margin" not in frame:
        frame["margin"] = frame["amount"] * 0.3
    return frame


def _stages(transactions, end=END, **options):
    """Every stage's per-customer table of one transactions table."""
    return {
        "status": identify.customer_status(transactions, end, **options),
        "stages": identify.lifecycle_stage(transactions, end, **options),
        "customer_table": identify.customer_table(transactions, end, **options),
        "profitability": differentiate.customer_profitability(transactions, end, **options),
        "loyalty": differentiate.projected_loyalty(transactions, end, time_unit="D", **options),
        "rfm": rfm.rfm_table(transactions, end, bins=2, **options),
        "summary": clv.summarize(transactions, end, time_unit="D", **options),
    }


def _by_customer(table, column):
    return table.set_index("customer_id")[column].to_dict()


def _agree(transactions, end=END, **options):
    """Assert the stages agree on customers, orders, recency, tenure and revenue."""
    tables = _stages(transactions, end, **options)
    buyers = set(tables["rfm"]["customer_id"])
    for name in ("status", "stages", "customer_table", "loyalty", "summary"):
        assert set(tables[name]["customer_id"]) == buyers, name
    assert buyers <= set(tables["profitability"]["customer_id"])
    orders = _by_customer(tables["rfm"], "frequency")
    assert _by_customer(tables["stages"], "orders") == orders
    assert _by_customer(tables["customer_table"], "orders") == orders
    profit_orders = _by_customer(tables["profitability"], "orders")
    assert {c: profit_orders[c] for c in buyers} == orders
    recency = _by_customer(tables["rfm"], "recency_days")
    assert _by_customer(tables["status"], "days_since_last_purchase") == recency
    tenure = _by_customer(tables["stages"], "tenure_days")
    assert {c: float(t) for c, t in tenure.items()} == _by_customer(tables["loyalty"], "T")
    assert {c: float(t) for c, t in tenure.items()} == _by_customer(tables["summary"], "T")
    revenue = _by_customer(tables["rfm"], "revenue")
    assert _by_customer(tables["customer_table"], "revenue") == pytest.approx(revenue)
    profit_revenue = _by_customer(tables["profitability"], "revenue")
    assert {c: profit_revenue[c] for c in buyers} == pytest.approx(revenue)
    for name, table in tables.items():
        assert table["customer_id"].dtype == "str", name
        for key in KEYS:
            assert key in table.attrs, (name, key)
    ends = {name: t.attrs["observation_end"] for name, t in tables.items()}
    assert set(ends.values()) == {pd.Timestamp(pd.Timestamp(end).date())}
    return tables


# ---------------------------------------------------------------- the window


def test_the_whole_end_day_counts_and_later_lines_are_counted_everywhere():
    tx = _lines([
        ("a", "2025-06-01 10:00", 100.0, "1"),
        ("a", "2025-12-31 23:59", 50.0, "2"),
        ("b", "2025-11-30 09:00", 80.0, "3"),
        ("b", "2026-01-01 00:01", 70.0, "4"),
    ])
    for end in ("2025-12-31", "2025-12-31 08:00", pd.Timestamp("2025-12-31 18:00")):
        tables = _agree(tx, end)
        for name, table in tables.items():
            assert table.attrs["lines_after_observation_end"] == 1, name
        assert _by_customer(tables["rfm"], "recency_days") == {"a": 0, "b": 31}
    _, ledger = rl.read_transactions(tx, observation_end="2025-12-31 08:00")
    assert ledger.dropped == {"after observation end": 1}


def test_no_stage_guesses_the_end():
    tx = _lines([("a", "2025-06-01", 100.0, "1")]).assign(quantity=1, days_late=0)
    calls = [
        lambda: identify.customer_status(tx, None),
        lambda: differentiate.vip_components(tx, None),
        lambda: differentiate.customer_profitability(tx, None),
        lambda: rfm.rfm_table(tx, None),
        lambda: clv.summarize(tx, None),
        lambda: clv.cohort_retention_table(tx, None),
    ]
    for call in calls:
        with pytest.raises(rl.DataError, match="observation_end is required"):
            call()


def test_an_aware_end_never_raises_a_type_error():
    tx = _lines([("a", "2025-06-01", 100.0, "1"), ("a", "2025-12-31 22:00", 10.0, "2")])
    end = pd.Timestamp("2025-12-31 20:00", tz="America/Mexico_City")
    tables = _agree(tx, end)
    assert _by_customer(tables["rfm"], "recency_days") == {"a": 0}


def test_aware_stamps_keep_the_business_day_in_every_stage():
    local = pd.to_datetime(["2025-06-01 12:00", "2025-12-31 23:30"]).tz_localize(
        "America/Mexico_City")
    tx = pd.DataFrame({"customer_id": ["a", "a"], "date": local, "amount": [100.0, 40.0],
                       "order_id": ["1", "2"], "margin": [30.0, 12.0]})
    # The business day is the local day: 23:30 on 31 December stays in the window.
    tables = _agree(tx)
    assert _by_customer(tables["rfm"], "recency_days") == {"a": 0}
    read, ledger = rl.read_transactions(tx, observation_end=END)
    assert ledger.rows_kept == 2 and read["date"].iloc[1] == pd.Timestamp("2025-12-31 23:30")
    # Converted to UTC, the same purchase falls on 1 January: after the end, in every stage.
    tables = _agree(tx, timezone="UTC")
    assert tables["rfm"].attrs["lines_after_observation_end"] == 1
    assert tables["summary"].attrs["lines_after_observation_end"] == 1
    _, ledger = rl.read_transactions(tx, observation_end=END, timezone="UTC")
    assert ledger.dropped == {"after observation end": 1}


# ---------------------------------------------------------------- orders


@pytest.mark.parametrize("order_ids", ["blank", "missing column"])
def test_lines_without_order_id_make_one_order_per_customer_day(order_ids):
    tx = _lines([
        ("a", "2025-03-01 10:00", 20.0, ""),
        ("a", "2025-03-01 10:00", 30.0, ""),
        ("a", "2025-03-01 17:00", 10.0, None),
        ("a", "2025-04-01 10:00", 15.0, ""),
    ])
    if order_ids == "missing column":
        tx = tx.drop(columns="order_id")
    tables = _agree(tx)
    assert _by_customer(tables["rfm"], "frequency") == {"a": 2}
    assert _by_customer(tables["summary"], "frequency") == {"a": 1}


def test_every_table_read_transactions_returns_is_accepted():
    raw = pd.DataFrame({"Cliente": ["7", "7", "8"], "Fecha": ["2025-01-05", "2025-02-05",
                                                            "2025-03-01"],
                        "Importe": ["10", "20", "30"], "Margen": ["3", "6", "9"],
                        "Pedido": ["P1", "", "P3"]})
    tx, _ = rl.read_transactions(raw, columns={"customer_id": "Cliente", "date": "Fecha",
                                               "amount": "Importe", "margin": "Margen",
                                               "order_id": "Pedido"})
    tables = _agree(tx)
    assert _by_customer(tables["rfm"], "frequency") == {"7": 2, "8": 1}


# ---------------------------------------------------------------- netting


def test_an_order_cancelled_the_same_day_is_no_purchase_anywhere():
    tx = _lines([
        ("a", "2025-03-01 10:00", 100.0, "1"),
        ("a", "2025-05-01 10:00", 168_000.0, "2"),
        ("a", "2025-05-01 10:20", -168_000.0, "C2"),
        ("b", "2025-04-01 12:00", 60.0, "3"),
    ])
    tables = _agree(tx)
    assert _by_customer(tables["rfm"], "frequency") == {"a": 1, "b": 1}
    assert _by_customer(tables["summary"], "frequency") == {"a": 0, "b": 0}
    assert _by_customer(tables["rfm"], "revenue") == {"a": 100.0, "b": 60.0}
    assert _by_customer(tables["status"], "last_purchase") == {
        "a": pd.Timestamp("2025-03-01"), "b": pd.Timestamp("2025-04-01")}


def test_a_whole_order_returned_later_under_its_own_id_is_no_purchase():
    tx = _lines([
        ("a", "2025-03-01 10:00", 100.0, "1"),
        ("a", "2025-05-01 10:00", 80.0, "2"),
        ("a", "2025-05-01 10:00", 20.0, "2"),
        ("a", "2025-05-20 12:00", -100.0, "2"),
    ])
    tables = _agree(tx)
    assert _by_customer(tables["rfm"], "frequency") == {"a": 1}
    assert _by_customer(tables["rfm"], "recency_days") == {"a": 305}


def test_a_later_return_without_the_order_id_lowers_revenue_not_visits():
    tx = _lines([
        ("a", "2025-03-01 10:00", 100.0, "1"),
        ("a", "2025-05-01 10:00", 80.0, "2"),
        ("a", "2025-05-20 12:00", -80.0, "R1"),
    ])
    tables = _agree(tx)
    assert _by_customer(tables["rfm"], "frequency") == {"a": 2}
    assert _by_customer(tables["rfm"], "revenue") == {"a": 100.0}
    assert _by_customer(tables["summary"], "monetary_value") == {"a": 80.0}


@pytest.mark.parametrize("order_ids", [["1", "R1", "2"], None])
def test_a_larger_return_on_a_purchase_day_leaves_it_standing_with_or_without_ids(order_ids):
    tx = _lines([("e", "2024-05-01", 100.0, "x"), ("e", "2024-07-01 10:00", -40.0, "x"),
                 ("e", "2024-07-01 10:05", 10.0, "x")])
    tx = tx.drop(columns="order_id") if order_ids is None else tx.assign(order_id=order_ids)
    tables = _agree(tx, "2024-12-31")
    assert _by_customer(tables["status"], "last_purchase") == {"e": pd.Timestamp("2024-07-01")}
    assert _by_customer(tables["rfm"], "frequency") == {"e": 2}


def test_a_customer_with_only_returns_is_counted_never_lost():
    tx = _lines([
        ("a", "2025-03-01 10:00", 100.0, "1"),
        ("z", "2025-04-01 10:00", -50.0, "R9"),
    ])
    tables = _agree(tx)
    for name, table in tables.items():
        assert table.attrs["customers_without_purchases"] == 1, name
    profit = tables["profitability"].set_index("customer_id")
    assert profit.loc["z", "orders"] == 0 and profit.loc["z", "return_lines"] == 1


# ---------------------------------------------------------------- ids, units, estimators


def test_ids_are_text_and_results_merge():
    tx = _lines([(7, "2025-03-01", 10.0, "1"), (7, "2025-04-01", 20.0, "2"),
                 (42, "2025-05-01", 30.0, "3")])
    tables = _agree(tx)
    merged = tables["rfm"].merge(tables["summary"], on="customer_id").merge(
        tables["status"], on="customer_id").merge(tables["profitability"], on="customer_id")
    assert merged["customer_id"].tolist() == ["42", "7"]


def test_models_remember_their_unit_and_value_in_it():
    data = clv.summarize(rl.datasets.load_cdnow(), "1997-09-30", time_unit="W")
    purchases = clv.BetaGeoNBD().fit(data)
    spend = clv.GammaGamma().fit(data)
    assert purchases.time_unit_ == "W"
    merged = data.merge(data[["customer_id"]], on="customer_id")  # a merge drops attrs
    weekly = clv.customer_lifetime_value(purchases, spend, merged, horizon=52,
                                         discount_rate=0.1)
    with pytest.raises(rl.DataError, match="fitted in time_unit='W'"):
        clv.customer_lifetime_value(purchases, spend, merged, horizon=12, time_unit="M",
                                    discount_rate=0.1)
    assert weekly.notna().all()
    for bad in (float("inf"), float("nan")):
        with pytest.raises(rl.DataError):
            clv.customer_lifetime_value(purchases, spend, merged, horizon=bad,
                                        discount_rate=0.1)
        with pytest.raises(rl.DataError):
            clv.customer_lifetime_value(purchases, spend, merged, horizon=52,
                                        discount_rate=bad)


@pytest.mark.parametrize("model", [clv.BetaGeoNBD, clv.ParetoNBD, clv.GammaGamma,
                                   clv.BetaGeoBetaBinomial, clv.ShiftedBetaGeometric])
def test_clv_estimators_follow_scikit_learn(model):
    estimator = model(max_iter=500)
    copy = clone(estimator)
    assert copy.get_params() == estimator.get_params()
    assert copy.set_params(max_iter=10).max_iter == 10
    assert repr(estimator) == f"{model.__name__}(max_iter=500)"


def test_one_units_module_for_durations_and_calendar_periods():
    from relmark_lab import units

    assert units.days_per_unit("M") == 365.25 / 12
    tx = _lines([("a", "2025-01-31", 10.0, "1"), ("a", "2025-02-01", 10.0, "2")])
    summary = clv.summarize(tx, "2025-02-28", time_unit="M")
    assert summary["recency"].iloc[0] == pytest.approx(1 / units.days_per_unit("M"))
    cohorts = clv.cohort_retention_table(tx, "2025-02-28", period="M")
    assert cohorts["periods_since_acquisition"].tolist() == [0, 1]  # calendar months
    with pytest.raises(rl.DataError, match="time_unit must be one of"):
        clv.summarize(tx, "2025-02-28", time_unit="months")


# ---------------------------------------------------------------- at scale


def test_the_stages_agree_on_the_raw_export():
    transactions, _ = rl.datasets.load_raw_export()
    end = rl.datasets.load_truth()["observation_end"]
    tables = _agree(transactions, end)
    assert len(tables["rfm"]) > 4000
