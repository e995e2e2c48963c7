"""Matching keys: e-mails, phones and names written one way (lesson 01, section 2).

Before two records can be compared, each contact value becomes a *matching
key*: the same address, number or name always gives the same key however it
was typed. An empty value becomes missing, so it never links two records.

Examples
--------
>>> normalize_email("  Ana.Lopez@GMAIL.com "), normalize_phone("(55) 1234-5678")
('ana.lopez@gmail.com', '5512345678')
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pandas as pd

from relmark_lab._validate import ID_DTYPE

__all__ = ["normalize_email", "normalize_name", "normalize_phone"]

_COUNTRY_CODE = "52"  # Mexico; a national number has 10 digits


def _normalize(values: pd.Series | str | None,
               clean: Callable[[str], str | None]) -> pd.Series | str | None:
    """Apply ``clean`` to one value or to every value of a Series (text, missing kept)."""
    if isinstance(values, pd.Series):
        text = values.astype(ID_DTYPE)
        return text.map(clean, na_action="ignore").astype(ID_DTYPE)
    if values is None or (not isinstance(values, str) and pd.isna(values)):
        return None
    return clean(str(values))


def _clean_email(text: str) -> str | None:
    return text.strip().lower() or None


def _clean_phone(text: str) -> str | None:
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 12 and digits.startswith(_COUNTRY_CODE):
        digits = digits[len(_COUNTRY_CODE):]
    return digits or None


def _clean_name(text: str) -> str | None:
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(folded.casefold().split()) or None


def normalize_email(values: pd.Series | str | None) -> pd.Series | str | None:
    """E-mail as a matching key: surrounding spaces removed, lower case.

    Parameters
    ----------
    values : Series or str
        Raw e-mail addresses.

    Returns
    -------
    Series of text, or str
        Same shape as the input; an empty address becomes missing (None for
        one value, NaN in a Series).

    Examples
    --------
    >>> normalize_email("  Ana.Lopez@GMAIL.com ")
    'ana.lopez@gmail.com'
    >>> normalize_email("   ") is None
    True
    """
    return _normalize(values, _clean_email)


def normalize_phone(values: pd.Series | str | None) -> pd.Series | str | None:
    """Phone number as a matching key: digits only, Mexico's +52 dropped.

    A 12-digit number starting with 52 loses the country code, so
    ``+52 55 1234 5678``, ``(55) 1234-5678`` and ``5512345678`` agree. Other
    lengths are kept as their digits, never guessed at.

    Parameters
    ----------
    values : Series or str
        Raw phone numbers.

    Returns
    -------
    Series of text, or str

    Examples
    --------
    >>> normalize_phone("+52 (55) 1234-5678")
    '5512345678'
    """
    return _normalize(values, _clean_phone)


def normalize_name(values: pd.Series | str | None) -> pd.Series | str | None:
    """Person name as a matching key: accents folded, lower case, single spaces.

    Parameters
    ----------
    values : Series or str
        Raw names.

    Returns
    -------
    Series of text, or str

    Examples
    --------
    >>> normalize_name("  JOSÉ  Núñez Peña ")
    'jose nunez pena'
    >>> normalize_name(pd.Series(["Ana", None])).tolist()
    ['ana', nan]
    """
    return _normalize(values, _clean_name)
