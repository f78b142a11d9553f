"""The patient's side at phone size (390 x 844): take the self-check, then request a
consultation; the front desk (desktop) finds it in the queue and books it. axe on every page;
the public pages also work with JavaScript turned off."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from needlerx.accounts.local import clinic_today
from needlerx.clinical.self_check import self_check_reference
from needlerx.consultations.models import ConsultationRequest
from needlerx.scheduling.models import Appointment
from tests.browser.accessibility import serious_violations
from tests.browser.conftest import SCREENSHOTS, Visit
from tests.personas import PASSWORD, World
from tests.scheduling.helpers import in_denver

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
# Set NEEDLERX_CONSULTATION_SHOTS=<folder> to look at the pages this journey walks through.
SHOTS = os.environ.get("NEEDLERX_CONSULTATION_SHOTS", "")
# The pages the README shows (NEEDLERX_SCREENSHOTS=1 rewrites them under docs/screenshots/).
README_SHOTS = {"self-check-talk", "self-check-urgent", "request", "queue"}


def _checked(page: Any, name: str, errors: list[str], *, axe: bool = True) -> None:
    if axe:
        assert serious_violations(page) == [], name
    assert errors == [], name
    assert "suitab" not in page.content().lower(), name
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
    if os.environ.get("NEEDLERX_SCREENSHOTS") == "1" and name in README_SHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"consultation-{name}.png"), full_page=True)


def _phone(browser: Any, *, javascript: bool = True) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def _answer(page: Any, yes: set[str]) -> None:
    page.get_by_role("group", name="Where is your pain?").get_by_label("Back", exact=True).check()
    for question in self_check_reference().questions:
        if question.only_if and question.only_if not in yes:
            continue
        group = page.get_by_role("group", name=question.text)
        group.get_by_label("Yes" if question.id in yes else "No", exact=True).check()


def _fits_the_phone(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px)"


def test_a_patient_asks_on_the_phone_and_the_front_desk_books_it(
    browser: Any, live_server: Any, visit: Visit, world: World
) -> None:
    in_denver(world)
    context, page, errors = _phone(browser)
    base = live_server.url
    page.goto(base + "/self-check/")
    expect(page.get_by_role("heading", name="Is dry needling right for me?")).to_be_visible()
    _fits_the_phone(page)
    _checked(page, "self-check", errors)
    page.get_by_role("button", name="See what to do next").click()
    expect(page.get_by_text("Please answer yes or no.").first).to_be_visible()
    _checked(page, "self-check-errors", errors)
    _answer(page, {"blood_thinner"})
    page.get_by_role("button", name="See what to do next").click()
    expect(page.get_by_role("heading", name="Let's talk")).to_be_visible()
    expect(page.get_by_text(re.compile("Your blood thinner"))).to_be_visible()
    _fits_the_phone(page)
    _checked(page, "self-check-talk", errors)
    page.get_by_role("button", name="Request a consultation").click()
    expect(page.get_by_role("heading", name="Request a consultation")).to_be_visible()
    assert page.get_by_label("Share my self-check answers with the clinic").is_checked()
    page.get_by_label(re.compile("^Which clinic")).select_option(label="Clinic A")
    page.get_by_label(re.compile("^First name")).fill("Maya")
    page.get_by_label(re.compile("^Last name")).fill("Lindqvist")
    page.get_by_label(re.compile("^Email")).fill("maya@example.com")
    page.get_by_label(re.compile("^Phone")).fill("(720) 555-0199")
    page.get_by_label("Tuesday").check()
    page.get_by_label(re.compile("Morning")).check()
    _fits_the_phone(page)
    _checked(page, "request", errors)
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_text("We can only contact you if you agree.")).to_be_visible()
    _checked(page, "request-errors", errors)
    page.get_by_label(re.compile("I agree that the clinic may contact me")).check()
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", name=re.compile("Thank you"))).to_be_visible()
    _checked(page, "request-sent", errors)
    context.close()
    request = ConsultationRequest.objects.get()
    assert request.self_check_answers is not None and request.self_check_answers["blood_thinner"]
    assert (request.pain_area, request.preferred_days) == ("back", ["tuesday"])

    desk = visit.page
    visit.sign_in("frank", PASSWORD)
    assert desk.locator("#new-requests .count").inner_text() == "1"
    desk.locator("#new-requests").click()
    expect(desk.get_by_role("heading", name="Consultation requests")).to_be_visible()
    _checked(desk, "queue", visit.console_errors)
    desk.get_by_role("link", name="Maya Lindqvist").click()
    expect(desk.get_by_text("(720) 555-0199")).to_be_visible()
    assert desk.get_by_text("Do you take a blood thinner").count() == 0  # not for the front desk
    _checked(desk, "request-detail", visit.console_errors)
    desk.get_by_role("button", name="Contacted").click()
    expect(desk.get_by_text("Marked contacted.")).to_be_visible()
    desk.get_by_role("link", name="Register and book an evaluation").click()
    day = clinic_today(world.clinic_a) + dt.timedelta(days=2)
    desk.get_by_label(re.compile("^MRN")).fill("A-7001")
    desk.get_by_label(re.compile("^Date of birth")).fill("1979-08-14")
    desk.get_by_label(re.compile("^Sex")).select_option(label="Female")
    desk.get_by_label(re.compile("^Clinician")).select_option(label="Alice")
    desk.get_by_label(re.compile("^Date \\(required\\)")).fill(day.isoformat())
    desk.get_by_label(re.compile("^Start time")).fill("09:00")
    _checked(desk, "request-book", visit.console_errors)
    desk.get_by_role("button", name="Register and book").click()
    expect(desk.get_by_text(re.compile("Registered Maya Lindqvist and booked"))).to_be_visible()
    expect(
        desk.locator("#booked").get_by_text(re.compile("Dry-needling evaluation"))
    ).to_be_visible()
    _checked(desk, "request-booked", visit.console_errors)
    appointment = Appointment.objects.get()
    assert appointment.patient.family_name == "Lindqvist"
    assert appointment.appointment_type == "dry_needling_evaluation"


def test_urgent_advice_on_the_phone(browser: Any, live_server: Any, world: World) -> None:
    context, page, errors = _phone(browser)
    page.goto(live_server.url + "/self-check/")
    _answer(page, {"saddle_numbness"})
    page.get_by_role("button", name="See what to do next").click()
    expect(page.get_by_role("heading", name="Seek urgent care now")).to_be_visible()
    expect(page.get_by_text(re.compile("Call 911"))).to_be_visible()
    expect(page.get_by_text(re.compile("Numbness between the legs"))).to_be_visible()
    _fits_the_phone(page)
    _checked(page, "self-check-urgent", errors)
    context.close()


def test_the_public_pages_work_without_javascript(
    browser: Any, live_server: Any, world: World
) -> None:
    context, page, errors = _phone(browser, javascript=False)
    page.goto(live_server.url + "/self-check/")
    _answer(page, {"fever"})
    page.get_by_role("button", name="See what to do next").click()
    expect(page.get_by_role("heading", name="Please see your doctor first")).to_be_visible()
    _checked(page, "self-check-doctor", errors, axe=False)
    page.get_by_role("button", name="Request a consultation").click()
    page.get_by_label(re.compile("^Which clinic")).select_option(label="Clinic B")
    page.get_by_label(re.compile("^First name")).fill("Noah")
    page.get_by_label(re.compile("^Last name")).fill("Script")
    page.get_by_label(re.compile("^Email")).fill("noah@example.com")
    page.get_by_label(re.compile("^Phone")).fill("512-555-0100")
    page.get_by_label("Share my self-check answers with the clinic").uncheck()
    page.get_by_label(re.compile("I agree that the clinic may contact me")).check()
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", name=re.compile("Thank you"))).to_be_visible()
    context.close()
    request = ConsultationRequest.objects.get()
    assert request.clinic == world.clinic_b
    assert request.self_check_answers is None
    assert request.pain_area == "back"
