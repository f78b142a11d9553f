"""The one door for writing audit events, plus helpers for reads and refusals.

- ``audit_record``: every write service calls it inside its own transaction.
- ``audit_view``: views, API endpoints and exports call it when they show patient data.
- ``audit_denial``: the audit middleware calls it for refused or probing requests.
``needlerx audit verify`` checks the chain (``audit.chain``).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from needlerx.audit.chain import (
    GENESIS_HASH,
    HASHED_FIELDS,
    ChainBreak,
    audit_chain_report,
    audit_event_hash,
    audit_seal,
)
from needlerx.audit.context import current_origin
from needlerx.audit.models import AuditEvent

__all__ = [
    "GENESIS_HASH",
    "HASHED_FIELDS",
    "ChainBreak",
    "audit_chain_verify",
    "audit_denial",
    "audit_event_hash",
    "audit_record",
    "audit_view",
]


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
    actor_username: str = "",
) -> AuditEvent:
    """Append one event. Call it inside the service's transaction so both commit or neither.

    ``actor_username`` names who acted when there is no user record (a failed sign-in with an
    unknown username); otherwise the actor's username is used.
    """
    _lock_chain()
    last = AuditEvent.objects.order_by("-sequence").only("sequence", "content_hash").first()
    origin = current_origin()
    event = AuditEvent(
        sequence=(last.sequence + 1) if last else 1,
        occurred_at=timezone.now(),
        actor_public_id=str(actor.public_id) if actor is not None else "",
        actor_username=(actor.get_username() if actor is not None else actor_username)[:150],
        actor_role=actor_role,
        clinic_public_id=str(clinic.public_id) if clinic is not None else "",
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_public_id=str(getattr(obj, "public_id", "")) if obj is not None else "",
        patient_public_id=str(patient.public_id) if patient is not None else "",
        request_id=origin.request_id[:64],
        client_address=origin.client_address[:64],
        user_agent=origin.user_agent[:300],
        command=origin.command[:200],
        detail=detail or {},
        previous_hash=last.content_hash if last else GENESIS_HASH,
    )
    event.content_hash = audit_event_hash(event)
    event.seal = audit_seal(event.content_hash)
    event.save()
    return event


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _acting_user(request_or_actor: Any) -> Any:
    if isinstance(request_or_actor, HttpRequest):
        user = request_or_actor.user
        return user if user.is_authenticated else None
    return request_or_actor


def audit_view(
    request_or_actor: Any,
    obj: Any,
    patient: Any = None,
    *,
    action: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that someone was shown ``obj`` (a chart, note, report or export).

    The clinic is the patient's (or the object's own ``clinic``); the role is the viewer's role
    there. ``action`` defaults to ``<object_type>.view``, e.g. ``patient.view``.
    """
    from needlerx.accounts.selectors import role_in_clinic  # accounts imports audit

    actor = _acting_user(request_or_actor)
    clinic = getattr(patient, "clinic", None) or getattr(obj, "clinic", None)
    role = role_in_clinic(user=actor, clinic=clinic) if actor and clinic else None
    return audit_record(
        action=action or f"{_snake(type(obj).__name__)}.view",
        actor=actor,
        actor_role=role or "",
        clinic=clinic,
        obj=obj,
        patient=patient,
        detail=detail,
    )


def audit_denial(request: HttpRequest, *, status: int) -> AuditEvent:
    """Record a refused request (403) or a request for an id the user may not see (404)."""
    action = "access.denied" if status == 403 else "access.not_found"
    return audit_record(
        action=action,
        actor=_acting_user(request),
        detail={"method": request.method, "path": request.path[:500], "status": status},
    )


def audit_chain_verify() -> list[ChainBreak]:
    """Every break in the chain (empty when the trail is intact). See ``audit.chain``."""
    return audit_chain_report().breaks
