"""Everything the package says through gettext has a current Spanish translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from relmark_lab.i18n.catalogs import translations

PACKAGE = Path(__file__).resolve().parents[2] / "relmark_lab"


def _messages() -> dict[str, str]:
    """Every literal the package passes to ``_()``, and where (file:line)."""
    found = {}
    for filename, line, message, _comments, _context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")]):
        if isinstance(message, str) and message:
            found.setdefault(message, f"{filename}:{line}")
    return found


def test_every_message_the_package_says_has_a_spanish_translation():
    spanish = translations("es")
    missing = {text: where for text, where in _messages().items() if text not in spanish}
    assert not missing, (f"{len(missing)} message(s) lack a Spanish translation in "
                         f"relmark_lab/locale/es/LC_MESSAGES/, e.g. "
                         f"{next(iter(missing.items()))}")


def test_the_extraction_finds_the_self_check_verdicts():
    assert {"Right", "Wrong", "Hint:", "Not answered yet"} <= set(_messages())
