"""Thin endpoints for clinic admins: clinicians' credentials, the staff list and its changes,
and the clinic's own details."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from needlerx.accounts import selectors, services
from needlerx.accounts.http import request_user
from needlerx.accounts.models import User
from needlerx.accounts.permissions import MANAGE_STAFF
from needlerx.accounts.responses import (
    ClinicianCredentialsOut,
    ClinicOut,
    CredentialOut,
    PasswordLinkOut,
    StaffOut,
)
from needlerx.accounts.schemas import (
    ClinicPatchIn,
    CredentialIn,
    CredentialPatchIn,
    StaffIn,
    StaffRoleIn,
)
from needlerx.accounts.serializers import clinic_out, clinician_row_out, credential_out, staff_out
from needlerx.core.errors import NotFound
from needlerx.core.responses import BAD_REQUEST, FORBIDDEN, NOT_FOUND, errors

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


STAFF = ["staff and clinic"]
STAFF_ERRORS = errors(BAD_REQUEST, FORBIDDEN, NOT_FOUND)


@router.get(
    "/clinics/{clinic_id}/staff", response={200: list[StaffOut], **STAFF_ERRORS}, tags=STAFF
)
def staff_list(request: HttpRequest, clinic_id: uuid.UUID) -> list[dict[str, Any]]:
    """Everyone with a role in a clinic you administer: role, active, second factor set up,
    dry-needling credential status (clinicians)."""
    user = request_user(request)
    clinic = selectors.clinic_get_for_admin(user=user, public_id=clinic_id, permission=MANAGE_STAFF)
    rows = selectors.staff_of_clinic(user=user, clinic=clinic, on=timezone.localdate())
    return [staff_out(row) for row in rows]


@router.post("/clinics/{clinic_id}/staff", response={201: StaffOut, **STAFF_ERRORS}, tags=STAFF)
def staff_create(
    request: HttpRequest, clinic_id: uuid.UUID, payload: StaffIn
) -> Status[dict[str, Any]]:
    """Add a staff member with a first password (it must pass the password policy)."""
    user = request_user(request)
    clinic = selectors.clinic_get_for_admin(user=user, public_id=clinic_id, permission=MANAGE_STAFF)
    membership = services.staff_create(actor=user, clinic=clinic, **payload.dict())
    return Status(201, _staff(user, membership.public_id))


def _staff(user: User, membership_id: Any) -> dict[str, Any]:
    return staff_out(
        selectors.staff_member_get(user=user, public_id=membership_id, on=timezone.localdate())
    )


@router.post("/staff/{membership_id}/role", response={200: StaffOut, **STAFF_ERRORS}, tags=STAFF)
def staff_role_set(
    request: HttpRequest, membership_id: uuid.UUID, payload: StaffRoleIn
) -> dict[str, Any]:
    """Change a staff member's role in the clinic (a clinic keeps at least one active admin)."""
    user = request_user(request)
    membership = selectors.staff_membership_get(user=user, public_id=membership_id)
    services.staff_role_set(actor=user, membership=membership, role=payload.role)
    return _staff(user, membership_id)


@router.post(
    "/staff/{membership_id}/deactivate", response={200: StaffOut, **STAFF_ERRORS}, tags=STAFF
)
def staff_deactivate(request: HttpRequest, membership_id: uuid.UUID) -> dict[str, Any]:
    """The person can no longer sign in; their open sessions end."""
    user = request_user(request)
    membership = selectors.staff_membership_get(user=user, public_id=membership_id)
    services.staff_deactivate(actor=user, membership=membership)
    return _staff(user, membership_id)


@router.post(
    "/staff/{membership_id}/reactivate", response={200: StaffOut, **STAFF_ERRORS}, tags=STAFF
)
def staff_reactivate(request: HttpRequest, membership_id: uuid.UUID) -> dict[str, Any]:
    user = request_user(request)
    membership = selectors.staff_membership_get(user=user, public_id=membership_id)
    services.staff_reactivate(actor=user, membership=membership)
    return _staff(user, membership_id)


@router.post(
    "/staff/{membership_id}/reset-second-factor",
    response={200: StaffOut, **STAFF_ERRORS},
    tags=STAFF,
)
def second_factor_reset(request: HttpRequest, membership_id: uuid.UUID) -> dict[str, Any]:
    """Remove the person's authenticator (a lost phone); they set up a new one to sign in."""
    user = request_user(request)
    membership = selectors.staff_membership_get(user=user, public_id=membership_id)
    services.second_factor_reset(actor=user, membership=membership)
    return _staff(user, membership_id)


@router.post(
    "/staff/{membership_id}/set-password-link",
    response={200: PasswordLinkOut, **STAFF_ERRORS},
    tags=STAFF,
)
def staff_password_link(request: HttpRequest, membership_id: uuid.UUID) -> dict[str, Any]:
    """A one-time link for the person to choose a password (a new account, or a forgotten
    password), emailed to them when they have an address; pass it on yourself otherwise."""
    user = request_user(request)
    membership = selectors.staff_membership_get(user=user, public_id=membership_id)
    link = services.staff_password_link(
        actor=user, membership=membership, site_url=request.build_absolute_uri("/")
    )
    return {"url": link.url, "emailed_to": link.emailed_to, "valid_days": link.valid_days}


@router.get("/clinics/{clinic_id}", response={200: ClinicOut, **STAFF_ERRORS}, tags=STAFF)
def clinic_detail(request: HttpRequest, clinic_id: uuid.UUID) -> dict[str, Any]:
    """A clinic you administer: address, NPI, jurisdiction, time zone and conventions."""
    clinic = selectors.clinic_get_for_admin(user=request_user(request), public_id=clinic_id)
    return clinic_out(clinic)


@router.patch("/clinics/{clinic_id}", response={200: ClinicOut, **STAFF_ERRORS}, tags=STAFF)
def clinic_update(
    request: HttpRequest, clinic_id: uuid.UUID, payload: ClinicPatchIn
) -> dict[str, Any]:
    """Change a clinic's details; only the fields sent change."""
    user = request_user(request)
    clinic = selectors.clinic_get_for_admin(user=user, public_id=clinic_id)
    updated = services.clinic_update(actor=user, clinic=clinic, **payload.dict(exclude_unset=True))
    return clinic_out(updated)
