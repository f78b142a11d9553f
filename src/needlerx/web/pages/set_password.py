"""The one-time set-password page a staff member reaches from the link their clinic admin sent
(a new account, or a forgotten password). A wrong, used or expired link is "not found"."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from needlerx.accounts import services
from needlerx.core.errors import ApplicationError, NotFound
from needlerx.web.forms.patients import add_application_error
from needlerx.web.forms.staff import SetPasswordForm

EXPIRED = (
    "This set-password link has expired or was already used. Ask your clinic admin for a new one."
)


@never_cache
def set_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = services.password_link_user(uidb64=uidb64, token=token)
    if user is None:
        raise NotFound(EXPIRED)
    form = SetPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_set_by_link(
                uidb64=uidb64, token=token, password=form.cleaned_data["new_password"]
            )
        except ApplicationError as error:
            if error.field == "password":
                error.field = "new_password"
            add_application_error(form, error)
        else:
            messages.success(request, f"Your password is set. Sign in as {user.username}.")
            return redirect("login")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "person": user}
    return render(request, "accounts/set_password.html", context, status=status)
