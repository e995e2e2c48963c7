"""Model checks of the papers: frequency histogram, tracking, calibration vs holdout."""

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import clv


@pytest.fixture(scope="module")
def cdnow():
    return rl.datasets.load_cdnow("sample")


@pytest.fixture(scope="module")
def summary(cdnow):
    return clv.summarize(cdnow, "1998-06-30", calibration_end="1997-09-30", time_unit="W")


@pytest.fixture(scope="module")
def bgnbd(summary):
    return clv.BetaGeoNBD().fit(summary)


def test_frequency_histogram_matches_the_paper(bgnbd, summary):
    table = clv.frequency_histogram(bgnbd, summary)
    assert table["frequency"].tolist() == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert table["actual"].tolist() == [1411, 439, 214, 100, 62, 38, 29, 64]
    assert table["expected"].sum() == pytest.approx(2357)
    assert table["expected"].round(0).tolist() == [1408, 460, 192, 101, 60, 38, 26, 72]


def test_calibration_vs_holdout_matches_the_paper(bgnbd, summary):
    table = clv.calibration_vs_holdout(bgnbd, summary)
    assert table["customers"].tolist() == [1411, 439, 214, 100, 62, 38, 29, 64]
    assert table["actual"].round(2).tolist()[:3] == [0.24, 0.70, 1.39]
    assert table["expected"].round(2).tolist()[:3] == [0.23, 0.52, 1.04]
    pareto = clv.calibration_vs_holdout(clv.ParetoNBD().fit(summary), summary)
    assert round(pareto["expected"].iloc[0], 2) == 0.14


def test_tracking_counts_every_repeat_purchase(bgnbd, cdnow):
    track = clv.tracking_repeat_purchases(bgnbd, cdnow, "1997-09-30", "1998-06-30")
    assert len(track) == 78 and track["in_calibration"].sum() == 39
    assert track["cumulative_actual"].iloc[38] == 2457
    assert track["cumulative_actual"].iloc[-1] == 2457 + 1882
    assert round(track["cumulative_expected"].iloc[-1]) == 4166
    np.testing.assert_allclose(track["expected"].cumsum(), track["cumulative_expected"])


def test_tracking_takes_its_periods_from_the_model(cdnow, summary):
    monthly = clv.BetaGeoNBD().fit(clv.summarize(cdnow, "1997-09-30", time_unit="M"))
    track = clv.tracking_repeat_purchases(monthly, cdnow, "1997-09-30", "1998-06-30")
    assert len(track) == 18 and track["cumulative_actual"].iloc[-1] == 2457 + 1882
    unfitted_unit = clv.BetaGeoNBD()
    unfitted_unit.params_ = monthly.params_
    with pytest.raises(rl.DataError, match="records no time_unit_"):
        clv.tracking_repeat_purchases(unfitted_unit, cdnow, "1997-09-30", "1998-06-30")


def test_tracking_sees_the_calibration_as_it_was_known():
    tx = pd.DataFrame({
        "customer_id": ["a", "a", "a", "b"],
        "date": pd.to_datetime(["2024-01-01", "2024-01-10", "2024-01-20", "2024-01-25"]),
        "amount": [10.0, 20.0, -20.0, 5.0],
        "order_id": ["1", "2", "2", "3"],  # order 2 returned after the calibration end
    })
    model = clv.BetaGeoNBD()
    model.params_, model.time_unit_ = pd.Series({"r": 0.2, "alpha": 4.0, "a": 0.8, "b": 2.4}), "D"
    track = clv.tracking_repeat_purchases(model, tx, "2024-01-15", "2024-01-31")
    assert track["actual"].sum() == 1 and track.loc[9, "actual"] == 1  # day 10: a's repeat


def test_validation_errors_name_the_missing_column(bgnbd, summary):
    with pytest.raises(rl.DataError, match=r"Column 'frequency_holdout' is missing from the "
                                           r"calibration_vs_holdout data.*The holdout columns "
                                           r"come from rl\.clv\.summarize\(\.\.\., "
                                           r"calibration_end=\.\.\.\)\."):
        clv.calibration_vs_holdout(bgnbd, summary.drop(columns="frequency_holdout"))
    with pytest.raises(rl.DataError, match="Column 'T' is missing"):
        clv.frequency_histogram(bgnbd, summary.drop(columns="T"))
    with pytest.raises(rl.DataError, match="max_frequency must be a whole number"):
        clv.frequency_histogram(bgnbd, summary, max_frequency=float("inf"))
    monthly = summary.copy()
    monthly.attrs["time_unit"] = "M"
    with pytest.raises(rl.DataError, match="fitted in time_unit='W'"):
        clv.frequency_histogram(bgnbd, monthly)


def test_tracking_periods_end_on_a_day_and_the_last_one_at_observation_end(cdnow):
    monthly = clv.BetaGeoNBD().fit(clv.summarize(cdnow, "1997-09-30", time_unit="M"))
    track = clv.tracking_repeat_purchases(monthly, cdnow, "1997-09-30", "1998-06-30")
    ends = track["period_end"]
    assert (ends == ends.dt.normalize()).all()  # dates, no time of day
    assert str(ends.iloc[0].date()) == "1997-01-31"  # days 0-30: 31 days < 30.44 * 1 + 1
    assert str(ends.iloc[-1].date()) == "1998-06-30"  # partial: cut at observation_end
    # In the calibration: the periods ending on or before calibration_end (8 months; the
    # 9th straddles 1997-09-30 and counts as holdout).
    assert track["in_calibration"].tolist() == [True] * 8 + [False] * 10
    assert (track.loc[track["in_calibration"], "period_end"] <= "1997-09-30").all()
    # The partial last period expects only what its observed days allow.
    age = 546 / (365.25 / 12)  # 1997-01-01 to 1998-06-30, in months
    first_days = clv.summarize(cdnow, "1997-09-30", time_unit="D")["T"].max() - \
        clv.summarize(cdnow, "1997-09-30", time_unit="D")["T"]
    expected = sum(monthly.expected_purchases_new_customer(age - b / (365.25 / 12))
                   for b in first_days)
    assert track["cumulative_expected"].iloc[-1] == pytest.approx(expected)


def test_tracking_carries_the_contracts_attrs(bgnbd, cdnow):
    track = clv.tracking_repeat_purchases(bgnbd, cdnow, "1997-09-30", "1998-06-30")
    assert track.attrs == {
        "observation_end": pd.Timestamp("1998-06-30"),
        "lines_after_observation_end": 0,
        "customers_without_purchases": 0,
        "calibration_end": pd.Timestamp("1997-09-30"),
        "customers_first_buying_in_holdout": 0,
        "time_unit": "W",
    }
    early = clv.tracking_repeat_purchases(bgnbd, cdnow, "1997-09-30", "1998-03-31")
    assert early.attrs["lines_after_observation_end"] == int((cdnow["date"] > "1998-03-31").sum())


@pytest.mark.parametrize("check", ["histogram", "holdout", "tracking"])
def test_model_checks_need_a_fitted_purchase_model(check, cdnow, summary):
    spend = clv.GammaGamma().fit(summary)
    run = {"histogram": lambda m: clv.frequency_histogram(m, summary),
           "holdout": lambda m: clv.calibration_vs_holdout(m, summary),
           "tracking": lambda m: clv.tracking_repeat_purchases(m, cdnow, "1997-09-30",
                                                                "1998-06-30")}[check]
    with pytest.raises(rl.DataError, match=r"model must be a fitted BetaGeoNBD(, | or )"
                                           r"ParetoNBD.*, got GammaGamma\."):
        run(spend)
    with pytest.raises(rl.DataError, match=r"got None\."):
        run(None)
    with pytest.raises(rl.DataError, match="not fitted yet"):
        run(clv.ParetoNBD())


def test_model_checks_refuse_unusable_columns(bgnbd, summary):
    for column in ("frequency", "T"):
        gap = summary.copy()
        gap.loc[0, column] = np.nan
        with pytest.raises(rl.DataError, match=rf"frequency_histogram data: column {column!r} "
                                               rf"is missing in 1 row, e\.g\. row 0\."):
            clv.frequency_histogram(bgnbd, gap)
    text = summary.astype({"frequency_holdout": object})
    text.loc[3, "frequency_holdout"] = "x"
    with pytest.raises(rl.DataError, match=r"calibration_vs_holdout data: column "
                                           r"'frequency_holdout' is not a number in 1 row, "
                                           r"e\.g\. 'x'\."):
        clv.calibration_vs_holdout(bgnbd, text)
    with pytest.raises(rl.DataError, match=r"column 'duration_holdout' is below 0"):
        clv.calibration_vs_holdout(bgnbd, summary.assign(duration_holdout=-1.0))
