"""Writes of patient tasks: create a link, email it, take the patient's answers, review an alert.

A link carries ``secrets.token_urlsafe`` only; the task stores its SHA-256. The patient is not a
user: their submissions are audited with the role ``patient`` and the task named. What their
answers feed elsewhere goes through those records' own services: the adverse-event register and
the follow-up (treatments), recorded as reported by the patient through the link sent by the
clinician who sent it, and questionnaires (instruments), stored as patient-reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from needlerx.accounts.local import clinic_conventions
from needlerx.accounts.models import Clinic, User
from needlerx.accounts.selectors import require_permission
from needlerx.audit.services import audit_record
from needlerx.clinical.check_in import (
    CheckInAssessment,
    check_in_assess,
    check_in_reference,
    check_in_window,
    near_lung,
)
from needlerx.clinical.scoring.library import get_instrument
from needlerx.clinical.treatment_reference import adverse_event_reference
from needlerx.core import local
from needlerx.core.errors import ApplicationError, clinical_errors_as_application_errors
from needlerx.core.mail import email_sent
from needlerx.instruments.licensed_texts import (
    instruments_needing_licensed_text,
    licensed_instruments_of,
)
from needlerx.instruments.services import instrument_response_record_by_patient
from needlerx.patient_tasks.messaging import channel_for
from needlerx.patient_tasks.models import PatientTask, TaskKind
from needlerx.patients.models import Episode, Patient
from needlerx.treatments.models import FollowUpMethod, FollowUpOutcome, TreatmentSession
from needlerx.treatments.services import adverse_event_record, follow_up_record

# Questionnaires a patient may answer at home without licensed text (PSFS with the patient's own
# activities; the spasm and medication diaries). Licensed indexes (NDI, ODI...) are offered only
# where the clinic has loaded its licensed item text (``LICENSED_HOME_INSTRUMENTS``).
HOME_INSTRUMENTS = ("nprs", "psfs", "groc", "spasm", "medication")


def home_instruments_for(clinic: Clinic) -> list[str]:
    """What a clinician of ``clinic`` can send: the home questionnaires, then each licensed
    index whose text the clinic has loaded (``needlerx licensed_text load``)."""
    loaded = licensed_instruments_of(clinic=clinic)
    return [*HOME_INSTRUMENTS, *(i for i in loaded if i not in HOME_INSTRUMENTS)]


def licensed_not_loaded(sendable: list[str]) -> list[str]:
    """Licensed indexes a clinic that can send ``sendable`` cannot send yet (NeedleRx ships no
    text for them and the clinic has not loaded its own)."""
    return [i for i in instruments_needing_licensed_text() if i not in sendable]


PERMISSION_TO_SEND: dict[str, str] = {
    TaskKind.CHECK_IN: "treatment.document",
    TaskKind.QUESTIONNAIRE: "measure.record",
    TaskKind.HOME_PROGRAMME: "treatment.document",
}
REPORTED_BY_PATIENT = "Reported by the patient in the home check-in; needs clinician review."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CreatedTask:
    task: PatientTask
    token: str  # shown once to the clinician and emailed; never stored


def _window(kind: str, session: TreatmentSession | None) -> tuple[dt.datetime, dt.datetime]:
    links = check_in_reference().links
    now = timezone.now()
    if kind == TaskKind.CHECK_IN and session is not None:
        return check_in_window(session.started_at)
    days = links.questionnaire_days if kind == TaskKind.QUESTIONNAIRE else links.home_programme_days
    return now, now + dt.timedelta(days=days)


def _check_target(
    kind: str,
    patient: Patient,
    session: TreatmentSession | None,
    episode: Episode | None,
    instrument: str,
) -> None:
    if kind not in TaskKind.values:
        raise ApplicationError(
            f"unknown task {kind!r}; allowed: {', '.join(TaskKind.values)}", field="kind"
        )
    if kind == TaskKind.CHECK_IN:
        if session is None or session.patient_id != patient.pk:
            raise ApplicationError("choose a needling session of this patient", field="session")
        if not session.needling_entries.exists():
            raise ApplicationError("no needling was recorded in this session", field="session")
    elif episode is None or episode.patient_id != patient.pk:
        raise ApplicationError("choose an episode of this patient", field="episode")
    allowed = home_instruments_for(patient.clinic) if kind == TaskKind.QUESTIONNAIRE else []
    if kind == TaskKind.QUESTIONNAIRE and instrument in licensed_not_loaded(allowed):
        raise ApplicationError(
            f"{instrument} can be sent only once the clinic has loaded its licensed text "
            "(needlerx licensed_text load); NeedleRx ships none",
            field="instrument",
        )
    if kind == TaskKind.QUESTIONNAIRE and instrument not in allowed:
        raise ApplicationError(
            f"unknown questionnaire {instrument!r}; allowed: {', '.join(allowed)}",
            field="instrument",
        )


@transaction.atomic
def patient_task_create(
    *,
    actor: User,
    patient: Patient,
    kind: str,
    session: TreatmentSession | None = None,
    episode: Episode | None = None,
    instrument: str = "",
) -> CreatedTask:
    """A new link for one task of ``patient``; the token is returned once and never stored."""
    role = require_permission(
        user=actor,
        clinic=patient.clinic,
        permission=PERMISSION_TO_SEND.get(kind, "treatment.document"),
    )
    _check_target(kind, patient, session, episode, instrument)
    valid_from, expires_at = _window(kind, session)
    if expires_at <= timezone.now():
        raise ApplicationError("the check-in window of this session has closed", field="session")
    token = secrets.token_urlsafe(32)
    task = PatientTask.objects.create(
        clinic=patient.clinic,
        patient=patient,
        kind=kind,
        session=session,
        episode=session.episode if kind == TaskKind.CHECK_IN and session else episode,
        instrument=instrument if kind == TaskKind.QUESTIONNAIRE else "",
        token_hash=token_hash(token),
        valid_from=valid_from,
        expires_at=expires_at,
        created_by=actor,
    )
    audit_record(
        action="patient_task.create",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=task,
        patient=patient,
        detail={"kind": kind, "instrument": task.instrument, "expires_at": expires_at.isoformat()},
    )
    return CreatedTask(task=task, token=token)


def _email_text(task: PatientTask, link: str) -> str:
    what = {
        TaskKind.CHECK_IN: "a few quick questions about how you feel after your last visit",
        TaskKind.QUESTIONNAIRE: "a short questionnaire about how you are doing",
        TaskKind.HOME_PROGRAMME: (
            "your home exercises, your next appointments and how you are doing"
        ),
    }[TaskKind(task.kind)]
    return (
        f"Hello,\n\n{task.clinic.name} asks you to open this link: {what}.\n\n{link}\n\n"
        "The link works for you only and for a few days. Please do not share it.\n"
        "If you feel very unwell, call 911 or go to the emergency department; do not wait "
        "for this message.\n"
    )


@transaction.atomic
def patient_task_email(*, actor: User, task: PatientTask, link: str) -> bool:
    """Email the link to the patient's address (Django's email framework); False without one,
    or when the mail server could not take it (the page then shows the link to hand over).
    The email names the clinic and the kind of task, nothing clinical."""
    role = require_permission(
        user=actor, clinic=task.clinic, permission=PERMISSION_TO_SEND[task.kind]
    )
    if not task.patient.email:
        return False
    if not email_sent(
        subject=f"{task.clinic.name}: {task.get_kind_display().lower()}",
        body=_email_text(task, link),
        to=task.patient.email,
    ):
        return False
    PatientTask.objects.filter(pk=task.pk).update(emailed_at=timezone.now())
    audit_record(
        action="patient_task.email",
        actor=actor,
        actor_role=role,
        clinic=task.clinic,
        obj=task,
        patient=task.patient,
    )
    return True


def _locked_open(task: PatientTask) -> PatientTask:
    locked = PatientTask.objects.select_for_update().get(pk=task.pk)
    now = timezone.now()
    if locked.completed_at is not None:
        raise ApplicationError("this task is already done", field="task", code="task_done")
    if not locked.valid_from <= now < locked.expires_at:
        raise ApplicationError("this link is not open now", field="task", code="task_closed")
    return locked


def _submitted(task: PatientTask, answers: dict[str, object], serious: bool = False) -> None:
    task.answers, task.serious, task.completed_at = answers, serious, timezone.now()
    task.save(update_fields=["answers", "serious", "completed_at"])
    audit_record(
        action="patient_task.submit",
        actor_role="patient",
        actor_username="patient link",
        clinic=task.clinic,
        obj=task,
        patient=task.patient,
        detail={"kind": task.kind, "serious": serious},
    )


@transaction.atomic
def check_in_submit(
    *,
    task: PatientTask,
    soreness: int,
    bruising: bool,
    effects: Sequence[str],
    signs: Sequence[str],
    free_text: str = "",
) -> CheckInAssessment:
    """Take the patient's check-in: store it, record each reported effect in the adverse-event
    register and the follow-up for the session, and flag a warning sign for clinician review."""
    locked = _locked_open(task)
    session = locked.session
    if locked.kind != TaskKind.CHECK_IN or session is None:
        raise ApplicationError("this link is not a check-in", field="task")
    muscles = session.needling_entries.values_list("muscle", flat=True)
    with clinical_errors_as_application_errors():
        assessment = check_in_assess(
            soreness=soreness,
            bruising=bruising,
            effects=effects,
            signs=signs,
            near_lung=near_lung(muscles),
        )
    answers = {
        "soreness": soreness,
        "bruising": bruising,
        "effects": list(effects),
        "signs": list(signs),
        "free_text": free_text.strip()[:2000],
    }
    _submitted(locked, answers, assessment.serious)
    _feed_register(locked, session, assessment, answers)
    return assessment


def _feed_register(
    task: PatientTask,
    session: TreatmentSession,
    assessment: CheckInAssessment,
    answers: dict[str, object],
) -> None:
    """The register and the follow-up through their services, acting as the clinician who sent
    the link and saying the patient reported it."""
    now = timezone.now()
    words = f"{REPORTED_BY_PATIENT} Soreness {answers['soreness']}/10."
    if answers["free_text"]:
        words += f" In their words: {answers['free_text']}"
    for event in assessment.events:
        adverse_event_record(
            actor=task.created_by,
            session=session,
            event_type=event.event_type,
            severity=event.severity,
            onset_at=now,
            description=f"{event.because}. {words}",
            action_taken=(
                "Shown the urgent advice (call 911 or go to the emergency department) at once."
                if event.severity != "mild"
                else "Recorded from the patient's check-in."
            ),
            follow_up="Clinician to review and contact the patient.",
        )
    follow_up_record(
        actor=task.created_by,
        session=session,
        method=FollowUpMethod.PORTAL,
        outcome=FollowUpOutcome.ADVERSE_EVENT if assessment.events else FollowUpOutcome.WELL,
        notes=words,
        contacted_at=now,
    )


@transaction.atomic
def questionnaire_submit(*, task: PatientTask, responses: dict[str, object]) -> None:
    """Score and store the questionnaire through the instruments service (patient-reported)."""
    locked = _locked_open(task)
    if locked.kind != TaskKind.QUESTIONNAIRE or locked.episode is None:
        raise ApplicationError("this link is not a questionnaire", field="task")
    with clinical_errors_as_application_errors():
        get_instrument(locked.instrument)
    stored = instrument_response_record_by_patient(
        episode=locked.episode, instrument_id=locked.instrument, responses=responses, via=locked
    )
    _submitted(locked, {"measure": str(stored.public_id)})


@transaction.atomic
def check_in_review(*, actor: User, task: PatientTask) -> PatientTask:
    """A clinician has read a serious check-in and acted: the alert closes."""
    role = require_permission(user=actor, clinic=task.clinic, permission="treatment.document")
    locked = PatientTask.objects.select_for_update().get(pk=task.pk)
    if not locked.is_open_alert:
        raise ApplicationError("this check-in has no open alert", field="task")
    locked.reviewed_at, locked.reviewed_by = timezone.now(), actor
    locked.save(update_fields=["reviewed_at", "reviewed_by"])
    audit_record(
        action="patient_task.review",
        actor=actor,
        actor_role=role,
        clinic=locked.clinic,
        obj=locked,
        patient=locked.patient,
    )
    return locked


def sessions_due_a_check_in_link() -> list[TreatmentSession]:
    """Signed sessions with needling whose check-in window is open, whose patient has an
    email address and that have no check-in link yet (the system sends these)."""
    window = adverse_event_reference().follow_up
    grace = check_in_reference().links.check_in_grace_hours
    now = timezone.now()
    since = now - dt.timedelta(hours=window.due_before_hours + grace)
    until = now - dt.timedelta(hours=window.due_after_hours)
    return list(
        TreatmentSession.objects.filter(
            signed_at__isnull=False,
            started_at__gte=since,
            started_at__lte=until,
            needling_entries__isnull=False,
        )
        .exclude(patient__email="")
        .exclude(patient_tasks__kind=TaskKind.CHECK_IN)
        .select_related("patient__clinic", "clinician", "episode")
        .distinct()
        .order_by("started_at", "id")
    )


def check_in_links_send(*, site_url: str) -> int:
    """Send each due session's patient a check-in link (created in the name of the session's
    clinician, who is told through the tasks list); how many were sent."""
    sent = 0
    for session in sessions_due_a_check_in_link():
        with transaction.atomic():
            created = patient_task_create(
                actor=session.clinician,
                patient=session.patient,
                kind=TaskKind.CHECK_IN,
                session=session,
            )
            link = site_url.rstrip("/") + reverse("my_task", args=[created.token])
            sent += patient_task_email(actor=session.clinician, task=created.task, link=link)
    return sent


REMINDED_KINDS = (TaskKind.CHECK_IN, TaskKind.QUESTIONNAIRE)


def tasks_due_a_reminder() -> list[PatientTask]:
    """Unanswered check-in and questionnaire links open for at least the reminder delay of
    their kind (``check_in.yaml``, ``reminders``), with time left, and not reminded yet."""
    timing = check_in_reference().reminders
    now = timezone.now()
    due = Q()
    for kind in REMINDED_KINDS:
        hours = timing.after_hours.get(kind)
        if hours is not None:
            due |= Q(kind=kind, valid_from__lte=now - dt.timedelta(hours=hours))
    if not due:
        return []
    return list(
        PatientTask.objects.filter(
            due,
            completed_at__isnull=True,
            reminded_at__isnull=True,
            expires_at__gt=now + dt.timedelta(hours=timing.min_hours_left),
        )
        .select_related("clinic", "patient")
        .order_by("valid_from", "id")
    )


def _reminder_text(task: PatientTask, link: str) -> str:
    return (
        f"Hello,\n\nA reminder from {task.clinic.name}: we have not had your answers yet. "
        f"It takes a minute or two.\n\n{link}\n\n"
        f"The link works until {local.format_datetime(task.expires_at)}. It is for you only; "
        "please do not share it. If you have already answered, thank you: ignore this message.\n"
        "If you feel very unwell, call 911 or go to the emergency department; do not wait "
        "for this message.\n"
    )


@transaction.atomic
def patient_task_remind(*, task: PatientTask, site_url: str) -> bool:
    """Send the one reminder of ``task`` with a fresh link to the same task (the first token
    is not stored); False when it was answered or reminded meanwhile, no channel reaches the
    patient or the channel could not send (then nothing is recorded and the next run tries
    again). Audited as ``patient_task.remind`` by the reminders job."""
    locked = (
        PatientTask.objects.select_for_update()
        .filter(pk=task.pk, completed_at__isnull=True, reminded_at__isnull=True)
        .first()
    )
    channel = channel_for(task.patient)
    if locked is None or channel is None:
        return False
    token = secrets.token_urlsafe(32)
    locked.reminder_token_hash, locked.reminded_at = token_hash(token), timezone.now()
    locked.save(update_fields=["reminder_token_hash", "reminded_at"])
    link = site_url.rstrip("/") + reverse("my_task", args=[token])
    with local.activated(clinic_conventions(task.clinic)):
        text = _reminder_text(task, link)
    if not channel.send(task.patient, f"{task.clinic.name}: reminder", text):
        transaction.set_rollback(True)  # not reminded: the next run tries again
        return False
    audit_record(
        action="patient_task.remind",
        actor_username="reminders",
        clinic=task.clinic,
        obj=locked,
        patient=task.patient,
        detail={"kind": task.kind, "channel": channel.name},
    )
    return True


def patient_reminders_send(*, site_url: str) -> int:
    """One reminder for each unanswered link that is due one; how many were sent."""
    return sum(patient_task_remind(task=task, site_url=site_url) for task in tasks_due_a_reminder())
