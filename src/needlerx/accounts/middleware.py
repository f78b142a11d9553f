"""Hold a signed-in user at the two-factor step until they pass it (when they must), end a
session that has outlived its absolute lifetime, and renew the idle timeout on activity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponseBase, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import timezone

from needlerx.accounts.signals import IDLE_RENEWED_AT, SESSION_EXPIRED_ATTRIBUTE, SIGNED_IN_AT
from needlerx.accounts.two_factor import two_factor_device, two_factor_required

ALLOWED_BEFORE_SECOND_FACTOR = {
    "login",
    "logout",
    "health",
    "accounts:two_factor_verify",
    "accounts:two_factor_enrol",
}


def _route_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


class TwoFactorMiddleware:
    """After the password step, a user who needs 2FA reaches only the 2FA pages and sign-out.

    Pages redirect to the code (or set-up) page; the API answers 403 ``two_factor_required``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/"))
            and _route_name(request) not in ALLOWED_BEFORE_SECOND_FACTOR
            and two_factor_required(user=user)
        ):
            return self._hold(request)
        return self.get_response(request)

    def _hold(self, request: HttpRequest) -> HttpResponseBase:
        message = "Finish two-factor sign-in first."
        if request.path_info.startswith("/api/"):
            error = {"field": None, "message": message, "code": "two_factor_required"}
            return JsonResponse({"error": error}, status=403)
        step = "accounts:two_factor_verify"
        if two_factor_device(user=request.user) is None:  # type: ignore[arg-type]
            step = "accounts:two_factor_enrol"
        response = redirect(step)
        if request.method == "GET":
            response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response


PATIENT_ROUTE_PREFIX = "patient_account:"
PATIENT_ALLOWED_ROUTES = {
    "logout",
    "health",
    "home",
    "accounts:two_factor_verify",
    "accounts:two_factor_enrol",
}

# Pages for the public (no sign-in needed) that a signed-in patient may also use.
PATIENT_PUBLIC_ROUTES = {
    "login",
    "my_task",
    "sitemap",
    "consultations:self_check",
    "consultations:request",
    "consultations:sent",
}


class PatientAccountMiddleware:
    """Keep a patient's own account (``User.is_patient``) on the patient pages.

    A patient holds no membership, so every staff selector and service refuses them anyway;
    this makes it plain and uniform: the clinic home sends them to their own page, the API
    answers 403 and any other staff page answers 403. Pages that need no sign-in (articles,
    self-check, task links) still work. Runs after the two-factor step, which holds a patient
    who enrolled an authenticator like anyone else.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not getattr(user, "is_patient", False):
            return self.get_response(request)
        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return self.get_response(request)
        name = _route_name(request)
        if name == "home":
            return redirect("patient_account:home")
        if name.startswith(PATIENT_ROUTE_PREFIX) or name in PATIENT_ALLOWED_ROUTES:
            return self.get_response(request)
        if name in PATIENT_PUBLIC_ROUTES or name.startswith("learn:"):
            return self.get_response(request)
        return _refuse_patient(request)


def _refuse_patient(request: HttpRequest) -> HttpResponseBase:
    message = "This page is for clinic staff. Your own page is at /me/."
    if request.path_info.startswith("/api/"):
        error = {"field": None, "message": message, "code": "permission_denied"}
        return JsonResponse({"error": error}, status=403)
    return HttpResponseForbidden(
        render_to_string("web/error.html", {"title": "Not allowed", "message": message}, request)
    )


class SessionLifetimeMiddleware:
    """Sign a user out once their session is older than NEEDLERX_SESSION_MAX_HOURS (default 12).

    The idle timeout (NEEDLERX_IDLE_TIMEOUT_MINUTES) is renewed by activity (`renew_idle_window`);
    this absolute limit is not, so an active session still ends and the user signs in again (OWASP
    ASVS 3.3.2). The request that finds the session too old goes on as an anonymous request: pages
    redirect to the sign-in page and the API answers 401. A session from before this limit existed
    starts counting at its next request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._enforce(request)
        return self.get_response(request)

    def _enforce(self, request: HttpRequest) -> None:
        now = timezone.now()
        signed_in_at = request.session.get(SIGNED_IN_AT)
        if not isinstance(signed_in_at, (int, float)):
            request.session[SIGNED_IN_AT] = now.timestamp()
            return
        lifetime = dt.timedelta(hours=settings.SESSION_MAX_HOURS)
        if now - dt.datetime.fromtimestamp(signed_in_at, tz=dt.UTC) >= lifetime:
            setattr(request, SESSION_EXPIRED_ATTRIBUTE, True)
            logout(request)
            return
        renew_idle_window(request.session, now.timestamp())


def renew_idle_window(session: SessionBase, now: float) -> None:
    """Activity renews the idle timeout: the session is written again, with a new expiry, when its
    last renewal is ``SESSION_RENEW_EVERY_SECONDS`` old or more (a minute with the 15-minute
    timeout), not on every request, so a page view costs no write of the session. A user is
    signed out after at most the idle minutes without a request, and at least that less a minute.
    """
    renewed = session.get(IDLE_RENEWED_AT)
    if (
        isinstance(renewed, (int, float))
        and 0 <= now - renewed < settings.SESSION_RENEW_EVERY_SECONDS
    ):
        return
    session[IDLE_RENEWED_AT] = now
