"""Appointment times as the clinic reads them: its own time zone, 12-hour US clock."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from needlerx.accounts.models import Clinic
from needlerx.core.local import zone_named

EN_DASH = "\N{EN DASH}"


def clinic_zone(clinic: Clinic) -> dt.tzinfo:
    """The clinic's zone (``Clinic.time_zone``; UTC for a name this machine does not know)."""
    return zone_named(clinic.time_zone)


def local(moment: dt.datetime, clinic: Clinic) -> dt.datetime:
    return timezone.localtime(moment, clinic_zone(clinic))


def clock(moment: dt.datetime, *, with_period: bool = True) -> str:
    """``2:00 PM`` (or ``2:00`` without the period)."""
    text = f"{moment.hour % 12 or 12}:{moment:%M}"
    return f"{text} {moment:%p}" if with_period else text


def time_range_words(starts_at: dt.datetime, ends_at: dt.datetime, clinic: Clinic) -> str:
    """``2:00-2:30 PM``, or ``11:30 AM-12:15 PM`` across noon (with an en dash), in the
    clinic's time."""
    start, end = local(starts_at, clinic), local(ends_at, clinic)
    same_period = f"{start:%p}" == f"{end:%p}" and start.date() == end.date()
    return f"{clock(start, with_period=not same_period)}{EN_DASH}{clock(end)}"


def date_words(day: dt.date) -> str:
    """``Monday, November 30, 2026``."""
    return f"{day:%A, %B} {day.day}, {day.year}"
