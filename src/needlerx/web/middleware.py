"""Turn an ApplicationError no page caught into the web's 404, 403 or 400 page.

Pages catch the errors a form shows beside its fields; any other (a malformed query parameter,
a value the database cannot store) is a 400 naming the field, never a 500."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from needlerx.core.errors import ApplicationError, NotFound, PermissionDenied


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
