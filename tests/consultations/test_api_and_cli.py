"""The consultation-request queue through the API and the CLI: the same selectors and services,
the same refusals, another clinic's request answers like a missing one."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client

from needlerx.audit.models import AuditEvent
from tests.consultations.test_queue import signed_in, submit
from tests.doors import api_refusal, assert_same_refusal, cli_refusal, run_cli

pytestmark = pytest.mark.django_db


def test_the_api_lists_gets_and_sets_the_status(world):
    request = submit(world.clinic_a, share={"fever": True})
    submit(world.clinic_b, email="b@example.com")
    client = signed_in(world.frank)
    page = client.get("/api/v1/consultation-requests").json()
    assert page["count"] == 1
    [item] = page["results"]
    assert item["id"] == str(request.public_id)
    assert item["answers_shared"] is True
    assert "self_check_answers" not in item and "fever" not in json.dumps(item)
    assert client.get(f"/api/v1/consultation-requests/{request.public_id}").status_code == 200
    changed = client.post(
        f"/api/v1/consultation-requests/{request.public_id}/status",
        {"status": "declined"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["status"] == "declined"
    assert AuditEvent.objects.filter(action="consultation_request.status").count() == 1


def test_the_api_answers_another_clinics_request_like_a_missing_one(world):
    request = submit(world.clinic_a)
    client = signed_in(world.bob)
    theirs = client.get(f"/api/v1/consultation-requests/{request.public_id}")
    missing = client.get(f"/api/v1/consultation-requests/{uuid.uuid4()}")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert client.get("/api/v1/consultation-requests").json()["count"] == 0
    assert Client().get("/api/v1/consultation-requests").status_code == 401


def test_a_bad_status_is_refused_the_same_by_api_and_cli(world, monkeypatch, capsys):
    request = submit(world.clinic_a)
    api = api_refusal(
        signed_in(world.frank),
        "POST",
        f"/api/v1/consultation-requests/{request.public_id}/status",
        {"status": "lost"},
    )
    cli = cli_refusal(
        monkeypatch,
        capsys,
        "consultations",
        "status",
        "--user",
        "frank",
        "--request",
        str(request.public_id),
        "--status",
        "lost",
    )
    assert_same_refusal(api, cli, "status")


def test_the_cli_lists_and_sets_the_status(world, monkeypatch, capsys):
    request = submit(world.clinic_a)
    status, out, _ = run_cli(monkeypatch, capsys, "consultations", "list", "--user", "frank")
    assert status == 0
    assert json.loads(out.strip())["id"] == str(request.public_id)
    status, out, _ = run_cli(
        monkeypatch,
        capsys,
        "consultations",
        "status",
        "--user",
        "frank",
        "--request",
        str(request.public_id),
        "--status",
        "contacted",
    )
    assert status == 0 and json.loads(out)["status"] == "contacted"
    event = AuditEvent.objects.get(action="consultation_request.status")
    assert event.command.startswith("needlerx")
