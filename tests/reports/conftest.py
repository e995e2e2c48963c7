"""The reports' shared fixtures: the analyst's key, and a real browser that reads the pages.

``inspect_page`` opens a rendered report in headless Chromium (Debian's
``chromium``, driven by Playwright) as a manager would, and returns what the
page did: console errors, script errors, requests beyond the file itself,
images and their rendered sizes, the visible text, and whether a planted
payload ran. It saves a screenshot per page under ``reports/screenshots/``.
Without Chromium the browser tests skip, and ``make test`` says in one line
how to run them (see the root ``conftest.py``).
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "reports" / "screenshots"
#: What the payloads planted in the data set when they run; a page must never set it.
PWNED = "window.__relmark_pwned"
PAYLOADS = ("<script>window.__relmark_pwned = 'script'</script>",
            "\"><img src=x onerror=\"window.__relmark_pwned='img'\">")
#: As the issue asks, and as Chromium must be started in a closed network (no background
#: connections to Google's hosts, no sandbox as root).
_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module", autouse=True)
def report_key():
    """Every report in these tests pseudonymizes with the same known key."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RELMARK_REPORT_KEY", "test key")
        yield


@pytest.fixture(scope="session")
def payloads() -> tuple[str, ...]:
    """Texts to plant in the data: each sets ``window.__relmark_pwned`` if a page runs it."""
    return PAYLOADS


@dataclass
class PageVisit:
    """What a browser saw on one page."""

    console_errors: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    images: list[tuple[bool, int, int]] = field(default_factory=list)
    text: str = ""
    payload_ran: object = None
    visible_code_cells: int = 0
    screenshot: Path | None = None

    def assert_clean(self, *, images: int = 1) -> None:
        """The checks every shared page passes."""
        assert not self.console_errors, self.console_errors
        assert not self.script_errors, self.script_errors
        assert not self.requests, f"the page fetched {self.requests[:3]}"
        assert not self.dialogs and self.payload_ran is None, (self.dialogs, self.payload_ran)
        assert len(self.images) >= images, f"{len(self.images)} image(s), wanted {images}"
        broken = [i for i, (done, width, height) in enumerate(self.images)
                  if not (done and width > 0 and height > 0)]
        assert not broken, f"image(s) {broken} did not render"
        assert self.visible_code_cells == 0
        for leftover in ("import relmark_lab", "data_path", "injected-parameters",
                         "Traceback"):
            assert leftover not in self.text, leftover


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test worker; skips the test without it."""
    if CHROMIUM is None:
        pytest.skip("headless Chromium not found: `apt-get install chromium` (as .ci/run "
                    "does in CI) runs the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def inspect_page(browser):
    """``inspect_page(path, name)`` -> :class:`PageVisit`, with a screenshot ``name``.png."""
    def visit(path: Path, name: str) -> PageVisit:
        seen = PageVisit()
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        url = Path(path).resolve().as_uri()
        page.on("console", lambda message: message.type == "error"
                and seen.console_errors.append(message.text))
        page.on("pageerror", lambda error: seen.script_errors.append(str(error)))
        page.on("request", lambda request: not request.url.startswith(("data:", url))
                and seen.requests.append(request.url))
        page.on("dialog", lambda dialog: (seen.dialogs.append(dialog.message),
                                          dialog.dismiss()))
        page.goto(url, wait_until="load")
        seen.images = [tuple(item) for item in page.eval_on_selector_all(
            "img", "all => all.map(i => [i.complete, i.naturalWidth, i.naturalHeight])")]
        seen.text = page.inner_text("body")
        seen.payload_ran = page.evaluate(PWNED)
        seen.visible_code_cells = page.eval_on_selector_all(
            ".jp-CodeCell .jp-InputArea, .jp-CodeCell .jp-Cell-inputWrapper, .jp-InputPrompt",
            "all => all.filter(e => e.offsetParent !== null).length")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        seen.screenshot = SCREENSHOTS / f"{re.sub(r'[^0-9A-Za-z_-]+', '_', name)}.png"
        page.screenshot(path=str(seen.screenshot), full_page=True)
        page.close()
        return seen

    return visit


#: Words of English prose; a Spanish page may hold a few (names, data), not sentences.
ENGLISH_WORDS = {"the", "and", "of", "is", "are", "with", "which", "this", "that", "from",
                 "for", "to", "in", "by", "their", "who", "what", "each", "per", "not"}


def visible_text(page: str) -> str:
    """What a reader sees of a page: no images, styles, scripts, tags or code spans."""
    page = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", page)
    page = re.sub(r"<(style|script|code)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def numbers_on(page: str) -> list[str]:
    """Every number a reader sees on the page, in order of size (words around them aside)."""
    return sorted(re.findall(r"[+-]?\d+(?:,\d{3})*(?:\.\d+)?%?", visible_text(page)))


def english_share(page: str) -> float:
    """The share of the page's words that are English function words."""
    words = re.findall(r"[a-záéíóúñü]+", visible_text(page).lower())
    return sum(word in ENGLISH_WORDS for word in words) / max(len(words), 1)


def assert_same_report(english, spanish) -> None:
    """Two editions of one report: the same files, the same numbers, each in its language."""
    assert [p.name for p in english.files] == [p.name for p in spanish.files]
    for ours, theirs in zip(english.files, spanish.files, strict=True):
        assert ours.read_bytes() == theirs.read_bytes(), ours.name
    english_page = english.html.read_text(encoding="utf-8")
    spanish_page = spanish.html.read_text(encoding="utf-8")
    assert numbers_on(english_page) == numbers_on(spanish_page)
    assert '<html lang="es">' in spanish_page and '<html lang="en">' in english_page
    assert re.search(r"<title>[^<]*</title>", english_page).group() != re.search(
        r"<title>[^<]*</title>", spanish_page).group()  # the tab's title in its language
    assert english_share(english_page) > 0.08  # the measure finds English where it is
    assert english_share(spanish_page) < 0.02, english_share(spanish_page)


@pytest.fixture(scope="session")
def same_report():
    """``same_report(english_run, spanish_run)``: :func:`assert_same_report`."""
    return assert_same_report
