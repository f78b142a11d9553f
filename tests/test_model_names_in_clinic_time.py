"""A record's name (its ``str``, in logs and the shell) gives its time in the clinic's zone, as
every page does, never in UTC: 03:00 UTC on 1 December is still 30 November in Denver."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from needlerx.consultations.models import RequestTally
from needlerx.instruments.models import InstrumentResponse
from needlerx.scheduling.models import Appointment
from needlerx.screening.models import ScreeningRun

EARLY_UTC = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)


def test_records_name_their_time_in_the_clinics_zone() -> None:
    with timezone.override("America/Denver"):
        appointment = Appointment(appointment_type="follow_up", starts_at=EARLY_UTC)
        screen = ScreeningRun(decision="proceed", run_at=EARLY_UTC)
        measure = InstrumentResponse(instrument="nprs", score=4, unit="points", taken_at=EARLY_UTC)
        tally = RequestTally(count=2, address_key="0" * 64, window_starts_at=EARLY_UTC)
        assert str(appointment).endswith("2026-11-30 20:00")
        assert str(screen) == "Screen proceed on 2026-11-30 20:00"
        assert str(measure).endswith("on 2026-11-30")
        assert str(tally).endswith("since 20:00")
