"""The clinic invites a patient to their own account: one link, used once, that expires."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.audit.models import AuditEvent
from needlerx.patient_accounts.models import PatientAccount
from needlerx.patients.models import Patient
from tests.patient_accounts.helpers import PATIENT_PASSWORD, accept, invite, sign_in
from tests.personas import World


def _patient(world: World, email: str = "pat@example.com") -> Patient:
    return world.patient(email=email)


def test_invited_patient_sets_a_password_and_signs_in_with_their_email(
    client: Client, world: World
) -> None:
    patient = _patient(world)
    token = invite(client, world, patient)
    page = client.get(reverse("patient_account:welcome", args=[token]))
    assert page.status_code == 200
    assert "pat@example.com" in page.content.decode()
    assert accept(client, token) == 302
    user = User.objects.get(patient_account__patient=patient)
    assert user.is_patient and not user.memberships.exists()
    assert sign_in(client, "Pat@Example.com") == 302
    home = client.get(reverse("patient_account:home"))
    assert home.status_code == 200
    assert "Hello Pat" in home.content.decode()
    actions = list(
        AuditEvent.objects.filter(patient_public_id=str(patient.public_id))
        .filter(action__startswith="patient_account.")
        .values_list("action", "actor_role")
    )
    assert actions == [
        ("patient_account.invite", "front_desk"),
        ("patient_account.activate", "patient"),
    ]


def test_the_invitation_works_once(client: Client, world: World) -> None:
    patient = _patient(world)
    token = invite(client, world, patient)
    assert accept(client, token) == 302
    assert accept(client, token, "another-long-password-77") == 404
    assert client.get(reverse("patient_account:welcome", args=[token])).status_code == 404
    assert sign_in(client, patient.email, "another-long-password-77") == 200  # refused
    assert sign_in(client, patient.email, PATIENT_PASSWORD) == 302


def test_an_expired_invitation_is_refused(client: Client, world: World) -> None:
    patient = _patient(world)
    token = invite(client, world, patient)
    PatientAccount.objects.filter(patient=patient).update(
        invite_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(reverse("patient_account:welcome", args=[token])).status_code == 404
    assert accept(client, token) == 404
    assert not User.objects.filter(is_patient=True).exists()


def test_a_wrong_token_is_not_found(client: Client, world: World) -> None:
    invite(client, world, _patient(world))
    for token in ("x" * 43, "short", "y" * 200):
        assert client.get(reverse("patient_account:welcome", args=[token])).status_code == 404
        assert accept(client, token) == 404
    assert not User.objects.filter(is_patient=True).exists()


def test_a_new_invitation_replaces_the_old_one_and_resets_the_password(
    client: Client, world: World
) -> None:
    patient = _patient(world)
    first = invite(client, world, patient)
    second = invite(client, world, patient)
    assert accept(client, first) == 404
    assert accept(client, second) == 302
    third = invite(client, world, patient)  # forgot the password
    assert accept(client, third, "a-brand-new-password-99") == 302
    assert User.objects.filter(is_patient=True).count() == 1
    assert sign_in(client, patient.email, PATIENT_PASSWORD) == 200
    assert sign_in(client, patient.email, "a-brand-new-password-99") == 302


def test_a_weak_password_is_refused_and_the_link_still_works(client: Client, world: World) -> None:
    patient = _patient(world)
    token = invite(client, world, patient)
    assert accept(client, token, "short") == 400
    assert accept(client, token) == 302


def test_no_email_no_invitation(client: Client, world: World) -> None:
    patient = world.patient(email="")
    client.force_login(world.frank)
    response = client.post(reverse("patients:account", args=[patient.public_id]))
    assert response.status_code == 400
    assert "email" in response.content.decode()
    assert not PatientAccount.objects.exists()


def test_another_clinic_cannot_invite(client: Client, world: World) -> None:
    patient = _patient(world)
    client.force_login(world.bob)
    assert client.post(reverse("patients:account", args=[patient.public_id])).status_code == 404
    assert not PatientAccount.objects.exists()


def test_the_patient_cannot_sign_in_on_the_staff_page_by_email(
    client: Client, world: World
) -> None:
    patient = _patient(world)
    assert accept(client, invite(client, world, patient)) == 302
    response = client.post(
        reverse("login"), {"username": patient.email, "password": PATIENT_PASSWORD}
    )
    assert response.status_code == 200  # no such staff user
