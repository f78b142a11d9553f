"""The clinic closes a patient's account from the patient's page: the patient can no longer sign
in (and is signed out), use a link or ask for a new password; their records stay; inviting them
again reopens it; another clinic cannot close it."""

from __future__ import annotations

from django.core import mail
from django.test import Client
from django.urls import reverse

from needlerx.audit.models import AuditEvent
from needlerx.patient_accounts.models import PatientAccount
from needlerx.patients.models import Patient
from tests.patient_accounts.helpers import (
    PATIENT_PASSWORD,
    accept,
    invite,
    patient_user,
    sign_in,
)
from tests.personas import World


def _close(client: Client, world: World, patient: Patient) -> tuple[int, str]:
    client.force_login(world.frank)
    url = reverse("patients:account", args=[patient.public_id])
    response = client.post(url, {"action": "close"})
    client.logout()
    return response.status_code, response.content.decode()


def test_a_closed_account_cannot_sign_in_and_its_patient_is_signed_out(
    client: Client, world: World
) -> None:
    patient = world.patient(email="rosa@example.com", given_name="Rosa")
    world.episode(patient)
    patient_user(client, world, patient)
    patient_browser = Client()
    assert sign_in(patient_browser, "rosa@example.com") == 302
    assert patient_browser.get(reverse("patient_account:home")).status_code == 200

    status, page = _close(client, world, patient)
    assert status == 200
    assert "Account closed" in page and "Rosa can no longer sign in" in page
    assert patient_browser.get(reverse("patient_account:home")).status_code == 302  # signed out
    assert sign_in(Client(), "rosa@example.com") == 200  # refused
    mail.outbox.clear()
    client.post(reverse("patient_account:forgot_password"), {"email": "rosa@example.com"})
    assert not mail.outbox  # no new password for a closed account
    assert patient.episodes.exists()  # the records stay
    event = AuditEvent.objects.get(action="patient_account.close")
    assert (event.actor_role, event.patient_public_id) == ("front_desk", str(patient.public_id))

    client.force_login(world.frank)
    shown = client.get(reverse("patients:account", args=[patient.public_id])).content.decode()
    assert "Closed on" in shown and "Invite again" in shown and "Close the account" not in shown


def test_inviting_again_reopens_a_closed_account_with_a_new_password(
    client: Client, world: World
) -> None:
    patient = world.patient(email="rosa@example.com")
    patient_user(client, world, patient)
    _close(client, world, patient)
    token = invite(client, world, patient)
    assert sign_in(Client(), "rosa@example.com") == 200  # still closed until the link is used
    assert accept(client, token, "rosa-chose-another-password") == 302
    assert sign_in(Client(), "rosa@example.com", "rosa-chose-another-password") == 302
    assert sign_in(Client(), "rosa@example.com", PATIENT_PASSWORD) == 200
    account = PatientAccount.objects.get(patient=patient)
    assert account.closed_at is None and account.closed_by is None


def test_withdrawing_an_invitation_stops_its_link(client: Client, world: World) -> None:
    patient = world.patient(email="rosa@example.com")
    token = invite(client, world, patient)
    status, _ = _close(client, world, patient)
    assert status == 200
    assert client.get(reverse("patient_account:welcome", args=[token])).status_code == 404
    assert accept(client, token) == 404


def test_closing_twice_is_refused_with_the_reason(client: Client, world: World) -> None:
    patient = world.patient(email="rosa@example.com")
    patient_user(client, world, patient)
    _close(client, world, patient)
    status, page = _close(client, world, patient)
    assert status == 400 and "no open account to close" in page
    assert AuditEvent.objects.filter(action="patient_account.close").count() == 1


def test_another_clinic_cannot_close_the_account(client: Client, world: World) -> None:
    patient = world.patient(email="rosa@example.com")
    patient_user(client, world, patient)
    client.force_login(world.bob)
    url = reverse("patients:account", args=[patient.public_id])
    assert client.post(url, {"action": "close"}).status_code == 404
    assert PatientAccount.objects.get(patient=patient).closed_at is None
    assert sign_in(Client(), "rosa@example.com") == 302
