"""Writes about clinics, users and credentials: validation, invariants and audit in one place."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import (
    Clinic,
    ClinicNetwork,
    DateStyle,
    DryNeedlingCredential,
    MeasurementUnits,
    Membership,
    Role,
    User,
)
from needlerx.accounts.permissions import MANAGE_CLINIC, MANAGE_CREDENTIALS, MANAGE_STAFF
from needlerx.accounts.selectors import clinic_ids_with_permission, require_permission
from needlerx.accounts.two_factor import two_factor_reset
from needlerx.audit.services import audit_record
from needlerx.core.errors import ApplicationError, PermissionDenied, validate_model
from needlerx.core.mail import email_sent


def role_validate(role: str) -> str:
    if role not in Role.values:
        raise ApplicationError(
            f"unknown role {role!r}; allowed: {', '.join(Role.values)}", field="role"
        )
    return role


@dataclass(frozen=True)
class ClinicDetails:
    """The parts of a clinic a clinic admin may change after it is created."""

    time_zone: str = "UTC"
    address_line_1: str = ""
    address_line_2: str = ""
    city: str = ""
    postal_code: str = ""
    phone: str = ""
    npi: str = ""
    date_style: str = DateStyle.ISO
    measurement_units: str = MeasurementUnits.METRIC


def time_zone_validate(name: str) -> str:
    """An IANA time zone name such as America/Denver, or an error naming the field."""
    if name not in zoneinfo.available_timezones():
        raise ApplicationError(
            f"unknown time zone {name!r}; use an IANA name such as America/Denver",
            field="time_zone",
        )
    return name


@transaction.atomic
def clinic_create(
    *,
    network_name: str,
    name: str,
    country: str,
    region: str,
    details: ClinicDetails | None = None,
    actor: User | None = None,
) -> Clinic:
    network, _ = ClinicNetwork.objects.get_or_create(name=network_name)
    details = details or ClinicDetails()
    time_zone_validate(details.time_zone)
    clinic = Clinic(
        network=network,
        name=name,
        country=country.upper(),
        region=region.upper(),
        **asdict(details),
    )
    validate_model(clinic)
    clinic.save()
    audit_record(action="clinic.create", actor=actor, clinic=clinic, obj=clinic)
    return clinic


@transaction.atomic
def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field="password") from error


def user_create(
    *,
    username: str,
    password: str | None,
    clinic: Clinic,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    actor: User | None = None,
) -> User:
    """Create a user with a role in one clinic. The password must pass the password policy;
    ``None`` leaves the account without one until they set it through a set-password link."""
    role_validate(role)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    validate_model(user, exclude=["password"])
    if password is None:
        user.set_unusable_password()
    else:
        _check_password(password, user)
        user.set_password(password)
    user.save()
    membership = Membership.objects.create(user=user, clinic=clinic, role=role)
    audit_record(action="user.create", actor=actor, clinic=clinic, obj=user, detail={"role": role})
    audit_record(
        action="membership.grant",
        actor=actor,
        clinic=clinic,
        obj=membership,
        detail={"user": username, "role": role},
    )
    return user


CREDENTIAL_FIELDS = (
    "training_provider",
    "hours",
    "completed_on",
    "expires_on",
    "licence_number",
    "licence_country",
    "licence_region",
)
COUNTRY = re.compile(r"^[A-Z]{2}$")
REGION = re.compile(r"^[A-Z0-9]{1,3}$")


def _require_admin_of(actor: User, clinician: User) -> Clinic:
    """The clinic through which ``actor`` administers ``clinician``, or refuse."""
    ids = clinic_ids_with_permission(user=actor, permission=MANAGE_CREDENTIALS)
    membership = (
        Membership.objects.filter(user=clinician, clinic_id__in=ids, role=Role.CLINICIAN)
        .select_related("clinic")
        .order_by("clinic__name")
        .first()
    )
    if membership is None:
        raise PermissionDenied(
            "Only a clinic admin of the clinician's clinic may record their dry-needling "
            "credential."
        )
    return membership.clinic


def _check_credential(credential: DryNeedlingCredential, today: dt.date) -> None:
    """Invariants a person can act on, each naming its field; nothing is saved if one fails."""
    credential.training_provider = credential.training_provider.strip()
    credential.licence_number = credential.licence_number.strip()
    credential.licence_country = credential.licence_country.strip().upper()
    credential.licence_region = credential.licence_region.strip().upper()
    if not credential.training_provider:
        raise ApplicationError(
            "name the training body (e.g. the course provider)", field="training_provider"
        )
    hours = credential.hours
    if isinstance(hours, bool) or not isinstance(hours, int) or hours < 1:
        raise ApplicationError(
            f"must be a whole number of hours, 1 or more (got {hours!r})", field="hours"
        )
    if credential.completed_on > today:
        raise ApplicationError(f"cannot be after today ({today.isoformat()})", field="completed_on")
    expires_on = credential.expires_on
    if expires_on is not None and expires_on < credential.completed_on:
        raise ApplicationError("must be on or after the completion date", field="expires_on")
    if not COUNTRY.match(credential.licence_country):
        got = credential.licence_country
        message = f"must be a two-letter country code such as US or CA (got {got!r})"
        raise ApplicationError(message, field="licence_country")
    if not REGION.match(credential.licence_region):
        got = credential.licence_region
        message = f"must be a state or province code such as CO or AB (got {got!r})"
        raise ApplicationError(message, field="licence_region")
    validate_model(credential)


def _credential_detail(credential: DryNeedlingCredential) -> dict[str, Any]:
    return {
        "user": credential.user.username,
        "training_provider": credential.training_provider,
        "hours": credential.hours,
        "completed_on": credential.completed_on.isoformat(),
        "expires_on": credential.expires_on.isoformat() if credential.expires_on else None,
        "jurisdiction": f"{credential.licence_country}-{credential.licence_region}",
    }


@transaction.atomic
def credential_add(
    *,
    user: User,
    training_provider: str,
    hours: int,
    completed_on: dt.date,
    expires_on: dt.date | None,
    licence_number: str,
    licence_country: str,
    licence_region: str,
    actor: User | None = None,
) -> DryNeedlingCredential:
    """Record a clinician's dry-needling credential.

    With an ``actor`` (the web page, API and CLI) only a clinic admin of the clinician's clinic
    may; without one it is set-up by the system (the demo, a fresh installation's own script).
    """
    clinic = _require_admin_of(actor, user) if actor is not None else None
    credential = DryNeedlingCredential(
        user=user,
        training_provider=training_provider,
        hours=hours,
        completed_on=completed_on,
        expires_on=expires_on,
        licence_number=licence_number,
        licence_country=licence_country,
        licence_region=licence_region,
    )
    _check_credential(credential, clinic_today(clinic) if clinic else timezone.localdate())
    credential.save()
    audit_record(
        action="credential.add",
        actor=actor,
        clinic=clinic,
        obj=credential,
        detail=_credential_detail(credential),
    )
    return credential


@transaction.atomic
def credential_update(
    *, actor: User, credential: DryNeedlingCredential, **changes: Any
) -> DryNeedlingCredential:
    """Correct or renew a credential (e.g. a new expiry date); the audit keeps before and after."""
    unknown = sorted(set(changes) - set(CREDENTIAL_FIELDS))
    if unknown:
        raise ApplicationError(
            f"unknown field; allowed: {', '.join(CREDENTIAL_FIELDS)}", field=unknown[0]
        )
    locked = (
        DryNeedlingCredential.objects.select_for_update()
        .select_related("user")
        .get(pk=credential.pk)
    )
    clinic = _require_admin_of(actor, locked.user)
    before = _credential_detail(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    _check_credential(locked, clinic_today(clinic))
    locked.save()
    after = _credential_detail(locked)
    changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    audit_record(
        action="credential.update",
        actor=actor,
        clinic=clinic,
        obj=locked,
        detail={"user": locked.user.username, "changed": changed},
    )
    return locked


# Staff (clinic admins: ``clinic.manage_staff``) ---------------------------------------------


def _staff_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _require_name(value: str, field: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise ApplicationError(f"give the staff member's {what}", field=field)
    return value


@transaction.atomic
def staff_create(
    *,
    actor: User,
    clinic: Clinic,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    password: str | None = None,
) -> Membership:
    """Add a staff member to the clinic, with a first password that passes the password policy
    or none (then ``staff_password_link`` gives them a link to choose one).

    Clinic admins set up a second factor at their first sign-in; audited as ``user.create`` and
    ``membership.grant`` with the admin as actor.
    """
    require_permission(user=actor, clinic=clinic, permission=MANAGE_STAFF)
    user = user_create(
        username=username.strip(),
        password=password or None,
        clinic=clinic,
        role=role,
        first_name=_require_name(first_name, "first_name", "first name"),
        last_name=_require_name(last_name, "last_name", "last name"),
        email=email.strip(),
        actor=actor,
    )
    return Membership.objects.select_related("user", "clinic").get(user=user, clinic=clinic)


def _lock_admins(clinic: Clinic) -> list[Membership]:
    """The clinic's active clinic admins, locked so two changes cannot both remove the last."""
    return list(
        Membership.objects.select_for_update()
        .filter(clinic=clinic, role=Role.CLINIC_ADMIN, user__is_active=True)
        .order_by("pk")
    )


def _refuse_last_admin(membership: Membership, *, field: str | None, change: str) -> None:
    if membership.role != Role.CLINIC_ADMIN:
        return
    others = [m for m in _lock_admins(membership.clinic) if m.pk != membership.pk]
    if not others:
        raise ApplicationError(
            f"{_staff_name(membership.user)} is the only active clinic admin of "
            f"{membership.clinic.name}; make someone else a clinic admin before you {change}",
            field=field,
            code="last_admin",
        )


def _locked(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update()
        .select_related("user", "clinic")
        .get(pk=membership.pk)
    )


@transaction.atomic
def staff_role_set(*, actor: User, membership: Membership, role: str) -> Membership:
    """Change a staff member's role in one clinic; the clinic always keeps an active admin."""
    role_validate(role)
    require_permission(user=actor, clinic=membership.clinic, permission=MANAGE_STAFF)
    locked = _locked(membership)
    if locked.role == role:
        return locked
    if role != Role.CLINIC_ADMIN:
        _refuse_last_admin(locked, field="role", change="changing this role")
    before = locked.role
    locked.role = role
    locked.save(update_fields=["role"])
    audit_record(
        action="membership.role_change",
        actor=actor,
        clinic=locked.clinic,
        obj=locked,
        detail={"user": locked.user.username, "from": before, "to": role},
    )
    return locked


def _require_account_admin(actor: User, membership: Membership) -> None:
    """Account-wide changes (sign-in, second factor) need an admin of every clinic the person
    works in, so one clinic's admin cannot lock someone out of another clinic."""
    require_permission(user=actor, clinic=membership.clinic, permission=MANAGE_STAFF)
    managed = set(clinic_ids_with_permission(user=actor, permission=MANAGE_STAFF))
    elsewhere = (
        Membership.objects.filter(user=membership.user)
        .exclude(clinic_id__in=managed)
        .select_related("clinic")
        .order_by("clinic__name")
        .first()
    )
    if elsewhere is not None:
        raise PermissionDenied(
            f"{_staff_name(membership.user)} also works at {elsewhere.clinic.name}; "
            "a clinic admin of every clinic they work in must do this."
        )


def _set_active(actor: User, membership: Membership, *, active: bool) -> Membership:
    _require_account_admin(actor, membership)
    locked = _locked(membership)
    user = User.objects.select_for_update().get(pk=locked.user_id)
    if user.is_active == active:
        return locked
    if not active:
        for place in Membership.objects.filter(user=user).select_related("user", "clinic"):
            _refuse_last_admin(place, field=None, change="deactivating them")
    user.is_active = active
    user.save(update_fields=["is_active"])
    locked.user = user
    audit_record(
        action="user.reactivate" if active else "user.deactivate",
        actor=actor,
        clinic=locked.clinic,
        obj=user,
        detail={"user": user.username},
    )
    return locked


@transaction.atomic
def staff_deactivate(*, actor: User, membership: Membership) -> Membership:
    """The person can no longer sign in, and their open sessions end at their next request
    (Django's authentication backend refuses an inactive user). Nothing of theirs is deleted."""
    return _set_active(actor, membership, active=False)


@transaction.atomic
def staff_reactivate(*, actor: User, membership: Membership) -> Membership:
    """Let a deactivated staff member sign in again with their password."""
    return _set_active(actor, membership, active=True)


@transaction.atomic
def second_factor_reset(*, actor: User, membership: Membership) -> int:
    """Remove a staff member's authenticator (a lost phone): their sessions must pass two-factor
    set-up again, and the next sign-in asks them to enrol a new one. Returns how many went."""
    _require_account_admin(actor, membership)
    return two_factor_reset(user=membership.user, actor=actor, clinic=membership.clinic)


@dataclass(frozen=True)
class PasswordLink:
    """A one-time link to choose a password, and whether it went out by email."""

    url: str
    emailed_to: str  # "" when it was not emailed (no address, or the mail server refused)
    valid_days: int


def _password_link_url(user: User, site_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site_url.rstrip("/") + reverse("accounts:set_password", args=[uid, token])


def _email_link(user: User, clinic: Clinic, actor: User, link: PasswordLink) -> bool:
    body = (
        f"Hello {user.first_name or user.username},\n\n"
        f"{_staff_name(actor)} gave you a NeedleRx account at {clinic.name}. "
        f"Your username is {user.username}. Choose your password here (the link works once, "
        f"for {link.valid_days} days):\n\n{link.url}\n\n"
        "If you did not expect this, ignore this email and tell your clinic admin.\n"
    )
    return email_sent(subject=f"Your NeedleRx account at {clinic.name}", body=body, to=user.email)


@transaction.atomic
def staff_password_link(*, actor: User, membership: Membership, site_url: str) -> PasswordLink:
    """A one-time set-password link (Django's password-reset token: it stops working once the
    password changes or after PASSWORD_RESET_TIMEOUT), emailed to the person when they have an
    address and shown to the admin to pass on. For a new account or a forgotten password."""
    _require_account_admin(actor, membership)
    user = membership.user
    if not user.is_active:
        raise ApplicationError(
            f"{_staff_name(user)} is deactivated; reactivate them first", field="user"
        )
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    link = PasswordLink(_password_link_url(user, site_url), "", days)
    if user.email and _email_link(user, membership.clinic, actor, link):
        link = PasswordLink(link.url, user.email, days)
    audit_record(
        action="user.password_link",
        actor=actor,
        clinic=membership.clinic,
        obj=user,
        detail={"user": user.username, "emailed": bool(link.emailed_to)},
    )
    return link


def password_link_user(*, uidb64: str, token: str) -> User | None:
    """The active user a set-password link is for, or None when it is wrong, used or expired."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def password_set_by_link(*, uidb64: str, token: str, password: str) -> User:
    """Set the link's user's password (it must pass the policy); the link then stops working."""
    user = password_link_user(uidb64=uidb64, token=token)
    if user is None:
        raise ApplicationError(
            "this link has expired or was already used; ask your clinic admin for a new one",
            field="token",
        )
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(action="user.password_set", actor=user, obj=user, detail={"by": "link"})
    return user


# Clinic settings (clinic admins: ``clinic.manage_settings``) ----------------------------------

CLINIC_FIELDS = (
    "name",
    "address_line_1",
    "address_line_2",
    "city",
    "postal_code",
    "phone",
    "npi",
    "country",
    "region",
    "time_zone",
    "date_style",
    "measurement_units",
)
NPI = re.compile(r"^[0-9]{10}$")
# The NPI check digit is the Luhn check digit of the number prefixed with 80840 (CMS, "Requirements
# for the National Provider Identifier Check Digit").
NPI_LUHN_PREFIX = "80840"


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = int(character)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def npi_validate(npi: str) -> str:
    """A 10-digit National Provider Identifier with a valid check digit, or empty."""
    npi = npi.strip()
    if npi and not NPI.match(npi):
        raise ApplicationError(f"must be 10 digits (got {npi!r})", field="npi")
    if npi and not _luhn_valid(NPI_LUHN_PREFIX + npi):
        raise ApplicationError(
            f"{npi} is not a valid NPI: its last digit does not match (check for a typo)",
            field="npi",
        )
    return npi


def _choice(value: str, field: str, choices: list[str]) -> str:
    if value not in choices:
        raise ApplicationError(
            f"unknown value {value!r}; allowed: {', '.join(choices)}", field=field
        )
    return value


def _check_clinic(clinic: Clinic) -> None:
    for name in CLINIC_FIELDS:
        value = getattr(clinic, name)
        if isinstance(value, str):
            setattr(clinic, name, value.strip())
    if not clinic.name:
        raise ApplicationError("give the clinic a name", field="name")
    clinic.country, clinic.region = clinic.country.upper(), clinic.region.upper()
    if not COUNTRY.match(clinic.country):
        got = clinic.country
        raise ApplicationError(
            f"must be a two-letter country code such as US or CA (got {got!r})", field="country"
        )
    if not REGION.match(clinic.region):
        got = clinic.region
        raise ApplicationError(
            f"must be a state or province code such as CO or AB (got {got!r})", field="region"
        )
    time_zone_validate(clinic.time_zone)
    clinic.npi = npi_validate(clinic.npi)
    _choice(clinic.date_style, "date_style", list(DateStyle.values))
    _choice(clinic.measurement_units, "measurement_units", list(MeasurementUnits.values))
    taken = Clinic.objects.filter(network_id=clinic.network_id, name=clinic.name)
    if taken.exclude(pk=clinic.pk).exists():
        raise ApplicationError(
            f"another clinic of {clinic.network.name} is already called {clinic.name!r}",
            field="name",
        )
    validate_model(clinic)


@transaction.atomic
def clinic_update(*, actor: User, clinic: Clinic, **changes: Any) -> Clinic:
    """Change the clinic's details; only the fields given change, the audit keeps before/after."""
    unknown = sorted(set(changes) - set(CLINIC_FIELDS))
    if unknown:
        raise ApplicationError(
            f"unknown field; allowed: {', '.join(CLINIC_FIELDS)}", field=unknown[0]
        )
    require_permission(user=actor, clinic=clinic, permission=MANAGE_CLINIC)
    locked = Clinic.objects.select_for_update().select_related("network").get(pk=clinic.pk)
    before = {name: getattr(locked, name) for name in CLINIC_FIELDS}
    for name, value in changes.items():
        setattr(locked, name, value if value is not None else "")
    _check_clinic(locked)
    changed = {
        name: {"from": before[name], "to": getattr(locked, name)}
        for name in CLINIC_FIELDS
        if before[name] != getattr(locked, name)
    }
    if changed:
        locked.save()
        audit_record(
            action="clinic.update",
            actor=actor,
            clinic=locked,
            obj=locked,
            detail={"changed": changed},
        )
    return locked
