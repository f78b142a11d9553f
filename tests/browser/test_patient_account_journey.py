"""A patient's own account at phone size (390 x 844), with JavaScript off: the front desk
invites the patient from their page, the patient chooses a password from the emailed link,
signs in with their email and sees their home exercises, next appointment and progress, and
answers an open check-in from their page. axe on every patient-account page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from needlerx.patient_tasks.services import patient_task_create
from tests.browser.conftest import Visit
from tests.browser.test_journeys import _accessible
from tests.browser.test_patient_tasks_journey import (
    _program,
    _shot,
    phone,
    phone_without_javascript,
    serious_violations_free,
)
from tests.patient_accounts.helpers import INVITE
from tests.patient_tasks.helpers import needled_session
from tests.personas import PASSWORD, World

pytestmark = pytest.mark.browser
__all__ = ["phone", "phone_without_javascript"]  # fixtures shared with the patient-task journey

PATIENT_PASSWORD = "rosa-walks-the-dog-every-day"
NEW_PASSWORD = "rosa-found-a-new-long-password"


def _invite(visit: Visit, patient: Any) -> str:
    """The front desk invites the patient from the patient's page; the link shown to copy."""
    page = visit.page
    visit.sign_in("frank", PASSWORD)
    visit.go(f"/patients/{patient.public_id}/")
    page.get_by_role("link", name="Patient account").click()
    expect(page.get_by_role("heading", name="No account yet")).to_be_visible()
    page.get_by_role("button", name="Invite to patient account").click()
    expect(page.locator("#invite-sent")).to_be_visible()
    assert "Emailed to rosa@example.com" in page.locator("#invite-sent").inner_text()
    _accessible(visit, "patient-account-invited")
    _shot(visit, "clinic-patient-account-invite")
    return str(page.locator("#invite-link").input_value())


def _password_chosen(visit: Visit, phone: Visit, patient: Any) -> Page:
    """The front desk invites the patient, who chooses their password on the phone; the phone's
    page, on the sign-in form."""
    page: Page = phone.page
    page.goto(_invite(visit, patient))
    page.locator("#id_new_password").fill(PATIENT_PASSWORD)
    page.locator("#id_confirm_password").fill(PATIENT_PASSWORD)
    page.get_by_role("button", name="Save my password").click()
    expect(page.get_by_role("heading", name="Sign in to your page")).to_be_visible()
    return page


def test_invited_patient_sets_a_password_signs_in_and_sees_their_care_on_a_phone(
    visit: Visit, phone: Visit, world: World
):
    _journey(visit, phone, world, axe=True)


def test_the_same_journey_works_without_javascript(
    visit: Visit, phone_without_javascript: Visit, world: World
):
    _journey(visit, phone_without_javascript, world, axe=False)


def _checked(phone: Visit, name: str, axe: bool) -> None:
    """axe (it runs in the page, so only with JavaScript on) and the screenshot."""
    if axe:
        assert serious_violations_free(phone, name)
        _shot(phone, f"patient-account-{name}")


def _journey(visit: Visit, phone: Visit, world: World, *, axe: bool) -> None:
    patient = world.patient(email="rosa@example.com", given_name="Rosa", family_name="Jimenez")
    episode = world.episode(patient)
    _program(world, episode)
    session = needled_session(world, patient)
    patient_task_create(
        actor=world.alice, patient=patient, kind="after_needling_check_in", session=session
    )
    link = _invite(visit, patient)

    page = phone.page
    page.goto(link)
    expect(page.get_by_role("heading", name="Set up your account")).to_be_visible()
    _checked(phone, "welcome", axe)
    page.locator("#id_new_password").fill(PATIENT_PASSWORD)
    page.locator("#id_confirm_password").fill(PATIENT_PASSWORD)
    page.get_by_role("button", name="Save my password").click()

    expect(page.get_by_role("heading", name="Sign in to your page")).to_be_visible()
    _checked(phone, "sign-in", axe)
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_label("Password").fill(PATIENT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Hello Rosa")).to_be_visible()
    _checked(phone, "home", axe)
    expect(page.get_by_role("heading", name="Chin tuck", exact=False).first).to_be_visible()
    assert "How much:" in page.locator("main").inner_text()
    appointments = page.locator("#my-appointments").inner_text()
    assert "with Alice" in appointments
    expect(page.locator(".my-progress").first).to_contain_text(
        "Your neck pain went from 7 to 4 out of 10 since your first visit."
    )

    page.get_by_role("link", name="How are you after your visit?").click()
    expect(page.get_by_role("heading", name="How are you after your visit?")).to_be_visible()
    _checked(phone, "check-in", axe)
    page.get_by_label("2", exact=True).check()
    page.get_by_role("group", name="Do you have a bruise").get_by_label("No").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    page.get_by_role("link", name="My page").click()
    expect(page.locator("#my-tasks")).to_contain_text("Nothing to do right now")

    page.goto(phone.base_url + "/patients/")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    _checked(phone, "staff-page-refused", axe)
    page.goto(link)
    expect(page.get_by_role("heading", name="This invitation does not work")).to_be_visible()
    _checked(phone, "used-invitation", axe)
    page.goto(phone.base_url + "/me/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to your page")).to_be_visible()
    page.goto(phone.base_url + "/me/")
    expect(page.get_by_role("heading", name="Sign in to your page")).to_be_visible()


def test_a_patient_can_turn_on_two_step_sign_in(visit: Visit, phone: Visit, world: World):
    patient = world.patient(email="rosa@example.com", given_name="Rosa", family_name="Jimenez")
    world.episode(patient)
    page = _password_chosen(visit, phone, patient)
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_label("Password").fill(PATIENT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Turn on two-step sign-in").click()
    expect(page.locator("img").first).to_be_visible()
    assert serious_violations_free(phone, "two-step set-up")
    _shot(phone, "patient-account-two-step")
    assert page.get_by_role("link", name="Patients").count() == 0  # no staff navigation


def test_a_patient_who_forgot_their_password_chooses_a_new_one(
    visit: Visit, phone: Visit, world: World
):
    patient = world.patient(email="rosa@example.com", given_name="Rosa", family_name="Jimenez")
    world.episode(patient)
    page = _password_chosen(visit, phone, patient)
    mail.outbox.clear()

    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    _checked(phone, "forgot-password", True)
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    _checked(phone, "reset-sent", True)
    found = INVITE.search(str(mail.outbox[-1].body))
    assert found is not None

    page.goto(found.group(0))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.locator("#id_new_password").fill(NEW_PASSWORD)
    page.locator("#id_confirm_password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my password").click()
    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Hello Rosa")).to_be_visible()


def test_the_front_desk_closes_an_account_and_the_patient_cannot_sign_in(
    visit: Visit, phone: Visit, world: World
):
    patient = world.patient(email="rosa@example.com", given_name="Rosa", family_name="Jimenez")
    world.episode(patient)
    page = _password_chosen(visit, phone, patient)

    staff = visit.page
    visit.go(f"/patients/{patient.public_id}/account/")
    expect(staff.get_by_role("heading", name="Active")).to_be_visible()
    staff.get_by_role("button", name="Close the account").click()
    expect(staff.locator("#account-closed")).to_be_visible()
    expect(staff.get_by_role("heading", name="Closed", exact=True)).to_be_visible()
    expect(staff.get_by_role("button", name="Invite again")).to_be_visible()
    _accessible(visit, "patient-account-closed")
    _shot(visit, "clinic-patient-account-closed")

    page.get_by_label("Email").fill("rosa@example.com")
    page.get_by_label("Password").fill(PATIENT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That email and password do not match")).to_be_visible()
