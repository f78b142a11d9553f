"""Reads of patient tasks: the task a link opens (for the patient), a patient's tasks and the
serious check-ins not yet reviewed (for the clinic). Each read is recorded for the audit trail;
the patient's own opening of a link is a view event with the role ``patient``."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.accounts.selectors import clinic_ids_with_permission
from needlerx.audit.reads import audit_listing, audit_read
from needlerx.clinical.check_in import check_in_reference
from needlerx.clinical.scoring.item_texts import ItemTexts
from needlerx.clinical.treatment_reference import adverse_event_reference
from needlerx.core.errors import NotFound
from needlerx.core.prepared import ValuesRead, prepared_read
from needlerx.instruments.licensed_texts import licensed_text_of
from needlerx.instruments.models import InstrumentResponse
from needlerx.instruments.patient_named import baseline_names
from needlerx.patient_tasks.models import PatientTask
from needlerx.patient_tasks.services import (
    HOME_INSTRUMENTS,
    home_instruments_for,
    licensed_not_loaded,
    token_hash,
)
from needlerx.patients.models import Episode, EpisodeStatus, Patient
from needlerx.patients.selectors import patient_get_for_user, record_shown
from needlerx.patients.shown import ShownPatient, shown_patient
from needlerx.scheduling.models import Appointment, AppointmentStatus
from needlerx.treatments.models import CarePlan, TreatmentSession
from needlerx.treatments.selectors.programme import home_exercise_programme

VIEW = "treatment.view"
NOT_A_LINK = "This link is not valid. Ask your clinic for a new one."


@dataclass(frozen=True)
class LinkTask:
    task: PatientTask
    state: str  # open | not_yet | expired | done


def _state(task: PatientTask) -> str:
    now = timezone.now()
    if task.completed_at is not None:
        return "done"
    if now < task.valid_from:
        return "not_yet"
    if now >= task.expires_at:
        return "expired"
    return "open"


def task_for_link(*, token: str) -> LinkTask:
    """The one task a link opens, with whether it is open; any other token is "not found".
    The opening is recorded as a view of the patient's task, by the patient."""
    if not token or len(token) > 100:
        raise NotFound(NOT_A_LINK)
    hashed = token_hash(token)
    task = (
        PatientTask.objects.select_related("clinic", "patient", "session", "episode")
        .filter(Q(token_hash=hashed) | Q(reminder_token_hash=hashed))
        .first()
    )
    if task is None:
        raise NotFound(NOT_A_LINK)
    audit_read(
        actor=None, actor_role="patient", patient=task.patient, obj=task, what="patient_task"
    )
    return LinkTask(task=task, state=_state(task))


def task_state(task: PatientTask) -> str:
    return _state(task)


@dataclass(frozen=True)
class PatientTasks:
    patient: Patient
    tasks: list[PatientTask]
    sessions: list[TreatmentSession]  # needling sessions whose check-in window is not over
    episodes: list[Episode]  # open episodes, for questionnaires and the home programme
    instruments: list[str]  # questionnaires the clinic can send (licensed ones once loaded)
    not_loaded: list[str]  # licensed indexes the clinic has not loaded its text for


TASKS_SHOWN = 50


def patient_tasks_for_user(*, user: User, patient_id: uuid.UUID | str) -> PatientTasks:
    """A patient's tasks (newest first) and what a new one can be about, for a clinician."""
    patient = patient_get_for_user(user=user, public_id=patient_id, permission=VIEW)
    tasks = list(
        PatientTask.objects.filter(patient=patient).select_related("session", "episode")[
            :TASKS_SHOWN
        ]
    )
    window = adverse_event_reference().follow_up
    since = timezone.now() - dt.timedelta(
        hours=window.due_before_hours + check_in_reference().links.check_in_grace_hours
    )
    sessions = list(
        TreatmentSession.objects.filter(
            patient=patient, started_at__gte=since, needling_entries__isnull=False
        )
        .distinct()
        .order_by("-started_at")
    )
    episodes = list(Episode.objects.filter(patient=patient, status=EpisodeStatus.OPEN))
    sendable = home_instruments_for(patient.clinic)
    return PatientTasks(
        patient=patient,
        tasks=tasks,
        sessions=sessions,
        episodes=episodes,
        instruments=sendable,
        not_loaded=licensed_not_loaded(sendable),
    )


def patient_task_get_for_user(
    *, user: User, patient_id: uuid.UUID | str, task_id: uuid.UUID | str
) -> PatientTask:
    patient = patient_get_for_user(user=user, public_id=patient_id, permission=VIEW)
    try:
        task = PatientTask.objects.select_related("session", "episode", "clinic", "patient").get(
            public_id=task_id, patient=patient
        )
    except (PatientTask.DoesNotExist, ValueError, ValidationError):
        raise NotFound("No such task.") from None
    record_shown(user=user, patient=patient, obj=task)
    return task


def open_check_in_alerts() -> QuerySet[PatientTask]:
    """Serious check-ins no clinician has reviewed: open safety alerts beside the needle-count
    and screen alerts of the clinic home."""
    return PatientTask.objects.filter(serious=True, reviewed_at__isnull=True)


def open_check_in_alerts_of(*, patient: Patient) -> list[PatientTask]:
    """The patient's open check-in alerts, for the patient header (the page that shows the
    header has read the patient through a selector, which recorded the view)."""
    return _open_check_in_alerts_of.all(patient_id=patient.pk)


# Prepared once (core.prepared): every patient page shows the header.
@prepared_read()
def _open_check_in_alerts_of(patient_id: int) -> QuerySet[PatientTask]:
    return open_check_in_alerts().filter(patient_id=patient_id).only("public_id", "completed_at")


# What the clinic home shows of a patient beside an alert: a link to the record, by name.
SHOWN_PATIENT_FIELDS = ("public_id", "given_name", "family_name")


@dataclass(frozen=True)
class ShownCheckInAlert:
    """A serious check-in as the clinic home lists it: a link to its review, by patient."""

    public_id: uuid.UUID
    completed_at: dt.datetime | None
    patient: ShownPatient


# Prepared once (core.prepared): the ORM wrote its SQL afresh on every visit of the home.
@prepared_read()
def _open_check_in_alerts_in(clinic_ids: list[int]) -> ValuesRead:
    in_clinics = Exists(Patient.objects.filter(pk=OuterRef("patient_id"), clinic_id__in=clinic_ids))
    alerts = open_check_in_alerts().filter(in_clinics).order_by("completed_at")
    shown: ValuesRead = alerts.values(
        "public_id", "completed_at", *(f"patient__{name}" for name in SHOWN_PATIENT_FIELDS)
    )
    return shown


def open_check_in_alerts_for_user(*, user: User) -> list[ShownCheckInAlert]:
    clinic_ids = clinic_ids_with_permission(user=user, permission=VIEW)
    if not clinic_ids:
        return []
    alerts = [
        ShownCheckInAlert(row["public_id"], row["completed_at"], shown_patient(row))
        for row in _open_check_in_alerts_in.all(clinic_ids=clinic_ids)
    ]
    audit_listing(actor=user, patients=[a.patient for a in alerts], what="clinic_home")
    return alerts


@dataclass(frozen=True)
class PainProgress:
    first: float
    latest: float
    count: int


@dataclass(frozen=True)
class HomeProgramme:
    exercises: list[dict[str, Any]]
    appointments: list[Appointment]
    pain: PainProgress | None


UPCOMING_SHOWN = 5
PAIN = "nprs"


def home_programme_for_link(*, task: PatientTask) -> HomeProgramme:
    """What a home-programme link shows (the opening was recorded by ``task_for_link``): the
    latest plan's home exercises, the patient's next booked appointments and their pain so far."""
    episode = task.episode
    plan = (
        CarePlan.objects.filter(episode=episode)
        .select_related("episode__patient__clinic", "author")
        .first()
    )
    exercises = home_exercise_programme(plan)["exercises"] if plan is not None else []
    appointments = list(
        Appointment.objects.filter(
            patient=task.patient, status=AppointmentStatus.BOOKED, starts_at__gte=timezone.now()
        )
        .select_related("clinician")
        .order_by("starts_at")[:UPCOMING_SHOWN]
    )
    scores = [
        score
        for score in InstrumentResponse.objects.filter(
            episode=episode, instrument=PAIN, score__isnull=False
        )
        .order_by("taken_at", "id")
        .values_list("score", flat=True)
        if score is not None
    ]
    pain = PainProgress(scores[0], scores[-1], len(scores)) if scores else None
    return HomeProgramme(exercises=exercises, appointments=appointments, pain=pain)


def activities_named_at_baseline(*, task: PatientTask) -> dict[str, str] | None:
    """The activities the patient named at the episode's baseline (PSFS), to re-rate; None when
    the instrument has none or nothing was named yet (the opening was recorded by
    ``task_for_link``)."""
    if task.episode is None or not task.instrument:
        return None
    return baseline_names(episode=task.episode, instrument_id=task.instrument)


def licensed_text_for_link(*, task: PatientTask) -> ItemTexts | None:
    """The clinic's licensed wording of a licensed questionnaire the link opens; None for a
    home questionnaire (NeedleRx's own wording) or when the clinic has removed its text."""
    if not task.instrument or task.instrument in HOME_INSTRUMENTS:
        return None
    return licensed_text_of(clinic=task.clinic, instrument=task.instrument)
