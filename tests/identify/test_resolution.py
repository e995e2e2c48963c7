"""The single customer view: linking raw ids, scoring the links, applying them."""

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import identify


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


def test_ids_are_text_whatever_their_input_type():
    records = _records(customer_id=[7, 7, 42], email=["e@x.mx", "", "e@x.mx"])
    mapping = identify.resolve_identities(records, preferred_ids=[42])
    assert mapping["raw_id"].dtype == mapping["customer_key"].dtype == "str"
    assert mapping["customer_key"].tolist() == ["42", "42"]
    resolved = identify.apply_identity_map(pd.DataFrame({"customer_id": [7, 42]}), mapping)
    assert resolved["customer_id"].dtype == resolved["raw_customer_id"].dtype == "str"
    assert resolved["customer_id"].tolist() == ["42", "42"]


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
    with pytest.raises(rl.DataError, match=r"Column 'Correo' is missing from the records"):
        identify.resolve_identities(_records(customer_id=["A"]), email_column="Correo")
    with pytest.raises(rl.DataError, match=r"records: column 'customer_id' is missing or blank "
                                           r"in 1 row, e.g. row 1\."):
        identify.resolve_identities(_records(customer_id=["A", ""]))
    with pytest.raises(rl.DataError,
                       match=r"rules must be 'email', 'phone' or 'name', got 'zip'"):
        identify.resolve_identities(_records(customer_id=["A"]), rules=("zip",))
    # One rule given as a string is one rule, not five letters.
    mapping = identify.resolve_identities(_records(customer_id=["A", "B"], email=["e", "e"]),
                                          rules="email")
    assert mapping["customer_key"].nunique() == 1


def test_mapping_with_an_unknown_rule_is_refused():
    mapping = pd.DataFrame({"raw_id": ["A"], "customer_key": ["A"], "rule": ["zip"]})
    with pytest.raises(rl.DataError, match=r"mapping: column 'rule' is not one of email, phone, "
                                           r"name, alone in 1 row, e.g. 'zip'"):
        identify.merge_report(mapping)


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
    with pytest.raises(rl.DataError, match=r"transactions: column 'customer_id' is not in the "
                                           r"mapping in 2 rows, e.g. 'Q'"):
        identify.apply_identity_map(pd.DataFrame({"customer_id": ["Q", "Q", "A"]}), mapping)
    twice = pd.concat([mapping, mapping])
    with pytest.raises(rl.DataError, match=r"mapping: column 'raw_id' is repeated in 1 row"):
        identify.apply_identity_map(pd.DataFrame({"customer_id": ["A"]}), twice)
