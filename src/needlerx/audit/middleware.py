"""Attribute every audit event to its request, and audit refused or probing requests.

Each request gets a request id (also sent back as ``X-Request-ID``), the client address and the
user agent. A 403 answer is audited as ``access.denied``; a 404 for a URL that carries an id
(e.g. another clinic's patient) by a signed-in user is audited as ``access.not_found``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from needlerx.audit.context import origin
from needlerx.audit.services import audit_denial


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address the trusted reverse proxy appended to X-Forwarded-For."""
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return str(hops[-1])[:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def _is_probe(request: HttpRequest, status: int) -> bool:
    if status == 403:
        return True
    if status != 404:
        return False
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    return bool(user is not None and user.is_authenticated and match and match.kwargs)


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = uuid.uuid4().hex
        with origin(
            request_id=request_id,
            client_address=client_address(request),
            user_agent=str(request.META.get("HTTP_USER_AGENT", ""))[:300],
            command="",
        ):
            response = self.get_response(request)
            if _is_probe(request, response.status_code):
                audit_denial(request, status=response.status_code)
        response["X-Request-ID"] = request_id
        return response
