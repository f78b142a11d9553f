"""Reads of consultation requests (personal data): scoped to the clinics where the user may
manage them, and recorded for the audit trail where they happen.

A page of the queue appends one ``consultation_list.view`` event naming the requests shown; one
request appends a ``consultation_request.view`` event (naming the patient once the request has
become one, through ``audit.reads`` like any patient read).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet

from needlerx.accounts.models import Clinic, User
from needlerx.accounts.permissions import role_has_permission
from needlerx.accounts.selectors import clinic_ids_with_permission, role_in_clinic
from needlerx.audit.reads import audit_read, audit_read_refused
from needlerx.audit.services import audit_record
from needlerx.consultations.models import ConsultationRequest, RequestStatus
from needlerx.consultations.services import MANAGE
from needlerx.core.errors import NotFound, PermissionDenied
from needlerx.core.prepared import prepared_read

PAGE_SIZE = 25


def public_clinics() -> list[Clinic]:
    """The network's clinics a person may ask for a consultation at (no personal data)."""
    return list(Clinic.objects.order_by("name", "id"))


def public_clinic_get(public_id: uuid.UUID | str) -> Clinic:
    try:
        return Clinic.objects.get(public_id=public_id)
    except (Clinic.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound("No such clinic.") from None


@dataclass(frozen=True)
class RequestQueue:
    page: Page[ConsultationRequest]
    status: str
    counts: dict[str, int]


def consultation_queue_for_user(*, user: User, status: str = "", page: int = 1) -> RequestQueue:
    """One page of the requests of the user's clinics (newest first), optionally of one status,
    with the count of each status; the page's requests are recorded as shown."""
    clinic_ids = clinic_ids_with_permission(user=user, permission=MANAGE)
    if not clinic_ids:
        raise PermissionDenied()
    requests = ConsultationRequest.objects.filter(clinic_id__in=clinic_ids)
    counts = {s: 0 for s in RequestStatus.values}
    for row in requests.values("status").order_by().annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    chosen = status if status in RequestStatus.values else ""
    if chosen:
        requests = requests.filter(status=chosen)
    ordered = requests.select_related("clinic").order_by("-created_at", "-id")
    shown = Paginator(ordered, PAGE_SIZE).get_page(page)
    if shown.object_list:
        audit_record(
            action="consultation_list.view",
            actor=user,
            detail={
                "requests": [str(r.public_id) for r in shown.object_list],
                "status": chosen or "all",
                "page": shown.number,
            },
        )
    return RequestQueue(page=shown, status=chosen, counts=counts)


def new_request_count_for_user(*, user: User) -> int:
    """How many new requests wait in the user's clinics (the clinic home's tile)."""
    clinic_ids = clinic_ids_with_permission(user=user, permission=MANAGE)
    if not clinic_ids:
        return 0
    return _requests_in.count(clinic_ids=clinic_ids, status=RequestStatus.NEW)


# Prepared once (core.prepared): the clinic home counts new requests on every visit.
@prepared_read()
def _requests_in(clinic_ids: list[int], status: str) -> QuerySet[ConsultationRequest]:
    return ConsultationRequest.objects.filter(clinic_id__in=clinic_ids, status=status)


def consultation_request_get_for_user(
    *, user: User, public_id: uuid.UUID | str
) -> ConsultationRequest:
    """One request, if the user may manage requests in its clinic (else NotFound, like a
    missing one); the read is recorded for the audit trail."""
    try:
        request = ConsultationRequest.objects.select_related(
            "clinic", "patient", "appointment"
        ).get(public_id=public_id)
    except (ConsultationRequest.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound("No such consultation request.") from None
    role = role_in_clinic(user=user, clinic=request.clinic)
    if role is None or not role_has_permission(role, MANAGE):
        if request.patient is not None:
            audit_read_refused(patient=request.patient)
        raise NotFound("No such consultation request.")
    if request.patient is not None:
        audit_read(
            actor=user,
            actor_role=role,
            patient=request.patient,
            obj=request,
            what="consultation_request",
        )
    else:
        audit_record(
            action="consultation_request.view",
            actor=user,
            actor_role=role,
            clinic=request.clinic,
            obj=request,
        )
    return request
