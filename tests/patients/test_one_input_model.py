"""One input model for registering a patient: the API and ``needlerx patient register`` refuse
the same bad value naming the same field with the same message, and nothing is saved."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from needlerx.audit.models import AuditEvent
from needlerx.patients.models import Patient
from tests.doors import api_refusal, assert_same_refusal, cli_refusal, json_file, run_cli


def registration(world, **changes: Any) -> dict[str, Any]:
    return {
        "clinic_id": str(world.clinic_a.public_id),
        "medical_record_number": "MRN-DOORS",
        "given_name": "Pat",
        "family_name": "Doors",
        "date_of_birth": "1980-01-01",
        "sex": "female",
        **changes,
    }


TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sex": "robot"}, "sex"),
        ({"date_of_birth": "1980-13-45"}, "date_of_birth"),
        ({"height_cm": "tall"}, "height_cm"),
        ({"given_name": 12345}, "given_name"),
        ({"clinic_id": "clinic-a"}, "clinic_id"),
        ({"nickname": "Patty"}, "nickname"),
        ({"date_of_birth": TOMORROW}, "date_of_birth"),  # the service's check
        ({"weight_kg": 10_000}, "weight_kg"),  # the service's check
        ({"medical_record_number": "M" * 33}, "medical_record_number"),  # the record's length
    ],
)
def test_a_bad_registration_is_refused_alike_by_api_and_cli(
    client, world, monkeypatch, capsys, tmp_path, changes: dict[str, Any], field: str
):
    body = registration(world, **changes)
    client.force_login(world.frank)
    api = api_refusal(client, "POST", "/api/v1/patients/", body)
    err = cli_refusal(
        monkeypatch,
        capsys,
        "patient",
        "register",
        "--user",
        "frank",
        "--input",
        json_file(tmp_path, body),
    )
    assert_same_refusal(api, err, field)
    assert not Patient.objects.exists()
    assert not AuditEvent.objects.filter(action="patient.register").exists()


def test_the_cli_registers_with_the_apis_json(world, monkeypatch, capsys):
    body = registration(world, height_cm="172.5")
    status, out, err = run_cli(
        monkeypatch,
        capsys,
        "patient",
        "register",
        "--user",
        "frank",
        "--input",
        "-",
        stdin=json.dumps(body),
    )
    assert status == 0, err
    shown = json.loads(out)
    stored = Patient.objects.get(public_id=shown["id"])
    assert (stored.family_name, stored.sex, str(stored.height_cm)) == ("Doors", "female", "172.5")
    assert shown["clinic_id"] == str(world.clinic_a.public_id)
    event = AuditEvent.objects.get(action="patient.register")
    assert event.actor_username == "frank"


def test_the_cli_refuses_a_user_without_the_permission(world, monkeypatch, capsys):
    body = registration(world)
    err = cli_refusal(
        monkeypatch,
        capsys,
        "patient",
        "register",
        "--user",
        "bob",
        "--input",
        "-",
        stdin=json.dumps(body),
    )
    assert "permission" in err
    assert not Patient.objects.exists()
