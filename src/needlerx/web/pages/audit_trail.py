"""The clinic admin's view of the audit trail: who viewed or changed a patient's record."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from needlerx.accounts.http import request_user
from needlerx.accounts.selectors import clinic_ids_with_permission
from needlerx.core.errors import NotFound, PermissionDenied
from needlerx.patients import audit_trail as selectors
from needlerx.patients.selectors import patient_page_for_user

PAGE_SIZE = 50


@login_required
def audit_patient_search(request: HttpRequest) -> HttpResponse:
    """Find a patient (in clinics where the user may read the audit trail) to see their trail."""
    user = request_user(request)
    clinic_ids = clinic_ids_with_permission(user=user, permission="audit.view")
    if not clinic_ids:
        raise DjangoPermissionDenied("Only a clinic admin can read the audit trail.")
    search = request.GET.get("q", "")[:100]
    page = patient_page_for_user(
        user=user, search=search, page=request.GET.get("page"), per_page=25, permission="audit.view"
    )
    return render(request, "audit/patient_search.html", {"page": page, "search": search})


@login_required
def audit_patient_trail(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    try:
        patient, events = selectors.patient_audit_trail_for_user(
            user=user, patient_public_id=patient_id
        )
    except NotFound as error:
        raise Http404(error.message) from None
    except PermissionDenied as error:
        raise DjangoPermissionDenied(error.message) from None
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/patient_trail.html", {"patient": patient, "page": page})
