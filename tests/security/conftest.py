"""The victim: a patient of Clinic A whose data no one outside its clinic (or role) may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.patients import services as patients
from needlerx.patients.models import Patient
from tests.personas import World

# Strings that exist only in the victim's record; none may appear in a forbidden answer.
VICTIM_GIVEN, VICTIM_FAMILY, VICTIM_MRN = "Zelphira", "Quillonby", "VICTIM-7731"
CLINICAL_MARKERS = ("Markerzolam", "Referral Marker Qzx", "Assessment Marker Vrq")


VICTIM_EMAIL = "victim.patient@example.com"
PATIENT_PASSWORD = "a-patient-password-for-tests"


@dataclass
class Victim:
    world: World
    patient: Patient
    # The victim's own patient account (signed in at /me/ with VICTIM_EMAIL).
    patient_user: User | None = None

    @property
    def demographic_markers(self) -> tuple[str, ...]:
        return (VICTIM_GIVEN, VICTIM_FAMILY, VICTIM_MRN)


@pytest.fixture
def victim(world: World) -> Victim:
    patient = world.patient(
        mrn=VICTIM_MRN,
        given_name=VICTIM_GIVEN,
        family_name=VICTIM_FAMILY,
        phone="555-0100",
        email=VICTIM_EMAIL,
    )
    patients.episode_open(
        actor=world.alice,
        patient=patient,
        regions=["cervical"],
        onset_date=timezone.localdate() - dt.timedelta(days=30),
        diagnosis_codes=["M54.2"],
        referral_source=CLINICAL_MARKERS[1],
    )
    patients.medication_add(
        actor=world.alice, patient=patient, name=CLINICAL_MARKERS[0], drug_class="nsaid"
    )
    world.evaluate(patient, diabetes=True)
    _screen(world, patient)
    _treat(world, patient)
    _plan(world, patient)
    _book(world, patient)
    _consultation(world, patient)
    _send_check_in(world, patient)
    return Victim(world=world, patient=patient, patient_user=patient_account(world, patient))


def patient_account(world: World, patient: Patient) -> User:
    """The patient's own account, through the services: the front desk invites, the patient
    chooses a password from the link."""
    from needlerx.patient_accounts.services import patient_account_accept, patient_account_invite

    invite = patient_account_invite(
        actor=world.frank, patient=patient, site_url="http://testserver"
    )
    token = invite.url.rstrip("/").rsplit("/", 1)[-1]
    return patient_account_accept(token=token, password=PATIENT_PASSWORD)


def _consultation(world: World, patient: Patient) -> None:
    """A consultation request that became this patient: routes with a request id get a real one,
    and reading it is a read of the patient's record."""
    from needlerx.consultations.models import ConsultationRequest
    from needlerx.consultations.services import RequestDetails, consultation_request_submit

    request = consultation_request_submit(
        details=RequestDetails(
            clinic=world.clinic_a,
            given_name=VICTIM_GIVEN,
            family_name=VICTIM_FAMILY,
            email="victim@example.com",
            phone="555-0100",
            pain_area="neck",
            consent_to_contact=True,
        ),
        address="192.0.2.1",
    )
    assert request is not None
    ConsultationRequest.objects.filter(pk=request.pk).update(patient=patient)


def _send_check_in(world: World, patient: Patient) -> None:
    """A check-in link for the needled session: routes with a task id get a real one."""
    from needlerx.patient_tasks.services import patient_task_create

    session = patient.sessions.get()
    patient_task_create(
        actor=world.alice, patient=patient, kind="after_needling_check_in", session=session
    )


def _book(world: World, patient: Patient) -> None:
    """An appointment tomorrow: routes with an appointment id get a real one."""
    from needlerx.scheduling.services import appointment_book

    appointment_book(
        actor=world.frank,
        clinic=world.clinic_a,
        patient=patient,
        clinician=world.alice,
        appointment_type="follow_up",
        starts_at=timezone.now().replace(hour=15, minute=0) + dt.timedelta(days=1),
    )


def _screen(world: World, patient: Patient) -> None:
    """A stored screening run, so routes with a run id get a real one."""
    from needlerx.screening import services as screening

    episode = patient.episodes.get()
    screening.screening_run(
        actor=world.alice,
        episode=episode,
        plan=[{"muscle": "upper_trapezius", "side": "left", "technique": "static"}],
    )


def _treat(world: World, patient: Patient) -> None:
    """Consent, a draft session with needling: routes with consent or session ids get real ones."""
    from tests.treatments.helpers import checked_session, consent, needle

    episode = patient.episodes.get()
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    needle(world.alice, session)
    from needlerx.treatments import services as treatments
    from needlerx.treatments.models import TreatmentSession

    session = TreatmentSession.objects.get(pk=session.pk)
    treatments.treatment_session_update(
        actor=world.alice,
        session=session,
        expected_version=session.version,
        assessment=CLINICAL_MARKERS[2],
    )


def _plan(world: World, patient: Patient) -> None:
    """A plan of care with one home exercise: routes with plan ids get real ones."""
    from needlerx.treatments import services as treatments

    plan = treatments.care_plan_create(
        actor=world.alice,
        episode=patient.episodes.get(),
        frequency_per_week=2,
        duration_weeks=6,
        interventions=["dry_needling", "therapeutic_exercise"],
        re_evaluation_on=timezone.localdate() + dt.timedelta(weeks=3),
    )
    treatments.home_exercise_add(actor=world.alice, plan=plan, exercise_id="chin_tuck_supine")
