from __future__ import annotations

import json
from typing import Any

from django.test import Client

PLAN = [{"muscle": "upper_trapezius", "side": "left", "technique": "static"}]


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_stateless_screen_answers_the_cli_json(client, world):
    client.force_login(world.alice)
    response = post(client, "/api/v1/screen", {"facts": {"pregnant": True}, "plan": PLAN})
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"decision", "findings", "muscles", "ruleset_version"}
    assert body["muscles"][0]["muscle"] == "upper_trapezius"


def test_invalid_input_is_a_400_naming_the_field(client, world):
    client.force_login(world.alice)
    response = post(client, "/api/v1/screen", {"facts": {"bmi": "thin"}, "plan": PLAN})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "facts.bmi"
    response = post(client, "/api/v1/screen", {"facts": {}, "plan": PLAN, "extra": 1})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "extra"


def test_the_api_needs_a_signed_in_user(client, db):
    assert post(client, "/api/v1/screen", {"facts": {}, "plan": []}).status_code == 401


def test_a_stored_screen_through_the_api_and_its_isolation(client, world):
    plan = [{"muscle": "gluteus_medius", "side": "left", "technique": "static"}]
    patient = world.patient()
    episode = world.episode(patient)
    client.force_login(world.alice)
    response = post(client, f"/api/v1/episodes/{episode.public_id}/screenings", {"plan": plan})
    assert response.status_code == 201
    assert response.json()["decision"] == "incomplete"
    assert "bleeding_disorder" in response.json()["result"]["missing"]
    world.evaluate(patient)
    response = post(client, f"/api/v1/episodes/{episode.public_id}/screenings", {"plan": plan})
    assert response.json()["decision"] == "proceed"
    listed = client.get(f"/api/v1/patients/{patient.public_id}/screenings").json()
    assert listed["count"] == 2
    assert listed["results"][0]["id"] == response.json()["id"]
    client.force_login(world.bob)
    assert client.get(f"/api/v1/patients/{patient.public_id}/screenings").status_code == 404
    response = post(client, f"/api/v1/episodes/{episode.public_id}/screenings", {"plan": PLAN})
    assert response.status_code == 404


def test_the_muscle_catalogue_lists_every_vocabulary_muscle_with_sources(client, world):
    client.force_login(world.frank)
    muscles = {m["id"]: m for m in client.get("/api/v1/muscles").json()}
    assert {"upper_trapezius", "quadratus_lumborum", "piriformis"} <= set(muscles)
    assert muscles["upper_trapezius"]["referred_pain"]["source"]["citation"]
    assert client.get("/api/v1/muscles/nope").status_code == 404


def test_a_patient_s_screens_are_paged_with_their_true_count(client, world):
    plan = [{"muscle": "gluteus_medius", "side": "left", "technique": "static"}]
    patient = world.patient()
    episode = world.episode(patient)
    world.evaluate(patient)
    client.force_login(world.alice)
    made = [
        post(client, f"/api/v1/episodes/{episode.public_id}/screenings", {"plan": plan}).json()
        for _ in range(5)
    ]
    url = f"/api/v1/patients/{patient.public_id}/screenings"
    pages = [client.get(url, {"page": n, "page_size": 2}).json() for n in (1, 2, 3, 4)]
    assert [page["count"] for page in pages] == [5, 5, 5, 5]
    listed = [item["id"] for page in pages for item in page["results"]]
    assert listed == [run["id"] for run in reversed(made)]  # newest first, each once
    assert pages[3]["results"] == []  # past the last page: empty, the count still true
    assert len(client.get(url, {"page_size": 0}).json()["results"]) == 1  # at least one a page
    assert client.get(url, {"page": "two"}).status_code == 400
