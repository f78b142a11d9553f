"""What the credentials, staff and clinic API answers (ids are public UUIDs): only these
fields leave the server."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from needlerx.core.responses import Out

# The status words of ``accounts.serializers.STATUS_LABELS`` (``none``: no credential recorded).
CredentialStatus = Literal["current", "expired", "not_yet_completed"]
ClinicianStatus = Literal["current", "expired", "not_yet_completed", "none"]


class CredentialOut(Out):
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


class ClinicianCredentialsOut(Out):
    """One clinician of a clinic you administer, with their dry-needling credentials."""

    clinic: str
    clinic_id: uuid.UUID
    clinician: str
    clinician_id: uuid.UUID
    name: str
    status: ClinicianStatus
    credentials: list[CredentialOut]


StaffRole = Literal["clinician", "front_desk", "clinic_admin"]


class StaffOut(Out):
    """One person's place in a clinic you administer (``id`` is that place's id)."""

    id: uuid.UUID
    clinic: str
    clinic_id: uuid.UUID
    user_id: uuid.UUID
    username: str
    name: str
    email: str
    role: StaffRole
    active: bool
    second_factor: bool
    credential_status: ClinicianStatus | None


class ClinicOut(Out):
    id: uuid.UUID
    network: str
    name: str
    address_line_1: str
    address_line_2: str
    city: str
    postal_code: str
    phone: str
    npi: str
    country: str
    region: str
    time_zone: str
    date_style: Literal["iso", "month_first"]
    measurement_units: Literal["metric", "us_customary"]


class PasswordLinkOut(Out):
    """A one-time link to choose a password; ``emailed_to`` is empty when it was not emailed."""

    url: str
    emailed_to: str
    valid_days: int
