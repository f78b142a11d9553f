"""A needled session of yesterday-and-a-bit, and a link for it, built through the services."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.patients.models import Patient
from needlerx.treatments.models import TreatmentSession
from tests.personas import World
from tests.treatments.helpers import checked_session, consent, move_start, needle

LINK = re.compile(r"https?://[^\s\"<]+/my/([A-Za-z0-9_-]+)/")


def needled_session(world: World, patient: Patient, hours_ago: int = 30) -> TreatmentSession:
    """A session with upper trapezius needling (over the lung apex), started ``hours_ago``."""
    episode = patient.episodes.filter(status="open").first() or world.episode(patient)
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    needle(world.alice, session)
    # No service dates a session in the past: the row is written directly.
    move_start(session, timezone.now() - dt.timedelta(hours=hours_ago))
    return TreatmentSession.objects.get(pk=session.pk)


def send_link(client: Client, patient: Patient, **form: str) -> str:
    """Alice sends a link from the patient's tasks page; the token from the emailed link."""
    url = reverse("patient_tasks:list", args=[patient.public_id])
    outbox_before = len(mail.outbox)
    response = client.post(url, form)
    assert response.status_code == 200, response.content.decode()[:3000]
    assert len(mail.outbox) == outbox_before + 1
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None
    assert found.group(0) in response.content.decode()  # shown to the clinician to copy
    return found.group(1)
