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
from relmark_lab.lessons.run import (
    LessonFailed,
    LessonRun,
    lesson_parameters,
    refresh_notebook,
    render_html,
    run_lessons,
)

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
