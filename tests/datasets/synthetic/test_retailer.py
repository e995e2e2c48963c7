"""The whole simulation: arguments, streams, schema, sizes and referential integrity."""

from __future__ import annotations

import pandas as pd
import pytest

from relmark_lab.datasets import synthetic
from relmark_lab.errors import DataError

START = pd.Timestamp(synthetic.OBSERVATION_START)
END = pd.Timestamp(synthetic.OBSERVATION_END) + pd.Timedelta(days=1)  # the whole last day counts

EXPECTED_SCHEMA = {
    "customers": {
        "customer_id": "str", "name": "str", "email": "str", "phone": "str",
        "signup_date": "datetime", "acquisition_channel": "str", "acquisition_cost": "float",
        "region": "str", "payment_terms": "str", "referred_by": "str",
    },
    "transactions": {
        "order_id": "str", "customer_id": "str", "timestamp": "datetime", "category": "str",
        "quantity": "int", "amount": "float", "margin": "float", "days_late": "int",
        "discount": "float", "cost_to_serve": "float",
    },
    "leads": {
        "lead_id": "str", "name": "str", "email": "str", "phone": "str",
        "created_date": "datetime", "source_channel": "str", "region": "str",
    },
    "survey": {
        "customer_id": "str", "survey_date": "datetime", "satisfaction": "int",
        "recommend": "int", "share_of_wallet": "float", "perceived_value": "int",
        "price_rating": "int", "convenience_rating": "int", "service_rating": "int",
        "reassurance_rating": "int", "product_brand_rating": "int",
    },
    "voice_of_customer": {
        "contact_id": "str", "customer_id": "str", "date": "datetime", "channel": "str",
        "contact_type": "str", "resolved": "bool", "days_to_resolve": "int",
    },
    "pilot_members": {
        "member_id": "str", "design": "str", "region": "str", "tier": "str",
        "tenure_months": "int", "prior_orders": "int", "prior_spend": "float",
        "prior_year_orders": "int", "prior_year_spend": "float",
        "satisfaction": "int", "enrolled": "int", "program_start": "str",
    },
    "loyalty_pilot": {
        "member_id": "str", "month": "str", "orders": "int", "revenue": "float",
        "rewards": "float", "active": "int",
    },
    "complaint_recovery": {
        "complaint_id": "str", "group": "str", "channel": "str", "prior_spend": "float",
        "retained": "int",
    },
    "follow_up": {
        "order_id": "str", "group": "str", "tier": "str", "order_value": "float",
        "repeat_90d": "int",
    },
    "stores": {
        "store_id": "str", "region": "str", "staff_satisfaction": "float",
        "customer_satisfaction": "float", "retention": "float", "customers": "int",
    },
    "identity_map": {"raw_customer_id": "str", "customer_id": "str"},
}
KIND_CHECK = {
    "str": pd.api.types.is_string_dtype,
    "float": pd.api.types.is_float_dtype,
    "int": pd.api.types.is_integer_dtype,
    "bool": pd.api.types.is_bool_dtype,
    "datetime": pd.api.types.is_datetime64_any_dtype,
}


def test_public_names_are_re_exported() -> None:
    for name in synthetic.__all__:
        assert hasattr(synthetic, name), name
    assert synthetic.OBSERVATION_END == "2025-12-31"
    assert synthetic.DEFAULT_SEED == 20261125


def test_another_seed_gives_other_data() -> None:
    one = synthetic.simulate(seed=1, n_customers=300)
    two = synthetic.simulate(seed=2, n_customers=300)
    assert not one.transactions["amount"].equals(two.transactions["amount"])


def test_invalid_arguments_raise_data_error() -> None:
    with pytest.raises(DataError, match="n_customers"):
        synthetic.simulate(n_customers=10)
    with pytest.raises(DataError, match="seed"):
        synthetic.simulate(seed=-1)


@pytest.mark.parametrize("name", sorted(EXPECTED_SCHEMA))
def test_table_schema(retailer: synthetic.SyntheticRetailer, name: str) -> None:
    table = retailer.tables()[name]
    assert list(table.columns) == list(EXPECTED_SCHEMA[name])
    for column, kind in EXPECTED_SCHEMA[name].items():
        assert KIND_CHECK[kind](table[column]), (name, column, table[column].dtype)
    assert len(table) > 0


def test_table_sizes(retailer: synthetic.SyntheticRetailer) -> None:
    assert len(retailer.customers) == 5000
    assert 1800 <= len(retailer.leads) <= 2200
    assert len(retailer.survey) == 1500
    assert retailer.pilot_members.groupby("design")["member_id"].nunique().to_dict() == {
        "randomized": 1000, "self_selected": 2000, "rollout": 1500,
    }
    assert len(retailer.loyalty_pilot) == 12 * len(retailer.pilot_members)
    assert len(retailer.complaint_recovery) == 800 and len(retailer.follow_up) == 2000
    assert len(retailer.stores) == 40
    assert retailer.truth["counts"] == {k: len(v) for k, v in retailer.tables().items()}


def test_every_transaction_customer_exists(retailer: synthetic.SyntheticRetailer) -> None:
    customers = set(retailer.customers["customer_id"])
    for name in ("transactions", "survey", "voice_of_customer", "identity_map"):
        assert retailer.tables()[name]["customer_id"].isin(customers).all(), name
    assert retailer.customers["customer_id"].is_unique
    assert not retailer.loyalty_pilot["member_id"].isin(customers).any()
    members = set(retailer.pilot_members["member_id"])
    assert retailer.loyalty_pilot["member_id"].isin(members).all()
    assert not retailer.follow_up["order_id"].isin(retailer.transactions["order_id"]).any()


def test_dates_within_window(retailer: synthetic.SyntheticRetailer) -> None:
    checks = {
        "transactions": "timestamp", "customers": "signup_date", "leads": "created_date",
        "survey": "survey_date", "voice_of_customer": "date",
    }
    for name, column in checks.items():
        values = retailer.tables()[name][column]
        assert values.min() >= START and values.max() < END, name


def test_each_process_draws_from_its_own_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    """Extra draws in one process (the survey) leave every other table unchanged."""
    from relmark_lab.datasets.synthetic import retailer as module

    before = synthetic.simulate(seed=5, n_customers=300).tables()
    original = module._build_survey

    def survey_with_extra_draws(rng, *args):
        rng.random(17)
        return original(rng, *args)

    monkeypatch.setattr(module, "_build_survey", survey_with_extra_draws)
    after = synthetic.simulate(seed=5, n_customers=300).tables()
    assert not after["survey"].equals(before["survey"])
    for name, table in before.items():
        if name != "survey":
            pd.testing.assert_frame_equal(after[name], table, obj=name)
