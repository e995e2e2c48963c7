"""One helper checks every lesson's parameters, one sentence per bad value."""

import pytest

from relmark_lab import DataError
from relmark_lab.lessons import (
    Choice,
    Day,
    Folder,
    Number,
    OneOrMore,
    ParameterError,
    Shares,
    WholeNumber,
    check_parameters,
)


@pytest.mark.parametrize(
    "spec",
    [
        WholeNumber(4, low=2, high=12),
        WholeNumber(4.0, low=2),
        Number(0.1, low=0, high=1),
        Number(6, low=0, unit="MXN"),
        Choice("Q", ("M", "Q")),
        OneOrMore(["email"], ("email", "phone")),
        Shares({"VIP": 0.05, "Gold": 0.15}),
        Day("2025-06-30", first="2023-01-01", last="2025-12-31"),
        Day(None, optional=True),
        Folder(None),
        Folder("."),
    ],
)
def test_good_values_pass(spec):
    check_parameters(value=spec)


@pytest.mark.parametrize(
    ("spec", "sentence"),
    [
        (WholeNumber("four", low=2, high=12),
         "n is 'four', but it must be a whole number from 2 to 12."),
        (WholeNumber(True), "n is True, but it must be a whole number."),
        (WholeNumber(1, low=2), "n is 1, but it must be a whole number of at least 2."),
        (WholeNumber(2030, low=2023, high=2024), "a whole number from 2023 to 2024."),
        (Number(2e6, high=1e6), "a number of at most 1000000."),
        (Number(0, low=0, strict=True, unit="MXN"), "n is 0, but it must be a number above 0 MXN."),
        (Number("abc", low=0, unit="MXN"),
         "n is 'abc', but it must be a number of at least 0 MXN."),
        (Number(float("nan"), low=0), "n is nan, but it must be a number of at least 0."),
        (Number(1.0, low=0, high=1, strict=True),
         "n is 1.0, but it must be a number strictly between 0 and 1."),
        (Choice("big", ("sample", "master")),
         "n is 'big', but it must be one of 'sample', 'master'."),
        (Choice(1, ("1",)), "n is 1, but it must be one of '1'."),
        (OneOrMore("email", ("email", "phone")),
         "n is 'email', but it must be a list of one or more of 'email', 'phone'."),
        (OneOrMore(["email", "email"], ("email",)), "each at most once"),
        (Shares({"VIP": 0.6, "Gold": 0.6}), "(they add up to 1.2)"),
        (Shares({"VIP": "a"}), "must map names to shares between 0 and 1"),
        (Day("30/06/2025"), "n is '30/06/2025', but it must be a day written year first"),
        (Day(None), "n is None, but it must be a day written year first, e.g. '2025-06-30'."),
        (Day("2026-01-01", first="2023-01-01", last="2025-12-31"),
         "n is '2026-01-01', but it must be a day from 2023-01-01 to 2025-12-31."),
        (Day("1990-01-01", first="2023-01-01"), "must be a day on or after 2023-01-01"),
        (Folder("/no/such/folder"), "must be an existing folder, or None"),
    ],
)
def test_bad_values_get_one_sentence(spec, sentence):
    with pytest.raises(ParameterError) as caught:
        check_parameters(n=spec)
    assert sentence in str(caught.value)


def test_every_bad_parameter_is_listed_at_once_and_is_a_data_error():
    with pytest.raises(DataError) as caught:
        check_parameters(bins=WholeNumber("x"), seed=WholeNumber(1), rate=Number(None))
    text = str(caught.value)
    assert text.startswith("This lesson cannot run with these parameters:")
    assert "- bins is 'x'" in text and "- rate is None" in text and "seed" not in text


def test_a_plain_value_instead_of_a_spec_is_a_programming_error():
    with pytest.raises(TypeError, match="specs such as WholeNumber"):
        check_parameters(bins=5)
