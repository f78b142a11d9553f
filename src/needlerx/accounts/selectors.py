"""Reads about users, clinics and roles. Every access decision starts here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from needlerx.accounts.models import Clinic, DryNeedlingCredential, Membership, Role, User
from needlerx.accounts.permissions import (
    MANAGE_CLINIC,
    MANAGE_CREDENTIALS,
    MANAGE_STAFF,
    role_has_permission,
)
from needlerx.core.errors import ApplicationError, NotFound, PermissionDenied
from needlerx.core.prepared import prepared_read


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


def roles_by_clinic(user: User) -> dict[int, str]:
    """The user's role in each clinic (by clinic pk), read once per request and kept on the user
    (web.middleware.ClinicLocalTime loads them with the clinics' settings)."""
    roles: dict[int, str] | None = getattr(user, "_roles_by_clinic", None)
    if roles is None:
        roles = dict(Membership.objects.filter(user=user).values_list("clinic_id", "role"))
        user._roles_by_clinic = roles  # type: ignore[attr-defined]
    return roles


def role_in_clinic(*, user: User, clinic: Clinic) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return roles_by_clinic(user).get(clinic.pk)


def clinic_ids_with_permission(*, user: User, permission: str) -> list[int]:
    if not user.is_authenticated or not user.is_active:
        return []
    roles = roles_by_clinic(user)
    return [clinic_id for clinic_id, role in roles.items() if role_has_permission(role, permission)]


def require_permission(*, user: User, clinic: Clinic, permission: str) -> str:
    """Return the user's role in the clinic, or refuse with PermissionDenied."""
    role = role_in_clinic(user=user, clinic=clinic)
    if role is None or not role_has_permission(role, permission):
        raise PermissionDenied()
    return role


def credential_current(*, user: User, on: dt.date) -> DryNeedlingCredential | None:
    """The user's dry-needling credential that is valid on ``on``, if any."""
    return next(iter(_current_credential.all(user_id=user.pk, on=on)), None)


def credential_latest(*, user: User) -> DryNeedlingCredential | None:
    """The user's most recently completed credential, current or not (to say why it lapsed)."""
    return next(iter(_latest_credential.all(user_id=user.pk)), None)


# Prepared once each (core.prepared): every visit of a draft note asks both.
@prepared_read()
def _current_credential(user_id: int, on: dt.date) -> QuerySet[DryNeedlingCredential]:
    valid = DryNeedlingCredential.objects.filter(user_id=user_id, completed_on__lte=on)
    return valid.exclude(expires_on__lt=on).order_by("-completed_on")[:1]


@prepared_read()
def _latest_credential(user_id: int) -> QuerySet[DryNeedlingCredential]:
    return DryNeedlingCredential.objects.filter(user_id=user_id).order_by("-completed_on", "-id")[
        :1
    ]


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


# Staff and clinic settings (clinic admins) -------------------------------------------------


def user_manages_staff(*, user: User) -> bool:
    """Whether the user is a clinic admin somewhere (the navigation's Staff link).

    Reads the roles the request has already loaded (``role_in_clinic``), so a page that checked a
    permission pays nothing more.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    return any(role_has_permission(role, MANAGE_STAFF) for role in roles_by_clinic(user).values())


def clinics_where_user_manages_staff(*, user: User) -> QuerySet[Clinic]:
    ids = clinic_ids_with_permission(user=user, permission=MANAGE_STAFF)
    return Clinic.objects.filter(pk__in=ids).select_related("network").order_by("name")


def clinic_get_for_admin(*, user: User, public_id: Any, permission: str = MANAGE_CLINIC) -> Clinic:
    """A clinic the user administers; any other clinic is not found (ids reveal nothing)."""
    ids = clinic_ids_with_permission(user=user, permission=permission)
    clinic = (
        Clinic.objects.filter(pk__in=ids, public_id=public_id).select_related("network").first()
    )
    if clinic is None:
        raise NotFound("No such clinic among those you administer.")
    return clinic


@dataclass(frozen=True)
class StaffMember:
    """One person's place in a clinic, as the staff page and the API show it."""

    membership: Membership
    second_factor: bool
    credential_status: str | None  # current | expired | not_yet_completed | none; None: no need

    @property
    def user(self) -> User:
        return self.membership.user

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


def _staff_member(
    membership: Membership, with_device: set[int], credentials: dict[int, list[Any]], on: dt.date
) -> StaffMember:
    status = None
    if membership.role == Role.CLINICIAN:
        status, _ = _status(credentials.get(membership.user_id, []), on)
    return StaffMember(membership, membership.user_id in with_device, status)


def staff_of_clinic(*, user: User, clinic: Clinic, on: dt.date) -> list[StaffMember]:
    """Everyone with a role in the clinic, active first; clinic admins of the clinic only."""
    require_permission(user=user, clinic=clinic, permission=MANAGE_STAFF)
    memberships = list(
        Membership.objects.filter(clinic=clinic)
        .select_related("user", "clinic")
        .order_by("-user__is_active", "user__last_name", "user__first_name", "user__username")
    )
    return _staff_members(memberships, on)


def _staff_members(memberships: list[Membership], on: dt.date) -> list[StaffMember]:
    user_ids = [m.user_id for m in memberships]
    with_device = set(
        TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    credentials: dict[int, list[Any]] = {}
    for credential in DryNeedlingCredential.objects.filter(user_id__in=user_ids).order_by(
        "-completed_on", "-id"
    ):
        credentials.setdefault(credential.user_id, []).append(credential)
    return [_staff_member(m, with_device, credentials, on) for m in memberships]


def staff_member_get(*, user: User, public_id: Any, on: dt.date) -> StaffMember:
    """A place (membership) in a clinic the user administers; any other is not found."""
    return _staff_members([staff_membership_get(user=user, public_id=public_id)], on)[0]


def staff_membership_get(*, user: User, public_id: Any) -> Membership:
    """The membership behind ``staff_member_get``, for the services."""
    ids = clinic_ids_with_permission(user=user, permission=MANAGE_STAFF)
    membership = (
        Membership.objects.filter(public_id=public_id, clinic_id__in=ids)
        .select_related("user", "clinic")
        .first()
    )
    if membership is None:
        raise NotFound("No such staff member in a clinic you administer.")
    return membership


def administered_clinic_named(*, user: User, name: str | None, permission: str) -> Clinic:
    """The clinic a command names (``--clinic``), or the one clinic the user administers."""
    ids = clinic_ids_with_permission(user=user, permission=permission)
    clinics = list(Clinic.objects.filter(pk__in=ids).select_related("network").order_by("name"))
    if name:
        clinics = [c for c in clinics if name in (c.name, str(c.public_id))]
    if len(clinics) == 1:
        return clinics[0]
    if not clinics:
        what = repr(name) if name else "any clinic"
        raise ApplicationError(f"you are not a clinic admin of {what}", field="clinic")
    names = ", ".join(c.name for c in clinics)
    raise ApplicationError(f"name the clinic; you administer: {names}", field="clinic")


def staff_membership_named(*, user: User, clinic: Clinic, username: str) -> Membership:
    """A staff member of a clinic the user administers, by username (for commands)."""
    require_permission(user=user, clinic=clinic, permission=MANAGE_STAFF)
    membership = (
        Membership.objects.filter(clinic=clinic, user__username=username)
        .select_related("user", "clinic")
        .first()
    )
    if membership is None:
        raise ApplicationError(f"no staff member {username!r} at {clinic.name}", field="staff")
    return membership
