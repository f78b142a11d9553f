"""``needlerx patient_reminders``: one reminder per unanswered link, after the delay of
check_in.yaml, with a link that opens the same task; audited; SMS as a channel extension."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import ClassVar

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from needlerx.audit.models import AuditEvent
from needlerx.instruments.models import InstrumentResponse
from needlerx.patient_tasks.models import PatientTask
from needlerx.patients.models import Patient
from tests.patient_tasks.helpers import LINK, send_link

pytestmark = pytest.mark.django_db


def _run() -> str:
    err = StringIO()
    call_command("patient_reminders", "--site-url", "https://clinic.example.org", stderr=err)
    return err.getvalue()


def _nprs_link(client, world, email: str = "pat@example.com", mrn: str = "A-0001") -> str:
    patient = world.patient(email=email, mrn=mrn)
    episode = world.episode(patient)
    client.force_login(world.alice)
    return send_link(
        client, patient, kind="questionnaire", instrument="nprs", episode=str(episode.public_id)
    )


def _opened_hours_ago(hours: int) -> None:
    PatientTask.objects.update(valid_from=timezone.now() - dt.timedelta(hours=hours))


def test_an_unanswered_questionnaire_is_reminded_once_with_a_link_to_the_same_task(client, world):
    first = _nprs_link(client, world)
    _opened_hours_ago(71)
    mail.outbox.clear()
    assert "0 reminder(s) sent" in _run()  # not yet: 72 hours after the link opened
    _opened_hours_ago(73)
    assert "1 reminder(s) sent" in _run()
    (message,) = mail.outbox
    assert message.to == ["pat@example.com"] and "reminder" in message.subject
    assert "Clinic A" in message.body and "Pat" not in message.body  # nothing personal
    found = LINK.search(str(message.body))
    assert found is not None and found.group(1) != first
    assert "1 reminder(s) sent" not in _run() and len(mail.outbox) == 1  # once per link
    event = AuditEvent.objects.get(action="patient_task.remind")
    assert event.detail == {"kind": "questionnaire", "channel": "email"}
    home = Client()
    assert b"Numeric Pain Rating Scale" in home.get(f"/my/{found.group(1)}/").content
    assert home.post(f"/my/{found.group(1)}/", {"item_1": "4"}).status_code == 200
    # both links open the one task: answered once, the first link says so
    assert home.post(f"/my/{first}/", {"item_1": "5"}).status_code == 409
    assert InstrumentResponse.objects.count() == 1


def test_answered_expiring_and_unreachable_links_get_no_reminder(client, world):
    answered = _nprs_link(client, world)
    assert Client().post(f"/my/{answered}/", {"item_1": "3"}).status_code == 200
    _nprs_link(client, world, email="late@example.com", mrn="A-0002")
    _nprs_link(client, world, email="gone@example.com", mrn="A-0003")
    Patient.objects.filter(email="gone@example.com").update(email="")
    _opened_hours_ago(73)
    task = PatientTask.objects.get(patient__email="late@example.com")
    PatientTask.objects.filter(pk=task.pk).update(expires_at=timezone.now() + dt.timedelta(hours=2))
    mail.outbox.clear()
    assert "0 reminder(s) sent" in _run()
    assert not mail.outbox and not AuditEvent.objects.filter(action="patient_task.remind").exists()


class FakeSms:
    """What an SMS channel looks like (the extension point); records instead of sending."""

    name = "sms"
    sent: ClassVar[list[tuple[str, str]]] = []

    def can_reach(self, patient: Patient) -> bool:
        return bool(patient.phone)

    def send(self, patient: Patient, subject: str, text: str) -> bool:
        FakeSms.sent.append((patient.phone, text))
        return True


CHANNELS = [
    "tests.patient_tasks.test_patient_reminders.FakeSms",
    "needlerx.patient_tasks.messaging.EmailChannel",
]


@override_settings(NEEDLERX_REMINDER_CHANNELS=CHANNELS)
def test_an_sms_channel_plugs_in_before_email(client, world):
    _nprs_link(client, world)
    Patient.objects.update(phone="+1 303 555 0100")
    _opened_hours_ago(73)
    mail.outbox.clear()
    FakeSms.sent.clear()
    assert "1 reminder(s) sent" in _run()
    assert not mail.outbox
    ((phone, text),) = FakeSms.sent
    assert phone == "+1 303 555 0100" and "/my/" in text
    assert AuditEvent.objects.get(action="patient_task.remind").detail["channel"] == "sms"
