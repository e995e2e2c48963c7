"""Customer equity by acquisition channel, and the payback of acquisition cost."""

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import DataError
from relmark_lab.datasets import practice
from relmark_lab.equity import channel_value, payback_period

END = "2025-12-31"


def _master(rows):
    frame = pd.DataFrame(rows, columns=["customer_id", "signup_date", "acquisition_channel",
                                        "acquisition_cost"])
    frame["signup_date"] = pd.to_datetime(frame["signup_date"])
    return frame


def test_channel_value_of_a_hand_made_master():
    master = _master([("a", "2025-01-01", "web", 100.0), ("b", "2025-01-01", "web", 300.0),
                      ("c", "2025-01-01", None, 50.0), ("d", "2025-01-01", "web", 80.0)])
    clv = pd.Series({"a": 500.0, "b": 100.0, "c": 20.0, "x": 999.0})  # d has none, x no cost
    table = channel_value(master, clv).set_index("acquisition_channel")
    web, missing = table.loc["web"], table.loc["(missing)"]
    assert (web["customers"], web["valued"], web["without_clv"]) == (3, 2, 1)
    assert web["acquisition_cost"] == 200.0 and web["clv"] == 300.0  # over a and b
    assert web["net_value"] == 100.0 and web["net_equity"] == 200.0  # (400 - 200) / 2
    assert web["clv_to_cost"] == 1.5 and web["share_above_cost"] == 0.5
    assert missing["net_equity"] == -30.0 and missing["share_above_cost"] == 0.0
    assert table.attrs["clv_not_in_customers"] == 1


def test_a_channel_without_valued_customers_or_cost_has_missing_means():
    master = _master([("a", "2025-01-01", "web", 0.0), ("b", "2025-01-01", "tv", 10.0)])
    table = channel_value(master, pd.Series({"a": 5.0})).set_index("acquisition_channel")
    assert np.isnan(table.loc["web", "clv_to_cost"]) and table.loc["web", "net_value"] == 5.0
    assert table.loc["tv", "without_clv"] == 1 and np.isnan(table.loc["tv", "clv"])
    assert table.loc["tv", "net_equity"] == 0.0


def test_channel_value_refuses_bad_masters_with_a_sentence():
    master = _master([("a", "2025-01-01", "web", -5.0)])
    with pytest.raises(DataError, match=r"customers: column 'acquisition_cost' is below 0 in "
                                        r"1 row, e\.g\. -5\.0"):
        channel_value(master, pd.Series({"a": 1.0}))
    with pytest.raises(DataError, match="Column 'region' is missing from the customers"):
        channel_value(master, pd.Series({"a": 1.0}), by="region")
    twice = _master([("a", "2025-01-01", "web", 5.0), ("a", "2025-01-01", "tv", 5.0)])
    with pytest.raises(DataError, match="column 'customer_id' is repeated in 1 row"):
        channel_value(twice, pd.Series({"a": 1.0}))


@pytest.fixture(scope="module")
def kit():
    return rl.datasets.load_transactions(), rl.datasets.load_customers(), practice.kit_clv()


def test_kit_channels_match_pandas_and_the_simulated_costs(kit):
    _, customers, clv = kit
    table = channel_value(customers, clv).set_index("acquisition_channel")
    merged = customers.set_index("customer_id").join(clv)
    merged["net"] = merged["clv"] - merged["acquisition_cost"]
    expected = merged.groupby("acquisition_channel").agg(
        customers=("clv", "size"), acquisition_cost=("acquisition_cost", "mean"),
        clv=("clv", "mean"), net_equity=("net", "sum"))
    pd.testing.assert_frame_equal(table[expected.columns], expected, check_dtype=False,
                                  check_names=False)
    assert table["without_clv"].sum() == 0 and table["customers"].sum() == 5000
    truth = rl.datasets.load_truth()["acquisition_cost_mean"]
    for channel, cost in truth.items():
        assert table.loc[channel, "acquisition_cost"] == pytest.approx(cost, rel=0.05)
    # Referrals cost least per unit of value, television most (truth: 80 vs 480 MXN).
    assert table["clv_to_cost"].idxmax() == "referido"
    assert table["clv_to_cost"].idxmin() == "televisión"


def _hand_made_lines():
    rows = [("a", "2025-01-01", 30.0), ("a", "2025-02-15", 50.0), ("a", "2025-02-20", -10.0),
            ("a", "2025-04-15", 40.0),  # period 4 of a: not over by the end, counts nowhere
            ("a", "2025-05-02", 99.0),  # after the end
            ("b", "2025-02-01", 20.0), ("b", "2025-03-10", 50.0),
            ("c", "2025-01-09", 15.0),  # the day before c's signup: period 1
            ("z", "2025-01-05", 70.0)]  # nobody in the master
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "margin"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["amount"] = frame["margin"] * 2
    return frame


def _hand_made_master():
    return _master([("a", "2025-01-01", "web", 100.0), ("b", "2025-02-01", "web", 60.0),
                    ("c", "2025-01-10", "tienda", 10.0), ("d", "2025-05-05", "tienda", 10.0),
                    ("e", "2025-04-20", "referido", 5.0)])


def test_payback_of_a_hand_made_example():
    # Months of 30.4375 days to 2025-04-30: a sees 120 days (3 whole months), b 89 (2),
    # c 111 (3), e 11 (none); d signed up after the end.
    result = payback_period(_hand_made_lines(), _hand_made_master(), "2025-04-30")
    assert result.time_unit == "M"
    curve = result.curve.set_index(["acquisition_channel", "period"])
    web = curve.loc["web"]
    assert web["customers"].tolist() == [2, 2, 1]
    assert web["cumulative_margin_per_customer"].tolist() == [25.0, 70.0, 70.0]
    assert web["acquisition_cost"].tolist() == [80.0, 80.0, 100.0]
    assert curve.loc["tienda", "cumulative_margin_per_customer"].tolist() == [15.0] * 3
    assert "referido" not in curve.index.get_level_values(0)
    payback = result.payback.set_index("acquisition_channel")
    assert payback.loc["tienda", "payback_period"] == 1.0
    assert payback.loc["tienda", "customers"] == 1 and payback.loc["tienda", "note"] == ""
    assert np.isnan(payback.loc["web", "payback_period"])
    assert payback.loc["web", "note"] == ("not paid back within the data: by period 3 (months) "
                                          "the margin per customer is 70.00 against a cost of "
                                          "100.00")
    assert payback.loc["web", "periods_observed"] == 3
    assert payback.loc["referido", "note"] == "no customer is observed for a whole period (month)"
    assert result.curve.attrs == {
        "observation_end": pd.Timestamp("2025-04-30"), "lines_after_observation_end": 1,
        "time_unit": "M", "customers_signed_up_after_end": 1, "customers_not_in_master": 1,
        "lines_before_signup": 1}


def test_revenue_pays_back_sooner_and_other_units_and_columns_work():
    lines, master = _hand_made_lines(), _hand_made_master()
    revenue = payback_period(lines, master, "2025-04-30", margin="amount")
    web = revenue.payback.set_index("acquisition_channel").loc["web", "payback_period"]
    assert web == 2.0  # revenue is twice the margin: 140 per customer by month 2, cost 80
    renamed = lines.rename(columns={"margin": "profit"})
    quarters = payback_period(renamed, master, "2025-04-30", time_unit="Q", margin="profit")
    assert quarters.curve["cumulative_margin_per_customer"].tolist() == [15.0, 70.0]  # c; a
    with pytest.raises(DataError, match="Column 'profit' is missing from the transactions"):
        payback_period(lines, master, "2025-04-30", margin="profit")
    with pytest.raises(DataError, match="time_unit must be one of"):
        payback_period(lines, master, "2025-04-30", time_unit="months")
    with pytest.raises(DataError, match="customers: column 'signup_date' is not a date"):
        payback_period(lines, master.assign(signup_date="soon"), "2025-04-30")


def _reference_curve(transactions, customers, end, days):
    """The payback curve by brute force: one pandas filter per channel and period."""
    master = customers.set_index("customer_id")
    signup = master["signup_date"].dt.normalize()
    observed = np.floor(((pd.Timestamp(end) - signup).dt.days + 1) / days)
    lines = transactions[transactions["date"].dt.normalize() <= pd.Timestamp(end)]
    offset = (lines["date"].dt.normalize()
              - signup.loc[lines["customer_id"]].to_numpy()).dt.days.to_numpy()
    period = np.floor(np.maximum(offset, 0) / days) + 1
    line_channel = master.loc[lines["customer_id"], "acquisition_channel"].to_numpy()
    line_observed = observed.loc[lines["customer_id"]].to_numpy()
    margin = lines["margin"].to_numpy()
    rows = []
    for channel, group in master.groupby("acquisition_channel"):
        for k in range(1, int(observed[group.index].max()) + 1):
            members = group.index[observed[group.index] >= k]
            mine = (line_channel == channel) & (line_observed >= k) & (period <= k)
            rows.append((channel, k, len(members), margin[mine].sum() / len(members),
                         group.loc[members, "acquisition_cost"].mean()))
    return pd.DataFrame(rows, columns=["acquisition_channel", "period", "customers",
                                       "cumulative_margin_per_customer", "acquisition_cost"])


def test_kit_payback_matches_a_brute_force_count(kit):
    transactions, customers, _ = kit
    result = payback_period(transactions, customers, END, time_unit="M")
    expected = _reference_curve(transactions, customers, END, 365.25 / 12)
    pd.testing.assert_frame_equal(result.curve, expected, check_dtype=False, rtol=1e-9)
    payback = result.payback.set_index("acquisition_channel")
    reached = expected[expected["cumulative_margin_per_customer"]
                       >= expected["acquisition_cost"]].groupby("acquisition_channel")["period"]
    assert payback["payback_period"].to_dict() == reached.min().astype(float).to_dict()
    assert payback["customers"].sum() == 5000
    # The dearest channel takes longest to pay back; a referral (80 MXN) pays back in its
    # first month, with a first order of about 400 MXN at a third margin.
    assert payback["payback_period"].idxmax() == "televisión"
    assert payback.loc["referido", "payback_period"] == 1.0
