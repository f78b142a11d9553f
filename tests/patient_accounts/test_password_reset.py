"""A patient who forgot their password asks for a link from the sign-in page: it goes only to
the address of an account in use, the page answers the same whether or not one exists, the link
works once and for a short time, asking again at once sends nothing more, and one address may
ask only a few times an hour."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from needlerx.audit.models import AuditEvent
from needlerx.patient_accounts.models import PatientAccount
from needlerx.patient_accounts.services import RESET_VALID_HOURS
from tests.patient_accounts.helpers import INVITE, PATIENT_PASSWORD, invite, patient_user, sign_in
from tests.personas import World

NEW_PASSWORD = "a-brand-new-long-password-9"
FORGOT = "patient_account:forgot_password"


def _ask(client: Client, email: str) -> str:
    response = client.post(reverse(FORGOT), {"email": email})
    assert response.status_code == 200, response.content.decode()[:1000]
    return re.sub(r"\s+", " ", response.content.decode())


def _reset_token() -> str:
    found = INVITE.search(str(mail.outbox[-1].body))
    assert found is not None
    return found.group(1)


def test_a_patient_chooses_a_new_password_from_the_emailed_link(
    client: Client, world: World
) -> None:
    patient = world.patient(email="rosa@example.com", given_name="Rosa")
    patient_user(client, world, patient)
    login = client.get(reverse("patient_account:login")).content.decode()
    assert reverse(FORGOT) in login
    mail.outbox.clear()

    answer = _ask(client, "Rosa@Example.com")
    assert "If a patient account signs in with <strong>Rosa@Example.com</strong>" in answer
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rosa@example.com"]
    assert f"for {RESET_VALID_HOURS} hours" in str(mail.outbox[0].body)
    token = _reset_token()

    page = client.get(reverse("patient_account:welcome", args=[token])).content.decode()
    assert "Choose a new password" in page
    url = reverse("patient_account:welcome", args=[token])
    response = client.post(url, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert sign_in(client, "rosa@example.com", PATIENT_PASSWORD) == 200  # the old one: refused
    assert sign_in(client, "rosa@example.com", NEW_PASSWORD) == 302
    assert client.get(url).status_code == 404  # the link worked once
    actions = list(
        AuditEvent.objects.filter(patient_public_id=str(patient.public_id))
        .filter(action__startswith="patient_account.")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["patient_account.reset_request", "patient_account.password_set"]


def test_the_answer_is_the_same_for_an_address_without_an_account(
    client: Client, world: World
) -> None:
    patient = world.patient(email="rosa@example.com")
    patient_user(client, world, patient)
    invited_only = world.patient(email="ben@example.com", mrn="B-1")
    invite(client, world, invited_only)  # invited, no password chosen yet
    mail.outbox.clear()
    known = _ask(client, "rosa@example.com").replace("rosa@example.com", "EMAIL")
    unknown = _ask(client, "nobody@example.com").replace("nobody@example.com", "EMAIL")
    pending = _ask(client, "ben@example.com").replace("ben@example.com", "EMAIL")
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip.sub("", known) == strip.sub("", unknown) == strip.sub("", pending)
    assert [message.to for message in mail.outbox] == [["rosa@example.com"]]


def test_asking_again_at_once_sends_nothing_more_and_the_first_link_still_works(
    client: Client, world: World
) -> None:
    patient = world.patient(email="rosa@example.com")
    patient_user(client, world, patient)
    mail.outbox.clear()
    _ask(client, "rosa@example.com")
    token = _reset_token()
    _ask(client, "rosa@example.com")
    assert len(mail.outbox) == 1
    assert client.get(reverse("patient_account:welcome", args=[token])).status_code == 200


def test_the_link_stops_working_after_its_hours(client: Client, world: World) -> None:
    patient = world.patient(email="rosa@example.com")
    patient_user(client, world, patient)
    _ask(client, "rosa@example.com")
    token = _reset_token()
    account = PatientAccount.objects.get(patient=patient)
    assert account.invite_expires_at is not None
    left = account.invite_expires_at - timezone.now()
    assert dt.timedelta(hours=RESET_VALID_HOURS - 1) < left <= dt.timedelta(hours=RESET_VALID_HOURS)
    PatientAccount.objects.filter(pk=account.pk).update(
        invite_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert client.get(reverse("patient_account:welcome", args=[token])).status_code == 404


def test_a_bad_email_is_named_and_nothing_is_sent(client: Client, world: World) -> None:
    mail.outbox.clear()
    response = client.post(reverse(FORGOT), {"email": "not an email"})
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not mail.outbox


@override_settings(PATIENT_PASSWORD_RESETS_PER_WINDOW=2)
def test_one_address_may_ask_only_a_few_times_an_hour(client: Client, world: World) -> None:
    patient = world.patient(email="rosa@example.com")
    patient_user(client, world, patient)
    mail.outbox.clear()
    _ask(client, "a@example.com")
    _ask(client, "b@example.com")
    refused = client.post(reverse(FORGOT), {"email": "rosa@example.com"})
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert "Too many requests" in refused.content.decode()
    assert not mail.outbox
    assert AuditEvent.objects.filter(action="patient_account.reset_rate_limited").count() == 1
