"""The hash chain: how an event's hash and seal are computed, and how the chain is verified.

Each event carries ``content_hash`` = SHA-256 over its columns and the previous event's hash, and
``seal`` = HMAC-SHA256 of that hash under the audit key (NEEDLERX_AUDIT_KEY, or a key generated
once in the data directory). Verification walks the events in sequence order and names each one
that was edited, inserted, renumbered or deleted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings

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


def audit_event_hash(event: AuditEvent, *, sequence: int | None = None) -> str:
    """SHA-256 of the event's content; ``sequence`` recomputes it as if numbered differently."""
    content = {name: getattr(event, name) for name in HASHED_FIELDS}
    content["occurred_at"] = event.occurred_at.isoformat()
    if sequence is not None:
        content["sequence"] = sequence
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def audit_seal(content_hash: str) -> str:
    key: str = settings.AUDIT_SEAL_KEY
    return hmac.new(key.encode(), content_hash.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    problem: str

    def __str__(self) -> str:
        return f"event #{self.sequence}: {self.problem}"


@dataclass(frozen=True)
class ChainReport:
    events: int
    head_sequence: int
    head_hash: str
    breaks: list[ChainBreak]


def _row_problems(event: AuditEvent) -> Iterator[str]:
    """What is wrong with the row on its own (its hash and its seal)."""
    if audit_event_hash(event) != event.content_hash:
        if audit_event_hash(event, sequence=event.sequence - 1) == event.content_hash:
            yield (
                f"renumbered (it was written as #{event.sequence - 1}; "
                "a row was inserted before it)"
            )
        else:
            yield "edited: its content no longer matches its hash"
    elif not hmac.compare_digest(audit_seal(event.content_hash), event.seal):
        yield "inserted or rewritten by someone without the audit key (its seal is wrong)"


def _link_problem(event: AuditEvent, previous: list[AuditEvent]) -> str | None:
    """Whether the row chains onto the row before it, and if not, why."""
    expected = previous[-1].content_hash if previous else GENESIS_HASH
    if event.previous_hash == expected:
        return None
    before_previous = previous[-2].content_hash if len(previous) > 1 else GENESIS_HASH
    if previous and event.previous_hash == before_previous:
        return (
            f"chains onto the event before #{previous[-1].sequence}: "
            f"event #{previous[-1].sequence} was inserted"
        )
    where = f"#{previous[-1].sequence}" if previous else "the start of the chain"
    return f"does not chain onto {where} (that event was edited or replaced)"


def verify_events(events: Iterable[AuditEvent]) -> ChainReport:
    """Walk events in sequence order and name every row that breaks the chain."""
    breaks: list[ChainBreak] = []
    previous: list[AuditEvent] = []  # the last two rows seen
    expected_sequence, count = 1, 0
    for event in events:
        count += 1
        if event.sequence != expected_sequence:
            missing = (
                f"#{expected_sequence}"
                if event.sequence == expected_sequence + 1
                else f"#{expected_sequence}..#{event.sequence - 1}"
            )
            breaks.append(ChainBreak(event.sequence, f"events {missing} before it were deleted"))
        else:
            link = _link_problem(event, previous)
            if link:
                breaks.append(ChainBreak(event.sequence, link))
        breaks.extend(ChainBreak(event.sequence, p) for p in _row_problems(event))
        previous = [*previous[-1:], event]
        expected_sequence = event.sequence + 1
    head = previous[-1] if previous else None
    return ChainReport(
        events=count,
        head_sequence=head.sequence if head else 0,
        head_hash=head.content_hash if head else GENESIS_HASH,
        breaks=breaks,
    )


def audit_chain_report() -> ChainReport:
    return verify_events(AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000))
