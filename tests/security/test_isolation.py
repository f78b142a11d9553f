"""Clinic isolation and roles, for EVERY page and API route (found at test time).

Bob (a clinician of Clinic B) calls every route with the ids of Clinic A's records; anonymous
visitors call every route; front desk staff of Clinic A call every route. Each answer must refuse
(403/404/405, or a redirect to sign-in) where the URL names another clinic's record, must never
be a server error, and must never contain the other clinic's patient's name or MRN — nor, for
front desk, the patient's clinical data. Nothing they send may change the record.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from needlerx.accounts.models import User
from needlerx.audit.models import AuditEvent
from tests.security.api_routes import api_routes
from tests.security.conftest import CLINICAL_MARKERS, Victim
from tests.security.routes import Route, fill, page_routes

REFUSED = {401, 403, 404, 405}
PUBLIC_PAGES = {"/login/", "/healthz", "/logout/"}


def all_routes(victim: Victim) -> list[Route]:
    routes = []
    for template in page_routes():
        path, has_ids, owner = fill(template, victim.patient.clinic, victim.patient)
        for method in ("GET", "POST"):
            routes.append(Route(method, path, f"{method} {template}", has_ids, owner))
    return routes + api_routes(victim)


def call(client: Client, route: Route):
    if route.method == "GET":
        return client.get(route.path, route.query)
    data = json.dumps(route.body if route.body is not None else {})
    path = route.path + (
        "?" + "&".join(f"{k}={v}" for k, v in route.query.items()) if route.query else ""
    )
    return client.generic(route.method, path, data, content_type="application/json")


def rejected_before_the_view(response) -> bool:
    """A 400 from the API's schema validation: the request never reached a selector."""
    if response.status_code != 400 or not response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return False
    return "details" in response.json()


def record_changes(victim: Victim) -> int:
    """Audited writes to the victim's record (views and refusals are not writes)."""
    return (
        AuditEvent.objects.filter(patient_public_id=str(victim.patient.public_id))
        .exclude(action__endswith=".view")
        .exclude(action__startswith="access.")
        .count()
    )


def problems_for(
    client: Client,
    routes: list[Route],
    forbidden: tuple[str, ...],
    *,
    must_refuse_ids: bool,
    user: User | None = None,
) -> list[str]:
    found = []
    for route in routes:
        if user is not None:
            client.force_login(user)  # again: an earlier route may have been sign-out
        response = call(client, route)
        body = response.content.decode(errors="replace")
        status = response.status_code
        if status >= 500:
            found.append(f"{route.label}: server error {status}")
        leaked = [marker for marker in forbidden if marker in body]
        if leaked:
            found.append(f"{route.label} ({route.path}): {status} shows {leaked}")
        redirect_to_login = status == 302 and "/login/" in response.get("Location", "")
        refused = status in REFUSED or redirect_to_login or rejected_before_the_view(response)
        if must_refuse_ids and route.uses_victim_id and not refused:
            found.append(f"{route.label} ({route.path}): answered {status}, expected 403/404")
    return found


def test_the_route_list_covers_pages_and_api(victim):
    labels = {route.label for route in all_routes(victim)}
    assert "GET /patients/<uuid:patient_id>/" in labels
    assert "GET /api/v1/patients/{patient_id}" in labels
    assert len(labels) > 20


def test_a_clinician_of_another_clinic_gets_nothing_anywhere(client, victim):
    before = record_changes(victim)
    forbidden = (*victim.demographic_markers, *CLINICAL_MARKERS)
    found = problems_for(
        client, all_routes(victim), forbidden, must_refuse_ids=True, user=victim.world.bob
    )
    assert found == [], "\n".join(found)
    assert record_changes(victim) == before


def test_anonymous_visitors_get_nothing_anywhere(client, victim):
    before = record_changes(victim)
    forbidden = (*victim.demographic_markers, *CLINICAL_MARKERS)
    found = problems_for(client, all_routes(victim), forbidden, must_refuse_ids=True)
    assert found == [], "\n".join(found)
    assert record_changes(victim) == before


def test_front_desk_never_sees_clinical_data(client, victim):
    found = problems_for(
        client, all_routes(victim), CLINICAL_MARKERS, must_refuse_ids=False, user=victim.world.frank
    )
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("persona", ["frank", "alice", "nora"])
def test_only_clinic_admins_read_the_audit_trail(client, victim, persona):
    for route in all_routes(victim):
        if route.path.startswith("/audit/") and route.method == "GET":
            client.force_login(getattr(victim.world, persona))
            assert call(client, route).status_code in REFUSED, route.label
