"""Booking helpers for the scheduling tests: slots in the clinic's own time."""

from __future__ import annotations

import datetime as dt

from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import Clinic, User
from needlerx.patients.models import Patient
from needlerx.scheduling import services
from needlerx.scheduling.models import Appointment
from needlerx.scheduling.times import clinic_zone
from tests.personas import World

DENVER = "America/Denver"


def in_denver(world: World) -> None:
    """Clinic A keeps Denver time (stored in UTC), so 2:00 PM there is 21:00 or 22:00 UTC."""
    Clinic.objects.filter(pk=world.clinic_a.pk).update(time_zone=DENVER)
    world.clinic_a.refresh_from_db()


def slot(clinic: Clinic, hour: int, minute: int = 0, *, days_ahead: int = 1) -> dt.datetime:
    """``hour:minute`` on the clinic's day ``days_ahead`` from today, in the clinic's zone."""
    day = clinic_today(clinic) + dt.timedelta(days=days_ahead)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clinic_zone(clinic))


def book(
    world: World,
    patient: Patient,
    starts_at: dt.datetime,
    *,
    actor: User | None = None,
    clinician: User | None = None,
    appointment_type: str = "follow_up",
) -> Appointment:
    return services.appointment_book(
        actor=actor or world.frank,
        clinic=world.clinic_a,
        patient=patient,
        clinician=clinician or world.alice,
        appointment_type=appointment_type,
        starts_at=starts_at,
    )
