"""Every check test starts as a fresh kernel does: no wrong attempts yet."""

import pytest

from relmark_lab.checks import reset_attempts


@pytest.fixture(autouse=True)
def _fresh_attempts():
    reset_attempts()
    yield
    reset_attempts()
