"""Margin multiple and retention CLV."""

import numpy as np
import pytest

import relmark_lab as rl
from relmark_lab import clv


def test_margin_multiple_both_timing_conventions():
    assert clv.margin_multiple(0.8, 0.12) == pytest.approx(2.5)
    assert clv.margin_multiple(0.8, 0.12, timing="start") == pytest.approx(3.5)
    # The two conventions differ by exactly one margin.
    r, d = np.array([0.5, 0.9]), 0.1
    np.testing.assert_allclose(clv.margin_multiple(r, d, "start") - clv.margin_multiple(r, d), 1)


def test_retention_clv_finite_horizon_converges_to_the_multiple():
    assert clv.retention_clv(100, 0.8, 0.1, horizon=3) == pytest.approx(
        100 * (0.8 / 1.1 + 0.64 / 1.21 + 0.512 / 1.331))
    assert clv.retention_clv(100, 0.8, 0.12, acquisition_cost=150) == pytest.approx(100)
    assert clv.retention_clv(100, 0.8, 0.12, horizon=500) == pytest.approx(250)
    schedule = clv.retention_clv_schedule(100, 0.8, 0.1, 5, acquisition_cost=20, timing="start")
    assert schedule["period"].tolist() == [0, 1, 2, 3, 4]
    assert schedule["cumulative_clv"].iloc[-1] == pytest.approx(
        clv.retention_clv(100, 0.8, 0.1, horizon=5, acquisition_cost=20, timing="start"))


def test_simple_models_reject_impossible_rates():
    with pytest.raises(rl.DataError, match=r"retention_rate must be a finite number at least 0 "
                                           r"and at most 1, got 1\.2\."):
        clv.margin_multiple(1.2, 0.1)
    with pytest.raises(rl.DataError, match="timing must be 'end' or 'start'"):
        clv.retention_clv(100, 0.8, 0.1, timing="middle")
    with pytest.raises(rl.DataError, match="horizon"):
        clv.retention_clv_schedule(100, 0.8, 0.1, 0)
    for bad in (float("inf"), float("nan"), 2.5):
        with pytest.raises(rl.DataError, match="horizon must be a whole number"):
            clv.retention_clv(100, 0.8, 0.1, horizon=bad)
        with pytest.raises(rl.DataError, match="horizon must be a whole number"):
            clv.retention_clv_schedule(100, 0.8, 0.1, bad)
    with pytest.raises(rl.DataError, match=r"discount_rate must be a finite number above -1, "
                                           r"got inf"):
        clv.margin_multiple(0.8, [0.1, float("inf")])


@pytest.mark.parametrize("call", [
    lambda **k: clv.retention_clv(**{"margin": 100, "retention_rate": 0.8, "discount_rate": 0.1,
                                     **k}),
    lambda **k: clv.retention_clv_schedule(**{"margin": 100, "retention_rate": 0.8,
                                              "discount_rate": 0.1, "horizon": 3, **k}),
])
def test_margins_and_costs_must_be_finite_numbers(call):
    for name, bad, message in [
        ("margin", "100", r"margin must be a finite number, got '100'\."),
        ("margin", float("nan"), r"margin must be a finite number, got nan\."),
        ("acquisition_cost", float("nan"), r"acquisition_cost must be a finite number at "
                                           r"least 0, got nan\."),
        ("acquisition_cost", -5, r"acquisition_cost must be a finite number at least 0, "
                                 r"got -5\."),
        ("retention_rate", "0.8", r"retention_rate must be a finite number at least 0 and "
                                  r"at most 1, got '0\.8'\."),
        ("discount_rate", None, r"discount_rate must be a finite number above -1, got None\."),
    ]:
        with pytest.raises(rl.DataError, match=message):
            call(**{name: bad})


def test_array_arguments_must_broadcast():
    value = clv.retention_clv(np.array([100, 200]), np.array([0.8, 0.9]), 0.1,
                              acquisition_cost=[10, 20])
    np.testing.assert_allclose(value, [100 * 0.8 / 0.3 - 10, 200 * 0.9 / 0.2 - 20])
    with pytest.raises(rl.DataError, match=r"margin, acquisition_cost, retention_rate and "
                                           r"discount_rate must be single numbers or arrays of "
                                           r"shapes that broadcast together, got margin of "
                                           r"shape \(3,\), acquisition_cost of shape \(2,\)"):
        clv.retention_clv([1, 2, 3], 0.8, 0.1, acquisition_cost=[1, 2])
    with pytest.raises(rl.DataError, match=r"retention_rate and discount_rate must be single "
                                           r"numbers or arrays of shapes that broadcast"):
        clv.margin_multiple([0.8, 0.9], [0.1, 0.1, 0.1])
    with pytest.raises(rl.DataError, match=r"retention_rate must be a finite number .*, "
                                           r"got True\."):
        clv.margin_multiple(True, 0.1)
