"""The one door for writing audit events, and the chain check behind ``needlerx audit verify``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from needlerx.audit.context import current_origin
from needlerx.audit.models import AuditEvent

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_public_id",
    "actor_username",
    "actor_role",
    "clinic_public_id",
    "action",
    "object_type",
    "object_public_id",
    "patient_public_id",
    "request_id",
    "client_address",
    "user_agent",
    "command",
    "detail",
    "previous_hash",
)


def audit_event_hash(event: AuditEvent) -> str:
    content = {name: getattr(event, name) for name in HASHED_FIELDS}
    content["occurred_at"] = event.occurred_at.isoformat()
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _lock_chain() -> None:
    """Serialise appends so two writers never chain onto the same previous event."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(727274)")
    # SQLite: NeedleRx opens every transaction IMMEDIATE, which already holds the write lock.


@transaction.atomic
def audit_record(
    *,
    action: str,
    actor: Any = None,
    actor_role: str = "",
    clinic: Any = None,
    obj: Any = None,
    patient: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Call it inside the service's transaction so both commit or neither."""
    _lock_chain()
    last = AuditEvent.objects.order_by("-sequence").only("sequence", "content_hash").first()
    origin = current_origin()
    event = AuditEvent(
        sequence=(last.sequence + 1) if last else 1,
        occurred_at=timezone.now(),
        actor_public_id=str(actor.public_id) if actor is not None else "",
        actor_username=actor.get_username() if actor is not None else "",
        actor_role=actor_role,
        clinic_public_id=str(clinic.public_id) if clinic is not None else "",
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_public_id=str(getattr(obj, "public_id", "")) if obj is not None else "",
        patient_public_id=str(patient.public_id) if patient is not None else "",
        request_id=origin.request_id,
        client_address=origin.client_address,
        user_agent=origin.user_agent[:300],
        command=origin.command,
        detail=detail or {},
        previous_hash=last.content_hash if last else GENESIS_HASH,
    )
    event.content_hash = audit_event_hash(event)
    event.save()
    return event


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    problem: str


def audit_chain_verify() -> list[ChainBreak]:
    """Walk the chain in order; name each event that was edited, inserted or follows a deletion."""
    breaks: list[ChainBreak] = []
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        if event.sequence != expected_sequence:
            breaks.append(
                ChainBreak(
                    event.sequence,
                    f"events {expected_sequence}..{event.sequence - 1} are missing (deleted)",
                )
            )
        if event.previous_hash != expected_previous:
            breaks.append(ChainBreak(event.sequence, "does not chain onto the event before it"))
        if audit_event_hash(event) != event.content_hash:
            breaks.append(ChainBreak(event.sequence, "content was edited after it was written"))
        expected_previous = event.content_hash
        expected_sequence = event.sequence + 1
    return breaks
