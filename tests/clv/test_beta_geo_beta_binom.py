"""BG/BB: the donations estimates of Fader, Hardie & Shang (2010), units and bad input."""

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import clv


def test_bgbb_reproduces_fader_hardie_shang_2010():
    model = clv.BetaGeoBetaBinomial().fit(rl.datasets.load_donations())
    assert model.params_.round(3).to_dict() == {"alpha": 1.204, "beta": 0.750, "gamma": 0.657,
                                                "delta": 2.783}
    assert round(model.log_likelihood_, 1) == -33225.6
    assert model.n_customers_ == 11104 and model.n_patterns_ == 22
    assert model.time_unit_ == "Y"  # the donations record their annual opportunities


def test_bgbb_needs_the_unit_and_whole_opportunities():
    donations = rl.datasets.load_donations()
    plain = pd.DataFrame(donations)  # same data
    plain.attrs = {}
    with pytest.raises(rl.DataError, match="BetaGeoBetaBinomial.fit needs the time unit"):
        clv.BetaGeoBetaBinomial().fit(plain)
    model = clv.BetaGeoBetaBinomial().fit(plain, time_unit="Y")
    with pytest.raises(rl.DataError, match="future_t must be a whole number"):
        model.expected_purchases(donations, 1.5)
    with pytest.raises(rl.DataError, match=r"column 'recency' is smaller than frequency"):
        model.expected_purchases(pd.DataFrame({"frequency": [3], "recency": [2],
                                               "n_periods": [6]}), 1)


def test_bgbb_times_are_whole_numbers_per_row_or_one():
    donations = rl.datasets.load_donations()
    model = clv.BetaGeoBetaBinomial().fit(donations)
    per_row = model.expected_purchases(donations, np.full(len(donations), 5))
    np.testing.assert_allclose(per_row, model.expected_purchases(donations, 5))
    with pytest.raises(rl.DataError, match=r"future_t must be one number, or one per row of "
                                           r"the data \(22 rows\), got 2 values\."):
        model.expected_probability_alive(donations, [1, 2])
    with pytest.raises(rl.DataError, match=r"t must be a whole number of at least 0, "
                                           r"got \[1, 2\]\."):
        model.probability_of_purchases([0, 1], [1, 2])
