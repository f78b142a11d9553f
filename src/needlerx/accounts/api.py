"""Thin credential endpoints for clinic admins: list a clinic's clinicians, add and renew."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from needlerx.accounts import selectors, services
from needlerx.accounts.http import request_user
from needlerx.accounts.responses import ClinicianCredentialsOut, CredentialOut
from needlerx.accounts.schemas import CredentialIn, CredentialPatchIn
from needlerx.accounts.serializers import clinician_row_out, credential_out
from needlerx.core.errors import NotFound
from needlerx.core.responses import BAD_REQUEST, NOT_FOUND, errors

router = Router(tags=["credentials"])


@router.get(
    "/clinicians",
    response={200: list[ClinicianCredentialsOut], **errors(BAD_REQUEST, NOT_FOUND)},
)
def clinic_clinicians(
    request: HttpRequest, clinic_id: uuid.UUID | None = None
) -> list[dict[str, Any]]:
    """The clinicians of each clinic you administer (or of ``clinic_id``), with their
    dry-needling credentials and today's status."""
    user, today = request_user(request), timezone.localdate()
    clinics = selectors.clinics_where_user_manages_credentials(user=user)
    if clinic_id is not None:
        clinics = clinics.filter(public_id=clinic_id)
        if not clinics.exists():
            raise NotFound("No such clinic among those you administer.")
    return [
        {"clinic": clinic.name, "clinic_id": clinic.public_id, **clinician_row_out(row, today)}
        for clinic in clinics
        for row in selectors.clinicians_with_credentials(user=user, clinic=clinic, on=today)
    ]


@router.post(
    "/clinicians/{clinician_id}/credentials",
    response={201: CredentialOut, **errors(BAD_REQUEST, NOT_FOUND)},
)
def credential_add(
    request: HttpRequest, clinician_id: uuid.UUID, payload: CredentialIn
) -> Status[dict[str, Any]]:
    user = request_user(request)
    clinician, _ = selectors.clinician_get_for_credentials(user=user, public_id=clinician_id)
    credential = services.credential_add(actor=user, user=clinician, **payload.dict())
    return Status(201, credential_out(credential, timezone.localdate()))


@router.get(
    "/credentials/{credential_id}", response={200: CredentialOut, **errors(BAD_REQUEST, NOT_FOUND)}
)
def credential_detail(request: HttpRequest, credential_id: uuid.UUID) -> dict[str, Any]:
    user = request_user(request)
    credential = selectors.credential_get_for_user(user=user, public_id=credential_id)
    return credential_out(credential, timezone.localdate())


@router.patch(
    "/credentials/{credential_id}", response={200: CredentialOut, **errors(BAD_REQUEST, NOT_FOUND)}
)
def credential_update(
    request: HttpRequest, credential_id: uuid.UUID, payload: CredentialPatchIn
) -> dict[str, Any]:
    """Correct or renew a credential; only the fields sent change."""
    user = request_user(request)
    credential = selectors.credential_get_for_user(user=user, public_id=credential_id)
    changes = payload.dict(exclude_unset=True)
    updated = services.credential_update(actor=user, credential=credential, **changes)
    return credential_out(updated, timezone.localdate())
