"""Customer equity cohort by cohort: the table adds up to the closed forms."""

import numpy as np
import pandas as pd
import pytest

from relmark_lab import DataError
from relmark_lab.equity import LogisticGrowth, cohort_table, customer_value, future_cohorts


def _growth(alpha=100.0, beta=-3.0, gamma=0.5, unit="Q"):
    growth = LogisticGrowth()
    growth.params_, growth.time_unit_ = {"alpha": alpha, "beta": beta, "gamma": gamma}, unit
    return growth


def test_each_cohort_is_worth_the_margin_multiple_less_its_cost_discounted_from_arrival():
    plan = pd.Series([100.0, 50.0, 25.0], index=[1, 2, 3])
    equity = cohort_table(plan, margin=12.0, retention_rate=0.9, discount_rate=0.03,
                          acquisition_cost=40.0, current_customers=1_000, horizon=2_000,
                          time_unit="Q")
    per_customer = customer_value(12.0, 0.9, 0.03)  # m r / (1 + i - r), margin at period end
    expected = [1_000 * per_customer] + [n * (per_customer - 40.0) / 1.03 ** k
                                         for k, n in plan.items()]
    assert equity.by_cohort()["value"].tolist() == pytest.approx(expected, rel=1e-9)
    assert equity.by_cohort()["customers"].tolist() == [1_000, 100, 50, 25]
    assert equity.total == pytest.approx(sum(expected), rel=1e-9)
    assert equity.current == pytest.approx(expected[0]) and equity.future == pytest.approx(
        sum(expected[1:]))


def test_the_table_is_tidy_survivors_fall_and_the_cost_is_paid_on_arrival():
    equity = cohort_table([10.0], margin=5.0, retention_rate=0.5, discount_rate=0.1,
                          acquisition_cost=3.0, horizon=4, time_unit="Y", tax_rate=0.2)
    rows = equity.table[equity.table["cohort"] == 1].set_index("period")
    assert rows["customers"].tolist() == [10.0, 5.0, 2.5, 1.25]
    assert rows.loc[1, "margin"] == 0 and rows.loc[1, "acquisition_cost"] == pytest.approx(
        0.8 * 30 / 1.1)
    assert rows.loc[3, "margin"] == pytest.approx(0.8 * 2.5 * 5 / 1.1 ** 3)
    assert equity.time_unit == "Y" and equity.tax_rate == pytest.approx(0.2)
    by_period = equity.by_period()
    assert by_period["future"].sum() == pytest.approx(equity.future)
    assert list(by_period.columns) == ["period", "current", "future"]


def test_future_cohorts_add_up_to_the_s_curves_growth():
    growth = _growth()
    cohorts = future_cohorts(growth, now=4, periods=30)
    assert cohorts.sum() == pytest.approx(growth.cumulative(34) - growth.cumulative(4))
    assert cohorts.index.tolist() == list(range(1, 31)) and cohorts.attrs["time_unit"] == "Q"
    equity = cohort_table(cohorts, margin=1.0, retention_rate=0.8, discount_rate=0.03,
                          horizon=40)
    assert equity.time_unit == "Q"  # taken from the cohorts


def test_the_discrete_table_lands_near_gls_continuous_customer_equity():
    from relmark_lab.equity import customer_equity

    growth = _growth(alpha=67.045, beta=-4.114, gamma=0.265)  # Amazon, GLS Table 3
    r, i = 0.70 ** 0.25, 0.03
    continuous = customer_equity(33.8, 3.87, r, i, growth=growth, now=20, acquisition_cost=7.7)
    discrete = cohort_table(future_cohorts(growth, 20, 400), margin=3.87, retention_rate=r,
                            discount_rate=i, acquisition_cost=7.7, current_customers=33.8,
                            horizon=400)
    assert discrete.total == pytest.approx(continuous.total, rel=0.08)


def test_with_both_profiles_no_retention_model_is_needed():
    profile = pd.Series([10.0, 5.0, 2.0], index=pd.RangeIndex(0, 3))
    today = pd.Series([100.0, 80.0], index=pd.RangeIndex(1, 3))
    equity = cohort_table([4.0], discount_rate=0.1, horizon=2, time_unit="M",
                          current_margins=today, new_customer_margins=profile)
    arrived = equity.table[equity.table["cohort"] == 1].set_index("period")["margin"]
    assert arrived.tolist() == pytest.approx([4 * 10 / 1.1, 4 * 5 / 1.1 ** 2])
    assert equity.current == pytest.approx(100 / 1.1 + 80 / 1.1 ** 2)


def test_model_margins_replace_the_retention_model_for_todays_customers():
    margins = pd.Series([100.0, 80.0, 60.0], index=pd.RangeIndex(1, 4))
    equity = cohort_table([0.0], margin=1.0, retention_rate=0.5, discount_rate=0.1, horizon=3,
                          time_unit="M", current_customers=7, current_margins=margins)
    expected = sum(m / 1.1 ** t for t, m in margins.items())
    assert equity.current == pytest.approx(expected)
    assert np.isnan(equity.table.loc[equity.table["cohort"] == 0, "customers"]).all()


@pytest.mark.parametrize(("arguments", "message"), [
    ({"time_unit": None}, "pass time_unit"),
    ({"time_unit": "fortnight"}, "time_unit"),
    ({"retention_rate": 1.2}, "retention_rate must be a finite number at least 0 and at most 1"),
    ({"discount_rate": 0.0}, "discount_rate must be a finite number above 0"),
    ({"horizon": 0}, "horizon"),
    ({"new_customers": [5.0, -1.0]}, "new_customers must be a finite number at least 0"),
    ({"new_customers": pd.Series([1.0], index=[0])}, "indexed by distinct whole arrival periods"),
    ({"current_margins": [1.0, 2.0]}, "current_margins must be a pandas Series"),
    ({"margin": None}, "needs margin and retention_rate"),
])
def test_bad_arguments_are_a_sentence(arguments, message):
    base = {"new_customers": [1.0], "margin": 1.0, "retention_rate": 0.8, "discount_rate": 0.1,
            "horizon": 5, "time_unit": "Q"}
    base.update(arguments)
    with pytest.raises(DataError, match=message):
        cohort_table(base.pop("new_customers"), **base)
