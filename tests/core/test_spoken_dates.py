"""Patients read dates with the weekday and the month in words, in their clinic's zone."""

from __future__ import annotations

import datetime as dt

from needlerx.core.local import LocalConventions, format_spoken_datetime

MOMENT = dt.datetime(2026, 12, 2, 23, 0, tzinfo=dt.UTC)


def test_a_us_clinic_says_weekday_month_day_and_a_twelve_hour_clock() -> None:
    denver = LocalConventions(time_zone="America/Denver", date_style="month_first")
    assert format_spoken_datetime(MOMENT, denver) == "Wednesday, December 2, 2026 at 4:00 PM MST"


def test_an_iso_clinic_says_day_month_year_and_a_24_hour_clock() -> None:
    utc = LocalConventions(time_zone="UTC", date_style="iso")
    assert format_spoken_datetime(MOMENT, utc) == "Wednesday 2 December 2026 at 23:00 UTC"


def test_the_day_is_the_clinics_not_utcs() -> None:
    early = dt.datetime(2026, 12, 3, 3, 30, tzinfo=dt.UTC)  # still Wednesday evening in Denver
    denver = LocalConventions(time_zone="America/Denver", date_style="month_first")
    assert format_spoken_datetime(early, denver).startswith("Wednesday, December 2, 2026 at 8:30")
