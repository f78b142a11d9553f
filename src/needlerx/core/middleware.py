"""Refuse input no person types before any view sees it: a 400 naming the field, never a 500.

- NUL characters in the URL, the query string or a form (PostgreSQL cannot compare or store
  text containing NUL, so a search with ``%00`` would otherwise end in a server error);
- a form body Django cannot parse, such as ``multipart/form-data`` without a boundary (Django's
  CSRF check would raise ``MultiPartParserError``, a 500, on any URL, even signed out);
- in a JSON body (any body that is not a form): NUL, lone UTF-16 surrogates, or a whole number
  wider than any column (``core.storable.first_unstorable``). Other JSON errors are left to the
  API's own answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.http.multipartparser import MultiPartParserError

from needlerx.core.storable import NO_NUL, first_unstorable

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
UNPARSEABLE_FORM = "is not a form Django can read (a multipart body needs a boundary)"


class RefuseUnstorableInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        refused = _refusal(request)
        if refused is None:
            return self.get_response(request)
        field, message = refused
        if request.path_info.startswith("/api/"):
            error = {"field": field, "message": message, "code": "invalid"}
            return JsonResponse({"error": error}, status=400)
        return HttpResponse(f"{field}: {message}", status=400, content_type="text/plain")


def _refusal(request: HttpRequest) -> tuple[str, str] | None:
    """The field at fault and why, or ``None`` when the request may go on."""
    if "\x00" in request.path_info:
        return ("path", NO_NUL)
    found = _field_with_nul(request.GET.lists())
    if found is None and request.method == "POST" and request.content_type in FORM_TYPES:
        try:
            found = _field_with_nul(request.POST.lists())
        except MultiPartParserError:
            return ("Content-Type", UNPARSEABLE_FORM)
    if found is not None:
        return (found, NO_NUL)
    if request.content_type not in FORM_TYPES and request.body:
        return _json_refusal(request.body)
    return None


def _field_with_nul(items: object) -> str | None:
    for key, values in items:  # type: ignore[attr-defined]
        if "\x00" in key or any("\x00" in value for value in values if isinstance(value, str)):
            return str(key).replace("\x00", "")
    return None


def _json_refusal(body: bytes) -> tuple[str, str] | None:
    """Bodies that are not JSON, or nested too deeply to walk, are the API's to refuse ("Cannot
    parse request body"); ninja reads any body as JSON, whatever its Content-Type says."""
    try:
        return first_unstorable(json.loads(body))
    except (ValueError, RecursionError):
        return None
