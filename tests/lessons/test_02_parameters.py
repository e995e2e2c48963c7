"""Lesson 02 runs at the edges of its parameters, and a bad value gets a sentence."""


def test_no_budget_free_orders_and_a_single_tier_run(run_lesson, other_data):
    # No contact budget, orders that cost nothing to serve, one tier with a name of its own.
    run = run_lesson("02_customer_differentiation", contact_budget=0, cost_per_order=0,
                     vip_tiers={"Top": 1.0}, data_dir=other_data)
    assert "1500 Top customers in common, Jaccard 1.00" in run.printed
    assert "Top customers who destroy value:" in run.printed
    assert "unspent: 0 MXN; expected net value of the plan: 0 MXN" in run.printed
    assert "the budget pays for 0% of one contact per customer" in run.printed
    assert not run.problems


def test_a_bad_parameter_stops_the_first_cell_with_a_sentence(refusal):
    sentence = refusal("02_customer_differentiation", cost_per_contact="abc",
                       late_rate_per_day=2)
    assert "cost_per_contact is 'abc', but it must be a number of at least 0 MXN." in sentence
    assert "late_rate_per_day is 2, but it must be a number from 0 to 1." in sentence
