"""One units module: durations, calendar periods and rates."""

import pytest

import relmark_lab as rl
from relmark_lab import units


def test_each_unit_has_a_length_a_name_and_a_calendar_period():
    assert units.TIME_UNITS == ("D", "W", "M", "Q", "Y")
    assert [units.days_per_unit(u) for u in units.TIME_UNITS] == [
        1.0, 7.0, 30.4375, 91.3125, 365.25]
    assert units.periods_per_year("M") == 12
    assert units.periods_per_year("D") == 365.25
    assert [units.calendar_period(u) for u in units.TIME_UNITS] == [
        "D", "W-SUN", "M", "Q-DEC", "Y-DEC"]
    assert units.UNIT_NAMES["Q"] == "quarters"


def test_durations_convert_through_days():
    assert units.convert_duration(14, "D", "W") == 2
    assert units.convert_duration(1, "Y", "M") == pytest.approx(12)


def test_rates_compound():
    monthly = units.convert_rate(0.10, "Y", "M")
    assert (1 + monthly) ** 12 == pytest.approx(1.10)
    assert units.convert_rate(monthly, "M", "Y") == pytest.approx(0.10)
    for bad in (float("nan"), float("inf"), -1.0, "0.1", True):
        with pytest.raises(rl.DataError, match="A rate must be a finite number above -1"):
            units.convert_rate(bad, "Y", "M")


@pytest.mark.parametrize("bad", ["months", "m", None, 7])
def test_unknown_units_are_named_in_the_message(bad):
    with pytest.raises(rl.DataError, match=r"^time_unit must be one of 'D' \(days\), 'W' "):
        units.check_unit(bad)
    with pytest.raises(rl.DataError, match=r"^period must be one of 'M' \(months\) or"):
        units.check_unit(bad, allowed=("M", "Q"), name="period")
