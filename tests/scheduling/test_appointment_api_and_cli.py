"""The appointment API and ``needlerx appointments``: one input model, one refusal, true totals,
and reminders by email with an iCalendar attachment, sent once."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from icalendar import Calendar

from needlerx.accounts.local import clinic_today
from needlerx.patients.models import Patient
from needlerx.scheduling.models import Appointment
from tests.doors import api_refusal, assert_same_refusal, cli_refusal, json_file, run_cli
from tests.personas import World
from tests.scheduling.helpers import book, in_denver, slot


@pytest.fixture
def denver(world: World) -> World:
    in_denver(world)
    return world


def _body(world: World, patient: Patient, starts_at: dt.datetime) -> dict[str, str]:
    return {
        "patient_id": str(patient.public_id),
        "clinician_id": str(world.alice.public_id),
        "appointment_type": "re_evaluation",
        "starts_at": starts_at.isoformat(),
    }


def test_the_api_books_lists_with_a_true_total_and_sets_the_status(
    client: Client, denver: World
) -> None:
    patient = denver.patient()
    client.force_login(denver.frank)
    created = client.post(
        "/api/v1/appointments",
        json.dumps(_body(denver, patient, slot(denver.clinic_a, 9))),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    answer = created.json()
    assert answer["appointment_type_label"] == "Re-evaluation"
    assert dt.datetime.fromisoformat(answer["ends_at"]) - dt.datetime.fromisoformat(
        answer["starts_at"]
    ) == dt.timedelta(minutes=45)
    for hour in (11, 12, 13):
        book(denver, patient, slot(denver.clinic_a, hour))
    tomorrow = clinic_today(denver.clinic_a) + dt.timedelta(days=1)
    listed = client.get(f"/api/v1/appointments?start_date={tomorrow}&page=2&page_size=3").json()
    assert listed["count"] == 4
    assert [r["starts_at"][11:16] for r in listed["results"]] == [
        slot(denver.clinic_a, 13).astimezone(dt.UTC).isoformat()[11:16]
    ]
    changed = client.post(
        f"/api/v1/appointments/{answer['id']}/status",
        json.dumps({"status": "cancelled", "reason": "Called in sick"}),
        content_type="application/json",
    )
    assert changed.json()["status"] == "cancelled"


def test_the_api_and_the_cli_refuse_an_overlap_the_same_way(
    client: Client,
    denver: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, second = denver.patient(mrn="A-1"), denver.patient(mrn="A-2")
    book(denver, first, slot(denver.clinic_a, 9))
    body = _body(denver, second, slot(denver.clinic_a, 9, 15))
    client.force_login(denver.frank)
    api = api_refusal(client, "POST", "/api/v1/appointments", body)
    cli = cli_refusal(
        monkeypatch,
        capsys,
        "appointments",
        "book",
        "--user",
        "frank",
        "--input",
        json_file(tmp_path, body),
    )
    assert_same_refusal(api, cli, "starts_at")
    assert "already has an appointment" in api[1]


def test_the_api_and_the_cli_refuse_an_unknown_type_the_same_way(
    client: Client,
    denver: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    body = {**_body(denver, denver.patient(), slot(denver.clinic_a, 9)), "appointment_type": "spa"}
    client.force_login(denver.frank)
    api = api_refusal(client, "POST", "/api/v1/appointments", body)
    cli = cli_refusal(
        monkeypatch,
        capsys,
        "appointments",
        "book",
        "--user",
        "frank",
        "--input",
        json_file(tmp_path, body),
    )
    assert_same_refusal(api, cli, "appointment_type")
    assert "follow_up" in api[1]
    assert not Appointment.objects.exists()


def test_the_cli_books_lists_and_sets_the_status(
    denver: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    patient = denver.patient()
    body = _body(denver, patient, slot(denver.clinic_a, 9))
    status, out, _ = run_cli(
        monkeypatch,
        capsys,
        "appointments",
        "book",
        "--user",
        "frank",
        "--input",
        json_file(tmp_path, body),
    )
    assert status == 0
    booked = json.loads(out)
    tomorrow = clinic_today(denver.clinic_a) + dt.timedelta(days=1)
    status, out, _ = run_cli(
        monkeypatch, capsys, "appointments", "list", "--user", "alice", "--date", str(tomorrow)
    )
    assert [json.loads(line)["id"] for line in out.splitlines()] == [booked["id"]]
    status, out, err = run_cli(
        monkeypatch,
        capsys,
        "appointments",
        "status",
        "--user",
        "frank",
        "--appointment",
        booked["id"],
        "--status",
        "no_show",
    )
    assert (status, json.loads(out)["status"]) == (0, "no_show"), err
    err = cli_refusal(
        monkeypatch,
        capsys,
        "appointments",
        "status",
        "--user",
        "frank",
        "--appointment",
        booked["id"],
        "--status",
        "arrived",
    )
    assert "status: a no-show appointment can become booked" in err


def test_reminders_send_one_email_with_a_calendar_file_once(
    denver: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with_email = denver.patient(mrn="A-1", email="rosa@example.com", given_name="Rosa")
    without_email = denver.patient(mrn="A-2")
    appointment = book(denver, with_email, slot(denver.clinic_a, 14))
    book(denver, without_email, slot(denver.clinic_a, 15))
    cancelled = book(denver, with_email, slot(denver.clinic_a, 16))
    from needlerx.scheduling.services import appointment_cancel

    appointment_cancel(actor=denver.frank, appointment=cancelled)
    tomorrow = clinic_today(denver.clinic_a) + dt.timedelta(days=1)
    status, _, err = run_cli(
        monkeypatch, capsys, "appointments", "send-reminders", "--for-date", str(tomorrow)
    )
    assert status == 0 and "1 reminder(s) sent" in err
    [message] = mail.outbox
    assert message.to == ["rosa@example.com"]
    assert "2:00\N{EN DASH}2:30 PM" in message.body
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("appointment.ics", "text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart") == appointment.starts_at
    assert event.decoded("dtend") == appointment.ends_at
    run_cli(monkeypatch, capsys, "appointments", "send-reminders", "--for-date", str(tomorrow))
    assert len(mail.outbox) == 1  # recorded: not sent twice
    assert Appointment.objects.get(pk=appointment.pk).reminder_sent_at is not None
