"""The appointment book in a real browser: the front desk books and moves an appointment; the
clinician sees it on the clinic home and starts the session note from it. axe on each page."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from needlerx.accounts.local import clinic_today
from needlerx.scheduling.models import Appointment
from tests.browser.accessibility import serious_violations
from tests.browser.conftest import Visit
from tests.personas import PASSWORD, World
from tests.scheduling.helpers import book, in_denver, slot

pytestmark = pytest.mark.browser
# Set NEEDLERX_APPOINTMENT_SHOTS=<folder> to look at the pages this journey walks through.
SHOTS = os.environ.get("NEEDLERX_APPOINTMENT_SHOTS", "")


def _checked(visit: Visit, name: str) -> None:
    assert serious_violations(visit.page) == [], name
    assert visit.console_errors == [], name
    visit.screenshot(name)
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        visit.page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_front_desk_books_and_moves_then_the_clinician_starts_the_note(
    visit: Visit, world: World
) -> None:
    in_denver(world)
    patient = world.patient(mrn="A-0042", given_name="Jane", family_name="Okafor")
    world.patient(mrn="A-0043", given_name="Omar", family_name="Haddad")
    world.episode(patient)
    today = clinic_today(world.clinic_a)
    page = visit.page

    visit.sign_in("frank", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Appointments").click()
    expect(page.get_by_role("heading", name="Appointments", exact=True)).to_be_visible()
    _checked(visit, "appointments-day-empty")
    page.get_by_role("link", name="Book appointment").click()
    page.get_by_label("Find the patient by name, MRN or date of birth").fill("okaf")
    page.get_by_role("button", name="Find").click()
    page.get_by_label(re.compile("Jane Okafor")).check()
    assert page.get_by_label(re.compile("Omar Haddad")).count() == 0
    page.get_by_label(re.compile("^Clinician")).select_option(label="Alice")
    page.get_by_label(re.compile("^Appointment type")).select_option(label="Follow-up (30 min)")
    page.get_by_label(re.compile("^Date")).fill(today.isoformat())
    page.get_by_label(re.compile("^Start time")).fill("16:00")
    _checked(visit, "appointments-book")
    page.get_by_role("button", name="Book appointment").click()
    expect(page.get_by_text(re.compile("Booked Jane Okafor with Alice"))).to_be_visible()
    row = page.locator("#appointments-day tbody tr")
    assert row.count() == 1
    assert "4:00\N{EN DASH}4:30 PM" in row.first.inner_text()
    _checked(visit, "appointments-day")
    page.get_by_role("link", name="Week", exact=True).click()
    assert "4:00\N{EN DASH}4:30 PM\nJane Okafor" in page.locator("#appointments-week").inner_text()
    _checked(visit, "appointments-week")
    page.get_by_role("link", name="Day", exact=True).click()

    row.first.get_by_role("link", name="Jane Okafor").click()
    form = page.locator("#reschedule-form")
    form.get_by_label(re.compile("^Start time")).fill("16:30")
    _checked(visit, "appointments-detail")
    form.get_by_role("button", name="Move appointment").click()
    expect(page.get_by_text("Appointment moved.")).to_be_visible()
    assert "4:30\N{EN DASH}5:00 PM" in page.locator("#appointment-when").inner_text()
    page.get_by_role("button", name="Sign out").click()

    visit.sign_in("alice", PASSWORD)
    todays = page.locator("#todays-appointments")
    assert "4:30\N{EN DASH}5:00 PM Jane Okafor" in todays.inner_text()
    _checked(visit, "appointments-home")
    todays.get_by_role("link", name=re.compile("Jane Okafor")).click()
    page.get_by_role("button", name="Start note").click()
    expect(page.get_by_role("heading", name=re.compile("Session note"))).to_be_visible()
    assert "Jane Okafor" in page.content()
    appointment = Appointment.objects.get()
    assert appointment.session is not None and appointment.status == "arrived"
    assert str(appointment.session.public_id) in page.url


def test_the_week_shows_seven_days_side_by_side_with_every_time_inside_its_day(
    visit: Visit, world: World
) -> None:
    """On a 1200-pixel screen Sunday is not pushed onto a row of its own, and a time across noon
    wraps after its dash instead of spilling into the next day."""
    in_denver(world)
    patient = world.patient(mrn="A-0042", given_name="Jane", family_name="Okafor")
    book(world, patient, slot(world.clinic_a, 11, 45, days_ahead=0), appointment_type="follow_up")
    page = visit.page
    page.set_viewport_size({"width": 1200, "height": 900})
    visit.sign_in("frank", PASSWORD)
    visit.go("/appointments/week/")
    days = page.locator("#appointments-week .week-day")
    boxes = [days.nth(n).bounding_box() for n in range(days.count())]
    assert len(boxes) == 7 and len({round(box["y"]) for box in boxes}) == 1
    day = page.locator(".week-day", has_text="Jane Okafor")
    time, card = day.locator(".week-time").first.bounding_box(), day.bounding_box()
    assert time["x"] + time["width"] <= card["x"] + card["width"]
    assert "11:45 AM\N{EN DASH}12:15 PM" in day.locator(".week-time").first.inner_text()
    _checked(visit, "appointments-week-narrow")
