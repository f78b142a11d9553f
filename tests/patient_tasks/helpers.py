"""A needled session of yesterday-and-a-bit, and a link for it, built through the services."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.instruments.services import instrument_response_record
from needlerx.patients.models import Episode, Patient
from needlerx.scheduling.services import appointment_book
from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.services import care_plan_create, home_exercise_add
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


def home_care(
    world: World,
    episode: Episode,
    *,
    exercises: tuple[str, ...] = ("chin_tuck_supine",),
    pains: tuple[int, ...] = (7, 4),
    appointment_at: dt.datetime | None = None,
) -> None:
    """What a patient's home pages show, written through the services: a plan of care with
    ``exercises`` at home, NPRS ratings ``pains`` in that order, and (with ``appointment_at``) a
    follow-up appointment with Alice."""
    plan = care_plan_create(
        actor=world.alice,
        episode=episode,
        frequency_per_week=2,
        duration_weeks=6,
        interventions=["dry_needling", "therapeutic_exercise"],
        re_evaluation_on=timezone.localdate() + dt.timedelta(weeks=3),
    )
    for exercise in exercises:
        home_exercise_add(actor=world.alice, plan=plan, exercise_id=exercise)
    if appointment_at is not None:
        appointment_book(
            actor=world.frank,
            clinic=world.clinic_a,
            patient=episode.patient,
            clinician=world.alice,
            appointment_type="follow_up",
            starts_at=appointment_at,
        )
    for pain in pains:
        instrument_response_record(
            actor=world.alice, episode=episode, instrument_id="nprs", responses={"1": pain}
        )


def in_two_days_at_four() -> dt.datetime:
    return timezone.now().replace(hour=16, minute=0, second=0, microsecond=0) + dt.timedelta(days=2)
