"""Lesson 05 re-run by an instructor: other horizons, rates and dates work and the text follows."""


def test_a_short_horizon_a_higher_rate_and_another_comparison_run(run_lesson, other_data):
    run = run_lesson("05_customer_equity", horizon_months=6, discount_rate=0.3,
                     bootstrap_replicates=20, wallet_points=0.2, comparison_end="2025-06-30",
                     seed=1, data_dir=other_data)
    assert not run.problems
    text = run.printed
    assert "customer equity over 6 months at 30% a year:" in text
    assert "20 points more share of wallet" in text
    assert "from 2025-06-30 to 2025-12-31:" in text
    # The published figures do not depend on the kit's parameters.
    assert "margin multiple: 250.00 USD" in text and "Pfeifer's condition" in text
    assert "the interval" in text


def test_a_comparison_after_the_data_end_gets_a_sentence(refusal):
    sentence = refusal("05_customer_equity", comparison_end="2026-03-31")
    assert "comparison_end is '2026-03-31', but it must be a day from 2023-07-01 to 2025-12-01" \
        in sentence

