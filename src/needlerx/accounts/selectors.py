"""Reads about users, clinics and roles. Every access decision starts here."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from needlerx.accounts.models import Clinic, DryNeedlingCredential, Membership, User
from needlerx.accounts.permissions import role_has_permission
from needlerx.core.errors import PermissionDenied


def clinics_for_user(*, user: User) -> QuerySet[Clinic]:
    return Clinic.objects.filter(memberships__user=user).select_related("network").distinct()


def role_in_clinic(*, user: User, clinic: Clinic) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    roles = getattr(user, "_roles_by_clinic", None)
    if roles is None:
        roles = dict(Membership.objects.filter(user=user).values_list("clinic_id", "role"))
        user._roles_by_clinic = roles  # type: ignore[attr-defined]
    return roles.get(clinic.pk)


def clinic_ids_with_permission(*, user: User, permission: str) -> list[int]:
    if not user.is_authenticated or not user.is_active:
        return []
    return [
        clinic_id
        for clinic_id, role in Membership.objects.filter(user=user).values_list("clinic_id", "role")
        if role_has_permission(role, permission)
    ]


def require_permission(*, user: User, clinic: Clinic, permission: str) -> str:
    """Return the user's role in the clinic, or refuse with PermissionDenied."""
    role = role_in_clinic(user=user, clinic=clinic)
    if role is None or not role_has_permission(role, permission):
        raise PermissionDenied()
    return role


def credential_current(*, user: User, on: dt.date) -> DryNeedlingCredential | None:
    """The user's dry-needling credential that is valid on ``on``, if any."""
    return (
        DryNeedlingCredential.objects.filter(user=user, completed_on__lte=on)
        .exclude(expires_on__lt=on)
        .order_by("-completed_on")
        .first()
    )
