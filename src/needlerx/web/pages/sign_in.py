"""Sign-in pages: password step, two-factor code, and authenticator set-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from needlerx.accounts import two_factor
from needlerx.accounts.http import request_user
from needlerx.core.errors import ApplicationError
from needlerx.web.forms.sign_in import SignInForm, TokenForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else "/"


def _check(request: HttpRequest, form: TokenForm, action: str) -> bool:
    """Run a two-factor service on a valid form; put its error on the form."""
    if not form.is_valid():
        return False
    user = request_user(request)
    try:
        if action == "verify":
            device = two_factor.two_factor_verify(user=user, token=form.cleaned_data["token"])
        else:
            device = two_factor.two_factor_enrol_confirm(
                user=user, token=form.cleaned_data["token"]
            )
    except ApplicationError as error:
        form.add_error("token", error.message)
        return False
    otp_login(request, device)
    return True


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if two_factor.two_factor_device(user=user) is None:
        return redirect("accounts:two_factor_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and _check(request, form, "verify"):
        return redirect(_next_url(request))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if two_factor.two_factor_device(user=user) is not None:
        messages.info(request, "Two-factor sign-in is already set up for your account.")
        verified = request.user.is_verified()  # type: ignore[union-attr]
        return redirect("home" if verified else "accounts:two_factor_verify")
    device = two_factor.two_factor_enrol_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and _check(request, form, "enrol"):
        messages.success(request, "Two-factor sign-in is set up.")
        return redirect(_next_url(request))
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_code": two_factor.provisioning_qr_data_uri(device),
        "secret": two_factor.provisioning_secret(device),
    }
    return render(request, "accounts/two_factor_enrol.html", context)
