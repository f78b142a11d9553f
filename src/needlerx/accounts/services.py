"""Writes about clinics, users and credentials: validation, invariants and audit in one place."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from needlerx.accounts.models import (
    Clinic,
    ClinicNetwork,
    DryNeedlingCredential,
    Membership,
    Role,
    User,
)
from needlerx.audit.services import audit_record
from needlerx.core.errors import ApplicationError, validate_model


def role_validate(role: str) -> str:
    if role not in Role.values:
        raise ApplicationError(
            f"unknown role {role!r}; allowed: {', '.join(Role.values)}", field="role"
        )
    return role


@transaction.atomic
def clinic_create(
    *, network_name: str, name: str, country: str, region: str, actor: User | None = None
) -> Clinic:
    network, _ = ClinicNetwork.objects.get_or_create(name=network_name)
    clinic = Clinic(network=network, name=name, country=country.upper(), region=region.upper())
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
    if expires_on is not None and expires_on < completed_on:
        raise ApplicationError("must be on or after the completion date", field="expires_on")
    credential = DryNeedlingCredential(
        user=user,
        training_provider=training_provider,
        hours=hours,
        completed_on=completed_on,
        expires_on=expires_on,
        licence_number=licence_number,
        licence_country=licence_country.upper(),
        licence_region=licence_region.upper(),
    )
    validate_model(credential)
    credential.save()
    audit_record(
        action="credential.add",
        actor=actor,
        obj=credential,
        detail={"user": user.username, "hours": hours},
    )
    return credential
