"""The front desk's queue of consultation requests: permissions, audit of reads, status changes
and the conversion into a patient and an appointment (HTTP client, as staff use it)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client

from needlerx.accounts.local import clinic_today
from needlerx.audit.models import AuditEvent
from needlerx.consultations import selectors
from needlerx.consultations.models import ConsultationRequest
from needlerx.patients.models import Patient
from needlerx.scheduling.models import Appointment
from tests.consultations.helpers import request_form, token_from_result

pytestmark = pytest.mark.django_db


def submit(clinic, *, share: dict[str, bool] | None = None, **fields) -> ConsultationRequest:
    client = Client()
    extra = {}
    if share is not None:
        extra = {"self_check": token_from_result(client, **share), "share_answers": "on"}
    response = client.post("/request-a-consultation/", request_form(clinic, **extra, **fields))
    assert response.status_code == 302, response.context["form"].errors
    return ConsultationRequest.objects.latest("created_at")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _last() -> int:
    event = AuditEvent.objects.order_by("-sequence").first()
    return event.sequence if event else 0


def test_the_queue_lists_the_clinics_requests_with_a_true_total(world, settings):
    for n in range(3):
        submit(world.clinic_a, email=f"a{n}@example.com", family_name=f"Alpha{n}")
    submit(world.clinic_b, family_name="Bravo")
    monkey_page = selectors.PAGE_SIZE
    selectors.PAGE_SIZE = 2
    try:
        response = signed_in(world.frank).get("/consultations/")
    finally:
        selectors.PAGE_SIZE = monkey_page
    body = response.content.decode()
    assert response.status_code == 200
    assert "3 requests" in body
    assert "Requests" in body  # in the main navigation
    assert len(response.context["rows"]) == 2
    assert "Bravo" not in body
    assert "Page 1 of 2" in body


def test_one_view_event_per_page_naming_the_requests(world):
    requests = [submit(world.clinic_a, email=f"{n}@example.com") for n in range(2)]
    client = signed_in(world.frank)
    since = _last()
    client.get("/consultations/")
    [event] = AuditEvent.objects.filter(sequence__gt=since)
    assert event.action == "consultation_list.view"
    assert set(event.detail["requests"]) == {str(r.public_id) for r in requests}


def test_reading_one_request_is_audited(world):
    request = submit(world.clinic_a)
    client = signed_in(world.frank)
    since = _last()
    response = client.get(f"/consultations/{request.public_id}/")
    assert response.status_code == 200
    [event] = AuditEvent.objects.filter(sequence__gt=since)
    assert (event.action, event.object_public_id) == (
        "consultation_request.view",
        str(request.public_id),
    )


def test_another_clinics_request_answers_like_a_missing_one(world):
    theirs = submit(world.clinic_a, family_name="Hiddenperson")
    client = signed_in(world.bob)
    for path in ("/", "/status/", "/book/"):
        mine = client.get(f"/consultations/{theirs.public_id}{path}")
        missing = client.get(f"/consultations/{uuid.uuid4()}{path}")
        assert mine.status_code == missing.status_code
        assert mine.status_code in (404, 405)
        assert "Hiddenperson" not in mine.content.decode()
    response = client.post(f"/consultations/{theirs.public_id}/status/", {"status": "declined"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "new"
    assert "Hiddenperson" not in client.get("/consultations/").content.decode()


def test_sign_in_is_needed_for_the_queue(world):
    request = submit(world.clinic_a)
    for path in ("/consultations/", f"/consultations/{request.public_id}/"):
        response = Client().get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_status_changes_are_audited(world):
    request = submit(world.clinic_a)
    client = signed_in(world.frank)
    response = client.post(f"/consultations/{request.public_id}/status/", {"status": "contacted"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "contacted"
    event = AuditEvent.objects.get(action="consultation_request.status")
    assert event.detail == {"from": "new", "to": "contacted"}
    client.post(f"/consultations/{request.public_id}/status/", {"status": "nonsense"})
    request.refresh_from_db()
    assert request.status == "contacted"


def test_front_desk_sees_that_answers_were_shared_but_not_the_answers(world):
    request = submit(world.clinic_a, share={"blood_thinner": True})
    front_desk = signed_in(world.frank).get(f"/consultations/{request.public_id}/")
    clinician = signed_in(world.alice).get(f"/consultations/{request.public_id}/")
    question = "Do you take a blood thinner"
    assert question not in front_desk.content.decode()
    assert "Shared with the clinic" in front_desk.content.decode()
    assert question in clinician.content.decode()
    assert "Let&#x27;s talk" in clinician.content.decode()


def test_the_home_counts_new_requests_for_the_front_desk(world):
    submit(world.clinic_a)
    submit(world.clinic_a, email="x@example.com")
    submit(world.clinic_b)
    response = signed_in(world.frank).get("/")
    assert response.context["new_consultation_requests"] == 2
    assert "new consultation requests" in response.content.decode()


def test_turn_a_request_into_a_patient_and_an_evaluation(world):
    request = submit(world.clinic_a, given_name="Casey", family_name="Convert")
    client = signed_in(world.frank)
    page = client.get(f"/consultations/{request.public_id}/book/")
    assert page.status_code == 200
    assert "Casey Convert" in page.content.decode()
    day = clinic_today(world.clinic_a) + dt.timedelta(days=3)
    response = client.post(
        f"/consultations/{request.public_id}/book/",
        {
            "medical_record_number": "NEW-1001",
            "date_of_birth": "04/12/1985",
            "sex": "female",
            "clinician": str(world.alice.public_id),
            "date": day.isoformat(),
            "time": "10:00",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    request.refresh_from_db()
    patient = Patient.objects.get(medical_record_number="NEW-1001")
    appointment = Appointment.objects.get(patient=patient)
    assert (request.patient, request.appointment, request.status) == (
        patient,
        appointment,
        "booked",
    )
    assert (patient.given_name, patient.email, patient.phone) == (
        "Casey",
        "robin@example.com",
        "303-555-0142",
    )
    assert appointment.appointment_type == "dry_needling_evaluation"
    assert appointment.clinician == world.alice
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"patient.register", "appointment.book", "consultation_request.convert"} <= actions
    detail = client.get(f"/consultations/{request.public_id}/").content.decode()
    assert "Dry-needling evaluation" in detail
    assert "Registered Casey Convert" in detail


def test_a_failed_conversion_saves_nothing_and_names_the_field(world):
    world.patient(mrn="TAKEN-1")
    request = submit(world.clinic_a)
    day = clinic_today(world.clinic_a) + dt.timedelta(days=3)
    response = signed_in(world.frank).post(
        f"/consultations/{request.public_id}/book/",
        {
            "medical_record_number": "TAKEN-1",
            "date_of_birth": "1985-04-12",
            "sex": "female",
            "clinician": str(world.alice.public_id),
            "date": day.isoformat(),
            "time": "10:00",
        },
    )
    assert response.status_code == 200
    assert "medical_record_number" in response.context["form"].errors
    request.refresh_from_db()
    assert request.patient is None and request.status == "new"
    assert Appointment.objects.count() == 0
