"""Break-even rate, the simulated response model and Hughes' test-then-rollout."""

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import rfm


def scores(r, f, m):
    return pd.DataFrame({"customer_id": [f"c{i}" for i in range(len(r))],
                         "r_score": r, "f_score": f, "m_score": m})


def test_break_even_rate():
    assert rfm.break_even_rate(6, 80) == pytest.approx(0.075)
    with pytest.raises(rl.DataError,
                       match="profit_per_response must be a finite number above 0, got 0"):
        rfm.break_even_rate(6, 0)
    with pytest.raises(rl.DataError,
                       match="cost_per_contact must be a finite number at least 0, got -1"):
        rfm.break_even_rate(-1, 80)


def test_response_model_follows_the_scores(kit):
    responses = rfm.simulate_responses(kit, random_state=1)
    assert responses["customer_id"].equals(kit["customer_id"])
    by_r = responses["response_probability"].groupby(kit["r_score"]).mean()
    assert by_r.is_monotonic_increasing
    assert responses["responded"].sum() == 339
    # A bare frame has no attrs["bins"]; with bins inferred it would be 3, so say 5.
    middle = rfm.simulate_responses(scores([3], [3], [3]), base_rate=0.1, bins=5)
    assert middle["response_probability"].iloc[0] == pytest.approx(0.1)


def test_response_model_keeps_the_bins_when_a_merge_drops_attrs(kit_transactions):
    table = rfm.rfm_table(kit_transactions, "2025-12-31", bins=3)
    merged = table.merge(pd.DataFrame({"customer_id": table["customer_id"], "region": "north"}))
    assert merged.attrs == {}  # the merge drops them
    expected = rfm.simulate_responses(table)["response_probability"]
    assert expected.mean() == pytest.approx(0.0477, abs=5e-5)
    inferred = rfm.simulate_responses(merged)["response_probability"]
    assert inferred.to_numpy() == pytest.approx(expected.to_numpy())
    explicit = rfm.simulate_responses(merged, bins=3)["response_probability"]
    assert explicit.to_numpy() == pytest.approx(expected.to_numpy())
    top = rfm.simulate_responses(scores([2], [2], [2]), base_rate=0.1)  # inferred bins 2
    assert top["response_probability"].iloc[0] == pytest.approx(0.1516, abs=5e-5)  # centre 1.5
    centred = rfm.simulate_responses(scores([2, 1], [2, 3], [2, 1]), base_rate=0.1)
    assert centred["response_probability"].iloc[0] == pytest.approx(0.1)  # bins 3, centre 2


def test_response_model_refuses_scores_it_cannot_centre():
    with pytest.raises(rl.DataError,
                       match="RFM table: column 'r_score' is outside 1–2 in 1 row, e.g. 3\\."):
        rfm.simulate_responses(scores([3, 1], [1, 2], [1, 2]), bins=2)
    with pytest.raises(rl.DataError,
                       match="RFM table: column 'f_score' is missing in 1 row, e.g. row 1"):
        rfm.simulate_responses(scores([3, 1], [1, None], [1, 2]))
    with pytest.raises(rl.DataError,
                       match="RFM table: column 'm_score' is not a whole number in 1 row, "
                       "e.g. 2.5"):
        rfm.simulate_responses(scores([3, 1], [1, 2], [1, 2.5]))
    with pytest.raises(rl.DataError, match="bins cannot be inferred.*is 1"):
        rfm.simulate_responses(scores([1], [1], [1]))
    with pytest.raises(rl.DataError, match="bins must be a whole number"):
        rfm.simulate_responses(scores([1], [1], [1]), bins=1)
    with pytest.raises(rl.DataError, match=r"^base_rate must be a finite number at least 0 "
                                           r"and at most 1, got 1\.5\.$"):
        rfm.simulate_responses(scores([1], [1], [1]), base_rate=1.5)
    with pytest.raises(rl.DataError, match=r"^base_rate must be a finite number .* got '0\.1'"):
        rfm.simulate_responses(scores([1], [1], [1]), base_rate="0.1")
    with pytest.raises(rl.DataError, match="Column 'm_score' is missing from the RFM table"):
        rfm.simulate_responses(scores([1], [1], [1]).drop(columns="m_score"))


def test_test_then_rollout_beats_contacting_everyone(kit):
    answers = rfm.simulate_responses(kit, random_state=1)["responded"]
    result = rfm.test_then_rollout(
        kit, answers, cost_per_contact=6, profit_per_response=80, test_share=0.2,
        cells=["r_score", "f_score"],
    )
    assert result.break_even_rate == pytest.approx(0.075)
    cells = result.cells
    assert cells["test_contacts"].sum() == 1000
    assert (cells["test_contacts"] + cells["rollout_contacts"]).sum() == 5000
    assert cells["selected"].sum() == 9
    assert (cells.loc[cells["selected"], "test_response_rate"] >= 0.075).all()
    summary = result.summary
    assert summary.loc["contact everyone", "profit"] == pytest.approx(339 * 80 - 5000 * 6)
    assert summary.loc["test + targeted rollout", "profit"] == pytest.approx(6746.0)
    assert "9 of 25 cells" in repr(result)


def test_a_base_rate_of_zero_or_one_means_nobody_or_everybody_answers(recwarn):
    table = scores([5, 1], [5, 1], [5, 1])
    assert rfm.simulate_responses(table, base_rate=0.0)["response_probability"].tolist() \
        == [0.0, 0.0]
    assert rfm.simulate_responses(table, base_rate=1)["responded"].tolist() == [True, True]
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_responses_as_a_table_are_matched_by_customer_id(kit):
    responses = rfm.simulate_responses(kit, random_state=1)
    shuffled = responses.sample(frac=1, random_state=0).reset_index(drop=True)
    options = {"cost_per_contact": 6, "profit_per_response": 80, "random_state": 3}
    by_series = rfm.test_then_rollout(kit, responses["responded"], **options)
    by_id = rfm.test_then_rollout(kit, shuffled, **options)
    pd.testing.assert_frame_equal(by_series.summary, by_id.summary)


def test_rollout_needs_a_response_for_every_customer(kit):
    with pytest.raises(rl.DataError,
                       match=r"responses: column 'responded' is missing in 4,990 rows, "
                       r"e\.g\. row 10\. Pass one answer for every customer \(row\)"):
        rfm.test_then_rollout(kit, pd.Series(True, index=kit.index[:10]),
                              cost_per_contact=1, profit_per_response=10)
    with pytest.raises(rl.DataError, match="test_share must be a finite number above 0 and"):
        rfm.test_then_rollout(kit, pd.Series(True, index=kit.index), cost_per_contact=1,
                              profit_per_response=10, test_share=1.5)
    with pytest.raises(rl.DataError, match="Column 'x_score' is missing from the RFM table"):
        rfm.test_then_rollout(kit, pd.Series(True, index=kit.index), cost_per_contact=1,
                              profit_per_response=10, cells="x_score")
