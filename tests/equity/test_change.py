"""The change of customer equity split into acquisition, expansion and mortality."""

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import DataError, clv
from relmark_lab.datasets import practice
from relmark_lab.equity import equity_change, value_at

DATE_1, DATE_2 = "2024-12-31", "2025-12-31"


def _hand_made():
    # a is retained, b and c are lost (c is gone from the later valuation), d and e are new.
    before = pd.Series({"a": 100.0, "b": 50.0, "c": 80.0})
    after = pd.Series({"a": 120.0, "b": 10.0, "d": 30.0, "e": 5.0})
    return before, after


def test_a_hand_made_change_is_split_as_worked_out_by_hand():
    before, after = _hand_made()
    table = equity_change(before, after, active=["a"])
    assert table["component"].tolist() == ["equity before", "acquisition", "expansion",
                                           "mortality", "equity after"]
    assert table["kind"].tolist() == ["total", "change", "change", "change", "total"]
    # acquisition 30 + 5; expansion 120 - 100; mortality (50 - 10) + (80 - 0).
    assert table["value"].tolist() == [230.0, 35.0, 20.0, -120.0, 165.0]
    assert table["customers"].tolist() == [3, 2, 1, 2, 4]
    assert table["cumulative"].tolist() == [230.0, 265.0, 285.0, 165.0, 165.0]
    assert table.attrs["change"] == -65.0
    assert table.attrs["lost_missing_from_after"] == 1


def test_flags_and_ids_say_the_same_and_unknown_ids_are_counted():
    before, after = _hand_made()
    flags = pd.Series({"c": False, "a": True, "b": False})
    by_flags = equity_change(before, after, active=flags)
    by_ids = equity_change(before, after, active=pd.Index(["a", "zz"]))
    pd.testing.assert_frame_equal(by_flags, by_ids, check_like=True)
    assert by_ids.attrs["active_not_in_before"] == 1
    frame = before.rename_axis("customer_id").reset_index(name="clv")  # a table works too
    assert equity_change(frame, after, active=["a"])["value"].iloc[0] == 230.0


def test_numeric_ids_are_read_as_text_as_everywhere_in_the_kit():
    before = pd.Series({101: 10.0, 102: 20.0})
    after = pd.Series([12.0, 5.0], index=["101", "103"])
    table = equity_change(before, after, active=[101])
    assert table["value"].tolist() == [30.0, 5.0, 2.0, -20.0, 17.0]


def test_bad_inputs_are_a_sentence():
    before, after = _hand_made()
    with pytest.raises(DataError, match=r"1 retained customers .* no value at date 2, e\.g\. 'c'"):
        equity_change(before, after, active=["a", "c"])
    with pytest.raises(DataError, match=r"1 of the 3 customers in before have no True/False "
                                        r"flag, e\.g\. 'c'"):
        equity_change(before, after, active=pd.Series({"a": True, "b": False}))
    with pytest.raises(DataError, match="must be a pandas Series of CLV"):
        equity_change([100.0, 50.0], after, active=["a"])
    with pytest.raises(DataError, match=r"CLV before: column 'clv' is not a number in 1 row, "
                                        r"e\.g\. 'n/a'"):
        equity_change(pd.Series({"a": "n/a", "b": 1.0}), after, active=["a"])
    with pytest.raises(DataError, match="column 'customer_id' is repeated in 1 row, e.g. 'a'"):
        equity_change(pd.Series([1.0, 2.0], index=["a", "a"]), after, active=["a"])
    with pytest.raises(DataError, match="active must be the ids"):
        equity_change(before, after, active="a")
    with pytest.raises(DataError, match="True/False flags need their customer ids"):
        equity_change(before, after, active=np.array([True, False, False]))
    early, late = before.copy(), after.copy()
    early.attrs["observation_end"], late.attrs["observation_end"] = (
        pd.Timestamp(DATE_2), pd.Timestamp(DATE_1))
    with pytest.raises(DataError, match="pass the earlier valuation first"):
        equity_change(early, late, active=["a"])


@pytest.fixture(scope="module")
def kit():
    transactions = rl.datasets.load_transactions()
    values = [value_at(transactions, end, horizon=156, discount_rate=0.12)
              for end in (DATE_1, DATE_2)]
    history = clv.summarize(transactions, DATE_2, calibration_end=DATE_1).set_index(
        "customer_id")
    return transactions, *values, history["frequency_holdout"] > 0


def test_the_kit_change_adds_up_and_counts_the_customers_from_the_lines(kit):
    transactions, before, after, active = kit
    table = equity_change(before, after, active)
    parts = table.set_index("component")
    steps = parts.loc[["acquisition", "expansion", "mortality"], "value"].sum()
    assert steps == pytest.approx(after.sum() - before.sum(), rel=1e-9)
    assert table["cumulative"].iloc[3] == pytest.approx(parts.loc["equity after", "value"],
                                                        rel=1e-12)
    # Counted with plain pandas: no return-only customer, so a line before 2025 makes a
    # date-1 customer, and a purchase line in 2025 a retained one.
    lines_1 = transactions[transactions["date"] < "2025-01-01"]
    date_1 = set(lines_1["customer_id"])
    bought = set(transactions.loc[(transactions["date"] >= "2025-01-01")
                                  & (transactions["amount"] > 0), "customer_id"])
    assert parts.loc["equity before", "customers"] == len(date_1)
    assert parts.loc["acquisition", "customers"] == transactions["customer_id"].nunique() \
        - len(date_1)
    assert parts.loc["expansion", "customers"] == len(bought & date_1)
    assert parts.loc["mortality", "customers"] == len(date_1 - bought)
    # New customers add value and lost ones take it away; equity grew over 2025.
    assert parts.loc["acquisition", "value"] > 0 > parts.loc["mortality", "value"]
    assert table.attrs["after_total"] > table.attrs["before_total"]
    assert table.attrs["before_end"] == pd.Timestamp(DATE_1)


def test_the_lost_are_mostly_truly_gone_and_keep_little_value(kit):
    _, before, after, active = kit
    truth = rl.datasets.load_customer_truth().set_index("customer_id")["alive_at_end"]
    lost = before.index[~before.index.isin(active[active].index)]
    kept = before.index.difference(lost)
    assert truth[lost].mean() < 0.5 < truth[kept].mean()  # 37% vs 71% in the simulation
    assert after[lost].sum() / before[lost].sum() == pytest.approx(0.19, abs=0.05)


def test_value_at_uses_the_lines_margin_share_and_recovers_the_true_models(kit):
    transactions, before, after, _ = kit
    early = transactions[transactions["date"] < "2025-01-01"]
    assert before.attrs["margin_rate"] == pytest.approx(early["margin"].sum()
                                                        / early["amount"].sum(), rel=1e-12)
    assert "sum(margin) / sum(amount)" in before.attrs["margin_rate_source"]
    assert before.index.name == "customer_id" and before.index.dtype == "str"
    assert before.attrs["observation_end"] == pd.Timestamp(DATE_1)
    assert before.attrs["lines_after_observation_end"] == len(transactions) - len(early)
    assert before.attrs["horizon"] == 156 and before.attrs["time_unit"] == "W"
    truth = rl.datasets.load_truth()
    for name, value in truth["bgnbd"].items():
        assert after.attrs["purchase_model_params"][name] == pytest.approx(value, rel=0.15)
    for name, value in truth["gamma_gamma"].items():
        assert after.attrs["spend_model_params"][name] == pytest.approx(value, rel=0.15)


def test_value_at_is_lesson_04s_clv_when_given_its_margin():
    summary, _, _, gross = practice.kit_fits()
    value = value_at(rl.datasets.load_transactions(), DATE_2, horizon=practice.HORIZON_WEEKS,
                     discount_rate=practice.DISCOUNT_RATE,
                     margin_rate=gross - practice.RETENTION_COST_RATE)
    assert value.attrs["margin_rate_source"] == "given"
    np.testing.assert_allclose(value.to_numpy(), practice.kit_clv().to_numpy(), rtol=1e-12)
    assert value.index.tolist() == summary["customer_id"].tolist()


def test_value_at_refuses_bad_arguments_before_fitting():
    transactions = rl.datasets.load_transactions().head(50)
    with pytest.raises(DataError, match="Column 'margin' is missing from the transactions"):
        value_at(transactions.drop(columns="margin"), DATE_2, horizon=52, discount_rate=0.1)
    with pytest.raises(DataError, match="horizon must be a whole number of at least 1, got 0"):
        value_at(transactions, DATE_2, horizon=0, discount_rate=0.1)
    with pytest.raises(DataError, match="discount_rate must be a finite number above -1"):
        value_at(transactions, DATE_2, horizon=52, discount_rate=float("nan"))
    with pytest.raises(DataError, match="time_unit must be one of"):
        value_at(transactions, DATE_2, horizon=52, discount_rate=0.1, time_unit="weeks")
    returns = pd.DataFrame({"customer_id": ["a"], "date": pd.to_datetime(["2025-01-01"]),
                            "amount": [-10.0], "margin": [-3.0]})
    with pytest.raises(DataError, match=r"net revenue up to 2025-12-31 is -10\.00"):
        value_at(returns, DATE_2, horizon=52, discount_rate=0.1)
