"""Credentials, staff and clinics as the API and the CLI print them (public ids, ISO dates,
a plain status)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from needlerx.accounts.models import Clinic, DryNeedlingCredential
from needlerx.accounts.selectors import ClinicianCredentials, StaffMember
from needlerx.accounts.services import CLINIC_FIELDS

STATUS_LABELS = {
    "current": "Current",
    "expired": "Expired",
    "not_yet_completed": "Training not yet completed",
    "none": "No credential recorded",
}


def credential_state(credential: DryNeedlingCredential, on: dt.date) -> str:
    if credential.completed_on > on:
        return "not_yet_completed"
    if credential.expires_on is not None and credential.expires_on < on:
        return "expired"
    return "current"


def credential_out(credential: DryNeedlingCredential, on: dt.date) -> dict[str, Any]:
    return {
        "id": str(credential.public_id),
        "clinician": credential.user.username,
        "clinician_id": str(credential.user.public_id),
        "training_provider": credential.training_provider,
        "hours": credential.hours,
        "completed_on": credential.completed_on.isoformat(),
        "expires_on": credential.expires_on.isoformat() if credential.expires_on else None,
        "licence_number": credential.licence_number,
        "jurisdiction": f"{credential.licence_country}-{credential.licence_region}",
        "status": credential_state(credential, on),
    }


def clinician_row_out(row: ClinicianCredentials, on: dt.date) -> dict[str, Any]:
    return {
        "clinician": row.user.username,
        "clinician_id": str(row.user.public_id),
        "name": row.user.get_full_name() or row.user.get_username(),
        "status": row.status,
        "credentials": [credential_out(c, on) for c in row.credentials],
    }


def staff_out(member: StaffMember) -> dict[str, Any]:
    membership = member.membership
    return {
        "id": str(membership.public_id),
        "clinic": membership.clinic.name,
        "clinic_id": str(membership.clinic.public_id),
        "user_id": str(member.user.public_id),
        "username": member.user.username,
        "name": member.name,
        "email": member.user.email,
        "role": membership.role,
        "active": member.user.is_active,
        "second_factor": member.second_factor,
        "credential_status": member.credential_status,
    }


def clinic_out(clinic: Clinic) -> dict[str, Any]:
    return {
        "id": str(clinic.public_id),
        "network": clinic.network.name,
        **{name: getattr(clinic, name) for name in CLINIC_FIELDS},
    }
