"""Net promoter score, its confidence interval and the difference of two segments."""

import math

import pandas as pd
import pytest

from relmark_lab import DataError
from relmark_lab import differentiate as dif


def test_nps_and_its_standard_error():
    survey = pd.DataFrame({"recommend": [10, 9, 8, 7, 6, 0, 10, 9, 3, 5]})
    row = dif.net_promoter_score(survey).iloc[0]
    assert row["nps"] == pytest.approx(0.0)  # 4 promoters, 4 detractors
    # Var = (0.4 + 0.4 - 0) / 10 = 0.08 -> SE 28.28 points
    assert row["se"] == pytest.approx(100 * math.sqrt(0.08))
    assert row["ci_high"] == pytest.approx(1.959964 * 100 * math.sqrt(0.08), rel=1e-5)


def test_nps_by_segment_keeps_empty_categories_and_missing_labels():
    survey = pd.DataFrame({"recommend": [10, 0, 9, 10],
                           "g": pd.Categorical(["x", "x", "x", None], categories=["x", "y"])})
    table = dif.net_promoter_score(survey, by="g").set_index("segment")
    assert table.loc["x", "nps"] == pytest.approx(100 / 3)
    assert table.loc["y", "n"] == 0 and math.isnan(table.loc["y", "nps"])
    assert table.loc["(missing)", "n"] == 1


def test_nps_out_of_range_score_is_named():
    survey = pd.DataFrame({"recommend": [10, 11, 11, 3]})
    with pytest.raises(DataError, match=r"^survey: column 'recommend' is outside 0–10 in 2 "
                                        r"rows, e\.g\. 11\.$"):
        dif.net_promoter_score(survey)


def test_nps_missing_column_and_bad_options_are_named():
    with pytest.raises(DataError, match="Column 'recommend' is missing from the survey"):
        dif.net_promoter_score(pd.DataFrame({"satisfaction": [3]}))
    survey = pd.DataFrame({"recommend": [10, 3]})
    with pytest.raises(DataError, match="method must be 'normal' or 'bootstrap'"):
        dif.net_promoter_score(survey, method="exact")
    for confidence in (0, 1, 95):
        with pytest.raises(DataError, match="confidence must be"):
            dif.net_promoter_score(survey, confidence=confidence)


def test_nps_bootstrap_is_reproducible_and_close_to_the_formula(kit):
    survey = kit[2]
    normal = dif.net_promoter_score(survey).iloc[0]
    first = dif.net_promoter_score(survey, method="bootstrap", seed=1).iloc[0]
    again = dif.net_promoter_score(survey, method="bootstrap", seed=1).iloc[0]
    assert first["ci_low"] == again["ci_low"]
    assert round(normal["nps"], 1) == -35.9
    assert first["se"] == pytest.approx(normal["se"], rel=0.1)


def test_nps_difference_adds_variances():
    survey = pd.DataFrame({"recommend": [10, 10, 0, 5, 0, 0], "g": list("aabbbb")})
    diff = dif.nps_difference(survey, "g", "a", "b")
    assert diff["difference"] == pytest.approx(200.0)
    assert diff["se"] == pytest.approx(0.0)
    with pytest.raises(DataError, match="segment 'c' of column 'g' has no answers"):
        dif.nps_difference(survey, "g", "a", "c")
