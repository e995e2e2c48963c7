"""The logistic S-curve of cumulative customers (Gupta, Lehmann & Stuart 2004, Table 3)."""

import numpy as np
import pandas as pd
import pytest

from relmark_lab import DataError
from relmark_lab.equity import LogisticGrowth

# GLS 2004, Table 3: alpha in millions, beta, gamma per quarter.
TABLE_3 = {
    "Amazon": (67.045, -4.114, 0.265),
    "Ameritrade": (2.482, -3.345, 0.263),
    "Capital One": (171.200, -3.052, 0.149),
    "eBay": (81.945, -6.009, 0.317),
    "E*Trade": (4.719, -3.441, 0.365),
}


def _counts(params, quarters=21, noise=0.0, seed=0):
    periods = np.arange(quarters)
    counts = LogisticGrowth.curve(periods, *params)
    if noise:
        counts = np.maximum.accumulate(
            counts * (1 + np.random.default_rng(seed).normal(0, noise, quarters)))
    return pd.Series(counts, index=periods)


@pytest.mark.parametrize("firm", TABLE_3)
def test_the_published_curves_are_recovered_from_their_own_counts(firm):
    growth = LogisticGrowth().fit(_counts(TABLE_3[firm]), time_unit="Q")
    assert list(growth.params_.values()) == pytest.approx(TABLE_3[firm], rel=1e-4)
    assert growth.time_unit_ == "Q"
    alpha, beta, gamma = TABLE_3[firm]
    assert growth.peak_period_ == pytest.approx(-beta / gamma, rel=1e-4)


def test_new_customers_are_the_derivative_and_peak_where_the_paper_says():
    growth = LogisticGrowth().fit(_counts(TABLE_3["Amazon"]), time_unit="Q")
    t = np.linspace(0, 30, 301)
    numerical = np.gradient(growth.cumulative(t), t)
    assert growth.new_customers(t)[5:-5] == pytest.approx(numerical[5:-5], rel=1e-3)
    assert t[np.argmax(growth.new_customers(t))] == pytest.approx(15.5, abs=0.1)  # -β/γ


def test_noisy_counts_keep_the_truth_inside_the_intervals():
    truth = TABLE_3["Capital One"]
    table = LogisticGrowth().fit(_counts(truth, quarters=24, noise=0.01), "Q").summary()
    truth = np.array(truth)
    assert ((table["lower_95"] <= truth) & (truth <= table["upper_95"])).all()


def test_the_unit_comes_from_the_series_or_must_be_given():
    counts = _counts(TABLE_3["eBay"])
    with pytest.raises(DataError, match="LogisticGrowth"):
        LogisticGrowth().fit(counts)
    counts.attrs["time_unit"] = "Q"
    assert LogisticGrowth().fit(counts).time_unit_ == "Q"


@pytest.mark.parametrize(("customers", "words"), [
    ([1, 2, 3], "a pandas Series"),
    (pd.Series([1.0, 2.0, 3.0]), "at least 4 periods, got 3"),
    (pd.Series([1.0, 2.0, "x", 4.0]), "1 count(s) are not numbers, e.g. 'x'"),
    (pd.Series([1.0, -2.0, 3.0, 4.0]), "1 are negative, e.g. -2.0"),
    (pd.Series([1.0, 5.0, 3.0, 6.0]), "must be cumulative (never falling): the count falls "
                                      "after period 1"),
])
def test_bad_counts_are_a_sentence(customers, words):
    with pytest.raises(DataError) as caught:
        LogisticGrowth().fit(customers, time_unit="Q")
    assert words in str(caught.value)


def test_an_unfitted_curve_says_so():
    with pytest.raises(DataError, match="not fitted yet"):
        LogisticGrowth().new_customers(3)
