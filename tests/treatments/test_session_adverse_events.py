"""A session's adverse events come with the needling entry each names: joined when read alone,
and taken from the entries a page has read already (no further read) on the note and follow-up
pages; the pages name the muscle either way."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from needlerx.treatments import services
from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.selectors.session_records import (
    session_adverse_events,
    session_needling_entries,
)
from tests.personas import World
from tests.treatments.helpers import UPPER_TRAPEZIUS, checked_session, consent, needle


def _session_with_an_event(world: World) -> TreatmentSession:
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = checked_session(world.alice, episode, [UPPER_TRAPEZIUS])
    needle(world.alice, session)
    entry_id = str(session.needling_entries.get().public_id)
    # A bruise where the needle went in, and fatigue that names no entry.
    for event_type, action, named in (
        ("bruising", "Pressure applied for 2 minutes.", entry_id),
        ("fatigue", "Rested.", None),
    ):
        services.adverse_event_record(
            actor=world.alice,
            session=session,
            event_type=event_type,
            severity="mild",
            onset_at=session.started_at,
            action_taken=action,
            needling_entry_id=named,
        )
    return session


def test_each_event_has_its_entry_with_or_without_the_pages_entries(world: World) -> None:
    session = _session_with_an_event(world)
    alone = session_adverse_events(session)
    entries = session_needling_entries(session)
    with CaptureQueriesContext(connection) as reads:
        given = session_adverse_events(session, entries)
        named = [event.needling_entry for event in given]
    assert len(reads.captured_queries) == 1  # the events; each entry came from ``entries``
    assert [e.pk for e in given] == [e.pk for e in alone]
    assert [n.muscle if n else None for n in named] == [
        e.needling_entry.muscle if e.needling_entry else None for e in alone
    ]
    assert sorted(n.muscle if n else "" for n in named) == ["", "upper_trapezius"]


def test_the_note_and_follow_up_pages_name_the_events_muscle(client: Client, world: World) -> None:
    session = _session_with_an_event(world)
    client.force_login(world.alice)
    patient = session.patient.public_id
    note = client.get(reverse("clinic:session", args=[patient, session.public_id]))
    assert "Bruising · Upper trapezius (left) · onset" in note.content.decode()
    follow_up = client.get(reverse("clinic:follow_up", args=[patient, session.public_id]))
    assert "Bruising · Upper trapezius (left) · onset" in follow_up.content.decode()
