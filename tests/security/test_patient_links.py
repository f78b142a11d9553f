"""The patient as a persona: a link opens only its own task, never another patient's, and an
expired or used link is refused. The link is the patient's only key; it is not a session."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.patient_tasks.models import PatientTask
from needlerx.patient_tasks.services import patient_task_create
from tests.security.conftest import CLINICAL_MARKERS, VICTIM_FAMILY, VICTIM_GIVEN, VICTIM_MRN

pytestmark = pytest.mark.django_db
WELL = {"soreness": "2", "bruising": "no"}


def _link(victim, patient=None) -> str:
    patient = patient or victim.patient
    created = patient_task_create(
        actor=victim.world.alice,
        patient=patient,
        kind="questionnaire",
        episode=patient.episodes.get(),
        instrument="nprs",
    )
    return reverse("my_task", args=[created.token])


def test_a_link_shows_no_personal_or_clinical_data(victim):
    page = Client().get(_link(victim))
    assert page.status_code == 200
    body = page.content.decode()
    for marker in (VICTIM_GIVEN, VICTIM_FAMILY, VICTIM_MRN, *CLINICAL_MARKERS):
        assert marker not in body
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_a_link_opened_in_a_staff_session_still_opens_only_its_task(client, victim):
    client.force_login(victim.world.bob)  # another clinic's clinician holding the link
    link = _link(victim)
    assert client.get(link).status_code == 200
    other = victim.world.patient(mrn="A-0099", given_name="Ottilie", family_name="Elsewhere")
    victim.world.episode(other)
    assert b"Ottilie" not in client.get(_link(victim, other)).content


def test_used_and_expired_links_are_refused_and_change_nothing(victim):
    link = _link(victim)
    anonymous = Client()
    assert anonymous.post(link, {"item_1": "4"}).status_code == 200
    assert anonymous.post(link, {"item_1": "9"}).status_code == 409
    task = PatientTask.objects.get(instrument="nprs")
    assert task.answers and task.completed_at is not None
    second = _link(victim)
    PatientTask.objects.filter(completed_at__isnull=True, instrument="nprs").update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert anonymous.get(second).status_code == 410
    assert anonymous.post(second, {"item_1": "4"}).status_code == 410


@pytest.mark.parametrize("token", ["x", "A" * 43, "..%2F..%2Fadmin", "A" * 500])
def test_a_guessed_token_is_not_found_uniformly(victim, token):
    response = Client().get(f"/my/{token}/")
    assert response.status_code == 404
    assert VICTIM_GIVEN.encode() not in response.content
