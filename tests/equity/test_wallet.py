"""Share of customer: the equity gained by winning more of each surveyed customer's wallet."""

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import DataError, differentiate
from relmark_lab.datasets import practice
from relmark_lab.equity import share_of_wallet_gain


def _survey():
    return pd.DataFrame({"customer_id": ["a", "b", "c", "d", "e", "f"],
                         "share_of_wallet": [0.25, 0.5, 0.9, 0.0, 0.4, 0.2],
                         "tier": ["x", "x", "y", "y", "y", None]})


def _clv():
    # d has a share of 0 and e a negative value: both set aside; f has no CLV row.
    return pd.Series({"a": 100.0, "b": 200.0, "c": 90.0, "d": 40.0, "e": -10.0})


def test_overall_gain_worked_out_by_hand():
    table = share_of_wallet_gain(_survey(), _clv(), 0.25)
    row = table.iloc[0]
    assert table.columns.tolist() == ["segment", "customers", "unusable", "without_clv",
                                      "equity", "gain", "gain_pct", "cross_sell_potential"]
    assert row["segment"] == "all surveyed" and row["customers"] == 6
    assert (row["unusable"], row["without_clv"]) == (2, 1)
    # a: 100 (0.50/0.25 - 1) = 100; b: 200 (0.75/0.5 - 1) = 100; c capped: 90 (1/0.9 - 1) = 10.
    assert row["equity"] == 390.0
    assert row["gain"] == pytest.approx(210.0)
    assert row["gain_pct"] == pytest.approx(210.0 / 390.0)
    # Whole wallet: a 300, b 200, c 10; f adds nothing (no CLV: worth 0).
    assert row["cross_sell_potential"] == pytest.approx(510.0)
    assert table.attrs["points"] == 0.25


def test_segments_from_the_survey_or_from_a_table_keep_missing_and_empty_groups():
    by_survey = share_of_wallet_gain(_survey(), _clv(), 0.25, by="tier").set_index("tier")
    assert by_survey["customers"].to_dict() == {"(missing)": 1, "x": 2, "y": 3}
    assert by_survey.loc["x", "gain"] == pytest.approx(200.0)
    assert by_survey.loc["y", "gain"] == pytest.approx(10.0)
    assert by_survey.loc["y", "unusable"] == 2
    assert np.isnan(by_survey.loc["(missing)", "gain_pct"])  # no equity to grow
    tiers = pd.DataFrame({"customer_id": ["a", "b", "c", "zz"],
                          "tier": pd.Categorical(["x", "x", "y", "y"],
                                                 categories=["x", "y", "z"])})
    by_table = share_of_wallet_gain(_survey(), _clv(), 0.25, by="tier",
                                    segments=tiers).set_index("tier")
    assert by_table["customers"].to_dict() == {"x": 2, "y": 1, "z": 0, "(missing)": 3}
    assert by_table.loc["x", "cross_sell_potential"] == pytest.approx(500.0)


def test_no_points_gain_nothing_and_the_whole_wallet_gains_the_cross_sell_potential():
    assert share_of_wallet_gain(_survey(), _clv(), 0.0)["gain"].iloc[0] == 0.0
    whole = share_of_wallet_gain(_survey(), _clv(), 1.0).iloc[0]
    assert whole["gain"] == pytest.approx(whole["cross_sell_potential"])


def test_bad_shares_and_arguments_are_a_sentence():
    survey = _survey().assign(share_of_wallet=[0.25, 1.2, 0.9, 0.0, 0.4, 0.2])
    with pytest.raises(DataError, match=r"survey: column 'share_of_wallet' is outside 0–1 in "
                                        r"1 row, e\.g\. 1\.2\."):
        share_of_wallet_gain(survey, _clv(), 0.05)
    with pytest.raises(DataError, match="Column 'share_of_wallet' is missing from the survey"):
        share_of_wallet_gain(_survey().drop(columns="share_of_wallet"), _clv(), 0.05)
    with pytest.raises(DataError, match="column 'customer_id' is repeated in 1 row, e.g. 'a'"):
        share_of_wallet_gain(pd.concat([_survey(), _survey().head(1)]), _clv(), 0.05)
    with pytest.raises(DataError, match="points must be a finite number at least 0 and at most "
                                        "1, got 5"):
        share_of_wallet_gain(_survey(), _clv(), 5)
    with pytest.raises(DataError, match="segments was given without by"):
        share_of_wallet_gain(_survey(), _clv(), 0.05, segments=_survey())
    with pytest.raises(DataError, match="Column 'region' is missing from the survey"):
        share_of_wallet_gain(_survey(), _clv(), 0.05, by="region")


@pytest.fixture(scope="module")
def kit():
    return rl.datasets.load_survey(), practice.kit_clv(), rl.datasets.load_customers()


def test_kit_gain_matches_pandas_by_channel(kit):
    survey, clv, customers = kit
    table = share_of_wallet_gain(survey, clv, 0.05, by="acquisition_channel",
                                 segments=customers).set_index("acquisition_channel")
    merged = survey.merge(customers[["customer_id", "acquisition_channel"]], on="customer_id")
    merged["clv"] = clv.reindex(merged["customer_id"]).to_numpy()
    usable = merged[merged["share_of_wallet"] > 0]
    share = usable["share_of_wallet"]
    usable = usable.assign(gain=usable["clv"] * ((share + 0.05).clip(upper=1) / share - 1),
                           whole=usable["clv"] * (1 / share - 1))
    expected = usable.groupby("acquisition_channel")[["clv", "gain", "whole"]].sum()
    np.testing.assert_allclose(table.loc[expected.index, "equity"], expected["clv"])
    np.testing.assert_allclose(table.loc[expected.index, "gain"], expected["gain"])
    np.testing.assert_allclose(table.loc[expected.index, "cross_sell_potential"],
                               expected["whole"])
    assert table["customers"].sum() == len(survey) == 1500
    assert table["unusable"].sum() == int((survey["share_of_wallet"] == 0).sum()) == 1
    assert table["without_clv"].sum() == 0
    # Five more points on a mean share of 0.40 is about 15% more equity (5 / 40 = 12.5%
    # at the mean; low shares gain more).
    overall = share_of_wallet_gain(survey, clv, 0.05).iloc[0]
    assert overall["gain_pct"] == pytest.approx(0.150, abs=0.01)


def test_with_spend_for_clv_the_potential_is_lesson_02s_wallet_left_on_table(kit):
    survey, _, _ = kit
    spend = differentiate.annual_spend(rl.datasets.load_transactions(), "2025-12-31")
    wallets = differentiate.wallet_left_on_table(survey, spend)
    per_year = spend.set_index("customer_id")["spend_per_year"]
    table = share_of_wallet_gain(survey, per_year, 0.05).iloc[0]
    assert table["cross_sell_potential"] == pytest.approx(
        wallets.loc[wallets["usable"], "left_on_table"].sum(), rel=1e-12)
    assert table["unusable"] == int((~wallets["usable"]).sum())
