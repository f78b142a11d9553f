"""Thin appointment endpoints: parse, call a selector or service, shape the answer."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from needlerx.accounts.http import request_user
from needlerx.accounts.local import clinic_today
from needlerx.core.local import day_start
from needlerx.core.pages import page_number
from needlerx.core.responses import BAD_REQUEST, NOT_FOUND, errors
from needlerx.scheduling import selectors, services
from needlerx.scheduling.responses import AppointmentOut, AppointmentPageOut, appointment_out
from needlerx.scheduling.schemas import (
    AppointmentBookIn,
    AppointmentRescheduleIn,
    AppointmentStatusIn,
)
from needlerx.scheduling.times import clinic_zone

router = Router(tags=["appointments"])
ONE_RECORD = errors(BAD_REQUEST, NOT_FOUND)
DAYS_MAX = 62


class AppointmentListQuery(Schema):
    start_date: dt.date | None = None
    days: int = 1
    clinician_id: uuid.UUID | None = None
    page: int = 1
    page_size: int = selectors.APPOINTMENTS_PER_PAGE


@router.get("/appointments", response={200: AppointmentPageOut, **errors(BAD_REQUEST, NOT_FOUND)})
def appointment_list(
    request: HttpRequest, query: Query[AppointmentListQuery]
) -> AppointmentPageOut:
    """Appointments in your clinic from ``start_date`` (default today, the clinic's) for ``days``
    days (up to 62), earliest first, a page at a time (``page_size`` up to 200) with ``count``."""
    user = request_user(request)
    clinic = selectors.booking_clinic_for_user(user=user)
    zone, first = clinic_zone(clinic), query.start_date or clinic_today(clinic)
    days = max(1, min(query.days, DAYS_MAX))
    found = selectors.appointment_page_for_user(
        user=user,
        starts_from=day_start(first, zone),
        starts_before=day_start(first + dt.timedelta(days=days), zone),
        clinician_id=query.clinician_id,
        page=page_number(query.page),
        per_page=query.page_size,
    )
    return AppointmentPageOut(
        count=found.total, results=[appointment_out(item) for item in found.items]
    )


@router.post("/appointments", response={201: AppointmentOut, **ONE_RECORD})
def appointment_book(request: HttpRequest, payload: AppointmentBookIn) -> Status[AppointmentOut]:
    """Book a patient with a clinician; the length comes from the appointment type."""
    appointment = services.appointment_book_by_ids(
        actor=request_user(request), **payload.model_dump()
    )
    return Status(201, appointment_out(appointment))


@router.get("/appointments/{appointment_id}", response={200: AppointmentOut, **ONE_RECORD})
def appointment_get(request: HttpRequest, appointment_id: uuid.UUID) -> AppointmentOut:
    appointment = selectors.appointment_get_for_user(
        user=request_user(request), public_id=appointment_id
    )
    return appointment_out(appointment)


@router.post(
    "/appointments/{appointment_id}/reschedule", response={200: AppointmentOut, **ONE_RECORD}
)
def appointment_reschedule(
    request: HttpRequest, appointment_id: uuid.UUID, payload: AppointmentRescheduleIn
) -> AppointmentOut:
    user = request_user(request)
    appointment = selectors.appointment_get_for_user(user=user, public_id=appointment_id)
    clinician = (
        selectors.clinician_in_clinic(
            clinic=appointment.clinic, public_id=payload.clinician_id, field="clinician_id"
        )
        if payload.clinician_id
        else None
    )
    moved = services.appointment_reschedule(
        actor=user,
        appointment=appointment,
        starts_at=payload.starts_at,
        clinician=clinician,
        appointment_type=payload.appointment_type,
    )
    return appointment_out(moved)


@router.post("/appointments/{appointment_id}/status", response={200: AppointmentOut, **ONE_RECORD})
def appointment_status(
    request: HttpRequest, appointment_id: uuid.UUID, payload: AppointmentStatusIn
) -> AppointmentOut:
    user = request_user(request)
    appointment = selectors.appointment_get_for_user(user=user, public_id=appointment_id)
    changed = services.appointment_status_set(
        actor=user, appointment=appointment, status=payload.status, reason=payload.reason
    )
    return appointment_out(changed)
