"""Input and output shapes of the credentials API (ids are public UUIDs).

``CredentialIn`` and ``CredentialPatchIn`` are also what ``needlerx credential add`` and
``update`` check their options with (``core.inputs``), so both doors refuse alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict

from needlerx.core.inputs import Described

Hours = Annotated[int, Described("a whole number")]
Date = Annotated[dt.date, Described("a date YYYY-MM-DD")]


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class CredentialIn(In):
    training_provider: str
    hours: Hours
    completed_on: Date
    expires_on: Date | None = None
    licence_number: str
    licence_country: str
    licence_region: str


class CredentialPatchIn(In):
    """Only the fields given change (e.g. a renewal sends only ``expires_on``)."""

    training_provider: str | None = None
    hours: Hours | None = None
    completed_on: Date | None = None
    expires_on: Date | None = None
    licence_number: str | None = None
    licence_country: str | None = None
    licence_region: str | None = None
