"""A patient's own account: the clinic's invitation (staff), choosing a password from it, signing
in with email and password, and the patient's page with everything of theirs (/me/)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from needlerx.accounts.http import request_user
from needlerx.accounts.local import clinic_conventions
from needlerx.audit.middleware import client_address
from needlerx.consultations.services import address_attempt_count
from needlerx.core import local
from needlerx.core.errors import ApplicationError, NotFound
from needlerx.patient_accounts import selectors, services
from needlerx.patients.selectors import patient_get_for_user
from needlerx.web.forms.patient_account import PasswordResetRequestForm, PatientSignInForm
from needlerx.web.forms.patients import add_application_error
from needlerx.web.forms.staff import SetPasswordForm
from needlerx.web.pages.patient_tasks import TOO_MANY, task_page

PATIENT_LOGIN = "patient_account:login"


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "same-origin"
    return response


# --- the clinic's side ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def account_invite(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    """The patient's account: whether they have one, "Invite to patient account" and "Close the
    account" (POST, ``action`` close)."""
    user = request_user(request)
    patient = patient_get_for_user(user=user, public_id=patient_id)
    context: dict[str, Any] = {"patient": patient}
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                services.patient_account_close(actor=user, patient=patient)
                context["closed"] = True
            else:
                context["invite"] = services.patient_account_invite(
                    actor=user, patient=patient, site_url=request.build_absolute_uri("/")
                )
        except ApplicationError as error:
            context["error"] = error.message
            status = 400
    context["account"] = selectors.patient_account_for_staff(patient=patient)
    return render(request, "patient_account/invite.html", context, status=status)


# --- the patient's side -----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: the patient chooses a password (once); then they sign in."""
    try:
        invitation = selectors.invitation_for_token(token=token)
    except NotFound as error:
        invalid: dict[str, Any] = {"clinic": None, "message": error.message}
        return _private(render(request, "patient_account/invalid.html", invalid, status=404))
    form = SetPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.patient_account_accept(token=token, password=form.cleaned_data["new_password"])
        except ApplicationError as error:
            if error.field == "password":
                error.field = "new_password"
            if error.field == "token":
                used: dict[str, Any] = {"clinic": invitation.clinic, "message": error.message}
                return _private(render(request, "patient_account/invalid.html", used, status=404))
            add_application_error(form, error)
        else:
            messages.success(
                request, "Your password is set. Now sign in with your email and your new password."
            )
            return redirect(PATIENT_LOGIN)
    status = 400 if request.method == "POST" else 200
    context: dict[str, Any] = {
        "form": form,
        "invitation": invitation,
        "clinic": invitation.clinic,
    }
    return _private(render(request, "patient_account/welcome.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def forgot_password(request: HttpRequest) -> HttpResponse:
    """ "Forgot your password?": the patient gives their email; a link to choose a new password
    goes there if an account uses it. The answer is the same either way, so the page tells
    nobody whether an address has an account; one address may ask a few times an hour."""
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        rule = services.RESET_REQUESTS
        if address_attempt_count(address, rule) > rule.limit():
            context = {"too_many": True, "minutes": rule.minutes()}
            response = render(request, "patient_account/reset_sent.html", context, status=TOO_MANY)
            response["Retry-After"] = str(rule.minutes() * 60)
            return _private(response)
        services.patient_account_reset_request(
            email=form.cleaned_data["email"], site_url=request.build_absolute_uri("/")
        )
        sent = {"email": form.cleaned_data["email"], "hours": services.RESET_VALID_HOURS}
        return _private(render(request, "patient_account/reset_sent.html", sent))
    status = 400 if request.method == "POST" else 200
    return _private(
        render(request, "patient_account/forgot_password.html", {"form": form}, status=status)
    )


class PatientSignInView(auth_views.LoginView):
    template_name = "patient_account/login.html"
    authentication_form = PatientSignInForm
    redirect_authenticated_user = True
    next_page = "patient_account:home"

    def get_default_redirect_url(self) -> str:
        return reverse("patient_account:home")


@never_cache
@login_required(login_url=PATIENT_LOGIN)
def home(request: HttpRequest) -> HttpResponse:
    """The patient's page: open tasks, home exercises, next appointments, progress."""
    found = selectors.patient_home_for_user(user=request_user(request))
    with local.activated(clinic_conventions(found.clinic)):
        context = {"home": found, "clinic": found.clinic}
        return _private(render(request, "patient_account/home.html", context))


@never_cache
@login_required(login_url=PATIENT_LOGIN)
@require_http_methods(["GET", "POST"])
def task(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """One of the patient's own tasks, the same page and form a link opens."""
    link = selectors.own_task_for_user(user=request_user(request), task_id=task_id)
    return task_page(request, link)
