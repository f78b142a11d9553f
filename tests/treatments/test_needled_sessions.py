"""The list of needled sessions (what the follow-ups due and the clinic dashboard read) follows
the needling entries and follow-ups a user records: an entry lists the session, removing the last
one unlists it, only a completed contact ends the follow-up, and the migration that built the
list from existing records lists exactly the needled sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.treatments import services
from needlerx.treatments.models import NeedledSession, TreatmentSession
from tests.personas import World
from tests.schema_travel import migrate_to
from tests.treatments.helpers import (
    UPPER_TRAPEZIUS,
    checked_session,
    consent,
    fresh,
    move_start,
    needle,
    needled_sessions_from_entries,
    needled_sessions_listed,
)

BEFORE = [("treatments", "0005_note_types_evaluation_fields_carry_forward")]
OTHER_MUSCLE = {"muscle": "upper_trapezius", "side": "right", "technique": "static"}


def _draft(world: World, mrn: str, hours_ago: int = 30) -> TreatmentSession:
    episode = world.episode(world.patient(mrn=mrn, given_name=mrn))
    consent(world.alice, episode)
    session = checked_session(world.alice, episode, plan=[UPPER_TRAPEZIUS, OTHER_MUSCLE])
    move_start(session, timezone.now() - dt.timedelta(hours=hours_ago))
    return fresh(session)


def _due_names(client: Client) -> list[str]:
    rows = client.get(reverse("follow_ups")).context["followups_due"]["rows"]
    return [row["patient"].given_name for row in rows]


def test_an_entry_lists_the_session_as_due_and_removing_the_last_unlists_it(
    client: Client, world: World
) -> None:
    session = _draft(world, "Ana")
    client.force_login(world.alice)
    assert _due_names(client) == []
    first = needle(world.alice, session)
    needle(world.alice, fresh(session), OTHER_MUSCLE)
    assert _due_names(client) == ["Ana"]
    assert needled_sessions_listed() == needled_sessions_from_entries()
    response = client.delete(f"/api/v1/needling-entries/{first.public_id}")
    assert response.status_code == 200
    assert _due_names(client) == ["Ana"]  # one muscle is still needled
    last = fresh(session).needling_entries.get()
    assert client.delete(f"/api/v1/needling-entries/{last.public_id}").status_code == 200
    assert _due_names(client) == []
    assert not NeedledSession.objects.exists()


def test_only_a_completed_contact_ends_the_follow_up_and_its_first_moment_is_kept(
    client: Client, world: World
) -> None:
    session = _draft(world, "Ben")
    needle(world.alice, session)
    client.force_login(world.alice)
    tried = timezone.now() - dt.timedelta(hours=4)
    services.follow_up_record(
        actor=world.alice,
        session=session,
        method="phone",
        outcome="unreachable",
        contacted_at=tried,
    )
    assert _due_names(client) == ["Ben"]
    reached = timezone.now() - dt.timedelta(hours=2)
    services.follow_up_record(
        actor=world.alice, session=session, method="phone", outcome="well", contacted_at=reached
    )
    later = timezone.now() - dt.timedelta(hours=1)
    services.follow_up_record(
        actor=world.alice, session=session, method="message", outcome="well", contacted_at=later
    )
    assert _due_names(client) == []
    assert NeedledSession.objects.get().follow_up_made_at == reached
    assert needled_sessions_listed() == needled_sessions_from_entries()


@pytest.mark.django_db(transaction=True)
def test_the_migration_lists_exactly_the_needled_sessions_with_their_first_completed_contact(
    world: World, at_the_latest_schema: Any
) -> None:
    reached = _draft(world, "Cal", hours_ago=50)
    needle(world.alice, reached)
    services.follow_up_record(
        actor=world.alice,
        session=reached,
        method="phone",
        outcome="well",
        contacted_at=timezone.now() - dt.timedelta(hours=20),
    )
    unreached = _draft(world, "Dee")
    needle(world.alice, unreached)
    services.follow_up_record(
        actor=world.alice, session=unreached, method="phone", outcome="unreachable"
    )
    _draft(world, "Eve")  # exercise only: not needled
    expected = needled_sessions_from_entries()
    assert len(expected) == 2
    migrate_to(BEFORE)
    migrate_to()
    assert needled_sessions_listed() == expected
