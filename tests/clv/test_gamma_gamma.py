"""Gamma-gamma: the Fader & Hardie note, the kit's truth, units and bad input."""

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import clv


def test_gamma_gamma_reproduces_the_fader_hardie_note(cdnow_calibration):
    model = clv.GammaGamma().fit(cdnow_calibration)
    assert model.params_.round(2).to_dict() == {"p": 6.25, "q": 3.74, "gamma": 15.44}
    assert model.n_customers_ == 946 and model.n_excluded_ == 1411
    assert model.expected_mean_spend() == pytest.approx(6.25 * 15.44 / 2.74, rel=2e-3)
    assert model.time_unit_ == "W"


def test_gamma_gamma_recovers_the_kits_truth(kit_summary, covers):
    truth = rl.datasets.load_truth()
    spend = clv.GammaGamma().fit(kit_summary)
    assert covers(spend, truth["gamma_gamma"]) == {"p": True, "q": True, "gamma": True}


def test_the_unit_is_recorded_when_known_and_never_required(cdnow_calibration):
    data = cdnow_calibration[["frequency", "monetary_value"]].copy()
    data.attrs = {}
    assert clv.GammaGamma().fit(data).time_unit_ is None
    assert clv.GammaGamma().fit(data, time_unit="M").time_unit_ == "M"
    # Spend per purchase does not depend on the unit: a weekly fit values monthly data.
    monthly = data.copy()
    monthly.attrs["time_unit"] = "M"
    spend = clv.GammaGamma().fit(cdnow_calibration).expected_customer_spend(monthly)
    assert spend.notna().all()


def test_bad_spend_raises_data_errors():
    with pytest.raises(rl.DataError, match=r"GammaGamma data: column 'monetary_value' is 0 or "
                                           r"negative for customers with repeat purchases in "
                                           r"1 row, e\.g\. 0\.0\. The gamma-gamma model"):
        clv.GammaGamma().fit(pd.DataFrame({"frequency": [1, 2], "monetary_value": [0.0, 3.0]}))
    with pytest.raises(rl.DataError, match=r"column 'monetary_value' is not a number"):
        clv.GammaGamma().fit(pd.DataFrame({"frequency": [1], "monetary_value": ["x"]}))
