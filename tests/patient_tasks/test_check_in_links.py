"""A patient answers the after-needling check-in from home through the emailed link."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.audit.models import AuditEvent
from needlerx.clinical.check_in import check_in_reference
from needlerx.patient_tasks.models import PatientTask
from needlerx.treatments.models import AdverseEvent, FollowUp
from tests.patient_tasks.helpers import needled_session, send_link

pytestmark = pytest.mark.django_db

WELL = {"soreness": "3", "bruising": "no", "free_text": ""}


@pytest.fixture
def patient(world):
    return world.patient(email="pat@example.com")


@pytest.fixture
def clinician(client, world):
    client.force_login(world.alice)
    return client


def _check_in_link(clinician, world, patient) -> str:
    session = needled_session(world, patient)
    return send_link(
        clinician, patient, kind="after_needling_check_in", session=str(session.public_id)
    )


def test_the_link_carries_a_random_token_only_and_the_database_holds_its_hash(
    clinician, world, patient
):
    token = _check_in_link(clinician, world, patient)
    task = PatientTask.objects.get()
    assert token not in task.token_hash and len(token) >= 40
    for private in (
        patient.given_name,
        patient.family_name,
        str(patient.public_id),
        patient.medical_record_number,
    ):
        assert private not in token


def test_a_well_check_in_completes_the_follow_up_without_staff(clinician, world, patient):
    token = _check_in_link(clinician, world, patient)
    anonymous = Client()
    page = anonymous.get(f"/my/{token}/")
    assert page.status_code == 200 and b"How are you after your visit?" in page.content
    done = anonymous.post(f"/my/{token}/", WELL)
    assert done.status_code == 200 and b"Thank you" in done.content
    follow_up = FollowUp.objects.get()
    assert (follow_up.method, follow_up.outcome) == ("portal", "well")
    assert not AdverseEvent.objects.exists()
    again = anonymous.post(f"/my/{token}/", WELL)
    assert again.status_code == 409 and b"Already done" in again.content
    assert anonymous.get(f"/my/{token}/").content.count(b"Already done") >= 1
    assert FollowUp.objects.count() == 1


def test_a_warning_sign_shows_urgent_advice_records_the_event_and_alerts_the_clinic(
    clinician, world, patient
):
    token = _check_in_link(clinician, world, patient)
    answers = {**WELL, "signs": ["breathing_or_chest_pain"], "free_text": "hard to breathe"}
    page = Client().post(f"/my/{token}/", answers)
    assert page.status_code == 200
    assert check_in_reference().urgent_advice.text.split(".")[0].encode() in page.content
    event = AdverseEvent.objects.get()
    # upper trapezius lies over the lung apex (muscle catalogue): a possible pneumothorax
    assert (event.event_type, event.severity) == ("pneumothorax", "significant")
    assert "Reported by the patient" in event.description
    assert FollowUp.objects.get().outcome == "adverse_event"
    home = clinician.get("/")
    assert b"Warning sign in home check-in" in home.content
    chart = reverse("patients:detail", args=[patient.public_id])
    assert b"Warning sign in home check-in" in clinician.get(chart).content  # the header too
    task = PatientTask.objects.get()
    review = reverse("patient_tasks:review", args=[patient.public_id, task.public_id])
    assert b"hard to breathe" in clinician.get(review).content
    clinician.post(review)
    assert b"Warning sign in home check-in" not in clinician.get("/").content
    assert b"Warning sign in home check-in" not in clinician.get(chart).content


def test_soreness_alone_is_no_warning_sign(clinician, world, patient):
    token = _check_in_link(clinician, world, patient)
    Client().post(f"/my/{token}/", {**WELL, "soreness": "9", "bruising": "yes"})
    assert sorted(AdverseEvent.objects.values_list("event_type", flat=True)) == [
        "bruising",
        "pain_after",
    ]
    assert not PatientTask.objects.get().serious


def test_unknown_expired_and_early_links_are_refused(clinician, world, patient):
    token = _check_in_link(clinician, world, patient)
    anonymous = Client()
    assert anonymous.get("/my/not-a-real-token/").status_code == 404
    assert anonymous.get(f"/my/{token[:-1]}x/").status_code == 404
    PatientTask.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert anonymous.get(f"/my/{token}/").status_code == 410
    assert anonymous.post(f"/my/{token}/", WELL).status_code == 410
    PatientTask.objects.update(
        valid_from=timezone.now() + dt.timedelta(hours=2),
        expires_at=timezone.now() + dt.timedelta(days=2),
    )
    early = anonymous.get(f"/my/{token}/")
    assert b"Not open yet" in early.content
    assert not FollowUp.objects.exists()


def test_one_link_never_opens_another_patients_task(clinician, world, patient):
    token = _check_in_link(clinician, world, patient)
    other = world.patient(
        mrn="A-0002", given_name="Otto", family_name="Other", email="o@example.com"
    )
    other_token = _check_in_link(clinician, world, other)
    mine = Client().get(f"/my/{token}/")
    assert b"Otto" not in mine.content and b"Other" not in mine.content
    Client().post(f"/my/{other_token}/", WELL)
    assert Client().get(f"/my/{token}/").status_code == 200
    assert b"How are you" in Client().get(f"/my/{token}/").content


def test_creating_opening_and_answering_are_audited(clinician, world, patient):
    token = _check_in_link(clinician, world, patient)
    Client().get(f"/my/{token}/")
    Client().post(f"/my/{token}/", WELL)
    actions = list(
        AuditEvent.objects.filter(patient_public_id=str(patient.public_id)).values_list(
            "action", "actor_role"
        )
    )
    assert ("patient_task.create", "clinician") in actions
    assert ("patient_task.view", "patient") in actions
    assert ("patient_task.submit", "patient") in actions


def test_a_clinician_of_another_clinic_cannot_send_or_see_tasks(client, world, patient):
    client.force_login(world.bob)
    url = reverse("patient_tasks:list", args=[patient.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "questionnaire", "instrument": "nprs"}).status_code == 404
