"""Where an action came from (a web request or a CLI command), and the reads it gathered.

``Origin``: the request's address, agent and id, or the command. ``ReadScope``: the patient data
shown during one request or command, written as view events when it ends (``audit.reads``).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Origin:
    request_id: str = ""
    client_address: str = ""
    user_agent: str = ""
    command: str = ""


NO_ORIGIN = Origin()
_origin: contextvars.ContextVar[Origin] = contextvars.ContextVar(
    "audit_origin",
    default=NO_ORIGIN,
)


def current_origin() -> Origin:
    return _origin.get()


@contextmanager
def origin(**fields: str) -> Iterator[Origin]:
    """Attribute every audit event inside the block to this request or command."""
    token = _origin.set(replace(_origin.get(), **fields))
    try:
        yield _origin.get()
    finally:
        _origin.reset(token)


@dataclass
class PendingView:
    actor: Any
    actor_role: str
    patient: Any
    shown: dict[str, Any] = field(default_factory=dict)


@dataclass
class PendingListing:
    actor: Any
    shown: list[str] = field(default_factory=list)
    patients: dict[str, None] = field(default_factory=dict)


@dataclass
class ReadScope:
    """The reads of one request or command, written once when it ends."""

    where: dict[str, Any] = field(default_factory=dict)
    views: dict[str, PendingView] = field(default_factory=dict)
    listing: PendingListing | None = None
    # The events written in the scope that name a patient: event id -> the patient's public id.
    recorded: dict[int, str] = field(default_factory=dict)
    refused: Any = None


_scope: contextvars.ContextVar[ReadScope | None] = contextvars.ContextVar(
    "audit_read_scope", default=None
)


def current_read_scope() -> ReadScope | None:
    return _scope.get()


@contextmanager
def read_scope(**where: Any) -> Iterator[ReadScope]:
    """Gather the reads inside the block; the caller writes them with ``read_scope_close``.

    ``where`` (e.g. the path) goes into each event's detail.
    """
    scope = ReadScope(where=where)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def note_recorded(event_id: int, patient_public_id: str) -> None:
    """``audit_record`` calls this: event ``event_id`` may name the patient in this scope.

    "May": the event's transaction can still roll back, so ``audit.reads`` looks the event up
    by its id before leaving out a view event on the strength of it.
    """
    scope = _scope.get()
    if scope is not None and patient_public_id:
        scope.recorded[event_id] = patient_public_id
