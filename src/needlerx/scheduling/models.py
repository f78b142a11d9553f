"""An appointment in the book: who, with whom, what kind, when (stored in UTC), and its status.

No clinician is booked twice at once: the database refuses an overlapping live appointment
(``booked``, ``arrived`` or ``completed``), an exclusion constraint on PostgreSQL and a trigger on
SQLite (migration 0001), so two front-desk people booking the same slot at once cannot both win.
"""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q
from django.utils import timezone

from needlerx.accounts.models import Clinic, User
from needlerx.core.models import PublicModel
from needlerx.patients.models import Patient
from needlerx.scheduling.types import appointment_type_label
from needlerx.treatments.models import TreatmentSession


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    ARRIVED = "arrived", "Arrived"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


# A cancelled appointment or a no-show frees the slot: another patient may be booked into it.
FREEING_STATUSES = (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)


class TsTzRange(Func):
    """PostgreSQL's ``tstzrange(start, end)``: half-open, so back-to-back slots do not overlap."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class Appointment(PublicModel):
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        related_name="appointments",
        db_index=False,  # the (clinic, starts_at) index below serves it
    )
    patient = models.ForeignKey(
        Patient,
        on_delete=models.PROTECT,
        related_name="appointments",
        db_index=False,  # the (patient, starts_at) index below serves it
    )
    clinician = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="appointments",
        db_index=False,  # the (clinician, starts_at) index below serves it
    )
    appointment_type = models.CharField(max_length=40)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    reason = models.CharField(max_length=300, blank=True)
    session = models.OneToOneField(
        TreatmentSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointment",
    )
    booked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="appointments_booked"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["clinic", "starts_at"]),
            models.Index(fields=["clinician", "starts_at"]),
            models.Index(fields=["patient", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_it_starts"
            ),
            # Created on PostgreSQL only (scheduling.operations); SQLite has a trigger instead.
            ExclusionConstraint(
                name="appointment_clinician_not_double_booked",
                expressions=[
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                    ("clinician", RangeOperators.EQUAL),
                ],
                condition=~Q(status__in=FREEING_STATUSES),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type_label} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def type_label(self) -> str:
        return appointment_type_label(self.appointment_type)

    @property
    def is_live(self) -> bool:
        return self.status not in FREEING_STATUSES
