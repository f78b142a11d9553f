"""The instrument API: library, stateless scoring, stored measures, progress and the episode
outcome summary."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from needlerx.audit.models import AuditEvent
from needlerx.instruments.models import InstrumentResponse
from tests.instruments.helpers import NDI_HALF, days_ago, episode_weeks_ago


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def episode(world):
    return episode_weeks_ago(world, world.patient())


def test_the_library_lists_every_instrument_without_licensed_text(client, world):
    client.force_login(world.frank)
    library = {item["id"]: item for item in client.get("/api/v1/instruments").json()}
    assert {"nprs", "ndi", "odi", "startback", "ppt", "rom", "medication"} <= set(library)
    assert all(item["text"] is None for item in library["odi"]["items"])
    assert library["nprs"]["score"]["mcids"][0]["source"]["citation"]


def test_stateless_scoring_answers_the_cli_json(client, world):
    client.force_login(world.alice)
    response = post(client, "/api/v1/instruments/ndi/score", {"responses": NDI_HALF})
    assert response.status_code == 200
    body = response.json()
    assert (body["score"], body["unit"], body["items_answered"]) == (40.0, "%", 10)
    assert not InstrumentResponse.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"responses": {"1": 11}}, "responses.1"),
        ({"responses": {"1": True}}, "responses.1"),
        ({"responses": {"9": 1}}, "responses.9"),
        ({"answers": {"1": 3}}, "responses"),
    ],
)
def test_stateless_scoring_names_the_bad_field(client, world, body, field):
    client.force_login(world.alice)
    response = post(client, "/api/v1/instruments/nprs/score", body)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field


def test_an_unknown_instrument_is_not_found_with_the_ids(client, world):
    client.force_login(world.alice)
    response = post(client, "/api/v1/instruments/telepathy/score", {"responses": {}})
    assert response.status_code == 404
    assert "nprs" in response.json()["error"]["message"]


def test_store_list_progress_and_outcome_summary(client, world, episode):
    client.force_login(world.alice)
    url = f"/api/v1/episodes/{episode.public_id}"
    for days, value in ((20, 8), (1, 4)):
        body = {
            "instrument": "nprs",
            "responses": {"1": value},
            "taken_at": days_ago(days).isoformat(),
        }
        response = post(client, f"{url}/measurements", body)
        assert response.status_code == 201, response.content
    stored = response.json()
    assert (stored["score"], stored["unit"], stored["entered_by"]) == (4.0, "points", "alice")
    listed = client.get(f"{url}/measurements", {"instrument": "nprs"}).json()
    assert [row["score"] for row in listed] == [8.0, 4.0]
    (nprs,) = client.get(f"{url}/progress").json()
    assert nprs["latest"]["status"] == "responder" and nprs["baseline"]["score"] == 8.0
    found = client.get(f"{url}/outcome-summary").json()
    pain = found["benefits"]["pain_relief"]
    assert (pain["status"], pain["primary"]["instrument"]) == ("improved", "nprs")
    assert pain["primary"]["threshold"]["id"] == "ostelo_2008"
    assert found["benefits"]["safety"]["status"] == "not_measured"
    assert "not the effect of dry needling alone" in found["attribution"]
    viewed = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"measurements.view", "progress.view", "outcome_summary.view"} <= viewed


def test_storing_bad_input_is_a_400_naming_the_field(client, world, episode):
    client.force_login(world.alice)
    url = f"/api/v1/episodes/{episode.public_id}/measurements"
    cases = [
        ({"instrument": "odi", "responses": {"1": 6}}, "responses.1"),
        (
            {"instrument": "nprs", "responses": {"1": 3}, "taken_at": "2020-01-01T09:00:00Z"},
            "taken_at",
        ),
        ({"instrument": "nprs", "responses": {"1": 3}, "extra": 1}, "extra"),
        ({"responses": {"1": 3}}, "instrument"),
    ]
    for body, field in cases:
        response = post(client, url, body)
        assert response.status_code == 400, body
        assert response.json()["error"]["field"] == field
    assert not InstrumentResponse.objects.exists()


def test_other_clinics_and_front_desk_are_refused(client, world, episode):
    url = f"/api/v1/episodes/{episode.public_id}"
    body = {"instrument": "nprs", "responses": {"1": 3}}
    client.force_login(world.bob)
    assert post(client, f"{url}/measurements", body).status_code == 404
    for suffix in ("measurements", "progress", "outcome-summary"):
        assert client.get(f"{url}/{suffix}").status_code == 404
    client.force_login(world.frank)
    assert post(client, f"{url}/measurements", body).status_code == 403
    for suffix in ("measurements", "progress", "outcome-summary"):
        assert client.get(f"{url}/{suffix}").status_code == 403
    assert not InstrumentResponse.objects.exists()
