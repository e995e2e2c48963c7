"""What one customer is worth when acquired (Gupta, Lehmann & Stuart 2004)."""

import numpy as np
import pytest
from scipy import integrate

from relmark_lab import DataError, units
from relmark_lab.equity import customer_value, per_period


def test_gls_footnote_2_retention_is_not_a_five_year_life():
    # $100 a year, 80% retention, 12% discount: $250; reading 80% as a 5-year life: $360.
    value = customer_value(100, 0.8, 0.12)
    naive = customer_value(100, 1.0, 0.12, horizon=5)
    assert value == pytest.approx(250.0)
    assert naive == pytest.approx(360.48, abs=0.005)
    assert naive / value - 1 == pytest.approx(0.44, abs=0.005)  # "about 44% too much"


def test_the_margin_multiple_check_of_the_references():
    assert customer_value(18.95, 0.788, 0.01) == pytest.approx(67.26, abs=0.005)


def test_infinite_horizons_agree_and_the_continuous_form_integrates_its_decay():
    assert customer_value(100, 0.8, 0.12, form="continuous") == pytest.approx(250.0)
    decay = (1 + 0.12 - 0.8) / 0.8
    integral, _ = integrate.quad(lambda t: 100 * np.exp(-decay * t), 0, 5)
    assert customer_value(100, 0.8, 0.12, horizon=5, form="continuous") == \
        pytest.approx(integral)
    assert customer_value(100, 0.8, 0.12, horizon=2.5, form="continuous") < integral


def test_acquisition_cost_comes_off_and_arrays_broadcast():
    values = customer_value(100, np.array([0.7, 0.8, 0.9]), 0.12, acquisition_cost=150)
    assert values == pytest.approx([100 * r / (1.12 - r) - 150 for r in (0.7, 0.8, 0.9)])
    # Retention matters: 80% -> 90% more than doubles the value here.
    assert values[2] > 2 * values[1]


def test_per_period_converts_each_quantity_by_its_own_rule():
    terms = per_period(100, 0.8, 0.12, from_unit="Y", to_unit="Q")
    assert terms.time_unit == "Q"
    assert terms.margin == pytest.approx(100 * units.days_per_unit("Q") / units.days_per_unit("Y"))
    assert terms.retention_rate ** (units.days_per_unit("Y") / units.days_per_unit("Q")) == \
        pytest.approx(0.8)  # four quarters of retention make the year's
    assert (1 + terms.discount_rate) ** 4 == pytest.approx(1.12, rel=1e-3)
    gls = per_period(3.87, 0.70, 0.12, from_unit="Y", to_unit="Q", margin_unit="Q")
    assert gls.margin == 3.87  # GLS's margins are quarterly already


def test_the_same_customer_is_worth_about_the_same_in_years_or_quarters():
    yearly = customer_value(100, 0.8, 0.12, form="continuous")
    quarterly = customer_value(*per_period(100, 0.8, 0.12, from_unit="Y", to_unit="Q")[:3],
                               form="continuous")
    assert quarterly == pytest.approx(yearly, rel=0.15)  # the timing of margins differs


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"form": "closed"}, "form must be 'discrete' or 'continuous'"),
    ({"horizon": 2.5}, "horizon"),
    ({"acquisition_cost": -1}, "acquisition_cost"),
])
def test_bad_arguments_are_a_sentence(kwargs, words):
    with pytest.raises(DataError, match=words):
        customer_value(100, 0.8, 0.12, **kwargs)


def test_the_continuous_form_refuses_what_it_cannot_value():
    with pytest.raises(DataError, match="above 0 in the continuous form"):
        customer_value(100, 0.0, 0.12, form="continuous")
    with pytest.raises(DataError, match="1 \\+ discount_rate > retention_rate"):
        customer_value(100, 1.0, 0.0, form="continuous")
    with pytest.raises(DataError, match="retention_rate"):
        per_period(100, 1.5, 0.12, from_unit="Y", to_unit="Q")
