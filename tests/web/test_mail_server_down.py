"""A mail server that cannot be reached never fails a page after its record was written: the
staff member is told the email was not sent and is shown the link to hand over (a patient's link,
a patient-account invitation). Every email goes through ``core.mail.email_sent``; here it is a
real SMTP client aimed at a closed port."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from needlerx.patient_tasks.models import PatientTask
from tests.patient_tasks.helpers import needled_session
from tests.personas import World


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
