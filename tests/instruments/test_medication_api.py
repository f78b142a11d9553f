"""Medication through the API: buprenorphine recorded with its flag, other classes as days per
week, the CDC caution with the 286 MME/day case, and a 400 naming the field (review W11)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from needlerx.instruments.models import InstrumentResponse
from tests.instruments.helpers import episode_weeks_ago


@pytest.fixture
def episode(world):
    return episode_weeks_ago(world, world.patient())


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_reviews_case_is_stored_with_the_caution_and_the_flag(client, world, episode):
    client.force_login(world.alice)
    responses = {
        "analgesic_days_per_week": 7,
        "opioids": [
            {"drug": "oxycodone", "dose": 10, "unit": "mg", "doses_per_day": 3},
            {"drug": "fentanyl_transdermal", "dose": 25, "unit": "mcg/h"},
            {"drug": "tramadol", "dose": 50, "unit": "mg", "doses_per_day": 4},
            {"drug": "methadone", "dose": 10, "unit": "mg", "doses_per_day": 3},
            {"drug": "buprenorphine", "dose": 8, "unit": "mg", "doses_per_day": 1},
        ],
        "other_medications": {"muscle_relaxant": 5, "gabapentinoid": 7},
    }
    url = f"/api/v1/episodes/{episode.public_id}/measurements"
    response = post(client, url, {"instrument": "medication", "responses": responses})
    assert response.status_code == 201, response.content
    result = response.json()["result"]
    assert result["subscales"]["mme_per_day"]["score"] == 286
    assert result["flags"] == ["opioids at or above 90 MME/day", "buprenorphine: not converted"]
    assert result["additional_scores"]["gabapentinoid"]["score"] == 7
    assert result["details"][4]["mme_per_day"] is None


@pytest.mark.parametrize(
    ("responses", "field"),
    [
        (
            {"analgesic_days_per_week": 1, "other_medications": {"muscle_relaxant": 9}},
            "responses.other_medications.muscle_relaxant",
        ),
        (
            {
                "analgesic_days_per_week": 1,
                "opioids": [{"drug": "buprenorphine", "dose": 8, "unit": "tablets"}],
            },
            "responses.opioids[0].unit",
        ),
    ],
)
def test_bad_medication_input_is_a_400_naming_the_field(client, world, episode, responses, field):
    client.force_login(world.alice)
    url = f"/api/v1/episodes/{episode.public_id}/measurements"
    response = post(client, url, {"instrument": "medication", "responses": responses})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field
    assert not InstrumentResponse.objects.exists()
