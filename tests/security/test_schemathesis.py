"""Schemathesis against /api/v1/openapi.json, inside the test suite: no input gives a 5xx.

Each API operation gets up to 25 generated requests (schema-valid and -invalid bodies, queries
and paths) from a signed-in clinician of Clinic A; path ids are real records of that clinic, so
requests reach the services rather than stopping at "not found".
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.core import NotSet

from needlerx.api import api
from tests.security.api_routes import _victim_id
from tests.security.conftest import Victim

MAX_EXAMPLES = 25
SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}  # type: ignore[union-attr]


def _request(client: Client, case: Any) -> Any:
    query = {} if isinstance(case.query, NotSet) or case.query is None else case.query
    path = case.formatted_path + ("?" + urlencode(query, doseq=True) if query else "")
    body = "" if isinstance(case.body, NotSet) else json.dumps(case.body)
    content_type = case.media_type or "application/json"
    return client.generic(case.method, path, body, content_type=content_type)


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_no_generated_request_makes_a_server_error(client, victim: Victim, label: str):
    operation = OPERATIONS[label]
    client.force_login(victim.world.alice)
    real_ids = {
        parameter.name: _victim_id(parameter.name, victim)
        for parameter in operation.path_parameters
        if "id" in parameter.name
    }

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy())
    def check(case: Any) -> None:
        if case.path_parameters:
            case.path_parameters.update(real_ids)
        response = _request(client, case)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} query={case.query} body={case.body!r} "
            f"-> {response.status_code}: {response.content[:300]!r}"
        )

    check()
