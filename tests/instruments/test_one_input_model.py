"""One input model for storing a measure: the API and ``needlerx measure record`` refuse the
same bad value naming the same field with the same message, and nothing is saved."""

from __future__ import annotations

import json
from typing import Any

import pytest

from needlerx.instruments.models import InstrumentResponse
from tests.doors import api_refusal, assert_same_refusal, cli_refusal, json_file, run_cli
from tests.instruments.helpers import days_ago, episode_weeks_ago


@pytest.fixture
def episode(world):
    return episode_weeks_ago(world, world.patient())


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"instrument": "telepathy", "responses": {"1": 3}}, "instrument"),
        ({"responses": {"1": 3}}, "instrument"),
        ({"instrument": "nprs", "responses": [3]}, "responses"),
        ({"instrument": "nprs", "responses": {"1": 3}, "taken_at": "last week"}, "taken_at"),
        ({"instrument": "nprs", "responses": {"1": 3}, "extra": 1}, "extra"),
        ({"instrument": "nprs", "responses": {"1": 11}}, "responses.1"),  # the scorer's check
        ({"instrument": "odi", "responses": {"1": 6}}, "responses.1"),  # the scorer's check
        ({"instrument": "stiffness", "responses": {"1": 11}}, "responses.1"),
        ({"instrument": "psfs", "responses": {"1": 4}}, "responses.activities.1"),  # no name
        (
            {
                "instrument": "medication",
                "responses": {"analgesic_days_per_week": 1, "other_medications": {"nsaid": 8}},
            },
            "responses.other_medications.nsaid",
        ),
        (
            {"instrument": "nprs", "responses": {"1": 3}, "taken_at": "2020-01-01T09:00:00Z"},
            "taken_at",
        ),  # the service's check
    ],
)
def test_a_bad_measure_is_refused_alike_by_api_and_cli(
    client, world, episode, monkeypatch, capsys, tmp_path, body: dict[str, Any], field: str
):
    client.force_login(world.alice)
    api = api_refusal(client, "POST", f"/api/v1/episodes/{episode.public_id}/measurements", body)
    err = cli_refusal(
        monkeypatch,
        capsys,
        "measure",
        "record",
        "--user",
        "alice",
        "--episode",
        str(episode.public_id),
        "--input",
        json_file(tmp_path, body),
    )
    assert_same_refusal(api, err, field)
    assert not InstrumentResponse.objects.exists()


@pytest.mark.parametrize("instrument", ["nprs", "stiffness"])
def test_the_cli_stores_a_measure_with_the_apis_json(
    world, episode, monkeypatch, capsys, instrument
):
    body = {"instrument": instrument, "responses": {"1": 4}, "taken_at": days_ago(1).isoformat()}
    status, out, err = run_cli(
        monkeypatch,
        capsys,
        "measure",
        "record",
        "--user",
        "alice",
        "--episode",
        str(episode.public_id),
        "--input",
        "-",
        stdin=json.dumps(body),
    )
    assert status == 0, err
    shown = json.loads(out)
    assert (shown["score"], shown["unit"], shown["entered_by"]) == (4.0, "points", "alice")
    assert InstrumentResponse.objects.get().public_id.hex == shown["id"].replace("-", "")


def test_the_cli_refuses_an_episode_of_another_clinic(world, episode, monkeypatch, capsys):
    body = {"instrument": "nprs", "responses": {"1": 4}}
    err = cli_refusal(
        monkeypatch,
        capsys,
        "measure",
        "record",
        "--user",
        "bob",
        "--episode",
        str(episode.public_id),
        "--input",
        "-",
        stdin=json.dumps(body),
    )
    assert "No such episode." in err  # as the API answers (404), like a missing episode
    assert not InstrumentResponse.objects.exists()
