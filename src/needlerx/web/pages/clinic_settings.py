"""The clinic settings page for clinic admins: name, address, NPI, jurisdiction, time zone and
the clinic's conventions for dates and units. ``accounts.services.clinic_update`` writes it."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from needlerx.accounts import selectors, services
from needlerx.accounts.http import request_user
from needlerx.core.errors import ApplicationError
from needlerx.web.forms.patients import add_application_error
from needlerx.web.forms.staff import ClinicForm


@login_required
def clinic_settings(request: HttpRequest, clinic_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    clinic = selectors.clinic_get_for_admin(user=user, public_id=clinic_id)
    form = ClinicForm(
        request.POST if request.method == "POST" else None, initial=ClinicForm.initial_for(clinic)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.clinic_update(actor=user, clinic=clinic, **form.cleaned_data)
        except ApplicationError as error:
            if error.field == "time_zone":
                error.field = "time_zone_other"
            add_application_error(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['name']}'s details are saved.")
            return redirect("accounts:staff")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/clinic_settings.html", {"form": form, "clinic": clinic}, status=status
    )
