"""Patient pages: thin views over the selectors."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from needlerx.core.errors import NotFound
from needlerx.core.http import request_user
from needlerx.patients import selectors

PAGE_SIZE = 25


@login_required
def patient_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")
    patients = selectors.patient_list_for_user(user=request_user(request), search=search)
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "patients/list.html", {"page": page, "search": search})


@login_required
def patient_detail(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    try:
        patient = selectors.patient_get_for_user(user=user, public_id=patient_id)
    except NotFound as error:
        raise Http404(error.message) from None
    today = timezone.localdate()
    context = {
        "patient": patient,
        "age": patient.age_on(today),
        "episodes": [(e, e.acuity_on(today)) for e in selectors.patient_episodes(patient=patient)],
    }
    return render(request, "patients/detail.html", context)
