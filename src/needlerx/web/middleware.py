"""Show every page in the signed-in user's clinic's local time and conventions; turn an
ApplicationError no page caught into the web's 404, 403 or 400 page.

Pages catch the errors a form shows beside its fields; any other (a malformed query parameter,
a value the database cannot store) is a 400 naming the field, never a 500."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from needlerx.accounts.local import user_conventions
from needlerx.core import local
from needlerx.core.errors import ApplicationError, NotFound, PermissionDenied


class ClinicLocalTime:
    """Activate the time zone, date style and units of the signed-in user's clinic (the first
    they joined, when they work in several) for the request: Django's current time zone, so
    ``timezone.localtime``/``localdate`` and the template ``date`` filter are local, and
    core.local's conventions for the shared formatters and date fields.

    One query per signed-in request (the user's memberships with their clinics' conventions);
    it leaves the user's roles by clinic on the user, so the permission check that most pages
    make next reads them instead of asking again. Anonymous requests stay in UTC."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        with local.activated(user_conventions(user)):
            return self.get_response(request)


class ApplicationErrorPages:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            context = {"title": "Not found", "message": exception.message}
            return render(request, "web/error.html", context, status=404)
        if isinstance(exception, PermissionDenied):
            context = {"title": "Not allowed", "message": exception.message}
            return render(request, "web/error.html", context, status=403)
        if isinstance(exception, ApplicationError):
            context = {"title": "Cannot use this input", "message": str(exception)}
            return render(request, "web/error.html", context, status=400)
        return None
