"""Refuse NUL characters in the URL and query string before any view sees them.

PostgreSQL cannot compare or store text containing NUL, so a search or filter with ``%00`` would
otherwise end in a server error. No person types one: the answer is a 400 naming the parameter.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse


class RejectNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        field = _field_with_nul(request)
        if field is None:
            return self.get_response(request)
        message = "must not contain NUL characters"
        if request.path_info.startswith("/api/"):
            error = {"field": field, "message": message, "code": "invalid"}
            return JsonResponse({"error": error}, status=400)
        return HttpResponse(f"{field}: {message}", status=400, content_type="text/plain")


def _field_with_nul(request: HttpRequest) -> str | None:
    if "\x00" in request.path_info:
        return "path"
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return key.replace("\x00", "")
    return None
