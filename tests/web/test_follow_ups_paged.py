"""The follow-ups due are read a page at a time with the true total, never cut silently: on
their page, on the clinic home's tile, in the API and in the CLI; the audit trail names the
patients a page showed, not every one due."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.audit.models import AuditEvent
from needlerx.treatments.management.commands import followups as followups_command
from needlerx.treatments.models import TreatmentSession
from tests.personas import World
from tests.treatments.helpers import checked_session, consent, move_start, needle

DUE = 5


def _needled_sessions(world: World, count: int = DUE) -> list[TreatmentSession]:
    """``count`` needled sessions of as many patients, 30-34 h ago, oldest first."""
    sessions = []
    for number in range(count):
        patient = world.patient(mrn=f"A-{number:04d}", given_name=f"Pat{number}")
        episode = world.episode(patient)
        consent(world.alice, episode)
        session = checked_session(world.alice, episode)
        needle(world.alice, session)
        started = timezone.now() - dt.timedelta(hours=30 + count - number)
        move_start(session, started)
        sessions.append(TreatmentSession.objects.get(pk=session.pk))
    return sessions


def _names(rows: list[dict[str, object]]) -> list[str]:
    return [row["patient"].full_name for row in rows]  # type: ignore[attr-defined]


def _last_listing() -> list[str]:
    event = AuditEvent.objects.filter(action="patient_list.view").order_by("-sequence").first()
    assert event is not None
    return list(event.detail["patients"])


def test_the_follow_ups_page_shows_one_page_with_the_true_total_and_links_either_side(
    client: Client, world: World
):
    sessions = _needled_sessions(world)
    client.force_login(world.alice)
    url = reverse("follow_ups")
    first = client.get(url, {"per_page": 2}).context["followups_due"]
    assert _names(first["rows"]) == ["Pat0 Example", "Pat1 Example"]
    assert (first["shown"], first["total"], first["previous_url"]) == (
        "1\N{EN DASH}2 of 5",
        DUE,
        "",
    )
    assert first["next_url"] == f"{url}?page=2&per_page=2"
    assert _last_listing() == [str(s.patient.public_id) for s in sessions[:2]]
    response = client.get(url, {"per_page": 2, "page": 3})
    last = response.context["followups_due"]
    assert _names(last["rows"]) == ["Pat4 Example"]
    assert (last["shown"], last["previous_url"], last["next_url"]) == (
        "5\N{EN DASH}5 of 5",
        f"{url}?page=2&per_page=2",
        "",
    )
    assert "5\N{EN DASH}5 of 5" in response.content.decode()
    past_the_end = client.get(url, {"per_page": 2, "page": 99}).context["followups_due"]
    assert past_the_end["shown"] == "5\N{EN DASH}5 of 5"


def test_the_home_tile_counts_every_follow_up_due_and_the_list_shows_the_first_page(
    client: Client, world: World
):
    _needled_sessions(world)
    client.force_login(world.alice)
    home = client.get(reverse("home")).context["followups_due"]
    assert home["total"] == DUE and len(home["rows"]) == DUE and home["next_url"] == ""
    client.force_login(world.bob)
    assert client.get(reverse("home")).context["followups_due"]["total"] == 0


def test_the_home_lists_the_oldest_ten_and_links_to_the_rest(client: Client, world: World):
    sessions = _needled_sessions(world, count=12)
    client.force_login(world.alice)
    home = client.get(reverse("home")).context["followups_due"]
    assert home["total"] == 12 and home["shown"] == "1\N{EN DASH}10 of 12"
    assert _names(home["rows"]) == [s.patient.full_name for s in sessions[:10]]
    assert home["next_url"] == f"{reverse('follow_ups')}?page=2&per_page=10"
    rest = client.get(home["next_url"]).context["followups_due"]
    assert _names(rest["rows"]) == [s.patient.full_name for s in sessions[10:]]


def test_the_api_pages_like_the_patient_list_with_the_true_count(client: Client, world: World):
    sessions = _needled_sessions(world)
    client.force_login(world.alice)
    url = "/api/v1/follow-ups/due"
    body = client.get(url, {"page": 2, "page_size": 2}).json()
    assert body["count"] == DUE
    assert [r["session_id"] for r in body["results"]] == [str(s.public_id) for s in sessions[2:4]]
    assert _last_listing() == [str(s.patient.public_id) for s in sessions[2:4]]
    assert client.get(url, {"page": 4, "page_size": 2}).json() == {"count": DUE, "results": []}
    assert len(client.get(url).json()["results"]) == DUE
    client.force_login(world.bob)
    assert client.get(url).json() == {"count": 0, "results": []}


def test_the_cli_lists_every_follow_up_due_past_one_page(world: World, capsys, monkeypatch):
    monkeypatch.setattr(followups_command, "FOLLOW_UPS_PER_PAGE_MAX", 2)
    sessions = _needled_sessions(world, count=3)
    call_command("followups", "--user", "alice", "--json")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["session_id"] for r in rows] == [str(s.public_id) for s in sessions]


def test_each_follow_up_says_when_it_is_due_once(client: Client, world: World):
    _due, overdue = _needled_sessions(world, 2)
    move_start(overdue, timezone.now() - dt.timedelta(hours=80))
    client.force_login(world.alice)
    rows = client.get(reverse("follow_ups")).context["followups_due"]["rows"]
    labels = {row["patient"].full_name: row["label"] for row in rows}
    assert labels["Pat0 Example"].startswith("due by ")
    assert labels["Pat1 Example"].startswith("overdue · was due by ")
    assert all(label.count("due by") == 1 for label in labels.values())
