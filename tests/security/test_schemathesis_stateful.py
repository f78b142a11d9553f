"""Stateful API fuzz: sequences of calls where each one works on what the earlier ones made.

A hypothesis state machine starts session notes through the API (``POST
/episodes/{id}/sessions``) and then sends schemathesis-generated requests (valid and invalid
bodies) to every operation that takes a session id, using the ids and versions the API handed back.
A rule with a valid safety check moves notes forward; most generated bodies are then refused by
validation or by the note's own rules (a 400 or 409), which is what they should get. The calls
come in orders no hand-written test tries, and no sequence may answer a 5xx. (A route that raises
on any valid call is caught; a fault that needs several valid writes first may not be.)
"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    rule,
    run_state_machine_as_test,
)

from tests.security.conftest import Victim
from tests.security.test_schemathesis import OPERATIONS, _request
from tests.treatments.helpers import UPPER_TRAPEZIUS

SESSION_OPERATIONS = sorted(
    label
    for label, operation in OPERATIONS.items()
    if [parameter.name for parameter in operation.path_parameters] == ["session_id"]
)
STEPS = 40


def _no_server_error(response: Any, what: str) -> None:
    assert response.status_code < 500, (
        f"{what} -> {response.status_code}: {response.content[:300]!r}"
    )


def test_session_operations_are_found():
    assert len(SESSION_OPERATIONS) >= 8, SESSION_OPERATIONS


def test_no_sequence_of_calls_makes_a_server_error(client: Client, victim: Victim):
    client.force_login(victim.world.alice)
    episode_id = str(victim.patient.episodes.get().public_id)

    def start() -> dict[str, Any]:
        response = client.post(
            f"/api/v1/episodes/{episode_id}/sessions", "{}", content_type="application/json"
        )
        assert response.status_code == 201, response.content
        return {"id": response.json()["id"], "version": response.json()["version"]}

    class NoteSequences(RuleBasedStateMachine):
        sessions = Bundle("sessions")

        @initialize(target=sessions)
        def start_a_note(self) -> dict[str, Any]:
            return start()

        @rule(target=sessions)
        def start_another_note(self) -> dict[str, Any]:
            return start()

        @rule(session=sessions)
        def check_safety(self, session: dict[str, Any]) -> None:
            """A valid safety check, so later calls meet a note that may be needled."""
            body = {"expected_version": session["version"], "plan": [UPPER_TRAPEZIUS]}
            url = f"/api/v1/sessions/{session['id']}/safety-check"
            response = client.post(url, json.dumps(body), content_type="application/json")
            _no_server_error(response, "safety check")
            if response.status_code == 200:
                session["version"] = response.json()["version"]

        @rule(session=sessions, label=st.sampled_from(SESSION_OPERATIONS), data=st.data())
        def call(self, session: dict[str, Any], label: str, data: st.DataObject) -> None:
            case = data.draw(OPERATIONS[label].as_strategy())
            case.path_parameters["session_id"] = session["id"]
            if isinstance(case.body, dict) and "expected_version" in case.body:
                case.body["expected_version"] = session["version"]
            response = _request(client, case)
            _no_server_error(response, f"{label} body={json.dumps(case.body, default=str)[:200]}")
            if response.status_code == 200 and "version" in (response.json() or {}):
                session["version"] = response.json()["version"]

    run_state_machine_as_test(
        NoteSequences,
        settings=settings(
            max_examples=STEPS,
            stateful_step_count=8,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
