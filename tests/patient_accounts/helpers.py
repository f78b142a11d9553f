"""A patient invited by the front desk from the patient's page, and signed in with their email."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from needlerx.accounts.models import User
from needlerx.patients.models import Patient
from tests.personas import World

INVITE = re.compile(r"https?://[^\s\"<]+/me/welcome/([A-Za-z0-9_-]+)/")
PATIENT_PASSWORD = "my-own-long-password-42"


def invite(client: Client, world: World, patient: Patient) -> str:
    """The front desk invites the patient; the token from the emailed link (also shown once)."""
    client.force_login(world.frank)
    before = len(mail.outbox)
    response = client.post(reverse("patients:account", args=[patient.public_id]))
    assert response.status_code == 200, response.content.decode()[:2000]
    assert len(mail.outbox) == before + 1
    assert mail.outbox[-1].to == [patient.email]
    found = INVITE.search(str(mail.outbox[-1].body))
    assert found is not None
    assert found.group(0) in response.content.decode()
    client.logout()
    return found.group(1)


def accept(client: Client, token: str, password: str = PATIENT_PASSWORD) -> int:
    url = reverse("patient_account:welcome", args=[token])
    response = client.post(url, {"new_password": password, "confirm_password": password})
    return response.status_code


def patient_user(client: Client, world: World, patient: Patient) -> User:
    """Invite, accept and return the patient's user (not signed in)."""
    assert accept(client, invite(client, world, patient)) == 302
    return User.objects.get(patient_account__patient=patient)


def sign_in(client: Client, email: str, password: str = PATIENT_PASSWORD) -> int:
    response = client.post(
        reverse("patient_account:login"), {"username": email, "password": password}
    )
    return response.status_code
