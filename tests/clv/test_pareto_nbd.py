"""Pareto/NBD: the published CDNOW estimates and bad input."""

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import clv


def test_pareto_nbd_reproduces_the_published_estimates(cdnow_calibration):
    model = clv.ParetoNBD().fit(cdnow_calibration)
    assert model.params_.round(3).to_dict() == {"r": 0.553, "alpha": 10.578, "s": 0.606,
                                                "beta": 11.669}
    assert round(model.log_likelihood_, 1) == -9595.0
    assert model.time_unit_ == "W"


def test_pareto_nbd_refuses_bad_data_and_other_units(cdnow_calibration):
    data = pd.DataFrame({"frequency": [1, 0], "recency": [2.0, 0.0], "T": [3.0, 4.0]})
    with pytest.raises(rl.DataError, match="Column 'T' is missing from the ParetoNBD data"):
        clv.ParetoNBD().fit(data.drop(columns="T"), time_unit="W")
    with pytest.raises(rl.DataError, match=r"column 'T' is below 0 in 1 row"):
        clv.ParetoNBD().fit(data.assign(T=[3.0, -1.0]), time_unit="W")
    with pytest.raises(rl.DataError, match=r"column 'T' is 0 for a customer with repeat "
                                           r"purchases in 1 row"):
        clv.ParetoNBD().fit(data.assign(T=[0.0, 4.0], recency=[0.0, 0.0]), time_unit="W")
    model = clv.ParetoNBD().fit(cdnow_calibration)
    daily = cdnow_calibration.copy()
    daily.attrs["time_unit"] = "D"
    with pytest.raises(rl.DataError, match="fitted in time_unit='W'"):
        model.expected_purchases(daily, 7.0)
    with pytest.raises(rl.DataError, match="future_t must be a finite number"):
        model.expected_purchases(cdnow_calibration, float("inf"))
