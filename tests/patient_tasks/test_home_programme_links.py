"""The home exercise program link: exercises with dosage, next appointments, pain in words."""

from __future__ import annotations

import pytest
from django.test import Client

from needlerx.clinical.treatment_reference import exercise_library
from tests.patient_tasks.helpers import home_care, in_two_days_at_four, send_link

pytestmark = pytest.mark.django_db


def test_the_program_shows_exercises_appointments_and_pain_in_plain_words(client, world):
    patient = world.patient(email="pat@example.com")
    episode = world.episode(patient)
    home_care(world, episode, appointment_at=in_two_days_at_four())
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
