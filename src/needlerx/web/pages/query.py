"""Query-string parameters read as the type a page needs; a malformed one is a 400 naming it."""

from __future__ import annotations

import uuid

from django.http import HttpRequest

from needlerx.core.errors import ApplicationError


def uuid_in_query(request: HttpRequest, name: str) -> uuid.UUID | None:
    """``?<name>=<public id>``: the id, ``None`` when absent or empty, or an ApplicationError."""
    given = request.GET.get(name, "")
    if not given:
        return None
    try:
        return uuid.UUID(given)
    except ValueError:
        raise ApplicationError(f"must be a public id (got {given[:40]!r})", field=name) from None
