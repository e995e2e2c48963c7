"""sBG: the cohorts of Fader & Hardie (2007), residual value, units and bad input."""

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import clv


@pytest.mark.parametrize(
    ("segment", "alpha", "beta"), [("regular", 0.704, 1.182), ("high_end", 0.668, 3.806)]
)
def test_sbg_reproduces_fader_hardie_2007(segment, alpha, beta):
    cohorts = rl.datasets.load_sbg_cohorts()
    cohort = cohorts[cohorts["segment"] == segment]
    model = clv.ShiftedBetaGeometric().fit(cohort.loc[cohort["year"] <= 7, "n_alive"])
    assert model.params_.round(3).tolist() == [alpha, beta]
    assert model.n_periods_ == 7 and model.time_unit_ == "Y"
    projected = model.expected_alive(12, cohort_size=1000)
    # The projection of years 8-12 stays within 2.5 points of the actual percent alive.
    actual = cohort["percent_alive"].to_numpy()
    gap = np.abs(projected["survival"].to_numpy() * 100 - actual)
    assert gap[8:].max() < 2.5
    assert projected["retention_rate"].iloc[1:].is_monotonic_increasing


def test_sbg_paper_data_and_derl():
    cohorts = rl.datasets.load_sbg_cohorts()
    assert cohorts.shape == (26, 4)
    assert cohorts.query("segment == 'regular' and year == 12")["percent_alive"].item() == 17.3
    assert cohorts.query("segment == 'high_end' and year == 1")["n_alive"].item() == 869
    model = clv.ShiftedBetaGeometric()
    model.params_ = pd.Series({"alpha": 0.668, "beta": 3.806})
    survival = model.survival(np.arange(4000))
    for renewals in (0, 4):
        brute = sum(survival[t] / survival[renewals] / 1.1 ** (t - renewals - 1)
                    for t in range(renewals + 1, 4000))
        assert model.expected_residual_lifetime(renewals, 0.1) == pytest.approx(brute, rel=1e-9)
    assert model.expected_lifetime(0.1) == pytest.approx(
        sum(survival[t] / 1.1**t for t in range(4000)), rel=1e-9)
    # Residual value grows with tenure: survivors are the loyal ones.
    assert model.expected_residual_lifetime(4, 0.1) > model.expected_residual_lifetime(0, 0.1)


def test_sbg_needs_its_period_and_refuses_bad_input():
    with pytest.raises(rl.DataError, match="ShiftedBetaGeometric.fit needs the time unit"):
        clv.ShiftedBetaGeometric().fit([1000, 631, 468])
    assert clv.ShiftedBetaGeometric().fit([1000, 631, 468], time_unit="Y").time_unit_ == "Y"
    with pytest.raises(rl.DataError, match=r"n_alive: survivors rise"):
        clv.ShiftedBetaGeometric().fit([100, 80, 90], time_unit="Y")
    with pytest.raises(rl.DataError, match=r"sBG cohort: column 'n_alive' is missing, negative"):
        clv.ShiftedBetaGeometric().fit([100, None, 60], time_unit="Y")
    model = clv.ShiftedBetaGeometric()
    model.params_ = pd.Series({"alpha": 0.668, "beta": 3.806})
    for bad in (0.0, float("inf"), float("nan")):
        with pytest.raises(rl.DataError, match="discount_rate must be a finite number above 0"):
            model.expected_lifetime(bad)
    with pytest.raises(rl.DataError, match="periods must be a whole number"):
        model.expected_alive(float("inf"))


def test_retention_rates_start_at_the_first_renewal():
    model = clv.ShiftedBetaGeometric()
    model.params_ = pd.Series({"alpha": 0.704, "beta": 1.182})
    assert model.retention_rate(1) == pytest.approx(1.182 / 1.886)
    with pytest.raises(rl.DataError, match=r"t must be whole numbers of at least 1 \(the first "
                                           r"renewal is at period 1\), got 0"):
        model.retention_rate([0, 1])
