"""Dates: forms, day-first inference and the time-zone rule (relmark_lab.data.dates)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from relmark_lab.data import read_transactions


def lines(dates, **columns) -> pd.DataFrame:
    n = len(dates)
    return pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "date": dates,
                         "amount": [str(i + 1) for i in range(n)], **columns})


def read_dates(dates, **options) -> list[pd.Timestamp]:
    tx, ledger = read_transactions(lines(dates), drop_duplicates=False, **options)
    assert ledger.rows_kept == len(dates), ledger.dropped
    return tx["date"].tolist()


# ---------------------------------------------------------------- forms


def test_day_first_is_inferred():
    tx, ledger = read_transactions(lines(["01/02/2024", "25/02/2024"]))
    assert tx["date"].tolist() == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-02-25")]
    assert any("day/month" in note and "'25/02/2024'" in note for note in ledger.notes)


def test_month_first_is_inferred():
    tx, ledger = read_transactions(lines(["01/02/24", "12/31/24 18:30"]))
    assert tx["date"].tolist() == [pd.Timestamp("2024-01-02"), pd.Timestamp("2024-12-31 18:30")]
    assert any("month/day (MM/DD/YYYY)" in note and "'12/31/24 18:30'" in note
               for note in ledger.notes)


def test_ambiguous_dates_are_month_first_with_a_note():
    raw = lines(["01/02/2024", "03.04.2024"])
    tx, ledger = read_transactions(raw)
    assert tx["date"].tolist() == [pd.Timestamp("2024-01-02"), pd.Timestamp("2024-03-04")]
    note = next(n for n in ledger.notes if "month/day" in n)
    assert "dayfirst=True" in note
    tx, ledger = read_transactions(raw, dayfirst=True)
    assert tx["date"].tolist() == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-04-03")]
    assert not any("month/day" in n for n in ledger.notes)


def test_conflicting_date_conventions_raise(read_error):
    raw = lines(["25/12/2024", "12/25/2024", "26/12/2024"])
    message = read_error("mixes date conventions", raw)
    assert "'date'" in message
    assert "2 dates are day/month" in message and "'25/12/2024'" in message
    assert "1 are month/day" in message and "'12/25/2024'" in message
    assert "dayfirst=" in message
    # Choosing a convention keeps the fitting dates and drops the others.
    _, ledger = read_transactions(raw, dayfirst=True)
    assert ledger.dropped == {"unparseable date": 1}


def test_other_date_forms():
    assert read_dates([
        "2024/03/07",
        "2024.3.7 09:15",
        "07-Mar-2024",
        "7 Mar 24",
        "2024-03-07T09:15:30.250",
        "2024-3-7",
    ]) == [
        pd.Timestamp("2024-03-07"),
        pd.Timestamp("2024-03-07 09:15"),
        pd.Timestamp("2024-03-07"),
        pd.Timestamp("2024-03-07"),
        pd.Timestamp("2024-03-07 09:15:30.250"),
        pd.Timestamp("2024-03-07"),
    ]


def test_partial_and_impossible_dates_are_unparseable():
    tx, ledger = read_transactions(lines(["2024", "2024-01", "2024-02-30", "2024-01-05"]))
    assert ledger.dropped == {"unparseable date": 3}
    assert tx["customer_id"].tolist() == ["c3"]


def test_cdnow_like_compact_dates_and_leading_zeros(write_file):
    text = "customer_id,date,quantity,amount\n00001,19970101,1,11.77\n00002,19970112,1,12.00\n"
    tx, _ = read_transactions(write_file("cdnow.csv", text))
    assert tx["customer_id"].tolist() == ["00001", "00002"]
    assert tx["date"].tolist() == [pd.Timestamp("1997-01-01"), pd.Timestamp("1997-01-12")]
    assert tx["quantity"].tolist() == [1, 1]
    assert list(tx.columns) == ["customer_id", "date", "amount", "quantity"]


def test_compact_dates_stored_as_integers():
    raw = pd.DataFrame({"customer_id": [1, 2], "date": [19970101, 19971231], "amount": [1.0, 2.0]})
    tx, _ = read_transactions(raw)
    assert tx["date"].dt.strftime("%Y-%m-%d").tolist() == ["1997-01-01", "1997-12-31"]
    assert tx["customer_id"].tolist() == ["1", "2"]


def test_python_datetime_objects_mixed_with_text():
    assert read_dates([pd.Timestamp("2024-01-15").to_pydatetime(), "2024-01-16"]) == [
        pd.Timestamp("2024-01-15"), pd.Timestamp("2024-01-16")]


# ---------------------------------------------------------------- time zones


def test_utc_offsets_keep_their_clock_time_by_default():
    # One offset in the column, several, hour-only and spaced offsets: each stamp keeps
    # the clock time it shows.
    assert read_dates(["2024-01-15T18:00:00+02:00"]) == [pd.Timestamp("2024-01-15 18:00")]
    assert read_dates(
        ["2024-03-10T10:00:00+01:00", "2024-03-10T04:00:00-05:00", "2024-03-10T09:00:00Z"]
    ) == [pd.Timestamp("2024-03-10 10:00"), pd.Timestamp("2024-03-10 04:00"),
          pd.Timestamp("2024-03-10 09:00")]
    assert read_dates(
        ["2024-03-10T10:00:00+01", "2024-03-10 04:00 -05:00", "2024-03-10 09:00:00.000Z"]
    ) == [pd.Timestamp("2024-03-10 10:00"), pd.Timestamp("2024-03-10 04:00"),
          pd.Timestamp("2024-03-10 09:00")]


def test_several_offsets_with_a_zone_become_that_zones_clock():
    dates = ["2024-03-10T10:00:00+01:00", "2024-03-10T04:00:00-05:00", "2024-03-10T09:00:00Z",
             "2024-03-10T10:00:00+01", "2024-03-10 04:00 -05:00"]
    assert read_dates(dates, timezone="UTC") == [pd.Timestamp("2024-03-10 09:00")] * 5
    assert read_dates(dates, timezone="America/Mexico_City") == (
        [pd.Timestamp("2024-03-10 03:00")] * 5)


def test_offsets_mixed_with_naive_stamps():
    # "2024-01-16" ends in "-16" but has no time of day: it is a date, not an offset.
    dates = ["2024-01-15T18:00:00Z", "2024-01-15 09:30", "2024-01-15 20:00-06:00",
             "2024-01-16", "2024-01-15T18:00:00.5+0100"]
    # None: every stamp keeps its clock time.
    assert read_dates(dates) == [pd.Timestamp("2024-01-15 18:00"),
                                 pd.Timestamp("2024-01-15 09:30"),
                                 pd.Timestamp("2024-01-15 20:00"),
                                 pd.Timestamp("2024-01-16"),
                                 pd.Timestamp("2024-01-15 18:00:00.5")]
    # A zone: 18:00 UTC is 12:00 in Mexico City (UTC-6); naive stamps are taken as local.
    assert read_dates(dates, timezone="America/Mexico_City") == [
        pd.Timestamp("2024-01-15 12:00"),
        pd.Timestamp("2024-01-15 09:30"),
        pd.Timestamp("2024-01-15 20:00"),
        pd.Timestamp("2024-01-16"),
        pd.Timestamp("2024-01-15 11:00:00.5"),
    ]


def test_aware_stamps_near_midnight_stay_on_their_local_day():
    local = pd.to_datetime(["2025-12-31 23:30", "2025-06-01 00:10"]).tz_localize(
        "America/Mexico_City")
    raw = pd.DataFrame({"customer_id": ["a", "b"], "date": local, "amount": [40.0, 10.0]})
    text = raw.assign(date=local.strftime("%Y-%m-%d %H:%M:%S%z"))
    for source in (raw, text):
        tx, ledger = read_transactions(source, observation_end="2025-12-31")
        assert ledger.rows_kept == 2
        assert tx["date"].tolist() == [pd.Timestamp("2025-12-31 23:30"),
                                       pd.Timestamp("2025-06-01 00:10")]
        assert tx["date"].dt.tz is None
        # In UTC the 23:30 purchase falls on 1 January, after the end.
        tx, ledger = read_transactions(source, observation_end="2025-12-31", timezone="UTC")
        assert ledger.dropped == {"after observation end": 1}
        assert tx["date"].tolist() == [pd.Timestamp("2025-06-01 06:10")]  # UTC-6 all year


def test_aware_datetime_column_and_objects_follow_the_rule():
    aware = pd.to_datetime(["2024-01-15 18:00"]).tz_localize("Europe/Madrid")
    raw = pd.DataFrame({"customer_id": ["a"], "date": aware, "amount": [1.0]})
    assert read_transactions(raw)[0]["date"].tolist() == [pd.Timestamp("2024-01-15 18:00")]
    tx, _ = read_transactions(raw, timezone="UTC")
    assert tx["date"].tolist() == [pd.Timestamp("2024-01-15 17:00")]
    objects = pd.Series([aware[0].to_pydatetime(), "2024-01-16"], dtype=object)
    assert read_dates(objects) == [pd.Timestamp("2024-01-15 18:00"), pd.Timestamp("2024-01-16")]
    assert read_dates(objects, timezone="UTC")[0] == pd.Timestamp("2024-01-15 17:00")


def test_naive_stamps_are_unchanged_by_a_zone():
    assert read_dates(["2024-01-15 09:30"], timezone="Asia/Tokyo") == [
        pd.Timestamp("2024-01-15 09:30")]


# ---------------------------------------------------------------- errors a user can see


def test_error_every_date_unparseable(read_error):
    raw = pd.DataFrame({"customer_id": ["a", "b", "c"], "date": ["soon", "later", ""],
                        "amount": ["1", "2", "3"]})
    message = read_error("none of the 2 dates", raw)
    assert "'date'" in message and "'soon'" in message and "31/12/2024" in message


def test_error_every_date_missing(read_error):
    message = read_error("is empty", lines(["", " "]))
    assert "'date'" in message and "all 2 dates are missing" in message


def test_error_every_date_nat_in_datetime_column(read_error):
    raw = pd.DataFrame({"customer_id": ["a"], "date": pd.to_datetime([None]), "amount": [1.0]})
    read_error("all 1 dates are missing", raw)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"timezone": "Mars/Olympus"},
         "Unknown time zone 'Mars/Olympus'. Use a name such as 'America/Mexico_City'"),
        ({"dayfirst": "yes"}, "dayfirst must be True, False or None, not 'yes'."),
    ],
)
def test_error_bad_date_arguments(read_error, kwargs, words):
    read_error(re.escape(words), lines(["2024-01-05"]), **kwargs)
