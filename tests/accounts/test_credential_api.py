"""/api/v1 credential endpoints: clinic admins only, typed input, errors naming the field; and
the API door refusing needling to a clinician whose credential expired yesterday."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from needlerx.accounts.models import DryNeedlingCredential
from tests.accounts.test_credential_services import expire_yesterday
from tests.personas import World
from tests.treatments.helpers import UPPER_TRAPEZIUS, checked_session, consent


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    if method == "get":
        return client.get(f"/api/v1{url}")
    return getattr(client, method)(
        f"/api/v1{url}", data=json.dumps(body or {}), content_type="application/json"
    )


def body(**changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "training_provider": "Myopain Seminars",
        "hours": 54,
        "completed_on": (today - dt.timedelta(days=10)).isoformat(),
        "expires_on": (today + dt.timedelta(days=700)).isoformat(),
        "licence_number": "PT-5",
        "licence_country": "US",
        "licence_region": "CO",
        **changes,
    }


def test_the_admin_lists_adds_and_renews(client: Client, world: World):
    client.force_login(world.ada)
    listed = send(client, "get", f"/clinicians?clinic_id={world.clinic_a.public_id}")
    assert listed.status_code == 200
    assert {r["clinician"]: r["status"] for r in listed.json()} == {
        "alice": "current",
        "nora": "none",
    }
    added = send(client, "post", f"/clinicians/{world.nora.public_id}/credentials", body())
    assert added.status_code == 201, added.json()
    assert added.json()["status"] == "current"
    renewed_to = (timezone.localdate() + dt.timedelta(days=1200)).isoformat()
    renewed = send(
        client, "patch", f"/credentials/{added.json()['id']}", {"expires_on": renewed_to}
    )
    assert renewed.status_code == 200 and renewed.json()["expires_on"] == renewed_to
    assert renewed.json()["hours"] == 54


@pytest.mark.parametrize("who", ["alice", "frank", "bob"])
def test_only_the_clinic_admin(client: Client, world: World, who: str):
    client.force_login(getattr(world, who))
    added = send(client, "post", f"/clinicians/{world.nora.public_id}/credentials", body())
    assert added.status_code in (403, 404)
    listed = send(client, "get", f"/clinicians?clinic_id={world.clinic_a.public_id}")
    assert listed.status_code in (403, 404) or listed.json() == []
    assert "nora" not in listed.content.decode()
    assert not DryNeedlingCredential.objects.filter(user=world.nora).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hours": 0}, "hours"),
        ({"completed_on": "yesterday"}, "completed_on"),
        ({"licence_region": "Colorado"}, "licence_region"),
        ({"grade": "A"}, "grade"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client: Client, world: World, changes, field):
    client.force_login(world.ada)
    refused = send(
        client, "post", f"/clinicians/{world.nora.public_id}/credentials", body(**changes)
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["field"] == field
    credential = DryNeedlingCredential.objects.get(user=world.alice)
    emptied = send(client, "patch", f"/credentials/{credential.public_id}", {"hours": None})
    assert emptied.status_code == 400 and emptied.json()["error"]["field"] == "hours"


NEEDLING = {
    **UPPER_TRAPEZIUS,
    "needle_gauge_mm": 0.25,
    "needle_length_mm": 30,
    "max_depth_mm": 15,
    "insertions": 3,
    "needles": 2,
}


def test_an_expired_credential_is_refused_at_the_api(client: Client, world: World):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    expire_yesterday(world)
    client.force_login(world.alice)
    refused = send(client, "post", f"/sessions/{session.public_id}/needling", NEEDLING)
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "credential_required"
    assert not session.needling_entries.exists()


def test_the_api_refusal_says_when_it_expired_and_who_can_renew(client: Client, world: World):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    yesterday = expire_yesterday(world)
    client.force_login(world.alice)
    refused = send(client, "post", f"/sessions/{session.public_id}/needling", NEEDLING)
    message = refused.json()["error"]["message"]
    assert f"expired on {yesterday.isoformat()}" in message and "Ada (Clinic A)" in message
