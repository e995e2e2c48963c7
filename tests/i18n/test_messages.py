"""Everything the package says through gettext has a current Spanish translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from relmark_lab.i18n.catalogs import translations

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "relmark_lab"
#: The package, its report templates, and the lessons' and solutions' percent scripts.
SOURCES = {PACKAGE: "**.py", ROOT / "notebooks": "[0-9]*.py", ROOT / "solutions": "[0-9]*.py"}


def _messages() -> dict[str, str]:
    """Every literal the package and the lessons pass to ``_()``, and where (file:line)."""
    found = {}
    for folder, pattern in SOURCES.items():
        for filename, line, message, _comments, _context in extract_from_dir(
                str(folder), method_map=[(pattern, "python")]):
            if isinstance(message, str) and message:
                found.setdefault(message, f"{folder.name}/{filename}:{line}")
    return found


def test_every_message_the_package_says_has_a_spanish_translation():
    spanish = translations("es")
    missing = {text: where for text, where in _messages().items() if text not in spanish}
    assert not missing, (f"{len(missing)} message(s) lack a Spanish translation in "
                         f"relmark_lab/locale/es/LC_MESSAGES/, e.g. "
                         f"{next(iter(missing.items()))}")


def test_the_extraction_finds_the_self_check_verdicts():
    assert {"Right", "Wrong", "Hint:", "Not answered yet"} <= set(_messages())


def test_a_text_in_two_catalogs_has_one_translation():
    """The catalogs are merged into one lookup: a text two of them hold must agree, or the
    one read last would win without a word."""
    from relmark_lab.i18n.catalogs import package_catalog_paths, read_catalog, usable

    seen: dict[str, tuple[str, str]] = {}
    conflicts = []
    for path in package_catalog_paths("es"):
        for english, spanish in usable(read_catalog(path, "es")).items():
            if english in seen and seen[english][1] != spanish:
                conflicts.append((english, seen[english][0], path.name))
            seen.setdefault(english, (path.name, spanish))
    assert not conflicts, f"{len(conflicts)} text(s) translated differently, e.g. {conflicts[0]}"
