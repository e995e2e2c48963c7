"""Where to spend: Blattberg & Deighton's customer equity test on the course's exercise."""

import math

import numpy as np
import pytest

from relmark_lab import DataError
from relmark_lab.equity import (
    ResponseCurve,
    best_split,
    equity_per_prospect,
    optimal_spend,
    split_equity,
)

# The course exercise: $1 a prospect buys 4% acquisition (ceiling 10%), $8 a customer buys
# 60% retention (ceiling 80%), a margin of $50 a year, 10% a year.
ACQUISITION = ResponseCurve.from_point(1.0, 0.04, ceiling=0.10)
RETENTION = ResponseCurve.from_point(8.0, 0.60, ceiling=0.80)
EXERCISE = {"acquisition": ACQUISITION, "retention": RETENTION, "margin": 50.0,
            "discount_rate": 0.10}
FIRM = {"prospects": 50_000, "customers": 5_000, **EXERCISE}


def _value(retention_spend):  # the bracket by hand: M + (M r - R) / (1 + d - r)
    r = 0.8 * (1 - math.exp(-RETENTION.k * retention_spend))
    return 50 + (50 * r - retention_spend) / (1.1 - r)


def test_k_comes_from_the_observed_point():
    assert ACQUISITION.k == pytest.approx(math.log(10 / 6))  # 1 - 4/10 = 0.6 left
    assert RETENTION.k == pytest.approx(math.log(4) / 8)  # 1 - 60/80 = 1/4 left
    assert ACQUISITION.rate(1.0) == pytest.approx(0.04)
    assert RETENTION.spend_for(0.6) == pytest.approx(8.0)
    spends = np.array([0.0, 3.0, 20.0])
    assert RETENTION.spend_for(RETENTION.rate(spends)) == pytest.approx(spends)
    assert RETENTION.rate(1e6) == pytest.approx(0.8)  # never past the ceiling


def test_the_marginal_rate_is_the_derivative():
    h = 1e-6
    for spend in (0.0, 2.0, 15.0):
        numerical = (RETENTION.rate(spend + h) - RETENTION.rate(spend)) / h
        assert RETENTION.marginal(spend) == pytest.approx(numerical, rel=1e-4)


def test_equity_at_the_observed_point_is_the_formula_by_hand():
    # a [M + (M - R/r) r / (1 + d - r)] - A = 0.04 * (50 + (30 - 8) / 0.5) - 1
    assert equity_per_prospect(1.0, 8.0, **EXERCISE) == pytest.approx(0.04 * 94 - 1)
    assert equity_per_prospect(0.0, 8.0, **EXERCISE) == 0.0  # nobody acquired, nothing spent


def test_arrays_give_a_surface():
    spend_a, spend_r = np.linspace(0, 6, 7), np.linspace(0, 30, 11)
    surface = equity_per_prospect(spend_a[:, None], spend_r[None, :], **EXERCISE)
    assert surface.shape == (7, 11)
    assert surface[1, 3] == pytest.approx(equity_per_prospect(1.0, 9.0, **EXERCISE))
    assert isinstance(equity_per_prospect(1.0, 8.0, **EXERCISE), float)
    assert equity_per_prospect([1.0, 2.0], 8.0, **EXERCISE).shape == (2,)


def test_the_optimum_beats_every_point_of_a_fine_grid_and_the_observed_one():
    plan = optimal_spend(**EXERCISE)
    assert plan.retention_spend == pytest.approx(15.797, abs=1e-3)
    assert plan.acquisition_spend == pytest.approx(3.4047, abs=1e-3)
    assert plan.customer_value == pytest.approx(_value(plan.retention_spend))
    assert plan.customer_value == pytest.approx(111.44, abs=0.01)
    assert plan.retention_rate == pytest.approx(0.7482, abs=1e-4)
    assert plan.acquisition_rate == pytest.approx(0.0824, abs=1e-4)
    assert plan.equity_per_prospect == pytest.approx(5.78, abs=0.005)
    assert plan.equity_per_prospect > equity_per_prospect(1.0, 8.0, **EXERCISE) == \
        pytest.approx(2.76)  # spending more on both pays here
    spend_a, spend_r = np.linspace(0, 10, 401), np.linspace(0, 40, 401)
    surface = equity_per_prospect(spend_a[:, None], spend_r[None, :], **EXERCISE)
    assert plan.equity_per_prospect >= surface.max() - 1e-12
    assert plan.time_unit == "Y"


def test_pfeifers_condition_holds_at_the_optimum():
    plan = optimal_spend(**EXERCISE)
    # The closed form for A*: a'(A*) V = 1.
    assert plan.acquisition_spend == pytest.approx(
        math.log(0.10 * ACQUISITION.k * plan.customer_value) / ACQUISITION.k)
    # The marginal cost of acquiring a customer, and of retaining one, equal what one is worth.
    assert plan.marginal_cost_of_a_customer == pytest.approx(plan.customer_value, rel=1e-9)
    assert plan.marginal_cost_of_retaining == pytest.approx(plan.customer_value, rel=1e-6)


def test_when_acquiring_does_not_pay_the_plan_spends_nothing_on_it():
    weak = ResponseCurve(ceiling=0.01, k=0.5)  # the first dollar buys 0.005 customers
    plan = optimal_spend(**{**EXERCISE, "acquisition": weak})
    assert plan.acquisition_spend == 0.0 and plan.equity_per_prospect == 0.0
    assert plan.marginal_cost_of_a_customer == pytest.approx(200.0)
    assert plan.marginal_cost_of_a_customer > plan.customer_value
    nothing = optimal_spend(**{**EXERCISE, "margin": 0.0})
    assert nothing.retention_spend == 0.0 and nothing.acquisition_spend == 0.0


def test_a_split_is_scored_as_new_plus_current_customers():
    # 20% of $100,000: A = $20,000 / 50,000 = $0.40 a prospect, R = $80,000 / 5,000 = $16.
    a = 0.10 * (1 - math.exp(-ACQUISITION.k * 0.4))
    r = 0.8 * (1 - math.exp(-RETENTION.k * 16.0))
    by_hand = 50_000 * (a * _value(16.0) - 0.4) + 5_000 * (50 * r - 16.0) / (1.1 - r)
    assert split_equity(0.2, 100_000.0, **FIRM) == pytest.approx(by_hand)
    shares = np.array([0.0, 0.5, 1.0])
    assert split_equity(shares, 100_000.0, **FIRM).shape == (3,)
    assert split_equity(1.0, 100_000.0, **FIRM) == pytest.approx(  # no retention: all leave
        50_000 * (0.10 * (1 - math.exp(-ACQUISITION.k * 2.0)) * 50 - 2.0))


def test_the_best_split_beats_a_fine_grid_and_its_table_is_for_a_plot():
    split = best_split(100_000.0, **FIRM)
    shares = np.linspace(0, 1, 20_001)
    assert split.equity >= split_equity(shares, 100_000.0, **FIRM).max() - 1e-6
    assert split.acquisition_share == pytest.approx(0.39, abs=0.001)
    assert split.acquisition_spend == pytest.approx(split.acquisition_share * 2.0)
    table = split.table
    assert len(table) == 101 and table["acquisition_share"].iloc[1] == pytest.approx(0.01)
    assert table["equity"].to_numpy() == pytest.approx(
        (table["new_customers_equity"] + table["current_customers_equity"]).to_numpy())
    assert table["new_customers_equity"].iloc[0] == 0.0
    assert table["current_customers_equity"].iloc[-1] == 0.0


def test_a_budget_that_affords_the_unconstrained_optimum_is_split_at_it():
    # Current customers are worth V - M, maximised by the same R*: so with the budget
    # prospects A* + customers R*, the best split is exactly the optimal plan.
    plan = optimal_spend(**EXERCISE)
    budget = 50_000 * plan.acquisition_spend + 5_000 * plan.retention_spend
    split = best_split(budget, **FIRM)
    assert split.acquisition_share == pytest.approx(50_000 * plan.acquisition_spend / budget,
                                                    abs=1e-5)
    assert split.retention_spend == pytest.approx(plan.retention_spend, rel=1e-4)


@pytest.mark.parametrize(("call", "words"), [
    (lambda: ResponseCurve.from_point(1.0, 0.10, ceiling=0.10),
     "rate must be below the ceiling it approaches .0.1., got 0.1"),
    (lambda: ResponseCurve.from_point(0.0, 0.04, ceiling=0.10),
     "spend must be a finite number above 0, got 0.0."),
    (lambda: ResponseCurve.from_point(1.0, 0.0, ceiling=0.10),
     "rate must be a finite number above 0"),
    (lambda: ResponseCurve.from_point(1.0, 0.4, ceiling=1.5),
     "ceiling must be a finite number above 0 and at most 1, got 1.5."),
    (lambda: ResponseCurve(ceiling=0.5, k=-1.0), "k must be a finite number above 0, got -1.0."),
    (lambda: RETENTION.rate(-1.0), "spend must be a finite number at least 0, got -1.0."),
    (lambda: RETENTION.spend_for([0.5, 0.8, 0.9]),
     "rate must be below the ceiling .0.8. for a finite spend; 2 of 3 are not, e.g. 0.8."),
    (lambda: equity_per_prospect(1.0, 8.0, **{**EXERCISE, "acquisition": 0.04}),
     "acquisition must be a ResponseCurve, e.g. ResponseCurve.from_point.spend, rate, "
     "ceiling., got float."),
    (lambda: equity_per_prospect(1.0, 8.0, **{**EXERCISE, "margin": -5.0}), "margin"),
    (lambda: equity_per_prospect(1.0, 8.0, **{**EXERCISE, "discount_rate": 0.0}),
     "discount_rate must be a finite number above 0, got 0.0."),
    (lambda: equity_per_prospect([1.0, 2.0], [8.0, 9.0, 10.0], **EXERCISE),
     "acquisition_spend and retention_spend must be single numbers or arrays of shapes"),
    (lambda: equity_per_prospect(-1.0, 8.0, **EXERCISE), "acquisition_spend must be"),
    (lambda: split_equity(1.2, 100.0, **FIRM), "acquisition_share must be a finite number "
                                               "at least 0 and at most 1, got 1.2."),
    (lambda: split_equity(0.5, 100.0, **{**FIRM, "customers": 0}), "customers must be a finite "
                                                                  "number above 0, got 0."),
    (lambda: best_split(-1.0, **FIRM), "budget must be a finite number at least 0"),
    (lambda: best_split(100.0, grid=2, **FIRM), "grid must be a whole number of at least 3"),
    (lambda: optimal_spend(time_unit="years", **EXERCISE), "time_unit must be one of"),
])
def test_bad_inputs_are_a_sentence(call, words):
    with pytest.raises(DataError, match=words):
        call()
