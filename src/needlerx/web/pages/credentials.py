"""Staff credentials pages for clinic admins: each clinician's dry-needling credential, with its
status today, and forms to add or renew one. Every write goes through ``accounts.services``."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from needlerx.accounts import selectors, services
from needlerx.accounts.http import request_user
from needlerx.accounts.models import DryNeedlingCredential, User
from needlerx.accounts.serializers import STATUS_LABELS
from needlerx.core.errors import ApplicationError, PermissionDenied
from needlerx.web.forms.credentials import CredentialForm
from needlerx.web.forms.patients import add_application_error

FIELDS = tuple(CredentialForm.base_fields)


@login_required
def credentials(request: HttpRequest) -> HttpResponse:
    """Every clinician of the clinics you administer, with their credential status today."""
    user, today = request_user(request), timezone.localdate()
    clinics = list(selectors.clinics_where_user_manages_credentials(user=user))
    if not clinics:
        raise PermissionDenied("Only a clinic admin can manage staff credentials.")
    sections = [
        {
            "clinic": clinic,
            "rows": selectors.clinicians_with_credentials(user=user, clinic=clinic, on=today),
        }
        for clinic in clinics
    ]
    context = {"sections": sections, "today": today, "status_labels": STATUS_LABELS}
    return render(request, "accounts/credentials.html", context)


@login_required
def credential_new(request: HttpRequest, clinician_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    clinician, clinic = selectors.clinician_get_for_credentials(user=user, public_id=clinician_id)
    initial = {"licence_country": clinic.country, "licence_region": clinic.region}
    form = CredentialForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.credential_add(actor=user, user=clinician, **form.cleaned_data)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, f"Credential recorded for {_name(clinician)}.")
            return redirect("accounts:credentials")
    return _form_page(request, form, clinician, None)


@login_required
def credential_edit(request: HttpRequest, credential_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    credential = selectors.credential_get_for_user(user=user, public_id=credential_id)
    initial = {name: getattr(credential, name) for name in FIELDS}
    form = CredentialForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.credential_update(actor=user, credential=credential, **form.cleaned_data)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, f"Credential updated for {_name(credential.user)}.")
            return redirect("accounts:credentials")
    return _form_page(request, form, credential.user, credential)


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _form_page(
    request: HttpRequest,
    form: CredentialForm,
    clinician: User,
    credential: DryNeedlingCredential | None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "clinician": clinician,
        "clinician_name": _name(clinician),
        "credential": credential,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/credential_form.html", context, status=status)
