"""argparse in the kit's language: its own words (usage, headings, ``-h``, errors) from the
kit's catalogs, without touching the standard library's gettext domain.

The English msgids are argparse's own sentences, so in English the help and the
errors are argparse's, byte for byte; :mod:`relmark_lab.cli` builds its parser
from :class:`ArgumentParser`.
"""

from __future__ import annotations

import argparse
import re
import sys

from relmark_lab.i18n import N_, get_language
from relmark_lab.i18n import gettext as _

__all__ = ["ArgumentParser", "HelpFormatter", "argparse_error"]

#: argparse's own error sentences (its English, which the standard library's gettext domain
#: would translate) and the kit's templates saying the same; each group names a placeholder.
_ARGPARSE_ERRORS = [
    (r"argument (?P<argument>\S+): (?P<message>.*)", N_("argument {argument}: {message}")),
    (r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)",
     N_("invalid choice: {value} (choose from {choices})")),
    (r"invalid (?P<type>\S+) value: (?P<value>.*)", N_("invalid {type} value: {value}")),
    (r"expected one argument", N_("expected one argument")),
    (r"expected at most one argument", N_("expected at most one argument")),
    (r"expected at least one argument", N_("expected at least one argument")),
    (r"the following arguments are required: (?P<arguments>.*)",
     N_("the following arguments are required: {arguments}")),
    (r"unrecognized arguments: (?P<arguments>.*)", N_("unrecognized arguments: {arguments}")),
    (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)",
     N_("ambiguous option: {option} could match {matches}")),
    (r"ignored explicit argument (?P<value>.*)", N_("ignored explicit argument {value}")),
]


def argparse_error(message: str) -> str:
    """One of argparse's error sentences in the language in use (unknown ones as they are).

    Examples
    --------
    >>> from relmark_lab.i18n import set_language
    >>> set_language("es")
    >>> argparse_error("argument --lang: invalid choice: 'fr' (choose from 'en', 'es')")
    "argumento --lang: opción no válida: 'fr' (elige entre 'en', 'es')"
    >>> set_language(None)
    >>> argparse_error("the following arguments are required: COMMAND")
    'the following arguments are required: COMMAND'
    """
    for pattern, template in _ARGPARSE_ERRORS:
        found = re.fullmatch(pattern, message, flags=re.DOTALL)
        if found:
            parts = found.groupdict()
            if "message" in parts:  # "argument X: ..." wraps another sentence
                parts["message"] = argparse_error(parts["message"])
            return _(template).format(**parts)
    return message


class HelpFormatter(argparse.HelpFormatter):
    """argparse's layout, with the usage line's prefix in the language in use."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser saying its own words (headings, ``-h``, errors) in the kit's language.

    argparse takes them from the standard library's gettext domain, which the
    kit leaves alone; this parser puts the kit's catalog in their place. The
    English msgids are argparse's words, so English help and errors stay
    argparse's own, byte for byte. Subcommands' parsers are of this class too.
    """

    def __init__(self, *args, add_help: bool = True, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self.add_help = add_help
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        if add_help:  # argparse's own -h, with its help in the language in use
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=_("show this help message and exit"))

    def error(self, message: str):
        if get_language() == "en":
            super().error(message)
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}: error: {message}").format(
            prog=self.prog, message=argparse_error(message)) + "\n")
