"""A patient on a phone (390 x 844) reads the article index, opens the flagship article and
follows "Next article"; axe-core finds no serious or critical problem on either page, and the
pages work with JavaScript turned off."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from needlerx.learn.services import articles_load
from tests.browser.accessibility import serious_violations
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
FLAGSHIP = "Dry needling for neck and back pain"


# The pages the README shows at phone size (NEEDLERX_SCREENSHOTS=1 rewrites them): the first
# screen a patient sees, not the whole article.
README_SHOTS = {"learn-index", "learn-flagship"}


def _shot(page: Any, name: str) -> None:
    if os.environ.get("NEEDLERX_SCREENSHOTS") == "1" and name in README_SHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    folder = os.environ.get("NEEDLERX_LEARN_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)
        height = page.evaluate("document.documentElement.scrollHeight")
        for number, top in enumerate(range(0, height, 1600)):
            clip = {
                "x": 0,
                "y": top,
                "width": page.viewport_size["width"],
                "height": min(1600, height - top),
            }
            page.screenshot(path=f"{folder}/{name}-{number:02d}.png", full_page=True, clip=clip)


@pytest.fixture
def phone(browser: Any, live_server: Any, transactional_db: None):
    articles_load(publish=True)
    contexts = []

    def open_page(*, javascript: bool = True) -> Any:
        context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        return page

    yield live_server.url, open_page
    for context in contexts:
        context.close()


def test_a_patient_reads_the_flagship_and_goes_on_to_the_next_article(phone):
    base_url, open_page = phone
    page = open_page()
    page.goto(base_url + "/learn/")
    assert page.get_by_role("heading", level=1).inner_text() == "Articles for patients"
    assert serious_violations(page) == [], "index"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "learn-index")

    page.get_by_role("link", name=FLAGSHIP).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == FLAGSHIP
    expect(page.get_by_text("Checked by")).to_be_visible()
    assert serious_violations(page) == [], "flagship"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "learn-flagship")

    page.get_by_role("link", name="Next article").click()
    page.wait_for_load_state()
    assert page.url.endswith("/learn/what-is-dry-needling/")
    assert "acupuncture" in page.get_by_role("heading", level=1).inner_text()
    expect(page.get_by_role("link", name="Previous article")).to_be_visible()
    assert page.errors == []  # no CSP violation (the JSON-LD block is data, not script)


def test_the_articles_work_without_javascript(phone):
    base_url, open_page = phone
    page = open_page(javascript=False)
    page.goto(base_url + "/learn/")
    page.get_by_role("link", name=FLAGSHIP).click()
    page.get_by_role("link", name="Next article").click()
    assert page.url.endswith("/learn/what-is-dry-needling/")
    page.emulate_media(media="print")
    expect(page.locator(".prev-next")).to_be_hidden()
    _shot(page, "learn-print")


def test_a_clinic_admin_previews_an_edit_and_unpublishes_an_article(visit, world):
    from tests.personas import PASSWORD

    articles_load(publish=True)
    page = visit.page
    visit.sign_in("ada", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Articles").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Articles for patients"
    assert serious_violations(page) == [], "staff article list"
    _shot(page, "learn-staff-list")

    page.get_by_role("row", name=FLAGSHIP).get_by_role("link", name="Edit").click()
    page.get_by_label("Article text (Markdown)").fill("## New heading\n\nShort and plain.")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="New heading")).to_be_visible()
    assert serious_violations(page) == [], "staff article edit"
    _shot(page, "learn-staff-edit")

    page.get_by_role("link", name="Back to articles").click()
    row = page.get_by_role("row", name="What dry needling is")
    row.get_by_role("button", name="Unpublish").click()
    page.wait_for_load_state()
    assert "is no longer public" in page.get_by_role("status").inner_text()
    visit.go("/learn/dry-needling-neck-and-back-pain/")
    assert page.get_by_role("heading", level=1).inner_text() == FLAGSHIP  # the edit was not saved
    assert "acupuncture" not in page.locator(".prev-next").inner_text()
    assert visit.console_errors == []
