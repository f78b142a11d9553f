"""The patient's side at phone size (390 x 844): a check-in with a warning sign shows urgent
advice and the clinician then sees the alert on the clinic home; an NPRS answered at home, in a
browser with JavaScript off, appears in the clinician's progress chart. axe on every patient
page."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from needlerx.clinical.check_in import check_in_reference
from tests.browser.conftest import Visit
from tests.browser.test_journeys import _accessible
from tests.patient_tasks.helpers import home_care, in_two_days_at_four, needled_session
from tests.personas import PASSWORD, World

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Any, live_server: Any, transactional_db: None) -> Iterator[Visit]:
    yield from _phone(browser, live_server, javascript=True)


@pytest.fixture
def phone_without_javascript(
    browser: Any, live_server: Any, transactional_db: None
) -> Iterator[Visit]:
    yield from _phone(browser, live_server, javascript=False)


def _phone(browser: Any, live_server: Any, *, javascript: bool) -> Iterator[Visit]:
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield Visit(page=page, base_url=live_server.url, console_errors=errors)
    context.close()


def _shot(visit: Visit, name: str) -> None:
    """With NEEDLERX_SCREENSHOTS=1, the README's screenshots; with NEEDLERX_PATIENT_SHOTS=<dir>,
    every step's screenshot there, to look at."""
    visit.screenshot(name)
    folder = os.environ.get("NEEDLERX_PATIENT_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _send(visit: Visit, patient: Any, kind: str, **choices: str) -> str:
    """The clinician sends a link from the patient's chart; the link they can copy."""
    page = visit.page
    visit.go(f"/patients/{patient.public_id}/")
    page.get_by_role("link", name="Send check-in or questionnaire").click()
    page.get_by_label("What to send").select_option(kind)
    for label, value in choices.items():
        page.get_by_label(label).select_option(value)
    page.get_by_role("button", name="Create the link").click()
    expect(page.locator("#task-link")).to_be_visible()  # the page the link is on, loaded
    _accessible(visit, "patient-tasks-sent")
    _shot(visit, "clinician-link-created")
    return str(page.locator("#task-link").input_value())


def test_a_warning_sign_at_home_shows_urgent_advice_and_alerts_the_clinic(
    visit: Visit, phone: Visit, world: World
):
    patient = world.patient(email="pat@example.com", given_name="Rosa", family_name="Jimenez")
    session = needled_session(world, patient)
    visit.sign_in("alice", PASSWORD)
    link = _send(
        visit,
        patient,
        "after_needling_check_in",
        **{"Needling session (for a check-in)": str(session.public_id)},
    )
    page = phone.page
    page.goto(link)
    expect(page.get_by_role("heading", name="How are you after your visit?")).to_be_visible()
    assert serious_violations_free(phone, "check-in")
    _shot(phone, "patient-check-in")
    page.get_by_label("3", exact=True).check()
    page.get_by_role("group", name="Do you have a bruise").get_by_label("No").check()
    sign = check_in_reference().warning_signs[0]
    page.get_by_label(sign.label).check()
    page.get_by_role("button", name="Send my answers").click()
    advice = page.locator("#urgent-advice")
    expect(advice).to_be_visible()
    assert "Call 911" in advice.inner_text()
    assert serious_violations_free(phone, "urgent advice")
    _shot(phone, "patient-urgent-advice")
    page.goto(link)
    expect(page.get_by_role("heading", name="Already done")).to_be_visible()
    visit.go("/")
    alerts = visit.page.locator("section[aria-labelledby=alerts-heading]")
    assert "Rosa Jimenez" in alerts.inner_text()
    assert "Warning sign in home check-in" in alerts.inner_text()
    _shot(visit, "clinician-home-alert")
    alerts.get_by_role("link", name="Rosa Jimenez").click()
    assert sign.label in visit.page.locator("#task-answers").inner_text()
    _accessible(visit, "check-in-review")


def test_an_nprs_answered_at_home_without_javascript_reaches_the_progress_chart(
    visit: Visit, phone_without_javascript: Visit, world: World
):
    patient = world.patient(email="pat@example.com", given_name="Ana", family_name="Lopez")
    episode = world.episode(patient)
    visit.sign_in("alice", PASSWORD)
    link = _send(visit, patient, "questionnaire", Questionnaire="nprs")
    page = phone_without_javascript.page
    page.goto(link)
    expect(page.get_by_role("heading", name="Numeric Pain Rating Scale")).to_be_visible()
    _shot(phone_without_javascript, "patient-nprs")
    page.get_by_label("6", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    visit.go(f"/patients/{patient.public_id}/episodes/{episode.public_id}/progress/")
    chart = visit.page.locator("figure.chart", has_text="Numeric Pain Rating Scale")
    chart.locator("summary").click()
    assert chart.locator("td.num").first.inner_text() == "6"
    _shot(visit, "clinician-progress-nprs")


def serious_violations_free(visit: Visit, name: str) -> bool:
    from tests.browser.accessibility import serious_violations

    problems = serious_violations(visit.page)
    assert problems == [], (name, problems)
    return True


def test_a_psfs_baseline_at_home_names_activities_on_a_phone(
    visit: Visit, phone: Visit, world: World
):
    patient = world.patient(email="pat@example.com", given_name="Ana", family_name="Lopez")
    world.episode(patient)
    visit.sign_in("alice", PASSWORD)
    link = _send(visit, patient, "questionnaire", Questionnaire="psfs")
    page = phone.page
    page.goto(link)
    assert serious_violations_free(phone, "psfs")
    page.get_by_label("Activity 1 you find hard").fill("Turning my head to drive")
    page.get_by_role("group", name="Activity 1: how well").get_by_label("4", exact=True).check()
    _shot(phone, "patient-psfs")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()


def test_the_spasm_diary_and_the_home_program_read_well_on_a_phone(
    visit: Visit, phone: Visit, world: World
):
    patient = world.patient(email="pat@example.com", given_name="Ana", family_name="Lopez")
    _program(world, world.episode(patient))
    visit.sign_in("alice", PASSWORD)
    for kind, choices, name in (
        ("questionnaire", {"Questionnaire": "spasm"}, "patient-spasm-diary"),
        ("home_programme", {}, "patient-home-program"),
    ):
        link = _send(visit, patient, kind, **choices)
        phone.page.goto(link)
        assert serious_violations_free(phone, name)
        _shot(phone, name)
    phone.page.goto(phone.base_url + "/my/not-a-link/")
    expect(phone.page.get_by_role("heading", name="This link is not valid")).to_be_visible()
    assert serious_violations_free(phone, "invalid link")


def _program(world: World, episode: Any) -> None:
    """A plan with two home exercises, an appointment in two days and two pain ratings."""
    home_care(
        world,
        episode,
        exercises=("chin_tuck_supine", "upper_trapezius_stretch"),
        appointment_at=in_two_days_at_four(),
    )
