"""What the patients API answers: demographics needed to find a patient, nothing more (no phone,
email, height or weight)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from needlerx.core.responses import Out

# ``patients.models.Sex`` (a test keeps the two equal).
SexOut = Literal["female", "male", "intersex", "unknown"]


class PatientOut(Out):
    id: uuid.UUID
    medical_record_number: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex: SexOut
    clinic_id: uuid.UUID


class PatientPage(Out):
    count: int
    results: list[PatientOut]
