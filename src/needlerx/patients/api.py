"""Thin API endpoints for patients: parse, call a selector or service, shape the answer."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from needlerx.accounts.http import request_user
from needlerx.accounts.selectors import clinics_for_user
from needlerx.core.errors import NotFound
from needlerx.core.pages import page_number
from needlerx.core.responses import BAD_REQUEST, NOT_FOUND, errors
from needlerx.patients import selectors, services
from needlerx.patients.models import Patient
from needlerx.patients.responses import PatientOut, PatientPage
from needlerx.patients.schemas import PatientIn, PatientPatchIn

router = Router(tags=["patients"])
PAGE_SIZE_MAX = 100


def patient_out(patient: Patient) -> PatientOut:
    return PatientOut.model_validate(
        {
            "id": patient.public_id,
            "medical_record_number": patient.medical_record_number,
            "given_name": patient.given_name,
            "family_name": patient.family_name,
            "date_of_birth": patient.date_of_birth,
            "sex": patient.sex,
            "clinic_id": patient.clinic.public_id,
        }
    )


class PatientListQuery(Schema):
    search: str = ""
    page: int = 1
    page_size: int = 25


@router.get("/", response={200: PatientPage, **errors(BAD_REQUEST)})
def patient_list(request: HttpRequest, query: Query[PatientListQuery]) -> PatientPage:
    page = page_number(query.page)
    size = max(1, min(query.page_size, PAGE_SIZE_MAX))
    start = (page - 1) * size
    shown = selectors.patient_slice_for_user(
        user=request_user(request), search=query.search, start=start, stop=start + size
    )
    return PatientPage(count=shown.total, results=[patient_out(p) for p in shown.patients])


@router.get("/{patient_id}", response={200: PatientOut, **errors(BAD_REQUEST, NOT_FOUND)})
def patient_detail(request: HttpRequest, patient_id: uuid.UUID) -> PatientOut:
    patient = selectors.patient_get_for_user(user=request_user(request), public_id=patient_id)
    return patient_out(patient)


@router.post("/", response={201: PatientOut, **errors(BAD_REQUEST, NOT_FOUND)})
def patient_register(request: HttpRequest, payload: PatientIn) -> Status[PatientOut]:
    # Only the user's own clinics are found: another clinic's id answers like a missing one.
    user = request_user(request)
    clinic = clinics_for_user(user=user).filter(public_id=payload.clinic_id).first()
    if clinic is None:
        raise NotFound("No such clinic.")
    fields = payload.dict(exclude={"clinic_id", "medical_record_number"})
    patient = services.patient_register(
        actor=user,
        clinic=clinic,
        medical_record_number=payload.medical_record_number,
        **fields,
    )
    return Status(201, patient_out(patient))


@router.patch("/{patient_id}", response={200: PatientOut, **errors(BAD_REQUEST, NOT_FOUND)})
def patient_update(
    request: HttpRequest, patient_id: uuid.UUID, payload: PatientPatchIn
) -> PatientOut:
    """Correct a patient's demographics; only the fields sent change (audited by field name)."""
    user = request_user(request)
    patient = selectors.patient_get_for_user(
        user=user, public_id=patient_id, permission="patient.edit_demographics"
    )
    changes = payload.dict(exclude_unset=True)
    return patient_out(services.patient_update(actor=user, patient=patient, **changes))
