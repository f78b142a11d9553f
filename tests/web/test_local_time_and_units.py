"""Every time and "today" a person sees is the clinic's; dates are typed the clinic's way;
height and weight in inches and pounds where the clinic reads them so (stored metric)."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.accounts.models import Clinic
from needlerx.patients.models import Patient
from needlerx.patients.services import history_facts_record
from needlerx.treatments.models import TreatmentSession
from tests.personas import World
from tests.treatments.helpers import move_start

UTC = dt.UTC


def _clinic_conventions(clinic: Clinic, **conventions: str) -> None:
    """The clinic's conventions, in the database and on ``clinic`` itself: the records a test
    then makes for it (an episode opened "today") follow them, as a request's would."""
    Clinic.objects.filter(pk=clinic.pk).update(**conventions)
    for name, value in conventions.items():
        setattr(clinic, name, value)


def _denver(clinic: Clinic, date_style: str = "month_first", units: str = "us_customary") -> None:
    _clinic_conventions(
        clinic, time_zone="America/Denver", date_style=date_style, measurement_units=units
    )


def _text(response: Any) -> str:
    return str(html.unescape(response.content.decode()))


def _session_at(client: Client, world: World, moment: dt.datetime) -> TreatmentSession:
    patient = world.patient()
    episode = world.episode(patient)
    client.force_login(world.alice)
    response = client.post(
        reverse("clinic:session_new", args=[patient.public_id, episode.public_id])
    )
    assert response.status_code == 302
    session = TreatmentSession.objects.get()
    move_start(session, moment)
    return session


@pytest.mark.parametrize(
    ("date_style", "shown"),
    [("month_first", "Mar 31, 2026, 5:30 PM MDT"), ("iso", "2026-03-31 17:30 MDT")],
)
def test_a_session_at_2330_utc_shows_the_denver_time_with_its_zone(
    client: Client, world: World, date_style: str, shown: str
) -> None:
    _denver(world.clinic_a, date_style=date_style)
    session = _session_at(client, world, dt.datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    page = client.get(
        reverse("clinic:session", args=[session.patient.public_id, session.public_id])
    )
    assert page.status_code == 200
    text = _text(page)
    assert shown in text
    assert "23:30" not in text


def test_a_clinic_in_utc_still_shows_utc(client: Client, world: World) -> None:
    session = _session_at(client, world, dt.datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    page = client.get(
        reverse("clinic:session", args=[session.patient.public_id, session.public_id])
    )
    assert "2026-03-31 23:30 UTC" in _text(page)


def test_today_on_the_home_page_at_0300_utc_is_still_yesterday_in_denver(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _denver(world.clinic_a)
    # 14:00 in Denver on March 31; at 03:00 UTC on April 1 it is 21:00 on March 31 there.
    _session_at(client, world, dt.datetime(2026, 3, 31, 20, 0, tzinfo=UTC))
    evening = dt.datetime(2026, 4, 1, 3, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: evening)
    client.force_login(world.alice)
    text = _text(client.get(reverse("home")))
    assert "Tuesday, March 31, 2026" in text
    assert '<span class="count">1</span><span class="what">sessions today</span>' in text
    assert "started Mar 31, 2026, 2:00 PM MDT" in text


def test_the_same_moment_in_a_utc_clinic_is_already_the_next_day(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _session_at(client, world, dt.datetime(2026, 3, 31, 20, 0, tzinfo=UTC))
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 4, 1, 3, 0, tzinfo=UTC))
    client.force_login(world.alice)
    text = _text(client.get(reverse("home")))
    assert "Wednesday, April 1, 2026" in text
    assert '<span class="count">0</span><span class="what">sessions today</span>' in text


def _register(client: Client, world: World, **fields: str) -> Any:
    client.force_login(world.alice)
    data = {
        "clinic": world.clinic_a.pk,
        "medical_record_number": "LT-1",
        "given_name": "Lee",
        "family_name": "Tanaka",
        "sex": "female",
        **fields,
    }
    return client.post(reverse("patients:new"), data)


@pytest.mark.parametrize("typed", ["03/31/1980", "3/31/1980", "1980-03-31"])
def test_a_month_first_clinic_takes_its_own_date_style_and_iso(
    client: Client, world: World, typed: str
) -> None:
    _denver(world.clinic_a, units="metric")
    response = _register(client, world, date_of_birth=typed)
    assert response.status_code == 302
    assert Patient.objects.get(medical_record_number="LT-1").date_of_birth == dt.date(1980, 3, 31)


def test_an_iso_clinic_takes_iso(client: Client, world: World) -> None:
    response = _register(client, world, date_of_birth="1980-03-31")
    assert response.status_code == 302
    assert Patient.objects.get(medical_record_number="LT-1").date_of_birth == dt.date(1980, 3, 31)


@pytest.mark.parametrize(
    ("date_style", "typed", "formats"),
    [
        ("month_first", "31/03/1980", "MM/DD/YYYY or YYYY-MM-DD"),
        ("month_first", "02/30/1980", "MM/DD/YYYY or YYYY-MM-DD"),
        ("iso", "03/31/1980", "YYYY-MM-DD"),
    ],
)
def test_a_date_neither_style_reads_names_the_field_and_the_formats(
    client: Client, world: World, date_style: str, typed: str, formats: str
) -> None:
    _denver(world.clinic_a, date_style=date_style)
    response = _register(client, world, date_of_birth=typed)
    assert response.status_code == 200
    errors = response.context["form"]["date_of_birth"].errors
    assert errors == [f"Date of birth: enter a valid date as {formats} (got {typed!r})"]
    assert not Patient.objects.exists()


def test_a_month_first_clinic_is_shown_dates_back_in_its_style(
    client: Client, world: World
) -> None:
    _denver(world.clinic_a)
    patient = world.patient()
    facts = {"inr": 2.4, "inr_date": "2026-03-05"}
    history_facts_record(actor=world.alice, patient=patient, facts=facts)
    client.force_login(world.alice)
    text = _text(client.get(reverse("patients:evaluation", args=[patient.public_id])))
    assert 'name="inr_date" value="03/05/2026"' in text
    assert 'placeholder="MM/DD/YYYY"' in text
    detail = _text(client.get(reverse("patients:detail", args=[patient.public_id])))
    assert "born May 17, 1980" in detail


def test_an_iso_clinic_keeps_the_browser_date_picker(client: Client, world: World) -> None:
    client.force_login(world.alice)
    text = _text(client.get(reverse("patients:new")))
    assert 'type="date" name="date_of_birth"' in text


def test_height_and_weight_in_inches_and_pounds_are_stored_metric_and_shown_back(
    client: Client, world: World
) -> None:
    _denver(world.clinic_a)
    response = _register(client, world, date_of_birth="03/31/1980", height_in="68", weight_lb="165")
    assert response.status_code == 302
    patient = Patient.objects.get(medical_record_number="LT-1")
    assert patient.height_cm == Decimal("172.7")  # 68 x 2.54 = 172.72, stored to 0.1 cm
    assert patient.weight_kg == Decimal("74.8")  # 165 x 0.45359237 = 74.84, stored to 0.1 kg
    detail = _text(client.get(reverse("patients:detail", args=[patient.public_id])))
    assert "5 ft 8 in" in detail
    assert "165 lb" in detail


def test_a_metric_clinic_enters_and_reads_cm_and_kg(client: Client, world: World) -> None:
    response = _register(
        client, world, date_of_birth="1980-03-31", height_cm="172.7", weight_kg="74.8"
    )
    assert response.status_code == 302
    patient = Patient.objects.get(medical_record_number="LT-1")
    detail = _text(client.get(reverse("patients:detail", args=[patient.public_id])))
    assert "172.7 cm" in detail
    assert "74.8 kg" in detail


def test_a_height_out_of_range_is_refused_in_inches(client: Client, world: World) -> None:
    _denver(world.clinic_a)
    response = _register(client, world, date_of_birth="03/31/1980", height_in="10")
    assert response.status_code == 200
    errors = response.context["form"]["height_in"].errors
    assert errors == ["must be from 19.7 to 98.43 inches"]
    assert not Patient.objects.exists()
