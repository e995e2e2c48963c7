"""Relationship levels: every cell of Kotler's grid, its cuts and its messages."""

import pandas as pd
import pytest

from relmark_lab import DataError
from relmark_lab import differentiate as dif


def test_every_cell_of_the_grid():
    # 10,950 customers: 27% / 5.5% / 0.5% each; the average margin is (20 + 100 + 400) / 3,
    # so the margins are 0.12, 0.58 and 2.3 times it
    rows = []
    for how_many, count in (("many", 3000), ("medium", 600), ("few", 50)):
        for level, margin in (("low", 20.0), ("medium", 100.0), ("high", 400.0)):
            rows.append((f"{how_many}-{level}", count, margin))
    segments = pd.DataFrame(rows, columns=["segment", "customers", "margin_per_customer"])
    placed = dif.relationship_levels(segments).set_index("segment")
    assert placed.attrs["average_margin"] == pytest.approx(520 / 3)
    for (how_many, margin_level), level in dif.LEVEL_GRID.items():
        row = placed.loc[f"{how_many}-{margin_level}"]
        assert (row["how_many"], row["margin_level"], row["level"]) == (how_many, margin_level,
                                                                         level)
    assert set(dif.LEVEL_GRID.values()) == set(dif.RELATIONSHIP_LEVELS)


def test_the_cuts_are_inclusive_at_many_and_high_and_a_loss_is_low():
    segments = pd.DataFrame({"customers": [25, 70, 5],
                             "margin_per_customer": [200.0, 80.0, -50.0]})
    # average = (25*200 + 70*80 - 5*50) / 100 = 103.5; 25% is "many"
    placed = dif.relationship_levels(segments, high_multiple=200 / 103.5)
    assert placed["how_many"].tolist() == ["many", "many", "medium"]
    assert placed["margin_level"].tolist() == ["high", "medium", "low"]
    assert placed["customer_share"].tolist() == [0.25, 0.70, 0.05]
    assert placed["meaning"].iloc[0].startswith("calls the customer after the sale")


def test_messages():
    good = pd.DataFrame({"customers": [10, 20], "margin_per_customer": [5.0, 8.0]})
    with pytest.raises(DataError, match="segments: the table has no rows"):
        dif.relationship_levels(good.iloc[:0])
    with pytest.raises(DataError, match="adds up to no customers"):
        dif.relationship_levels(good.assign(customers=0))
    with pytest.raises(DataError, match=r"the average 'margin_per_customer' per customer is "
                                        r"-5\.00, not positive"):
        dif.relationship_levels(good.assign(margin_per_customer=-5.0))
    with pytest.raises(DataError, match="many_share must be a finite number at least 0.05"):
        dif.relationship_levels(good, many_share=0.01)
    with pytest.raises(DataError, match=r"column 'customers' is below 0 in 1 row, e\.g\. -3"):
        dif.relationship_levels(good.assign(customers=[-3, 20]))
    with pytest.raises(DataError, match="'profit'"):
        dif.relationship_levels(good, margin="profit")
