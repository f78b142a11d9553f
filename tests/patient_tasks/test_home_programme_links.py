"""The home exercise program link: exercises with dosage, next appointments, pain in words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from needlerx.clinical.treatment_reference import exercise_library
from needlerx.instruments.services import instrument_response_record
from needlerx.scheduling.services import appointment_book
from needlerx.treatments import services as treatments
from tests.patient_tasks.helpers import send_link

pytestmark = pytest.mark.django_db


def test_the_program_shows_exercises_appointments_and_pain_in_plain_words(client, world):
    patient = world.patient(email="pat@example.com")
    episode = world.episode(patient)
    plan = treatments.care_plan_create(
        actor=world.alice,
        episode=episode,
        frequency_per_week=2,
        duration_weeks=6,
        interventions=["dry_needling", "therapeutic_exercise"],
        re_evaluation_on=timezone.localdate() + dt.timedelta(weeks=3),
    )
    treatments.home_exercise_add(actor=world.alice, plan=plan, exercise_id="chin_tuck_supine")
    appointment_book(
        actor=world.frank,
        clinic=world.clinic_a,
        patient=patient,
        clinician=world.alice,
        appointment_type="follow_up",
        starts_at=timezone.now().replace(hour=16, minute=0, second=0, microsecond=0)
        + dt.timedelta(days=2),
    )
    for pain in (7, 4):
        instrument_response_record(
            actor=world.alice, episode=episode, instrument_id="nprs", responses={"1": pain}
        )
    client.force_login(world.alice)
    token = send_link(client, patient, kind="home_programme", episode=str(episode.public_id))
    page = Client().get(f"/my/{token}/")
    assert page.status_code == 200
    body = page.content.decode()
    exercise = exercise_library().exercise("chin_tuck_supine")
    assert exercise is not None and exercise.name in body
    assert "set" in body and "a day" in body  # the dosage in words
    assert "with Alice" in body or "with alice" in body
    assert "you rated your pain 7 out of 10" in body and "rated it 4 out of 10" in body
    assert "less pain than at the start" in body
    # read-only: it opens again, and a POST changes nothing
    assert Client().get(f"/my/{token}/").status_code == 200
