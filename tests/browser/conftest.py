"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live
server. Without Chromium they skip with the reason shown, unless NEEDLERX_REQUIRE_BROWSER=1
(CI), where a missing browser fails the run.

Set NEEDLERX_SCREENSHOTS=1 to (re)write the README's screenshots under docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures here
# are ordinary synchronous calls, so Django's async-safety guard would only get in the way.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("NEEDLERX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}


def _chromium_missing_reason() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = _chromium_missing_reason()
    if reason:
        if os.environ.get("NEEDLERX_REQUIRE_BROWSER") == "1":
            pytest.fail(f"NEEDLERX_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """A signed-out browser tab on the live server, with the helpers the journeys share."""

    page: Any
    base_url: str
    console_errors: list[str]

    def go(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def sign_in(self, username: str, password: str) -> None:
        self.go("/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()

    def body_chart_ready(self) -> None:
        """Wait until the body chart's script has made its muscles toggle their checkboxes.

        Before then a click on a muscle only follows its link to the checkbox, as without
        JavaScript, and a journey that clicked too early would see nothing chosen.
        """
        chart = self.page.locator('[data-bodychart="choose"][data-ready]')
        chart.wait_for(state="attached")

    def screenshot(self, name: str) -> None:
        if os.environ.get("NEEDLERX_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def visit(browser: Any, live_server: Any, transactional_db: None) -> Iterator[Visit]:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    errors: list[str] = []

    def console(message: Any) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield Visit(page=page, base_url=live_server.url, console_errors=errors)
    context.close()
