"""Spend per year, survey scores against spend, and the wallet left on the table."""

import math

import pandas as pd
import pytest

from relmark_lab import DataError
from relmark_lab import differentiate as dif


def test_annual_spend_over_tenure_and_window(small):
    spend = dif.annual_spend(small, "2024-12-31").set_index("customer_id")
    # b: 30 MXN over 334 days, in years of 365.25 days
    assert spend.loc["b", "tenure_days"] == 334
    assert spend.loc["b", "spend_per_year"] == pytest.approx(30 / 334 * 365.25)
    window = dif.annual_spend(small, "2024-12-31", window_days=200).set_index("customer_id")
    assert window.loc["c", "spend_per_year"] == pytest.approx(300 * 365.25 / 200)
    assert window.loc["b", "spend_per_year"] == 0.0
    # the window's days end with the last observed day: 2024-06-30 is day 185 of 185
    edge = dif.annual_spend(small, "2024-12-31", window_days=185).set_index("customer_id")
    assert edge.loc["c", "spend_per_year"] == pytest.approx(300 * 365.25 / 185)
    shorter = dif.annual_spend(small, "2024-12-31", window_days=184).set_index("customer_id")
    assert shorter.loc["c", "spend_per_year"] == 0.0
    with pytest.raises(DataError, match="window_days must be a whole number of at least 1"):
        dif.annual_spend(small, "2024-12-31", window_days=0)


def test_spend_by_score_and_correlation():
    survey = pd.DataFrame({"customer_id": list("abcd"), "satisfaction": [1, 2, 2, 5]})
    spend = pd.DataFrame({"customer_id": list("abcd"), "spend_per_year": [1.0, 2.0, 4.0, 9.0]})
    table = dif.spend_by_score(survey, spend).set_index("satisfaction")
    assert table.loc[2, "mean"] == 3.0 and table.loc[3, "customers"] == 0
    assert dif.score_spend_correlation(survey, spend)["rho"] == pytest.approx(0.9486833)


def test_survey_customer_without_spend_is_reported():
    survey = pd.DataFrame({"customer_id": ["a", "q"], "satisfaction": [3, 4]})
    spend = pd.DataFrame({"customer_id": ["a"], "spend_per_year": [1.0]})
    with pytest.raises(DataError, match=r"^survey: column 'customer_id' is missing from the "
                       r"customer values in 1 row, e\.g\. 'q'\."):
        dif.spend_by_score(survey, spend)


def test_wallet_left_on_table_counts_unusable_answers():
    survey = pd.DataFrame({"customer_id": list("abc"), "share_of_wallet": [0.25, 0.0, 1.0]})
    spend = pd.DataFrame({"customer_id": list("abc"), "spend_per_year": [100.0, 50.0, 80.0]})
    wallets = dif.wallet_left_on_table(survey, spend).set_index("customer_id")
    assert wallets.loc["a", "left_on_table"] == pytest.approx(300.0)
    assert wallets.loc["c", "left_on_table"] == 0.0
    assert not wallets.loc["b", "usable"] and math.isnan(wallets.loc["b", "wallet"])
    segments = pd.DataFrame({"customer_id": list("abc"),
                             "tier": pd.Categorical(["x", "x", "x"], categories=["x", "y"])})
    table = dif.wallet_by_segment(wallets.reset_index(), segments, "tier").set_index("tier")
    assert table.loc["x", "customers"] == 3 and table.loc["x", "unusable"] == 1
    assert table.loc["x", "left_on_table"] == pytest.approx(300.0)
    assert table.loc["x", "share_of_wallet"] == pytest.approx(180 / 480)
    assert table.loc["y", "customers"] == 0


def test_surveyed_customers_without_spend_or_segment_are_kept():
    survey = pd.DataFrame({"customer_id": ["a", "n"], "share_of_wallet": [0.5, 0.5]})
    spend = pd.DataFrame({"customer_id": ["a"], "spend_per_year": [100.0]})
    wallets = dif.wallet_left_on_table(survey, spend)
    assert wallets["spend"].tolist() == [100.0, 0.0]  # n bought nothing with us
    table = dif.wallet_by_segment(wallets, pd.DataFrame({"customer_id": ["a"], "tier": ["x"]}),
                                  "tier").set_index("tier")
    assert table["customers"].to_dict() == {"x": 1, "(missing)": 1}


def test_wallet_share_out_of_range_is_named():
    survey = pd.DataFrame({"customer_id": ["a"], "share_of_wallet": [1.4]})
    spend = pd.DataFrame({"customer_id": ["a"], "spend_per_year": [1.0]})
    with pytest.raises(DataError, match=r"^survey: column 'share_of_wallet' is outside 0–1 in "
                       r"1 row, e\.g\. 1\.4\.$"):
        dif.wallet_left_on_table(survey, spend)


def test_duplicate_ids_in_survey_tables_raise_data_error():
    survey = pd.DataFrame({"customer_id": ["a", "a", "b"], "share_of_wallet": [0.5, 0.4, 0.2],
                           "satisfaction": [3, 4, 5]})
    spend = pd.DataFrame({"customer_id": ["a", "b"], "spend_per_year": [100.0, 50.0]})
    with pytest.raises(DataError, match=r"^survey: column 'customer_id' is repeated in 1 row, "
                       r"e\.g\. 'a'\."):
        dif.wallet_left_on_table(survey, spend)
    twice = pd.concat([spend, spend.iloc[[1]]])
    with pytest.raises(DataError, match=r"^customer values: column 'customer_id' is repeated "
                       r"in 1 row, e\.g\. 'b'\."):
        dif.wallet_left_on_table(survey.drop_duplicates("customer_id"), twice)
    with pytest.raises(DataError, match=r"^customer values: column 'customer_id' is repeated"):
        dif.spend_by_score(survey, twice)
    wallets = dif.wallet_left_on_table(survey.drop_duplicates("customer_id"), spend)
    with pytest.raises(DataError, match=r"^wallets: column 'customer_id' is repeated in 1 row, "
                       r"e\.g\. 'a'\."):
        dif.wallet_by_segment(pd.concat([wallets, wallets.iloc[[0]]]),
                              pd.DataFrame({"customer_id": ["a", "b"], "tier": ["x", "y"]}), "tier")
    with pytest.raises(DataError, match=r"^segment table: column 'customer_id' is repeated in "
                       r"1 row, e\.g\. 'b'\."):
        dif.wallet_by_segment(wallets, pd.DataFrame({"customer_id": ["a", "b", "b"],
                                                     "tier": ["x", "y", "x"]}), "tier")
    # spend stored as text is read as numbers
    as_text = dif.wallet_left_on_table(survey.drop_duplicates("customer_id"),
                                       spend.assign(spend_per_year=["100", "50"]))
    assert as_text["left_on_table"].tolist() == pytest.approx([100.0, 200.0])
