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
    with pytest.raises(rl.DataError, match="'frequency_holdout' is missing"):
        clv.calibration_vs_holdout(bgnbd, summary.drop(columns="frequency_holdout"))
    with pytest.raises(rl.DataError, match="Column 'T' is missing"):
        clv.frequency_histogram(bgnbd, summary.drop(columns="T"))
    with pytest.raises(rl.DataError, match="max_frequency must be a whole number"):
        clv.frequency_histogram(bgnbd, summary, max_frequency=float("inf"))
    monthly = summary.copy()
    monthly.attrs["time_unit"] = "M"
    with pytest.raises(rl.DataError, match="fitted in time_unit='W'"):
        clv.frequency_histogram(bgnbd, monthly)
