"""The audit chain names each edited, inserted, renumbered or deleted row; triggers refuse edits."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from needlerx.audit.chain import audit_chain_report, audit_event_hash
from needlerx.audit.guard import guard_installed, install_guard
from needlerx.audit.models import AuditEvent
from needlerx.audit.services import audit_chain_verify, audit_record

pytestmark = pytest.mark.django_db


def five_events() -> list[AuditEvent]:
    return [audit_record(action=f"test.event_{n}", detail={"n": n}) for n in range(1, 6)]


def tamper(sql: str, params: list[str | int]) -> None:
    """What an attacker with database access does: drop the guard, change rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
    install_guard(connection)


def problems() -> list[str]:
    return [str(item) for item in audit_chain_verify()]


def test_an_untouched_chain_verifies_and_reports_its_head():
    events = five_events()
    report = audit_chain_report()
    assert report.breaks == []
    assert (report.events, report.head_sequence) == (5, events[-1].sequence)
    assert report.head_hash == events[-1].content_hash


def test_an_edited_row_is_named():
    five_events()
    tamper("UPDATE audit_auditevent SET action = 'test.forged' WHERE sequence = 3", [])
    assert problems() == ["event #3: edited: its content no longer matches its hash"]


def test_an_edit_with_a_recomputed_hash_is_caught_by_the_seal_and_the_next_link():
    five_events()
    event = AuditEvent.objects.get(sequence=3)
    event.action = "test.forged"
    forged_hash = audit_event_hash(event)
    tamper(
        "UPDATE audit_auditevent SET action = %s, content_hash = %s WHERE sequence = 3",
        ["test.forged", forged_hash],
    )
    found = problems()
    assert "event #3: inserted or rewritten by someone without the audit key" in found[0]
    assert found[1].startswith("event #4: does not chain onto #3")


def test_a_deleted_row_is_named():
    five_events()
    tamper("DELETE FROM audit_auditevent WHERE sequence = 3", [])
    assert problems() == ["event #4: events #3 before it were deleted"]


def test_an_inserted_row_is_named_even_when_later_rows_are_renumbered():
    events = five_events()
    for sequence in (5, 4, 3):  # make room for a forged #3, highest first
        tamper(
            "UPDATE audit_auditevent SET sequence = %s WHERE sequence = %s",
            [sequence + 1, sequence],
        )
    forged = AuditEvent(
        sequence=3,
        occurred_at=events[2].occurred_at,
        action="test.forged",
        previous_hash=events[1].content_hash,
        detail={},
    )
    forged.content_hash = audit_event_hash(forged)
    forged.seal = "0" * 64
    forged.save()
    found = problems()
    assert "event #3: inserted or rewritten by someone without the audit key" in found[0]
    assert "event #4: chains onto the event before #3: event #3 was inserted" in found
    assert any(p.startswith("event #4: renumbered") for p in found)


def test_a_forged_event_appended_at_the_end_fails_its_seal():
    events = five_events()
    forged = AuditEvent(
        sequence=6,
        occurred_at=events[-1].occurred_at,
        action="test.forged",
        previous_hash=events[-1].content_hash,
        detail={},
    )
    forged.content_hash = audit_event_hash(forged)
    forged.seal = "f" * 64
    forged.save()
    assert problems() == [
        "event #6: inserted or rewritten by someone without the audit key (its seal is wrong)"
    ]


def test_the_command_names_the_bad_row_and_exits_1(capsys):
    five_events()
    call_command("audit", "verify")
    assert "Audit trail intact: 5 events; head #5" in capsys.readouterr().out
    tamper("DELETE FROM audit_auditevent WHERE sequence = 2", [])
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify")
    assert raised.value.returncode == 1
    assert "event #3: events #2 before it were deleted" in capsys.readouterr().err


def test_an_anchor_catches_deletion_of_the_newest_events(capsys):
    events = five_events()
    anchor = f"{events[-1].sequence}:{events[-1].content_hash}"
    call_command("audit", "verify", "--anchor", anchor)
    tamper("DELETE FROM audit_auditevent WHERE sequence = 5", [])
    assert problems() == []  # the chain alone cannot see a cut-off tail
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--anchor", anchor)
    assert "event #5: anchored event is missing (deleted)" in capsys.readouterr().err


def test_the_database_refuses_update_and_delete_of_audit_events():
    event = audit_record(action="test.event")
    assert guard_installed(connection)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="test.forged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET detail = '{}'")
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_the_model_refuses_to_change_or_delete_an_event():
    event = audit_record(action="test.event")
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@pytest.mark.django_db(transaction=True)
def test_emptying_the_whole_database_with_flush_still_works():
    audit_record(action="test.event")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    with pytest.raises(DatabaseError), transaction.atomic():
        audit_record(action="test.event")
        AuditEvent.objects.all().delete()
