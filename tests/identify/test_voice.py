"""The voice of the customer: contacts by tool, complaints solved, who stays."""

import numpy as np
import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import identify

END = "2025-12-31"


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
    with pytest.raises(rl.DataError, match=r"contacts: column 'channel' is not one of the seven "
                                           r"tools in 1 row, e.g. 'fax'"):
        identify.contacts_by_channel(_log(channel=["fax"], contact_type=["complaint"]))
    log = _log(channel=["letter"], contact_type=["complaint"], resolved=[True],
               days_to_resolve=[-2])
    with pytest.raises(rl.DataError, match=r"contacts: column 'days_to_resolve' is below 0 in "
                                           r"1 row, e.g. -2"):
        identify.complaint_resolution(log)
    with pytest.raises(rl.DataError, match=r"Column 'resolved' is missing from the contacts"):
        identify.complaint_resolution(log.drop(columns="resolved"))
    with pytest.raises(rl.DataError, match=r"contacts: column 'resolved' is missing in 1 row, "
                                           r"e.g. row 0"):
        identify.complaint_resolution(log.assign(resolved=[None], days_to_resolve=[1]))


def test_resolved_must_be_true_or_false():
    log = _log(channel=["letter"] * 3, contact_type=["complaint"] * 3,
               resolved=["yes", True, "no"], days_to_resolve=[1, 2, None])
    with pytest.raises(rl.DataError, match=r"contacts: column 'resolved' is not True/False in "
                                           r"2 rows, e.g. 'yes'"):
        identify.complaint_resolution(log)
    log["resolved"] = [1, "TRUE", "false"]
    assert identify.complaint_resolution(log).loc["letter", "resolved"] == 2


def test_complainer_retention_groups_by_customer(lines):
    tx = lines([("A", "2025-12-01", 5.0), ("B", "2024-01-01", 5.0), ("C", "2025-11-01", 5.0),
                ("C", "2023-01-01", 5.0), ("D", "2024-06-01", 5.0)])
    log = _log(customer_id=["B", "C", "C", "D", "Z"],
               date=pd.to_datetime(["2024-01-02", "2023-02-01", "2023-03-01", "2024-07-01",
                                    "2025-01-01"]),
               contact_type=["complaint"] * 5, resolved=[False, True, False, True, True])
    table = identify.complainer_retention(log, tx, END)
    assert table["customers"].tolist() == [1, 1, 2]  # A | D | B, C
    assert table["active"].tolist() == [1, 0, 1]
    assert table.loc["some unresolved", "bought_after_complaint"] == 1  # C came back
    assert np.isnan(table.loc["no complaint", "bought_after_complaint"])
    assert table.attrs["complainers_without_purchases"] == 1  # Z
    assert table.attrs["observation_end"] == pd.Timestamp(END)


def test_complaints_after_the_end_and_on_the_day_of_the_purchase(lines):
    tx = lines([("A", "2025-03-01 09:00", 5.0), ("A", "2025-03-01 18:00", 5.0),
                ("B", "2025-03-01", 5.0), ("B", "2025-06-01", 5.0)])
    log = _log(customer_id=["A", "B", "B"],
               date=["2025-03-01 12:00", "2025-03-01", "2026-01-01 00:05"],
               contact_type=["complaint"] * 3, resolved=[False, True, False])
    table = identify.complainer_retention(log, tx, "2025-12-31 10:00")
    # B's unresolved complaint comes after the end: B is "all resolved"; A bought again
    # the day of the complaint only, which is not after it.
    assert table["customers"].tolist() == [0, 1, 1]
    assert table["bought_after_complaint"].tolist()[1:] == [1, 0]
    assert table.attrs["contacts_after_observation_end"] == 1  # B's, counted, not lost


def test_complaints_need_a_customer_id(lines):
    tx = lines([("A", "2025-03-01", 5.0)])
    log = _log(customer_id=["A", None, None], date=["2025-04-01"] * 3,
               contact_type=["complaint", "praise", "complaint"], resolved=[True] * 3)
    with pytest.raises(rl.DataError, match=r"contacts: column 'customer_id' is missing or blank "
                                           r"in 1 row, e.g. row 2"):
        identify.complainer_retention(log, tx, END)


def test_kit_unresolved_complainers_leave_more(kit):
    table = identify.complainer_retention(kit["contacts"], kit["transactions"], END)
    assert table["customers"].tolist() == [4232, 494, 274]
    assert table.loc["all resolved", "share_active"] == pytest.approx(251 / 494)
    assert table.loc["some unresolved", "share_active"] == pytest.approx(115 / 274)


def test_kit_complaints_by_channel(kit):
    table = identify.complaint_resolution(kit["contacts"])
    assert table["complaints"].sum() == 933
    assert table.loc["personal attention", "share_resolved"] == pytest.approx(153 / 172)
    assert table.loc["letter", "median_days_to_resolve"] == 19


def test_retention_without_buyers_or_complaints_gives_empty_groups(lines):
    only_returns = lines([("Z", "2025-01-01", -5.0)])
    log = _log(customer_id=["Z"], date=["2025-02-01"], contact_type=["complaint"],
               resolved=[True])
    table = identify.complainer_retention(log, only_returns, END)
    assert table["customers"].tolist() == [0, 0, 0]
    assert table.attrs["customers_without_purchases"] == 1
    assert table.attrs["complainers_without_purchases"] == 1
    praise = identify.complainer_retention(log.assign(contact_type="praise"),
                                           lines([("A", "2025-01-01", 5.0)]), END)
    assert praise["customers"].tolist() == [1, 0, 0]
