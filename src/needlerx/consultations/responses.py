"""What the consultation-request API answers: only these fields leave the server. The
self-check answers themselves are not among them (the web page shows them to clinicians)."""

from __future__ import annotations

import datetime as dt
import uuid

from needlerx.consultations.models import ConsultationRequest
from needlerx.core.responses import Out


class ConsultationRequestOut(Out):
    id: uuid.UUID
    clinic: str
    received_at: dt.datetime
    given_name: str
    family_name: str
    email: str
    phone: str
    pain_area: str
    preferred_days: list[str]
    preferred_times: list[str]
    message: str
    answers_shared: bool
    status: str
    patient_id: uuid.UUID | None
    appointment_id: uuid.UUID | None


class ConsultationRequestPageOut(Out):
    """One page of requests, newest first; ``count`` is how many there are in all."""

    count: int
    results: list[ConsultationRequestOut]


def consultation_request_out(item: ConsultationRequest) -> ConsultationRequestOut:
    return ConsultationRequestOut.model_validate(
        {
            "id": item.public_id,
            "clinic": item.clinic.name,
            "received_at": item.created_at,
            "given_name": item.given_name,
            "family_name": item.family_name,
            "email": item.email,
            "phone": item.phone,
            "pain_area": item.pain_area,
            "preferred_days": list(item.preferred_days),
            "preferred_times": list(item.preferred_times),
            "message": item.message,
            "answers_shared": item.self_check_answers is not None,
            "status": item.status,
            "patient_id": item.patient.public_id if item.patient else None,
            "appointment_id": item.appointment.public_id if item.appointment else None,
        }
    )
