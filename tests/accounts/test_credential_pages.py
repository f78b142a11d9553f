"""Staff credentials pages: a clinic admin sees each clinician's status, adds and renews a
credential with errors beside the field; others are refused; and the session note refuses needling
to a clinician whose credential expired yesterday."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.accounts.models import DryNeedlingCredential
from needlerx.treatments.models import NeedlingEntry
from tests.accounts.test_credential_services import expire_yesterday
from tests.personas import World
from tests.web.test_session_pages import Note, _consent, _entry, _precautions_documented

LIST = "/account/staff/credentials/"


def form(**changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "training_provider": "Myopain Seminars",
        "hours": "54",
        "completed_on": (today - dt.timedelta(days=10)).isoformat(),
        "expires_on": (today + dt.timedelta(days=700)).isoformat(),
        "licence_number": "PT-5",
        "licence_country": "US",
        "licence_region": "CO",
        **changes,
    }


def test_the_admin_sees_each_clinician_and_their_status(client: Client, world: World):
    yesterday = expire_yesterday(world)
    client.force_login(world.ada)
    page = client.get(LIST).content.decode()
    assert "Alice" in page and "Nora" in page and "Bob" not in page
    assert f"Expired on {yesterday.isoformat()}" in page and "Renew" in page
    assert "No credential recorded" in page
    assert reverse("accounts:credential_new", args=[world.nora.public_id]) in page


def test_the_admin_adds_a_credential_and_the_list_shows_it_current(client: Client, world: World):
    client.force_login(world.ada)
    url = reverse("accounts:credential_new", args=[world.nora.public_id])
    assert 'value="CO"' in client.get(url).content.decode()  # the clinic's jurisdiction
    response = client.post(url, form())
    assert response.status_code == 302 and response["Location"] == LIST
    assert DryNeedlingCredential.objects.get(user=world.nora).hours == 54
    assert "Current until" in client.get(LIST).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"hours": "0"}, "hours", "greater than or equal to 1"),
        ({"completed_on": "tomorrow"}, "completed_on", "valid date"),
        ({"expires_on": "2001-01-01"}, "expires_on", "on or after the completion date"),
        ({"licence_country": "U1"}, "licence_country", "two-letter country code"),
    ],
)
def test_errors_show_beside_the_field_and_nothing_is_saved(client, world, changes, field, words):
    client.force_login(world.ada)
    url = reverse("accounts:credential_new", args=[world.nora.public_id])
    response = client.post(url, form(**changes))
    assert response.status_code == 400
    assert words in " ".join(response.context["form"][field].errors)
    assert not DryNeedlingCredential.objects.filter(user=world.nora).exists()


def test_the_admin_renews_an_expired_credential(client: Client, world: World):
    expire_yesterday(world)
    credential = DryNeedlingCredential.objects.get(user=world.alice)
    client.force_login(world.ada)
    url = reverse("accounts:credential_edit", args=[credential.public_id])
    renewed = (timezone.localdate() + dt.timedelta(days=365)).isoformat()
    data = form(
        training_provider=credential.training_provider,
        expires_on=renewed,
        completed_on=credential.completed_on.isoformat(),
    )
    assert client.post(url, data).status_code == 302
    credential.refresh_from_db()
    assert credential.expires_on.isoformat() == renewed  # type: ignore[union-attr]


@pytest.mark.parametrize("who", ["alice", "frank", "bob"])
def test_no_one_else_may(client: Client, world: World, who: str):
    client.force_login(getattr(world, who))
    assert client.get(LIST).status_code == 403
    url = reverse("accounts:credential_new", args=[world.nora.public_id])
    assert client.post(url, form()).status_code == 404
    credential = DryNeedlingCredential.objects.get(user=world.alice)
    edit = reverse("accounts:credential_edit", args=[credential.public_id])
    assert client.post(edit, form(hours="999")).status_code == 404
    assert not DryNeedlingCredential.objects.filter(hours=999).exists()


def expired_note(client: Client, world: World) -> tuple[Note, dt.date]:
    note = Note(client, world)
    _consent(note)
    note.step("safety", {"technique": "static", "plan": ["levator_scapulae:right"]})
    _precautions_documented(note, "Documented")
    return note, expire_yesterday(world)


def test_an_expired_credential_is_refused_on_the_session_note(client: Client, world: World):
    note, _ = expired_note(client, world)
    response = _entry(note, "levator_scapulae:right:static", status=400)
    assert "credential" in response.content.decode()
    assert not NeedlingEntry.objects.exists()


def test_the_note_says_when_it_expired_and_who_can_renew(client: Client, world: World):
    note, yesterday = expired_note(client, world)
    page = _entry(note, "levator_scapulae:right:static", status=400).content.decode()
    assert f"expired on {yesterday.isoformat()}" in page and "Ada (Clinic A)" in page
