"""Demo appointments: this week's book for each demo clinic, so the first page is a working day.

Each clinic's clinician works 8:00 to 17:00 clinic time, Monday to Friday of the current week
(today included whatever the weekday). The day is filled with a realistic mix of appointment types
back to back or with short gaps and a lunch break, never overlapping. What is over is mostly
completed, with the odd no-show or cancellation; what is under way is arrived; what is to come is
booked. Patients are drawn from the clinic's patients with an open episode. Inserted in bulk.
A clinic whose book already has appointments this week is left as it is (reloading the demo adds
patients, not a second book).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import Clinic, User
from needlerx.audit.services import audit_record
from needlerx.core.local import day_start
from needlerx.demo.bulk import bulk_insert
from needlerx.patients.models import Episode, EpisodeStatus
from needlerx.scheduling.models import Appointment, AppointmentStatus
from needlerx.scheduling.times import clinic_zone
from needlerx.scheduling.types import appointment_type_get

OPENS, CLOSES, LUNCH = dt.time(8), dt.time(17), dt.time(12)
WORKING_DAYS = 5
# How often each type is booked, and the gaps between appointments (minutes).
TYPE_WEIGHTS = {
    "follow_up": 12,
    "dry_needling_evaluation": 3,
    "re_evaluation": 2,
    "discharge": 1,
}
GAPS = (0, 0, 0, 15, 15, 30)
LUNCH_MINUTES = 60
PAST_OUTCOMES: dict[str, int] = {
    AppointmentStatus.COMPLETED.value: 17,
    AppointmentStatus.NO_SHOW.value: 1,
    AppointmentStatus.CANCELLED.value: 2,
}
FUTURE_CANCELLED_PERCENT = 5


@dataclass(frozen=True)
class DemoBook:
    clinic: Clinic
    clinician: User
    booked_by: User


def load_appointments(books: list[DemoBook], *, seed: int) -> int:
    """This week's appointments for each clinic's clinician; how many were inserted."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible on purpose
    now, inserted = timezone.now(), 0
    for book in books:
        inserted += _load_clinic(book, rng, now)
    return inserted


@transaction.atomic
def _load_clinic(book: DemoBook, rng: random.Random, now: dt.datetime) -> int:
    zone, today = clinic_zone(book.clinic), clinic_today(book.clinic)
    monday = today - dt.timedelta(days=today.weekday())
    days = sorted({monday + dt.timedelta(days=n) for n in range(WORKING_DAYS)} | {today})
    already = Appointment.objects.filter(
        clinic=book.clinic, starts_at__gte=day_start(monday, zone)
    ).exists()
    patient_ids = list(
        Episode.objects.filter(patient__clinic=book.clinic, status=EpisodeStatus.OPEN)
        .order_by("patient_id")
        .values_list("patient_id", flat=True)
        .distinct()
    )
    if already or not patient_ids:
        return 0
    appointments = [
        appointment for day in days for appointment in _day(book, day, zone, rng, now, patient_ids)
    ]
    bulk_insert(appointments)
    audit_record(
        action="demo.appointments_load",
        clinic=book.clinic,
        detail={"appointments": len(appointments), "first_day": days[0].isoformat()},
    )
    return len(appointments)


def _day(
    book: DemoBook,
    day: dt.date,
    zone: dt.tzinfo,
    rng: random.Random,
    now: dt.datetime,
    patient_ids: list[int],
) -> list[Appointment]:
    moment = dt.datetime.combine(day, OPENS, tzinfo=zone)
    closes = dt.datetime.combine(day, CLOSES, tzinfo=zone)
    lunch = dt.datetime.combine(day, LUNCH, tzinfo=zone)
    patients = rng.sample(patient_ids, k=min(len(patient_ids), 20))
    made: list[Appointment] = []
    for patient_id in patients:
        kind = appointment_type_get(_weighted(rng, TYPE_WEIGHTS))
        if moment >= lunch and not any(a.starts_at >= lunch for a in made):
            moment += dt.timedelta(minutes=LUNCH_MINUTES)
        if moment + kind.duration > closes:
            break
        made.append(_appointment(book, patient_id, kind.id, moment, kind.duration, rng, now))
        moment += kind.duration + dt.timedelta(minutes=rng.choice(GAPS))
    return made


def _appointment(
    book: DemoBook,
    patient_id: int,
    type_id: str,
    starts_at: dt.datetime,
    duration: dt.timedelta,
    rng: random.Random,
    now: dt.datetime,
) -> Appointment:
    ends_at = starts_at + duration
    return Appointment(
        clinic=book.clinic,
        patient_id=patient_id,
        clinician=book.clinician,
        booked_by=book.booked_by,
        appointment_type=type_id,
        starts_at=starts_at.astimezone(dt.UTC),
        ends_at=ends_at.astimezone(dt.UTC),
        status=_status(starts_at, ends_at, rng, now),
    )


def _status(
    starts_at: dt.datetime, ends_at: dt.datetime, rng: random.Random, now: dt.datetime
) -> str:
    if ends_at <= now:
        return _weighted(rng, PAST_OUTCOMES)
    if starts_at <= now:
        return AppointmentStatus.ARRIVED
    if rng.randrange(100) < FUTURE_CANCELLED_PERCENT:
        return AppointmentStatus.CANCELLED
    return AppointmentStatus.BOOKED


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]
