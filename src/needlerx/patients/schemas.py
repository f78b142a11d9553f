"""API input and output shapes for patients (separate in and out schemas)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Schema


class PatientOut(Schema):
    id: uuid.UUID
    medical_record_number: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex: str
    clinic_id: uuid.UUID


class PatientIn(Schema):
    clinic_id: uuid.UUID
    medical_record_number: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex: str = "unknown"
    phone: str = ""
    email: str = ""
    height_cm: Decimal | None = None
    weight_kg: Decimal | None = None


class PatientPage(Schema):
    count: int
    results: list[PatientOut]
