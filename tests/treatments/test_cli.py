"""The CLI door: `needlerx treatment` and `needlerx followups` call the same services and gates."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from needlerx.treatments import services
from tests.treatments.helpers import (
    UPPER_TRAPEZIUS,
    checked_session,
    consent,
    fresh,
    move_start,
    needle,
)

ENTRY = {
    **UPPER_TRAPEZIUS,
    "needle_gauge_mm": 0.25,
    "needle_length_mm": 30,
    "max_depth_mm": 15,
    "insertions": 3,
    "needles": 2,
}


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_needling_without_consent_exits_2_naming_the_problem(world, tmp_path):
    session = checked_session(world.alice, world.episode(world.patient()))
    entry = tmp_path / "entry.json"
    entry.write_text(json.dumps(ENTRY))
    with pytest.raises(CommandError) as refused:
        run(
            "treatment",
            "needling",
            "--user",
            "alice",
            "--session",
            str(session.public_id),
            "--input",
            str(entry),
        )
    assert refused.value.returncode == 2
    assert "no active consent" in str(refused.value)
    assert not session.needling_entries.exists()


def test_a_signed_note_cannot_be_changed_from_the_cli(world, tmp_path):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    needle(world.alice, session)
    session = services.treatment_session_needle_count(
        actor=world.alice, session=session, needles_used=2, needles_removed=2
    )
    session = services.treatment_session_update(
        actor=world.alice,
        session=session,
        expected_version=session.version,
        assessment="ok",
        aftercare_given=["soreness_expected", "pneumothorax_safety_net", "contact_clinic"],
    )
    shown = json.loads(
        run(
            "treatment",
            "sign",
            "--user",
            "alice",
            "--session",
            str(session.public_id),
            "--version",
            str(session.version),
        )
    )
    assert shown["signed_by"] == "alice"
    entry = tmp_path / "entry.json"
    entry.write_text(json.dumps(ENTRY))
    with pytest.raises(CommandError) as refused:
        run(
            "treatment",
            "needling",
            "--user",
            "alice",
            "--session",
            str(session.public_id),
            "--input",
            str(entry),
        )
    assert refused.value.returncode == 2
    assert "signed" in str(refused.value)
    with pytest.raises(CommandError):
        run(
            "treatment",
            "needle-count",
            "--user",
            "alice",
            "--session",
            str(session.public_id),
            "--used",
            "3",
            "--removed",
            "3",
        )
    assert fresh(session).needling_entries.count() == 1
    assert fresh(session).needles_used == 2


def test_a_needle_count_mismatch_blocks_signing_from_the_cli(world):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    needle(world.alice, session)
    run(
        "treatment",
        "needle-count",
        "--user",
        "alice",
        "--session",
        str(session.public_id),
        "--used",
        "2",
        "--removed",
        "1",
    )
    with pytest.raises(CommandError) as refused:
        run(
            "treatment",
            "sign",
            "--user",
            "alice",
            "--session",
            str(session.public_id),
            "--version",
            str(fresh(session).version),
        )
    assert "needle count mismatch" in str(refused.value)
    assert fresh(session).signed_at is None


def test_followups_lists_needling_sessions_due_for_the_users_clinics(world):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    needle(world.alice, session)
    move_start(session, session.started_at - dt.timedelta(hours=30))
    rows = [json.loads(line) for line in run("followups", "--user", "alice", "--json").splitlines()]
    assert [(r["session_id"], r["status"]) for r in rows] == [(str(session.public_id), "due")]
    assert run("followups", "--user", "bob", "--json") == ""
    services.follow_up_record(
        actor=world.alice, session=fresh(session), method="phone", outcome="well"
    )
    assert run("followups", "--user", "alice", "--json") == ""
