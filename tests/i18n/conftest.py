"""Every i18n test starts as a fresh kernel would and leaves the kit as it found it."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from relmark_lab import i18n
from relmark_lab.checks import reset_attempts


@pytest.fixture(autouse=True)
def fresh_kernel_afterwards(monkeypatch):
    """No RELMARK_LANGUAGE and no wrong attempts during a test; afterwards the default
    language (English), no attempts and no open figure again."""
    monkeypatch.delenv("RELMARK_LANGUAGE", raising=False)
    reset_attempts()
    yield
    i18n.set_language(None)
    reset_attempts()
    plt.close("all")
