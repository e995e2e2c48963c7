"""Customer identification: single customer view, status, stages, voice of the customer."""

import doctest

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import identify
from relmark_lab.checks import identify as check
from relmark_lab.plots import identify as plots

AS_OF = "2025-12-31"


def _tx(rows):
    """Transactions from (customer_id, date, amount[, order_id]) tuples."""
    columns = ["customer_id", "date", "amount", "order_id"][: len(rows[0])]
    frame = pd.DataFrame(rows, columns=columns)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


@pytest.fixture(scope="module")
def kit():
    raw, _ = rl.datasets.load_raw_export()
    customers = rl.datasets.load_customers()
    mapping = identify.resolve_identities(
        raw, email_column="Correo", phone_column="Teléfono", name_column="Nombre",
        rules=("email", "phone"), preferred_ids=customers["customer_id"],
    )
    return {
        "raw": raw,
        "customers": customers,
        "mapping": mapping,
        "transactions": identify.apply_identity_map(raw, mapping),
        "leads": rl.datasets.load_leads(),
        "survey": rl.datasets.load_survey(),
        "contacts": rl.datasets.load_voice_of_customer(),
        "identity_map": rl.datasets.load_identity_map(),
    }


# ------------------------------------------------------------- normalisation


@pytest.mark.parametrize(("raw", "key"), [
    ("  Ana.Lopez@GMAIL.com ", "ana.lopez@gmail.com"),
    ("ana@x.mx", "ana@x.mx"),
    ("   ", None),
])
def test_normalize_email(raw, key):
    assert identify.normalize_email(raw) == key


@pytest.mark.parametrize("raw", ["+52 55 1234 5678", "(55) 1234-5678", "5512345678",
                                 "55 1234 5678", "525512345678"])
def test_normalize_phone_agrees_on_the_written_variants(raw):
    assert identify.normalize_phone(raw) == "5512345678"


def test_normalize_phone_keeps_other_lengths_and_empty_is_missing():
    assert identify.normalize_phone("1234 5678") == "12345678"
    assert identify.normalize_phone("") is None
    assert identify.normalize_phone(None) is None


def test_normalize_name_folds_accents_case_and_spaces():
    assert identify.normalize_name("  MARÍA  José Núñez   Peña") == "maria jose nunez pena"


def test_normalizers_work_on_series_and_keep_missing():
    values = pd.Series([" A@B.MX", None, ""])
    result = identify.normalize_email(values)
    assert result.iloc[0] == "a@b.mx"
    assert result.iloc[1:].isna().all()
    assert list(result.index) == [0, 1, 2]


# ------------------------------------------------------- identity resolution


def _records(**columns):
    frame = pd.DataFrame(columns)
    for name in ("email", "phone", "name"):
        if name not in frame:
            frame[name] = ""
    return frame


def test_chains_of_links_merge_into_one_person():
    records = _records(customer_id=["A", "B", "C", "D"],
                       email=["a@x.mx", "A@X.MX ", "", "d@x.mx"],
                       phone=["", "55 1111 2222", "+52 55 1111 2222", ""])
    mapping = identify.resolve_identities(records)
    keys = mapping.set_index("raw_id")["customer_key"]
    assert keys.tolist() == ["A", "A", "A", "D"]
    assert mapping.set_index("raw_id")["rule"].tolist() == ["email", "email", "phone", "alone"]


def test_key_is_the_id_with_most_records_ties_by_sort_order_and_preferred_first():
    records = _records(customer_id=["Z", "Z", "B", "C"], email=["e@x.mx"] * 3 + ["e@x.mx"])
    assert set(identify.resolve_identities(records)["customer_key"]) == {"Z"}
    tie = _records(customer_id=["Z", "B"], email=["e@x.mx", "e@x.mx"])
    assert set(identify.resolve_identities(tie)["customer_key"]) == {"B"}
    preferred = identify.resolve_identities(records, preferred_ids=["C"])
    assert set(preferred["customer_key"]) == {"C"}


def test_name_rule_merges_homonyms_unless_region_separates_them():
    records = _records(customer_id=["A", "B", "C"], name=["José Pérez", "JOSE PEREZ", "jose perez"],
                       region=["Norte", "Sur", "Norte"])
    assert identify.resolve_identities(records)["customer_key"].nunique() == 1
    by_region = identify.resolve_identities(records, region_column="region")
    assert by_region.set_index("raw_id")["customer_key"].tolist() == ["A", "B", "A"]


def test_one_customer_and_all_in_one_group():
    one = identify.resolve_identities(_records(customer_id=["A"], email=["a@x.mx"]))
    assert one[["raw_id", "customer_key", "rule", "records"]].values.tolist() == [
        ["A", "A", "alone", 1]]
    many = _records(customer_id=list("ABCDE"), email=["same@x.mx"] * 5)
    report = identify.merge_report(identify.resolve_identities(many))
    assert report.loc["email"].tolist() == [5, 1, 4]
    assert report.loc["alone"].tolist() == [0, 0, 0]
    assert report.loc["total"].tolist() == [5, 1, 4]


def test_merge_report_rows_partition_ids_and_people():
    records = _records(customer_id=["A", "B", "C", "D", "E"],
                       email=["a@x.mx", "a@x.mx", "", "", ""],
                       phone=["", "", "5511112222", "5511112222", ""])
    report = identify.merge_report(identify.resolve_identities(records))
    assert report["raw_ids"].tolist() == [2, 2, 0, 1, 5]
    assert report["people"].tolist() == [1, 1, 0, 1, 3]
    assert report.drop("total").sum().tolist() == report.loc["total"].tolist()


def test_resolve_identities_refuses_bad_input():
    with pytest.raises(rl.DataError, match=r"'Correo'"):
        identify.resolve_identities(_records(customer_id=["A"]), email_column="Correo")
    with pytest.raises(rl.DataError, match=r"'customer_id' is empty on 1 rows"):
        identify.resolve_identities(_records(customer_id=["A", ""]))
    with pytest.raises(rl.DataError, match=r"Unknown identity rule 'zip'"):
        identify.resolve_identities(_records(customer_id=["A"]), rules=("zip",))


def test_score_resolution_counts_pairs():
    mapping = pd.DataFrame({"raw_id": list("ABCD"), "customer_key": ["A", "A", "A", "D"],
                            "rule": ["name"] * 3 + ["alone"]})
    key = pd.DataFrame({"raw_customer_id": list("ABCDX"), "customer_id": ["1", "1", "2", "2", "3"]})
    score = identify.score_resolution(mapping, key)
    # Pairs together: AB, AC, BC; truly together: AB, CD.
    assert score["pair_precision"] == pytest.approx(1 / 3)
    assert score["pair_recall"] == pytest.approx(1 / 2)
    assert (score["people_found"], score["people_true"], score["raw_ids_not_in_key"]) == (2, 2, 0)


def test_kit_resolution_is_exact_with_email_and_phone(kit):
    score = identify.score_resolution(kit["mapping"], kit["identity_map"])
    assert score["pair_precision"] == 1.0 and score["pair_recall"] == 1.0
    assert score["people_found"] == score["people_true"] == 5000
    report = identify.merge_report(kit["mapping"])
    assert report.loc["email"].tolist() == [300, 150, 150]
    truth = kit["identity_map"].set_index("raw_customer_id")["customer_id"]
    assert (kit["mapping"]["customer_key"] == kit["mapping"]["raw_id"].map(truth)).all()


def test_kit_name_rule_merges_homonyms(kit):
    mapping = identify.resolve_identities(
        kit["raw"], email_column="Correo", phone_column="Teléfono", name_column="Nombre")
    score = identify.score_resolution(mapping, kit["identity_map"])
    assert score["pair_recall"] == 1.0
    assert score["pair_precision"] == pytest.approx(0.5639, abs=1e-4)
    assert score["people_found"] == 4891


def test_apply_identity_map_reproduces_the_clean_file(kit):
    resolved = kit["transactions"]
    clean = rl.datasets.load_transactions()
    assert resolved["customer_id"].nunique() == clean["customer_id"].nunique() == 5000
    a = resolved.sort_values(["order_id", "category"])["customer_id"].tolist()
    assert a == clean.sort_values(["order_id", "category"])["customer_id"].tolist()


def test_apply_identity_map_names_unmapped_ids():
    mapping = pd.DataFrame({"raw_id": ["A"], "customer_key": ["A"], "rule": ["alone"]})
    with pytest.raises(rl.DataError, match=r"'customer_id' has 2 rows .* e.g. 'Q'"):
        identify.apply_identity_map(pd.DataFrame({"customer_id": ["Q", "Q", "A"]}), mapping)


# ------------------------------------------------------------------ status


def test_status_threshold_tie_counts_as_active():
    tx = _tx([("A", "2025-12-31 10:00", 5.0), ("B", "2024-12-31 20:00", 5.0),
              ("C", "2024-12-30 09:00", 5.0)])
    status = identify.customer_status(tx, as_of=AS_OF, active_within_days=365)
    assert status["days_since_last_purchase"].tolist() == [0, 365, 366]
    assert status["status"].tolist() == ["active", "active", "inactive"]


def test_status_ignores_returns_and_later_rows():
    tx = _tx([("A", "2024-01-01", 5.0), ("A", "2025-12-01", -5.0), ("B", "2024-01-01", 5.0),
              ("B", "2026-01-05", 5.0), ("C", "2026-02-01", 5.0)])
    status = identify.customer_status(tx, as_of=AS_OF)
    assert status["customer_id"].tolist() == ["A", "B"]
    assert status["status"].tolist() == ["inactive", "inactive"]


def test_leads_are_potential_unless_they_bought_or_come_later():
    tx = _tx([("A", "2025-06-01", 5.0)])
    leads = pd.DataFrame({"lead_id": ["L1", "L2", "A"],
                          "created_date": pd.to_datetime(["2025-01-01", "2026-01-01",
                                                          "2024-01-01"])})
    status = identify.customer_status(tx, as_of=AS_OF, leads=leads)
    assert status.set_index("customer_id")["status"].to_dict() == {
        "A": "active", "L1": "potential"}


def test_status_counts_keeps_empty_groups():
    counts = identify.status_counts(pd.DataFrame({"status": ["inactive"] * 3}))
    assert counts["customers"].tolist() == [0, 3, 0]
    assert counts["share"].tolist() == [0.0, 1.0, 0.0]
    empty = identify.status_counts(pd.DataFrame({"status": pd.Series([], dtype=str)}))
    assert empty["customers"].tolist() == [0, 0, 0] and empty["share"].isna().all()


def test_status_refuses_bad_values():
    tx = pd.DataFrame({"customer_id": ["A", "B"], "date": ["2025-01-01", "someday"],
                       "amount": [1.0, 2.0]})
    with pytest.raises(rl.DataError, match=r"'date' has 1 values .* e.g. 'someday'"):
        identify.customer_status(tx, as_of=AS_OF)
    tx["date"] = "2025-01-01"
    tx["amount"] = ["1", "N/D"]
    with pytest.raises(rl.DataError, match=r"'amount' has 1 values .* e.g. 'N/D'"):
        identify.customer_status(tx, as_of=AS_OF)
    with pytest.raises(rl.DataError, match="active_within_days"):
        identify.customer_status(tx.assign(amount=1.0), as_of=AS_OF, active_within_days=-1)
    with pytest.raises(rl.DataError, match="as_of must be a date, got 'soon'"):
        identify.customer_status(tx.assign(amount=1.0), as_of="soon")
    with pytest.raises(rl.DataError, match=r"lacks column 'amount'"):
        identify.customer_status(tx.drop(columns="amount"), as_of=AS_OF)
    with pytest.raises(rl.DataError, match=r"unknown values, e.g. 'gone'"):
        identify.status_counts(pd.DataFrame({"status": ["active", "gone"]}))


def test_dates_with_a_time_zone_keep_their_local_day():
    local = pd.to_datetime(["2025-12-31 23:30", "2024-12-30 23:30"]).tz_localize(
        "America/Mexico_City")
    tx = pd.DataFrame({"customer_id": ["A", "B"], "date": local, "amount": [5.0, 5.0]})
    status = identify.customer_status(tx, as_of=AS_OF)
    assert status["days_since_last_purchase"].tolist() == [0, 366]
    assert status["last_purchase"].tolist() == [pd.Timestamp("2025-12-31 23:30"),
                                               pd.Timestamp("2024-12-30 23:30")]
    # Text with several UTC offsets, and an as_of with a zone, are read the same way.
    tx["date"] = ["2025-12-31T23:30-06:00", "2024-12-30T23:30+01:00"]
    aware_as_of = pd.Timestamp("2025-12-31 08:00", tz="Europe/Madrid")
    status = identify.customer_status(tx, as_of=aware_as_of)
    assert status["days_since_last_purchase"].tolist() == [0, 366]
    assert status["status"].tolist() == ["active", "inactive"]


def test_leads_without_an_id_are_refused():
    tx = _tx([("A", "2025-06-01", 5.0)])
    leads = pd.DataFrame({"lead_id": ["L1", None, " "]})
    with pytest.raises(rl.DataError, match=r"column 'lead_id' is empty on 2 rows, e.g. row 1"):
        identify.customer_status(tx, as_of=AS_OF, leads=leads)


def test_kit_status_counts(kit):
    status = identify.customer_status(kit["transactions"], as_of=AS_OF, leads=kit["leads"])
    assert identify.status_counts(status)["customers"].tolist() == [3091, 1909, 2000]


# --------------------------------------------------------------- lifecycle


def _orders(customer, dates):
    return [(customer, d, 10.0, f"{customer}{i}") for i, d in enumerate(dates)]


def test_each_stage_rule():
    recent = ["2024-06-01", "2024-09-01", "2025-01-01", "2025-03-01", "2025-06-01", "2025-12-01"]
    tx = _tx(
        _orders("ONE", ["2025-12-01"])
        + _orders("TWO", ["2023-01-01", "2023-02-01"])  # lapsed repeat buyer
        + _orders("THREE", ["2025-10-01", "2025-11-01", "2025-12-01"])
        + _orders("LOYAL", recent)
        + _orders("YOUNG", [f"2025-{m:02d}-01" for m in range(6, 12)])  # 6 orders, short tenure
        + _orders("DETRACTOR", recent)
    )
    survey = pd.DataFrame({"customer_id": ["ONE", "DETRACTOR", "LOYAL"],
                           "recommend": [10, 3, 9], "satisfaction": [5, 2, 5]})
    leads = pd.DataFrame({"lead_id": ["L1"]})
    stages = identify.lifecycle_stage(tx, as_of=AS_OF, leads=leads, survey=survey)
    assert stages.set_index("customer_id")["stage"].astype(str).to_dict() == {
        "DETRACTOR": "maintenance", "LOYAL": "loyalty", "ONE": "acquisition",
        "THREE": "maintenance", "TWO": "satisfaction", "YOUNG": "maintenance",
        "L1": "prospecting",
    }
    assert stages["stage"].cat.ordered


def test_order_lines_of_one_order_count_once():
    tx = _tx([("A", "2025-12-01", 5.0, "O1"), ("A", "2025-12-01", 7.0, "O1")])
    stages = identify.lifecycle_stage(tx, as_of=AS_OF)
    assert stages["orders"].tolist() == [1] and stages["stage"].tolist() == ["acquisition"]


def test_lines_without_order_id_count_as_orders_of_their_own():
    tx = _tx([("A", "2025-11-01", 5.0, None), ("A", "2025-12-01", 7.0, None)])
    stages = identify.lifecycle_stage(tx, as_of=AS_OF)
    assert stages["orders"].tolist() == [2] and stages["stage"].tolist() == ["satisfaction"]
    mixed = _tx([("B", "2025-10-01", 5.0, "O1"), ("B", "2025-10-01", 2.0, "O1"),
                 ("B", "2025-11-01", 5.0, None), ("B", "2025-12-01", 5.0, ""),
                 ("B", "2025-12-02", -5.0, None)])  # a return is not an order
    table = identify.customer_table(mixed, as_of=AS_OF)
    assert table[["orders", "stage"]].values.tolist() == [[3, "maintenance"]]


def test_latest_survey_answer_is_the_last_row_taken_whole():
    tx = _tx(_orders("A", ["2025-01-01", "2025-11-01"]) + _orders("B", ["2025-02-01"]))
    # Eight answers of A on its latest day (rows 0-7), then older ones: the last of the
    # eight wins, for both scores and the detractor flag (an unstable sort picks another).
    day, earlier = pd.Timestamp("2025-03-01"), pd.Timestamp("2025-02-01")
    survey = pd.DataFrame({"customer_id": ["A"] * 17,
                           "satisfaction": [1] * 7 + [5] + [1] * 9,
                           "recommend": [2] * 7 + [9] + [2] * 9,
                           "survey_date": [day] * 8 + [earlier] * 9})
    table = identify.customer_table(tx, as_of=AS_OF, survey=survey).set_index("customer_id")
    assert table.loc["A", ["satisfaction", "recommend"]].tolist() == [5, 9]
    assert not table.loc["A", "detractor"]
    # B left satisfaction blank in the latest answer: it stays blank, not the older 4.
    survey = pd.DataFrame({"customer_id": ["B", "B"], "satisfaction": [4, None],
                           "recommend": [3, 10], "survey_date": [earlier, day]})
    table = identify.customer_table(tx, as_of=AS_OF, survey=survey).set_index("customer_id")
    assert pd.isna(table.loc["B", "satisfaction"]) and table.loc["B", "recommend"] == 10


def test_lifecycle_refuses_inconsistent_thresholds_and_bad_scores():
    tx = _tx([("A", "2025-12-01", 5.0, "O1")])
    with pytest.raises(rl.DataError, match="maintenance_min_orders"):
        identify.lifecycle_stage(tx, as_of=AS_OF, maintenance_min_orders=5, loyalty_min_orders=4)
    survey = pd.DataFrame({"customer_id": ["A"], "recommend": [11]})
    with pytest.raises(rl.DataError, match=r"'recommend' has 1 values outside 0–10, e.g. 11"):
        identify.lifecycle_stage(tx, as_of=AS_OF, survey=survey)


@pytest.mark.parametrize(("column", "value", "message"), [
    ("satisfaction", 4.5, r"column 'satisfaction' has 1 values that are not whole numbers, "
                          r"e.g. 4.5"),
    ("satisfaction", "alta", r"column 'satisfaction' has 1 values that are not numbers, "
                             r"e.g. 'alta'"),
    ("recommend", 8.5, r"column 'recommend' has 1 values that are not whole numbers, e.g. 8.5"),
])
def test_survey_scores_must_be_whole_numbers(column, value, message):
    tx = _tx([("A", "2025-12-01", 5.0, "O1"), ("B", "2025-12-01", 5.0, "O2")])
    survey = pd.DataFrame({"customer_id": ["A", "B"], "satisfaction": [4, 3],
                           "recommend": [9, 7]}).astype(object)
    survey.loc[1, column] = value
    with pytest.raises(rl.DataError, match=message):
        identify.customer_table(tx, as_of=AS_OF, survey=survey)


def test_funnel_conversion_and_empty_stages():
    stages = pd.DataFrame({"stage": ["prospecting"] * 2 + ["acquisition"] + ["maintenance"]})
    funnel = identify.stage_funnel(stages)
    assert funnel["customers"].tolist() == [2, 1, 0, 1, 0]
    assert funnel["reached"].tolist() == [4, 2, 1, 1, 0]
    assert funnel["conversion"].tolist()[1:] == [0.5, 0.5, 1.0, 0.0]
    nobody = identify.stage_funnel(pd.DataFrame({"stage": ["prospecting"]}))
    assert nobody["conversion"].iloc[2:].isna().all()
    with pytest.raises(rl.DataError, match=r"unknown values, e.g. 'vip'"):
        identify.stage_funnel(pd.DataFrame({"stage": ["vip"]}))


def test_kit_funnel(kit):
    stages = identify.lifecycle_stage(kit["transactions"], as_of=AS_OF, leads=kit["leads"],
                                      survey=kit["survey"])
    funnel = identify.stage_funnel(stages)
    assert funnel["reached"].tolist() == [7000, 5000, 4220, 2298, 989]
    assert funnel.loc["maintenance", "conversion"] == pytest.approx(2298 / 4220)
    # Maintenance and loyalty need an active customer.
    later = stages[stages["stage"].isin(["maintenance", "loyalty"])]
    assert (later["status"] == "active").all()


# ------------------------------------------------------ voice of the customer


def _log(**columns):
    return pd.DataFrame(columns)


def test_contacts_by_channel_lists_all_seven_tools():
    log = _log(channel=["letter", "e-mail", "e-mail"], contact_type=["complaint", "praise",
                                                                      "complaint"])
    table = identify.contacts_by_channel(log)
    assert len(table) == 14 and table["contacts"].sum() == 3
    wide = table.pivot(index="channel", columns="contact_type", values="contacts")
    assert wide.loc["focus group"].tolist() == [0, 0]
    assert wide.loc["e-mail"].tolist() == [1, 1]


def test_contacts_without_a_type_are_counted_as_missing():
    log = _log(channel=["letter", "letter", "e-mail"], contact_type=["complaint", None, "praise"])
    table = identify.contacts_by_channel(log)
    assert table["contacts"].sum() == 3
    assert table["contact_type"].unique().tolist() == ["complaint", "praise", "(missing)"]
    wide = table.pivot(index="channel", columns="contact_type", values="contacts")
    assert wide.loc["letter"].tolist() == [1, 1, 0]  # (missing), complaint, praise


def test_complaint_resolution_by_channel():
    log = _log(channel=["letter", "letter", "letter", "e-mail", "e-mail"],
               contact_type=["complaint", "complaint", "praise", "complaint", "complaint"],
               resolved=[True, False, True, True, True],
               days_to_resolve=[20, None, 3, 2, 4])
    table = identify.complaint_resolution(log)
    assert table.loc["letter", ["complaints", "resolved"]].tolist() == [2, 1]
    assert table.loc["letter", "share_resolved"] == 0.5
    assert table.loc["letter", "median_days_to_resolve"] == 20
    assert table.loc["e-mail", "median_days_to_resolve"] == 3
    assert np.isnan(table.loc["focus group", "share_resolved"])
    assert list(table.index) == list(identify.VOC_CHANNELS)


def test_voice_of_customer_refuses_bad_values():
    with pytest.raises(rl.DataError, match=r"'channel' has 1 values .* e.g. 'fax'"):
        identify.contacts_by_channel(_log(channel=["fax"], contact_type=["complaint"]))
    log = _log(channel=["letter"], contact_type=["complaint"], resolved=[True],
               days_to_resolve=[-2])
    with pytest.raises(rl.DataError, match=r"'days_to_resolve' has 1 values .* e.g. -2"):
        identify.complaint_resolution(log)
    with pytest.raises(rl.DataError, match=r"lacks column 'resolved'"):
        identify.complaint_resolution(log.drop(columns="resolved"))


def test_resolved_must_be_true_or_false():
    log = _log(channel=["letter"] * 3, contact_type=["complaint"] * 3,
               resolved=["yes", True, "no"], days_to_resolve=[1, 2, None])
    with pytest.raises(rl.DataError, match=r"'resolved' has 2 values that are not True/False, "
                                           r"e.g. 'yes'"):
        identify.complaint_resolution(log)
    log["resolved"] = [1, "TRUE", "false"]
    assert identify.complaint_resolution(log).loc["letter", "resolved"] == 2


def test_complainer_retention_groups_by_customer():
    tx = _tx([("A", "2025-12-01", 5.0), ("B", "2024-01-01", 5.0), ("C", "2025-11-01", 5.0),
              ("C", "2023-01-01", 5.0), ("D", "2024-06-01", 5.0)])
    log = _log(customer_id=["B", "C", "C", "D", "Z"],
               date=pd.to_datetime(["2024-01-02", "2023-02-01", "2023-03-01", "2024-07-01",
                                    "2025-01-01"]),
               contact_type=["complaint"] * 5, resolved=[False, True, False, True, True])
    table = identify.complainer_retention(log, tx, as_of=AS_OF)
    assert table["customers"].tolist() == [1, 1, 2]  # A | D | B, C
    assert table["active"].tolist() == [1, 0, 1]
    assert table.loc["some unresolved", "bought_after_complaint"] == 1  # C came back
    assert np.isnan(table.loc["no complaint", "bought_after_complaint"])
    assert table.attrs["complainers_without_purchases"] == 1  # Z


def test_kit_unresolved_complainers_leave_more(kit):
    table = identify.complainer_retention(kit["contacts"], kit["transactions"], as_of=AS_OF)
    assert table["customers"].tolist() == [4232, 494, 274]
    assert table.loc["all resolved", "share_active"] == pytest.approx(251 / 494)
    assert table.loc["some unresolved", "share_active"] == pytest.approx(115 / 274)


def test_kit_complaints_by_channel(kit):
    table = identify.complaint_resolution(kit["contacts"])
    assert table["complaints"].sum() == 933
    assert table.loc["personal attention", "share_resolved"] == pytest.approx(153 / 172)
    assert table.loc["letter", "median_days_to_resolve"] == 19


# ------------------------------------------------------------ customer table


def test_customer_table_one_row_per_customer_with_feedback():
    tx = _tx(_orders("A", ["2025-01-01", "2025-11-01"]) + [("A", "2025-11-05", -4.0, "R1")])
    survey = pd.DataFrame({"customer_id": ["A", "A"], "satisfaction": [2, 5],
                           "recommend": [3, 9],
                           "survey_date": pd.to_datetime(["2025-02-01", "2025-11-02"])})
    log = _log(customer_id=["A"], date=pd.to_datetime(["2025-03-01"]),
               contact_type=["complaint"], resolved=[False])
    master = pd.DataFrame({"customer_id": ["A"], "region": ["Sur"]})
    before = identify.customer_table(tx, as_of="2025-06-30", customers=master, survey=survey,
                                     contacts=log)
    after = identify.customer_table(tx, as_of=AS_OF, customers=master, survey=survey,
                                    contacts=log)
    assert before[["region", "stage", "orders", "revenue", "satisfaction", "complaints"]
                  ].values.tolist() == [["Sur", "acquisition", 1, 10.0, 2, 1]]
    assert after[["stage", "orders", "revenue", "satisfaction", "unresolved_complaints"]
                 ].values.tolist() == [["satisfaction", 2, 16.0, 5, 1]]


def test_customer_table_sums_text_amounts_as_numbers():
    tx = pd.DataFrame({"customer_id": ["A", "A", "A", "A"], "order_id": ["1", "2", "R", "3"],
                       "date": ["2025-01-01", "2025-02-01", "2025-03-01", "2026-01-05"],
                       "amount": ["10.5", "3", "-2", "100"]})
    table = identify.customer_table(tx, as_of=AS_OF)
    assert table["revenue"].tolist() == [11.5]  # the 2026 line comes after as_of


def test_kit_customer_table(kit):
    table = identify.customer_table(kit["transactions"], as_of=AS_OF, customers=kit["customers"],
                                    leads=kit["leads"], survey=kit["survey"],
                                    contacts=kit["contacts"])
    assert len(table) == 7000 and table["customer_id"].is_unique
    assert table["complaints"].sum() == 933
    assert table["satisfaction"].notna().sum() == 1500
    assert table["region"].notna().sum() == 5000


# ------------------------------------------------------------------- plots


def test_plots_return_their_axes(kit):
    status = identify.customer_status(kit["transactions"], as_of=AS_OF, leads=kit["leads"])
    stages = identify.lifecycle_stage(kit["transactions"], as_of=AS_OF, leads=kit["leads"])
    contacts = kit["contacts"]
    drawn = [
        plots.plot_merge_report(identify.merge_report(kit["mapping"])),
        plots.plot_recency(status, 365),
        plots.plot_status_counts(identify.status_counts(status)),
        plots.plot_funnel(identify.stage_funnel(stages)),
        plots.plot_contacts_by_channel(identify.contacts_by_channel(contacts)),
        plots.plot_complaint_resolution(identify.complaint_resolution(contacts)),
        plots.plot_complainer_retention(
            identify.complainer_retention(contacts, kit["transactions"], as_of=AS_OF)),
        plots.plot_stage_migration(stages.iloc[:100], stages),
    ]
    assert all(isinstance(ax, plt.Axes) and ax.get_title() for ax in drawn)
    assert len(drawn[3].patches) == 5
    plt.close("all")


def test_plot_uses_the_given_axes_and_names_missing_columns():
    fig, ax = plt.subplots()
    counts = identify.status_counts(pd.DataFrame({"status": ["active"]}))
    assert plots.plot_status_counts(counts, ax=ax) is ax
    with pytest.raises(rl.DataError, match="'reached'"):
        plots.plot_funnel(pd.DataFrame({"stage": ["loyalty"]}))
    plt.close("all")


# -------------------------------------------------------------- self-checks


def _todo(*args):
    raise NotImplementedError()


CHECKS = [check.normalize_email, check.count_people_by_email, check.status_counts,
          check.stage_conversion, check.resolution_rate_by_channel, check.complainer_active_gap]


@pytest.mark.parametrize("run", CHECKS, ids=lambda f: f.__name__)
def test_checks_say_not_answered_and_survive_bugs(run):
    assert run(_todo).status == "unanswered"
    crashed = run(lambda *args: args[0]["no such column"])
    assert crashed.status == "wrong" and "stopped with" in crashed.because


def test_email_check_recognises_a_missing_strip():
    result = check.normalize_email(lambda email: email.lower())
    assert result.status == "wrong" and "spaces" in result.because


def test_people_check_recognises_no_merge_and_unnormalised_emails():
    assert "nothing was merged" in check.count_people_by_email(
        lambda raw: raw["customer_id"].nunique()).because

    def as_written(raw):
        keys = raw["Correo"].replace("", pd.NA)
        per_id = keys.groupby(raw["customer_id"]).first()
        return per_id.nunique() + int(per_id.isna().sum())

    # Every legacy id spells its e-mail differently, so this is the no-merge count too.
    assert "as written" in check.count_people_by_email(as_written).because

    def without_missing(raw):
        return raw["Correo"].str.strip().str.lower().replace("", pd.NA).nunique()

    assert "no e-mail at all" in check.count_people_by_email(without_missing).because


def test_status_check_recognises_strict_threshold():
    def strict(transactions, leads, as_of, days):
        day = pd.Timestamp(as_of)
        buys = transactions[(transactions["amount"] > 0)
                            & (transactions["date"] < day + pd.Timedelta(days=1))]
        since = (day - buys.groupby("customer_id")["date"].max().dt.normalize()).dt.days
        active = int((since < days).sum())
        return pd.Series({"active": active, "inactive": len(since) - active,
                          "potential": int((leads["created_date"] <= day).sum())})

    assert "exactly 180 days" in check.status_counts(strict).because


def test_status_check_recognises_the_as_of_day_left_out():
    def before_midnight(transactions, leads, as_of, days):
        day = pd.Timestamp(as_of)
        buys = transactions[(transactions["amount"] > 0) & (transactions["date"] < day)]
        since = (day - buys.groupby("customer_id")["date"].max().dt.normalize()).dt.days
        active = int((since <= days).sum())
        potential = leads[(leads["created_date"] < day + pd.Timedelta(days=1))
                          & ~leads["lead_id"].isin(buys["customer_id"])]
        return pd.Series({"active": active, "inactive": len(since) - active,
                          "potential": len(potential)})

    result = check.status_counts(before_midnight)
    assert result.status == "wrong" and "as_of day itself" in result.because


def test_funnel_and_resolution_checks_recognise_common_mistakes():
    stages = identify.STAGES

    def per_stage(frame):
        counts = frame["stage"].astype(str).value_counts().reindex(stages, fill_value=0)
        return (counts / counts.shift(1)).loc[list(stages[1:])]

    assert "*in* each stage" in check.stage_conversion(per_stage).because
    every = check.resolution_rate_by_channel(lambda c: c.groupby("channel")["resolved"].mean())
    assert "only complaints" in every.because


def test_gap_check_recognises_reversed_sign():
    def reversed_gap(contacts, status):
        complaints = contacts[contacts["contact_type"] == "complaint"]
        resolved = complaints.groupby("customer_id")["resolved"].all()
        table = status.set_index("customer_id")
        resolved = resolved[resolved.index.isin(table.index)]
        active = table.loc[resolved.index, "status"] == "active"
        return active[~resolved].mean() - active[resolved].mean()

    assert "sign is reversed" in check.complainer_active_gap(reversed_gap).because


@pytest.mark.parametrize("module", [identify, plots, check], ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    plt.close("all")
    assert result.attempted > 0 and result.failed == 0
