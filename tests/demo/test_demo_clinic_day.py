"""The demo's dates are each clinic's: an evening load in the Americas, when UTC's date is already
the clinic's tomorrow, makes the same patients as a morning load of the same clinic day."""

from __future__ import annotations

import datetime as dt

import pytest

from needlerx.accounts.models import Clinic
from needlerx.demo import generator
from needlerx.demo.clinic_context import clinic_day

MORNING = dt.datetime(2026, 6, 1, 16, 0, tzinfo=dt.UTC)  # 10 AM in Denver, 9 AM in Sacramento
EVENING = dt.datetime(2026, 6, 2, 2, 0, tzinfo=dt.UTC)  # 8 PM in Denver, 7 PM in Sacramento


def _dates(now: dt.datetime) -> list[tuple[str, dt.date, dt.date, dt.date]]:
    staff = generator.demo_staff()
    return [
        (row.demo.slug, b.patient.date_of_birth, b.episode.onset_date, b.episode.opened_on)
        for row, b in generator.generate_bundles(staff, 12, 5, now)
    ]


@pytest.mark.django_db
def test_an_evening_load_dates_patients_by_the_clinic_day_not_utcs() -> None:
    staff = generator.create_demo_network()
    assert {clinic_day(row.clinic, EVENING) for row in staff} == {dt.date(2026, 6, 1)}
    evening = _dates(EVENING)
    assert evening == _dates(MORNING)
    assert max(opened for *_, opened in evening) < dt.date(2026, 6, 2)


def test_the_clinic_day_is_the_date_where_the_clinic_is() -> None:
    sydney = Clinic(time_zone="Australia/Sydney")
    assert clinic_day(sydney, EVENING) == dt.date(2026, 6, 2)  # noon in Sydney
    assert clinic_day(sydney, MORNING) == dt.date(2026, 6, 2)  # 2 AM in Sydney
