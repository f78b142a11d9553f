"""The last line of defence for signed notes: refuse changes at the model and queryset level.

Services refuse first, with a clear message; these guards catch any other code path (a shell, a
script, a future view) that would save, update or delete a signed note or one of its parts.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from needlerx.core.errors import ApplicationError


class SignedNoteLocked(ApplicationError):
    """A signed note, or a part of it, cannot be changed; corrections are addenda."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "This note is signed and cannot be changed; add an addendum instead.",
            code="note_signed",
        )


def refuse_if_signed(queryset: models.QuerySet[Any], signed_lookup: str) -> None:
    """Refuse a bulk ``update``/``delete`` that would touch a signed note (or a part of one).

    ``signed_lookup`` is the path from the row to its session's ``signed_at``.
    """
    rows = queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
    if rows.filter(**{f"{signed_lookup}__isnull": False}).exists():
        raise SignedNoteLocked()
