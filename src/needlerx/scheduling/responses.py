"""What the appointment API answers: only these fields leave the server."""

from __future__ import annotations

import datetime as dt
import uuid

from needlerx.core.responses import Out
from needlerx.scheduling.models import Appointment


class AppointmentOut(Out):
    id: uuid.UUID
    clinic: str
    patient_id: uuid.UUID
    patient_name: str
    clinician_id: uuid.UUID
    clinician: str
    appointment_type: str
    appointment_type_label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    reason: str
    session_id: uuid.UUID | None


class AppointmentPageOut(Out):
    """One page of appointments, earliest first; ``count`` is how many there are in all."""

    count: int
    results: list[AppointmentOut]


def appointment_out(appointment: Appointment) -> AppointmentOut:
    clinician = appointment.clinician
    return AppointmentOut.model_validate(
        {
            "id": appointment.public_id,
            "clinic": appointment.clinic.name,
            "patient_id": appointment.patient.public_id,
            "patient_name": appointment.patient.full_name,
            "clinician_id": clinician.public_id,
            "clinician": clinician.get_full_name() or clinician.get_username(),
            "appointment_type": appointment.appointment_type,
            "appointment_type_label": appointment.type_label,
            "starts_at": appointment.starts_at,
            "ends_at": appointment.ends_at,
            "status": appointment.status,
            "reason": appointment.reason,
            "session_id": appointment.session.public_id if appointment.session else None,
        }
    )
