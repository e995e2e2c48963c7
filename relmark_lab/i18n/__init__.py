"""The kit's languages: one setting, gettext catalogs, numbers and money by locale.

Everything the kit says to a person is written once, in English, and looked
up in a translation catalog for the chosen language (gettext ``.po`` files
under ``relmark_lab/locale/``, managed with Babel). The language comes from
one setting: :func:`set_language`, else the environment variable
``RELMARK_LANGUAGE``, else English. Lessons and report templates take a
``language`` parameter that calls :func:`set_language` in their kernel.

Numbers, money and dates follow the language's locale through Babel: the
kit's retailer is Mexican, so Spanish means ``es_MX`` (1,234.56) unless a
locale such as ``es_ES`` (1.234,56) is given.

Examples
--------
>>> from relmark_lab import i18n
>>> i18n.set_language("es")
>>> i18n.gettext("Not answered yet")
'Aún sin responder'
>>> i18n.format_money(1234.5)
'1,234.50\\xa0MXN'
>>> i18n.set_language("es", locale="es_ES")
>>> i18n.format_money(1234.5)
'1.234,50\\xa0MXN'
>>> i18n.set_language("en")
>>> i18n.gettext("Not answered yet")
'Not answered yet'
"""

from __future__ import annotations

import os
from typing import Any

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from relmark_lab.errors import DataError
from relmark_lab.i18n.catalogs import translations

__all__ = ["LANGUAGES", "N_", "format_date", "format_money", "format_number", "get_language",
           "get_locale", "gettext", "gettext_noop", "ngettext", "set_language"]

#: The kit's languages and the locale each uses for numbers, money and dates.
LANGUAGES = {"en": "en_US", "es": "es_MX"}
#: The currency of the kit's retailer.
CURRENCY = "MXN"
_ENVIRONMENT = "RELMARK_LANGUAGE"
_chosen: dict[str, str | None] = {"language": None, "locale": None}


def set_language(language: str | None, *, locale: str | None = None) -> None:
    """Choose the language (``"en"`` or ``"es"``) of everything the kit says from now on.

    Parameters
    ----------
    language : str or None
        ``"en"`` or ``"es"``; None goes back to ``RELMARK_LANGUAGE`` or English.
    locale : str, optional
        The locale of numbers, money and dates, e.g. ``"es_ES"``; by default
        the language's own (:data:`LANGUAGES`).

    Raises
    ------
    DataError
        For a language the kit does not speak or a locale Babel does not know.
    """
    if language is not None and language not in LANGUAGES:
        raise DataError(f"The kit speaks {', '.join(map(repr, LANGUAGES))}, not "
                        f"{language!r}. Pass one of them to set_language.")
    if locale is not None:
        try:
            Locale.parse(locale)
        except (ValueError, UnknownLocaleError):
            raise DataError(f"{locale!r} is not a locale Babel knows; write it like "
                            "'es_MX' or 'es_ES'.") from None
    _chosen.update(language=language, locale=locale)


def get_language() -> str:
    """The language in use: the one set, else ``RELMARK_LANGUAGE``, else ``"en"``."""
    if _chosen["language"]:
        return _chosen["language"]
    from_environment = os.environ.get(_ENVIRONMENT, "").strip().lower()[:2]
    return from_environment if from_environment in LANGUAGES else "en"


def get_locale() -> str:
    """The locale of numbers, money and dates (the language's unless one was set)."""
    return _chosen["locale"] or LANGUAGES[get_language()]


def gettext(message: str) -> str:
    """``message`` in the language in use (itself when English or not yet translated)."""
    language = get_language()
    if language == "en" or not message:
        return message
    return translations(language).get(message) or message


def gettext_noop(message: str) -> str:
    """Mark a text for translation where it is defined, translated where it is shown.

    ``because=N_("...")`` in a check's table of mistakes is extracted into
    the catalogs (Babel knows ``N_``) and stays English there;
    :class:`relmark_lab.checks.CheckResult` looks it up when it is printed.
    """
    return message


N_ = gettext_noop


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the language in use."""
    return gettext(singular if count == 1 else plural)


def format_number(value: Any, decimals: int | None = None) -> str:
    """A number with the locale's separators; ``decimals`` fixes the digits after the point."""
    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=get_locale())


def format_money(value: Any, currency: str = CURRENCY) -> str:
    """An amount with the locale's separators, two decimals and the currency's code."""
    number = babel_numbers.format_decimal(value, format="#,##0.00", locale=get_locale())
    return f"{number}\xa0{currency}"


def format_date(value: Any, form: str = "medium") -> str:
    """A date in the locale's words (``form``: ``"short"``, ``"medium"``, ``"long"``)."""
    return babel_dates.format_date(value, format=form, locale=get_locale())
