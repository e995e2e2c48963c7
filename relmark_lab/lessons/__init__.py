"""The lessons as an instructor runs them: parameters checked, executed, rendered.

* :mod:`.parameters`: every lesson's first code cell checks its parameters
  through :func:`check_parameters`, so ``n_clusters=four`` is a sentence,
  not a ``TypeError`` thirty cells later.
* :mod:`.display`: how numbers look in a lesson projected in class
  (thousands separators, no scientific notation).
* :mod:`.run`: :func:`run_lessons` executes the lessons with papermill and
  renders HTML; :func:`refresh_notebook` rebuilds a stored notebook.
"""

from __future__ import annotations

from relmark_lab.lessons.display import use_lesson_display
from relmark_lab.lessons.parameters import (
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

#: What :mod:`.run` provides, imported when first used: it loads papermill's and
#: jupytext's machinery, which a lesson's kernel never needs (seconds per kernel).
_RUN = ("LessonFailed", "LessonRun", "lesson_parameters", "refresh_notebook", "render_html",
        "run_lessons")


def __getattr__(name: str):
    if name in _RUN:
        from relmark_lab.lessons import run

        return getattr(run, name)
    raise AttributeError(f"module 'relmark_lab.lessons' has no attribute {name!r}")


__all__ = [
    "Choice",
    "Day",
    "Folder",
    "LessonFailed",
    "LessonRun",
    "Number",
    "OneOrMore",
    "ParameterError",
    "Shares",
    "WholeNumber",
    "check_parameters",
    "lesson_parameters",
    "refresh_notebook",
    "render_html",
    "run_lessons",
    "use_lesson_display",
]
