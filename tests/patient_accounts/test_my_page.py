"""The patient's own page: their tasks, home exercises, next appointments and pain in plain
words, each read recorded; a patient user never reaches a staff page or the API."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.accounts.services import clinic_update
from needlerx.audit.models import AuditEvent
from needlerx.clinical.treatment_reference import exercise_library
from needlerx.patient_tasks.models import PatientTask
from needlerx.patient_tasks.services import patient_task_create
from needlerx.patients.models import Patient
from needlerx.scheduling.services import appointment_book
from tests.patient_accounts.helpers import patient_user
from tests.patient_tasks.helpers import home_care, needled_session
from tests.personas import World


def _cared_for(world: World) -> Patient:
    patient = world.patient(email="pat@example.com")
    episode = world.episode(patient)
    home_care(world, episode, pains=(7, 3))
    return patient


def _book(world: World, patient: Patient, starts_at: dt.datetime) -> None:
    appointment_book(
        actor=world.frank,
        clinic=world.clinic_a,
        patient=patient,
        clinician=world.alice,
        appointment_type="follow_up",
        starts_at=starts_at,
    )


def test_my_page_shows_exercises_appointment_in_clinic_time_and_progress(
    client: Client, world: World
) -> None:
    clinic_update(actor=world.ada, clinic=world.clinic_a, time_zone="America/Denver")
    patient = _cared_for(world)
    denver = zoneinfo.ZoneInfo("America/Denver")
    starts = (timezone.now() + dt.timedelta(days=2)).astimezone(denver)
    starts = starts.replace(hour=9, minute=30, second=0, microsecond=0)
    _book(world, patient, starts)
    user = patient_user(client, world, patient)
    client.force_login(user)
    response = client.get(reverse("patient_account:home"))
    assert response.status_code == 200
    body = response.content.decode()
    exercise = exercise_library().exercise("chin_tuck_supine")
    assert exercise is not None and exercise.name in body
    assert "How much:" in body
    assert "Your neck pain went from 7 to 3 out of 10 since your first visit." in body
    day = f"{starts.strftime('%A')} {starts.day} {starts.strftime('%B')} {starts.year}"
    spoken = f"{day} at 09:30 {starts.tzname()}"
    assert spoken in body  # in words, in the clinic's time
    assert "with Alice" in body
    last = AuditEvent.objects.order_by("-sequence").first()
    assert last is not None
    assert (last.action, last.actor_role, last.actor_username) == (
        "patient_home.view",
        "patient",
        user.username,
    )
    assert last.patient_public_id == str(patient.public_id)


def test_my_page_lists_an_open_check_in_that_opens_in_the_same_form(
    client: Client, world: World
) -> None:
    patient = world.patient(email="pat@example.com")
    session = needled_session(world, patient)
    task = patient_task_create(
        actor=world.alice, patient=patient, kind="after_needling_check_in", session=session
    ).task
    client.force_login(patient_user(client, world, patient))
    home = client.get(reverse("patient_account:home")).content.decode()
    url = reverse("patient_account:task", args=[task.public_id])
    assert url in home and "How are you after your visit?" in home
    assert client.get(url).status_code == 200
    answers = {"soreness": "2", "bruising": "no", "free_text": ""}
    assert client.post(url, answers).status_code == 200
    assert PatientTask.objects.get(pk=task.pk).completed_at is not None
    assert url not in client.get(reverse("patient_account:home")).content.decode()
    assert client.post(url, answers).status_code == 409


def test_a_patient_never_reaches_another_patients_task(client: Client, world: World) -> None:
    mine = world.patient(email="pat@example.com")
    other = world.patient(mrn="A-0002", given_name="Otto", email="otto@example.com")
    session = needled_session(world, other)
    task = patient_task_create(
        actor=world.alice, patient=other, kind="after_needling_check_in", session=session
    ).task
    client.force_login(patient_user(client, world, mine))
    url = reverse("patient_account:task", args=[task.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"soreness": "9", "bruising": "yes"}).status_code == 404
    assert PatientTask.objects.get(pk=task.pk).completed_at is None


def test_a_patient_user_gets_no_staff_page_and_no_api(client: Client, world: World) -> None:
    patient = world.patient(email="pat@example.com")
    client.force_login(patient_user(client, world, patient))
    assert client.get("/").status_code == 302
    assert client.get("/")["Location"] == reverse("patient_account:home")
    for path in (
        "/patients/",
        f"/patients/{patient.public_id}/",
        "/appointments/",
        "/follow-ups/",
        "/account/staff/",
        "/audit/",
    ):
        assert client.get(path).status_code == 403, path
    response = client.get(f"/api/v1/patients/{patient.public_id}")
    assert response.status_code == 403
    assert "Zelphira" not in response.content.decode()
    assert client.get("/learn/").status_code == 200


def test_staff_have_no_patient_page(client: Client, world: World) -> None:
    client.force_login(world.alice)
    assert client.get(reverse("patient_account:home")).status_code == 404


def test_signing_out_ends_the_patient_session(client: Client, world: World) -> None:
    patient = world.patient(email="pat@example.com")
    client.force_login(patient_user(client, world, patient))
    response = client.post(reverse("logout"), {"next": reverse("patient_account:login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("patient_account:login")
    after = client.get(reverse("patient_account:home"))
    assert after.status_code == 302 and reverse("patient_account:login") in after["Location"]


def test_a_patient_with_two_step_sign_in_is_asked_for_the_code(
    client: Client, world: World
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.patient_accounts.helpers import sign_in

    patient = world.patient(email="pat@example.com")
    user = patient_user(client, world, patient)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    assert sign_in(client, "pat@example.com") == 302
    response = client.get(reverse("patient_account:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert client.get(reverse("accounts:two_factor_verify")).status_code == 200
