"""The audit trail grows with every page anyone opens: what reads it must not grow with it.

A clinic's trail soon holds more rows than any clinical table, nearly all from one client
address (the clinic's own) and a few staff. Each read of it is explained by the database itself
(SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN with sequential scans priced out) on a trail of
a few thousand events, in three states of the planner's statistics: fresh, none, and taken when
the trail was young (a server analysed early in its life), the state in which SQLite chose to
walk the whole chain for a sign-in's throttle check.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from typing import Any

import pytest
from bench.used_trail import add_trail_of_use
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from needlerx.accounts.lockout import login_lockout_status
from needlerx.audit.context import origin, read_scope
from needlerx.audit.models import AuditEvent
from needlerx.audit.reads import audit_read, read_scope_close
from needlerx.audit.services import GENESIS_HASH, audit_chain_verify, audit_record
from needlerx.patients.audit_trail import patient_audit_trail_for_user
from needlerx.treatments.services import treatment_session_start
from tests.personas import World
from tests.query_plans import query_plan, statement_plan
from tests.schema_travel import at_the_latest_schema, migrate_to
from tests.treatments.helpers import answer_required_questions

__all__ = ["at_the_latest_schema"]

TRAIL_SIZE = 3000
YOUNG_TRAIL = 300  # events when "statistics of a young trail" were taken
CLINIC_ADDRESS = "203.0.113.7"
STAFF = ("alice", "carmen", "dev", "erin", "farid")
SHOWN_PATIENTS = 300
# One of the 300, so a test can open their trail.
KNOWN_PATIENT = uuid.UUID("00000000-0000-4000-8000-000000000001")


def _add_events(count: int) -> None:
    """``count`` page views after the trail's last event: one address, five staff, 300
    patients, a minute apart and ending now."""
    last = AuditEvent.objects.order_by("-sequence").first()
    start = last.sequence if last else 0
    now = timezone.now()
    patients = [str(KNOWN_PATIENT), *(str(uuid.uuid4()) for _ in range(SHOWN_PATIENTS - 1))]
    AuditEvent.objects.bulk_create(
        AuditEvent(
            sequence=start + n + 1,
            occurred_at=now - dt.timedelta(minutes=count - n),
            actor_username=STAFF[n % len(STAFF)],
            actor_role="clinician",
            action="treatment_session.view",
            patient_public_id=patients[n % SHOWN_PATIENTS],
            request_id=uuid.uuid4().hex,
            client_address=CLINIC_ADDRESS,
            previous_hash=GENESIS_HASH,
            content_hash=GENESIS_HASH,
        )
        for n in range(count)
    )


@pytest.fixture(params=["with statistics", "without statistics", "statistics of a young trail"])
def long_trail(request: Any, db: None) -> None:
    with connection.cursor() as cursor:
        if request.param == "statistics of a young trail":
            _add_events(YOUNG_TRAIL)
            cursor.execute("ANALYZE")
            _add_events(TRAIL_SIZE - YOUNG_TRAIL)
        else:
            _add_events(TRAIL_SIZE)
            if request.param == "with statistics":
                cursor.execute("ANALYZE")
            elif connection.vendor == "postgresql":
                # As a restore leaves it: the size known, no statistics of the columns (see
                # tests/patients/test_patient_search.py).
                cursor.execute(f"REINDEX TABLE {AuditEvent._meta.db_table}")


def _trail_reads(captured: CaptureQueriesContext) -> list[str]:
    """The reads of the audit table, but the chain's last event (read by its unique index)."""
    return [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT")
        and 'FROM "audit_auditevent"' in query["sql"]
        and not query["sql"].endswith(" LIMIT 1")
    ]


def _walks_the_trail(plan: str) -> bool:
    """A plan that reads the whole table, or the chain from one end, rather than seeking."""
    if connection.vendor == "postgresql":
        return "Seq Scan" in plan or "audit_auditevent_sequence_key" in plan
    return any(line.strip().startswith("SCAN audit_auditevent") for line in plan.splitlines())


def _seeks(plan: str, index: str) -> bool:
    if connection.vendor == "postgresql":
        return f" using {index} " in plan.lower() or f" on {index}" in plan.lower()
    return f"INDEX {index} (" in plan


@pytest.mark.django_db
def test_a_saved_step_of_a_note_finds_its_own_event_by_key(client, world: World, long_trail):
    """A save shows the note again: the request's own event names the patient, found by its id
    (it used to be sought by the request's id through the whole trail)."""
    patient = world.patient()
    episode = world.episode(patient)
    answer_required_questions(world.alice, patient)
    draft = treatment_session_start(actor=world.alice, episode=episode)
    client.force_login(world.alice)
    url = reverse("clinic:session_step", args=[patient.public_id, draft.public_id, "response"])
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True)[0]
    with CaptureQueriesContext(connection) as captured:
        answer = client.post(
            url,
            {"version": draft.version, "assessment": "Tolerated well."},
            headers={"HX-Request": "true"},
        )
    assert answer.status_code == 200
    written = AuditEvent.objects.filter(sequence__gt=before)
    assert [event.action for event in written] == ["treatment_session.update"]
    [read] = _trail_reads(captured)
    plan = statement_plan(read)
    assert not _walks_the_trail(plan), plan
    primary_key = "audit_auditevent_pkey" if connection.vendor == "postgresql" else "PRIMARY KEY"
    assert primary_key in plan, plan


@pytest.mark.django_db
@pytest.mark.parametrize("rolled_back", [False, True])
def test_a_patient_shown_after_a_write_is_recorded_unless_the_write_was(world: World, rolled_back):
    """The write's event stands for the view only if it was committed."""
    patient = world.patient()
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True)[0]
    with origin(request_id=uuid.uuid4().hex), read_scope() as scope:
        with contextlib.suppress(RuntimeError), transaction.atomic():
            audit_record(action="patient.change", actor=world.alice, patient=patient, obj=patient)
            if rolled_back:
                raise RuntimeError("the write failed after its event")
        audit_read(actor=world.alice, actor_role="clinician", patient=patient, obj=patient)
        read_scope_close(scope)
    actions = [e.action for e in AuditEvent.objects.filter(sequence__gt=before)]
    assert actions == (["patient.view"] if rolled_back else ["patient.change"])


@pytest.mark.django_db
def test_a_patients_trail_is_read_newest_first_from_its_index(world: World, long_trail):
    """One page of the trail: the patient's events from the index, never the chain walked
    for them (on SQLite in the order of the index, with nothing to sort; PostgreSQL sorts the
    few rows of a patient when that costs it less)."""
    patient = world.patient()
    type(patient).objects.filter(pk=patient.pk).update(public_id=KNOWN_PATIENT)
    _, events = patient_audit_trail_for_user(user=world.ada, patient_public_id=KNOWN_PATIENT)
    assert events.count() >= TRAIL_SIZE // SHOWN_PATIENTS
    plan = query_plan(events[:25])
    assert _seeks(plan, "audit_patient_sequence"), plan
    assert not _walks_the_trail(plan), plan
    assert "TEMP B-TREE" not in plan, plan


@pytest.mark.django_db
def test_a_sign_in_counts_recent_failures_without_reading_the_trail(long_trail):
    """Every event here comes from the clinic's one address, as behind a proxy that does not
    pass the client's address on: statistics then say an address selects nothing."""
    with CaptureQueriesContext(connection) as captured:
        status = login_lockout_status(username="alice", client_address=CLINIC_ADDRESS)
    assert not status.locked
    reads = _trail_reads(captured)
    assert len(reads) == 2
    for read, index in zip(reads, ["audit_actor_time", "audit_address_time"], strict=True):
        plan = statement_plan(read)
        assert _seeks(plan, index), plan
        assert not _walks_the_trail(plan), plan


@pytest.mark.django_db(transaction=True)
def test_the_trails_new_index_is_made_without_copying_the_trail(world: World, at_the_latest_schema):
    """The migration adds one index and drops the patient's own; going back does the reverse.
    The events stay, and so do the triggers that keep them append-only."""
    before = AuditEvent.objects.count()
    assert before > 0
    with CaptureQueriesContext(connection) as captured:
        migrate_to([("audit", "0002_seal_and_login_throttle_indexes")])
        migrate_to()
    changes = [
        query["sql"].split(None, 2)[:2]
        for query in captured.captured_queries
        if query["sql"].split(None, 1)[0].upper() in {"CREATE", "DROP", "ALTER", "INSERT"}
        and "audit_auditevent" in query["sql"]
    ]
    assert changes and all(words[1].upper() == "INDEX" for words in changes), changes
    assert AuditEvent.objects.count() == before
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()


@pytest.mark.django_db
def test_the_benchmarks_trail_of_use_is_chained_and_sealed(world: World):
    """``make bench`` adds a year of page views before timing: the chain must still verify."""
    world.patient()
    world.patient(mrn="A-0002")
    before = AuditEvent.objects.count()
    added, _ = add_trail_of_use(per_patient=3)
    assert added == 6 and AuditEvent.objects.count() == before + added
    assert audit_chain_verify() == []
