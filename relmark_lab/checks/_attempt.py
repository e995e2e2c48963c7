"""Reading a student's attempt: a stub not answered yet, or the error an answer raised
(private to the checks).

Every exercise notebook starts with each function's body replaced by
``raise NotImplementedError()``; a check that recognises the stub from its
bytecode can say "not answered yet" at once, before it loads data or fits
a model for its cases. An answer that raises gets a hint that fits its
error (:func:`hint_for_exception`).

Examples
--------
>>> def stub(x):
...     raise NotImplementedError()
>>> is_stub(stub), is_stub(lambda x: x * 2)
(True, False)
"""

from __future__ import annotations

import dis
import inspect
import types
from typing import Any

from relmark_lab.checks._compare import show
from relmark_lab.i18n import N_
from relmark_lab.i18n import gettext as _

__all__ = ["hint_for_exception", "is_stub"]

#: All a stub's body may execute: ``raise NotImplementedError``, called or not, with a message
#: or not, and the interpreter's bookkeeping (Python 3.10 to 3.13 name these differently).
_STUB_OPERATIONS = frozenset({"RESUME", "NOP", "CACHE", "EXTENDED_ARG", "PUSH_NULL", "PRECALL",
                              "CALL", "CALL_FUNCTION", "LOAD_GLOBAL", "LOAD_NAME", "LOAD_CONST",
                              "RAISE_VARARGS"})


def is_stub(func: Any) -> bool:
    """Whether calling ``func`` can only raise ``NotImplementedError``, read from its bytecode.

    A wrapper around a stub is not one; the check runs it and catches the error.
    """
    if type(func) is not types.FunctionType:
        return False
    code = func.__code__
    not_a_plain_call = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR
    if code.co_flags & not_a_plain_call or code.co_names != ("NotImplementedError",):
        return False
    # The name must mean the builtin exception where the function was written.
    if func.__globals__.get("NotImplementedError", NotImplementedError) is not NotImplementedError:
        return False
    operations = [instruction.opname for instruction in dis.get_instructions(code)]
    return (set(operations) <= _STUB_OPERATIONS and operations[-1] == "RAISE_VARARGS"
            and operations.count("RAISE_VARARGS") == 1)


def hint_for_exception(error: Exception) -> str:
    """A hint for an answer that raised ``error`` (static hints are translated when shown)."""
    if isinstance(error, KeyError):
        key = show(error.args[0]) if error.args else _("a key")
        return _("{key} is not a column or label of the data. Print `df.columns` to see the "
                 "names you can use.").format(key=key)
    if isinstance(error, AttributeError):
        return N_("a method or attribute name is misspelt or used on the wrong kind of object.")
    if isinstance(error, TypeError) and "positional argument" in str(error):
        return N_("your function must take the arguments the exercise names, no more and no "
                  "fewer.")
    if isinstance(error, TypeError):
        return N_("check the arguments your function passes to pandas and their types.")
    return N_("run your function on its own in a cell to see where it stops.")
