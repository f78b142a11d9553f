"""What the credentials API answers (ids are public UUIDs): only these fields leave the server."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from ninja import Schema

# The status words of ``accounts.serializers.STATUS_LABELS`` (``none``: no credential recorded).
CredentialStatus = Literal["current", "expired", "not_yet_completed"]
ClinicianStatus = Literal["current", "expired", "not_yet_completed", "none"]


class CredentialOut(Schema):
    id: uuid.UUID
    clinician: str
    clinician_id: uuid.UUID
    training_provider: str
    hours: int
    completed_on: dt.date
    expires_on: dt.date | None
    licence_number: str
    jurisdiction: str
    status: CredentialStatus


class ClinicianCredentialsOut(Schema):
    """One clinician of a clinic you administer, with their dry-needling credentials."""

    clinic: str
    clinic_id: uuid.UUID
    clinician: str
    clinician_id: uuid.UUID
    name: str
    status: ClinicianStatus
    credentials: list[CredentialOut]
