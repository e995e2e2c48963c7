"""The translation catalogs: gettext ``.po`` files read with Babel (private to :mod:`.i18n`).

Two kinds live under ``relmark_lab/locale/<language>/``:

* ``LC_MESSAGES/*.po``: what the package says (``relmark.po``: the
  self-check verdicts; ``plots_clv.po``: the CLV plots' labels...), one
  file per part of the package, all looked up by
  :func:`relmark_lab.i18n.gettext`;
* ``notebooks/<lesson>.po`` and ``solutions/<lesson>.po``: the narrative
  cells of one lesson, or of one exercise notebook and its solutions,
  looked up by :mod:`relmark_lab.i18n.notebooks`.

A catalog's ``msgid`` is the English text itself, so an English text that
changes no longer finds its translation: the completeness tests catch it,
and ``relmark translations`` marks the old translation fuzzy for review.
Fuzzy and empty translations are never used.

Examples
--------
>>> catalog = Catalog(locale="es")
>>> _ = catalog.add("Right", "Correcto")
>>> _ = catalog.add("Wrong", "Incorrecto", flags=["fuzzy"])
>>> usable(catalog)
{'Right': 'Correcto'}
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

__all__ = ["LOCALE", "lesson_catalog_path", "package_catalog_paths", "read_catalog",
           "translations", "write_catalog"]

#: Where the catalogs live, inside the installed package.
LOCALE = Path(__file__).resolve().parents[1] / "locale"


def package_catalog_paths(language: str) -> list[Path]:
    """The package's catalogs for ``language`` (one per part of the package)."""
    return sorted((LOCALE / language / "LC_MESSAGES").glob("*.po"))


def lesson_catalog_path(language: str, notebook: str) -> Path:
    """The catalog of one notebook's narrative; ``notebook`` is its folder and stem,
    e.g. ``"notebooks/03_rfm"`` or ``"solutions/03_rfm"``."""
    return LOCALE / language / f"{notebook}.po"


def read_catalog(path: Path, language: str) -> Catalog:
    """A catalog file, or an empty catalog for ``language`` when there is none yet."""
    if not path.exists():
        return Catalog(locale=language, domain=path.stem, project="relmark-lab",
                       version="1", copyright_holder="the relmark-lab authors",
                       msgid_bugs_address="", last_translator="relmark-lab translators",
                       language_team="relmark-lab", fuzzy=False,
                       header_comment=f"# {language} translation of {path.parent.name}/"
                                      f"{path.stem}: msgid is the English, msgstr the "
                                      "translation.\n# Terms: relmark_lab/i18n/glossary.csv.")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def write_catalog(catalog: Catalog, path: Path) -> None:
    """Write a catalog, its entries in the order of the cells they translate."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, include_previous=True)


def usable(catalog: Catalog) -> dict[str, str]:
    """The catalog's finished translations: msgid -> msgstr, without fuzzy or empty ones."""
    return {message.id: message.string for message in catalog
            if message.id and message.string and not message.fuzzy
            and isinstance(message.id, str)}


@cache
def translations(language: str) -> dict[str, str]:
    """The package's finished translations into ``language`` (read once per process)."""
    found: dict[str, str] = {}
    for path in package_catalog_paths(language):
        found.update(usable(read_catalog(path, language)))
    return found
