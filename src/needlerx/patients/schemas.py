"""API input and output shapes for patients (separate in and out schemas).

``PatientIn`` is also the JSON ``needlerx patient register`` reads (``core.inputs``): both doors
refuse a bad field alike. Lengths, formats and ranges of the record are the service's checks.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict

from needlerx.core.inputs import Described, OneOf
from needlerx.patients.models import Sex

BodyMeasure = Annotated[Decimal, Described("a number")]


class PatientIn(Schema):
    model_config = ConfigDict(extra="forbid")

    clinic_id: Annotated[uuid.UUID, Described("a clinic's public id")]
    medical_record_number: str
    given_name: str
    family_name: str
    date_of_birth: Annotated[dt.date, Described("a date YYYY-MM-DD")]
    sex: Annotated[str, OneOf(lambda: Sex.values, "sex")] = Sex.UNKNOWN.value
    phone: str = ""
    email: str = ""
    height_cm: BodyMeasure | None = None
    weight_kg: BodyMeasure | None = None


class PatientPatchIn(Schema):
    """A correction of a patient's demographics: only the fields sent change (never the clinic)."""

    model_config = ConfigDict(extra="forbid")

    medical_record_number: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: Annotated[dt.date, Described("a date YYYY-MM-DD")] | None = None
    sex: Annotated[str, OneOf(lambda: Sex.values, "sex")] | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    emergency_contact_name: str | None = None
    emergency_contact_phone: str | None = None
    height_cm: BodyMeasure | None = None
    weight_kg: BodyMeasure | None = None
