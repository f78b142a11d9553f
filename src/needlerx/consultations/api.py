"""Thin consultation-request endpoints for staff: list, get, set the status."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Query, Router, Schema

from needlerx.accounts.http import request_user
from needlerx.consultations import selectors, services
from needlerx.consultations.responses import (
    ConsultationRequestOut,
    ConsultationRequestPageOut,
    consultation_request_out,
)
from needlerx.consultations.schemas import ConsultationStatusIn
from needlerx.core.pages import page_number
from needlerx.core.responses import BAD_REQUEST, NOT_FOUND, errors

router = Router(tags=["consultation requests"])
ONE_RECORD = errors(BAD_REQUEST, NOT_FOUND)


class ConsultationListQuery(Schema):
    status: str = ""
    page: int = 1


@router.get(
    "/consultation-requests",
    response={200: ConsultationRequestPageOut, **errors(BAD_REQUEST)},
)
def consultation_request_list(
    request: HttpRequest, query: Query[ConsultationListQuery]
) -> ConsultationRequestPageOut:
    """Requests of your clinics, newest first, 25 a page, optionally of one ``status`` (new,
    contacted, booked, declined); ``count`` is how many match in all."""
    queue = selectors.consultation_queue_for_user(
        user=request_user(request), status=query.status, page=page_number(query.page)
    )
    return ConsultationRequestPageOut(
        count=queue.page.paginator.count,
        results=[consultation_request_out(item) for item in queue.page.object_list],
    )


@router.get(
    "/consultation-requests/{request_id}", response={200: ConsultationRequestOut, **ONE_RECORD}
)
def consultation_request_get(request: HttpRequest, request_id: uuid.UUID) -> ConsultationRequestOut:
    item = selectors.consultation_request_get_for_user(
        user=request_user(request), public_id=request_id
    )
    return consultation_request_out(item)


@router.post(
    "/consultation-requests/{request_id}/status",
    response={200: ConsultationRequestOut, **ONE_RECORD},
)
def consultation_request_status(
    request: HttpRequest, request_id: uuid.UUID, payload: ConsultationStatusIn
) -> ConsultationRequestOut:
    user = request_user(request)
    item = selectors.consultation_request_get_for_user(user=user, public_id=request_id)
    changed = services.consultation_request_status_set(
        actor=user, request=item, status=payload.status
    )
    return consultation_request_out(changed)
