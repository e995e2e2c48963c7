"""The GLS 2004 firms in one frozen table, and valuing them from it."""

import dataclasses

import pandas as pd
import pytest

from relmark_lab import DataError
from relmark_lab.equity import (
    GLS_FIRMS,
    LogisticGrowth,
    customer_equity,
    gls_customer_equity,
    gls_growth,
    gls_table,
)
from relmark_lab.equity.published import QUARTERLY_DISCOUNT_RATE, TAX_RATE, VALUED_AT


@pytest.mark.parametrize("firm", GLS_FIRMS)
def test_now_is_the_quarters_from_the_data_start_to_the_valuation(firm):
    row = GLS_FIRMS[firm]
    quarters = pd.Period(VALUED_AT, "Q") - pd.Period(row.data_start, "Q")
    assert row.now == quarters.n


def test_the_transcribed_table_5_keeps_the_papers_own_identity():
    # A 1% better margin raises every customer's value: 1 + the acquisition cost's effect
    # (drivers.equity_elasticities). The published rows satisfy it to the rounding.
    for row in GLS_FIRMS.values():
        assert row.margin_effect - row.acquisition_cost_effect == pytest.approx(1.0, abs=1e-9)


def test_the_table_is_frozen_and_one_frame_shows_it():
    with pytest.raises(dataclasses.FrozenInstanceError):
        GLS_FIRMS["Amazon"].margin = 4.0
    with pytest.raises(TypeError):
        GLS_FIRMS["Amazon"] = GLS_FIRMS["eBay"]
    table = gls_table()
    assert list(table.index) == ["Amazon", "Ameritrade", "Capital One", "eBay", "E*Trade"]
    assert table.loc["Ameritrade", "customers"] == 1.877  # 1,877,000 customers
    assert table.loc["E*Trade", "acquisition_cost"] == 391.00
    assert (table["market_value"] > 0).all() and (table["annual_retention"] < 1).all()


def test_the_growth_curve_is_table_3_and_matches_a_refit_of_its_own_counts():
    growth = gls_growth("Capital One")
    assert growth.params_ == {"alpha": 171.2, "beta": -3.052, "gamma": 0.149}
    counts = pd.Series(growth.cumulative(range(22)), index=range(22))
    refit = LogisticGrowth().fit(counts, time_unit="Q")
    assert refit.peak_period_ == pytest.approx(growth.peak_period_, rel=1e-4)
    assert growth.time_unit_ == "Q"


def test_the_valuation_is_customer_equity_in_quarterly_units():
    # 95% a year is 0.95 ** 0.25 a quarter; margins are quarterly already.
    row = GLS_FIRMS["Ameritrade"]
    direct = customer_equity(row.customers, row.margin, row.annual_retention ** 0.25,
                             QUARTERLY_DISCOUNT_RATE, growth=gls_growth("Ameritrade"),
                             now=row.now, acquisition_cost=row.acquisition_cost,
                             tax_rate=TAX_RATE)
    assert gls_customer_equity("Ameritrade") == direct
    assert gls_customer_equity("Ameritrade", tax_rate=0.0).total == \
        pytest.approx(direct.total / (1 - TAX_RATE))


def test_overrides_change_only_what_they_name():
    base = gls_customer_equity("eBay")
    later = gls_customer_equity("eBay", now=25)
    assert later.current == base.current and later.future < base.future  # fewer still to come
    fewer = gls_customer_equity("eBay", customers_now=23.05)
    assert fewer.current == pytest.approx(base.current / 2) and fewer.future == base.future


@pytest.mark.parametrize(("firm", "overrides", "words"), [
    ("Walmart", {}, "firm must be 'Amazon', 'Ameritrade', 'Capital One', 'eBay' or 'E.Trade', "
                    "got 'Walmart'"),
    ("Amazon", {"retention_rate": 0.9}, "1 unknown override.s., e.g. 'retention_rate'.*"
                                        "annual_retention, per year"),
    ("Amazon", {"annual_retention": 1.2}, "annual_retention must be a finite number at least 0 "
                                          "and at most 1, got 1.2"),
    ("Amazon", {"tax_rate": -0.1}, "tax_rate"),
])
def test_bad_firms_and_overrides_are_a_sentence(firm, overrides, words):
    with pytest.raises(DataError, match=words):
        gls_customer_equity(firm, **overrides)
