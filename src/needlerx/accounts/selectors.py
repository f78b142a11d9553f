"""Reads about users, clinics and roles. Every access decision starts here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from needlerx.accounts.models import Clinic, DryNeedlingCredential, Membership, Role, User
from needlerx.accounts.permissions import MANAGE_CREDENTIALS, role_has_permission
from needlerx.core.errors import ApplicationError, NotFound, PermissionDenied


def active_user_get(*, username: str, field: str = "user") -> User:
    """The active user a command acts as (``--user``), or an error naming ``field``."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ApplicationError(f"no active user named {username!r}", field=field)
    return user


def clinic_get(*, public_id: Any) -> Clinic:
    """The clinic a new record goes into; whether the user may write there is the service's."""
    clinic = Clinic.objects.filter(public_id=public_id).first()
    if clinic is None:
        raise NotFound("No such clinic.")
    return clinic


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
    # The roles the request already read (web.middleware.ClinicLocalTime), else from the table.
    roles = getattr(user, "_roles_by_clinic", None)
    if roles is None:
        roles = dict(Membership.objects.filter(user=user).values_list("clinic_id", "role"))
    return [clinic_id for clinic_id, role in roles.items() if role_has_permission(role, permission)]


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


def credential_latest(*, user: User) -> DryNeedlingCredential | None:
    """The user's most recently completed credential, current or not (to say why it lapsed)."""
    return DryNeedlingCredential.objects.filter(user=user).order_by("-completed_on", "-id").first()


def credential_renewers(*, user: User) -> list[str]:
    """Who can renew the user's credential: the clinic admins of the clinics the user works in."""
    clinic_ids = Membership.objects.filter(user=user).values("clinic_id")
    admins = (
        Membership.objects.filter(
            clinic_id__in=clinic_ids, role=Role.CLINIC_ADMIN, user__is_active=True
        )
        .select_related("user", "clinic")
        .order_by("clinic__name", "user__last_name", "user__username")
    )
    return [f"{m.user.get_full_name() or m.user.get_username()} ({m.clinic.name})" for m in admins]


def credential_refusal(*, user: User, on: dt.date) -> str | None:
    """Why the user may not record needling on ``on`` for want of a credential, or None."""
    if credential_current(user=user, on=on) is not None:
        return None
    renewers = credential_renewers(user=user)
    who = (
        "a clinic admin can renew it on the staff credentials page: " + ", ".join(renewers)
        if renewers
        else "a clinic admin of your clinic can renew it on the staff credentials page"
    )
    latest = credential_latest(user=user)
    if latest is None:
        who = who.replace("renew", "record", 1)
        return f"no dry-needling credential is recorded for you; {who}"
    if latest.completed_on > on:
        return (
            f"your dry-needling training is recorded as completed on "
            f"{latest.completed_on.isoformat()}, after {on.isoformat()}; {who}"
        )
    assert latest.expires_on is not None  # noqa: S101 - not current and already completed
    return f"your dry-needling credential expired on {latest.expires_on.isoformat()}; {who}"


def credential_require_current(*, user: User, on: dt.date) -> DryNeedlingCredential:
    """The user's current credential, or refuse saying why and who can renew it."""
    current = credential_current(user=user, on=on)
    if current is None:
        raise ApplicationError(
            credential_refusal(user=user, on=on) or "no current dry-needling credential",
            field="credential",
            code="credential_required",
        )
    return current


@dataclass(frozen=True)
class ClinicianCredentials:
    """One clinician of a clinic, their credentials (newest first) and the status on a date."""

    user: User
    credentials: list[DryNeedlingCredential]
    current: DryNeedlingCredential | None
    status: str  # current | expired | not_yet_completed | none

    @property
    def latest(self) -> DryNeedlingCredential | None:
        return self.credentials[0] if self.credentials else None


def _status(credentials: list[DryNeedlingCredential], on: dt.date) -> tuple[str, Any]:
    for credential in credentials:
        if credential.completed_on <= on and not (
            credential.expires_on is not None and credential.expires_on < on
        ):
            return "current", credential
    if not credentials:
        return "none", None
    if credentials[0].completed_on > on:
        return "not_yet_completed", None
    return "expired", None


def clinicians_with_credentials(
    *, user: User, clinic: Clinic, on: dt.date
) -> list[ClinicianCredentials]:
    """The clinic's clinicians with their credential status; clinic admins of the clinic only."""
    require_permission(user=user, clinic=clinic, permission=MANAGE_CREDENTIALS)
    clinicians = list(
        User.objects.filter(memberships__clinic=clinic, memberships__role=Role.CLINICIAN)
        .order_by("last_name", "first_name", "username")
        .distinct()
    )
    by_user: dict[int, list[DryNeedlingCredential]] = {c.pk: [] for c in clinicians}
    for credential in DryNeedlingCredential.objects.filter(user__in=clinicians).order_by(
        "-completed_on", "-id"
    ):
        by_user[credential.user_id].append(credential)
    rows = []
    for clinician in clinicians:
        status, current = _status(by_user[clinician.pk], on)
        rows.append(ClinicianCredentials(clinician, by_user[clinician.pk], current, status))
    return rows


def clinics_where_user_manages_credentials(*, user: User) -> QuerySet[Clinic]:
    ids = clinic_ids_with_permission(user=user, permission=MANAGE_CREDENTIALS)
    return Clinic.objects.filter(pk__in=ids).order_by("name")


def clinician_get_for_credentials(*, user: User, public_id: Any) -> tuple[User, Clinic]:
    """A clinician the user may give a credential to, and the clinic through which they may.

    Someone who is not a clinician of a clinic the user administers is not found (404).
    """
    ids = clinic_ids_with_permission(user=user, permission=MANAGE_CREDENTIALS)
    membership = (
        Membership.objects.filter(user__public_id=public_id, clinic_id__in=ids, role=Role.CLINICIAN)
        .select_related("user", "clinic")
        .order_by("clinic__name")
        .first()
    )
    if membership is None:
        raise NotFound("No such clinician in a clinic you administer.")
    return membership.user, membership.clinic


def credential_get_for_user(*, user: User, public_id: Any) -> DryNeedlingCredential:
    """A credential of a clinician in a clinic the user administers (else not found)."""
    ids = clinic_ids_with_permission(user=user, permission=MANAGE_CREDENTIALS)
    credential = (
        DryNeedlingCredential.objects.filter(
            public_id=public_id,
            user__memberships__clinic_id__in=ids,
            user__memberships__role=Role.CLINICIAN,
        )
        .select_related("user")
        .first()
    )
    if credential is None:
        raise NotFound("No such credential for a clinician in a clinic you administer.")
    return credential
