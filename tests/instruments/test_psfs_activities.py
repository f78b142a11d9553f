"""PSFS activities: named at baseline, re-rated unchanged and in order at follow-up (review W9;
Stratford et al. Physiother Can 1995)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from needlerx.core.errors import ApplicationError
from needlerx.instruments.models import InstrumentResponse
from tests.instruments.helpers import days_ago, episode_weeks_ago, measure

NAMES = {"1": "Walking 30 minutes", "2": "Lifting my child", "3": "Driving"}
RATED = {"1": 6, "2": 5, "3": 7}
BASELINE = {"1": 3, "2": 2, "3": 4, "activities": NAMES}


@pytest.fixture
def episode(world):
    return episode_weeks_ago(world, world.patient())


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_baseline_stores_the_names_with_the_ratings(world, episode):
    stored = measure(world.alice, episode, "psfs", BASELINE, days=20)
    assert stored.score == 3.0  # (3 + 2 + 4) / 3
    assert stored.responses["activities"] == NAMES
    assert [d["activity"] for d in stored.result["details"]] == list(NAMES.values())


def test_baseline_without_names_is_refused(world, episode):
    with pytest.raises(ApplicationError) as refused:
        measure(world.alice, episode, "psfs", {"1": 3, "2": 5}, days=20)
    assert refused.value.field == "responses.activities.1"
    assert not InstrumentResponse.objects.exists()


def test_follow_up_takes_the_baseline_names_when_only_ratings_are_sent(world, episode):
    measure(world.alice, episode, "psfs", BASELINE, days=20)
    follow_up = measure(world.alice, episode, "psfs", {"1": 6, "2": 5, "3": 7}, days=1)
    assert follow_up.score == 6.0
    assert follow_up.responses["activities"] == NAMES


@pytest.mark.parametrize(
    ("responses", "field"),
    [
        ({"1": 6, "2": 5}, "responses.3"),  # activity 3 not re-rated
        ({"1": 6, "2": 5, "3": 7, "4": 8}, "responses.4"),  # a new activity
        (
            {"1": 6, "2": 5, "3": 7, "activities": {**NAMES, "2": "Gardening"}},
            "responses.activities.2",
        ),
        (
            {
                "1": 6,
                "2": 5,
                "3": 7,
                "activities": {"1": NAMES["2"], "2": NAMES["1"], "3": "Driving"},
            },
            "responses.activities.1",
        ),  # the same names in another order
    ],
)
def test_follow_up_must_rate_the_same_activities(world, episode, responses, field):
    measure(world.alice, episode, "psfs", BASELINE, days=20)
    with pytest.raises(ApplicationError) as refused:
        measure(world.alice, episode, "psfs", responses, days=1)
    assert refused.value.field == field
    assert InstrumentResponse.objects.count() == 1


def test_another_episode_starts_its_own_activities(world, episode):
    measure(world.alice, episode, "psfs", BASELINE, days=20)
    other = episode_weeks_ago(world, episode.patient, weeks=3)
    stored = measure(world.alice, other, "psfs", {"1": 5, "activities": {"1": "Running"}})
    assert stored.responses["activities"] == {"1": "Running"}


def test_api_names_the_field_of_a_changed_activity(client, world, episode):
    measure(world.alice, episode, "psfs", BASELINE, days=20)
    client.force_login(world.alice)
    url = f"/api/v1/episodes/{episode.public_id}/measurements"
    body: dict[str, Any] = {
        "instrument": "psfs",
        "responses": {"1": 6, "2": 5, "3": 7, "activities": {**NAMES, "3": "Cycling"}},
        "taken_at": days_ago(1).isoformat(),
    }
    response = post(client, url, body)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "responses.activities.3"
    body["responses"]["activities"] = NAMES
    ok = post(client, url, body)
    assert ok.status_code == 201, ok.content
    assert ok.json()["responses"]["activities"] == NAMES
