"""Reads of the appointment book, in the clinics where the user may see it.

Every page of appointments costs the same few queries however full the book is (the day's or
week's appointments through the (clinic, starts_at) index, with their patients and clinicians
joined), and names its patients for the audit trail as one listing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import Clinic, Membership, Role, User
from needlerx.accounts.permissions import role_has_permission
from needlerx.accounts.selectors import clinic_ids_with_permission
from needlerx.audit.reads import audit_listing
from needlerx.core.errors import ApplicationError, NotFound
from needlerx.core.inputs import is_uuid
from needlerx.core.local import day_start
from needlerx.core.prepared import ValuesRead, prepared_read
from needlerx.patients.selectors import patient_access_check, record_shown
from needlerx.patients.shown import ShownPatient, shown_patient
from needlerx.scheduling.models import FREEING_STATUSES, Appointment, AppointmentStatus
from needlerx.scheduling.times import clinic_zone
from needlerx.scheduling.types import appointment_type_label

VIEW = "appointment.view"
BOOK = "appointment.book"
APPOINTMENTS_PER_PAGE = 50
APPOINTMENTS_PER_PAGE_MAX = 200
# What the book shows of an appointment, its patient and its clinician; nothing clinical is read.
SHOWN_VALUES = (
    "public_id",
    "appointment_type",
    "starts_at",
    "ends_at",
    "status",
    "session_id",
    "clinician_id",
    "patient__public_id",
    "patient__given_name",
    "patient__family_name",
    "patient__medical_record_number",
    "clinician__public_id",
    "clinician__username",
    "clinician__first_name",
    "clinician__last_name",
)


@dataclass(frozen=True)
class ShownClinician:
    public_id: uuid.UUID
    name: str  # the full name, or the username when none is recorded


@dataclass(frozen=True)
class ShownAppointment:
    """An appointment in the book, read as plain values: a week of a busy clinic built an
    Appointment, a Patient and a User for each row, which cost the page more than its SQL."""

    public_id: uuid.UUID
    appointment_type: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    session_id: int | None
    clinician_id: int
    patient: ShownPatient
    clinician: ShownClinician

    @property
    def type_label(self) -> str:
        return appointment_type_label(self.appointment_type)

    @property
    def status_label(self) -> str:
        return str(AppointmentStatus(self.status).label)

    @property
    def is_live(self) -> bool:
        return self.status not in FREEING_STATUSES


def shown_appointment_of(appointment: Appointment) -> ShownAppointment:
    """An appointment already read as a model object, as the book shows it."""
    patient, clinician = appointment.patient, appointment.clinician
    return ShownAppointment(
        appointment.public_id,
        appointment.appointment_type,
        appointment.starts_at,
        appointment.ends_at,
        appointment.status,
        appointment.session_id,
        appointment.clinician_id,
        ShownPatient(
            patient.public_id,
            patient.given_name,
            patient.family_name,
            patient.medical_record_number,
        ),
        ShownClinician(clinician.public_id, clinician.get_full_name() or clinician.username),
    )


def _shown_appointment(row: dict[str, Any]) -> ShownAppointment:
    name = f"{row['clinician__first_name']} {row['clinician__last_name']}".strip()
    return ShownAppointment(
        row["public_id"],
        row["appointment_type"],
        row["starts_at"],
        row["ends_at"],
        row["status"],
        row["session_id"],
        row["clinician_id"],
        shown_patient(row),
        ShownClinician(row["clinician__public_id"], name or row["clinician__username"]),
    )


@dataclass(frozen=True)
class AppointmentBook:
    """The appointments of one clinic over ``days`` days from ``first_day`` (its local days)."""

    clinic: Clinic
    role: str
    first_day: dt.date
    days: int
    clinicians: list[User]
    clinician: User | None  # the one clinician shown, or None for all
    appointments: list[ShownAppointment]

    @property
    def day_list(self) -> list[dt.date]:
        return [self.first_day + dt.timedelta(days=n) for n in range(self.days)]

    def by_day(self) -> dict[dt.date, list[ShownAppointment]]:
        """Each day of the book (the clinic's days) with its appointments, in order."""
        zone = clinic_zone(self.clinic)
        days: dict[dt.date, list[ShownAppointment]] = {day: [] for day in self.day_list}
        for appointment in self.appointments:
            days[appointment.starts_at.astimezone(zone).date()].append(appointment)
        return days


@dataclass(frozen=True)
class TodaysAppointments:
    """The clinic home's appointments: today's in the user's clinic (none without a book)."""

    clinic: Clinic | None
    appointments: list[ShownAppointment]


def booking_clinic_for_user(*, user: User, permission: str = VIEW) -> Clinic:
    """The clinic whose book the user sees: their first clinic that grants ``permission``."""
    return _booking_membership(user, permission).clinic


def _booking_membership(user: User, permission: str) -> Membership:
    """The user's membership of the clinic whose book they see (one query), or NotFound."""
    memberships = _memberships.all(user_id=user.pk) if user.is_authenticated else []
    for membership in memberships:
        if role_has_permission(membership.role, permission):
            return membership
    raise NotFound("You have no appointment book.")


# Prepared once (core.prepared): the clinic home and the appointment book read it on every visit.
@prepared_read()
def _memberships(user_id: int) -> QuerySet[Membership]:
    memberships = Membership.objects.filter(user_id=user_id, user__is_active=True)
    return memberships.select_related("clinic").order_by("clinic__name", "clinic_id")


def clinicians_of(clinic: Clinic) -> list[User]:
    """The clinic's active clinicians, by name: the people appointments are booked with."""
    return list(
        User.objects.filter(
            memberships__clinic=clinic, memberships__role=Role.CLINICIAN, is_active=True
        ).order_by("first_name", "last_name", "username")
    )


def appointment_book_for_user(
    *,
    user: User,
    first_day: dt.date | None = None,
    days: int = 1,
    from_monday: bool = False,
    clinician_id: uuid.UUID | str | None = None,
) -> AppointmentBook:
    """The user's clinic's appointments from ``first_day`` (default today, the clinic's; with
    ``from_monday``, the Monday of its week) for ``days`` days, of one clinician
    (``clinician_id``) or of all (``"all"``); by default a clinician's own and everyone's for
    the front desk and admins. The patients shown are recorded as one listing."""
    membership = _booking_membership(user, VIEW)
    clinic, role = membership.clinic, membership.role
    first_day = first_day or clinic_today(clinic)
    if from_monday:
        first_day -= dt.timedelta(days=first_day.weekday())
    clinicians = clinicians_of(clinic)
    chosen = next((c for c in clinicians if str(c.public_id) == str(clinician_id)), None)
    if clinician_id is None and role == Role.CLINICIAN:
        chosen = next((c for c in clinicians if c.pk == user.pk), None)  # a clinician's own
    zone = clinic_zone(clinic)
    start = day_start(first_day, zone)
    end = day_start(first_day + dt.timedelta(days=days), zone)
    shown = _shown(clinic, start, end, chosen)
    audit_listing(actor=user, patients=[a.patient for a in shown], what="appointment_book")
    return AppointmentBook(clinic, role, first_day, days, clinicians, chosen, shown)


# Prepared once (core.prepared): the ORM wrote its SQL afresh on every visit of the home and the
# appointment book.
@prepared_read()
def _shown_rows(
    clinic_id: int, start: dt.datetime, end: dt.datetime, clinician_id: int | None
) -> ValuesRead:
    """The appointments of one clinic from ``start`` to ``end``, of one clinician or of all
    (``clinician_id`` None)."""
    appointments = Appointment.objects.filter(
        clinic_id=clinic_id, starts_at__gte=start, starts_at__lt=end
    )
    if clinician_id is not None:
        appointments = appointments.filter(clinician_id=clinician_id)
    ordered = appointments.order_by("starts_at", "clinician__first_name", "id")
    shown: ValuesRead = ordered.values(*SHOWN_VALUES)
    return shown


def _shown(
    clinic: Clinic, start: dt.datetime, end: dt.datetime, clinician: User | None
) -> list[ShownAppointment]:
    rows = _shown_rows.all(
        clinic_id=clinic.pk,
        start=start,
        end=end,
        clinician_id=clinician.pk if clinician is not None else None,
    )
    return [_shown_appointment(row) for row in rows]


def appointments_today_for_user(*, user: User) -> TodaysAppointments:
    """Today's appointments in the user's clinic (a clinician's own; everyone's for the front
    desk and admins), for the clinic home; the home's listing names their patients."""
    try:
        membership = _booking_membership(user, VIEW)
    except NotFound:
        return TodaysAppointments(None, [])
    clinic = membership.clinic
    zone = clinic_zone(clinic)
    today = clinic_today(clinic)
    tomorrow = today + dt.timedelta(days=1)
    own = user if membership.role == Role.CLINICIAN else None
    shown = _shown(clinic, day_start(today, zone), day_start(tomorrow, zone), own)
    audit_listing(actor=user, patients=[a.patient for a in shown], what="todays_appointments")
    return TodaysAppointments(clinic, shown)


def appointment_get_for_user(
    *, user: User, public_id: uuid.UUID | str, permission: str = VIEW
) -> Appointment:
    """One appointment the user may see (another clinic's is "not found"); the read is recorded
    for the audit trail naming the patient."""
    try:
        appointment = Appointment.objects.select_related(
            "clinic", "patient__clinic", "clinician", "session", "booked_by"
        ).get(public_id=public_id)
    except (Appointment.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound("No such appointment.") from None
    try:
        patient_access_check(user=user, patient=appointment.patient, permission=permission)
    except NotFound:  # worded like an appointment that does not exist
        raise NotFound("No such appointment.") from None
    record_shown(user=user, patient=appointment.patient, obj=appointment)
    return appointment


@dataclass(frozen=True)
class AppointmentPage:
    items: list[Appointment]
    total: int
    number: int
    per_page: int


def appointment_page_for_user(
    *,
    user: User,
    starts_from: dt.datetime,
    starts_before: dt.datetime,
    clinician_id: uuid.UUID | str | None = None,
    page: int = 1,
    per_page: int = APPOINTMENTS_PER_PAGE,
) -> AppointmentPage:
    """One page of the appointments starting in [starts_from, starts_before) in the user's
    clinics, with the true total; the patients on the page are recorded as one listing."""
    per_page = max(1, min(per_page, APPOINTMENTS_PER_PAGE_MAX))
    page = max(1, page)
    clinic_ids = clinic_ids_with_permission(user=user, permission=VIEW)
    appointments = (
        Appointment.objects.filter(
            clinic_id__in=clinic_ids, starts_at__gte=starts_from, starts_at__lt=starts_before
        )
        .select_related("patient", "clinician", "clinic", "session")
        .order_by("starts_at", "id")
    )
    if clinician_id is not None:
        appointments = appointments.filter(clinician__public_id=clinician_id)
    total = appointments.count()
    offset = (page - 1) * per_page
    items = list(appointments[offset : offset + per_page]) if total > offset else []
    audit_listing(actor=user, patients=[a.patient for a in items], what="appointment_list")
    return AppointmentPage(items=items, total=total, number=page, per_page=per_page)


def clinician_in_clinic(*, clinic: Clinic, public_id: uuid.UUID | str, field: str) -> User:
    """A clinician of ``clinic`` named by public id, or an error naming ``field``."""
    membership = (
        Membership.objects.filter(clinic=clinic, role=Role.CLINICIAN, user__is_active=True)
        .filter(user__public_id=public_id)
        .select_related("user")
        .first()
        if is_uuid(public_id)
        else None
    )
    if membership is None:
        raise ApplicationError("must be an active clinician of this clinic", field=field)
    return membership.user
