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

The values the kit defines and its tables hold (segment names, customer
statuses, lifecycle stages, typologies, tiers...) stay English in the data,
because code compares them (``summary["segment"] == "Champions"``); figures
and messages show them with :func:`display_value`, from the catalog
``values.po``.

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
>>> i18n.display_value("Champions")  # a value the kit's tables hold, shown in Spanish
'Campeones'
>>> i18n.set_language("en")
>>> i18n.gettext("Not answered yet")
'Not answered yet'
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from relmark_lab.errors import DataError
from relmark_lab.i18n.catalogs import LOCALE, read_catalog, translations, usable

__all__ = ["LANGUAGES", "N_", "VALUES_CATALOG", "display_value", "display_values", "format_date",
           "format_money", "format_number", "get_language", "get_locale", "gettext",
           "gettext_noop", "ngettext", "set_language", "speaking", "value_names"]

#: The kit's languages and the locale each uses for numbers, money and dates.
LANGUAGES = {"en": "en_US", "es": "es_MX"}
#: The currency of the kit's retailer.
CURRENCY = "MXN"
#: The catalog (``locale/<language>/LC_MESSAGES/values.po``) of the values the kit defines.
VALUES_CATALOG = "values"
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
    # The messages speak the language in use so far, not the one refused.
    if language is not None and language not in LANGUAGES:
        raise DataError(gettext("The kit speaks {languages}, not {language!r}. Pass one of them "
                                "to set_language.").format(
                                    languages=", ".join(map(repr, LANGUAGES)), language=language))
    if locale is not None:
        try:
            Locale.parse(locale)
        except (ValueError, UnknownLocaleError):
            raise DataError(gettext("{locale!r} is not a locale Babel knows; write it like "
                                    "'es_MX' or 'es_ES'.").format(locale=locale)) from None
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


def display_value(value: Any) -> Any:
    """How a figure or a message shows ``value``: its name in the language in use when it is
    one of the values the kit defines, else ``value`` itself.

    The kit's tables keep their values in English, as code compares them
    (``summary["segment"] == "Champions"``); only what a person reads is
    translated. The kit's values are those of the catalog ``values.po``
    (:data:`VALUES_CATALOG`); a value of the user's own, a number or a
    missing value comes back unchanged.

    Examples
    --------
    >>> set_language("es")
    >>> display_value("true friends"), display_value("Mi segmento"), display_value(3)
    ('amigos verdaderos', 'Mi segmento', 3)
    >>> set_language("en")
    >>> display_value("true friends")
    'true friends'
    """
    language = get_language()
    if language == "en" or not isinstance(value, str):
        return value
    return value_names(language).get(value, value)


def display_values(values: Any) -> Any:
    """:func:`display_value` of each of ``values``.

    A pandas Series or Index comes back as one (same index and name; a
    categorical keeps its order), any other sequence as a list; in English
    ``values`` itself comes back.

    Examples
    --------
    >>> import pandas as pd
    >>> set_language("es")
    >>> shown = display_values(pd.Index(["active", "inactive", "mine"], name="status"))
    >>> list(shown), shown.name
    (['activo', 'inactivo', 'mine'], 'status')
    >>> set_language("en")
    """
    if get_language() == "en":
        return values
    if hasattr(values, "map"):  # a pandas Series, Index or Categorical
        return values.map(display_value)
    return [display_value(value) for value in values]


@cache
def value_names(language: str) -> dict[str, str]:
    """The kit's values (English) and their names in ``language``, from ``values.po``."""
    path = LOCALE / language / "LC_MESSAGES" / f"{VALUES_CATALOG}.po"
    return usable(read_catalog(path, language))


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


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Speak ``language`` inside a ``with`` block, then go back to the setting before it
    (None: the language in use goes on).

    Examples
    --------
    >>> with speaking("es"):
    ...     gettext("Not answered yet")
    'Aún sin responder'
    >>> get_language()
    'en'
    """
    before = dict(_chosen)
    if language is not None:
        set_language(language)
    try:
        yield
    finally:
        _chosen.update(before)
