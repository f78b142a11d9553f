"""Input no person types: each is a 400 naming the field (never a 500), and the CLI exits 2.

The six causes of the review's 24 server errors (finding M3): naive date-times, integers too
large for any column, malformed UUIDs, lone UTF-16 surrogates, NUL characters (stored text on
SQLite and PostgreSQL alike, addenda on signed notes included) and a multipart request without a
boundary. Each runs on SQLite and on PostgreSQL (tests/postgres_server.py).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from needlerx.treatments.models import Addendum, TreatmentSession
from tests.security.api_routes import api_routes
from tests.security.conftest import Victim

HUGE = int("9" * 400)
NAIVE = "2026-11-30T00:30:00"
# A lone high surrogate, as a client's JSON escape sends it (json.dumps keeps it as \ud800).
SURROGATE = "a\ud800b"
# Aware moments that cannot be turned into UTC or the clinic's time (year 0 or 10000).
CALENDAR_EDGES = ("0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00")


def _session(victim: Victim) -> TreatmentSession:
    return TreatmentSession.objects.filter(patient=victim.patient).latest("started_at")


def _post(client: Client, path: str, body: object, method: str = "post") -> Any:
    send = getattr(client, method)
    return send(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def _assert_refused(response, field: str) -> None:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    error = response.json()["error"]
    assert error["field"] == field, error


@pytest.fixture
def alice(client: Client, victim: Victim) -> Client:
    client.force_login(victim.world.alice)
    return client


# --- a. naive date-times --------------------------------------------------------------------


def test_a_naive_date_time_in_an_api_body_is_a_400_naming_the_field(alice, victim):
    session = _session(victim)
    episode = session.episode
    cases = [
        (f"/episodes/{episode.public_id}/sessions", {"started_at": NAIVE}, "started_at"),
        (
            f"/sessions/{session.public_id}/adverse-events",
            {
                "event_type": "bruising",
                "severity": "mild",
                "onset_at": NAIVE,
                "action_taken": "Ice.",
            },
            "onset_at",
        ),
        (
            f"/episodes/{episode.public_id}/consents",
            {
                "template_id": "dry_needling_general",
                "signer_name": "Pat",
                "signature_kind": "typed",
                "signature_data": "Pat",
                "signed_at": NAIVE,
            },
            "signed_at",
        ),
    ]
    for path, body, field in cases:
        response = _post(alice, path, body)
        _assert_refused(response, field)
        assert "time zone" in response.json()["error"]["message"]


# --- b. integers too large for the database --------------------------------------------------


def test_an_integer_too_large_for_any_column_is_a_400_naming_the_field(alice, victim):
    session = _session(victim)
    cases = [
        (
            f"/sessions/{session.public_id}/needle-count",
            {"needles_used": HUGE, "needles_removed": 1},
            "needles_used",
        ),
        ("/instruments/nprs/score", {"responses": {"1": HUGE}}, "responses.1"),
        ("/screen", {"facts": {"age": HUGE}}, "facts.age"),
    ]
    for path, body, field in cases:
        _assert_refused(_post(alice, path, body), field)


def test_an_integer_too_large_in_a_web_form_is_a_400_naming_the_field(alice, victim):
    session = _session(victim)
    page = f"/patients/{victim.patient.public_id}/sessions/{session.public_id}/needle_count/"
    form = {"needles_used": HUGE, "needles_removed": 1, "version": session.version}
    response = alice.post(page, form)
    assert response.status_code == 400
    assert b"needles_used" in response.content


def test_a_number_beyond_its_column_is_refused_on_sqlite_as_on_postgresql(victim):
    """Within 64 bits but beyond a small column: PostgreSQL refuses it, SQLite would store it."""
    from needlerx.core.errors import ApplicationError

    session = _session(victim)
    session.pain_now = 40_000
    with pytest.raises(ApplicationError) as caught:
        session.save()
    assert caught.value.field == "pain_now"


def test_the_cli_refuses_an_integer_too_large_with_exit_status_2(victim):
    session = _session(victim)
    with pytest.raises(CommandError) as caught:
        call_command(
            "treatment",
            "needle-count",
            "--user",
            victim.world.alice.username,
            "--session",
            str(session.public_id),
            "--used",
            str(HUGE),
            "--removed",
            "1",
        )
    assert caught.value.returncode == 2
    assert "needles_used" in str(caught.value)


# --- c. malformed UUIDs -----------------------------------------------------------------------


def test_a_malformed_uuid_in_a_query_string_or_body_is_a_400_naming_the_field(alice, victim):
    session = _session(victim)
    patient, episode = victim.patient, session.episode
    measures = f"/patients/{patient.public_id}/episodes/{episode.public_id}/measures/"
    for page in (measures, f"{measures}nprs/"):
        response = alice.get(page, {"session": "not-a-uuid"})
        assert response.status_code == 400, (page, response.status_code)
        assert b"session" in response.content
    body = {
        "event_type": "bruising",
        "severity": "mild",
        "onset_at": "2026-11-29T10:00:00+00:00",
        "action_taken": "Ice.",
        "needling_entry_id": "not-a-uuid",
    }
    response = _post(alice, f"/sessions/{session.public_id}/adverse-events", body)
    _assert_refused(response, "needling_entry_id")


# --- d. lone surrogates, e. NUL ---------------------------------------------------------------


@pytest.mark.parametrize("text", [SURROGATE, "a\x00b"], ids=["surrogate", "nul"])
def test_unstorable_text_in_an_api_body_is_a_400_naming_the_field(alice, victim, text):
    session = _session(victim)
    body = {
        "clinic_id": str(victim.patient.clinic.public_id),
        "medical_record_number": "HOSTILE-1",
        "given_name": text,
        "family_name": "Example",
        "date_of_birth": "1980-01-01",
        "sex": "female",
    }
    _assert_refused(_post(alice, "/patients/", body), "given_name")
    patch = {"expected_version": session.version, "subjective_notes": text}
    response = _post(alice, f"/sessions/{session.public_id}", patch, method="patch")
    _assert_refused(response, "subjective_notes")


def test_a_nul_in_a_web_form_is_a_400_naming_the_field(alice, victim):
    response = alice.post("/patients/new/", {"given_name": "a\x00b", "family_name": "Example"})
    assert response.status_code == 400
    assert b"given_name" in response.content


def test_nul_is_never_stored_even_where_a_service_skips_model_validation(victim):
    """The addendum of a signed note can never be corrected: a NUL must not get in at all."""
    from needlerx.core.errors import ApplicationError
    from needlerx.treatments import services

    session = _session(victim)
    with pytest.raises(ApplicationError) as caught:
        services.treatment_session_update(
            actor=victim.world.alice,
            session=session,
            expected_version=session.version,
            subjective_notes="a\x00b",
        )
    assert caught.value.field == "subjective_notes"
    addendum = Addendum(session=session, author=victim.world.alice, text="late\x00note")
    with pytest.raises(ApplicationError) as caught:
        addendum.save()
    assert caught.value.field == "text"
    with pytest.raises(ApplicationError):
        Addendum(session=session, author=victim.world.alice, text=SURROGATE).save()


def test_the_cli_refuses_a_nul_with_exit_status_2(victim, tmp_path):
    session = _session(victim)
    given = tmp_path / "update.json"
    given.write_text(json.dumps({"expected_version": session.version, "assessment": "a\x00b"}))
    with pytest.raises(CommandError) as caught:
        call_command(
            "treatment",
            "update",
            "--user",
            victim.world.alice.username,
            "--session",
            str(session.public_id),
            "--input",
            str(given),
        )
    assert caught.value.returncode == 2
    assert "assessment" in str(caught.value)


# --- f. multipart without a boundary --------------------------------------------------------


@pytest.mark.parametrize("path", ["/nonexistent/", "/login/", "/api/v1/patients/"])
def test_a_multipart_request_without_a_boundary_is_a_400_on_any_url(path):
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    response = client.generic(
        "POST", path, b"x", content_type="multipart/form-data", HTTP_X_CSRFTOKEN="x"
    )
    assert response.status_code == 400
    assert b"Content-Type" in response.content


# --- every API body, every field -------------------------------------------------------------


def _hostile_values(value: object) -> list[object]:
    """What the schemathesis generator never sends, for a field whose example is ``value``."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [HUGE, 2**62]
    if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{8}-[0-9a-f-]{27}", value):
        return ["not-a-uuid", "a\x00b"]
    if isinstance(value, str) and value.endswith("T09:00:00Z"):
        return [value.removesuffix("Z"), "a\x00b", *CALENDAR_EDGES]
    if isinstance(value, str):
        return [SURROGATE, "a\x00b"]
    return []


def test_every_api_body_field_refuses_hostile_values_without_a_server_error(client, victim):
    """Each field of each API body in turn gets NUL, a lone surrogate, a huge number, a naive
    date-time, a moment at the edge of the calendar or a malformed UUID (whichever fits its
    type); the rest stays valid."""
    client.force_login(victim.world.alice)
    client.raise_request_exception = False
    sent = 0
    for route in api_routes(victim):
        if not isinstance(route.body, dict):
            continue
        for name, value in route.body.items():
            for hostile in _hostile_values(value):
                body = {**route.body, name: hostile}
                response = client.generic(
                    route.method, route.path, json.dumps(body), content_type="application/json"
                )
                sent += 1
                label = f"{route.label} {name}={str(hostile)[:30]!r}"
                assert response.status_code < 500, f"{label} -> {response.status_code}"
                if hostile in (HUGE, SURROGATE, "a\x00b", *CALENDAR_EDGES):
                    assert response.status_code == 400, label
                    assert response.json()["error"]["field"] == name, label
    assert sent > 50
