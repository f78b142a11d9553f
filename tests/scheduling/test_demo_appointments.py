"""The demo's book: appointments today and this week in each clinic, in working hours (clinic
time), none overlapping, what is over done and what is to come booked; loaded once."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from django.utils import timezone

from needlerx.accounts.local import clinic_today
from needlerx.demo import generator
from needlerx.scheduling.models import Appointment
from needlerx.scheduling.times import local


def test_each_demo_clinic_has_a_working_day_today_and_a_week(db):
    staff = generator.create_demo_network()
    generator.load_patients(staff, 120, seed=7)
    now = timezone.now()
    for row in staff:
        clinic = row.clinic
        today = clinic_today(clinic)
        booked = list(Appointment.objects.filter(clinic=clinic).order_by("starts_at"))
        days = {local(a.starts_at, clinic).date() for a in booked}
        assert today in days
        assert len(days) >= 2 or today.weekday() == 0
        for appointment in booked:
            start, end = local(appointment.starts_at, clinic), local(appointment.ends_at, clinic)
            assert dt.time(8) <= start.time() and end.time() <= dt.time(17), appointment
            assert appointment.clinician == row.clinician
            if appointment.ends_at <= now:
                assert appointment.status in ("completed", "no_show", "cancelled")
            elif appointment.starts_at > now:
                assert appointment.status in ("booked", "cancelled")
        live = [a for a in booked if a.status not in ("cancelled", "no_show")]
        assert all(a.ends_at <= b.starts_at for a, b in pairwise(live))
        todays = [a for a in booked if local(a.starts_at, clinic).date() == today]
        assert len(todays) >= 6
    count = Appointment.objects.count()
    generator.load_patients(staff, 4, seed=8)  # adding patients does not book the week twice
    assert Appointment.objects.count() == count
