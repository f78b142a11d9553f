"""Writes to the appointment book: book, reschedule, set the status, cancel, start the note.

Each service checks the permission (front desk, clinicians and admins of the clinic book and
reschedule; only the treating clinician starts a note), validates, writes and audits in one
transaction. A clinician's overlapping appointment is refused by the database (see models.py);
the refusal becomes an ``ApplicationError`` naming ``starts_at`` and the appointment in the way.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import Clinic, Membership, Role, User
from needlerx.accounts.selectors import require_permission
from needlerx.audit.services import audit_record
from needlerx.core.errors import ApplicationError
from needlerx.core.local import day_start
from needlerx.patients.models import Episode, EpisodeStatus, Patient
from needlerx.patients.selectors import patient_get_for_user
from needlerx.scheduling.models import FREEING_STATUSES, Appointment, AppointmentStatus
from needlerx.scheduling.operations import OVERLAP_MESSAGE
from needlerx.scheduling.selectors import clinician_in_clinic
from needlerx.scheduling.times import clinic_zone, time_range_words
from needlerx.scheduling.types import appointment_type_get
from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.services import treatment_session_start

BOOK = "appointment.book"
BOOKING_HORIZON_DAYS = 366
REASON_MAX = 300
# Which status may follow which. A cancelled appointment is final (book again instead); the others
# can be corrected one step back (an arrival or a no-show marked by mistake).
TRANSITIONS: dict[str, frozenset[str]] = {
    AppointmentStatus.BOOKED: frozenset(
        {AppointmentStatus.ARRIVED, AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW}
    ),
    AppointmentStatus.ARRIVED: frozenset(
        {AppointmentStatus.COMPLETED, AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED}
    ),
    AppointmentStatus.COMPLETED: frozenset({AppointmentStatus.ARRIVED}),
    AppointmentStatus.CANCELLED: frozenset(),
    AppointmentStatus.NO_SHOW: frozenset({AppointmentStatus.BOOKED}),
}


def _who(user: User) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def appointment_book_by_ids(
    *,
    actor: User,
    patient_id: uuid.UUID,
    clinician_id: uuid.UUID,
    appointment_type: str,
    starts_at: dt.datetime,
    reason: str = "",
) -> Appointment:
    """``appointment_book`` as the API and the CLI ask for it (``AppointmentBookIn``): the
    patient and the clinician named by public id, in the patient's clinic."""
    patient = patient_get_for_user(user=actor, public_id=patient_id)
    clinician = clinician_in_clinic(
        clinic=patient.clinic, public_id=clinician_id, field="clinician_id"
    )
    return appointment_book(
        actor=actor,
        clinic=patient.clinic,
        patient=patient,
        clinician=clinician,
        appointment_type=appointment_type,
        starts_at=starts_at,
        reason=reason,
    )


@transaction.atomic
def appointment_book(
    *,
    actor: User,
    clinic: Clinic,
    patient: Patient,
    clinician: User,
    appointment_type: str,
    starts_at: dt.datetime,
    reason: str = "",
) -> Appointment:
    """Book ``patient`` with ``clinician`` for an appointment of ``appointment_type`` (its
    length comes from appointment_types.yaml) starting at ``starts_at``."""
    role = require_permission(user=actor, clinic=clinic, permission=BOOK)
    if patient.clinic_id != clinic.pk:
        raise ApplicationError("must be a patient of this clinic", field="patient")
    _require_clinician_of(clinic, clinician)
    kind = appointment_type_get(appointment_type)
    start = _checked_start(starts_at, clinic)
    appointment = Appointment(
        clinic=clinic,
        patient=patient,
        clinician=clinician,
        appointment_type=kind.id,
        starts_at=start,
        ends_at=start + kind.duration,
        reason=_checked_reason(reason),
        booked_by=actor,
    )
    _save_without_overlap(appointment)
    _audit("appointment.book", actor, role, appointment, detail=_when(appointment))
    return appointment


@transaction.atomic
def appointment_reschedule(
    *,
    actor: User,
    appointment: Appointment,
    starts_at: dt.datetime,
    clinician: User | None = None,
    appointment_type: str | None = None,
) -> Appointment:
    """Move a booked appointment to ``starts_at`` (optionally to another clinician or type)."""
    appointment = _locked(appointment)
    role = require_permission(user=actor, clinic=appointment.clinic, permission=BOOK)
    if appointment.status != AppointmentStatus.BOOKED:
        raise ApplicationError(
            f"only a booked appointment can be moved (this one is "
            f"{appointment.get_status_display().lower()})",
            field="status",
        )
    before = _when(appointment)
    if clinician is not None:
        _require_clinician_of(appointment.clinic, clinician)
        appointment.clinician = clinician
    kind = appointment_type_get(appointment_type or appointment.appointment_type)
    appointment.appointment_type = kind.id
    appointment.starts_at = _checked_start(starts_at, appointment.clinic)
    appointment.ends_at = appointment.starts_at + kind.duration
    _save_without_overlap(appointment)
    _audit(
        "appointment.reschedule",
        actor,
        role,
        appointment,
        detail={"from": before, "to": _when(appointment)},
    )
    return appointment


@transaction.atomic
def appointment_status_set(
    *, actor: User, appointment: Appointment, status: str, reason: str = ""
) -> Appointment:
    """Mark the patient arrived, the visit completed, cancelled or a no-show (TRANSITIONS)."""
    appointment = _locked(appointment)
    role = require_permission(user=actor, clinic=appointment.clinic, permission=BOOK)
    allowed = TRANSITIONS[appointment.status]
    if status not in AppointmentStatus.values:
        raise ApplicationError(
            f"must be one of {', '.join(AppointmentStatus.values)} (got {status!r})",
            field="status",
        )
    if status not in allowed:
        current = appointment.get_status_display().lower()
        words = ", ".join(sorted(allowed)) if allowed else "nothing: book a new appointment"
        raise ApplicationError(
            f"a {current} appointment can become {words} (got {status!r})", field="status"
        )
    before = appointment.status
    appointment.status = status
    if reason:
        appointment.reason = _checked_reason(reason)
    _save_without_overlap(appointment)
    _audit(
        "appointment.status",
        actor,
        role,
        appointment,
        detail={"from": before, "to": status, **_when(appointment)},
    )
    return appointment


def appointment_cancel(*, actor: User, appointment: Appointment, reason: str = "") -> Appointment:
    """Cancel: the slot is free for another patient; the appointment stays in the book."""
    return appointment_status_set(
        actor=actor, appointment=appointment, status=AppointmentStatus.CANCELLED, reason=reason
    )


@transaction.atomic
def appointment_note_start(*, actor: User, appointment: Appointment) -> TreatmentSession:
    """The clinician starts the session note from the appointment: a draft note in the patient's
    open episode, linked to the appointment (which is marked arrived if it was booked). An
    appointment that already has its note returns that note."""
    appointment = _locked(appointment)
    if appointment.session is not None:
        return appointment.session
    if not appointment.is_live:
        raise ApplicationError(
            f"this appointment is {appointment.get_status_display().lower()}; "
            "a note is started from a booked or arrived appointment",
            field="status",
        )
    episode = _open_episode(appointment.patient)
    session = treatment_session_start(actor=actor, episode=episode)
    role = require_permission(user=actor, clinic=appointment.clinic, permission=BOOK)
    appointment.session = session
    if appointment.status == AppointmentStatus.BOOKED:
        appointment.status = AppointmentStatus.ARRIVED
    appointment.save(update_fields=["session", "status"])
    _audit(
        "appointment.note_start",
        actor,
        role,
        appointment,
        detail={"session": str(session.public_id), "status": appointment.status},
    )
    return session


def _open_episode(patient: Patient) -> Episode:
    episode = (
        Episode.objects.filter(patient=patient, status=EpisodeStatus.OPEN)
        .select_related("patient__clinic")
        .order_by("-opened_on", "-id")
        .first()
    )
    if episode is None:
        raise ApplicationError(
            f"{patient.full_name} has no open episode of care; open one from their chart, "
            "then start the note",
            field="episode",
        )
    return episode


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("clinic", "patient__clinic", "clinician", "session")
        .get(pk=appointment.pk)
    )


def _require_clinician_of(clinic: Clinic, clinician: User) -> None:
    works_here = Membership.objects.filter(
        user=clinician, clinic=clinic, role=Role.CLINICIAN, user__is_active=True
    ).exists()
    if not works_here:
        raise ApplicationError("must be an active clinician of this clinic", field="clinician")


def _checked_start(starts_at: dt.datetime, clinic: Clinic) -> dt.datetime:
    """Aware, to the minute, from the start of today (the clinic's) to a year ahead."""
    if timezone.is_naive(starts_at):
        raise ApplicationError("must include a time zone (for example -07:00)", field="starts_at")
    start = starts_at.replace(second=0, microsecond=0)
    today = clinic_today(clinic)
    zone = clinic_zone(clinic)
    earliest = day_start(today, zone)
    latest = day_start(today + dt.timedelta(days=BOOKING_HORIZON_DAYS), zone)
    if not earliest <= start < latest:
        raise ApplicationError(
            f"must be from today ({today:%m/%d/%Y}) to {BOOKING_HORIZON_DAYS} days ahead "
            f"(got {timezone.localtime(start, zone):%m/%d/%Y %I:%M %p})",
            field="starts_at",
        )
    return start


def _checked_reason(reason: str) -> str:
    text = reason.strip()
    if len(text) > REASON_MAX:
        raise ApplicationError(
            f"must be at most {REASON_MAX} characters (got {len(text)})", field="reason"
        )
    if "\x00" in text:
        raise ApplicationError("must not contain NUL characters", field="reason")
    return text


def _clash(appointment: Appointment) -> Appointment | None:
    """The clinician's live appointment that overlaps ``appointment``, if any."""
    if not appointment.is_live:
        return None
    others = Appointment.objects.filter(
        clinician_id=appointment.clinician_id,
        starts_at__lt=appointment.ends_at,
        ends_at__gt=appointment.starts_at,
    ).exclude(status__in=FREEING_STATUSES)
    if appointment.pk is not None:
        others = others.exclude(pk=appointment.pk)
    return others.select_related("clinician", "clinic").order_by("starts_at").first()


# PostgreSQL's "deadlock detected": two bookings that overlap, inserted at the same moment, each
# wait in the exclusion constraint's check for the other's transaction; one is cancelled.
DEADLOCK_DETECTED = "40P01"


def _save_without_overlap(appointment: Appointment) -> None:
    """Save, or refuse naming the appointment in the way. The query first gives the common case
    its message; the database's constraint decides a race between two bookings. The booking
    PostgreSQL cancels in a deadlock between two such inserts is tried once more: it then waits
    for the other to commit and is refused like any overlap (or saved, if the other failed)."""
    clash = _clash(appointment)
    if clash is not None:
        raise _overlap_error(clash)
    for last_try in (False, True):
        try:
            with transaction.atomic():
                appointment.save()
            return
        except IntegrityError as error:
            if OVERLAP_MESSAGE not in str(error):
                raise
            raise _overlap_error(_clash(appointment) or appointment) from error
        except OperationalError as error:
            if last_try or getattr(error.__cause__, "sqlstate", None) != DEADLOCK_DETECTED:
                raise


def _overlap_error(clash: Appointment) -> ApplicationError:
    times = time_range_words(clash.starts_at, clash.ends_at, clash.clinic)
    return ApplicationError(
        f"{_who(clash.clinician)} already has an appointment {times}; choose another time "
        "or clinician",
        field="starts_at",
        code="overlap",
    )


def _when(appointment: Appointment) -> dict[str, Any]:
    return {
        "clinician": appointment.clinician.get_username(),
        "type": appointment.appointment_type,
        "starts_at": appointment.starts_at.isoformat(),
        "ends_at": appointment.ends_at.isoformat(),
    }


def _audit(
    action: str, actor: User, role: str, appointment: Appointment, *, detail: dict[str, Any]
) -> None:
    audit_record(
        action=action,
        actor=actor,
        actor_role=role,
        clinic=appointment.clinic,
        obj=appointment,
        patient=appointment.patient,
        detail=detail,
    )
