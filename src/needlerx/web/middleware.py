"""Turn the application's NotFound and PermissionDenied into the web's 404 and 403 pages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from needlerx.core.errors import NotFound, PermissionDenied


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
        return None
