"""``GET /api/v1/clinics/{id}/outcomes``: the dashboard's figures, its filters and refusals."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from needlerx.audit.models import AuditEvent
from needlerx.patient_tasks.services import patient_task_create
from tests.clinic_outcomes.outcomes_world import OutcomesWorld, build
from tests.instruments.helpers import measure
from tests.personas import World


@pytest.fixture
def known(world: World) -> OutcomesWorld:
    return build(world)


def _url(world: World, query: str = "") -> str:
    return f"/api/v1/clinics/{world.clinic_a.public_id}/outcomes{query}"


def test_the_api_answers_the_dashboards_figures(client: Client, known: OutcomesWorld) -> None:
    client.force_login(known.world.alice)
    body = client.get(_url(known.world)).json()
    assert body["episodes"] == {"started": 4, "completed": 2}
    pain = next(m for m in body["measures"] if m["key"] == "pain_relief")
    assert (pain["followed_up"], pain["improved"], pain["lost_to_follow_up"]) == (3, 2, 1)
    assert pain["improved_percent"]["value"] == pytest.approx(66.67, abs=0.01)
    assert body["follow_up"] == {"done": 1, "due": 4, "percent": body["follow_up"]["percent"]}
    assert body["questionnaires"]["done"] == 1 and body["questionnaires"]["due"] == 2
    events = body["adverse_events"]
    assert (events["needling_sessions"], events["mild"], events["significant"]) == (4, 1, 1)
    assert events["serious"] == 0
    assert {rate["group"] for rate in events["rates"]} == {"mild", "major"}
    assert {r["id"] for r in events["published_rates"]} >= {"brady_2014_mild", "boyce_2020_major"}
    assert events["confidence_interval_method"].startswith("Wilson score interval")
    assert body["filters"]["region"] is None and len(body["limits"]) >= 4


def test_filters_and_the_view_event(client: Client, known: OutcomesWorld) -> None:
    client.force_login(known.world.ada)
    before = AuditEvent.objects.count()
    body = client.get(_url(known.world, "?region=back&from=2000-01-01")).json()
    assert body["episodes"]["started"] == 2
    assert body["filters"]["from"] == "2000-01-01" and body["filters"]["region"] == "back"
    events = list(AuditEvent.objects.order_by("sequence")[before:])
    assert [event.action for event in events] == ["clinic_outcomes.view"]
    nora = client.get(_url(known.world, f"?clinician={known.world.nora.public_id}")).json()
    assert nora["adverse_events"]["needling_sessions"] == 1


@pytest.mark.parametrize(
    ("query", "field", "allowed"),
    [
        ("?region=leg", "region", "neck, back"),
        ("?from=31/12/2025", "from", "YYYY-MM-DD"),
        ("?to=yesterday", "to", "YYYY-MM-DD"),
        ("?from=2026-02-01&to=2026-01-01", "to", "on or after"),
        ("?clinician=nobody", "clinician", "clinicians"),
    ],
)
def test_a_bad_filter_answers_400_naming_the_field(
    client: Client, known: OutcomesWorld, query: str, field: str, allowed: str
) -> None:
    client.force_login(known.world.ada)
    response = client.get(_url(known.world, query))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == field and allowed in error["message"]


def test_a_clinician_of_another_clinic_is_refused_by_name(client: Client, known: OutcomesWorld):
    client.force_login(known.world.ada)
    response = client.get(_url(known.world, f"?clinician={known.world.bob.public_id}"))
    assert response.status_code == 400 and response.json()["error"]["field"] == "clinician"


def test_front_desk_403_another_clinic_and_an_unknown_id_404(client: Client, known: OutcomesWorld):
    client.force_login(known.world.frank)
    assert client.get(_url(known.world)).status_code == 403
    client.force_login(known.world.bob)
    other = client.get(_url(known.world))
    missing = client.get(f"/api/v1/clinics/{uuid.uuid4()}/outcomes")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    client.logout()
    assert client.get(_url(known.world)).status_code == 401


def test_a_baseline_entered_late_and_an_answer_from_home_change_the_figures(
    client: Client, known: OutcomesWorld
) -> None:
    """The figures read each episode's stored first and latest score: a pain rating entered late
    but taken before the others becomes P2's baseline (9 -> 5: improved); then P2's answer from
    home is the latest (9 -> 8: not improved)."""
    world, p2 = known.world, known.episodes[1]
    client.force_login(world.alice)

    def pain() -> tuple[int, int]:
        body = client.get(_url(world)).json()
        found = next(m for m in body["measures"] if m["key"] == "pain_relief")
        return found["followed_up"], found["improved"]

    assert pain() == (3, 2)
    measure(world.alice, p2, "nprs", {"1": 9}, days=38)
    assert pain() == (3, 3)
    token = patient_task_create(
        actor=world.alice, patient=p2.patient, kind="questionnaire", episode=p2, instrument="nprs"
    ).token
    assert Client().post(f"/my/{token}/", {"item_1": "8"}).status_code == 200
    assert pain() == (3, 2)
