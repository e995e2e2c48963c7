"""The five stages of the relationship and the funnel between them."""

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import identify

END = "2025-12-31"


def test_each_stage_rule(lines, orders):
    recent = ["2024-06-01", "2024-09-01", "2025-01-01", "2025-03-01", "2025-06-01", "2025-12-01"]
    tx = lines(
        orders("ONE", ["2025-12-01"])
        + orders("TWO", ["2023-01-01", "2023-02-01"])  # lapsed repeat buyer
        + orders("THREE", ["2025-10-01", "2025-11-01", "2025-12-01"])
        + orders("LOYAL", recent)
        + orders("YOUNG", [f"2025-{m:02d}-01" for m in range(6, 12)])  # 6 orders, short tenure
        + orders("DETRACTOR", recent)
    )
    survey = pd.DataFrame({"customer_id": ["ONE", "DETRACTOR", "LOYAL"],
                           "recommend": [10, 3, 9], "satisfaction": [5, 2, 5]})
    leads = pd.DataFrame({"lead_id": ["L1"]})
    stages = identify.lifecycle_stage(tx, END, leads=leads, survey=survey)
    assert stages.set_index("customer_id")["stage"].astype(str).to_dict() == {
        "DETRACTOR": "maintenance", "LOYAL": "loyalty", "ONE": "acquisition",
        "THREE": "maintenance", "TWO": "satisfaction", "YOUNG": "maintenance",
        "L1": "prospecting",
    }
    assert stages["stage"].cat.ordered
    assert stages["customer_id"].dtype == "str"


def test_order_lines_of_one_order_count_once(lines):
    tx = lines([("A", "2025-12-01", 5.0, "O1"), ("A", "2025-12-01", 7.0, "O1")])
    stages = identify.lifecycle_stage(tx, END)
    assert stages["orders"].tolist() == [1] and stages["stage"].tolist() == ["acquisition"]


@pytest.mark.parametrize("order_ids", ["missing", "blank", "no column"])
def test_lines_without_order_id_make_one_order_per_customer_day(lines, order_ids):
    no_id = {"missing": None, "blank": " ", "no column": None}[order_ids]
    tx = lines([("A", "2025-11-01 09:00", 5.0, no_id), ("A", "2025-11-01 18:00", 3.0, no_id),
                ("A", "2025-12-01 10:00", 7.0, no_id)])
    if order_ids == "no column":
        tx = tx.drop(columns="order_id")
    stages = identify.lifecycle_stage(tx, END)
    assert stages["orders"].tolist() == [2] and stages["stage"].tolist() == ["satisfaction"]


def test_ids_and_days_without_order_id_mix(lines):
    mixed = lines([("B", "2025-10-01", 5.0, "O1"), ("B", "2025-10-01", 2.0, "O1"),
                   ("B", "2025-11-01", 5.0, None), ("B", "2025-12-01", 5.0, ""),
                   ("B", "2025-12-02", -5.0, None)])  # a return is not an order
    table = identify.customer_table(mixed, END)
    assert table[["orders", "stage"]].values.tolist() == [[3, "maintenance"]]


def test_tenure_counts_from_the_first_purchase_day(lines):
    # The first order is returned in full under its own id: no purchase, so tenure
    # starts with the second one. Whole days from that day to the end's day.
    tx = lines([("A", "2024-01-10 20:00", 80.0, "1"), ("A", "2024-02-01 09:00", -80.0, "1"),
                ("A", "2025-01-01 23:59", 10.0, "2")])
    stages = identify.lifecycle_stage(tx, "2025-12-31 06:00")
    assert stages["orders"].tolist() == [1]
    assert stages["first_purchase"].tolist() == [pd.Timestamp("2025-01-01")]
    assert stages["tenure_days"].tolist() == [364]


def test_a_customer_with_only_returns_is_counted_not_lost(lines):
    tx = lines([("A", "2025-06-01", 10.0, "1"), ("Z", "2025-07-01", -4.0, "R1")])
    leads = pd.DataFrame({"lead_id": ["Z"]})
    stages = identify.lifecycle_stage(tx, END, leads=leads)
    # Z never bought: a prospect (from the leads), and counted without a purchase.
    assert stages.set_index("customer_id")["stage"].to_dict() == {
        "A": "acquisition", "Z": "prospecting"}
    assert stages.attrs == {"observation_end": pd.Timestamp(END),
                            "lines_after_observation_end": 0,
                            "customers_without_purchases": 1,
                            "leads_after_observation_end": 0,
                            "survey_answers_after_observation_end": 0}


def test_latest_survey_answer_is_the_last_row_taken_whole(lines, orders):
    tx = lines(orders("A", ["2025-01-01", "2025-11-01"]) + orders("B", ["2025-02-01"]))
    # Eight answers of A on its latest day (rows 0-7), then older ones: the last of the
    # eight wins, for both scores and the detractor flag (an unstable sort picks another).
    day, earlier = pd.Timestamp("2025-03-01"), pd.Timestamp("2025-02-01")
    survey = pd.DataFrame({"customer_id": ["A"] * 17,
                           "satisfaction": [1] * 7 + [5] + [1] * 9,
                           "recommend": [2] * 7 + [9] + [2] * 9,
                           "survey_date": [day] * 8 + [earlier] * 9})
    table = identify.customer_table(tx, END, survey=survey).set_index("customer_id")
    assert table.loc["A", ["satisfaction", "recommend"]].tolist() == [5, 9]
    assert not table.loc["A", "detractor"]
    # B left satisfaction blank in the latest answer: it stays blank, not the older 4.
    survey = pd.DataFrame({"customer_id": ["B", "B"], "satisfaction": [4, None],
                           "recommend": [3, 10], "survey_date": [earlier, day]})
    table = identify.customer_table(tx, END, survey=survey).set_index("customer_id")
    assert pd.isna(table.loc["B", "satisfaction"]) and table.loc["B", "recommend"] == 10


def test_survey_answers_after_the_end_are_left_out(lines, orders):
    recent = ["2024-06-01", "2024-09-01", "2025-01-01", "2025-03-01", "2025-06-01", "2025-12-01"]
    tx = lines(orders("A", recent))
    # A detractor's answer given on the day after the end does not exist yet; one given
    # late on the end's day (an aware stamp, in local time) does.
    survey = pd.DataFrame({"customer_id": ["A", "A"], "recommend": [9, 2],
                           "survey_date": ["2025-12-31T23:30-06:00", "2026-01-01T00:10-06:00"]})
    stages = identify.lifecycle_stage(tx, END, survey=survey)
    assert stages["detractor"].tolist() == [False] and stages["stage"].tolist() == ["loyalty"]
    assert stages.attrs["survey_answers_after_observation_end"] == 1  # counted, not lost
    in_utc = identify.lifecycle_stage(tx, END, survey=survey, timezone="UTC")
    assert in_utc["detractor"].isna().all()  # both answers fall after the end in UTC
    assert in_utc.attrs["survey_answers_after_observation_end"] == 2


def test_lifecycle_refuses_inconsistent_thresholds_and_bad_scores(lines):
    tx = lines([("A", "2025-12-01", 5.0, "O1")])
    with pytest.raises(rl.DataError, match="maintenance_min_orders"):
        identify.lifecycle_stage(tx, END, maintenance_min_orders=5, loyalty_min_orders=4)
    with pytest.raises(rl.DataError, match="maintenance_min_orders must be a whole number"):
        identify.lifecycle_stage(tx, END, maintenance_min_orders=2.5)
    survey = pd.DataFrame({"customer_id": ["A"], "recommend": [11]})
    with pytest.raises(rl.DataError, match=r"survey: column 'recommend' is outside 0–10 in "
                                           r"1 row, e.g. 11"):
        identify.lifecycle_stage(tx, END, survey=survey)


@pytest.mark.parametrize(("column", "value", "message"), [
    ("satisfaction", 4.5, r"column 'satisfaction' is not a whole number in 1 row, e.g. 4.5"),
    ("satisfaction", "alta", r"column 'satisfaction' is not a number in 1 row, e.g. 'alta'"),
    ("recommend", 8.5, r"column 'recommend' is not a whole number in 1 row, e.g. 8.5"),
])
def test_survey_scores_must_be_whole_numbers(lines, column, value, message):
    tx = lines([("A", "2025-12-01", 5.0, "O1"), ("B", "2025-12-01", 5.0, "O2")])
    survey = pd.DataFrame({"customer_id": ["A", "B"], "satisfaction": [4, 3],
                           "recommend": [9, 7]}).astype(object)
    survey.loc[1, column] = value
    with pytest.raises(rl.DataError, match=message):
        identify.customer_table(tx, END, survey=survey)


def test_funnel_conversion_and_empty_stages():
    stages = pd.DataFrame({"stage": ["prospecting"] * 2 + ["acquisition"] + ["maintenance"]})
    funnel = identify.stage_funnel(stages)
    assert funnel["customers"].tolist() == [2, 1, 0, 1, 0]
    assert funnel["reached"].tolist() == [4, 2, 1, 1, 0]
    assert funnel["conversion"].tolist()[1:] == [0.5, 0.5, 1.0, 0.0]
    nobody = identify.stage_funnel(pd.DataFrame({"stage": ["prospecting"]}))
    assert nobody["conversion"].iloc[2:].isna().all()
    with pytest.raises(rl.DataError, match=r"stages: column 'stage' is not one of prospecting, "
                                           r".* in 1 row, e.g. 'vip'"):
        identify.stage_funnel(pd.DataFrame({"stage": ["vip"]}))


def test_kit_funnel(kit):
    stages = identify.lifecycle_stage(kit["transactions"], END, leads=kit["leads"],
                                      survey=kit["survey"])
    funnel = identify.stage_funnel(stages)
    assert funnel["reached"].tolist() == [7000, 5000, 4220, 2298, 989]
    assert funnel.loc["maintenance", "conversion"] == pytest.approx(2298 / 4220)
    # Maintenance and loyalty need an active customer.
    later = stages[stages["stage"].isin(["maintenance", "loyalty"])]
    assert (later["status"] == "active").all()
