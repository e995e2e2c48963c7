"""Today's customers valued with the CLV models: by period, at given parameters, bootstrapped."""

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import DataError, clv
from relmark_lab.equity import bootstrap_equity, equity_at, expected_margins


@pytest.fixture(scope="module")
def kit():
    truth = rl.datasets.load_truth()
    data = clv.summarize(rl.datasets.load_transactions(), truth["observation_end"],
                         time_unit="M")
    return data, truth


def test_margins_by_period_discounted_are_the_clv_models_value(kit):
    data, _ = kit
    bgnbd, spend = clv.BetaGeoNBD().fit(data), clv.GammaGamma().fit(data)
    margins = expected_margins(bgnbd, spend, data, 24, margin_rate=0.3)
    rate = (1.12) ** (1 / 12) - 1
    discounted = (margins / (1 + rate) ** margins.index.to_numpy()).sum()
    total = clv.customer_lifetime_value(bgnbd, spend, data, 24, discount_rate=0.12,
                                        margin_rate=0.3).sum()
    assert discounted == pytest.approx(total, rel=1e-9)
    assert margins.attrs["time_unit"] == "M" and (margins.diff().dropna() < 0).all()


def test_the_bootstrap_interval_covers_the_value_at_the_true_parameters(kit):
    data, truth = kit
    weeks_per_month = 365.25 / 12 / 7
    true_bgnbd = {**truth["bgnbd"], "alpha": truth["bgnbd"]["alpha"] / weeks_per_month}
    true_value = equity_at(true_bgnbd, truth["gamma_gamma"], data, 36, discount_rate=0.12,
                           time_unit="M", margin_rate=0.3)
    result = bootstrap_equity(data, 36, discount_rate=0.12, margin_rate=0.3, replicates=25)
    assert result.covers(true_value)
    assert result.lower < result.estimate < result.upper
    assert (result.upper - result.lower) / result.estimate < 0.15
    assert len(result.replicates) == 25 and result.time_unit == "M"
    again = bootstrap_equity(data, 36, discount_rate=0.12, margin_rate=0.3, replicates=25)
    np.testing.assert_array_equal(again.replicates, result.replicates)  # seeded


def test_a_wrong_parameter_set_is_a_sentence(kit):
    data, truth = kit
    with pytest.raises(DataError, match="BetaGeoNBD parameters must be a dict of r, alpha, a, b"):
        equity_at({"r": 1.0}, truth["gamma_gamma"], data, 3, discount_rate=0.1, time_unit="M")
    with pytest.raises(DataError, match="replicates"):
        bootstrap_equity(data, 3, discount_rate=0.1, replicates=5)
    with pytest.raises(DataError, match="level"):
        bootstrap_equity(data, 3, discount_rate=0.1, level=1.5)
    with pytest.raises(DataError, match="horizon"):
        expected_margins(clv.BetaGeoNBD().fit(data), clv.GammaGamma().fit(data), data, 0)
    with pytest.raises(DataError):
        expected_margins("model", clv.GammaGamma().fit(data), data, 3)


def test_the_models_unit_is_kept():
    data = pd.DataFrame({"frequency": [0, 2, 5], "recency": [0.0, 3.0, 8.0], "T": [9.0] * 3,
                         "monetary_value": [0.0, 20.0, 30.0]})
    with pytest.raises(DataError):
        bootstrap_equity(data, 3, discount_rate=0.1, replicates=20)  # no time unit
