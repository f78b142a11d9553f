"""The audit trail of a clinic in use, added to the benchmark's database after the demo load.

Every page anyone opens adds an event to the audit trail, so a clinic in use has more events than
sessions or measures; the demo loads patients, not their years of use, and leaves a trail of a few
thousand events, under which no read of the trail can show what it costs. Before any page is
timed, this appends ``EVENTS_PER_PATIENT`` page views per demo patient: the demo clinicians
opening their clinic's patients over the past year, one client address (the clinic's, as behind
a proxy), each event chained and sealed as ``audit_record`` writes it, so the trail still
verifies. The pages and the served users then run on it, and two reads of the trail that no page
of the table times are timed on it: a sign-in's check of recent failures and the first page of a
patient's trail.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

EVENTS_PER_PATIENT = 20
BATCH = 5_000
CLINIC_ADDRESS = "127.0.0.1"  # the served users' address too
SHOWN = ("treatment_session.view", "patient.view", "progress.view", "episode.view")
YEAR = dt.timedelta(days=365)


@dataclass(frozen=True)
class TrailOfUse:
    events: int
    seconds: float
    sign_in_check_ms: float
    patient_trail_page_ms: float


def _page_views(count: int, staff: list[Any], patients: list[Any]) -> Iterator[dict[str, Any]]:
    """``count`` page views, oldest first, over the year before now."""
    rng = random.Random(13)
    start = dt.datetime.now(dt.UTC) - YEAR
    step = YEAR / count
    for n in range(count):
        user = staff[n % len(staff)]
        patient = rng.choice(patients)
        yield {
            "occurred_at": start + step * n,
            "actor_public_id": str(user.public_id),
            "actor_username": user.username,
            "actor_role": "clinician",
            "clinic_public_id": str(patient.clinic.public_id),
            "action": rng.choice(SHOWN),
            "object_type": "Patient",
            "object_public_id": str(patient.public_id),
            "patient_public_id": str(patient.public_id),
            "request_id": uuid.UUID(int=rng.getrandbits(128)).hex,
            "client_address": CLINIC_ADDRESS,
            "detail": {"shown": ["patient"]},
        }


def add_trail_of_use(per_patient: int = EVENTS_PER_PATIENT) -> tuple[int, float]:
    """Append the page views after the trail's last event, in batches; the events added and
    the seconds it took."""
    from needlerx.accounts.models import Membership, Role
    from needlerx.audit.chain import GENESIS_HASH, audit_event_hash, audit_seal
    from needlerx.audit.models import AuditEvent
    from needlerx.demo.bulk import table_statistics_refresh
    from needlerx.patients.models import Patient

    started = time.perf_counter()
    clinicians = Membership.objects.filter(role=Role.CLINICIAN).select_related("user")
    staff = [membership.user for membership in clinicians]
    patients = list(Patient.objects.select_related("clinic").only("public_id", "clinic"))
    count = per_patient * len(patients)
    last = AuditEvent.objects.order_by("-sequence").first()
    sequence = last.sequence if last else 0
    previous = last.content_hash if last else GENESIS_HASH
    batch: list[AuditEvent] = []
    for fields in _page_views(count, staff, patients):
        sequence += 1
        event = AuditEvent(sequence=sequence, previous_hash=previous, **fields)
        event.content_hash = previous = audit_event_hash(event)
        event.seal = audit_seal(event.content_hash)
        batch.append(event)
        if len(batch) == BATCH:
            _append(batch)
            batch = []
    _append(batch)
    # As autovacuum does on a live PostgreSQL server, which has analysed the trail long before
    # it holds a million events (and as the demo load does for its own tables).
    table_statistics_refresh(AuditEvent._meta.db_table)
    return count, time.perf_counter() - started


def _append(events: list[Any]) -> None:
    """One batch in a transaction of its own, as a day's events commit one by one: SQLite's
    write-ahead log stays short (a million events in one transaction left a log that the
    served users then paid to copy back into the database)."""
    from django.db import transaction

    from needlerx.audit.models import AuditEvent

    with transaction.atomic():
        AuditEvent.objects.bulk_create(events)


def _median_ms(read: Callable[[], Any], repeat: int) -> float:
    read()  # warm
    taken = []
    for _ in range(repeat):
        started = time.perf_counter()
        read()
        taken.append(time.perf_counter() - started)
    return statistics.median(taken) * 1000


def trail_of_use(subject: Any, repeat: int) -> TrailOfUse:
    """Add the trail, then time the two reads of it that no page of the table shows: the
    patient's trail as its page reads it (the selector's events, a page of them), by the
    clinic's admin, whose role may see it."""
    from needlerx.accounts.lockout import login_lockout_status
    from needlerx.accounts.models import Membership, Role
    from needlerx.patients.audit_trail import patient_audit_trail_for_user
    from needlerx.web.pages.audit_trail import PAGE_SIZE

    events, seconds = add_trail_of_use()
    username = subject.user.get_username()
    sign_in = _median_ms(
        lambda: login_lockout_status(username=username, client_address=CLINIC_ADDRESS), repeat
    )
    admins = Membership.objects.select_related("user").filter(role=Role.CLINIC_ADMIN)
    admin = admins.get(clinic=subject.patient.clinic).user
    _, newest_first = patient_audit_trail_for_user(
        user=admin, patient_public_id=subject.patient.public_id
    )
    trail = _median_ms(lambda: list(newest_first[:PAGE_SIZE]), repeat)
    return TrailOfUse(events, seconds, sign_in, trail)
