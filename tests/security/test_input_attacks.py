"""Hostile input on every search, sort and filter parameter, and in stored free text.

From the OpenEMR incidents: SQL metacharacters in sort
and search parameters, stored and reflected markup, over-long strings, wrong types, huge numbers
and unusual Unicode. Nothing may answer 5xx, change data, or come back as live markup.
"""

from __future__ import annotations

import pytest
from django.test import Client

from needlerx.patients.models import Patient
from tests.security.api_routes import openapi
from tests.security.conftest import Victim
from tests.security.routes import fill, page_routes

SCRIPT = "<script>alert(1)</script>"
ATTACKS = [
    "' OR '1'='1",
    "1; DROP TABLE patients_patient; --",
    "family_name DESC, (SELECT 1)",
    '"; SELECT * FROM accounts_user; --',
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "A" * 20_000,
    "99999999999999999999999999999",
    "-1",
    "1e309",
    "NaN",
    "../../../../etc/passwd",
    "\u202egnp.exe",  # right-to-left override
    "Zoë \U0001d54f\u200b\ufeff",  # combining, astral, zero-width
    "%00",
    "nul\x00byte",
]
PAGE_PARAMETERS = ("q", "search", "sort", "order", "ordering", "page", "page_size", "status")


def query_names_by_path() -> dict[str, set[str]]:
    """Each API GET path and its query parameter names, from the OpenAPI document."""
    names: dict[str, set[str]] = {}
    for path, operations in openapi()["paths"].items():
        get = operations.get("get")
        if get:
            names[path] = {p["name"] for p in get.get("parameters", []) if p["in"] == "query"}
            names[path] |= {"sort", "ordering"}
    return names


def get_targets(victim: Victim) -> list[tuple[str, set[str]]]:
    """Every GET page and API path of Clinic A (the signed-in user's own), with parameters."""
    clinic, patient = victim.patient.clinic, victim.patient
    targets = [(fill(route, clinic, patient)[0], set(PAGE_PARAMETERS)) for route in page_routes()]
    for path, names in query_names_by_path().items():
        django_style = path.replace("{", "<").replace("}", ">")
        targets.append((fill(django_style, clinic, patient)[0], names))
    return targets


def test_a_nul_character_in_a_query_is_a_400_naming_the_parameter(client, victim):
    client.force_login(victim.world.alice)
    response = client.get("/api/v1/patients/", {"search": "a\x00b"})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "search"
    assert client.get("/patients/", {"q": "a\x00b"}).status_code == 400


def assert_safe(response, label: str) -> None:
    assert response.status_code < 500, f"{label}: {response.status_code}"
    if response.get("Content-Type", "").startswith("text/html"):
        body = response.content.decode(errors="replace")
        assert SCRIPT not in body, f"{label}: markup came back live"
        assert "<img src=x onerror" not in body, f"{label}: markup came back live"


@pytest.mark.parametrize("persona", ["alice", "ada"])
def test_hostile_search_and_sort_parameters_on_every_get_route(client: Client, victim, persona):
    client.force_login(getattr(victim.world, persona))
    patients_before = Patient.objects.count()
    for path, names in get_targets(victim):
        if path.startswith("/logout"):
            continue
        for attack in ATTACKS:
            response = client.get(path, {name: attack for name in names})
            assert_safe(response, f"GET {path} with {attack[:40]!r}")
    assert Patient.objects.count() == patients_before


def register(client: Client, victim: Victim, **fields: object):
    payload = {
        "clinic_id": str(victim.patient.clinic.public_id),
        "medical_record_number": "ATTACK-1",
        "given_name": "Ann",
        "family_name": "Attack",
        "date_of_birth": "1980-01-01",
        "sex": "female",
        **fields,
    }
    return client.post("/api/v1/patients/", payload, content_type="application/json")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("given_name", "A" * 101),
        ("family_name", "B" * 100_000),
        ("medical_record_number", "M" * 33),
        ("height_cm", 10**30),
        ("weight_kg", -5),
        ("height_cm", "tall"),
        ("date_of_birth", "1980-13-45"),
        ("date_of_birth", "2999-01-01"),
        ("sex", "robot"),
        ("given_name", 12345),
        ("given_name", None),
        ("family_name", "Nul\u0000byte"),
    ],
)
def test_bad_patient_input_is_a_400_naming_the_field(client, victim, field, value):
    client.force_login(victim.world.alice)
    response = register(client, victim, **{field: value})
    assert response.status_code == 400, response.content
    assert response.json()["error"]["field"] == field
    assert not Patient.objects.filter(medical_record_number="ATTACK-1").exists()


def test_unusual_unicode_is_kept_exactly(client, victim):
    client.force_login(victim.world.alice)
    name = "Zoë \U0001d54f Ñandú \u202eabc"
    response = register(client, victim, given_name=name)
    assert response.status_code == 201, response.content
    assert Patient.objects.get(medical_record_number="ATTACK-1").given_name == name


def test_stored_markup_comes_back_escaped_on_every_page(client, victim):
    client.force_login(victim.world.alice)
    response = register(client, victim, given_name=SCRIPT, family_name='"><img src=x onerror=1>')
    assert response.status_code == 201, response.content
    stored = Patient.objects.get(medical_record_number="ATTACK-1")
    for route in page_routes():
        path = fill(route, stored.clinic, stored)[0]
        if path.startswith("/logout"):
            continue
        assert_safe(client.get(path), f"GET {path}")
    listing = client.get("/patients/", {"q": "ATTACK-1"}).content.decode()
    assert "&lt;script&gt;" in listing


def test_a_timestamp_with_an_offset_postgresql_cannot_store_is_saved_in_utc(victim):
    import datetime as dt

    from django.utils import timezone

    from needlerx.treatments import services as treatments

    a_minute_ago = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=1)
    far_east = a_minute_ago.astimezone(dt.timezone(dt.timedelta(hours=16)))
    session = treatments.treatment_session_start(
        actor=victim.world.alice, episode=victim.patient.episodes.get(), started_at=far_east
    )
    session.refresh_from_db()
    assert session.started_at == far_east
    assert session.started_at.utcoffset() == dt.timedelta(0)
