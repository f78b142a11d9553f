"""A mail server that cannot be reached never fails a page after its record was written: the
staff member is told the email was not sent and is shown the link to hand over (a patient's link,
a patient-account invitation), and a reminder it did not take stays due for the next run. Every
email goes through ``core.mail``; here it is a real SMTP client aimed at a closed port."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from needlerx.accounts.local import clinic_today
from needlerx.audit.models import AuditEvent
from needlerx.patient_tasks.models import PatientTask
from needlerx.patient_tasks.services import patient_reminders_send, patient_task_create
from needlerx.scheduling.models import Appointment
from needlerx.scheduling.reminders import reminders_send
from tests.patient_tasks.helpers import needled_session
from tests.personas import World
from tests.scheduling.helpers import book, slot


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens there once the socket is closed


@pytest.fixture
def mail_server_down() -> Iterator[None]:
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=_closed_port(),
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=5,
    ):
        yield


def test_a_patients_link_is_shown_to_hand_over(
    client: Client, world: World, mail_server_down: None
) -> None:
    patient = world.patient(email="pat@example.com")
    session = needled_session(world, patient)
    client.force_login(world.alice)
    response = client.post(
        reverse("patient_tasks:list", args=[patient.public_id]),
        {"kind": "after_needling_check_in", "session": str(session.public_id)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The email could not be sent" in page and "/my/" in page
    task = PatientTask.objects.get()
    assert task.emailed_at is None


def test_a_patient_account_invitation_is_shown_to_hand_over(
    client: Client, world: World, mail_server_down: None
) -> None:
    patient = world.patient(email="pat@example.com")
    client.force_login(world.frank)
    response = client.post(reverse("patients:account", args=[patient.public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The email could not be sent: give the patient the link yourself." in page
    assert "/me/welcome/" in page


def test_reminders_the_mail_server_did_not_take_stay_due_for_the_next_run(
    client: Client, world: World, mail_server_down: None
) -> None:
    patient = world.patient(email="rosa@example.com", given_name="Rosa")
    appointment = book(world, patient, slot(world.clinic_a, 14))
    episode = world.episode(patient)
    task = patient_task_create(
        actor=world.alice, patient=patient, kind="questionnaire", instrument="nprs", episode=episode
    ).task
    PatientTask.objects.filter(pk=task.pk).update(
        valid_from=timezone.now() - dt.timedelta(hours=73)
    )
    tomorrow = clinic_today(world.clinic_a) + dt.timedelta(days=1)
    assert reminders_send(on=tomorrow) == 0
    assert patient_reminders_send(site_url="https://clinic.example.org") == 0
    assert Appointment.objects.get(pk=appointment.pk).reminder_sent_at is None
    assert PatientTask.objects.get(pk=task.pk).reminded_at is None
    assert not AuditEvent.objects.filter(
        action__in=["appointment.reminder_sent", "patient_task.remind"]
    ).exists()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert reminders_send(on=tomorrow) == 1  # the next run, the server back
        assert patient_reminders_send(site_url="https://clinic.example.org") == 1
