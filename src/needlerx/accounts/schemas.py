"""Input shapes of the credentials, staff and clinic API (ids are public UUIDs).

``CredentialIn`` and ``CredentialPatchIn`` are also what ``needlerx credential add`` and
``update`` check their options with (``core.inputs``), so both doors refuse alike; likewise
``StaffIn``/``StaffRoleIn`` for ``needlerx staff`` and ``ClinicPatchIn`` for ``needlerx clinic``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict

from needlerx.accounts.models import DateStyle, MeasurementUnits, Role
from needlerx.accounts.services import npi_validate, time_zone_validate
from needlerx.core.inputs import Described, OneOf, checked_by

Hours = Annotated[int, Described("a whole number")]
Date = Annotated[dt.date, Described("a date YYYY-MM-DD")]


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class CredentialIn(In):
    training_provider: str
    hours: Hours
    completed_on: Date
    expires_on: Date | None = None
    licence_number: str
    licence_country: str
    licence_region: str


class CredentialPatchIn(In):
    """Only the fields given change (e.g. a renewal sends only ``expires_on``)."""

    training_provider: str | None = None
    hours: Hours | None = None
    completed_on: Date | None = None
    expires_on: Date | None = None
    licence_number: str | None = None
    licence_country: str | None = None
    licence_region: str | None = None


RoleName = Annotated[str, OneOf(lambda: list(Role.values), "role")]


class StaffIn(In):
    """A new staff member with a first password (it must pass the password policy), or without
    one: then ``POST /staff/{id}/set-password-link`` gives them a link to choose it."""

    username: str
    first_name: str
    last_name: str
    email: str = ""
    role: RoleName
    password: str | None = None


class StaffRoleIn(In):
    role: RoleName


class ClinicPatchIn(In):
    """Only the fields given change."""

    name: str | None = None
    address_line_1: str | None = None
    address_line_2: str | None = None
    city: str | None = None
    postal_code: str | None = None
    phone: str | None = None
    npi: Annotated[str | None, checked_by(npi_validate)] = None
    country: str | None = None
    region: str | None = None
    time_zone: Annotated[str | None, checked_by(time_zone_validate)] = None
    date_style: Annotated[str | None, OneOf(lambda: list(DateStyle.values), "date_style")] = None
    measurement_units: Annotated[
        str | None, OneOf(lambda: list(MeasurementUnits.values), "measurement_units")
    ] = None
