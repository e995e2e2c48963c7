"""Odd but valid tables in differentiate, and a sweep of identify and differentiate over them.

The sweep runs every public function of both stages that reads order lines, and
every function that reads their tables, on a handful of odd tables: each must
return a table or raise ``DataError`` with a sentence, never another exception.
"""

import inspect

import numpy as np
import pandas as pd
import pytest

from relmark_lab import DataError, identify
from relmark_lab import differentiate as dif

END = "2025-12-31"
READS_LINES = {
    "profitability": dif.customer_profitability,
    "vip": dif.vip_components,
    "loyalty": dif.projected_loyalty,
    "spend": dif.annual_spend,
}


@pytest.mark.parametrize("method", ["percentile", "zscore"])
def test_vip_components_of_lines_without_a_purchase_are_an_empty_table(method, make_lines):
    returns = make_lines([("z", "R1", "2025-04-01", -50.0, -15.0, -1, 0),
                          ("y", "R2", "2025-05-01", -20.0, -5.0, -1, 0)])
    bought = make_lines([("a", "1", "2025-04-01", 50.0, 15.0, 1, 0)])
    empty = dif.vip_components(returns, END, method=method)
    usual = dif.vip_components(bought, END, method=method)
    assert len(empty) == 0
    assert list(empty.columns) == list(usual.columns)
    assert empty.attrs["customers_without_purchases"] == 2
    scored = dif.vip_score(empty)
    assert dif.assign_tiers(scored, "vip_score")["tier"].tolist() == []


def test_one_buyer_beside_a_returns_only_customer_sits_mid_scale(make_lines):
    lines = make_lines([("a", "1", "2025-04-01", 50.0, 15.0, 2, 3),
                        ("z", "R1", "2025-05-01", -20.0, -5.0, -1, 0)])
    components = dif.vip_components(lines, END)
    assert components["customer_id"].tolist() == ["a"]
    pct = components.filter(like="pct_")
    assert pct.to_numpy().tolist() == [[0.0] * 5]


def test_zero_amount_lines_are_free_visits_in_every_reader(make_lines):
    lines = make_lines([("a", "1", "2025-06-01", 0.0, 0.0, 1, 0),
                        ("a", "2", "2025-09-01", 0.0, 0.0, 1, 0),
                        ("b", "3", "2025-03-01", 90.0, 30.0, 1, 0)])
    vip = dif.vip_components(lines, END).set_index("customer_id")
    assert vip.loc["a", ["orders", "monetary", "tenure_days"]].tolist() == [2, 0.0, 213]
    loyalty = dif.projected_loyalty(lines, END, time_unit="D").set_index("customer_id")
    assert loyalty.loc["a", ["frequency", "recency", "T"]].tolist() == [1, 92.0, 213.0]
    spend = dif.annual_spend(lines, END).set_index("customer_id")
    assert spend.loc["a", "spend_per_year"] == 0.0
    cost = dif.CostToServe(per_order=25.0)
    profit = dif.customer_profitability(lines, END, cost=cost).set_index("customer_id")
    assert profit.loc["a", ["orders", "cost_orders", "profit"]].tolist() == [2, 50.0, -50.0]
    for table in (vip, loyalty, spend, profit):
        assert table.attrs["customers_without_purchases"] == 0


def test_a_customer_seen_only_after_the_end_is_nobody_yet(make_lines):
    lines = make_lines([("a", "1", "2025-06-01", 50.0, 15.0, 1, 0),
                        ("n", "2", "2026-01-03", 70.0, 20.0, 1, 0)])
    for name, function in READS_LINES.items():
        table = function(lines, END)
        assert table["customer_id"].tolist() == ["a"], name
        assert table.attrs["lines_after_observation_end"] == 1, name
        assert table.attrs["customers_without_purchases"] == 0, name
    # The master keeps them: a row of zeros, counted as a customer without lines.
    master = pd.DataFrame({"customer_id": ["a", "n"]})
    profit = dif.customer_profitability(lines, END, customers=master).set_index("customer_id")
    assert profit.loc["n", ["orders", "revenue", "profit"]].tolist() == [0, 0.0, 0.0]
    assert profit.attrs["customers_without_lines"] == 1


@pytest.mark.parametrize("name", READS_LINES)
def test_aware_dates_read_as_the_clock_time_they_show(name, make_lines):
    naive = make_lines([("a", "1", "2025-06-01 12:00", 100.0, 30.0, 1, 0),
                        ("a", "2", "2025-12-31 23:30", 40.0, 12.0, 1, 2),
                        ("b", "3", "2025-03-01 08:00", 60.0, 20.0, 2, 0)])
    aware = naive.assign(date=naive["date"].dt.tz_localize("America/Mexico_City"))
    pd.testing.assert_frame_equal(READS_LINES[name](aware, END), READS_LINES[name](naive, END))
    # Converted to UTC the 23:30 purchase is on 1 January, after the end.
    in_utc = READS_LINES[name](aware, END, timezone="UTC")
    assert in_utc.attrs["lines_after_observation_end"] == 1
    assert in_utc["customer_id"].tolist() == ["a", "b"]


def test_contact_plan_refuses_a_tier_table_without_rows():
    tiers = pd.DataFrame({"tier": pd.Series([], dtype="str"), "customers": [],
                          "value_per_customer": []})
    with pytest.raises(DataError, match=r"tier table: the table has no rows; give one row "
                                        r"per tier"):
        dif.contact_plan(tiers, 1000.0)


# -- the sweep ---------------------------------------------------------------------------

def _odd(rows, timezone=None):
    """Order lines from (customer, order, date, amount) with the columns every stage reads."""
    frame = pd.DataFrame(rows, columns=["customer_id", "order_id", "date", "amount"])
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")
    if timezone:
        frame["date"] = frame["date"].dt.tz_localize(timezone)
    frame["margin"] = frame["amount"] * 0.3
    frame["quantity"] = np.sign(frame["amount"]).astype("int64")
    frame["days_late"] = 0
    frame["email"] = frame["customer_id"] + "@example.mx"
    frame["phone"] = ""
    frame["name"] = "Cliente " + frame["customer_id"]
    return frame


_ONE_CUSTOMER = [("A", "1", "2025-01-05", 120.0), ("A", "2", "2025-06-01", 80.0),
                 ("A", "3", "2025-12-31 23:30", 40.0)]
ODD_TABLES = {
    "one customer": _odd(_ONE_CUSTOMER),
    "one line": _odd([("A", "1", "2025-06-01", 50.0)]),
    "all returns": _odd([("A", "R1", "2025-06-01", -50.0), ("B", None, "2025-07-01", -20.0)]),
    "zero amounts": _odd([("A", "1", "2025-06-01", 0.0), ("B", None, "2025-07-01", 0.0)]),
    "cancelled the same day": _odd([("A", None, "2025-06-01 10:00", 50.0),
                                    ("A", None, "2025-06-01 12:00", -50.0)]),
    "lines only after the end": _odd([("A", "1", "2025-06-01", 50.0),
                                      ("N", "2", "2026-01-03", 70.0)]),
    "every line after the end": _odd([("N", "2", "2026-01-03", 70.0)]),
    "numeric-looking ids": _odd([("007", "1", "2025-06-01", 50.0), ("7", "2", "2025-07-01", 20.0),
                                 ("7", "3", "2025-08-01", 30.0)]),
    "aware dates": _odd(_ONE_CUSTOMER + [("B", "4", "2025-03-01", 60.0)],
                        timezone="America/Mexico_City"),
}


def _others(lines):
    """Leads, survey, contacts and master naming the table's first customer and a stranger."""
    first = str(lines["customer_id"].iloc[0])
    ids = list(dict.fromkeys(lines["customer_id"].astype(str)))
    return {
        "leads": pd.DataFrame({"lead_id": [first, "L1"],
                               "created_date": ["2025-01-01", "2025-02-01"]}),
        "survey": pd.DataFrame({"customer_id": [first, "S1"], "recommend": [9, 3],
                                "satisfaction": [5, 1], "survey_date": ["2025-05-01"] * 2}),
        "contacts": pd.DataFrame({"customer_id": [first, "S1"],
                                  "date": ["2025-05-01", "2025-05-02"],
                                  "channel": ["e-mail", "letter"],
                                  "contact_type": ["complaint", "complaint"],
                                  "resolved": [False, True]}),
        "customers": pd.DataFrame({"customer_id": [*ids, "M1"], "region": "Norte",
                                   "acquisition_cost": 2.0}),
    }


#: Prices low enough that a buyer can make a profit, so the whale curve is drawn too.
CHEAP_TO_SERVE = dif.CostToServe(per_order=1.0, per_return=1.0, per_contact=1.0,
                                 per_late_order=1.0, include_acquisition=True)

#: Every public function of identify and differentiate that reads order lines.
LINE_READERS = {
    "customer_status": lambda tx, o: identify.customer_status(tx, END, leads=o["leads"]),
    "lifecycle_stage": lambda tx, o: identify.lifecycle_stage(
        tx, END, leads=o["leads"], survey=o["survey"]),
    "customer_table": lambda tx, o: identify.customer_table(
        tx, END, customers=o["customers"], leads=o["leads"], survey=o["survey"],
        contacts=o["contacts"]),
    "complainer_retention": lambda tx, o: identify.complainer_retention(o["contacts"], tx, END),
    "resolve_identities": lambda tx, o: identify.resolve_identities(tx),
    "apply_identity_map": lambda tx, o: identify.apply_identity_map(
        tx, identify.resolve_identities(tx)),
    "customer_profitability": lambda tx, o: dif.customer_profitability(
        tx, END, customers=o["customers"], contacts=o["contacts"],
        cost=CHEAP_TO_SERVE),
    "vip_components": lambda tx, o: dif.vip_components(tx, END),
    "vip_components_zscore": lambda tx, o: dif.vip_components(tx, END, method="zscore"),
    "projected_loyalty": lambda tx, o: dif.projected_loyalty(tx, END),
    "projected_loyalty_frequency": lambda tx, o: dif.projected_loyalty(tx, END,
                                                                       method="frequency"),
    "annual_spend": lambda tx, o: dif.annual_spend(tx, END),
    "annual_spend_window": lambda tx, o: dif.annual_spend(tx, END, window_days=90),
}


def _segments(r):
    """Tiers of profit summed per tier, with the columns the planning functions read."""
    summary = dif.value_by_segment(r["tiers"], "tier", ["profit"])
    return summary.assign(value_per_customer=summary["profit_mean"].fillna(0.0),
                          margin_per_customer=summary["profit_mean"].fillna(0.0))


def _survey_of(r):
    ids = r["annual_spend"]["customer_id"]
    return pd.DataFrame({"customer_id": ids, "satisfaction": np.arange(len(ids)) % 5 + 1,
                         "share_of_wallet": 0.4})


#: Every function that reads their tables: name -> (what it needs, how it is called).
DOWNSTREAM = {
    "status_counts": (["customer_status"], lambda r: identify.status_counts(
        r["customer_status"])),
    "stage_funnel": (["lifecycle_stage"], lambda r: identify.stage_funnel(r["lifecycle_stage"])),
    "merge_report": (["resolve_identities"], lambda r: identify.merge_report(
        r["resolve_identities"])),
    "score_resolution": (["apply_identity_map"], lambda r: identify.score_resolution(
        r["resolve_identities"], r["apply_identity_map"])),
    "vip_score": (["vip_components"], lambda r: dif.vip_score(r["vip_components"])),
    "assign_tiers": (["customer_profitability"], lambda r: dif.assign_tiers(
        r["customer_profitability"], "profit", below=0.0)),
    "tier_overlap": (["tiers"], lambda r: dif.tier_overlap(r["tiers"], r["tiers"])),
    "whale_curve": (["customer_profitability"], lambda r: dif.whale_curve(
        r["customer_profitability"])),
    "whale_summary": (["customer_profitability"], lambda r: dif.whale_summary(
        r["customer_profitability"])),
    "profit_groups": (["customer_profitability"], lambda r: dif.profit_groups(
        r["customer_profitability"])),
    "reinartz_kumar": (["customer_profitability", "projected_loyalty"],
                       lambda r: dif.reinartz_kumar(r["customer_profitability"].merge(
                           r["projected_loyalty"], on="customer_id"))),
    "satisfaction_loyalty": (["projected_loyalty"], lambda r: dif.satisfaction_loyalty(
        r["projected_loyalty"].assign(satisfaction=3))),
    "value_by_segment": (["tiers"], lambda r: dif.value_by_segment(r["tiers"], "tier")),
    "spend_by_score": (["annual_spend"], lambda r: dif.spend_by_score(
        _survey_of(r), r["annual_spend"])),
    "score_spend_correlation": (["annual_spend"], lambda r: dif.score_spend_correlation(
        _survey_of(r), r["annual_spend"])),
    "wallet_left_on_table": (["annual_spend"], lambda r: dif.wallet_left_on_table(
        _survey_of(r), r["annual_spend"])),
    "wallet_by_segment": (["annual_spend", "tiers"], lambda r: dif.wallet_by_segment(
        dif.wallet_left_on_table(_survey_of(r), r["annual_spend"]), r["tiers"], "tier")),
    "contact_plan": (["tiers"], lambda r: dif.contact_plan(_segments(r), 5000.0)),
    "relationship_levels": (["tiers"], lambda r: dif.relationship_levels(_segments(r))),
}

#: Public functions that read neither order lines nor the tables made from them.
NEITHER = {"normalize_email", "normalize_name", "normalize_phone", "contacts_by_channel",
           "complaint_resolution", "net_promoter_score", "nps_difference", "key_drivers",
           "shapley_r2", "importance_performance", "rating_gain"}


def _public_functions():
    for package in (identify, dif):
        for name in package.__all__:
            thing = getattr(package, name)
            if inspect.isfunction(thing):
                yield name, thing


def test_the_sweep_covers_every_public_function():
    functions = dict(_public_functions())
    reads_lines = {name for name, f in functions.items()
                   if {"transactions", "records"} & set(inspect.signature(f).parameters)}
    assert reads_lines <= set(LINE_READERS), "add them to LINE_READERS"
    assert set(functions) <= set(LINE_READERS) | set(DOWNSTREAM) | NEITHER


def _table_or_data_error(call, results, name, broken):
    """Run ``call``; keep a table in ``results``; note anything but a DataError in ``broken``."""
    try:
        out = call()
    except DataError as error:
        message = str(error).strip()
        if len(message.split()) < 5 or not message.endswith("."):
            broken.append(f"{name}: DataError without a sentence: {message!r}")
        return
    except Exception as error:  # the sweep exists to find these
        broken.append(f"{name}: {type(error).__name__}: {error}")
        return
    if not isinstance(out, (pd.DataFrame, pd.Series)):
        broken.append(f"{name}: returned a {type(out).__name__}, not a table")
    elif isinstance(out, pd.DataFrame) and "customer_id" in out.columns \
            and out["customer_id"].dtype != "str":
        broken.append(f"{name}: customer_id is {out['customer_id'].dtype}, not text")
    results[name] = out


@pytest.mark.parametrize("table", ODD_TABLES)
def test_every_function_returns_a_table_or_a_data_error(table):
    lines = ODD_TABLES[table]
    others = _others(lines)
    results, broken = {}, []
    for name, call in LINE_READERS.items():
        _table_or_data_error(lambda call=call: call(lines.copy(), others), results, name,
                             broken)
    # The functions that need the tiers run once assign_tiers has made them.
    for after_tiers in (False, True):
        if after_tiers and "assign_tiers" in results:
            results["tiers"] = results["assign_tiers"]
        for name, (needs, call) in DOWNSTREAM.items():
            if ("tiers" in needs) == after_tiers and set(needs) <= results.keys():
                _table_or_data_error(lambda call=call: call(results), results, name, broken)
    assert not broken, "\n".join(broken)
    assert LINE_READERS.keys() & results.keys(), "no function returned a table"
