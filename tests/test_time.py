"""The observation window and the business day: the rules of relmark_lab._time."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import _time
from relmark_lab import _validate as v


def test_the_end_is_the_named_day_whatever_its_time_of_day():
    for value in ("2025-12-31", "2025-12-31 08:00", dt.date(2025, 12, 31),
                  dt.datetime(2025, 12, 31, 23, 59), pd.Timestamp("2025-12-31 12:00"),
                  np.datetime64("2025-12-31T06:00")):
        assert _time.observation_end_day(value) == pd.Timestamp("2025-12-31"), value


def test_an_aware_end_follows_the_time_zone_rule():
    end = pd.Timestamp("2025-12-31 20:00", tz="America/Mexico_City")
    assert _time.observation_end_day(end) == pd.Timestamp("2025-12-31")
    assert _time.observation_end_day(end, "UTC") == pd.Timestamp("2026-01-01")
    assert _time.observation_end_day("2025-12-31 23:30-06:00", "Europe/Madrid") == (
        pd.Timestamp("2026-01-01"))


@pytest.mark.parametrize("bad", ["soon", "31/13/2025", ["2025-01-01"], 20251231, True, pd.NaT,
                                 "2025-12", "01/02/2025", "today", "20251231"])
def test_an_end_that_is_not_one_date_is_refused(bad):
    with pytest.raises(rl.DataError, match=r"^observation_end must be one date written year "
                       r"first, e\.g\. "
                       r"'2025-12-31', got "):
        _time.observation_end_day(bad)


def test_no_end_is_guessed():
    with pytest.raises(rl.DataError, match="observation_end is required"):
        _time.observation_end_day(None)
    with pytest.raises(rl.DataError, match="^calibration_end is required"):
        _time.observation_end_day(None, name="calibration_end")


def test_unknown_time_zone():
    with pytest.raises(rl.DataError, match=r"^Unknown time zone 'Mars'\. Use a name such as"):
        _time.check_timezone("Mars")
    assert _time.check_timezone(None) is None


def test_local_clock_time_by_default_converted_with_a_zone():
    stamps = pd.Series(pd.to_datetime(["2025-01-31 23:30", "2025-07-01 00:10"])
                       .tz_localize("America/Mexico_City"))
    assert _time.to_local(stamps).dt.day.tolist() == [31, 1]
    converted = _time.to_local(stamps, "UTC")
    assert converted.tolist() == [pd.Timestamp("2025-02-01 05:30"),
                                  pd.Timestamp("2025-07-01 06:10")]
    naive = pd.Series(pd.to_datetime(["2025-01-31 23:30"]))
    assert _time.to_local(naive, "UTC").equals(naive)


def test_text_with_several_offsets_is_read_value_by_value():
    raw = pd.Series(["2025-01-31 23:30-06:00", "2025-02-01 05:30+00:00", "2025-02-03", None,
                     "no date"])
    local = _time.parse_dates(raw)
    assert local.tolist()[:3] == [pd.Timestamp("2025-01-31 23:30"),
                                  pd.Timestamp("2025-02-01 05:30"), pd.Timestamp("2025-02-03")]
    assert local.isna().tolist() == [False, False, False, True, True]
    mexico = _time.parse_dates(raw, "America/Mexico_City")
    assert mexico.iloc[0] == mexico.iloc[1] == pd.Timestamp("2025-01-31 23:30")


def test_day_numbers_are_calendar_days():
    dates = pd.Series(pd.to_datetime(["1970-01-01 00:00", "1970-01-01 23:59", "2025-12-31 00:00"]))
    assert _time.day_numbers(dates).tolist() == [0, 0, 20453]


def test_text_dates_must_be_written_year_first_and_are_read_without_a_warning(recwarn):
    values = _time.parse_dates(pd.Series(["soon", "2025-01-01", "03/04/2025 10:00",
                                          "2025-04-03T10:00:00Z", 20250101]))
    assert values.isna().tolist() == [True, False, True, False, True]
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


def test_day_first_text_is_never_half_guessed():
    days = pd.Series(pd.date_range("2025-01-01", periods=365).strftime("%d/%m/%Y"))
    assert _time.parse_dates(days).isna().all()
    with pytest.raises(rl.DataError, match=r"is not a date in 365 rows, e\.g\. '01/01/2025'\. "
                       r"Write dates year first .* rl\.read_transactions also reads"):
        v.require_dates(pd.DataFrame({"date": days}), "date", "transactions")


def test_many_stamps_with_two_offsets_are_read_at_once():
    stamps = pd.Series(["2025-03-01 23:30-06:00", "2025-07-01 23:30-05:00"] * 50_000)
    local = _time.parse_dates(stamps)
    assert local.dt.day.tolist()[:2] == [1, 1] and local.dt.hour.eq(23).all()
    utc = _time.parse_dates(stamps, "UTC")
    assert utc.iloc[:2].tolist() == [pd.Timestamp("2025-03-02 05:30"),
                                     pd.Timestamp("2025-07-02 04:30")]
