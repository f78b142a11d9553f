"""Writes about clinics, users and credentials: validation, invariants and audit in one place."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

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
from needlerx.accounts.permissions import MANAGE_CREDENTIALS
from needlerx.accounts.selectors import clinic_ids_with_permission
from needlerx.audit.services import audit_record
from needlerx.core.errors import ApplicationError, PermissionDenied, validate_model


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
def user_create(
    *,
    username: str,
    password: str,
    clinic: Clinic,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    actor: User | None = None,
) -> User:
    """Create a user with a role in one clinic. The password must pass the password policy."""
    role_validate(role)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    validate_model(user, exclude=["password"])
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field="password") from error
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
