"""Reads of the appointment book, in the clinics where the user may see it.

Every page of appointments costs the same few queries however full the book is (the day's or
week's appointments through the (clinic, starts_at) index, with their patients and clinicians
joined), and names its patients for the audit trail as one listing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import Clinic, Membership, Role, User
from needlerx.accounts.permissions import role_has_permission
from needlerx.accounts.selectors import clinic_ids_with_permission
from needlerx.audit.reads import audit_listing
from needlerx.core.errors import ApplicationError, NotFound
from needlerx.core.inputs import is_uuid
from needlerx.patients.selectors import patient_access_check, record_shown
from needlerx.scheduling.models import Appointment
from needlerx.scheduling.times import clinic_zone, day_start

VIEW = "appointment.view"
BOOK = "appointment.book"
APPOINTMENTS_PER_PAGE = 50
APPOINTMENTS_PER_PAGE_MAX = 200
# What the book shows of an appointment's patient and clinician; nothing clinical is read.
SHOWN_FIELDS = (
    "public_id",
    "appointment_type",
    "starts_at",
    "ends_at",
    "status",
    "reason",
    "session_id",
    "clinic_id",
    "patient_id",
    "clinician_id",
    "patient__public_id",
    "patient__given_name",
    "patient__family_name",
    "patient__medical_record_number",
    "patient__clinic_id",
    "clinician__public_id",
    "clinician__username",
    "clinician__first_name",
    "clinician__last_name",
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
    appointments: list[Appointment]

    @property
    def day_list(self) -> list[dt.date]:
        return [self.first_day + dt.timedelta(days=n) for n in range(self.days)]

    def on(self, day: dt.date) -> list[Appointment]:
        zone = clinic_zone(self.clinic)
        return [a for a in self.appointments if a.starts_at.astimezone(zone).date() == day]


def booking_clinic_for_user(*, user: User, permission: str = VIEW) -> Clinic:
    """The clinic whose book the user sees: their first clinic that grants ``permission``."""
    return _booking_membership(user, permission).clinic


def _booking_membership(user: User, permission: str) -> Membership:
    """The user's membership of the clinic whose book they see (one query), or NotFound."""
    memberships = (
        Membership.objects.filter(user=user, user__is_active=True)
        .select_related("clinic")
        .order_by("clinic__name", "clinic_id")
        if user.is_authenticated
        else Membership.objects.none()
    )
    for membership in memberships:
        if role_has_permission(membership.role, permission):
            return membership
    raise NotFound("You have no appointment book.")


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
    clinician_id: uuid.UUID | str | None = None,
) -> AppointmentBook:
    """The user's clinic's appointments from ``first_day`` (default today, the clinic's) for
    ``days`` days, of one clinician (``clinician_id``) or of all (``"all"``); by default a
    clinician's own and everyone's for the front desk and admins. The patients shown are
    recorded as one listing."""
    membership = _booking_membership(user, VIEW)
    clinic, role = membership.clinic, membership.role
    first_day = first_day or clinic_today(clinic)
    clinicians = clinicians_of(clinic)
    chosen = next((c for c in clinicians if str(c.public_id) == str(clinician_id)), None)
    if clinician_id is None and role == Role.CLINICIAN:
        chosen = next((c for c in clinicians if c.pk == user.pk), None)  # a clinician's own
    zone = clinic_zone(clinic)
    start = day_start(first_day, zone)
    end = day_start(first_day + dt.timedelta(days=days), zone)
    appointments = _between(clinic, start, end)
    if chosen is not None:
        appointments = appointments.filter(clinician=chosen)
    shown = _of_clinic(clinic, appointments)
    audit_listing(actor=user, patients=[a.patient for a in shown], what="appointment_book")
    return AppointmentBook(clinic, role, first_day, days, clinicians, chosen, shown)


def _between(clinic: Clinic, start: dt.datetime, end: dt.datetime) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(clinic=clinic, starts_at__gte=start, starts_at__lt=end)
        .select_related("patient", "clinician")
        .only(*SHOWN_FIELDS)
        .order_by("starts_at", "clinician__first_name", "id")
    )


def _of_clinic(clinic: Clinic, appointments: QuerySet[Appointment]) -> list[Appointment]:
    """The appointments, each holding ``clinic`` itself: one object for the whole book, rather
    than a copy joined to every row (a week of a busy clinic built a hundred)."""
    shown = list(appointments)
    for appointment in shown:
        appointment.clinic = clinic
    return shown


def appointments_today_for_user(*, user: User) -> list[Appointment]:
    """Today's appointments in the user's clinic (a clinician's own; everyone's for the front
    desk and admins), for the clinic home; the home's listing names their patients."""
    try:
        membership = _booking_membership(user, VIEW)
    except NotFound:
        return []
    clinic = membership.clinic
    zone = clinic_zone(clinic)
    today = clinic_today(clinic)
    tomorrow = today + dt.timedelta(days=1)
    appointments = _between(clinic, day_start(today, zone), day_start(tomorrow, zone))
    if membership.role == Role.CLINICIAN:
        appointments = appointments.filter(clinician=user)
    shown = _of_clinic(clinic, appointments)
    audit_listing(actor=user, patients=[a.patient for a in shown], what="todays_appointments")
    return shown


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
