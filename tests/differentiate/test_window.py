"""The kit's one contract in differentiate: the window, time zones, ids, buyers and tenure."""

import pandas as pd
import pytest

from relmark_lab import DataError
from relmark_lab import differentiate as dif

KEYS = ("observation_end", "lines_after_observation_end", "customers_without_purchases")

READERS = {
    "profitability": dif.customer_profitability,
    "vip": dif.vip_components,
    "loyalty": dif.projected_loyalty,
    "spend": dif.annual_spend,
}


def _around_the_year_end(make_lines):
    """a bought on the last observed day, b before and after it, c only after it."""
    return make_lines([("a", "1", "2025-01-01", 10.0, 1.0, 1, 0),
                       ("a", "2", "2025-12-31 23:59", 10.0, 1.0, 1, 0),
                       ("b", "3", "2025-06-01", 10.0, 1.0, 1, 0),
                       ("b", "4", "2026-01-10", 10.0, 1.0, 1, 0),
                       ("c", "5", "2026-01-10", 10.0, 1.0, 1, 0)])


@pytest.mark.parametrize("name", READERS)
def test_observation_end_is_required(name, small):
    with pytest.raises(DataError, match="observation_end is required"):
        READERS[name](small, None)


@pytest.mark.parametrize("name", READERS)
@pytest.mark.parametrize("end", ["2025-12-31", "2025-12-31 08:00",
                                 pd.Timestamp("2025-12-31 20:00", tz="America/Mexico_City")])
def test_lines_after_the_end_are_left_out_and_counted(name, end, make_lines):
    table = READERS[name](_around_the_year_end(make_lines), end)
    assert table["customer_id"].tolist() == ["a", "b"]
    assert table["customer_id"].dtype == "str"
    for key in KEYS:
        assert key in table.attrs, key
    assert table.attrs["lines_after_observation_end"] == 2
    assert table.attrs["observation_end"] == pd.Timestamp("2025-12-31")
    assert table.attrs["customers_without_purchases"] == 0


def test_the_whole_end_day_counts_so_loyalty_is_at_most_one(make_lines):
    lines = _around_the_year_end(make_lines)
    loyalty = dif.projected_loyalty(lines, "2025-12-31", time_unit="D").set_index(
        "customer_id")
    # a bought again on the last observed day: recency = T = 364 whole days, loyalty exactly 1
    assert loyalty.loc["a", "recency"] == 364.0 and loyalty.loc["a", "T"] == 364.0
    assert loyalty.loc["a", "projected_loyalty"] == 1.0
    assert loyalty.loc["b", "frequency"] == 0 and loyalty.loc["b", "T"] == 213.0
    spend = dif.annual_spend(lines, "2025-12-31").set_index("customer_id")
    assert spend.loc["b", "spend_per_year"] == pytest.approx(10 / 213 * 365.25)  # no 2026 line
    assert spend.loc["a", "spend_per_year"] == pytest.approx(20 / 364 * 365.25)
    components = dif.vip_components(lines, "2025-12-31").set_index("customer_id")
    assert components["tenure_days"].to_dict() == {"a": 364, "b": 213}
    assert components.loc["b", "orders"] == 1 and components.loc["b", "monetary"] == 10.0
    # b first bought on the end itself: T = 0, no repeat evidence yet, loyalty 0 (no error)
    first_day = dif.projected_loyalty(lines, "2025-06-01", time_unit="D")
    assert first_day.set_index("customer_id").loc["b", ["T", "projected_loyalty"]].tolist() \
        == [0.0, 0.0]


def test_tenure_is_whole_days_from_the_first_purchase_to_the_end(make_lines):
    # The end is never guessed: the old default (the day after the last line) made tenure
    # one day longer than identify, rfm and clv count it.
    lines = make_lines([("a", "1", "2025-03-01 09:00", 50.0, 5.0, 1, 0),
                        ("a", "R1", "2025-02-20 09:00", -20.0, -2.0, -1, 0),  # a return first
                        ("a", "2", "2025-12-30 22:00", 50.0, 5.0, 1, 0)])
    days = (pd.Timestamp("2025-12-31") - pd.Timestamp("2025-03-01")).days
    loyalty = dif.projected_loyalty(lines, "2025-12-31", time_unit="D")
    assert loyalty["T"].tolist() == [float(days)]
    assert loyalty["recency"].tolist() == [float(days - 1)]
    weekly = dif.projected_loyalty(lines, "2025-12-31", time_unit="W")
    assert weekly["T"].tolist() == pytest.approx([days / 7])
    assert dif.vip_components(lines, "2025-12-31")["tenure_days"].tolist() == [days]
    assert dif.annual_spend(lines, "2025-12-31")["tenure_days"].tolist() == [days]


def test_tenure_agrees_with_identify_rfm_and_clv(make_lines):
    from relmark_lab import clv, identify, rfm

    lines = make_lines([("a", "1", "2025-03-01 09:00", 50.0, 5.0, 1, 0),
                        ("a", "2", "2025-12-30 22:00", 50.0, 5.0, 1, 0),
                        ("b", "3", "2025-07-14 23:30", 80.0, 8.0, 1, 0)])
    end = "2025-12-31"
    tenure = identify.lifecycle_stage(lines, end).set_index("customer_id")["tenure_days"]
    loyalty = dif.projected_loyalty(lines, end, time_unit="D").set_index("customer_id")
    summary = clv.summarize(lines, end, time_unit="D").set_index("customer_id")
    recency = rfm.rfm_table(lines, end, bins=2).set_index("customer_id")["recency_days"]
    assert loyalty["T"].to_dict() == {c: float(t) for c, t in tenure.items()}
    assert loyalty["T"].to_dict() == summary["T"].to_dict()
    assert loyalty["recency"].to_dict() == summary["recency"].to_dict()
    assert (loyalty["T"] - loyalty["recency"]).to_dict() == {
        c: float(r) for c, r in recency.items()}
    spend = dif.annual_spend(lines, end).set_index("customer_id")
    assert spend["tenure_days"].to_dict() == {c: int(t) for c, t in tenure.items()}


def test_aware_stamps_keep_the_business_day(make_lines):
    local = pd.to_datetime(["2025-06-01 12:00", "2025-12-31 23:30"]).tz_localize(
        "America/Mexico_City")
    lines = make_lines([("a", "1", "2025-06-01", 100.0, 30.0, 1, 0),
                        ("a", "2", "2025-12-31", 40.0, 12.0, 1, 0)]).assign(date=local)
    for name, function in READERS.items():
        kept = function(lines, "2025-12-31")
        assert kept.attrs["lines_after_observation_end"] == 0, name
        in_utc = function(lines, "2025-12-31", timezone="UTC")
        assert in_utc.attrs["lines_after_observation_end"] == 1, name
    loyalty = dif.projected_loyalty(lines, "2025-12-31", time_unit="D")
    assert loyalty["projected_loyalty"].tolist() == [1.0]
    with pytest.raises(DataError, match="Unknown time zone 'Mars/Olympus'"):
        dif.annual_spend(lines, "2025-12-31", timezone="Mars/Olympus")


@pytest.mark.parametrize("name", ["vip", "loyalty", "spend"])
def test_customers_without_a_purchase_are_left_out_and_counted(name, make_lines):
    lines = make_lines([("a", "1", "2025-03-01", 100.0, 30.0, 1, 0),
                        ("z", "R9", "2025-04-01", -50.0, -15.0, -1, 0),
                        ("y", "7", "2025-05-01", 80.0, 20.0, 1, 0),
                        ("y", "C7", "2025-05-01", -80.0, -20.0, -1, 0)])
    table = READERS[name](lines, "2025-12-31")
    assert table["customer_id"].tolist() == ["a"]
    assert table.attrs["customers_without_purchases"] == 2
    profitability = dif.customer_profitability(lines, "2025-12-31")
    assert profitability["customer_id"].tolist() == ["a", "y", "z"]
    assert profitability["orders"].tolist() == [1, 0, 0]
    assert profitability.attrs["customers_without_purchases"] == 2


def test_no_line_inside_the_window_is_a_data_error(small):
    with pytest.raises(DataError, match="none of the 7 lines is dated on or before "
                       "observation_end 2023-12-31"):
        dif.vip_components(small, "2023-12-31")


def test_every_table_of_ids_comes_out_as_text():
    frame = pd.DataFrame({"customer_id": [7.0, 42.0], "profit": [10.0, -5.0],
                          "projected_loyalty": [0.2, 0.8], "satisfaction": [5, 1]})
    assert dif.whale_curve(frame)["customer_id"].tolist() == ["7", "42"]
    for table in (dif.reinartz_kumar(frame), dif.assign_tiers(frame, "profit"),
                  dif.satisfaction_loyalty(frame)):
        assert table["customer_id"].dtype == "str"
        assert table["customer_id"].tolist() == ["7", "42"]
    survey = pd.DataFrame({"customer_id": [7, 42], "share_of_wallet": [0.5, 0.25]})
    spend = pd.DataFrame({"customer_id": ["7", "42"], "spend_per_year": [10.0, 30.0]})
    wallets = dif.wallet_left_on_table(survey, spend)
    assert wallets["customer_id"].dtype == "str"
    assert wallets["left_on_table"].tolist() == [10.0, 90.0]
