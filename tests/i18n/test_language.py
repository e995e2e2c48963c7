"""One language setting: what the kit says, and how it writes numbers, follows it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import relmark_lab as rl
from relmark_lab import i18n
from relmark_lab.checks._core import CheckResult


def test_the_setting_then_the_environment_then_english(monkeypatch):
    assert i18n.get_language() == "en"
    monkeypatch.setenv("RELMARK_LANGUAGE", "es_MX.UTF-8")
    assert i18n.get_language() == "es"
    i18n.set_language("en")
    assert i18n.get_language() == "en"
    i18n.set_language(None)
    assert i18n.get_language() == "es"


def test_a_language_or_locale_the_kit_does_not_know_is_one_sentence():
    with pytest.raises(rl.DataError, match="The kit speaks 'en', 'es', not 'fr'"):
        i18n.set_language("fr")
    with pytest.raises(rl.DataError, match="'xx_YY' is not a locale Babel knows"):
        i18n.set_language("es", locale="xx_YY")


@pytest.mark.parametrize("language, locale, money, number", [
    ("en", None, "1,234,567.89\xa0MXN", "0.25"),
    ("es", None, "1,234,567.89\xa0MXN", "0.25"),      # es_MX, the kit's retailer
    ("es", "es_ES", "1.234.567,89\xa0MXN", "0,25"),
])
def test_numbers_and_money_follow_the_locale(language, locale, money, number):
    i18n.set_language(language, locale=locale)
    assert i18n.format_money(1234567.891) == money
    assert i18n.format_number(0.25) == number


def test_dates_are_written_in_the_language():
    i18n.set_language("es")
    assert "dic" in i18n.format_date(dt.date(2025, 12, 31)).lower()
    i18n.set_language("en")
    assert "Dec" in i18n.format_date(dt.date(2025, 12, 31))


def test_self_check_verdicts_in_spanish():
    i18n.set_language("es")
    wrong = CheckResult("03.1 score", "wrong", because="x", hint="y")
    assert str(wrong).startswith("Incorrecto, porque x\nPista: y")
    assert str(CheckResult("03.1 score", "right")).startswith("Correcto: 03.1 score")
    assert str(CheckResult("03.1 score", "unanswered")).startswith("Aún sin responder")
    assert "<strong>Pista:</strong>" in wrong._repr_html_()
    i18n.set_language("en")
    assert str(wrong) == "Wrong, because x\nHint: y"


def test_a_message_without_a_translation_stays_english():
    i18n.set_language("es")
    assert i18n.gettext("a sentence nobody translated") == "a sentence nobody translated"


def test_a_lesson_names_its_language_parameter_when_it_is_wrong():
    from relmark_lab.lessons import ParameterError, use_lesson_display

    # a lesson's display options are pandas' global ones: put back after the test
    with pd.option_context("display.float_format", None, "display.max_columns", 20,
                           "display.width", 80):
        with pytest.raises(ParameterError, match="language must be one of 'en', 'es', got "
                                                 "'fr'."):
            use_lesson_display(language="fr")
        use_lesson_display(language="es")
        assert i18n.get_language() == "es"
    assert pd.get_option("display.float_format") is None
