"""Reads for a patient's own account. Each takes the signed-in user, finds their own patient
record through their account (never through an id they send) and records the view with the
role ``patient``. Staff reach none of this: a user who is not a patient is "not found"."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from needlerx.accounts.models import Clinic, User
from needlerx.accounts.permissions import PATIENT
from needlerx.accounts.two_factor import two_factor_device
from needlerx.audit.reads import audit_read, audit_read_refused
from needlerx.clinical.episodes import episode_reference
from needlerx.clinical.outcome_definition import BenefitKey
from needlerx.core.errors import NotFound
from needlerx.instruments.progress import episode_outcome_for_own_account
from needlerx.patient_accounts.models import PatientAccount
from needlerx.patient_accounts.services import EXPIRED, invite_token_hash
from needlerx.patient_tasks.models import PatientTask, TaskKind
from needlerx.patient_tasks.selectors import LinkTask, task_state
from needlerx.patients.models import Episode, EpisodeStatus, Patient
from needlerx.scheduling.models import Appointment, AppointmentStatus
from needlerx.treatments.models import CarePlan
from needlerx.treatments.selectors.programme import home_exercise_programme

NOT_YOURS = "This page is not there. Go back to your own page."
UPCOMING_SHOWN = 5
PAIN_BENEFIT: BenefitKey = "pain_relief"
PARENTHESES = re.compile(r"\(([^)]*)\)")


def _own_account(user: User) -> PatientAccount:
    """The signed-in patient's account, or "not found" for anyone else."""
    if not user.is_authenticated or not getattr(user, "is_patient", False):
        raise NotFound(NOT_YOURS)
    account = PatientAccount.objects.select_related("patient__clinic").filter(user=user).first()
    if account is None:
        raise NotFound(NOT_YOURS)
    return account


@dataclass(frozen=True)
class Invitation:
    """What the invitation page shows: whose clinic, and the address they will sign in with."""

    clinic: Clinic
    email: str
    given_name: str
    new_password: bool


def invitation_for_token(*, token: str) -> Invitation:
    """The open invitation a link carries; any other, used or expired link is "not found".
    The opening is recorded as a view of the patient's account, by the patient."""
    if not token or len(token) > 100:
        raise NotFound(EXPIRED)
    account = (
        PatientAccount.objects.select_related("patient__clinic")
        .filter(invite_token_hash=invite_token_hash(token))
        .first()
    )
    expires = account.invite_expires_at if account is not None else None
    if account is None or expires is None or timezone.now() >= expires:
        raise NotFound(EXPIRED)
    audit_read(
        actor=None, actor_role=PATIENT, patient=account.patient, obj=account, what="invitation"
    )
    patient = account.patient
    again = account.user_id is not None
    return Invitation(patient.clinic, account.email, patient.given_name, again)


@dataclass(frozen=True)
class PainChange:
    area: str  # "neck", "low back" (the region's plain words), "" when unknown
    first: float
    latest: float
    status: str  # the outcome summary's status of the pain measure


@dataclass(frozen=True)
class EpisodeOverview:
    episode: Episode
    area: str
    exercises: list[dict[str, Any]]
    pain: PainChange | None


@dataclass(frozen=True)
class OpenTask:
    task: PatientTask
    state: str


@dataclass(frozen=True)
class PatientHome:
    patient: Patient
    clinic: Clinic
    tasks: list[OpenTask]
    episodes: list[EpisodeOverview]
    appointments: list[Appointment]
    two_factor: bool


def _area(episode: Episode) -> str:
    """The episode's regions in plain words: the part in brackets of each region's label."""
    labels = {region.id: region.label for region in episode_reference().regions}
    words = []
    for region in episode.regions:
        label = labels.get(region, region)
        found = PARENTHESES.search(label)
        words.append(found.group(1) if found else label.lower())
    return " and ".join(words)


def _pain(episode: Episode, area: str) -> PainChange | None:
    summary = episode_outcome_for_own_account(episode=episode)
    primary = summary.get(PAIN_BENEFIT).primary
    if primary is None or primary.baseline is None or primary.latest is None:
        return None
    return PainChange(area, primary.baseline, primary.latest, primary.status)


def _episode_overview(episode: Episode) -> EpisodeOverview:
    plan = (
        CarePlan.objects.filter(episode=episode)
        .select_related("episode__patient__clinic", "author")
        .first()
    )
    exercises = home_exercise_programme(plan)["exercises"] if plan is not None else []
    area = _area(episode)
    return EpisodeOverview(episode, area, exercises, _pain(episode, area))


def _open_tasks(patient: Patient) -> list[OpenTask]:
    now = timezone.now()
    tasks = PatientTask.objects.filter(
        patient=patient, completed_at__isnull=True, expires_at__gt=now
    ).exclude(kind=TaskKind.HOME_PROGRAMME)
    return [OpenTask(task, task_state(task)) for task in tasks.order_by("valid_from", "id")]


def patient_home_for_user(*, user: User) -> PatientHome:
    """Everything of the signed-in patient's in one place: open tasks, each open episode's home
    exercises and pain so far, and their next booked appointments. One view event."""
    account = _own_account(user)
    patient = account.patient
    episodes = Episode.objects.filter(patient=patient, status=EpisodeStatus.OPEN).order_by(
        "-created_at"
    )
    appointments = list(
        Appointment.objects.filter(
            patient=patient, status=AppointmentStatus.BOOKED, starts_at__gte=timezone.now()
        )
        .select_related("clinician")
        .order_by("starts_at")[:UPCOMING_SHOWN]
    )
    home = PatientHome(
        patient=patient,
        clinic=patient.clinic,
        tasks=_open_tasks(patient),
        episodes=[_episode_overview(episode) for episode in episodes],
        appointments=appointments,
        two_factor=two_factor_device(user=user) is not None,
    )
    audit_read(actor=user, actor_role=PATIENT, patient=patient, obj=account, what="patient_home")
    return home


def own_task_for_user(*, user: User, task_id: uuid.UUID | str) -> LinkTask:
    """One of the signed-in patient's own tasks (check-in or questionnaire), as a link opens it.
    Another patient's task, or a staff user, is "not found" (and the refusal is recorded)."""
    try:
        task = (
            PatientTask.objects.select_related("clinic", "patient", "session", "episode")
            .filter(public_id=task_id)
            .first()
        )
    except (ValueError, ValidationError):
        task = None
    if task is None:
        raise NotFound(NOT_YOURS)
    account = (
        PatientAccount.objects.filter(user=user).first()
        if user.is_authenticated and getattr(user, "is_patient", False)
        else None
    )
    if account is None or account.patient_id != task.patient_id:
        audit_read_refused(patient=task.patient)
        raise NotFound(NOT_YOURS)
    audit_read(actor=user, actor_role=PATIENT, patient=task.patient, obj=task, what="patient_task")
    return LinkTask(task=task, state=task_state(task))


def patient_account_for_staff(*, patient: Patient) -> PatientAccount | None:
    """The patient's account or invitation, for the patient's page (the page read the patient
    through a selector that checked the staff member's access and recorded the view)."""
    return PatientAccount.objects.select_related("closed_by").filter(patient=patient).first()
