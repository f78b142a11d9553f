"""The one input model of each appointment write: the API's request body, the CLI's JSON."""

from __future__ import annotations

import uuid
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict

from needlerx.core.inputs import AwareDateTime, OneOf
from needlerx.scheduling.models import AppointmentStatus
from needlerx.scheduling.services import REASON_MAX
from needlerx.scheduling.types import appointment_type_ids

AppointmentTypeId = Annotated[str, OneOf(appointment_type_ids, "appointment type")]
StatusId = Annotated[str, OneOf(lambda: AppointmentStatus.values, "status")]


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class AppointmentBookIn(In):
    patient_id: uuid.UUID
    clinician_id: uuid.UUID
    appointment_type: AppointmentTypeId
    starts_at: AwareDateTime
    reason: str = ""


class AppointmentRescheduleIn(In):
    starts_at: AwareDateTime
    clinician_id: uuid.UUID | None = None
    appointment_type: AppointmentTypeId | None = None


class AppointmentStatusIn(In):
    status: StatusId
    reason: str = ""


__all__ = [
    "REASON_MAX",
    "AppointmentBookIn",
    "AppointmentRescheduleIn",
    "AppointmentStatusIn",
]
