"""Where an action came from: a web request (address, agent, request id) or a CLI command."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace


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
