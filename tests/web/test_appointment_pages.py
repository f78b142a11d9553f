"""The appointment book from the front desk's and the clinician's side: book, see the day and
the week, move, mark arrived, and start the session note from the appointment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from needlerx.accounts.local import clinic_today
from needlerx.audit.models import AuditEvent
from needlerx.scheduling.models import Appointment
from needlerx.scheduling.times import date_words
from tests.personas import World
from tests.scheduling.helpers import book, in_denver, slot
from tests.web.page_elements import parse_page


@pytest.fixture
def denver(world: World) -> World:
    in_denver(world)
    return world


def _booking(
    world: World, patient_id: str, day: dt.date, time: str, **extra: str
) -> dict[str, str]:
    return {
        "patient": patient_id,
        "clinician": str(world.alice.public_id),
        "appointment_type": "follow_up",
        "date": day.strftime("%m/%d/%Y"),
        "time": time,
        "reason": "",
        **extra,
    }


def test_front_desk_finds_the_patient_and_books(client: Client, denver: World) -> None:
    patient = denver.patient(given_name="Rosa", family_name="Alvarez")
    client.force_login(denver.frank)
    found = client.get(reverse("appointments:new") + "?q=alva")
    assert "Rosa Alvarez" in parse_page(found.content).by_id("book-form").text
    tomorrow = clinic_today(denver.clinic_a) + dt.timedelta(days=1)
    response = client.post(
        reverse("appointments:new") + "?q=alva",
        _booking(denver, str(patient.public_id), tomorrow, "2:00 PM"),
    )
    assert response.status_code == 302, response.content
    appointment = Appointment.objects.get()
    assert appointment.starts_at == slot(denver.clinic_a, 14)  # 2:00 PM in Denver
    day = client.get(response["Location"])
    table = parse_page(day.content).by_id("appointments-day").text
    assert "2:00\N{EN DASH}2:30 PM" in table
    assert "Rosa Alvarez" in table


def test_an_overlapping_booking_is_refused_on_the_time_field(client: Client, denver: World) -> None:
    first, second = denver.patient(mrn="A-1"), denver.patient(mrn="A-2", given_name="Sam")
    book(denver, first, slot(denver.clinic_a, 14))
    client.force_login(denver.frank)
    tomorrow = clinic_today(denver.clinic_a) + dt.timedelta(days=1)
    response = client.post(
        reverse("appointments:new"), _booking(denver, str(second.public_id), tomorrow, "14:15")
    )
    assert response.status_code == 200
    error = parse_page(response.content).by_id("id_time_error").text
    assert "already has an appointment 2:00\N{EN DASH}2:30 PM" in error
    assert Appointment.objects.count() == 1


def test_the_day_page_records_one_listing_naming_the_patients(
    client: Client, denver: World
) -> None:
    patient = denver.patient()
    book(denver, patient, slot(denver.clinic_a, 9))
    client.force_login(denver.frank)
    since = AuditEvent.objects.order_by("-sequence").first().sequence  # type: ignore[union-attr]
    tomorrow = clinic_today(denver.clinic_a) + dt.timedelta(days=1)
    assert client.get(reverse("appointments:day") + f"?date={tomorrow}").status_code == 200
    [event] = AuditEvent.objects.filter(sequence__gt=since)
    assert event.action == "patient_list.view"
    assert event.detail["patients"] == [str(patient.public_id)]


def test_a_clinician_sees_their_own_day_and_can_ask_for_everyones(
    client: Client, denver: World
) -> None:
    mine, theirs = (
        denver.patient(mrn="A-1", given_name="Mine"),
        denver.patient(mrn="A-2", given_name="Theirs"),
    )
    book(denver, mine, slot(denver.clinic_a, 9))
    book(denver, theirs, slot(denver.clinic_a, 9), clinician=denver.nora)
    client.force_login(denver.alice)
    tomorrow = clinic_today(denver.clinic_a) + dt.timedelta(days=1)
    own = parse_page(client.get(reverse("appointments:day") + f"?date={tomorrow}").content)
    assert "Mine" in own.by_id("appointments-day").text
    assert "Theirs" not in own.by_id("appointments-day").text
    url = reverse("appointments:day") + f"?date={tomorrow}&clinician=all"
    everyone = parse_page(client.get(url).content).by_id("appointments-day").text
    assert "Mine" in everyone and "Theirs" in everyone


def test_the_week_shows_each_appointment_on_its_day(client: Client, denver: World) -> None:
    patient = denver.patient(given_name="Weekly")
    appointment = book(denver, patient, slot(denver.clinic_a, 16, days_ahead=2))
    client.force_login(denver.frank)
    day = clinic_today(denver.clinic_a) + dt.timedelta(days=2)
    page = parse_page(client.get(reverse("appointments:week") + f"?date={day}").content)
    week = page.by_id("appointments-week")
    [section] = [s for s in week.find_all("section") if f"{day.month}/{day.day}" in s.text]
    assert "4:00\N{EN DASH}4:30 PM Weekly" in section.text
    assert appointment.patient.full_name in section.text
    # The week asked for by any of its days runs Monday to Sunday.
    monday = day - dt.timedelta(days=day.weekday())
    assert f"Week of {date_words(monday)}" in page.text
    days = [heading.text for heading in week.find_all("h2")]
    assert len(days) == 7 and days[0] == f"Mon {monday.month}/{monday.day}"
    assert days[-1].startswith("Sun")


def test_front_desk_moves_and_marks_arrived(client: Client, denver: World) -> None:
    appointment = book(denver, denver.patient(), slot(denver.clinic_a, 9, days_ahead=0))
    client.force_login(denver.frank)
    url = reverse("appointments:detail", args=[appointment.public_id])
    today = clinic_today(denver.clinic_a)
    moved = client.post(
        url,
        {
            "action": "reschedule",
            "clinician": str(denver.nora.public_id),
            "appointment_type": "re_evaluation",
            "date": today.isoformat(),
            "time": "10:30",
        },
    )
    assert moved.status_code == 302, moved.content
    stored = Appointment.objects.get(pk=appointment.pk)
    assert (stored.starts_at, stored.clinician) == (
        slot(denver.clinic_a, 10, 30, days_ahead=0),
        denver.nora,
    )
    assert stored.ends_at - stored.starts_at == dt.timedelta(minutes=45)
    arrived = client.post(url, {"action": "status", "status": "arrived", "next": "/appointments/"})
    assert arrived["Location"] == "/appointments/"
    assert Appointment.objects.get(pk=appointment.pk).status == "arrived"
    # A completed visit cannot be cancelled: the refusal says what it can become.
    client.post(url, {"action": "status", "status": "completed"})
    refused = client.post(url, {"action": "status", "status": "cancelled"}, follow=True)
    assert "can become arrived" in refused.content.decode()
    assert Appointment.objects.get(pk=appointment.pk).status == "completed"


def test_front_desk_cannot_start_a_note(client: Client, denver: World) -> None:
    patient = denver.patient()
    denver.episode(patient)
    appointment = book(denver, patient, slot(denver.clinic_a, 9, days_ahead=0))
    client.force_login(denver.frank)
    url = reverse("appointments:detail", args=[appointment.public_id])
    page = parse_page(client.get(url).content)
    assert not page.find_all("button", id="start-note")
    client.post(url, {"action": "start_note"})
    assert Appointment.objects.get(pk=appointment.pk).session is None


def test_the_clinician_sees_today_on_home_and_starts_the_note(
    client: Client, denver: World
) -> None:
    patient = denver.patient(given_name="Nell")
    denver.episode(patient)
    appointment = book(denver, patient, slot(denver.clinic_a, 0, 30, days_ahead=0))
    client.force_login(denver.alice)
    home = parse_page(client.get(reverse("home")).content)
    today_list = home.by_id("todays-appointments")
    assert "12:30\N{EN DASH}1:00 AM Nell Example" in today_list.text
    url = reverse("appointments:detail", args=[appointment.public_id])
    started = client.post(url, {"action": "start_note"})
    assert started.status_code == 302
    linked = Appointment.objects.get(pk=appointment.pk)
    assert linked.session is not None and linked.status == "arrived"
    assert started["Location"] == reverse(
        "clinic:session", args=[patient.public_id, linked.session.public_id]
    )
    again = client.post(url, {"action": "start_note"})  # opens the same note, no second one
    assert again["Location"] == started["Location"]
    assert parse_page(client.get(url).content).by_id("open-note")


def test_another_clinic_cannot_see_the_appointment(client: Client, denver: World) -> None:
    appointment = book(denver, denver.patient(), slot(denver.clinic_a, 9))
    client.force_login(denver.bob)
    url = reverse("appointments:detail", args=[appointment.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "status", "status": "cancelled"}).status_code == 404
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"
