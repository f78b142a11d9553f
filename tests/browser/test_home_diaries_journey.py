"""Home diaries at phone size (390 x 844), with axe: the medication diary answered on a phone
reaches the clinician's progress chart; the NDI is offered only once the clinic has loaded its
licensed text (a placeholder fixture here) and then reads in that text; the "too many tries"
page of the link rate limit."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from needlerx.instruments.licensed_texts import licensed_text_load
from tests.browser.conftest import SCREENSHOTS, Visit
from tests.browser.test_patient_tasks_journey import (
    _phone,
    _send,
    _shot,
    serious_violations_free,
)
from tests.personas import PASSWORD, World

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "licensed_ndi_placeholder.yaml"


def _first_screen(visit: Visit, name: str) -> None:
    """The README's screenshot is the first screen the patient sees (the page is long); with
    NEEDLERX_PATIENT_SHOTS the whole page too."""
    visit.page.evaluate("window.scrollTo(0, 0)")
    if os.environ.get("NEEDLERX_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    folder = os.environ.get("NEEDLERX_PATIENT_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def phone(browser: Any, live_server: Any, transactional_db: None) -> Iterator[Visit]:
    yield from _phone(browser, live_server, javascript=True)


def test_a_medication_diary_on_a_phone_reaches_the_progress_chart(
    visit: Visit, phone: Visit, world: World
):
    patient = world.patient(email="pat@example.com", given_name="Ana", family_name="Lopez")
    episode = world.episode(patient)
    visit.sign_in("alice", PASSWORD)
    link = _send(visit, patient, "questionnaire", Questionnaire="medication")
    page = phone.page
    page.goto(link)
    expect(page.get_by_role("heading", name="Your pain medicine this week")).to_be_visible()
    assert serious_violations_free(phone, "medication diary")
    any_days = page.get_by_role("group", name="On how many of the last 7 days did you take any")
    any_days.get_by_label("4", exact=True).check()
    page.get_by_role("group", name="Acetaminophen (Tylenol)").get_by_label("3", exact=True).check()
    first = page.get_by_role("group", name="Opioid medicine 1")
    first.get_by_label("Which medicine").select_option("tramadol")
    first.get_by_label("Strength of each dose").fill("50")
    first.get_by_label("Times a day").fill("2")
    _first_screen(phone, "patient-medication-diary")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    visit.go(f"/patients/{patient.public_id}/episodes/{episode.public_id}/progress/")
    chart = visit.page.locator("figure.chart", has_text="Medication use").first
    chart.locator("summary").click()
    assert chart.locator("td.num").first.inner_text() == "4"


def test_the_ndi_at_home_only_with_the_clinics_licensed_text(
    visit: Visit, phone: Visit, world: World
):
    patient = world.patient(email="pat@example.com", given_name="Ana", family_name="Lopez")
    world.episode(patient)
    visit.sign_in("alice", PASSWORD)
    visit.go(f"/patients/{patient.public_id}/tasks/")
    expect(visit.page.locator("#licensed-not-loaded")).to_contain_text("NDI")
    _shot(visit, "clinician-licensed-not-loaded")
    licensed_text_load(actor=world.ada, clinic=world.clinic_a, path=FIXTURE)
    link = _send(visit, patient, "questionnaire", Questionnaire="ndi")
    page = phone.page
    page.goto(link)
    expect(page.get_by_role("heading", name="Neck Disability Index")).to_be_visible()
    question = page.get_by_role("group", name="Placeholder question 1 (pain)")
    expect(question.get_by_label("Placeholder statement 1-2")).to_be_visible()
    assert serious_violations_free(phone, "licensed ndi")
    _shot(phone, "patient-licensed-ndi")


@override_settings(PATIENT_LINK_MISSES_PER_WINDOW=1)
def test_guessing_links_on_a_phone_meets_a_plain_refusal(phone: Visit, world: World):
    page = phone.page
    for _ in range(3):
        page.goto(f"{phone.base_url}/my/{secrets.token_urlsafe(32)}/")
    expect(page.get_by_role("heading", name="Too many tries")).to_be_visible()
    assert serious_violations_free(phone, "too many tries")
    _shot(phone, "patient-too-many-tries")
