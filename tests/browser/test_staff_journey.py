"""A clinic admin adds a clinician with a dry-needling credential, who then signs in and starts a
session note (issue 14: "admin adds a clinician with a credential who then needles"); axe-core on
the staff, add-staff and clinic settings pages."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.accessibility import serious_violations
from tests.browser.conftest import Visit
from tests.personas import PASSWORD, World
from tests.treatments.helpers import answer_required_questions

pytestmark = pytest.mark.browser
NEW_PASSWORD = "plum-orchard-lantern-42"


def _accessible(visit: Visit, name: str) -> None:
    assert serious_violations(visit.page) == [], name
    assert visit.console_errors == [], name
    visit.screenshot(name)
    if os.environ.get("NEEDLERX_STAFF_SCREENSHOTS"):
        visit.page.screenshot(
            path=f"{os.environ['NEEDLERX_STAFF_SCREENSHOTS']}/{name}.png", full_page=True
        )


def test_an_admin_adds_a_clinician_with_a_credential_who_then_starts_a_note(
    visit: Visit, world: World
):
    patient = world.patient(mrn="A-0042", given_name="Jane", family_name="Okafor")
    page = visit.page
    visit.sign_in("ada", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    expect(page.get_by_role("heading", name="Staff", exact=True)).to_be_visible()
    _accessible(visit, "staff-list")

    page.get_by_role("link", name=re.compile("Add staff member")).click()
    page.wait_for_url("**/staff/new/")
    _accessible(visit, "staff-new")
    page.get_by_label("First name").fill("Cara")
    page.get_by_label("Last name").fill("Lindqvist")
    page.get_by_label("Username").fill("cara")
    page.get_by_label("Email").fill("cara@example.org")
    page.get_by_label("Role").select_option("clinician")
    page.get_by_label("First password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Add staff member").click()

    # Straight on to her dry-needling credential.
    expect(page.get_by_text("Cara Lindqvist was added as a clinician")).to_be_visible()
    today = timezone.localdate()
    page.get_by_label("Training body").fill("Myopain Seminars")
    page.get_by_label("Training hours").fill("54")
    page.get_by_label("Completed on").fill((today - dt.timedelta(days=30)).isoformat())
    page.get_by_label("Expires on").fill((today + dt.timedelta(days=700)).isoformat())
    page.get_by_label("License number").fill("PT-7781")
    page.get_by_role("button", name="Record credential").click()
    expect(page.get_by_text("Credential recorded for Cara Lindqvist.")).to_be_visible()

    visit.go("/account/staff/")
    row = page.get_by_role("row", name=re.compile("Cara Lindqvist"))
    expect(row.get_by_text("Current")).to_be_visible()
    expect(row.get_by_text("Not set up")).to_be_visible()

    page.get_by_role("link", name=re.compile("Clinic settings")).first.click()
    expect(page.get_by_label(re.compile("^Time zone"))).to_be_visible()
    _accessible(visit, "clinic-settings")
    page.get_by_label(re.compile("^Time zone")).select_option("America/Denver")
    page.get_by_label("Organization NPI").fill("1234567890")
    page.get_by_role("button", name="Save clinic settings").click()
    expect(page.get_by_text("is not a valid NPI")).to_be_visible()  # a typo, shown beside the field
    visit.console_errors.remove(
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    )  # the form's answer
    _accessible(visit, "clinic-settings-error")
    page.get_by_label("Organization NPI").fill("1234567893")
    page.get_by_role("button", name="Save clinic settings").click()
    expect(page.get_by_text("Clinic A's details are saved.")).to_be_visible()
    world.clinic_a.refresh_from_db()
    assert world.clinic_a.time_zone == "America/Denver"
    # The episode opens on the clinic's day in its new zone. Opened before the change, at
    # night in UTC it would open "tomorrow" in Denver, and no session could start in it yet.
    world.episode(patient, regions=["cervical"])
    answer_required_questions(world.alice, patient)

    page.get_by_role("button", name="Sign out").click()
    visit.sign_in("cara", NEW_PASSWORD)
    assert (
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").count() == 0
    )
    visit.go(f"/patients/{patient.public_id}/")
    page.get_by_role("button", name="New session note").click()
    expect(page.get_by_role("heading", name=re.compile("Session note"))).to_be_visible()
    assert "no dry-needling credential" not in page.content()


def test_an_invited_front_desk_colleague_chooses_a_password_and_signs_in(
    visit: Visit, world: World
):
    page = visit.page
    visit.sign_in("ada", PASSWORD)
    visit.go("/account/staff/")
    page.get_by_role("link", name=re.compile("Add staff member")).click()
    page.get_by_label("First name").fill("Dev")
    page.get_by_label("Last name").fill("Patel")
    page.get_by_label("Username").fill("dpatel")
    page.get_by_label("Email").fill("dev@example.org")
    page.get_by_label("Role").select_option("front_desk")
    page.get_by_role("button", name="Add staff member").click()
    message = page.locator(".messages").inner_text()
    assert "We emailed it to dev@example.org" in message
    link = re.search(r"http://\S+/account/set-password/\S+/", message)
    assert link, message
    row = page.get_by_role("row", name=re.compile("Dev Patel"))
    expect(row.get_by_text("No password yet")).to_be_visible()
    _accessible(visit, "staff-list-invited")

    page.get_by_role("button", name="Sign out").click()
    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    _accessible(visit, "set-password")
    page.get_by_label(re.compile("^New password \\(")).fill(NEW_PASSWORD)
    page.get_by_label(re.compile("^New password again")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("Your password is set. Sign in as dpatel.")).to_be_visible()
    visit.sign_in("dpatel", NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Clinic home")).to_be_visible()
